//! Tests of the sources, mirroring `src/sources/`.
#![allow(clippy::unwrap_used, clippy::print_stderr, clippy::print_stdout)]
mod common;
mod sources {
    mod cloudtrail;
    mod drift_report;
    mod live;
    mod live_accounts;
    mod live_budget;
    mod live_cloudtrail;
    mod live_credentials;
    mod live_faults;
    mod live_lookup;
    mod live_pages;
    mod live_sessions;
    mod plan;
    mod plan_consistency;
    mod plan_crafted;
    mod plan_credentials;
    mod plan_owners;
    mod plan_providers;
    mod plan_whole;
    mod plan_writes;
    mod report_csv;
    mod state;
}
