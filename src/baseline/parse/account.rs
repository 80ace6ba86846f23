//! `account`: the account id (a guard for live reads) and alias.

use super::{Cx, KEYS};
use crate::baseline::yaml::{Node, Value};
use crate::baseline::{AccountSpec, RootSpec, Sp};

impl Cx {
    pub(super) fn account(&mut self, key: &Node, node: &Node) -> AccountSpec {
        let fields = self.mapping(node, "account", Some(KEYS.account));
        let mut spec = AccountSpec {
            loc: key.loc,
            ..Default::default()
        };
        if let Some((_, v)) = fields.get("id") {
            // An unquoted id is read by YAML as a number: accept it, as text.
            let id = match &v.value {
                Value::Int(i) => Some(Sp::new(format!("{i:012}"), v.loc)),
                _ => self.string(v, "account.id"),
            };
            if let Some(id) = id {
                if id.value.len() == 12 && id.value.bytes().all(|c| c.is_ascii_digit()) {
                    spec.id = Some(id);
                } else {
                    self.error(
                        v,
                        format!(
                            "`account.id` `{}` is not a 12-digit AWS account id",
                            id.value
                        ),
                        "expected 12 digits",
                        Some("quote it: id: \"123456789012\"".to_string()),
                    );
                }
            }
        }
        if let Some((_, v)) = fields.get("alias") {
            spec.alias = self.nonempty_string(v, "account.alias");
        }
        if let Some((key, v)) = fields.get("root") {
            spec.root = Some(self.root(key, v));
        }
        spec
    }

    /// `account.root: { access_keys: false, mfa: required }`.
    fn root(&mut self, key: &Node, node: &Node) -> RootSpec {
        let fields = self.mapping(node, "account.root", Some(KEYS.root));
        let mut spec = RootSpec {
            loc: key.loc,
            ..Default::default()
        };
        if let Some((_, v)) = fields.get("access_keys") {
            spec.access_keys = self.bool(v, "account.root.access_keys");
        }
        if let Some((_, v)) = fields.get("mfa") {
            spec.mfa = self.required(v, "account.root.mfa");
        }
        spec
    }
}
