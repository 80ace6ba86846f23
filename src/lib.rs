//! iam-drift-guard: guards an AWS account's IAM configuration against drift.
//!
//! The core (baseline, state, diff, rules, findings, triage) does no I/O. Sources
//! turn input into [`state::IamState`]; renderers turn findings into text; the
//! [`app`] module is the only place that touches files, standard streams and the
//! terminal.

#![forbid(unsafe_code)]

pub mod app;
pub mod baseline;
pub mod check;
pub mod cli;
pub mod diff;
pub mod finding;
pub mod policy_doc;
pub mod render;
pub mod rules;
pub mod sources;
pub mod state;
pub mod trend;
pub mod triage;
