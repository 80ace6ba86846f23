//! The baseline's guardrails over every user, group, role and customer
//! managed policy the source shows, declared or not: `guardrail-violated`,
//! naming the guardrail's place in the baseline.

use super::Cx;
use crate::baseline::{Baseline, Guardrails};
use crate::finding::{Loc, Origin};
use crate::identity::{Kind, ResourceId, RuleId};
use crate::policy::guardrail::{
    attachment_violations, permission_violations, trust_violations, Rail, Rails, Violation,
};
use crate::policy_doc::PolicyDoc;
use crate::state::{IamState, Members, Obj, Principal};
use std::collections::BTreeSet;

/// Where each guardrail is declared.
fn loc_of(g: &Guardrails, rail: Rail) -> Loc {
    match rail {
        Rail::TrustedAccounts => g.trusted_accounts.as_ref().map(|s| s.loc),
        Rail::TrustedOidcSubjects => g.trusted_oidc_subjects.as_ref().map(|s| s.loc),
        Rail::NeverAllow => g.never_allow.as_ref().map(|s| s.loc),
        Rail::PublicTrust => g.public_trust_forbidden.as_ref().map(|s| s.loc),
    }
    .unwrap_or(g.loc)
}

struct Check<'a> {
    g: &'a Guardrails,
    rails: Rails<'a>,
}

/// One object to check: what it is, where it was seen, what it holds.
struct Subject<'a> {
    kind: Kind,
    resource: ResourceId,
    origin: &'a Origin,
    path: Option<&'a str>,
    sensitive: &'a BTreeSet<&'static str>,
    unknown: &'a BTreeSet<&'static str>,
}

impl Cx {
    fn violation(
        &mut self,
        c: &Check<'_>,
        s: &Subject<'_>,
        part: &str,
        v: Violation,
        hidden: bool,
    ) {
        let what = if hidden {
            format!("{part} breaks it (the document is sensitive: not shown)")
        } else {
            format!("{part} {}", v.what)
        };
        self.draft(RuleId::GUARDRAIL_VIOLATED, s.resource.clone(), s.origin, {
            let mut m = format!(
                "{} `{}`: {what}",
                s.kind.noun(),
                s.resource.name().map_or("", |n| n.as_str())
            );
            if !m.contains("guardrails.") {
                m.push_str(&format!("; `guardrails.{}` forbids it", v.rail.key()));
            }
            m
        })
        .field(format!("guardrails.{}", v.rail.key()))
        .at(loc_of(c.g, v.rail))
        .path(s.path)
        .push();
    }

    fn principal_rails(&mut self, c: &Check<'_>, s: &Subject<'_>, p: &Principal) {
        if let Some(set) = &p.managed_policies {
            for arn in set.present_names() {
                if self.touches_secret(arn) {
                    continue;
                }
                for v in attachment_violations(arn, &c.rails) {
                    self.violation(c, s, &format!("managed policy `{arn}`"), v, false);
                }
            }
        }
        if let Some(docs) = &p.inline_policies {
            for (name, o) in &docs.items {
                let Some(doc) = &o.value else { continue };
                if o.unknown.contains("policy") {
                    continue;
                }
                let hidden = o.sensitive.contains("policy") || s.sensitive.contains("policy");
                for v in permission_violations(doc, &c.rails) {
                    self.violation(c, s, &format!("inline policy `{name}`"), v, hidden);
                }
            }
        }
    }
}

fn objects<T>(members: &Members<T>) -> impl Iterator<Item = (ResourceIdSeed<'_>, &Obj<T>, &T)> {
    let named = members.items.iter().filter_map(|(name, o)| {
        o.value
            .as_ref()
            .map(|v| (ResourceIdSeed::Named(name), o, v))
    });
    let unnamed = members.unknown.iter().filter_map(|o| {
        o.value
            .as_ref()
            .map(|v| (ResourceIdSeed::AfterApply(o.origin.address()), o, v))
    });
    named.chain(unnamed)
}

enum ResourceIdSeed<'a> {
    Named(&'a str),
    AfterApply(&'a str),
}

impl ResourceIdSeed<'_> {
    fn id(&self, kind: Kind) -> ResourceId {
        match self {
            ResourceIdSeed::Named(n) => ResourceId::object(kind, *n),
            ResourceIdSeed::AfterApply(at) => ResourceId::after_apply(kind, *at),
        }
    }
}

fn subject<'a, T>(
    kind: Kind,
    seed: &ResourceIdSeed<'_>,
    o: &'a Obj<T>,
    path: Option<&'a str>,
) -> Subject<'a> {
    Subject {
        kind,
        resource: seed.id(kind),
        origin: &o.origin,
        path,
        sensitive: &o.sensitive,
        unknown: &o.unknown,
    }
}

pub(super) fn check(cx: &mut Cx, baseline: &Baseline, state: &IamState) {
    let Some(g) = &baseline.guardrails else {
        return;
    };
    let lists = g.lists();
    let own = cx.trusted.clone();
    let c = Check {
        g,
        rails: lists.rails(&own),
    };
    if c.rails.is_empty() {
        return;
    }
    for (seed, o, role) in objects(&state.roles) {
        let s = subject(Kind::Role, &seed, o, role.principal.path.as_deref());
        if let Some(doc) = role
            .assume_role_policy
            .as_ref()
            .filter(|_| !s.unknown.contains("assume_role_policy"))
        {
            let hidden = s.sensitive.contains("assume_role_policy");
            for v in trust_violations(doc, &c.rails) {
                cx.violation(&c, &s, "its trust policy", v, hidden);
            }
        }
        cx.principal_rails(&c, &s, &role.principal);
    }
    for (seed, o, user) in objects(&state.users) {
        let s = subject(Kind::User, &seed, o, user.principal.path.as_deref());
        cx.principal_rails(&c, &s, &user.principal);
    }
    for (seed, o, group) in objects(&state.groups) {
        let s = subject(Kind::Group, &seed, o, group.principal.path.as_deref());
        cx.principal_rails(&c, &s, &group.principal);
    }
    for (seed, o, policy) in objects(&state.policies) {
        let s = subject(Kind::Policy, &seed, o, policy.path.as_deref());
        if let Some(doc) = policy
            .document
            .as_ref()
            .filter(|_| !s.unknown.contains("document"))
        {
            let hidden: bool = s.sensitive.contains("document");
            let doc: &PolicyDoc = doc;
            for v in permission_violations(doc, &c.rails) {
                cx.violation(&c, &s, "its default version", v, hidden);
            }
        }
    }
}
