//! SSH keys: one ListSSHPublicKeys per user, a bounded number in flight.

use super::fetch::Calls;
use super::pages::{all_pages, Page};
use super::{Progress, Unread};
use aws_sdk_iam::types::{SshPublicKeyMetadata, UserDetail};
use aws_sdk_iam::Client;
use std::collections::BTreeMap;

/// The keys of every user, by user name.
pub(super) type Keys = BTreeMap<String, Vec<SshPublicKeyMetadata>>;

/// A user has at most five SSH keys: one page, a few at most.
const USER_PAGES: usize = 10;

async fn user_keys(
    client: Client,
    name: String,
) -> (String, usize, Result<Vec<SshPublicKeyMetadata>, Unread>) {
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
    (name, n, result.map_err(|s| s.unread))
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
    let total = names.len();
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    let mut pending = names.into_iter();
    let mut tasks = tokio::task::JoinSet::new();
    let mut done = 0;
    loop {
        while tasks.len() < concurrency.max(1) {
            let Some(name) = pending.next() else {
                break;
            };
            tasks.spawn(user_keys(client.clone(), name));
        }
        let Some(joined) = tasks.join_next().await else {
            break;
        };
        done += 1;
        progress(done, total);
        match joined {
            Ok((name, n, result)) => {
                *calls.entry("ListSSHPublicKeys").or_default() += n;
                match result {
                    Ok(keys) => {
                        out.insert(name, keys);
                    }
                    // Throttled after the retries: the other users would be
                    // too; stop now and say it once.
                    Err(u) if u.is_throttling() => {
                        tasks.abort_all();
                        errors.push(Unread {
                            section: "SSH keys of every user".to_string(),
                            action: u.action,
                            reason: format!("{} (after retries; the read stopped)", u.reason),
                        });
                        break;
                    }
                    Err(u) => errors.push(u),
                }
            }
            Err(e) => errors.push(Unread {
                section: "SSH keys".to_string(),
                action: "iam:ListSSHPublicKeys",
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
