//! CloudTrail events: who changed IAM, when, from where, and with what tool.
//! Pure: records are parsed from text ([`records`]), mapped to the resources
//! they touch ([`touches`]), classified with the rule ids ([`classify`]) and
//! attached to findings ([`attribute`]). Reading files and the LookupEvents
//! API is the sources' business.

pub mod attribute;
pub mod classify;
pub mod judge;
pub mod records;
pub mod touches;

use serde_json::Value;

/// One CloudTrail record of an IAM call (or a console sign-in), with what
/// drift reads of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub name: String,
    /// `iam.amazonaws.com`, `signin.amazonaws.com`, ...
    pub source: String,
    /// Seconds since the epoch.
    pub time: i64,
    /// The time as the record writes it.
    pub time_text: String,
    pub id: Option<String>,
    pub region: Option<String>,
    /// The account the call was made in (`recipientAccountId`).
    pub account: Option<String>,
    pub actor: Actor,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
    /// Set when the call failed: never a cause of drift.
    pub error: Option<String>,
    pub request: Value,
    pub response: Value,
}

/// Who made a call (`userIdentity`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Actor {
    /// `IAMUser`, `AssumedRole`, `Root`, `AWSService`, `FederatedUser`, ...
    pub kind: Option<String>,
    pub arn: Option<String>,
    pub principal_id: Option<String>,
    pub access_key_id: Option<String>,
    pub user_name: Option<String>,
    pub account: Option<String>,
    /// The role (or user) a session was issued by.
    pub issuer: Option<String>,
    /// For IAM Identity Center sessions, the person behind them.
    pub identity_center_user: Option<String>,
    /// An AWS service that called on the actor's behalf.
    pub invoked_by: Option<String>,
}

impl Actor {
    /// A short name for the actor, for messages.
    pub fn label(&self) -> String {
        if let Some(person) = &self.identity_center_user {
            return format!("{person} (IAM Identity Center)");
        }
        if self.kind.as_deref() == Some("Root") {
            return "the root user".to_string();
        }
        self.arn
            .clone()
            .or_else(|| self.principal_id.clone())
            .or_else(|| self.invoked_by.clone())
            .unwrap_or_else(|| "an unknown caller".to_string())
    }
}

/// What made a call, when its user agent says so.
pub fn caller(user_agent: &str, invoked_by: Option<&str>) -> Option<&'static str> {
    let ua = user_agent.to_ascii_lowercase();
    let by = invoked_by.unwrap_or("").to_ascii_lowercase();
    if ua.contains("opentofu") {
        Some("OpenTofu")
    } else if ua.contains("terraform") {
        Some("Terraform")
    } else if ua.contains("cloudformation") || by.contains("cloudformation") {
        Some("CloudFormation")
    } else if ua.starts_with("aws-cli/") || ua.contains(" aws-cli/") {
        Some("AWS CLI")
    } else if ua.contains("console.amazonaws.com")
        || ua.contains("signin.amazonaws.com")
        || ua.starts_with("aws internal")
        || ua.starts_with("mozilla/")
    {
        Some("AWS console")
    } else if ua.contains("boto3") || ua.contains("botocore") {
        Some("an AWS SDK (Python)")
    } else if ua.contains("aws-sdk-go") {
        Some("an AWS SDK (Go)")
    } else if ua.contains("aws-sdk-java") {
        Some("an AWS SDK (Java)")
    } else if ua.contains("aws-sdk-js") || ua.contains("aws-sdk-nodejs") {
        Some("an AWS SDK (JavaScript)")
    } else if ua.contains("aws-sdk-rust") {
        Some("an AWS SDK (Rust)")
    } else if ua.contains("aws-sdk") {
        Some("an AWS SDK")
    } else if ua.contains("amazonaws.com") {
        Some("an AWS service")
    } else {
        None
    }
}

impl Event {
    /// Whether the call succeeded (only those can cause drift).
    pub fn succeeded(&self) -> bool {
        self.error.is_none()
    }

    /// What made the call, when its user agent says so.
    pub fn caller(&self) -> Option<&'static str> {
        caller(
            self.user_agent.as_deref().unwrap_or(""),
            self.actor.invoked_by.as_deref(),
        )
    }

    /// A string request parameter.
    pub fn req(&self, key: &str) -> Option<&str> {
        self.request
            .get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    }

    /// A string in the response, at a path of keys.
    pub fn resp(&self, path: &[&str]) -> Option<&str> {
        let mut v = &self.response;
        for key in path {
            v = v.get(key)?;
        }
        v.as_str().filter(|s| !s.is_empty())
    }
}
