//! One resource change, seen from the side drift judges.

use super::super::wire::{is_delete, Change};
use crate::origin::Origin;
use crate::policy_doc::PolicyDoc;
use crate::state::Obj;
use serde_json::Value;
use std::collections::BTreeSet;

/// One resource change, seen from the side drift judges.
pub(super) struct View<'c> {
    /// The judged values: `after` for a change, `before` for a deletion (names only).
    pub(super) values: &'c Value,
    pub(super) before: Option<&'c Value>,
    pub(super) unknown: Option<&'c Value>,
    pub(super) sensitive: Option<&'c Value>,
    pub(super) deleted: bool,
    pub(super) origin: Origin,
}

static NULL: Value = Value::Null;

impl<'c> View<'c> {
    pub(super) fn new(change: &'c Change, origin: Origin) -> View<'c> {
        let deleted = is_delete(&change.actions);
        let values = if deleted {
            change.before.as_ref()
        } else {
            change.after.as_ref().or(change.before.as_ref())
        };
        View {
            values: values.unwrap_or(&NULL),
            before: change.before.as_ref(),
            unknown: if deleted {
                None
            } else {
                change.after_unknown.as_ref()
            },
            sensitive: if deleted {
                change.before_sensitive.as_ref()
            } else {
                change.after_sensitive.as_ref()
            },
            deleted,
            origin,
        }
    }

    pub(super) fn is_unknown(&self, key: &str) -> bool {
        self.unknown.and_then(|u| u.get(key)).is_some_and(any_true)
    }

    pub(super) fn is_sensitive(&self, key: &str) -> bool {
        self.sensitive
            .and_then(|s| s.get(key))
            .is_some_and(any_true)
    }

    pub(super) fn str(&self, key: &str) -> Option<&'c str> {
        self.values.get(key).and_then(Value::as_str)
    }

    /// A string attribute; `None` when unknown or absent; `Some(None)` for null/"".
    pub(super) fn opt_str(&self, key: &str) -> Option<Option<String>> {
        if self.is_unknown(key) {
            return None;
        }
        match self.values.get(key) {
            Some(Value::String(s)) if !s.is_empty() => Some(Some(s.clone())),
            Some(Value::String(_)) | Some(Value::Null) | None => Some(None),
            Some(_) => None,
        }
    }

    /// A known name: `Err(())` when it is known only after apply.
    pub(super) fn name(&self, key: &str) -> Result<Option<String>, ()> {
        if self.is_unknown(key) {
            return Err(());
        }
        Ok(self.str(key).filter(|s| !s.is_empty()).map(str::to_string))
    }

    pub(super) fn before_str(&self, key: &str) -> Option<&'c str> {
        self.before.and_then(|b| b.get(key)).and_then(Value::as_str)
    }

    pub(super) fn strings(v: Option<&Value>) -> Vec<String> {
        match v {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            Some(Value::String(s)) if !s.is_empty() => vec![s.clone()],
            _ => Vec::new(),
        }
    }

    pub(super) fn obj<T>(&self, value: Option<T>) -> Obj<T> {
        Obj {
            origin: self.origin.clone(),
            value,
            unknown: BTreeSet::new(),
            sensitive: BTreeSet::new(),
        }
    }

    pub(super) fn doc(&self, key: &str, cache: &mut DocCache) -> Option<PolicyDoc> {
        cache.doc(self.values.get(key)?)
    }
}

fn any_true(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Array(items) => items.iter().any(any_true),
        Value::Object(map) => map.values().any(any_true),
        _ => false,
    }
}

/// Documents already read, by their text: plans repeat the same trust policy
/// and the same inline policies many times.
#[derive(Default)]
pub(crate) struct DocCache(
    std::collections::HashMap<String, Option<PolicyDoc>, foldhash::fast::RandomState>,
);

/// The attributes that hold a policy document as JSON text.
const DOCUMENT_ATTRIBUTES: &[&str] = &["policy", "assume_role_policy"];

impl DocCache {
    /// The documents a resource's values hold, read ahead of the resource
    /// (by another thread than the one that maps it), each distinct text once
    /// for this cache: `(text, document)`, for [`DocCache::seed`].
    pub(crate) fn read_ahead(
        &mut self,
        values: Option<&Value>,
    ) -> Vec<(String, Option<PolicyDoc>)> {
        let mut out = Vec::new();
        let Some(values) = values else {
            return out;
        };
        for key in DOCUMENT_ATTRIBUTES {
            if let Some(text @ Value::String(s)) = values.get(*key) {
                let doc = self.doc(text);
                out.push((s.clone(), doc));
            }
        }
        out
    }

    /// A document read ahead: what [`DocCache::doc`] gives for `text` from now on.
    pub(crate) fn seed(&mut self, text: String, doc: Option<PolicyDoc>) {
        self.0.entry(text).or_insert(doc);
    }

    pub(super) fn doc(&mut self, value: &Value) -> Option<PolicyDoc> {
        match value {
            Value::String(text) => {
                if let Some(doc) = self.0.get(text) {
                    return doc.clone();
                }
                // A document IAM cannot read is kept as such: never dropped.
                let doc = match PolicyDoc::from_text(text) {
                    Ok(d) => Some(d),
                    Err(_) if text.trim().is_empty() => None,
                    Err(reason) => Some(PolicyDoc::invalid(reason)),
                };
                self.0.insert(text.clone(), doc.clone());
                doc
            }
            Value::Null => None,
            other => Some(PolicyDoc::from_json(other).unwrap_or_else(PolicyDoc::invalid)),
        }
    }
}
