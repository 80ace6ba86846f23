//! Groups: what they share with users and roles.

use super::objects::{Declared, Ident, KindRules, Observed};
use super::{principal, Cx};
use crate::baseline::{Baseline, GroupSpec};
use crate::finding::Loc;
use crate::identity::{Kind, RuleId};
use crate::policy::risk::Concern;
use crate::state::{Group, IamState};
use serde_json::Value;
use std::collections::BTreeSet;

pub(super) static RULES: KindRules = KindRules {
    kind: Kind::Group,
    removed: RuleId::GROUP_REMOVED,
    changed: RuleId::GROUP_CHANGED,
    unmanaged: RuleId::GROUP_UNMANAGED,
    unknown: RuleId::GROUP_UNKNOWN,
    provisioned: None,
};

impl Declared for GroupSpec {
    fn loc(&self) -> Loc {
        self.loc
    }
}

impl Observed for Group {
    fn ident(&self) -> Ident<'_> {
        principal::ident(&self.principal)
    }
    fn risk(&self, cx: &Cx, sensitive: &BTreeSet<&'static str>) -> Vec<Concern> {
        cx.principal_risk(&self.principal, None, sensitive)
    }
    fn grants(&self, sensitive: &BTreeSet<&'static str>) -> Value {
        Value::Object(principal::grants(&self.principal, sensitive))
    }
}

pub(super) fn check(cx: &mut Cx, baseline: &Baseline, state: &IamState) {
    for pair in cx.match_objects(&RULES, &baseline.groups, &state.groups) {
        cx.principal(&pair.subject, &pair.spec.principal, &pair.value.principal);
    }
}
