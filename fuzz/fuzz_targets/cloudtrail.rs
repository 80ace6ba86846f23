#![no_main]
//! CloudTrail records in any shape (log file, EventBridge, JSON lines, array):
//! any text is events or an error, never a panic; every event read can be
//! mapped to resources and classified.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(parsed) = iam_drift_guard::events::records::parse(text) {
        assert!(
            parsed.events.len() <= parsed.records,
            "more events than records"
        );
        for e in &parsed.events {
            let _ = iam_drift_guard::events::touches::touches(e);
            let _ = iam_drift_guard::events::classify::classify(e, None);
        }
    }
});
