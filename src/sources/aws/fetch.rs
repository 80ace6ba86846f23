//! The account-wide calls, with their pagination and their errors as unread
//! sections. What they return is mapped by [`super::map`].

use super::pages::{all_pages, Page};
use super::{Unread, PAGE};
use aws_sdk_iam::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_iam::types::{
    EntityType, GroupDetail, InstanceProfile, ManagedPolicyDetail, PasswordPolicy, Role,
    RoleDetail, UserDetail,
};
use aws_sdk_iam::Client;
use std::collections::BTreeMap;
use std::fmt;

/// Calls made, by operation.
pub(super) type Calls = BTreeMap<&'static str, usize>;

pub(super) fn count(calls: &mut Calls, op: &'static str) {
    *calls.entry(op).or_default() += 1;
}

/// Why a call failed: IAM's error code and message, or the chain of causes
/// when IAM did not answer.
pub(super) fn reason<E: ProvideErrorMetadata + std::error::Error + 'static, R: fmt::Debug>(
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

pub(super) fn unread<E: ProvideErrorMetadata + std::error::Error + 'static, R: fmt::Debug>(
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

/// Users, groups, roles and customer managed policies, with their policies.
#[derive(Debug, Default)]
pub(super) struct Details {
    pub users: Vec<UserDetail>,
    pub groups: Vec<GroupDetail>,
    pub roles: Vec<RoleDetail>,
    pub policies: Vec<ManagedPolicyDetail>,
}

/// Pages a listing of the whole account may take: IAM's quotas allow at most
/// 5,000 users, 10,000 roles, 5,000 policies and 5,000 instance profiles, which
/// is a few dozen pages of 1,000.
const ACCOUNT_PAGES: usize = 200;

/// GetAccountAuthorizationDetails, every page. On failure, the unread section
/// and whether IAM answered at all.
pub(super) async fn authorization_details(
    client: &Client,
    calls: &mut Calls,
) -> Result<Details, (Unread, bool)> {
    let (result, n) = all_pages(
        "users, groups, roles and policies",
        "iam:GetAccountAuthorizationDetails",
        ACCOUNT_PAGES,
        |marker| async move {
            client
                .get_account_authorization_details()
                .filter(EntityType::User)
                .filter(EntityType::Group)
                .filter(EntityType::Role)
                .filter(EntityType::LocalManagedPolicy)
                .max_items(PAGE)
                .set_marker(marker)
                .send()
                .await
                .map(|p| Page {
                    truncated: p.is_truncated(),
                    marker: p.marker().map(str::to_string),
                    items: vec![p],
                })
        },
    )
    .await;
    *calls.entry("GetAccountAuthorizationDetails").or_default() += n;
    let pages = result.map_err(|s| (s.unread, s.reached))?;
    let mut out = Details::default();
    for p in pages {
        out.users.extend(p.user_detail_list().iter().cloned());
        out.groups.extend(p.group_detail_list().iter().cloned());
        out.roles.extend(p.role_detail_list().iter().cloned());
        out.policies.extend(p.policies().iter().cloned());
    }
    Ok(out)
}

/// Every other section, when the IAM endpoint did not answer at all.
pub(super) fn not_tried() -> Vec<Unread> {
    crate::kinds::live_sections()
        .into_iter()
        .map(|(section, action)| Unread {
            section: section.to_string(),
            action,
            reason: "not tried: IAM gave no answer to GetAccountAuthorizationDetails".to_string(),
        })
        .collect()
}

/// The custom password policy: `None` when the account has none (NoSuchEntity),
/// `Some(None)` for an answer that holds no policy.
pub(super) async fn password_policy(
    client: &Client,
    calls: &mut Calls,
) -> Result<Option<Option<PasswordPolicy>>, Unread> {
    count(calls, "GetAccountPasswordPolicy");
    match client.get_account_password_policy().send().await {
        Ok(o) => Ok(Some(o.password_policy().cloned())),
        Err(e) if is_no_such_entity(&e) => Ok(None),
        Err(e) => Err(unread(
            crate::kinds::section(crate::identity::Kind::PasswordPolicy),
            "iam:GetAccountPasswordPolicy",
            &e,
        )),
    }
}

/// The account's aliases (an account has at most one).
pub(super) async fn account_aliases(
    client: &Client,
    calls: &mut Calls,
) -> Result<Vec<String>, Unread> {
    count(calls, "ListAccountAliases");
    match client.list_account_aliases().send().await {
        Ok(o) => Ok(o.account_aliases().to_vec()),
        Err(e) => Err(unread(
            crate::kinds::section(crate::identity::Kind::Account),
            "iam:ListAccountAliases",
            &e,
        )),
    }
}

/// ListRoles, every page: session length and description of each role.
pub(super) async fn roles(client: &Client, calls: &mut Calls) -> Result<Vec<Role>, Unread> {
    let (result, n) = all_pages(
        crate::kinds::section(crate::identity::Kind::Role),
        "iam:ListRoles",
        ACCOUNT_PAGES,
        |marker| async move {
            client
                .list_roles()
                .max_items(PAGE)
                .set_marker(marker)
                .send()
                .await
                .map(|p| Page {
                    truncated: p.is_truncated(),
                    marker: p.marker().map(str::to_string),
                    items: p.roles().to_vec(),
                })
        },
    )
    .await;
    *calls.entry("ListRoles").or_default() += n;
    result.map_err(|s| s.unread)
}

/// ListInstanceProfiles, every page: profiles with and without a role.
pub(super) async fn instance_profiles(
    client: &Client,
    calls: &mut Calls,
) -> Result<Vec<InstanceProfile>, Unread> {
    let (result, n) = all_pages(
        crate::kinds::section(crate::identity::Kind::InstanceProfile),
        "iam:ListInstanceProfiles",
        ACCOUNT_PAGES,
        |marker| async move {
            client
                .list_instance_profiles()
                .max_items(PAGE)
                .set_marker(marker)
                .send()
                .await
                .map(|p| Page {
                    truncated: p.is_truncated(),
                    marker: p.marker().map(str::to_string),
                    items: p.instance_profiles().to_vec(),
                })
        },
    )
    .await;
    *calls.entry("ListInstanceProfiles").or_default() += n;
    result.map_err(|s| s.unread)
}
