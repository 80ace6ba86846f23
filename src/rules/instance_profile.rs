//! Rules about instance profiles.

use super::shared::{UNKNOWN_FIX_CLI, UNKNOWN_FIX_CONSOLE, UNKNOWN_FIX_TF, UNKNOWN_WHY};
use super::Rule;
use crate::finding::Severity;
use crate::identity::RuleId;

const PROFILE_EVENTS: &[&str] = &[
    "AddRoleToInstanceProfile",
    "RemoveRoleFromInstanceProfile",
    "DeleteInstanceProfile",
    "CreateInstanceProfile",
];

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: RuleId::INSTANCE_PROFILE_REMOVED,
        severity: Severity::High,
        summary: "a declared instance profile is deleted",
        why: "EC2 instances get their credentials through the instance profile: without it, \
running instances lose their role at the next credential refresh and new ones start without \
permissions, which breaks workloads and their logging and backups.",
        events: &["DeleteInstanceProfile"],
        console: "IAM has no console page for profiles: create it with the CLI, then attach it to \
the instances (EC2 > Instance > Actions > Security > Modify IAM role)",
        cli: "aws iam create-instance-profile --instance-profile-name NAME && aws iam \
add-role-to-instance-profile --instance-profile-name NAME --role-name ROLE",
        terraform: "keep the `aws_iam_instance_profile` resource",
    },
    Rule {
        id: RuleId::INSTANCE_PROFILE_CHANGED,
        severity: Severity::Medium,
        summary: "an instance profile's role or path differs",
        why: "The role in the profile is what every instance using it may do: a missing role \
leaves instances without credentials, another role gives them other permissions.",
        events: &["AddRoleToInstanceProfile", "RemoveRoleFromInstanceProfile"],
        console: "EC2 > Instances > Actions > Security > Modify IAM role",
        cli: "aws iam remove-role-from-instance-profile / add-role-to-instance-profile \
--instance-profile-name NAME --role-name ROLE",
        terraform: "set `role` of `aws_iam_instance_profile` to the baseline's role",
    },
    Rule {
        id: RuleId::INSTANCE_PROFILE_UNMANAGED,
        severity: Severity::Medium,
        summary: "an instance profile exists (or is created) that the baseline does not declare",
        why: "An undeclared profile lets instances run with a role nobody reviewed for them.",
        events: &["CreateInstanceProfile"],
        console: "review the profile with the CLI, then delete it or declare it",
        cli: "aws iam delete-instance-profile --instance-profile-name NAME",
        terraform: "remove the `aws_iam_instance_profile` resource or declare it in baseline.yaml",
    },
    Rule {
        id: RuleId::INSTANCE_PROFILE_UNKNOWN,
        severity: Severity::Low,
        summary: "a guarded instance profile value is known only after apply",
        why: UNKNOWN_WHY,
        events: PROFILE_EVENTS,
        console: UNKNOWN_FIX_CONSOLE,
        cli: UNKNOWN_FIX_CLI,
        terraform: UNKNOWN_FIX_TF,
    },
];
