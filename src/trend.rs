//! Findings compared with the previous run's: new, persisting or resolved. A
//! finding's identity is its fingerprint (rule, resource, field), the same one
//! SARIF uses.

use crate::finding::Finding;

/// A finding of an earlier report, as much of it as a trend needs.
#[derive(Debug, Clone, PartialEq)]
pub struct PastFinding {
    pub fingerprint: String,
    pub rule: String,
    pub severity: String,
    pub resource: String,
    pub field: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    New,
    Persisting,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Persisting => "persisting",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Trend {
    /// One status per current finding, in the same order.
    pub status: Vec<Status>,
    /// Findings of the previous run that are gone.
    pub resolved: Vec<PastFinding>,
}

impl Trend {
    pub fn count(&self, status: Status) -> usize {
        self.status.iter().filter(|s| **s == status).count()
    }
}

/// Linear in both reports: each side's fingerprints are hashed once.
pub fn compare(current: &[Finding], previous: &[PastFinding]) -> Trend {
    use std::collections::HashSet;
    let now: Vec<String> = current.iter().map(Finding::fingerprint).collect();
    let before: HashSet<&str> = previous.iter().map(|p| p.fingerprint.as_str()).collect();
    let still: HashSet<&str> = now.iter().map(String::as_str).collect();
    Trend {
        status: now
            .iter()
            .map(|fp| {
                if before.contains(fp.as_str()) {
                    Status::Persisting
                } else {
                    Status::New
                }
            })
            .collect(),
        resolved: previous
            .iter()
            .filter(|p| !still.contains(p.fingerprint.as_str()))
            .cloned()
            .collect(),
    }
}
