//! The one normalized IAM state model. Every source (a plan, the live account)
//! produces an [`IamState`]; the diff never knows where the data came from.

use crate::origin::Origin;
use crate::policy_doc::PolicyDoc;
use std::collections::{BTreeMap, BTreeSet};

/// A password policy field, with its AWS name as used in the baseline and in Terraform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PpField {
    MinimumPasswordLength,
    RequireUppercaseCharacters,
    RequireLowercaseCharacters,
    RequireNumbers,
    RequireSymbols,
    AllowUsersToChangePassword,
    MaxPasswordAge,
    PasswordReusePrevention,
    HardExpiry,
}

/// Which way a field is stronger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// A larger number is stronger.
    Larger,
    /// `true` is stronger.
    True,
    /// A smaller number is stronger; absent (or 0) means "never", the weakest.
    SmallerPresent,
    /// No stronger side.
    None,
}

impl PpField {
    pub const ALL: [PpField; 9] = [
        PpField::MinimumPasswordLength,
        PpField::RequireUppercaseCharacters,
        PpField::RequireLowercaseCharacters,
        PpField::RequireNumbers,
        PpField::RequireSymbols,
        PpField::AllowUsersToChangePassword,
        PpField::MaxPasswordAge,
        PpField::PasswordReusePrevention,
        PpField::HardExpiry,
    ];

    pub fn name(self) -> &'static str {
        match self {
            PpField::MinimumPasswordLength => "minimum_password_length",
            PpField::RequireUppercaseCharacters => "require_uppercase_characters",
            PpField::RequireLowercaseCharacters => "require_lowercase_characters",
            PpField::RequireNumbers => "require_numbers",
            PpField::RequireSymbols => "require_symbols",
            PpField::AllowUsersToChangePassword => "allow_users_to_change_password",
            PpField::MaxPasswordAge => "max_password_age",
            PpField::PasswordReusePrevention => "password_reuse_prevention",
            PpField::HardExpiry => "hard_expiry",
        }
    }

    pub fn from_name(name: &str) -> Option<PpField> {
        PpField::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The AWS range of a numeric field; `None` for booleans.
    pub fn range(self) -> Option<(u32, u32)> {
        match self {
            PpField::MinimumPasswordLength => Some((6, 128)),
            PpField::MaxPasswordAge => Some((1, 1095)),
            PpField::PasswordReusePrevention => Some((1, 24)),
            _ => None,
        }
    }

    pub fn direction(self) -> Direction {
        match self {
            PpField::MinimumPasswordLength | PpField::PasswordReusePrevention => Direction::Larger,
            PpField::MaxPasswordAge => Direction::SmallerPresent,
            PpField::AllowUsersToChangePassword => Direction::None,
            _ => Direction::True,
        }
    }

    /// What UpdateAccountPasswordPolicy sets a field to when the call leaves it
    /// out: length 6, nothing required, no expiry, no reuse prevention, users
    /// may not change their password.
    pub fn reset_default(self) -> Option<PpValue> {
        match self {
            PpField::MinimumPasswordLength => Some(PpValue::Num(6)),
            PpField::MaxPasswordAge | PpField::PasswordReusePrevention => None,
            _ => Some(PpValue::Bool(false)),
        }
    }

    /// The value in force under AWS's default policy (no custom policy at all):
    /// length 8, no single character type required, no expiry, no reuse prevention.
    pub fn aws_default(self) -> Option<PpValue> {
        match self {
            PpField::MinimumPasswordLength => Some(PpValue::Num(8)),
            PpField::MaxPasswordAge | PpField::PasswordReusePrevention => None,
            PpField::AllowUsersToChangePassword => Some(PpValue::Bool(true)),
            _ => Some(PpValue::Bool(false)),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PpValue {
    Bool(bool),
    Num(u32),
}

impl PpValue {
    pub fn to_json(self) -> serde_json::Value {
        match self {
            PpValue::Bool(b) => serde_json::Value::Bool(b),
            PpValue::Num(n) => serde_json::Value::from(n),
        }
    }
}

/// An account password policy. A field that is not in the map is absent
/// (for `max_password_age`: never expires; for reuse: no prevention; for a
/// boolean: `false`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PasswordPolicy {
    pub values: BTreeMap<PpField, PpValue>,
    /// Fields the change leaves out, which UpdateAccountPasswordPolicy resets to
    /// [`PpField::reset_default`] (their value in `values` is that default).
    pub reset: std::collections::BTreeSet<PpField>,
}

/// One observed object: where it was seen, and its value (`None` = absent, e.g.
/// deleted by the plan or missing from the account).
#[derive(Debug, Clone, PartialEq)]
pub struct Obj<T> {
    pub origin: Origin,
    pub value: Option<T>,
    /// Fields whose value is known only after apply.
    pub unknown: BTreeSet<&'static str>,
    /// Fields whose value must never be printed.
    pub sensitive: BTreeSet<&'static str>,
}

impl<T> Obj<T> {
    pub fn present(origin: Origin, value: T) -> Obj<T> {
        Obj {
            origin,
            value: Some(value),
            unknown: BTreeSet::new(),
            sensitive: BTreeSet::new(),
        }
    }
    pub fn absent(origin: Origin) -> Obj<T> {
        Obj {
            origin,
            value: None,
            unknown: BTreeSet::new(),
            sensitive: BTreeSet::new(),
        }
    }
}

/// A named collection of objects: users of an account, groups of a user, keys of a
/// user. When `complete`, an item that is not listed does not exist; otherwise
/// (a plan that manages only some objects) an unlisted item is out of scope.
#[derive(Debug, Clone, PartialEq)]
pub struct Members<T> {
    pub items: BTreeMap<String, Obj<T>>,
    pub complete: bool,
    /// Where the collection as a whole was read (for items that are missing).
    pub origin: Option<Origin>,
    /// Items whose name is known only after apply, with what is known of them.
    pub unknown: Vec<Obj<T>>,
}

impl<T> Default for Members<T> {
    fn default() -> Self {
        Members {
            items: BTreeMap::new(),
            complete: false,
            origin: None,
            unknown: Vec::new(),
        }
    }
}

impl<T> Members<T> {
    pub fn complete(origin: Origin) -> Members<T> {
        Members {
            complete: true,
            origin: Some(origin),
            ..Members::default()
        }
    }

    /// The names of the items that exist.
    pub fn present_names(&self) -> impl Iterator<Item = &str> {
        self.items
            .iter()
            .filter(|(_, o)| o.value.is_some())
            .map(|(n, _)| n.as_str())
    }
}

/// A set of names (group memberships, attached policy ARNs, roles of a profile).
pub type NameSet = Members<()>;

/// What users, groups and roles have in common. `None` means the source does not
/// know the value (a plan that does not manage it): not guarded in this check.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Principal {
    /// The stable unique id (AIDA…, AROA…, AGPA…).
    pub id: Option<String>,
    /// The name this object had before this change (a rename).
    pub previous_name: Option<String>,
    pub arn: Option<String>,
    pub path: Option<String>,
    pub managed_policies: Option<NameSet>,
    pub inline_policies: Option<Members<PolicyDoc>>,
    pub permissions_boundary: Option<Option<String>>,
    pub tags: Option<BTreeMap<String, String>>,
    /// Whether the object itself (not only things attached to it) is known to the
    /// source. A plan that only adds a key to a user does not manage the user.
    pub managed: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct User {
    pub principal: Principal,
    pub groups: Option<NameSet>,
    pub ssh_keys: Option<Members<SshKey>>,
    /// Whether a login profile (console password) exists.
    pub login_profile: Option<Obj<()>>,
    /// The number of MFA devices.
    pub mfa_devices: Option<usize>,
    pub access_keys: Option<Members<AccessKey>>,
}

/// An access key of a user. The secret is never read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccessKey {
    /// `Active` or `Inactive`; `None` when unknown.
    pub status: Option<String>,
    /// When the key was created, in seconds since the Unix epoch.
    pub created: Option<i64>,
    /// When and where the key was last used, when the source says.
    pub last_used: Option<LastUse>,
}

/// The last use of a credential.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LastUse {
    /// Seconds since the Unix epoch; `None`: never used.
    pub at: Option<i64>,
    pub service: Option<String>,
    pub region: Option<String>,
}

/// An OpenID Connect identity provider (its name is its URL without `https://`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OidcProvider {
    pub arn: Option<String>,
    pub client_ids: Option<NameSet>,
    /// Lowercase hex.
    pub thumbprints: Option<NameSet>,
}

/// A SAML identity provider.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SamlProvider {
    pub arn: Option<String>,
    /// Lowercase hex SHA-256 of the metadata document; `None` when not read.
    pub metadata_sha256: Option<String>,
}

/// The root user, as the credential report shows it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Root {
    pub mfa: bool,
    /// The ids are not in the report: which of the two keys is active.
    pub active_keys: usize,
    pub password_last_used: Option<i64>,
    pub key_last_used: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SshKey {
    /// `Active` or `Inactive`; `None` when unknown.
    pub status: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Group {
    pub principal: Principal,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Role {
    pub principal: Principal,
    pub assume_role_policy: Option<PolicyDoc>,
    pub max_session_duration: Option<u32>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct InstanceProfile {
    pub id: Option<String>,
    pub path: Option<String>,
    pub roles: Option<NameSet>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ManagedPolicy {
    pub arn: Option<String>,
    pub path: Option<String>,
    pub document: Option<PolicyDoc>,
    pub description: Option<String>,
}

/// The IAM configuration as one source sees it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IamState {
    /// `None`: the source does not know (out of scope). `Some` with an absent
    /// value: there is no custom password policy.
    pub password_policy: Option<Obj<PasswordPolicy>>,
    /// `None`: out of scope; an absent value: no alias.
    pub account_alias: Option<Obj<String>>,
    pub account_id: Option<String>,
    pub users: Members<User>,
    pub groups: Members<Group>,
    pub roles: Members<Role>,
    pub instance_profiles: Members<InstanceProfile>,
    pub policies: Members<ManagedPolicy>,
    pub oidc_providers: Members<OidcProvider>,
    pub saml_providers: Members<SamlProvider>,
    /// `None`: the source cannot see the root user (plans and states).
    pub root: Option<Obj<Root>>,
    /// When the source was read, in seconds since the Unix epoch: the time
    /// ages are counted to. `None` when the source does not say.
    pub observed_at: Option<i64>,
    /// Policies attached to a principal the source cannot identify (a plan whose
    /// `role = aws_iam_role.x.id` is known only after apply and cannot be traced).
    pub unattributed: Vec<Unattributed>,
    /// Objects that more than one source entry writes (two plan resources for
    /// one IAM object): the result depends on the order of the calls.
    pub multiple_writes: Vec<MultipleWrites>,
    /// Values the source marks sensitive: no output may show them.
    pub secrets: std::collections::BTreeSet<String>,
}

/// One IAM object written by several entries of a source.
#[derive(Debug, Clone, PartialEq)]
pub struct MultipleWrites {
    pub kind: crate::identity::Kind,
    /// `None` for the password policy and the account alias.
    pub name: Option<String>,
    /// The part of the object written (`inline_policies.NAME`, `console_access`),
    /// `None` for the object itself.
    pub part: Option<String>,
    /// The entries that leave the object in place (create, update, no-op).
    pub present: Vec<Origin>,
    /// The entries that delete it.
    pub deleted: Vec<Origin>,
}

/// A policy that lands on a user, group or role nobody can name before apply.
#[derive(Debug, Clone, PartialEq)]
pub struct Unattributed {
    /// `User`, `Group` or `Role`.
    pub kind: crate::identity::Kind,
    pub grant: Grant,
    pub origin: Origin,
    /// The document or ARN must not be printed.
    pub sensitive: bool,
}

/// What a policy attachment grants.
#[derive(Debug, Clone, PartialEq)]
pub enum Grant {
    /// An inline policy: its name and document when known.
    Inline {
        name: Option<String>,
        document: Option<PolicyDoc>,
    },
    /// A managed policy: its ARN when known.
    Managed { arn: Option<String> },
}

impl IamState {
    /// Where an object that exists in this state comes from; `None` when the
    /// state does not hold it, or holds it as absent.
    pub fn present_origin(&self, resource: &crate::identity::ResourceId) -> Option<&Origin> {
        use crate::identity::{Kind, Name};
        fn named<'a, T>(m: &'a Members<T>, name: Option<&Name>) -> Option<&'a Obj<T>> {
            match name {
                Some(Name::Known(n)) => m.items.get(n).filter(|o| o.value.is_some()),
                _ => None,
            }
        }
        let name = resource.name();
        if let Some((Kind::SshKey, Name::Known(id))) = resource.sub() {
            let user = named(&self.users, name)?;
            let key = user.value.as_ref()?.ssh_keys.as_ref()?.items.get(id)?;
            return key.value.as_ref().map(|_| &key.origin);
        }
        if let Some((Kind::AccessKey, Name::Known(id))) = resource.sub() {
            let user = named(&self.users, name)?;
            let key = user.value.as_ref()?.access_keys.as_ref()?.items.get(id)?;
            return key.value.as_ref().map(|_| &key.origin);
        }
        let name = match name {
            Some(Name::Known(n)) => n.as_str(),
            Some(Name::AfterApply(_)) => return None,
            None => "",
        };
        (crate::kinds::entry(resource.kind()).present)(self, name)
    }
}
