//! The shell around the core: files, standard streams, terminal, exit codes.

// Errors end the command; their size on the way out does not matter.
#![allow(clippy::result_large_err)]

use crate::baseline::{self, Baseline};
use crate::check;
use crate::cli::{CheckArgs, Cli, Command, Format, InitArgs, JudgeArgs, ReportArgs};
use crate::render::{self, Report, SourceInfo};
use crate::rules;
use crate::sources::live;
use crate::sources::plan::{self, Plan, PlanError};
use crate::trend;
use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};
use std::fmt;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// An error that ends the command with exit code 2.
#[derive(Debug)]
pub struct Failure {
    message: String,
    help: Option<String>,
    source: Option<NamedSource<String>>,
    span: Option<(usize, usize)>,
}

impl Failure {
    fn new(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            help: None,
            source: None,
            span: None,
        }
    }
    fn help(mut self, help: impl Into<String>) -> Failure {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

impl Diagnostic for Failure {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (offset, len) = self.span?;
        self.source.as_ref()?;
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some("here".to_string()),
            offset,
            len,
        ))))
    }
}

enum Error {
    Baseline(baseline::BaselineErrors),
    Failure(Failure),
}

impl From<Failure> for Error {
    fn from(f: Failure) -> Error {
        Error::Failure(f)
    }
}

// The one place that prints diagnostics.
#[allow(clippy::print_stderr)]
fn report_error(err: Error) -> ExitCode {
    let report = match err {
        Error::Baseline(e) => miette::Report::new(e),
        Error::Failure(f) => miette::Report::new(f),
    };
    eprintln!("{report:?}");
    ExitCode::from(2)
}

/// Diagnostics: wrapped and colored for a terminal; one line per message and no
/// color for logs and pipes (and whenever NO_COLOR is set).
fn install_diagnostics() {
    let terminal = std::io::stderr().is_terminal();
    let color = terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let _ = miette::set_hook(Box::new(move |_| {
        Box::new(
            miette::MietteHandlerOpts::new()
                .wrap_lines(terminal)
                .color(color)
                .terminal_links(false)
                .build(),
        )
    }));
}

pub fn run(cli: Cli) -> ExitCode {
    install_diagnostics();
    let result = match cli.command {
        Command::Check(args) => run_check(&args),
        Command::Report(args) => run_report(&args),
        Command::Init(args) => run_init(&args),
        Command::Validate { file } => run_validate(&file),
        Command::Rules { id } => run_rules(id.as_deref()),
        Command::Schema => emit(None, baseline::schema::SCHEMA)
            .map(|()| 0)
            .map_err(Error::from),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => report_error(err),
    }
}

fn read_file(path: &Path, what: &str) -> Result<Vec<u8>, Failure> {
    std::fs::read(path)
        .map_err(|e| Failure::new(format!("cannot read {what} `{}`: {e}", path.display())))
}

fn load_baseline(path: &Path) -> Result<Baseline, Error> {
    let bytes = read_file(path, "the baseline")
        .map_err(|f| f.help("`--baseline FILE` names another file; `drift init` writes one"))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Failure::new(format!(
            "the baseline `{}` is not UTF-8 text",
            path.display()
        ))
    })?;
    baseline::parse(&path.display().to_string(), &text).map_err(Error::Baseline)
}

/// Files larger than this are not quoted in error messages.
const QUOTE_LIMIT: usize = 1 << 20;

fn load_plan(spec: &str) -> Result<(Plan, SourceInfo), Error> {
    let (bytes, name) = if spec == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| Failure::new(format!("cannot read the plan from standard input: {e}")))?;
        (buf, "<stdin>".to_string())
    } else {
        (read_file(Path::new(spec), "the plan")?, spec.to_string())
    };
    let plan = plan::read(&bytes).map_err(|e| plan_failure(&e, &name, &bytes))?;
    let info = SourceInfo {
        kind: "plan",
        path: Some(spec.to_string()),
        terraform_version: plan.info.terraform_version.clone(),
        format_version: plan.info.format_version.clone(),
    };
    Ok((plan, info))
}

fn plan_failure(e: &PlanError, name: &str, bytes: &[u8]) -> Failure {
    let mut f = Failure::new(match e.position() {
        Some((line, column)) => format!("{name}:{line}:{column}: {e}"),
        None => format!("{name}: {e}"),
    })
    .help(e.help());
    if let (Some((line, column)), true) = (e.position(), bytes.len() <= QUOTE_LIMIT) {
        if let Ok(text) = std::str::from_utf8(bytes) {
            let offset = offset_of(text, line, column);
            f.span = Some((offset, 0));
            f.source = Some(NamedSource::new(name, text.to_string()));
        }
    }
    f
}

/// The byte offset of a 1-based line and column (serde_json columns count bytes).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
}

/// Reads the live account; every unread section is an error (exit 2).
fn read_live(args: &crate::cli::LiveArgs) -> Result<(crate::state::IamState, SourceInfo), Error> {
    use aws_config::meta::region::RegionProviderChain;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::new(format!("cannot start the async runtime: {e}")))?;
    let terminal = std::io::stderr().is_terminal();
    #[allow(clippy::print_stderr)]
    let progress = move |done: usize, total: usize| {
        if terminal && (done % 25 == 0 || done == total) {
            eprint!("\rreading SSH keys of users: {done}/{total}");
            if done == total {
                eprintln!();
            }
        }
    };
    let result = runtime.block_on(async {
        // IAM is global; requests are signed for us-east-1 unless told otherwise.
        let region =
            RegionProviderChain::first_try(args.region.clone().map(aws_config::Region::new))
                .or_default_provider()
                .or_else(aws_config::Region::new("us-east-1"));
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(region)
            .retry_config(aws_config::retry::RetryConfig::adaptive().with_max_attempts(5))
            .timeout_config(
                aws_config::timeout::TimeoutConfig::builder()
                    .connect_timeout(std::time::Duration::from_secs(5))
                    .operation_attempt_timeout(std::time::Duration::from_secs(30))
                    .build(),
            );
        if let Some(profile) = &args.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(url) = &args.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        let config = loader.load().await;
        let client = aws_sdk_iam::Client::new(&config);
        live::read(&client, usize::from(args.concurrency), &progress).await
    });
    match result {
        Ok(read) => {
            if args.stats {
                print_stats(&read.calls);
            }
            Ok((
                read.state,
                SourceInfo {
                    kind: "live",
                    path: None,
                    terraform_version: None,
                    format_version: None,
                },
            ))
        }
        Err(unread) => {
            let list: Vec<String> = unread.iter().map(|u| format!("- {u}")).collect();
            let actions: Vec<&str> = unread.iter().map(|u| u.action).collect();
            Err(Failure::new(format!(
                "the live account was not read completely, so nothing is reported:\n{}",
                list.join("\n")
            ))
            .help(format!(
                "the credentials need {} (examples/iam-readonly-policy.json lists every action drift calls)",
                actions.join(", ")
            ))
            .into())
        }
    }
}

#[allow(clippy::print_stderr)]
fn print_stats(calls: &std::collections::BTreeMap<&'static str, usize>) {
    let total: usize = calls.values().sum();
    eprintln!("API calls: {total}");
    for (op, n) in calls {
        eprintln!("  {op}: {n}");
    }
}

/// A live read of another account than the baseline's stops before comparing.
fn guard_account(baseline: &Baseline, state: &crate::state::IamState) -> Result<(), Error> {
    let Some(want) = baseline.account.as_ref().and_then(|a| a.id.as_ref()) else {
        return Ok(());
    };
    match &state.account_id {
        Some(id) if *id == want.value => Ok(()),
        Some(id) => Err(Failure::new(format!(
            "these credentials read account {id}, the baseline is for account {}",
            want.value
        ))
        .help("use the profile or role of the baseline's account")
        .into()),
        None => Err(Failure::new(format!(
            "cannot tell which account was read (it has no IAM object with an ARN); the baseline is for account {}",
            want.value
        ))
        .into()),
    }
}

/// The baseline and the plan a check or a report reads, and the outcome.
fn judge(args: &JudgeArgs) -> Result<(Baseline, Plan, SourceInfo, check::Outcome), Error> {
    let (plan, live) = (args.plan.as_deref(), &args.live);
    let baseline = load_baseline(&args.baseline)?;
    if live.live {
        if plan.is_some() {
            return Err(Failure::new("give either `--plan` or `--live`, not both").into());
        }
        let (state, info) = read_live(live)?;
        guard_account(&baseline, &state)?;
        let outcome = check::check_state(&baseline, &state);
        return Ok((baseline, Plan::default(), info, outcome));
    }
    let Some(plan_spec) = plan else {
        return Err(Failure::new("nothing to check against")
            .help("give `--plan plan.json` (or `--plan -` for standard input)")
            .into());
    };
    let (plan, info) = load_plan(plan_spec)?;
    let outcome = check::check_plan(&baseline, &plan);
    Ok((baseline, plan, info, outcome))
}

/// What every renderer reads, for one judged source.
fn report_of<'a>(
    args: &JudgeArgs,
    baseline_path: &'a str,
    sources: &'a [SourceInfo],
    outcome: &'a check::Outcome,
    trend: Option<&'a trend::Trend>,
) -> Report<'a> {
    Report {
        baseline_path,
        complete: true,
        sources,
        out_of_scope: outcome.out_of_scope,
        findings: &outcome.findings,
        fail_on: args.fail_on.severity(),
        trend,
    }
}

fn run_check(args: &CheckArgs) -> Result<u8, Error> {
    let (baseline, plan, info, outcome) = judge(&args.judge)?;
    let baseline_path = args.judge.baseline.display().to_string();
    let sources = [info];
    let report = report_of(&args.judge, &baseline_path, &sources, &outcome, None);
    let text = match args.format {
        Format::Json => render::json::render(&report),
        Format::Sarif => render::sarif::render(&report),
        Format::Markdown => render::markdown::render(&report),
        Format::Github => render::github::render(&report),
        Format::Human => {
            let color = args.output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            render::human::render(&report, color)
        }
    };
    emit(args.output.as_deref(), &text)?;
    append_step_summary(&report)?;
    let code = check::exit_code(&outcome.findings, args.judge.fail_on.severity());
    // The process ends here: freeing a large plan's state piece by piece would
    // only cost time (a tenth of a run on a 100 MB plan).
    std::mem::forget((plan, baseline, outcome));
    Ok(code)
}

fn run_report(args: &ReportArgs) -> Result<u8, Error> {
    let previous = match &args.previous {
        Some(path) => {
            let bytes = read_file(path, "the previous report")?;
            let text = String::from_utf8_lossy(&bytes);
            let past = render::json::read_previous(&text).map_err(|e| {
                Failure::new(format!(
                    "`{}` is not a drift JSON report: {e}",
                    path.display()
                ))
                .help("give the report.json of an earlier `drift report`")
            })?;
            Some(past)
        }
        None => None,
    };
    let (baseline, plan, info, outcome) = judge(&args.judge)?;
    let trend = previous.map(|past| trend::compare(&outcome.findings, &past));
    let baseline_path = args.judge.baseline.display().to_string();
    let sources = [info];
    let report = report_of(
        &args.judge,
        &baseline_path,
        &sources,
        &outcome,
        trend.as_ref(),
    );
    let files = [
        ("report.json", render::json::render(&report)),
        ("report.md", render::markdown::render(&report)),
        ("report.html", render::html::render(&report)),
    ];
    std::fs::create_dir_all(&args.out)
        .map_err(|e| Failure::new(format!("cannot create `{}`: {e}", args.out.display())))?;
    for (name, text) in &files {
        emit(Some(&args.out.join(name)), text)?;
    }
    let code = check::exit_code(&outcome.findings, args.judge.fail_on.severity());
    std::mem::forget((plan, baseline, outcome));
    Ok(code)
}

/// In a GitHub Actions job, the markdown summary is appended to the job summary.
fn append_step_summary(report: &Report) -> Result<(), Failure> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let text = render::markdown::render(report);
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| {
            Failure::new(format!(
                "cannot append to the job summary `{}`: {e}",
                Path::new(&path).display()
            ))
        })
}

fn run_init(args: &InitArgs) -> Result<u8, Error> {
    if args.live.live {
        let (state, _) = read_live(&args.live)?;
        let header = format!(
            "# Written by `drift init --live`: the IAM configuration of account {} as it is.\n\
# Stable ids let a later check tell a rename from a removal. Review before committing.\n",
            state.account_id.as_deref().unwrap_or("(unknown)")
        );
        write_baseline(&state, &header, args.output.as_deref())?;
        return Ok(0);
    }
    let Some(plan_spec) = &args.plan else {
        return Err(Failure::new("nothing to read a baseline from")
            .help("give `--plan plan.json`")
            .into());
    };
    let (plan, _) = load_plan(plan_spec)?;
    let header = format!(
        "# Written by `drift init --plan {plan_spec}`: the IAM state this plan leaves behind.\n\
# Values known only after apply are left out (not guarded). Review before committing.\n"
    );
    write_baseline(&plan.state, &header, args.output.as_deref())?;
    Ok(0)
}

fn write_baseline(
    state: &crate::state::IamState,
    header: &str,
    output: Option<&Path>,
) -> Result<(), Error> {
    let text = baseline::write::from_state(state, header)
        .map_err(|e| Failure::new(format!("cannot write the baseline: {e}")))?;
    // What is written must read back: never hand out a baseline that fails validation.
    if let Err(errors) = baseline::parse("<generated>", &text) {
        return Err(Failure::new(format!(
            "the generated baseline does not validate (please report this): {}",
            errors.lines().join("; ")
        ))
        .into());
    }
    emit(output, &text)?;
    Ok(())
}

fn run_validate(file: &Path) -> Result<u8, Error> {
    let b = load_baseline(file)?;
    let text =
        format!(
        "{}: valid baseline ({} users, {} groups, {} roles, {} instance profiles, {} policies{})\n",
        file.display(),
        b.users.len(),
        b.groups.len(),
        b.roles.len(),
        b.instance_profiles.len(),
        b.policies.len(),
        if b.password_policy.is_some() { ", password policy" } else { "" }
    );
    emit(None, &text)?;
    Ok(0)
}

fn run_rules(id: Option<&str>) -> Result<u8, Error> {
    let text = match id {
        None => {
            let mut out = String::new();
            for r in rules::RULES {
                out.push_str(&format!(
                    "{:<28} {:<9} {}\n",
                    r.id,
                    r.severity.as_str(),
                    r.summary
                ));
            }
            out.push_str("\n`drift rules ID` explains one rule.\n");
            out
        }
        Some(id) => {
            let Some(r) = rules::find(id) else {
                let ids: Vec<&str> = rules::RULES.iter().map(|r| r.id).collect();
                let mut f = Failure::new(format!("unknown rule `{id}`"));
                f = match baseline::parse_suggest(id, &ids) {
                    Some(s) => f.help(format!("did you mean `{s}`?")),
                    None => f.help("`drift rules` lists every rule"),
                };
                return Err(f.into());
            };
            format!(
                "{id}  (default severity: {sev})\n\n{summary}.\n\nWhy it matters\n  {why}\n\n\
CloudTrail events behind it\n  {events}\n\nHow to fix it\n  console:   {console}\n  cli:       {cli}\n  terraform: {tf}\n",
                id = r.id,
                sev = r.severity,
                summary = capitalize(r.summary),
                why = r.why,
                events = r.events.join(", "),
                console = r.console,
                cli = r.cli,
                tf = r.terraform,
            )
        }
    };
    emit(None, &text)?;
    Ok(0)
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Writes to standard output, or to a file as a whole: a temporary file in the
/// same folder renamed over the target, so that nothing is ever written half.
fn emit(output: Option<&Path>, text: &str) -> Result<(), Failure> {
    match output {
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .or_else(|e| {
                    // A closed pipe (`drift rules | head`) is not an error.
                    if e.kind() == std::io::ErrorKind::BrokenPipe {
                        Ok(())
                    } else {
                        Err(e)
                    }
                })
                .map_err(|e| Failure::new(format!("cannot write to standard output: {e}")))
        }
        Some(path) => {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let file_name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let tmp: PathBuf = dir.join(format!(".{file_name}.drift-{}.tmp", std::process::id()));
            let result = std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, path));
            if result.is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
            result.map_err(|e| Failure::new(format!("cannot write `{}`: {e}", path.display())))
        }
    }
}
