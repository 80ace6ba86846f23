//! Tests of the pure core, mirroring `src/`.
#![allow(clippy::unwrap_used, clippy::print_stderr, clippy::print_stdout)]
mod core {
    mod accounts;
    mod baseline;
    mod check;
    mod diff;
    mod events;
    mod history;
    mod identity;
    mod kinds;
    mod policy;
    mod proposed;
    mod remedy;
    mod rules;
    mod triage;
    mod unjudged;
}
