//! Identities as types: the kinds of IAM object drift knows, the rule ids (a kind
//! plus a change), and the ids of the resources findings are about. Each is built
//! once, rendered once, and never parsed back from its text.

use std::cmp::Ordering;
use std::fmt;

/// The kinds and `Kind::ALL` from one list, so that a kind cannot be left
/// out of `ALL` (nor, through it, out of the kinds table).
macro_rules! kinds {
    ($($(#[$doc:meta])* $kind:ident,)*) => {
        /// A kind of IAM object (or of a part of one that has rules of its own).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Kind {
            $($(#[$doc])* $kind,)*
        }

        impl Kind {
            /// Every kind, in the order declared.
            pub const ALL: [Kind; [$(Kind::$kind),*].len()] = [$(Kind::$kind),*];
        }
    };
}

kinds! {
    PasswordPolicy,
    Account,
    User,
    Group,
    Role,
    InstanceProfile,
    Policy,
    SshKey,
    LoginProfile,
    Mfa,
    AccessKey,
    OidcProvider,
    SamlProvider,
    /// The root user of the account (the resource of the root's findings).
    Root,
    RootAccessKey,
    RootMfa,
    /// The rules about a user's, group's or role's permission policies
    /// (attached and inline), and a role's trust policy.
    UserPolicy,
    GroupPolicy,
    RolePolicy,
    RoleTrust,
    /// The permissions boundary of a user or role.
    PermissionsBoundary,
    /// A guardrail of the baseline (the rule's kind; findings are about the
    /// object that breaks it).
    Guardrail,
    /// The baseline itself, as a change proposes it (the rule's kind;
    /// findings are about the object whose entry changed).
    Baseline,
    /// A waiver of `settings.ignore`.
    Waiver,
    /// A Terraform provider configuration (the rule's kind; findings are
    /// about the resources it manages in an account no baseline judges).
    Provider,
}

impl Kind {
    /// The kind as rule ids, resource ids and `settings.ignore` spell it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::PasswordPolicy => "password-policy",
            Kind::Account => "account",
            Kind::User => "user",
            Kind::Group => "group",
            Kind::Role => "role",
            Kind::InstanceProfile => "instance-profile",
            Kind::Policy => "policy",
            Kind::SshKey => "ssh-key",
            Kind::LoginProfile => "login-profile",
            Kind::Mfa => "mfa",
            Kind::AccessKey => "access-key",
            Kind::OidcProvider => "oidc-provider",
            Kind::SamlProvider => "saml-provider",
            Kind::Root => "root",
            Kind::RootAccessKey => "root-access-key",
            Kind::RootMfa => "root-mfa",
            Kind::UserPolicy => "user-policy",
            Kind::GroupPolicy => "group-policy",
            Kind::RolePolicy => "role-policy",
            Kind::RoleTrust => "role-trust",
            Kind::PermissionsBoundary => "permissions-boundary",
            Kind::Guardrail => "guardrail",
            Kind::Baseline => "baseline",
            Kind::Waiver => "waiver",
            Kind::Provider => "provider",
        }
    }

    /// How messages name an object of this kind.
    pub const fn noun(self) -> &'static str {
        match self {
            Kind::PasswordPolicy => "password policy",
            Kind::Account => "account",
            Kind::User => "user",
            Kind::Group => "group",
            Kind::Role => "role",
            Kind::InstanceProfile => "instance profile",
            Kind::Policy => "customer managed policy",
            Kind::SshKey => "SSH key",
            Kind::LoginProfile => "login profile",
            Kind::Mfa => "MFA device",
            Kind::AccessKey => "access key",
            Kind::OidcProvider => "OIDC identity provider",
            Kind::SamlProvider => "SAML identity provider",
            Kind::Root => "root user",
            Kind::RootAccessKey => "root access key",
            Kind::RootMfa => "root MFA device",
            Kind::UserPolicy => "user's policies",
            Kind::GroupPolicy => "group's policies",
            Kind::RolePolicy => "role's policies",
            Kind::RoleTrust => "role's trust policy",
            Kind::PermissionsBoundary => "permissions boundary",
            Kind::Guardrail => "guardrail",
            Kind::Baseline => "baseline",
            Kind::Waiver => "waiver",
            Kind::Provider => "provider configuration",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What happened to what the baseline declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    /// Declared, and gone.
    Removed,
    /// A field moved in the weaker direction.
    Weakened,
    /// A field moved in the stronger direction.
    Strengthened,
    /// Different, with no stronger side.
    Changed,
    /// There, and not declared.
    Unmanaged,
    /// Known only after apply.
    Unknown,
    /// Older than the baseline allows.
    Stale,
    /// Grants more than the baseline: more principals, actions, resources or
    /// contexts.
    Widened,
    /// Grants less than the baseline, and nothing more.
    Narrowed,
    /// Breaks a rule every object must follow.
    Violated,
    /// Past its date.
    Expired,
    /// Matched nothing.
    Unused,
    /// There, not declared, and made by AWS (a service-linked role, IAM
    /// Identity Center, Control Tower).
    Provisioned,
    /// Not judged: no baseline of the run is for its account.
    Unjudged,
}

impl Change {
    pub const fn as_str(self) -> &'static str {
        match self {
            Change::Removed => "removed",
            Change::Weakened => "weakened",
            Change::Strengthened => "strengthened",
            Change::Changed => "changed",
            Change::Unmanaged => "unmanaged",
            Change::Unknown => "unknown",
            Change::Unjudged => "unjudged",
            Change::Stale => "stale",
            Change::Widened => "widened",
            Change::Narrowed => "narrowed",
            Change::Violated => "violated",
            Change::Expired => "expired",
            Change::Unused => "unused",
            Change::Provisioned => "provisioned",
        }
    }
}

/// A rule id: a kind plus a change, spelled `<kind>-<change>`. Only the constants
/// below exist, so an id that is not a rule cannot be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RuleId {
    kind: Kind,
    change: Change,
    text: &'static str,
}

/// Whether `text` is `<kind>-<change>`, at compile time.
const fn spelled(kind: Kind, change: Change, text: &str) -> bool {
    let (k, c, t) = (
        kind.as_str().as_bytes(),
        change.as_str().as_bytes(),
        text.as_bytes(),
    );
    if t.len() != k.len() + 1 + c.len() {
        return false;
    }
    let mut i = 0;
    while i < t.len() {
        let want = if i < k.len() {
            k[i]
        } else if i == k.len() {
            b'-'
        } else {
            c[i - k.len() - 1]
        };
        if t[i] != want {
            return false;
        }
        i += 1;
    }
    true
}

impl RuleId {
    const fn new(kind: Kind, change: Change, text: &'static str) -> RuleId {
        assert!(
            spelled(kind, change, text),
            "a rule id is `<kind>-<change>`"
        );
        RuleId { kind, change, text }
    }

    pub const fn kind(self) -> Kind {
        self.kind
    }

    pub const fn change(self) -> Change {
        self.change
    }

    pub const fn as_str(self) -> &'static str {
        self.text
    }

    /// Looks an id up by its text (user input: `drift rules ID`, `settings.severity`).
    pub fn parse(text: &str) -> Option<RuleId> {
        RuleId::ALL.iter().copied().find(|r| r.text == text)
    }
}

macro_rules! rule_ids {
    ($($name:ident = $kind:ident $change:ident $text:literal;)*) => {
        impl RuleId {
            $(pub const $name: RuleId = RuleId::new(Kind::$kind, Change::$change, $text);)*
            /// Every rule id, in the order `drift rules` lists them.
            pub const ALL: &'static [RuleId] = &[$(RuleId::$name),*];
        }
    };
}

rule_ids! {
    PASSWORD_POLICY_REMOVED = PasswordPolicy Removed "password-policy-removed";
    PASSWORD_POLICY_WEAKENED = PasswordPolicy Weakened "password-policy-weakened";
    PASSWORD_POLICY_CHANGED = PasswordPolicy Changed "password-policy-changed";
    PASSWORD_POLICY_UNKNOWN = PasswordPolicy Unknown "password-policy-unknown";
    PASSWORD_POLICY_STRENGTHENED = PasswordPolicy Strengthened "password-policy-strengthened";
    ACCOUNT_REMOVED = Account Removed "account-removed";
    ACCOUNT_CHANGED = Account Changed "account-changed";
    ACCOUNT_UNKNOWN = Account Unknown "account-unknown";
    USER_REMOVED = User Removed "user-removed";
    USER_CHANGED = User Changed "user-changed";
    USER_UNMANAGED = User Unmanaged "user-unmanaged";
    USER_UNKNOWN = User Unknown "user-unknown";
    USER_POLICY_WIDENED = UserPolicy Widened "user-policy-widened";
    USER_POLICY_NARROWED = UserPolicy Narrowed "user-policy-narrowed";
    GROUP_REMOVED = Group Removed "group-removed";
    GROUP_CHANGED = Group Changed "group-changed";
    GROUP_UNMANAGED = Group Unmanaged "group-unmanaged";
    GROUP_UNKNOWN = Group Unknown "group-unknown";
    GROUP_POLICY_WIDENED = GroupPolicy Widened "group-policy-widened";
    GROUP_POLICY_NARROWED = GroupPolicy Narrowed "group-policy-narrowed";
    ROLE_REMOVED = Role Removed "role-removed";
    ROLE_CHANGED = Role Changed "role-changed";
    ROLE_UNMANAGED = Role Unmanaged "role-unmanaged";
    ROLE_PROVISIONED = Role Provisioned "role-provisioned";
    ROLE_UNKNOWN = Role Unknown "role-unknown";
    ROLE_TRUST_WIDENED = RoleTrust Widened "role-trust-widened";
    ROLE_TRUST_NARROWED = RoleTrust Narrowed "role-trust-narrowed";
    ROLE_POLICY_WIDENED = RolePolicy Widened "role-policy-widened";
    ROLE_POLICY_NARROWED = RolePolicy Narrowed "role-policy-narrowed";
    PERMISSIONS_BOUNDARY_REMOVED = PermissionsBoundary Removed "permissions-boundary-removed";
    INSTANCE_PROFILE_REMOVED = InstanceProfile Removed "instance-profile-removed";
    INSTANCE_PROFILE_CHANGED = InstanceProfile Changed "instance-profile-changed";
    INSTANCE_PROFILE_UNMANAGED = InstanceProfile Unmanaged "instance-profile-unmanaged";
    INSTANCE_PROFILE_UNKNOWN = InstanceProfile Unknown "instance-profile-unknown";
    POLICY_REMOVED = Policy Removed "policy-removed";
    POLICY_CHANGED = Policy Changed "policy-changed";
    POLICY_UNMANAGED = Policy Unmanaged "policy-unmanaged";
    POLICY_PROVISIONED = Policy Provisioned "policy-provisioned";
    POLICY_UNKNOWN = Policy Unknown "policy-unknown";
    POLICY_WIDENED = Policy Widened "policy-widened";
    POLICY_NARROWED = Policy Narrowed "policy-narrowed";
    SSH_KEY_REMOVED = SshKey Removed "ssh-key-removed";
    SSH_KEY_CHANGED = SshKey Changed "ssh-key-changed";
    SSH_KEY_UNMANAGED = SshKey Unmanaged "ssh-key-unmanaged";
    SSH_KEY_UNKNOWN = SshKey Unknown "ssh-key-unknown";
    LOGIN_PROFILE_REMOVED = LoginProfile Removed "login-profile-removed";
    LOGIN_PROFILE_UNMANAGED = LoginProfile Unmanaged "login-profile-unmanaged";
    LOGIN_PROFILE_UNKNOWN = LoginProfile Unknown "login-profile-unknown";
    MFA_REMOVED = Mfa Removed "mfa-removed";
    MFA_UNKNOWN = Mfa Unknown "mfa-unknown";
    ACCESS_KEY_REMOVED = AccessKey Removed "access-key-removed";
    ACCESS_KEY_CHANGED = AccessKey Changed "access-key-changed";
    ACCESS_KEY_UNMANAGED = AccessKey Unmanaged "access-key-unmanaged";
    ACCESS_KEY_UNKNOWN = AccessKey Unknown "access-key-unknown";
    ACCESS_KEY_STALE = AccessKey Stale "access-key-stale";
    OIDC_PROVIDER_REMOVED = OidcProvider Removed "oidc-provider-removed";
    OIDC_PROVIDER_CHANGED = OidcProvider Changed "oidc-provider-changed";
    OIDC_PROVIDER_UNMANAGED = OidcProvider Unmanaged "oidc-provider-unmanaged";
    OIDC_PROVIDER_UNKNOWN = OidcProvider Unknown "oidc-provider-unknown";
    SAML_PROVIDER_REMOVED = SamlProvider Removed "saml-provider-removed";
    SAML_PROVIDER_CHANGED = SamlProvider Changed "saml-provider-changed";
    SAML_PROVIDER_UNMANAGED = SamlProvider Unmanaged "saml-provider-unmanaged";
    SAML_PROVIDER_UNKNOWN = SamlProvider Unknown "saml-provider-unknown";
    ROOT_ACCESS_KEY_UNMANAGED = RootAccessKey Unmanaged "root-access-key-unmanaged";
    ROOT_MFA_REMOVED = RootMfa Removed "root-mfa-removed";
    GUARDRAIL_VIOLATED = Guardrail Violated "guardrail-violated";
    BASELINE_CHANGED = Baseline Changed "baseline-changed";
    WAIVER_EXPIRED = Waiver Expired "waiver-expired";
    WAIVER_UNUSED = Waiver Unused "waiver-unused";
    PROVIDER_UNJUDGED = Provider Unjudged "provider-unjudged";
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text)
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

impl PartialOrd for RuleId {
    fn partial_cmp(&self, other: &RuleId) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Ordered by their text, as reports list them.
impl Ord for RuleId {
    fn cmp(&self, other: &RuleId) -> Ordering {
        self.text.cmp(other.text)
    }
}

/// The name of an object, or the fact that it is known only after apply: then
/// where the object is made (the plan address) tells it from others like it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Name {
    Known(String),
    AfterApply(String),
}

impl Name {
    pub fn as_str(&self) -> &str {
        match self {
            Name::Known(n) => n,
            Name::AfterApply(_) => "(known after apply)",
        }
    }
}

/// What a finding is about: an object of an account (`user/alice`), a part of one
/// (`user/alice/ssh-key/APKA…`) or an account-wide setting (`password-policy`).
/// Its text is rendered once, at construction.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResourceId {
    account: String,
    kind: Kind,
    name: Option<Name>,
    sub: Option<(Kind, Name)>,
    text: String,
    /// The length of the object's part of `text` (without the sub-resource).
    object_len: usize,
}

impl ResourceId {
    fn build(kind: Kind, name: Option<Name>, sub: Option<(Kind, Name)>) -> ResourceId {
        let mut text = kind.as_str().to_string();
        if let Some(n) = &name {
            text.push('/');
            text.push_str(n.as_str());
        }
        let object_len = text.len();
        if let Some((k, n)) = &sub {
            text.push('/');
            text.push_str(k.as_str());
            text.push('/');
            text.push_str(n.as_str());
        }
        ResourceId {
            account: String::new(),
            kind,
            name,
            sub,
            text,
            object_len,
        }
    }

    /// An account-wide setting without a name (`password-policy`, `account`).
    pub fn setting(kind: Kind) -> ResourceId {
        ResourceId::build(kind, None, None)
    }

    /// A named object (`user/alice`).
    pub fn object(kind: Kind, name: impl Into<String>) -> ResourceId {
        ResourceId::build(kind, Some(Name::Known(name.into())), None)
    }

    /// An object whose name is known only after apply, made at `at` (the plan
    /// address): two such objects stay apart.
    pub fn after_apply(kind: Kind, at: impl Into<String>) -> ResourceId {
        ResourceId::build(kind, Some(Name::AfterApply(at.into())), None)
    }

    /// A part of this object with an id of its own (an SSH key of a user).
    pub fn child(&self, kind: Kind, id: Name) -> ResourceId {
        let mut r = ResourceId::build(self.kind, self.name.clone(), Some((kind, id)));
        r.account.clone_from(&self.account);
        r
    }

    /// A resource id read back from its text (`user/alice`,
    /// `user/alice/ssh-key/APKA…`, `password-policy`), as drift's own JSON
    /// report writes it. `None` for a text no resource id renders to, and for
    /// objects known only after apply (their text does not say where they
    /// are made). IAM names hold no `/` (an OIDC provider's URL may, and
    /// holds no part): a name that does, as a plan may give, is read as the
    /// parts it looks like, which only a live report never needs.
    pub fn parse(text: &str) -> Option<ResourceId> {
        let kind_of = |t: &str| Kind::ALL.into_iter().find(|k| k.as_str() == t);
        let named = |k: Kind| crate::kinds::entry(k).shape == crate::kinds::Shape::Object;
        let id = match text.split_once('/') {
            None => ResourceId::setting(kind_of(text).filter(|k| !named(*k))?),
            Some((kind, rest)) => {
                let kind = kind_of(kind).filter(|k| named(*k))?;
                let part = [Kind::SshKey, Kind::AccessKey].into_iter().find_map(|sub| {
                    let (name, id) = rest.rsplit_once(&format!("/{}/", sub.as_str()))?;
                    Some((name, sub, id))
                });
                match part {
                    Some((name, sub, id)) if !name.is_empty() && !id.is_empty() => {
                        ResourceId::object(kind, name).child(sub, Name::Known(id.to_string()))
                    }
                    // Only an OIDC provider's URL holds a `/`.
                    _ if rest.contains('/') && kind != Kind::OidcProvider => return None,
                    _ => ResourceId::object(kind, rest),
                }
            }
        };
        (id.text == text && !text.contains(Name::AfterApply(String::new()).as_str())).then_some(id)
    }

    /// The same resource in another account.
    pub fn in_account(mut self, account: impl Into<String>) -> ResourceId {
        self.account = account.into();
        self
    }

    /// The resource without its sub-resource: the object it belongs to.
    pub fn object_id(&self) -> ResourceId {
        let mut r = ResourceId::build(self.kind, self.name.clone(), None);
        r.account.clone_from(&self.account);
        r
    }

    /// The account id; empty when the source did not say.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// The kind of the object (`user` for an SSH key of a user).
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The kind of the most specific part (`ssh-key` for an SSH key of a user).
    pub fn leaf_kind(&self) -> Kind {
        self.sub.as_ref().map_or(self.kind, |(k, _)| *k)
    }

    pub fn name(&self) -> Option<&Name> {
        self.name.as_ref()
    }

    pub fn sub(&self) -> Option<&(Kind, Name)> {
        self.sub.as_ref()
    }

    /// An object whose own name is known only after apply (not a part of one).
    pub fn is_unnamed_object(&self) -> bool {
        self.sub.is_none() && matches!(self.name, Some(Name::AfterApply(_)))
    }

    /// Where the parts known only after apply are made (their plan addresses),
    /// empty when every part has a name: what tells apart ids of the same text.
    pub fn anchors(&self) -> String {
        let mut out = String::new();
        for name in [self.name.as_ref(), self.sub.as_ref().map(|(_, n)| n)]
            .into_iter()
            .flatten()
        {
            if let Name::AfterApply(at) = name {
                out.push_str(at);
                out.push('\n');
            }
        }
        out
    }

    /// The resource id as people and reports see it.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The object's part of the text (`user/alice` for `user/alice/ssh-key/…`).
    pub fn object_str(&self) -> &str {
        &self.text[..self.object_len]
    }
}

impl fmt::Display for ResourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl PartialEq<&str> for ResourceId {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

impl PartialOrd for ResourceId {
    fn partial_cmp(&self, other: &ResourceId) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Ordered by account, then by text, as reports list them.
impl Ord for ResourceId {
    fn cmp(&self, other: &ResourceId) -> Ordering {
        self.account
            .cmp(&other.account)
            .then_with(|| self.text.cmp(&other.text))
            .then_with(|| self.kind.cmp(&other.kind))
            .then_with(|| self.name.cmp(&other.name))
            .then_with(|| self.sub.cmp(&other.sub))
    }
}
