//! Rules about roles.

use super::shared::{
    NARROWED_WHY, UNKNOWN_FIX_CLI, UNKNOWN_FIX_CONSOLE, UNKNOWN_FIX_TF, UNKNOWN_WHY, WIDENED_WHY,
};
use super::Rule;
use crate::finding::Severity;
use crate::identity::RuleId;

const ROLE_EVENTS: &[&str] = &[
    "UpdateRole",
    "UpdateAssumeRolePolicy",
    "AttachRolePolicy",
    "DetachRolePolicy",
    "PutRolePolicy",
    "DeleteRolePolicy",
    "PutRolePermissionsBoundary",
    "DeleteRolePermissionsBoundary",
    "TagRole",
    "UntagRole",
];

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: RuleId::ROLE_REMOVED,
        severity: Severity::High,
        summary: "a declared role is deleted",
        why: "Workloads, instance profiles and people assume roles; a deleted role breaks them at \
once, and a role created again under the same name gets a new unique id, so trust policies that \
named the old one stop matching.",
        events: &["DeleteRole"],
        console: "IAM > Roles > Create role, with the baseline's trust policy and permissions",
        cli: "aws iam create-role --role-name NAME --assume-role-policy-document file://trust.json",
        terraform: "keep the `aws_iam_role` resource; add `lifecycle { prevent_destroy = true }`",
    },
    Rule {
        id: RuleId::ROLE_CHANGED,
        severity: Severity::Medium,
        summary: "a role's trust policy, policies, path, boundary or session length differ",
        why: "The trust policy says who may assume the role: widening it lets another account or \
principal in. Added policies raise what the role can do; a removed permissions boundary lifts its \
ceiling; a longer maximum session keeps stolen credentials valid longer.",
        events: ROLE_EVENTS,
        console: "IAM > Roles > NAME > Trust relationships / Permissions, and restore the baseline",
        cli: "aws iam update-assume-role-policy / attach-role-policy / detach-role-policy / \
put-role-policy / update-role as the finding says",
        terraform: "make `aws_iam_role` and its policies and attachments match the baseline",
    },
    Rule {
        id: RuleId::ROLE_UNMANAGED,
        severity: Severity::Medium,
        summary: "a role exists (or is created) that the baseline does not declare",
        why: "An undeclared role with a permissive trust policy is a classic persistence \
mechanism: whoever it trusts can come back at any time.",
        events: &["CreateRole"],
        console: "IAM > Roles: review who it trusts, then delete it or declare it",
        cli: "aws iam delete-role --role-name NAME (after detaching its policies and profiles)",
        terraform: "remove the `aws_iam_role` resource or declare the role in baseline.yaml",
    },
    Rule {
        id: RuleId::ROLE_PROVISIONED,
        severity: Severity::Info,
        summary: "a role AWS made exists that the baseline does not declare (service-linked, IAM \
Identity Center, Control Tower, StackSets)",
        why: "AWS services, IAM Identity Center permission sets and Control Tower make roles of \
their own, dozens in an organization's accounts: they are AWS's to change, so they are listed \
apart from undeclared roles, at info. A new one still says that a service, a permission set or \
a landing zone now reaches the account. A role whose name says AWS made it but whose trust \
lets in more (everyone, an untrusted account) is `role-unmanaged` instead: a name is no proof.",
        events: &["CreateServiceLinkedRole", "CreateRole"],
        console: "IAM > Roles > NAME: check which service, permission set or stack made it",
        cli: "aws iam get-role --role-name NAME",
        terraform: "declare the role in baseline.yaml to guard it, or set `settings.provisioned: \
ignore`",
    },
    Rule {
        id: RuleId::ROLE_UNKNOWN,
        severity: Severity::Low,
        summary: "a guarded role value is known only after apply",
        why: UNKNOWN_WHY,
        events: ROLE_EVENTS,
        console: UNKNOWN_FIX_CONSOLE,
        cli: UNKNOWN_FIX_CLI,
        terraform: UNKNOWN_FIX_TF,
    },
    Rule {
        id: RuleId::ROLE_TRUST_WIDENED,
        severity: Severity::High,
        summary: "a role's trust policy lets more principals assume it than the baseline's",
        why: "The trust policy says who may assume the role. Critical: a principal of `*` (or \
`{\"AWS\": \"*\"}`) without an `aws:PrincipalOrgID`, `aws:PrincipalAccount` or `aws:SourceAccount` \
condition (anyone in any AWS account), an Allow with `NotPrincipal`, or a GitHub Actions OIDC trust \
whose `sub` is missing, `*`, `repo:*` or only a workflow, environment or ref claim (any repository on \
GitHub). High: a new account that is neither `account.id` nor in `settings.trusted_accounts`, and any \
other widening. Medium: a GitHub trust for every repository of one organization (`repo:ORG/*`).",
        events: &["UpdateAssumeRolePolicy"],
        console: "IAM > Roles > NAME > Trust relationships > Edit trust policy: restore the baseline's",
        cli: "aws iam update-assume-role-policy --role-name NAME --policy-document file://trust.json",
        terraform: "set `assume_role_policy` of the `aws_iam_role` to the baseline's document",
    },
    Rule {
        id: RuleId::ROLE_TRUST_NARROWED,
        severity: Severity::Low,
        summary: "a role's trust policy lets fewer principals assume it, and no new one",
        why: NARROWED_WHY,
        events: &["UpdateAssumeRolePolicy"],
        console: "IAM > Roles > NAME > Trust relationships > Edit trust policy: restore the baseline's",
        cli: "aws iam update-assume-role-policy --role-name NAME --policy-document file://trust.json",
        terraform: "set `assume_role_policy` of the `aws_iam_role` to the baseline's document",
    },
    Rule {
        id: RuleId::ROLE_POLICY_WIDENED,
        severity: Severity::High,
        summary: "a role's policies (attached or inline) grant more than the baseline's",
        why: WIDENED_WHY,
        events: &["AttachRolePolicy", "PutRolePolicy", "DetachRolePolicy", "DeleteRolePolicy"],
        console: "IAM > Roles > NAME > Permissions: remove what the baseline does not declare, restore what it does",
        cli: "aws iam detach-role-policy / delete-role-policy / put-role-policy --role-name NAME as the finding says",
        terraform: "make the role's `aws_iam_role_policy` and `aws_iam_role_policy_attachment` resources match the baseline",
    },
    Rule {
        id: RuleId::ROLE_POLICY_NARROWED,
        severity: Severity::Low,
        summary: "a role's policies (attached or inline) grant less than the baseline's, and nothing more",
        why: NARROWED_WHY,
        events: &["AttachRolePolicy", "PutRolePolicy", "DetachRolePolicy", "DeleteRolePolicy"],
        console: "IAM > Roles > NAME > Permissions: remove what the baseline does not declare, restore what it does",
        cli: "aws iam detach-role-policy / delete-role-policy / put-role-policy --role-name NAME as the finding says",
        terraform: "make the role's `aws_iam_role_policy` and `aws_iam_role_policy_attachment` resources match the baseline",
    },
];
