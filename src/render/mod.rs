//! Renderers: one module per output format, each over the same findings, and the
//! text of `drift rules`.

pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod markdown;
pub mod rules;
pub mod sarif;
pub mod text;

use crate::finding::{Finding, Severity};
use crate::observation::SourceInfo;
use crate::trend::Trend;

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

/// An output format of `drift check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For a terminal or a log; `color` adds ANSI colors.
    Human {
        color: bool,
    },
    Json,
    Sarif,
    Markdown,
    Github,
    Html,
}

/// The one renderer dispatch.
pub fn render(format: Format, report: &Report) -> String {
    match format {
        Format::Human { color } => human::render(report, color),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Markdown => markdown::render(report),
        Format::Github => github::render(report),
        Format::Html => html::render(report),
    }
}
