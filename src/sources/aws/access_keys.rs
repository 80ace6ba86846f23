//! Access keys: ListAccessKeys for the users that need it (those the baseline
//! declares with `access_keys`, and those the credential report shows with an
//! active key), a bounded number in flight. Secrets are never returned by IAM
//! after creation, and never asked for.

use super::fetch::Calls;
use super::pages::Page;
use super::per_user::{self, Done};
use super::{Progress, Unread};
use aws_sdk_iam::types::AccessKeyMetadata;
use aws_sdk_iam::Client;
use std::collections::BTreeMap;

/// The keys of the users read, by user name.
pub(super) type Keys = BTreeMap<String, Vec<AccessKeyMetadata>>;

async fn user_keys(client: Client, name: String) -> Done<Vec<AccessKeyMetadata>> {
    let request = |marker| {
        client
            .list_access_keys()
            .user_name(&name)
            .set_marker(marker)
    };
    per_user::listing(
        name.clone(),
        "access keys",
        "iam:ListAccessKeys",
        "ListAccessKeys",
        |marker| {
            let request = request(marker);
            async move {
                request.send().await.map(|p| Page {
                    truncated: p.is_truncated(),
                    marker: p.marker().map(str::to_string),
                    items: p.access_key_metadata().to_vec(),
                })
            }
        },
    )
    .await
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
        crate::kinds::section(crate::identity::Kind::AccessKey),
        "iam:ListAccessKeys",
        |name| user_keys(client.clone(), name),
    )
    .await
}
