//! Rules about console access (login profiles).

use super::shared::{UNKNOWN_FIX_CLI, UNKNOWN_FIX_CONSOLE, UNKNOWN_FIX_TF, UNKNOWN_WHY};
use super::Rule;
use crate::finding::Severity;
use crate::identity::RuleId;

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: RuleId::LOGIN_PROFILE_REMOVED,
        severity: Severity::Medium,
        summary: "a user the baseline gives console access has no login profile",
        why: "Without a login profile the user cannot sign in to the console: break-glass and \
operator access that depends on it is gone.",
        events: &["DeleteLoginProfile"],
        console: "IAM > Users > NAME > Security credentials > Console sign-in > Enable",
        cli:
            "aws iam create-login-profile --user-name NAME --password-reset-required --password ...",
        terraform: "keep the `aws_iam_user_login_profile` resource",
    },
    Rule {
        id: RuleId::LOGIN_PROFILE_UNMANAGED,
        severity: Severity::High,
        summary: "a user the baseline keeps out of the console has a login profile",
        why: "A console password on a user meant for programmatic access only is an extra way in, \
often without MFA.",
        events: &["CreateLoginProfile", "UpdateLoginProfile"],
        console: "IAM > Users > NAME > Security credentials > Console sign-in > Disable",
        cli: "aws iam delete-login-profile --user-name NAME",
        terraform: "remove the `aws_iam_user_login_profile` resource",
    },
    Rule {
        id: RuleId::LOGIN_PROFILE_UNKNOWN,
        severity: Severity::Low,
        summary: "whether a user has console access is known only after apply",
        why: UNKNOWN_WHY,
        events: &["CreateLoginProfile", "DeleteLoginProfile"],
        console: UNKNOWN_FIX_CONSOLE,
        cli: UNKNOWN_FIX_CLI,
        terraform: UNKNOWN_FIX_TF,
    },
];
