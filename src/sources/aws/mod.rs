//! The live account, read with aws-sdk-iam into the same state model as plans.
//!
//! Read-only and few calls: GetAccountPasswordPolicy, ListAccountAliases,
//! GetAccountAuthorizationDetails (paginated: users, groups, roles, customer
//! managed policies with their documents), ListRoles (session length and
//! description, which the former lacks), ListInstanceProfiles (profiles without a
//! role too), the credential report (console passwords and MFA for every user in
//! two calls), and per user only ListSSHPublicKeys, with bounded concurrency.
//! Anything not read is an error naming the section and the IAM action: never a
//! clean result for something unread.
//!
//! [`fetch`], [`credential_report`] and [`ssh_keys`] make the calls; [`map`] turns
//! what they return into the state model without any I/O.

mod access_keys;
pub mod accounts;
mod assume;
mod budget;
mod client;
mod credential_report;
mod fetch;
mod identity_providers;
pub mod lookup;
mod map;
pub mod organization;
mod pages;
mod per_user;
mod sanity;
mod ssh_keys;

pub use assume::RoleTarget;
pub use budget::CallBudget;
pub use client::ClientOptions;

use crate::observation::{Observation, SourceInfo};
use crate::state::IamState;
use aws_sdk_iam::Client;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Which names a read asks for more about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Wanted {
    All,
    Names(BTreeSet<String>),
}

impl Default for Wanted {
    fn default() -> Self {
        Wanted::Names(BTreeSet::new())
    }
}

impl Wanted {
    pub fn wants(&self, name: &str) -> bool {
        match self {
            Wanted::All => true,
            Wanted::Names(names) => names.contains(name),
        }
    }
}

/// What a read must fetch beyond what it always reads: it follows the
/// baseline, so that the common case costs no extra calls.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Users whose access keys are listed whatever the credential report says
    /// (the baseline declares their `access_keys`). Users the report shows
    /// with an active key are listed in any case.
    pub access_keys: Wanted,
    /// SAML providers whose metadata document is read (its hash is declared).
    pub saml_metadata: Wanted,
    /// Whether the root user must be read (the baseline guards it): a report
    /// without its row is then an unread section.
    pub root: bool,
}

/// Items per page: the largest IAM allows (its default is 100).
const PAGE: i32 = 1000;

/// A section that could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct Unread {
    pub section: String,
    pub action: &'static str,
    pub reason: String,
}

/// IAM's error codes for a caller that calls too often.
const THROTTLING: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "RequestLimitExceeded",
    "TooManyRequestsException",
];

impl Unread {
    /// Whether IAM refused the call for its rate, after the retries.
    pub fn is_throttling(&self) -> bool {
        THROTTLING
            .iter()
            .any(|code| self.reason.split(':').next() == Some(code))
    }
}

impl fmt::Display for Unread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} not read ({}): {}",
            self.section, self.action, self.reason
        )
    }
}

/// A live read: the state, and how many calls of each operation it took.
#[derive(Debug, Default)]
pub struct LiveRead {
    pub state: IamState,
    pub calls: BTreeMap<&'static str, usize>,
    /// When the credential report the read used was generated.
    pub report_time: Option<crate::observation::ReportTime>,
}

impl LiveRead {
    /// The account as the engine judges it.
    pub fn into_observation(self) -> Observation {
        let account = self.state.account_id.clone();
        Observation {
            state: self.state,
            refresh: None,
            reads_account: true,
            complete: true,
            info: SourceInfo {
                kind: "live",
                path: None,
                terraform_version: None,
                format_version: None,
                credential_report: self.report_time,
                account,
            },
        }
    }
}

/// Why a live read gave no result.
#[derive(Debug)]
pub enum ReadError {
    /// The async runtime could not start.
    Runtime(String),
    /// Sections that were not read.
    Unread(Vec<Unread>),
    /// No credentials, so nothing was tried.
    Credentials(String),
}

/// Progress of the per-user reads: (done, total).
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// Reads the account with a client set up from `options`, on a runtime of its
/// own, within `deadline`: a read that cannot finish by then is unread.
pub fn read_blocking(
    options: &ClientOptions,
    scope: &Scope,
    concurrency: usize,
    deadline: std::time::Duration,
    progress: Progress<'_>,
) -> Result<LiveRead, ReadError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ReadError::Runtime(e.to_string()))?;
    runtime.block_on(async {
        let client = client::client(options)
            .await
            .map_err(ReadError::Credentials)?;
        let read = async {
            match tokio::time::timeout(deadline, read(&client, scope, concurrency, progress)).await
            {
                Ok(result) => result,
                Err(_) => Err(vec![Unread {
                    section: "the live account".to_string(),
                    action: "(every call)",
                    reason: format!(
                        "the read did not finish within {} s (`--timeout`)",
                        deadline.as_secs()
                    ),
                }]),
            }
        };
        read.await.map_err(ReadError::Unread)
    })
}

/// The users of the account details, by name and ARN, to match the
/// credential report's rows with.
fn known_users(details: Option<&fetch::Details>) -> Vec<credential_report::Known> {
    details
        .map(|d| {
            d.users
                .iter()
                .filter_map(|u| {
                    let name = u.user_name().filter(|n| !n.is_empty())?;
                    Some((name.to_string(), u.arn()?.to_string()))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Reads the account. `concurrency` bounds the per-user calls in flight.
pub async fn read(
    client: &Client,
    scope: &Scope,
    concurrency: usize,
    progress: Progress<'_>,
) -> Result<LiveRead, Vec<Unread>> {
    let (out, errors) = read_sections(client, scope, None, concurrency, progress).await;
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Reads the account as far as it can: what was read (with its call
/// counts), and the sections that were not. The read is whole only when the
/// second is empty. `known` is the account when the caller knows it (the
/// account of an assumed role): an account without any object has no ARN
/// that says it.
pub(crate) async fn read_sections(
    client: &Client,
    scope: &Scope,
    known: Option<&str>,
    concurrency: usize,
    progress: Progress<'_>,
) -> (LiveRead, Vec<Unread>) {
    let mut out = LiveRead::default();
    let mut errors = Vec::new();
    // Ages (of access keys) are counted to the time of the read.
    out.state.observed_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs()).ok());

    // Everything else first: the account id comes from the ARNs it returns.
    let details = match fetch::authorization_details(client, &mut out.calls).await {
        Ok(d) => Some(d),
        Err((unread, reached)) => {
            errors.push(unread);
            if !reached {
                // IAM did not answer at all: every other section is unread too.
                errors.extend(fetch::not_tried());
                return (out, errors);
            }
            None
        }
    };
    let account = details
        .as_ref()
        .and_then(map::account_id)
        .or_else(|| known.map(str::to_string));
    out.state.account_id = account.clone();
    let arn = map::Arns::new(account.as_deref().unwrap_or(""));

    match fetch::password_policy(client, &mut out.calls).await {
        Ok(policy) => out.state.password_policy = Some(map::password_policy(policy, &arn)),
        Err(u) => errors.push(u),
    }
    match fetch::account_aliases(client, &mut out.calls).await {
        Ok(aliases) => out.state.account_alias = Some(map::account_alias(&aliases, &arn)),
        Err(u) => errors.push(u),
    }
    let roles = match fetch::roles(client, &mut out.calls).await {
        Ok(r) => Some(r),
        Err(u) => {
            errors.push(u);
            None
        }
    };
    // A role made between the two calls is in one listing only: both are
    // read once more before a difference counts as a partial read.
    let (mut details, roles) = match (&details, &roles) {
        (Some(d), Some(r)) if sanity::roles_left_out(d, r) => {
            match (
                fetch::authorization_details(client, &mut out.calls).await,
                fetch::roles(client, &mut out.calls).await,
            ) {
                (Ok(d), Ok(r)) => (Some(d), Some(r)),
                (d, r) => {
                    if let Err((unread, _)) = d {
                        errors.push(unread);
                    }
                    if let Err(u) = r {
                        errors.push(u);
                    }
                    return (out, errors);
                }
            }
        }
        _ => (details, roles),
    };
    let profiles = match fetch::instance_profiles(client, &mut out.calls).await {
        Ok(profiles) => Some(profiles),
        Err(u) => {
            errors.push(u);
            None
        }
    };
    if let Some(details) = &details {
        errors.extend(sanity::account(
            details,
            roles.as_deref(),
            profiles.as_deref(),
        ));
    }
    if let Some(profiles) = &profiles {
        out.state.instance_profiles = map::instance_profiles(profiles, &arn);
    }
    let read_started = out.state.observed_at.unwrap_or(0);
    // Checked against the report only when the details made sense.
    let checked = details.is_some()
        && !errors
            .iter()
            .any(|e| e.action == "iam:GetAccountAuthorizationDetails");
    let mut credentials = None;
    // A report generated during the read that lists a user the details do
    // not: a user made between the calls, or details that hide one. The
    // details (and the report) are read once more before it counts.
    for attempt in 0..2 {
        let known = known_users(details.as_ref());
        match credential_report::read(
            client,
            checked.then_some(known.as_slice()),
            read_started,
            concurrency,
            progress,
            &mut out.calls,
        )
        .await
        {
            Ok((c, time)) => {
                out.report_time = Some(time);
                let left_out = checked && !time.stale() && !c.unmatched.is_empty();
                if left_out && attempt == 1 {
                    errors.push(credential_report::left_out(&c.unmatched));
                } else if left_out {
                    match fetch::authorization_details(client, &mut out.calls).await {
                        Ok(d) => {
                            errors.extend(sanity::account(
                                &d,
                                roles.as_deref(),
                                profiles.as_deref(),
                            ));
                            details = Some(d);
                            continue;
                        }
                        Err((unread, _)) => errors.push(unread),
                    }
                }
                credentials = Some(c);
            }
            Err(u) => errors.extend(u),
        }
        break;
    }

    if let Some(details) = &details {
        // SSH keys, one call per user, a bounded number at a time.
        let keys = match ssh_keys::read(
            client,
            &details.users,
            concurrency,
            progress,
            &mut out.calls,
        )
        .await
        {
            Ok(k) => {
                errors.extend(sanity::keys(&k));
                Some(k)
            }
            Err(u) => {
                errors.extend(u);
                None
            }
        };
        // Access keys of the users the baseline guards them for, and of those
        // the report shows with an active key (their age is judged); of every
        // user when the report has no access key columns.
        let known = known_users(Some(details));
        let key_users: Vec<String> = known
            .iter()
            .map(|(name, _)| name)
            .filter(|name| {
                scope.access_keys.wants(name)
                    || out.report_time.is_some_and(|t| t.stale())
                    || credentials.as_ref().is_some_and(|c| {
                        !c.key_columns || c.users.get(*name).is_some_and(|u| u.active_key())
                    })
            })
            .cloned()
            .collect();
        let access =
            match access_keys::read(client, key_users, concurrency, progress, &mut out.calls).await
            {
                Ok(k) => {
                    errors.extend(sanity::access_keys(&k));
                    Some(k)
                }
                Err(u) => {
                    errors.extend(u);
                    None
                }
            };
        out.state.users = map::users(
            &details.users,
            keys.as_ref(),
            access.as_ref(),
            credentials.as_ref(),
            &arn,
        );
        out.state.groups = map::groups(&details.groups, &arn);
        out.state.roles = map::roles(&details.roles, roles.as_deref().unwrap_or(&[]), &arn);
        out.state.policies = map::policies(&details.policies, &arn);
    }

    if let Some(report) = &credentials {
        out.state.root = map::root(report, &arn);
        if scope.root && out.state.root.is_none() {
            errors.push(Unread {
                section: "the root user (the credential report)".to_string(),
                action: "iam:GetCredentialReport",
                reason: "the report has no `<root_account>` row".to_string(),
            });
        }
    }
    match identity_providers::oidc(client, concurrency, progress, &mut out.calls).await {
        Ok(p) => out.state.oidc_providers = map::oidc_providers(&p, &arn),
        Err(u) => errors.extend(u),
    }
    let wanted = |name: &str| scope.saml_metadata.wants(name);
    match identity_providers::saml(client, &wanted, concurrency, progress, &mut out.calls).await {
        Ok(p) => out.state.saml_providers = map::saml_providers(&p, &arn),
        Err(u) => errors.extend(u),
    }

    (out, errors)
}
