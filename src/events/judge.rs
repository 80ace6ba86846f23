//! IAM writes judged by what they grant, as the diff judges the same change
//! in a plan, a state or the live account: an attached policy by the managed
//! table, a new document against the baseline's (or on its own when the
//! baseline declares none), a trust by the trust rules, credentials for
//! another user and a lifted boundary as the escalation steps they are.

use super::Event;
use crate::baseline::{Baseline, PrincipalSpec};
use crate::finding::Severity;
use crate::identity::{Kind, ResourceId, RuleId};
use crate::policy::compare::Verdict;
use crate::policy::trust::Trusted;
use crate::policy::{self, managed, DocKind, Judgement};
use crate::policy_doc::PolicyDoc;

/// What a judged event did: its rule, severity and message.
pub struct Judged {
    pub rule: RuleId,
    pub severity: Severity,
    pub message: String,
    /// What a judged document newly allows (or no longer allows).
    pub witnesses: Vec<crate::finding::Witness>,
}

fn judged(rule: RuleId, severity: Severity, message: String) -> Option<Judged> {
    Some(Judged {
        rule,
        severity,
        message,
        witnesses: Vec::new(),
    })
}

/// A judged document's change, with its witnesses.
fn judged_doc(rule: RuleId, severity: Severity, message: String, j: &Judgement) -> Option<Judged> {
    Some(Judged {
        witnesses: j.witnesses(),
        ..judged(rule, severity, message)?
    })
}

/// The permission-policy rules of a principal kind.
fn rules_of(kind: Kind) -> Option<(RuleId, RuleId, RuleId)> {
    Some(match kind {
        Kind::User => (
            RuleId::USER_POLICY_WIDENED,
            RuleId::USER_POLICY_NARROWED,
            RuleId::USER_CHANGED,
        ),
        Kind::Group => (
            RuleId::GROUP_POLICY_WIDENED,
            RuleId::GROUP_POLICY_NARROWED,
            RuleId::GROUP_CHANGED,
        ),
        Kind::Role => (
            RuleId::ROLE_POLICY_WIDENED,
            RuleId::ROLE_POLICY_NARROWED,
            RuleId::ROLE_CHANGED,
        ),
        _ => return None,
    })
}

/// What the baseline declares of a principal.
fn spec<'b>(b: Option<&'b Baseline>, r: &ResourceId) -> Option<&'b PrincipalSpec> {
    let b = b?;
    let name = r.name()?.as_str();
    match r.kind() {
        Kind::User => b.users.get(name).map(|u| &u.principal),
        Kind::Group => b.groups.get(name).map(|g| &g.principal),
        Kind::Role => b.roles.get(name).map(|r| &r.principal),
        _ => None,
    }
}

/// The accounts a trust may name: the baseline's, the trusted ones, and the
/// account the event happened in.
fn trusted(b: Option<&Baseline>, e: &Event) -> Vec<String> {
    let mut out: Vec<String> = e.account.iter().cloned().collect();
    if let Some(b) = b {
        out.extend(b.settings.trusted_accounts.iter().map(|a| a.value.clone()));
        out.extend(
            b.account
                .as_ref()
                .and_then(|a| a.id.as_ref())
                .map(|i| i.value.clone()),
        );
    }
    out
}

/// A document of a request parameter, URL-encoded or not.
fn document(e: &Event) -> Option<Result<PolicyDoc, String>> {
    e.req("policyDocument").map(PolicyDoc::from_text)
}

/// The rule, severity and words of a judgement; `alone` when there was no
/// baseline document to compare with (then only what is risky on its own
/// makes it `-widened`).
fn verdict(
    j: &Judgement,
    rules: (RuleId, RuleId, RuleId),
    alone: bool,
) -> (RuleId, Severity, &'static str) {
    match j.verdict() {
        Verdict::Widened | Verdict::Both if alone && j.concerns.is_empty() => (
            rules.2,
            Severity::Medium,
            "grants what no baseline document declares",
        ),
        Verdict::Widened | Verdict::Both if alone => (rules.0, j.severity, "grants"),
        Verdict::Widened | Verdict::Both => (rules.0, j.severity, "widens it"),
        Verdict::Narrowed if alone => (rules.1, Severity::Low, "only denies"),
        Verdict::Narrowed => (rules.1, Severity::Low, "narrows it"),
        Verdict::Equal if alone => (rules.2, Severity::Low, "grants nothing"),
        Verdict::Equal => (
            rules.2,
            Severity::Info,
            "leaves it as the baseline declares",
        ),
        Verdict::CannotTell => (rules.2, j.severity, "may widen it"),
    }
}

fn explained(j: &Judgement) -> String {
    let why = j.explain();
    if why.is_empty() {
        String::new()
    } else {
        format!(": {why}")
    }
}

/// What a write breaks of the baseline's guardrails.
fn guardrails(e: &Event, resource: &ResourceId, b: Option<&Baseline>) -> Option<Judged> {
    use crate::policy::guardrail::{
        attachment_violations, permission_violations, trust_violations,
    };
    let g = b?.guardrails.as_ref()?;
    let lists = g.lists();
    let own = trusted(b, e);
    let rails = lists.rails(&own);
    let doc = || document(e).and_then(Result::ok);
    let default_version = e
        .request
        .get("setAsDefault")
        .is_some_and(|v| v.as_bool() == Some(true) || v.as_str() == Some("true"));
    let found = match e.name.as_str() {
        "UpdateAssumeRolePolicy" | "CreateRole" => {
            let text = e
                .req("policyDocument")
                .or_else(|| e.req("assumeRolePolicyDocument"));
            text.and_then(|t| PolicyDoc::from_text(t).ok())
                .map(|d| trust_violations(&d, &rails))
        }
        "PutUserPolicy" | "PutGroupPolicy" | "PutRolePolicy" => {
            doc().map(|d| permission_violations(&d, &rails))
        }
        "CreatePolicyVersion" if default_version => {
            doc().map(|d| permission_violations(&d, &rails))
        }
        "AttachUserPolicy" | "AttachGroupPolicy" | "AttachRolePolicy" => e
            .req("policyArn")
            .map(|arn| attachment_violations(arn, &rails)),
        _ => None,
    }?;
    let first = found.first()?;
    let what: Vec<String> = found.iter().map(|v| v.what.clone()).collect();
    judged(
        RuleId::GUARDRAIL_VIOLATED,
        Severity::Critical,
        format!(
            "{} on `{resource}` breaks `guardrails.{}`: {}",
            e.name,
            first.rail.key(),
            what.join("; ")
        ),
    )
}

/// Judges an event drift can rate by what it grants; `None` leaves it to
/// the rule of its name. A write that breaks a guardrail is that first.
pub fn judge(e: &Event, resource: &ResourceId, b: Option<&Baseline>) -> Option<Judged> {
    if let Some(broken) = guardrails(e, resource, b) {
        return Some(broken);
    }
    let accounts = trusted(b, e);
    let trusted = Trusted {
        accounts: &accounts,
    };
    let kind = resource.kind();
    let by_someone_else = || {
        let target = resource.name().map(|n| n.as_str());
        !(e.actor.kind.as_deref() == Some("IAMUser") && e.actor.user_name.as_deref() == target)
    };
    match e.name.as_str() {
        "AttachUserPolicy" | "AttachGroupPolicy" | "AttachRolePolicy" => {
            let rules = rules_of(kind)?;
            let arn = e.req("policyArn")?;
            let (rule, severity, why) = match managed::lookup(arn) {
                Some(Some(m)) if m.denies => (rules.1, Severity::Low, format!("it only denies ({})", m.grants)),
                Some(Some(m)) => (rules.0, m.severity.max(Severity::High), format!("it grants {}", m.grants)),
                Some(None) => (
                    rules.2,
                    Severity::Medium,
                    format!("may widen: an AWS managed policy drift's table (as of {}) does not know", managed::AS_OF),
                ),
                None => {
                    let name = arn.rsplit('/').next().unwrap_or(arn);
                    let declared = b.and_then(|b| b.policies.get(name)).and_then(|p| p.document.as_ref());
                    match declared {
                        Some(doc) => {
                            let j = policy::judge_alone(DocKind::Permissions, &doc.value, &trusted);
                            let (rule, sev, _) = verdict(&j, rules, false);
                            (rule, sev.max(Severity::High), format!("its baseline document{}", explained(&j)))
                        }
                        None => (
                            rules.2,
                            Severity::Medium,
                            "may widen: the baseline does not declare that customer managed policy's document".into(),
                        ),
                    }
                }
            };
            judged(rule, severity, format!("attached `{arn}` to `{resource}`; {why}"))
        }
        "DetachUserPolicy" | "DetachGroupPolicy" | "DetachRolePolicy" => {
            let rules = rules_of(kind)?;
            let arn = e.req("policyArn")?;
            let (rule, severity, why) = match managed::lookup(arn) {
                Some(Some(m)) if m.denies => (rules.0, Severity::High, format!("its denials are lifted ({})", m.grants)),
                Some(Some(m)) => (rules.1, Severity::Low, format!("it granted {}", m.grants)),
                _ => (rules.2, Severity::Medium, "may widen if it held Deny statements".to_string()),
            };
            judged(rule, severity, format!("detached `{arn}` from `{resource}`; {why}"))
        }
        "PutUserPolicy" | "PutGroupPolicy" | "PutRolePolicy" => {
            let rules = rules_of(kind)?;
            let name = e.req("policyName").unwrap_or("(not in the record)");
            let Some(Ok(new)) = document(e) else {
                return judged(
                    rules.2,
                    Severity::Medium,
                    format!("put inline policy `{name}` on `{resource}`; the record does not hold a readable document"),
                );
            };
            let declared = spec(b, resource)
                .and_then(|p| p.inline_policies.as_ref())
                .and_then(|m| m.value.get(name))
                .map(|d| &d.value);
            let j = match declared {
                Some(old) => policy::judge(DocKind::Permissions, Some(old), Some(&new), &trusted),
                None => policy::judge_alone(DocKind::Permissions, &new, &trusted),
            };
            let (rule, severity, verb) = verdict(&j, rules, declared.is_none());
            let against = if declared.is_some() { "the baseline's document" } else { "no baseline document" };
            judged_doc(
                rule,
                severity,
                format!("put inline policy `{name}` on `{resource}` ({against}): {verb}{}", explained(&j)),
                &j,
            )
        }
        "UpdateAssumeRolePolicy" => {
            let rules = (RuleId::ROLE_TRUST_WIDENED, RuleId::ROLE_TRUST_NARROWED, RuleId::ROLE_CHANGED);
            let Some(Ok(new)) = document(e) else {
                return judged(
                    RuleId::ROLE_CHANGED,
                    Severity::Medium,
                    format!("changed the trust policy of `{resource}`; the record does not hold a readable document"),
                );
            };
            let declared = b
                .and_then(|b| b.roles.get(resource.name()?.as_str()))
                .and_then(|r| r.assume_role_policy.as_ref())
                .map(|d| &d.value);
            let j = match declared {
                Some(old) => policy::judge(DocKind::Trust, Some(old), Some(&new), &trusted),
                None => policy::judge_alone(DocKind::Trust, &new, &trusted),
            };
            let (rule, severity, verb) = verdict(&j, rules, declared.is_none());
            judged_doc(rule, severity, format!("changed the trust policy of `{resource}`: {verb}{}", explained(&j)), &j)
        }
        "CreatePolicyVersion" => {
            let name = resource.name().map(|n| n.as_str()).unwrap_or("");
            let default = e
                .request
                .get("setAsDefault")
                .is_some_and(|v| v.as_bool() == Some(true) || v.as_str() == Some("true"));
            if !default {
                return judged(
                    RuleId::POLICY_CHANGED,
                    Severity::Low,
                    format!("created a version of `{resource}` that is not the default (not in force until SetDefaultPolicyVersion)"),
                );
            }
            let Some(Ok(new)) = document(e) else {
                return judged(
                    RuleId::POLICY_CHANGED,
                    Severity::Medium,
                    format!("made a new default version of `{resource}`; the record does not hold a readable document"),
                );
            };
            let declared = b.and_then(|b| b.policies.get(name)).and_then(|p| p.document.as_ref()).map(|d| &d.value);
            let j = match declared {
                Some(old) => policy::judge(DocKind::Permissions, Some(old), Some(&new), &trusted),
                None => policy::judge_alone(DocKind::Permissions, &new, &trusted),
            };
            let (rule, severity, verb) = verdict(
                &j,
                (RuleId::POLICY_WIDENED, RuleId::POLICY_NARROWED, RuleId::POLICY_CHANGED),
                declared.is_none(),
            );
            judged_doc(rule, severity, format!("made a new default version of `{resource}`: {verb}{}", explained(&j)), &j)
        }
        "SetDefaultPolicyVersion" => judged(
            RuleId::POLICY_CHANGED,
            Severity::High,
            format!(
                "set version {} as the default of `{resource}`: rolling a policy back to an older, broader version is a known escalation",
                e.req("versionId").unwrap_or("(not in the record)")
            ),
        ),
        "AddUserToGroup" => {
            let group = e.req("groupName")?;
            let declared = b.and_then(|b| b.groups.get(group));
            let Some(g) = declared else {
                return judged(
                    RuleId::USER_CHANGED,
                    Severity::Medium,
                    format!("added `{resource}` to group `{group}`, which the baseline does not declare: may widen"),
                );
            };
            let mut worst = Severity::High;
            let mut grants: Vec<String> = Vec::new();
            for arn in g.principal.managed_policies.iter().flat_map(|m| m.value.iter()) {
                if let Some(Some(m)) = managed::lookup(&arn.value) {
                    if !m.denies {
                        worst = worst.max(m.severity);
                        grants.push(format!("`{}` ({})", arn.value, m.grants));
                    }
                }
            }
            for (pname, doc) in g.principal.inline_policies.iter().flat_map(|m| m.value.iter()) {
                let j = policy::judge_alone(DocKind::Permissions, &doc.value, &trusted);
                if let Some(c) = j.concerns.first() {
                    worst = worst.max(c.severity);
                    grants.push(format!("inline policy `{pname}`: {}", c.what));
                }
            }
            let what = if grants.is_empty() {
                String::new()
            } else {
                format!(": the group grants {}", grants.join("; "))
            };
            judged(
                RuleId::USER_POLICY_WIDENED,
                worst,
                format!("added `{resource}` to group `{group}`{what}"),
            )
        }
        "CreateLoginProfile" | "UpdateLoginProfile" if by_someone_else() => {
            let verb = if e.name == "CreateLoginProfile" { "set" } else { "reset" };
            // A role session named after the user is most likely the user
            // (a federated sign-in); a name is no proof, so it is still listed.
            let target = resource.name().map(|n| n.as_str());
            let session = e.actor.arn.as_deref().and_then(|a| a.rsplit('/').next());
            if e.actor.kind.as_deref() == Some("AssumedRole") && session.is_some() && session == target {
                return judged(
                    RuleId::LOGIN_PROFILE_UNMANAGED,
                    Severity::Medium,
                    format!("{verb} the console password of `{resource}` from a role session of the same name (most likely the user itself)"),
                );
            }
            judged(
                RuleId::LOGIN_PROFILE_UNMANAGED,
                Severity::High,
                format!(
                    "{verb} the console password of `{resource}` as another principal: whoever knows it signs in as that user (a known privilege-escalation step)"
                ),
            )
        }
        "DeleteUserPermissionsBoundary" | "DeleteRolePermissionsBoundary" => judged(
            RuleId::PERMISSIONS_BOUNDARY_REMOVED,
            Severity::High,
            format!("removed the permissions boundary of `{resource}`: nothing caps its permissions any more"),
        ),
        _ => None,
    }
}
