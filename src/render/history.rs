//! `history.json`, beside each `drift report`'s report.json: the runs the
//! report's chart is drawn from, wire format version 1.
//!
//! ```json
//! {"version": 1, "runs": [{"generated_at": "2026-11-25T03:00:00Z",
//!   "critical": 1, "high": 2, "medium": 0, "low": 0, "info": 0}]}
//! ```
//!
//! A run over several accounts adds `accounts`: each account's own runs, by
//! account id, in the same shape (absent when there are none).

use crate::finding::Severity;
use crate::history::{History, Run};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const HISTORY_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct HistoryV1 {
    version: u32,
    runs: Vec<RunV1>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    accounts: BTreeMap<String, Vec<RunV1>>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RunV1 {
    generated_at: String,
    critical: usize,
    high: usize,
    medium: usize,
    low: usize,
    info: usize,
}

fn wire(r: &Run) -> RunV1 {
    RunV1 {
        generated_at: crate::time::rfc3339(r.at),
        critical: r.count(Severity::Critical),
        high: r.count(Severity::High),
        medium: r.count(Severity::Medium),
        low: r.count(Severity::Low),
        info: r.count(Severity::Info),
    }
}

/// The history as pretty JSON with a final newline.
pub fn render(history: &History) -> String {
    let wire = HistoryV1 {
        version: HISTORY_VERSION,
        runs: history.runs.iter().map(wire).collect(),
        accounts: history
            .accounts
            .iter()
            .map(|(id, runs)| (id.clone(), runs.iter().map(wire).collect()))
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&wire)
        .unwrap_or_else(|_| format!("{{\"version\":{HISTORY_VERSION},\"runs\":[]}}"));
    out.push('\n');
    out
}

/// The runs of wire runs; `whose` says whose runs they are in errors.
fn runs_of(runs: Vec<RunV1>, whose: &str) -> Result<Vec<Run>, String> {
    runs.into_iter()
        .enumerate()
        .map(|(i, r)| {
            let at = crate::time::parse(&r.generated_at).ok_or_else(|| {
                format!(
                    "{whose}run {} has `generated_at` `{}`, which is not a time",
                    i + 1,
                    r.generated_at
                )
            })?;
            Ok(Run {
                at,
                counts: [r.critical, r.high, r.medium, r.low, r.info],
            })
        })
        .collect()
}

/// The runs of a `history.json` (and each account's, when it has them), as
/// written; the error says where it went wrong.
pub fn read(text: &str) -> Result<History, String> {
    let wire: HistoryV1 = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if wire.version != HISTORY_VERSION {
        return Err(format!(
            "it is history version {}, this drift reads version {HISTORY_VERSION}",
            wire.version
        ));
    }
    let mut accounts = BTreeMap::new();
    for (id, runs) in wire.accounts {
        let runs = runs_of(runs, &format!("account {id}: "))?;
        accounts.insert(id, runs);
    }
    Ok(History {
        runs: runs_of(wire.runs, "")?,
        accounts,
    })
}
