//! The IAM client: credentials, region, endpoint, retries and timeouts.

use aws_config::meta::region::RegionProviderChain;
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
}

/// A client with standard retries (5 attempts, backoff from 100 ms to 2 s, with
/// jitter) and bounded waits: 5 s to connect, 30 s per attempt. An action IAM
/// keeps throttling gives up within a few seconds, and the read stops there.
pub(super) async fn client(options: &ClientOptions) -> Client {
    // IAM is global; requests are signed for us-east-1 unless told otherwise.
    let region =
        RegionProviderChain::first_try(options.region.clone().map(aws_config::Region::new))
            .or_default_provider()
            .or_else(aws_config::Region::new("us-east-1"));
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
                .operation_attempt_timeout(Duration::from_secs(30))
                .build(),
        );
    if let Some(profile) = &options.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &options.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    let config = loader.load().await;
    Client::new(&config)
}
