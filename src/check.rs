//! A whole check, without I/O: diff, refresh drift, central policy.

use crate::baseline::Baseline;
use crate::diff::diff;
use crate::finding::{Finding, Severity};
use crate::sources::plan::Plan;
use crate::triage;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub out_of_scope: usize,
}

/// Judges a plan: the state it leaves, and the drift Terraform saw when refreshing.
pub fn check_plan(baseline: &Baseline, plan: &Plan) -> Outcome {
    let main = diff(baseline, &plan.state);
    let refresh = diff(baseline, &plan.refresh);
    let mut findings = main.findings;
    findings.extend(
        refresh
            .findings
            .into_iter()
            .filter(|f| refresh_relevant(f, &plan.refresh_fields)),
    );
    Outcome {
        findings: triage::apply(&baseline.settings, findings),
        out_of_scope: main.out_of_scope,
    }
}

/// Judges a state read in full (the live account).
pub fn check_state(baseline: &Baseline, state: &crate::state::IamState) -> Outcome {
    let result = diff(baseline, state);
    Outcome {
        findings: triage::apply(&baseline.settings, result.findings),
        out_of_scope: result.out_of_scope,
    }
}

/// A finding from refreshed state counts only when it is about a field that the
/// refresh saw really change (or an object that disappeared).
fn refresh_relevant(f: &Finding, changed: &BTreeMap<String, BTreeSet<String>>) -> bool {
    if f.rule.ends_with("-removed") && f.field.is_none() {
        return true;
    }
    let root: String = f
        .resource
        .splitn(3, '/')
        .take(2)
        .collect::<Vec<_>>()
        .join("/");
    let Some(fields) = changed.get(&root) else {
        return false;
    };
    match &f.field {
        Some(field) => {
            let top = field.split('.').next().unwrap_or(field);
            fields.contains(top) || fields.contains(field.as_str())
        }
        None => f.rule.ends_with("-removed"),
    }
}

/// Exit code 1 when a finding is at or above `fail_on`, else 0.
pub fn exit_code(findings: &[Finding], fail_on: Severity) -> u8 {
    u8::from(findings.iter().any(|f| f.severity >= fail_on))
}
