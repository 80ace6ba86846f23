//! SSH keys: one ListSSHPublicKeys per user, a bounded number in flight.

use super::fetch::{unread, Calls};
use super::{Progress, Unread};
use aws_sdk_iam::types::{SshPublicKeyMetadata, UserDetail};
use aws_sdk_iam::Client;
use std::collections::BTreeMap;

/// The keys of every user, by user name.
pub(super) type Keys = BTreeMap<String, Vec<SshPublicKeyMetadata>>;

async fn user_keys(
    client: Client,
    name: String,
) -> (String, usize, Result<Vec<SshPublicKeyMetadata>, Unread>) {
    let mut keys = Vec::new();
    let mut pages = client
        .list_ssh_public_keys()
        .user_name(&name)
        .into_paginator()
        .send();
    let mut n = 0;
    while let Some(page) = pages.next().await {
        n += 1;
        match page {
            Ok(p) => keys.extend(p.ssh_public_keys().iter().cloned()),
            Err(e) => {
                let u = unread(
                    format!("SSH keys of user `{name}`"),
                    "iam:ListSSHPublicKeys",
                    &e,
                );
                return (name, n, Err(u));
            }
        }
    }
    (name, n, Ok(keys))
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
        .filter_map(|u| u.user_name().map(str::to_string))
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
