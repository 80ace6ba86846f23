#![no_main]
//! The plan reader: any bytes are a plan or an error, never a panic; a plan is
//! judged, rendered in every format, and round-tripped through `init`.

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(plan) = iam_drift_guard::sources::terraform::read(data) {
        for part in plan.into_parts() {
            common::exercise(&common::example_baseline(), part.state);
        }
    }
});
