//! IAM policies judged by what they grant. Pure: no I/O.
//!
//! - [`doc`]: documents normalized and compared by meaning (text that differs
//!   only in spelling is equal);
//! - [`atoms`], [`glob`], [`principal`], [`condition`]: a document split into
//!   atoms, and inclusion of patterns, principals and conditions;
//! - [`eval`]: one concrete request judged by one document;
//! - [`compare`]: two documents compared (equal, narrowed, widened, both,
//!   cannot tell), with witnesses;
//! - [`risk`], [`trust`], [`managed`]: how bad a grant is;
//! - [`guardrail`]: what every trust and identity policy must satisfy;
//! - [`catalogue`]: every IAM action by service, a dated snapshot.

pub mod atoms;
pub mod catalogue;
pub mod compare;
pub mod condition;
pub mod doc;
pub mod eval;
pub mod glob;
pub mod guardrail;
pub mod managed;
pub mod principal;
pub mod risk;
pub mod tree;
pub mod trust;

use crate::finding::Severity;
use atoms::Atoms;
use compare::{Comparison, Verdict};
use doc::PolicyDoc;
use risk::Concern;

/// What kind of document is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocKind {
    /// An identity policy (inline, or a managed policy's version).
    Permissions,
    /// A role's trust policy.
    Trust,
}

/// A comparison and how bad its result is.
#[derive(Debug, Clone)]
pub struct Judgement {
    pub comparison: Comparison,
    /// What makes the new grants worse than an ordinary widening, worst first.
    pub concerns: Vec<Concern>,
    /// The severity of the change (meaningless for `Equal`).
    pub severity: Severity,
}

impl Judgement {
    pub fn verdict(&self) -> Verdict {
        self.comparison.verdict
    }

    /// The witnesses as plain data for a finding: what is newly allowed (or no
    /// longer denied), then, for a narrowed document, what is no longer
    /// allowed; as `explain` lists them.
    pub fn witnesses(&self) -> Vec<crate::finding::Witness> {
        use crate::finding::WitnessChange;
        let c = &self.comparison;
        let mut out: Vec<_> = c
            .widened
            .iter()
            .map(|w| {
                let change = if w.dropped_deny {
                    WitnessChange::NoLongerDenied
                } else {
                    WitnessChange::Allowed
                };
                w.to_finding(change)
            })
            .collect();
        if matches!(c.verdict, Verdict::Narrowed | Verdict::Both) {
            out.extend(
                c.narrowed
                    .iter()
                    .map(|w| w.to_finding(crate::finding::WitnessChange::NoLongerAllowed)),
            );
        }
        out
    }

    /// The concerns and witnesses as one clause for a message: what is newly
    /// allowed, and why that is bad.
    pub fn explain(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        let list = |dropped: bool| {
            self.comparison
                .widened
                .iter()
                .filter(|w| w.dropped_deny == dropped)
                .map(compare::Witness::describe)
                .collect::<Vec<_>>()
                .join("; ")
        };
        for (dropped, verb) in [(false, "newly allows"), (true, "no longer denies")] {
            let shown = list(dropped);
            if !shown.is_empty() {
                parts.push(format!("{verb} {shown}"));
            }
        }
        for c in self.concerns.iter().take(3) {
            parts.push(c.what.clone());
        }
        if self.comparison.verdict == Verdict::CannotTell {
            for r in &self.comparison.reasons {
                parts.push(format!("cannot tell: {r}"));
            }
        }
        if matches!(self.comparison.verdict, Verdict::Narrowed | Verdict::Both)
            && !self.comparison.narrowed.is_empty()
        {
            parts.push(format!(
                "no longer allows {}",
                self.comparison
                    .narrowed
                    .iter()
                    .map(compare::Witness::describe)
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
        parts.join("; ")
    }
}

fn atoms_of(doc: Option<&PolicyDoc>) -> Atoms {
    match doc {
        None => Atoms::default(),
        Some(d) => match d.invalid_reason() {
            Some(reason) => Atoms {
                problems: vec![format!("not a valid policy document ({reason})")],
                ..Atoms::default()
            },
            None => Atoms::of_text(d.normalized_text()),
        },
    }
}

fn concerns(
    kind: DocKind,
    grants: &[atoms::Atom],
    new: &Atoms,
    trusted: &trust::Trusted<'_>,
) -> Vec<(usize, Concern)> {
    let mut out = Vec::new();
    for (i, grant) in grants.iter().enumerate() {
        let found = match kind {
            DocKind::Permissions => risk::permission_concerns(grant, new),
            DocKind::Trust => trust::trust_concerns(grant, trusted),
        };
        for c in found {
            if !out.iter().any(|(_, o): &(usize, Concern)| o.what == c.what) {
                out.push((i, c));
            }
        }
    }
    out
}

/// Compares the baseline's document (`old`, `None`: no document) with the one
/// observed (`new`), and rates the change: narrowed is low; widened is high, or
/// worse by what it grants; cannot tell is medium, or worse by what it may grant.
pub fn judge(
    kind: DocKind,
    old: Option<&PolicyDoc>,
    new: Option<&PolicyDoc>,
    trusted: &trust::Trusted<'_>,
) -> Judgement {
    let o = atoms_of(old);
    let n = atoms_of(new);
    let comparison = compare::compare_atoms(&o, &n);
    let found = concerns(kind, &comparison.grants, &n, trusted);
    let floor = match comparison.verdict {
        Verdict::Equal | Verdict::Narrowed => Severity::Low,
        Verdict::CannotTell => Severity::Medium,
        Verdict::Widened | Verdict::Both => {
            // A grant with no concern is an ordinary widening (high); one with
            // concerns is as bad as they say (an organization-wide GitHub trust
            // is medium).
            let plain = comparison.denies_dropped
                || (0..comparison.grants.len()).any(|i| !found.iter().any(|(g, _)| *g == i));
            if plain || found.is_empty() {
                Severity::High
            } else {
                Severity::Info
            }
        }
    };
    let severity = found
        .iter()
        .map(|(_, c)| c.severity)
        .chain([floor])
        .max()
        .unwrap_or(floor);
    let mut concerns: Vec<Concern> = found.into_iter().map(|(_, c)| c).collect();
    concerns.sort_by_key(|c| std::cmp::Reverse(c.severity));
    Judgement {
        comparison,
        concerns,
        severity,
    }
}

/// Rates a document on its own (an undeclared object's): medium, or worse by
/// what it grants.
pub fn judge_alone(kind: DocKind, doc: &PolicyDoc, trusted: &trust::Trusted<'_>) -> Judgement {
    let mut j = judge(kind, None, Some(doc), trusted);
    let worst = j.concerns.first().map(|c| c.severity);
    j.severity = worst.map_or(Severity::Medium, |w| w.max(Severity::Medium));
    j
}

/// A document rated on its own, without the search for witnesses that a
/// finding about the document itself shows: what it grants and what of that
/// is worse than ordinary.
pub struct Alone {
    /// The Allow atoms it grants (no unconditional Deny of its own covers
    /// them; all of them when it cannot be read in full).
    pub grants: Vec<atoms::Atom>,
    /// Worst first.
    pub concerns: Vec<Concern>,
}

/// What [`alone`] says of a document, without the grants themselves: what
/// the rating of an undeclared object keeps. A large plan rates one document
/// many times (one trust policy for every EC2 role), and this is what is
/// kept for each distinct document.
#[derive(Debug, Clone)]
pub struct Rating {
    /// How many Allow atoms it grants (none: it only denies).
    pub grants: usize,
    /// Worst first.
    pub concerns: Vec<Concern>,
}

impl Rating {
    /// As `judge_alone` rates it: medium, or worse by what it grants.
    pub fn severity(&self) -> Severity {
        self.concerns
            .first()
            .map_or(Severity::Medium, |c| c.severity.max(Severity::Medium))
    }
}

impl From<Alone> for Rating {
    fn from(a: Alone) -> Rating {
        Rating {
            grants: a.grants.len(),
            concerns: a.concerns,
        }
    }
}

/// Rates an undeclared object's document (or an attached policy's) as
/// `judge_alone` does, with the same concerns.
pub fn alone(kind: DocKind, doc: &PolicyDoc, trusted: &trust::Trusted<'_>) -> Alone {
    let n = atoms_of(Some(doc));
    let grants = compare::grants_alone(&n);
    let mut concerns: Vec<Concern> = concerns(kind, &grants, &n, trusted)
        .into_iter()
        .map(|(_, c)| c)
        .collect();
    concerns.sort_by_key(|c| std::cmp::Reverse(c.severity));
    Alone { grants, concerns }
}
