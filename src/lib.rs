//! iam-drift-guard: guards an AWS account's IAM configuration against drift.
//!
//! The core (identities, baseline, state, observation, diff, rules, findings,
//! triage, check) does no I/O and names no source. Sources turn input into an
//! [`observation::Observation`]; renderers turn findings into text; the [`app`]
//! module is the only place that touches files, standard streams and the
//! terminal.

#![forbid(unsafe_code)]

pub mod accounts;
pub mod app;
pub mod baseline;
pub mod check;
pub mod cli;
pub mod declaration;
pub mod diff;
pub mod events;
pub mod finding;
pub mod history;
pub mod identity;
pub mod kinds;
pub mod observation;
pub mod origin;
pub mod policy;
pub mod proposed;
pub mod provisioned;
/// Documents compared by meaning (kept under its first name).
pub use policy::doc as policy_doc;
pub mod redact;
pub mod remedy;
pub mod render;
pub mod rules;
pub mod sources;
pub mod state;
pub mod time;
pub mod trend;
pub mod triage;
pub mod unjudged;
