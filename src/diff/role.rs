//! Roles: what they share with users and groups, the trust policy, session
//! length and description.

use super::fields::DocChange;
use super::objects::{Declared, Ident, KindRules, Observed};
use super::{principal, Cx, SENSITIVE};
use crate::baseline::{Baseline, RoleSpec};
use crate::finding::Loc;
use crate::identity::{Kind, RuleId};
use crate::state::{IamState, Role};
use serde_json::{json, Value};
use std::collections::BTreeSet;

pub(super) static RULES: KindRules = KindRules {
    kind: Kind::Role,
    removed: RuleId::ROLE_REMOVED,
    changed: RuleId::ROLE_CHANGED,
    unmanaged: RuleId::ROLE_UNMANAGED,
    unknown: RuleId::ROLE_UNKNOWN,
    always_unmanaged: false,
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
    fn exempt(&self) -> bool {
        // Service-linked roles belong to AWS services, not to the baseline.
        self.principal
            .path
            .as_deref()
            .is_some_and(|p| p.starts_with("/aws-service-role/"))
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
                cx.unknown(s, s.obj, "assume_role_policy", want.value.value(), want.loc);
            } else if let Some(got) = &role.assume_role_policy {
                if got != &want.value {
                    cx.doc_changed(
                        s,
                        s.obj,
                        DocChange {
                            rule: RuleId::ROLE_CHANGED,
                            field: "assume_role_policy",
                            message: format!(
                                "the trust policy of role `{}` differs from the baseline: check who may assume it now",
                                s.name
                            ),
                            want: &want.value,
                            got,
                            loc: want.loc,
                        },
                    );
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
