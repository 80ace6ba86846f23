//! The IAM credential report's CSV, matched to the users a read knows. Pure:
//! no calls, so that it can be tested and fuzzed on its own.
//!
//! User names may hold commas (`[\w+=,.@-]`), and some servers write such names
//! unquoted, so a row can hold more fields than the header: each row is matched
//! to a user exactly by the name and ARN the read already knows.

use std::collections::{BTreeMap, HashMap};

/// What the report says of one user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Credentials {
    pub password: bool,
    pub mfa: bool,
}

/// A user the read knows: name and ARN.
pub type Known = (String, String);

/// One CSV field at the start of `s` (quoted with `""` escapes, or plain up to
/// `,`), and the rest after its comma; `None` when `s` ends.
fn field(s: &str) -> Option<(String, &str)> {
    if let Some(quoted) = s.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = quoted.char_indices();
        while let Some((i, c)) = chars.next() {
            if c == '"' {
                if quoted[i + 1..].starts_with('"') {
                    out.push('"');
                    chars.next();
                    continue;
                }
                let rest = &quoted[i + 1..];
                return Some((out, rest.strip_prefix(',').unwrap_or(rest)));
            }
            out.push(c);
        }
        return None;
    }
    match s.split_once(',') {
        Some((f, rest)) => Some((f.to_string(), rest)),
        None => Some((s.to_string(), "")),
    }
}

/// The rows of the report, matched to the users the read knows. A row whose
/// name and ARN are not those of a known user (the root account, a user deleted
/// since) is left out.
pub fn parse(text: &str, users: &[Known]) -> Result<BTreeMap<String, Credentials>, String> {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (Some(0), Some(1), Some(password), Some(mfa)) = (
        col("user"),
        col("arn"),
        col("password_enabled"),
        col("mfa_active"),
    ) else {
        return Err(
            "the report does not start with user and arn, or has no password_enabled or mfa_active column"
                .to_string(),
        );
    };
    let arns: HashMap<&str, &str> = users
        .iter()
        .map(|(n, a)| (n.as_str(), a.as_str()))
        .collect();
    let mut out = BTreeMap::new();
    for line in lines.filter(|l| !l.is_empty()) {
        let Some((name, after)) = row_user(line, &arns) else {
            continue;
        };
        // The columns after user and arn hold no commas (dates, booleans, N/A).
        let cells: Vec<&str> = after.split(',').collect();
        let (Some(p), Some(m)) = (cells.get(password - 2), cells.get(mfa - 2)) else {
            return Err(format!(
                "the row of user `{name}` has fewer columns than its header"
            ));
        };
        let credentials = Credentials {
            password: *p == "true",
            mfa: *m == "true",
        };
        if out.insert(name.to_string(), credentials).is_some() {
            return Err(format!("user `{name}` has two rows"));
        }
    }
    Ok(out)
}

/// The known user a row is about, and the text after its name and ARN. Names
/// may hold commas and may or may not be quoted: every comma that could end the
/// name is tried, and the ARN that follows must be that user's.
fn row_user<'r, 'u>(line: &'r str, arns: &HashMap<&'u str, &'u str>) -> Option<(&'u str, &'r str)> {
    if line.starts_with('"') {
        let (name, rest) = field(line)?;
        let (&known, &arn) = arns.get_key_value(name.as_str())?;
        let (row_arn, after) = field(rest)?;
        return (row_arn == arn).then_some((known, after));
    }
    for (i, _) in line.match_indices(',') {
        let Some((&known, &arn)) = arns.get_key_value(&line[..i]) else {
            continue;
        };
        let rest = &line[i + 1..];
        let after = match field(rest) {
            Some((row_arn, after)) if row_arn == arn && rest.starts_with('"') => after,
            _ => match rest.strip_prefix(arn).and_then(|r| r.strip_prefix(',')) {
                Some(after) => after,
                None => continue,
            },
        };
        return Some((known, after));
    }
    None
}
