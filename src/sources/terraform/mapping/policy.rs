//! `aws_iam_policy`.

use super::{previous, Builder, View};
use crate::identity::Kind;
use crate::state::ManagedPolicy;

impl Builder {
    pub(super) fn policy(&mut self, v: &View) {
        let name = match v.name("name") {
            Ok(Some(n)) => Some(n),
            Ok(None) => return,
            // Known only after apply: kept with what is known of it.
            Err(()) => None,
        };
        if let Some(name) = &name {
            self.touched(Kind::Policy, name);
            let before = previous(self.state.policies.items.get(name));
            self.wrote(Kind::Policy, Some(name), None, before, v);
        }
        if let (Some(name), true) = (&name, v.deleted) {
            let name = name.clone();
            self.state.policies.items.insert(name, v.obj(None));
            return;
        }
        let mut obj = v.obj(None);
        let mut policy = ManagedPolicy {
            arn: v.str("arn").map(str::to_string),
            ..Default::default()
        };
        if v.is_unknown("path") {
            obj.unknown.insert("path");
        } else {
            policy.path = Some(v.str("path").unwrap_or("/").to_string());
        }
        if v.is_unknown("description") {
            obj.unknown.insert("description");
        } else {
            policy.description = Some(v.str("description").unwrap_or("").to_string());
        }
        if v.is_unknown("policy") {
            obj.unknown.insert("document");
        } else {
            policy.document = v.doc("policy", &mut self.docs);
            if v.is_sensitive("policy") {
                obj.sensitive.insert("document");
            }
        }
        obj.value = Some(policy);
        match name {
            Some(name) => {
                self.state.policies.items.insert(name, obj);
            }
            None => self.state.policies.unknown.push(obj),
        }
    }
}
