//! Who caused a finding: the latest successful events that can explain it.
//! An event explains a finding when the finding's rule names it and it
//! touches the finding's resource (the object, or the very key).
//! Nothing is guessed: a finding no event explains has no attribution.

use super::touches::touches;
use super::Event;
use crate::finding::{Finding, Origin};
use crate::identity::{Name, ResourceId};
use crate::rules;

/// The events shown per finding, latest first.
pub const SHOWN: usize = 3;

/// The events that explain one finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution<'e> {
    /// Latest first, at most [`SHOWN`].
    pub events: Vec<&'e Event>,
    /// How many events matched in all.
    pub matched: usize,
}

/// Whether a touched resource is the finding's. A finding about a key needs
/// an event about that key, not any event about its user.
fn covers(touched: &ResourceId, finding: &ResourceId) -> bool {
    touched.as_str() == finding.as_str()
}

/// The accounts the events were recorded in, when they are more than one: an
/// organization trail's. Without the source's account, such events cannot be
/// matched to a finding (an `alice` of another account is another user).
pub fn accounts_of<'e>(events: impl IntoIterator<Item = &'e Event>) -> Vec<&'e str> {
    let mut out: Vec<&str> = events
        .into_iter()
        .filter_map(|e| e.account.as_deref())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// For each finding, in order, the events that explain it; `since` (seconds
/// since the epoch) leaves out older events, `account` events of other accounts.
/// Without an account, events of several accounts explain nothing (see
/// [`accounts_of`]).
pub fn attribute<'e>(
    findings: &[Finding],
    events: &'e [Event],
    since: Option<i64>,
    account: Option<&str>,
) -> Vec<Option<Attribution<'e>>> {
    if account.is_none() && accounts_of(events.iter()).len() > 1 {
        return vec![None; findings.len()];
    }
    // What each usable event touches, computed once.
    let usable: Vec<(&Event, Vec<ResourceId>)> = events
        .iter()
        .filter(|e| e.succeeded())
        .filter(|e| since.is_none_or(|s| e.time >= s))
        .filter(|e| match (account, e.account.as_deref()) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        })
        .map(|e| (e, touches(e)))
        .filter(|(_, t)| !t.is_empty())
        .collect();
    findings
        .iter()
        .map(|f| {
            // What a plan will do has not happened yet (its refresh drift
            // has), and objects known only after apply are not the account's.
            if matches!(
                f.source,
                Origin::Plan { .. } | Origin::Baseline { .. } | Origin::Settings
            ) || matches!(f.resource.name(), Some(Name::AfterApply(_)))
            {
                return None;
            }
            let names = rules::get(f.rule).events;
            let mut matched: Vec<&Event> = usable
                .iter()
                .filter(|(e, _)| names.contains(&e.name.as_str()))
                .filter(|(_, touched)| touched.iter().any(|t| covers(t, &f.resource)))
                .map(|(e, _)| *e)
                .collect();
            if matched.is_empty() {
                return None;
            }
            matched.sort_by(|a, b| b.time.cmp(&a.time).then_with(|| b.id.cmp(&a.id)));
            let n = matched.len();
            matched.truncate(SHOWN);
            Some(Attribution {
                events: matched,
                matched: n,
            })
        })
        .collect()
}
