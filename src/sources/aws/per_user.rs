//! Per-user calls, a bounded number of users in flight. Shared by every read
//! that needs calls per user (SSH keys, console passwords and MFA devices).

use super::fetch::Calls;
use super::pages::{all_pages, Page};
use super::{Progress, Unread};
use aws_sdk_iam::error::{ProvideErrorMetadata, SdkError};
use std::collections::BTreeMap;
use std::future::Future;

/// What the read of one user gives: its name, the calls it made (by action,
/// for the call counts) and the result.
pub(super) type Done<T> = (String, Vec<(&'static str, usize)>, Result<T, Unread>);

/// Runs `task` for every user, `concurrency` at a time. A user throttled after
/// the retries stops the whole read: the other users would be throttled too,
/// so it is said once, for `section` (`action` names the call of a task that
/// could not finish). Any other error is kept and the read
/// goes on, so that every unread user is named.
pub(super) async fn each<T, F, Fut>(
    names: Vec<String>,
    concurrency: usize,
    progress: Progress<'_>,
    calls: &mut Calls,
    section: &str,
    action: &'static str,
    task: F,
) -> Result<BTreeMap<String, T>, Vec<Unread>>
where
    T: Send + 'static,
    F: Fn(String) -> Fut,
    Fut: Future<Output = Done<T>> + Send + 'static,
{
    let total = names.len();
    let mut pending = names.into_iter();
    let mut tasks = tokio::task::JoinSet::new();
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    let mut done = 0;
    loop {
        while tasks.len() < concurrency.max(1) {
            let Some(name) = pending.next() else { break };
            tasks.spawn(task(name));
        }
        let Some(joined) = tasks.join_next().await else {
            break;
        };
        done += 1;
        progress(done, total);
        match joined {
            Ok((name, made, result)) => {
                for (action, n) in made {
                    *calls.entry(action).or_default() += n;
                }
                match result {
                    Ok(value) => {
                        out.insert(name, value);
                    }
                    Err(u) if u.is_throttling() => {
                        tasks.abort_all();
                        errors.push(Unread {
                            section: section.to_string(),
                            action: u.action,
                            reason: format!("{} (after retries; the read stopped)", u.reason),
                        });
                        break;
                    }
                    Err(u) => errors.push(u),
                }
            }
            // A task that panicked or was cancelled: its user is unread.
            Err(e) => errors.push(Unread {
                section: section.to_string(),
                action,
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

/// A user has at most a few keys or devices: one page, a few at most.
const USER_PAGES: usize = 10;

/// Every page of one user's listing (`op` for the call counts, `action` for
/// errors), as the result of a per-user task.
pub(super) async fn listing<T, E, R, F, Fut>(
    name: String,
    what: &str,
    action: &'static str,
    op: &'static str,
    page: F,
) -> Done<Vec<T>>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page<T>, SdkError<E, R>>>,
{
    let section = format!("{what} of user `{name}`");
    let (result, n) = all_pages(&section, action, USER_PAGES, page).await;
    (name, vec![(op, n)], result.map_err(|s| s.unread))
}
