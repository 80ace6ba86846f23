//! Command-line arguments.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "drift",
    version,
    about = "Guards an AWS account's IAM configuration against drift",
    long_about = "Compares the IAM baseline declared in baseline.yaml with a Terraform/OpenTofu plan \
(before apply) or with the live account (after apply), and reports what was removed, weakened, \
changed or added.\n\nExit codes: 0 no finding at or above --fail-on; 1 at least one; 2 usage \
error, invalid input or an incomplete read."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Compare the baseline with a plan or the live account
    Check(CheckArgs),
    /// Run a check and write report.json, report.md, report.html and history.json to a folder
    Report(ReportArgs),
    /// Write a baseline from what exists now
    Init(InitArgs),
    /// Check a baseline file; reports every error at once
    Validate {
        /// The baseline file
        #[arg(default_value = "baseline.yaml")]
        file: PathBuf,
    },
    /// List the rules, or explain one
    Rules {
        /// A rule id, such as password-policy-weakened
        id: Option<String>,
    },
    /// Print the JSON Schema of baseline.yaml, for editors
    Schema {
        /// The key-by-key reference in markdown instead (docs/baseline-reference.md)
        #[arg(long)]
        markdown: bool,
    },
    /// List the risky IAM changes in CloudTrail logs, classified with the rule ids
    Events(EventsArgs),
    /// Print a shell completion script (`drift completions bash > /etc/bash_completion.d/drift`)
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page in roff (`drift man | man -l -`), of drift or of one command
    Man {
        /// A command, such as check
        command: Option<String>,
    },
}

#[derive(Args, Debug)]
pub struct EventsArgs {
    /// A CloudTrail log file or folder: S3 delivery (`.json.gz`), EventBridge
    /// events, JSON lines or a JSON array; or `lookup` for CloudTrail's
    /// LookupEvents API (the last 90 days)
    #[arg(value_name = "SRC")]
    pub source: PathBuf,
    /// AWS shared config profile (with `lookup`)
    #[arg(long)]
    pub profile: Option<String>,
    /// Give up a lookup that has not finished after this many seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub timeout: u64,
    /// Only events at or after this time (RFC 3339, a date, or an age such as 7d or 12h)
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Only events before this time (same forms as --since)
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// A baseline: events that touch what it declares come first
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Output format (human, json or markdown)
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit 1 when a change is at or above this severity
    #[arg(long, value_enum, default_value_t = FailOn::Medium)]
    pub fail_on: FailOn,
}

#[derive(Args, Debug, Clone)]
pub struct LiveArgs {
    /// Read the live account through the AWS API
    #[arg(long)]
    pub live: bool,
    /// AWS shared config profile (live reads)
    #[arg(long)]
    pub profile: Option<String>,
    /// AWS region to sign requests for; IAM is global (live reads, default us-east-1)
    #[arg(long)]
    pub region: Option<String>,
    /// Endpoint URL of the IAM API (live reads)
    #[arg(long)]
    pub endpoint_url: Option<String>,
    /// Per-user reads in flight at once (live reads)
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: u16,
    /// API calls in flight at once over the whole run: every account, and
    /// STS and Organizations too (live reads; default `--concurrency` ×
    /// `--account-concurrency`)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=4096))]
    pub max_in_flight: Option<u16>,
    /// Print the number of API calls by operation to standard error (live reads)
    #[arg(long)]
    pub stats: bool,
    /// Give up a live read that has not finished after this many seconds
    /// (default 300; with `--accounts` or `--org`, the whole run's deadline,
    /// default 3600)
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub timeout: Option<u64>,
    #[command(flatten)]
    pub accounts: AccountsArgs,
}

impl LiveArgs {
    /// The run's budget of API calls in flight at once.
    pub fn in_flight(&self) -> usize {
        match self.max_in_flight {
            Some(n) => usize::from(n),
            None if self.accounts.several() => {
                usize::from(self.concurrency) * usize::from(self.accounts.account_concurrency)
            }
            None => usize::from(self.concurrency),
        }
    }

    /// The live read's deadline in seconds: the run's.
    pub fn deadline(&self) -> u64 {
        self.timeout
            .unwrap_or(if self.accounts.several() { 3600 } else { 300 })
    }
}

/// Several accounts in one run (live reads).
#[derive(Args, Debug, Clone)]
pub struct AccountsArgs {
    /// Read the accounts an accounts file lists, each through its role
    /// (implies `--live`)
    #[arg(long, value_name = "FILE", conflicts_with = "org")]
    pub accounts: Option<PathBuf>,
    /// Read every active account of the AWS organization, found with the
    /// Organizations API from the management account or a delegated
    /// administrator (implies `--live`)
    #[arg(long)]
    pub org: bool,
    /// The role assumed in each account that does not name its own
    #[arg(long, value_name = "NAME", default_value = crate::accounts::DEFAULT_ROLE_NAME)]
    pub role_name: String,
    /// The external id each account's role asks for (an account's own
    /// `external_id` wins)
    #[arg(long, value_name = "ID")]
    pub external_id: Option<String>,
    /// The role session name, which CloudTrail records for drift's calls
    #[arg(long, value_name = "NAME", default_value = crate::accounts::DEFAULT_SESSION_NAME)]
    pub session_name: String,
    /// With `--org`: only accounts under this organizational unit or root (repeatable)
    #[arg(long, value_name = "OU")]
    pub include_ou: Vec<String>,
    /// With `--org`: no account under this organizational unit (repeatable)
    #[arg(long, value_name = "OU")]
    pub exclude_ou: Vec<String>,
    /// Only this account (repeatable)
    #[arg(long, value_name = "ID")]
    pub include_account: Vec<String>,
    /// Not this account (repeatable)
    #[arg(long, value_name = "ID")]
    pub exclude_account: Vec<String>,
    /// Accounts read at once, each with `--concurrency` per-user reads
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub account_concurrency: u16,
    /// Give up an account whose read has not finished after this many seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub account_timeout: u64,
    /// Read only shard K of N (1-based): a stable split of the accounts by id,
    /// so that N runs side by side read every account once
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    pub shard: Option<(u32, u32)>,
}

impl AccountsArgs {
    /// Whether the run reads several accounts.
    pub fn several(&self) -> bool {
        self.accounts.is_some() || self.org
    }
}

fn parse_provider_account(text: &str) -> Result<(String, String), String> {
    let (key, id) = text
        .split_once('=')
        .ok_or_else(|| "expected KEY=ID, such as aws.prod=111122223333".to_string())?;
    let (key, id) = (key.trim(), id.trim());
    if key.is_empty() {
        return Err("the provider key is empty (`aws`, `aws.prod`)".to_string());
    }
    if !crate::accounts::is_account_id(id) {
        return Err(format!("`{id}` is not a 12-digit account id"));
    }
    Ok((key.to_string(), id.to_string()))
}

fn parse_shard(text: &str) -> Result<(u32, u32), String> {
    let (k, n) = text
        .split_once('/')
        .ok_or_else(|| "expected K/N, such as 2/8".to_string())?;
    let k: u32 = k
        .trim()
        .parse()
        .map_err(|_| format!("`{k}` is not a number"))?;
    let n: u32 = n
        .trim()
        .parse()
        .map_err(|_| format!("`{n}` is not a number"))?;
    if n == 0 || n > 10_000 || k == 0 || k > n {
        return Err(format!(
            "shard {k}/{n}: K must be from 1 to N, and N from 1 to 10000"
        ));
    }
    Ok((k, n))
}

/// What `check` and `report` judge, and when they fail.
#[derive(Args, Debug)]
pub struct JudgeArgs {
    /// The baseline file
    #[arg(long, default_value = "baseline.yaml")]
    pub baseline: PathBuf,
    /// The baseline as the change under review has it (a pull request's
    /// `baseline.yaml`, when `--baseline` is the base branch's): each entry it
    /// weakens, drops or adds is a `baseline-changed` finding
    #[arg(long, value_name = "FILE")]
    pub proposed_baseline: Option<PathBuf>,
    /// How reports name the `--baseline` file (its path in the repository when
    /// it was read from elsewhere, such as the base branch's copy)
    #[arg(long, value_name = "NAME")]
    pub baseline_name: Option<String>,
    /// The Terraform configuration the plan or state comes from (its root
    /// module): annotations (`--format github`) point at each resource's
    /// `resource` block in its `.tf` file
    #[arg(long, value_name = "DIR")]
    pub terraform_dir: Option<PathBuf>,
    /// A plan in JSON (`terraform show -json plan.out`); `-` reads standard input
    #[arg(long, value_name = "FILE")]
    pub plan: Option<String>,
    /// A Terraform state: `terraform.tfstate`, or `terraform show -json`; `-` reads standard input
    #[arg(long, value_name = "FILE")]
    pub state: Option<String>,
    /// The account a provider configuration of the plan or state works in,
    /// by its key (`aws`, `aws.prod`, `module.net:aws`), where the plan does
    /// not say it (a state never does) (repeatable)
    #[arg(long, value_name = "KEY=ID", value_parser = parse_provider_account)]
    pub provider_account: Vec<(String, String)>,
    #[command(flatten)]
    pub live: LiveArgs,
    /// CloudTrail logs (a file or folder, or `lookup` for the LookupEvents API)
    /// to say who caused each finding
    #[arg(long, value_name = "SRC")]
    pub cloudtrail: Option<PathBuf>,
    /// Exit 1 when a finding is at or above this severity
    #[arg(long, value_enum, default_value_t = FailOn::Medium)]
    pub fail_on: FailOn,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub judge: JudgeArgs,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to this file instead of standard output
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write the same check in another format to a file (repeatable):
    /// `--also sarif=drift.sarif --also markdown=comment.md` reads the source once
    #[arg(long, value_name = "FORMAT=FILE", value_parser = parse_also)]
    pub also: Vec<Also>,
}

/// One more output of the same check: a format and the file it goes to.
#[derive(Debug, Clone)]
pub struct Also {
    pub format: Format,
    pub path: PathBuf,
}

fn parse_also(text: &str) -> Result<Also, String> {
    let (format, path) = text
        .split_once('=')
        .ok_or_else(|| "expected FORMAT=FILE, such as sarif=drift.sarif".to_string())?;
    let format = Format::from_str(format, true).map_err(|_| {
        format!("`{format}` is not a format: one of human, json, sarif, markdown, github")
    })?;
    if path.is_empty() {
        return Err("expected FORMAT=FILE: the file is missing".to_string());
    }
    Ok(Also {
        format,
        path: PathBuf::from(path),
    })
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    #[command(flatten)]
    pub judge: JudgeArgs,
    /// The folder to write report.json, report.md, report.html and history.json to
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The report.json of the last run: findings are marked new, persisting or resolved
    #[arg(long, value_name = "FILE")]
    pub previous: Option<PathBuf>,
    /// Join the reports of runs split with `--shard` (each folder holds a
    /// report.json) into one, instead of reading a source
    #[arg(long, value_name = "DIR", num_args = 1..)]
    pub merge: Vec<PathBuf>,
}

/// With `--accounts` or `--org`, `--output` is the shared file, and each
/// account's own file is its `baseline:` (with `--org`, beside it).
#[derive(Args, Debug)]
pub struct InitArgs {
    /// A plan in JSON; the baseline describes the state the plan leaves
    #[arg(long, value_name = "FILE")]
    pub plan: Option<String>,
    /// A Terraform state; the baseline describes what Terraform manages now
    #[arg(long, value_name = "FILE")]
    pub state: Option<String>,
    #[command(flatten)]
    pub live: LiveArgs,
    /// Write the baseline to this file instead of standard output
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace the `--output` file when it exists (a hand-written baseline and
    /// its comments are otherwise kept)
    #[arg(long)]
    pub force: bool,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning
    Sarif,
    /// A pull-request comment or job summary
    Markdown,
    /// GitHub workflow commands (inline annotations)
    Github,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    Critical,
    High,
    Medium,
    Low,
    Info,
}

impl FailOn {
    pub fn severity(self) -> crate::finding::Severity {
        use crate::finding::Severity;
        match self {
            FailOn::Critical => Severity::Critical,
            FailOn::High => Severity::High,
            FailOn::Medium => Severity::Medium,
            FailOn::Low => Severity::Low,
            FailOn::Info => Severity::Info,
        }
    }
}
