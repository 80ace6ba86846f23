//! What users, groups and roles share.

use super::{Cx, Entries};
use crate::baseline::yaml::Value;
use crate::baseline::{PrincipalSpec, Sp};

impl Cx {
    pub(super) fn principal(&mut self, fields: &Entries, prefix: &str) -> PrincipalSpec {
        let mut p = PrincipalSpec::default();
        for (&key, &(_, value)) in fields {
            let what = format!("{prefix}.{key}");
            match key {
                "path" => p.path = self.path(value, &what),
                "managed_policies" => p.managed_policies = self.string_list(value, &what),
                "inline_policies" => p.inline_policies = self.inline_policies(value, &what),
                "permissions_boundary" => {
                    p.permissions_boundary = match &value.value {
                        Value::Null => Some(Sp::new(None, value.loc)),
                        _ => self
                            .nonempty_string(value, &what)
                            .map(|s| Sp::new(Some(s.value), s.loc)),
                    }
                }
                "tags" => p.tags = self.tags(value, &what),
                _ => {}
            }
        }
        p
    }
}
