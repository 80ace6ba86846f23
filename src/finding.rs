//! Findings: plain data that every renderer reads.

use serde_json::Value;
use std::fmt;

/// How bad a finding is. Ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|sev| sev.as_str() == s)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A position in the baseline file (1-based line and column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Loc {
    pub line: u32,
    pub column: u32,
    pub offset: usize,
    pub len: usize,
}

/// Where the observed state came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A resource change in a plan.
    Plan {
        address: String,
        actions: Vec<String>,
    },
    /// Drift that Terraform itself saw while refreshing (`resource_drift`).
    Refresh { address: String },
    /// An object read from the live account.
    Live { arn: String },
}

impl Origin {
    pub fn plan(address: impl Into<String>, actions: &[&str]) -> Origin {
        Origin::Plan {
            address: address.into(),
            actions: actions.iter().map(|a| a.to_string()).collect(),
        }
    }

    /// The plan address or ARN, for people.
    pub fn label(&self) -> String {
        match self {
            Origin::Plan { address, actions } => format!("{address} ({})", actions.join(", ")),
            Origin::Refresh { address } => format!("{address} (terraform refresh)"),
            Origin::Live { arn } => arn.clone(),
        }
    }

    /// The plan creates the object (and does not replace it).
    pub fn is_create(&self) -> bool {
        matches!(self, Origin::Plan { actions, .. } if actions.len() == 1 && actions[0] == "create")
    }

    pub fn is_replacement(&self) -> bool {
        matches!(self, Origin::Plan { actions, .. }
            if actions.iter().any(|a| a == "delete") && actions.iter().any(|a| a == "create"))
    }
}

/// One difference between the baseline and what a source observed.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Stable rule id, `<kind>-<change>`.
    pub rule: &'static str,
    pub severity: Severity,
    /// Resource id such as `user/alice` or `password-policy`.
    pub resource: String,
    pub field: Option<String>,
    /// What the baseline declares (`null` when it declares nothing, e.g. unmanaged).
    pub expected: Value,
    /// What the source shows (`null` when absent).
    pub observed: Value,
    pub source: Origin,
    /// The baseline entry that declared what drifted.
    pub baseline_location: Option<Loc>,
    pub message: String,
    pub help: String,
    /// A unified diff of normalized policy documents, when two documents differ.
    pub diff: Option<String>,
    /// The IAM path of the object, for `settings.ignore` patterns such as
    /// `role:/aws-service-role/*`. Not part of the output.
    pub path: Option<String>,
}

impl Finding {
    /// A stable identity across runs: the same rule on the same resource and
    /// field has the same fingerprint, whatever the values or the message say.
    /// (FNV-1a, 64 bits, as 16 hex digits.)
    pub fn fingerprint(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let parts = [
            self.rule,
            self.resource.as_str(),
            self.field.as_deref().unwrap_or(""),
        ];
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                hash ^= 0xff;
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
            for byte in part.bytes() {
                hash ^= u64::from(byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
        format!("{hash:016x}")
    }

    /// A key that orders findings: most severe first, then by resource and rule.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            std::cmp::Reverse(self.severity),
            self.resource.as_str(),
            self.rule,
            self.field.as_deref(),
        )
    }
}
