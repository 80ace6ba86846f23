//! The IAM client: credentials, region, endpoint, retries and timeouts.

use aws_config::meta::region::RegionProviderChain;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::ProvideCredentials;
use aws_sdk_iam::Client;
use std::time::Duration;

/// How to reach IAM, from the command line.
#[derive(Debug, Clone, Default)]
pub struct ClientOptions {
    /// A shared config profile.
    pub profile: Option<String>,
    /// The region to sign requests for; IAM is global.
    pub region: Option<String>,
    /// Another endpoint than AWS's (a local test server).
    pub endpoint_url: Option<String>,
    /// The run's budget of calls in flight, shared by every client built
    /// from these options (none: the SDK's client, unbounded).
    pub budget: Option<super::CallBudget>,
}

/// A client with standard retries (5 attempts, backoff from 100 ms to 2 s, with
/// jitter) and bounded waits: 5 s to connect, 30 s for an answer once the
/// request is sent. Both are measured inside the run's budget of calls in
/// flight, so time spent waiting for a place is not a timeout (the read's
/// deadlines bound it). An action IAM keeps throttling gives up within a few
/// seconds, and the read stops there.
pub(super) async fn client(options: &ClientOptions) -> Result<Client, String> {
    // IAM is global; requests are signed for us-east-1 unless told otherwise.
    let region =
        RegionProviderChain::first_try(options.region.clone().map(aws_config::Region::new))
            .or_default_provider()
            .or_else(aws_config::Region::new("us-east-1"));
    Ok(Client::new(&config(options, region).await?))
}

/// The run's own configuration (credentials checked), from which each member
/// account's role is assumed; STS is called at its regional endpoint.
pub(super) async fn base(options: &ClientOptions) -> Result<aws_config::SdkConfig, String> {
    let region =
        RegionProviderChain::first_try(options.region.clone().map(aws_config::Region::new))
            .or_default_provider()
            .or_else(aws_config::Region::new("us-east-1"));
    config(options, region).await
}

/// CloudTrail in us-east-1, where IAM's events are recorded (since November
/// 2021), whatever region the profile names.
pub(super) async fn cloudtrail(
    options: &ClientOptions,
) -> Result<aws_sdk_cloudtrail::Client, String> {
    let region = RegionProviderChain::first_try(aws_config::Region::new("us-east-1"));
    Ok(aws_sdk_cloudtrail::Client::new(
        &config(options, region).await?,
    ))
}

/// The shared configuration: credentials (checked once), retries, timeouts.
async fn config(
    options: &ClientOptions,
    region: RegionProviderChain,
) -> Result<aws_config::SdkConfig, String> {
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(region)
        .retry_config(
            aws_config::retry::RetryConfig::standard()
                .with_max_attempts(5)
                .with_initial_backoff(Duration::from_millis(100))
                .with_max_backoff(Duration::from_secs(2)),
        )
        .timeout_config(
            aws_config::timeout::TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(5))
                .read_timeout(Duration::from_secs(30))
                .build(),
        )
        // IAM's requests are small bodies sent at once: a request waiting for
        // its place in the budget has sent nothing, and is not stalled.
        .stalled_stream_protection(
            aws_config::stalled_stream_protection::StalledStreamProtectionConfig::enabled()
                .upload_enabled(false)
                .build(),
        );
    if let Some(profile) = &options.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &options.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if let Some(budget) = &options.budget {
        let Some(http) = budget.http_client() else {
            return Err("this build of drift has no HTTPS client".to_string());
        };
        loader = loader.http_client(http);
    }
    let config = loader.load().await;
    // Credentials first: without them every call would fail the same way.
    let Some(provider) = config.credentials_provider() else {
        return Err("no AWS credentials provider is configured".to_string());
    };
    if let Err(e) = provider.provide_credentials().await {
        return Err(credentials_problem(&e, options.profile.as_deref()));
    }
    Ok(config)
}

/// Why no credentials could be had, in one line.
fn credentials_problem(e: &CredentialsError, profile: Option<&str>) -> String {
    let mut chain = Vec::new();
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(err) = source {
        let text = err.to_string();
        if !text.is_empty() && !chain.iter().any(|c: &String| c.contains(&text)) {
            chain.push(text);
        }
        source = err.source();
    }
    let full = chain.join(": ").replace('\n', " ");
    let detail = if full.chars().count() > 240 {
        format!("{}…", full.chars().take(240).collect::<String>())
    } else {
        full.clone()
    };
    match (e, profile) {
        (_, Some(p)) => {
            // The SDK says why deep in its chain: keep that clause.
            let named = format!("profile `{p}`");
            match full.find(&named) {
                Some(i) => {
                    let clause = &full[i..];
                    let end = clause.find([':', ';', '\n']).unwrap_or(clause.len());
                    format!("no credentials for profile `{p}`: {}", clause[..end].trim_end_matches('…'))
                }
                None => format!("no credentials for profile `{p}`: {detail}"),
            }
        }
        (CredentialsError::CredentialsNotLoaded(_), None) => {
            "no AWS credentials were found (environment, shared config and credentials files, web identity, container or instance metadata)".to_string()
        }
        _ => format!("the AWS credentials could not be loaded: {detail}"),
    }
}
