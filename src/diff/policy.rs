//! Customer managed policies: path, description and the default version's
//! document.

use super::judged::{permission_rules, DocJudged};
use super::objects::{Declared, Ident, KindRules, Observed};
use super::{Cx, SENSITIVE};
use crate::baseline::{Baseline, PolicySpec};
use crate::finding::Loc;
use crate::identity::{Kind, RuleId};
use crate::policy::risk::Concern;
use crate::policy::DocKind;
use crate::state::{IamState, ManagedPolicy};
use serde_json::{json, Value};
use std::collections::BTreeSet;

pub(super) static RULES: KindRules = KindRules {
    kind: Kind::Policy,
    removed: RuleId::POLICY_REMOVED,
    changed: RuleId::POLICY_CHANGED,
    unmanaged: RuleId::POLICY_UNMANAGED,
    unknown: RuleId::POLICY_UNKNOWN,
    provisioned: Some(RuleId::POLICY_PROVISIONED),
};

impl Declared for PolicySpec {
    fn loc(&self) -> Loc {
        self.loc
    }
}

impl Observed for ManagedPolicy {
    fn ident(&self) -> Ident<'_> {
        Ident {
            path: self.path.as_deref(),
            managed: true,
            ..Ident::default()
        }
    }
    fn risk(&self, cx: &Cx, sensitive: &BTreeSet<&'static str>) -> Vec<Concern> {
        let Some(doc) = &self.document else {
            return Vec::new();
        };
        cx.rate(DocKind::Permissions, doc)
            .concerns
            .iter()
            .map(|c| Concern {
                severity: c.severity,
                what: if sensitive.contains("document") {
                    "its document grants privileged access (sensitive: not shown)".to_string()
                } else {
                    c.what.clone()
                },
            })
            .collect()
    }
    fn grants(&self, sensitive: &BTreeSet<&'static str>) -> Value {
        let document = match &self.document {
            _ if sensitive.contains("document") => json!(SENSITIVE),
            Some(doc) => doc.value(),
            None => json!("(known only after apply)"),
        };
        json!({ "document": document })
    }
}

pub(super) fn check(cx: &mut Cx, baseline: &Baseline, state: &IamState) {
    for pair in cx.match_objects(&RULES, &baseline.policies, &state.policies) {
        let (s, spec, policy) = (&pair.subject, pair.spec, pair.value);
        if let Some(want) = &spec.path {
            cx.scalar(s, "path", want, policy.path.as_ref(), |v| json!(v));
        }
        if let Some(want) = &spec.description {
            cx.scalar(s, "description", want, policy.description.as_ref(), |v| {
                json!(v)
            });
        }
        if let Some(want) = &spec.document {
            if s.obj.unknown.contains("document") {
                cx.unknown_document(s, s.obj, "document", want.value.value(), want.loc);
            } else if let Some(got) = &policy.document {
                if got != &want.value {
                    cx.judged_doc(
                        s,
                        s.obj,
                        DocJudged {
                            kind: DocKind::Permissions,
                            rules: permission_rules(Kind::Policy, RuleId::POLICY_CHANGED),
                            field: "document",
                            what: format!("the document of customer managed policy `{}`", s.name),
                            want: Some(&want.value),
                            got: Some(got),
                            loc: want.loc,
                        },
                    );
                }
            }
        }
    }
}
