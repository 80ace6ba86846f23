//! Tests of the pure core, mirroring `src/`.
mod core {
    mod baseline;
    mod diff;
    mod policy_doc;
    mod rules;
    mod triage;
}
