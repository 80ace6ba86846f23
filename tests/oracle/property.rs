//! The soundness property of drift's policy comparison, checked against the
//! independent evaluator of `eval.rs` (the oracle):
//! - when the comparison says equal or narrowed, no request is treated better
//!   by the new document than by the old one (allowed where it was not, or no
//!   longer explicitly denied);
//! - when it says equal, no request is treated better by the old one either;
//! - when it says widened (or both), each witness is treated better by the new
//!   document, and (for both) each narrowing witness by the old one.
//!
//! Shared by the property test (`tests/core/policy/soundness.rs`) and the
//! `policy` fuzz target; it needs `eval` as a sibling module.

use super::eval::{evaluate, Decision, Request};
use iam_drift_guard::policy::compare::{compare, Comparison, Verdict, Witness};
use serde_json::Value;

/// How a document treats a request, from worst to best; `None` when the
/// oracle cannot tell.
fn rank(d: Decision) -> Option<u8> {
    match d {
        Decision::ExplicitDeny => Some(0),
        Decision::ImplicitDeny => Some(1),
        Decision::Allow => Some(2),
        Decision::Unknown => None,
    }
}

/// The oracle's request for one of drift's.
pub fn oracle_request(r: &iam_drift_guard::policy::eval::Request) -> Request {
    Request {
        action: r.action.clone(),
        resource: r.resource.clone(),
        principal: r.caller.as_ref().map(|c| (c.kind.clone(), c.id.clone())),
        context: r.context.clone(),
    }
}

/// What one check found.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    /// Requests the oracle decided for both documents.
    pub decided: usize,
    /// Witnesses the oracle confirmed.
    pub witnesses: usize,
    /// Witnesses the oracle could not decide (skipped, not counted as passed).
    pub undecided_witnesses: usize,
}

/// A counterexample, described.
pub type Failure = String;

fn check_witness(
    w: &Witness,
    better: &Value,
    worse: &Value,
    tally: &mut Tally,
) -> Result<(), Failure> {
    let req = oracle_request(&w.request);
    match (rank(evaluate(better, &req)), rank(evaluate(worse, &req))) {
        (Some(b), Some(o)) if b > o => {
            tally.witnesses += 1;
            Ok(())
        }
        (Some(b), Some(o)) => Err(format!(
            "witness {} is not treated better ({b} vs {o}): {req:?}",
            w.describe()
        )),
        _ => {
            tally.undecided_witnesses += 1;
            Ok(())
        }
    }
}

/// Checks one comparison of `old` and `new` against the oracle on `requests`.
pub fn check(
    old: &Value,
    new: &Value,
    requests: &[Request],
    tally: &mut Tally,
) -> Result<Comparison, Failure> {
    let c = compare(old, new);
    let show = |what: &str| {
        format!(
            "{what}\nverdict: {}\nold: {old}\nnew: {new}\nreasons: {:?}",
            c.verdict.as_str(),
            c.reasons
        )
    };
    for w in &c.widened {
        check_witness(w, new, old, tally).map_err(|e| show(&e))?;
    }
    for w in &c.narrowed {
        check_witness(w, old, new, tally).map_err(|e| show(&e))?;
    }
    for req in requests {
        let (Some(n), Some(o)) = (rank(evaluate(new, req)), rank(evaluate(old, req))) else {
            continue;
        };
        tally.decided += 1;
        let bad = match c.verdict {
            Verdict::Equal => n != o,
            Verdict::Narrowed => n > o,
            _ => false,
        };
        if bad {
            return Err(show(&format!(
                "the new document treats {req:?} as {n}, the old one as {o}"
            )));
        }
    }
    Ok(c)
}
