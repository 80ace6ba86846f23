//! Central policy over raw findings: `settings.ignore`, `settings.unmanaged` and
//! `settings.severity`, applied in one place after every rule has run.

use crate::baseline::{Settings, Unmanaged};
use crate::finding::{Finding, Severity};
use crate::identity::{Change, RuleId};

/// Rules about objects that exist but are not declared (not items of a declared
/// object, such as an extra SSH key of a declared user).
const UNMANAGED_OBJECT_RULES: &[RuleId] = &[
    RuleId::USER_UNMANAGED,
    RuleId::GROUP_UNMANAGED,
    RuleId::ROLE_UNMANAGED,
    RuleId::INSTANCE_PROFILE_UNMANAGED,
    RuleId::POLICY_UNMANAGED,
];

/// Whether undeclared objects are reported at all.
pub fn reports_unmanaged(settings: &Settings) -> bool {
    settings.unmanaged == Unmanaged::Report
}

/// An object that is not declared: an unmanaged one, or one the plan creates
/// under a name known only after apply.
fn is_unmanaged_object(f: &Finding) -> bool {
    UNMANAGED_OBJECT_RULES.contains(&f.rule)
        || (f.rule.change() == Change::Unknown && f.resource.is_unnamed_object())
}

pub fn apply(settings: &Settings, findings: Vec<Finding>) -> Vec<Finding> {
    let mut out: Vec<Finding> = findings
        .into_iter()
        // `settings.unmanaged: ignore` quiets undeclared objects that grant
        // nothing risky; one that grants privilege (high or critical) stays.
        .filter(|f| {
            reports_unmanaged(settings) || !is_unmanaged_object(f) || f.severity >= Severity::High
        })
        .filter(|f| !settings.ignore.iter().any(|p| ignores(&p.value, f)))
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
    out
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
