//! Central policy over raw findings: `settings.ignore`, `settings.unmanaged` and
//! `settings.severity`, applied in one place after every rule has run.

use crate::baseline::{Settings, Unmanaged};
use crate::finding::Finding;

/// Rules about objects that exist but are not declared (not items of a declared
/// object, such as an extra SSH key of a declared user).
const UNMANAGED_OBJECT_RULES: &[&str] = &[
    "user-unmanaged",
    "group-unmanaged",
    "role-unmanaged",
    "instance-profile-unmanaged",
    "policy-unmanaged",
];

/// Whether undeclared objects are reported at all.
pub fn reports_unmanaged(settings: &Settings) -> bool {
    settings.unmanaged == Unmanaged::Report
}

/// An object that is not declared: an unmanaged one, or one the plan creates
/// under a name known only after apply.
fn is_unmanaged_object(f: &Finding) -> bool {
    UNMANAGED_OBJECT_RULES.contains(&f.rule)
        || (f.rule.ends_with("-unknown")
            && f.resource.ends_with("/(known after apply)")
            && f.resource.matches('/').count() == 1)
}

pub fn apply(settings: &Settings, findings: Vec<Finding>) -> Vec<Finding> {
    let mut out: Vec<Finding> = findings
        .into_iter()
        .filter(|f| reports_unmanaged(settings) || !is_unmanaged_object(f))
        .filter(|f| !settings.ignore.iter().any(|p| ignores(&p.value, f)))
        .map(|mut f| {
            if let Some(sev) = settings.severity.get(f.rule) {
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
/// Ignoring an object ignores what hangs on it (a user's SSH keys).
pub fn ignores(pattern: &str, finding: &Finding) -> bool {
    let mut parts = finding.resource.splitn(3, '/');
    let kind = parts.next().unwrap_or("");
    let name = parts.next().unwrap_or("");
    match pattern.split_once(':') {
        Some((pkind, glob)) => {
            if pkind != kind {
                return false;
            }
            if glob_match(glob, name) {
                return true;
            }
            let full = format!("{}{name}", finding.path.as_deref().unwrap_or("/"));
            glob_match(glob, &full)
        }
        None => {
            glob_match(pattern, &finding.resource) || glob_match(pattern, &format!("{kind}/{name}"))
        }
    }
}

/// `*` matches any run of characters (slashes too), `?` any one character.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}
