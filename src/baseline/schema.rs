//! The JSON Schema of baseline.yaml, for editors (`drift schema`).

pub const SCHEMA: &str = include_str!("schema.json");

use serde_json::Value;

/// The reference of `baseline.yaml` in markdown, made from the JSON Schema
/// (`drift schema --markdown`, and `docs/baseline-reference.md`): one row per
/// key, with its type, its allowed values and its description.
pub fn reference() -> String {
    let schema: Value = serde_json::from_str(SCHEMA).unwrap_or(Value::Null);
    let mut out = String::from(
        "# baseline.yaml reference\n\nGenerated from the JSON Schema of `baseline.yaml` (`drift schema`) by\n`drift schema --markdown`; a test keeps this page equal to its output. What each\nentry means and how it is judged is in [baseline.md](baseline.md).\n\n",
    );
    if let Some(d) = schema.get("description").and_then(Value::as_str) {
        out.push_str(d);
        out.push_str("\n\n");
    }
    out.push_str("| key | type | description |\n|---|---|---|\n");
    let mut rows = Vec::new();
    walk(&schema, &schema, "", &mut rows, 0);
    for (key, ty, description) in rows {
        out.push_str(&format!(
            "| `{key}` | {} | {} |\n",
            cell(&ty),
            cell(&description)
        ));
    }
    out
}

/// Text that stays in one table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('\n', " ")
}

/// The definition a `$ref` names, or the node itself.
fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(r) => r
            .strip_prefix("#/definitions/")
            .and_then(|name| root.get("definitions")?.get(name))
            .unwrap_or(node),
        None => node,
    }
}

fn walk(
    root: &Value,
    node: &Value,
    path: &str,
    rows: &mut Vec<(String, String, String)>,
    depth: usize,
) {
    let node = resolve(root, node);
    if depth > 12 {
        return;
    }
    if let Some(props) = node.get("properties").and_then(Value::as_object) {
        for (key, child) in props {
            let at = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            let target = resolve(root, child);
            let description = child
                .get("description")
                .or_else(|| target.get("description"))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            rows.push((at.clone(), summary(root, target), description));
            walk(root, target, &at, rows, depth + 1);
        }
    }
    if let Some(extra) = node.get("additionalProperties").filter(|v| v.is_object()) {
        let at = format!(
            "{}NAME",
            if path.is_empty() {
                String::new()
            } else {
                format!("{path}.")
            }
        );
        let target = resolve(root, extra);
        if target.get("properties").is_some() {
            walk(root, target, &at, rows, depth + 1);
        }
    }
    if let Some(items) = node.get("items") {
        for variant in items
            .get("oneOf")
            .and_then(Value::as_array)
            .map_or_else(|| vec![items], |v| v.iter().collect())
        {
            let target = resolve(root, variant);
            if target.get("properties").is_some() {
                walk(root, target, &format!("{path}[]"), rows, depth + 1);
            }
        }
    }
}

/// A node's type in a few words: `integer from 6 to 128`, `one of required,
/// optional`, `list of strings or mappings`.
fn summary(root: &Value, node: &Value) -> String {
    let node = resolve(root, node);
    if let Some(value) = node.get("const") {
        return format!("`{value}`");
    }
    if let Some(values) = node.get("enum").and_then(Value::as_array) {
        let values: Vec<String> = values
            .iter()
            .map(|v| {
                format!(
                    "`{}`",
                    v.as_str().map_or_else(|| v.to_string(), str::to_string)
                )
            })
            .collect();
        return format!("one of {}", values.join(", "));
    }
    if let Some(variants) = node.get("oneOf").and_then(Value::as_array) {
        let kinds: Vec<String> = variants.iter().map(|v| summary(root, v)).collect();
        return kinds.join(", or ");
    }
    let types: Vec<&str> = match node.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let mut words: Vec<String> = types
        .iter()
        .map(|t| match *t {
            "object"
                if node
                    .get("additionalProperties")
                    .is_some_and(Value::is_object) =>
            {
                "mapping of names".to_string()
            }
            "object" => "mapping".to_string(),
            "array" => {
                let of = node
                    .get("items")
                    .map(|i| summary(root, i))
                    .unwrap_or_default();
                if of.is_empty() {
                    "list".to_string()
                } else {
                    format!("list of ({of})")
                }
            }
            other => other.to_string(),
        })
        .collect();
    if words.is_empty() {
        words.push("any".to_string());
    }
    let mut out = words.join(" or ");
    match (node.get("minimum"), node.get("maximum")) {
        (Some(a), Some(b)) => out.push_str(&format!(" from {a} to {b}")),
        (Some(a), None) => out.push_str(&format!(" at least {a}")),
        (None, Some(b)) => out.push_str(&format!(" at most {b}")),
        (None, None) => {}
    }
    if let Some(p) = node.get("pattern").and_then(Value::as_str) {
        out.push_str(&format!(" matching `{p}`"));
    }
    out
}
