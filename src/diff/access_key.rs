//! Access keys of users: an exact set of key ids, each with its status, and
//! the age of active keys (`settings.max_key_age_days`).

use super::keys::{self, key_id, Credential, Key};
use super::Cx;
use crate::baseline::{Baseline, KeySpec, Sp};
use crate::identity::{Kind, Name, RuleId};
use crate::state::{AccessKey, IamState, Members};
use crate::time;
use serde_json::{json, Value};

static ACCESS: Credential = Credential {
    kind: Kind::AccessKey,
    removed: RuleId::ACCESS_KEY_REMOVED,
    changed: RuleId::ACCESS_KEY_CHANGED,
    unmanaged: RuleId::ACCESS_KEY_UNMANAGED,
    unknown: RuleId::ACCESS_KEY_UNKNOWN,
    lost: "whatever signs with it is refused",
    added: "creates",
    none_declared_is_high: true,
};

impl Key for AccessKey {
    fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }
}

pub(super) fn check(cx: &mut Cx, user: &str, want: &Sp<Vec<KeySpec>>, have: &Members<AccessKey>) {
    keys::check(cx, &ACCESS, user, want, have);
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
                key_id(Kind::AccessKey, user, Name::Known(id.clone())),
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
