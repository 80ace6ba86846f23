//! `users`: principal fields, groups, console access, MFA and SSH keys.

use super::{suggest, Cx, KEYS};
use crate::baseline::yaml::{Node, Value};
use crate::baseline::{KeySpec, KeyStatus, Sp, UserSpec};

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
                "mfa" => spec.mfa = self.required(value, &w),
                "ssh_public_keys" => spec.ssh_public_keys = self.keys(value, &w, Credential::Ssh),
                "access_keys" => spec.access_keys = self.keys(value, &w, Credential::Access),
                _ => {}
            }
        }
        spec
    }

    /// `required` (true) or `optional` (false).
    pub(super) fn required(&mut self, value: &Node, what: &str) -> Option<Sp<bool>> {
        match &value.value {
            Value::Str(s) if s == "required" => Some(Sp::new(true, value.loc)),
            Value::Str(s) if s == "optional" => Some(Sp::new(false, value.loc)),
            _ => {
                let help = match &value.value {
                    Value::Str(s) => suggest(s, &["required", "optional"])
                        .map(|s| format!("did you mean `{s}`?")),
                    _ => None,
                };
                self.error(
                    value,
                    format!("`{what}` must be `required` or `optional`"),
                    "expected `required` or `optional`",
                    help,
                );
                None
            }
        }
    }

    /// A list of keys: `[]` (none), bare ids, or `{ id, status }` entries.
    pub(super) fn keys(
        &mut self,
        node: &Node,
        what: &str,
        credential: Credential,
    ) -> Option<Sp<Vec<KeySpec>>> {
        let items = match &node.value {
            Value::Seq(items) => items,
            Value::Null => return Some(Sp::new(Vec::new(), node.loc)),
            _ => {
                self.type_error(node, what, "a list of `{ id, status }` entries");
                return None;
            }
        };
        let mut out: Vec<KeySpec> = Vec::new();
        for item in items {
            // `- APKA...` is accepted as a key id with no guarded status.
            if let Value::Str(id) = &item.value {
                if self.key_id_ok(item, id, what, credential)
                    && !self.listed_twice(item, &out, id, credential)
                {
                    out.push(KeySpec {
                        loc: item.loc,
                        id: id.clone(),
                        status: None,
                    });
                }
                continue;
            }
            let fields = self.mapping(item, what, Some(credential.keys()));
            let id = match fields.get("id") {
                Some((_, v)) => self.nonempty_string(v, &format!("{what}.id")),
                None => {
                    if matches!(item.value, Value::Map(_)) {
                        self.error(
                            item,
                            format!("an entry of `{what}` has no `id`"),
                            "missing `id`",
                            Some(credential.id_help().to_string()),
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
                if !self.key_id_ok(v_or(item, &fields), &id.value, what, credential)
                    || self.listed_twice(item, &out, &id.value, credential)
                {
                    continue;
                }
                out.push(KeySpec {
                    loc: item.loc,
                    id: id.value,
                    status,
                });
            }
        }
        Some(Sp::new(out, node.loc))
    }

    fn listed_twice(
        &mut self,
        item: &Node,
        out: &[KeySpec],
        id: &str,
        credential: Credential,
    ) -> bool {
        let twice = out.iter().any(|k| k.id == id);
        if twice {
            self.error(
                item,
                format!("{} `{id}` is listed twice", credential.noun()),
                "listed again",
                None,
            );
        }
        twice
    }

    /// Whether an access key id looks like one (`AKIA` and letters or digits);
    /// SSH key ids are not checked.
    fn key_id_ok(&mut self, node: &Node, id: &str, what: &str, credential: Credential) -> bool {
        if credential == Credential::Ssh {
            return true;
        }
        let ok = crate::baseline::is_access_key_id(id);
        if !ok {
            self.error(
                node,
                format!("`{id}` in `{what}` is not an access key id"),
                "not an access key id",
                Some(credential.id_help().to_string()),
            );
        }
        ok
    }
}

/// The node of an entry's `id`, or the entry.
fn v_or<'n>(item: &'n Node, fields: &super::Entries<'n>) -> &'n Node {
    fields.get("id").map_or(item, |(_, v)| *v)
}

/// Which credential a key list holds.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Credential {
    Ssh,
    Access,
}

impl Credential {
    fn noun(self) -> &'static str {
        match self {
            Credential::Ssh => "SSH key",
            Credential::Access => "access key",
        }
    }
    fn keys(self) -> &'static [&'static str] {
        match self {
            Credential::Ssh => KEYS.ssh_key,
            Credential::Access => KEYS.access_key,
        }
    }
    fn id_help(self) -> &'static str {
        match self {
            Credential::Ssh => "the id is the SSHPublicKeyId, APKA…",
            Credential::Access => "the id is the AccessKeyId, AKIA… (never the secret key)",
        }
    }
}
