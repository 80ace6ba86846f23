//! The root user: no active access key, and MFA, when the baseline says so.

use super::Cx;
use crate::baseline::Baseline;
use crate::identity::{Kind, ResourceId, RuleId};
use crate::state::IamState;
use crate::time;
use serde_json::json;

pub(super) fn check(cx: &mut Cx, baseline: &Baseline, state: &IamState) {
    let Some(spec) = baseline.account.as_ref().and_then(|a| a.root.as_ref()) else {
        return;
    };
    let guarded = spec.access_keys.as_ref().is_some_and(|k| !k.value)
        || spec.mfa.as_ref().is_some_and(|m| m.value);
    if !guarded {
        return;
    }
    let Some(obj) = &state.root else {
        // Plans and states cannot see the root user.
        cx.out_of_scope();
        return;
    };
    let Some(root) = &obj.value else { return };
    let resource = ResourceId::setting(Kind::Root);
    let used = |t: Option<i64>| t.map_or_else(|| "never".to_string(), time::date);
    if let Some(keys) = spec.access_keys.as_ref().filter(|k| !k.value) {
        if root.active_keys > 0 {
            cx.draft(
                RuleId::ROOT_ACCESS_KEY_UNMANAGED,
                resource.clone(),
                &obj.origin,
                format!(
                    "the root user has {} active access key{} (last used: {}), the baseline says it has none",
                    root.active_keys,
                    if root.active_keys == 1 { "" } else { "s" },
                    used(root.key_last_used)
                ),
            )
            .field("access_keys")
            .expected(json!(false))
            .observed(json!({
                "active_keys": root.active_keys,
                "key_last_used": root.key_last_used.map(time::date),
            }))
            .at(keys.loc)
            .push();
        }
    }
    if let Some(mfa) = spec.mfa.as_ref().filter(|m| m.value) {
        if !root.mfa {
            cx.draft(
                RuleId::ROOT_MFA_REMOVED,
                resource,
                &obj.origin,
                format!(
                    "the root user has no MFA device, the baseline requires one (password last used: {})",
                    used(root.password_last_used)
                ),
            )
            .field("mfa")
            .expected(json!("required"))
            .observed(json!({
                "mfa": false,
                "password_last_used": root.password_last_used.map(time::date),
            }))
            .at(mfa.loc)
            .push();
        }
    }
}
