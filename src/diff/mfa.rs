//! MFA of users: a user the baseline requires MFA for has a device.

use super::objects::Subject;
use super::Cx;
use crate::baseline::Sp;
use crate::identity::RuleId;
use serde_json::json;

pub(super) fn check<O>(
    cx: &mut Cx,
    s: &Subject<O>,
    want: Option<&Sp<bool>>,
    devices: Option<usize>,
) {
    let Some(want) = want else { return };
    let name = s.name;
    match devices {
        Some(0) if want.value => cx
            .draft(
                RuleId::MFA_REMOVED,
                s.resource.clone(),
                &s.obj.origin,
                format!("user `{name}` has no MFA device, the baseline requires one"),
            )
            .field("mfa")
            .expected(json!("required"))
            .observed(json!(0))
            .at(want.loc)
            .push(),
        Some(_) => {}
        None if s.obj.unknown.contains("mfa") => cx
            .draft(
                RuleId::MFA_UNKNOWN,
                s.resource.clone(),
                &s.obj.origin,
                format!("whether user `{name}` has an MFA device is known only after apply"),
            )
            .field("mfa")
            .at(want.loc)
            .push(),
        None => {}
    }
}
