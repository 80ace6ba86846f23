//! Condition blocks: read, evaluated against a request's context, and compared.
//!
//! A block holds when every condition in it holds. One condition implies another
//! only by the table below, never by guessing:
//! - the same key (without case), the same set qualifier (`ForAllValues:`,
//!   `ForAnyValue:` or none), and an operator of the same family;
//! - for a positive operator, every value of the stricter condition is matched
//!   by a value of the looser one (a subset, `StringEquals` inside
//!   `StringLike`, a CIDR inside a CIDR, a tighter numeric or date bound);
//! - for a negated operator (`StringNotEquals`, `NotIpAddress`, ...), the other
//!   way round: the stricter one excludes at least what the looser excludes;
//! - `...IfExists` is implied by its plain form, not the reverse;
//! - `Null` by `Null` with a subset of values, and `"Null": {"K": "false"}` (the
//!   key is present) by any plain positive condition on `K`.
//!
//! An operator drift does not know implies nothing but itself, word for word,
//! and cannot be evaluated.

use super::glob;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// The set qualifier of a condition on a multivalued key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Qualifier {
    None,
    ForAllValues,
    ForAnyValue,
}

/// How a condition operator compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// Exact strings (`StringEquals`, `BinaryEquals`).
    Equals,
    /// Strings without case (`StringEqualsIgnoreCase`).
    EqualsIgnoreCase,
    /// Wildcard strings (`StringLike`, `ArnEquals`, `ArnLike`).
    Like,
    /// Numbers (`NumericLessThan`, ...).
    Numeric(Bound),
    /// Instants (`DateLessThan`, ...).
    Date(Bound),
    /// `Bool`.
    Bool,
    /// `IpAddress`.
    Ip,
    /// `Null`.
    Null,
}

/// The comparison of a numeric or date operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Bound {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

/// A known operator: its family and whether it is negated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Operator {
    pub family: Family,
    pub negated: bool,
}

fn operator(name: &str) -> Option<Operator> {
    use Family::*;
    let (family, negated) = match name {
        "StringEquals" => (Equals, false),
        "StringNotEquals" => (Equals, true),
        "StringEqualsIgnoreCase" => (EqualsIgnoreCase, false),
        "StringNotEqualsIgnoreCase" => (EqualsIgnoreCase, true),
        "StringLike" => (Like, false),
        "StringNotLike" => (Like, true),
        "BinaryEquals" => (Equals, false),
        "ArnEquals" | "ArnLike" => (Like, false),
        "ArnNotEquals" | "ArnNotLike" => (Like, true),
        "NumericEquals" => (Numeric(Bound::Eq), false),
        "NumericNotEquals" => (Numeric(Bound::Eq), true),
        "NumericLessThan" => (Numeric(Bound::Lt), false),
        "NumericLessThanEquals" => (Numeric(Bound::Le), false),
        "NumericGreaterThan" => (Numeric(Bound::Gt), false),
        "NumericGreaterThanEquals" => (Numeric(Bound::Ge), false),
        "DateEquals" => (Date(Bound::Eq), false),
        "DateNotEquals" => (Date(Bound::Eq), true),
        "DateLessThan" => (Date(Bound::Lt), false),
        "DateLessThanEquals" => (Date(Bound::Le), false),
        "DateGreaterThan" => (Date(Bound::Gt), false),
        "DateGreaterThanEquals" => (Date(Bound::Ge), false),
        "Bool" => (Bool, false),
        "IpAddress" => (Ip, false),
        "NotIpAddress" => (Ip, true),
        "Null" => (Null, false),
        _ => return None,
    };
    Some(Operator { family, negated })
}

/// One condition: an operator, a key and the values it allows (ORed).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Condition {
    /// The operator as written (`ForAnyValue:StringLikeIfExists`).
    pub text: String,
    /// `None` when drift does not know the operator.
    pub op: Option<Operator>,
    pub qualifier: Qualifier,
    pub if_exists: bool,
    /// The key, lower case (IAM reads keys without case).
    pub key: String,
    pub values: Vec<String>,
}

impl Condition {
    pub fn new(text: &str, key: &str, mut values: Vec<String>) -> Condition {
        let (qualifier, rest) = if let Some(r) = text.strip_prefix("ForAllValues:") {
            (Qualifier::ForAllValues, r)
        } else if let Some(r) = text.strip_prefix("ForAnyValue:") {
            (Qualifier::ForAnyValue, r)
        } else {
            (Qualifier::None, text)
        };
        let (base, if_exists) = match rest.strip_suffix("IfExists") {
            Some(b) if b != "Null" => (b, true),
            _ => (rest, false),
        };
        values.sort();
        values.dedup();
        // `Null` takes neither a set qualifier nor `IfExists`.
        let op =
            operator(base).filter(|o| o.family != Family::Null || qualifier == Qualifier::None);
        Condition {
            text: text.to_string(),
            op,
            qualifier,
            if_exists,
            key: key.to_ascii_lowercase(),
            values,
        }
    }

    /// Whether a value of this condition holds a policy variable.
    pub fn has_variable(&self) -> bool {
        self.values.iter().any(|v| glob::has_variable(v))
    }

    /// Whether the condition holds for a request whose context gives `key` the
    /// values `present` (`None`: the key is absent). `None` when that cannot be
    /// decided (an unknown operator, a policy variable, a value that is not a
    /// number, date or address).
    pub fn holds(&self, present: Option<&[String]>) -> Option<bool> {
        let op = self.op?;
        if self.has_variable() {
            return None;
        }
        if op.family == Family::Null {
            let absent = present.is_none_or(|v| v.is_empty());
            let mut any = false;
            for v in &self.values {
                match v.to_ascii_lowercase().as_str() {
                    "true" => any |= absent,
                    "false" => any |= !absent,
                    _ => return None,
                }
            }
            return Some(any);
        }
        let values = match present {
            Some(v) if !v.is_empty() => v,
            _ => {
                return Some(match self.qualifier {
                    Qualifier::ForAllValues => true,
                    Qualifier::ForAnyValue => self.if_exists,
                    Qualifier::None => self.if_exists || op.negated,
                });
            }
        };
        // Whether one request value is matched by one of the condition's values.
        let one = |value: &str| -> Option<bool> {
            let mut hit = false;
            for want in &self.values {
                hit |= value_matches(op.family, want, value)?;
            }
            Some(hit != op.negated)
        };
        let mut results = Vec::with_capacity(values.len());
        for v in values {
            results.push(one(v)?);
        }
        Some(match self.qualifier {
            Qualifier::ForAllValues => results.iter().all(|r| *r),
            Qualifier::ForAnyValue | Qualifier::None => results.iter().any(|r| *r),
        })
    }

    /// Whether this condition holding implies that `looser` holds.
    pub fn implies(&self, looser: &Condition) -> bool {
        if self.key != looser.key {
            return false;
        }
        if self == looser {
            return true;
        }
        let (Some(a), Some(b)) = (self.op, looser.op) else {
            return false;
        };
        if self.has_variable() || looser.has_variable() {
            return false;
        }
        if b.family == Family::Null {
            let wants = |w: &str| looser.values.iter().any(|v| v.eq_ignore_ascii_case(w));
            if a.family == Family::Null {
                return self
                    .values
                    .iter()
                    .all(|v| looser.values.iter().any(|w| w.eq_ignore_ascii_case(v)));
            }
            // A plain positive condition holds only when the key is present.
            return wants("false")
                && !a.negated
                && !self.if_exists
                && self.qualifier != Qualifier::ForAllValues;
        }
        if a.family == Family::Null || self.qualifier != looser.qualifier || a.negated != b.negated
        {
            return false;
        }
        if self.if_exists && !looser.if_exists {
            return false;
        }
        // Each (stricter, looser) value set: what `self` lets through must be
        // let through by `looser`. For negated operators the sets swap.
        let (inner, outer, fi, fo) = if a.negated {
            (looser, self, b.family, a.family)
        } else {
            (self, looser, a.family, b.family)
        };
        inner
            .values
            .iter()
            .all(|v| outer.values.iter().any(|w| value_within(fi, v, fo, w)))
    }
}

/// Whether everything the value `v` (of family `fv`) matches, `w` (of family
/// `fw`) matches too.
fn value_within(fv: Family, v: &str, fw: Family, w: &str) -> bool {
    use Family::*;
    match (fv, fw) {
        (Equals, Equals) => v == w,
        (EqualsIgnoreCase, EqualsIgnoreCase) => v.eq_ignore_ascii_case(w),
        (Equals, EqualsIgnoreCase) => v.eq_ignore_ascii_case(w),
        (Equals, Like) => !glob::has_variable(v) && glob::matches(w, v, false),
        (Like, Like) => glob::includes(w, v, false),
        (Bool, Bool) => v.eq_ignore_ascii_case(w),
        (Ip, Ip) => match (cidr(v), cidr(w)) {
            (Some(inner), Some(outer)) => outer.contains(&inner),
            _ => v == w,
        },
        (Numeric(a), Numeric(b)) => match (number(v), number(w)) {
            (Some(x), Some(y)) => interval(a, x).within(&interval(b, y)),
            _ => false,
        },
        (Date(a), Date(b)) => match (instant(v), instant(w)) {
            (Some(x), Some(y)) => interval(a, x).within(&interval(b, y)),
            _ => false,
        },
        _ => false,
    }
}

/// Whether a request value is matched by a condition value.
fn value_matches(family: Family, want: &str, value: &str) -> Option<bool> {
    Some(match family {
        Family::Equals => want == value,
        Family::EqualsIgnoreCase => want.eq_ignore_ascii_case(value),
        Family::Like => glob::matches(want, value, false),
        Family::Bool => want.eq_ignore_ascii_case(value),
        // A request value that is not an address, number or date: what IAM
        // does with it is not decided here.
        Family::Ip => cidr(want)?.has(value.parse::<Ipv4Addr>().ok()?),
        Family::Numeric(b) => interval(b, number(want)?).has(number(value)?),
        Family::Date(b) => interval(b, instant(want)?).has(instant(value)?),
        Family::Null => return None,
    })
}

/// A plain decimal number (no exponent, no `inf` or `NaN`).
fn number(text: &str) -> Option<f64> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    let plain = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (plain(int) && plain(frac))
        .then(|| text.parse().ok())
        .flatten()
}

/// A date as IAM reads it: RFC 3339, a plain date, or seconds since the epoch.
fn instant(text: &str) -> Option<f64> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    if text.len() == 10 {
        return crate::time::parse(&format!("{text}T00:00:00Z")).map(|s| s as f64);
    }
    crate::time::parse(text).map(|s| s as f64)
}

/// The numbers a bound against `v` lets through, as an interval.
#[derive(Debug, Clone, Copy)]
struct Interval {
    lo: f64,
    lo_open: bool,
    hi: f64,
    hi_open: bool,
}

fn interval(b: Bound, v: f64) -> Interval {
    let inf = f64::INFINITY;
    let (lo, lo_open, hi, hi_open) = match b {
        Bound::Eq => (v, false, v, false),
        Bound::Lt => (-inf, true, v, true),
        Bound::Le => (-inf, true, v, false),
        Bound::Gt => (v, true, inf, true),
        Bound::Ge => (v, false, inf, true),
    };
    Interval {
        lo,
        lo_open,
        hi,
        hi_open,
    }
}

impl Interval {
    fn has(&self, x: f64) -> bool {
        let above = if self.lo_open {
            x > self.lo
        } else {
            x >= self.lo
        };
        let below = if self.hi_open {
            x < self.hi
        } else {
            x <= self.hi
        };
        above && below
    }

    fn within(&self, outer: &Interval) -> bool {
        let lo_ok = self.lo > outer.lo || (self.lo == outer.lo && (self.lo_open || !outer.lo_open));
        let hi_ok = self.hi < outer.hi || (self.hi == outer.hi && (self.hi_open || !outer.hi_open));
        lo_ok && hi_ok
    }
}

/// An IPv4 network.
#[derive(Debug, Clone, Copy)]
struct Cidr {
    net: u32,
    len: u32,
}

fn cidr(text: &str) -> Option<Cidr> {
    let (addr, len) = match text.split_once('/') {
        Some((a, l)) => (a, l.parse::<u32>().ok().filter(|l| *l <= 32)?),
        None => (text, 32),
    };
    let ip: u32 = addr.parse::<Ipv4Addr>().ok()?.into();
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    Some(Cidr {
        net: ip & mask,
        len,
    })
}

impl Cidr {
    fn mask(&self) -> u32 {
        if self.len == 0 {
            0
        } else {
            u32::MAX << (32 - self.len)
        }
    }
    fn has(&self, ip: Ipv4Addr) -> bool {
        u32::from(ip) & self.mask() == self.net
    }
    fn contains(&self, inner: &Cidr) -> bool {
        inner.len >= self.len && inner.net & self.mask() == self.net
    }
}

/// A statement's condition block: every condition must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Block {
    pub conditions: Vec<Condition>,
}

/// A request's context: condition keys (lower case) and their values.
pub type Context = BTreeMap<String, Vec<String>>;

impl Block {
    pub fn is_empty(&self) -> bool {
        self.conditions.is_empty()
    }

    /// Whether the block holding implies that `looser` holds.
    pub fn implies(&self, looser: &Block) -> bool {
        looser
            .conditions
            .iter()
            .all(|l| self.conditions.iter().any(|c| c.implies(l)))
    }

    /// Whether the block holds for a context; `None` when it cannot be decided.
    pub fn holds(&self, context: &Context) -> Option<bool> {
        let mut undecided = false;
        for c in &self.conditions {
            match c.holds(context.get(&c.key).map(Vec::as_slice)) {
                Some(false) => return Some(false),
                Some(true) => {}
                None => undecided = true,
            }
        }
        (!undecided).then_some(true)
    }

    /// The operators of this block that drift does not know.
    pub fn unknown_operators(&self) -> impl Iterator<Item = &str> {
        self.conditions
            .iter()
            .filter(|c| c.op.is_none())
            .map(|c| c.text.as_str())
    }

    /// Whether a condition names `key` (lower case).
    pub fn names(&self, key: &str) -> bool {
        self.conditions.iter().any(|c| c.key == key)
    }

    /// Contexts under which the block holds, built from its own values and from
    /// `hints` (values other documents use for the same keys). At most `limit`.
    pub fn contexts(&self, hints: &Context, limit: usize) -> Vec<Context> {
        let mut keys: Vec<&str> = self.conditions.iter().map(|c| c.key.as_str()).collect();
        keys.sort();
        keys.dedup();
        // For each key, the value lists (None: absent) that satisfy every
        // condition on it.
        let mut options: Vec<(&str, Vec<Option<Vec<String>>>)> = Vec::new();
        for key in keys {
            let conds: Vec<&Condition> = self.conditions.iter().filter(|c| c.key == key).collect();
            let mut candidates: Vec<Option<Vec<String>>> = vec![None];
            let mut singles: Vec<String> = Vec::new();
            for c in &conds {
                singles.extend(candidate_values(c));
            }
            if let Some(h) = hints.get(key) {
                singles.extend(h.iter().cloned());
            }
            singles.extend(["drift-witness".to_string(), "true".into(), "false".into()]);
            let mut seen = std::collections::BTreeSet::new();
            for s in singles {
                if seen.insert(s.clone()) {
                    candidates.push(Some(vec![s]));
                }
            }
            let fits: Vec<Option<Vec<String>>> = candidates
                .into_iter()
                .filter(|cand| conds.iter().all(|c| c.holds(cand.as_deref()) == Some(true)))
                .take(4)
                .collect();
            if fits.is_empty() {
                return Vec::new();
            }
            options.push((key, fits));
        }
        let mut out: Vec<Context> = vec![Context::new()];
        for (key, fits) in options {
            let mut next = Vec::new();
            for ctx in &out {
                for fit in &fits {
                    let mut c = ctx.clone();
                    if let Some(values) = fit {
                        c.insert(key.to_string(), values.clone());
                    }
                    next.push(c);
                    if next.len() >= limit {
                        break;
                    }
                }
                if next.len() >= limit {
                    break;
                }
            }
            out = next;
        }
        out
    }

    /// Every value the block's conditions name, by key: hints for building the
    /// contexts of another block.
    pub fn hints(&self, into: &mut Context) {
        for c in &self.conditions {
            let list = into.entry(c.key.clone()).or_default();
            for v in candidate_values(c) {
                if !list.contains(&v) {
                    list.push(v);
                }
            }
        }
    }
}

/// Values that satisfy (or just miss) one condition, to try in a request.
fn candidate_values(c: &Condition) -> Vec<String> {
    let mut out = Vec::new();
    let Some(op) = c.op else { return out };
    for v in &c.values {
        match op.family {
            Family::Like => out.extend(glob::instances(v)),
            Family::Numeric(_) => {
                if let Some(n) = number(v) {
                    for x in [n, n - 1.0, n + 1.0] {
                        out.push(format_number(x));
                    }
                }
            }
            Family::Date(_) => {
                if let Some(t) = instant(v) {
                    for x in [t, t - 86_400.0, t + 86_400.0] {
                        out.push(format_number(x));
                    }
                }
            }
            Family::Ip => {
                if let Some(net) = cidr(v) {
                    out.push(Ipv4Addr::from(net.net).to_string());
                    let outside = net.net ^ (1u32 << 31);
                    out.push(Ipv4Addr::from(outside).to_string());
                }
            }
            Family::Null => out.push("drift-witness".into()),
            _ => out.push(v.clone()),
        }
    }
    out
}

fn format_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}
