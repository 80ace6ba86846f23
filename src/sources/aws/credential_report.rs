//! Console passwords and MFA of every user, from the credential report: two
//! calls for the whole account instead of two per user. The report is CSV, and
//! user names may hold commas (`[\w+=,.@-]`), so each row is matched to a user
//! exactly by the name and ARN the read already knows. A user without a row
//! (created since AWS last generated the report, which it does at most every
//! four hours) is read with GetLoginProfile and ListMFADevices.

use super::fetch::{count, unread, Calls};
use super::pages::{all_pages, Page};
use super::per_user::{self, Done};
use super::{Progress, Unread};
use crate::observation::ReportTime;
use crate::sources::report_csv::{ReportKey, RootRow};
use aws_sdk_iam::types::{ReportStateType, SummaryKeyType};
use aws_sdk_iam::Client;
use std::collections::BTreeMap;

const SECTION: &str = crate::kinds::section(crate::identity::Kind::Mfa);

pub(super) use crate::sources::report_csv::{parse, Credentials, Known, Report};

/// Generates the report (waiting a bounded number of times), reads it, and
/// reads the users it has no row for one by one.
///
/// AWS hands back the same report for up to four hours: a report generated
/// before the read started may miss a password set or an MFA device removed
/// since. Then every user is read one by one, and the root user's MFA and
/// access keys come from GetAccountSummary; the report's time says which.
pub(super) async fn read(
    client: &Client,
    users: Option<&[Known]>,
    read_started: i64,
    concurrency: usize,
    progress: Progress<'_>,
    calls: &mut Calls,
) -> Result<(Report, ReportTime), Vec<Unread>> {
    // `None`: the account details were not read (that is an error already);
    // the report is still read for the root user. The users a fresh report
    // lists and the details do not are in `unmatched`, for the caller.
    let users = users.unwrap_or(&[]);
    let (text, generated) = report(client, calls).await.map_err(|u| vec![u])?;
    let time = ReportTime {
        generated,
        read_started,
    };
    let mut out = parse(&text, users).map_err(|reason| {
        vec![Unread {
            section: SECTION.to_string(),
            action: "iam:GetCredentialReport",
            reason,
        }]
    })?;
    let missing: Vec<String> = users
        .iter()
        .filter(|(name, _)| time.stale() || !out.users.contains_key(name))
        .map(|(name, _)| name.clone())
        .collect();
    if !missing.is_empty() {
        for (name, mut now) in one_by_one(client, missing, concurrency, progress, calls).await? {
            // Keys' last use stays the report's (ListAccessKeys has none):
            // a use since then only makes a key younger in use.
            if let Some(row) = out.users.get(&name) {
                now.keys = row.keys.clone();
            }
            out.users.insert(name, now);
        }
    }
    if time.stale() {
        if let Some(root) = out.root.as_mut() {
            root_now(client, root, calls).await.map_err(|u| vec![u])?;
        }
    }
    Ok((out, time))
}

/// The users a report generated during the read lists that the account
/// details leave out (read twice): the details are partial, an undeclared
/// user hidden.
pub(super) fn left_out(unmatched: &[String]) -> Unread {
    let mut names: Vec<String> = unmatched.iter().take(5).map(|n| format!("`{n}`")).collect();
    if unmatched.len() > 5 {
        names.push(format!("and {} more", unmatched.len() - 5));
    }
    Unread {
        section: "users, groups, roles and policies".to_string(),
        action: "iam:GetAccountAuthorizationDetails",
        reason: format!(
            "it leaves out {} that the credential report, generated during the read, lists (read twice)",
            names.join(", ")
        ),
    }
}

/// The root user's MFA and access keys as they are now (GetAccountSummary),
/// over a report that may be older than a change.
async fn root_now(client: &Client, root: &mut RootRow, calls: &mut Calls) -> Result<(), Unread> {
    let section =
        "the root user's MFA and access keys (the credential report is older than the read)";
    count(calls, "GetAccountSummary");
    let summary = client
        .get_account_summary()
        .send()
        .await
        .map_err(|e| unread(section, "iam:GetAccountSummary", &e))?;
    let map = summary.summary_map().ok_or_else(|| Unread {
        section: section.to_string(),
        action: "iam:GetAccountSummary",
        reason: "the answer has no summary".to_string(),
    })?;
    let value = |key: SummaryKeyType| {
        map.get(&key).copied().ok_or_else(|| Unread {
            section: section.to_string(),
            action: "iam:GetAccountSummary",
            reason: format!("the summary has no `{}`", key.as_str()),
        })
    };
    root.mfa = value(SummaryKeyType::AccountMfaEnabled)? > 0;
    let keys_present = value(SummaryKeyType::AccountAccessKeysPresent)? > 0;
    if !keys_present {
        for k in &mut root.keys {
            k.active = false;
        }
    } else if !root.keys.iter().any(|k| k.active) {
        // A key made since the report: present, of unknown age and use.
        root.keys.push(ReportKey {
            active: true,
            rotated: None,
            last_used: None,
            region: None,
            service: None,
        });
    }
    Ok(())
}

/// The report's text and when AWS generated it (seconds since the epoch).
async fn report(client: &Client, calls: &mut Calls) -> Result<(String, Option<i64>), Unread> {
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
    let generated = report.generated_time().map(|t| t.secs());
    let content = report
        .content()
        .map(|b| b.as_ref().to_vec())
        .unwrap_or_default();
    let text = String::from_utf8(content).map_err(|_| Unread {
        section: SECTION.to_string(),
        action: "iam:GetCredentialReport",
        reason: "the report is not UTF-8 text".to_string(),
    })?;
    Ok((text, generated))
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
    per_user::each(
        users,
        concurrency,
        progress,
        calls,
        "console passwords and MFA of users without a report row",
        "iam:GetLoginProfile",
        |name| user_credentials(client.clone(), name),
    )
    .await
}

async fn user_credentials(client: Client, name: String) -> Done<Credentials> {
    let section = format!("console password of user `{name}`");
    let password = match client.get_login_profile().user_name(&name).send().await {
        Ok(_) => true,
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_no_such_entity_exception()) =>
        {
            false
        }
        Err(e) => {
            let made = vec![("GetLoginProfile", 1)];
            return (name, made, Err(unread(section, "iam:GetLoginProfile", &e)));
        }
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
    let made = vec![("GetLoginProfile", 1), ("ListMFADevices", n)];
    let devices = match result {
        Ok(d) => d.len(),
        Err(s) => return (name, made, Err(s.unread)),
    };
    (
        name,
        made,
        Ok(Credentials {
            password,
            mfa: devices > 0,
            keys: Vec::new(),
        }),
    )
}
