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
use std::collections::HashSet;

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
    let key = |a: &Atom| {
        (
            a.effect,
            a.action.clone(),
            a.resource.clone(),
            a.principal.clone(),
            a.condition.clone(),
        )
    };
    let old_keys: HashSet<_> = old.atoms.iter().map(key).collect();
    let new_keys: HashSet<_> = new.atoms.iter().map(key).collect();
    let new_unconditional_denies: Vec<&Atom> =
        new.denies().filter(|d| d.condition.is_empty()).collect();
    let old_allows: Vec<&Atom> = old.allows().collect();
    let new_denies: Vec<&Atom> = new.denies().collect();
    let allows = new
        .allows()
        .filter(|a| {
            !old_keys.contains(&key(a))
                && !old_allows.iter().any(|o| a.within(o))
                && !new_unconditional_denies
                    .iter()
                    .any(|d| a.within_unconditional(d))
        })
        .collect();
    let denies = old
        .denies()
        .filter(|d| !new_keys.contains(&key(d)) && !new_denies.iter().any(|n| d.within(n)))
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

/// Requests the atom matches (as far as its own patterns tell), for a witness.
fn requests(atom: &Atom, vocab: &Vocabulary) -> Vec<Request> {
    let actions: Vec<String> = match &atom.action {
        Names::One(p) => {
            // Real actions first (from the catalogue, when the pattern names
            // its service), then the pattern filled in, then the documents'.
            let mut list: Vec<String> = Vec::new();
            let service = p.split(':').next().unwrap_or("");
            if glob::is_everything(p) || !service.contains(['*', '?']) {
                list.extend(super::catalogue::matching(p).take(4).map(str::to_string));
            }
            list.extend(glob::instances(p));
            list.extend(
                vocab
                    .actions
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
                vocab
                    .actions
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
            let mut list: Vec<Option<String>> = glob::instances(p).into_iter().map(Some).collect();
            list.extend(
                vocab
                    .resources
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
                vocab
                    .resources
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
            list.extend(
                vocab
                    .callers
                    .iter()
                    .filter(|c| w.admits(c))
                    .cloned()
                    .map(Some),
            );
            list
        }
        Principals::AllBut(ws) => {
            let mut list = Who::Everyone.callers();
            list.extend(vocab.callers.iter().cloned());
            list.into_iter()
                .filter(|c| !ws.iter().any(|w| w.admits(c)))
                .map(Some)
                .collect()
        }
        Principals::Any => vec![None],
    };
    let contexts = atom.condition.contexts(&vocab.context, 16);
    let mut out = Vec::new();
    'all: for context in &contexts {
        for caller in &callers {
            for resource in &resources {
                for action in &actions {
                    out.push(Request {
                        action: action.clone(),
                        resource: resource.clone(),
                        caller: caller.clone(),
                        context: context.clone(),
                    });
                    if out.len() >= REQUESTS_PER_ATOM {
                        break 'all;
                    }
                }
            }
        }
    }
    out
}

/// Requests that `better` treats better than `worse`, from the atoms that are
/// not covered.
fn witnesses(better: &Atoms, worse: &Atoms, gap: &Uncovered<'_>) -> Vec<Witness> {
    let vocab = Vocabulary::of(&[better, worse]);
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
        for request in requests(atom, &vocab) {
            let (Some(b), Some(w)) = (decide(better, &request), decide(worse, &request)) else {
                continue;
            };
            if b > w {
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
                break;
            }
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
