//! The baseline: the IAM configuration a platform team wants, read from
//! `baseline.yaml` (version 1). Parsing keeps the location of every entry so that
//! findings and errors can point at the line that declared it.

mod error;
mod parse;
pub mod schema;
pub mod write;
pub mod yaml;

pub use error::{BaselineError, BaselineErrors};
pub use parse::{parse, suggest as parse_suggest, KEYS};

use crate::finding::{Loc, Severity};
use crate::policy_doc::PolicyDoc;
use crate::state::{PpField, PpValue};
use std::collections::BTreeMap;

/// A value with the location it was declared at.
#[derive(Debug, Clone, PartialEq)]
pub struct Sp<T> {
    pub value: T,
    pub loc: Loc,
}

impl<T> Sp<T> {
    pub fn new(value: T, loc: Loc) -> Sp<T> {
        Sp { value, loc }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Baseline {
    pub account: Option<AccountSpec>,
    pub password_policy: Option<PasswordPolicySpec>,
    pub users: BTreeMap<String, UserSpec>,
    pub groups: BTreeMap<String, GroupSpec>,
    pub roles: BTreeMap<String, RoleSpec>,
    pub instance_profiles: BTreeMap<String, InstanceProfileSpec>,
    pub policies: BTreeMap<String, PolicySpec>,
    pub settings: Settings,
}

#[derive(Debug, Clone, Default)]
pub struct AccountSpec {
    pub loc: Loc,
    pub id: Option<Sp<String>>,
    pub alias: Option<Sp<String>>,
}

#[derive(Debug, Clone, Default)]
pub struct PasswordPolicySpec {
    pub loc: Loc,
    /// The guarded fields; a field left out is not guarded.
    pub fields: BTreeMap<PpField, Sp<PpValue>>,
}

/// What users, groups and roles have in common.
#[derive(Debug, Clone, Default)]
pub struct PrincipalSpec {
    pub path: Option<Sp<String>>,
    pub managed_policies: Option<Sp<Vec<Sp<String>>>>,
    pub inline_policies: Option<Sp<BTreeMap<String, Sp<PolicyDoc>>>>,
    /// `Some(None)` declares that there must be no boundary.
    pub permissions_boundary: Option<Sp<Option<String>>>,
    pub tags: Option<Sp<BTreeMap<String, String>>>,
}

#[derive(Debug, Clone, Default)]
pub struct UserSpec {
    pub loc: Loc,
    pub id: Option<Sp<String>>,
    pub principal: PrincipalSpec,
    pub groups: Option<Sp<Vec<Sp<String>>>>,
    pub console_access: Option<Sp<bool>>,
    /// `Some(true)`: at least one MFA device is required.
    pub mfa: Option<Sp<bool>>,
    pub ssh_public_keys: Option<Sp<Vec<SshKeySpec>>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SshKeySpec {
    pub loc: Loc,
    pub id: String,
    pub status: Option<Sp<KeyStatus>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyStatus {
    Active,
    Inactive,
}

impl KeyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyStatus::Active => "Active",
            KeyStatus::Inactive => "Inactive",
        }
    }
    pub fn parse(s: &str) -> Option<KeyStatus> {
        match s {
            "Active" => Some(KeyStatus::Active),
            "Inactive" => Some(KeyStatus::Inactive),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct GroupSpec {
    pub loc: Loc,
    pub principal: PrincipalSpec,
}

#[derive(Debug, Clone, Default)]
pub struct RoleSpec {
    pub loc: Loc,
    pub id: Option<Sp<String>>,
    pub principal: PrincipalSpec,
    pub assume_role_policy: Option<Sp<PolicyDoc>>,
    pub max_session_duration: Option<Sp<u32>>,
    pub description: Option<Sp<String>>,
}

#[derive(Debug, Clone, Default)]
pub struct InstanceProfileSpec {
    pub loc: Loc,
    pub path: Option<Sp<String>>,
    pub roles: Option<Sp<Vec<Sp<String>>>>,
}

#[derive(Debug, Clone, Default)]
pub struct PolicySpec {
    pub loc: Loc,
    pub path: Option<Sp<String>>,
    pub document: Option<Sp<PolicyDoc>>,
    pub description: Option<Sp<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unmanaged {
    #[default]
    Report,
    Ignore,
}

#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub unmanaged: Unmanaged,
    pub ignore: Vec<Sp<String>>,
    pub severity: BTreeMap<String, Sp<Severity>>,
}
