//! Who a trust policy lets in, judged on its own:
//! - a principal of `*` (or `{"AWS": "*"}`) with no condition on
//!   `aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`, `aws:PrincipalAccount`,
//!   `aws:SourceAccount`, `aws:SourceOrgID` or `aws:SourceArn`: anyone can
//!   assume the role (critical);
//! - an Allow with `NotPrincipal`: everyone but a few (critical);
//! - an account that is neither the baseline's `account.id` nor in
//!   `settings.trusted_accounts` (high);
//! - GitHub Actions' OIDC provider (`token.actions.githubusercontent.com`)
//!   with no `sub` condition, or a `sub` of `*`, `repo:*`, a wildcard
//!   organization, or only a workflow, environment or ref claim: any
//!   repository on GitHub can assume the role (critical); every repository of
//!   one organization (`repo:ORG/*`) is medium.

use super::atoms::{Atom, Principals};
use super::condition::Family;
use super::principal::Who;
use super::risk::Concern;
use crate::finding::Severity;

/// Condition keys that keep a public principal inside an organization, an
/// account or a source.
const FENCES: &[&str] = &[
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:sourceaccount",
    "aws:sourceorgid",
    "aws:sourcearn",
];

/// GitHub Actions' OIDC issuer.
pub const GITHUB_ISSUER: &str = "token.actions.githubusercontent.com";

/// The accounts a trust may name without concern.
#[derive(Debug, Clone, Default)]
pub struct Trusted<'a> {
    /// `account.id`, the account read, and `settings.trusted_accounts`.
    pub accounts: &'a [String],
}

impl Trusted<'_> {
    fn trusts(&self, account: &str) -> bool {
        self.accounts.iter().any(|a| a == account)
    }
}

/// The concerns of one grant of a trust policy.
pub fn trust_concerns(grant: &Atom, trusted: &Trusted<'_>) -> Vec<Concern> {
    let mut out = Vec::new();
    match &grant.principal {
        Principals::AllBut(_) => out.push(Concern {
            severity: Severity::Critical,
            what: format!(
                "an Allow with `NotPrincipal` lets in {}",
                grant.principal.show()
            ),
        }),
        Principals::One(w) if w.is_public() && !FENCES.iter().any(|k| grant.condition.names(k)) => {
            out.push(Concern {
                severity: Severity::Critical,
                what: format!(
                    "principal `{w}` with no `aws:PrincipalOrgID`, `aws:PrincipalAccount` or \
`aws:SourceAccount` condition: anyone in any AWS account can assume the role"
                ),
            });
        }
        Principals::One(w @ (Who::Account(_) | Who::Arn(_))) => {
            if let Some(account) = w.account() {
                if !trusted.trusts(account) {
                    out.push(Concern {
                        severity: Severity::High,
                        what: format!(
                            "account {account} is neither the baseline's account nor in `settings.trusted_accounts`"
                        ),
                    });
                }
            }
        }
        Principals::One(Who::Named { kind, name })
            if kind == "Federated" && name.contains(GITHUB_ISSUER) =>
        {
            if let Some(c) = github_concern(grant) {
                out.push(c);
            }
        }
        _ => {}
    }
    out
}

/// What a GitHub Actions OIDC trust lets in, when it is too much.
fn github_concern(grant: &Atom) -> Option<Concern> {
    let key = format!("{GITHUB_ISSUER}:sub");
    let subs: Vec<&str> = grant
        .condition
        .conditions
        .iter()
        .filter(|c| c.key == key)
        .filter(|c| {
            c.op.is_some_and(|op| !op.negated && matches!(op.family, Family::Equals | Family::Like))
                && !c.if_exists
        })
        .flat_map(|c| c.values.iter().map(String::as_str))
        .collect();
    if subs.is_empty() {
        return Some(Concern {
            severity: Severity::Critical,
            what: "GitHub Actions OIDC trust with no `sub` condition: any repository on GitHub can assume the role".into(),
        });
    }
    let mut worst: Option<Concern> = None;
    for sub in subs {
        let found = match sub_scope(sub) {
            Scope::Anyone => Concern {
                severity: Severity::Critical,
                what: format!(
                    "GitHub Actions OIDC trust with `sub` `{sub}`: repositories of any organization can assume the role"
                ),
            },
            Scope::Organization(org) => Concern {
                severity: Severity::Medium,
                what: format!(
                    "GitHub Actions OIDC trust with `sub` `{sub}`: every repository of `{org}` can assume the role"
                ),
            },
            Scope::Repository => Concern {
                severity: Severity::Medium,
                what: format!("GitHub Actions OIDC trust with `sub` `{sub}` lets that repository assume the role"),
            },
        };
        if worst.as_ref().is_none_or(|w| found.severity > w.severity) {
            worst = Some(found);
        }
    }
    worst
}

enum Scope<'a> {
    Anyone,
    Organization(&'a str),
    Repository,
}

/// How far a `sub` pattern reaches: `repo:ORG/REPO:...` is one repository,
/// `repo:ORG/*` an organization, anything else anyone.
fn sub_scope(sub: &str) -> Scope<'_> {
    let Some(rest) = sub.strip_prefix("repo:") else {
        return Scope::Anyone;
    };
    let Some((org, tail)) = rest.split_once('/') else {
        return Scope::Anyone;
    };
    if org.is_empty() || org.contains(['*', '?']) {
        return Scope::Anyone;
    }
    let repo = tail.split(':').next().unwrap_or("");
    if repo.is_empty() || repo.contains(['*', '?']) {
        return Scope::Organization(org);
    }
    Scope::Repository
}
