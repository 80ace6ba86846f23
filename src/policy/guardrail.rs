//! Guardrails: what every trust and identity policy must satisfy, whoever
//! declared it. Pure: the rails come in as plain lists.
//! - `trusted_accounts`: the only accounts a trust may name (with the own ones);
//! - `trusted_oidc_subjects`: patterns every `sub` of a GitHub Actions OIDC
//!   trust must fall inside (a trust with no `sub` falls inside none);
//! - `never_allow`: action patterns no identity policy may allow on every
//!   resource (an atom whose actions may overlap the pattern violates it);
//! - `public_trust: forbidden`: no trust lets everyone in (`*` without an
//!   organization or account condition, or an Allow with `NotPrincipal`).

use super::atoms::{Atoms, Names, Principals};
use super::condition::Family;
use super::doc::PolicyDoc;
use super::glob;
use super::principal::Who;
use super::trust::{self, GITHUB_ISSUER};

/// Which guardrail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rail {
    TrustedAccounts,
    TrustedOidcSubjects,
    NeverAllow,
    PublicTrust,
}

impl Rail {
    /// The key in `guardrails`.
    pub fn key(self) -> &'static str {
        match self {
            Rail::TrustedAccounts => "trusted_accounts",
            Rail::TrustedOidcSubjects => "trusted_oidc_subjects",
            Rail::NeverAllow => "never_allow",
            Rail::PublicTrust => "public_trust",
        }
    }
}

/// The guardrails in force.
#[derive(Debug, Clone, Default)]
pub struct Rails<'a> {
    /// `None`: any account may be named.
    pub trusted_accounts: Option<&'a [String]>,
    /// Accounts that are always trusted (the account read, `account.id`).
    pub own_accounts: &'a [String],
    pub trusted_oidc_subjects: Option<&'a [String]>,
    pub never_allow: Option<&'a [String]>,
    pub public_trust_forbidden: bool,
}

impl Rails<'_> {
    pub fn is_empty(&self) -> bool {
        self.trusted_accounts.is_none()
            && self.trusted_oidc_subjects.is_none()
            && self.never_allow.is_none_or(<[String]>::is_empty)
            && !self.public_trust_forbidden
    }
}

/// One violation: the rail, and what breaks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub rail: Rail,
    pub what: String,
}

fn atoms(doc: &PolicyDoc) -> Option<Atoms> {
    doc.invalid_reason()
        .is_none()
        .then(|| Atoms::of_text(doc.normalized_text()))
}

/// What a trust policy breaks.
pub fn trust_violations(doc: &PolicyDoc, rails: &Rails<'_>) -> Vec<Violation> {
    let mut out: Vec<Violation> = Vec::new();
    let Some(doc) = atoms(doc) else {
        return out;
    };
    let mut push = |rail: Rail, what: String| {
        if !out.iter().any(|v| v.rail == rail && v.what == what) {
            out.push(Violation { rail, what });
        }
    };
    for a in doc.allows() {
        match &a.principal {
            Principals::AllBut(_) if rails.public_trust_forbidden => push(
                Rail::PublicTrust,
                format!(
                    "an Allow with `NotPrincipal` lets in {}",
                    a.principal.show()
                ),
            ),
            Principals::One(w)
                if w.is_public()
                    && rails.public_trust_forbidden
                    && !trust::trust_concerns(a, &trust::Trusted::default()).is_empty() =>
            {
                push(
                    Rail::PublicTrust,
                    format!(
                        "principal `{w}` with no organization or account condition lets anyone assume the role"
                    ),
                );
            }
            Principals::One(w @ (Who::Account(_) | Who::Arn(_))) => {
                if let (Some(list), Some(account)) = (rails.trusted_accounts, w.account()) {
                    if !list.iter().chain(rails.own_accounts).any(|t| t == account) {
                        push(
                            Rail::TrustedAccounts,
                            format!("trusts account {account}, which is not in `guardrails.trusted_accounts`"),
                        );
                    }
                }
            }
            Principals::One(Who::Named { kind, name })
                if kind == "Federated" && name.contains(GITHUB_ISSUER) =>
            {
                let Some(patterns) = rails.trusted_oidc_subjects else {
                    continue;
                };
                let key = format!("{GITHUB_ISSUER}:sub");
                let subs: Vec<&str> = a
                    .condition
                    .conditions
                    .iter()
                    .filter(|c| c.key == key && !c.if_exists)
                    .filter(|c| {
                        c.op.is_some_and(|o| {
                            !o.negated && matches!(o.family, Family::Equals | Family::Like)
                        })
                    })
                    .flat_map(|c| c.values.iter().map(String::as_str))
                    .collect();
                if subs.is_empty() {
                    push(
                        Rail::TrustedOidcSubjects,
                        "a GitHub Actions OIDC trust with no `sub` condition".to_string(),
                    );
                }
                for sub in subs {
                    if !patterns.iter().any(|p| glob::includes(p, sub, false)) {
                        push(
                            Rail::TrustedOidcSubjects,
                            format!("a GitHub Actions OIDC trust lets `sub` `{sub}` in, outside `guardrails.trusted_oidc_subjects`"),
                        );
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether an atom's actions may overlap a pattern.
fn overlaps(actions: &Names, pattern: &str) -> bool {
    match actions {
        Names::One(a) => !glob::disjoint(a, pattern, true),
        Names::AllBut(list) => !list.iter().any(|x| glob::includes(x, pattern, true)),
        Names::Any => true,
    }
}

fn never_allowed(actions: &Names, rails: &Rails<'_>, out: &mut Vec<Violation>) {
    for p in rails.never_allow.unwrap_or_default() {
        if overlaps(actions, p) {
            let what = format!(
                "allows `{}` on every resource, which `guardrails.never_allow` forbids (`{p}`)",
                actions.show()
            );
            if !out.iter().any(|v| v.what == what) {
                out.push(Violation {
                    rail: Rail::NeverAllow,
                    what,
                });
            }
        }
    }
}

/// What an identity policy breaks.
pub fn permission_violations(doc: &PolicyDoc, rails: &Rails<'_>) -> Vec<Violation> {
    let mut out = Vec::new();
    if rails.never_allow.is_none_or(<[String]>::is_empty) {
        return out;
    }
    let Some(doc) = atoms(doc) else {
        return out;
    };
    for a in doc.allows() {
        if a.resource.is_everything() || matches!(a.resource, Names::AllBut(_)) {
            never_allowed(&a.action, rails, &mut out);
        }
    }
    out
}

/// What an attached AWS managed policy breaks, for the few whose actions on
/// every resource are well known.
pub fn attachment_violations(arn: &str, rails: &Rails<'_>) -> Vec<Violation> {
    let mut out = Vec::new();
    let name = arn
        .strip_prefix("arn:aws:iam::aws:policy/")
        .or_else(|| arn.split_once(":iam::aws:policy/").map(|(_, n)| n));
    let actions = match name {
        Some("AdministratorAccess") => Names::One("*".into()),
        Some("IAMFullAccess") => Names::One("iam:*".into()),
        Some("PowerUserAccess") => Names::AllBut(vec![
            "iam:*".into(),
            "organizations:*".into(),
            "account:*".into(),
        ]),
        _ => return out,
    };
    never_allowed(&actions, rails, &mut out);
    out
}
