//! Two documents compared by what they allow: equal, narrowed, widened, both,
//! or cannot tell (with the reason).
//!
//! The new document is within the old when every Allow atom of the new one is
//! inside an Allow atom of the old one whose condition is no stricter (or
//! inside a Deny of the new one that has no condition), and every Deny atom of
//! the old one is inside a Deny of the new one that applies at least as often.
//! Then no request is treated better by the new document than by the old one.
//! That test is sound but not complete (an atom covered only by two old atoms
//! together is not seen as covered), so drift says "widened" only with a
//! witness: a concrete request, built from the atom that is not covered, that
//! the new document treats better than the old one (allowed where the old one
//! did not allow it, or no longer explicitly denied). Without a witness the
//! verdict is "cannot tell", never "equal" or "narrowed".

use super::atoms::{Atom, Atoms, Names, Principals, StatementRef};
use super::condition::Context;
use super::eval::{decide, Decision, Request};
use super::glob;
use super::principal::{Caller, Who};
use serde_json::Value;

/// The verdict of a comparison, from the old document to the new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Equal,
    Narrowed,
    Widened,
    Both,
    CannotTell,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Equal => "equal",
            Verdict::Narrowed => "narrowed",
            Verdict::Widened => "widened",
            Verdict::Both => "widened and narrowed",
            Verdict::CannotTell => "cannot tell",
        }
    }
}

/// A request one document treats better than the other, and the atom it comes
/// from.
#[derive(Debug, Clone)]
pub struct Witness {
    /// The atom's action pattern, resource pattern and principal, as written.
    pub action: String,
    pub resource: String,
    pub principal: String,
    pub statement: StatementRef,
    /// Whether the atom is a Deny that the other document dropped.
    pub dropped_deny: bool,
    /// The concrete request that shows it, checked against both documents.
    pub request: Request,
    pub better: Decision,
    pub worse: Decision,
}

impl Witness {
    /// The witness as a finding's plain data.
    pub fn to_finding(&self, change: crate::finding::WitnessChange) -> crate::finding::Witness {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
        crate::finding::Witness {
            change,
            action: self.action.clone(),
            resource: some(&self.resource),
            principal: some(&self.principal),
            statement_index: self.statement.index,
            sid: self.statement.sid.clone(),
            request: crate::finding::WitnessRequest {
                action: self.request.action.clone(),
                resource: self.request.resource.clone(),
                caller: self
                    .request
                    .caller
                    .as_ref()
                    .map(|c| (c.kind.clone(), c.id.clone())),
                context: self.request.context.clone(),
            },
        }
    }

    /// One line: `iam:* on * (statement `Admin`)`.
    pub fn describe(&self) -> String {
        let mut s = format!("`{}`", self.action);
        if !self.resource.is_empty() {
            s.push_str(&format!(" on `{}`", self.resource));
        }
        if !self.principal.is_empty() {
            s.push_str(&format!(" by `{}`", self.principal));
        }
        if self.dropped_deny {
            s.push_str(&format!(" (the old document's {})", self.statement));
        } else {
            s.push_str(&format!(" ({})", self.statement));
        }
        s
    }
}

/// What a comparison found.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub verdict: Verdict,
    /// Up to three requests the new document treats better.
    pub widened: Vec<Witness>,
    /// Up to three requests the old document treated better.
    pub narrowed: Vec<Witness>,
    /// Why the verdict is "cannot tell".
    pub reasons: Vec<String>,
    /// The Allow atoms of the new document that no old atom covers: what may
    /// be newly granted, for judging how bad a widening is.
    pub grants: Vec<Atom>,
    /// Whether Deny atoms of the old document are gone or narrowed.
    pub denies_dropped: bool,
}

/// How many witnesses a finding names.
pub const WITNESSES: usize = 3;
/// How many uncovered atoms are tried for a witness.
const ATOMS_TRIED: usize = 64;
/// How many requests are tried per atom.
const REQUESTS_PER_ATOM: usize = 256;

/// The atoms of `new` that are not within `old`: Allow atoms not covered, and
/// old Deny atoms not kept.
struct Uncovered<'a> {
    allows: Vec<&'a Atom>,
    denies: Vec<&'a Atom>,
}

impl Uncovered<'_> {
    fn is_empty(&self) -> bool {
        self.allows.is_empty() && self.denies.is_empty()
    }
}

fn uncovered<'a>(new: &'a Atoms, old: &'a Atoms) -> Uncovered<'a> {
    let same = |a: &Atom, b: &Atom| {
        a.effect == b.effect
            && a.action == b.action
            && a.resource == b.resource
            && a.principal == b.principal
            && (std::sync::Arc::ptr_eq(&a.condition, &b.condition) || a.condition == b.condition)
    };
    let new_unconditional_denies: Vec<&Atom> =
        new.denies().filter(|d| d.condition.is_empty()).collect();
    let old_allows: Vec<&Atom> = old.allows().collect();
    let new_denies: Vec<&Atom> = new.denies().collect();
    let allows = new
        .allows()
        .filter(|a| {
            !old_allows.iter().any(|o| same(a, o) || a.within(o))
                && !new_unconditional_denies
                    .iter()
                    .any(|d| a.within_unconditional(d))
        })
        .collect();
    let denies = old
        .denies()
        .filter(|d| !new_denies.iter().any(|n| same(d, n) || d.within(n)))
        .collect();
    Uncovered { allows, denies }
}

/// Concrete names and callers both documents speak of, to build requests from.
#[derive(Default)]
struct Vocabulary {
    actions: Vec<String>,
    resources: Vec<String>,
    callers: Vec<Caller>,
    context: Context,
}

impl Vocabulary {
    fn of(docs: &[&Atoms]) -> Vocabulary {
        let mut v = Vocabulary::default();
        let push = |list: &mut Vec<String>, items: Vec<String>| {
            for i in items {
                if !list.contains(&i) && list.len() < 64 {
                    list.push(i);
                }
            }
        };
        for doc in docs {
            for a in &doc.atoms {
                match &a.action {
                    Names::One(p) => push(&mut v.actions, glob::instances(p)),
                    Names::AllBut(ps) => {
                        for p in ps {
                            push(&mut v.actions, glob::instances(p));
                        }
                    }
                    Names::Any => {}
                }
                match &a.resource {
                    Names::One(p) => push(&mut v.resources, glob::instances(p)),
                    Names::AllBut(ps) => {
                        for p in ps {
                            push(&mut v.resources, glob::instances(p));
                        }
                    }
                    Names::Any => {}
                }
                let whos: Vec<&Who> = match &a.principal {
                    Principals::One(w) => vec![w],
                    Principals::AllBut(ws) => ws.iter().collect(),
                    Principals::Any => Vec::new(),
                };
                for w in whos {
                    for c in w.callers() {
                        if !v.callers.contains(&c) && v.callers.len() < 64 {
                            v.callers.push(c);
                        }
                    }
                }
                a.condition.hints(&mut v.context);
            }
        }
        v
    }
}

/// The values of each request dimension an atom matches (as far as its own
/// patterns tell), for a witness; with a vocabulary, the documents' own names
/// that the atom matches too.
struct Dimensions {
    actions: Vec<String>,
    resources: Vec<Option<String>>,
    callers: Vec<Option<Caller>>,
    contexts: Vec<Context>,
}

impl Dimensions {
    fn of(atom: &Atom, vocab: Option<&Vocabulary>) -> Dimensions {
        let empty = Vocabulary::default();
        let v = vocab.unwrap_or(&empty);
        let actions: Vec<String> = match &atom.action {
            Names::One(p) => {
                // Real actions first (from the catalogue, when the pattern
                // names its service), then the pattern filled in, then the
                // documents'.
                let mut list: Vec<String> = Vec::new();
                let service = p.split(':').next().unwrap_or("");
                if glob::is_everything(p) || !service.contains(['*', '?']) {
                    list.extend(super::catalogue::matching(p).take(4).map(str::to_string));
                }
                list.extend(glob::instances(p));
                list.extend(
                    v.actions
                        .iter()
                        .filter(|a| glob::matches(p, a, true))
                        .cloned(),
                );
                list
            }
            Names::AllBut(ps) => {
                let mut list: Vec<String> = super::catalogue::not_matching(ps)
                    .take(4)
                    .map(str::to_string)
                    .collect();
                list.push("driftwitness:Witness".to_string());
                list.extend(
                    v.actions
                        .iter()
                        .filter(|a| !ps.iter().any(|p| glob::matches(p, a, true)))
                        .cloned(),
                );
                list
            }
            Names::Any => vec!["driftwitness:Witness".to_string()],
        };
        let resources: Vec<Option<String>> = match &atom.resource {
            Names::One(p) => {
                let mut list: Vec<Option<String>> =
                    glob::instances(p).into_iter().map(Some).collect();
                list.extend(
                    v.resources
                        .iter()
                        .filter(|r| glob::matches(p, r, false))
                        .cloned()
                        .map(Some),
                );
                list
            }
            Names::AllBut(ps) => {
                let mut list = vec![Some("arn:aws:driftwitness:::witness".to_string())];
                list.extend(
                    v.resources
                        .iter()
                        .filter(|r| !ps.iter().any(|p| glob::matches(p, r, false)))
                        .cloned()
                        .map(Some),
                );
                list
            }
            Names::Any => vec![None],
        };
        let callers: Vec<Option<Caller>> = match &atom.principal {
            Principals::One(w) => {
                let mut list: Vec<Option<Caller>> = w.callers().into_iter().map(Some).collect();
                list.extend(v.callers.iter().filter(|c| w.admits(c)).cloned().map(Some));
                list
            }
            Principals::AllBut(ws) => {
                let mut list = Who::Everyone.callers();
                list.extend(v.callers.iter().cloned());
                list.into_iter()
                    .filter(|c| !ws.iter().any(|w| w.admits(c)))
                    .map(Some)
                    .collect()
            }
            Principals::Any => vec![None],
        };
        Dimensions {
            contexts: atom.condition.contexts(&v.context, 16),
            actions,
            resources,
            callers,
        }
    }

    /// The first of at most `REQUESTS_PER_ATOM` requests that `better` treats
    /// better than `worse`, built one at a time.
    fn first_gap(&self, better: &Atoms, worse: &Atoms) -> Option<(Request, Decision, Decision)> {
        let mut tried = 0;
        for context in &self.contexts {
            for caller in &self.callers {
                for resource in &self.resources {
                    for action in &self.actions {
                        if tried >= REQUESTS_PER_ATOM {
                            return None;
                        }
                        tried += 1;
                        let request = Request {
                            action: action.clone(),
                            resource: resource.clone(),
                            caller: caller.clone(),
                            context: context.clone(),
                        };
                        if let (Some(b), Some(w)) =
                            (decide(better, &request), decide(worse, &request))
                        {
                            if b > w {
                                return Some((request, b, w));
                            }
                        }
                    }
                }
            }
        }
        None
    }
}

/// Requests that `better` treats better than `worse`, from the atoms that are
/// not covered. Each atom's own patterns are tried first; the names both
/// documents speak of (the vocabulary) only when those find nothing.
fn witnesses(better: &Atoms, worse: &Atoms, gap: &Uncovered<'_>) -> Vec<Witness> {
    let mut vocab: Option<Vocabulary> = None;
    let mut out: Vec<Witness> = Vec::new();
    let candidates = gap
        .allows
        .iter()
        .map(|a| (*a, false))
        .chain(gap.denies.iter().map(|a| (*a, true)))
        .take(ATOMS_TRIED);
    for (atom, dropped_deny) in candidates {
        if out.len() >= WITNESSES {
            break;
        }
        let found = Dimensions::of(atom, None)
            .first_gap(better, worse)
            .or_else(|| {
                let v = vocab.get_or_insert_with(|| Vocabulary::of(&[better, worse]));
                Dimensions::of(atom, Some(v)).first_gap(better, worse)
            });
        if let Some((request, b, w)) = found {
            out.push(Witness {
                action: atom.action.show(),
                resource: match &atom.resource {
                    Names::Any => String::new(),
                    other => other.show(),
                },
                principal: atom.principal.show(),
                statement: (*atom.statement).clone(),
                dropped_deny,
                request,
                better: b,
                worse: w,
            });
        }
    }
    out
}

/// Compares two documents (normalized JSON values), the old one first.
pub fn compare(old: &Value, new: &Value) -> Comparison {
    let o = Atoms::of(old);
    let n = Atoms::of(new);
    compare_atoms(&o, &n)
}

/// The grants of a document judged on its own (against no document), as
/// `compare_atoms` finds them: every Allow atom an unconditional Deny of the
/// same document does not cover, or every Allow atom when `compare_atoms`
/// could not tell.
pub fn grants_alone(n: &Atoms) -> Vec<Atom> {
    // As against an empty document: a `Version` with policy variables is a
    // reason not to tell, and then every Allow atom counts.
    if !n.problems.is_empty() || (n.version.is_some() && n.variables) {
        return n.allows().cloned().collect();
    }
    let none = Atoms::default();
    uncovered(n, &none).allows.into_iter().cloned().collect()
}

/// Compares two documents already split into atoms.
pub fn compare_atoms(o: &Atoms, n: &Atoms) -> Comparison {
    let up = uncovered(n, o);
    let grants: Vec<Atom> = up.allows.iter().map(|a| (*a).clone()).collect();
    let denies_dropped = !up.denies.is_empty();
    let mut reasons: Vec<String> = Vec::new();
    for p in o.problems.iter().map(|p| format!("the old document: {p}")) {
        reasons.push(p);
    }
    for p in n.problems.iter().map(|p| format!("the new document: {p}")) {
        reasons.push(p);
    }
    if o.version != n.version && (o.variables || n.variables) {
        reasons.push(format!(
            "the `Version` changed from {} to {} and the documents use policy variables, which the two versions read differently",
            o.version.as_deref().unwrap_or("(none)"),
            n.version.as_deref().unwrap_or("(none)")
        ));
    }
    if !reasons.is_empty() {
        return Comparison {
            verdict: Verdict::CannotTell,
            widened: Vec::new(),
            narrowed: Vec::new(),
            reasons,
            grants: n.allows().cloned().collect(),
            denies_dropped,
        };
    }
    let down = uncovered(o, n);
    if up.is_empty() {
        let narrowed = if down.is_empty() {
            Vec::new()
        } else {
            witnesses(o, n, &down)
        };
        return Comparison {
            verdict: if down.is_empty() {
                Verdict::Equal
            } else {
                Verdict::Narrowed
            },
            widened: Vec::new(),
            narrowed,
            reasons,
            grants,
            denies_dropped,
        };
    }
    let widened = witnesses(n, o, &up);
    if widened.is_empty() {
        reasons.push(why_no_witness(&up, n, o));
        return Comparison {
            verdict: Verdict::CannotTell,
            widened,
            narrowed: Vec::new(),
            reasons,
            grants,
            denies_dropped,
        };
    }
    let narrowed = if down.is_empty() {
        Vec::new()
    } else {
        witnesses(o, n, &down)
    };
    Comparison {
        verdict: if narrowed.is_empty() {
            Verdict::Widened
        } else {
            Verdict::Both
        },
        widened,
        narrowed,
        reasons,
        grants,
        denies_dropped,
    }
}

/// Why no witness was found for atoms that are not covered.
fn why_no_witness(up: &Uncovered<'_>, n: &Atoms, o: &Atoms) -> String {
    let atoms = || up.allows.iter().chain(up.denies.iter());
    if n.variables || o.variables {
        return "the documents use policy variables (`${...}`), whose values depend on the request"
            .into();
    }
    if atoms().any(|a| matches!(a.principal, Principals::AllBut(_))) {
        return "a statement uses `NotPrincipal`".into();
    }
    if let Some(op) = atoms().find_map(|a| a.condition.unknown_operators().next()) {
        return format!("condition operator `{op}` is not one drift can judge");
    }
    "a statement of the new document is not inside one of the old document, and drift found no \
request that the new document allows and the old one does not (the old document may cover it with \
several statements together)"
        .into()
}
