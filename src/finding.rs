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
    /// The IAM path of the object, for `settings.ignore` patterns such as
    /// `role:/aws-service-role/*`. Not part of the output.
    pub path: Option<String>,
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
