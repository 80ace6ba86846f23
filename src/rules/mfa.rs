//! Rules about MFA of users.

use super::shared::{UNKNOWN_FIX_CLI, UNKNOWN_FIX_CONSOLE, UNKNOWN_FIX_TF, UNKNOWN_WHY};
use super::Rule;
use crate::finding::Severity;
use crate::identity::RuleId;

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: RuleId::MFA_REMOVED,
        severity: Severity::High,
        summary: "a user the baseline requires MFA for has no MFA device",
        why: "Without MFA a stolen or guessed password is enough to sign in; AWS and every \
security benchmark require MFA for console users.",
        events: &["DeactivateMFADevice", "DeleteVirtualMFADevice"],
        console: "IAM > Users > NAME > Security credentials > Assign MFA device",
        cli: "aws iam create-virtual-mfa-device ... && aws iam enable-mfa-device --user-name NAME ...",
        terraform: "`aws_iam_virtual_mfa_device` creates the device; the user must still enable it",
    },
    Rule {
        id: RuleId::MFA_UNKNOWN,
        severity: Severity::Low,
        summary: "whether a user has an MFA device is known only after apply",
        why: UNKNOWN_WHY,
        events: &["EnableMFADevice", "DeactivateMFADevice"],
        console: UNKNOWN_FIX_CONSOLE,
        cli: UNKNOWN_FIX_CLI,
        terraform: UNKNOWN_FIX_TF,
    },
];
