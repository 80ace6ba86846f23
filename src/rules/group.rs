//! Rules about groups.

use super::shared::{
    NARROWED_WHY, UNKNOWN_FIX_CLI, UNKNOWN_FIX_CONSOLE, UNKNOWN_FIX_TF, UNKNOWN_WHY, WIDENED_WHY,
};
use super::Rule;
use crate::finding::Severity;
use crate::identity::RuleId;

const GROUP_EVENTS: &[&str] = &[
    "UpdateGroup",
    "AttachGroupPolicy",
    "DetachGroupPolicy",
    "PutGroupPolicy",
    "DeleteGroupPolicy",
];

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: RuleId::GROUP_REMOVED,
        severity: Severity::Medium,
        summary: "a declared group is deleted",
        why:
            "Users get their permissions through groups; a deleted group silently takes them away \
and breaks the team structure the baseline describes.",
        events: &["DeleteGroup"],
        console: "IAM > User groups > Create group, with the baseline's policies",
        cli: "aws iam create-group --group-name NAME --path PATH, then attach its policies",
        terraform: "keep the `aws_iam_group` resource",
    },
    Rule {
        id: RuleId::GROUP_CHANGED,
        severity: Severity::Medium,
        summary: "a group's path or policies differ",
        why: "A policy added to a group grants it to every member at once: one of the widest \
privilege escalations there is.",
        events: GROUP_EVENTS,
        console: "IAM > User groups > NAME > Permissions, and restore the baseline",
        cli: "aws iam attach-group-policy / detach-group-policy / put-group-policy / \
delete-group-policy as the finding says",
        terraform: "make `aws_iam_group`, `aws_iam_group_policy` and \
`aws_iam_group_policy_attachment` match the baseline",
    },
    Rule {
        id: RuleId::GROUP_UNMANAGED,
        severity: Severity::Medium,
        summary: "a group exists (or is created) that the baseline does not declare",
        why: "An undeclared group can carry permissions nobody reviewed.",
        events: &["CreateGroup"],
        console: "IAM > User groups: review the group, then delete it or declare it",
        cli: "aws iam delete-group --group-name NAME (after removing members and policies)",
        terraform: "remove the `aws_iam_group` resource or declare the group in baseline.yaml",
    },
    Rule {
        id: RuleId::GROUP_UNKNOWN,
        severity: Severity::Low,
        summary: "a guarded group value is known only after apply",
        why: UNKNOWN_WHY,
        events: GROUP_EVENTS,
        console: UNKNOWN_FIX_CONSOLE,
        cli: UNKNOWN_FIX_CLI,
        terraform: UNKNOWN_FIX_TF,
    },
    Rule {
        id: RuleId::GROUP_POLICY_WIDENED,
        severity: Severity::High,
        summary: "a group's policies (attached or inline) grant more than the baseline's",
        why: WIDENED_WHY,
        events: &["AttachGroupPolicy", "PutGroupPolicy", "DetachGroupPolicy", "DeleteGroupPolicy"],
        console: "IAM > User groups > NAME > Permissions: remove what the baseline does not declare, restore what it does",
        cli: "aws iam detach-group-policy / delete-group-policy / put-group-policy --group-name NAME as the finding says",
        terraform: "make the group's `aws_iam_group_policy` and `aws_iam_group_policy_attachment` resources match the baseline",
    },
    Rule {
        id: RuleId::GROUP_POLICY_NARROWED,
        severity: Severity::Low,
        summary: "a group's policies (attached or inline) grant less than the baseline's, and nothing more",
        why: NARROWED_WHY,
        events: &["AttachGroupPolicy", "PutGroupPolicy", "DetachGroupPolicy", "DeleteGroupPolicy"],
        console: "IAM > User groups > NAME > Permissions: remove what the baseline does not declare, restore what it does",
        cli: "aws iam detach-group-policy / delete-group-policy / put-group-policy --group-name NAME as the finding says",
        terraform: "make the group's `aws_iam_group_policy` and `aws_iam_group_policy_attachment` resources match the baseline",
    },
];
