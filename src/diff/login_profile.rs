//! Console access of users (the login profile).

use super::Cx;
use crate::baseline::Sp;
use crate::identity::{Kind, ResourceId, RuleId};
use crate::state::Obj;
use serde_json::json;

pub(super) fn check(cx: &mut Cx, user: &str, want: &Sp<bool>, have: &Obj<()>) {
    let resource = ResourceId::object(Kind::User, user);
    if have.unknown.contains("login_profile") {
        cx.draft(
            RuleId::LOGIN_PROFILE_UNKNOWN,
            resource,
            &have.origin,
            format!("whether user `{user}` has console access is known only after apply"),
        )
        .field("console_access")
        .expected(json!(want.value))
        .at(want.loc)
        .push();
        return;
    }
    let exists = have.value.is_some();
    if want.value && !exists {
        cx.draft(
            RuleId::LOGIN_PROFILE_REMOVED,
            resource,
            &have.origin,
            format!("user `{user}` has no login profile: console access is gone"),
        )
        .field("console_access")
        .expected(json!(true))
        .observed(json!(false))
        .at(want.loc)
        .push();
    } else if !want.value && exists {
        cx.draft(
            RuleId::LOGIN_PROFILE_UNMANAGED,
            resource,
            &have.origin,
            format!(
                "user `{user}` has a console password, the baseline keeps it out of the console"
            ),
        )
        .field("console_access")
        .expected(json!(false))
        .observed(json!(true))
        .at(want.loc)
        .push();
    }
}
