//! SSH keys: one ListSSHPublicKeys per user, a bounded number in flight.

use super::fetch::Calls;
use super::pages::Page;
use super::per_user::{self, Done};
use super::{Progress, Unread};
use aws_sdk_iam::types::{SshPublicKeyMetadata, UserDetail};
use aws_sdk_iam::Client;
use std::collections::BTreeMap;

/// The keys of every user, by user name.
pub(super) type Keys = BTreeMap<String, Vec<SshPublicKeyMetadata>>;

async fn user_keys(client: Client, name: String) -> Done<Vec<SshPublicKeyMetadata>> {
    let request = |marker| {
        client
            .list_ssh_public_keys()
            .user_name(&name)
            .set_marker(marker)
    };
    per_user::listing(
        name.clone(),
        "SSH keys",
        "iam:ListSSHPublicKeys",
        "ListSSHPublicKeys",
        |marker| {
            let request = request(marker);
            async move {
                request.send().await.map(|p| Page {
                    truncated: p.is_truncated(),
                    marker: p.marker().map(str::to_string),
                    items: p.ssh_public_keys().to_vec(),
                })
            }
        },
    )
    .await
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
        crate::kinds::section(crate::identity::Kind::SshKey),
        "iam:ListSSHPublicKeys",
        |name| user_keys(client.clone(), name),
    )
    .await
}
