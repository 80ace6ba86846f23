//! The JSON output, wire format version 1. These structs are the public contract:
//! they are separate from the internal types so that internals can change freely.

use super::{Report, Who};
use crate::events::Event;
use crate::finding::{Finding, Origin, Severity};
use crate::trend::{PastFinding, Status};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::borrow::Cow;

pub const WIRE_VERSION: u32 = 1;

#[derive(Serialize)]
pub struct ReportV1<'a> {
    pub version: u32,
    pub tool: ToolV1,
    /// When `drift report` made it (RFC 3339); `--previous` reads it back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generated_at: Option<&'a str>,
    pub baseline: &'a str,
    pub complete: bool,
    pub sources: Vec<SourceV1<'a>>,
    pub summary: SummaryV1,
    /// With several accounts (`--accounts`, `--org`): how each ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accounts: Option<Vec<AccountV1<'a>>>,
    pub findings: Vec<FindingV1<'a>>,
    /// Findings a waiver of `settings.ignore` hides, each with the waiver.
    pub waived: Vec<WaivedV1<'a>>,
    /// Only with `drift report --previous`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trend: Option<TrendV1<'a>>,
}

/// One account of a run over several.
#[derive(Serialize)]
pub struct AccountV1<'a> {
    pub id: &'a str,
    pub name: Option<&'a str>,
    /// `read`, `partial`, `denied`, `throttled`, `timeout` or `skipped`.
    pub status: &'static str,
    /// Why it is not `read`; `null` when it is.
    pub reason: Option<&'a str>,
    /// The sections not read.
    pub unread: &'a [String],
    /// API calls made for it (AssumeRole included).
    pub calls: usize,
    pub seconds: f64,
    /// Its findings by severity.
    pub findings: CountsV1,
    /// The baseline files it was judged against.
    pub baselines: &'a [String],
}

#[derive(Serialize)]
pub struct CountsV1 {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub info: usize,
}

fn account(r: &crate::accounts::AccountRun) -> AccountV1<'_> {
    let [critical, high, medium, low, info] = r.findings;
    AccountV1 {
        id: &r.id,
        name: r.name.as_deref(),
        status: r.status.as_str(),
        reason: r.reason.as_deref(),
        unread: &r.unread,
        calls: r.calls,
        // Milliseconds are precision enough, and keep reports comparable.
        seconds: (r.seconds * 1000.0).round() / 1000.0,
        findings: CountsV1 {
            critical,
            high,
            medium,
            low,
            info,
        },
        baselines: &r.baselines,
    }
}

#[derive(Serialize)]
pub struct WaivedV1<'a> {
    #[serde(flatten)]
    pub finding: FindingV1<'a>,
    pub waiver: WaiverV1<'a>,
}

#[derive(Serialize)]
pub struct WaiverV1<'a> {
    pub reason: &'a str,
    /// The last day it holds, `YYYY-MM-DD`; `null`: no date.
    pub expires: Option<&'a str>,
    pub baseline_location: LocationV1<'a>,
}

#[derive(Serialize)]
pub struct TrendV1<'a> {
    pub new: usize,
    pub persisting: usize,
    pub resolved: usize,
    pub resolved_findings: Vec<PastFindingV1<'a>>,
}

/// A finding of an earlier report, as `trend.resolved_findings` lists it and as
/// `--previous` reads it back.
#[derive(Serialize, Deserialize)]
pub struct PastFindingV1<'a> {
    pub fingerprint: Cow<'a, str>,
    pub rule: Cow<'a, str>,
    pub severity: Cow<'a, str>,
    pub resource: Cow<'a, str>,
    #[serde(default)]
    pub field: Option<Cow<'a, str>>,
    #[serde(default)]
    pub message: Cow<'a, str>,
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
    /// For a live read: when the credential report was generated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential_report: Option<CredentialReportV1>,
    /// For a live read: the account read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<&'a str>,
}

#[derive(Serialize)]
pub struct CredentialReportV1 {
    /// RFC 3339; `null` when the answer did not say.
    pub generated_at: Option<String>,
    pub read_started_at: String,
    /// Older than the read: console passwords, MFA and access keys were read
    /// user by user, the root user's MFA and keys from GetAccountSummary.
    pub stale: bool,
}

pub fn credential_report(t: &crate::observation::ReportTime) -> CredentialReportV1 {
    CredentialReportV1 {
        generated_at: t.generated.map(crate::time::rfc3339),
        read_started_at: crate::time::rfc3339(t.read_started),
        stale: t.stale(),
    }
}

#[derive(Serialize)]
pub struct SummaryV1 {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub info: usize,
    pub out_of_scope: usize,
    /// Findings waivers hide (not counted above).
    pub waived: usize,
}

#[derive(Serialize)]
pub struct FindingV1<'a> {
    pub rule: &'a str,
    pub severity: &'a str,
    /// The account, in a run over several accounts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<&'a str>,
    pub resource: &'a str,
    pub field: Option<&'a str>,
    pub expected: &'a Value,
    pub observed: &'a Value,
    pub source: SourceRefV1<'a>,
    pub baseline_location: Option<LocationV1<'a>>,
    pub message: &'a str,
    pub help: &'a str,
    pub diff: Option<&'a str>,
    /// What a widened document newly allows (or a narrowed one no longer
    /// allows): a few checked requests, each with its statement.
    pub witnesses: Vec<WitnessV1<'a>>,
    /// Stable identity across runs (the SARIF `partialFingerprints` value).
    pub fingerprint: String,
    /// `new` or `persisting`; only with `drift report --previous`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'static str>,
    /// With `--cloudtrail`: the events that explain the finding, or `null`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribution: Option<Option<AttributionV1<'a>>>,
    /// `true` with `--cloudtrail` (so that a `null` attribution means that
    /// nothing matched, not that nothing was searched).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub attribution_searched: bool,
}

#[derive(Serialize)]
pub struct WitnessV1<'a> {
    /// `allowed`, `no-longer-denied` or `no-longer-allowed`.
    pub change: &'static str,
    /// The statement's patterns as written (`null`: it names none).
    pub action: &'a str,
    pub resource: Option<&'a str>,
    pub principal: Option<&'a str>,
    pub statement: StatementV1<'a>,
    /// A concrete request that the two documents decide differently.
    pub request: RequestV1<'a>,
}

#[derive(Serialize)]
pub struct StatementV1<'a> {
    /// 0-based position in the document (the old one for `no-longer-*`).
    pub index: usize,
    pub sid: Option<&'a str>,
}

#[derive(Serialize)]
pub struct RequestV1<'a> {
    pub action: &'a str,
    pub resource: Option<&'a str>,
    pub principal: Option<CallerV1<'a>>,
    /// Condition keys the request carries.
    pub context: &'a std::collections::BTreeMap<String, Vec<String>>,
}

#[derive(Serialize)]
pub struct CallerV1<'a> {
    #[serde(rename = "type")]
    pub kind: &'a str,
    pub id: &'a str,
}

pub fn witnesses(list: &[crate::finding::Witness]) -> Vec<WitnessV1<'_>> {
    list.iter()
        .map(|w| WitnessV1 {
            change: w.change.as_str(),
            action: &w.action,
            resource: w.resource.as_deref(),
            principal: w.principal.as_deref(),
            statement: StatementV1 {
                index: w.statement_index,
                sid: w.sid.as_deref(),
            },
            request: RequestV1 {
                action: &w.request.action,
                resource: w.request.resource.as_deref(),
                principal: w
                    .request
                    .caller
                    .as_ref()
                    .map(|(kind, id)| CallerV1 { kind, id }),
                context: &w.request.context,
            },
        })
        .collect()
}

#[derive(Serialize)]
pub struct AttributionV1<'a> {
    /// How many events matched; `events` holds the latest few, latest first.
    pub matched: usize,
    pub events: Vec<EventV1<'a>>,
}

#[derive(Serialize)]
pub struct EventV1<'a> {
    pub event_name: &'a str,
    pub event_time: String,
    pub event_id: Option<&'a str>,
    /// The account the call was made in (`recipientAccountId`).
    pub account: Option<&'a str>,
    pub region: Option<&'a str>,
    pub actor: ActorV1<'a>,
    pub source_ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
    /// What made the call, when the user agent says so (Terraform,
    /// CloudFormation, the console, the AWS CLI, an SDK).
    pub caller: Option<&'static str>,
}

#[derive(Serialize)]
pub struct ActorV1<'a> {
    #[serde(rename = "type")]
    pub kind: Option<&'a str>,
    pub arn: Option<&'a str>,
    pub principal_id: Option<&'a str>,
    pub access_key_id: Option<&'a str>,
    pub user_name: Option<&'a str>,
    pub session_issuer: Option<&'a str>,
    pub identity_center_user: Option<&'a str>,
    pub invoked_by: Option<&'a str>,
}

pub fn event(e: &Event) -> EventV1<'_> {
    let a = &e.actor;
    EventV1 {
        event_name: &e.name,
        event_time: crate::time::rfc3339(e.time),
        event_id: e.id.as_deref(),
        account: e.account.as_deref(),
        region: e.region.as_deref(),
        actor: ActorV1 {
            kind: a.kind.as_deref(),
            arn: a.arn.as_deref(),
            principal_id: a.principal_id.as_deref(),
            access_key_id: a.access_key_id.as_deref(),
            user_name: a.user_name.as_deref(),
            session_issuer: a.issuer.as_deref(),
            identity_center_user: a.identity_center_user.as_deref(),
            invoked_by: a.invoked_by.as_deref(),
        },
        source_ip: e.source_ip.as_deref(),
        user_agent: e.user_agent.as_deref(),
        caller: e.caller(),
    }
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
    State {
        address: &'a str,
    },
    Live {
        arn: &'a str,
    },
    /// An entry of the proposed baseline (`--proposed-baseline`): `FILE:LINE:COL`.
    Baseline {
        at: &'a str,
    },
    /// The baseline's own settings (a waiver of `settings.ignore`).
    Settings,
}

#[derive(Serialize)]
pub struct LocationV1<'a> {
    pub path: &'a str,
    pub line: u32,
    pub column: u32,
}

fn finding<'a>(f: &'a Finding, baseline: &'a str) -> FindingV1<'a> {
    FindingV1 {
        rule: f.rule.as_str(),
        severity: f.severity.as_str(),
        account: Some(f.resource.account()).filter(|a| !a.is_empty()),
        resource: f.resource.as_str(),
        field: f.field.as_deref(),
        expected: &f.expected,
        observed: &f.observed,
        source: match &f.source {
            Origin::Plan { address, actions } => SourceRefV1::Plan { address, actions },
            Origin::Refresh { address } => SourceRefV1::Refresh { address },
            Origin::State { address } => SourceRefV1::State { address },
            Origin::Live { arn } => SourceRefV1::Live { arn },
            Origin::Baseline { at, .. } => SourceRefV1::Baseline { at },
            Origin::Settings => SourceRefV1::Settings,
        },
        baseline_location: f.baseline_location.map(|l| LocationV1 {
            path: baseline,
            line: l.line,
            column: l.column,
        }),
        message: &f.message,
        help: &f.help,
        diff: f.diff.as_deref(),
        witnesses: witnesses(&f.witnesses),
        fingerprint: f.fingerprint(),
        status: None,
        attribution: None,
        attribution_searched: false,
    }
}

pub fn wire<'a>(report: &'a Report<'a>) -> ReportV1<'a> {
    ReportV1 {
        version: WIRE_VERSION,
        generated_at: report.generated_at,
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
                credential_report: s.credential_report.as_ref().map(credential_report),
                account: s.account.as_deref(),
            })
            .collect(),
        summary: SummaryV1 {
            critical: report.count(Severity::Critical),
            high: report.count(Severity::High),
            medium: report.count(Severity::Medium),
            low: report.count(Severity::Low),
            info: report.count(Severity::Info),
            out_of_scope: report.out_of_scope,
            waived: report.waived.len(),
        },
        accounts: report
            .accounts
            .map(|runs| runs.iter().map(account).collect()),
        waived: report
            .waived
            .iter()
            .map(|w| WaivedV1 {
                finding: finding(&w.finding, report.baseline_of(&w.finding)),
                waiver: WaiverV1 {
                    reason: &w.reason,
                    expires: w.expires.as_deref(),
                    baseline_location: LocationV1 {
                        path: report
                            .baseline_file(w.finding.resource.account(), w.waiver_location.file),
                        line: w.waiver_location.line,
                        column: w.waiver_location.column,
                    },
                },
            })
            .collect(),
        findings: report
            .findings
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let mut wire = finding(f, report.baseline_of(f));
                wire.status = report
                    .trend
                    .and_then(|t| t.status.get(i))
                    .map(|s| s.as_str());
                match report.who(f) {
                    Who::NotSearched => {}
                    Who::NotFound => {
                        wire.attribution = Some(None);
                        wire.attribution_searched = true;
                    }
                    Who::Found(a) => {
                        wire.attribution = Some(Some(AttributionV1 {
                            matched: a.matched,
                            events: a.events.iter().map(|e| event(e)).collect(),
                        }));
                        wire.attribution_searched = true;
                    }
                }
                wire
            })
            .collect(),
        trend: report.trend.map(|t| TrendV1 {
            new: t.count(Status::New),
            persisting: t.count(Status::Persisting),
            resolved: t.resolved.len(),
            resolved_findings: t
                .resolved
                .iter()
                .map(|p| PastFindingV1 {
                    fingerprint: Cow::Borrowed(&p.fingerprint),
                    rule: Cow::Borrowed(&p.rule),
                    severity: Cow::Borrowed(&p.severity),
                    resource: Cow::Borrowed(&p.resource),
                    field: p.field.as_deref().map(Cow::Borrowed),
                    message: Cow::Borrowed(&p.message),
                })
                .collect(),
        }),
    }
}

#[derive(Deserialize)]
struct PreviousV1<'a> {
    version: u32,
    #[serde(borrow, default)]
    generated_at: Option<Cow<'a, str>>,
    #[serde(borrow)]
    findings: Vec<PastFindingV1<'a>>,
}

/// An earlier JSON report: its findings and when it was made.
pub struct Previous {
    pub findings: Vec<PastFinding>,
    /// Seconds since the epoch; `None` for a report that does not say.
    pub generated_at: Option<i64>,
}

/// The findings of an earlier JSON report (wire format version 1).
pub fn read_previous(text: &str) -> Result<Previous, String> {
    let prev: PreviousV1 = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if prev.version != WIRE_VERSION {
        return Err(format!(
            "it is wire format version {}, this drift reads version {WIRE_VERSION}",
            prev.version
        ));
    }
    let findings = prev
        .findings
        .into_iter()
        .map(|p| PastFinding {
            fingerprint: p.fingerprint.into_owned(),
            rule: p.rule.into_owned(),
            severity: p.severity.into_owned(),
            resource: p.resource.into_owned(),
            field: p.field.map(Cow::into_owned),
            message: p.message.into_owned(),
        })
        .collect();
    let generated_at = match prev.generated_at {
        Some(t) => Some(
            crate::time::parse(&t).ok_or_else(|| format!("`generated_at` `{t}` is not a time"))?,
        ),
        None => None,
    };
    Ok(Previous {
        findings,
        generated_at,
    })
}

/// The report as pretty JSON, with a final newline, written to `w`.
pub fn write(report: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &wire(report)).map_err(std::io::Error::other)?;
    w.write_all(b"\n")
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
