//! The last line of defence for sensitive values: whatever a rule wrote into a
//! finding (message, values, diff, field), every value the source marked
//! sensitive is replaced before any renderer sees it.

use crate::finding::Finding;
use serde_json::Value;
use std::collections::BTreeSet;

/// What a sensitive value is shown as.
pub const MASK: &str = "(sensitive value)";

/// Values shorter than this are not searched for in text: they would match
/// inside ordinary words. Fields that hold them are masked by the rules.
const MIN_LEN: usize = 3;

/// Replaces every sensitive value in the findings.
pub fn redact(findings: &mut [Finding], secrets: &BTreeSet<String>) {
    let mut secrets: Vec<&str> = secrets
        .iter()
        .map(String::as_str)
        .filter(|s| s.chars().count() >= MIN_LEN)
        .collect();
    if secrets.is_empty() {
        return;
    }
    // Longer first, so that no part of one is left after a shorter one.
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for f in findings {
        text(&mut f.message, &secrets);
        text(&mut f.help, &secrets);
        if let Some(field) = &mut f.field {
            text(field, &secrets);
        }
        if let Some(diff) = &mut f.diff {
            text(diff, &secrets);
        }
        value(&mut f.expected, &secrets);
        value(&mut f.observed, &secrets);
    }
}

fn text(s: &mut String, secrets: &[&str]) {
    for secret in secrets {
        if s.contains(secret) {
            *s = s.replace(secret, MASK);
        }
    }
}

fn value(v: &mut Value, secrets: &[&str]) {
    match v {
        Value::String(s) => text(s, secrets),
        Value::Array(items) => items.iter_mut().for_each(|i| value(i, secrets)),
        Value::Object(map) => {
            // Keys too (inline policy names, tag keys).
            let entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
            for (mut k, mut item) in entries {
                text(&mut k, secrets);
                value(&mut item, secrets);
                map.insert(k, item);
            }
        }
        _ => {}
    }
}
