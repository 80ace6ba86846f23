//! SARIF 2.1.0 for GitHub code scanning: one rule per rule id, one result per
//! finding, located at the baseline line that declared what drifted, with the
//! plan address as a logical location and a stable fingerprint.

use super::Report;
use crate::finding::{Origin, Severity};
use crate::rules;
use serde_json::{json, Value};

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

pub fn render(report: &Report) -> String {
    let rules: Vec<Value> = rules::all()
        .map(|r| {
            json!({
                "id": r.id.as_str(),
                "name": r.id.as_str(),
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.why},
                "help": {
                    "text": format!("{}\n\nCloudTrail events: {}\n\n{}", r.why, r.events.join(", "), r.help()),
                    "markdown": format!(
                        "{}\n\n**CloudTrail events:** {}\n\n- **Console:** {}\n- **CLI:** {}\n- **Terraform:** {}",
                        r.why, r.events.join(", "), r.console, r.cli, r.terraform
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
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let index = rules::all().position(|r| r.id == f.rule).unwrap_or(0);
            // Code scanning needs a file location: findings that no baseline
            // entry declared (undeclared objects) point at the top of the file.
            let (line, column) = f.baseline_location.map_or((1, 1), |l| (l.line, l.column));
            let (logical, kind) = match &f.source {
                Origin::Plan { address, .. }
                | Origin::Refresh { address }
                | Origin::State { address } => (address.as_str(), "resource"),
                Origin::Live { arn } => (arn.as_str(), "object"),
            };
            let mut location = json!({
                "physicalLocation": {
                    "artifactLocation": {"uri": report.baseline_path},
                    "region": {"startLine": line, "startColumn": column},
                },
            });
            if !logical.is_empty() {
                location["logicalLocations"] = json!([{"fullyQualifiedName": logical, "kind": kind}]);
            }
            json!({
                "ruleId": f.rule.as_str(),
                "ruleIndex": index,
                "level": level(f.severity),
                "message": {"text": format!("{}: {} (source: {})", f.resource, f.message, f.source.label())},
                "locations": [location],
                "partialFingerprints": {"driftFinding/v1": f.fingerprint()},
                "properties": {
                    "severity": f.severity.as_str(),
                    "resource": f.resource.as_str(),
                    "field": f.field,
                    "expected": f.expected,
                    "observed": f.observed,
                },
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "drift",
                "fullName": "iam-drift-guard",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    });
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}
