//! Answers that make no sense are unread sections, never state: an object
//! without a name or id, a role or instance profile one call lists and another
//! misses, an empty listing where another call shows objects. Pure: it looks
//! only at what the calls returned.

use super::fetch::Details;
use super::ssh_keys::Keys;
use super::Unread;
use aws_sdk_iam::types::{InstanceProfile, Role};
use std::collections::BTreeSet;

fn unread(section: &str, action: &'static str, reason: String) -> Unread {
    Unread {
        section: section.to_string(),
        action,
        reason,
    }
}

fn list(names: &[&str]) -> String {
    let shown: Vec<String> = names.iter().take(5).map(|n| format!("`{n}`")).collect();
    let more = names.len().saturating_sub(5);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// What does not add up between the account-wide calls.
pub(super) fn account(
    details: &Details,
    roles: Option<&[Role]>,
    profiles: Option<&[InstanceProfile]>,
) -> Vec<Unread> {
    let mut out = Vec::new();
    let details_section = "users, groups, roles and policies";
    let gaad = "iam:GetAccountAuthorizationDetails";
    let empty = |s: Option<&str>| s.is_none_or(str::is_empty);
    if details
        .users
        .iter()
        .any(|u| empty(u.user_name()) || empty(u.user_id()))
    {
        out.push(unread(
            details_section,
            gaad,
            "IAM returned a user without a name or id".into(),
        ));
    }
    if details
        .groups
        .iter()
        .any(|g| empty(g.group_name()) || empty(g.group_id()))
    {
        out.push(unread(
            details_section,
            gaad,
            "IAM returned a group without a name or id".into(),
        ));
    }
    if details
        .roles
        .iter()
        .any(|r| empty(r.role_name()) || empty(r.role_id()))
    {
        out.push(unread(
            details_section,
            gaad,
            "IAM returned a role without a name or id".into(),
        ));
    }
    if let Some(why) = details
        .policies
        .iter()
        .find_map(|p| super::map::managed_policy_name(p).err())
    {
        out.push(unread(details_section, gaad, why));
    }
    // A customer managed policy has one default version, with its document:
    // an answer without it (half read) would leave the document unjudged.
    if let Some(p) = details.policies.iter().find(|p| {
        let defaults: Vec<_> = p
            .policy_version_list()
            .iter()
            .filter(|v| v.is_default_version())
            .collect();
        defaults.len() != 1 || defaults[0].document().is_none_or(str::is_empty)
    }) {
        out.push(unread(
            details_section,
            gaad,
            format!(
                "IAM returned policy `{}` without exactly one default version with a document",
                super::map::managed_policy_name(p).unwrap_or("(no name)")
            ),
        ));
    }
    // Inline policies have no ARN to name them: a missing name or document
    // stays an unread section.
    let inline = details
        .users
        .iter()
        .flat_map(|u| u.user_policy_list())
        .chain(details.groups.iter().flat_map(|g| g.group_policy_list()))
        .chain(details.roles.iter().flat_map(|r| r.role_policy_list()));
    if inline
        .into_iter()
        .any(|p| empty(p.policy_name()) || p.policy_document().is_none())
    {
        out.push(unread(
            details_section,
            gaad,
            "IAM returned an inline policy without a name or a document".into(),
        ));
    }
    if let Some(roles) = roles {
        let listed: BTreeSet<&str> = roles.iter().map(Role::role_name).collect();
        let detailed: BTreeSet<&str> = details.roles.iter().filter_map(|r| r.role_name()).collect();
        if detailed.is_empty() && !listed.is_empty() && details.users.is_empty() {
            out.push(unread(
                details_section,
                gaad,
                format!("it returned no role while ListRoles lists {}", roles.len()),
            ));
        } else {
            // A role ListRoles lists and the details leave out would go
            // unjudged: an undeclared administrator role hidden.
            let left_out: Vec<&str> = listed.difference(&detailed).copied().collect();
            if !left_out.is_empty() {
                out.push(unread(
                    details_section,
                    gaad,
                    format!(
                        "it leaves out {} that ListRoles lists (read twice)",
                        list(&left_out)
                    ),
                ));
            }
            let missing: Vec<&str> = detailed.difference(&listed).copied().collect();
            if !missing.is_empty() {
                out.push(unread(
                    crate::kinds::section(crate::identity::Kind::Role),
                    "iam:ListRoles",
                    format!(
                        "it does not list {} that GetAccountAuthorizationDetails does",
                        list(&missing)
                    ),
                ));
            }
        }
    }
    if let Some(profiles) = profiles {
        if profiles
            .iter()
            .any(|p| p.instance_profile_name().is_empty() || p.instance_profile_id().is_empty())
        {
            out.push(unread(
                crate::kinds::section(crate::identity::Kind::InstanceProfile),
                "iam:ListInstanceProfiles",
                "IAM returned an instance profile without a name or id".into(),
            ));
        }
        let listed: BTreeSet<&str> = profiles
            .iter()
            .map(InstanceProfile::instance_profile_name)
            .collect();
        let of_roles: BTreeSet<&str> = details
            .roles
            .iter()
            .flat_map(|r| {
                r.instance_profile_list()
                    .iter()
                    .map(InstanceProfile::instance_profile_name)
            })
            .collect();
        let missing: Vec<&str> = of_roles.difference(&listed).copied().collect();
        if !missing.is_empty() {
            out.push(unread(
                crate::kinds::section(crate::identity::Kind::InstanceProfile),
                "iam:ListInstanceProfiles",
                format!(
                    "it does not list {} that GetAccountAuthorizationDetails shows on a role",
                    list(&missing)
                ),
            ));
        }
    }
    out
}

/// SSH keys without an id.
pub(super) fn keys(keys: &Keys) -> Vec<Unread> {
    keys.iter()
        .filter(|(_, list)| list.iter().any(|k| k.ssh_public_key_id().is_empty()))
        .map(|(user, _)| {
            unread(
                &format!("SSH keys of user `{user}`"),
                "iam:ListSSHPublicKeys",
                "IAM returned a key without an id".into(),
            )
        })
        .collect()
}

/// Access keys without an id or a status cannot be compared.
pub(super) fn access_keys(keys: &super::access_keys::Keys) -> Vec<Unread> {
    keys.iter()
        .filter(|(_, list)| {
            list.iter()
                .any(|k| k.access_key_id().is_none_or(str::is_empty) || k.status().is_none())
        })
        .map(|(user, _)| {
            unread(
                &format!("access keys of user `{user}`"),
                "iam:ListAccessKeys",
                "IAM returned a key without an id or a status".into(),
            )
        })
        .collect()
}

/// Roles ListRoles lists that the details leave out: read both again once
/// when there are any (a role made between the two calls).
pub(super) fn roles_left_out(details: &Details, roles: &[Role]) -> bool {
    let detailed: BTreeSet<&str> = details.roles.iter().filter_map(|r| r.role_name()).collect();
    roles.iter().any(|r| !detailed.contains(r.role_name()))
}
