//! Reading the live account, for `check`, `report` and `init`.

use super::error::{Error, Failure};
use crate::baseline::Baseline;
use crate::cli::LiveArgs;
use crate::observation::Observation;
use crate::sources::aws::{self, ClientOptions, LiveRead, ReadError, Scope, Wanted};
use crate::state::IamState;
use std::io::IsTerminal;

/// The live account as the engine judges it, read as far as `baseline` needs.
pub(super) fn observe(args: &LiveArgs, baseline: &Baseline) -> Result<Observation, Error> {
    Ok(read_live(args, &scope(baseline))?.into_observation())
}

/// The live account's state, for `init`: every access key and SAML metadata
/// document, and the root user when the report has its row.
pub(super) fn read_state(args: &LiveArgs) -> Result<IamState, Error> {
    let scope = Scope {
        access_keys: Wanted::All,
        saml_metadata: Wanted::All,
        root: false,
    };
    Ok(read_live(args, &scope)?.state)
}

/// What the baseline guards beyond what every read fetches.
pub(super) fn scope(baseline: &Baseline) -> Scope {
    let root = baseline.account.as_ref().and_then(|a| a.root.as_ref());
    Scope {
        access_keys: Wanted::Names(
            baseline
                .users
                .iter()
                .filter(|(_, u)| u.access_keys.is_some())
                .map(|(name, _)| name.clone())
                .collect(),
        ),
        saml_metadata: Wanted::Names(
            baseline
                .saml_providers
                .iter()
                .filter(|(_, p)| p.metadata_sha256.is_some())
                .map(|(name, _)| name.clone())
                .collect(),
        ),
        root: root.is_some_and(|r| r.access_keys.is_some() || r.mfa.is_some()),
    }
}

/// How to reach AWS, from the command line.
pub(super) fn options(args: &LiveArgs) -> Result<ClientOptions, Error> {
    if let Some(url) = &args.endpoint_url {
        let host = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .map(|rest| rest.split(['/', '?']).next().unwrap_or(""));
        if host.is_none_or(|h| h.is_empty() || h.contains(char::is_whitespace)) {
            return Err(Failure::new(format!(
                "`--endpoint-url {url}` is not an http:// or https:// URL"
            ))
            .help("for example `--endpoint-url http://127.0.0.1:5000`, or leave it out to use AWS")
            .into());
        }
    }
    Ok(ClientOptions {
        profile: args.profile.clone(),
        region: args.region.clone(),
        endpoint_url: args.endpoint_url.clone(),
        budget: Some(aws::CallBudget::new(args.in_flight())),
    })
}

/// Reads the live account; every unread section is an error (exit 2).
fn read_live(args: &LiveArgs, scope: &Scope) -> Result<LiveRead, Error> {
    let terminal = std::io::stderr().is_terminal();
    #[allow(clippy::print_stderr)]
    let progress = move |done: usize, total: usize| {
        if terminal && (done.is_multiple_of(25) || done == total) {
            eprint!("\rreading per-user details: {done}/{total}");
            if done == total {
                eprintln!();
            }
        }
    };
    let options = options(args)?;
    let deadline = std::time::Duration::from_secs(args.deadline());
    let read = aws::read_blocking(
        &options,
        scope,
        usize::from(args.concurrency),
        deadline,
        &progress,
    )
    .map_err(read_failure)?;
    if args.stats {
        print_stats(&read.calls, options.budget.as_ref());
    }
    Ok(read)
}

/// Why the live account gave no result, as the error the run ends with.
pub(super) fn read_failure(e: ReadError) -> Error {
    match e {
        ReadError::Credentials(why) => Failure::new(format!(
            "cannot read the live account: {why}"
        ))
        .help("give `--profile NAME` (a profile of ~/.aws/config), set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; in GitHub Actions, assume a role with aws-actions/configure-aws-credentials")
        .into(),
        ReadError::Runtime(e) => Failure::new(format!("cannot start the async runtime: {e}")).into(),
        ReadError::Unread(unread) => {
            let list: Vec<String> = unread.iter().map(|u| format!("- {u}")).collect();
            let failure = Failure::new(format!(
                "the live account was not read completely, so nothing is reported:\n{}",
                list.join("\n")
            ));
            failure.help(unread_help(&unread)).into()
        }
    }
}

/// What to do about the sections not read: the fix for a refusal differs from
/// the fix for throttling, a deadline, or an endpoint that does not answer.
fn unread_help(unread: &[aws::Unread]) -> String {
    let mut help = Vec::new();
    if unread.iter().any(aws::Unread::is_throttling) {
        help.push(
            "IAM throttled the read: run it again later, or with a lower `--concurrency`"
                .to_string(),
        );
    }
    if unread.iter().any(|u| u.reason.contains("`--timeout`")) {
        help.push("give the read more time with `--timeout SECONDS`".to_string());
    }
    let mut denied: Vec<&str> = unread
        .iter()
        .filter(|u| u.reason.starts_with("AccessDenied") || u.reason.contains("not authorized"))
        .map(|u| u.action)
        .collect();
    denied.dedup();
    if !denied.is_empty() {
        help.push(format!(
            "the credentials need {} (examples/iam-readonly-policy.json lists every action drift calls)",
            denied.join(", ")
        ));
    }
    if help.is_empty() {
        let actions: Vec<&str> = unread.iter().map(|u| u.action).collect();
        help.push(format!(
            "check that IAM answers and that the credentials allow {} (examples/iam-readonly-policy.json lists every action drift calls)",
            actions.join(", ")
        ));
    }
    help.join("; ")
}

#[allow(clippy::print_stderr)]
pub(super) fn print_stats(
    calls: &std::collections::BTreeMap<&'static str, usize>,
    budget: Option<&aws::CallBudget>,
) {
    let total: usize = calls.values().sum();
    eprintln!("API calls: {total}");
    for (op, n) in calls {
        eprintln!("  {op}: {n}");
    }
    if let Some(b) = budget {
        eprintln!(
            "calls in flight at once: at most {} (budget {}, `--max-in-flight`)",
            b.peak(),
            b.size()
        );
    }
}
