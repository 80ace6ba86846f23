//! Several accounts in one run: one runtime, the run's credentials resolved
//! once, the organization's accounts discovered, and each account read through
//! its own role, a bounded number at a time, each within its deadline and all
//! within the run's.
//!
//! An account ends read or not; one that is not (its role refused, IAM kept
//! throttling it, its deadline passed, a section unread) is its own status and
//! never stops the others. Each account's read is handed to the caller as soon
//! as it ends, to be judged and dropped: memory follows the findings, not the
//! number of accounts.

use super::assume::{self, RoleTarget};
use super::fetch::Calls;
use super::organization::{self, OrgAccount};
use super::{client, ClientOptions, LiveRead, ReadError, Scope, Unread};
use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;
use std::time::Duration;
use tokio::time::Instant;

/// One account to read.
#[derive(Debug, Clone)]
pub struct Target {
    pub id: String,
    pub role: RoleTarget,
    pub scope: Scope,
}

/// How one account's read ended.
#[derive(Debug)]
pub enum Ended {
    Read(Box<LiveRead>),
    /// The role could not be assumed, or its credentials read another account.
    Denied(String),
    /// Sections not read (the deadline is one: the whole account).
    Unread(Vec<Unread>),
    /// The run's deadline passed before the account's read began.
    NotStarted,
}

/// One account's read.
#[derive(Debug)]
pub struct AccountRead {
    /// Its place in the targets.
    pub index: usize,
    pub ended: Ended,
    /// The calls made for it, AssumeRole included (those of a read cut short
    /// by its deadline are not known: AssumeRole only).
    pub calls: usize,
    pub seconds: f64,
}

/// Which accounts of the organization to read.
#[derive(Debug, Clone, Default)]
pub struct OrgQuery {
    /// Only accounts under these organizational units (or roots), when given.
    pub include_units: Vec<String>,
    /// Never accounts under these.
    pub exclude_units: Vec<String>,
}

/// What discovery found: every account with whether it is read (`None`) or
/// why not.
#[derive(Debug, Clone)]
pub struct Discovered {
    pub accounts: Vec<(OrgAccount, Option<String>)>,
    pub calls: Calls,
}

/// How the accounts are read.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Accounts read at once.
    pub accounts: usize,
    /// Per-user calls in flight in each account.
    pub per_account: usize,
    pub account_deadline: Duration,
    pub run_deadline: Duration,
}

/// A run over several accounts: a runtime and the run's own credentials.
pub struct Session {
    runtime: tokio::runtime::Runtime,
    base: aws_config::SdkConfig,
    started: Instant,
    run_deadline: Duration,
    budget: Option<super::CallBudget>,
}

impl Session {
    /// Starts the runtime and resolves the run's credentials once; the run's
    /// deadline starts now.
    pub fn new(options: &ClientOptions, run_deadline: Duration) -> Result<Session, ReadError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| ReadError::Runtime(e.to_string()))?;
        let base = runtime
            .block_on(client::base(options))
            .map_err(ReadError::Credentials)?;
        let started = runtime.block_on(async { Instant::now() });
        Ok(Session {
            runtime,
            base,
            started,
            run_deadline,
            budget: options.budget.clone(),
        })
    }

    /// The run's budget of calls in flight, shared by every account.
    pub fn budget(&self) -> Option<&super::CallBudget> {
        self.budget.as_ref()
    }

    /// The organization's accounts, each with why it is skipped (suspended,
    /// outside the included units, in an excluded one).
    pub fn discover(&self, query: &OrgQuery) -> Result<Discovered, Unread> {
        self.runtime.block_on(async {
            let client = aws_sdk_organizations::Client::new(&self.base);
            let mut calls = Calls::new();
            let all = organization::accounts(&client, &mut calls).await?;
            let mut included: Option<BTreeSet<String>> = None;
            for unit in &query.include_units {
                let ids = organization::accounts_under(&client, unit, &mut calls).await?;
                included.get_or_insert_with(BTreeSet::new).extend(ids);
            }
            let mut excluded = BTreeSet::new();
            for unit in &query.exclude_units {
                excluded.extend(organization::accounts_under(&client, unit, &mut calls).await?);
            }
            let accounts = all
                .into_iter()
                .map(|a| {
                    let why = if !a.active() {
                        Some(format!(
                            "{} in the organization",
                            if a.status.is_empty() {
                                "no status"
                            } else {
                                a.status.as_str()
                            }
                            .to_lowercase()
                        ))
                    } else if excluded.contains(&a.id) {
                        Some("under an excluded organizational unit".to_string())
                    } else if included.as_ref().is_some_and(|i| !i.contains(&a.id)) {
                        Some("outside the included organizational units".to_string())
                    } else {
                        None
                    };
                    (a, why)
                })
                .collect();
            Ok(Discovered { accounts, calls })
        })
    }

    /// Reads every target, `limits.accounts` at a time, and hands each read
    /// to `done` as it ends.
    pub fn read(&self, targets: &[Target], limits: Limits, done: &mut dyn FnMut(AccountRead)) {
        let run_end = self.started + self.run_deadline.min(limits.run_deadline);
        let base = &self.base;
        self.runtime.block_on(each(
            targets.len(),
            limits.accounts.max(1),
            |index| read_one(base, &targets[index], index, limits, run_end),
            done,
        ));
    }
}

/// Reads one account within its deadline and the run's.
async fn read_one(
    base: &aws_config::SdkConfig,
    target: &Target,
    index: usize,
    limits: Limits,
    run_end: Instant,
) -> AccountRead {
    let start = Instant::now();
    let finish = |ended: Ended, calls: usize| AccountRead {
        index,
        ended,
        calls,
        seconds: start.elapsed().as_secs_f64(),
    };
    let Some(left) = run_end
        .checked_duration_since(start)
        .filter(|d| !d.is_zero())
    else {
        return finish(Ended::NotStarted, 0);
    };
    let deadline = limits.account_deadline.min(left);
    let by_run = deadline < limits.account_deadline;
    let timed_out = || {
        vec![Unread {
            section: "the account".to_string(),
            action: "(every call)",
            reason: if by_run {
                "the run's deadline passed before the account's read ended (`--timeout`)"
                    .to_string()
            } else {
                format!(
                    "the account's read did not finish within {} s (`--account-timeout`)",
                    limits.account_deadline.as_secs()
                )
            },
        }]
    };
    let read = async {
        let client = match assume::client(base, &target.role).await {
            Ok(c) => c,
            Err(why) => return (Ended::Denied(why), 1),
        };
        let none: super::Progress<'_> = &|_, _| {};
        let (read, unread) = super::read_sections(
            &client,
            &target.scope,
            Some(&target.id),
            limits.per_account,
            none,
        )
        .await;
        let calls = 1 + read.calls.values().sum::<usize>();
        if !unread.is_empty() {
            return (Ended::Unread(unread), calls);
        }
        // The role's account stands in when no ARN says it, so that only
        // ARNs of another account differ.
        if let Some(id) = read
            .state
            .account_id
            .as_deref()
            .filter(|id| *id != target.id)
        {
            return (
                Ended::Denied(format!(
                    "the credentials of {} read account {id}, not {}",
                    target.role.role_arn, target.id
                )),
                calls,
            );
        }
        (Ended::Read(Box::new(read)), calls)
    };
    match tokio::time::timeout(deadline, read).await {
        Ok((ended, calls)) => finish(ended, calls),
        Err(_) => finish(Ended::Unread(timed_out()), 1),
    }
}

/// Runs `make(i)` for `i` in `0..n`, at most `limit` at once on this thread,
/// and gives each result to `done` as it ends.
async fn each<'a, F, Fut>(n: usize, limit: usize, make: F, done: &mut dyn FnMut(AccountRead))
where
    F: Fn(usize) -> Fut,
    Fut: Future<Output = AccountRead> + 'a,
{
    let mut running: Vec<Pin<Box<Fut>>> = Vec::new();
    let mut next = 0;
    loop {
        while running.len() < limit && next < n {
            running.push(Box::pin(make(next)));
            next += 1;
        }
        if running.is_empty() {
            break;
        }
        let read = std::future::poll_fn(|cx| {
            for i in 0..running.len() {
                if let Poll::Ready(out) = running[i].as_mut().poll(cx) {
                    drop(running.swap_remove(i));
                    return Poll::Ready(out);
                }
            }
            Poll::Pending
        })
        .await;
        done(read);
    }
}
