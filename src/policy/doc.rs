//! IAM policy documents compared by meaning, not text.
//!
//! Two documents are equal when they grant the same thing in the same words:
//! key order, whitespace, a single string vs a one-element list, the order of
//! statements and of actions, the case of action names, and the URL-encoding that
//! IAM APIs return make no difference. Nor, as IAM reads them, do an empty `Sid`
//! (no `Sid`), an account id as an AWS principal (that account's root ARN), the
//! case of condition key names, or a statement written twice. What IAM tells
//! apart stays apart: the case of values, `StringLike` vs `StringEquals`,
//! `...IfExists`, `Version`, `NotPrincipal`, and `"*"` vs `{"AWS": "*"}`.

use serde_json::{Map, Value};

/// A normalized policy document. Equality is by meaning (`canonical`, with action
/// names in lower case); what is shown keeps the author's spelling (`normalized`).
/// Both are kept as compact JSON text: a large plan holds tens of thousands of
/// documents, and text takes a fraction of the memory of a JSON tree.
/// Shared text: the same document (a common trust policy) is cheap to copy. The
/// canonical form is made only when two documents differ in spelling.
#[derive(Debug, Clone)]
pub struct PolicyDoc {
    normalized: std::sync::Arc<str>,
    /// Why the source's text is not a policy document (not JSON, nested too
    /// deep, not an object): such a document equals no other.
    invalid: Option<std::sync::Arc<str>>,
}

impl PartialEq for PolicyDoc {
    fn eq(&self, other: &Self) -> bool {
        if self.invalid.is_some() || other.invalid.is_some() {
            return false;
        }
        self.normalized == other.normalized || self.canonical() == other.canonical()
    }
}

impl PolicyDoc {
    fn new(doc: &Value) -> PolicyDoc {
        PolicyDoc {
            normalized: normalize_document(doc).to_string().into(),
            invalid: None,
        }
    }

    /// A document the source holds that is not a policy document, and why.
    pub fn invalid(reason: impl Into<String>) -> PolicyDoc {
        let reason: String = reason.into();
        PolicyDoc {
            normalized: Value::Object(
                [(
                    "(not a valid policy document)".to_string(),
                    Value::String(reason.clone()),
                )]
                .into_iter()
                .collect(),
            )
            .to_string()
            .into(),
            invalid: Some(reason.into()),
        }
    }

    /// Why this is not a valid policy document, if it is not.
    pub fn invalid_reason(&self) -> Option<&str> {
        self.invalid.as_deref()
    }

    /// The document with action names in lower case and statements in one
    /// order: what equality compares.
    fn canonical(&self) -> Value {
        let mut value = self.value();
        fold_actions(&mut value);
        value
    }
}

/// Keys whose value may be a string or a list of strings, order not significant.
const LIST_KEYS: &[&str] = &["Action", "NotAction", "Resource", "NotResource"];
/// Keys whose string values are case-insensitive in IAM.
const CASELESS_KEYS: &[&str] = &["Action", "NotAction"];

impl PolicyDoc {
    /// A document from a JSON value; a string value is read as JSON text.
    pub fn from_json(value: &Value) -> Result<PolicyDoc, String> {
        match value {
            Value::String(text) => PolicyDoc::from_text(text),
            Value::Object(_) => Ok(PolicyDoc::new(value)),
            other => Err(format!(
                "a policy document must be a JSON object or a JSON string, not {}",
                json_kind(other)
            )),
        }
    }

    /// A document from JSON text, URL-encoded (as IAM APIs return it) or not.
    pub fn from_text(text: &str) -> Result<PolicyDoc, String> {
        let trimmed = text.trim();
        let decoded;
        let json_text = if !trimmed.starts_with('{') && trimmed.contains('%') {
            decoded = percent_decode(trimmed)?;
            decoded.as_str()
        } else {
            trimmed
        };
        let value: Value = serde_json::from_str(json_text)
            .map_err(|e| format!("the policy document is not valid JSON: {e}"))?;
        if !value.is_object() {
            return Err(format!(
                "a policy document must be a JSON object, not {}",
                json_kind(&value)
            ));
        }
        // JSON readers keep one of two equal keys silently: a document that
        // says two things is not read as either.
        if let Some(key) = super::tree::duplicate_key(json_text) {
            return Err(format!("the policy document holds the key `{key}` twice"));
        }
        Ok(PolicyDoc::new(&value))
    }

    /// A document with nothing in it (a placeholder for one known only after apply).
    pub fn empty() -> PolicyDoc {
        PolicyDoc::new(&Value::Object(Map::new()))
    }

    /// The normalized document's JSON text.
    pub fn normalized_text(&self) -> &str {
        &self.normalized
    }

    /// What tells this document apart from any other, cheap to copy: its
    /// normalized text (shared, not copied), and whether it is a valid
    /// document at all (an invalid one's text says why, and could be written
    /// as a valid document).
    pub fn key(&self) -> (bool, std::sync::Arc<str>) {
        (self.invalid.is_some(), self.normalized.clone())
    }

    pub fn value(&self) -> Value {
        serde_json::from_str(&self.normalized).unwrap_or(Value::Null)
    }

    /// The normalized document as indented JSON, keys sorted.
    pub fn pretty(&self) -> String {
        let mut out = String::new();
        write_pretty(&self.value(), 0, &mut out);
        out
    }
}

/// A unified diff of two documents, normalized (expected is the baseline).
pub fn unified_diff(expected: &PolicyDoc, observed: &PolicyDoc) -> String {
    let a = expected.pretty() + "\n";
    let b = observed.pretty() + "\n";
    similar::TextDiff::from_lines(&a, &b)
        .unified_diff()
        .context_radius(3)
        .header("baseline", "observed")
        .to_string()
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn percent_decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| "the policy document has a bad URL escape".to_string())?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "the URL-decoded policy document is not UTF-8".to_string())
}

fn normalize_document(doc: &Value) -> Value {
    let Value::Object(map) = doc else {
        return doc.clone();
    };
    let mut out = Map::new();
    for (key, value) in sorted(map) {
        let normalized = if key == "Statement" {
            let mut statements: Vec<Value> = match value {
                Value::Array(items) => items.iter().map(normalize_statement).collect(),
                other => vec![normalize_statement(other)],
            };
            // The author's order is kept, so that "statement 2" means what the
            // author reads (equality sorts them: see `canonical`). A statement
            // written twice grants what it grants once (one statement, the
            // usual document, is not written out to be compared).
            if statements.len() > 1 {
                let mut seen = std::collections::HashSet::new();
                statements.retain(|s| seen.insert(s.to_string()));
            }
            Value::Array(statements)
        } else {
            value.clone()
        };
        out.insert(key.clone(), normalized);
    }
    Value::Object(out)
}

fn normalize_statement(statement: &Value) -> Value {
    let Value::Object(map) = statement else {
        return statement.clone();
    };
    let mut out = Map::new();
    for (key, value) in sorted(map) {
        // An empty `Sid` is no `Sid`.
        if key == "Sid" && value.as_str() == Some("") {
            continue;
        }
        let normalized = if LIST_KEYS.contains(&key.as_str()) {
            string_set(value, CASELESS_KEYS.contains(&key.as_str()))
        } else if key == "Principal" || key == "NotPrincipal" {
            match value {
                Value::Object(principals) => Value::Object(
                    sorted(principals)
                        .map(|(k, v)| {
                            let set = string_set(v, false);
                            let set = if k == "AWS" { account_roots(set) } else { set };
                            (k.clone(), set)
                        })
                        .collect(),
                ),
                other => other.clone(),
            }
        } else if key == "Condition" {
            match value {
                Value::Object(operators) => Value::Object(
                    sorted(operators)
                        .map(|(op, keys)| {
                            let keys = match keys {
                                Value::Object(keys) => Value::Object(
                                    sorted(keys)
                                        .map(|(k, v)| (k.clone(), string_set(v, false)))
                                        .collect(),
                                ),
                                other => other.clone(),
                            };
                            (op.clone(), keys)
                        })
                        .collect(),
                ),
                other => other.clone(),
            }
        } else {
            value.clone()
        };
        out.insert(key.clone(), normalized);
    }
    Value::Object(out)
}

/// An AWS principal given as a 12-digit account id is that account's root.
fn account_roots(set: Value) -> Value {
    let Value::Array(items) = set else {
        return set;
    };
    let mut strings: Vec<String> = items
        .into_iter()
        .map(|v| match v {
            Value::String(s) if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) => {
                format!("arn:aws:iam::{s}:root")
            }
            Value::String(s) => s,
            other => other.to_string(),
        })
        .collect();
    strings.sort();
    strings.dedup();
    Value::Array(strings.into_iter().map(Value::String).collect())
}

/// Lowers the action names and the condition key names of every statement
/// (IAM reads both without case), then drops statements that became twins.
fn fold_actions(doc: &mut Value) {
    if let Some(Value::Array(statements)) = doc.get_mut("Statement") {
        for statement in statements.iter_mut() {
            if let Some(Value::Object(operators)) = statement.get_mut("Condition") {
                for keys in operators.values_mut() {
                    if let Value::Object(map) = keys {
                        let mut folded: Vec<(String, Value)> = std::mem::take(map)
                            .into_iter()
                            .map(|(k, v)| (k.to_ascii_lowercase(), v))
                            .collect();
                        folded.sort_by(|a, b| a.0.cmp(&b.0));
                        *map = folded.into_iter().collect();
                    }
                }
            }
        }
        for statement in statements.iter_mut() {
            for key in CASELESS_KEYS {
                if let Some(Value::Array(items)) = statement.get_mut(*key) {
                    for item in items {
                        if let Value::String(s) = item {
                            s.make_ascii_lowercase();
                        }
                    }
                }
            }
        }
        statements.sort_by_cached_key(Value::to_string);
        statements.dedup();
    }
}

fn sorted(map: &Map<String, Value>) -> impl Iterator<Item = (&String, &Value)> {
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries.into_iter()
}

/// A string or list of scalars as a sorted list of distinct strings. Caseless
/// values sort and compare without case.
fn string_set(value: &Value, caseless: bool) -> Value {
    let items: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    let mut strings: Vec<String> = items
        .into_iter()
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect();
    if caseless {
        strings.sort_by_key(|s| s.to_ascii_lowercase());
        strings.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    } else {
        strings.sort();
        strings.dedup();
    }
    Value::Array(strings.into_iter().map(Value::String).collect())
}

fn write_pretty(value: &Value, indent: usize, out: &mut String) {
    let pad = |n: usize| "  ".repeat(n);
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push_str("{\n");
            let entries: Vec<_> = sorted(map).collect();
            for (i, (k, v)) in entries.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push_str(": ");
                write_pretty(v, indent + 1, out);
                if i + 1 < entries.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&pad(indent));
            out.push('}');
        }
        Value::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                write_pretty(item, indent + 1, out);
                if i + 1 < items.len() {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&pad(indent));
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}
