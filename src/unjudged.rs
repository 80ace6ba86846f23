//! Resources of a plan or state that no baseline of the run judges: they are
//! managed through a provider configuration whose account cannot be told, or
//! in an account the run has no baseline for. Each is a finding of its own,
//! never judged against another account's baseline.

use crate::finding::Finding;
use crate::identity::{Kind, ResourceId, RuleId};
use crate::origin::Origin;
use serde_json::json;

/// Where the unjudged resources are managed from.
#[derive(Debug, Clone, Copy)]
pub struct Provider<'a> {
    /// The provider configurations (`aws.audit`, `module.net:aws`).
    pub keys: &'a [String],
    /// The account, when it is known.
    pub account: Option<&'a str>,
    /// Why no baseline judges them, for people.
    pub reason: &'a str,
}

/// One `provider-unjudged` finding per resource (its plan address or state
/// address in `source`), about the provider configuration that manages it.
/// Help and triage are the caller's (the run's central policy).
pub fn findings(provider: Provider, resources: &[Origin]) -> Vec<Finding> {
    let rule = crate::rules::get(RuleId::PROVIDER_UNJUDGED);
    let name = if provider.keys.is_empty() {
        "(unknown)".to_string()
    } else {
        provider.keys.join(",")
    };
    let mut resource = ResourceId::object(Kind::Provider, name);
    if let Some(id) = provider.account {
        resource = resource.in_account(id);
    }
    // What a report shows as expected and observed: the judgment a resource
    // needs, and the account it is in (when known) without one.
    let expected = json!("judged against the baseline of its account");
    let observed = match provider.account {
        Some(id) => json!(format!("account {id}, which no baseline of the run is for")),
        None => json!("an account that cannot be told"),
    };
    resources
        .iter()
        .map(|origin| Finding {
            rule: rule.id,
            severity: rule.severity,
            resource: resource.clone(),
            field: Some(origin.address().to_string()),
            expected: expected.clone(),
            observed: observed.clone(),
            source: origin.clone(),
            baseline_location: None,
            message: format!("`{}` is not judged: {}", origin.address(), provider.reason),
            help: String::new(),
            diff: None,
            witnesses: Vec::new(),
            path: None,
        })
        .collect()
}
