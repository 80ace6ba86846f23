//! Deterministic random generation of IAM policy documents, of edits of them,
//! and of concrete requests, for property tests.
//!
//! This module sits beside `eval.rs` (both modules of the same parent) and
//! uses it through `super::eval`. Only `std` and `serde_json` are used; the
//! pseudo-random generator is splitmix64.
//!
//! Everything is deterministic for a given seed: the only source of
//! randomness is [`Rng`], and JSON objects are iterated in the map's own
//! (deterministic) order.
//!
//! The vocabulary is deliberately small (five services, ten actions, two
//! accounts, a dozen condition keys) so that random requests hit the random
//! patterns often.
//!
//! Note for the 2024 edition: `gen` is a reserved keyword there, so declare
//! this module as `mod r#gen;` (or `#[path = "gen.rs"] mod generator;`).

use super::eval::{glob_match, parse_instant, Request};
use serde_json::{json, Map, Value};
use std::collections::btree_map::Entry;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// A small deterministic pseudo-random generator (splitmix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`; panics when `n == 0`.
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "Rng::below(0)");
        // Reject the top partial bucket so that every residue is equally likely.
        let zone = u64::MAX - u64::MAX % n;
        loop {
            let x = self.next_u64();
            if x < zone {
                return x % n;
            }
        }
    }

    /// One element, uniformly; panics on an empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        assert!(!items.is_empty(), "Rng::pick from an empty slice");
        &items[self.below(items.len() as u64) as usize]
    }

    /// True with probability `num / den`.
    pub fn chance(&mut self, num: u64, den: u64) -> bool {
        self.below(den) < num
    }
}

// ---------------------------------------------------------------------------
// Vocabulary

pub const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "iam:PassRole",
    "iam:CreateAccessKey",
    "iam:AttachUserPolicy",
    "ec2:RunInstances",
    "sts:AssumeRole",
    "sts:AssumeRoleWithWebIdentity",
    "lambda:CreateFunction",
];

/// Resource patterns documents start from.
pub const RESOURCE_PATTERNS: &[&str] = &[
    "*",
    "arn:aws:s3:::bucket",
    "arn:aws:s3:::bucket/*",
    "arn:aws:s3:::bucket/key",
    "arn:aws:iam::111122223333:role/app",
    "arn:aws:iam::111122223333:user/*",
];

/// Concrete resources requests are drawn from (and patterns narrowed toward).
pub const RESOURCES: &[&str] = &[
    "arn:aws:s3:::bucket",
    "arn:aws:s3:::bucket/key",
    "arn:aws:s3:::bucket/home/alice/notes.txt",
    "arn:aws:s3:::other-bucket",
    "arn:aws:s3:::other-bucket/key",
    "arn:aws:iam::111122223333:role/app",
    "arn:aws:iam::111122223333:role/admin",
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:iam::444455556666:role/app",
    "arn:aws:ec2:us-east-1:111122223333:instance/i-0abc",
    "arn:aws:lambda:us-east-1:111122223333:function:fn",
];

pub const ACCOUNTS: &[&str] = &["111122223333", "444455556666"];

pub const GITHUB_PROVIDER: &str =
    "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";

const SERVICES: &[&str] = &["ec2.amazonaws.com", "lambda.amazonaws.com"];

/// Request principals that do not come from the documents.
const PRINCIPALS: &[(&str, &str)] = &[
    ("AWS", "arn:aws:iam::111122223333:root"),
    ("AWS", "arn:aws:iam::111122223333:role/app"),
    ("AWS", "arn:aws:iam::111122223333:user/alice"),
    ("AWS", "arn:aws:sts::111122223333:assumed-role/app/session"),
    ("AWS", "arn:aws:iam::444455556666:root"),
    ("AWS", "arn:aws:iam::444455556666:role/app"),
    ("AWS", "111122223333"),
    ("Service", "ec2.amazonaws.com"),
    ("Service", "lambda.amazonaws.com"),
    ("Federated", GITHUB_PROVIDER),
    ("Federated", "cognito-identity.amazonaws.com"),
    (
        "CanonicalUser",
        "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",
    ),
];

const ACTION_FILLERS: &[&str] = &["", "Get", "Object", "Put", "List", "x", "GetObject"];
const RESOURCE_FILLERS: &[&str] = &[
    "",
    "key",
    "/",
    "bucket",
    "bucket/key",
    "role/app",
    "111122223333",
    "x",
];
const TEXT_FILLERS: &[&str] = &["", "x", "app", "main", "app:ref:refs/heads/main", "home/"];
const ONE_CHAR_FILLERS: &[char] = &['a', 'b', 'G', '/', '1'];

/// A condition key, the operators it is used with (the first is its natural
/// one, never `Null`), and typical condition values.
struct Template {
    key: &'static str,
    ops: &'static [&'static str],
    values: &'static [&'static str],
}

const TEMPLATES: &[Template] = &[
    Template {
        key: "aws:SourceIp",
        ops: &["IpAddress", "NotIpAddress", "IpAddressIfExists"],
        values: &[
            "203.0.113.0/24",
            "198.51.100.0/24",
            "10.0.0.0/8",
            "192.0.2.7/32",
            "192.0.2.7",
        ],
    },
    Template {
        key: "aws:PrincipalOrgID",
        ops: &[
            "StringEquals",
            "StringNotEquals",
            "StringLike",
            "StringNotEqualsIfExists",
        ],
        values: &["o-abc123", "o-xyz789", "o-abc*"],
    },
    Template {
        key: "aws:username",
        ops: &[
            "StringEquals",
            "StringLike",
            "StringEqualsIgnoreCase",
            "StringNotEqualsIgnoreCase",
            "StringNotLike",
        ],
        values: &["alice", "bob", "Alice", "a*", "?ob"],
    },
    Template {
        key: "s3:prefix",
        ops: &["StringLike", "StringEquals", "StringNotLike"],
        values: &["home/", "home/*", "public/*", ""],
    },
    Template {
        key: "aws:MultiFactorAuthPresent",
        ops: &["Bool", "BoolIfExists", "Null"],
        values: &["true", "false"],
    },
    Template {
        key: "aws:SecureTransport",
        ops: &["Bool", "Null"],
        values: &["true", "false"],
    },
    Template {
        key: "aws:CurrentTime",
        ops: &[
            "DateGreaterThan",
            "DateLessThan",
            "DateGreaterThanEquals",
            "DateLessThanEquals",
            "DateEquals",
            "DateNotEquals",
        ],
        values: &[
            "2024-01-01T00:00:00Z",
            "2025-06-30T12:00:00+02:00",
            "2024-06-01",
            "1700000000",
        ],
    },
    Template {
        key: "aws:MultiFactorAuthAge",
        ops: &[
            "NumericLessThan",
            "NumericLessThanEquals",
            "NumericGreaterThan",
            "NumericGreaterThanEquals",
            "NumericEquals",
            "NumericNotEquals",
        ],
        values: &["3600", "300", "0", "86400"],
    },
    Template {
        key: "token.actions.githubusercontent.com:sub",
        ops: &["StringLike", "StringEquals", "StringNotLike"],
        values: &[
            "repo:octo-org/*",
            "repo:octo-org/app:ref:refs/heads/main",
            "repo:octo-org/app:*",
            "repo:evil/*",
        ],
    },
    Template {
        key: "token.actions.githubusercontent.com:aud",
        ops: &["StringEquals"],
        values: &["sts.amazonaws.com"],
    },
    Template {
        key: "aws:TagKeys",
        ops: &[
            "ForAllValues:StringEquals",
            "ForAnyValue:StringEquals",
            "ForAllValues:StringLike",
            "ForAnyValue:StringLike",
            "ForAllValues:StringNotEquals",
        ],
        values: &["env", "team", "cost*"],
    },
    Template {
        key: "aws:PrincipalArn",
        ops: &["ArnLike", "ArnEquals", "ArnNotLike", "ArnNotEquals"],
        values: &[
            "arn:aws:iam::111122223333:role/*",
            "arn:aws:iam::111122223333:role/app",
            "arn:aws:iam::444455556666:*",
        ],
    },
    Template {
        key: "aws:userid",
        ops: &["BinaryEquals"],
        values: &["QmluYXJ5", "T3RoZXI="],
    },
];

/// Operators that an edit may swap for one another (values stay readable).
const FAMILIES: &[&[&str]] = &[
    &[
        "StringEquals",
        "StringNotEquals",
        "StringEqualsIgnoreCase",
        "StringNotEqualsIgnoreCase",
        "StringLike",
        "StringNotLike",
    ],
    &[
        "NumericEquals",
        "NumericNotEquals",
        "NumericLessThan",
        "NumericLessThanEquals",
        "NumericGreaterThan",
        "NumericGreaterThanEquals",
    ],
    &[
        "DateEquals",
        "DateNotEquals",
        "DateLessThan",
        "DateLessThanEquals",
        "DateGreaterThan",
        "DateGreaterThanEquals",
    ],
    &["IpAddress", "NotIpAddress"],
    &["ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"],
    &["Bool", "Null"],
    &["BinaryEquals"],
];

fn template_for(key: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.key.eq_ignore_ascii_case(key))
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

// ---------------------------------------------------------------------------
// Operators

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Number,
    Date,
    Bool,
    Ip,
}

/// `(qualifier with its colon or "", base name, IfExists)`.
fn split_operator(op: &str) -> (&str, &str, bool) {
    let (qualifier, rest) = match op.find(':') {
        Some(i) => (&op[..=i], &op[i + 1..]),
        None => ("", op),
    };
    match rest.strip_suffix("IfExists") {
        Some(base) => (qualifier, base, true),
        None => (qualifier, rest, false),
    }
}

fn join_operator(qualifier: &str, base: &str, if_exists: bool) -> String {
    format!(
        "{qualifier}{base}{}",
        if if_exists { "IfExists" } else { "" }
    )
}

fn kind_of(base: &str) -> Kind {
    if base.starts_with("Numeric") {
        Kind::Number
    } else if base.starts_with("Date") {
        Kind::Date
    } else if base == "Bool" || base == "Null" {
        Kind::Bool
    } else if base == "IpAddress" || base == "NotIpAddress" {
        Kind::Ip
    } else {
        Kind::Text
    }
}

// ---------------------------------------------------------------------------
// Patterns

fn is_wildcard(c: char) -> bool {
    c == '*' || c == '?'
}

/// Whether cutting a pattern just before `chars[k]` falls on a natural
/// boundary: after `:` or `/`, or (for actions) before an upper-case letter
/// of the action name (`s3:Get|Object`).
fn is_boundary(chars: &[char], k: usize, action: bool) -> bool {
    k == 0
        || matches!(chars[k - 1], ':' | '/')
        || (action && k < chars.len() && chars[k].is_ascii_uppercase() && chars[..k].contains(&':'))
}

/// A wider pattern: `s3:GetObject` -> `s3:Get*` -> `s3:*` -> `*` (the next
/// step up, most of the time), or a `?` in place of one character.
fn widen(rng: &mut Rng, pattern: &str, action: bool) -> Option<String> {
    if pattern == "*" {
        return None;
    }
    let chars: Vec<char> = pattern.chars().collect();
    let prefix = chars
        .iter()
        .position(|&c| is_wildcard(c))
        .unwrap_or(chars.len());
    if rng.chance(1, 8) {
        let literal: Vec<usize> = (0..prefix)
            .filter(|&i| !matches!(chars[i], ':' | '/'))
            .collect();
        if !literal.is_empty() {
            let mut out = chars.clone();
            out[*rng.pick(&literal)] = '?';
            return Some(out.into_iter().collect());
        }
    }
    // Cutting at k gives chars[..k] + "*", which covers the pattern whenever
    // k <= prefix.
    let any_cut = rng.chance(1, 6);
    let cuts: Vec<String> = (0..=prefix)
        .filter(|&k| {
            any_cut || is_boundary(&chars, k, action) || (k == prefix && prefix < chars.len())
        })
        .map(|k| chars[..k].iter().collect::<String>() + "*")
        .filter(|cut| cut != pattern)
        .collect();
    if cuts.is_empty() {
        return None;
    }
    // cuts are from the widest to the narrowest.
    if rng.chance(3, 4) {
        cuts.last().cloned()
    } else {
        Some(rng.pick(&cuts).clone())
    }
}

/// A narrower pattern, toward one of the concrete names it matches:
/// `*` -> `s3:*` -> `s3:Get*` -> `s3:GetObject` (the next step down, half of
/// the time).
fn narrow(rng: &mut Rng, pattern: &str, vocabulary: &[&str], action: bool) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let prefix = chars.iter().position(|&c| is_wildcard(c))?;
    let matching: Vec<&str> = vocabulary
        .iter()
        .copied()
        .filter(|name| glob_match(pattern, name, action))
        .collect();
    if matching.is_empty() {
        return None;
    }
    let name: Vec<char> = rng.pick(&matching).chars().collect();
    let mut cuts: Vec<usize> = (prefix + 1..name.len())
        .filter(|&k| is_boundary(&name, k, action))
        .collect();
    cuts.push(name.len());
    let k = if rng.chance(1, 2) {
        cuts[0]
    } else {
        *rng.pick(&cuts)
    };
    let mut out: String = name[..k].iter().collect();
    if k < name.len() {
        out.push('*');
    }
    if out == pattern {
        None
    } else {
        Some(out)
    }
}

/// Replaces each `*` by a filler (possibly empty) and each `?` by one
/// character.
fn fill_wildcards(rng: &mut Rng, pattern: &str, fillers: &[&str]) -> String {
    let mut out = String::new();
    for c in pattern.chars() {
        match c {
            '*' => {
                let filler = *rng.pick(fillers);
                out.push_str(filler);
            }
            '?' => out.push(*rng.pick(ONE_CHAR_FILLERS)),
            c => out.push(c),
        }
    }
    out
}

/// A concrete name matched by the pattern: one of the vocabulary, or the
/// pattern with its wildcards filled.
fn instantiate(
    rng: &mut Rng,
    pattern: &str,
    vocabulary: &[&str],
    ignore_case: bool,
    fillers: &[&str],
) -> String {
    if rng.chance(1, 2) {
        let matching: Vec<&str> = vocabulary
            .iter()
            .copied()
            .filter(|name| glob_match(pattern, name, ignore_case))
            .collect();
        if !matching.is_empty() {
            return rng.pick(&matching).to_string();
        }
    }
    fill_wildcards(rng, pattern, fillers)
}

fn mix_case(rng: &mut Rng, s: &str) -> String {
    match rng.below(3) {
        0 => s.to_lowercase(),
        1 => s.to_uppercase(),
        _ => s
            .chars()
            .map(|c| {
                if rng.chance(1, 2) {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect(),
    }
}

fn action_pattern(rng: &mut Rng) -> String {
    let mut pattern = rng.pick(ACTIONS).to_string();
    let steps = *rng.pick(&[0, 0, 0, 1, 1, 2, 3]);
    for _ in 0..steps {
        if let Some(wider) = widen(rng, &pattern, true) {
            pattern = wider;
        }
    }
    if rng.chance(1, 8) {
        pattern = mix_case(rng, &pattern);
    }
    pattern
}

fn resource_pattern(rng: &mut Rng) -> String {
    if rng.chance(1, 2) {
        return rng.pick(RESOURCE_PATTERNS).to_string();
    }
    let mut pattern = rng.pick(RESOURCES).to_string();
    let steps = *rng.pick(&[0, 0, 1, 1, 2]);
    for _ in 0..steps {
        if let Some(wider) = widen(rng, &pattern, false) {
            pattern = wider;
        }
    }
    pattern
}

/// One string, or a list (always a list when there are several).
fn string_or_list(rng: &mut Rng, items: Vec<String>) -> Value {
    if items.len() == 1 && rng.chance(3, 4) {
        json!(items[0])
    } else {
        json!(items)
    }
}

/// The strings of a string-or-list element.
fn string_items(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::String(s) => Some(vec![s.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Documents

/// A random policy document with 1-3 statements: an identity policy (Action
/// or NotAction, Resource or NotResource, sometimes a Condition), or, when
/// `trust`, a trust policy (Principal or NotPrincipal, no Resource).
/// `Version` is always present.
pub fn document(rng: &mut Rng, trust: bool) -> Value {
    let count = 1 + rng.below(3) as usize;
    let mut statements: Vec<Value> = (0..count).map(|_| statement(rng, trust)).collect();
    let version = if rng.chance(1, 10) {
        "2008-10-17"
    } else {
        "2012-10-17"
    };
    let statement = if count == 1 && rng.chance(1, 3) {
        statements.remove(0)
    } else {
        Value::Array(statements)
    };
    json!({"Version": version, "Statement": statement})
}

fn new_sid(rng: &mut Rng, old: Option<&str>) -> String {
    loop {
        let sid = format!("Stmt{}", rng.below(1000));
        if Some(sid.as_str()) != old {
            return sid;
        }
    }
}

fn statement(rng: &mut Rng, trust: bool) -> Value {
    let mut st = Map::new();
    if rng.chance(1, 2) {
        st.insert("Sid".into(), json!(new_sid(rng, None)));
    }
    let deny = rng.chance(1, if trust { 6 } else { 4 });
    st.insert("Effect".into(), json!(if deny { "Deny" } else { "Allow" }));
    let mut condition = Map::new();
    if trust {
        let (principal, federated) = principal_element(rng);
        let key = if deny && rng.chance(1, 4) {
            "NotPrincipal"
        } else {
            "Principal"
        };
        st.insert(key.into(), principal);
        let action = if federated {
            "sts:AssumeRoleWithWebIdentity".to_string()
        } else if rng.chance(3, 4) {
            "sts:AssumeRole".to_string()
        } else {
            action_pattern(rng)
        };
        let action = string_or_list(rng, vec![action]);
        st.insert("Action".into(), action);
        if federated && rng.chance(3, 4) {
            github_conditions(rng, &mut condition);
        }
        if rng.chance(1, 4) {
            add_random_condition(rng, &mut condition);
        }
    } else {
        let mut actions: Vec<String> = (0..1 + rng.below(2)).map(|_| action_pattern(rng)).collect();
        actions.dedup();
        let key = if rng.chance(1, 6) {
            "NotAction"
        } else {
            "Action"
        };
        let actions = string_or_list(rng, actions);
        st.insert(key.into(), actions);
        let mut resources: Vec<String> = (0..1 + rng.below(2))
            .map(|_| resource_pattern(rng))
            .collect();
        resources.dedup();
        let key = if rng.chance(1, 6) {
            "NotResource"
        } else {
            "Resource"
        };
        let resources = string_or_list(rng, resources);
        st.insert(key.into(), resources);
        if rng.chance(1, 3) {
            for _ in 0..1 + rng.below(2) {
                add_random_condition(rng, &mut condition);
            }
        }
    }
    if !condition.is_empty() {
        st.insert("Condition".into(), Value::Object(condition));
    }
    Value::Object(st)
}

/// An AWS principal value: an account id, an account root ARN, or a role ARN.
fn aws_principal_value(rng: &mut Rng) -> String {
    let account = rng.pick(ACCOUNTS);
    match rng.below(3) {
        0 => account.to_string(),
        1 => format!("arn:aws:iam::{account}:root"),
        _ => format!("arn:aws:iam::{account}:role/app"),
    }
}

/// One `(type, value)` entry a principal edit may add.
fn principal_entry_choice(rng: &mut Rng) -> (String, String) {
    match rng.below(6) {
        0..=2 => ("AWS".into(), aws_principal_value(rng)),
        3 => ("AWS".into(), "*".into()),
        4 => ("Service".into(), rng.pick(SERVICES).to_string()),
        _ => ("Federated".into(), GITHUB_PROVIDER.into()),
    }
}

/// A Principal element, and whether it is the GitHub OIDC provider.
fn principal_element(rng: &mut Rng) -> (Value, bool) {
    match rng.below(9) {
        0..=2 => (json!({"AWS": aws_principal_value(rng)}), false),
        3 => (json!("*"), false),
        4 => (json!({"AWS": "*"}), false),
        5 => (json!({"Service": rng.pick(SERVICES)}), false),
        6 => (json!({"Federated": GITHUB_PROVIDER}), true),
        7 => {
            let first = aws_principal_value(rng);
            let mut second = aws_principal_value(rng);
            while second == first {
                second = aws_principal_value(rng);
            }
            (json!({"AWS": [first, second]}), false)
        }
        _ => (
            json!({"AWS": aws_principal_value(rng), "Service": rng.pick(SERVICES)}),
            false,
        ),
    }
}

fn github_conditions(rng: &mut Rng, condition: &mut Map<String, Value>) {
    insert_condition(
        condition,
        "StringEquals",
        "token.actions.githubusercontent.com:aud",
        json!("sts.amazonaws.com"),
    );
    let sub = template_for("token.actions.githubusercontent.com:sub").expect("template");
    let op = if rng.chance(3, 4) {
        "StringLike"
    } else {
        "StringEquals"
    };
    insert_condition(
        condition,
        op,
        "token.actions.githubusercontent.com:sub",
        json!(rng.pick(sub.values)),
    );
}

/// A condition value in its JSON form: numbers sometimes as JSON numbers,
/// booleans sometimes as JSON booleans.
fn encode_value(rng: &mut Rng, kind: Kind, text: &str) -> Value {
    match kind {
        Kind::Number if rng.chance(1, 2) => match text.parse::<i64>() {
            Ok(n) => json!(n),
            Err(_) => json!(text),
        },
        Kind::Bool if rng.chance(1, 3) => match text {
            "true" => json!(true),
            "false" => json!(false),
            _ => json!(text),
        },
        _ => json!(text),
    }
}

fn add_random_condition(rng: &mut Rng, condition: &mut Map<String, Value>) {
    let template = rng.pick(TEMPLATES);
    let mut op = rng.pick(template.ops).to_string();
    let (qualifier, base, if_exists) = split_operator(&op);
    if base != "Null" && !if_exists && rng.chance(1, 8) {
        op = join_operator(qualifier, base, true);
    }
    let kind = kind_of(split_operator(&op).1);
    let key = if rng.chance(1, 10) {
        template.key.to_lowercase()
    } else {
        template.key.to_string()
    };
    let mut chosen: Vec<&str> = vec![*rng.pick(template.values)];
    if rng.chance(1, 4) {
        let other = rng.pick(template.values);
        if !chosen.contains(other) {
            chosen.push(other);
        }
    }
    let encoded: Vec<Value> = chosen.iter().map(|v| encode_value(rng, kind, v)).collect();
    let value = if encoded.len() == 1 && rng.chance(3, 4) {
        encoded[0].clone()
    } else {
        Value::Array(encoded)
    };
    insert_condition(condition, &op, &key, value);
}

// ---------------------------------------------------------------------------
// Condition helpers

fn insert_condition(condition: &mut Map<String, Value>, op: &str, key: &str, value: Value) {
    let block = condition.entry(op.to_string()).or_insert_with(|| json!({}));
    if !block.is_object() {
        *block = json!({});
    }
    if let Some(block) = block.as_object_mut() {
        block.insert(key.to_string(), value);
    }
}

/// Every `(operator, key)` of a statement's Condition.
fn condition_entries(st: &Map<String, Value>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(Value::Object(ops)) = st.get("Condition") {
        for (op, keys) in ops {
            if let Value::Object(keys) = keys {
                for key in keys.keys() {
                    out.push((op.clone(), key.clone()));
                }
            }
        }
    }
    out
}

fn condition_get(st: &Map<String, Value>, op: &str, key: &str) -> Option<Value> {
    st.get("Condition")?.get(op)?.get(key).cloned()
}

/// Removes one entry, and the operator block and the Condition when they
/// become empty.
fn condition_remove(st: &mut Map<String, Value>, op: &str, key: &str) -> Option<Value> {
    let ops = st.get_mut("Condition")?.as_object_mut()?;
    let keys = ops.get_mut(op)?.as_object_mut()?;
    let removed = keys.remove(key);
    if keys.is_empty() {
        ops.remove(op);
    }
    if ops.is_empty() {
        st.remove("Condition");
    }
    removed
}

fn condition_put(st: &mut Map<String, Value>, op: &str, key: &str, value: Value) {
    let condition = st
        .entry("Condition".to_string())
        .or_insert_with(|| json!({}));
    if !condition.is_object() {
        *condition = json!({});
    }
    if let Some(condition) = condition.as_object_mut() {
        insert_condition(condition, op, key, value);
    }
}

/// The scalars of a condition value (a scalar or a list).
fn value_items(value: &Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    }
}

fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Edits

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Widen,
    Narrow,
    Replace,
}

/// A random edit of a document; the result differs from `doc` (as JSON).
///
/// The edits: widen or narrow an action or resource pattern, replace / add /
/// remove a pattern, add or remove a statement, flip Allow/Deny, add / remove
/// / alter a condition (values, operator, IfExists, set qualifier, CIDR
/// prefix length, numeric or date bound), switch Action<->NotAction,
/// Resource<->NotResource or Principal<->NotPrincipal, add / remove / replace
/// principals (trust policies only; resources are edited in identity policies
/// only), change a Sid only, change the Version, or a purely cosmetic change
/// (statement object <-> list, string <-> one-element list, order, condition
/// key case). Chain calls for several edits.
pub fn edit(rng: &mut Rng, doc: &Value, trust: bool) -> Value {
    let mut out = doc.clone();
    if doc
        .get("Statement")
        .is_none_or(|s| !(s.is_object() || s.is_array()))
    {
        return document(rng, trust);
    }
    for _ in 0..64 {
        let changed = match rng.below(20) {
            0..=2 => edit_action(rng, &mut out, Step::Widen),
            3 | 4 => edit_action(rng, &mut out, Step::Narrow),
            5 => edit_action(rng, &mut out, Step::Replace),
            6 | 7 if trust => edit_principal(rng, &mut out),
            6 | 7 => edit_resource(rng, &mut out, Step::Widen),
            8 if trust => edit_principal(rng, &mut out),
            8 => edit_resource(rng, &mut out, Step::Narrow),
            9 if trust => edit_principal(rng, &mut out),
            9 => edit_resource(rng, &mut out, Step::Replace),
            10 => add_statement(rng, &mut out, trust),
            11 => remove_statement(rng, &mut out),
            12 => flip_effect(rng, &mut out),
            13..=15 => edit_condition(rng, &mut out, trust),
            16 => switch_not(rng, &mut out, trust),
            17 => change_sid(rng, &mut out),
            18 => change_version(&mut out),
            _ => cosmetic(rng, &mut out),
        };
        if changed && out != *doc {
            return out;
        }
        out = doc.clone();
    }
    // Practically unreachable; adding a statement always changes the document.
    let mut out = doc.clone();
    on_statements(&mut out, |list| {
        list.push(statement(rng, trust));
        true
    });
    out
}

/// Runs `f` on the statements as a list (a lone statement object is shown as
/// a one-element list and written back as an object when it stays alone).
fn on_statements(doc: &mut Value, f: impl FnOnce(&mut Vec<Value>) -> bool) -> bool {
    let obj = match doc.as_object_mut() {
        Some(obj) => obj,
        None => return false,
    };
    let (mut list, single) = match obj.get("Statement") {
        Some(Value::Array(items)) => (items.clone(), false),
        Some(st @ Value::Object(_)) => (vec![st.clone()], true),
        _ => return false,
    };
    if !f(&mut list) {
        return false;
    }
    let value = if single && list.len() == 1 {
        list.remove(0)
    } else {
        Value::Array(list)
    };
    obj.insert("Statement".into(), value);
    true
}

/// Runs `f` on one statement (object) chosen at random.
fn on_statement(
    rng: &mut Rng,
    doc: &mut Value,
    f: impl FnOnce(&mut Rng, &mut Map<String, Value>) -> bool,
) -> bool {
    on_statements(doc, |list| {
        let objects: Vec<usize> = list
            .iter()
            .enumerate()
            .filter(|(_, st)| st.is_object())
            .map(|(i, _)| i)
            .collect();
        if objects.is_empty() {
            return false;
        }
        let i = *rng.pick(&objects);
        match list[i].as_object_mut() {
            Some(st) => f(rng, st),
            None => false,
        }
    })
}

/// Widens, narrows or replaces one pattern of `key`, or adds / removes one.
fn edit_patterns(
    rng: &mut Rng,
    st: &mut Map<String, Value>,
    key: &str,
    step: Step,
    action: bool,
) -> bool {
    let was_string = st.get(key).is_some_and(Value::is_string);
    let mut items = match st.get(key).and_then(string_items) {
        Some(items) if !items.is_empty() => items,
        _ => return false,
    };
    let i = rng.below(items.len() as u64) as usize;
    let fresh = |rng: &mut Rng| {
        if action {
            action_pattern(rng)
        } else {
            resource_pattern(rng)
        }
    };
    match step {
        Step::Widen => match widen(rng, &items[i], action) {
            Some(wider) => items[i] = wider,
            None => return false,
        },
        Step::Narrow => {
            let vocabulary = if action { ACTIONS } else { RESOURCES };
            match narrow(rng, &items[i], vocabulary, action) {
                Some(narrower) => items[i] = narrower,
                None => return false,
            }
        }
        Step::Replace => match rng.below(3) {
            0 => items[i] = fresh(rng),
            1 => items.push(fresh(rng)),
            _ if items.len() > 1 => {
                items.remove(i);
            }
            _ => return false,
        },
    }
    let value = if items.len() == 1 && was_string {
        json!(items[0])
    } else {
        json!(items)
    };
    st.insert(key.to_string(), value);
    true
}

fn edit_action(rng: &mut Rng, doc: &mut Value, step: Step) -> bool {
    on_statement(rng, doc, |rng, st| {
        let key = if st.contains_key("Action") {
            "Action"
        } else if st.contains_key("NotAction") {
            "NotAction"
        } else {
            st.insert("Action".into(), json!(action_pattern(rng)));
            return true;
        };
        edit_patterns(rng, st, key, step, true)
    })
}

fn edit_resource(rng: &mut Rng, doc: &mut Value, step: Step) -> bool {
    on_statement(rng, doc, |rng, st| {
        let key = if st.contains_key("Resource") {
            "Resource"
        } else if st.contains_key("NotResource") {
            "NotResource"
        } else if step == Step::Replace {
            st.insert("Resource".into(), json!(resource_pattern(rng)));
            return true;
        } else {
            return false;
        };
        edit_patterns(rng, st, key, step, false)
    })
}

fn edit_principal(rng: &mut Rng, doc: &mut Value) -> bool {
    on_statement(rng, doc, |rng, st| {
        let key = if st.contains_key("Principal") {
            "Principal"
        } else if st.contains_key("NotPrincipal") {
            "NotPrincipal"
        } else {
            st.insert("Principal".into(), principal_element(rng).0);
            return true;
        };
        let current = st.get(key).cloned().unwrap_or(Value::Null);
        let new = match rng.below(4) {
            // Add an entry.
            0 => {
                let (ty, value) = principal_entry_choice(rng);
                if ty == "Federated" && key == "Principal" && rng.chance(1, 2) {
                    st.insert("Action".into(), json!("sts:AssumeRoleWithWebIdentity"));
                    let mut condition = match st.remove("Condition") {
                        Some(Value::Object(c)) => c,
                        _ => Map::new(),
                    };
                    github_conditions(rng, &mut condition);
                    st.insert("Condition".into(), Value::Object(condition));
                }
                match current {
                    Value::Object(mut entries) => {
                        let mut values =
                            entries.get(&ty).and_then(string_items).unwrap_or_default();
                        if values.contains(&value) {
                            return false;
                        }
                        values.push(value);
                        entries.insert(ty, string_or_list(rng, values));
                        Value::Object(entries)
                    }
                    _ => json!({ ty: value }),
                }
            }
            // Remove an entry.
            1 => {
                let mut entries = match current {
                    Value::Object(entries) => entries,
                    _ => return false,
                };
                let all: Vec<(String, usize)> = entries
                    .iter()
                    .flat_map(|(ty, v)| {
                        let n = string_items(v).map_or(0, |items| items.len());
                        (0..n).map(move |i| (ty.clone(), i))
                    })
                    .collect();
                if all.len() < 2 {
                    return false;
                }
                let (ty, i) = rng.pick(&all).clone();
                let mut values = entries.get(&ty).and_then(string_items).unwrap_or_default();
                values.remove(i);
                if values.is_empty() {
                    entries.remove(&ty);
                } else {
                    entries.insert(ty, string_or_list(rng, values));
                }
                Value::Object(entries)
            }
            2 => principal_element(rng).0,
            _ => {
                if rng.chance(1, 2) {
                    json!("*")
                } else {
                    json!({"AWS": "*"})
                }
            }
        };
        st.insert(key.to_string(), new);
        true
    })
}

fn add_statement(rng: &mut Rng, doc: &mut Value, trust: bool) -> bool {
    on_statements(doc, |list| {
        if list.len() >= 4 {
            return false;
        }
        let at = rng.below(list.len() as u64 + 1) as usize;
        list.insert(at, statement(rng, trust));
        true
    })
}

fn remove_statement(rng: &mut Rng, doc: &mut Value) -> bool {
    on_statements(doc, |list| {
        if list.len() < 2 {
            return false;
        }
        list.remove(rng.below(list.len() as u64) as usize);
        true
    })
}

fn flip_effect(rng: &mut Rng, doc: &mut Value) -> bool {
    on_statement(rng, doc, |_, st| {
        let flipped = match st.get("Effect").and_then(Value::as_str) {
            Some("Allow") => "Deny",
            _ => "Allow",
        };
        st.insert("Effect".into(), json!(flipped));
        true
    })
}

/// Swaps `a` for `b` (or `b` for `a`) as the name of a statement element.
fn rename(st: &mut Map<String, Value>, a: &str, b: &str) -> bool {
    if let Some(v) = st.remove(a) {
        st.insert(b.to_string(), v);
        true
    } else if let Some(v) = st.remove(b) {
        st.insert(a.to_string(), v);
        true
    } else {
        false
    }
}

fn switch_not(rng: &mut Rng, doc: &mut Value, trust: bool) -> bool {
    on_statement(rng, doc, |rng, st| match (trust, rng.below(3)) {
        (_, 0) => rename(st, "Action", "NotAction"),
        (true, _) => rename(st, "Principal", "NotPrincipal"),
        (false, _) => rename(st, "Resource", "NotResource"),
    })
}

fn change_sid(rng: &mut Rng, doc: &mut Value) -> bool {
    on_statement(rng, doc, |rng, st| {
        let old = st.get("Sid").and_then(Value::as_str).map(str::to_string);
        if old.is_some() && rng.chance(1, 4) {
            st.remove("Sid");
        } else {
            st.insert("Sid".into(), json!(new_sid(rng, old.as_deref())));
        }
        true
    })
}

fn change_version(doc: &mut Value) -> bool {
    let obj = match doc.as_object_mut() {
        Some(obj) => obj,
        None => return false,
    };
    let new = match obj.get("Version").and_then(Value::as_str) {
        Some("2012-10-17") => "2008-10-17",
        _ => "2012-10-17",
    };
    obj.insert("Version".into(), json!(new));
    true
}

/// A change of form only: the decision of every request stays the same.
fn cosmetic(rng: &mut Rng, doc: &mut Value) -> bool {
    match rng.below(4) {
        // Statement: lone object <-> one-element list.
        0 => {
            let obj = match doc.as_object_mut() {
                Some(obj) => obj,
                None => return false,
            };
            let new = match obj.get("Statement") {
                Some(Value::Array(items)) if items.len() == 1 => items[0].clone(),
                Some(st @ Value::Object(_)) => json!([st]),
                _ => return false,
            };
            obj.insert("Statement".into(), new);
            true
        }
        // A string <-> a one-element list.
        1 => on_statement(rng, doc, |rng, st| {
            let keys: Vec<String> = ["Action", "NotAction", "Resource", "NotResource"]
                .iter()
                .filter(|k| st.contains_key(**k))
                .map(|k| k.to_string())
                .collect();
            if keys.is_empty() {
                return false;
            }
            let key = rng.pick(&keys).clone();
            let new = match st.get(&key) {
                Some(Value::String(s)) => json!([s]),
                Some(Value::Array(items)) if items.len() == 1 => items[0].clone(),
                _ => return false,
            };
            st.insert(key, new);
            true
        }),
        // Reverse the statements.
        2 => on_statements(doc, |list| {
            if list.len() < 2 {
                return false;
            }
            list.reverse();
            true
        }),
        // Condition keys are case-insensitive.
        _ => on_statement(rng, doc, |rng, st| {
            let entries = condition_entries(st);
            if entries.is_empty() {
                return false;
            }
            let (op, key) = rng.pick(&entries).clone();
            let new_key = if key == key.to_lowercase() {
                key.to_uppercase()
            } else {
                key.to_lowercase()
            };
            if condition_get(st, &op, &new_key).is_some() {
                return false;
            }
            let value = condition_remove(st, &op, &key).unwrap_or(Value::Null);
            condition_put(st, &op, &new_key, value);
            true
        }),
    }
}

fn edit_condition(rng: &mut Rng, doc: &mut Value, trust: bool) -> bool {
    on_statement(rng, doc, |rng, st| {
        let entries = condition_entries(st);
        let sub = rng.below(8);
        if entries.is_empty() || sub == 0 {
            let mut condition = match st.remove("Condition") {
                Some(Value::Object(c)) => c,
                _ => Map::new(),
            };
            if trust && rng.chance(1, 3) {
                github_conditions(rng, &mut condition);
            } else {
                add_random_condition(rng, &mut condition);
            }
            st.insert("Condition".into(), Value::Object(condition));
            return true;
        }
        let (op, key) = rng.pick(&entries).clone();
        let (qualifier, base, if_exists) = split_operator(&op);
        match sub {
            // Remove the entry.
            1 => condition_remove(st, &op, &key).is_some(),
            // Change the values.
            2 => {
                let value = condition_get(st, &op, &key).unwrap_or(Value::Null);
                let mut items = value_items(&value);
                let pool: Vec<String> = match template_for(&key) {
                    Some(t) => strings(t.values),
                    None => strings(&["x", "y"]),
                };
                let fresh = json!(rng.pick(&pool));
                let i = rng.below(items.len() as u64) as usize;
                match rng.below(3) {
                    0 => items[i] = fresh,
                    1 if !items.contains(&fresh) => items.push(fresh),
                    _ if items.len() > 1 => {
                        items.remove(i);
                    }
                    _ => return false,
                }
                let value = if items.len() == 1 && !value.is_array() {
                    items.remove(0)
                } else {
                    Value::Array(items)
                };
                condition_put(st, &op, &key, value);
                true
            }
            // Another operator of the same family.
            3 => {
                let family = match FAMILIES.iter().find(|f| f.contains(&base)) {
                    Some(f) => f,
                    None => return false,
                };
                let others: Vec<&str> = family.iter().copied().filter(|b| *b != base).collect();
                if others.is_empty() {
                    return false;
                }
                let new_base = *rng.pick(&others);
                let new_op = if new_base == "Null" {
                    new_base.to_string()
                } else {
                    join_operator(qualifier, new_base, if_exists)
                };
                let value = condition_remove(st, &op, &key).unwrap_or(Value::Null);
                condition_put(st, &new_op, &key, value);
                true
            }
            // Toggle IfExists.
            4 => {
                if base == "Null" {
                    return false;
                }
                let value = condition_remove(st, &op, &key).unwrap_or(Value::Null);
                condition_put(st, &join_operator(qualifier, base, !if_exists), &key, value);
                true
            }
            // Add, remove or switch the set qualifier.
            5 => {
                if base == "Null" {
                    return false;
                }
                let new_qualifier = match qualifier {
                    "" => *rng.pick(&["ForAllValues:", "ForAnyValue:"]),
                    _ if rng.chance(1, 2) => "",
                    "ForAllValues:" => "ForAnyValue:",
                    _ => "ForAllValues:",
                };
                let value = condition_remove(st, &op, &key).unwrap_or(Value::Null);
                condition_put(
                    st,
                    &join_operator(new_qualifier, base, if_exists),
                    &key,
                    value,
                );
                true
            }
            // Move a bound.
            _ => {
                let value = condition_get(st, &op, &key).unwrap_or(Value::Null);
                let mut items = value_items(&value);
                let i = rng.below(items.len() as u64) as usize;
                match adjust_bound(rng, kind_of(base), &items[i]) {
                    Some(new) if new != items[i] => items[i] = new,
                    _ => return false,
                }
                let value = if items.len() == 1 && !value.is_array() {
                    items.remove(0)
                } else {
                    Value::Array(items)
                };
                condition_put(st, &op, &key, value);
                true
            }
        }
    })
}

/// Moves one condition value: a CIDR prefix length, a number, a date, a
/// boolean, or a string pattern.
fn adjust_bound(rng: &mut Rng, kind: Kind, value: &Value) -> Option<Value> {
    let text = value_text(value)?;
    match kind {
        Kind::Ip => {
            let (_, len) = parse_block(&text)?;
            let new_len = if text.contains('/') {
                (len as i64 + *rng.pick(&[-8, -4, -1, 1, 4, 8])).clamp(0, 32) as u32
            } else {
                *rng.pick(&[8, 16, 24])
            };
            let address = text.split('/').next().unwrap_or(&text);
            Some(json!(format!("{address}/{new_len}")))
        }
        Kind::Number => {
            let x: f64 = text.parse().ok()?;
            let shifted = x + *rng.pick(&[-3600.0, -60.0, -1.0, 1.0, 60.0, 3600.0]);
            if value.is_number() && shifted.fract() == 0.0 {
                Some(json!(shifted as i64))
            } else {
                Some(json!(format_number(shifted)))
            }
        }
        Kind::Date => {
            let (secs, _) = parse_instant(&text)?;
            if text.len() == 10 && text.as_bytes()[4] == b'-' {
                let days = *rng.pick(&[-400, -30, -1, 1, 30, 400]);
                let date = format_rfc3339(secs + days * 86_400);
                Some(json!(date[..10].to_string()))
            } else if value.is_number() || text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
                let shifted = secs + *rng.pick(&[-86_400, -3600, -1, 1, 3600, 86_400]);
                if value.is_number() {
                    Some(json!(shifted))
                } else {
                    Some(json!(shifted.to_string()))
                }
            } else {
                let shifted = secs
                    + *rng.pick(&[-31_536_000, -86_400, -3600, -1, 1, 3600, 86_400, 31_536_000]);
                Some(json!(format_rfc3339(shifted)))
            }
        }
        Kind::Bool => match value {
            Value::Bool(b) => Some(json!(!b)),
            _ if text.eq_ignore_ascii_case("true") => Some(json!("false")),
            _ => Some(json!("true")),
        },
        Kind::Text => {
            let new = match rng.below(3) {
                0 if text.ends_with('*') => text.trim_end_matches('*').to_string(),
                0 | 1 => format!("{text}*"),
                _ => {
                    let mut chars: Vec<char> = text.chars().collect();
                    if chars.is_empty() {
                        "*".to_string()
                    } else {
                        let i = rng.below(chars.len() as u64) as usize;
                        chars[i] = '?';
                        chars.into_iter().collect()
                    }
                }
            };
            Some(json!(new))
        }
    }
}

// ---------------------------------------------------------------------------
// Requests

/// What the documents mention.
#[derive(Default)]
struct Vocabulary {
    actions: Vec<String>,
    resources: Vec<String>,
    /// `("*", "*")` stands for `"Principal": "*"`.
    principals: Vec<(String, String)>,
    /// Lower-case key -> (operator, values).
    conditions: BTreeMap<String, Vec<(String, Vec<String>)>>,
}

fn gather(doc: &Value, vocabulary: &mut Vocabulary) {
    let statements: Vec<&Value> = match doc.get("Statement") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(st @ Value::Object(_)) => vec![st],
        _ => return,
    };
    for st in statements {
        for key in ["Action", "NotAction"] {
            if let Some(items) = st.get(key).and_then(string_items) {
                vocabulary.actions.extend(items);
            }
        }
        for key in ["Resource", "NotResource"] {
            if let Some(items) = st.get(key).and_then(string_items) {
                vocabulary.resources.extend(items);
            }
        }
        for key in ["Principal", "NotPrincipal"] {
            match st.get(key) {
                Some(Value::String(s)) if s == "*" => {
                    vocabulary.principals.push(("*".into(), "*".into()));
                }
                Some(Value::Object(entries)) => {
                    for (ty, values) in entries {
                        for value in string_items(values).unwrap_or_default() {
                            vocabulary.principals.push((ty.clone(), value));
                        }
                    }
                }
                _ => {}
            }
        }
        if let Some(Value::Object(ops)) = st.get("Condition") {
            for (op, keys) in ops {
                if let Value::Object(keys) = keys {
                    for (key, values) in keys {
                        let texts: Vec<String> =
                            value_items(values).iter().filter_map(value_text).collect();
                        vocabulary
                            .conditions
                            .entry(key.to_lowercase())
                            .or_default()
                            .push((op.clone(), texts));
                    }
                }
            }
        }
    }
}

/// A random concrete request, biased toward the vocabulary of the two
/// documents: actions and resources instantiated from their patterns,
/// principals derived from theirs (or from a pool), and context keys from
/// their conditions (sometimes absent, sometimes multi-valued, with values
/// near the condition values: addresses inside and outside the blocks,
/// numbers and dates around the bounds). Context keys are lower-case.
pub fn request(rng: &mut Rng, doc_a: &Value, doc_b: &Value, trust: bool) -> Request {
    let mut vocabulary = Vocabulary::default();
    gather(doc_a, &mut vocabulary);
    gather(doc_b, &mut vocabulary);

    let mut action = if !vocabulary.actions.is_empty() && rng.chance(4, 5) {
        let pattern = rng.pick(&vocabulary.actions).clone();
        instantiate(rng, &pattern, ACTIONS, true, ACTION_FILLERS)
    } else {
        rng.pick(ACTIONS).to_string()
    };
    if rng.chance(1, 5) {
        action = mix_case(rng, &action);
    }

    let resource = if trust {
        if rng.chance(1, 5) {
            Some(rng.pick(RESOURCES).to_string())
        } else {
            None
        }
    } else if rng.chance(1, 12) {
        None
    } else if !vocabulary.resources.is_empty() && rng.chance(4, 5) {
        let pattern = rng.pick(&vocabulary.resources).clone();
        Some(instantiate(
            rng,
            &pattern,
            RESOURCES,
            false,
            RESOURCE_FILLERS,
        ))
    } else {
        Some(rng.pick(RESOURCES).to_string())
    };

    let principal = if trust {
        if rng.chance(1, 20) {
            None
        } else if !vocabulary.principals.is_empty() && rng.chance(4, 5) {
            let (ty, value) = rng.pick(&vocabulary.principals).clone();
            Some(derive_principal(rng, &ty, &value))
        } else {
            Some(pool_principal(rng))
        }
    } else if rng.chance(3, 4) {
        None
    } else {
        Some(pool_principal(rng))
    };

    let mut context = BTreeMap::new();
    for (key, conditions) in &vocabulary.conditions {
        if rng.chance(1, 5) {
            continue;
        }
        let multi = key == "aws:tagkeys" || conditions.iter().any(|(op, _)| op.starts_with("For"));
        let count = if multi {
            rng.below(4)
        } else if rng.chance(1, 8) {
            2
        } else {
            1
        };
        let mut values = Vec::new();
        for _ in 0..count {
            let (op, wanted) = rng.pick(conditions);
            values.push(near_value(rng, op, key, wanted));
        }
        context.insert(key.clone(), values);
    }
    if rng.chance(1, 4) {
        let template = rng.pick(TEMPLATES);
        if let Entry::Vacant(slot) = context.entry(template.key.to_lowercase()) {
            let value = near_value(rng, template.ops[0], slot.key(), &strings(template.values));
            slot.insert(vec![value]);
        }
    }

    Request {
        action,
        resource,
        principal,
        context,
    }
}

fn pool_principal(rng: &mut Rng) -> (String, String) {
    let (ty, value) = rng.pick(PRINCIPALS);
    (ty.to_string(), value.to_string())
}

/// The account of an AWS principal value (an account id or an ARN).
fn account_of(value: &str) -> Option<String> {
    let twelve_digits = |s: &str| s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit());
    if twelve_digits(value) {
        return Some(value.to_string());
    }
    let fields: Vec<&str> = value.split(':').collect();
    if fields.len() >= 6 && fields[0] == "arn" && twelve_digits(fields[4]) {
        Some(fields[4].to_string())
    } else {
        None
    }
}

/// A request principal near a principal of the documents.
fn derive_principal(rng: &mut Rng, ty: &str, value: &str) -> (String, String) {
    let aws = |v: String| ("AWS".to_string(), v);
    match (ty, value) {
        ("*", _) => pool_principal(rng),
        ("AWS", "*") => {
            if rng.chance(3, 4) {
                let aws_pool: Vec<&(&str, &str)> =
                    PRINCIPALS.iter().filter(|(t, _)| *t == "AWS").collect();
                let (t, v) = **rng.pick(&aws_pool);
                (t.to_string(), v.to_string())
            } else {
                pool_principal(rng)
            }
        }
        ("AWS", _) => match account_of(value) {
            Some(account) => match rng.below(7) {
                0 => aws(value.to_string()),
                1 => aws(format!("arn:aws:iam::{account}:root")),
                2 => aws(format!("arn:aws:iam::{account}:role/app")),
                3 => aws(format!("arn:aws:iam::{account}:user/alice")),
                4 => aws(format!("arn:aws:sts::{account}:assumed-role/app/session")),
                5 => aws(account),
                _ => pool_principal(rng),
            },
            None => {
                if rng.chance(3, 4) {
                    aws(value.to_string())
                } else {
                    pool_principal(rng)
                }
            }
        },
        _ => {
            if rng.chance(3, 4) {
                (ty.to_string(), value.to_string())
            } else {
                pool_principal(rng)
            }
        }
    }
}

/// A typical request value for a key (from its template), or a plain word.
fn typical_value(rng: &mut Rng, key: &str) -> String {
    match template_for(key) {
        Some(t) => near_value(rng, t.ops[0], key, &strings(t.values)),
        None => rng.pick(&["x", "true", "1"]).to_string(),
    }
}

/// A request value near one of the condition values of an operator.
fn near_value(rng: &mut Rng, op: &str, key: &str, wanted: &[String]) -> String {
    let (_, base, _) = split_operator(op);
    if base == "Null" {
        return typical_value(rng, key);
    }
    let cv = if wanted.is_empty() {
        "x".to_string()
    } else {
        rng.pick(wanted).clone()
    };
    match kind_of(base) {
        Kind::Text => match rng.below(8) {
            0..=2 => fill_wildcards(rng, &cv, TEXT_FILLERS),
            3 => {
                if cv.chars().any(|c| c.is_lowercase()) {
                    cv.to_uppercase()
                } else {
                    cv.to_lowercase()
                }
            }
            4 => format!("{cv}x"),
            5 => match template_for(key) {
                Some(t) => {
                    let typical = rng.pick(t.values);
                    fill_wildcards(rng, typical, TEXT_FILLERS)
                }
                None => "x".to_string(),
            },
            6 => String::new(),
            _ => cv.replace(['*', '?'], ""),
        },
        Kind::Number => {
            if rng.chance(1, 40) {
                return "n/a".to_string();
            }
            match cv.parse::<f64>() {
                Ok(x) => {
                    format_number(x + *rng.pick(&[-100.0, -1.0, -0.5, 0.0, 0.0, 0.5, 1.0, 100.0]))
                }
                Err(_) => "1".to_string(),
            }
        }
        Kind::Date => match parse_instant(&cv) {
            Some((secs, _)) => {
                let shifted = secs + *rng.pick(&[-86_400, -1, 0, 0, 1, 86_400]);
                match rng.below(6) {
                    0 => shifted.to_string(),
                    1 => format_with_offset(shifted, 2),
                    _ => format_rfc3339(shifted),
                }
            }
            None => "2024-01-01T00:00:00Z".to_string(),
        },
        Kind::Bool => rng
            .pick(&["true", "false", "true", "false", "True", "FALSE"])
            .to_string(),
        Kind::Ip => {
            if rng.chance(1, 40) {
                return "2001:db8::1".to_string();
            }
            match parse_block(&cv) {
                Some((addr, len)) => {
                    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
                    let host = rng.next_u64() as u32 & !mask;
                    let network = if len > 0 && rng.chance(1, 3) {
                        // Outside: flip one bit of the network part.
                        (addr & mask) ^ (1u32 << (31 - rng.below(len as u64) as u32))
                    } else {
                        addr & mask
                    };
                    Ipv4Addr::from(network | host).to_string()
                }
                None => Ipv4Addr::from(rng.next_u64() as u32).to_string(),
            }
        }
    }
}

fn parse_block(text: &str) -> Option<(u32, u32)> {
    let (addr, len) = match text.split_once('/') {
        Some((addr, len)) => (addr, len.parse::<u32>().ok()?),
        None => (text, 32),
    };
    if len > 32 {
        return None;
    }
    let addr: Ipv4Addr = addr.parse().ok()?;
    Some((u32::from(addr), len))
}

fn format_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// Date of a day count since 1970-01-01 (proleptic Gregorian).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn format_local(secs: i64) -> String {
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// `YYYY-MM-DDTHH:MM:SSZ`.
fn format_rfc3339(secs: i64) -> String {
    format!("{}Z", format_local(secs))
}

/// The same instant written with a `+HH:00` offset.
fn format_with_offset(secs: i64, hours: i64) -> String {
    format!("{}+{hours:02}:00", format_local(secs + hours * 3600))
}

#[cfg(test)]
mod tests {
    use super::super::eval::{evaluate, Decision};
    use super::*;

    /// The structural promises of [`document`] and [`edit`].
    fn check_well_formed(doc: &Value, trust: bool) {
        let obj = doc.as_object().expect("object");
        let version = obj.get("Version").and_then(Value::as_str).expect("Version");
        assert!(version == "2012-10-17" || version == "2008-10-17", "{doc}");
        let statements: Vec<&Value> = match obj.get("Statement") {
            Some(Value::Array(items)) => items.iter().collect(),
            Some(st @ Value::Object(_)) => vec![st],
            _ => panic!("no Statement: {doc}"),
        };
        assert!(!statements.is_empty(), "{doc}");
        for st in statements {
            let st = st.as_object().expect("statement object");
            let effect = st.get("Effect").and_then(Value::as_str);
            assert!(matches!(effect, Some("Allow") | Some("Deny")), "{doc}");
            assert!(
                st.contains_key("Action") != st.contains_key("NotAction"),
                "{doc}"
            );
            if trust {
                assert!(
                    st.contains_key("Principal") != st.contains_key("NotPrincipal"),
                    "{doc}"
                );
                assert!(
                    !st.contains_key("Resource") && !st.contains_key("NotResource"),
                    "{doc}"
                );
            } else {
                assert!(
                    !st.contains_key("Principal") && !st.contains_key("NotPrincipal"),
                    "{doc}"
                );
                assert!(
                    st.contains_key("Resource") != st.contains_key("NotResource"),
                    "{doc}"
                );
            }
            for key in ["Action", "NotAction", "Resource", "NotResource"] {
                if let Some(v) = st.get(key) {
                    let items = string_items(v).expect("strings");
                    assert!(!items.is_empty(), "{doc}");
                }
            }
            if let Some(condition) = st.get("Condition") {
                let ops = condition.as_object().expect("condition object");
                assert!(!ops.is_empty(), "{doc}");
                for keys in ops.values() {
                    let keys = keys.as_object().expect("keys object");
                    assert!(!keys.is_empty(), "{doc}");
                    for v in keys.values() {
                        let items = value_items(v);
                        assert!(
                            !items.is_empty() && items.iter().all(|i| value_text(i).is_some()),
                            "{doc}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn rng_is_deterministic() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        let xs: Vec<u64> = (0..100).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..100).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        let mut c = Rng::new(8);
        let zs: Vec<u64> = (0..100).map(|_| c.next_u64()).collect();
        assert_ne!(xs, zs);
        // Splitmix64's first output for seed 0.
        assert_eq!(Rng::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn rng_ranges() {
        let mut rng = Rng::new(1);
        let mut seen = [0u32; 5];
        for _ in 0..5000 {
            let x = rng.below(5);
            assert!(x < 5);
            seen[x as usize] += 1;
        }
        assert!(seen.iter().all(|&n| n > 800), "{seen:?}");
        assert_eq!(rng.below(1), 0);
        assert!((0..100).all(|_| !rng.chance(0, 3)));
        assert!((0..100).all(|_| rng.chance(3, 3)));
        let items = ["a", "b", "c"];
        let mut picked = std::collections::BTreeSet::new();
        for _ in 0..100 {
            picked.insert(*rng.pick(&items));
        }
        assert_eq!(picked.len(), 3);
        let heads = (0..10_000).filter(|_| rng.chance(1, 4)).count();
        assert!((2_200..2_800).contains(&heads), "{heads}");
    }

    #[test]
    fn generation_is_deterministic() {
        for seed in 0..50 {
            let run = |seed: u64| {
                let mut rng = Rng::new(seed);
                let trust = seed % 2 == 1;
                let a = document(&mut rng, trust);
                let b = edit(&mut rng, &a, trust);
                let r = request(&mut rng, &a, &b, trust);
                (a, b, r)
            };
            assert_eq!(run(seed), run(seed));
        }
        let mut one = Rng::new(1);
        let mut two = Rng::new(2);
        let differ = (0..20).any(|_| document(&mut one, false) != document(&mut two, false));
        assert!(differ);
    }

    #[test]
    fn documents_are_well_formed() {
        for seed in 0..1000 {
            for trust in [false, true] {
                let mut rng = Rng::new(seed);
                let doc = document(&mut rng, trust);
                check_well_formed(&doc, trust);
                let statements = match &doc["Statement"] {
                    Value::Array(items) => items.len(),
                    _ => 1,
                };
                assert!((1..=3).contains(&statements));
            }
        }
    }

    #[test]
    fn edits_keep_documents_well_formed_and_change_them() {
        for seed in 0..1000 {
            for trust in [false, true] {
                let mut rng = Rng::new(seed);
                let mut doc = document(&mut rng, trust);
                for _ in 0..4 {
                    let next = edit(&mut rng, &doc, trust);
                    assert_ne!(next, doc, "seed {seed}");
                    check_well_formed(&next, trust);
                    doc = next;
                }
            }
        }
    }

    #[test]
    fn requests_are_often_allowed_and_rarely_unknown() {
        for trust in [false, true] {
            let mut counts = BTreeMap::new();
            let n = 2000;
            for seed in 0..n {
                let mut rng = Rng::new(seed);
                let doc = document(&mut rng, trust);
                let req = request(&mut rng, &doc, &doc, trust);
                assert!(req.context.keys().all(|k| *k == k.to_lowercase()));
                *counts
                    .entry(format!("{:?}", evaluate(&doc, &req)))
                    .or_insert(0u64) += 1;
            }
            let count = |d: Decision| counts.get(&format!("{d:?}")).copied().unwrap_or(0);
            assert!(count(Decision::Allow) * 5 >= n, "trust={trust} {counts:?}");
            assert!(
                count(Decision::ImplicitDeny) * 10 >= n,
                "trust={trust} {counts:?}"
            );
            assert!(
                count(Decision::ExplicitDeny) * 50 >= n,
                "trust={trust} {counts:?}"
            );
            assert!(
                count(Decision::Unknown) * 20 <= n,
                "trust={trust} {counts:?}"
            );
        }
    }

    #[test]
    fn edits_change_decisions_often_enough() {
        for trust in [false, true] {
            let n = 2000;
            let mut differ = 0;
            let mut allowed_by_either = 0;
            for seed in 0..n {
                let mut rng = Rng::new(seed);
                let a = document(&mut rng, trust);
                let b = edit(&mut rng, &a, trust);
                let r = request(&mut rng, &a, &b, trust);
                let (da, db) = (evaluate(&a, &r), evaluate(&b, &r));
                if da != db {
                    differ += 1;
                }
                if da == Decision::Allow || db == Decision::Allow {
                    allowed_by_either += 1;
                }
            }
            assert!(differ * 20 >= n, "trust={trust} differ={differ}");
            assert!(
                allowed_by_either * 5 >= n,
                "trust={trust} allowed={allowed_by_either}"
            );
        }
    }

    #[test]
    fn edits_cover_the_vocabulary() {
        let mut identity = String::new();
        let mut trust = String::new();
        for seed in 0..1500 {
            let mut rng = Rng::new(seed);
            let mut a = document(&mut rng, false);
            let mut b = document(&mut rng, true);
            for _ in 0..3 {
                a = edit(&mut rng, &a, false);
                b = edit(&mut rng, &b, true);
            }
            identity.push_str(&a.to_string());
            trust.push_str(&b.to_string());
        }
        for needle in [
            "\"NotAction\"",
            "\"NotResource\"",
            "\"Deny\"",
            "IfExists\"",
            "\"ForAllValues:",
            "\"ForAnyValue:",
            "\"Null\"",
            "\"Bool\"",
            "\"BinaryEquals\"",
            "\"NotIpAddress\"",
            "\"ArnLike\"",
            "\"DateLessThan",
            "\"NumericGreaterThan",
            "\"StringNotEqualsIgnoreCase\"",
            "\"2008-10-17\"",
            "\"*\"",
            "s3:Get*",
            "?",
            "\"Statement\":{",
            "\"Statement\":[",
        ] {
            assert!(
                identity.contains(needle),
                "identity edits never produce {needle}"
            );
        }
        for needle in [
            "\"NotPrincipal\"",
            "\"Principal\":\"*\"",
            "{\"AWS\":\"*\"}",
            "\"Service\"",
            "\"Federated\"",
            "token.actions.githubusercontent.com:sub",
            ":root\"",
            "\"111122223333\"",
            "role/app",
            "sts:AssumeRoleWithWebIdentity",
        ] {
            assert!(trust.contains(needle), "trust edits never produce {needle}");
        }
    }

    #[test]
    fn requests_vary() {
        let mut multi_valued = 0;
        let mut empty_valued = 0;
        let mut mixed_case = 0;
        let mut no_resource = 0;
        let mut assumed_role = 0;
        for seed in 0..2000 {
            let mut rng = Rng::new(seed);
            let trust = seed % 2 == 0;
            let doc = document(&mut rng, trust);
            let req = request(&mut rng, &doc, &doc, trust);
            multi_valued += req.context.values().filter(|v| v.len() > 1).count();
            empty_valued += req.context.values().filter(|v| v.is_empty()).count();
            if req.action != req.action.to_lowercase() && !ACTIONS.contains(&req.action.as_str()) {
                mixed_case += 1;
            }
            if !trust && req.resource.is_none() {
                no_resource += 1;
            }
            if req
                .principal
                .as_ref()
                .is_some_and(|(_, v)| v.contains("assumed-role"))
            {
                assumed_role += 1;
            }
        }
        assert!(multi_valued > 20, "{multi_valued}");
        assert!(empty_valued > 5, "{empty_valued}");
        assert!(mixed_case > 20, "{mixed_case}");
        assert!(no_resource > 20, "{no_resource}");
        assert!(assumed_role > 20, "{assumed_role}");
    }

    #[test]
    fn widening_covers_and_narrowing_stays_inside() {
        let mut rng = Rng::new(99);
        for _ in 0..2000 {
            let p = action_pattern(&mut rng);
            if let Some(w) = widen(&mut rng, &p, true) {
                for a in ACTIONS {
                    if glob_match(&p, a, true) {
                        assert!(glob_match(&w, a, true), "{p} -> {w} loses {a}");
                    }
                }
            }
            if let Some(n) = narrow(&mut rng, &p, ACTIONS, true) {
                assert!(ACTIONS
                    .iter()
                    .any(|a| glob_match(&p, a, true) && glob_match(&n, a, true)));
            }
            let r = resource_pattern(&mut rng);
            if let Some(w) = widen(&mut rng, &r, false) {
                for res in RESOURCES {
                    if glob_match(&r, res, false) {
                        assert!(glob_match(&w, res, false), "{r} -> {w} loses {res}");
                    }
                }
            }
        }
        // The ladders, one step at a time (the next step is the usual choice).
        let mut rng = Rng::new(3);
        for (from, to, action) in [
            ("s3:GetObject", "s3:Get*", true),
            ("s3:Get*", "s3:*", true),
            ("s3:*", "*", true),
            ("arn:aws:s3:::bucket/key", "arn:aws:s3:::bucket/*", false),
            ("arn:aws:s3:::bucket/*", "arn:aws:s3:::*", false),
        ] {
            let up = (0..100)
                .filter(|_| widen(&mut rng, from, action).as_deref() == Some(to))
                .count();
            assert!(up > 50, "{from} -> {to}: {up}");
            let vocabulary = if action { ACTIONS } else { RESOURCES };
            let down = (0..100)
                .filter(|_| narrow(&mut rng, to, vocabulary, action).as_deref() == Some(from))
                .count();
            assert!(down > 3, "{to} -> {from}: {down}");
        }
        assert_eq!(widen(&mut rng, "*", true), None);
        assert_eq!(narrow(&mut rng, "s3:GetObject", ACTIONS, true), None);
    }

    #[test]
    fn dates_round_trip() {
        for secs in [
            0i64,
            1,
            -1,
            951_782_400,
            1_577_836_800,
            1_719_741_600,
            4_102_444_800,
        ] {
            assert_eq!(parse_instant(&format_rfc3339(secs)), Some((secs, 0)));
            assert_eq!(parse_instant(&format_with_offset(secs, 2)), Some((secs, 0)));
        }
        let mut rng = Rng::new(5);
        for _ in 0..1000 {
            let secs = rng.below(8_000_000_000) as i64 - 2_000_000_000;
            assert_eq!(parse_instant(&format_rfc3339(secs)), Some((secs, 0)));
        }
        assert_eq!(format_rfc3339(1_577_836_800), "2020-01-01T00:00:00Z");
    }

    #[test]
    fn ip_values_land_inside_and_outside() {
        let mut inside = 0;
        let mut outside = 0;
        let mut rng = Rng::new(11);
        let wanted = vec!["203.0.113.0/24".to_string()];
        let doc = json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*",
            "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}});
        for _ in 0..400 {
            let ip = near_value(&mut rng, "IpAddress", "aws:sourceip", &wanted);
            let mut r = Request {
                action: "s3:GetObject".into(),
                ..Request::default()
            };
            r.context.insert("aws:sourceip".into(), vec![ip]);
            match evaluate(&doc, &r) {
                Decision::Allow => inside += 1,
                Decision::ImplicitDeny => outside += 1,
                _ => {}
            }
        }
        assert!(inside > 100 && outside > 50, "{inside} {outside}");
    }
}
