//! What users, groups and roles have in common: path, permissions boundary,
//! tags, attached managed policies and inline policies.

use super::objects::{Ident, Subject};
use super::{self_observed, Cx, SENSITIVE};
use crate::baseline::PrincipalSpec;
use crate::identity::RuleId;
use crate::state::Principal;
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

/// The identity of a principal, for matching.
pub(super) fn ident(p: &Principal) -> Ident<'_> {
    Ident {
        id: p.id.as_deref(),
        previous_name: p.previous_name.as_deref(),
        path: p.path.as_deref(),
        managed: p.managed,
    }
}

/// What a principal grants: its managed and inline policies, as far as known.
pub(super) fn grants(p: &Principal, sensitive: &BTreeSet<&'static str>) -> Map<String, Value> {
    let mut out = Map::new();
    if let Some(set) = &p.managed_policies {
        let mut arns: Vec<Value> = set.present_names().map(|a| json!(a)).collect();
        arns.extend(
            set.unknown
                .iter()
                .map(|_| json!("(a policy known only after apply)")),
        );
        out.insert("managed_policies".into(), Value::Array(arns));
    }
    if let Some(docs) = &p.inline_policies {
        let mut map = Map::new();
        for (name, o) in &docs.items {
            if let Some(d) = &o.value {
                let shown = if o.sensitive.contains("policy") || sensitive.contains("policy") {
                    json!(SENSITIVE)
                } else {
                    d.value()
                };
                map.insert(name.clone(), shown);
            }
        }
        for (i, o) in docs.unknown.iter().enumerate() {
            let shown = match &o.value {
                _ if o.sensitive.contains("policy") => json!(SENSITIVE),
                Some(d) => d.value(),
                None => Value::Null,
            };
            map.insert(format!("(name known after apply #{})", i + 1), shown);
        }
        out.insert("inline_policies".into(), Value::Object(map));
    }
    out
}

impl Cx {
    /// Compares what users, groups and roles have in common.
    pub(super) fn principal<O>(&mut self, s: &Subject<O>, spec: &PrincipalSpec, p: &Principal) {
        let (noun, name, obj) = (s.rules.noun(), s.name, s.obj);
        if let Some(want) = &spec.path {
            self.scalar(s, "path", want, p.path.as_ref(), |w| json!(w));
        }
        if let Some(want) = &spec.permissions_boundary {
            if obj.unknown.contains("permissions_boundary") {
                self.unknown(s, obj, "permissions_boundary", json!(want.value), want.loc);
            } else if let Some(have) = &p.permissions_boundary {
                if *have != want.value {
                    let rule = match (&want.value, have) {
                        (Some(_), None) => RuleId::PERMISSIONS_BOUNDARY_REMOVED,
                        _ => s.rules.changed,
                    };
                    let message = match (&want.value, have) {
                        (Some(w), None) => format!("{noun} `{name}` lost its permissions boundary `{w}`: nothing caps its permissions any more"),
                        (None, Some(h)) => format!("{noun} `{name}` has permissions boundary `{h}`, the baseline declares none"),
                        (Some(w), Some(h)) => format!("{noun} `{name}` has permissions boundary `{h}` instead of `{w}`"),
                        (None, None) => String::new(),
                    };
                    self.draft(rule, s.resource.clone(), &obj.origin, message)
                        .field("permissions_boundary")
                        .expected(json!(want.value))
                        .observed(self_observed(obj, "permissions_boundary", json!(have)))
                        .at(want.loc)
                        .push();
                }
            }
        }
        if let Some(want) = &spec.tags {
            if obj.unknown.contains("tags") {
                self.unknown(s, obj, "tags", json!(want.value), want.loc);
            } else if let Some(have) = &p.tags {
                if *have != want.value {
                    self.draft(
                        s.rules.changed,
                        s.resource.clone(),
                        &obj.origin,
                        format!("the tags of {noun} `{name}` differ from the baseline"),
                    )
                    .field("tags")
                    .expected(json!(want.value))
                    .observed(self_observed(obj, "tags", json!(have)))
                    .at(want.loc)
                    .push();
                }
            }
        }
        if let (Some(want), Some(have)) = (&spec.managed_policies, &p.managed_policies) {
            self.attachments(s, want, have);
        }
        if let (Some(want), Some(have)) = (&spec.inline_policies, &p.inline_policies) {
            self.documents(s, want, have);
        }
    }
}
