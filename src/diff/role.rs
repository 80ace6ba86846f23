//! Roles: what they share with users and groups, the trust policy, session
//! length and description.

use super::judged::{DocJudged, Verdicts};
use super::objects::{Declared, Ident, KindRules, Observed};
use super::{principal, Cx, SENSITIVE};
use crate::baseline::{Baseline, RoleSpec};
use crate::finding::Loc;
use crate::identity::{Kind, RuleId};
use crate::policy::risk::Concern;
use crate::policy::DocKind;
use crate::state::{IamState, Role};
use serde_json::{json, Value};
use std::collections::BTreeSet;

pub(super) static RULES: KindRules = KindRules {
    kind: Kind::Role,
    removed: RuleId::ROLE_REMOVED,
    changed: RuleId::ROLE_CHANGED,
    unmanaged: RuleId::ROLE_UNMANAGED,
    unknown: RuleId::ROLE_UNKNOWN,
    provisioned: Some(RuleId::ROLE_PROVISIONED),
};

impl Declared for RoleSpec {
    fn loc(&self) -> Loc {
        self.loc
    }
    fn pinned_id(&self) -> Option<&str> {
        self.id.as_ref().map(|i| i.value.as_str())
    }
}

impl Observed for Role {
    fn ident(&self) -> Ident<'_> {
        principal::ident(&self.principal)
    }
    fn trust_risk(&self, cx: &Cx, sensitive: &BTreeSet<&'static str>) -> Vec<Concern> {
        cx.trust_risk(self.assume_role_policy.as_ref(), sensitive)
    }
    fn risk(&self, cx: &Cx, sensitive: &BTreeSet<&'static str>) -> Vec<Concern> {
        cx.principal_risk(&self.principal, self.assume_role_policy.as_ref(), sensitive)
    }
    fn grants(&self, sensitive: &BTreeSet<&'static str>) -> Value {
        let mut out = principal::grants(&self.principal, sensitive);
        let trust = match &self.assume_role_policy {
            _ if sensitive.contains("assume_role_policy") => json!(SENSITIVE),
            Some(doc) => doc.value(),
            None => json!("(known only after apply)"),
        };
        out.insert("assume_role_policy".into(), trust);
        Value::Object(out)
    }
}

pub(super) fn check(cx: &mut Cx, baseline: &Baseline, state: &IamState) {
    for pair in cx.match_objects(&RULES, &baseline.roles, &state.roles) {
        let (s, spec, role) = (&pair.subject, pair.spec, pair.value);
        cx.principal(s, &spec.principal, &role.principal);
        if let Some(want) = &spec.assume_role_policy {
            if s.obj.unknown.contains("assume_role_policy") {
                cx.unknown_document(s, s.obj, "assume_role_policy", want.value.value(), want.loc);
            } else if let Some(got) = &role.assume_role_policy {
                if got != &want.value {
                    self_judge_trust(cx, s, &want.value, got, want.loc);
                }
            }
        }
        if let Some(want) = &spec.max_session_duration {
            cx.scalar(
                s,
                "max_session_duration",
                want,
                role.max_session_duration.as_ref(),
                |v| json!(v),
            );
        }
        if let Some(want) = &spec.description {
            cx.scalar(s, "description", want, role.description.as_ref(), |v| {
                json!(v)
            });
        }
    }
}

/// The trust policy against the baseline's.
fn self_judge_trust(
    cx: &mut Cx,
    s: &super::objects::Subject<Role>,
    want: &crate::policy_doc::PolicyDoc,
    got: &crate::policy_doc::PolicyDoc,
    loc: Loc,
) {
    cx.judged_doc(
        s,
        s.obj,
        DocJudged {
            kind: DocKind::Trust,
            rules: Verdicts {
                widened: RuleId::ROLE_TRUST_WIDENED,
                narrowed: RuleId::ROLE_TRUST_NARROWED,
                changed: RuleId::ROLE_CHANGED,
            },
            field: "assume_role_policy",
            what: format!("the trust policy of role `{}`", s.name),
            want: Some(want),
            got: Some(got),
            loc,
        },
    );
}
