//! `instance_profiles`: path and the (at most one) role.

use super::{Cx, KEYS};
use crate::baseline::yaml::Node;
use crate::baseline::InstanceProfileSpec;

impl Cx {
    pub(super) fn instance_profile(
        &mut self,
        name: &str,
        key: &Node,
        value: &Node,
    ) -> InstanceProfileSpec {
        let what = format!("instance_profiles.{name}");
        let fields = self.mapping(value, &what, Some(KEYS.instance_profile));
        let mut spec = InstanceProfileSpec {
            loc: key.loc,
            ..Default::default()
        };
        if let Some((_, v)) = fields.get("path") {
            spec.path = self.path(v, &format!("{what}.path"));
        }
        if let Some((_, v)) = fields.get("roles") {
            spec.roles = self.string_list(v, &format!("{what}.roles"));
            if let Some(roles) = &spec.roles {
                if roles.value.len() > 1 {
                    self.error(
                        v,
                        format!(
                            "`{what}.roles` lists {} roles; an instance profile holds at most one",
                            roles.value.len()
                        ),
                        "more than one role",
                        None,
                    );
                }
            }
        }
        spec
    }
}
