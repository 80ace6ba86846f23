#![no_main]
//! CloudTrail logs in any shape (log file, EventBridge, JSON lines, array),
//! read the way `drift events` reads them: through the folder reader, as a
//! plain file or, when the input is gzip, as a `.json.gz` file. Any input is
//! events or an error naming the file, never a panic; every event read can be
//! mapped to resources and classified, and the listing of `drift events`
//! forges nothing: no control character or workflow command in human output,
//! no HTML, link or mention outside code spans in markdown.

mod common;

use iam_drift_guard::events::classify::classify;
use iam_drift_guard::render::events::{human, markdown, Listing};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile_dir() else { return };
    let name = if data.starts_with(&[0x1f, 0x8b]) {
        "123456789012_CloudTrail_us-east-1_20260101T0000Z_abc.json.gz"
    } else {
        "123456789012_CloudTrail_us-east-1_20260101T0000Z_abc.json"
    };
    let path = dir.join(name);
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let read = iam_drift_guard::sources::cloudtrail::read(&dir, 1);
    let _ = std::fs::remove_dir_all(&dir);
    let Ok(read) = read else { return };
    assert!(
        read.events.len() <= read.records,
        "more events than records"
    );
    let mut changes = Vec::new();
    for e in &read.events {
        let _ = iam_drift_guard::events::touches::touches(e);
        if let Some(c) = classify(e, None) {
            changes.push((c, e));
        }
    }
    let failed: Vec<_> = read.events.iter().filter(|e| !e.succeeded()).collect();
    let listing = Listing {
        source: "logs",
        files: read.files,
        records: read.records,
        since: None,
        until: None,
        with_baseline: false,
        changes: &changes,
        failed: &failed,
    };
    common::human_forges_nothing(&human(&listing));
    common::markdown_forges_nothing(&markdown(&listing));
});

/// A folder of its own for one input (the fuzzer may run in parallel).
fn tempfile_dir() -> std::io::Result<std::path::PathBuf> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "drift-fuzz-cloudtrail-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
