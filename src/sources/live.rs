//! The live account, read with aws-sdk-iam into the same state model as plans.
//!
//! Read-only and few calls: GetAccountPasswordPolicy, ListAccountAliases,
//! GetAccountAuthorizationDetails (paginated: users, groups, roles, customer
//! managed policies with their documents), ListRoles (session length and
//! description, which the former lacks), ListInstanceProfiles (profiles without a
//! role too), the credential report (console passwords and MFA for every user in
//! two calls), and per user only ListSSHPublicKeys, with bounded concurrency.
//! Anything not read is an error naming the section and the IAM action: never a
//! clean result for something unread.

use crate::finding::Origin;
use crate::policy_doc::PolicyDoc;
use crate::state::*;
use aws_sdk_iam::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_iam::Client;
use std::collections::BTreeMap;
use std::fmt;

/// Items per page: the largest IAM allows (its default is 100).
const PAGE: i32 = 1000;

/// A section that could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct Unread {
    pub section: String,
    pub action: &'static str,
    pub reason: String,
}

impl fmt::Display for Unread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} not read ({}): {}",
            self.section, self.action, self.reason
        )
    }
}

/// A live read: the state, and how many calls of each operation it took.
#[derive(Debug, Default)]
pub struct LiveRead {
    pub state: IamState,
    pub calls: BTreeMap<&'static str, usize>,
}

fn reason<E: ProvideErrorMetadata + std::error::Error + 'static, R: fmt::Debug>(
    err: &SdkError<E, R>,
) -> String {
    match err.as_service_error().and_then(|e| e.code()) {
        Some(code) => {
            let message = err
                .as_service_error()
                .and_then(|e| e.message())
                .unwrap_or("");
            format!("{code}: {message}")
                .trim_end_matches(": ")
                .to_string()
        }
        None => {
            // Not an answer from IAM: the chain of causes, shortest first.
            let mut parts: Vec<String> = Vec::new();
            let mut source: Option<&dyn std::error::Error> = Some(err);
            while let Some(e) = source {
                let text = e.to_string();
                if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
                    parts.push(text);
                }
                source = e.source();
            }
            let mut text = parts.join(": ");
            if text.len() > 300 {
                text = format!("{}…", text.chars().take(300).collect::<String>());
            }
            if text.is_empty() {
                DisplayErrorContext(err).to_string()
            } else {
                text
            }
        }
    }
}

fn unread<E: ProvideErrorMetadata + std::error::Error + 'static, R: fmt::Debug>(
    section: impl Into<String>,
    action: &'static str,
    err: &SdkError<E, R>,
) -> Unread {
    Unread {
        section: section.into(),
        action,
        reason: reason(err),
    }
}

fn is_no_such_entity<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>) -> bool {
    err.as_service_error().and_then(|e| e.code()) == Some("NoSuchEntity")
}

fn live(arn: impl Into<String>) -> Origin {
    Origin::Live { arn: arn.into() }
}

fn doc(text: Option<&str>) -> Option<PolicyDoc> {
    text.and_then(|t| PolicyDoc::from_text(t).ok())
}

fn tags(list: &[aws_sdk_iam::types::Tag]) -> BTreeMap<String, String> {
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

fn inline(origin: &Origin, list: &[aws_sdk_iam::types::PolicyDetail]) -> Members<PolicyDoc> {
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
    attached: &'a [aws_sdk_iam::types::AttachedPolicy],
    inline: &'a [aws_sdk_iam::types::PolicyDetail],
    boundary: Option<Option<&'a aws_sdk_iam::types::AttachedPermissionsBoundary>>,
    tags: Option<&'a [aws_sdk_iam::types::Tag]>,
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

/// Progress of the per-user reads: (done, total).
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// Reads the account. `concurrency` bounds the per-user calls in flight.
pub async fn read(
    client: &Client,
    concurrency: usize,
    progress: Progress<'_>,
) -> Result<LiveRead, Vec<Unread>> {
    let mut out = LiveRead::default();
    let mut errors = Vec::new();
    let count = |op: &'static str, calls: &mut BTreeMap<&'static str, usize>| {
        *calls.entry(op).or_default() += 1
    };

    // Everything else first: the account id comes from the ARNs it returns.
    let mut users: Vec<aws_sdk_iam::types::UserDetail> = Vec::new();
    let mut groups = Vec::new();
    let mut roles = Vec::new();
    let mut policies = Vec::new();
    let mut pages = client
        .get_account_authorization_details()
        .filter(aws_sdk_iam::types::EntityType::User)
        .filter(aws_sdk_iam::types::EntityType::Group)
        .filter(aws_sdk_iam::types::EntityType::Role)
        .filter(aws_sdk_iam::types::EntityType::LocalManagedPolicy)
        .into_paginator()
        .page_size(PAGE)
        .send();
    let mut details_ok = true;
    while let Some(page) = pages.next().await {
        count("GetAccountAuthorizationDetails", &mut out.calls);
        match page {
            Ok(p) => {
                users.extend(p.user_detail_list().iter().cloned());
                groups.extend(p.group_detail_list().iter().cloned());
                roles.extend(p.role_detail_list().iter().cloned());
                policies.extend(p.policies().iter().cloned());
            }
            Err(e) => {
                let reached = e.as_service_error().is_some();
                errors.push(unread(
                    "users, groups, roles and policies",
                    "iam:GetAccountAuthorizationDetails",
                    &e,
                ));
                if !reached {
                    // IAM did not answer at all: every other section is unread too.
                    for (section, action) in [
                        (
                            "the account password policy",
                            "iam:GetAccountPasswordPolicy",
                        ),
                        ("the account alias", "iam:ListAccountAliases"),
                        ("role session lengths and descriptions", "iam:ListRoles"),
                        ("instance profiles", "iam:ListInstanceProfiles"),
                        (
                            "console passwords and MFA (the credential report)",
                            "iam:GetCredentialReport",
                        ),
                        ("SSH keys of every user", "iam:ListSSHPublicKeys"),
                    ] {
                        errors.push(Unread {
                            section: section.to_string(),
                            action,
                            reason: "not tried: the IAM endpoint did not answer".to_string(),
                        });
                    }
                    return Err(errors);
                }
                details_ok = false;
                break;
            }
        }
    }
    let account = users
        .iter()
        .filter_map(|u| u.arn())
        .chain(roles.iter().filter_map(|r| r.arn()))
        .chain(groups.iter().filter_map(|g| g.arn()))
        .chain(policies.iter().filter_map(|p| p.arn()))
        .find_map(|arn| {
            arn.split(':')
                .nth(4)
                .filter(|a| !a.is_empty())
                .map(str::to_string)
        });
    out.state.account_id = account.clone();
    let acct = account.as_deref().unwrap_or("");
    let arn = |rest: &str| format!("arn:aws:iam::{acct}:{rest}");

    // The password policy.
    count("GetAccountPasswordPolicy", &mut out.calls);
    match client.get_account_password_policy().send().await {
        Ok(o) => {
            let mut policy = PasswordPolicy::default();
            if let Some(p) = o.password_policy() {
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
            out.state.password_policy =
                Some(Obj::present(live(arn("account-password-policy")), policy));
        }
        Err(e) if is_no_such_entity(&e) => {
            out.state.password_policy = Some(Obj::absent(live(arn("account-password-policy"))));
        }
        Err(e) => errors.push(unread(
            "the account password policy",
            "iam:GetAccountPasswordPolicy",
            &e,
        )),
    }

    // The account alias.
    count("ListAccountAliases", &mut out.calls);
    match client.list_account_aliases().send().await {
        Ok(o) => {
            let origin = live(format!("arn:aws:iam::{acct}:account-alias"));
            out.state.account_alias = Some(match o.account_aliases().first() {
                Some(a) => Obj::present(origin, a.clone()),
                None => Obj::absent(origin),
            });
        }
        Err(e) => errors.push(unread("the account alias", "iam:ListAccountAliases", &e)),
    }

    // Session length and description of roles.
    let mut role_extra: BTreeMap<String, (Option<u32>, Option<String>)> = BTreeMap::new();
    let mut pages = client.list_roles().into_paginator().page_size(PAGE).send();
    while let Some(page) = pages.next().await {
        count("ListRoles", &mut out.calls);
        match page {
            Ok(p) => {
                for r in p.roles() {
                    role_extra.insert(
                        r.role_name().to_string(),
                        (
                            r.max_session_duration().map(|n| n.max(0) as u32),
                            Some(r.description().unwrap_or("").to_string()),
                        ),
                    );
                }
            }
            Err(e) => {
                errors.push(unread(
                    "role session lengths and descriptions",
                    "iam:ListRoles",
                    &e,
                ));
                break;
            }
        }
    }

    // Instance profiles, with and without a role.
    let mut profiles = Members::complete(live(arn("instance-profile/*")));
    let mut pages = client
        .list_instance_profiles()
        .into_paginator()
        .page_size(PAGE)
        .send();
    let mut profiles_ok = true;
    while let Some(page) = pages.next().await {
        count("ListInstanceProfiles", &mut out.calls);
        match page {
            Ok(p) => {
                for ip in p.instance_profiles() {
                    let origin = live(ip.arn());
                    let roles = names(
                        &origin,
                        ip.roles().iter().map(|r| r.role_name().to_string()),
                    );
                    profiles.items.insert(
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
            }
            Err(e) => {
                errors.push(unread("instance profiles", "iam:ListInstanceProfiles", &e));
                profiles_ok = false;
                break;
            }
        }
    }
    if profiles_ok {
        out.state.instance_profiles = profiles;
    }

    // Console passwords and MFA, for every user, from the credential report.
    let credentials = credential_report(client, &mut out.calls).await;
    let credentials = match credentials {
        Ok(c) => Some(c),
        Err(u) => {
            errors.push(u);
            None
        }
    };

    if details_ok {
        let mut state_users = Members::complete(live(arn("user/*")));
        // SSH keys, one call per user, a bounded number at a time.
        let keys = ssh_keys(client, &users, concurrency, progress, &mut out.calls).await;
        let keys = match keys {
            Ok(k) => Some(k),
            Err(u) => {
                errors.extend(u);
                None
            }
        };
        for u in &users {
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
            if let Some(k) = keys.as_ref().and_then(|k| k.get(name)) {
                user.ssh_keys = Some(k.clone());
            }
            if let Some((password, mfa)) = credentials.as_ref().and_then(|c| c.get(name)) {
                user.login_profile = Some(if *password {
                    Obj::present(origin.clone(), ())
                } else {
                    Obj::absent(origin.clone())
                });
                user.mfa_devices = Some(usize::from(*mfa));
            }
            state_users
                .items
                .insert(name.to_string(), Obj::present(origin, user));
        }
        out.state.users = state_users;

        let mut state_groups = Members::complete(live(arn("group/*")));
        for g in &groups {
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
            state_groups
                .items
                .insert(name.to_string(), Obj::present(origin, group));
        }
        out.state.groups = state_groups;

        let mut state_roles = Members::complete(live(arn("role/*")));
        for r in &roles {
            let Some(name) = r.role_name() else { continue };
            let origin = live(r.arn().unwrap_or_default());
            let (max_session, description) = role_extra.get(name).cloned().unwrap_or((None, None));
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
                max_session_duration: max_session,
                description,
            };
            state_roles
                .items
                .insert(name.to_string(), Obj::present(origin, role));
        }
        out.state.roles = state_roles;

        let mut state_policies = Members::complete(live(arn("policy/*")));
        for p in &policies {
            let Some(name) = p.policy_name() else {
                continue;
            };
            let document = p
                .policy_version_list()
                .iter()
                .find(|v| v.is_default_version())
                .and_then(|v| doc(v.document()));
            state_policies.items.insert(
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
        out.state.policies = state_policies;
    }

    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Per user: (console password, MFA active), from the credential report.
async fn credential_report(
    client: &Client,
    calls: &mut BTreeMap<&'static str, usize>,
) -> Result<BTreeMap<String, (bool, bool)>, Unread> {
    let section = "console passwords and MFA (the credential report)";
    // Generation takes a few seconds; wait for it, a bounded number of times.
    for attempt in 0..20 {
        *calls.entry("GenerateCredentialReport").or_default() += 1;
        match client.generate_credential_report().send().await {
            Ok(o) if o.state() == Some(&aws_sdk_iam::types::ReportStateType::Complete) => break,
            Ok(_) if attempt < 19 => {
                tokio::time::sleep(std::time::Duration::from_millis(500 * (attempt + 1).min(4)))
                    .await
            }
            Ok(_) => {
                return Err(Unread {
                    section: section.to_string(),
                    action: "iam:GenerateCredentialReport",
                    reason: "the report was not ready after 20 tries".to_string(),
                })
            }
            Err(e) => return Err(unread(section, "iam:GenerateCredentialReport", &e)),
        }
    }
    *calls.entry("GetCredentialReport").or_default() += 1;
    let report = client
        .get_credential_report()
        .send()
        .await
        .map_err(|e| unread(section, "iam:GetCredentialReport", &e))?;
    let content = report
        .content()
        .map(|b| b.as_ref().to_vec())
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&content);
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (Some(user), Some(password), Some(mfa)) =
        (col("user"), col("password_enabled"), col("mfa_active"))
    else {
        return Err(Unread {
            section: section.to_string(),
            action: "iam:GetCredentialReport",
            reason: "the report has no user, password_enabled or mfa_active column".to_string(),
        });
    };
    let mut out = BTreeMap::new();
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        if let (Some(u), Some(p), Some(m)) = (cells.get(user), cells.get(password), cells.get(mfa))
        {
            out.insert(u.to_string(), (*p == "true", *m == "true"));
        }
    }
    Ok(out)
}

async fn ssh_keys(
    client: &Client,
    users: &[aws_sdk_iam::types::UserDetail],
    concurrency: usize,
    progress: Progress<'_>,
    calls: &mut BTreeMap<&'static str, usize>,
) -> Result<BTreeMap<String, Members<SshKey>>, Vec<Unread>> {
    let names: Vec<(String, String)> = users
        .iter()
        .filter_map(|u| {
            Some((
                u.user_name()?.to_string(),
                u.arn().unwrap_or_default().to_string(),
            ))
        })
        .collect();
    let total = names.len();
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    let mut pending = names.into_iter();
    let mut tasks = tokio::task::JoinSet::new();
    let mut done = 0;
    loop {
        while tasks.len() < concurrency.max(1) {
            let Some((name, arn)) = pending.next() else {
                break;
            };
            let client = client.clone();
            tasks.spawn(async move {
                let origin = Origin::Live { arn: arn.clone() };
                let mut keys = Members::complete(origin.clone());
                let mut pages = client
                    .list_ssh_public_keys()
                    .user_name(&name)
                    .into_paginator()
                    .send();
                let mut n = 0;
                while let Some(page) = pages.next().await {
                    n += 1;
                    match page {
                        Ok(p) => {
                            for k in p.ssh_public_keys() {
                                keys.items.insert(
                                    k.ssh_public_key_id().to_string(),
                                    Obj::present(
                                        origin.clone(),
                                        SshKey {
                                            status: Some(k.status().as_str().to_string()),
                                        },
                                    ),
                                );
                            }
                        }
                        Err(e) => {
                            return (
                                name.clone(),
                                n,
                                Err(unread(
                                    format!("SSH keys of user `{name}`"),
                                    "iam:ListSSHPublicKeys",
                                    &e,
                                )),
                            )
                        }
                    }
                }
                (name, n, Ok(keys))
            });
        }
        let Some(joined) = tasks.join_next().await else {
            break;
        };
        done += 1;
        progress(done, total);
        match joined {
            Ok((name, n, result)) => {
                *calls.entry("ListSSHPublicKeys").or_default() += n;
                match result {
                    Ok(keys) => {
                        out.insert(name, keys);
                    }
                    Err(u) => errors.push(u),
                }
            }
            Err(e) => errors.push(Unread {
                section: "SSH keys".to_string(),
                action: "iam:ListSSHPublicKeys",
                reason: e.to_string(),
            }),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}
