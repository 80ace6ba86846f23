//! Console passwords and MFA of every user, from the credential report: two
//! calls for the whole account instead of two per user. The report is CSV, and
//! user names may hold commas (`[\w+=,.@-]`), so each row is matched to a user
//! exactly by the name and ARN the read already knows. A user without a row
//! (created since AWS last generated the report, which it does at most every
//! four hours) is read with GetLoginProfile and ListMFADevices.

use super::fetch::{count, unread, Calls};
use super::pages::{all_pages, Page};
use super::{Progress, Unread};
use aws_sdk_iam::types::ReportStateType;
use aws_sdk_iam::Client;
use std::collections::{BTreeMap, HashMap};

const SECTION: &str = "console passwords and MFA (the credential report)";

/// What the report says of one user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Credentials {
    pub password: bool,
    pub mfa: bool,
}

/// A user the read knows: name and ARN.
pub(super) type Known = (String, String);

/// Generates the report (waiting a bounded number of times), reads it, and
/// reads the users it has no row for one by one.
pub(super) async fn read(
    client: &Client,
    users: &[Known],
    concurrency: usize,
    progress: Progress<'_>,
    calls: &mut Calls,
) -> Result<BTreeMap<String, Credentials>, Vec<Unread>> {
    let text = report(client, calls).await.map_err(|u| vec![u])?;
    let mut out = parse(&text, users).map_err(|reason| {
        vec![Unread {
            section: SECTION.to_string(),
            action: "iam:GetCredentialReport",
            reason,
        }]
    })?;
    let missing: Vec<String> = users
        .iter()
        .filter(|(name, _)| !out.contains_key(name))
        .map(|(name, _)| name.clone())
        .collect();
    if !missing.is_empty() {
        out.extend(one_by_one(client, missing, concurrency, progress, calls).await?);
    }
    Ok(out)
}

async fn report(client: &Client, calls: &mut Calls) -> Result<String, Unread> {
    // Generation takes a few seconds; wait for it, a bounded number of times.
    for attempt in 0..20 {
        count(calls, "GenerateCredentialReport");
        match client.generate_credential_report().send().await {
            Ok(o) if o.state() == Some(&ReportStateType::Complete) => break,
            Ok(_) if attempt < 19 => {
                tokio::time::sleep(std::time::Duration::from_millis(500 * (attempt + 1).min(4)))
                    .await
            }
            Ok(_) => {
                return Err(Unread {
                    section: SECTION.to_string(),
                    action: "iam:GenerateCredentialReport",
                    reason: "the report was not ready after 20 tries".to_string(),
                })
            }
            Err(e) => return Err(unread(SECTION, "iam:GenerateCredentialReport", &e)),
        }
    }
    count(calls, "GetCredentialReport");
    let report = client
        .get_credential_report()
        .send()
        .await
        .map_err(|e| unread(SECTION, "iam:GetCredentialReport", &e))?;
    let content = report
        .content()
        .map(|b| b.as_ref().to_vec())
        .unwrap_or_default();
    String::from_utf8(content).map_err(|_| Unread {
        section: SECTION.to_string(),
        action: "iam:GetCredentialReport",
        reason: "the report is not UTF-8 text".to_string(),
    })
}

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
pub(super) fn parse(text: &str, users: &[Known]) -> Result<BTreeMap<String, Credentials>, String> {
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

/// GetLoginProfile and ListMFADevices for users the report has no row for, a
/// bounded number at a time.
async fn one_by_one(
    client: &Client,
    users: Vec<String>,
    concurrency: usize,
    progress: Progress<'_>,
    calls: &mut Calls,
) -> Result<BTreeMap<String, Credentials>, Vec<Unread>> {
    let total = users.len();
    let mut pending = users.into_iter();
    let mut tasks = tokio::task::JoinSet::new();
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    let mut done = 0;
    loop {
        while tasks.len() < concurrency.max(1) {
            let Some(name) = pending.next() else { break };
            tasks.spawn(user_credentials(client.clone(), name));
        }
        let Some(joined) = tasks.join_next().await else {
            break;
        };
        done += 1;
        progress(done, total);
        match joined {
            Ok((name, n, result)) => {
                *calls.entry("GetLoginProfile").or_default() += 1;
                *calls.entry("ListMFADevices").or_default() += n;
                match result {
                    Ok(c) => {
                        out.insert(name, c);
                    }
                    Err(u) if u.is_throttling() => {
                        tasks.abort_all();
                        errors.push(Unread {
                            section: "console passwords and MFA of users without a report row"
                                .to_string(),
                            action: u.action,
                            reason: format!("{} (after retries; the read stopped)", u.reason),
                        });
                        break;
                    }
                    Err(u) => errors.push(u),
                }
            }
            Err(e) => errors.push(Unread {
                section: SECTION.to_string(),
                action: "iam:GetLoginProfile",
                reason: e.to_string(),
            }),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

async fn user_credentials(
    client: Client,
    name: String,
) -> (String, usize, Result<Credentials, Unread>) {
    let section = format!("console password of user `{name}`");
    let password = match client.get_login_profile().user_name(&name).send().await {
        Ok(_) => true,
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_no_such_entity_exception()) =>
        {
            false
        }
        Err(e) => return (name, 0, Err(unread(section, "iam:GetLoginProfile", &e))),
    };
    let section = format!("MFA devices of user `{name}`");
    // A user has at most eight MFA devices.
    let (result, n) = all_pages(&section, "iam:ListMFADevices", 10, |marker| {
        let request = client
            .list_mfa_devices()
            .user_name(&name)
            .set_marker(marker);
        async move {
            request.send().await.map(|p| Page {
                truncated: p.is_truncated(),
                marker: p.marker().map(str::to_string),
                items: p.mfa_devices().to_vec(),
            })
        }
    })
    .await;
    let devices = match result {
        Ok(d) => d.len(),
        Err(s) => return (name, n, Err(s.unread)),
    };
    (
        name,
        n,
        Ok(Credentials {
            password,
            mfa: devices > 0,
        }),
    )
}
