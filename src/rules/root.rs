//! Rules about the root user. Only the live account shows it (the credential
//! report's `<root_account>` row): plans and states cannot see the root user.

use super::Rule;
use crate::finding::Severity;
use crate::identity::RuleId;

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: RuleId::ROOT_ACCESS_KEY_UNMANAGED,
        severity: Severity::Critical,
        summary: "the root user has an active access key, the baseline says it has none",
        why: "A root access key can do anything in the account and no policy can limit it; the \
CIS AWS Foundations Benchmark's first checks ask for none. Only the live account shows it \
(the credential report): plans and states cannot see the root user.",
        events: &["CreateAccessKey", "UpdateAccessKey", "ConsoleLogin"],
        console: "sign in as root > Security credentials > Access keys: deactivate, then delete",
        cli: "none: the root's keys can only be deleted signed in as root (console)",
        terraform: "none: Terraform cannot manage the root user",
    },
    Rule {
        id: RuleId::ROOT_MFA_REMOVED,
        severity: Severity::Critical,
        summary: "the root user has no MFA device, the baseline requires one",
        why: "Without MFA the root password alone opens everything, billing and account closure \
included. Only the live account shows it (the credential report): plans and states cannot see \
the root user.",
        events: &[
            "DeactivateMFADevice",
            "DeleteVirtualMFADevice",
            "ConsoleLogin",
        ],
        console: "sign in as root > Security credentials > Multi-factor authentication > Assign \
MFA device",
        cli: "none: the root's MFA is assigned signed in as root (console)",
        terraform: "none: Terraform cannot manage the root user",
    },
];
