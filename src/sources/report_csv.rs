//! The IAM credential report's CSV, matched to the users a read knows. Pure:
//! no calls, so that it can be tested and fuzzed on its own.
//!
//! User names may hold commas (`[\w+=,.@-]`), and some servers write such names
//! unquoted, so a row can hold more fields than the header: each row is matched
//! to a user exactly by the name and ARN the read already knows.

use std::collections::{BTreeMap, HashMap};

/// What the report says of one user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Credentials {
    pub password: bool,
    pub mfa: bool,
    /// The report's two access key slots; empty when the report has no access
    /// key columns (or the user has no row and was read one by one).
    pub keys: Vec<ReportKey>,
}

impl Credentials {
    /// Whether the report shows an active access key.
    pub fn active_key(&self) -> bool {
        self.keys.iter().any(|k| k.active)
    }
}

/// One access key slot of a row. The report has no key ids: a slot is matched
/// to a key by its creation date (`last_rotated`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportKey {
    pub active: bool,
    /// When the key was created, in seconds since the epoch.
    pub rotated: Option<i64>,
    /// `None`: never used (or no information).
    pub last_used: Option<i64>,
    pub region: Option<String>,
    pub service: Option<String>,
}

/// The root user's row (`<root_account>`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RootRow {
    pub arn: String,
    pub mfa: bool,
    pub password_last_used: Option<i64>,
    pub keys: Vec<ReportKey>,
}

/// The report, matched to the users a read knows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub users: BTreeMap<String, Credentials>,
    pub root: Option<RootRow>,
    /// Whether the report has the access key columns (AWS's always has).
    pub key_columns: bool,
    /// Rows of users the read does not know (their name as the row starts).
    pub unmatched: Vec<String>,
}

/// The root user's name in the report.
const ROOT: &str = "<root_account>";

/// A date cell: `N/A`, `no_information`, `not_supported` and the like are `None`.
fn date(cell: Option<&&str>) -> Option<i64> {
    cell.and_then(|c| crate::time::parse(c))
}

/// A text cell; `N/A` and `not_supported` are `None`.
fn text(cell: Option<&&str>) -> Option<String> {
    cell.filter(|c| !c.is_empty() && !matches!(**c, "N/A" | "not_supported" | "no_information"))
        .map(|c| c.to_string())
}

/// The columns of the access key slots, when the header has them all.
struct KeyColumns {
    slots: Vec<[usize; 5]>,
}

impl KeyColumns {
    fn of(header: &[&str]) -> Option<KeyColumns> {
        let col = |name: String| header.iter().position(|h| *h == name);
        let mut slots = Vec::new();
        for n in 1..=2 {
            let names = [
                "active",
                "last_rotated",
                "last_used_date",
                "last_used_region",
                "last_used_service",
            ];
            let mut cols = [0; 5];
            for (i, name) in names.iter().enumerate() {
                cols[i] = col(format!("access_key_{n}_{name}"))?;
            }
            slots.push(cols);
        }
        Some(KeyColumns { slots })
    }

    /// The slots of a row; `cells` start at the third column.
    fn read(&self, cells: &[&str]) -> Option<Vec<ReportKey>> {
        let cell = |i: usize| cells.get(i.checked_sub(2)?);
        self.slots
            .iter()
            .map(|c| {
                Some(ReportKey {
                    active: *cell(c[0])? == "true",
                    rotated: date(cell(c[1])),
                    last_used: date(cell(c[2])),
                    region: text(cell(c[3])),
                    service: text(cell(c[4])),
                })
            })
            .collect()
    }
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

/// The rows of the report, matched to the users the read knows, and the root
/// user's row. A row whose name and ARN are not those of a known user (a user
/// deleted since) is left out.
pub fn parse(text: &str, users: &[Known]) -> Result<Report, String> {
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
    let key_columns = KeyColumns::of(&header);
    let password_used = col("password_last_used");
    let arns: HashMap<&str, &str> = users
        .iter()
        .map(|(n, a)| (n.as_str(), a.as_str()))
        .collect();
    let mut out = Report {
        key_columns: key_columns.is_some(),
        ..Report::default()
    };
    for line in lines.filter(|l| !l.is_empty()) {
        if let Some(rest) = line.strip_prefix(ROOT).and_then(|r| r.strip_prefix(',')) {
            let (arn, after) = field(rest).unwrap_or_default();
            if !(arn.starts_with("arn:") && arn.ends_with(":root")) {
                return Err(format!("the root user's row has the ARN `{arn}`"));
            }
            let cells: Vec<&str> = after.split(',').collect();
            let keys = match &key_columns {
                Some(k) => k.read(&cells),
                None => Some(Vec::new()),
            };
            let (Some(m), Some(keys)) = (cells.get(mfa - 2), keys) else {
                return Err("the root user's row has fewer columns than its header".to_string());
            };
            let row = RootRow {
                arn,
                mfa: *m == "true",
                password_last_used: password_used.and_then(|p| date(cells.get(p.checked_sub(2)?))),
                keys,
            };
            if out.root.replace(row).is_some() {
                return Err("the root user has two rows".to_string());
            }
            continue;
        }
        let Some((name, after)) = row_user(line, &arns) else {
            // The name ends where the ARN starts (names may hold commas).
            let name = line.split(",arn:").next().unwrap_or(line).trim_matches('"');
            out.unmatched.push(name.to_string());
            continue;
        };
        // The columns after user and arn hold no commas (dates, booleans, N/A).
        let cells: Vec<&str> = after.split(',').collect();
        let keys = match &key_columns {
            Some(k) => k.read(&cells),
            None => Some(Vec::new()),
        };
        let (Some(p), Some(m), Some(keys)) = (cells.get(password - 2), cells.get(mfa - 2), keys)
        else {
            return Err(format!(
                "the row of user `{name}` has fewer columns than its header"
            ));
        };
        let credentials = Credentials {
            password: *p == "true",
            mfa: *m == "true",
            keys,
        };
        if out.users.insert(name.to_string(), credentials).is_some() {
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
