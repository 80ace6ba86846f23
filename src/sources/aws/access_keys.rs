//! Access keys: ListAccessKeys for the users that need it (those the baseline
//! declares with `access_keys`, and those the credential report shows with an
//! active key), a bounded number in flight. Secrets are never returned by IAM
//! after creation, and never asked for.

use super::fetch::Calls;
use super::pages::{all_pages, Page};
use super::per_user::{self, Done};
use super::{Progress, Unread};
use aws_sdk_iam::types::AccessKeyMetadata;
use aws_sdk_iam::Client;
use std::collections::BTreeMap;

/// The keys of the users read, by user name.
pub(super) type Keys = BTreeMap<String, Vec<AccessKeyMetadata>>;

/// A user has at most two access keys: one page.
const USER_PAGES: usize = 10;

async fn user_keys(client: Client, name: String) -> Done<Vec<AccessKeyMetadata>> {
    let section = format!("access keys of user `{name}`");
    let (result, n) = all_pages(&section, "iam:ListAccessKeys", USER_PAGES, |marker| {
        let request = client
            .list_access_keys()
            .user_name(&name)
            .set_marker(marker);
        async move {
            request.send().await.map(|p| Page {
                truncated: p.is_truncated(),
                marker: p.marker().map(str::to_string),
                items: p.access_key_metadata().to_vec(),
            })
        }
    })
    .await;
    let made = vec![("ListAccessKeys", n)];
    (name, made, result.map_err(|s| s.unread))
}

pub(super) async fn read(
    client: &Client,
    names: Vec<String>,
    concurrency: usize,
    progress: Progress<'_>,
    calls: &mut Calls,
) -> Result<Keys, Vec<Unread>> {
    if names.is_empty() {
        return Ok(Keys::new());
    }
    per_user::each(
        names,
        concurrency,
        progress,
        calls,
        "access keys of users",
        "iam:ListAccessKeys",
        |name| user_keys(client.clone(), name),
    )
    .await
}
