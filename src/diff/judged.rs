//! Policy documents and attachments judged by what they grant: a widened
//! document or a new attachment is `-widened` (high, or critical by what it
//! grants), a narrowed one `-narrowed` (low), one drift cannot judge the
//! `-changed` rule at medium ("may widen", and why).

use super::objects::Subject;
use super::{collection_origin, Cx, SENSITIVE};
use crate::baseline::Sp;
use crate::finding::{Loc, Severity};
use crate::identity::{Kind, RuleId};
use crate::policy::compare::Verdict;
use crate::policy::{self, managed, DocKind, Judgement};
use crate::policy_doc::{unified_diff, PolicyDoc};
use crate::state::{NameSet, Obj};
use serde_json::{json, Value};

/// The rules of a document's judgement.
#[derive(Clone, Copy)]
pub(super) struct Verdicts {
    pub widened: RuleId,
    pub narrowed: RuleId,
    pub changed: RuleId,
}

/// The permission-policy rules of a user, group or role.
pub(super) fn permission_rules(kind: Kind, changed: RuleId) -> Verdicts {
    let (widened, narrowed) = match kind {
        Kind::User => (RuleId::USER_POLICY_WIDENED, RuleId::USER_POLICY_NARROWED),
        Kind::Group => (RuleId::GROUP_POLICY_WIDENED, RuleId::GROUP_POLICY_NARROWED),
        Kind::Role => (RuleId::ROLE_POLICY_WIDENED, RuleId::ROLE_POLICY_NARROWED),
        _ => (RuleId::POLICY_WIDENED, RuleId::POLICY_NARROWED),
    };
    Verdicts {
        widened,
        narrowed,
        changed,
    }
}

/// A document to judge against the baseline's.
pub(super) struct DocJudged<'a> {
    pub kind: DocKind,
    pub rules: Verdicts,
    /// The finding field (`assume_role_policy`, `inline_policies.NAME`).
    pub field: &'a str,
    /// What the document is, for the message (`the trust policy of role `app``).
    pub what: String,
    /// The baseline's document; `None` when it declares none (a new policy).
    pub want: Option<&'a PolicyDoc>,
    /// The observed document; `None` when it is gone.
    pub got: Option<&'a PolicyDoc>,
    pub loc: Loc,
}

impl Cx {
    /// Judges a document and reports what changed, if anything did.
    pub(super) fn judged_doc<O, P>(&mut self, s: &Subject<O>, obj: &Obj<P>, d: DocJudged) {
        let j = policy::judge(d.kind, d.want, d.got, &self.trusted_accounts());
        let sensitive = obj
            .sensitive
            .contains(d.field.rsplit('.').next().unwrap_or(d.field))
            || obj.sensitive.contains("policy");
        let Some((rule, verb)) = verdict_rule(&j, d.rules) else {
            return;
        };
        let mut message = format!("{} {verb}", d.what);
        if sensitive {
            message.push_str(" (the document is sensitive: what it grants is not shown)");
        } else {
            let why = j.explain();
            if !why.is_empty() {
                message.push_str(": ");
                message.push_str(&why);
            }
        }
        if let Some(reason) = d.got.and_then(PolicyDoc::invalid_reason) {
            message.push_str(&format!(
                "; the source's document is not a valid policy document ({reason})"
            ));
        }
        let (observed, diff) = match d.got {
            _ if sensitive => (json!(SENSITIVE), None),
            None => (Value::Null, None),
            Some(got) => (got.value(), d.want.map(|want| unified_diff(want, got))),
        };
        self.draft(rule, s.resource.clone(), &obj.origin, message)
            .severity(j.severity)
            .field(d.field)
            .expected(d.want.map_or(Value::Null, PolicyDoc::value))
            .observed(observed)
            .diff(diff)
            .witnesses(if sensitive { Vec::new() } else { j.witnesses() })
            .at(d.loc)
            .push();
    }

    /// Managed policy attachments: an exact set, each attached or detached
    /// policy judged by what it grants.
    pub(super) fn attachments<O>(
        &mut self,
        s: &Subject<O>,
        want: &Sp<Vec<Sp<String>>>,
        have: &NameSet,
    ) {
        let (noun, name) = (s.rules.noun(), s.name);
        let rules = permission_rules(s.rules.kind, s.rules.changed);
        let field = "managed_policies";
        let expected = json!(want.value.iter().map(|s| &s.value).collect::<Vec<_>>());
        let observed = json!(have.present_names().collect::<Vec<_>>());
        if let Some(o) = have.unknown.first() {
            let (rule, message) = if want.value.is_empty() {
                // Declared empty: a policy of any ARN makes the set grow.
                (
                    rules.changed,
                    format!(
                        "{noun} `{name}` gets {} managed policy known only after apply, the baseline declares none: may widen",
                        have.unknown.len()
                    ),
                )
            } else {
                (
                    s.rules.unknown,
                    format!("the managed_policies of {noun} `{name}` are known only after apply"),
                )
            };
            self.draft(rule, s.resource.clone(), &o.origin, message)
                .field(field)
                .expected(expected.clone())
                .observed(json!("(known after apply)"))
                .at(want.loc)
                .push();
        }
        for item in &want.value {
            let origin = match have.items.get(&item.value) {
                Some(Obj { value: Some(_), .. }) => continue,
                Some(o) => o.origin.clone(),
                None if have.complete => collection_origin(have.origin.as_ref()),
                None => continue,
            };
            let (rule, severity, why) = match self.attachment_grants(&item.value) {
                Grants::Known {
                    denies: true, what, ..
                } => (
                    rules.widened,
                    Severity::High,
                    format!("the policy denied what it names ({what}): those denials are lifted"),
                ),
                Grants::Known { what, .. } => {
                    (rules.narrowed, Severity::Low, format!("it granted {what}"))
                }
                Grants::Unknown(why) => (
                    rules.changed,
                    Severity::Medium,
                    format!(
                        "may widen: {why}, so drift cannot tell whether it held Deny statements"
                    ),
                ),
            };
            self.draft(
                rule,
                s.resource.clone(),
                &origin,
                format!(
                    "{noun} `{name}` no longer has managed policy `{}`: {why}",
                    item.value
                ),
            )
            .severity(severity)
            .field(field)
            .expected(expected.clone())
            .observed(observed.clone())
            .at(item.loc)
            .push();
        }
        for (arn, o) in &have.items {
            if o.value.is_none() || want.value.iter().any(|w| &w.value == arn) {
                continue;
            }
            let (rule, severity, why) = match self.attachment_grants(arn) {
                Grants::Known {
                    severity,
                    what,
                    denies: false,
                } => (
                    rules.widened,
                    severity.max(Severity::High),
                    format!("it grants {what}"),
                ),
                Grants::Known { what, .. } => (
                    rules.narrowed,
                    Severity::Low,
                    format!("it only denies ({what})"),
                ),
                Grants::Unknown(why) => {
                    (rules.changed, Severity::Medium, format!("may widen: {why}"))
                }
            };
            self.draft(
                rule,
                s.resource.clone(),
                &o.origin,
                format!(
                    "{noun} `{name}` has managed policy `{arn}`, which the baseline does not declare: {why}"
                ),
            )
            .severity(severity)
            .field(field)
            .expected(expected.clone())
            .observed(observed.clone())
            .at(want.loc)
            .push();
        }
    }

    /// A document rated on its own, as [`policy::alone`] rates it, once per
    /// distinct document of a run.
    pub(super) fn rate(&self, kind: DocKind, doc: &PolicyDoc) -> std::rc::Rc<policy::Rating> {
        let key = (kind, doc.key());
        if let Some(r) = self.ratings.borrow().get(&key) {
            return r.clone();
        }
        let rating = std::rc::Rc::new(policy::Rating::from(policy::alone(
            kind,
            doc,
            &self.trusted_accounts(),
        )));
        self.ratings.borrow_mut().insert(key, rating.clone());
        rating
    }

    /// What an undeclared user, group or role grants that is worse than
    /// ordinary (an administrator policy, privilege escalation), worst first.
    /// Sensitive documents are judged, but what they grant is not quoted.
    /// What makes a role's trust policy alone risky: who may assume it.
    pub(super) fn trust_risk(
        &self,
        trust: Option<&PolicyDoc>,
        sensitive: &std::collections::BTreeSet<&'static str>,
    ) -> Vec<crate::policy::risk::Concern> {
        let Some(doc) = trust else {
            return Vec::new();
        };
        let hidden = sensitive.contains("assume_role_policy");
        self.rate(DocKind::Trust, doc)
            .concerns
            .iter()
            .map(|c| crate::policy::risk::Concern {
                severity: c.severity,
                what: if hidden {
                    "its trust policy grants privileged access (the document is sensitive: not \
shown)"
                        .to_string()
                } else {
                    format!("its trust policy: {}", c.what)
                },
            })
            .collect()
    }

    pub(super) fn principal_risk(
        &self,
        p: &crate::state::Principal,
        trust: Option<&PolicyDoc>,
        sensitive: &std::collections::BTreeSet<&'static str>,
    ) -> Vec<crate::policy::risk::Concern> {
        use crate::policy::risk::Concern;
        let mut out: Vec<Concern> = Vec::new();
        let add = |out: &mut Vec<Concern>, concerns: &[Concern], hidden: bool, label: &str| {
            for c in concerns {
                let what = if hidden {
                    format!(
                        "{label} grants privileged access (the document is sensitive: not shown)"
                    )
                } else {
                    format!("{label}: {}", c.what)
                };
                out.push(Concern {
                    severity: c.severity,
                    what,
                });
            }
        };
        out.extend(self.trust_risk(trust, sensitive));
        if let Some(set) = &p.managed_policies {
            for arn in set.present_names() {
                if let Grants::Known {
                    severity,
                    what,
                    denies: false,
                } = self.attachment_grants(arn)
                {
                    if severity >= Severity::High {
                        out.push(Concern {
                            severity,
                            what: format!("managed policy `{arn}` grants {what}"),
                        });
                    }
                }
            }
        }
        if let Some(docs) = &p.inline_policies {
            for (pname, o) in &docs.items {
                if let Some(doc) = &o.value {
                    let hidden = o.sensitive.contains("policy") || sensitive.contains("policy");
                    add(
                        &mut out,
                        &self.rate(DocKind::Permissions, doc).concerns,
                        hidden,
                        &format!("inline policy `{pname}`"),
                    );
                }
            }
        }
        out.sort_by_key(|c| std::cmp::Reverse(c.severity));
        out
    }

    /// What an attached policy grants, as far as drift knows.
    pub(super) fn attachment_grants(&self, arn: &str) -> Grants {
        if self.touches_secret(arn) {
            return Grants::Unknown(
                "the policy's ARN is sensitive, so drift does not look it up".into(),
            );
        }
        match managed::lookup(arn) {
            Some(Some(m)) => Grants::Known {
                severity: m.severity,
                what: m.grants.to_string(),
                denies: m.denies,
            },
            Some(None) => Grants::Unknown(format!(
                "`{arn}` is an AWS managed policy that drift's table (as of {}) does not know",
                managed::AS_OF
            )),
            None => {
                let name = arn.rsplit('/').next().unwrap_or(arn);
                match self.documents.get(name) {
                    Some(doc) => {
                        let j = self.rate(DocKind::Permissions, doc);
                        let allows = j.grants;
                        let what = match j.concerns.first() {
                            Some(c) => c.what.clone(),
                            None => format!(
                                "what customer managed policy `{name}` allows ({allows} statement part{})",
                                if allows == 1 { "" } else { "s" }
                            ),
                        };
                        Grants::Known {
                            severity: j.severity(),
                            what,
                            denies: allows == 0,
                        }
                    }
                    None => Grants::Unknown(format!(
                        "the document of customer managed policy `{name}` is not known to this check"
                    )),
                }
            }
        }
    }
}

/// What an attached policy grants.
pub(super) enum Grants {
    Known {
        severity: Severity,
        what: String,
        /// It only denies (detaching it lifts denials; attaching it grants nothing).
        denies: bool,
    },
    Unknown(String),
}

/// The rule and verb of a judgement; `None` when nothing changed.
fn verdict_rule(j: &Judgement, rules: Verdicts) -> Option<(RuleId, &'static str)> {
    Some(match j.verdict() {
        Verdict::Equal => return None,
        Verdict::Narrowed => (rules.narrowed, "is narrowed"),
        Verdict::Widened => (rules.widened, "is widened"),
        Verdict::Both => (rules.widened, "is widened (and narrowed elsewhere)"),
        Verdict::CannotTell => (rules.changed, "differs from the baseline and may widen"),
    })
}
