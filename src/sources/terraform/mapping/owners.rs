//! Owners known only after apply. `role = aws_iam_role.x.id` on a role the same
//! plan creates leaves `role` unknown in the plan's values; the configuration
//! says which resource it refers to, and the plan what that resource's name
//! will be. A policy whose owner cannot be traced is kept as unattributed: it
//! lands on a principal nobody can name, which a reviewer must see.

use super::super::config::{module_path, references, resource_reference, split_address, Config};
use super::super::wire::Change;
use super::HashMap;
use super::{Builder, PrincipalAt, Target, View, Who};
use crate::identity::Kind;
use crate::origin::Origin;
use crate::state::{Grant, Members, Unattributed};
use serde_json::Value;
use std::collections::BTreeMap;

/// Where a resource instance sits: its module instance (`module.a["x"]`, empty
/// for the root module), its name in the configuration, and its instance key
/// as JSON text (`0`, `"k"`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct Instance {
    pub(crate) module: String,
    pub(crate) name: String,
    pub(crate) index: Option<String>,
}

/// Where a resource instance sits, borrowed from the plan.
#[derive(Debug, Clone, Copy)]
pub(crate) struct At<'a> {
    pub(crate) module: &'a str,
    pub(crate) name: &'a str,
    pub(crate) index: Option<&'a str>,
}

impl Instance {
    /// Takes the place of `at`, reusing its buffers.
    pub(super) fn set(&mut self, at: At) {
        self.module.clear();
        self.module.push_str(at.module);
        self.name.clear();
        self.name.push_str(at.name);
        match (&mut self.index, at.index) {
            (Some(i), Some(new)) => {
                i.clear();
                i.push_str(new);
            }
            (slot, new) => *slot = new.map(str::to_string),
        }
    }

    fn at(&self) -> At<'_> {
        At {
            module: &self.module,
            name: &self.name,
            index: self.index.as_deref(),
        }
    }
}

/// A resource that waits for its owner to be traced.
pub(crate) struct Pending {
    ty: String,
    change: Change,
    origin: Origin,
    at: Instance,
}

/// The principal lists of `aws_iam_policy_attachment`.
pub(super) const LIST_KEYS: [(&str, Who); 3] = [
    ("users", Who::User),
    ("groups", Who::Group),
    ("roles", Who::Role),
];

/// For the lists of a policy attachment that are known only after apply, what
/// each traced to (`None`: a reference that cannot be traced).
pub(super) type Owners = BTreeMap<&'static str, Vec<Option<Target>>>;

impl Builder {
    pub(super) fn defer(&mut self, ty: &str, change: &Change, v: &View) {
        self.pending.push(Pending {
            ty: ty.to_string(),
            change: change.clone(),
            origin: v.origin.clone(),
            at: self.current.clone(),
        });
    }

    /// Whether anything needs the plan's configuration: an owner to trace, a
    /// password policy whose left-out fields are reset.
    pub(crate) fn needs_configuration(&self) -> bool {
        !self.pending.is_empty() || !self.password_policies.is_empty()
    }

    /// Where each user, group and role of the state sits (from its plan
    /// address) and what it became: built only when an owner must be traced.
    fn index_principals(&mut self) {
        fn add<T>(
            out: &mut HashMap<PrincipalAt, Vec<(Option<String>, Target)>>,
            kind: Kind,
            members: &Members<T>,
            managed: fn(&T) -> bool,
        ) {
            let named = members
                .items
                .iter()
                .map(|(n, o)| (Target::Named(n.clone()), o));
            let unnamed = members
                .unknown
                .iter()
                .enumerate()
                .map(|(i, o)| (Target::Unnamed(i), o));
            for (target, obj) in named.chain(unnamed) {
                if !obj.value.as_ref().is_some_and(managed) {
                    continue;
                }
                if let Some((module, _, name, key)) = split_address(obj.origin.address()) {
                    out.entry((module.to_string(), kind, name.to_string()))
                        .or_default()
                        .push((key.map(str::to_string), target));
                }
            }
        }
        let mut out = HashMap::default();
        add(&mut out, Kind::User, &self.state.users, |u| {
            u.principal.managed
        });
        add(&mut out, Kind::Group, &self.state.groups, |g| {
            g.principal.managed
        });
        add(&mut out, Kind::Role, &self.state.roles, |r| {
            r.principal.managed
        });
        self.principals = out;
    }

    /// Traces the owner of every deferred resource through the configuration.
    pub(crate) fn resolve(&mut self, config: Option<&Config>) {
        if !self.pending.is_empty() {
            self.index_principals();
        }
        for p in std::mem::take(&mut self.pending) {
            let expressions =
                config.and_then(|c| c.expressions(&module_path(&p.at.module), &p.ty, &p.at.name));
            self.current.set(p.at.at());
            let v = View::new(&p.change, p.origin.clone());
            let (who, inline) = match p.ty.as_str() {
                "aws_iam_user_policy" => (Who::User, true),
                "aws_iam_group_policy" => (Who::Group, true),
                "aws_iam_role_policy" => (Who::Role, true),
                "aws_iam_user_policy_attachment" => (Who::User, false),
                "aws_iam_group_policy_attachment" => (Who::Group, false),
                "aws_iam_role_policy_attachment" => (Who::Role, false),
                _ => {
                    let mut owners = Owners::new();
                    for (key, who) in LIST_KEYS {
                        if v.is_unknown(key) {
                            owners.insert(key, self.trace(expressions.as_ref(), key, who, &p.at));
                        }
                    }
                    self.policy_attachment(&v, &owners);
                    continue;
                }
            };
            let traced = self.trace(expressions.as_ref(), who.key(), who, &p.at);
            match traced.as_slice() {
                [Some(target)] => {
                    let target = target.clone();
                    if inline {
                        self.inline_policy(who, &v, target);
                    } else {
                        self.attachment(who, &v, target);
                    }
                }
                _ => self.unattributed(who, &v, inline),
            }
        }
    }

    /// What the argument `key` refers to: one entry per distinct principal
    /// resource it references, `None` for one that cannot be traced (or when
    /// it references no principal resource at all).
    fn trace(
        &self,
        expressions: Option<&Value>,
        key: &str,
        who: Who,
        at: &Instance,
    ) -> Vec<Option<Target>> {
        let Some(expressions) = expressions else {
            return vec![None];
        };
        // Per referenced resource name, the instance keys named (none: the
        // resource as a whole).
        let mut named: BTreeMap<&str, Vec<Option<String>>> = BTreeMap::new();
        // A reference to anything else that can be unknown (a module output, a
        // data source, a local or variable derived from one) cannot be traced.
        let mut untraced = false;
        for reference in references(expressions, key) {
            if let Some((name, index)) = resource_reference(reference, who.resource_type()) {
                let keys = named.entry(name).or_default();
                if !keys.contains(&index) {
                    keys.push(index);
                }
            } else if !["each.", "count.", "path.", "terraform.", "self."]
                .iter()
                .any(|p| reference.starts_with(p))
            {
                untraced = true;
            }
        }
        if named.is_empty() {
            return vec![None];
        }
        let mut out = Vec::new();
        if untraced {
            out.push(None);
        }
        for (name, mut keys) in named {
            if keys.len() > 1 {
                // `aws_iam_role.x[0].id` is also listed as `aws_iam_role.x`.
                keys.retain(Option::is_some);
            }
            for index in keys {
                out.push(self.target_of(at, who.kind(), name, index));
            }
        }
        out
    }

    /// The object a reference to `name` (with `index`, or none) from `at` is.
    fn target_of(
        &self,
        at: &Instance,
        kind: Kind,
        name: &str,
        index: Option<String>,
    ) -> Option<Target> {
        let instances = self
            .principals
            .get(&(at.module.clone(), kind, name.to_string()))?;
        let find = |key: &Option<String>| {
            instances
                .iter()
                .find(|(i, _)| i == key)
                .map(|(_, t)| t.clone())
        };
        match index {
            Some(i) => find(&Some(i)),
            None if instances.len() == 1 => Some(instances[0].1.clone()),
            // `aws_iam_role.x[each.key]`: the same key as the referring resource.
            None => at.index.as_ref().and_then(|_| find(&at.index)),
        }
    }

    /// A policy that lands on a principal nobody can name before apply.
    pub(super) fn unattributed(&mut self, who: Who, v: &View, inline: bool) {
        let grant = if inline {
            Grant::Inline {
                name: v.name("name").ok().flatten(),
                document: v.doc("policy", &mut self.docs),
            }
        } else {
            Grant::Managed {
                arn: v.name("policy_arn").ok().flatten(),
            }
        };
        let sensitive = v.is_sensitive("policy") || v.is_sensitive("policy_arn");
        self.state.unattributed.push(Unattributed {
            kind: who.kind(),
            grant,
            origin: v.origin.clone(),
            sensitive,
        });
    }
}
