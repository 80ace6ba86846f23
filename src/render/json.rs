//! The JSON output, wire format version 1. These structs are the public contract:
//! they are separate from the internal types so that internals can change freely.

use super::Report;
use crate::finding::{Finding, Origin, Severity};
use serde::Serialize;
use serde_json::Value;

pub const WIRE_VERSION: u32 = 1;

#[derive(Serialize)]
pub struct ReportV1<'a> {
    pub version: u32,
    pub tool: ToolV1,
    pub baseline: &'a str,
    pub complete: bool,
    pub sources: Vec<SourceV1<'a>>,
    pub summary: SummaryV1,
    pub findings: Vec<FindingV1<'a>>,
}

#[derive(Serialize)]
pub struct ToolV1 {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Serialize)]
pub struct SourceV1<'a> {
    pub kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terraform_version: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format_version: Option<&'a str>,
}

#[derive(Serialize)]
pub struct SummaryV1 {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub info: usize,
    pub out_of_scope: usize,
}

#[derive(Serialize)]
pub struct FindingV1<'a> {
    pub rule: &'a str,
    pub severity: &'a str,
    pub resource: &'a str,
    pub field: Option<&'a str>,
    pub expected: &'a Value,
    pub observed: &'a Value,
    pub source: SourceRefV1<'a>,
    pub baseline_location: Option<LocationV1<'a>>,
    pub message: &'a str,
    pub help: &'a str,
    pub diff: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum SourceRefV1<'a> {
    Plan {
        address: &'a str,
        actions: &'a [String],
    },
    Refresh {
        address: &'a str,
    },
    Live {
        arn: &'a str,
    },
}

#[derive(Serialize)]
pub struct LocationV1<'a> {
    pub path: &'a str,
    pub line: u32,
    pub column: u32,
}

fn finding<'a>(f: &'a Finding, baseline: &'a str) -> FindingV1<'a> {
    FindingV1 {
        rule: f.rule,
        severity: f.severity.as_str(),
        resource: &f.resource,
        field: f.field.as_deref(),
        expected: &f.expected,
        observed: &f.observed,
        source: match &f.source {
            Origin::Plan { address, actions } => SourceRefV1::Plan { address, actions },
            Origin::Refresh { address } => SourceRefV1::Refresh { address },
            Origin::Live { arn } => SourceRefV1::Live { arn },
        },
        baseline_location: f.baseline_location.map(|l| LocationV1 {
            path: baseline,
            line: l.line,
            column: l.column,
        }),
        message: &f.message,
        help: &f.help,
        diff: f.diff.as_deref(),
    }
}

pub fn wire<'a>(report: &'a Report<'a>) -> ReportV1<'a> {
    ReportV1 {
        version: WIRE_VERSION,
        tool: ToolV1 {
            name: "drift",
            version: env!("CARGO_PKG_VERSION"),
        },
        baseline: report.baseline_path,
        complete: report.complete,
        sources: report
            .sources
            .iter()
            .map(|s| SourceV1 {
                kind: s.kind,
                path: s.path.as_deref(),
                terraform_version: s.terraform_version.as_deref(),
                format_version: s.format_version.as_deref(),
            })
            .collect(),
        summary: SummaryV1 {
            critical: report.count(Severity::Critical),
            high: report.count(Severity::High),
            medium: report.count(Severity::Medium),
            low: report.count(Severity::Low),
            info: report.count(Severity::Info),
            out_of_scope: report.out_of_scope,
        },
        findings: report
            .findings
            .iter()
            .map(|f| finding(f, report.baseline_path))
            .collect(),
    }
}

/// The report as pretty JSON, with a final newline.
pub fn render(report: &Report) -> String {
    let mut out = serde_json::to_string_pretty(&wire(report)).unwrap_or_else(|e| {
        // Serializing these plain structs cannot fail; keep the output valid anyway.
        format!("{{\"version\":1,\"error\":{:?}}}", e.to_string())
    });
    out.push('\n');
    out
}
