#![no_main]
//! The state reader (`terraform.tfstate`, `terraform show -json`): any bytes are
//! a state or an error, never a panic.

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(state) = iam_drift_guard::sources::terraform::read_state(data) {
        for part in state.parts {
            common::exercise(&common::example_baseline(), part.state);
        }
    }
});
