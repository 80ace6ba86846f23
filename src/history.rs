//! The runs of `drift report` over time: when each ran and how many findings of
//! each severity it had. The nightly report's chart is drawn from it; each
//! report keeps it in `history.json`, fed by `--previous`.

use crate::finding::Severity;

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
        History { runs }
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
