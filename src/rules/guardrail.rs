//! The rule of the baseline's guardrails.

use super::Rule;
use crate::finding::Severity;
use crate::identity::RuleId;

pub(super) const RULES: &[Rule] = &[Rule {
    id: RuleId::GUARDRAIL_VIOLATED,
    severity: Severity::Critical,
    summary: "an IAM object, declared or not, breaks a guardrail of the baseline",
    why: "Guardrails are what every trust and identity policy must satisfy, whoever wrote it: the \
only accounts a trust may name (`trusted_accounts`), the GitHub Actions subjects a trust may let \
in (`trusted_oidc_subjects`), the actions no identity policy may allow on every resource \
(`never_allow`), and no trust open to everyone (`public_trust: forbidden`). They hold for objects \
the baseline does not declare too, in plans, states, the live account and CloudTrail, and \
`settings.unmanaged: ignore` does not quiet them.",
    events: &[
        "UpdateAssumeRolePolicy",
        "CreateRole",
        "PutUserPolicy",
        "PutGroupPolicy",
        "PutRolePolicy",
        "AttachUserPolicy",
        "AttachGroupPolicy",
        "AttachRolePolicy",
        "CreatePolicyVersion",
        "SetDefaultPolicyVersion",
    ],
    console: "IAM > the object the finding names: change the trust or policy until it keeps the guardrail",
    cli: "aws iam update-assume-role-policy / put-*-policy / detach-*-policy / create-policy-version as the finding says",
    terraform: "change the resource the finding names so that it keeps the guardrail",
}];
