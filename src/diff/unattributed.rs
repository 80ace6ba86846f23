//! Policies that land on a user, group or role nobody can name before apply: the
//! plan attaches them to a principal whose name is known only after apply and
//! whose resource cannot be traced. The principal may be a declared one, so the
//! finding is a change that fails the default gate, whatever `settings.unmanaged`
//! says.

use super::{Cx, SENSITIVE};
use crate::identity::{Kind, ResourceId, RuleId};
use crate::state::{Grant, IamState};
use serde_json::{json, Value};

pub(super) fn check(cx: &mut Cx, state: &IamState) {
    for u in &state.unattributed {
        let (rule, noun) = match u.kind {
            Kind::User => (RuleId::USER_CHANGED, "user"),
            Kind::Group => (RuleId::GROUP_CHANGED, "group"),
            _ => (RuleId::ROLE_CHANGED, "role"),
        };
        let (field, what, observed) = match &u.grant {
            Grant::Inline { name, document } => {
                let name = name.as_deref().unwrap_or("(known after apply)");
                let doc = match document {
                    _ if u.sensitive => json!(SENSITIVE),
                    Some(d) => d.value(),
                    None => json!("(known after apply)"),
                };
                (
                    format!("inline_policies.{name}"),
                    format!("inline policy `{name}`"),
                    doc,
                )
            }
            Grant::Managed { arn } => {
                let shown = match arn {
                    _ if u.sensitive => SENSITIVE.to_string(),
                    Some(a) => a.clone(),
                    None => "(known after apply)".to_string(),
                };
                (
                    "managed_policies".to_string(),
                    format!("managed policy `{shown}`"),
                    Value::String(shown),
                )
            }
        };
        cx.draft(
            rule,
            ResourceId::after_apply(u.kind, u.origin.address()),
            &u.origin,
            format!(
                "the plan attaches {what} to a {noun} whose name is known only after apply and \
cannot be traced in the plan: it may be a {noun} the baseline declares; review what it grants"
            ),
        )
        .field(field)
        .observed(observed)
        .push();
    }
}
