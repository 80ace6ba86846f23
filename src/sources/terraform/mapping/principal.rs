//! What `aws_iam_user`, `aws_iam_group` and `aws_iam_role` share, and the first two.

use super::{Builder, Target, View};
use crate::identity::Kind;
use crate::origin::Origin;
use crate::state::{Group, Members, Principal, User};
use serde_json::Value;

impl Builder {
    /// Maps what users, groups and roles share; returns the object and the
    /// resource that wrote it before, if any (not one that only attached
    /// something to it: that leaves a placeholder the source does not manage).
    pub(super) fn principal_object<T: Default>(
        members: &mut Members<T>,
        v: &View,
        principal: fn(&mut T) -> &mut Principal,
    ) -> Option<(Target, Option<(Origin, bool)>)> {
        let mut before = None;
        let (target, entry) = match v.name("name") {
            Ok(Some(name)) => {
                let slot = match members.items.entry(name.clone()) {
                    std::collections::btree_map::Entry::Occupied(o) => {
                        let o = o.into_mut();
                        before = match o.value.as_mut().map(|t| principal(t).managed) {
                            None => Some((o.origin.clone(), true)),
                            Some(true) => Some((o.origin.clone(), false)),
                            Some(false) => None,
                        };
                        o
                    }
                    std::collections::btree_map::Entry::Vacant(e) => {
                        e.insert(v.obj(Some(T::default())))
                    }
                };
                if v.deleted {
                    *slot = v.obj(None);
                    return Some((Target::Named(name), before));
                }
                (Target::Named(name), slot)
            }
            Ok(None) => return None,
            // A new object whose name is known only after apply: kept with what
            // is known of it.
            Err(()) => {
                members.unknown.push(v.obj(Some(T::default())));
                let i = members.unknown.len() - 1;
                (Target::Unnamed(i), &mut members.unknown[i])
            }
        };
        // The object itself is now known: it takes the resource's origin.
        entry.origin = v.origin.clone();
        let value = entry.value.get_or_insert_with(T::default);
        let p = principal(value);
        p.managed = true;
        p.id = v.str("unique_id").map(str::to_string);
        p.arn = v.str("arn").map(str::to_string);
        if let (Some(prev), Target::Named(name)) = (v.before_str("name"), &target) {
            if prev != name {
                p.previous_name = Some(prev.to_string());
            }
        }
        for (key, slot) in [("path", &mut p.path)] {
            if v.is_unknown(key) {
                entry.unknown.insert(key);
            } else {
                *slot = Some(v.str(key).unwrap_or("/").to_string());
            }
        }
        for key in ["path", "permissions_boundary"] {
            if v.is_sensitive(key) {
                entry.sensitive.insert(key);
            }
        }
        if v.values.get("permissions_boundary").is_some() {
            if v.is_unknown("permissions_boundary") {
                entry.unknown.insert("permissions_boundary");
            } else {
                p.permissions_boundary = v.opt_str("permissions_boundary");
            }
        }
        if v.values.get("tags").is_some() || v.values.get("tags_all").is_some() {
            if v.is_unknown("tags") {
                entry.unknown.insert("tags");
            } else {
                let tags = v.values.get("tags").and_then(Value::as_object);
                p.tags = Some(
                    tags.map(|m| {
                        m.iter()
                            .map(|(k, val)| {
                                (k.clone(), val.as_str().unwrap_or_default().to_string())
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                );
                if v.is_sensitive("tags") {
                    entry.sensitive.insert("tags");
                }
            }
        }
        Some((target, before))
    }

    pub(super) fn user(&mut self, v: &View) {
        if let Some((target, before)) =
            Self::principal_object(&mut self.state.users, v, |u: &mut User| &mut u.principal)
        {
            self.touched_target(Kind::User, &target);
            self.wrote_target(Kind::User, &target, before, v);
        }
    }

    pub(super) fn group(&mut self, v: &View) {
        if let Some((target, before)) =
            Self::principal_object(&mut self.state.groups, v, |g: &mut Group| &mut g.principal)
        {
            self.touched_target(Kind::Group, &target);
            self.wrote_target(Kind::Group, &target, before, v);
        }
    }
}
