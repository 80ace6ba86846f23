//! `drift check` and `drift report`: judge a plan or the live account.

use super::error::{Error, Failure};
use super::inputs::{load_baseline, observe, read_bounded};

/// The largest previous report read (a report of 60,000 findings is about 60 MB).
const PREVIOUS_LIMIT: u64 = 256 * 1024 * 1024;
use super::output::{append_step_summary, emit, emit_set, emit_with};
use crate::check::{self, Outcome};
use crate::cli::{CheckArgs, Format, JudgeArgs, ReportArgs};
use crate::events::attribute::{attribute, Attribution};
use crate::history::{History, Run};
use crate::observation::SourceInfo;
use crate::render::{self, Report};
use crate::sources::terraform::{PlanInfo, ProviderAccounts};
use crate::trend;
use std::io::IsTerminal;

/// Every account's part of a run over several, put together.
pub(super) struct Several {
    pub findings: Vec<crate::finding::Finding>,
    pub waived: Vec<crate::triage::Waived>,
    pub out_of_scope: usize,
    pub runs: Vec<crate::accounts::AccountRun>,
    pub sources: Vec<SourceInfo>,
}

impl Several {
    /// An account's judged outcome: its findings and waived findings placed
    /// in the account (counted by [`Several::settle`]).
    pub(super) fn add(&mut self, run: &crate::accounts::AccountRun, outcome: check::Outcome) {
        self.findings
            .extend(outcome.findings.into_iter().map(|mut f| {
                run.place(&mut f);
                f
            }));
        self.waived.extend(outcome.waived.into_iter().map(|mut w| {
            run.place(&mut w.finding);
            w
        }));
        self.out_of_scope += outcome.out_of_scope;
    }

    /// Waivers of the shared baseline reported once for the run (see
    /// [`crate::accounts::settle_shared_waivers`]), each account's findings
    /// counted, and everything listed by account.
    pub(super) fn settle(&mut self) {
        crate::accounts::settle_shared_waivers(&mut self.findings, &self.waived);
        crate::accounts::recount(&mut self.runs, &self.findings);
        self.by_account();
    }

    /// Listed by account: accounts end (and shards are given) in any order,
    /// and each account's findings keep their own order.
    fn by_account(&mut self) {
        self.runs.sort_by(|a, b| a.id.cmp(&b.id));
        self.findings
            .sort_by(|a, b| a.resource.account().cmp(b.resource.account()));
        self.waived.sort_by(|a, b| {
            a.finding
                .resource
                .account()
                .cmp(b.finding.resource.account())
        });
        self.sources.sort_by(|a, b| a.account.cmp(&b.account));
    }
}

/// The baseline and what the source observed, judged.
struct Judged {
    baseline_path: String,
    /// What each source was (one per account read).
    sources: Vec<SourceInfo>,
    /// Whether the sources are whole (no deferred change, every account read).
    complete: bool,
    outcome: Outcome,
    /// With `--accounts` or `--org`: how each account ended.
    accounts: Option<Vec<crate::accounts::AccountRun>>,
    /// With `--cloudtrail`: the events read.
    events: Option<crate::sources::cloudtrail::LogRead>,
    /// With `--terraform-dir`: where the resources are declared.
    declarations: Option<crate::declaration::Declarations>,
    /// The account judged: the one the source read, else the baseline's
    /// `account.id` (a plan does not say it).
    account: Option<String>,
}

impl Judged {
    /// 2 when an account was not read (said on standard error, after the
    /// report is written), else by the findings.
    fn exit_code(&self, fail_on: crate::finding::Severity) -> u8 {
        if let Some(runs) = &self.accounts {
            let unread: Vec<String> = runs
                .iter()
                .filter(|r| {
                    !matches!(
                        r.status,
                        crate::accounts::Status::Read | crate::accounts::Status::Skipped
                    )
                })
                .map(|r| {
                    format!(
                        "- account {}: {}{}",
                        r.label(),
                        r.status,
                        r.reason
                            .as_deref()
                            .map(|w| format!(": {w}"))
                            .unwrap_or_default()
                    )
                })
                .collect();
            if !unread.is_empty() {
                #[allow(clippy::print_stderr)]
                {
                    eprintln!(
                        "error: {} of {} accounts were not read completely; what was read is reported, and the run fails:\n{}",
                        unread.len(),
                        runs.len(),
                        unread.join("\n")
                    );
                }
                return 2;
            }
        }
        let unjudged: std::collections::BTreeSet<&str> = self
            .outcome
            .findings
            .iter()
            .filter(|f| f.rule == crate::identity::RuleId::PROVIDER_UNJUDGED)
            .map(|f| f.resource.name().map_or("", crate::identity::Name::as_str))
            .collect();
        if !unjudged.is_empty() {
            #[allow(clippy::print_stderr)]
            {
                eprintln!(
                    "error: resources of provider {} are not judged (their account cannot be told, or no baseline of the run is for it); they are reported, and the run fails",
                    unjudged
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            return 2;
        }
        check::exit_code(&self.outcome.findings, fail_on)
    }

    /// Per finding, the CloudTrail events that explain it (none older than
    /// `since`); `None` without `--cloudtrail`.
    fn attribution(&self, since: Option<i64>) -> Option<Vec<Option<Attribution<'_>>>> {
        let read = self.events.as_ref()?;
        if self.accounts.is_some() {
            // Findings are listed by account: each account's are explained by
            // its own events only.
            let findings = &self.outcome.findings;
            let mut out = Vec::with_capacity(findings.len());
            let mut start = 0;
            while start < findings.len() {
                let account = findings[start].resource.account();
                let end = findings[start..]
                    .iter()
                    .position(|f| f.resource.account() != account)
                    .map_or(findings.len(), |n| start + n);
                out.extend(attribute(
                    &findings[start..end],
                    &read.events,
                    since,
                    Some(account),
                ));
                start = end;
            }
            return Some(out);
        }
        let accounts = crate::events::attribute::accounts_of(&read.events);
        if self.account.is_none() && accounts.len() > 1 {
            #[allow(clippy::print_stderr)]
            {
                eprintln!(
                    "note: the CloudTrail events come from {} accounts ({}) and nothing says which \
one this source is: no finding is attributed (declare `account.id` in the baseline)",
                    accounts.len(),
                    accounts.join(", ")
                );
            }
        }
        Some(attribute(
            &self.outcome.findings,
            &read.events,
            since,
            self.account.as_deref(),
        ))
    }
}

/// A plan or a state read into parts, with what it says of itself.
type Parts = Result<(Vec<crate::sources::terraform::Part>, PlanInfo), Error>;

/// The plan or state a run judges, when it can be read while the baseline is:
/// on two cores a run then waits for the larger of the two, not their sum.
/// Only a regular file is read early: standard input, a terminal or a pipe
/// (`/dev/stdin`, a FIFO) is read in its turn, so that a run that fails on
/// its baseline does not wait for a plan typed at a terminal or a writer that
/// never comes; and so is a run whose command line is refused before the plan
/// would be read.
fn read_early(args: &JudgeArgs) -> Option<(&str, bool, ProviderAccounts)> {
    if args.live.live || args.live.accounts.org {
        return None;
    }
    let (spec, is_state) = match (&args.plan, &args.state) {
        (Some(spec), None) => (spec, false),
        (None, Some(spec)) => (spec, true),
        _ => return None,
    };
    let regular = std::fs::metadata(spec).is_ok_and(|m| m.is_file());
    if spec == "-" || !regular {
        return None;
    }
    let given = super::providers::given(args).ok()?;
    Some((spec.as_str(), is_state, given))
}

/// Reads the plan or state at `spec` into parts; every key of
/// `--provider-account` must name one of its configurations.
fn read_parts(spec: &str, is_state: bool, given: &ProviderAccounts) -> Parts {
    if is_state {
        let state = super::inputs::load_state_with(spec, given)?;
        super::providers::check_keys(given, &state.provider_keys, "state")?;
        let info = state.info();
        Ok((state.parts, info))
    } else {
        let plan = super::inputs::load_plan_with(spec, given)?;
        super::providers::check_keys(given, &plan.provider_keys, "plan")?;
        let info = plan.info.clone();
        Ok((plan.into_parts(), info))
    }
}

fn judge(args: &JudgeArgs) -> Result<Judged, Error> {
    std::thread::scope(|scope| {
        let mut early = read_early(args)
            .map(|(spec, is_state, given)| scope.spawn(move || read_parts(spec, is_state, &given)));
        let read = || -> Option<Parts> {
            let handle = early.take()?;
            Some(
                handle
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p)),
            )
        };
        let judged = judge_reading(args, read);
        // A run refused before the plan was wanted says why; what the early
        // read found (even a fault of the reader) is not said over it.
        if let Some(handle) = early.take() {
            let _ = handle.join();
        }
        judged
    })
}

/// Judges what the command line names; `read` gives the plan or state read
/// early, if it was.
fn judge_reading(args: &JudgeArgs, read: impl FnOnce() -> Option<Parts>) -> Result<Judged, Error> {
    let baseline = load_baseline(&args.baseline)?;
    let proposed = args
        .proposed_baseline
        .as_ref()
        .map(|path| load_baseline(path).map(|b| (b, path.display().to_string())))
        .transpose()?;
    let declarations = args
        .terraform_dir
        .as_deref()
        .map(|dir| super::inputs::declarations(args.plan.as_deref(), dir))
        .transpose()?;
    if args.live.accounts.several()
        && args.cloudtrail.as_deref() == Some(std::path::Path::new("lookup"))
    {
        // LookupEvents answers for the account of the credentials it is
        // called with: the other accounts' findings would read as searched.
        return Err(Failure::new(
            "`--cloudtrail lookup` reads the events of the run's own account only, not those of the accounts of `--accounts` or `--org`",
        )
        .help("give the organization trail's logs (`--cloudtrail DIR`, `AWSLogs/o-ORGID/ACCOUNT/…`), whose records name each account")
        .into());
    }
    let events = args
        .cloudtrail
        .as_deref()
        .map(|src| {
            super::events::load(&super::events::Wanted {
                src,
                profile: args.live.profile.as_deref(),
                window: (None, None),
                timeout: args.live.deadline(),
            })
        })
        .transpose()?;
    let baseline_path = args
        .baseline_name
        .clone()
        .unwrap_or_else(|| args.baseline.display().to_string());
    let now = super::events::now();
    if !args.provider_account.is_empty() && args.plan.is_none() && args.state.is_none() {
        return Err(Failure::new(
            "`--provider-account` names the accounts of a plan's or a state's provider configurations: give it with `--plan` or `--state`",
        )
        .into());
    }
    let files = match (&args.plan, &args.state) {
        (Some(spec), None) => Some((spec, false)),
        (None, Some(spec)) => Some((spec, true)),
        (Some(_), Some(_)) => {
            return Err(Failure::new(
                "give either `--plan` or `--live` (or `--state`): one source at a time",
            )
            .into())
        }
        (None, None) => None,
    };
    if let (Some((spec, is_state)), false) = (files, args.live.live || args.live.accounts.org) {
        let parts = match read() {
            Some(parts) => parts,
            None => read_parts(spec, is_state, &super::providers::given(args)?),
        };
        let judged = judge_parts(
            args,
            parts?,
            spec,
            &baseline,
            proposed,
            baseline_path,
            events,
            declarations,
            now,
        );
        // Not freed, as below: the process ends soon.
        std::mem::forget(baseline);
        return judged;
    }
    if args.live.accounts.several() {
        if args.plan.is_some() || args.state.is_some() {
            return Err(Failure::new(
                "`--org` reads live accounts, and `--accounts` a plan's, a state's or the live ones: give no `--plan` or `--state` with `--org` or `--live`",
            )
            .into());
        }
        let several = super::accounts::judge_accounts(&args.live, &baseline, &baseline_path, now)?;
        let complete = crate::accounts::all_read(&several.runs);
        let mut outcome = Outcome {
            findings: several.findings,
            out_of_scope: several.out_of_scope,
            waived: several.waived,
        };
        if let Some((proposed, path)) = &proposed {
            check::add_proposed(&mut outcome, &baseline, proposed, path);
        }
        std::mem::forget(baseline);
        return Ok(Judged {
            baseline_path,
            sources: several.sources,
            complete,
            outcome,
            accounts: Some(several.runs),
            events,
            declarations,
            account: None,
        });
    }
    let observation = observe(
        args.plan.as_deref(),
        args.state.as_deref(),
        &args.live,
        &baseline,
    )?;
    check::guard_account(&baseline, &observation).map_err(|e| {
        let f = Failure::new(e.to_string());
        if e.read.is_some() {
            f.help("use the profile or role of the baseline's account")
        } else {
            f
        }
    })?;
    let mut outcome = check::judge_at(&baseline, &observation, Some(now));
    if let Some((proposed, path)) = &proposed {
        check::add_proposed(&mut outcome, &baseline, proposed, path);
    }
    let account = observation.state.account_id.clone().or_else(|| {
        baseline
            .account
            .as_ref()
            .and_then(|a| a.id.as_ref())
            .map(|id| id.value.clone())
    });
    // The process ends soon: freeing a large plan's state piece by piece would
    // only cost time (a tenth of a run on a 100 MB plan).
    std::mem::forget(baseline);
    let (complete, info) = super::providers::release(observation);
    let sources = vec![info];
    Ok(Judged {
        baseline_path,
        sources,
        complete,
        outcome,
        accounts: None,
        events,
        declarations,
        account,
    })
}

/// A plan, judged by the accounts of its providers.
#[allow(clippy::too_many_arguments)]
fn judge_parts(
    args: &JudgeArgs,
    (parts, info): (Vec<crate::sources::terraform::Part>, PlanInfo),
    spec: &str,
    baseline: &crate::baseline::Baseline,
    proposed: Option<(crate::baseline::Baseline, String)>,
    baseline_path: String,
    events: Option<crate::sources::cloudtrail::LogRead>,
    declarations: Option<crate::declaration::Declarations>,
    now: i64,
) -> Result<Judged, Error> {
    let judged = super::providers::judge_plan(
        parts,
        &info,
        spec,
        args.live.accounts.accounts.as_deref(),
        baseline,
        &baseline_path,
        now,
    )?;
    let mut outcome = judged.outcome;
    if let Some((proposed, path)) = &proposed {
        check::add_proposed(&mut outcome, baseline, proposed, path);
    }
    Ok(Judged {
        baseline_path,
        sources: judged.sources,
        complete: judged.complete,
        outcome,
        accounts: judged.runs,
        events,
        declarations,
        account: judged.account,
    })
}

/// What every renderer reads, for one judged source.
fn report_of<'a>(
    args: &JudgeArgs,
    judged: &'a Judged,
    trend: Option<&'a trend::Trend>,
    attribution: Option<&'a [Option<Attribution<'a>>]>,
) -> Report<'a> {
    Report {
        baseline_path: &judged.baseline_path,
        complete: judged.complete,
        accounts: judged.accounts.as_deref(),
        out_of_scope: judged.outcome.out_of_scope,
        fail_on: args.fail_on.severity(),
        trend,
        attribution,
        waived: &judged.outcome.waived,
        declarations: judged.declarations.as_ref(),
        ..Report::of(&judged.sources, &judged.outcome.findings)
    }
}

/// The renderer of a format of the command line; `human` as given.
fn rendered_as(format: Format, human: render::Format) -> render::Format {
    match format {
        Format::Json => render::Format::Json,
        Format::Sarif => render::Format::Sarif,
        Format::Markdown => render::Format::Markdown,
        Format::Github => render::Format::Github,
        Format::Human => human,
    }
}

pub(super) fn run_check(args: &CheckArgs) -> Result<u8, Error> {
    let judged = judge(&args.judge)?;
    let attribution = judged.attribution(None);
    let report = report_of(&args.judge, &judged, None, attribution.as_deref());
    let terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let format = rendered_as(
        args.format,
        render::Format::Human {
            color: terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            // Wrapped to the terminal (`COLUMNS` wins); logs and files are not.
            width: terminal.then(super::output::terminal_width).flatten(),
        },
    );
    emit_with(args.output.as_deref(), |w| {
        render::write(format, &report, w)
    })?;
    // The same judged run in other formats: the source is read once.
    for also in &args.also {
        let plain = render::Format::Human {
            color: false,
            width: None,
        };
        let format = rendered_as(also.format, plain);
        emit_with(Some(&also.path), |w| render::write(format, &report, w))?;
    }
    append_step_summary(&report)?;
    let code = judged.exit_code(args.judge.fail_on.severity());
    std::mem::forget(judged);
    Ok(code)
}

pub(super) fn run_report(args: &ReportArgs) -> Result<u8, Error> {
    let previous = match &args.previous {
        Some(path) => {
            let bytes = read_bounded(path, "the previous report", PREVIOUS_LIMIT)?;
            let text = String::from_utf8_lossy(&bytes);
            let past = render::json::read_previous(&text).map_err(|e| {
                Failure::new(format!(
                    "`{}` is not a drift JSON report: {e}",
                    path.display()
                ))
                .help("give the report.json of an earlier `drift report`")
            })?;
            let earlier = earlier_runs(path, &past)?;
            Some((past, earlier))
        }
        None => None,
    };
    let (previous, earlier) = match previous {
        Some((past, earlier)) => (Some(past), earlier),
        None => (None, History::default()),
    };
    let judged = if args.merge.is_empty() {
        judge(&args.judge)?
    } else {
        merged(args)?
    };
    let trend = previous
        .as_ref()
        .map(|past| trend::compare(&judged.outcome.findings, &past.findings));
    // Events from before the previous report explained that report already.
    let attribution = judged.attribution(previous.as_ref().and_then(|p| p.generated_at));
    let now = super::events::now();
    let generated_at = crate::time::rfc3339(now);
    // Each account read has a point in its own history; one not read has
    // none (no count to show).
    let read_accounts = judged
        .accounts
        .iter()
        .flatten()
        .filter(|r| r.status == crate::accounts::Status::Read)
        .map(|r| (r.id.clone(), r.findings));
    let history = History::extended(
        earlier.runs,
        Run::of(now, judged.outcome.findings.iter().map(|f| f.severity)),
    )
    .with_accounts(earlier.accounts, read_accounts);
    let report = Report {
        generated_at: Some(&generated_at),
        history: Some(&history),
        ..report_of(&args.judge, &judged, trend.as_ref(), attribution.as_deref())
    };
    // Written as they are made: JSON and the page stream into their files.
    let json = |w: &mut dyn std::io::Write| render::write(render::Format::Json, &report, w);
    let markdown = |w: &mut dyn std::io::Write| render::write(render::Format::Markdown, &report, w);
    let html = |w: &mut dyn std::io::Write| render::write(render::Format::Html, &report, w);
    let past =
        |w: &mut dyn std::io::Write| w.write_all(render::history::render(&history).as_bytes());
    emit_set(
        &args.out,
        &[
            ("report.json", &json),
            ("report.md", &markdown),
            ("report.html", &html),
            ("history.json", &past),
        ],
    )?;
    let code = judged.exit_code(args.judge.fail_on.severity());
    // One line: what was written, and the verdict.
    let (fail_on, total, failing) = (report.fail_on, report.findings.len(), report.failing());
    emit(
        None,
        &format!(
            "drift report: wrote report.json, report.md, report.html and history.json to `{}`: {total} finding{}, {failing} at or above {fail_on}\n",
            args.out.display(),
            if total == 1 { "" } else { "s" },
        ),
    )?;
    std::mem::forget(judged);
    Ok(code)
}

/// `drift report --merge DIR…`: the reports of the shards of a run over
/// several accounts, joined as one run over all of them. Every account is in
/// one report only, and all were judged against the same shared baseline.
fn merged(args: &ReportArgs) -> Result<Judged, Error> {
    let j = &args.judge;
    if j.plan.is_some()
        || j.state.is_some()
        || j.live.live
        || j.live.accounts.several()
        || j.cloudtrail.is_some()
    {
        return Err(Failure::new(
            "`--merge` joins reports already made: give it no source (`--plan`, `--state`, `--live`, `--accounts`, `--org`, `--cloudtrail`)",
        )
        .into());
    }
    let mut shards: Vec<(std::path::PathBuf, crate::sources::drift_report::Shard)> = Vec::new();
    for dir in &args.merge {
        let path = dir.join("report.json");
        let bytes = read_bounded(&path, "a report to merge", PREVIOUS_LIMIT)?;
        let text = String::from_utf8_lossy(&bytes);
        let shard = crate::sources::drift_report::read(&text).map_err(|e| {
            Failure::new(format!("`{}` cannot be merged: {e}", path.display()))
                .help("give the folders `drift report --accounts … --shard K/N --out DIR` wrote")
        })?;
        shards.push((path, shard));
    }
    let mut owner: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    let baseline = shards
        .first()
        .map(|(_, s)| s.baseline.clone())
        .unwrap_or_default();
    let mut several = Several {
        findings: Vec::new(),
        waived: Vec::new(),
        out_of_scope: 0,
        runs: Vec::new(),
        sources: Vec::new(),
    };
    for (path, shard) in shards {
        let here = path.display().to_string();
        if shard.baseline != baseline {
            return Err(Failure::new(format!(
                "`{here}` was judged against `{}`, the others against `{baseline}`: they are not shards of one run",
                shard.baseline
            ))
            .into());
        }
        for run in &shard.accounts {
            if let Some(other) = owner.insert(run.id.clone(), here.clone()) {
                return Err(Failure::new(format!(
                    "account {} is in `{other}` and in `{here}`: shards of one run never share an account",
                    run.id
                ))
                .help("give each shard's folder once, and the same `--shard K/N` split to every run")
                .into());
            }
        }
        several.findings.extend(shard.findings);
        several.waived.extend(shard.waived);
        several.out_of_scope += shard.out_of_scope;
        several.runs.extend(shard.accounts);
        several.sources.extend(shard.sources);
    }
    several.settle();
    Ok(Judged {
        baseline_path: baseline,
        sources: several.sources,
        complete: crate::accounts::all_read(&several.runs),
        outcome: Outcome {
            findings: several.findings,
            out_of_scope: several.out_of_scope,
            waived: several.waived,
        },
        accounts: Some(several.runs),
        events: None,
        declarations: None,
        account: None,
    })
}

/// The runs before this one: the `history.json` beside the previous report,
/// or, without one, the previous report itself as the only earlier run.
fn earlier_runs(
    previous: &std::path::Path,
    past: &render::json::Previous,
) -> Result<History, Error> {
    let beside = previous.parent().map_or_else(
        || std::path::PathBuf::from("history.json"),
        |d| d.join("history.json"),
    );
    if beside.is_file() {
        let bytes = read_bounded(&beside, "the previous history", PREVIOUS_LIMIT)?;
        let text = String::from_utf8_lossy(&bytes);
        return Ok(render::history::read(&text).map_err(|e| {
            Failure::new(format!(
                "`{}` is not a drift history: {e}",
                beside.display()
            ))
            .help("it is the history.json `drift report` writes beside report.json; move it away to start the history again")
        })?);
    }
    // A report of an earlier drift, without a history: one run, when it says
    // when it was made.
    Ok(History {
        runs: past
            .generated_at
            .map(|at| {
                Run::of(
                    at,
                    past.findings
                        .iter()
                        .filter_map(|f| crate::finding::Severity::parse(&f.severity)),
                )
            })
            .into_iter()
            .collect(),
        accounts: Default::default(),
    })
}
