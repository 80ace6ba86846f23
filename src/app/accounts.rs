//! `--accounts` and `--org`: several accounts in one run, each read through
//! its own role, judged against its baseline as soon as it is read, and
//! ended with a status. An account not read is its own status and the run's
//! exit 2, after everything that was read is written.

use super::baselines::{
    baseline_for, check_own, files_of, load_own, read_accounts_file, relative_to,
    shared_names_no_account,
};
use super::error::{Error, Failure};
use super::judge::Several;
use super::output::emit;
use crate::accounts::{self, AccountRun, Entry, Status};
use crate::baseline::{Baseline, BaselineErrors};
use crate::check;
use crate::cli::InitArgs;
use crate::cli::LiveArgs;
use crate::sources::aws::accounts::{Ended, Limits, OrgQuery, Session, Target};
use crate::sources::aws::{RoleTarget, Scope, Unread, Wanted};
use crate::state::IamState;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The accounts of a run, before any is read.
pub(super) struct Resolved {
    pub session: Session,
    /// The accounts to read, their baseline paths relative to the working
    /// folder.
    pub entries: Vec<Entry>,
    /// The accounts left out (suspended, excluded), with why.
    pub skipped: Vec<AccountRun>,
}

/// The accounts of `--accounts` or `--org`, filtered, and the session that
/// reads them. `check` sees the accounts file's entries before any
/// credentials are used.
pub(super) fn resolve(
    args: &LiveArgs,
    check: &dyn Fn(&[Entry]) -> Result<(), Error>,
) -> Result<Resolved, Error> {
    let several = &args.accounts;
    if !accounts::file::valid_session_name(&several.session_name) {
        return Err(Failure::new(format!(
            "`--session-name {}` is not a session name STS accepts",
            several.session_name
        ))
        .help("2 to 64 letters, digits and _+=,.@-")
        .into());
    }
    for id in several
        .include_account
        .iter()
        .chain(&several.exclude_account)
    {
        if !accounts::is_account_id(id) {
            return Err(Failure::new(format!("`{id}` is not a 12-digit account id")).into());
        }
    }
    // The accounts file first: its errors need no credentials.
    let listed = match &several.accounts {
        Some(path) => Some(read_accounts_file(path)?),
        None => None,
    };
    if let Some((_, entries)) = &listed {
        check(entries)?;
    }
    let options = super::live::options(args)?;
    let session = Session::new(&options, Duration::from_secs(args.deadline()))
        .map_err(super::live::read_failure)?;
    let mut runs: Vec<AccountRun> = Vec::new();
    let entries = match listed {
        Some((path, entries)) => entries
            .into_iter()
            .map(|mut e| {
                // A baseline path is relative to the accounts file.
                e.baseline = e
                    .baseline
                    .map(|b| relative_to(&path, &b).display().to_string());
                e
            })
            .collect(),
        None => discover(&session, args, &mut runs)?,
    };
    let entries = filter(entries, args, &mut runs)?;
    // A run that reads no account says nothing of any: never a clean result.
    // (A shard of a small organization may hold none: its report says so.)
    if entries.is_empty() && several.shard.is_none() {
        return Err(Failure::new(format!(
            "no account is left to read ({} listed, all skipped or excluded)",
            runs.len()
        ))
        .help("check `--include-account`, `--exclude-account`, `--include-ou` and `--exclude-ou`")
        .into());
    }
    Ok(Resolved {
        session,
        entries,
        skipped: runs,
    })
}

/// Reads and judges every account of `--accounts` or `--org` against its
/// baseline: the shared one (`shared`, at `shared_path`), or the account's own.
pub(super) fn judge_accounts(
    args: &LiveArgs,
    shared: &Baseline,
    shared_path: &str,
    now: i64,
) -> Result<Several, Error> {
    shared_names_no_account(shared, shared_path, "the run reads several accounts")?;
    let Resolved {
        session,
        entries,
        skipped: runs,
    } = resolve(args, &|_| Ok(()))?;
    // Each distinct baseline file is read once.
    let mut baselines: BTreeMap<String, Baseline> = BTreeMap::new();
    for e in &entries {
        if let Some(path) = &e.baseline {
            if !baselines.contains_key(path) {
                let (merged, text) = load_own(path, shared, shared_path)?;
                check_own(&merged, path, &text, e)?;
                baselines.insert(path.clone(), merged);
            } else if let Some(merged) = baselines.get(path) {
                check_own(merged, path, "", e)?;
            }
        }
    }
    let baseline_of = |e: &Entry| baseline_for(e, &baselines, shared, shared_path);
    let targets = targets(&entries, args, |e| super::live::scope(baseline_of(e).0));
    let limits = limits(args);
    let mut out = Several {
        findings: Vec::new(),
        waived: Vec::new(),
        out_of_scope: 0,
        runs: Vec::new(),
        sources: Vec::new(),
    };
    let terminal = std::io::stderr().is_terminal();
    let total = entries.len();
    let mut ended = 0;
    let mut calls: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut done = |read: crate::sources::aws::accounts::AccountRead| {
        let entry = &entries[read.index];
        let (baseline, path) = baseline_of(entry);
        let mut run = AccountRun::read(&entry.id, entry.name.clone(), files_of(shared_path, path));
        run.calls = read.calls;
        run.seconds = read.seconds;
        match read.ended {
            Ended::Read(live) => {
                for (op, n) in &live.calls {
                    *calls.entry(op).or_default() += n;
                }
                let observation = live.into_observation();
                let outcome = check::judge_at(baseline, &observation, Some(now));
                out.add(&run, outcome);
                out.sources.push(observation.info);
            }
            Ended::Denied(why) => {
                run.status = Status::Denied;
                run.reason = Some(why);
            }
            Ended::Unread(unread) => {
                run.status = status_of(&unread);
                run.unread = unread.iter().map(|u| u.section.clone()).collect();
                run.reason = Some(reason_of(&unread));
            }
            Ended::NotStarted => {
                run.status = Status::Timeout;
                run.reason = Some(
                    "the run's deadline passed before the account was read (`--timeout`)"
                        .to_string(),
                );
            }
        }
        ended += 1;
        if terminal {
            #[allow(clippy::print_stderr)]
            {
                eprintln!(
                    "[{ended}/{total}] account {}: {}{}",
                    run.label(),
                    run.status,
                    run.reason
                        .as_deref()
                        .map(|r| format!(" ({r})"))
                        .unwrap_or_default()
                );
            }
        }
        out.runs.push(run);
    };
    session.read(&targets, limits, &mut done);
    if args.stats {
        super::live::print_stats(&calls, session.budget());
    }
    out.runs.extend(runs);
    out.settle();
    Ok(out)
}

/// What to read in each account: its role, and what `scope` asks of it.
fn targets(entries: &[Entry], args: &LiveArgs, scope: impl Fn(&Entry) -> Scope) -> Vec<Target> {
    let several = &args.accounts;
    entries
        .iter()
        .map(|e| Target {
            id: e.id.clone(),
            role: RoleTarget {
                role_arn: e.role_arn(&several.role_name),
                external_id: e
                    .external_id
                    .clone()
                    .or_else(|| several.external_id.clone()),
                session_name: e
                    .session_name
                    .clone()
                    .unwrap_or_else(|| several.session_name.clone()),
            },
            scope: scope(e),
        })
        .collect()
}

fn limits(args: &LiveArgs) -> Limits {
    Limits {
        accounts: usize::from(args.accounts.account_concurrency),
        per_account: usize::from(args.concurrency),
        account_deadline: Duration::from_secs(args.accounts.account_timeout),
        run_deadline: Duration::from_secs(args.deadline()),
    }
}

/// `drift init --accounts FILE` or `--org`: every account read whole, then
/// the shared file (`--output`: what all accounts hold alike, and the
/// settings) and each account's own file (the rest) written, or nothing
/// when any account could not be read.
pub(super) fn init_accounts(args: &InitArgs) -> Result<u8, Error> {
    let Some(shared_path) = args.output.as_deref() else {
        return Err(Failure::new(
            "with several accounts, `drift init` writes several files: give `--output shared.yaml`",
        )
        .help("each account's own file goes to its `baseline:` in the accounts file (with `--org`, beside the shared file, with an accounts.yaml listing them)")
        .into());
    };
    let dir = shared_path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let no_baseline = |entries: &[Entry]| -> Result<(), Error> {
        let missing: Vec<String> = entries
            .iter()
            .filter(|e| e.baseline.is_none())
            .map(|e| match e.loc {
                Some(l) => format!("{} (line {})", e.id, l.line),
                None => e.id.clone(),
            })
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        Err(Failure::new(format!(
            "`drift init` writes each account's own file to its `baseline:`, and these accounts have none: {}",
            missing.join(", ")
        ))
        .help("give each entry of the accounts file a `baseline: FILE`")
        .into())
    };
    let Resolved {
        session,
        entries,
        skipped,
    } = resolve(&args.live, &no_baseline)?;
    let org = args.live.accounts.org;
    // With `--org`, each account's file goes beside the shared one.
    let own_path = |e: &Entry| -> PathBuf {
        e.baseline
            .as_ref()
            .map_or_else(|| dir.join(format!("{}.yaml", e.id)), PathBuf::from)
    };
    let listing = dir.join("accounts.yaml");
    let mut files: Vec<PathBuf> = vec![shared_path.to_path_buf()];
    files.extend(entries.iter().map(own_path));
    if org {
        files.push(listing.clone());
    }
    if !args.force {
        if let Some(there) = files.iter().find(|f| f.exists()) {
            return Err(Failure::new(format!(
                "`{}` exists: `drift init` does not replace it",
                there.display()
            ))
            .help("give `--force` to replace the files, or `--output` another folder")
            .into());
        }
    }
    let all = Scope {
        access_keys: Wanted::All,
        saml_metadata: Wanted::All,
        root: false,
    };
    let targets = targets(&entries, &args.live, |_| all.clone());
    let mut states: Vec<Option<IamState>> = entries.iter().map(|_| None).collect();
    let mut failed: Vec<String> = Vec::new();
    let mut done = |read: crate::sources::aws::accounts::AccountRead| {
        let entry = &entries[read.index];
        match read.ended {
            Ended::Read(live) => states[read.index] = Some(live.state),
            Ended::Denied(why) => failed.push(format!("- account {}: denied: {why}", entry.id)),
            Ended::Unread(unread) => failed.push(format!(
                "- account {}: {}: {}",
                entry.id,
                status_of(&unread),
                reason_of(&unread)
            )),
            Ended::NotStarted => failed.push(format!(
                "- account {}: timeout: the run's deadline passed before it was read",
                entry.id
            )),
        }
    };
    session.read(&targets, limits(&args.live), &mut done);
    if !failed.is_empty() {
        failed.sort();
        return Err(Failure::new(format!(
            "{} of {} accounts were not read completely, so no baseline is written:\n{}",
            failed.len(),
            entries.len(),
            failed.join("\n")
        ))
        .help("give drift's role the read-only policy in those accounts, or leave them out with `--exclude-account`")
        .into());
    }
    let states: Vec<IamState> = states.into_iter().flatten().collect();
    let refs: Vec<&IamState> = states.iter().collect();
    let source = if org { "--org" } else { "--accounts" };
    let shared_header = format!(
        "# Written by `drift init {source}`: what all {} accounts hold alike, and the settings.\n\
# An account's baseline is this file with its own file added (each declares what the\n\
# other does not). Review before committing.\n",
        states.len()
    );
    let own_headers: Vec<String> = entries
        .iter()
        .map(|e| {
            format!(
                "# Written by `drift init {source}`: account {}'s own IAM configuration, besides\n\
# what `{}` holds for every account. Review before committing.\n",
                e.id,
                shared_path.display()
            )
        })
        .collect();
    let (shared_text, own_texts) =
        crate::baseline::write::shared_and_own(&refs, &shared_header, &own_headers)
            .map_err(|e| Failure::new(format!("cannot write the baselines: {e}")))?;
    // What is written must read back, merged.
    let shared = crate::baseline::parse("<shared>", &shared_text).map_err(generated)?;
    for text in &own_texts {
        let own = crate::baseline::parse_in("<own>", text, 1).map_err(generated)?;
        crate::baseline::merge::merge(&shared, own, "<shared>")
            .map_err(|e| generated(BaselineErrors::new("<own>", text, e)))?;
    }
    emit(Some(shared_path), &shared_text)?;
    for (e, text) in entries.iter().zip(&own_texts) {
        emit(Some(&own_path(e)), text)?;
    }
    if org {
        let mut list = String::from(
            "# Written by `drift init --org`: the accounts read, each with its own baseline.\nversion: 1\naccounts:\n",
        );
        for e in &entries {
            list.push_str(&format!("  - id: \"{}\"\n", e.id));
            if let Some(name) = &e.name {
                list.push_str(&format!(
                    "    name: {}\n",
                    serde_json::Value::String(name.clone())
                ));
            }
            list.push_str(&format!("    baseline: {}.yaml\n", e.id));
        }
        emit(Some(&listing), &list)?;
    }
    let mut said = format!(
        "drift init: wrote `{}` and {} account file{}",
        shared_path.display(),
        entries.len(),
        if entries.len() == 1 { "" } else { "s" }
    );
    if org {
        said.push_str(&format!(" listed in `{}`", listing.display()));
    }
    if !skipped.is_empty() {
        let ids: Vec<String> = skipped
            .iter()
            .map(|r| format!("{} ({})", r.id, r.reason.as_deref().unwrap_or("skipped")))
            .collect();
        said.push_str(&format!("; skipped: {}", ids.join(", ")));
    }
    said.push('\n');
    emit(None, &said)?;
    Ok(0)
}

fn generated(e: BaselineErrors) -> Error {
    Failure::new(format!(
        "the generated baselines do not validate (please report this): {}",
        e.lines().join("; ")
    ))
    .into()
}

/// The organization's accounts to read; the others are skipped, with why.
fn discover(
    session: &Session,
    args: &LiveArgs,
    skipped: &mut Vec<AccountRun>,
) -> Result<Vec<Entry>, Error> {
    let query = OrgQuery {
        include_units: args.accounts.include_ou.clone(),
        exclude_units: args.accounts.exclude_ou.clone(),
    };
    let found = session.discover(&query).map_err(|u: Unread| {
        Failure::new(format!(
            "the organization's accounts were not read, so nothing is reported: {u}"
        ))
        .help("run from the management account or a delegated administrator, with organizations:ListAccounts (and ListAccountsForParent, ListOrganizationalUnitsForParent for --include-ou and --exclude-ou)")
    })?;
    let mut out = Vec::new();
    for (a, why) in found.accounts {
        if !accounts::is_account_id(&a.id) {
            return Err(Failure::new(format!(
                "Organizations listed `{}`, which is not an account id: the listing cannot be trusted",
                a.id
            ))
            .into());
        }
        match why {
            None => {
                let partition = a
                    .arn
                    .as_deref()
                    .and_then(accounts::partition_of)
                    .unwrap_or("aws");
                out.push(Entry::discovered(&a.id, a.name.as_deref(), partition));
            }
            Some(why) => skipped.push(skipped_run(&a.id, a.name.clone(), why)),
        }
    }
    Ok(out)
}

fn skipped_run(id: &str, name: Option<String>, why: String) -> AccountRun {
    AccountRun {
        id: id.to_string(),
        name,
        status: Status::Skipped,
        reason: Some(why),
        unread: Vec::new(),
        calls: 0,
        seconds: 0.0,
        findings: [0; 5],
        baselines: Vec::new(),
    }
}

/// `--include-account`, `--exclude-account` and `--shard`.
fn filter(
    entries: Vec<Entry>,
    args: &LiveArgs,
    skipped: &mut Vec<AccountRun>,
) -> Result<Vec<Entry>, Error> {
    let several = &args.accounts;
    for id in &several.include_account {
        if !entries.iter().any(|e| &e.id == id) && !skipped.iter().any(|r| &r.id == id) {
            return Err(Failure::new(format!(
                "`--include-account {id}` names no account of the run"
            ))
            .help("check the id against the accounts file or the organization")
            .into());
        }
    }
    let mut out = Vec::new();
    for e in entries {
        if let Some((k, n)) = several.shard {
            // Another shard's: not part of this run at all.
            if accounts::shard_of(&e.id, n) != k {
                continue;
            }
        }
        if several.exclude_account.contains(&e.id) {
            skipped.push(skipped_run(
                &e.id,
                e.name.clone(),
                "excluded by `--exclude-account`".to_string(),
            ));
        } else if !several.include_account.is_empty() && !several.include_account.contains(&e.id) {
            skipped.push(skipped_run(
                &e.id,
                e.name.clone(),
                "not named by `--include-account`".to_string(),
            ));
        } else {
            out.push(e);
        }
    }
    if let Some((k, n)) = several.shard {
        skipped.retain(|r| accounts::shard_of(&r.id, n) == k);
    }
    Ok(out)
}

/// The status of an account some of whose sections were not read.
fn status_of(unread: &[Unread]) -> Status {
    if unread
        .iter()
        .any(|u| u.reason.contains("`--timeout`") || u.reason.contains("`--account-timeout`"))
    {
        Status::Timeout
    } else if unread.iter().any(Unread::is_throttling) {
        Status::Throttled
    } else {
        Status::Partial
    }
}

/// Why, in one line: the first unread section, and how many more.
fn reason_of(unread: &[Unread]) -> String {
    let mut text = unread.first().map(ToString::to_string).unwrap_or_default();
    if unread.len() > 1 {
        text.push_str(&format!(
            " (and {} more section{})",
            unread.len() - 1,
            if unread.len() == 2 { "" } else { "s" }
        ));
    }
    text
}
