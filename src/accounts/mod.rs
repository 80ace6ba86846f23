//! Several accounts in one run: which accounts, how each is reached, and how
//! each ended. Plain data, no I/O: the accounts file is parsed in [`file`],
//! the reads are made by the live source, the shell puts them together.

pub mod file;

use crate::finding::{Finding, Loc, Severity};

/// One account to read.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The 12-digit account id.
    pub id: String,
    /// A name for reports (the organization's account name).
    pub name: Option<String>,
    /// The role drift assumes in the account.
    pub role: Role,
    /// The external id the role's trust policy asks for. Never printed.
    pub external_id: Option<String>,
    /// The role session's name, which CloudTrail records.
    pub session_name: Option<String>,
    /// The account's own baseline file (relative paths are relative to the
    /// accounts file), merged over the shared one.
    pub baseline: Option<String>,
    /// The partition of the account (`aws`, `aws-us-gov`, `aws-cn`).
    pub partition: String,
    /// Where the accounts file declares it; `None` when discovered.
    pub loc: Option<Loc>,
}

/// Which role an account is read through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// A full role ARN.
    Arn(String),
    /// A role name, in the account's partition and id.
    Name(String),
    /// The run's `--role-name`.
    Default,
}

/// The role drift assumes in member accounts unless told otherwise: the one
/// AWS Organizations creates in every account it creates.
pub const DEFAULT_ROLE_NAME: &str = "OrganizationAccountAccessRole";

/// The session name drift gives its role sessions unless told otherwise:
/// CloudTrail records it, so that drift's own calls are told apart.
pub const DEFAULT_SESSION_NAME: &str = "iam-drift-guard";

impl Entry {
    /// An account found by discovery, read through the default role.
    pub fn discovered(id: &str, name: Option<&str>, partition: &str) -> Entry {
        Entry {
            id: id.to_string(),
            name: name.map(str::to_string),
            role: Role::Default,
            external_id: None,
            session_name: None,
            baseline: None,
            partition: partition.to_string(),
            loc: None,
        }
    }

    /// The ARN of the role to assume, with `default` for [`Role::Default`].
    pub fn role_arn(&self, default: &str) -> String {
        match &self.role {
            Role::Arn(arn) => arn.clone(),
            Role::Name(name) => role_arn(&self.partition, &self.id, name),
            Role::Default => role_arn(&self.partition, &self.id, default),
        }
    }
}

/// `arn:PARTITION:iam::ID:role/NAME`; a name with a path (`ops/drift`) keeps it.
pub fn role_arn(partition: &str, id: &str, name: &str) -> String {
    format!(
        "arn:{partition}:iam::{id}:role/{}",
        name.trim_start_matches('/')
    )
}

/// The partition of an ARN (`arn:aws-us-gov:…` gives `aws-us-gov`).
pub fn partition_of(arn: &str) -> Option<&str> {
    let mut parts = arn.split(':');
    (parts.next() == Some("arn"))
        .then(|| parts.next())
        .flatten()
        .filter(|p| !p.is_empty())
}

/// Whether `id` is an AWS account id: twelve digits.
pub fn is_account_id(id: &str) -> bool {
    id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit())
}

/// How the read of one account ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Read completely and judged.
    Read,
    /// Some sections could not be read: not judged.
    Partial,
    /// The role could not be assumed, or the credentials read another account.
    Denied,
    /// IAM kept throttling the account's calls after the retries.
    Throttled,
    /// The account's deadline or the run's passed before its read ended.
    Timeout,
    /// Not read on purpose: suspended, or excluded by a filter or shard.
    Skipped,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Read,
        Status::Partial,
        Status::Denied,
        Status::Throttled,
        Status::Timeout,
        Status::Skipped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Read => "read",
            Status::Partial => "partial",
            Status::Denied => "denied",
            Status::Throttled => "throttled",
            Status::Timeout => "timeout",
            Status::Skipped => "skipped",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

/// One account's part of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountRun {
    pub id: String,
    pub name: Option<String>,
    pub status: Status,
    /// Why it is not `read`, in one line; the unread sections for `partial`.
    pub reason: Option<String>,
    /// The sections not read (`partial`, `throttled`, `timeout`).
    pub unread: Vec<String>,
    /// The API calls made for it, AssumeRole included.
    pub calls: usize,
    /// How long its read took, in seconds.
    pub seconds: f64,
    /// Its findings by severity, most severe first (as [`Severity::ALL`]).
    pub findings: [usize; 5],
    /// The baseline files it was judged against, shared one first.
    pub baselines: Vec<String>,
}

/// How a fix names the account it is made in: the first line of its help.
pub const FIX_IN: &str = "account: ";

impl AccountRun {
    /// An account read and judged against `baselines` (the shared file
    /// first); its calls, time and counts are filled in later.
    pub fn read(id: &str, name: Option<String>, baselines: Vec<String>) -> AccountRun {
        AccountRun {
            id: id.to_string(),
            name,
            status: Status::Read,
            reason: None,
            unread: Vec::new(),
            calls: 0,
            seconds: 0.0,
            findings: [0; 5],
            baselines,
        }
    }

    /// Puts a finding of this account's judgment in it: its resource in the
    /// account, and its fix made there (with the account's role).
    pub fn place(&self, f: &mut Finding) {
        f.resource = f.resource.clone().in_account(self.id.as_str());
        f.help = format!("{FIX_IN}{}\n{}", self.label(), f.help);
    }

    /// How the account's name reads in a report: `name (id)` or the id.
    pub fn label(&self) -> String {
        match &self.name {
            Some(n) if !n.is_empty() => format!("{n} ({})", self.id),
            _ => self.id.clone(),
        }
    }
}

/// The accounts of a run by status, in [`Status::ALL`] order, without the
/// statuses no account has.
pub fn by_status(runs: &[AccountRun]) -> Vec<(Status, usize)> {
    Status::ALL
        .into_iter()
        .map(|s| (s, runs.iter().filter(|r| r.status == s).count()))
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// Whether every account of a run was read (none partial, denied, throttled,
/// timed out or skipped for a fault): the run is then whole. Accounts skipped
/// on purpose (suspended, excluded) do not make it partial.
pub fn all_read(runs: &[AccountRun]) -> bool {
    runs.iter()
        .all(|r| matches!(r.status, Status::Read | Status::Skipped))
}

/// A stable split of accounts into `n` shards: account `id` is in shard
/// `shard_of(id, n)` (1-based), whatever the other accounts or their order.
pub fn shard_of(id: &str, n: u32) -> u32 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in id.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    (hash % u64::from(n.max(1))) as u32 + 1
}

/// Over several accounts, a waiver of the shared baseline (file 0) is the
/// run's, not each account's: it is used when it hid a finding in any
/// account, and reported once (in no account) when it is expired or used
/// nowhere, instead of once per account judged. Waivers of an account's own
/// file stay that account's.
pub fn settle_shared_waivers(findings: &mut Vec<Finding>, waived: &[crate::triage::Waived]) {
    use crate::identity::RuleId;
    // A waiver is known by its place in the shared file (merged shard
    // reports keep lines and columns, not offsets).
    let used: std::collections::HashSet<(u32, u32)> = waived
        .iter()
        .filter(|w| w.waiver_location.file == 0)
        .map(|w| (w.waiver_location.line, w.waiver_location.column))
        .collect();
    let mut seen = std::collections::HashSet::new();
    findings.retain_mut(|f| {
        if f.rule != RuleId::WAIVER_UNUSED && f.rule != RuleId::WAIVER_EXPIRED {
            return true;
        }
        let Some(loc) = f.baseline_location.filter(|l| l.file == 0) else {
            return true;
        };
        if f.rule == RuleId::WAIVER_UNUSED && used.contains(&(loc.line, loc.column)) {
            return false;
        }
        if !seen.insert((f.rule, loc.line, loc.column)) {
            return false;
        }
        f.resource = f.resource.clone().in_account("");
        // Its fix is in the shared file, not in one account.
        if let Some(rest) = f.help.strip_prefix(FIX_IN).and_then(|h| h.split_once('\n')) {
            f.help = rest.1.to_string();
        }
        true
    });
}

/// Counts each account's findings into its run, in one pass.
pub fn recount(runs: &mut [AccountRun], findings: &[Finding]) {
    let mut by: std::collections::HashMap<&str, [usize; 5]> = std::collections::HashMap::new();
    for f in findings {
        if let Some(i) = Severity::ALL.iter().position(|s| *s == f.severity) {
            by.entry(f.resource.account()).or_default()[i] += 1;
        }
    }
    for run in runs {
        run.findings = by.get(run.id.as_str()).copied().unwrap_or_default();
    }
}
