//! One concrete request judged by one document, as IAM does within a policy:
//! a matching Deny wins, then a matching Allow, else the request is implicitly
//! denied. Used to check a witness before drift shows it.

use super::atoms::{Atom, Atoms, Effect};
use super::condition::Context;
use super::principal::Caller;

/// A concrete request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub action: String,
    /// `None` for a trust policy, which names no resource.
    pub resource: Option<String>,
    /// `None` for an identity policy, whose principal is its holder.
    pub caller: Option<Caller>,
    pub context: Context,
}

/// What a document decides for a request, from most to least permissive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Decision {
    ExplicitDeny,
    ImplicitDeny,
    Allow,
}

/// Whether an atom matches a request; `None` when that cannot be decided.
fn matches(atom: &Atom, req: &Request) -> Option<bool> {
    if !atom.action.admits(Some(&req.action), true)? {
        return Some(false);
    }
    if !atom.resource.admits(req.resource.as_deref(), false)? {
        return Some(false);
    }
    if !atom.principal.admits(req.caller.as_ref()) {
        return Some(false);
    }
    atom.condition.holds(&req.context)
}

/// The decision of a document; `None` when a statement that might match
/// cannot be decided, or the document has problems.
pub fn decide(doc: &Atoms, req: &Request) -> Option<Decision> {
    if !doc.problems.is_empty() {
        return None;
    }
    let (mut allowed, mut maybe_deny, mut maybe_allow) = (false, false, false);
    for atom in &doc.atoms {
        match (matches(atom, req), atom.effect) {
            (Some(true), Effect::Deny) => return Some(Decision::ExplicitDeny),
            (Some(true), Effect::Allow) => allowed = true,
            (Some(false), _) => {}
            (None, Effect::Deny) => maybe_deny = true,
            (None, Effect::Allow) => maybe_allow = true,
        }
    }
    match (maybe_deny, allowed, maybe_allow) {
        (true, _, _) => None,
        (false, true, _) => Some(Decision::Allow),
        (false, false, true) => None,
        (false, false, false) => Some(Decision::ImplicitDeny),
    }
}
