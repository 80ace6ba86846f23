//! An IAM client per member account, through STS AssumeRole (aws-config's
//! assume-role provider) from the run's own credentials.
//!
//! The role is assumed once before the account's first call, so that a refusal
//! is the account's status and not an unread section per call; the SDK's
//! identity cache then renews the session five minutes before it expires, so
//! that a read longer than the session goes on. Sessions are asked for one
//! hour: the most AWS allows a role assumed with a role's credentials (role
//! chaining, as in GitHub Actions), so the length never fails the call.

use aws_config::sts::AssumeRoleProvider;
use aws_credential_types::provider::{self, future, ProvideCredentials, SharedCredentialsProvider};
use aws_credential_types::Credentials;
use aws_sdk_iam::Client;
use std::sync::Mutex;
use std::time::Duration;

/// The session length asked for: the cap of role chaining.
const SESSION: Duration = Duration::from_secs(3600);

/// How an account's role is reached.
#[derive(Debug, Clone)]
pub struct RoleTarget {
    pub role_arn: String,
    /// Never printed.
    pub external_id: Option<String>,
    pub session_name: String,
}

/// A provider that hands out the credentials it was primed with once, then
/// asks the role again: the first AssumeRole both checks the role and serves
/// the first calls.
#[derive(Debug)]
struct Primed {
    first: Mutex<Option<Credentials>>,
    role: AssumeRoleProvider,
}

impl ProvideCredentials for Primed {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        let first = self.first.lock().ok().and_then(|mut f| f.take());
        match first {
            Some(c) => future::ProvideCredentials::ready(Ok(c)),
            None => self.role.provide_credentials(),
        }
    }
}

/// A client of the account behind `target`, or why the role could not be
/// assumed (one line, without the external id).
pub(super) async fn client(
    base: &aws_config::SdkConfig,
    target: &RoleTarget,
) -> Result<Client, String> {
    let mut builder = AssumeRoleProvider::builder(&target.role_arn)
        .session_name(&target.session_name)
        .session_length(SESSION)
        .configure(base);
    if let Some(id) = &target.external_id {
        builder = builder.external_id(id);
    }
    let role = builder.build().await;
    let first = role
        .provide_credentials()
        .await
        .map_err(|e| refusal(&e, target))?;
    let primed = Primed {
        first: Mutex::new(Some(first)),
        role,
    };
    let config = base
        .to_builder()
        .credentials_provider(SharedCredentialsProvider::new(primed))
        .identity_cache(
            aws_config::identity::IdentityCache::lazy()
                .buffer_time(Duration::from_secs(300))
                .build(),
        )
        .build();
    Ok(Client::new(&config))
}

/// Why AssumeRole failed, in one line: STS's code and message when it
/// answered, else the chain of causes; the external id is masked wherever it
/// would appear.
fn refusal(e: &provider::error::CredentialsError, target: &RoleTarget) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(err) = source {
        let text = err.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = err.source();
    }
    // The innermost cause says most (STS's own error).
    let mut text = parts
        .iter()
        .rev()
        .find(|p| !p.contains("dispatch failure") && !p.contains("service error"))
        .cloned()
        .unwrap_or_else(|| parts.join(": "));
    text = text.replace('\n', " ");
    if let Some(id) = &target.external_id {
        text = text.replace(id.as_str(), "***");
    }
    if text.chars().count() > 300 {
        text = format!("{}…", text.chars().take(300).collect::<String>());
    }
    format!("sts:AssumeRole of {} refused: {text}", target.role_arn)
}
