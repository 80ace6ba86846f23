//! The kinds of IAM object in one table: where the baseline declares each, how
//! a state holds it, the rules of its write conflicts and undeclared objects,
//! whether `settings.unmanaged: ignore` quiets those, the Terraform resource
//! types that write it and the IAM actions the live read calls for it. The
//! baseline lookups, the state lookups, triage, write conflicts, the
//! classification of CloudTrail events, the supported Terraform types and the
//! live read's unread sections all read it, so that a kind is described once.
//!
//! The table is in the order of [`Kind::ALL`], one entry per kind; the compiler
//! checks it (a kind without its entry does not build).

use crate::baseline::Baseline;
use crate::identity::{Kind, RuleId};
use crate::origin::Origin;
use crate::state::{IamState, Members, Obj};

/// How a kind exists in an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One per account (the password policy, the alias, the root user).
    Setting,
    /// Named objects: a collection in the baseline and in the state.
    Object,
    /// Parts of an object of another kind (a user's SSH keys).
    Part(Kind),
    /// A kind that only names rules (a role's trust policy, a guardrail).
    Rules,
}

/// One kind of IAM object.
pub struct Entry {
    pub kind: Kind,
    pub shape: Shape,
    /// Where the baseline declares it (`users`, `identity_providers.oidc`).
    pub baseline: Option<&'static str>,
    /// The rule of a change to it, and of two resources that write it.
    pub changed: Option<RuleId>,
    /// The rule of one the baseline does not declare.
    pub unmanaged: Option<RuleId>,
    /// Whether `settings.unmanaged: ignore` quiets undeclared ones that grant
    /// nothing risky. An identity provider is a new trust anchor, never noise.
    pub quiet_undeclared: bool,
    /// The Terraform resource types that write it.
    pub terraform: &'static [&'static str],
    /// The IAM actions the live read calls for it.
    pub live: &'static [&'static str],
    /// The section an error names when the live read could not read it, with
    /// the action that failed (its first of `live`); `None` when another
    /// kind's section covers it.
    pub section: Option<&'static str>,
    /// Whether the baseline declares the one named (settings ignore the name).
    pub declared: fn(&Baseline, &str) -> bool,
    /// Where the one named comes from, when the state holds it present.
    pub present: for<'s> fn(&'s IamState, &str) -> Option<&'s Origin>,
}

fn never(_: &Baseline, _: &str) -> bool {
    false
}

fn absent<'s>(_: &'s IamState, _: &str) -> Option<&'s Origin> {
    None
}

fn named<'s, T>(m: &'s Members<T>, name: &str) -> Option<&'s Origin> {
    m.items
        .get(name)
        .filter(|o| o.value.is_some())
        .map(|o| &o.origin)
}

fn setting<T>(o: Option<&Obj<T>>) -> Option<&Origin> {
    o.filter(|o| o.value.is_some()).map(|o| &o.origin)
}

/// A kind that only names rules.
const fn rules(kind: Kind, terraform: &'static [&'static str]) -> Entry {
    Entry {
        kind,
        shape: Shape::Rules,
        baseline: None,
        changed: None,
        unmanaged: None,
        quiet_undeclared: false,
        terraform,
        live: &[],
        section: None,
        declared: never,
        present: absent,
    }
}

/// The credential report's section, for console access, MFA and the root user.
const REPORT: &str = "console passwords and MFA (the credential report)";

const TABLE: [Entry; Kind::ALL.len()] = [
    Entry {
        kind: Kind::PasswordPolicy,
        shape: Shape::Setting,
        baseline: Some("password_policy"),
        changed: Some(RuleId::PASSWORD_POLICY_CHANGED),
        unmanaged: None,
        quiet_undeclared: false,
        terraform: &["aws_iam_account_password_policy"],
        live: &["iam:GetAccountPasswordPolicy"],
        section: Some("the account password policy"),
        declared: |b, _| b.password_policy.is_some(),
        present: |s, _| setting(s.password_policy.as_ref()),
    },
    Entry {
        kind: Kind::Account,
        shape: Shape::Setting,
        baseline: Some("account.alias"),
        changed: Some(RuleId::ACCOUNT_CHANGED),
        unmanaged: None,
        quiet_undeclared: false,
        terraform: &["aws_iam_account_alias"],
        live: &["iam:ListAccountAliases"],
        section: Some("the account alias"),
        declared: |b, _| b.account.as_ref().is_some_and(|a| a.alias.is_some()),
        present: |s, _| setting(s.account_alias.as_ref()),
    },
    Entry {
        kind: Kind::User,
        shape: Shape::Object,
        baseline: Some("users"),
        changed: Some(RuleId::USER_CHANGED),
        unmanaged: Some(RuleId::USER_UNMANAGED),
        quiet_undeclared: true,
        terraform: &["aws_iam_user", "aws_iam_user_group_membership"],
        live: &["iam:GetAccountAuthorizationDetails"],
        section: None,
        declared: |b, n| b.users.contains_key(n),
        present: |s, n| named(&s.users, n),
    },
    Entry {
        kind: Kind::Group,
        shape: Shape::Object,
        baseline: Some("groups"),
        changed: Some(RuleId::GROUP_CHANGED),
        unmanaged: Some(RuleId::GROUP_UNMANAGED),
        quiet_undeclared: true,
        terraform: &["aws_iam_group", "aws_iam_group_membership"],
        live: &["iam:GetAccountAuthorizationDetails"],
        section: None,
        declared: |b, n| b.groups.contains_key(n),
        present: |s, n| named(&s.groups, n),
    },
    Entry {
        kind: Kind::Role,
        shape: Shape::Object,
        baseline: Some("roles"),
        changed: Some(RuleId::ROLE_CHANGED),
        unmanaged: Some(RuleId::ROLE_UNMANAGED),
        quiet_undeclared: true,
        terraform: &["aws_iam_role"],
        live: &["iam:ListRoles", "iam:GetAccountAuthorizationDetails"],
        section: Some("role session lengths and descriptions"),
        declared: |b, n| b.roles.contains_key(n),
        present: |s, n| named(&s.roles, n),
    },
    Entry {
        kind: Kind::InstanceProfile,
        shape: Shape::Object,
        baseline: Some("instance_profiles"),
        changed: Some(RuleId::INSTANCE_PROFILE_CHANGED),
        unmanaged: Some(RuleId::INSTANCE_PROFILE_UNMANAGED),
        quiet_undeclared: true,
        terraform: &["aws_iam_instance_profile"],
        live: &["iam:ListInstanceProfiles"],
        section: Some("instance profiles"),
        declared: |b, n| b.instance_profiles.contains_key(n),
        present: |s, n| named(&s.instance_profiles, n),
    },
    Entry {
        kind: Kind::Policy,
        shape: Shape::Object,
        baseline: Some("policies"),
        changed: Some(RuleId::POLICY_CHANGED),
        unmanaged: Some(RuleId::POLICY_UNMANAGED),
        quiet_undeclared: true,
        terraform: &["aws_iam_policy", "aws_iam_policy_attachment"],
        live: &["iam:GetAccountAuthorizationDetails"],
        section: None,
        declared: |b, n| b.policies.contains_key(n),
        present: |s, n| named(&s.policies, n),
    },
    Entry {
        kind: Kind::SshKey,
        shape: Shape::Part(Kind::User),
        baseline: Some("users.NAME.ssh_public_keys"),
        changed: Some(RuleId::SSH_KEY_CHANGED),
        unmanaged: Some(RuleId::SSH_KEY_UNMANAGED),
        quiet_undeclared: false,
        terraform: &["aws_iam_user_ssh_key"],
        live: &["iam:ListSSHPublicKeys"],
        section: Some("SSH keys of every user"),
        declared: never,
        present: absent,
    },
    Entry {
        kind: Kind::LoginProfile,
        shape: Shape::Part(Kind::User),
        baseline: Some("users.NAME.console_access"),
        changed: None,
        unmanaged: Some(RuleId::LOGIN_PROFILE_UNMANAGED),
        quiet_undeclared: false,
        terraform: &["aws_iam_user_login_profile"],
        live: &[
            "iam:GenerateCredentialReport",
            "iam:GetCredentialReport",
            "iam:GetLoginProfile",
        ],
        section: None,
        declared: never,
        present: absent,
    },
    Entry {
        kind: Kind::Mfa,
        shape: Shape::Part(Kind::User),
        baseline: Some("users.NAME.mfa"),
        changed: None,
        unmanaged: None,
        quiet_undeclared: false,
        terraform: &[],
        live: &[
            "iam:GetCredentialReport",
            "iam:GenerateCredentialReport",
            "iam:ListMFADevices",
        ],
        section: Some(REPORT),
        declared: never,
        present: absent,
    },
    Entry {
        kind: Kind::AccessKey,
        shape: Shape::Part(Kind::User),
        baseline: Some("users.NAME.access_keys"),
        changed: Some(RuleId::ACCESS_KEY_CHANGED),
        unmanaged: Some(RuleId::ACCESS_KEY_UNMANAGED),
        quiet_undeclared: false,
        terraform: &["aws_iam_access_key"],
        live: &["iam:ListAccessKeys"],
        section: Some("access keys of users"),
        declared: never,
        present: absent,
    },
    Entry {
        kind: Kind::OidcProvider,
        shape: Shape::Object,
        baseline: Some("identity_providers.oidc"),
        changed: Some(RuleId::OIDC_PROVIDER_CHANGED),
        unmanaged: Some(RuleId::OIDC_PROVIDER_UNMANAGED),
        quiet_undeclared: false,
        terraform: &["aws_iam_openid_connect_provider"],
        live: &[
            "iam:ListOpenIDConnectProviders",
            "iam:GetOpenIDConnectProvider",
        ],
        section: Some("OIDC identity providers"),
        declared: |b, n| b.oidc_providers.contains_key(n),
        present: |s, n| named(&s.oidc_providers, n),
    },
    Entry {
        kind: Kind::SamlProvider,
        shape: Shape::Object,
        baseline: Some("identity_providers.saml"),
        changed: Some(RuleId::SAML_PROVIDER_CHANGED),
        unmanaged: Some(RuleId::SAML_PROVIDER_UNMANAGED),
        quiet_undeclared: false,
        terraform: &["aws_iam_saml_provider"],
        live: &["iam:ListSAMLProviders", "iam:GetSAMLProvider"],
        section: Some("SAML identity providers"),
        declared: |b, n| b.saml_providers.contains_key(n),
        present: |s, n| named(&s.saml_providers, n),
    },
    Entry {
        kind: Kind::Root,
        shape: Shape::Setting,
        baseline: Some("account.root"),
        changed: None,
        unmanaged: None,
        quiet_undeclared: false,
        terraform: &[],
        live: &[
            "iam:GenerateCredentialReport",
            "iam:GetCredentialReport",
            "iam:GetAccountSummary",
        ],
        section: None,
        declared: |b, _| b.account.as_ref().is_some_and(|a| a.root.is_some()),
        present: |s, _| setting(s.root.as_ref()),
    },
    Entry {
        kind: Kind::RootAccessKey,
        shape: Shape::Part(Kind::Root),
        baseline: Some("account.root.access_keys"),
        changed: None,
        unmanaged: Some(RuleId::ROOT_ACCESS_KEY_UNMANAGED),
        quiet_undeclared: false,
        terraform: &[],
        live: &["iam:GetCredentialReport", "iam:GetAccountSummary"],
        section: None,
        declared: never,
        present: absent,
    },
    Entry {
        kind: Kind::RootMfa,
        shape: Shape::Part(Kind::Root),
        baseline: Some("account.root.mfa"),
        changed: None,
        unmanaged: None,
        quiet_undeclared: false,
        terraform: &[],
        live: &["iam:GetCredentialReport", "iam:GetAccountSummary"],
        section: None,
        declared: never,
        present: absent,
    },
    rules(
        Kind::UserPolicy,
        &["aws_iam_user_policy", "aws_iam_user_policy_attachment"],
    ),
    rules(
        Kind::GroupPolicy,
        &["aws_iam_group_policy", "aws_iam_group_policy_attachment"],
    ),
    rules(
        Kind::RolePolicy,
        &["aws_iam_role_policy", "aws_iam_role_policy_attachment"],
    ),
    rules(Kind::RoleTrust, &[]),
    rules(Kind::PermissionsBoundary, &[]),
    rules(Kind::Guardrail, &[]),
    rules(Kind::Baseline, &[]),
    rules(Kind::Waiver, &[]),
    rules(Kind::Provider, &[]),
];

// Each kind at its own place: `entry` indexes the table by the kind.
const _: () = {
    let mut i = 0;
    while i < TABLE.len() {
        assert!(TABLE[i].kind as usize == i && Kind::ALL[i] as usize == i);
        i += 1;
    }
};

/// Every kind, in the order of [`Kind::ALL`].
pub static KINDS: [Entry; Kind::ALL.len()] = TABLE;

/// The entry of a kind.
pub fn entry(kind: Kind) -> &'static Entry {
    &KINDS[kind as usize]
}

/// The section an unread kind's error names (for use in constants).
pub const fn section(kind: Kind) -> &'static str {
    match TABLE[kind as usize].section {
        Some(s) => s,
        // In a constant, a kind without a section does not build.
        None => panic!("this kind has no section of its own in the kinds table"),
    }
}

/// Whether drift reads a Terraform resource type.
pub fn is_supported(ty: &str) -> bool {
    // Asked for every resource of a plan: a set built once from the table.
    static TYPES: std::sync::OnceLock<
        std::collections::HashSet<&'static str, foldhash::fast::RandomState>,
    > = std::sync::OnceLock::new();
    ty.starts_with("aws_iam_")
        && TYPES
            .get_or_init(|| terraform_types().collect())
            .contains(ty)
}

/// Every Terraform resource type drift reads, in the table's order.
pub fn terraform_types() -> impl Iterator<Item = &'static str> {
    KINDS.iter().flat_map(|e| e.terraform.iter().copied())
}

/// The live read's sections with the first action each calls, in the
/// table's order, each once.
pub fn live_sections() -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for e in &KINDS {
        if let (Some(section), Some(action)) = (e.section, e.live.first()) {
            if !out.iter().any(|(s, _)| *s == section) {
                out.push((section, action));
            }
        }
    }
    out
}

/// Whether the baseline declares the object (or setting) a resource id names.
pub fn declared(baseline: &Baseline, resource: &crate::identity::ResourceId) -> bool {
    use crate::identity::Name;
    let name = match resource.name() {
        Some(Name::Known(n)) => n.as_str(),
        Some(Name::AfterApply(_)) => return false,
        None => "",
    };
    (entry(resource.kind()).declared)(baseline, name)
}

/// The kinds as a markdown table, for the recipe in `docs/development.md`.
pub fn markdown() -> String {
    let mut out = String::from(
        "| kind | shape | baseline | write conflict rule | undeclared rule | \
`unmanaged: ignore` quiets | Terraform types | IAM actions |\n|---|---|---|---|---|---|---|---|\n",
    );
    let code = |items: &[&str]| {
        if items.is_empty() {
            "".to_string()
        } else {
            items
                .iter()
                .map(|i| format!("`{i}`"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    for e in &KINDS {
        let shape = match e.shape {
            Shape::Setting => "setting".to_string(),
            Shape::Object => "object".to_string(),
            Shape::Part(of) => format!("part of {of}"),
            Shape::Rules => "rules only".to_string(),
        };
        let rule = |r: Option<RuleId>| r.map(|r| format!("`{r}`")).unwrap_or_default();
        out.push_str(&format!(
            "| `{}` | {shape} | {} | {} | {} | {} | {} | {} |\n",
            e.kind,
            e.baseline.map(|b| format!("`{b}`")).unwrap_or_default(),
            rule(e.changed),
            rule(e.unmanaged),
            if e.quiet_undeclared { "yes" } else { "" },
            code(e.terraform),
            code(e.live),
        ));
    }
    out
}
