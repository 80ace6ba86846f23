//! Renderers: one module per output format, each over the same findings.

pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod markdown;
pub mod sarif;

use crate::finding::{Finding, Severity};
use crate::trend::Trend;

/// What a source was, for the report header.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceInfo {
    /// `plan` or `live`.
    pub kind: &'static str,
    /// The plan file (`-` for standard input); none for live reads.
    pub path: Option<String>,
    pub terraform_version: Option<String>,
    pub format_version: Option<String>,
}

/// Everything a renderer needs besides the findings.
#[derive(Debug, Clone)]
pub struct Report<'a> {
    pub baseline_path: &'a str,
    pub complete: bool,
    pub sources: &'a [SourceInfo],
    pub out_of_scope: usize,
    pub findings: &'a [Finding],
    /// The `--fail-on` threshold, for the verdict of the markdown summary.
    pub fail_on: Severity,
    /// New, persisting and resolved findings since the previous report.
    pub trend: Option<&'a Trend>,
}

impl Report<'_> {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}
