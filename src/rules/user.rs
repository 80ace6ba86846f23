//! Rules about users.

use super::shared::{
    NARROWED_WHY, UNKNOWN_FIX_CLI, UNKNOWN_FIX_CONSOLE, UNKNOWN_FIX_TF, UNKNOWN_WHY, WIDENED_WHY,
};
use super::Rule;
use crate::finding::Severity;
use crate::identity::RuleId;

const USER_POLICY_EVENTS: &[&str] = &[
    "UpdateUser",
    "AddUserToGroup",
    "RemoveUserFromGroup",
    "AttachUserPolicy",
    "DetachUserPolicy",
    "PutUserPolicy",
    "DeleteUserPolicy",
    "PutUserPermissionsBoundary",
    "DeleteUserPermissionsBoundary",
    "TagUser",
    "UntagUser",
];

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: RuleId::USER_REMOVED,
        severity: Severity::Medium,
        summary: "a declared user is deleted",
        why: "A user the baseline declares is gone: the person or system loses access, and \
everything hanging on the user (keys, MFA, group memberships) goes with it. A deletion nobody \
planned can also hide the removal of evidence.",
        events: &["DeleteUser"],
        console: "IAM > Users > Create user, with the baseline's path, groups and policies",
        cli: "aws iam create-user --user-name NAME --path PATH, then add groups and policies",
        terraform: "keep the `aws_iam_user` resource; add `lifecycle { prevent_destroy = true }` \
for users that must never go",
    },
    Rule {
        id: RuleId::USER_CHANGED,
        severity: Severity::Medium,
        summary: "a user's name, path, groups, policies, boundary or tags differ",
        why: "Group memberships and policies are the user's permissions: an extra group or \
policy is privilege escalation, a missing one breaks work, a removed permissions boundary lifts \
the ceiling on what the user can do. A rename (UpdateUser) changes the ARN that policies and \
audits refer to.",
        events: USER_POLICY_EVENTS,
        console: "IAM > Users > NAME > Permissions / Groups / Tags, and restore the baseline",
        cli:
            "aws iam update-user / add-user-to-group / remove-user-from-group / attach-user-policy \
/ detach-user-policy / put-user-policy as the finding says",
        terraform: "make the user's resources (`aws_iam_user`, memberships, policies, \
attachments) match the baseline",
    },
    Rule {
        id: RuleId::USER_UNMANAGED,
        severity: Severity::Medium,
        summary: "a user exists (or is created) that the baseline does not declare",
        why: "An undeclared user is an identity nobody reviewed: a common way to keep access \
after a compromise, or an account left behind by someone who left.",
        events: &["CreateUser", "UpdateUser"],
        console: "IAM > Users: review the user, then delete it or declare it in the baseline",
        cli:
            "aws iam delete-user --user-name NAME (after removing its keys, groups and policies), \
or add it to baseline.yaml",
        terraform: "remove the `aws_iam_user` resource or declare the user in baseline.yaml",
    },
    Rule {
        id: RuleId::USER_UNKNOWN,
        severity: Severity::Low,
        summary: "a guarded user value is known only after apply",
        why: UNKNOWN_WHY,
        events: USER_POLICY_EVENTS,
        console: UNKNOWN_FIX_CONSOLE,
        cli: UNKNOWN_FIX_CLI,
        terraform: UNKNOWN_FIX_TF,
    },
    Rule {
        id: RuleId::USER_POLICY_WIDENED,
        severity: Severity::High,
        summary: "a user's policies (attached or inline) grant more than the baseline's",
        why: WIDENED_WHY,
        events: &["AttachUserPolicy", "PutUserPolicy", "DetachUserPolicy", "DeleteUserPolicy"],
        console: "IAM > Users > NAME > Permissions: remove what the baseline does not declare, restore what it does",
        cli: "aws iam detach-user-policy / delete-user-policy / put-user-policy --user-name NAME as the finding says",
        terraform: "make the user's `aws_iam_user_policy` and `aws_iam_user_policy_attachment` resources match the baseline",
    },
    Rule {
        id: RuleId::USER_POLICY_NARROWED,
        severity: Severity::Low,
        summary: "a user's policies (attached or inline) grant less than the baseline's, and nothing more",
        why: NARROWED_WHY,
        events: &["AttachUserPolicy", "PutUserPolicy", "DetachUserPolicy", "DeleteUserPolicy"],
        console: "IAM > Users > NAME > Permissions: remove what the baseline does not declare, restore what it does",
        cli: "aws iam detach-user-policy / delete-user-policy / put-user-policy --user-name NAME as the finding says",
        terraform: "make the user's `aws_iam_user_policy` and `aws_iam_user_policy_attachment` resources match the baseline",
    },
];
