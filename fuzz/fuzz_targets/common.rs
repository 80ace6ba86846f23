//! What every target does with what it read: judge it against the example
//! baseline, render it in every format, and write a baseline from it that must
//! read back.
#![allow(dead_code)] // each target uses part of it

use iam_drift_guard::baseline::{self, Baseline};
use iam_drift_guard::check;
use iam_drift_guard::finding::Severity;
use iam_drift_guard::observation::{Observation, SourceInfo};
use iam_drift_guard::render::{self, Format, Report};
use iam_drift_guard::state::IamState;

pub const EXAMPLE_BASELINE: &str = include_str!("../../baseline.yaml");

pub fn example_baseline() -> Baseline {
    baseline::parse("baseline.yaml", EXAMPLE_BASELINE).expect("the example baseline is valid")
}

/// Judges a state, renders the findings in every format, and round-trips it
/// through `init`.
pub fn exercise(baseline: &Baseline, state: IamState) {
    let observation = Observation {
        state,
        refresh: None,
        reads_account: false,
        complete: true,
        info: SourceInfo {
            kind: "plan",
            path: Some("fuzz.json".into()),
            terraform_version: None,
            format_version: None,
        },
    };
    let outcome = check::judge(baseline, &observation);
    let sources = [observation.info.clone()];
    let report = Report {
        baseline_path: "baseline.yaml",
        complete: true,
        sources: &sources,
        out_of_scope: outcome.out_of_scope,
        findings: &outcome.findings,
        fail_on: Severity::Medium,
        trend: None,
        attribution: None,
        generated_at: None,
        history: None,
    };
    for format in [
        Format::Human {
            color: true,
            width: Some(80),
        },
        Format::Json,
        Format::Sarif,
        Format::Markdown,
        Format::Github,
        Format::Html,
    ] {
        let text = render::render(format, &report);
        if format == Format::Json || format == Format::Sarif {
            serde_json::from_str::<serde_json::Value>(&text).expect("JSON output is JSON");
        }
    }
    let written =
        baseline::write::from_state(&observation.state, "# fuzz\n").expect("a baseline is written");
    if let Err(e) = baseline::parse("<generated>", &written) {
        panic!(
            "the written baseline does not validate: {:?}\n{written}",
            e.lines()
        );
    }
}
