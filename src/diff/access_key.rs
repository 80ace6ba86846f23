//! Access keys of users: an exact set of key ids, each with its status, and
//! the age of active keys (`settings.max_key_age_days`).

use super::{collection_origin, Cx};
use crate::baseline::{Baseline, KeySpec, Sp};
use crate::finding::Severity;
use crate::identity::{Kind, Name, ResourceId, RuleId};
use crate::state::{AccessKey, IamState, Members, Obj};
use crate::time;
use serde_json::{json, Value};

fn key_id(user: &str, id: Name) -> ResourceId {
    ResourceId::object(Kind::User, user).child(Kind::AccessKey, id)
}

pub(super) fn check(cx: &mut Cx, user: &str, want: &Sp<Vec<KeySpec>>, have: &Members<AccessKey>) {
    for key in &want.value {
        let resource = key_id(user, Name::Known(key.id.clone()));
        match have.items.get(&key.id) {
            Some(o @ Obj { value: Some(k), .. }) => {
                let Some(status) = &key.status else { continue };
                if o.unknown.contains("status") {
                    cx.draft(
                        RuleId::ACCESS_KEY_UNKNOWN,
                        resource,
                        &o.origin,
                        format!(
                            "the status of access key `{}` of user `{user}` is known only after apply",
                            key.id
                        ),
                    )
                    .field("status")
                    .expected(json!(status.value.as_str()))
                    .at(status.loc)
                    .push();
                } else if let Some(got) =
                    k.status.as_deref().filter(|g| *g != status.value.as_str())
                {
                    let effect = if got == "Active" {
                        "a key the baseline keeps closed can sign requests again"
                    } else {
                        "whatever signs with it is refused"
                    };
                    cx.draft(
                        RuleId::ACCESS_KEY_CHANGED,
                        resource,
                        &o.origin,
                        format!(
                            "access key `{}` of user `{user}` is {got}, the baseline expects {}: {effect}",
                            key.id,
                            status.value.as_str()
                        ),
                    )
                    .field("status")
                    .expected(json!(status.value.as_str()))
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
                    RuleId::ACCESS_KEY_REMOVED,
                    resource,
                    &origin,
                    format!(
                        "access key `{}` of user `{user}` is deleted: whatever signs with it stops working",
                        key.id
                    ),
                )
                .expected(json!({"id": key.id, "status": key.status.as_ref().map(|s| s.value.as_str())}))
                .at(key.loc)
                .push();
            }
        }
    }
    // An undeclared key is worse on a user the baseline says has no key at all.
    let severity = if want.value.is_empty() {
        Severity::High
    } else {
        Severity::Medium
    };
    let declared = if want.value.is_empty() {
        "the baseline declares no access key for this user"
    } else {
        "the baseline does not declare it"
    };
    for (id, o) in &have.items {
        let Some(k) = &o.value else { continue };
        if want.value.iter().any(|w| &w.id == id) {
            continue;
        }
        let status = k.status.as_deref().unwrap_or("of unknown status");
        cx.draft(
            RuleId::ACCESS_KEY_UNMANAGED,
            key_id(user, Name::Known(id.clone())),
            &o.origin,
            format!("user `{user}` has access key `{id}` ({status}): {declared}"),
        )
        .severity(severity)
        .observed(json!({"id": id, "status": k.status}))
        .at(want.loc)
        .push();
    }
    for o in &have.unknown {
        cx.draft(
            RuleId::ACCESS_KEY_UNMANAGED,
            key_id(user, Name::AfterApply(o.origin.address().to_string())),
            &o.origin,
            format!(
                "the plan creates an access key for user `{user}` (its id is known only after apply): {declared}"
            ),
        )
        .severity(severity)
        .at(want.loc)
        .push();
    }
}

/// Active keys older than `settings.max_key_age_days`, on every user the source
/// shows keys for. Only a source that says when it was read can judge ages.
pub(super) fn stale(cx: &mut Cx, baseline: &Baseline, state: &IamState) {
    let Some(max) = &baseline.settings.max_key_age_days else {
        return;
    };
    let Some(now) = state.observed_at else {
        cx.out_of_scope();
        return;
    };
    for (user, obj) in &state.users.items {
        let Some(keys) = obj.value.as_ref().and_then(|u| u.access_keys.as_ref()) else {
            continue;
        };
        for (id, o) in &keys.items {
            let Some(k) = &o.value else { continue };
            let (Some("Active"), Some(created)) = (k.status.as_deref(), k.created) else {
                continue;
            };
            let age = time::days_between(created, now);
            if age <= u64::from(max.value) {
                continue;
            }
            let used = last_use(k);
            cx.draft(
                RuleId::ACCESS_KEY_STALE,
                key_id(user, Name::Known(id.clone())),
                &o.origin,
                format!(
                    "access key `{id}` of user `{user}` is {age} days old (created {}), the baseline \
allows {}; last used: {}",
                    time::date(created),
                    max.value,
                    used.text
                ),
            )
            .field("age_days")
            .expected(json!(max.value))
            .observed(json!({
                "age_days": age,
                "created": time::date(created),
                "last_used": used.json,
            }))
            .at(max.loc)
            .push();
        }
    }
}

struct Use {
    text: String,
    json: Value,
}

fn last_use(k: &AccessKey) -> Use {
    match &k.last_used {
        None => Use {
            text: "not known".to_string(),
            json: Value::Null,
        },
        Some(u) => match u.at {
            None => Use {
                text: "never".to_string(),
                json: json!("never"),
            },
            Some(at) => {
                let mut text = time::date(at);
                if let Some(service) = &u.service {
                    text.push_str(&format!(" ({service}"));
                    if let Some(region) = &u.region {
                        text.push_str(&format!(", {region}"));
                    }
                    text.push(')');
                }
                Use {
                    json: json!({"date": time::date(at), "service": u.service, "region": u.region}),
                    text,
                }
            }
        },
    }
}
