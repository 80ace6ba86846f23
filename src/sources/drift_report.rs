//! drift's own JSON reports (wire format version 1), read back whole to be
//! joined (`drift report --merge`): the reports of runs over several
//! accounts split with `--shard`, each holding its accounts' findings and
//! statuses. Pure: the text in, the findings, accounts and sources out.
//!
//! Only what a report of a run over several accounts holds is read back:
//! a report of one account or of a plan, or one whose findings carry
//! CloudTrail attribution, is refused rather than joined with something
//! lost.

use crate::accounts::{AccountRun, Status};
use crate::finding::{Finding, Loc, Origin, Severity, Witness, WitnessChange, WitnessRequest};
use crate::identity::{ResourceId, RuleId};
use crate::observation::SourceInfo;
use crate::triage::Waived;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// One report, read back.
#[derive(Debug)]
pub struct Shard {
    /// How the report names the run's (shared) baseline.
    pub baseline: String,
    pub sources: Vec<SourceInfo>,
    pub accounts: Vec<AccountRun>,
    pub findings: Vec<Finding>,
    pub waived: Vec<Waived>,
    pub out_of_scope: usize,
}

#[derive(Deserialize)]
struct ReportIn {
    version: u32,
    baseline: String,
    sources: Vec<SourceIn>,
    summary: SummaryIn,
    accounts: Option<Vec<AccountIn>>,
    findings: Vec<FindingIn>,
    #[serde(default)]
    waived: Vec<WaivedIn>,
}

#[derive(Deserialize)]
struct SummaryIn {
    out_of_scope: usize,
}

#[derive(Deserialize)]
struct SourceIn {
    kind: String,
    path: Option<String>,
    terraform_version: Option<String>,
    format_version: Option<String>,
    credential_report: Option<CredentialReportIn>,
    account: Option<String>,
}

#[derive(Deserialize)]
struct CredentialReportIn {
    generated_at: Option<String>,
    read_started_at: String,
}

#[derive(Deserialize)]
struct AccountIn {
    id: String,
    name: Option<String>,
    status: String,
    reason: Option<String>,
    #[serde(default)]
    unread: Vec<String>,
    calls: usize,
    seconds: f64,
    findings: CountsIn,
    #[serde(default)]
    baselines: Vec<String>,
}

#[derive(Deserialize)]
struct CountsIn {
    critical: usize,
    high: usize,
    medium: usize,
    low: usize,
    info: usize,
}

#[derive(Deserialize)]
struct FindingIn {
    rule: String,
    severity: String,
    account: Option<String>,
    resource: String,
    field: Option<String>,
    expected: Value,
    observed: Value,
    source: SourceRefIn,
    baseline_location: Option<LocationIn>,
    message: String,
    help: String,
    diff: Option<String>,
    #[serde(default)]
    witnesses: Vec<WitnessIn>,
    fingerprint: String,
    #[serde(default)]
    attribution_searched: bool,
}

#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum SourceRefIn {
    Plan {
        address: String,
        actions: Vec<String>,
    },
    Refresh {
        address: String,
    },
    State {
        address: String,
    },
    Live {
        arn: String,
    },
    Baseline {
        at: String,
    },
    Settings,
}

#[derive(Deserialize)]
struct LocationIn {
    path: String,
    line: u32,
    column: u32,
}

#[derive(Deserialize)]
struct WitnessIn {
    change: String,
    action: String,
    resource: Option<String>,
    principal: Option<String>,
    statement: StatementIn,
    request: RequestIn,
}

#[derive(Deserialize)]
struct StatementIn {
    index: usize,
    sid: Option<String>,
}

#[derive(Deserialize)]
struct RequestIn {
    action: String,
    resource: Option<String>,
    principal: Option<CallerIn>,
    #[serde(default)]
    context: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
struct CallerIn {
    #[serde(rename = "type")]
    kind: String,
    id: String,
}

#[derive(Deserialize)]
struct WaivedIn {
    #[serde(flatten)]
    finding: FindingIn,
    waiver: WaiverIn,
}

#[derive(Deserialize)]
struct WaiverIn {
    reason: String,
    expires: Option<String>,
    baseline_location: LocationIn,
}

/// Reads one report. The error says what does not fit, in one line.
pub fn read(text: &str) -> Result<Shard, String> {
    let report: ReportIn = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if report.version != crate::render::json::WIRE_VERSION {
        return Err(format!(
            "it is wire format version {}, this drift reads version {}",
            report.version,
            crate::render::json::WIRE_VERSION
        ));
    }
    let Some(accounts) = report.accounts else {
        return Err("it is not the report of a run over several accounts (`--accounts` or `--org`): it has no `accounts`".to_string());
    };
    let accounts: Vec<AccountRun> = accounts
        .into_iter()
        .map(account)
        .collect::<Result<_, _>>()?;
    let baselines: BTreeMap<&str, &[String]> = accounts
        .iter()
        .map(|a| (a.id.as_str(), a.baselines.as_slice()))
        .collect();
    let findings = report
        .findings
        .into_iter()
        .map(|f| finding(f, &baselines))
        .collect::<Result<Vec<_>, _>>()?;
    let waived = report
        .waived
        .into_iter()
        .map(|w| {
            let account = w.finding.account.clone().unwrap_or_default();
            let waiver_location = location(&w.waiver.baseline_location, &account, &baselines);
            Ok(Waived {
                finding: finding(w.finding, &baselines)?,
                reason: w.waiver.reason,
                expires: w.waiver.expires,
                waiver_location,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let sources = report
        .sources
        .into_iter()
        .map(|s| {
            let kind = match s.kind.as_str() {
                "live" => "live",
                "plan" => "plan",
                "state" => "state",
                other => return Err(format!("a source of kind `{other}`")),
            };
            let credential_report = match s.credential_report {
                Some(r) => {
                    let time = |t: &str| {
                        crate::time::parse(t).ok_or_else(|| format!("`{t}` is not a time"))
                    };
                    Some(crate::observation::ReportTime {
                        generated: r.generated_at.as_deref().map(time).transpose()?,
                        read_started: time(&r.read_started_at)?,
                    })
                }
                None => None,
            };
            Ok(SourceInfo {
                kind,
                path: s.path,
                terraform_version: s.terraform_version,
                format_version: s.format_version,
                credential_report,
                account: s.account,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(Shard {
        baseline: report.baseline,
        sources,
        accounts,
        findings,
        waived,
        out_of_scope: report.summary.out_of_scope,
    })
}

fn account(a: AccountIn) -> Result<AccountRun, String> {
    let status = Status::parse(&a.status)
        .ok_or_else(|| format!("account {}: status `{}`", a.id, a.status))?;
    let c = a.findings;
    Ok(AccountRun {
        id: a.id,
        name: a.name,
        status,
        reason: a.reason,
        unread: a.unread,
        calls: a.calls,
        seconds: a.seconds,
        findings: [c.critical, c.high, c.medium, c.low, c.info],
        baselines: a.baselines,
    })
}

/// A location in a baseline file: which of its account's files it is.
fn location(l: &LocationIn, account: &str, baselines: &BTreeMap<&str, &[String]>) -> Loc {
    let file = baselines
        .get(account)
        .and_then(|files| files.iter().position(|f| *f == l.path))
        .and_then(|i| u16::try_from(i).ok())
        .unwrap_or(0);
    Loc {
        line: l.line,
        column: l.column,
        offset: 0,
        len: 0,
        file,
    }
}

fn finding(f: FindingIn, baselines: &BTreeMap<&str, &[String]>) -> Result<Finding, String> {
    let at = || format!("finding {} of `{}`", f.rule, f.resource);
    if f.attribution_searched {
        return Err(format!(
            "{}: CloudTrail attribution is not joined (merge reports made without `--cloudtrail`)",
            at()
        ));
    }
    let rule = RuleId::parse(&f.rule).ok_or_else(|| format!("{}: unknown rule", at()))?;
    let severity = Severity::parse(&f.severity)
        .ok_or_else(|| format!("{}: severity `{}`", at(), f.severity))?;
    let account = f.account.clone().unwrap_or_default();
    let resource = ResourceId::parse(&f.resource)
        .ok_or_else(|| format!("{}: not a resource drift reads back", at()))?
        .in_account(account.as_str());
    let source = match f.source {
        SourceRefIn::Plan { address, actions } => Origin::Plan { address, actions },
        SourceRefIn::Refresh { address } => Origin::Refresh { address },
        SourceRefIn::State { address } => Origin::State { address },
        SourceRefIn::Live { arn } => Origin::Live { arn },
        SourceRefIn::Baseline { at: place } => {
            let mut parts = place.rsplitn(3, ':');
            let (col, line, file) = (parts.next(), parts.next(), parts.next());
            let position = match (
                line.and_then(|l| l.parse().ok()),
                col.and_then(|c| c.parse().ok()),
                file,
            ) {
                (Some(l), Some(c), Some(_)) => Some((l, c)),
                _ => None,
            };
            let file = match (position, file) {
                (Some(_), Some(file)) => file.to_string(),
                _ => place.clone(),
            };
            Origin::Baseline {
                at: place,
                file,
                position,
            }
        }
        SourceRefIn::Settings => Origin::Settings,
    };
    let witnesses = f
        .witnesses
        .into_iter()
        .map(|w| {
            let change = [
                WitnessChange::Allowed,
                WitnessChange::NoLongerDenied,
                WitnessChange::NoLongerAllowed,
            ]
            .into_iter()
            .find(|c| c.as_str() == w.change)
            .ok_or_else(|| format!("a witness change `{}`", w.change))?;
            Ok(Witness {
                change,
                action: w.action,
                resource: w.resource,
                principal: w.principal,
                statement_index: w.statement.index,
                sid: w.statement.sid,
                request: WitnessRequest {
                    action: w.request.action,
                    resource: w.request.resource,
                    caller: w.request.principal.map(|c| (c.kind, c.id)),
                    context: w.request.context,
                },
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let finding = Finding {
        rule,
        severity,
        resource,
        field: f.field,
        expected: f.expected,
        observed: f.observed,
        source,
        baseline_location: f
            .baseline_location
            .as_ref()
            .map(|l| location(l, &account, baselines)),
        message: f.message,
        help: f.help,
        diff: f.diff,
        witnesses,
        path: None,
    };
    // Read back as written: an edited report, or one of findings known only
    // after apply, is not joined.
    if finding.fingerprint() != f.fingerprint {
        return Err(format!(
            "{}: its fingerprint {} is not that of the finding it describes",
            at(),
            f.fingerprint
        ));
    }
    Ok(finding)
}
