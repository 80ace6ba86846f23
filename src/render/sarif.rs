//! SARIF 2.1.0 for GitHub code scanning: one rule per rule id, one result per
//! finding, located at the baseline line that declared what drifted, with the
//! plan address as a logical location and a stable fingerprint.

use super::Report;
use crate::finding::{Origin, Severity};
use crate::rules;
use serde::Serialize;
use serde_json::{json, Value};

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [RunV<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunV<'a> {
    tool: Tool,
    results: Results<'a>,
    column_kind: &'static str,
    /// For a live read: when the credential report was generated.
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<RunProperties>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunProperties {
    credential_report: super::json::CredentialReportV1,
}

/// The results, made one at a time while they are written: nothing per
/// finding is kept, so a report of hundreds of thousands of findings streams
/// to its file in constant memory beyond the findings themselves.
struct Results<'a>(&'a Report<'a>);

impl Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let report = self.0;
        s.collect_seq(report.findings.iter().map(|f| result(report, f)))
    }
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    full_name: &'static str,
    semantic_version: &'static str,
    rules: Vec<Value>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultV<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [LocationV<'a>; 1],
    partial_fingerprints: Fingerprints,
    properties: Properties<'a>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LocationV<'a> {
    physical_location: Physical<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    logical_locations: Option<[Logical<'a>; 1]>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical<'a> {
    artifact_location: Artifact<'a>,
    region: Region,
}

#[derive(Serialize)]
struct Artifact<'a> {
    uri: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Logical<'a> {
    fully_qualified_name: &'a str,
    kind: &'static str,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "driftFinding/v1")]
    v1: String,
}

#[derive(Serialize)]
struct Properties<'a> {
    severity: &'static str,
    /// The account of the resource, when the run names it (several accounts).
    #[serde(skip_serializing_if = "Option::is_none")]
    account: Option<&'a str>,
    resource: &'a str,
    field: Option<&'a str>,
    expected: &'a Value,
    observed: &'a Value,
    /// What a widened document newly allows (see the JSON format).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    witnesses: Vec<super::json::WitnessV1<'a>>,
    /// With `--cloudtrail`: the events that explain the finding, or `null`.
    #[serde(skip_serializing_if = "Option::is_none")]
    attribution: Option<Option<super::json::AttributionV1<'a>>>,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `security-severity` scale (0 to 10).
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// `account 111122223333: ` before a resource of a run over several accounts.
fn account_prefix(f: &crate::finding::Finding) -> String {
    match f.resource.account() {
        "" => String::new(),
        id => format!("account {id}: "),
    }
}

/// One result of the log.
fn result<'a>(report: &'a Report<'a>, f: &'a crate::finding::Finding) -> ResultV<'a> {
    let index = rules::all().position(|r| r.id == f.rule).unwrap_or(0);
    // Code scanning needs a file location: findings that no baseline
    // entry declared (undeclared objects) point at the top of the file.
    let (mut uri, (mut line, mut column)) = (
        report.baseline_of(f),
        f.baseline_location.map_or((1, 1), |l| (l.line, l.column)),
    );
    // An edit of a proposed baseline is shown on the line it changed.
    if let Origin::Baseline {
        file,
        position: Some(at),
        ..
    } = &f.source
    {
        (uri, (line, column)) = (file.as_str(), *at);
    }
    let (logical, kind) = match &f.source {
        Origin::Plan { address, .. } | Origin::Refresh { address } | Origin::State { address } => {
            (address.as_str(), "resource")
        }
        Origin::Live { arn } => (arn.as_str(), "object"),
        Origin::Baseline { at, .. } => (at.as_str(), "element"),
        Origin::Settings => ("settings.ignore", "element"),
    };
    ResultV {
        rule_id: f.rule.as_str(),
        rule_index: index,
        level: level(f.severity),
        message: Text {
            text: format!(
                "{}{}: {} (source: {})",
                account_prefix(f),
                f.resource,
                f.message,
                f.source.label()
            ),
        },
        locations: [LocationV {
            physical_location: Physical {
                artifact_location: Artifact { uri },
                region: Region {
                    start_line: line,
                    start_column: column,
                },
            },
            logical_locations: (!logical.is_empty()).then_some([Logical {
                fully_qualified_name: logical,
                kind,
            }]),
        }],
        partial_fingerprints: Fingerprints {
            v1: f.fingerprint(),
        },
        properties: Properties {
            severity: f.severity.as_str(),
            account: Some(f.resource.account()).filter(|a| !a.is_empty()),
            resource: f.resource.as_str(),
            field: f.field.as_deref(),
            expected: &f.expected,
            observed: &f.observed,
            witnesses: super::json::witnesses(&f.witnesses),
            attribution: match report.who(f) {
                super::Who::NotSearched => None,
                super::Who::NotFound => Some(None),
                super::Who::Found(a) => Some(Some(super::json::AttributionV1 {
                    matched: a.matched,
                    events: a.events.iter().map(|e| super::json::event(e)).collect(),
                })),
            },
        },
    }
}

/// The log, written to `w` as it is made.
pub fn write(report: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let rules: Vec<Value> = rules::all()
        .map(|r| {
            json!({
                "id": r.id.as_str(),
                "name": r.id.as_str(),
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.why},
                "help": {
                    "text": format!("{}\n\nCloudTrail events: {}\n\n{}", r.why, r.events_text(), r.help()),
                    "markdown": format!(
                        "{}\n\n**CloudTrail events:** {}\n\n- **Console:** {}\n- **CLI:** {}\n- **Terraform:** {}",
                        r.why, r.events_text(), r.console, r.cli, r.terraform
                    ),
                },
                "defaultConfiguration": {"level": level(r.severity)},
                "properties": {
                    "tags": ["security", "iam", "drift"],
                    "security-severity": security_severity(r.severity),
                },
            })
        })
        .collect();
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [RunV {
            tool: Tool {
                driver: Driver {
                    name: "drift",
                    full_name: "iam-drift-guard",
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            results: Results(report),
            column_kind: "unicodeCodePoints",
            properties: report
                .sources
                .iter()
                .find_map(|s| s.credential_report.as_ref())
                .map(|t| RunProperties {
                    credential_report: super::json::credential_report(t),
                }),
        }],
    };
    // Compact: code scanning reads it, people read findings elsewhere, and a
    // large log is written in about the time of the JSON report.
    serde_json::to_writer(&mut *w, &log).map_err(std::io::Error::other)?;
    w.write_all(b"\n")
}

pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = write(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}
