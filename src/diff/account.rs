//! The account alias.

use super::Cx;
use crate::baseline::Baseline;
use crate::identity::{Kind, ResourceId, RuleId};
use crate::state::IamState;
use serde_json::json;

pub(super) fn check(cx: &mut Cx, baseline: &Baseline, state: &IamState) {
    let Some(spec) = &baseline.account else {
        return;
    };
    let Some(want) = &spec.alias else { return };
    let Some(obj) = &state.account_alias else {
        cx.out_of_scope();
        return;
    };
    let resource = ResourceId::setting(Kind::Account);
    if obj.unknown.contains("alias") {
        cx.draft(
            RuleId::ACCOUNT_UNKNOWN,
            resource,
            &obj.origin,
            format!(
                "the account alias is known only after apply; the baseline expects `{}`",
                want.value
            ),
        )
        .field("alias")
        .expected(json!(want.value))
        .at(want.loc)
        .push();
        return;
    }
    match &obj.value {
        None => cx
            .draft(
                RuleId::ACCOUNT_REMOVED,
                resource,
                &obj.origin,
                format!("the account alias `{}` is deleted", want.value),
            )
            .field("alias")
            .expected(json!(want.value))
            .at(want.loc)
            .push(),
        Some(alias) if *alias != want.value => cx
            .draft(
                RuleId::ACCOUNT_CHANGED,
                resource,
                &obj.origin,
                format!(
                    "the account alias is `{alias}`, the baseline expects `{}`",
                    want.value
                ),
            )
            .field("alias")
            .expected(json!(want.value))
            .observed(json!(alias))
            .at(want.loc)
            .push(),
        Some(_) => {}
    }
}
