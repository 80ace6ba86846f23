//! The runs of `drift report` over time: when each ran and how many findings of
//! each severity it had, in all and (over several accounts) per account. The
//! nightly report's chart is drawn from it; each report keeps it in
//! `history.json`, fed by `--previous`.

use crate::finding::Severity;
use std::collections::BTreeMap;

/// How many runs a history keeps (the oldest are dropped): two months of
/// nightly runs.
pub const KEPT: usize = 60;

/// One run: when, and its findings per severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    /// Seconds since the epoch.
    pub at: i64,
    /// Findings per severity, in the order of [`Severity::ALL`] (critical first).
    pub counts: [usize; 5],
}

impl Run {
    pub fn of(at: i64, severities: impl IntoIterator<Item = Severity>) -> Run {
        let mut counts = [0; 5];
        for s in severities {
            counts[slot(s)] += 1;
        }
        Run { at, counts }
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.counts[slot(severity)]
    }

    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }
}

fn slot(s: Severity) -> usize {
    Severity::ALL.iter().position(|x| *x == s).unwrap_or(0)
}

/// Runs oldest first; the current run, when there is one, is the last.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    pub runs: Vec<Run>,
    /// Over several accounts: each account's own runs, oldest first, only
    /// those in which it was read (an account not read has no count to
    /// show: its line pauses instead of dropping to zero).
    pub accounts: BTreeMap<String, Vec<Run>>,
}

impl History {
    /// The earlier runs followed by `current`: in time order, one run per
    /// time, runs later than `current` dropped (a history copied from a later
    /// report), at most [`KEPT`] runs.
    pub fn extended(earlier: Vec<Run>, current: Run) -> History {
        let mut runs: Vec<Run> = earlier.into_iter().filter(|r| r.at <= current.at).collect();
        runs.sort_by_key(|r| r.at);
        runs.dedup_by_key(|r| r.at);
        runs.push(current);
        let drop = runs.len().saturating_sub(KEPT);
        runs.drain(..drop);
        History {
            runs,
            accounts: BTreeMap::new(),
        }
    }

    /// Each account's runs: the earlier ones followed by the current run's
    /// count for each account read in it (`current`, at the run's time).
    /// An account not read now keeps its earlier runs while they are within
    /// the runs this history keeps; an account gone for that long is
    /// dropped, so that the history stays bounded by the accounts of the
    /// last [`KEPT`] runs.
    pub fn with_accounts(
        mut self,
        earlier: BTreeMap<String, Vec<Run>>,
        current: impl IntoIterator<Item = (String, [usize; 5])>,
    ) -> History {
        let Some(last) = self.runs.last().copied() else {
            return self;
        };
        let oldest = self.runs[0].at;
        let mut current: BTreeMap<String, [usize; 5]> = current.into_iter().collect();
        let mut accounts = BTreeMap::new();
        for (id, runs) in earlier {
            match current.remove(&id) {
                Some(counts) => {
                    let extended = History::extended(
                        runs,
                        Run {
                            at: last.at,
                            counts,
                        },
                    );
                    accounts.insert(id, extended.runs);
                }
                None => {
                    let mut runs: Vec<Run> = runs
                        .into_iter()
                        .filter(|r| r.at >= oldest && r.at <= last.at)
                        .collect();
                    runs.sort_by_key(|r| r.at);
                    runs.dedup_by_key(|r| r.at);
                    if !runs.is_empty() {
                        accounts.insert(id, runs);
                    }
                }
            }
        }
        for (id, counts) in current {
            accounts.insert(
                id,
                vec![Run {
                    at: last.at,
                    counts,
                }],
            );
        }
        self.accounts = accounts;
        self
    }

    /// The run before the last.
    pub fn previous(&self) -> Option<&Run> {
        self.runs
            .len()
            .checked_sub(2)
            .and_then(|i| self.runs.get(i))
    }

    /// The most findings any run had.
    pub fn peak(&self) -> usize {
        self.runs.iter().map(Run::total).max().unwrap_or(0)
    }
}
