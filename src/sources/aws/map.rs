//! What IAM returned, mapped to the state model: pure, no calls.

use super::access_keys;
use super::credential_report::{Credentials, Report};
use super::fetch::Details;
use super::identity_providers::name_of;
use super::ssh_keys::Keys;
use crate::origin::Origin;
use crate::policy_doc::PolicyDoc;
use crate::state::*;
use aws_sdk_iam::operation::get_open_id_connect_provider::GetOpenIdConnectProviderOutput;
use aws_sdk_iam::types;
use std::collections::BTreeMap;

fn live(arn: impl Into<String>) -> Origin {
    Origin::Live { arn: arn.into() }
}

/// A document IAM returned; one that cannot be read is kept as invalid, so
/// that it differs from any baseline document instead of being dropped.
fn doc(text: Option<&str>) -> Option<PolicyDoc> {
    text.map(|t| PolicyDoc::from_text(t).unwrap_or_else(PolicyDoc::invalid))
}

/// ARNs of the account's collections, for findings about what is missing.
pub(super) struct Arns {
    account: String,
}

impl Arns {
    pub fn new(account: &str) -> Arns {
        Arns {
            account: account.to_string(),
        }
    }

    fn of(&self, rest: &str) -> Origin {
        live(format!("arn:aws:iam::{}:{rest}", self.account))
    }
}

/// The account id, from the first ARN that names one.
pub(super) fn account_id(details: &Details) -> Option<String> {
    details
        .users
        .iter()
        .filter_map(|u| u.arn())
        .chain(details.roles.iter().filter_map(|r| r.arn()))
        .chain(details.groups.iter().filter_map(|g| g.arn()))
        .chain(details.policies.iter().filter_map(|p| p.arn()))
        .find_map(|arn| {
            arn.split(':')
                .nth(4)
                .filter(|a| !a.is_empty())
                .map(str::to_string)
        })
}

/// `None`: the account has no custom policy.
pub(super) fn password_policy(
    answer: Option<Option<types::PasswordPolicy>>,
    arn: &Arns,
) -> Obj<PasswordPolicy> {
    let origin = arn.of("account-password-policy");
    let Some(answer) = answer else {
        return Obj::absent(origin);
    };
    let mut policy = PasswordPolicy::default();
    if let Some(p) = answer {
        let mut put = |f: PpField, v: PpValue| {
            policy.values.insert(f, v);
        };
        if let Some(n) = p.minimum_password_length() {
            put(
                PpField::MinimumPasswordLength,
                PpValue::Num(n.max(0) as u32),
            );
        }
        put(PpField::RequireSymbols, PpValue::Bool(p.require_symbols()));
        put(PpField::RequireNumbers, PpValue::Bool(p.require_numbers()));
        put(
            PpField::RequireUppercaseCharacters,
            PpValue::Bool(p.require_uppercase_characters()),
        );
        put(
            PpField::RequireLowercaseCharacters,
            PpValue::Bool(p.require_lowercase_characters()),
        );
        put(
            PpField::AllowUsersToChangePassword,
            PpValue::Bool(p.allow_users_to_change_password()),
        );
        if let Some(n) = p.max_password_age().filter(|n| *n > 0) {
            put(PpField::MaxPasswordAge, PpValue::Num(n as u32));
        }
        if let Some(n) = p.password_reuse_prevention().filter(|n| *n > 0) {
            put(PpField::PasswordReusePrevention, PpValue::Num(n as u32));
        }
        put(
            PpField::HardExpiry,
            PpValue::Bool(p.hard_expiry().unwrap_or(false)),
        );
    }
    Obj::present(origin, policy)
}

pub(super) fn account_alias(aliases: &[String], arn: &Arns) -> Obj<String> {
    let origin = arn.of("account-alias");
    match aliases.first() {
        Some(a) => Obj::present(origin, a.clone()),
        None => Obj::absent(origin),
    }
}

fn tags(list: &[types::Tag]) -> BTreeMap<String, String> {
    list.iter()
        .map(|t| (t.key().to_string(), t.value().to_string()))
        .collect()
}

fn names(origin: &Origin, items: impl IntoIterator<Item = String>) -> NameSet {
    let mut set = NameSet::complete(origin.clone());
    for item in items {
        set.items.insert(item, Obj::present(origin.clone(), ()));
    }
    set
}

fn inline(origin: &Origin, list: &[types::PolicyDetail]) -> Members<PolicyDoc> {
    let mut set = Members::complete(origin.clone());
    for p in list {
        if let (Some(name), Some(d)) = (p.policy_name(), doc(p.policy_document())) {
            set.items
                .insert(name.to_string(), Obj::present(origin.clone(), d));
        }
    }
    set
}

/// What users, groups and roles share in GetAccountAuthorizationDetails.
/// `None` for what the kind does not have (groups: boundary and tags).
struct Parts<'a> {
    id: Option<&'a str>,
    arn: Option<&'a str>,
    path: Option<&'a str>,
    attached: &'a [types::AttachedPolicy],
    inline: &'a [types::PolicyDetail],
    boundary: Option<Option<&'a types::AttachedPermissionsBoundary>>,
    tags: Option<&'a [types::Tag]>,
}

fn principal(origin: &Origin, p: Parts) -> Principal {
    Principal {
        id: p.id.map(str::to_string),
        arn: p.arn.map(str::to_string),
        path: Some(p.path.unwrap_or("/").to_string()),
        managed_policies: Some(names(
            origin,
            p.attached
                .iter()
                .filter_map(|a| a.policy_arn().map(str::to_string)),
        )),
        inline_policies: Some(inline(origin, p.inline)),
        permissions_boundary: p.boundary.map(|b| {
            b.and_then(|b| b.permissions_boundary_arn())
                .map(str::to_string)
        }),
        tags: p.tags.map(tags),
        managed: true,
        ..Principal::default()
    }
}

fn ssh_keys(origin: &Origin, keys: &[types::SshPublicKeyMetadata]) -> Members<SshKey> {
    let mut set = Members::complete(origin.clone());
    for k in keys {
        set.items.insert(
            k.ssh_public_key_id().to_string(),
            Obj::present(
                origin.clone(),
                SshKey {
                    status: Some(k.status().as_str().to_string()),
                },
            ),
        );
    }
    set
}

/// Seconds since the epoch of an SDK time.
fn secs(t: Option<&aws_sdk_iam::primitives::DateTime>) -> Option<i64> {
    t.map(aws_sdk_iam::primitives::DateTime::secs)
}

/// A user's access keys, with the last use the report shows for the slot
/// created at the same second (the report has no key ids).
fn access_keys(
    origin: &Origin,
    keys: &[types::AccessKeyMetadata],
    report: Option<&Credentials>,
) -> Members<AccessKey> {
    let mut set = Members::complete(origin.clone());
    for k in keys {
        let Some(id) = k.access_key_id() else {
            continue;
        };
        let created = secs(k.create_date());
        let slot = report.and_then(|r| {
            r.keys
                .iter()
                .find(|s| created.is_some() && s.rotated == created)
        });
        let key = AccessKey {
            status: k.status().map(|s| s.as_str().to_string()),
            created,
            last_used: slot.map(|s| LastUse {
                at: s.last_used,
                service: s.service.clone(),
                region: s.region.clone(),
            }),
        };
        set.items
            .insert(id.to_string(), Obj::present(origin.clone(), key));
    }
    set
}

pub(super) fn users(
    users: &[types::UserDetail],
    keys: Option<&Keys>,
    access: Option<&access_keys::Keys>,
    credentials: Option<&Report>,
    arn: &Arns,
) -> Members<User> {
    let credentials = credentials.map(|r| &r.users);
    let mut out = Members::complete(arn.of("user/*"));
    for u in users {
        let Some(name) = u.user_name() else { continue };
        let origin = live(u.arn().unwrap_or_default());
        let mut user = User {
            principal: principal(
                &origin,
                Parts {
                    id: u.user_id(),
                    arn: u.arn(),
                    path: u.path(),
                    attached: u.attached_managed_policies(),
                    inline: u.user_policy_list(),
                    boundary: Some(u.permissions_boundary()),
                    tags: Some(u.tags()),
                },
            ),
            groups: Some(names(&origin, u.group_list().iter().cloned())),
            ..User::default()
        };
        if let Some(k) = keys.and_then(|k| k.get(name)) {
            user.ssh_keys = Some(ssh_keys(&origin, k));
        }
        if let Some(c) = credentials.and_then(|c| c.get(name)) {
            user.login_profile = Some(if c.password {
                Obj::present(origin.clone(), ())
            } else {
                Obj::absent(origin.clone())
            });
            user.mfa_devices = Some(usize::from(c.mfa));
        }
        if let Some(k) = access.and_then(|a| a.get(name)) {
            let report = credentials.and_then(|c| c.get(name));
            user.access_keys = Some(access_keys(&origin, k, report));
        }
        out.items
            .insert(name.to_string(), Obj::present(origin, user));
    }
    out
}

pub(super) fn groups(groups: &[types::GroupDetail], arn: &Arns) -> Members<Group> {
    let mut out = Members::complete(arn.of("group/*"));
    for g in groups {
        let Some(name) = g.group_name() else { continue };
        let origin = live(g.arn().unwrap_or_default());
        let group = Group {
            principal: principal(
                &origin,
                Parts {
                    id: g.group_id(),
                    arn: g.arn(),
                    path: g.path(),
                    attached: g.attached_managed_policies(),
                    inline: g.group_policy_list(),
                    boundary: None,
                    tags: None,
                },
            ),
        };
        out.items
            .insert(name.to_string(), Obj::present(origin, group));
    }
    out
}

/// Roles from GetAccountAuthorizationDetails, with the session length and
/// description that ListRoles adds.
pub(super) fn roles(
    details: &[types::RoleDetail],
    listed: &[types::Role],
    arn: &Arns,
) -> Members<Role> {
    let extra: BTreeMap<&str, &types::Role> = listed.iter().map(|r| (r.role_name(), r)).collect();
    let mut out = Members::complete(arn.of("role/*"));
    for r in details {
        let Some(name) = r.role_name() else { continue };
        let origin = live(r.arn().unwrap_or_default());
        let listed = extra.get(name);
        let role = Role {
            principal: principal(
                &origin,
                Parts {
                    id: r.role_id(),
                    arn: r.arn(),
                    path: r.path(),
                    attached: r.attached_managed_policies(),
                    inline: r.role_policy_list(),
                    boundary: Some(r.permissions_boundary()),
                    tags: Some(r.tags()),
                },
            ),
            assume_role_policy: doc(r.assume_role_policy_document()),
            max_session_duration: listed
                .and_then(|l| l.max_session_duration())
                .map(|n| n.max(0) as u32),
            description: listed.map(|l| l.description().unwrap_or("").to_string()),
        };
        out.items
            .insert(name.to_string(), Obj::present(origin, role));
    }
    out
}

/// A customer managed policy's name: `PolicyName`, or the last segment of
/// its ARN when the answer leaves the name out (moto and the emulators built
/// on it do; a name cannot hold `/`). `Err` says why when neither names it or
/// they disagree.
pub(super) fn managed_policy_name(p: &types::ManagedPolicyDetail) -> Result<&str, String> {
    let from_arn = p
        .arn()
        .and_then(|a| a.split_once(":policy/"))
        .map(|(_, rest)| rest.rsplit('/').next().unwrap_or(rest))
        .filter(|n| !n.is_empty());
    match (p.policy_name().filter(|n| !n.is_empty()), from_arn) {
        (Some(name), Some(last)) if name != last => Err(format!(
            "IAM returned policy `{name}` with the ARN `{}`, which names `{last}`",
            p.arn().unwrap_or_default()
        )),
        (Some(name), _) => Ok(name),
        (None, Some(last)) => Ok(last),
        (None, None) => Err("IAM returned a policy without a name or a policy ARN".into()),
    }
}

pub(super) fn policies(
    policies: &[types::ManagedPolicyDetail],
    arn: &Arns,
) -> Members<ManagedPolicy> {
    let mut out = Members::complete(arn.of("policy/*"));
    for p in policies {
        // A policy without a name is an unread section (sanity).
        let Ok(name) = managed_policy_name(p) else {
            continue;
        };
        let document = p
            .policy_version_list()
            .iter()
            .find(|v| v.is_default_version())
            .and_then(|v| doc(v.document()));
        out.items.insert(
            name.to_string(),
            Obj::present(
                live(p.arn().unwrap_or_default()),
                ManagedPolicy {
                    arn: p.arn().map(str::to_string),
                    path: Some(p.path().unwrap_or("/").to_string()),
                    document,
                    description: Some(p.description().unwrap_or("").to_string()),
                },
            ),
        );
    }
    out
}

pub(super) fn instance_profiles(
    profiles: &[types::InstanceProfile],
    arn: &Arns,
) -> Members<InstanceProfile> {
    let mut out = Members::complete(arn.of("instance-profile/*"));
    for ip in profiles {
        let origin = live(ip.arn());
        let roles = names(
            &origin,
            ip.roles().iter().map(|r| r.role_name().to_string()),
        );
        out.items.insert(
            ip.instance_profile_name().to_string(),
            Obj::present(
                origin,
                InstanceProfile {
                    id: Some(ip.instance_profile_id().to_string()),
                    path: Some(ip.path().to_string()),
                    roles: Some(roles),
                },
            ),
        );
    }
    out
}

pub(super) fn oidc_providers(
    providers: &BTreeMap<String, GetOpenIdConnectProviderOutput>,
    arn: &Arns,
) -> Members<OidcProvider> {
    let mut out = Members::complete(arn.of("oidc-provider/*"));
    for (provider_arn, p) in providers {
        let Some(name) = name_of(provider_arn) else {
            continue;
        };
        let origin = live(provider_arn.clone());
        let mut client_ids = NameSet::complete(origin.clone());
        for c in p.client_id_list() {
            client_ids
                .items
                .insert(c.clone(), Obj::present(origin.clone(), ()));
        }
        let mut thumbprints = NameSet::complete(origin.clone());
        for t in p.thumbprint_list() {
            thumbprints
                .items
                .insert(t.to_ascii_lowercase(), Obj::present(origin.clone(), ()));
        }
        out.items.insert(
            name.to_string(),
            Obj::present(
                origin,
                OidcProvider {
                    arn: Some(provider_arn.clone()),
                    client_ids: Some(client_ids),
                    thumbprints: Some(thumbprints),
                },
            ),
        );
    }
    out
}

/// SAML providers by ARN, with their metadata document when it was read.
pub(super) fn saml_providers(
    providers: &BTreeMap<String, Option<String>>,
    arn: &Arns,
) -> Members<SamlProvider> {
    let mut out = Members::complete(arn.of("saml-provider/*"));
    for (provider_arn, document) in providers {
        let Some(name) = name_of(provider_arn) else {
            continue;
        };
        out.items.insert(
            name.to_string(),
            Obj::present(
                live(provider_arn.clone()),
                SamlProvider {
                    arn: Some(provider_arn.clone()),
                    metadata_sha256: document.as_deref().map(crate::sources::sha256_hex),
                },
            ),
        );
    }
    out
}

/// The root user from the report's `<root_account>` row.
pub(super) fn root(report: &Report, arn: &Arns) -> Option<Obj<Root>> {
    let row = report.root.as_ref()?;
    let active: Vec<_> = row.keys.iter().filter(|k| k.active).collect();
    let root = Root {
        mfa: row.mfa,
        active_keys: active.len(),
        password_last_used: row.password_last_used,
        key_last_used: active.iter().filter_map(|k| k.last_used).max(),
    };
    let origin = if row.arn.is_empty() {
        arn.of("root")
    } else {
        live(row.arn.clone())
    };
    Some(Obj::present(origin, root))
}
