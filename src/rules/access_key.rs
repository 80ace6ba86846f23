//! Rules about access keys of users.

use super::shared::{UNKNOWN_FIX_CLI, UNKNOWN_FIX_CONSOLE, UNKNOWN_FIX_TF, UNKNOWN_WHY};
use super::Rule;
use crate::finding::Severity;
use crate::identity::RuleId;

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: RuleId::ACCESS_KEY_REMOVED,
        severity: Severity::Medium,
        summary: "a declared access key of a user is deleted",
        why: "Whatever signs its calls with the key (a pipeline, a service outside AWS) stops \
working; a key cannot be restored, only replaced by a new one with a new id.",
        events: &["DeleteAccessKey"],
        console: "IAM > Users > NAME > Security credentials > Create access key (the new key \
gets a new id: update the baseline and whatever used the old key)",
        cli: "aws iam create-access-key --user-name NAME (store the secret in a secret manager, \
never in logs; update the baseline with the new id)",
        terraform: "keep the `aws_iam_access_key` resource",
    },
    Rule {
        id: RuleId::ACCESS_KEY_CHANGED,
        severity: Severity::Medium,
        summary: "a declared access key has another status (Active or Inactive)",
        why: "A deactivated key stops whatever uses it; a reactivated key reopens a credential \
that was closed on purpose, often after a leak.",
        events: &["UpdateAccessKey"],
        console: "IAM > Users > NAME > Security credentials > Access keys > Actions > \
Activate/Deactivate",
        cli: "aws iam update-access-key --user-name NAME --access-key-id ID --status STATUS",
        terraform: "set `status` of `aws_iam_access_key` to the baseline status",
    },
    Rule {
        id: RuleId::ACCESS_KEY_UNMANAGED,
        severity: Severity::Medium,
        summary: "a user has an access key the baseline does not declare (high when the \
baseline declares `access_keys: []`)",
        why: "Creating an access key for an existing user is the classic persistence step after \
a compromise: it outlives password resets and MFA. CreateAccessKey alone is common; a key on a \
user the baseline says has none, or has others, is not.",
        events: &["CreateAccessKey"],
        console: "IAM > Users > NAME > Security credentials > Access keys: deactivate, then \
delete the key, or declare it",
        cli: "aws iam update-access-key --user-name NAME --access-key-id ID --status Inactive \
&& aws iam delete-access-key --user-name NAME --access-key-id ID",
        terraform: "remove the `aws_iam_access_key` resource or declare the key in baseline.yaml",
    },
    Rule {
        id: RuleId::ACCESS_KEY_UNKNOWN,
        severity: Severity::Low,
        summary: "a guarded access key value is known only after apply",
        why: UNKNOWN_WHY,
        events: &["CreateAccessKey", "UpdateAccessKey"],
        console: UNKNOWN_FIX_CONSOLE,
        cli: UNKNOWN_FIX_CLI,
        terraform: UNKNOWN_FIX_TF,
    },
    Rule {
        id: RuleId::ACCESS_KEY_STALE,
        severity: Severity::Medium,
        summary: "an active access key is older than `settings.max_key_age_days`",
        why: "The longer a key lives, the more places it has been copied to and the likelier it \
has leaked; AWS and the CIS AWS Foundations Benchmark ask for rotation every 90 days. Only the \
live account shows a key's age and last use: plans and states do not.",
        events: &["CreateAccessKey"],
        console: "IAM > Users > NAME > Security credentials > Create access key, move its users \
to it, then deactivate and delete key ID",
        cli: "aws iam create-access-key --user-name NAME, then aws iam update-access-key \
--user-name NAME --access-key-id ID --status Inactive && aws iam delete-access-key \
--user-name NAME --access-key-id ID",
        terraform: "replace the key: `terraform apply -replace=ADDRESS` on the \
`aws_iam_access_key` resource (then update the baseline with the new id)",
    },
];
