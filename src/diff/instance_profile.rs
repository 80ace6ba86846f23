//! Instance profiles: path and the role they hold.

use super::objects::{Declared, Ident, KindRules, Observed};
use super::Cx;
use crate::baseline::{Baseline, InstanceProfileSpec};
use crate::finding::Loc;
use crate::identity::{Kind, RuleId};
use crate::state::{IamState, InstanceProfile};
use serde_json::{json, Value};
use std::collections::BTreeSet;

pub(super) static RULES: KindRules = KindRules {
    kind: Kind::InstanceProfile,
    removed: RuleId::INSTANCE_PROFILE_REMOVED,
    changed: RuleId::INSTANCE_PROFILE_CHANGED,
    unmanaged: RuleId::INSTANCE_PROFILE_UNMANAGED,
    unknown: RuleId::INSTANCE_PROFILE_UNKNOWN,
    provisioned: None,
};

impl Declared for InstanceProfileSpec {
    fn loc(&self) -> Loc {
        self.loc
    }
}

impl Observed for InstanceProfile {
    fn ident(&self) -> Ident<'_> {
        Ident {
            id: self.id.as_deref(),
            path: self.path.as_deref(),
            managed: true,
            ..Ident::default()
        }
    }
    fn grants(&self, _sensitive: &BTreeSet<&'static str>) -> Value {
        let roles: Vec<&str> = self
            .roles
            .as_ref()
            .map(|r| r.present_names().collect())
            .unwrap_or_default();
        json!({ "roles": roles })
    }
}

pub(super) fn check(cx: &mut Cx, baseline: &Baseline, state: &IamState) {
    for pair in cx.match_objects(
        &RULES,
        &baseline.instance_profiles,
        &state.instance_profiles,
    ) {
        let (s, spec, profile) = (&pair.subject, pair.spec, pair.value);
        if let Some(want) = &spec.path {
            cx.scalar(s, "path", want, profile.path.as_ref(), |v| json!(v));
        }
        if let Some(want) = &spec.roles {
            if s.obj.unknown.contains("roles") {
                let expected = json!(want.value.iter().map(|s| &s.value).collect::<Vec<_>>());
                cx.unknown(s, s.obj, "roles", expected, want.loc);
            } else if let Some(have) = &profile.roles {
                cx.name_set(s, "roles", "role", want, have);
            }
        }
    }
}
