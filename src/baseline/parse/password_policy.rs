//! `password_policy`: the guarded fields, each in its AWS range.

use super::{Cx, KEYS};
use crate::baseline::yaml::Node;
use crate::baseline::{PasswordPolicySpec, Sp};
use crate::state::PpValue;

impl Cx {
    pub(super) fn password_policy(&mut self, key: &Node, node: &Node) -> PasswordPolicySpec {
        let fields = self.mapping(node, "password_policy", Some(KEYS.password_policy));
        let mut spec = PasswordPolicySpec {
            loc: key.loc,
            ..Default::default()
        };
        for (name, (_, value)) in fields {
            let Some(field) = crate::state::PpField::from_name(name) else {
                continue;
            };
            let what = format!("password_policy.{name}");
            let parsed = match field.range() {
                Some((lo, hi)) => self
                    .int_in(value, &what, lo, hi)
                    .map(|n| Sp::new(PpValue::Num(n.value), n.loc)),
                None => self
                    .bool(value, &what)
                    .map(|b| Sp::new(PpValue::Bool(b.value), b.loc)),
            };
            if let Some(v) = parsed {
                spec.fields.insert(field, v);
            }
        }
        spec
    }
}
