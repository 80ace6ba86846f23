//! Terraform's JSON, read in one pass into borrowed raw slices: only the changes
//! of the IAM resource types that drift understands are parsed further, and of
//! those only the attributes drift reads. The large parts that drift does not
//! need (`planned_values`, `configuration`, other providers' resources) are only
//! scanned, never built into values.

use super::error::{json_error, PlanError};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use std::borrow::Cow;

/// A whole file read in one pass. Valid UTF-8 (every plan and state Terraform
/// writes) is checked once for the whole file and then read as text, so that
/// no string is checked again as it is borrowed; other bytes are read as
/// before, and fail where they are.
pub(crate) fn from_file<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> serde_json::Result<T> {
    match std::str::from_utf8(bytes) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(bytes),
    }
}

#[derive(Deserialize)]
pub(crate) struct RawPlan<'a> {
    pub(crate) format_version: Option<String>,
    pub(crate) terraform_version: Option<String>,
    #[serde(borrow)]
    pub(crate) resource_changes: Option<Vec<RawChange<'a>>>,
    #[serde(borrow, default)]
    pub(crate) resource_drift: Vec<RawChange<'a>>,
    #[serde(borrow)]
    pub(crate) prior_state: Option<RawPriorState<'a>>,
    /// `terraform show -json` of a state: not a plan.
    #[serde(borrow, default)]
    pub(crate) values: Option<&'a RawValue>,
    /// A raw `terraform.tfstate`: not a plan.
    #[serde(borrow, default)]
    pub(crate) resources: Option<&'a RawValue>,
    /// Read in the same pass as the rest: where each resource is and what it
    /// is, its values kept as text.
    #[serde(borrow)]
    pub(crate) planned_values: Option<RawStateValues<'a>>,
    /// The configuration, kept as text: read for its provider configurations
    /// (which account each works in), and to trace what a value known only
    /// after apply refers to.
    #[serde(borrow)]
    pub(crate) configuration: Option<&'a RawValue>,
    /// The root module's input variables and their values (a provider's
    /// `assume_role.role_arn` may be one).
    #[serde(borrow, default)]
    pub(crate) variables: Option<&'a RawValue>,
    /// Terraform 1.5+: the plan operation failed; the plan is partial.
    #[serde(default)]
    pub(crate) errored: Option<bool>,
    /// Terraform 1.8+: `false` when changes were deferred to a later plan.
    #[serde(default)]
    pub(crate) complete: Option<bool>,
    #[serde(borrow, default)]
    pub(crate) deferred_changes: Vec<RawDeferred<'a>>,
}

/// A change Terraform could not plan yet (`deferred_changes`).
#[derive(Deserialize)]
pub(crate) struct RawDeferred<'a> {
    #[serde(default)]
    pub(crate) reason: Option<String>,
    #[serde(borrow)]
    pub(crate) resource_change: Option<RawDeferredChange<'a>>,
}

/// Of a deferred change, only what names it.
#[derive(Deserialize)]
pub(crate) struct RawDeferredChange<'a> {
    #[serde(borrow)]
    pub(crate) address: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "type", default)]
    pub(crate) ty: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
pub(crate) struct RawChange<'a> {
    /// Kept as JSON text: addresses with `for_each` keys are escaped, and only
    /// those of supported types are decoded.
    #[serde(borrow)]
    pub(crate) address: Option<&'a RawValue>,
    #[serde(borrow, default)]
    pub(crate) mode: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "type")]
    pub(crate) ty: Cow<'a, str>,
    #[serde(borrow)]
    pub(crate) name: Cow<'a, str>,
    #[serde(borrow)]
    pub(crate) index: Option<&'a RawValue>,
    #[serde(borrow)]
    pub(crate) module_address: Option<Cow<'a, str>>,
    /// Set on a deposed object (left over from a create-before-destroy
    /// replacement): deleting it is not the removal of the current object.
    #[serde(borrow, default)]
    pub(crate) deposed: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) change: RawChangeBody<'a>,
}

/// A change as borrowed slices; only the changes of supported types are parsed.
#[derive(Deserialize)]
pub(crate) struct RawChangeBody<'a> {
    #[serde(default)]
    pub(crate) actions: Vec<String>,
    #[serde(borrow)]
    pub(crate) before: Option<&'a RawValue>,
    #[serde(borrow)]
    pub(crate) after: Option<&'a RawValue>,
    #[serde(borrow)]
    pub(crate) after_unknown: Option<&'a RawValue>,
    #[serde(borrow)]
    pub(crate) before_sensitive: Option<&'a RawValue>,
    #[serde(borrow)]
    pub(crate) after_sensitive: Option<&'a RawValue>,
}

pub(crate) fn parse_raw(raw: Option<&RawValue>) -> Result<Option<Value>, PlanError> {
    raw.map(|r| serde_json::from_str(r.get()).map_err(|e| json_error(&e)))
        .transpose()
}

/// The attributes drift reads (`READ_ATTRIBUTES`, and the matcher of a key,
/// from one list); the others (SSH key bodies, passwords, access key secrets)
/// are skipped without being built into values. A `match` compiles to a
/// switch on the length and a compare or two, where a search of the list
/// compares several keys, and this runs for every attribute of every IAM
/// resource.
macro_rules! read_attributes {
    ($($name:literal,)*) => {
        /// The attributes drift reads from a resource's values.
        pub const READ_ATTRIBUTES: &[&str] = &[$($name,)*];

        fn is_read_attribute(key: &str) -> bool {
            matches!(key, $($name)|*)
        }
    };
}

read_attributes! {
    "account_alias",
    "allow_users_to_change_password",
    "arn",
    "assume_role_policy",
    "client_id_list",
    "create_date",
    "description",
    "group",
    "groups",
    "hard_expiry",
    "id",
    "inline_policy",
    "managed_policy_arns",
    "max_password_age",
    "max_session_duration",
    "minimum_password_length",
    "name",
    "password_reuse_prevention",
    "path",
    "permissions_boundary",
    "policy",
    "policy_arn",
    "require_lowercase_characters",
    "require_numbers",
    "require_symbols",
    "require_uppercase_characters",
    "role",
    "roles",
    "saml_metadata_document",
    "ssh_public_key_id",
    "status",
    "tags",
    "tags_all",
    "thumbprint_list",
    "unique_id",
    "url",
    "user",
    "username",
    "users",
}

/// Resource attributes with only those drift reads kept; `id` only when `ID`
/// (an access key's id is its key id; every other resource's is a copy of
/// its name or address, not worth a string per resource).
struct Attributes<const ID: bool>(Value);

impl<'de, const ID: bool> Deserialize<'de> for Attributes<ID> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<const ID: bool>;
        impl<'de, const ID: bool> serde::de::Visitor<'de> for V<ID> {
            type Value = Attributes<ID>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("resource attributes")
            }
            fn visit_unit<E>(self) -> Result<Attributes<ID>, E> {
                Ok(Attributes(Value::Null))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Attributes<ID>, A::Error> {
                let mut out = serde_json::Map::new();
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    if is_read_attribute(&key) && (ID || key != "id") {
                        // One lookup: the entry, after the value.
                        let UniqueValue(value) = map.next_value()?;
                        match out.entry(key.into_owned()) {
                            serde_json::map::Entry::Occupied(o) => {
                                return Err(twice::<A::Error>(o.key()));
                            }
                            serde_json::map::Entry::Vacant(v) => {
                                v.insert(value);
                            }
                        }
                    } else {
                        map.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
                Ok(Attributes(Value::Object(out)))
            }
        }
        d.deserialize_any(V::<ID>)
    }
}

/// A key written twice in one object: JSON readers keep one of the two
/// silently, so the plan does not say which value it means.
fn twice<E: serde::de::Error>(key: &str) -> E {
    E::custom(format_args!(
        "the key `{key}` is written twice in one object"
    ))
}

/// A JSON value whose objects hold each key once.
struct UniqueValue(Value);

impl<'de> Deserialize<'de> for UniqueValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = UniqueValue;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E>(self) -> Result<UniqueValue, E> {
                Ok(UniqueValue(Value::Null))
            }
            fn visit_bool<E>(self, b: bool) -> Result<UniqueValue, E> {
                Ok(UniqueValue(Value::Bool(b)))
            }
            fn visit_i64<E>(self, n: i64) -> Result<UniqueValue, E> {
                Ok(UniqueValue(Value::from(n)))
            }
            fn visit_u64<E>(self, n: u64) -> Result<UniqueValue, E> {
                Ok(UniqueValue(Value::from(n)))
            }
            fn visit_f64<E>(self, n: f64) -> Result<UniqueValue, E> {
                Ok(UniqueValue(Value::from(n)))
            }
            fn visit_str<E>(self, s: &str) -> Result<UniqueValue, E> {
                Ok(UniqueValue(Value::String(s.to_string())))
            }
            fn visit_string<E>(self, s: String) -> Result<UniqueValue, E> {
                Ok(UniqueValue(Value::String(s)))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<UniqueValue, A::Error> {
                let mut items = Vec::new();
                while let Some(UniqueValue(v)) = seq.next_element()? {
                    items.push(v);
                }
                Ok(UniqueValue(Value::Array(items)))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<UniqueValue, A::Error> {
                let mut out = serde_json::Map::new();
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    let UniqueValue(v) = map.next_value()?;
                    match out.entry(key.into_owned()) {
                        serde_json::map::Entry::Occupied(o) => {
                            return Err(twice::<A::Error>(o.key()));
                        }
                        serde_json::map::Entry::Vacant(e) => {
                            e.insert(v);
                        }
                    }
                }
                Ok(UniqueValue(Value::Object(out)))
            }
        }
        d.deserialize_any(V)
    }
}

/// The attributes drift reads of a resource of type `ty`.
pub(crate) fn parse_attributes(
    raw: Option<&RawValue>,
    ty: &str,
) -> Result<Option<Value>, PlanError> {
    let parsed = |r: &RawValue| {
        if ty == "aws_iam_access_key" {
            serde_json::from_str::<Attributes<true>>(r.get()).map(|a| a.0)
        } else {
            serde_json::from_str::<Attributes<false>>(r.get()).map(|a| a.0)
        }
    };
    raw.map(|r| parsed(r).map_err(|e| json_error(&e)))
        .transpose()
}

impl RawChangeBody<'_> {
    /// Parses what drift reads. A no-op keeps its `after`: its `before` is the same.
    pub(crate) fn parse(&self, with_before: bool, ty: &str) -> Result<Change, PlanError> {
        let unchanged = self.actions.iter().all(|a| a == "no-op" || a == "read");
        let before = with_before || !unchanged;
        Ok(Change {
            actions: self.actions.clone(),
            before: if before {
                parse_attributes(self.before, ty)?
            } else {
                None
            },
            after: parse_attributes(self.after, ty)?,
            after_unknown: parse_raw(self.after_unknown)?,
            before_sensitive: if before {
                parse_raw(self.before_sensitive)?
            } else {
                None
            },
            after_sensitive: parse_raw(self.after_sensitive)?,
        })
    }
}

#[derive(Deserialize)]
pub(crate) struct RawPriorState<'a> {
    #[serde(borrow)]
    pub(crate) values: Option<RawStateValues<'a>>,
}

#[derive(Deserialize)]
pub(crate) struct RawStateValues<'a> {
    #[serde(borrow)]
    pub(crate) root_module: Option<RawModule<'a>>,
}

#[derive(Deserialize)]
pub(crate) struct RawModule<'a> {
    /// The module instance (`module.a["x"]`); none for the root module.
    #[serde(borrow, default)]
    pub(crate) address: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    pub(crate) resources: Vec<RawStateResource<'a>>,
    #[serde(borrow, default)]
    pub(crate) child_modules: Vec<RawModule<'a>>,
}

#[derive(Deserialize)]
pub(crate) struct RawStateResource<'a> {
    /// JSON text, compared with the (same) text of the resource changes.
    #[serde(borrow)]
    pub(crate) address: &'a RawValue,
    #[serde(borrow, default)]
    pub(crate) mode: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "type")]
    pub(crate) ty: Cow<'a, str>,
    #[serde(borrow, default)]
    pub(crate) name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) index: Option<&'a RawValue>,
    #[serde(borrow)]
    pub(crate) values: Option<&'a RawValue>,
    #[serde(borrow)]
    pub(crate) sensitive_values: Option<&'a RawValue>,
}

/// A parsed change of a supported resource type.
#[derive(Default, Clone)]
pub(crate) struct Change {
    pub(crate) actions: Vec<String>,
    pub(crate) before: Option<Value>,
    pub(crate) after: Option<Value>,
    pub(crate) after_unknown: Option<Value>,
    pub(crate) before_sensitive: Option<Value>,
    pub(crate) after_sensitive: Option<Value>,
}

/// A JSON string kept as raw text, decoded.
pub(crate) fn json_string(raw: &RawValue) -> Result<String, PlanError> {
    let text = raw.get();
    if let Some(s) = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .and_then(unescape_quotes)
    {
        return Ok(s);
    }
    serde_json::from_str(text).map_err(|e| json_error(&e))
}

/// The inside of a JSON string decoded, when its only escapes are `\"` and
/// `\\` (what Terraform writes in the addresses of `for_each` instances);
/// `None` for anything else, which the JSON reader decodes.
fn unescape_quotes(inner: &str) -> Option<String> {
    let mut out = String::with_capacity(inner.len());
    let mut rest = inner;
    while let Some(at) = rest.find(['\\', '"']) {
        let (run, tail) = rest.split_at(at);
        if run.bytes().any(|b| b < 0x20) {
            return None;
        }
        out.push_str(run);
        let mut tail = tail.chars();
        match (tail.next(), tail.next()) {
            (Some('\\'), Some(c @ ('"' | '\\'))) => out.push(c),
            _ => return None,
        }
        rest = tail.as_str();
    }
    if rest.bytes().any(|b| b < 0x20) {
        return None;
    }
    out.push_str(rest);
    Some(out)
}

pub(crate) fn address_of(rc: &RawChange) -> String {
    if let Some(a) = rc.address.and_then(|a| json_string(a).ok()) {
        return a;
    }
    // Old plans leave `address` out of drift entries: rebuild it.
    let mut a = String::new();
    if let Some(m) = &rc.module_address {
        a.push_str(m);
        a.push('.');
    }
    a.push_str(&rc.ty);
    a.push('.');
    a.push_str(&rc.name);
    if let Some(i) = rc.index {
        a.push('[');
        a.push_str(i.get());
        a.push(']');
    }
    a
}

pub(crate) fn is_delete(actions: &[String]) -> bool {
    actions.iter().any(|a| a == "delete") && !actions.iter().any(|a| a == "create")
}
