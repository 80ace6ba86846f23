//! A whole check, without I/O: the account guard, the diff, refresh drift and
//! central policy (triage).

use crate::baseline::Baseline;
use crate::diff::diff;
use crate::finding::{Finding, Severity};
use crate::identity::Change;
use crate::observation::{Observation, Refresh};
use crate::redact;
use crate::remedy;
use crate::state::IamState;
use crate::triage;
use std::collections::HashMap;

#[derive(Debug)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub out_of_scope: usize,
    /// Findings the baseline's waivers hide, with their reasons.
    pub waived: Vec<triage::Waived>,
}

/// Judges what a source observed: the state it shows, and the drift it saw
/// happen outside its own change. Waivers all hold (no clock).
pub fn judge(baseline: &Baseline, observation: &Observation) -> Outcome {
    judge_at(baseline, observation, None)
}

/// [`judge`] at `now` (seconds since the epoch): waivers past their date
/// hide nothing, and expired and unused waivers are findings.
pub fn judge_at(baseline: &Baseline, observation: &Observation, now: Option<i64>) -> Outcome {
    judge_with(baseline, observation, Vec::new(), now)
}

/// [`judge_at`], with findings of the same run that no diff makes (the
/// resources of a plan no baseline judges) under the same central policy.
pub fn judge_with(
    baseline: &Baseline,
    observation: &Observation,
    extra: Vec<Finding>,
    now: Option<i64>,
) -> Outcome {
    let main = diff(baseline, &observation.state);
    let mut findings = main.findings;
    findings.extend(extra);
    if let Some(refresh) = &observation.refresh {
        let seen = diff(baseline, &refresh.state);
        let relevant: Vec<Finding> = seen
            .findings
            .into_iter()
            .filter(|f| refresh_relevant(f, refresh))
            .collect();
        merge_refresh(&mut findings, relevant, &observation.state);
    }
    let triage::Triaged {
        mut findings,
        mut waived,
    } = triage::apply_at(&baseline.settings, findings, now);
    for f in findings
        .iter_mut()
        .chain(waived.iter_mut().map(|w| &mut w.finding))
    {
        f.help = remedy::help(f, baseline);
    }
    let mut secrets = observation.state.secrets.clone();
    if let Some(refresh) = &observation.refresh {
        secrets.extend(refresh.state.secrets.iter().cloned());
    }
    redact::redact(&mut findings, &secrets);
    let mut hidden: Vec<Finding> = waived.iter().map(|w| w.finding.clone()).collect();
    redact::redact(&mut hidden, &secrets);
    for (w, f) in waived.iter_mut().zip(hidden) {
        w.finding = f;
    }
    Outcome {
        findings,
        out_of_scope: main.out_of_scope,
        waived,
    }
}

/// Adds what the refresh saw. One drift is one finding: when the plan's result
/// shows the same finding, it says the refresh saw it too; when the refresh saw
/// an object deleted that the plan creates again, the finding says so.
fn merge_refresh(findings: &mut Vec<Finding>, seen: Vec<Finding>, planned: &IamState) {
    let mut by_fingerprint: HashMap<String, usize> = findings
        .iter()
        .enumerate()
        .map(|(i, f)| (f.fingerprint(), i))
        .collect();
    for mut f in seen {
        let fingerprint = f.fingerprint();
        if let Some(&i) = by_fingerprint.get(&fingerprint) {
            let same = &mut findings[i];
            same.message.push_str(&format!(
                "; Terraform's refresh saw this change already made outside Terraform (`{}`)",
                f.source.address()
            ));
            continue;
        }
        if f.rule.change() == Change::Removed && f.field.is_none() {
            if let Some(origin) = planned.present_origin(&f.resource) {
                f.message.push_str(&format!(
                    "; the plan creates it again (`{}`)",
                    origin.address()
                ));
            }
        }
        by_fingerprint.insert(fingerprint, findings.len());
        findings.push(f);
    }
}

/// A finding from refreshed state counts only when it is about a field that the
/// refresh saw really change (or an object that disappeared).
fn refresh_relevant(f: &Finding, refresh: &Refresh) -> bool {
    let removed = f.rule.change() == Change::Removed;
    if removed && f.field.is_none() {
        return true;
    }
    let Some(fields) = refresh.fields.get(&f.resource.object_id()) else {
        return false;
    };
    match &f.field {
        Some(field) => {
            let top = field.split('.').next().unwrap_or(field);
            fields.contains(top) || fields.contains(field.as_str())
        }
        None => removed,
    }
}

/// Adds the `baseline-changed` findings of a proposed baseline (`path` names
/// it), ahead of the others, with the central policy of the baseline in force.
pub fn add_proposed(outcome: &mut Outcome, baseline: &Baseline, proposed: &Baseline, path: &str) {
    let mut changes = triage::apply(
        &baseline.settings,
        crate::proposed::judge(baseline, proposed, path),
    );
    for f in &mut changes {
        f.help = remedy::help(f, baseline);
    }
    changes.append(&mut outcome.findings);
    outcome.findings = changes;
}

/// A live read of another account than the baseline's.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountMismatch {
    pub expected: String,
    /// The account that was read; `None` when nothing read names it.
    pub read: Option<String>,
}

impl std::fmt::Display for AccountMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.read {
            Some(id) => write!(
                f,
                "these credentials read account {id}, the baseline is for account {}",
                self.expected
            ),
            None => write!(
                f,
                "cannot tell which account was read (it has no IAM object with an ARN); the baseline is for account {}",
                self.expected
            ),
        }
    }
}

/// Whether a source that reads a whole account read the one the baseline
/// declares (`account.id`); checked before comparing anything.
pub fn guard_account(
    baseline: &Baseline,
    observation: &Observation,
) -> Result<(), AccountMismatch> {
    let Some(want) = baseline.account.as_ref().and_then(|a| a.id.as_ref()) else {
        return Ok(());
    };
    if !observation.reads_account {
        return Ok(());
    }
    match &observation.state.account_id {
        Some(id) if *id == want.value => Ok(()),
        read => Err(AccountMismatch {
            expected: want.value.clone(),
            read: read.clone(),
        }),
    }
}

/// Exit code 1 when a finding is at or above `fail_on`, else 0.
pub fn exit_code(findings: &[Finding], fail_on: Severity) -> u8 {
    u8::from(findings.iter().any(|f| f.severity >= fail_on))
}
