//! Findings: plain data that every renderer reads.

use crate::identity::{ResourceId, RuleId};
pub use crate::origin::Origin;
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
        f.pad(self.as_str())
    }
}

/// A position in the baseline file (1-based line and column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Loc {
    pub line: u32,
    pub column: u32,
    pub offset: usize,
    pub len: usize,
    /// Which baseline file: 0 the run's (or the shared one), 1 an account's
    /// own file merged over it.
    pub file: u16,
}

/// One difference between the baseline and what a source observed.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Stable rule id, `<kind>-<change>`.
    pub rule: RuleId,
    pub severity: Severity,
    /// Resource id such as `user/alice` or `password-policy`.
    pub resource: ResourceId,
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
    /// What a widened (or narrowed) document newly allows (or no longer
    /// allows): at most a few requests, each with the statement it comes from.
    pub witnesses: Vec<Witness>,
    /// The IAM path of the object, for `settings.ignore` patterns such as
    /// `role:/aws-service-role/*`. Not part of the output.
    pub path: Option<String>,
}

/// How a witness request fares after the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WitnessChange {
    /// A new statement (or a wider one) allows it.
    Allowed,
    /// A Deny statement the document dropped or narrowed denied it.
    NoLongerDenied,
    /// The old document allowed it; the new one does not.
    NoLongerAllowed,
}

impl WitnessChange {
    pub fn as_str(self) -> &'static str {
        match self {
            WitnessChange::Allowed => "allowed",
            WitnessChange::NoLongerDenied => "no-longer-denied",
            WitnessChange::NoLongerAllowed => "no-longer-allowed",
        }
    }
}

/// One request that a changed policy document treats differently, checked
/// against both documents, and the statement it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Witness {
    pub change: WitnessChange,
    /// The statement's action, resource and principal patterns, as written
    /// (`None`: the statement names no resource or principal).
    pub action: String,
    pub resource: Option<String>,
    pub principal: Option<String>,
    /// The statement's position in its document (0-based) and its `Sid`; for
    /// `NoLongerDenied` and `NoLongerAllowed`, in the old document.
    pub statement_index: usize,
    pub sid: Option<String>,
    /// A concrete request: an action, a resource ARN, a caller (`AWS`,
    /// `Service`, `Federated` or `*`, and its identifier) and the condition
    /// keys it carries.
    pub request: WitnessRequest,
}

/// A concrete request that shows a witness.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WitnessRequest {
    pub action: String,
    pub resource: Option<String>,
    pub caller: Option<(String, String)>,
    pub context: std::collections::BTreeMap<String, Vec<String>>,
}

impl Finding {
    /// A stable identity across runs: the same rule on the same resource and
    /// field of the same account has the same fingerprint, whatever the values or
    /// the message say. (FNV-1a, 64 bits, as 16 hex digits.)
    pub fn fingerprint(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let anchors = self.resource.anchors();
        let mut parts = vec![
            self.resource.account(),
            self.rule.as_str(),
            self.resource.as_str(),
            self.field.as_deref().unwrap_or(""),
        ];
        // Objects known only after apply: where each is made keeps them apart.
        if !anchors.is_empty() {
            parts.push(&anchors);
        }
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
            self.resource.account(),
            self.resource.as_str(),
            self.rule.as_str(),
            self.field.as_deref(),
        )
    }
}
