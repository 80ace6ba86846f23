//! Console passwords and MFA of every user, from the credential report: two
//! calls for the whole account instead of two per user.

use super::fetch::{count, unread, Calls};
use super::Unread;
use aws_sdk_iam::types::ReportStateType;
use aws_sdk_iam::Client;
use std::collections::BTreeMap;

const SECTION: &str = "console passwords and MFA (the credential report)";

/// What the report says of one user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Credentials {
    pub password: bool,
    pub mfa: bool,
}

/// Generates the report (waiting a bounded number of times) and reads it.
pub(super) async fn read(
    client: &Client,
    calls: &mut Calls,
) -> Result<BTreeMap<String, Credentials>, Unread> {
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
    parse(&String::from_utf8_lossy(&content)).map_err(|reason| Unread {
        section: SECTION.to_string(),
        action: "iam:GetCredentialReport",
        reason,
    })
}

/// The report's rows by user name.
fn parse(text: &str) -> Result<BTreeMap<String, Credentials>, String> {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (Some(user), Some(password), Some(mfa)) =
        (col("user"), col("password_enabled"), col("mfa_active"))
    else {
        return Err("the report has no user, password_enabled or mfa_active column".to_string());
    };
    let mut out = BTreeMap::new();
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        if let (Some(u), Some(p), Some(m)) = (cells.get(user), cells.get(password), cells.get(mfa))
        {
            out.insert(
                u.to_string(),
                Credentials {
                    password: *p == "true",
                    mfa: *m == "true",
                },
            );
        }
    }
    Ok(out)
}
