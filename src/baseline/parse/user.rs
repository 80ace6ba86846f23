//! `users`: principal fields, groups, console access, MFA and SSH keys.

use super::{suggest, Cx, KEYS};
use crate::baseline::yaml::{Node, Value};
use crate::baseline::{KeyStatus, Sp, SshKeySpec, UserSpec};

impl Cx {
    pub(super) fn user(&mut self, name: &str, key: &Node, node: &Node) -> UserSpec {
        let what = format!("users.{name}");
        let fields = self.mapping(node, &what, Some(KEYS.user));
        let mut spec = UserSpec {
            loc: key.loc,
            principal: self.principal(&fields, &what),
            ..Default::default()
        };
        for (&k, &(_, value)) in &fields {
            let w = format!("{what}.{k}");
            match k {
                "id" => spec.id = self.nonempty_string(value, &w),
                "groups" => spec.groups = self.string_list(value, &w),
                "console_access" => spec.console_access = self.bool(value, &w),
                "mfa" => {
                    spec.mfa = match &value.value {
                        Value::Str(s) if s == "required" => Some(Sp::new(true, value.loc)),
                        Value::Str(s) if s == "optional" => Some(Sp::new(false, value.loc)),
                        _ => {
                            self.error(
                                value,
                                format!("`{w}` must be `required` or `optional`"),
                                "expected `required` or `optional`",
                                None,
                            );
                            None
                        }
                    }
                }
                "ssh_public_keys" => spec.ssh_public_keys = self.ssh_keys(value, &w),
                _ => {}
            }
        }
        spec
    }

    pub(super) fn ssh_keys(&mut self, node: &Node, what: &str) -> Option<Sp<Vec<SshKeySpec>>> {
        let items = match &node.value {
            Value::Seq(items) => items,
            Value::Null => return Some(Sp::new(Vec::new(), node.loc)),
            _ => {
                self.type_error(node, what, "a list of `{ id, status }` entries");
                return None;
            }
        };
        let mut out: Vec<SshKeySpec> = Vec::new();
        for item in items {
            // `- APKA...` is accepted as a key id with no guarded status.
            if let Value::Str(id) = &item.value {
                out.push(SshKeySpec {
                    loc: item.loc,
                    id: id.clone(),
                    status: None,
                });
                continue;
            }
            let fields = self.mapping(item, what, Some(KEYS.ssh_key));
            let id = match fields.get("id") {
                Some((_, v)) => self.nonempty_string(v, &format!("{what}.id")),
                None => {
                    if matches!(item.value, Value::Map(_)) {
                        self.error(
                            item,
                            format!("an entry of `{what}` has no `id`"),
                            "missing `id`",
                            Some("the id is the SSHPublicKeyId, APKA…".to_string()),
                        );
                    }
                    None
                }
            };
            let status = fields.get("status").and_then(|(_, v)| {
                let s = self.string(v, &format!("{what}.status"))?;
                match KeyStatus::parse(&s.value) {
                    Some(st) => Some(Sp::new(st, s.loc)),
                    None => {
                        let help = suggest(&s.value, &["Active", "Inactive"])
                            .map(|s| format!("did you mean `{s}`?"));
                        self.error(
                            v,
                            format!("`{what}.status` must be `Active` or `Inactive`"),
                            "unknown status",
                            help,
                        );
                        None
                    }
                }
            });
            if let Some(id) = id {
                if out.iter().any(|k| k.id == id.value) {
                    self.error(
                        item,
                        format!("SSH key `{}` is listed twice", id.value),
                        "listed again",
                        None,
                    );
                    continue;
                }
                out.push(SshKeySpec {
                    loc: item.loc,
                    id: id.value,
                    status,
                });
            }
        }
        Some(Sp::new(out, node.loc))
    }
}
