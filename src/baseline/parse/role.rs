//! `roles`: principal fields, trust policy, session length, description.

use super::{Cx, KEYS};
use crate::baseline::yaml::Node;
use crate::baseline::RoleSpec;

impl Cx {
    pub(super) fn role(&mut self, name: &str, key: &Node, node: &Node) -> RoleSpec {
        let what = format!("roles.{name}");
        let fields = self.mapping(node, &what, Some(KEYS.role));
        let mut spec = RoleSpec {
            loc: key.loc,
            principal: self.principal(&fields, &what),
            ..Default::default()
        };
        for (&k, &(_, value)) in &fields {
            let w = format!("{what}.{k}");
            match k {
                "id" => spec.id = self.nonempty_string(value, &w),
                "assume_role_policy" => spec.assume_role_policy = self.policy_doc(value, &w),
                "max_session_duration" => {
                    spec.max_session_duration = self.int_in(value, &w, 3600, 43200)
                }
                "description" => spec.description = self.string(value, &w),
                _ => {}
            }
        }
        spec
    }
}
