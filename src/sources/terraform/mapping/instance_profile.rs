//! `aws_iam_instance_profile`.

use super::{previous, Builder, View};
use crate::identity::Kind;
use crate::state::{InstanceProfile, NameSet};

impl Builder {
    pub(super) fn instance_profile(&mut self, v: &View) {
        let name = match v.name("name") {
            Ok(Some(n)) => Some(n),
            Ok(None) => return,
            // Known only after apply: kept with what is known of it.
            Err(()) => None,
        };
        if let Some(name) = &name {
            self.touched(Kind::InstanceProfile, name);
            let before = previous(self.state.instance_profiles.items.get(name));
            self.wrote(Kind::InstanceProfile, Some(name), None, before, v);
        }
        if let (Some(name), true) = (&name, v.deleted) {
            let name = name.clone();
            self.state.instance_profiles.items.insert(name, v.obj(None));
            return;
        }
        let mut obj = v.obj(None);
        let mut profile = InstanceProfile {
            id: v.str("unique_id").map(str::to_string),
            ..Default::default()
        };
        if v.is_unknown("path") {
            obj.unknown.insert("path");
        } else {
            profile.path = Some(v.str("path").unwrap_or("/").to_string());
        }
        if v.is_unknown("role") {
            obj.unknown.insert("roles");
        } else {
            // The profile resource says which role it holds: the set is complete.
            let mut roles = NameSet::complete(v.origin.clone());
            let mut names = View::strings(v.values.get("role"));
            if names.is_empty() && !v.is_unknown("roles") {
                names = View::strings(v.values.get("roles"));
            }
            for r in names {
                roles.items.insert(r, v.obj(Some(())));
            }
            for r in View::strings(v.before.and_then(|b| b.get("role"))) {
                roles.items.entry(r).or_insert_with(|| v.obj(None));
            }
            profile.roles = Some(roles);
        }
        obj.value = Some(profile);
        match name {
            Some(name) => {
                self.state.instance_profiles.items.insert(name, obj);
            }
            None => self.state.instance_profiles.unknown.push(obj),
        }
    }
}
