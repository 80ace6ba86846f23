//! Central policy over raw findings: `settings.ignore`, `settings.unmanaged` and
//! `settings.severity`, applied in one place after every rule has run.

use crate::baseline::{Settings, Unmanaged};
use crate::finding::{Finding, Loc, Severity};
use crate::identity::{Change, Kind, RuleId};

/// Whether `settings.unmanaged` drops a finding about an object the baseline
/// does not declare, of `kind`, at `severity`: with `ignore`, those of the
/// kinds the kinds table marks as quiet, unless they grant privilege (high or
/// critical). The one place this is decided: the diff asks it too, so as not to
/// build what would be dropped (and, for write conflicts on undeclared
/// objects, which triage cannot tell from their findings, to drop them).
pub fn quiets_undeclared(unmanaged: Unmanaged, kind: Kind, severity: Severity) -> bool {
    unmanaged == Unmanaged::Ignore
        && crate::kinds::entry(kind).quiet_undeclared
        && severity < Severity::High
}

/// Whether `settings.provisioned` drops the findings about undeclared objects
/// AWS made (`*-provisioned`): with `ignore`. The diff asks it too, so as not
/// to build them.
pub fn quiets_provisioned(provisioned: Unmanaged) -> bool {
    provisioned == Unmanaged::Ignore
}

/// An object that is not declared: an unmanaged one (not a part of a declared
/// object, such as an extra SSH key of a declared user), or one the plan
/// creates under a name known only after apply.
fn is_undeclared_object(f: &Finding) -> bool {
    let kind = f.rule.kind();
    (crate::kinds::entry(kind).unmanaged == Some(f.rule) && f.resource.sub().is_none())
        || (f.rule.change() == Change::Unknown && f.resource.is_unnamed_object())
}

pub fn apply(settings: &Settings, findings: Vec<Finding>) -> Vec<Finding> {
    apply_at(settings, findings, None).findings
}

/// A finding a waiver hides: kept, with the waiver's reason, for the reports
/// that show what was accepted.
#[derive(Debug, Clone, PartialEq)]
pub struct Waived {
    pub finding: Finding,
    pub reason: String,
    /// The waiver's last day, `YYYY-MM-DD`.
    pub expires: Option<String>,
    /// The waiver's entry in the baseline.
    pub waiver_location: Loc,
}

/// What triage keeps, and what waivers hide.
#[derive(Debug, Default)]
pub struct Triaged {
    pub findings: Vec<Finding>,
    pub waived: Vec<Waived>,
}

/// The central policy at `now` (seconds since the epoch): a waiver past its
/// `expires` date hides nothing and is a `waiver-expired` finding, one that
/// matched nothing is `waiver-unused`. Without a clock (`None`), every waiver
/// holds and none is reported.
pub fn apply_at(settings: &Settings, findings: Vec<Finding>, now: Option<i64>) -> Triaged {
    let waivers = &settings.waivers;
    let holds: Vec<bool> = waivers
        .iter()
        .map(|w| now.is_none_or(|t| !w.expired(t)))
        .collect();
    let mut used = vec![false; waivers.len()];
    let mut waived = Vec::new();
    let mut kept: Vec<Finding> = Vec::new();
    for f in findings {
        if is_undeclared_object(&f)
            && quiets_undeclared(settings.unmanaged, f.rule.kind(), f.severity)
        {
            continue;
        }
        if f.rule.change() == Change::Provisioned && quiets_provisioned(settings.provisioned) {
            continue;
        }
        if settings.ignore.iter().any(|p| ignores(&p.value, &f)) {
            continue;
        }
        let fingerprint = waivers
            .iter()
            .any(|w| w.fingerprint.is_some())
            .then(|| f.fingerprint());
        let by = waivers.iter().enumerate().find(|(i, w)| {
            holds[*i]
                && w.resource.as_ref().is_none_or(|p| ignores(&p.value, &f))
                && w.rule.as_ref().is_none_or(|r| r.value == f.rule)
                && w.fingerprint
                    .as_ref()
                    .is_none_or(|p| fingerprint.as_deref() == Some(p.value.as_str()))
        });
        match by {
            Some((i, w)) => {
                used[i] = true;
                waived.push(Waived {
                    finding: f,
                    reason: w.reason.value.clone(),
                    expires: w.expires.as_ref().map(|e| crate::time::date(e.value)),
                    waiver_location: w.loc,
                });
            }
            None => kept.push(f),
        }
    }
    if now.is_some() {
        for (i, w) in waivers.iter().enumerate() {
            let expires = w.expires.as_ref().map(|e| crate::time::date(e.value));
            let (rule, message) = if !holds[i] {
                (
                    RuleId::WAIVER_EXPIRED,
                    format!(
                        "the waiver of `{}` expired after {} (reason: {}): what it hid is reported again",
                        w.label(),
                        expires.as_deref().unwrap_or("?"),
                        w.reason.value
                    ),
                )
            } else if !used[i] {
                (
                    RuleId::WAIVER_UNUSED,
                    format!(
                        "the waiver of `{}` matched no finding of this run (reason: {})",
                        w.label(),
                        w.reason.value
                    ),
                )
            } else {
                continue;
            };
            kept.push(Finding {
                rule,
                severity: crate::rules::get(rule).severity,
                resource: crate::identity::ResourceId::object(
                    crate::identity::Kind::Waiver,
                    w.label(),
                ),
                field: None,
                expected: serde_json::json!({ "reason": w.reason.value, "expires": expires }),
                observed: serde_json::Value::Null,
                source: crate::origin::Origin::Settings,
                baseline_location: Some(w.loc),
                message,
                help: String::new(),
                diff: None,
                witnesses: Vec::new(),
                path: None,
            });
        }
    }
    let mut out: Vec<Finding> = kept
        .into_iter()
        .map(|mut f| {
            if let Some(sev) = settings.severity.get(f.rule.as_str()) {
                f.severity = sev.value;
            }
            if f.help.is_empty() {
                f.help = crate::rules::get(f.rule).help();
            }
            f
        })
        .collect();
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Triaged {
        findings: out,
        waived,
    }
}

/// Whether an ignore pattern covers a finding. Patterns are either `KIND:GLOB`,
/// matched against the object's name and against its path and name
/// (`role:/aws-service-role/*`), or a glob over resource ids (`user/ci-*`).
/// A part's kind (`access-key:AKIA*`, `ssh-key:APKA*`) is matched against its id.
/// Ignoring an object ignores what hangs on it (a user's SSH keys).
pub fn ignores(pattern: &str, finding: &Finding) -> bool {
    let resource = &finding.resource;
    let name = resource.name().map_or("", |n| n.as_str());
    match pattern.split_once(':') {
        Some((pkind, glob)) => {
            // A part with an id of its own (`access-key:AKIA*`): its id.
            if let Some((kind, id)) = resource.sub() {
                if pkind == kind.as_str() {
                    return glob_match(glob, id.as_str());
                }
            }
            if pkind != resource.kind().as_str() {
                return false;
            }
            if glob_match(glob, name) {
                return true;
            }
            let full = format!("{}{name}", finding.path.as_deref().unwrap_or("/"));
            glob_match(glob, &full)
        }
        None => {
            glob_match(pattern, resource.as_str())
                || glob_match(pattern, &format!("{}/{name}", resource.kind()))
        }
    }
}

/// `*` matches any run of characters (slashes too), `?` any one character:
/// IAM's wildcards, with case.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    crate::policy::glob::matches(pattern, text, false)
}
