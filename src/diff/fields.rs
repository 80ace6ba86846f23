//! Field comparators shared by the kinds: a scalar without direction, a value
//! known only after apply, an exact set of names, inline policy documents.

use super::judged::DocJudged;
use super::objects::Subject;
use super::{collection_origin, self_observed, show, Cx, SENSITIVE};
use crate::baseline::Sp;
use crate::finding::Loc;
use crate::identity::Kind;
use crate::policy::DocKind;
use crate::policy_doc::PolicyDoc;
use crate::state::{Members, NameSet, Obj};
use serde_json::{json, Value};
use std::collections::BTreeMap;

impl Cx {
    /// Compares one scalar field that has no direction.
    pub(super) fn scalar<T: PartialEq, O>(
        &mut self,
        s: &Subject<O>,
        field: &'static str,
        want: &Sp<T>,
        have: Option<&T>,
        to_json: impl Fn(&T) -> Value,
    ) {
        if s.obj.unknown.contains(field) {
            self.unknown(s, s.obj, field, to_json(&want.value), want.loc);
            return;
        }
        let Some(have) = have else { return };
        if *have == want.value {
            return;
        }
        let observed = self_observed(s.obj, field, to_json(have));
        let message = format!(
            "`{field}` of {} `{}` is {}, the baseline expects {}",
            s.rules.noun(),
            s.name,
            show(&observed),
            show(&to_json(&want.value)),
        );
        self.draft(s.rules.changed, s.resource.clone(), &s.obj.origin, message)
            .field(field)
            .expected(to_json(&want.value))
            .observed(observed)
            .at(want.loc)
            .push();
    }

    /// A field of the subject (or of an item of it, `obj`) known only after apply.
    pub(super) fn unknown<O, P>(
        &mut self,
        s: &Subject<O>,
        obj: &Obj<P>,
        field: &str,
        expected: Value,
        loc: Loc,
    ) {
        self.after_apply(s, obj, field, expected, loc, None);
    }

    /// A policy document known only after apply: drift cannot tell what it
    /// will grant, so it may widen (medium, like any document drift cannot
    /// judge).
    pub(super) fn unknown_document<O, P>(
        &mut self,
        s: &Subject<O>,
        obj: &Obj<P>,
        field: &str,
        expected: Value,
        loc: Loc,
    ) {
        self.after_apply(
            s,
            obj,
            field,
            expected,
            loc,
            Some(crate::finding::Severity::Medium),
        );
    }

    /// A value known only after apply; `may_widen` is the severity of a
    /// document's, which may grant more.
    fn after_apply<O, P>(
        &mut self,
        s: &Subject<O>,
        obj: &Obj<P>,
        field: &str,
        expected: Value,
        loc: Loc,
        may_widen: Option<crate::finding::Severity>,
    ) {
        let mut message = format!(
            "`{field}` of {} `{}` is known only after apply",
            s.rules.noun(),
            s.name
        );
        let mut draft = self.draft(
            s.rules.unknown,
            s.resource.clone(),
            &obj.origin,
            String::new(),
        );
        if let Some(severity) = may_widen {
            message
                .push_str(": it may widen what the baseline's grants (cannot tell before apply)");
            draft = draft.severity(severity);
        }
        draft
            .message(message)
            .field(field)
            .expected(expected)
            .at(loc)
            .push();
    }

    /// An exact set of names: missing and extra items are both drift.
    pub(super) fn name_set<O>(
        &mut self,
        s: &Subject<O>,
        field: &str,
        item_noun: &str,
        want: &Sp<Vec<Sp<String>>>,
        have: &NameSet,
    ) {
        let (noun, name) = (s.rules.noun(), s.name);
        let expected = json!(want.value.iter().map(|s| &s.value).collect::<Vec<_>>());
        let observed = json!(have.present_names().collect::<Vec<_>>());
        if let Some(o) = have.unknown.first() {
            if want.value.is_empty() {
                // Declared empty: an element of any value makes the set grow.
                self.draft(
                    s.rules.changed,
                    s.resource.clone(),
                    &o.origin,
                    format!(
                        "{noun} `{name}` gets {} {item_noun} known only after apply; the baseline declares none",
                        have.unknown.len()
                    ),
                )
                .field(field)
                .expected(expected.clone())
                .observed(json!("(known after apply)"))
                .at(want.loc)
                .push();
            } else {
                self.draft(
                    s.rules.unknown,
                    s.resource.clone(),
                    &o.origin,
                    format!("the {field} of {noun} `{name}` are known only after apply"),
                )
                .field(field)
                .expected(expected.clone())
                .at(want.loc)
                .push();
            }
        }
        for item in &want.value {
            let origin = match have.items.get(&item.value) {
                Some(Obj { value: Some(_), .. }) => continue,
                Some(o) => o.origin.clone(),
                None if have.complete => have.origin.clone().unwrap_or(s.obj.origin.clone()),
                None => continue,
            };
            let message = if s.rules.kind == Kind::InstanceProfile {
                format!(
                    "role `{}` is removed from instance profile `{name}`: instances using it lose those permissions",
                    item.value
                )
            } else {
                format!("{noun} `{name}` no longer has {item_noun} `{}`", item.value)
            };
            self.draft(s.rules.changed, s.resource.clone(), &origin, message)
                .field(field)
                .expected(expected.clone())
                .observed(observed.clone())
                .at(item.loc)
                .push();
        }
        for (item, o) in &have.items {
            if o.value.is_none() || want.value.iter().any(|w| &w.value == item) {
                continue;
            }
            self.draft(
                s.rules.changed,
                s.resource.clone(),
                &o.origin,
                format!(
                    "{noun} `{name}` has {item_noun} `{item}`, which the baseline does not declare"
                ),
            )
            .field(field)
            .expected(expected.clone())
            .observed(observed.clone())
            .at(want.loc)
            .push();
        }
    }

    /// Inline policies: an exact set of named documents, compared by meaning.
    pub(super) fn documents<O>(
        &mut self,
        s: &Subject<O>,
        want: &Sp<BTreeMap<String, Sp<PolicyDoc>>>,
        have: &Members<PolicyDoc>,
    ) {
        let (noun, name, changed) = (s.rules.noun(), s.name, s.rules.changed);
        for o in &have.unknown {
            let observed = match &o.value {
                _ if o.sensitive.contains("policy") => json!(SENSITIVE),
                Some(d) => d.value(),
                None => Value::Null,
            };
            // Declared empty: a policy of any name makes the set grow.
            let (rule, message) = if want.value.is_empty() {
                (
                    changed,
                    format!("{noun} `{name}` gets an inline policy whose name is known only after apply; the baseline declares none"),
                )
            } else {
                (
                    s.rules.unknown,
                    format!("an inline policy of {noun} `{name}` is known only after apply"),
                )
            };
            self.draft(rule, s.resource.clone(), &o.origin, message)
                .field("inline_policies")
                .observed(observed)
                .at(want.loc)
                .push();
        }
        let rules = super::judged::permission_rules(s.rules.kind, changed);
        for (pname, doc) in &want.value {
            let field = format!("inline_policies.{pname}");
            let what = format!("inline policy `{pname}` of {noun} `{name}`");
            match have.items.get(pname) {
                Some(o) if o.unknown.contains("policy") => {
                    self.unknown_document(s, o, &field, doc.value.value(), doc.loc);
                }
                Some(
                    o @ Obj {
                        value: Some(got), ..
                    },
                ) if got != &doc.value => self.judged_doc(
                    s,
                    o,
                    DocJudged {
                        kind: DocKind::Permissions,
                        rules,
                        field: &field,
                        what,
                        want: Some(&doc.value),
                        got: Some(got),
                        loc: doc.loc,
                    },
                ),
                Some(Obj { value: Some(_), .. }) => {}
                Some(o) => self.judged_doc(
                    s,
                    o,
                    DocJudged {
                        kind: DocKind::Permissions,
                        rules,
                        field: &field,
                        what: format!("{what}, which the change deletes,"),
                        want: Some(&doc.value),
                        got: None,
                        loc: doc.loc,
                    },
                ),
                None if have.complete => {
                    let gone: Obj<()> = Obj::absent(collection_origin(have.origin.as_ref()));
                    self.judged_doc(
                        s,
                        &gone,
                        DocJudged {
                            kind: DocKind::Permissions,
                            rules,
                            field: &field,
                            what: format!("{what}, which is missing,"),
                            want: Some(&doc.value),
                            got: None,
                            loc: doc.loc,
                        },
                    );
                }
                None => {}
            }
        }
        for (pname, o) in &have.items {
            let Some(got) = &o.value else { continue };
            if want.value.contains_key(pname) {
                continue;
            }
            let field = format!("inline_policies.{pname}");
            self.judged_doc(
                s,
                o,
                DocJudged {
                    kind: DocKind::Permissions,
                    rules,
                    field: &field,
                    what: format!(
                        "{noun} `{name}` has inline policy `{pname}`, which the baseline does not declare: it"
                    ),
                    want: None,
                    got: Some(got),
                    loc: want.loc,
                },
            );
        }
    }
}
