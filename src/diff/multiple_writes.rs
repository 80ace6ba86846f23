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
use crate::identity::{Kind, ResourceId};
use crate::origin::Origin;
use crate::state::{IamState, MultipleWrites};

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
    let kind = crate::kinds::entry(w.kind);
    let Some(rule) = kind.changed else {
        return;
    };
    let is_declared = (kind.declared)(baseline, w.name.as_deref().unwrap_or(""));
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
        let at = severity.unwrap_or(crate::rules::get(rule).severity);
        if !is_declared && cx.quiets_undeclared(w.kind, at) {
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
