//! Validation of a baseline tree: types, ranges, unknown keys with a suggestion;
//! every error is collected, none stops the others.

mod account;
mod group;
mod guardrails;
mod identity_provider;
mod instance_profile;
mod password_policy;
mod policy;
mod principal;
mod role;
mod settings;
mod suggest;
mod user;
mod values;

pub use suggest::suggest;

/// The keys of a waiver (an entry of `settings.ignore` that is a mapping).
pub const WAIVER_KEYS: &[&str] = &["resource", "rule", "fingerprint", "reason", "expires"];

use super::yaml::{self, Node, Value};
use super::{Baseline, BaselineError, BaselineErrors};
use crate::finding::Loc;
use std::collections::BTreeMap;

/// The keys each section accepts.
pub struct Keys {
    pub top: &'static [&'static str],
    pub account: &'static [&'static str],
    pub root: &'static [&'static str],
    pub password_policy: &'static [&'static str],
    pub user: &'static [&'static str],
    pub ssh_key: &'static [&'static str],
    pub access_key: &'static [&'static str],
    pub group: &'static [&'static str],
    pub role: &'static [&'static str],
    pub instance_profile: &'static [&'static str],
    pub policy: &'static [&'static str],
    pub identity_providers: &'static [&'static str],
    pub oidc_provider: &'static [&'static str],
    pub saml_provider: &'static [&'static str],
    pub settings: &'static [&'static str],
    pub guardrails: &'static [&'static str],
}

pub const KEYS: Keys = Keys {
    top: &[
        "version",
        "account",
        "password_policy",
        "users",
        "groups",
        "roles",
        "instance_profiles",
        "policies",
        "identity_providers",
        "guardrails",
        "settings",
    ],
    account: &["id", "alias", "root"],
    root: &["access_keys", "mfa"],
    password_policy: &[
        "minimum_password_length",
        "require_uppercase_characters",
        "require_lowercase_characters",
        "require_numbers",
        "require_symbols",
        "allow_users_to_change_password",
        "max_password_age",
        "password_reuse_prevention",
        "hard_expiry",
    ],
    user: &[
        "id",
        "path",
        "groups",
        "managed_policies",
        "inline_policies",
        "permissions_boundary",
        "console_access",
        "mfa",
        "ssh_public_keys",
        "access_keys",
        "tags",
    ],
    ssh_key: &["id", "status"],
    access_key: &["id", "status"],
    group: &["path", "managed_policies", "inline_policies"],
    role: &[
        "id",
        "path",
        "assume_role_policy",
        "managed_policies",
        "inline_policies",
        "permissions_boundary",
        "max_session_duration",
        "description",
        "tags",
    ],
    instance_profile: &["path", "roles"],
    policy: &["path", "document", "description"],
    identity_providers: &["oidc", "saml"],
    oidc_provider: &["client_ids", "thumbprints"],
    saml_provider: &["metadata_sha256"],
    settings: &[
        "unmanaged",
        "provisioned",
        "ignore",
        "severity",
        "max_key_age_days",
        "trusted_accounts",
    ],
    guardrails: &[
        "trusted_accounts",
        "trusted_oidc_subjects",
        "never_allow",
        "public_trust",
    ],
};

/// Reads and validates a baseline. `path` is only used in messages.
pub fn parse(path: &str, text: &str) -> Result<Baseline, BaselineErrors> {
    parse_in(path, text, 0)
}

/// [`parse`] of baseline file number `file` of a merged baseline (an
/// account's own file is 1): every location says which file it is in.
pub fn parse_in(path: &str, text: &str, file: u16) -> Result<Baseline, BaselineErrors> {
    let mut root = tree(path, text)?;
    if file != 0 {
        root.in_file(file);
    }
    let mut cx = Cx::default();
    let baseline = cx.baseline(&root);
    cx.errors.sort_by_key(|e| e.loc.map(|l| (l.line, l.column)));
    if cx.errors.is_empty() {
        Ok(baseline)
    } else {
        Err(BaselineErrors::new(path, text, cx.errors))
    }
}

/// A validator of a located YAML tree: every error is collected.
/// The located YAML tree of a file, or its syntax error.
pub fn tree(path: &str, text: &str) -> Result<Node, BaselineErrors> {
    yaml::parse(text).map_err(|err| {
        let error = BaselineError {
            message: format!("invalid YAML: {}", err.message),
            loc: err.loc,
            label: "here".to_string(),
            help: Some("check the indentation and the quoting around this line".to_string()),
        };
        BaselineErrors::new(path, text, vec![error])
    })
}

#[derive(Default)]
pub struct Cx {
    pub errors: Vec<BaselineError>,
}

pub type Entries<'n> = BTreeMap<&'n str, (&'n Node, &'n Node)>;

impl Cx {
    pub fn error(&mut self, node: &Node, message: String, label: &str, help: Option<String>) {
        self.errors.push(BaselineError {
            message,
            loc: Some(node.loc),
            label: label.to_string(),
            help,
        });
    }

    fn error_at(&mut self, loc: Loc, message: String, label: &str, help: Option<String>) {
        self.errors.push(BaselineError {
            message,
            loc: Some(loc),
            label: label.to_string(),
            help,
        });
    }

    pub fn type_error(&mut self, node: &Node, what: &str, expected: &str) {
        self.error(
            node,
            format!("`{what}` must be {expected}, not {}", node.value.kind()),
            &format!("expected {expected}"),
            None,
        );
    }

    fn baseline(&mut self, root: &Node) -> Baseline {
        let mut b = Baseline::default();
        if matches!(root.value, Value::Null) {
            self.error(
                root,
                "the baseline is empty".to_string(),
                "nothing here",
                Some("start with `version: 1`".to_string()),
            );
            return b;
        }
        let top = self.mapping(root, "baseline", Some(KEYS.top));
        match top.get("version") {
            Some((_, v)) if v.value == Value::Int(1) => {}
            Some((_, v)) => self.error(
                v,
                format!("unsupported baseline version {}", v.scalar_text()),
                "unsupported version",
                Some("this version of drift reads `version: 1`".to_string()),
            ),
            None if matches!(root.value, Value::Map(_)) => self.error(
                root,
                "the baseline has no `version`".to_string(),
                "missing `version: 1`",
                Some("add `version: 1` at the top".to_string()),
            ),
            None => {}
        }
        if let Some((key, node)) = top.get("account") {
            b.account = Some(self.account(key, node));
        }
        if let Some((key, node)) = top.get("password_policy") {
            b.password_policy = Some(self.password_policy(key, node));
        }
        if let Some((_, node)) = top.get("users") {
            for (name, (key, value)) in self.mapping(node, "users", None) {
                let spec = self.user(name, key, value);
                b.users.insert(name.to_string(), spec);
            }
        }
        if let Some((_, node)) = top.get("groups") {
            for (name, (key, value)) in self.mapping(node, "groups", None) {
                let spec = self.group(name, key, value);
                b.groups.insert(name.to_string(), spec);
            }
        }
        if let Some((_, node)) = top.get("roles") {
            for (name, (key, value)) in self.mapping(node, "roles", None) {
                let spec = self.role(name, key, value);
                b.roles.insert(name.to_string(), spec);
            }
        }
        if let Some((_, node)) = top.get("instance_profiles") {
            for (name, (key, value)) in self.mapping(node, "instance_profiles", None) {
                let spec = self.instance_profile(name, key, value);
                b.instance_profiles.insert(name.to_string(), spec);
            }
        }
        if let Some((_, node)) = top.get("policies") {
            for (name, (key, value)) in self.mapping(node, "policies", None) {
                let spec = self.policy(name, key, value);
                b.policies.insert(name.to_string(), spec);
            }
        }
        if let Some((_, node)) = top.get("identity_providers") {
            self.identity_providers(node, &mut b);
        }
        if let Some((key, node)) = top.get("guardrails") {
            b.guardrails = Some(self.guardrails(key, node));
        }
        if let Some((_, node)) = top.get("settings") {
            b.settings = self.settings(node);
        }
        b
    }
}
