//! Keys of users declared by id, with a status: SSH public keys and access
//! keys. An exact set: a declared key that is gone, a status that differs, a
//! key the baseline does not declare (also one whose id is known only after
//! apply) and a status known only after apply.

use super::{collection_origin, Cx};
use crate::baseline::{KeySpec, Sp};
use crate::finding::Severity;
use crate::identity::{Kind, Name, ResourceId, RuleId};
use crate::state::{Members, Obj};
use serde_json::json;

/// One kind of key: its rules and what losing or reopening it means.
pub(super) struct Credential {
    pub kind: Kind,
    pub removed: RuleId,
    pub changed: RuleId,
    pub unmanaged: RuleId,
    pub unknown: RuleId,
    /// What the deletion or deactivation of a key cuts.
    pub lost: &'static str,
    /// How the plan adds a key (`uploads`, `creates`).
    pub added: &'static str,
    /// Whether an undeclared key on a user declared with none is high.
    pub none_declared_is_high: bool,
}

/// What a key's state holds that the comparison reads.
pub(super) trait Key {
    fn status(&self) -> Option<&str>;
}

pub(super) fn key_id(kind: Kind, user: &str, id: Name) -> ResourceId {
    ResourceId::object(Kind::User, user).child(kind, id)
}

pub(super) fn check<K: Key>(
    cx: &mut Cx,
    c: &Credential,
    user: &str,
    want: &Sp<Vec<KeySpec>>,
    have: &Members<K>,
) {
    let noun = c.kind.noun();
    for key in &want.value {
        let resource = key_id(c.kind, user, Name::Known(key.id.clone()));
        let id = &key.id;
        match have.items.get(id) {
            Some(o @ Obj { value: Some(k), .. }) => {
                let Some(status) = &key.status else { continue };
                let expected = status.value.as_str();
                if o.unknown.contains("status") {
                    cx.draft(
                        c.unknown,
                        resource,
                        &o.origin,
                        format!(
                            "the status of {noun} `{id}` of user `{user}` is known only after apply"
                        ),
                    )
                    .field("status")
                    .expected(json!(expected))
                    .at(status.loc)
                    .push();
                } else if let Some(got) = k.status().filter(|g| *g != expected) {
                    let effect = if got == "Active" {
                        "a key the baseline keeps closed works again"
                    } else {
                        c.lost
                    };
                    cx.draft(
                        c.changed,
                        resource,
                        &o.origin,
                        format!(
                            "{noun} `{id}` of user `{user}` is {got}, the baseline expects {expected}: {effect}"
                        ),
                    )
                    .field("status")
                    .expected(json!(expected))
                    .observed(json!(got))
                    .at(status.loc)
                    .push();
                }
            }
            found => {
                let origin = match found {
                    Some(o) => o.origin.clone(),
                    None if have.complete => collection_origin(have.origin.as_ref()),
                    None => continue,
                };
                cx.draft(
                    c.removed,
                    resource,
                    &origin,
                    format!("{noun} `{id}` of user `{user}` is deleted: {}", c.lost),
                )
                .expected(
                    json!({"id": id, "status": key.status.as_ref().map(|s| s.value.as_str())}),
                )
                .at(key.loc)
                .push();
            }
        }
    }
    let none = want.value.is_empty();
    let severity = if none && c.none_declared_is_high {
        Severity::High
    } else {
        crate::rules::get(c.unmanaged).severity
    };
    let declared = if none {
        format!("the baseline declares no {noun} for this user")
    } else {
        "the baseline does not declare it".to_string()
    };
    for (id, o) in &have.items {
        let Some(k) = &o.value else { continue };
        if want.value.iter().any(|w| &w.id == id) {
            continue;
        }
        let status = k.status().unwrap_or("status unknown");
        cx.draft(
            c.unmanaged,
            key_id(c.kind, user, Name::Known(id.clone())),
            &o.origin,
            format!("user `{user}` has {noun} `{id}` ({status}): {declared}"),
        )
        .severity(severity)
        .observed(json!({"id": id, "status": k.status()}))
        .at(want.loc)
        .push();
    }
    for o in &have.unknown {
        cx.draft(
            c.unmanaged,
            key_id(c.kind, user, Name::AfterApply(o.origin.address().to_string())),
            &o.origin,
            format!(
                "the plan {} a new {noun} for user `{user}` (its id is known only after apply): {declared}",
                c.added
            ),
        )
        .severity(severity)
        .at(want.loc)
        .push();
    }
}
