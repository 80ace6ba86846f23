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
    assert_eq!(read(&text).unwrap(), h.runs);
    // Errors say where.
    let e = read("{\"version\": 1, \"runs\": [{\"generated_at\": 3}]}").unwrap_err();
    assert!(e.contains("line 1 column"), "{e}");
    let e = read("{\"version\": 1, \"runs\": [{\"generated_at\": \"2026-13-01\", \"critical\": 0, \"high\": 0, \"medium\": 0, \"low\": 0, \"info\": 0}]}").unwrap_err();
    assert!(e.contains("run 1"), "{e}");
}
