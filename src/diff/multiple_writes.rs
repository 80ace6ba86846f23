//! One IAM object written by several resources of a plan. Two resources that
//! leave it in place conflict: the one applied last wins, and the plan does not
//! say which. One that deletes it and another that creates it (a refactor into
//! a module without a `moved` block) replace it, whatever the order of the
//! addresses: it is absent for a moment and comes back with a new unique id.
//! Resources that all leave an object as it is (no-op) make no call and do not
//! conflict.

use super::Cx;
use crate::baseline::Baseline;
use crate::finding::Severity;
use crate::identity::{Kind, ResourceId, RuleId};
use crate::origin::Origin;
use crate::state::{IamState, MultipleWrites};

/// The `changed` rule of the object a write is about.
fn changed_rule(kind: Kind) -> Option<RuleId> {
    Some(match kind {
        Kind::PasswordPolicy => RuleId::PASSWORD_POLICY_CHANGED,
        Kind::Account => RuleId::ACCOUNT_CHANGED,
        Kind::User => RuleId::USER_CHANGED,
        Kind::Group => RuleId::GROUP_CHANGED,
        Kind::Role => RuleId::ROLE_CHANGED,
        Kind::InstanceProfile => RuleId::INSTANCE_PROFILE_CHANGED,
        Kind::Policy => RuleId::POLICY_CHANGED,
        Kind::OidcProvider => RuleId::OIDC_PROVIDER_CHANGED,
        Kind::SamlProvider => RuleId::SAML_PROVIDER_CHANGED,
        Kind::SshKey
        | Kind::LoginProfile
        | Kind::Mfa
        | Kind::AccessKey
        | Kind::Root
        | Kind::RootAccessKey
        | Kind::RootMfa
        | Kind::UserPolicy
        | Kind::GroupPolicy
        | Kind::RolePolicy
        | Kind::RoleTrust
        | Kind::PermissionsBoundary
        | Kind::Guardrail
        | Kind::Baseline
        | Kind::Waiver => return None,
    })
}

fn declared(b: &Baseline, kind: Kind, name: Option<&str>) -> bool {
    let name = name.unwrap_or("");
    match kind {
        Kind::PasswordPolicy => b.password_policy.is_some(),
        Kind::Account => b.account.as_ref().is_some_and(|a| a.alias.is_some()),
        Kind::User => b.users.contains_key(name),
        Kind::Group => b.groups.contains_key(name),
        Kind::Role => b.roles.contains_key(name),
        Kind::InstanceProfile => b.instance_profiles.contains_key(name),
        Kind::Policy => b.policies.contains_key(name),
        Kind::OidcProvider => b.oidc_providers.contains_key(name),
        Kind::SamlProvider => b.saml_providers.contains_key(name),
        Kind::SshKey
        | Kind::LoginProfile
        | Kind::Mfa
        | Kind::AccessKey
        | Kind::Root
        | Kind::RootAccessKey
        | Kind::RootMfa
        | Kind::UserPolicy
        | Kind::GroupPolicy
        | Kind::RolePolicy
        | Kind::RoleTrust
        | Kind::PermissionsBoundary
        | Kind::Guardrail
        | Kind::Baseline
        | Kind::Waiver => false,
    }
}

fn addresses(origins: &[Origin]) -> String {
    origins
        .iter()
        .map(|o| format!("`{}`", o.address()))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn check(cx: &mut Cx, baseline: &Baseline, state: &IamState) {
    for w in &state.multiple_writes {
        report(cx, baseline, w);
    }
}

fn report(cx: &mut Cx, baseline: &Baseline, w: &MultipleWrites) {
    let Some(rule) = changed_rule(w.kind) else {
        return;
    };
    let is_declared = declared(baseline, w.kind, w.name.as_deref());
    let (resource, what) = match &w.name {
        Some(name) => (
            ResourceId::object(w.kind, name),
            format!("{} `{name}`", w.kind.noun()),
        ),
        None => (
            ResourceId::setting(w.kind),
            format!("the {}", w.kind.noun()),
        ),
    };
    let what = match &w.part {
        Some(part) => format!("`{part}` of {what}"),
        None => what,
    };
    // The password policy is account-wide: a wrong result weakens every user.
    let severity = (w.kind == Kind::PasswordPolicy).then_some(Severity::High);
    // Resources that all leave the object as it is make no call: no order.
    let writing = w.present.iter().any(|o| !o.is_noop());
    if w.present.len() >= 2 && writing {
        if !is_declared && !cx.reports_unmanaged() {
            return;
        }
        let message = format!(
            "{} resources write {what} ({}): the one applied last wins, and the plan does not \
say which; keep one resource per IAM object",
            w.present.len(),
            addresses(&w.present)
        );
        let mut draft = cx
            .draft(rule, resource, &w.present[0], message)
            .field(w.part.clone().unwrap_or_else(|| "conflict".to_string()));
        if let Some(s) = severity {
            draft = draft.severity(s);
        }
        draft.push();
    } else if let (Some(created), false, true) =
        (w.present.first(), w.deleted.is_empty(), is_declared)
    {
        let consequence = if w.kind == Kind::PasswordPolicy {
            "DeleteAccountPasswordPolicy and UpdateAccountPasswordPolicy may run in either order, \
so the account may be left with no custom password policy (AWS's default applies)"
        } else {
            "it is absent for a moment and comes back with a new unique id (policies that name \
the old one stop matching)"
        };
        let message = format!(
            "the plan deletes {what} at {} and creates it at `{}`: {consequence}; a `moved` block \
keeps it in place",
            addresses(&w.deleted),
            created.address()
        );
        let mut draft = cx
            .draft(rule, resource, created, message)
            .field(w.part.clone().unwrap_or_else(|| "replaced".to_string()));
        if let Some(s) = severity {
            draft = draft.severity(s);
        }
        draft.push();
    }
}
