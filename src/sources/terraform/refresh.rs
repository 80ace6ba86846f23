//! Terraform's refresh (`resource_drift`): which attributes really changed.

use crate::policy_doc::PolicyDoc;
use serde_json::Value;
use std::collections::BTreeSet;

/// The finding fields a Terraform attribute is judged in.
pub(super) fn finding_fields(attr: &str) -> Vec<&str> {
    match attr {
        "policy" => vec!["document", "policy", "inline_policies"],
        "policy_arn" | "managed_policy_arns" => vec!["managed_policies"],
        "inline_policy" => vec!["inline_policies"],
        "groups" | "users" | "group" | "user" => vec!["groups"],
        "role" | "roles" => vec!["roles"],
        "account_alias" => vec!["alias"],
        "tags" | "tags_all" => vec!["tags"],
        "username" | "ssh_public_key_id" => vec!["status"],
        other => vec![other],
    }
}

/// Whether two attribute values differ in substance: `null`, `{}`, `[]` and `""`
/// are all "nothing", and policy JSON strings compare by meaning.
fn same_value(a: Option<&Value>, b: Option<&Value>) -> bool {
    let empty = |v: Option<&Value>| match v {
        None | Some(Value::Null) => true,
        Some(Value::Object(m)) => m.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::String(s)) => s.is_empty(),
        _ => false,
    };
    if empty(a) && empty(b) {
        return true;
    }
    match (a, b) {
        (Some(Value::String(x)), Some(Value::String(y))) if x.trim_start().starts_with('{') => {
            match (PolicyDoc::from_text(x), PolicyDoc::from_text(y)) {
                (Ok(p), Ok(q)) => p == q,
                _ => x == y,
            }
        }
        (Some(Value::Array(x)), Some(Value::Array(y))) => {
            // Terraform sets: order does not matter.
            let mut xs: Vec<String> = x.iter().map(Value::to_string).collect();
            let mut ys: Vec<String> = y.iter().map(Value::to_string).collect();
            xs.sort();
            ys.sort();
            xs == ys
        }
        _ => a == b,
    }
}

/// The top-level attributes whose values differ in substance.
pub(super) fn changed_attributes(
    before: Option<&Value>,
    after: Option<&Value>,
) -> BTreeSet<String> {
    let empty = serde_json::Map::new();
    let b = before.and_then(Value::as_object).unwrap_or(&empty);
    let a = after.and_then(Value::as_object).unwrap_or(&empty);
    b.keys()
        .chain(a.keys())
        .filter(|k| !same_value(b.get(*k), a.get(*k)))
        .cloned()
        .collect()
}
