//! The baseline: the IAM configuration a platform team wants, read from
//! `baseline.yaml` (version 1). Parsing keeps the location of every entry so that
//! findings and errors can point at the line that declared it.

mod error;
pub mod merge;
mod parse;
pub mod schema;
pub mod write;
pub mod yaml;

pub use error::{BaselineError, BaselineErrors};
pub use parse::WAIVER_KEYS;
pub use parse::{parse, parse_in, suggest as parse_suggest, tree, Cx as Validator, Entries, KEYS};

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
    /// OIDC providers by URL without its scheme (`token.actions.githubusercontent.com`).
    pub oidc_providers: BTreeMap<String, OidcProviderSpec>,
    pub saml_providers: BTreeMap<String, SamlProviderSpec>,
    pub guardrails: Option<Guardrails>,
    pub settings: Settings,
}

/// `guardrails`: what every IAM object must satisfy, declared or not.
#[derive(Debug, Clone, Default)]
pub struct Guardrails {
    pub loc: Loc,
    /// The only accounts a trust policy may name (besides `account.id`).
    pub trusted_accounts: Option<Sp<Vec<Sp<String>>>>,
    /// Patterns every `sub` of a GitHub Actions OIDC trust must fall inside.
    pub trusted_oidc_subjects: Option<Sp<Vec<Sp<String>>>>,
    /// Action patterns no identity policy may allow on every resource.
    pub never_allow: Option<Sp<Vec<Sp<String>>>>,
    /// `public_trust: forbidden`: no trust lets everyone in.
    pub public_trust_forbidden: Option<Sp<bool>>,
}

/// The guardrails as plain lists, to judge documents with.
#[derive(Debug, Clone, Default)]
pub struct GuardrailLists {
    trusted_accounts: Option<Vec<String>>,
    trusted_oidc_subjects: Option<Vec<String>>,
    never_allow: Option<Vec<String>>,
    public_trust_forbidden: bool,
}

impl Guardrails {
    pub fn lists(&self) -> GuardrailLists {
        let list = |l: &Option<Sp<Vec<Sp<String>>>>| {
            l.as_ref()
                .map(|s| s.value.iter().map(|v| v.value.clone()).collect())
        };
        GuardrailLists {
            trusted_accounts: list(&self.trusted_accounts),
            trusted_oidc_subjects: list(&self.trusted_oidc_subjects),
            never_allow: list(&self.never_allow),
            public_trust_forbidden: self
                .public_trust_forbidden
                .as_ref()
                .is_some_and(|p| p.value),
        }
    }
}

impl GuardrailLists {
    /// The rails in force, with the accounts that are always trusted.
    pub fn rails<'a>(&'a self, own: &'a [String]) -> crate::policy::guardrail::Rails<'a> {
        crate::policy::guardrail::Rails {
            trusted_accounts: self.trusted_accounts.as_deref(),
            own_accounts: own,
            trusted_oidc_subjects: self.trusted_oidc_subjects.as_deref(),
            never_allow: self.never_allow.as_deref(),
            public_trust_forbidden: self.public_trust_forbidden,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct AccountSpec {
    pub loc: Loc,
    pub id: Option<Sp<String>>,
    pub alias: Option<Sp<String>>,
    pub root: Option<RootSpec>,
}

/// `account.root`: what the root user may have.
#[derive(Debug, Clone, Default)]
pub struct RootSpec {
    pub loc: Loc,
    /// `Some(false)`: the root user must have no active access key.
    pub access_keys: Option<Sp<bool>>,
    /// `Some(true)`: the root user must have MFA.
    pub mfa: Option<Sp<bool>>,
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
    pub ssh_public_keys: Option<Sp<Vec<KeySpec>>>,
    /// The exact set of access keys; an empty list: none allowed.
    pub access_keys: Option<Sp<Vec<KeySpec>>>,
}

/// A credential with an id and a status: an SSH public key or an access key.
#[derive(Debug, Clone, PartialEq)]
pub struct KeySpec {
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

#[derive(Debug, Clone, Default)]
pub struct OidcProviderSpec {
    pub loc: Loc,
    /// The URL as the baseline writes it.
    pub url: String,
    pub client_ids: Option<Sp<Vec<Sp<String>>>>,
    /// Lowercase hex SHA-1 thumbprints.
    pub thumbprints: Option<Sp<Vec<Sp<String>>>>,
}

#[derive(Debug, Clone, Default)]
pub struct SamlProviderSpec {
    pub loc: Loc,
    /// Lowercase hex SHA-256 of the metadata document.
    pub metadata_sha256: Option<Sp<String>>,
}

/// The name an OIDC provider has in IAM: its URL without `https://` and
/// without a trailing slash (the ARN ends with it).
pub fn oidc_provider_name(url: &str) -> String {
    let rest = url.strip_prefix("https://").unwrap_or(url);
    rest.trim_end_matches('/').to_string()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unmanaged {
    #[default]
    Report,
    Ignore,
}

/// A waiver: an entry of `settings.ignore` that hides the findings it
/// matches for a stated reason, until a date.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiver {
    pub loc: Loc,
    /// A pattern as the plain entries of `settings.ignore` take it.
    pub resource: Option<Sp<String>>,
    pub rule: Option<Sp<crate::identity::RuleId>>,
    pub fingerprint: Option<Sp<String>>,
    pub reason: Sp<String>,
    /// The last day it holds (UTC): the start of that day, in seconds since
    /// the epoch.
    pub expires: Option<Sp<i64>>,
}

impl Waiver {
    /// Whether it has expired at `now` (seconds since the epoch): it holds
    /// through the whole of its last day.
    pub fn expired(&self, now: i64) -> bool {
        self.expires
            .as_ref()
            .is_some_and(|e| now >= e.value + 86_400)
    }

    /// What it hides, in a few words: `role:ci-* role-unmanaged`.
    pub fn label(&self) -> String {
        let parts: Vec<&str> = [
            self.resource.as_ref().map(|r| r.value.as_str()),
            self.rule.as_ref().map(|r| r.value.as_str()),
            self.fingerprint.as_ref().map(|f| f.value.as_str()),
        ]
        .into_iter()
        .flatten()
        .collect();
        parts.join(" ")
    }
}

#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The keys of `settings` the file declares, where.
    pub declared: Vec<Sp<String>>,
    pub unmanaged: Unmanaged,
    /// `settings.provisioned`: whether undeclared objects AWS made (service-linked
    /// roles, IAM Identity Center and Control Tower roles) are reported, at
    /// info, or left out; `settings.unmanaged` does not apply to them.
    pub provisioned: Unmanaged,
    /// Plain patterns of `settings.ignore`: findings they match are dropped.
    pub ignore: Vec<Sp<String>>,
    /// The waivers of `settings.ignore`, in the file's order.
    pub waivers: Vec<Waiver>,
    pub severity: BTreeMap<String, Sp<Severity>>,
    /// Active access keys older than this many days are findings.
    pub max_key_age_days: Option<Sp<u32>>,
    /// Accounts besides `account.id` that trust policies may name without a
    /// high finding.
    pub trusted_accounts: Vec<Sp<String>>,
}

/// Whether an access key id looks like one: `AKIA`, then upper-case letters
/// and digits, 16 to 128 characters in all.
pub fn is_access_key_id(id: &str) -> bool {
    id.starts_with("AKIA")
        && (16..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}
