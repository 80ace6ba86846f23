//! `aws_iam_instance_profile`.

use super::{Builder, View};
use crate::identity::Kind;
use crate::state::{InstanceProfile, NameSet};

impl Builder {
    pub(super) fn instance_profile(&mut self, v: &View) {
        let name = match v.name("name") {
            Ok(Some(n)) => n,
            Ok(None) => return,
            Err(()) => {
                self.state.instance_profiles.unknown.push(v.origin.clone());
                return;
            }
        };
        self.touched(Kind::InstanceProfile, &name);
        if v.deleted {
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
        self.state.instance_profiles.items.insert(name, obj);
    }
}
