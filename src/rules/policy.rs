//! Rules about customer managed policies.

use super::shared::{
    NARROWED_WHY, UNKNOWN_FIX_CLI, UNKNOWN_FIX_CONSOLE, UNKNOWN_FIX_TF, UNKNOWN_WHY, WIDENED_WHY,
};
use super::Rule;
use crate::finding::Severity;
use crate::identity::RuleId;

const POLICY_EVENTS: &[&str] = &[
    "CreatePolicyVersion",
    "SetDefaultPolicyVersion",
    "DeletePolicyVersion",
];

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: RuleId::POLICY_REMOVED,
        severity: Severity::Medium,
        summary: "a declared customer managed policy is deleted",
        why: "Everything the policy was attached to loses its permissions at once.",
        events: &["DeletePolicy"],
        console: "IAM > Policies > Create policy, with the baseline's document",
        cli:
            "aws iam create-policy --policy-name NAME --path PATH --policy-document file://doc.json",
        terraform: "keep the `aws_iam_policy` resource",
    },
    Rule {
        id: RuleId::POLICY_CHANGED,
        severity: Severity::Medium,
        summary: "a customer managed policy's document or path differs",
        why: "A new default version changes the permissions of every user, group and role the \
policy is attached to.",
        events: POLICY_EVENTS,
        console: "IAM > Policies > NAME > Policy versions: set the reviewed version as default",
        cli: "aws iam create-policy-version --policy-arn ARN --policy-document file://doc.json \
--set-as-default",
        terraform: "set `policy` of `aws_iam_policy` to the baseline document",
    },
    Rule {
        id: RuleId::POLICY_UNMANAGED,
        severity: Severity::Medium,
        summary:
            "a customer managed policy exists (or is created) that the baseline does not declare",
        why: "An undeclared policy grants permissions nobody reviewed wherever it is attached.",
        events: &["CreatePolicy"],
        console: "IAM > Policies: review it, then delete it or declare it",
        cli: "aws iam delete-policy --policy-arn ARN (after detaching it)",
        terraform: "remove the `aws_iam_policy` resource or declare it in baseline.yaml",
    },
    Rule {
        id: RuleId::POLICY_PROVISIONED,
        severity: Severity::Info,
        summary: "a customer managed policy Control Tower made exists that the baseline does not \
declare",
        why: "Control Tower keeps customer managed policies of its own (`AWSControlTower…`) in \
the management account: they are AWS's to change, so they are listed apart, at info.",
        events: &["CreatePolicy"],
        console: "IAM > Policies > NAME: check that the landing zone made it",
        cli: "aws iam get-policy --policy-arn ARN",
        terraform: "declare the policy in baseline.yaml to guard it, or set `settings.provisioned: \
ignore`",
    },
    Rule {
        id: RuleId::POLICY_UNKNOWN,
        severity: Severity::Low,
        summary: "a guarded policy value is known only after apply",
        why: UNKNOWN_WHY,
        events: POLICY_EVENTS,
        console: UNKNOWN_FIX_CONSOLE,
        cli: UNKNOWN_FIX_CLI,
        terraform: UNKNOWN_FIX_TF,
    },
    Rule {
        id: RuleId::POLICY_WIDENED,
        severity: Severity::High,
        summary: "a customer managed policy's default version grants more than the baseline's",
        why: WIDENED_WHY,
        events: &["CreatePolicyVersion", "SetDefaultPolicyVersion"],
        console: "IAM > Policies > NAME > Policy versions: set the reviewed version as default, delete the others",
        cli: "aws iam create-policy-version --policy-arn ARN --policy-document file://doc.json --set-as-default",
        terraform: "set `policy` of the `aws_iam_policy` to the baseline's document",
    },
    Rule {
        id: RuleId::POLICY_NARROWED,
        severity: Severity::Low,
        summary: "a customer managed policy's default version grants less than the baseline's, and nothing more",
        why: NARROWED_WHY,
        events: &["CreatePolicyVersion", "SetDefaultPolicyVersion"],
        console: "IAM > Policies > NAME > Policy versions: set the reviewed version as default, delete the others",
        cli: "aws iam create-policy-version --policy-arn ARN --policy-document file://doc.json --set-as-default",
        terraform: "set `policy` of the `aws_iam_policy` to the baseline's document",
    },
];
