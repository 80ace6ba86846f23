//! A small, independent, *concrete* evaluator of one IAM policy document
//! against one fully concrete request.
//!
//! It is the oracle of property tests, so it favours clarity and faithfulness
//! to AWS's documented semantics over speed, and it answers
//! [`Decision::Unknown`] rather than guess whenever something it cannot decide
//! could change the outcome.
//!
//! Only `std` and `serde_json` are used, so the file can be dropped into a test
//! tree as a module.
//!
//! # How a document is evaluated
//!
//! Every statement is matched in three-valued (Kleene) logic: each dimension
//! (effect, action, resource, principal, condition) is *yes*, *no* or
//! *maybe*, and the statement matches when all dimensions do. "Maybe" comes
//! from anything undecidable: a policy variable `${...}`, an unknown condition
//! operator, a malformed element, an IPv6 address, an unparsable date. Because
//! a definite "no" in any dimension wins, a statement whose undecidable part
//! cannot matter (say, a policy variable in the Resource of a statement whose
//! Action does not match) is still decided.
//!
//! Then, as AWS does within one policy:
//!
//! * a Deny statement that matches -> `ExplicitDeny`;
//! * else a Deny statement that might match -> `Unknown` (it could turn the
//!   result into `ExplicitDeny`);
//! * else an Allow statement that matches -> `Allow`;
//! * else an Allow statement that might match -> `Unknown`;
//! * else `ImplicitDeny`.
//!
//! A statement whose Effect is neither `"Allow"` nor `"Deny"` counts as a
//! Deny that *might* match whenever its other dimensions are not a definite
//! "no".
//!
//! # Choices made where AWS is silent or where this oracle simplifies
//!
//! * Document: it must be an object; `Statement` must be an object or a list
//!   (an empty list gives `ImplicitDeny`); `Version`, when present, must be
//!   `"2012-10-17"` or `"2008-10-17"`; the only other top-level element
//!   allowed is `Id`. Anything else makes the whole answer `Unknown`, since AWS
//!   would refuse the document.
//! * Statement: the elements allowed are `Sid` (a string), `Effect`, exactly
//!   one of `Action`/`NotAction`, at most one of `Resource`/`NotResource`, at
//!   most one of `Principal`/`NotPrincipal`, and `Condition`. Anything else
//!   (an unknown element, both `Action` and `NotAction`, an empty list, a
//!   non-string pattern) is malformed and makes the statement "maybe".
//! * Policy variables: any `${` in a pattern, a principal value, a condition
//!   key or a condition value makes that item undecidable, whatever the
//!   `Version` (under `2008-10-17` AWS would read it literally; being
//!   undecidable is conservative either way). That includes the escapes
//!   `${*}`, `${?}` and `${$}`.
//! * Action patterns are matched case-insensitively over the whole action
//!   name; Resource patterns case-sensitively over the whole ARN (AWS's
//!   per-segment ARN matching is approximated by a glob over the whole
//!   string, so `*` may cross a `:`). `*` is any run of characters (possibly
//!   empty), `?` exactly one character.
//! * A request without a resource matches the resource dimension of every
//!   statement (Resource and NotResource alike).
//! * Principal: `"*"` matches every request, including one without a
//!   principal. In an object, the type must be one of `AWS`, `Service`,
//!   `Federated`, `CanonicalUser` (anything else is "maybe"). `{"AWS": "*"}`
//!   matches every principal of type `AWS`. An AWS value of twelve digits
//!   means `arn:aws:iam::ID:root` (the same normalisation is applied to the
//!   request's AWS principal). An AWS value `arn:PARTITION:iam::ACCT:root`
//!   matches the root itself and every AWS principal whose ARN has the same
//!   partition (2nd field) and account (5th colon-separated field): users,
//!   roles, assumed-role sessions. Other values match by exact equality of
//!   type and value; in particular a role ARN does *not* match that role's
//!   `assumed-role` session ARNs. A value containing `*` other than the AWS
//!   `"*"` is "maybe" (AWS forbids partial wildcards in principals). A
//!   request without a principal matches only `"*"`; for `NotPrincipal` it
//!   never matches.
//! * Condition values may be strings, numbers or booleans (their JSON text);
//!   an empty list, `null`, an object or a nested list is malformed. A
//!   condition value that cannot be read for its operator (a bad number, date,
//!   boolean or IPv4 address) makes that condition key "maybe" whatever the
//!   request holds, since AWS would refuse the policy.
//! * A request key holding an empty list is treated as absent (for `Null`,
//!   `...IfExists` and the set qualifiers alike).
//! * Without a set qualifier, a request key holding several values satisfies
//!   the condition when *any* of its values does (for a negated operator: any
//!   value that equals none of the condition values). With a qualifier and
//!   the key present, `ForAnyValue:` gives the same answer; they differ only
//!   when the key is absent (`ForAnyValue:` -> false, unless `IfExists`).
//! * `ForAllValues:` on an absent key is (vacuously) true, `IfExists` or not.
//! * Missing key without `IfExists`: false for positive operators, true for
//!   the negated ones (`StringNotEquals`, `StringNotEqualsIgnoreCase`,
//!   `StringNotLike`, `ArnNotEquals`, `ArnNotLike`, `NumericNotEquals`,
//!   `DateNotEquals`, `NotIpAddress`).
//! * `Null` takes `"true"`/`"false"` (any case); it admits neither
//!   `IfExists` nor a set qualifier (such an operator is unknown). Several
//!   values are ORed.
//! * Numbers: a plain decimal (`-?[0-9]+(\.[0-9]+)?`, a leading `+` allowed),
//!   compared as `f64`. A request value that is not such a number makes the
//!   condition false for that value, for the negated operator too.
//! * Dates: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)`,
//!   or whole epoch seconds (a string of digits, so `"2024"` is 2024 seconds
//!   after the epoch, not a year). Compared as instants. An unparsable
//!   request value makes that value undecidable ("maybe").
//! * `Bool`: `"true"`/`"false"`, any case; a request value that is neither
//!   makes the condition false for that value.
//! * `IpAddress`/`NotIpAddress`: IPv4 addresses and CIDR blocks (a plain
//!   address is a `/32`; host bits set in a block are ignored; octets with a
//!   leading zero are refused). Anything with a `:` is IPv6 and undecidable.
//!   A request value that is not an IPv4 address makes the condition false
//!   for that value.
//! * `ArnEquals`/`ArnLike` (and the negations) are a case-sensitive glob over
//!   the whole string, like `StringLike`. `BinaryEquals` is exact equality of
//!   the base-64 text.
//! * Operator names and element names are case-sensitive; condition key
//!   names are not (they are looked up lower-case).

use serde_json::Value;
use std::collections::BTreeMap;

/// A concrete request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Request {
    /// For example `s3:GetObject` (any case).
    pub action: String,
    /// The resource ARN; `None` matches every resource dimension.
    pub resource: Option<String>,
    /// `(type, value)`, the type being `"AWS"`, `"Service"`, `"Federated"` or
    /// `"CanonicalUser"`.
    pub principal: Option<(String, String)>,
    /// Condition keys, stored lower-case; a key absent (or holding no value)
    /// is not in the request.
    pub context: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    ExplicitDeny,
    ImplicitDeny,
    Unknown,
}

/// Evaluates one policy document against one request.
pub fn evaluate(doc: &Value, req: &Request) -> Decision {
    let obj = match doc.as_object() {
        Some(obj) => obj,
        None => return Decision::Unknown,
    };
    for (name, value) in obj {
        match name.as_str() {
            "Version" => match value.as_str() {
                Some("2012-10-17") | Some("2008-10-17") => {}
                _ => return Decision::Unknown,
            },
            "Id" | "Statement" => {}
            _ => return Decision::Unknown,
        }
    }
    let statements: Vec<&Value> = match obj.get("Statement") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(single @ Value::Object(_)) => vec![single],
        _ => return Decision::Unknown,
    };

    let mut deny = Tri::No;
    let mut allow = Tri::No;
    for statement in statements {
        let (effect, matches) = match_statement(statement, req);
        match effect {
            Some(Effect::Allow) => allow = allow.or(matches),
            Some(Effect::Deny) => deny = deny.or(matches),
            None => {
                if matches != Tri::No {
                    deny = deny.or(Tri::Maybe);
                }
            }
        }
    }
    match (deny, allow) {
        (Tri::Yes, _) => Decision::ExplicitDeny,
        (Tri::Maybe, _) => Decision::Unknown,
        (Tri::No, Tri::Yes) => Decision::Allow,
        (Tri::No, Tri::Maybe) => Decision::Unknown,
        (Tri::No, Tri::No) => Decision::ImplicitDeny,
    }
}

/// Whole-string glob: `*` matches any run of characters (possibly empty), `?`
/// exactly one character, everything else itself.
pub fn glob_match(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let chars = |s: &str| -> Vec<char> {
        if ignore_case {
            s.chars().flat_map(char::to_lowercase).collect()
        } else {
            s.chars().collect()
        }
    };
    let pattern = chars(pattern);
    let text = chars(text);
    // reach[j]: the part of the pattern read so far matches text[..j].
    let mut reach = vec![false; text.len() + 1];
    reach[0] = true;
    for &p in &pattern {
        let mut next = vec![false; text.len() + 1];
        if p == '*' {
            let mut seen = false;
            for (n, &r) in next.iter_mut().zip(reach.iter()) {
                seen |= r;
                *n = seen;
            }
        } else {
            for (j, &t) in text.iter().enumerate() {
                if reach[j] && (p == '?' || p == t) {
                    next[j + 1] = true;
                }
            }
        }
        reach = next;
    }
    reach[text.len()]
}

/// Parses a date the way the `Date...` operators read it, into
/// `(seconds since the epoch, nanoseconds)`. See the module documentation for
/// the accepted forms.
pub fn parse_instant(s: &str) -> Option<(i64, u32)> {
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    if !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse::<i64>().ok().map(|secs| (secs, 0));
    }
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = decimal(s.get(0..4))?;
    let month = decimal(s.get(5..7))?;
    let day = decimal(s.get(8..10))?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut secs = days_from_civil(year, month, day) * 86_400;
    let mut nanos = 0u32;
    if b.len() == 10 {
        return Some((secs, nanos));
    }
    if !(b[10] == b'T' || b[10] == b't') || b.len() < 20 || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let hour = decimal(s.get(11..13))?;
    let minute = decimal(s.get(14..16))?;
    let second = decimal(s.get(17..19))?;
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    secs += hour * 3600 + minute * 60 + second;
    let mut rest = s.get(19..)?;
    if let Some(fraction) = rest.strip_prefix('.') {
        let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 || n > 9 {
            return None;
        }
        nanos = fraction[..n].parse::<u32>().ok()? * 10u32.pow(9 - n as u32);
        rest = &fraction[n..];
    }
    if rest != "Z" && rest != "z" {
        let r = rest.as_bytes();
        if r.len() != 6 || !(r[0] == b'+' || r[0] == b'-') || r[3] != b':' {
            return None;
        }
        let offset_hours = decimal(rest.get(1..3))?;
        let offset_minutes = decimal(rest.get(4..6))?;
        if offset_hours > 23 || offset_minutes > 59 {
            return None;
        }
        let offset = offset_hours * 3600 + offset_minutes * 60;
        // Local time = UTC + offset, so UTC = local time - offset.
        secs -= if r[0] == b'+' { offset } else { -offset };
    }
    Some((secs, nanos))
}

// ---------------------------------------------------------------------------
// Three-valued logic

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tri {
    Yes,
    No,
    Maybe,
}

impl Tri {
    fn of(b: bool) -> Tri {
        if b {
            Tri::Yes
        } else {
            Tri::No
        }
    }

    fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::No, _) | (_, Tri::No) => Tri::No,
            (Tri::Yes, Tri::Yes) => Tri::Yes,
            _ => Tri::Maybe,
        }
    }

    fn or(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::Yes, _) | (_, Tri::Yes) => Tri::Yes,
            (Tri::No, Tri::No) => Tri::No,
            _ => Tri::Maybe,
        }
    }

    fn negate(self) -> Tri {
        match self {
            Tri::Yes => Tri::No,
            Tri::No => Tri::Yes,
            Tri::Maybe => Tri::Maybe,
        }
    }
}

fn any_of<I: IntoIterator<Item = Tri>>(items: I) -> Tri {
    items.into_iter().fold(Tri::No, Tri::or)
}

fn all_of<I: IntoIterator<Item = Tri>>(items: I) -> Tri {
    items.into_iter().fold(Tri::Yes, Tri::and)
}

fn has_variable(s: &str) -> bool {
    s.contains("${")
}

// ---------------------------------------------------------------------------
// Statements

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Effect {
    Allow,
    Deny,
}

const STATEMENT_ELEMENTS: &[&str] = &[
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
];

/// The statement's effect (`None` when malformed) and whether it matches.
fn match_statement(statement: &Value, req: &Request) -> (Option<Effect>, Tri) {
    let st = match statement.as_object() {
        Some(st) => st,
        None => return (None, Tri::Maybe),
    };
    let effect = match st.get("Effect").and_then(Value::as_str) {
        Some("Allow") => Some(Effect::Allow),
        Some("Deny") => Some(Effect::Deny),
        _ => None,
    };

    let mut matches = Tri::Yes;
    if st.keys().any(|k| !STATEMENT_ELEMENTS.contains(&k.as_str())) {
        matches = matches.and(Tri::Maybe);
    }
    if st.get("Sid").is_some_and(|sid| !sid.is_string()) {
        matches = matches.and(Tri::Maybe);
    }

    let action = match (st.get("Action"), st.get("NotAction")) {
        (Some(patterns), None) => any_pattern(patterns, &req.action, true),
        (None, Some(patterns)) => any_pattern(patterns, &req.action, true).negate(),
        _ => Tri::Maybe,
    };
    matches = matches.and(action);

    let resource = match (st.get("Resource"), st.get("NotResource"), &req.resource) {
        (None, None, _) => Tri::Yes,
        (Some(_), Some(_), _) => Tri::Maybe,
        (Some(patterns), None, None) | (None, Some(patterns), None) => {
            if pattern_list(patterns).is_some() {
                Tri::Yes
            } else {
                Tri::Maybe
            }
        }
        (Some(patterns), None, Some(resource)) => any_pattern(patterns, resource, false),
        (None, Some(patterns), Some(resource)) => any_pattern(patterns, resource, false).negate(),
    };
    matches = matches.and(resource);

    let principal = match (st.get("Principal"), st.get("NotPrincipal")) {
        (None, None) => Tri::Yes,
        (Some(_), Some(_)) => Tri::Maybe,
        (Some(p), None) => principal_matches(p, req.principal.as_ref()),
        (None, Some(p)) => match principal_matches(p, req.principal.as_ref()) {
            Tri::Maybe => Tri::Maybe,
            m if req.principal.is_some() => m.negate(),
            _ => Tri::No,
        },
    };
    matches = matches.and(principal);

    if let Some(condition) = st.get("Condition") {
        matches = matches.and(condition_block(condition, req));
    }
    (effect, matches)
}

/// A string or a non-empty list of strings.
fn pattern_list(value: &Value) -> Option<Vec<&str>> {
    match value {
        Value::String(s) => Some(vec![s.as_str()]),
        Value::Array(items) if !items.is_empty() => items.iter().map(Value::as_str).collect(),
        _ => None,
    }
}

/// Whether any of the patterns matches `text`.
fn any_pattern(patterns: &Value, text: &str, ignore_case: bool) -> Tri {
    match pattern_list(patterns) {
        None => Tri::Maybe,
        Some(patterns) => any_of(patterns.iter().map(|p| {
            if has_variable(p) {
                Tri::Maybe
            } else {
                Tri::of(glob_match(p, text, ignore_case))
            }
        })),
    }
}

// ---------------------------------------------------------------------------
// Principals

const PRINCIPAL_TYPES: &[&str] = &["AWS", "Service", "Federated", "CanonicalUser"];

/// Whether the request principal is one of those of a Principal element.
fn principal_matches(element: &Value, principal: Option<&(String, String)>) -> Tri {
    match element {
        Value::String(s) if s == "*" => Tri::Yes,
        Value::Object(entries) if !entries.is_empty() => {
            any_of(entries.iter().map(|(ty, values)| {
                if !PRINCIPAL_TYPES.contains(&ty.as_str()) {
                    return Tri::Maybe;
                }
                match pattern_list(values) {
                    None => Tri::Maybe,
                    Some(values) => {
                        any_of(values.iter().map(|v| principal_entry(ty, v, principal)))
                    }
                }
            }))
        }
        _ => Tri::Maybe,
    }
}

fn principal_entry(ty: &str, value: &str, principal: Option<&(String, String)>) -> Tri {
    if has_variable(value) || (value.contains('*') && !(ty == "AWS" && value == "*")) {
        return Tri::Maybe;
    }
    let (req_ty, req_value) = match principal {
        Some((t, v)) => (t.as_str(), v.as_str()),
        None => return Tri::No,
    };
    if ty != req_ty {
        return Tri::No;
    }
    if ty != "AWS" {
        return Tri::of(value == req_value);
    }
    if value == "*" {
        return Tri::Yes;
    }
    let value = normalise_aws(value);
    let req_value = normalise_aws(req_value);
    if value == req_value {
        return Tri::Yes;
    }
    let fields: Vec<&str> = value.split(':').collect();
    let is_root = fields.len() == 6
        && fields[0] == "arn"
        && fields[2] == "iam"
        && fields[3].is_empty()
        && fields[5] == "root";
    if !is_root {
        return Tri::No;
    }
    let req_fields: Vec<&str> = req_value.split(':').collect();
    Tri::of(
        req_fields.len() >= 6
            && req_fields[0] == "arn"
            && req_fields[1] == fields[1]
            && req_fields[4] == fields[4],
    )
}

/// Twelve digits stand for the account's root ARN.
fn normalise_aws(value: &str) -> String {
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        format!("arn:aws:iam::{value}:root")
    } else {
        value.to_string()
    }
}

// ---------------------------------------------------------------------------
// Conditions

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Qualifier {
    Single,
    ForAllValues,
    ForAnyValue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compare {
    Equals,
    LessThan,
    LessThanEquals,
    GreaterThan,
    GreaterThanEquals,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Base {
    StringEquals,
    StringEqualsIgnoreCase,
    StringLike,
    Numeric(Compare),
    Date(Compare),
    Bool,
    Binary,
    Ip,
    Arn,
    Null,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Operator {
    qualifier: Qualifier,
    base: Base,
    /// The operator holds when the request value matches none of the
    /// condition values (`StringNotEquals`, `NotIpAddress`, ...).
    negated: bool,
    if_exists: bool,
}

fn parse_operator(name: &str) -> Option<Operator> {
    let (qualifier, rest) = if let Some(rest) = name.strip_prefix("ForAllValues:") {
        (Qualifier::ForAllValues, rest)
    } else if let Some(rest) = name.strip_prefix("ForAnyValue:") {
        (Qualifier::ForAnyValue, rest)
    } else {
        (Qualifier::Single, name)
    };
    let (if_exists, base_name) = match rest.strip_suffix("IfExists") {
        Some(base_name) => (true, base_name),
        None => (false, rest),
    };
    use Compare::*;
    let (base, negated) = match base_name {
        "StringEquals" => (Base::StringEquals, false),
        "StringNotEquals" => (Base::StringEquals, true),
        "StringEqualsIgnoreCase" => (Base::StringEqualsIgnoreCase, false),
        "StringNotEqualsIgnoreCase" => (Base::StringEqualsIgnoreCase, true),
        "StringLike" => (Base::StringLike, false),
        "StringNotLike" => (Base::StringLike, true),
        "NumericEquals" => (Base::Numeric(Equals), false),
        "NumericNotEquals" => (Base::Numeric(Equals), true),
        "NumericLessThan" => (Base::Numeric(LessThan), false),
        "NumericLessThanEquals" => (Base::Numeric(LessThanEquals), false),
        "NumericGreaterThan" => (Base::Numeric(GreaterThan), false),
        "NumericGreaterThanEquals" => (Base::Numeric(GreaterThanEquals), false),
        "DateEquals" => (Base::Date(Equals), false),
        "DateNotEquals" => (Base::Date(Equals), true),
        "DateLessThan" => (Base::Date(LessThan), false),
        "DateLessThanEquals" => (Base::Date(LessThanEquals), false),
        "DateGreaterThan" => (Base::Date(GreaterThan), false),
        "DateGreaterThanEquals" => (Base::Date(GreaterThanEquals), false),
        "Bool" => (Base::Bool, false),
        "BinaryEquals" => (Base::Binary, false),
        "IpAddress" => (Base::Ip, false),
        "NotIpAddress" => (Base::Ip, true),
        "ArnEquals" | "ArnLike" => (Base::Arn, false),
        "ArnNotEquals" | "ArnNotLike" => (Base::Arn, true),
        "Null" => (Base::Null, false),
        _ => return None,
    };
    if base == Base::Null && (if_exists || qualifier != Qualifier::Single) {
        return None;
    }
    Some(Operator {
        qualifier,
        base,
        negated,
        if_exists,
    })
}

/// A condition value or a request value, read for its operator.
#[derive(Debug, Clone, PartialEq)]
enum Scalar {
    Text(String),
    Number(f64),
    Instant((i64, u32)),
    Bool(bool),
    /// An IPv4 block: its address and prefix length (a request address is a
    /// `/32`).
    Net(u32, u32),
    /// A policy variable or an IPv6 address: cannot be decided here.
    Undecidable,
}

/// The Condition element: every operator and every key in it must hold.
fn condition_block(condition: &Value, req: &Request) -> Tri {
    let operators = match condition.as_object() {
        Some(operators) => operators,
        None => return Tri::Maybe,
    };
    all_of(operators.iter().map(|(name, keys)| {
        let operator = match parse_operator(name) {
            Some(operator) => operator,
            None => return Tri::Maybe,
        };
        match keys.as_object() {
            Some(keys) if !keys.is_empty() => all_of(
                keys.iter()
                    .map(|(key, values)| condition_key(&operator, key, values, req)),
            ),
            _ => Tri::Maybe,
        }
    }))
}

/// A string, number or boolean, or a non-empty list of them, as text.
fn scalar_texts(value: &Value) -> Option<Vec<String>> {
    fn text(value: &Value) -> Option<String> {
        match value {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
    match value {
        Value::Array(items) if !items.is_empty() => items.iter().map(text).collect(),
        Value::Array(_) => None,
        other => text(other).map(|t| vec![t]),
    }
}

/// One `key: values` entry under one operator.
fn condition_key(operator: &Operator, key: &str, values: &Value, req: &Request) -> Tri {
    if has_variable(key) {
        return Tri::Maybe;
    }
    let texts = match scalar_texts(values) {
        Some(texts) => texts,
        None => return Tri::Maybe,
    };
    let mut wanted = Vec::with_capacity(texts.len());
    for text in &texts {
        if has_variable(text) {
            wanted.push(Scalar::Undecidable);
        } else {
            match read_condition_value(operator.base, text) {
                Some(value) => wanted.push(value),
                None => return Tri::Maybe,
            }
        }
    }

    let present = req
        .context
        .get(&key.to_lowercase())
        .filter(|values| !values.is_empty());

    if operator.base == Base::Null {
        return any_of(wanted.iter().map(|w| match w {
            Scalar::Bool(want_absent) => Tri::of(*want_absent == present.is_none()),
            _ => Tri::Maybe,
        }));
    }

    let request_values = match present {
        Some(values) => values,
        None => {
            return Tri::of(match operator.qualifier {
                Qualifier::ForAllValues => true,
                Qualifier::ForAnyValue => operator.if_exists,
                Qualifier::Single => operator.if_exists || operator.negated,
            })
        }
    };

    // Whether one request value satisfies the operator.
    let holds_for = |raw: &String| -> Tri {
        let value = match read_request_value(operator.base, raw) {
            Ok(value) => value,
            Err(outcome) => return outcome,
        };
        let matched = any_of(
            wanted
                .iter()
                .map(|w| match_scalar(operator.base, &value, w)),
        );
        if operator.negated {
            matched.negate()
        } else {
            matched
        }
    };
    match operator.qualifier {
        Qualifier::ForAllValues => all_of(request_values.iter().map(holds_for)),
        Qualifier::ForAnyValue | Qualifier::Single => any_of(request_values.iter().map(holds_for)),
    }
}

/// Reads a condition value for its operator; `None` when malformed.
fn read_condition_value(base: Base, text: &str) -> Option<Scalar> {
    match base {
        Base::StringEquals
        | Base::StringEqualsIgnoreCase
        | Base::StringLike
        | Base::Binary
        | Base::Arn => Some(Scalar::Text(text.to_string())),
        Base::Numeric(_) => parse_number(text).map(Scalar::Number),
        Base::Date(_) => parse_instant(text).map(Scalar::Instant),
        Base::Bool | Base::Null => parse_bool(text).map(Scalar::Bool),
        Base::Ip => {
            if text.contains(':') {
                Some(Scalar::Undecidable)
            } else {
                parse_cidr(text).map(|(addr, len)| Scalar::Net(addr, len))
            }
        }
    }
}

/// Reads a request value for its operator; on failure, the outcome for that
/// value (false, or undecidable).
fn read_request_value(base: Base, text: &str) -> Result<Scalar, Tri> {
    match base {
        Base::StringEquals
        | Base::StringEqualsIgnoreCase
        | Base::StringLike
        | Base::Binary
        | Base::Arn
        | Base::Null => Ok(Scalar::Text(text.to_string())),
        Base::Numeric(_) => parse_number(text).map(Scalar::Number).ok_or(Tri::No),
        Base::Date(_) => parse_instant(text).map(Scalar::Instant).ok_or(Tri::Maybe),
        Base::Bool => parse_bool(text).map(Scalar::Bool).ok_or(Tri::No),
        Base::Ip => {
            if text.contains(':') {
                Err(Tri::Maybe)
            } else {
                parse_ipv4(text)
                    .map(|addr| Scalar::Net(addr, 32))
                    .ok_or(Tri::No)
            }
        }
    }
}

/// Whether a request value matches one condition value, in the positive sense
/// of the operator.
fn match_scalar(base: Base, request: &Scalar, wanted: &Scalar) -> Tri {
    match (request, wanted) {
        (Scalar::Undecidable, _) | (_, Scalar::Undecidable) => Tri::Maybe,
        (Scalar::Text(r), Scalar::Text(w)) => Tri::of(match base {
            Base::StringEquals | Base::Binary => r == w,
            Base::StringEqualsIgnoreCase => r.to_lowercase() == w.to_lowercase(),
            Base::StringLike | Base::Arn => glob_match(w, r, false),
            _ => return Tri::Maybe,
        }),
        (Scalar::Number(r), Scalar::Number(w)) => match base {
            Base::Numeric(cmp) => Tri::of(compare(cmp, r, w)),
            _ => Tri::Maybe,
        },
        (Scalar::Instant(r), Scalar::Instant(w)) => match base {
            Base::Date(cmp) => Tri::of(compare(cmp, r, w)),
            _ => Tri::Maybe,
        },
        (Scalar::Bool(r), Scalar::Bool(w)) => Tri::of(r == w),
        (Scalar::Net(addr, _), Scalar::Net(network, len)) => {
            let mask = if *len == 0 { 0 } else { u32::MAX << (32 - len) };
            Tri::of(addr & mask == network & mask)
        }
        _ => Tri::Maybe,
    }
}

fn compare<T: PartialOrd>(cmp: Compare, request: T, wanted: T) -> bool {
    match cmp {
        Compare::Equals => request == wanted,
        Compare::LessThan => request < wanted,
        Compare::LessThanEquals => request <= wanted,
        Compare::GreaterThan => request > wanted,
        Compare::GreaterThanEquals => request >= wanted,
    }
}

fn parse_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// A plain decimal: optional sign, digits, optional `.digits`. No exponent,
/// no `NaN` or `inf`.
fn parse_number(text: &str) -> Option<f64> {
    let body = text
        .strip_prefix('-')
        .or_else(|| text.strip_prefix('+'))
        .unwrap_or(text);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (whole, fraction) = match body.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (body, None),
    };
    if !digits(whole) || !fraction.is_none_or(digits) {
        return None;
    }
    text.parse::<f64>().ok()
}

fn parse_ipv4(text: &str) -> Option<u32> {
    let octets: Vec<&str> = text.split('.').collect();
    if octets.len() != 4 {
        return None;
    }
    let mut addr = 0u32;
    for octet in octets {
        if octet.is_empty()
            || octet.len() > 3
            || !octet.bytes().all(|b| b.is_ascii_digit())
            || (octet.len() > 1 && octet.starts_with('0'))
        {
            return None;
        }
        let value: u32 = octet.parse().ok()?;
        if value > 255 {
            return None;
        }
        addr = (addr << 8) | value;
    }
    Some(addr)
}

/// `a.b.c.d/len` or a plain address (a `/32`).
fn parse_cidr(text: &str) -> Option<(u32, u32)> {
    match text.split_once('/') {
        None => parse_ipv4(text).map(|addr| (addr, 32)),
        Some((addr, len)) => {
            if len.is_empty() || len.len() > 2 || !len.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let len: u32 = len.parse().ok()?;
            if len > 32 {
                return None;
            }
            parse_ipv4(addr).map(|addr| (addr, len))
        }
    }
}

/// Digits only, read as a number.
fn decimal(part: Option<&str>) -> Option<i64> {
    let part = part?;
    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days from 1970-01-01 to the given proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    // Count years from March, so that the leap day ends the year.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn req(action: &str, resource: Option<&str>) -> Request {
        Request {
            action: action.to_string(),
            resource: resource.map(str::to_string),
            ..Request::default()
        }
    }

    fn with_principal(mut r: Request, ty: &str, value: &str) -> Request {
        r.principal = Some((ty.to_string(), value.to_string()));
        r
    }

    fn with_key(mut r: Request, key: &str, values: &[&str]) -> Request {
        r.context.insert(
            key.to_lowercase(),
            values.iter().map(|v| v.to_string()).collect(),
        );
        r
    }

    fn allow(extra: Value) -> Value {
        let mut st = json!({"Effect": "Allow", "Action": "*", "Resource": "*"});
        for (k, v) in extra.as_object().unwrap() {
            st[k] = v.clone();
        }
        json!({"Version": "2012-10-17", "Statement": [st]})
    }

    fn with_condition(condition: Value) -> Value {
        allow(json!({ "Condition": condition }))
    }

    /// Evaluates a one-condition Allow document against a request holding the
    /// given values for `key` (`None`: key absent).
    fn cond(op: &str, key: &str, wanted: Value, have: Option<&[&str]>) -> Decision {
        let doc = with_condition(json!({ op: { key: wanted } }));
        let mut r = req("s3:GetObject", Some("arn:aws:s3:::b"));
        if let Some(have) = have {
            r = with_key(r, key, have);
        }
        evaluate(&doc, &r)
    }

    use Decision::{Allow, ExplicitDeny, ImplicitDeny, Unknown};

    // --- globbing ------------------------------------------------------

    #[test]
    fn glob_basics() {
        assert!(glob_match("*", "", false));
        assert!(glob_match("*", "anything", false));
        assert!(glob_match("", "", false));
        assert!(!glob_match("", "a", false));
        assert!(glob_match("a*c", "ac", false));
        assert!(glob_match("a*c", "abbbc", false));
        assert!(!glob_match("a*c", "abcd", false));
        assert!(glob_match("a?c", "abc", false));
        assert!(!glob_match("a?c", "ac", false));
        assert!(!glob_match("a?c", "abbc", false));
        assert!(glob_match("**?", "x", false));
        assert!(!glob_match("**?", "", false));
        assert!(glob_match("*a*b*", "xxaxxbxx", false));
        assert!(!glob_match("*a*b*", "xxbxxaxx", false));
        assert!(!glob_match("ABC", "abc", false));
        assert!(glob_match("ABC", "abc", true));
        assert!(glob_match("s3:get*", "S3:GetObject", true));
    }

    // --- document shape and effects -----------------------------------

    #[test]
    fn statement_object_or_list() {
        let r = req("s3:GetObject", Some("arn:aws:s3:::bucket/key"));
        let single = json!({"Version": "2012-10-17",
            "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}});
        assert_eq!(evaluate(&single, &r), Allow);
        let list = json!({"Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]});
        assert_eq!(evaluate(&list, &r), Allow);
        let empty = json!({"Version": "2012-10-17", "Statement": []});
        assert_eq!(evaluate(&empty, &r), ImplicitDeny);
    }

    #[test]
    fn deny_wins_over_allow() {
        let r = req("s3:GetObject", Some("arn:aws:s3:::bucket/key"));
        let doc = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
            {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/*"}
        ]});
        assert_eq!(evaluate(&doc, &r), ExplicitDeny);
        let other = req("s3:GetObject", Some("arn:aws:s3:::other/key"));
        assert_eq!(evaluate(&doc, &other), Allow);
        let nothing = req("iam:PassRole", Some("arn:aws:s3:::other/key"));
        assert_eq!(evaluate(&doc, &nothing), ImplicitDeny);
        // A Deny alone never allows.
        let deny_only = json!({"Version": "2012-10-17", "Statement":
            {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}});
        assert_eq!(evaluate(&deny_only, &r), ImplicitDeny);
        assert_eq!(evaluate(&deny_only, &nothing), ExplicitDeny);
    }

    #[test]
    fn malformed_documents_are_unknown() {
        let r = req("s3:GetObject", Some("arn:aws:s3:::bucket/key"));
        assert_eq!(evaluate(&json!([]), &r), Unknown);
        assert_eq!(evaluate(&json!({"Version": "2012-10-17"}), &r), Unknown);
        let bad_version = json!({"Version": "2012-10-18",
            "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}});
        assert_eq!(evaluate(&bad_version, &r), Unknown);
        let old_version = json!({"Version": "2008-10-17",
            "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}});
        assert_eq!(evaluate(&old_version, &r), Allow);
        let no_version = json!({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}});
        assert_eq!(evaluate(&no_version, &r), Allow);
        let extra = json!({"Version": "2012-10-17", "Foo": 1,
            "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}});
        assert_eq!(evaluate(&extra, &r), Unknown);
    }

    #[test]
    fn malformed_statements() {
        let r = req("s3:GetObject", Some("arn:aws:s3:::bucket/key"));
        let doc = |st: Value| json!({"Version": "2012-10-17", "Statement": [st]});
        // Effect is case-sensitive.
        let lower = doc(json!({"Effect": "allow", "Action": "*", "Resource": "*"}));
        assert_eq!(evaluate(&lower, &r), Unknown);
        // ... but a malformed statement that cannot match does not matter.
        let lower_other = doc(json!({"Effect": "allow", "Action": "iam:*", "Resource": "*"}));
        assert_eq!(evaluate(&lower_other, &r), ImplicitDeny);
        let both =
            doc(json!({"Effect": "Allow", "Action": "*", "NotAction": "iam:*", "Resource": "*"}));
        assert_eq!(evaluate(&both, &r), Unknown);
        let neither = doc(json!({"Effect": "Allow", "Resource": "*"}));
        assert_eq!(evaluate(&neither, &r), Unknown);
        let empty_list = doc(json!({"Effect": "Allow", "Action": [], "Resource": "*"}));
        assert_eq!(evaluate(&empty_list, &r), Unknown);
        let not_string =
            doc(json!({"Effect": "Allow", "Action": ["s3:GetObject", 3], "Resource": "*"}));
        assert_eq!(evaluate(&not_string, &r), Unknown);
        let unknown_element =
            doc(json!({"Effect": "Allow", "Action": "*", "Resource": "*", "Foo": 1}));
        assert_eq!(evaluate(&unknown_element, &r), Unknown);
        let numeric_sid = doc(json!({"Sid": 1, "Effect": "Allow", "Action": "*", "Resource": "*"}));
        assert_eq!(evaluate(&numeric_sid, &r), Unknown);
        let with_id = json!({"Version": "2012-10-17", "Id": "policy-1",
            "Statement": {"Sid": "A", "Effect": "Allow", "Action": "*", "Resource": "*"}});
        assert_eq!(evaluate(&with_id, &r), Allow);
        let not_object = json!({"Version": "2012-10-17", "Statement": ["x"]});
        assert_eq!(evaluate(&not_object, &r), Unknown);
        // A malformed statement beside a matching Deny: the Deny decides.
        let with_deny = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "allow", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "Action": "*", "Resource": "*"}]});
        assert_eq!(evaluate(&with_deny, &r), ExplicitDeny);
    }

    // --- actions --------------------------------------------------------

    #[test]
    fn action_patterns() {
        let doc = |a: Value| {
            json!({"Version": "2012-10-17",
            "Statement": {"Effect": "Allow", "Action": a, "Resource": "*"}})
        };
        let r = req("s3:GetObject", None);
        assert_eq!(evaluate(&doc(json!("s3:GetObject")), &r), Allow);
        assert_eq!(evaluate(&doc(json!("S3:GETOBJECT")), &r), Allow);
        assert_eq!(evaluate(&doc(json!("s3:get*")), &r), Allow);
        assert_eq!(evaluate(&doc(json!("s3:*")), &r), Allow);
        assert_eq!(evaluate(&doc(json!("*")), &r), Allow);
        assert_eq!(evaluate(&doc(json!("s3:?etObject")), &r), Allow);
        assert_eq!(evaluate(&doc(json!("s3:??tObject")), &r), Allow);
        assert_eq!(evaluate(&doc(json!("s3:?GetObject")), &r), ImplicitDeny);
        assert_eq!(evaluate(&doc(json!("s3:Put*")), &r), ImplicitDeny);
        assert_eq!(evaluate(&doc(json!("s3:GetObjectAcl")), &r), ImplicitDeny);
        assert_eq!(evaluate(&doc(json!("s3")), &r), ImplicitDeny);
        assert_eq!(evaluate(&doc(json!(["iam:*", "s3:GetObject"])), &r), Allow);
        assert_eq!(evaluate(&doc(json!(["iam:*", "ec2:*"])), &r), ImplicitDeny);
        let mixed_case_request = req("S3:getobject", None);
        assert_eq!(
            evaluate(&doc(json!("s3:GetObject")), &mixed_case_request),
            Allow
        );
    }

    #[test]
    fn not_action() {
        let doc = |a: Value| {
            json!({"Version": "2012-10-17",
            "Statement": {"Effect": "Allow", "NotAction": a, "Resource": "*"}})
        };
        let r = req("s3:GetObject", None);
        assert_eq!(evaluate(&doc(json!("iam:*")), &r), Allow);
        assert_eq!(evaluate(&doc(json!("s3:*")), &r), ImplicitDeny);
        assert_eq!(
            evaluate(&doc(json!(["iam:*", "S3:GET*"])), &r),
            ImplicitDeny
        );
        assert_eq!(evaluate(&doc(json!(["iam:*", "ec2:*"])), &r), Allow);
        // A Deny with NotAction denies everything else.
        let deny = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"}]});
        assert_eq!(evaluate(&deny, &r), Allow);
        assert_eq!(evaluate(&deny, &req("iam:PassRole", None)), ExplicitDeny);
    }

    // --- resources ------------------------------------------------------

    #[test]
    fn resource_patterns() {
        let doc = |res: Value| {
            json!({"Version": "2012-10-17",
            "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": res}})
        };
        let key = req("s3:GetObject", Some("arn:aws:s3:::bucket/a/b"));
        assert_eq!(evaluate(&doc(json!("arn:aws:s3:::bucket/*")), &key), Allow);
        assert_eq!(
            evaluate(&doc(json!("arn:aws:s3:::bucket")), &key),
            ImplicitDeny
        );
        assert_eq!(
            evaluate(&doc(json!("arn:aws:s3:::BUCKET/*")), &key),
            ImplicitDeny
        );
        assert_eq!(
            evaluate(&doc(json!("arn:aws:s3:::bucket/?/b")), &key),
            Allow
        );
        assert_eq!(evaluate(&doc(json!("arn:aws:s3:::*")), &key), Allow);
        assert_eq!(evaluate(&doc(json!("*")), &key), Allow);
        assert_eq!(
            evaluate(
                &doc(json!(["arn:aws:s3:::x", "arn:aws:s3:::bucket/a/b"])),
                &key
            ),
            Allow
        );
        let bucket = req("s3:ListBucket", Some("arn:aws:s3:::bucket"));
        assert_eq!(
            evaluate(&doc(json!("arn:aws:s3:::bucket/*")), &bucket),
            ImplicitDeny
        );
        assert_eq!(
            evaluate(&doc(json!("arn:aws:s3:::bucket*")), &bucket),
            Allow
        );
        // No resource in the request: the resource dimension matches.
        let none = req("s3:ListBucket", None);
        assert_eq!(evaluate(&doc(json!("arn:aws:s3:::nothing")), &none), Allow);
        // No Resource element: matches every resource.
        let no_resource = json!({"Version": "2012-10-17",
            "Statement": {"Effect": "Allow", "Action": "s3:*"}});
        assert_eq!(evaluate(&no_resource, &key), Allow);
    }

    #[test]
    fn not_resource() {
        let doc = |res: Value| {
            json!({"Version": "2012-10-17",
            "Statement": {"Effect": "Allow", "Action": "s3:*", "NotResource": res}})
        };
        let key = req("s3:GetObject", Some("arn:aws:s3:::bucket/a"));
        assert_eq!(
            evaluate(&doc(json!("arn:aws:s3:::bucket/*")), &key),
            ImplicitDeny
        );
        assert_eq!(evaluate(&doc(json!("arn:aws:s3:::other/*")), &key), Allow);
        assert_eq!(
            evaluate(&doc(json!(["arn:aws:s3:::other/*", "*"])), &key),
            ImplicitDeny
        );
        assert_eq!(
            evaluate(
                &doc(json!("arn:aws:s3:::other/*")),
                &req("s3:GetObject", None)
            ),
            Allow
        );
        let both = json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow",
            "Action": "s3:*", "Resource": "*", "NotResource": "arn:aws:s3:::x"}});
        assert_eq!(evaluate(&both, &key), Unknown);
    }

    // --- principals -----------------------------------------------------

    fn trust(principal_element: &str, principal: Value) -> Value {
        json!({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "sts:AssumeRole", principal_element: principal}]})
    }

    fn assume(ty: &str, value: &str) -> Request {
        with_principal(req("sts:AssumeRole", None), ty, value)
    }

    #[test]
    fn principal_star() {
        let doc = trust("Principal", json!("*"));
        assert_eq!(
            evaluate(&doc, &assume("AWS", "arn:aws:iam::444455556666:user/x")),
            Allow
        );
        assert_eq!(
            evaluate(&doc, &assume("Service", "ec2.amazonaws.com")),
            Allow
        );
        assert_eq!(evaluate(&doc, &req("sts:AssumeRole", None)), Allow);
        let aws_star = trust("Principal", json!({"AWS": "*"}));
        assert_eq!(
            evaluate(
                &aws_star,
                &assume("AWS", "arn:aws:iam::444455556666:user/x")
            ),
            Allow
        );
        assert_eq!(
            evaluate(&aws_star, &assume("Service", "ec2.amazonaws.com")),
            ImplicitDeny
        );
        assert_eq!(
            evaluate(&aws_star, &req("sts:AssumeRole", None)),
            ImplicitDeny
        );
    }

    #[test]
    fn principal_account_root() {
        let by_id = trust("Principal", json!({"AWS": "111122223333"}));
        let by_root = trust(
            "Principal",
            json!({"AWS": "arn:aws:iam::111122223333:root"}),
        );
        for doc in [&by_id, &by_root] {
            assert_eq!(
                evaluate(doc, &assume("AWS", "arn:aws:iam::111122223333:root")),
                Allow
            );
            assert_eq!(evaluate(doc, &assume("AWS", "111122223333")), Allow);
            assert_eq!(
                evaluate(doc, &assume("AWS", "arn:aws:iam::111122223333:role/app")),
                Allow
            );
            assert_eq!(
                evaluate(doc, &assume("AWS", "arn:aws:iam::111122223333:user/a/b")),
                Allow
            );
            assert_eq!(
                evaluate(
                    doc,
                    &assume("AWS", "arn:aws:sts::111122223333:assumed-role/app/s")
                ),
                Allow
            );
            assert_eq!(
                evaluate(doc, &assume("AWS", "arn:aws:iam::444455556666:root")),
                ImplicitDeny
            );
            assert_eq!(
                evaluate(doc, &assume("AWS", "arn:aws:iam::444455556666:role/app")),
                ImplicitDeny
            );
            assert_eq!(
                evaluate(doc, &assume("AWS", "arn:aws-cn:iam::111122223333:role/app")),
                ImplicitDeny
            );
            assert_eq!(
                evaluate(doc, &assume("Service", "111122223333")),
                ImplicitDeny
            );
            assert_eq!(evaluate(doc, &req("sts:AssumeRole", None)), ImplicitDeny);
        }
    }

    #[test]
    fn principal_exact_values() {
        let role = trust(
            "Principal",
            json!({"AWS": ["arn:aws:iam::111122223333:role/app"]}),
        );
        assert_eq!(
            evaluate(&role, &assume("AWS", "arn:aws:iam::111122223333:role/app")),
            Allow
        );
        assert_eq!(
            evaluate(
                &role,
                &assume("AWS", "arn:aws:iam::111122223333:role/other")
            ),
            ImplicitDeny
        );
        assert_eq!(
            evaluate(&role, &assume("AWS", "arn:aws:iam::111122223333:root")),
            ImplicitDeny
        );
        assert_eq!(
            evaluate(&role, &assume("AWS", "111122223333")),
            ImplicitDeny
        );
        // Chosen: a role ARN does not cover the role's sessions.
        assert_eq!(
            evaluate(
                &role,
                &assume("AWS", "arn:aws:sts::111122223333:assumed-role/app/s")
            ),
            ImplicitDeny
        );
        let service = trust(
            "Principal",
            json!({"Service": ["ec2.amazonaws.com", "lambda.amazonaws.com"]}),
        );
        assert_eq!(
            evaluate(&service, &assume("Service", "lambda.amazonaws.com")),
            Allow
        );
        assert_eq!(
            evaluate(&service, &assume("Service", "ecs.amazonaws.com")),
            ImplicitDeny
        );
        assert_eq!(
            evaluate(&service, &assume("AWS", "ec2.amazonaws.com")),
            ImplicitDeny
        );
        let provider =
            "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";
        let federated = trust("Principal", json!({"Federated": provider}));
        assert_eq!(evaluate(&federated, &assume("Federated", provider)), Allow);
        assert_eq!(
            evaluate(
                &federated,
                &assume("Federated", "cognito-identity.amazonaws.com")
            ),
            ImplicitDeny
        );
        let canonical = trust("Principal", json!({"CanonicalUser": "abc123"}));
        assert_eq!(
            evaluate(&canonical, &assume("CanonicalUser", "abc123")),
            Allow
        );
        assert_eq!(
            evaluate(&canonical, &assume("CanonicalUser", "abc124")),
            ImplicitDeny
        );
        let mixed = trust(
            "Principal",
            json!({"AWS": "444455556666", "Service": "ec2.amazonaws.com"}),
        );
        assert_eq!(
            evaluate(&mixed, &assume("Service", "ec2.amazonaws.com")),
            Allow
        );
        assert_eq!(
            evaluate(&mixed, &assume("AWS", "arn:aws:iam::444455556666:user/u")),
            Allow
        );
        assert_eq!(
            evaluate(&mixed, &assume("AWS", "arn:aws:iam::111122223333:user/u")),
            ImplicitDeny
        );
    }

    #[test]
    fn principal_undecidable_or_malformed() {
        let r = assume("AWS", "arn:aws:iam::111122223333:role/app");
        let partial = trust(
            "Principal",
            json!({"AWS": "arn:aws:iam::111122223333:role/*"}),
        );
        assert_eq!(evaluate(&partial, &r), Unknown);
        let variable = trust(
            "Principal",
            json!({"AWS": "arn:aws:iam::${aws:PrincipalAccount}:root"}),
        );
        assert_eq!(evaluate(&variable, &r), Unknown);
        let bad_type = trust("Principal", json!({"Aws": "*"}));
        assert_eq!(evaluate(&bad_type, &r), Unknown);
        let bare_string = trust("Principal", json!("arn:aws:iam::111122223333:root"));
        assert_eq!(evaluate(&bare_string, &r), Unknown);
        // Decidable anyway: another value matches.
        let with_match = trust(
            "Principal",
            json!({"AWS": ["arn:aws:iam::1:role/*", "111122223333"]}),
        );
        assert_eq!(evaluate(&with_match, &r), Allow);
    }

    #[test]
    fn not_principal() {
        let doc = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": "*"},
            {"Effect": "Deny", "Action": "sts:AssumeRole",
             "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}}]});
        assert_eq!(
            evaluate(&doc, &assume("AWS", "arn:aws:iam::111122223333:role/app")),
            Allow
        );
        assert_eq!(
            evaluate(&doc, &assume("AWS", "arn:aws:iam::444455556666:role/app")),
            ExplicitDeny
        );
        assert_eq!(
            evaluate(&doc, &assume("Service", "ec2.amazonaws.com")),
            ExplicitDeny
        );
        // No principal in the request: NotPrincipal does not match.
        assert_eq!(evaluate(&doc, &req("sts:AssumeRole", None)), Allow);
        let star = trust("NotPrincipal", json!("*"));
        assert_eq!(
            evaluate(&star, &assume("AWS", "111122223333")),
            ImplicitDeny
        );
        let aws_star = trust("NotPrincipal", json!({"AWS": "*"}));
        assert_eq!(
            evaluate(&aws_star, &assume("Service", "ec2.amazonaws.com")),
            Allow
        );
        assert_eq!(
            evaluate(&aws_star, &assume("AWS", "111122223333")),
            ImplicitDeny
        );
    }

    #[test]
    fn no_principal_element_matches_any_principal() {
        let doc = allow(json!({}));
        let r = with_principal(
            req("s3:GetObject", None),
            "AWS",
            "arn:aws:iam::444455556666:root",
        );
        assert_eq!(evaluate(&doc, &r), Allow);
        assert_eq!(evaluate(&doc, &req("s3:GetObject", None)), Allow);
    }

    // --- condition operators -------------------------------------------

    #[test]
    fn string_operators() {
        let k = "aws:username";
        assert_eq!(
            cond("StringEquals", k, json!("alice"), Some(&["alice"])),
            Allow
        );
        assert_eq!(
            cond("StringEquals", k, json!("alice"), Some(&["Alice"])),
            ImplicitDeny
        );
        assert_eq!(
            cond("StringEquals", k, json!(["bob", "alice"]), Some(&["alice"])),
            Allow
        );
        assert_eq!(
            cond("StringEquals", k, json!("a*"), Some(&["alice"])),
            ImplicitDeny
        );
        assert_eq!(
            cond("StringNotEquals", k, json!("alice"), Some(&["alice"])),
            ImplicitDeny
        );
        assert_eq!(
            cond("StringNotEquals", k, json!("alice"), Some(&["bob"])),
            Allow
        );
        assert_eq!(
            cond(
                "StringNotEquals",
                k,
                json!(["bob", "alice"]),
                Some(&["alice"])
            ),
            ImplicitDeny
        );
        assert_eq!(
            cond(
                "StringEqualsIgnoreCase",
                k,
                json!("ALICE"),
                Some(&["alice"])
            ),
            Allow
        );
        assert_eq!(
            cond("StringEqualsIgnoreCase", k, json!("ALICE"), Some(&["bob"])),
            ImplicitDeny
        );
        assert_eq!(
            cond(
                "StringNotEqualsIgnoreCase",
                k,
                json!("ALICE"),
                Some(&["alice"])
            ),
            ImplicitDeny
        );
        assert_eq!(
            cond(
                "StringNotEqualsIgnoreCase",
                k,
                json!("ALICE"),
                Some(&["bob"])
            ),
            Allow
        );
        assert_eq!(cond("StringLike", k, json!("a*"), Some(&["alice"])), Allow);
        assert_eq!(
            cond("StringLike", k, json!("A*"), Some(&["alice"])),
            ImplicitDeny
        );
        assert_eq!(
            cond("StringLike", k, json!("?lice"), Some(&["alice"])),
            Allow
        );
        assert_eq!(
            cond("StringLike", k, json!(["x", "*ce"]), Some(&["alice"])),
            Allow
        );
        assert_eq!(
            cond("StringNotLike", k, json!("a*"), Some(&["alice"])),
            ImplicitDeny
        );
        assert_eq!(
            cond("StringNotLike", k, json!(["x*", "y*"]), Some(&["alice"])),
            Allow
        );
        // Numbers and booleans in the policy are their JSON text.
        assert_eq!(cond("StringEquals", k, json!(42), Some(&["42"])), Allow);
        assert_eq!(cond("StringEquals", k, json!(true), Some(&["true"])), Allow);
        // Malformed values.
        assert_eq!(cond("StringEquals", k, json!([]), Some(&["a"])), Unknown);
        assert_eq!(cond("StringEquals", k, json!(null), Some(&["a"])), Unknown);
        assert_eq!(
            cond("StringEquals", k, json!({"a": 1}), Some(&["a"])),
            Unknown
        );
    }

    #[test]
    fn numeric_operators() {
        let k = "aws:MultiFactorAuthAge";
        assert_eq!(cond("NumericEquals", k, json!("10"), Some(&["10"])), Allow);
        assert_eq!(
            cond("NumericEquals", k, json!("10"), Some(&["10.0"])),
            Allow
        );
        assert_eq!(
            cond("NumericEquals", k, json!(10), Some(&["11"])),
            ImplicitDeny
        );
        assert_eq!(
            cond("NumericNotEquals", k, json!("10"), Some(&["11"])),
            Allow
        );
        assert_eq!(
            cond("NumericNotEquals", k, json!("10"), Some(&["10"])),
            ImplicitDeny
        );
        assert_eq!(
            cond("NumericLessThan", k, json!("3600"), Some(&["3599.5"])),
            Allow
        );
        assert_eq!(
            cond("NumericLessThan", k, json!("3600"), Some(&["3600"])),
            ImplicitDeny
        );
        assert_eq!(
            cond("NumericLessThanEquals", k, json!("3600"), Some(&["3600"])),
            Allow
        );
        assert_eq!(
            cond("NumericLessThanEquals", k, json!("3600"), Some(&["3601"])),
            ImplicitDeny
        );
        assert_eq!(
            cond("NumericGreaterThan", k, json!("-1"), Some(&["0"])),
            Allow
        );
        assert_eq!(
            cond("NumericGreaterThan", k, json!("0"), Some(&["0"])),
            ImplicitDeny
        );
        assert_eq!(
            cond("NumericGreaterThanEquals", k, json!("0"), Some(&["0"])),
            Allow
        );
        assert_eq!(
            cond("NumericGreaterThanEquals", k, json!("0"), Some(&["-0.5"])),
            ImplicitDeny
        );
        assert_eq!(
            cond("NumericLessThan", k, json!(["1", "100"]), Some(&["50"])),
            Allow
        );
        assert_eq!(cond("NumericEquals", k, json!("5"), Some(&["+5"])), Allow);
        assert_eq!(cond("NumericEquals", k, json!(5.5), Some(&["5.50"])), Allow);
        assert_eq!(
            cond("NumericEquals", k, json!("5"), Some(&["5."])),
            ImplicitDeny
        );
        assert_eq!(
            cond("NumericEquals", k, json!("0.5"), Some(&[".5"])),
            ImplicitDeny
        );
        // An unparsable request value: false, for the negation too.
        assert_eq!(
            cond("NumericLessThan", k, json!("3600"), Some(&["abc"])),
            ImplicitDeny
        );
        assert_eq!(
            cond("NumericNotEquals", k, json!("3600"), Some(&["abc"])),
            ImplicitDeny
        );
        assert_eq!(
            cond("NumericLessThan", k, json!("3600"), Some(&["NaN"])),
            ImplicitDeny
        );
        assert_eq!(
            cond("NumericLessThan", k, json!("3600"), Some(&["1e3"])),
            ImplicitDeny
        );
        // An unparsable policy value: the policy is malformed.
        assert_eq!(
            cond("NumericLessThan", k, json!("lots"), Some(&["1"])),
            Unknown
        );
        assert_eq!(cond("NumericLessThan", k, json!("lots"), None), Unknown);
    }

    #[test]
    fn date_operators() {
        let k = "aws:CurrentTime";
        let bound = json!("2020-01-01T00:00:00Z");
        assert_eq!(
            cond(
                "DateEquals",
                k,
                bound.clone(),
                Some(&["2020-01-01T00:00:00Z"])
            ),
            Allow
        );
        assert_eq!(
            cond("DateEquals", k, bound.clone(), Some(&["2020-01-01"])),
            Allow
        );
        assert_eq!(
            cond("DateEquals", k, bound.clone(), Some(&["1577836800"])),
            Allow
        );
        assert_eq!(
            cond(
                "DateEquals",
                k,
                bound.clone(),
                Some(&["2020-01-01T01:00:00+01:00"])
            ),
            Allow
        );
        assert_eq!(
            cond(
                "DateEquals",
                k,
                bound.clone(),
                Some(&["2019-12-31T23:00:00-01:00"])
            ),
            Allow
        );
        assert_eq!(
            cond(
                "DateEquals",
                k,
                bound.clone(),
                Some(&["2020-01-01T00:00:01Z"])
            ),
            ImplicitDeny
        );
        assert_eq!(
            cond(
                "DateNotEquals",
                k,
                bound.clone(),
                Some(&["2020-01-01T00:00:01Z"])
            ),
            Allow
        );
        assert_eq!(
            cond("DateNotEquals", k, bound.clone(), Some(&["2020-01-01"])),
            ImplicitDeny
        );
        assert_eq!(
            cond(
                "DateLessThan",
                k,
                bound.clone(),
                Some(&["2019-12-31T23:59:59Z"])
            ),
            Allow
        );
        assert_eq!(
            cond(
                "DateLessThan",
                k,
                bound.clone(),
                Some(&["2020-01-01T00:00:00Z"])
            ),
            ImplicitDeny
        );
        assert_eq!(
            cond(
                "DateLessThan",
                k,
                bound.clone(),
                Some(&["2019-12-31T23:59:59.999Z"])
            ),
            Allow
        );
        assert_eq!(
            cond(
                "DateLessThanEquals",
                k,
                bound.clone(),
                Some(&["2020-01-01"])
            ),
            Allow
        );
        assert_eq!(
            cond(
                "DateGreaterThan",
                k,
                bound.clone(),
                Some(&["2020-01-01T00:00:00.5Z"])
            ),
            Allow
        );
        assert_eq!(
            cond("DateGreaterThan", k, bound.clone(), Some(&["2020-01-01"])),
            ImplicitDeny
        );
        assert_eq!(
            cond(
                "DateGreaterThanEquals",
                k,
                bound.clone(),
                Some(&["2020-01-01"])
            ),
            Allow
        );
        assert_eq!(
            cond(
                "DateGreaterThanEquals",
                k,
                bound.clone(),
                Some(&["1577836799"])
            ),
            ImplicitDeny
        );
        assert_eq!(
            cond(
                "DateGreaterThan",
                k,
                json!(1577836800),
                Some(&["2020-01-02"])
            ),
            Allow
        );
        // Unparsable: undecidable.
        assert_eq!(
            cond("DateLessThan", k, bound.clone(), Some(&["yesterday"])),
            Unknown
        );
        assert_eq!(
            cond("DateLessThan", k, bound.clone(), Some(&["2020-02-30"])),
            Unknown
        );
        assert_eq!(
            cond(
                "DateLessThan",
                k,
                json!("2020-13-01"),
                Some(&["2020-01-01"])
            ),
            Unknown
        );
    }

    #[test]
    fn instants() {
        assert_eq!(parse_instant("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(
            parse_instant("2020-01-01T00:00:00Z"),
            Some((1_577_836_800, 0))
        );
        assert_eq!(parse_instant("2000-02-29"), Some((951_782_400, 0)));
        assert_eq!(
            parse_instant("2024-06-30T12:00:00+02:00"),
            Some((1_719_741_600, 0))
        );
        assert_eq!(
            parse_instant("2024-06-30t10:00:00z"),
            Some((1_719_741_600, 0))
        );
        assert_eq!(parse_instant("1969-12-31T23:59:59Z"), Some((-1, 0)));
        assert_eq!(
            parse_instant("2020-01-01T00:00:00.25Z"),
            Some((1_577_836_800, 250_000_000))
        );
        assert_eq!(parse_instant("1700000000"), Some((1_700_000_000, 0)));
        assert_eq!(parse_instant("1900-02-29"), None);
        assert_eq!(parse_instant("2020-01-01T24:00:00Z"), None);
        assert_eq!(parse_instant("2020-01-01T00:00:00"), None);
        assert_eq!(parse_instant("2020-01-01T00:00:00+0200"), None);
        assert_eq!(parse_instant("2020-01-01 00:00:00Z"), None);
        assert_eq!(parse_instant(""), None);
        assert_eq!(parse_instant("-"), None);
    }

    #[test]
    fn bool_and_binary_operators() {
        let k = "aws:MultiFactorAuthPresent";
        assert_eq!(cond("Bool", k, json!("true"), Some(&["true"])), Allow);
        assert_eq!(cond("Bool", k, json!("TRUE"), Some(&["True"])), Allow);
        assert_eq!(cond("Bool", k, json!(true), Some(&["true"])), Allow);
        assert_eq!(
            cond("Bool", k, json!("true"), Some(&["false"])),
            ImplicitDeny
        );
        assert_eq!(cond("Bool", k, json!("false"), Some(&["false"])), Allow);
        assert_eq!(cond("Bool", k, json!("true"), Some(&["yes"])), ImplicitDeny);
        assert_eq!(cond("Bool", k, json!("true"), None), ImplicitDeny);
        assert_eq!(cond("Bool", k, json!("yes"), Some(&["true"])), Unknown);
        assert_eq!(
            cond(
                "BinaryEquals",
                "aws:userid",
                json!("QmluYXJ5"),
                Some(&["QmluYXJ5"])
            ),
            Allow
        );
        assert_eq!(
            cond(
                "BinaryEquals",
                "aws:userid",
                json!("QmluYXJ5"),
                Some(&["qmluyxj5"])
            ),
            ImplicitDeny
        );
    }

    #[test]
    fn ip_operators() {
        let k = "aws:SourceIp";
        assert_eq!(
            cond(
                "IpAddress",
                k,
                json!("203.0.113.0/24"),
                Some(&["203.0.113.77"])
            ),
            Allow
        );
        assert_eq!(
            cond(
                "IpAddress",
                k,
                json!("203.0.113.0/24"),
                Some(&["203.0.114.1"])
            ),
            ImplicitDeny
        );
        assert_eq!(
            cond(
                "IpAddress",
                k,
                json!("203.0.113.5/24"),
                Some(&["203.0.113.200"])
            ),
            Allow
        );
        assert_eq!(
            cond("IpAddress", k, json!("10.0.0.0/8"), Some(&["10.255.0.1"])),
            Allow
        );
        assert_eq!(
            cond("IpAddress", k, json!("0.0.0.0/0"), Some(&["1.2.3.4"])),
            Allow
        );
        assert_eq!(
            cond("IpAddress", k, json!("192.0.2.7"), Some(&["192.0.2.7"])),
            Allow
        );
        assert_eq!(
            cond("IpAddress", k, json!("192.0.2.7/32"), Some(&["192.0.2.8"])),
            ImplicitDeny
        );
        assert_eq!(
            cond(
                "IpAddress",
                k,
                json!(["1.1.1.1", "192.0.2.0/25"]),
                Some(&["192.0.2.127"])
            ),
            Allow
        );
        assert_eq!(
            cond(
                "IpAddress",
                k,
                json!("192.0.2.0/25"),
                Some(&["192.0.2.128"])
            ),
            ImplicitDeny
        );
        assert_eq!(
            cond(
                "NotIpAddress",
                k,
                json!("203.0.113.0/24"),
                Some(&["203.0.113.77"])
            ),
            ImplicitDeny
        );
        assert_eq!(
            cond(
                "NotIpAddress",
                k,
                json!("203.0.113.0/24"),
                Some(&["198.51.100.1"])
            ),
            Allow
        );
        assert_eq!(
            cond("NotIpAddress", k, json!("203.0.113.0/24"), None),
            Allow
        );
        assert_eq!(
            cond("IpAddress", k, json!("203.0.113.0/24"), None),
            ImplicitDeny
        );
        // Request value that is not an address: false.
        assert_eq!(
            cond("IpAddress", k, json!("203.0.113.0/24"), Some(&["nowhere"])),
            ImplicitDeny
        );
        // IPv6: undecidable.
        assert_eq!(
            cond(
                "IpAddress",
                k,
                json!("2001:db8::/32"),
                Some(&["203.0.113.1"])
            ),
            Unknown
        );
        assert_eq!(
            cond(
                "IpAddress",
                k,
                json!("203.0.113.0/24"),
                Some(&["2001:db8::1"])
            ),
            Unknown
        );
        // Malformed blocks.
        assert_eq!(
            cond(
                "IpAddress",
                k,
                json!("203.0.113.0/33"),
                Some(&["203.0.113.1"])
            ),
            Unknown
        );
        assert_eq!(
            cond(
                "IpAddress",
                k,
                json!("203.0.113.256"),
                Some(&["203.0.113.1"])
            ),
            Unknown
        );
    }

    #[test]
    fn arn_operators() {
        let k = "aws:PrincipalArn";
        let role = "arn:aws:iam::111122223333:role/app";
        assert_eq!(cond("ArnEquals", k, json!(role), Some(&[role])), Allow);
        assert_eq!(
            cond(
                "ArnLike",
                k,
                json!("arn:aws:iam::111122223333:role/*"),
                Some(&[role])
            ),
            Allow
        );
        assert_eq!(
            cond(
                "ArnLike",
                k,
                json!("arn:aws:iam::*:role/app"),
                Some(&[role])
            ),
            Allow
        );
        assert_eq!(
            cond(
                "ArnLike",
                k,
                json!("arn:aws:iam::444455556666:*"),
                Some(&[role])
            ),
            ImplicitDeny
        );
        assert_eq!(
            cond(
                "ArnLike",
                k,
                json!("arn:aws:iam::111122223333:ROLE/*"),
                Some(&[role])
            ),
            ImplicitDeny
        );
        assert_eq!(
            cond("ArnNotEquals", k, json!(role), Some(&[role])),
            ImplicitDeny
        );
        assert_eq!(
            cond(
                "ArnNotLike",
                k,
                json!("arn:aws:iam::444455556666:*"),
                Some(&[role])
            ),
            Allow
        );
        assert_eq!(
            cond("ArnNotLike", k, json!("arn:aws:iam::444455556666:*"), None),
            Allow
        );
        assert_eq!(
            cond("ArnLike", k, json!("arn:aws:iam::444455556666:*"), None),
            ImplicitDeny
        );
    }

    #[test]
    fn null_operator() {
        let k = "aws:TokenIssueTime";
        assert_eq!(cond("Null", k, json!("true"), None), Allow);
        assert_eq!(cond("Null", k, json!("true"), Some(&["x"])), ImplicitDeny);
        assert_eq!(cond("Null", k, json!("false"), Some(&["x"])), Allow);
        assert_eq!(cond("Null", k, json!(false), None), ImplicitDeny);
        assert_eq!(cond("Null", k, json!("TRUE"), Some(&[])), Allow);
        assert_eq!(cond("Null", k, json!("maybe"), None), Unknown);
        assert_eq!(cond("NullIfExists", k, json!("true"), None), Unknown);
        assert_eq!(cond("ForAllValues:Null", k, json!("true"), None), Unknown);
    }

    #[test]
    fn missing_keys() {
        let k = "aws:PrincipalOrgID";
        for positive in [
            "StringEquals",
            "StringLike",
            "StringEqualsIgnoreCase",
            "ArnLike",
            "ArnEquals",
        ] {
            assert_eq!(
                cond(positive, k, json!("o-1"), None),
                ImplicitDeny,
                "{positive}"
            );
        }
        assert_eq!(cond("NumericLessThan", k, json!("1"), None), ImplicitDeny);
        assert_eq!(
            cond("DateLessThan", k, json!("2020-01-01"), None),
            ImplicitDeny
        );
        assert_eq!(
            cond("IpAddress", k, json!("10.0.0.0/8"), None),
            ImplicitDeny
        );
        assert_eq!(cond("Bool", k, json!("false"), None), ImplicitDeny);
        assert_eq!(cond("BinaryEquals", k, json!("QQ=="), None), ImplicitDeny);
        for negated in [
            "StringNotEquals",
            "StringNotLike",
            "StringNotEqualsIgnoreCase",
            "ArnNotLike",
            "ArnNotEquals",
        ] {
            assert_eq!(cond(negated, k, json!("o-1"), None), Allow, "{negated}");
        }
        assert_eq!(cond("NumericNotEquals", k, json!("1"), None), Allow);
        assert_eq!(cond("DateNotEquals", k, json!("2020-01-01"), None), Allow);
        assert_eq!(cond("NotIpAddress", k, json!("10.0.0.0/8"), None), Allow);
        // An empty list of values is the same as an absent key.
        assert_eq!(
            cond("StringEquals", k, json!("o-1"), Some(&[])),
            ImplicitDeny
        );
        assert_eq!(cond("StringNotEquals", k, json!("o-1"), Some(&[])), Allow);
    }

    #[test]
    fn if_exists() {
        let k = "aws:SourceIp";
        assert_eq!(
            cond("IpAddressIfExists", k, json!("10.0.0.0/8"), None),
            Allow
        );
        assert_eq!(
            cond(
                "IpAddressIfExists",
                k,
                json!("10.0.0.0/8"),
                Some(&["10.1.1.1"])
            ),
            Allow
        );
        assert_eq!(
            cond(
                "IpAddressIfExists",
                k,
                json!("10.0.0.0/8"),
                Some(&["11.1.1.1"])
            ),
            ImplicitDeny
        );
        assert_eq!(
            cond("NotIpAddressIfExists", k, json!("10.0.0.0/8"), None),
            Allow
        );
        assert_eq!(
            cond(
                "NotIpAddressIfExists",
                k,
                json!("10.0.0.0/8"),
                Some(&["10.1.1.1"])
            ),
            ImplicitDeny
        );
        let u = "aws:username";
        assert_eq!(cond("StringEqualsIfExists", u, json!("alice"), None), Allow);
        assert_eq!(
            cond("StringEqualsIfExists", u, json!("alice"), Some(&["bob"])),
            ImplicitDeny
        );
        assert_eq!(
            cond("StringLikeIfExists", u, json!("a*"), Some(&["alice"])),
            Allow
        );
        assert_eq!(
            cond(
                "StringNotEqualsIfExists",
                u,
                json!("alice"),
                Some(&["alice"])
            ),
            ImplicitDeny
        );
        assert_eq!(
            cond(
                "BoolIfExists",
                "aws:MultiFactorAuthPresent",
                json!("true"),
                None
            ),
            Allow
        );
        assert_eq!(
            cond(
                "BoolIfExists",
                "aws:MultiFactorAuthPresent",
                json!("true"),
                Some(&["false"])
            ),
            ImplicitDeny
        );
        assert_eq!(
            cond("NumericLessThanIfExists", "n", json!("5"), None),
            Allow
        );
        assert_eq!(
            cond("NumericLessThanIfExists", "n", json!("5"), Some(&["6"])),
            ImplicitDeny
        );
        assert_eq!(
            cond("DateGreaterThanIfExists", "d", json!("2020-01-01"), None),
            Allow
        );
        assert_eq!(cond("ArnLikeIfExists", "a", json!("arn:*"), None), Allow);
        assert_eq!(
            cond("BinaryEqualsIfExists", "b", json!("QQ=="), None),
            Allow
        );
    }

    #[test]
    fn for_all_values() {
        let k = "aws:TagKeys";
        let allowed = json!(["env", "team"]);
        assert_eq!(
            cond(
                "ForAllValues:StringEquals",
                k,
                allowed.clone(),
                Some(&["env"])
            ),
            Allow
        );
        assert_eq!(
            cond(
                "ForAllValues:StringEquals",
                k,
                allowed.clone(),
                Some(&["env", "team"])
            ),
            Allow
        );
        assert_eq!(
            cond(
                "ForAllValues:StringEquals",
                k,
                allowed.clone(),
                Some(&["env", "cost"])
            ),
            ImplicitDeny
        );
        assert_eq!(
            cond("ForAllValues:StringEquals", k, allowed.clone(), None),
            Allow
        );
        assert_eq!(
            cond("ForAllValues:StringEquals", k, allowed.clone(), Some(&[])),
            Allow
        );
        assert_eq!(
            cond(
                "ForAllValues:StringLike",
                k,
                json!("cost*"),
                Some(&["cost1", "cost2"])
            ),
            Allow
        );
        assert_eq!(
            cond(
                "ForAllValues:StringNotEquals",
                k,
                allowed.clone(),
                Some(&["a", "b"])
            ),
            Allow
        );
        assert_eq!(
            cond(
                "ForAllValues:StringNotEquals",
                k,
                allowed.clone(),
                Some(&["a", "env"])
            ),
            ImplicitDeny
        );
        assert_eq!(
            cond("ForAllValues:StringNotEquals", k, allowed.clone(), None),
            Allow
        );
        assert_eq!(
            cond(
                "ForAllValues:StringEqualsIfExists",
                k,
                allowed.clone(),
                None
            ),
            Allow
        );
        assert_eq!(
            cond(
                "ForAllValues:NumericLessThan",
                "n",
                json!("10"),
                Some(&["1", "2", "9"])
            ),
            Allow
        );
        assert_eq!(
            cond(
                "ForAllValues:NumericLessThan",
                "n",
                json!("10"),
                Some(&["1", "x"])
            ),
            ImplicitDeny
        );
    }

    #[test]
    fn for_any_value() {
        let k = "aws:TagKeys";
        let allowed = json!(["env", "team"]);
        assert_eq!(
            cond(
                "ForAnyValue:StringEquals",
                k,
                allowed.clone(),
                Some(&["x", "env"])
            ),
            Allow
        );
        assert_eq!(
            cond(
                "ForAnyValue:StringEquals",
                k,
                allowed.clone(),
                Some(&["x", "y"])
            ),
            ImplicitDeny
        );
        assert_eq!(
            cond("ForAnyValue:StringEquals", k, allowed.clone(), None),
            ImplicitDeny
        );
        assert_eq!(
            cond("ForAnyValue:StringEquals", k, allowed.clone(), Some(&[])),
            ImplicitDeny
        );
        assert_eq!(
            cond("ForAnyValue:StringEqualsIfExists", k, allowed.clone(), None),
            Allow
        );
        assert_eq!(
            cond(
                "ForAnyValue:StringNotEquals",
                k,
                allowed.clone(),
                Some(&["env", "x"])
            ),
            Allow
        );
        assert_eq!(
            cond(
                "ForAnyValue:StringNotEquals",
                k,
                allowed.clone(),
                Some(&["env", "team"])
            ),
            ImplicitDeny
        );
        assert_eq!(
            cond("ForAnyValue:StringNotEquals", k, allowed.clone(), None),
            ImplicitDeny
        );
        assert_eq!(
            cond(
                "ForAnyValue:StringLike",
                k,
                json!("cost*"),
                Some(&["env", "cost"])
            ),
            Allow
        );
    }

    #[test]
    fn multi_valued_key_without_qualifier() {
        // Chosen: satisfied when any request value satisfies.
        let k = "aws:TagKeys";
        assert_eq!(
            cond("StringEquals", k, json!("env"), Some(&["x", "env"])),
            Allow
        );
        assert_eq!(
            cond("StringEquals", k, json!("env"), Some(&["x", "y"])),
            ImplicitDeny
        );
        assert_eq!(
            cond("StringNotEquals", k, json!("env"), Some(&["env", "x"])),
            Allow
        );
        assert_eq!(
            cond("StringNotEquals", k, json!("env"), Some(&["env", "env"])),
            ImplicitDeny
        );
    }

    #[test]
    fn conditions_are_anded_and_keys_case_insensitive() {
        let doc = with_condition(json!({
            "StringEquals": {"AWS:Username": "alice", "aws:PrincipalOrgID": "o-1"},
            "Bool": {"aws:MultiFactorAuthPresent": "true"}
        }));
        let base = req("s3:GetObject", None);
        let full = with_key(
            with_key(
                with_key(base.clone(), "aws:username", &["alice"]),
                "aws:principalorgid",
                &["o-1"],
            ),
            "aws:multifactorauthpresent",
            &["true"],
        );
        assert_eq!(evaluate(&doc, &full), Allow);
        let no_mfa = with_key(full.clone(), "aws:multifactorauthpresent", &["false"]);
        assert_eq!(evaluate(&doc, &no_mfa), ImplicitDeny);
        let other_org = with_key(full.clone(), "aws:principalorgid", &["o-2"]);
        assert_eq!(evaluate(&doc, &other_org), ImplicitDeny);
        assert_eq!(evaluate(&doc, &base), ImplicitDeny);
        assert_eq!(evaluate(&with_condition(json!({})), &base), Allow);
        assert_eq!(evaluate(&with_condition(json!("x")), &base), Unknown);
        assert_eq!(
            evaluate(&with_condition(json!({"StringEquals": {}})), &base),
            Unknown
        );
    }

    #[test]
    fn conditions_on_deny() {
        let doc = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "Action": "*", "Resource": "*",
             "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]});
        let base = req("iam:CreateAccessKey", None);
        assert_eq!(evaluate(&doc, &base), ExplicitDeny);
        assert_eq!(
            evaluate(
                &doc,
                &with_key(base.clone(), "aws:MultiFactorAuthPresent", &["false"])
            ),
            ExplicitDeny
        );
        assert_eq!(
            evaluate(
                &doc,
                &with_key(base, "aws:MultiFactorAuthPresent", &["true"])
            ),
            Allow
        );
    }

    // --- undecidable statements ----------------------------------------

    #[test]
    fn unknown_operator() {
        let base = req("s3:GetObject", None);
        let doc = with_condition(json!({"StringEqualsFancy": {"aws:username": "a"}}));
        assert_eq!(evaluate(&doc, &base), Unknown);
        assert_eq!(
            evaluate(&with_condition(json!({"stringequals": {"k": "a"}})), &base),
            Unknown
        );
        assert_eq!(
            evaluate(
                &with_condition(json!({"ForSomeValues:StringEquals": {"k": "a"}})),
                &base
            ),
            Unknown
        );
        // It cannot matter when the action does not match.
        let narrow = json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow",
            "Action": "iam:*", "Resource": "*",
            "Condition": {"StringEqualsFancy": {"aws:username": "a"}}}});
        assert_eq!(evaluate(&narrow, &base), ImplicitDeny);
        assert_eq!(evaluate(&narrow, &req("iam:PassRole", None)), Unknown);
        // Nor when another key of the same statement is definitely false.
        let anded = with_condition(json!({
            "StringEqualsFancy": {"aws:username": "a"},
            "StringEquals": {"aws:PrincipalOrgID": "o-1"}}));
        assert_eq!(evaluate(&anded, &base), ImplicitDeny);
    }

    #[test]
    fn policy_variables() {
        let doc = |res: &str| {
            json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow",
            "Action": "s3:*", "Resource": res}})
        };
        let r = req("s3:GetObject", Some("arn:aws:s3:::bucket/home/alice/x"));
        assert_eq!(
            evaluate(&doc("arn:aws:s3:::bucket/home/${aws:username}/*"), &r),
            Unknown
        );
        assert_eq!(evaluate(&doc("arn:aws:s3:::bucket/${*}"), &r), Unknown);
        // Irrelevant when the action does not match.
        assert_eq!(
            evaluate(
                &doc("arn:aws:s3:::bucket/home/${aws:username}/*"),
                &req("iam:PassRole", Some("x"))
            ),
            ImplicitDeny
        );
        // In a list, a definite match wins.
        let list = json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow",
            "Action": "s3:*", "Resource": ["arn:aws:s3:::bucket/${aws:username}", "*"]}});
        assert_eq!(evaluate(&list, &r), Allow);
        // In a condition value or key.
        let in_value =
            with_condition(json!({"StringEquals": {"s3:prefix": "home/${aws:username}"}}));
        let with_prefix = with_key(req("s3:ListBucket", None), "s3:prefix", &["home/alice"]);
        assert_eq!(evaluate(&in_value, &with_prefix), Unknown);
        // A positive operator on an absent key is false whatever the value.
        assert_eq!(
            evaluate(&in_value, &req("s3:ListBucket", None)),
            ImplicitDeny
        );
        let in_key =
            with_condition(json!({"StringEquals": {"aws:ResourceTag/${aws:username}": "x"}}));
        assert_eq!(evaluate(&in_key, &with_prefix), Unknown);
        // In an action.
        let in_action = json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow",
            "Action": "s3:${x}", "Resource": "*"}});
        assert_eq!(evaluate(&in_action, &r), Unknown);
    }

    #[test]
    fn undecidable_deny_and_allow() {
        let r = req("s3:GetObject", Some("arn:aws:s3:::bucket/home/alice/x"));
        let maybe_deny = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "Action": "*", "Resource": "arn:aws:s3:::bucket/home/${aws:username}/*"}]});
        assert_eq!(evaluate(&maybe_deny, &r), Unknown);
        // Even with no Allow, a possible Deny could turn ImplicitDeny into ExplicitDeny.
        let only_maybe_deny = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Deny", "Action": "*", "Resource": "arn:aws:s3:::${aws:username}"}]});
        assert_eq!(evaluate(&only_maybe_deny, &r), Unknown);
        // A definite Deny wins over an undecidable one.
        let definite_deny = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Deny", "Action": "*", "Resource": "arn:aws:s3:::${aws:username}"},
            {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]});
        assert_eq!(evaluate(&definite_deny, &r), ExplicitDeny);
        // A definite Allow wins over an undecidable Allow.
        let two_allows = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::${aws:username}"},
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]});
        assert_eq!(evaluate(&two_allows, &r), Allow);
        // An undecidable Allow alone is Unknown.
        let maybe_allow = json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::${aws:username}"}]});
        assert_eq!(evaluate(&maybe_allow, &r), Unknown);
    }

    #[test]
    fn trust_policy_with_github_oidc() {
        let provider =
            "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";
        let doc = json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Principal": {"Federated": provider},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {
            "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
            "StringLike": {"token.actions.githubusercontent.com:sub": "repo:octo-org/*"}
        }}]});
        let base = with_principal(
            req("sts:AssumeRoleWithWebIdentity", None),
            "Federated",
            provider,
        );
        let good = with_key(
            with_key(
                base.clone(),
                "token.actions.githubusercontent.com:aud",
                &["sts.amazonaws.com"],
            ),
            "token.actions.githubusercontent.com:sub",
            &["repo:octo-org/app:ref:refs/heads/main"],
        );
        assert_eq!(evaluate(&doc, &good), Allow);
        let evil = with_key(
            good.clone(),
            "token.actions.githubusercontent.com:sub",
            &["repo:evil/app:ref:x"],
        );
        assert_eq!(evaluate(&doc, &evil), ImplicitDeny);
        assert_eq!(evaluate(&doc, &base), ImplicitDeny);
        let wrong_action = Request {
            action: "sts:AssumeRole".into(),
            ..good
        };
        assert_eq!(evaluate(&doc, &wrong_action), ImplicitDeny);
    }
}
