//! What one source saw, in source-neutral terms: the engine judges this and never
//! a source's own types.

use crate::identity::ResourceId;
use crate::state::IamState;
use std::collections::{BTreeMap, BTreeSet};

/// What a source was, for the report header.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceInfo {
    /// `plan` or `live`.
    pub kind: &'static str,
    /// The plan file (`-` for standard input); none for live reads.
    pub path: Option<String>,
    pub terraform_version: Option<String>,
    pub format_version: Option<String>,
    /// For a live read: when AWS generated the credential report it used.
    pub credential_report: Option<ReportTime>,
    /// For a live read: the account read.
    pub account: Option<String>,
}

/// When the credential report was generated, against the start of the read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportTime {
    /// Seconds since the epoch; `None` when the answer did not say.
    pub generated: Option<i64>,
    pub read_started: i64,
}

impl ReportTime {
    /// Whether the report is older than the read: AWS hands back a report
    /// for up to four hours, so a change since then is not in it.
    pub fn stale(&self) -> bool {
        self.generated.is_none_or(|g| g < self.read_started)
    }

    /// One line for a report's header.
    pub fn describe(&self) -> String {
        match self.generated {
            None => "credential report of unknown age (console passwords, MFA and access keys read user by user)".to_string(),
            Some(g) if self.stale() => {
                let age = self.read_started - g;
                let (h, m) = (age / 3600, (age % 3600) / 60);
                format!(
                    "credential report generated {} ({h} h {m} min before the read: console passwords, MFA and access keys read user by user)",
                    crate::time::rfc3339(g)
                )
            }
            Some(g) => format!("credential report generated {} (during the read)", crate::time::rfc3339(g)),
        }
    }
}

/// Drift that the source saw happen outside its own change (Terraform's refresh):
/// the objects as refreshed, and for each object the fields that really changed.
#[derive(Debug, Clone, Default)]
pub struct Refresh {
    pub state: IamState,
    /// For each object (`user/alice`), the finding fields that changed.
    pub fields: BTreeMap<ResourceId, BTreeSet<String>>,
}

/// One source's view of the account. What it could not see is in the state
/// itself: a `None` field or section is out of scope, an incomplete collection
/// says nothing of the items it does not list.
#[derive(Debug, Clone)]
pub struct Observation {
    /// The state the source shows (for a plan: the state it leaves behind).
    pub state: IamState,
    /// Changes made outside the source's own change, when it reports them.
    pub refresh: Option<Refresh>,
    /// Whether the source reads a whole account and says which (`state.account_id`):
    /// the live account does, a plan does not.
    pub reads_account: bool,
    /// Whether the source itself is whole. A plan whose only deferred changes
    /// are not IAM is judged (its IAM part is whole) but is not complete.
    pub complete: bool,
    pub info: SourceInfo,
}
