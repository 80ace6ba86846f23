//! Matching baseline entries with observed objects, the same for every kind of
//! named object: removed, unmanaged, renamed, replaced, and names known only
//! after apply.

use super::{collection_origin, Cx};
use crate::finding::{Loc, Origin, Severity};
use crate::identity::{Kind, ResourceId, RuleId};
use crate::policy::risk::Concern;
use crate::state::{Members, Obj};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Observed objects by stable id and by the name they had before, each list
/// in name order.
struct RenameIndex<'s, T> {
    by_id: HashMap<&'s str, Vec<(&'s str, &'s Obj<T>)>>,
    by_previous_name: HashMap<&'s str, Vec<(&'s str, &'s Obj<T>)>>,
}

impl<'s, T: Observed> RenameIndex<'s, T> {
    fn of(members: &'s Members<T>) -> Self {
        let mut index = RenameIndex {
            by_id: HashMap::new(),
            by_previous_name: HashMap::new(),
        };
        for (name, obj) in &members.items {
            let Some(v) = &obj.value else { continue };
            let ident = v.ident();
            if let Some(id) = ident.id {
                index.by_id.entry(id).or_default().push((name, obj));
            }
            if let Some(previous) = ident.previous_name {
                index
                    .by_previous_name
                    .entry(previous)
                    .or_default()
                    .push((name, obj));
            }
        }
        index
    }

    /// The object that declared object `name` (pinned to `id`) became: the
    /// first by name among those with that id or that former name, other
    /// than `name` itself.
    fn find(&self, name: &str, id: Option<&str>) -> Option<(&'s str, &'s Obj<T>)> {
        let by_id = id.and_then(|id| self.by_id.get(id));
        let by_previous = self.by_previous_name.get(name);
        by_id
            .into_iter()
            .chain(by_previous)
            .flatten()
            .filter(|(other, _)| *other != name)
            .min_by_key(|(other, _)| *other)
            .copied()
    }
}

/// The rules of a kind of named object.
pub(super) struct KindRules {
    pub kind: Kind,
    pub removed: RuleId,
    pub changed: RuleId,
    pub unmanaged: RuleId,
    pub unknown: RuleId,
    /// The rule of an undeclared object AWS made, for the kinds AWS makes.
    pub provisioned: Option<RuleId>,
}

impl KindRules {
    pub fn noun(&self) -> &'static str {
        self.kind.noun()
    }
}

/// A baseline entry of a named object.
pub(super) trait Declared {
    fn loc(&self) -> Loc;
    /// The stable unique id the baseline pins, if any.
    fn pinned_id(&self) -> Option<&str> {
        None
    }
}

/// What identifies an observed object besides its name.
#[derive(Default)]
pub(super) struct Ident<'a> {
    pub id: Option<&'a str>,
    pub previous_name: Option<&'a str>,
    pub path: Option<&'a str>,
    /// Whether the object itself (not only things attached to it) is known.
    pub managed: bool,
}

/// An observed named object.
pub(super) trait Observed {
    fn ident(&self) -> Ident<'_>;
    /// What the object grants or holds, for a finding about an object the
    /// baseline cannot declare; `sensitive` fields are masked.
    fn grants(&self, sensitive: &BTreeSet<&'static str>) -> Value;
    /// What makes the object risky when nobody declared it (a trust anyone
    /// can use, an administrator policy), worst first.
    fn risk(&self, _cx: &Cx, _sensitive: &BTreeSet<&'static str>) -> Vec<Concern> {
        Vec::new()
    }
    /// Who may take the object's place (a role's trust policy), worst first:
    /// an object whose name or path says AWS made it is taken at its word
    /// only when this lets in nothing risky.
    fn trust_risk(&self, _cx: &Cx, _sensitive: &BTreeSet<&'static str>) -> Vec<Concern> {
        Vec::new()
    }
    /// What a finding about an undeclared object shows: its name, or for a
    /// trust anchor what it trusts.
    fn shown_undeclared(&self, name: &str, _sensitive: &BTreeSet<&'static str>) -> Value {
        json!(name)
    }
}

/// One declared object matched with what was observed: what its fields are
/// compared through.
pub(super) struct Subject<'a, O> {
    pub rules: &'static KindRules,
    pub name: &'a str,
    pub resource: ResourceId,
    pub obj: &'a Obj<O>,
}

/// A declared object and its observed counterpart, to compare field by field.
pub(super) struct Pair<'s, S, T> {
    pub subject: Subject<'s, T>,
    pub spec: &'s S,
    pub value: &'s T,
}

impl Cx {
    /// Matches baseline entries with observed objects. Reports removed and
    /// unmanaged objects, renames, replacements and unknown names; returns the
    /// pairs whose fields are to be compared.
    pub(super) fn match_objects<'s, S: Declared, T: Observed>(
        &mut self,
        rules: &'static KindRules,
        specs: &'s BTreeMap<String, S>,
        members: &'s Members<T>,
    ) -> Vec<Pair<'s, S, T>> {
        let mut pairs = Vec::new();
        let mut renamed: HashSet<&str> = HashSet::new();
        // Observed objects by stable id and by former name, built the first
        // time a declared object is missing under its name: one pass over the
        // observed objects, however many are missing.
        let mut index: Option<RenameIndex<'s, T>> = None;
        let pair = |name: &'s str, spec: &'s S, obj: &'s Obj<T>, value: &'s T| Pair {
            subject: Subject {
                rules,
                name,
                resource: ResourceId::object(rules.kind, name),
                obj,
            },
            spec,
            value,
        };
        for (name, spec) in specs {
            let obj = members.items.get(name);
            let direct = match obj {
                Some(o @ Obj { value: Some(v), .. }) => Some((o, v)),
                _ => None,
            };
            if let Some((o, v)) = direct.filter(|(_, v)| v.ident().managed) {
                pairs.push(pair(name, spec, o, v));
                continue;
            }
            // Not there under its name (or only things attached to it): renamed?
            let rename = index
                .get_or_insert_with(|| RenameIndex::of(members))
                .find(name, spec.pinned_id());
            if let Some((new_name, o)) = rename {
                if let Some(v) = o.value.as_ref() {
                    renamed.insert(new_name);
                    self.draft(
                        rules.changed,
                        ResourceId::object(rules.kind, name),
                        &o.origin,
                        format!("{} `{name}` is renamed to `{new_name}`", rules.noun()),
                    )
                    .field("name")
                    .expected(json!(name))
                    .observed(json!(new_name))
                    .at(spec.loc())
                    .push();
                    pairs.push(pair(name, spec, o, v));
                }
                continue;
            }
            if let Some((o, v)) = direct {
                pairs.push(pair(name, spec, o, v));
                continue;
            }
            match obj {
                Some(obj) => self.removed(rules, name, &obj.origin, spec.loc()),
                None if members.complete => {
                    let origin = collection_origin(members.origin.as_ref());
                    self.removed(rules, name, &origin, spec.loc())
                }
                None => self.out_of_scope(),
            }
        }
        self.unmanaged_objects(rules, specs, members, &renamed);
        for obj in &members.unknown {
            let grants = obj
                .value
                .as_ref()
                .map_or(Value::Null, |v| v.grants(&obj.sensitive));
            let risk = obj
                .value
                .as_ref()
                .map_or_else(Vec::new, |v| v.risk(self, &obj.sensitive));
            let worst = risk.first().map(|c| c.severity);
            let mut message = format!(
                "the plan creates a {} whose name is known only after apply (a name prefix or a \
computed name), so no baseline entry can declare it; review what it grants",
                rules.noun()
            );
            for c in risk.iter().take(3) {
                message.push_str("; ");
                message.push_str(&c.what);
            }
            let default = crate::rules::get(rules.unmanaged).severity;
            self.draft(
                rules.unmanaged,
                ResourceId::after_apply(rules.kind, obj.origin.address()),
                &obj.origin,
                message,
            )
            .severity(worst.map_or(default, |w| w.max(default)))
            .observed(grants)
            .push();
        }
        for p in &pairs {
            let s = &p.subject;
            if s.obj.origin.is_replacement() {
                self.draft(
                    rules.changed,
                    s.resource.clone(),
                    &s.obj.origin,
                    format!(
                        "the plan replaces {} `{}`: it is deleted and created again, so it \
is absent for a moment and gets a new unique id (policies that name the old one stop matching)",
                        rules.noun(),
                        s.name
                    ),
                )
                .field("replaced")
                .push();
            }
        }
        pairs
    }

    fn unmanaged_objects<S, T: Observed>(
        &mut self,
        rules: &'static KindRules,
        specs: &BTreeMap<String, S>,
        members: &Members<T>,
        renamed: &HashSet<&str>,
    ) {
        for (name, obj) in &members.items {
            let Some(v) = &obj.value else { continue };
            if specs.contains_key(name) || renamed.contains(&name.as_str()) {
                continue;
            }
            let id = v.ident();
            if !id.managed {
                continue;
            }
            let risk = v.risk(self, &obj.sensitive);
            // An object AWS made is listed apart (`*-provisioned`, info),
            // whatever it grants; `settings.provisioned` decides, not
            // `settings.unmanaged`.
            let claimed = crate::provisioned::by_aws(rules.kind, name, id.path);
            // A name or a path is no proof: one that trusts more than AWS's
            // own objects do is judged as undeclared, by what it grants.
            let made_by = claimed.filter(|_| {
                v.trust_risk(self, &obj.sensitive)
                    .iter()
                    .all(|c| c.severity < Severity::High)
            });
            let (rule, severity) = match (made_by, rules.provisioned) {
                (Some(_), Some(rule)) => {
                    if crate::triage::quiets_provisioned(self.provisioned) {
                        continue;
                    }
                    (rule, crate::rules::get(rule).severity)
                }
                _ => {
                    let default = crate::rules::get(rules.unmanaged).severity;
                    let severity = risk.first().map_or(default, |w| w.severity.max(default));
                    if self.quiets_undeclared(rules.kind, severity) {
                        continue;
                    }
                    (rules.unmanaged, severity)
                }
            };
            let mut message = format!(
                "{} `{name}` {} but the baseline does not declare it",
                rules.noun(),
                obj.origin.exists()
            );
            match (claimed, made_by, rule != rules.unmanaged) {
                (_, Some(by), true) => message.push_str(&format!("; {by} made it")),
                (Some(by), None, _) => message.push_str(&format!(
                    "; its name or path says {by} made it, but its trust policy lets in more than \
that would"
                )),
                _ => {}
            }
            for c in risk.iter().take(3) {
                message.push_str("; ");
                message.push_str(&c.what);
            }
            self.draft(
                rule,
                ResourceId::object(rules.kind, name),
                &obj.origin,
                message,
            )
            .severity(severity)
            .observed(v.shown_undeclared(name, &obj.sensitive))
            .path(id.path)
            .push();
        }
    }

    fn removed(&mut self, rules: &KindRules, name: &str, origin: &Origin, loc: Loc) {
        self.draft(
            rules.removed,
            ResourceId::object(rules.kind, name),
            origin,
            format!(
                "{} {} `{name}`, which the baseline declares",
                origin.removes(),
                rules.noun()
            ),
        )
        .expected(json!(name))
        .at(loc)
        .push();
    }
}
