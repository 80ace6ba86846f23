//! A YAML tree that keeps the location of every node, read with serde-saphyr.
//!
//! The baseline is first read into this generic tree and then validated by hand,
//! so that every error (unknown keys, wrong types, out-of-range values) can be
//! collected and reported in one run with its line and column.

use crate::finding::Loc;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Value {
    /// The YAML type, as error messages name it.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

impl Node {
    /// Marks every location of the tree as being in baseline file `file`.
    pub fn in_file(&mut self, file: u16) {
        self.loc.file = file;
        match &mut self.value {
            Value::Seq(items) => items.iter_mut().for_each(|n| n.in_file(file)),
            Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
                k.in_file(file);
                v.in_file(file);
            }),
            _ => {}
        }
    }

    /// The node as JSON (for policy documents and tags).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Str(s) => J::String(s.clone()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => J::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.scalar_text(), v.to_json()))
                    .collect(),
            ),
        }
    }

    /// A scalar as text (map keys that YAML read as numbers or booleans).
    pub fn scalar_text(&self) -> String {
        match &self.value {
            Value::Str(s) => s.clone(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Null => "null".to_string(),
            Value::Seq(_) | Value::Map(_) => String::new(),
        }
    }
}

fn loc_of(location: &serde_saphyr::Location) -> Loc {
    let span = location.span();
    Loc {
        line: u32::try_from(location.line()).unwrap_or(u32::MAX),
        column: u32::try_from(location.column()).unwrap_or(u32::MAX),
        offset: span.byte_offset().unwrap_or(0) as usize,
        len: span.byte_len().unwrap_or(0) as usize,
        file: 0,
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned: Spanned<Value> = Spanned::deserialize(d)?;
        Ok(Node {
            loc: loc_of(&spanned.referenced),
            value: spanned.value,
        })
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        Ok(Value::Map(entries))
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

/// A YAML syntax error, with its location when the parser knows it.
#[derive(Debug)]
pub struct SyntaxError {
    pub message: String,
    pub loc: Option<Loc>,
}

/// Reads YAML text into a located tree. YAML 1.2 booleans only (`yes`/`no` stay
/// strings) and numbers with leading zeros stay strings, so that names such as
/// `n` or ids such as `0123` are not silently turned into something else.
///
/// The node and event budgets grow with the size of the text: a large baseline
/// (100,000 users) reads, while aliases that expand without input (a "billion
/// laughs") still stop at once.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    let options = serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        budget: serde_saphyr::budget! {
            max_nodes: text.len().max(250_000),
            max_events: (text.len() * 2).max(1_000_000),
        },
    };
    serde_saphyr::from_str_with_options::<Node>(text, options).map_err(|err| {
        let raw = first_line(&err.to_string());
        let (position, message) = split_position(&raw);
        let mut loc = err.location().map(|l| loc_of(&l));
        // Where the parser's location is missing or lacks an offset, the one its
        // message names is used.
        if let Some((line, column)) = position.or(loc.map(|l| (l.line, l.column))) {
            let offset = offset_of(text, line, column);
            let len = loc.map_or(1, |l| l.len.max(1));
            loc = Some(Loc {
                line,
                column,
                offset,
                len: len.min(text.len().saturating_sub(offset)).max(1),
                file: 0,
            });
        }
        SyntaxError {
            loc,
            message: in_our_words(message),
        }
    })
}

fn first_line(s: &str) -> String {
    s.lines()
        .next()
        .unwrap_or("invalid YAML")
        .trim()
        .to_string()
}

/// `error: line 3 column 10: unclosed bracket` into `(3, 10)` and the rest.
fn split_position(raw: &str) -> (Option<(u32, u32)>, &str) {
    let rest = raw.strip_prefix("error: ").unwrap_or(raw);
    let Some(after) = rest.strip_prefix("line ") else {
        return (None, rest);
    };
    let Some((line, after)) = after.split_once(" column ") else {
        return (None, rest);
    };
    let Some((column, message)) = after.split_once(": ") else {
        return (None, rest);
    };
    match (line.parse(), column.parse()) {
        (Ok(l), Ok(c)) => (Some((l, c)), message),
        _ => (None, rest),
    }
}

/// The byte offset of a 1-based line and column (columns count characters).
fn offset_of(text: &str, line: u32, column: u32) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line as usize {
            let col: usize = l
                .char_indices()
                .nth(column.saturating_sub(1) as usize)
                .map_or(l.len(), |(b, _)| b);
            return (offset + col).min(text.len());
        }
        offset += l.len();
    }
    text.len()
}

/// The parser's messages that name its own API, in the baseline's words.
fn in_our_words(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(", set ").next().unwrap_or(rest);
        return format!("`{key}` is declared twice in the same mapping");
    }
    if message.contains("multiple YAML documents") {
        return "the baseline must be one YAML document: remove the `---` line and what follows it, or merge the documents".to_string();
    }
    if message.contains("budget breached") {
        return "the baseline expands to more YAML nodes than its size allows (aliases such as `*ref` that repeat large parts?)".to_string();
    }
    message.to_string()
}
