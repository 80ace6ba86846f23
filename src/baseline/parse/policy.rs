//! `policies`: customer managed policies (path, document, description).

use super::{Cx, KEYS};
use crate::baseline::yaml::Node;
use crate::baseline::PolicySpec;

impl Cx {
    pub(super) fn policy(&mut self, name: &str, key: &Node, value: &Node) -> PolicySpec {
        let what = format!("policies.{name}");
        let fields = self.mapping(value, &what, Some(KEYS.policy));
        let mut spec = PolicySpec {
            loc: key.loc,
            ..Default::default()
        };
        if let Some((_, v)) = fields.get("path") {
            spec.path = self.path(v, &format!("{what}.path"));
        }
        if let Some((_, v)) = fields.get("document") {
            spec.document = self.policy_doc(v, &format!("{what}.document"));
        }
        if let Some((_, v)) = fields.get("description") {
            spec.description = self.string(v, &format!("{what}.description"));
        }
        spec
    }
}
