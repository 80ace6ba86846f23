#![no_main]
//! The baseline parser: any text is a baseline or located errors, never a
//! panic; a valid one is judged against the example plan's state.

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match iam_drift_guard::baseline::parse("fuzz.yaml", text) {
        Ok(baseline) => {
            let plan = include_bytes!("../../examples/plan-weaken-password-policy.json");
            let plan =
                iam_drift_guard::sources::terraform::read(plan).expect("the example plan reads");
            for part in plan.into_parts() {
                common::exercise(&baseline, part.state);
            }
        }
        Err(errors) => {
            // Every error renders, with its place, as `drift validate` shows it.
            let _ = errors.lines();
            let _ = format!("{:?}", miette::Report::new(errors));
        }
    }
});
