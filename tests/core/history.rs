//! The runs of `drift report` over time, and their `history.json`.

use iam_drift_guard::finding::Severity;
use iam_drift_guard::history::{History, Run, KEPT};
use iam_drift_guard::render::history::{read, render};

fn run(at: i64, critical: usize) -> Run {
    Run {
        at,
        counts: [critical, 1, 0, 0, 2],
    }
}

#[test]
fn a_run_counts_its_findings_per_severity() {
    let r = Run::of(
        5,
        [
            Severity::High,
            Severity::Info,
            Severity::High,
            Severity::Critical,
        ],
    );
    assert_eq!(r.counts, [1, 2, 0, 0, 1]);
    assert_eq!((r.count(Severity::High), r.total()), (2, 4));
}

#[test]
fn the_current_run_comes_last_in_time_order_once_per_time() {
    // Out of order, a duplicate time, and a run later than the current one (a
    // history copied from a later report).
    let h = History::extended(
        vec![run(30, 3), run(10, 1), run(30, 3), run(99, 9)],
        run(50, 5),
    );
    let times: Vec<i64> = h.runs.iter().map(|r| r.at).collect();
    assert_eq!(times, [10, 30, 50]);
    assert_eq!(h.previous().map(|r| r.at), Some(30));
    assert_eq!(h.peak(), 8);
    // A run at the same second as the current one stays (two reports in a
    // second are two runs).
    let h = History::extended(vec![run(50, 1)], run(50, 5));
    assert_eq!(h.runs.len(), 2);
}

#[test]
fn at_most_kept_runs_the_oldest_dropped() {
    let earlier: Vec<Run> = (0..100).map(|d| run(d, 0)).collect();
    let h = History::extended(earlier, run(1000, 1));
    assert_eq!(h.runs.len(), KEPT);
    assert_eq!(h.runs[0].at, 100 - (KEPT as i64 - 1));
    assert_eq!(h.runs.last().map(|r| r.at), Some(1000));
    assert_eq!(History::extended(vec![], run(1, 0)).previous(), None);
}

#[test]
fn history_json_reads_back_what_it_wrote() {
    let h = History::extended(vec![run(1_790_000_000, 2)], run(1_790_086_400, 0));
    let text = render(&h);
    assert!(text.contains("\"generated_at\": \"2026-09-21T"), "{text}");
    assert_eq!(read(&text).unwrap(), h);
    // Errors say where.
    let e = read("{\"version\": 1, \"runs\": [{\"generated_at\": 3}]}").unwrap_err();
    assert!(e.contains("line 1 column"), "{e}");
    let e = read("{\"version\": 1, \"runs\": [{\"generated_at\": \"2026-13-01\", \"critical\": 0, \"high\": 0, \"medium\": 0, \"low\": 0, \"info\": 0}]}").unwrap_err();
    assert!(e.contains("run 1"), "{e}");
}

#[test]
fn each_account_keeps_its_own_runs_and_one_long_gone_is_dropped() {
    use std::collections::BTreeMap;
    let earlier: BTreeMap<String, Vec<Run>> = [
        // Read every night.
        ("111111111111".to_string(), vec![run(10, 1), run(20, 2)]),
        // Not read tonight: keeps its runs, no point for tonight.
        ("222222222222".to_string(), vec![run(10, 0), run(20, 4)]),
        // Last read before the oldest run kept: gone.
        ("333333333333".to_string(), vec![run(1, 7)]),
    ]
    .into_iter()
    .collect();
    let h = History::extended(vec![run(10, 0), run(20, 0)], run(30, 0)).with_accounts(
        earlier,
        [
            ("111111111111".to_string(), [0, 0, 1, 0, 0]),
            ("444444444444".to_string(), [1, 0, 0, 0, 0]),
        ],
    );
    let times = |id: &str| -> Vec<i64> { h.accounts[id].iter().map(|r| r.at).collect() };
    assert_eq!(times("111111111111"), [10, 20, 30]);
    assert_eq!(h.accounts["111111111111"][2].counts, [0, 0, 1, 0, 0]);
    assert_eq!(times("222222222222"), [10, 20]);
    assert_eq!(times("444444444444"), [30]);
    assert!(!h.accounts.contains_key("333333333333"));
    // Written and read back whole; a history without accounts writes none.
    let text = render(&h);
    assert!(text.contains("\"accounts\""), "{text}");
    assert_eq!(read(&text).unwrap(), h);
    let plain = History::extended(vec![], run(30, 0));
    assert!(!render(&plain).contains("accounts"));
    // An account's broken run says whose it is.
    let e = read("{\"version\": 1, \"runs\": [], \"accounts\": {\"111111111111\": [{\"generated_at\": \"x\", \"critical\": 0, \"high\": 0, \"medium\": 0, \"low\": 0, \"info\": 0}]}}").unwrap_err();
    assert!(e.contains("account 111111111111: run 1"), "{e}");
}
