//! IAM's wildcards: `*` (any run of characters, possibly none) and `?` (exactly
//! one character), in action names (without case) and resource ARNs (with case).
//!
//! Three questions are answered here: does a pattern match a concrete text;
//! does one pattern match everything another matches (inclusion); and can two
//! patterns never match the same text (disjointness). A policy variable such as
//! `${aws:username}` is one opaque symbol: it stands for the same value on both
//! sides of a comparison, because one request gives it one value, and only a
//! `*` (or the same variable) covers it.

/// One symbol of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Sym<'a> {
    Star,
    One,
    Var(&'a str),
    Char(char),
}

fn symbols(pattern: &str) -> Vec<Sym<'_>> {
    let mut out = Vec::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("${") {
            if let Some(end) = rest.find('}') {
                out.push(Sym::Var(&rest[..=end]));
                rest = &rest[end + 1..];
                continue;
            }
        }
        out.push(match c {
            '*' => Sym::Star,
            '?' => Sym::One,
            c => Sym::Char(c),
        });
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Whether a pattern holds a policy variable (`${...}`).
pub fn has_variable(pattern: &str) -> bool {
    pattern.contains("${")
}

/// Whether a pattern matches everything (only `*`s, at least one).
pub fn is_everything(pattern: &str) -> bool {
    !pattern.is_empty() && pattern.bytes().all(|b| b == b'*')
}

/// Whether `pattern` matches `text`. Policy variables in the pattern are taken
/// literally; callers decide beforehand what a variable means.
pub fn matches(pattern: &str, text: &str, caseless: bool) -> bool {
    if pattern.is_ascii() && text.is_ascii() {
        // Bytes are characters: no copy, case folded byte by byte.
        return wildcard(pattern.as_bytes(), text.as_bytes(), b'*', b'?', |a, b| {
            a == b || (caseless && a.eq_ignore_ascii_case(&b))
        });
    }
    let fold = |s: &str| -> Vec<char> {
        s.chars()
            .map(|c| if caseless { c.to_ascii_lowercase() } else { c })
            .collect()
    };
    wildcard(&fold(pattern), &fold(text), '*', '?', |a, b| a == b)
}

/// `*` and `?` matching over characters of any kind, with backtracking to the
/// last `*` only (linear in practice, quadratic at worst).
fn wildcard<T: Copy + PartialEq>(
    p: &[T],
    t: &[T],
    any: T,
    one: T,
    same: impl Fn(T, T) -> bool,
) -> bool {
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == one || (p[pi] != any && same(p[pi], t[ti]))) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == any {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == any)
}

/// Whether every text `inner` matches is matched by `outer`. Sound: `true`
/// only when that holds; `false` may also mean "could not show it".
pub fn includes(outer: &str, inner: &str, caseless: bool) -> bool {
    if outer == inner || is_everything(outer) {
        return true;
    }
    let (o, i);
    let (outer, inner) = if caseless {
        o = outer.to_ascii_lowercase();
        i = inner.to_ascii_lowercase();
        (o.as_str(), i.as_str())
    } else {
        (outer, inner)
    };
    let o = symbols(outer);
    let i = symbols(inner);
    // reach[k] after row j: the first j symbols of `outer` can consume the first
    // k symbols of `inner`.
    let mut reach = vec![false; i.len() + 1];
    reach[0] = true;
    for sym in &o {
        let mut next = vec![false; i.len() + 1];
        match sym {
            Sym::Star => {
                let mut on = false;
                for k in 0..=i.len() {
                    on = on || reach[k];
                    next[k] = on;
                }
            }
            _ => {
                for k in 0..i.len() {
                    if !reach[k] {
                        continue;
                    }
                    let fits = match (sym, &i[k]) {
                        (Sym::One, Sym::Char(_) | Sym::One) => true,
                        (Sym::Char(a), Sym::Char(b)) => a == b,
                        (Sym::Var(a), Sym::Var(b)) => a == b,
                        _ => false,
                    };
                    if fits {
                        next[k + 1] = true;
                    }
                }
            }
        }
        reach = next;
    }
    reach[i.len()]
}

/// Whether no text matches both patterns. Sound: `true` only when that holds
/// (their fixed beginnings or endings differ).
pub fn disjoint(a: &str, b: &str, caseless: bool) -> bool {
    let (x, y);
    let (a, b) = if caseless {
        x = a.to_ascii_lowercase();
        y = b.to_ascii_lowercase();
        (x.as_str(), y.as_str())
    } else {
        (a, b)
    };
    let sa = symbols(a);
    let sb = symbols(b);
    let fixed = |s: &[Sym<'_>]| s.iter().all(|c| matches!(c, Sym::Char(_)));
    if fixed(&sa) && fixed(&sb) {
        return a != b;
    }
    let differ = |x: &[Sym<'_>], y: &[Sym<'_>]| {
        for (p, q) in x.iter().zip(y.iter()) {
            match (p, q) {
                (Sym::Char(p), Sym::Char(q)) if p != q => return true,
                (Sym::Char(_), Sym::Char(_)) => {}
                _ => return false,
            }
        }
        false
    };
    if differ(&sa, &sb) {
        return true;
    }
    let ra: Vec<Sym<'_>> = sa.into_iter().rev().collect();
    let rb: Vec<Sym<'_>> = sb.into_iter().rev().collect();
    differ(&ra, &rb)
}

/// Concrete texts that `pattern` matches, for building a request: its
/// wildcards filled with a few different runs. A pattern with a policy
/// variable has none (the variable's value is not known).
pub fn instances(pattern: &str) -> Vec<String> {
    if has_variable(pattern) {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for fill in ["example", "x", ""] {
        let mut s = String::with_capacity(pattern.len() + fill.len());
        for c in pattern.chars() {
            match c {
                '*' => s.push_str(fill),
                '?' => s.push('x'),
                c => s.push(c),
            }
        }
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}
