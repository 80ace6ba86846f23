//! Risky IAM changes in CloudTrail, classified with the rule ids and severities
//! of the drift they cause, with or without a baseline (`drift events`).

use super::touches::{entry, touches};
use super::Event;
use crate::baseline::Baseline;
use crate::finding::Severity;
use crate::identity::{Kind, ResourceId, RuleId};
use crate::kinds::Shape;
use crate::rules;
use crate::state::PpField;

/// One risky change.
#[derive(Debug, Clone, PartialEq)]
pub struct Classified {
    pub rule: RuleId,
    pub severity: Severity,
    pub resource: ResourceId,
    pub message: String,
    /// Whether it touches an object the baseline declares.
    pub declared: bool,
    /// What a judged policy document newly allows (or no longer allows).
    pub witnesses: Vec<crate::finding::Witness>,
}

fn kind_rule(kind: Kind, change: &str) -> Option<RuleId> {
    RuleId::parse(&format!("{}-{change}", kind.as_str()))
}

/// The rule an event's change falls under, by its name.
fn rule_of(e: &Event, resource: &ResourceId) -> Option<RuleId> {
    let kind = resource.leaf_kind();
    let name = e.name.as_str();
    let change = if name.starts_with("Delete") {
        "removed"
    } else if name.starts_with("Create") || name.starts_with("Upload") {
        "unmanaged"
    } else {
        "changed"
    };
    match (name, kind) {
        ("DeactivateMFADevice" | "DeleteVirtualMFADevice", Kind::Root) => {
            Some(RuleId::ROOT_MFA_REMOVED)
        }
        ("DeactivateMFADevice" | "DeleteVirtualMFADevice", Kind::User) => Some(RuleId::MFA_REMOVED),
        ("CreateAccessKey", Kind::Root) => Some(RuleId::ROOT_ACCESS_KEY_UNMANAGED),
        ("CreateAccessKey", _) => Some(RuleId::ACCESS_KEY_UNMANAGED),
        ("CreatePolicyVersion" | "SetDefaultPolicyVersion" | "DeletePolicyVersion", _) => {
            Some(RuleId::POLICY_CHANGED)
        }
        ("CreateLoginProfile", _) => Some(RuleId::LOGIN_PROFILE_UNMANAGED),
        ("DeleteLoginProfile", _) => Some(RuleId::LOGIN_PROFILE_REMOVED),
        ("CreateAccountAlias" | "DeleteAccountAlias", _) => Some(RuleId::ACCOUNT_CHANGED),
        // Policies attached to, or put on, a principal change the principal.
        (n, Kind::User | Kind::Group | Kind::Role)
            if n.ends_with("Policy") || n.ends_with("PermissionsBoundary") =>
        {
            kind_rule(kind, "changed")
        }
        ("CreateInstanceProfile", _) => Some(RuleId::INSTANCE_PROFILE_UNMANAGED),
        // A service-linked role is AWS's by definition (its path says so).
        ("CreateServiceLinkedRole", _) => Some(RuleId::ROLE_PROVISIONED),
        ("EnableMFADevice" | "ConsoleLogin" | "UpdateLoginProfile", _) => None,
        _ => kind_rule(kind, change),
    }
}

/// The fields UpdateAccountPasswordPolicy sets (with their values), and those
/// it leaves out, which the call resets.
fn set_fields(e: &Event) -> (Vec<String>, Vec<&'static str>) {
    let mut set = Vec::new();
    let mut reset = Vec::new();
    for f in PpField::ALL {
        // `minimum_password_length` is `minimumPasswordLength` in the call.
        let mut key = String::new();
        for (i, word) in f.name().split('_').enumerate() {
            let mut c = word.chars();
            if let (true, Some(first)) = (i > 0, c.next()) {
                key.push(first.to_ascii_uppercase());
                key.push_str(c.as_str());
            } else {
                key.push_str(word);
            }
        }
        match e.request.get(&key) {
            Some(v) if !v.is_null() => set.push(format!("{} {v}", f.name())),
            _ => reset.push(f.name()),
        }
    }
    (set, reset)
}

/// What an event did, in words (who did it is the event's line).
fn describe(e: &Event, resource: &ResourceId) -> String {
    match e.name.as_str() {
        "UpdateAccountPasswordPolicy" => {
            let (set, reset) = set_fields(e);
            let mut m = format!("set the password policy to {}", set.join(", "));
            if !reset.is_empty() {
                m.push_str(&format!(
                    "; left out, so reset to AWS's defaults: {}",
                    reset.join(", ")
                ));
            }
            m
        }
        "UpdateUser" => match (e.req("newUserName"), e.req("newPath")) {
            (Some(new), _) => format!("renamed `{resource}` to `{new}`"),
            (None, Some(path)) => format!("moved `{resource}` to path `{path}`"),
            _ => format!("updated `{resource}`"),
        },
        "CreateAccessKey" => format!("created an access key for `{resource}`"),
        name => format!("{name} on `{resource}`"),
    }
}

/// A resource the record does not name.
fn unnamed(kind: Kind) -> ResourceId {
    let missing = "(not in the record)";
    match crate::kinds::entry(kind).shape {
        Shape::Part(of) => match crate::kinds::entry(of).shape {
            Shape::Setting => ResourceId::setting(of),
            _ => ResourceId::object(of, missing),
        }
        .child(kind, crate::identity::Name::Known(missing.into())),
        Shape::Setting => ResourceId::setting(kind),
        Shape::Object | Shape::Rules => ResourceId::object(kind, missing),
    }
}

/// The risky change of a successful event, if it is one.
pub fn classify(e: &Event, baseline: Option<&Baseline>) -> Option<Classified> {
    // A call that failed changed nothing.
    if !e.succeeded() {
        return None;
    }
    // The most specific resource: a key rather than its user. A record that
    // does not name it (`requestParameters: null`) still says what kind.
    let entry = entry(&e.name)?;
    let resources = touches(e);
    let resource = match resources
        .iter()
        .find(|r| r.sub().is_some())
        .or_else(|| resources.first())
    {
        Some(r) => r.clone(),
        None => unnamed(entry.kind),
    };
    if let Some(j) = super::judge::judge(e, &resource, baseline) {
        return Some(Classified {
            rule: j.rule,
            severity: j.severity,
            declared: baseline.is_some_and(|b| crate::kinds::declared(b, &resource)),
            message: j.message,
            witnesses: j.witnesses,
            resource,
        });
    }
    let rule = rule_of(e, &resource)?;
    let mut severity = rules::get(rule).severity;
    if rule == RuleId::ACCESS_KEY_UNMANAGED {
        // A key for somebody else is the classic persistence step.
        let for_self = e.actor.user_name.as_deref() == resource.name().map(|n| n.as_str())
            && e.actor.kind.as_deref() == Some("IAMUser");
        if !for_self {
            severity = Severity::High;
        }
    }
    if rule == RuleId::PASSWORD_POLICY_CHANGED && !set_fields(e).1.is_empty() {
        // Fields left out are reset to AWS's weakest defaults.
        severity = Severity::High;
    }
    Some(Classified {
        message: describe(e, &resource),
        declared: baseline.is_some_and(|b| crate::kinds::declared(b, &resource)),
        rule,
        severity,
        resource,
        witnesses: Vec::new(),
    })
}
