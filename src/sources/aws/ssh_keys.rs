//! SSH keys: one ListSSHPublicKeys per user, a bounded number in flight.

use super::fetch::Calls;
use super::pages::{all_pages, Page};
use super::per_user::{self, Done};
use super::{Progress, Unread};
use aws_sdk_iam::types::{SshPublicKeyMetadata, UserDetail};
use aws_sdk_iam::Client;
use std::collections::BTreeMap;

/// The keys of every user, by user name.
pub(super) type Keys = BTreeMap<String, Vec<SshPublicKeyMetadata>>;

/// A user has at most five SSH keys: one page, a few at most.
const USER_PAGES: usize = 10;

async fn user_keys(client: Client, name: String) -> Done<Vec<SshPublicKeyMetadata>> {
    let section = format!("SSH keys of user `{name}`");
    let (result, n) = all_pages(&section, "iam:ListSSHPublicKeys", USER_PAGES, |marker| {
        let request = client
            .list_ssh_public_keys()
            .user_name(&name)
            .set_marker(marker);
        async move {
            request.send().await.map(|p| Page {
                truncated: p.is_truncated(),
                marker: p.marker().map(str::to_string),
                items: p.ssh_public_keys().to_vec(),
            })
        }
    })
    .await;
    let made = vec![("ListSSHPublicKeys", n)];
    (name, made, result.map_err(|s| s.unread))
}

pub(super) async fn read(
    client: &Client,
    users: &[UserDetail],
    concurrency: usize,
    progress: Progress<'_>,
    calls: &mut Calls,
) -> Result<Keys, Vec<Unread>> {
    let names: Vec<String> = users
        .iter()
        // A user without a name is an unread section already (sanity).
        .filter_map(|u| u.user_name().filter(|n| !n.is_empty()).map(str::to_string))
        .collect();
    per_user::each(
        names,
        concurrency,
        progress,
        calls,
        "SSH keys of every user",
        "iam:ListSSHPublicKeys",
        |name| user_keys(client.clone(), name),
    )
    .await
}
