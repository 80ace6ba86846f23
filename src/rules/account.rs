//! Rules about the account alias.

use super::shared::{UNKNOWN_FIX_CLI, UNKNOWN_FIX_CONSOLE, UNKNOWN_FIX_TF, UNKNOWN_WHY};
use super::Rule;
use crate::finding::Severity;
use crate::identity::RuleId;

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: RuleId::ACCOUNT_REMOVED,
        severity: Severity::Medium,
        summary: "the account alias is deleted",
        why: "The alias is the name in the console sign-in URL; without it users sign in with \
the account number, and phishing pages that imitate the sign-in page are harder to tell apart.",
        events: &["DeleteAccountAlias"],
        console: "IAM > Dashboard > AWS Account > Account alias > Create",
        cli: "aws iam create-account-alias --account-alias ALIAS",
        terraform: "keep the `aws_iam_account_alias` resource",
    },
    Rule {
        id: RuleId::ACCOUNT_CHANGED,
        severity: Severity::Medium,
        summary: "the account alias differs from the baseline",
        why: "A changed alias changes the console sign-in URL that users and runbooks know, and \
may mean that the wrong account is being changed.",
        events: &["CreateAccountAlias", "DeleteAccountAlias"],
        console: "IAM > Dashboard > AWS Account > Account alias > Edit",
        cli: "aws iam delete-account-alias --account-alias NEW && aws iam create-account-alias --account-alias ALIAS",
        terraform: "set `account_alias` of `aws_iam_account_alias` to the baseline value",
    },
    Rule {
        id: RuleId::ACCOUNT_UNKNOWN,
        severity: Severity::Low,
        summary: "the account alias is known only after apply",
        why: UNKNOWN_WHY,
        events: &["CreateAccountAlias"],
        console: UNKNOWN_FIX_CONSOLE,
        cli: UNKNOWN_FIX_CLI,
        terraform: UNKNOWN_FIX_TF,
    },
];
