//! `groups`: principal fields.

use super::{Cx, KEYS};
use crate::baseline::yaml::Node;
use crate::baseline::GroupSpec;

impl Cx {
    pub(super) fn group(&mut self, name: &str, key: &Node, value: &Node) -> GroupSpec {
        let what = format!("groups.{name}");
        let fields = self.mapping(value, &what, Some(KEYS.group));
        let principal = self.principal(&fields, &what);
        GroupSpec {
            loc: key.loc,
            principal,
        }
    }
}
