//! Rules about the account password policy.

use super::shared::{UNKNOWN_FIX_CLI, UNKNOWN_FIX_CONSOLE, UNKNOWN_WHY};
use super::Rule;
use crate::finding::Severity;
use crate::identity::RuleId;

const PP_EVENTS: &[&str] = &["UpdateAccountPasswordPolicy", "DeleteAccountPasswordPolicy"];

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: RuleId::PASSWORD_POLICY_REMOVED,
        severity: Severity::Critical,
        summary: "the account password policy is deleted",
        why: "Without a custom password policy AWS applies its default: 8 to 128 characters, at \
least three of the four character types, and passwords that never expire and may be reused. Every \
stricter rule of the baseline is lost at once, which opens console passwords to guessing and \
brute force and leaves leaked passwords valid forever.",
        events: &["DeleteAccountPasswordPolicy"],
        console: "IAM > Account settings > Password policy > Edit, and set every value of the baseline",
        cli: "aws iam update-account-password-policy --minimum-password-length 14 --require-symbols \
--require-numbers --require-uppercase-characters --require-lowercase-characters \
--allow-users-to-change-password --max-password-age 90 --password-reuse-prevention 24 (pass every \
field: omitted ones are reset to their defaults)",
        terraform: "keep an `aws_iam_account_password_policy` resource with every field of the \
baseline and do not destroy it; add `lifecycle { prevent_destroy = true }`",
    },
    Rule {
        id: RuleId::PASSWORD_POLICY_WEAKENED,
        severity: Severity::High,
        summary: "a password policy field moves in the weaker direction",
        why: "Shorter passwords, fewer required character types, longer or no expiry and less \
reuse prevention make passwords easier to guess, brute force or keep using after a leak. \
UpdateAccountPasswordPolicy is not a partial update: every parameter left out is reset to its \
default (minimum length 6, nothing required, no expiry), so an update that omits a field weakens it. \
Expiry takes effect immediately; length and character rules apply at each user's next password change.",
        events: PP_EVENTS,
        console: "IAM > Account settings > Password policy > Edit, and restore the baseline values",
        cli: "aws iam update-account-password-policy with every field of the baseline (omitted ones \
are reset to their defaults)",
        terraform: "set every field of `aws_iam_account_password_policy` to the baseline value; \
an omitted field is reset to AWS's default",
    },
    Rule {
        id: RuleId::PASSWORD_POLICY_CHANGED,
        severity: Severity::Medium,
        summary: "a password policy field without a stronger direction differs",
        why: "Whether users may change their own password has no stronger side, but a change \
that nobody reviewed either locks users out of rotating passwords or lets them do what the \
baseline forbids.",
        events: &["UpdateAccountPasswordPolicy"],
        console: "IAM > Account settings > Password policy > Edit",
        cli: "aws iam update-account-password-policy with every field of the baseline",
        terraform: "set `allow_users_to_change_password` of `aws_iam_account_password_policy` to \
the baseline value",
    },
    Rule {
        id: RuleId::PASSWORD_POLICY_UNKNOWN,
        severity: Severity::Low,
        summary: "a guarded password policy value is known only after apply",
        why: UNKNOWN_WHY,
        events: PP_EVENTS,
        console: UNKNOWN_FIX_CONSOLE,
        cli: UNKNOWN_FIX_CLI,
        terraform: "set every password policy field explicitly: a field that is left out is \
reset to AWS's default by UpdateAccountPasswordPolicy",
    },
    Rule {
        id: RuleId::PASSWORD_POLICY_STRENGTHENED,
        severity: Severity::Info,
        summary: "a password policy field is stricter than the baseline",
        why: "Stricter than declared is not a risk, but the baseline no longer describes the \
account: update it so that a later weakening back to the old value is noticed for what it is.",
        events: &["UpdateAccountPasswordPolicy"],
        console: "nothing to fix in the account",
        cli: "drift init --live (or edit baseline.yaml) to record the stricter value",
        terraform: "keep the stricter value and raise the baseline to it",
    },
];
