//! Terraform and OpenTofu JSON: plans (`terraform show -json plan.out`) and
//! states (`terraform show -json`, `terraform.tfstate`).
//!
//! The JSON is read in one place ([`wire`]); each resource type is mapped to the
//! state model in another ([`mapping`]), which any Terraform JSON that lists
//! resources with their values can share.

pub(crate) mod config;
mod error;
mod mapping;
mod plan;
mod providers;
mod refresh;
mod state;
mod wire;

pub use config::module_sources;
pub use error::{excerpt, PlanError};
pub use mapping::{is_supported, maps};
pub use plan::{read, read_with, Part, Plan, PlanInfo};
pub use providers::{account_of_role_arn, Provider, ProviderAccounts, DEFAULT_PROVIDER};
pub use state::{read_state, read_state_with, StateFile};
pub use wire::READ_ATTRIBUTES;
