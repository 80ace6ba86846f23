//! Values: mappings with known keys, strings, booleans, numbers in a range,
//! IAM paths, lists, policy documents, tags.

use super::{suggest, Cx, Entries};
use crate::baseline::yaml::{Node, Value};
use crate::baseline::Sp;
use crate::policy_doc::PolicyDoc;
use std::collections::BTreeMap;

impl Cx {
    /// The entries of a mapping, keyed by text; unknown keys, duplicate keys and
    /// non-string keys are reported. A null value counts as an empty mapping.
    pub fn mapping<'n>(
        &mut self,
        node: &'n Node,
        what: &str,
        allowed: Option<&[&str]>,
    ) -> Entries<'n> {
        let mut out = Entries::new();
        let entries = match &node.value {
            Value::Map(entries) => entries,
            Value::Null => return out,
            _ => {
                self.type_error(node, what, "a mapping");
                return out;
            }
        };
        for (key, value) in entries {
            let name = match &key.value {
                Value::Str(s) => s.as_str(),
                _ => {
                    self.error(
                        key,
                        format!(
                            "a key of `{what}` must be a string, not {}",
                            key.value.kind()
                        ),
                        "not a string",
                        Some("quote the key".to_string()),
                    );
                    continue;
                }
            };
            if let Some(allowed) = allowed {
                if !allowed.contains(&name) {
                    let help = match suggest(name, allowed) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("`{what}` accepts: {}", allowed.join(", ")),
                    };
                    self.error(
                        key,
                        format!("unknown key `{name}` in `{what}`"),
                        "unknown key",
                        Some(help),
                    );
                    continue;
                }
            }
            if out.insert(name, (key, value)).is_some() {
                self.error(
                    key,
                    format!("duplicate key `{name}` in `{what}`"),
                    "declared again here",
                    None,
                );
            }
        }
        out
    }

    pub fn string(&mut self, node: &Node, what: &str) -> Option<Sp<String>> {
        match &node.value {
            Value::Str(s) => Some(Sp::new(s.clone(), node.loc)),
            _ => {
                self.type_error(node, what, "a string");
                None
            }
        }
    }

    pub fn nonempty_string(&mut self, node: &Node, what: &str) -> Option<Sp<String>> {
        let s = self.string(node, what)?;
        if s.value.trim().is_empty() {
            self.error(node, format!("`{what}` must not be empty"), "empty", None);
            return None;
        }
        Some(s)
    }

    pub(super) fn bool(&mut self, node: &Node, what: &str) -> Option<Sp<bool>> {
        match &node.value {
            Value::Bool(b) => Some(Sp::new(*b, node.loc)),
            _ => {
                let help = match &node.value {
                    Value::Str(s) if matches!(s.as_str(), "yes" | "no" | "on" | "off") => {
                        Some("write `true` or `false`".to_string())
                    }
                    _ => None,
                };
                self.error(
                    node,
                    format!(
                        "`{what}` must be `true` or `false`, not {}",
                        node.value.kind()
                    ),
                    "expected a boolean",
                    help,
                );
                None
            }
        }
    }

    pub(super) fn int_in(&mut self, node: &Node, what: &str, lo: u32, hi: u32) -> Option<Sp<u32>> {
        match &node.value {
            Value::Int(i) if *i >= i64::from(lo) && *i <= i64::from(hi) => {
                Some(Sp::new(*i as u32, node.loc))
            }
            Value::Int(i) => {
                self.error(
                    node,
                    format!("`{what}` is {i}, out of the range AWS allows ({lo} to {hi})"),
                    &format!("must be {lo} to {hi}"),
                    None,
                );
                None
            }
            _ => {
                self.type_error(node, what, &format!("an integer from {lo} to {hi}"));
                None
            }
        }
    }

    pub(super) fn path(&mut self, node: &Node, what: &str) -> Option<Sp<String>> {
        let s = self.string(node, what)?;
        if !s.value.starts_with('/') || !s.value.ends_with('/') {
            self.error(
                node,
                format!("`{what}` must begin and end with `/`, like `/` or `/engineering/`"),
                "not an IAM path",
                None,
            );
            return None;
        }
        Some(s)
    }

    pub(super) fn string_list(&mut self, node: &Node, what: &str) -> Option<Sp<Vec<Sp<String>>>> {
        let items = match &node.value {
            Value::Seq(items) => items,
            Value::Null => return Some(Sp::new(Vec::new(), node.loc)),
            _ => {
                self.type_error(node, what, "a list of strings");
                return None;
            }
        };
        let mut out: Vec<Sp<String>> = Vec::new();
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        for item in items {
            if let Some(s) = self.nonempty_string(item, what) {
                if !seen.insert(s.value.clone()) {
                    self.error(
                        item,
                        format!("`{}` is listed twice in `{what}`", s.value),
                        "listed again here",
                        None,
                    );
                    continue;
                }
                out.push(s);
            }
        }
        Some(Sp::new(out, node.loc))
    }

    pub(super) fn policy_doc(&mut self, node: &Node, what: &str) -> Option<Sp<PolicyDoc>> {
        let json = node.to_json();
        match PolicyDoc::from_json(&json) {
            Ok(doc) => Some(Sp::new(doc, node.loc)),
            Err(message) => {
                self.error(
                    node,
                    format!("`{what}`: {message}"),
                    "not a policy document",
                    Some("write the document as a YAML mapping, or as a JSON string".to_string()),
                );
                None
            }
        }
    }

    pub(super) fn inline_policies(
        &mut self,
        node: &Node,
        what: &str,
    ) -> Option<Sp<BTreeMap<String, Sp<PolicyDoc>>>> {
        let entries = self.mapping(node, what, None);
        let mut out = BTreeMap::new();
        for (name, (_, value)) in entries {
            if let Some(doc) = self.policy_doc(value, &format!("{what}.{name}")) {
                out.insert(name.to_string(), doc);
            }
        }
        Some(Sp::new(out, node.loc))
    }

    pub(super) fn tags(&mut self, node: &Node, what: &str) -> Option<Sp<BTreeMap<String, String>>> {
        let entries = self.mapping(node, what, None);
        let mut out = BTreeMap::new();
        for (name, (_, value)) in entries {
            let text = match &value.value {
                Value::Str(s) => s.clone(),
                Value::Int(_) | Value::Float(_) | Value::Bool(_) => value.scalar_text(),
                _ => {
                    self.type_error(value, &format!("{what}.{name}"), "a string");
                    continue;
                }
            };
            out.insert(name.to_string(), text);
        }
        Some(Sp::new(out, node.loc))
    }
}
