//! Rules about SSH keys of users.

use super::shared::{UNKNOWN_FIX_CLI, UNKNOWN_FIX_CONSOLE, UNKNOWN_FIX_TF, UNKNOWN_WHY};
use super::Rule;
use crate::finding::Severity;
use crate::identity::RuleId;

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: RuleId::SSH_KEY_REMOVED,
        severity: Severity::Medium,
        summary: "a declared SSH public key of a user is deleted",
        why: "The user loses SSH access to CodeCommit (and to hosts that read keys from IAM): \
deploys and break-glass access that depend on the key stop working.",
        events: &["DeleteSSHPublicKey"],
        console: "IAM > Users > NAME > Security credentials > Upload SSH public key",
        cli: "aws iam upload-ssh-public-key --user-name NAME --ssh-public-key-body file://key.pub \
(the new key gets a new id: update the baseline)",
        terraform: "keep the `aws_iam_user_ssh_key` resource",
    },
    Rule {
        id: RuleId::SSH_KEY_CHANGED,
        severity: Severity::Medium,
        summary: "a declared SSH public key has another status (Active or Inactive)",
        why: "A deactivated key cuts the user's SSH access; a reactivated key reopens access that \
was closed on purpose.",
        events: &["UpdateSSHPublicKey"],
        console:
            "IAM > Users > NAME > Security credentials > SSH keys > Actions > Activate/Deactivate",
        cli:
            "aws iam update-ssh-public-key --user-name NAME --ssh-public-key-id ID --status STATUS",
        terraform: "set `status` of `aws_iam_user_ssh_key` to the baseline status",
    },
    Rule {
        id: RuleId::SSH_KEY_UNMANAGED,
        severity: Severity::Medium,
        summary: "a user has an SSH public key the baseline does not declare",
        why:
            "An extra key is a way in that nobody reviewed: a classic backdoor after a compromise.",
        events: &["UploadSSHPublicKey"],
        console:
            "IAM > Users > NAME > Security credentials > SSH keys: delete the key or declare it",
        cli: "aws iam delete-ssh-public-key --user-name NAME --ssh-public-key-id ID",
        terraform: "remove the `aws_iam_user_ssh_key` resource or declare the key in baseline.yaml",
    },
    Rule {
        id: RuleId::SSH_KEY_UNKNOWN,
        severity: Severity::Low,
        summary: "a guarded SSH key value is known only after apply",
        why: UNKNOWN_WHY,
        events: &["UploadSSHPublicKey", "UpdateSSHPublicKey"],
        console: UNKNOWN_FIX_CONSOLE,
        cli: UNKNOWN_FIX_CLI,
        terraform: UNKNOWN_FIX_TF,
    },
];
