//! Rule metadata, in one table: id, default severity, why it matters, the CloudTrail
//! events that cause it, and how to fix it (console, CLI, Terraform).

use crate::finding::Severity;

/// One rule. Ids are `<kind>-<change>` and never change once published.
#[derive(Debug)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub why: &'static str,
    pub events: &'static [&'static str],
    pub console: &'static str,
    pub cli: &'static str,
    pub terraform: &'static str,
}

impl Rule {
    /// The remediation text that findings of this rule carry.
    pub fn help(&self) -> String {
        format!(
            "console: {}\ncli: {}\nterraform: {}",
            self.console, self.cli, self.terraform
        )
    }
}

pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// The rule named `id`; panics on an id that is not in the table, which is a
/// programming error caught by the tests (every id used by the diff is listed).
pub fn get(id: &str) -> &'static Rule {
    match find(id) {
        Some(rule) => rule,
        None => unreachable!("rule `{id}` is not in the rule table"),
    }
}

const PP_EVENTS: &[&str] = &["UpdateAccountPasswordPolicy", "DeleteAccountPasswordPolicy"];
const USER_POLICY_EVENTS: &[&str] = &[
    "UpdateUser",
    "AddUserToGroup",
    "RemoveUserFromGroup",
    "AttachUserPolicy",
    "DetachUserPolicy",
    "PutUserPolicy",
    "DeleteUserPolicy",
    "PutUserPermissionsBoundary",
    "DeleteUserPermissionsBoundary",
    "TagUser",
    "UntagUser",
];
const GROUP_EVENTS: &[&str] = &[
    "UpdateGroup",
    "AttachGroupPolicy",
    "DetachGroupPolicy",
    "PutGroupPolicy",
    "DeleteGroupPolicy",
];
const ROLE_EVENTS: &[&str] = &[
    "UpdateRole",
    "UpdateAssumeRolePolicy",
    "AttachRolePolicy",
    "DetachRolePolicy",
    "PutRolePolicy",
    "DeleteRolePolicy",
    "PutRolePermissionsBoundary",
    "DeleteRolePermissionsBoundary",
    "TagRole",
    "UntagRole",
];
const PROFILE_EVENTS: &[&str] = &[
    "AddRoleToInstanceProfile",
    "RemoveRoleFromInstanceProfile",
    "DeleteInstanceProfile",
    "CreateInstanceProfile",
];
const POLICY_EVENTS: &[&str] = &[
    "CreatePolicyVersion",
    "SetDefaultPolicyVersion",
    "DeletePolicyVersion",
];
const UNKNOWN_WHY: &str = "The plan computes this value only during apply, so nothing can tell \
before apply whether it will match the baseline. Unknown values are never reported as weakened; \
check again after apply (drift check --live) or make the value known at plan time.";
const UNKNOWN_FIX_CONSOLE: &str = "nothing to do in the console before apply";
const UNKNOWN_FIX_CLI: &str = "after apply, run `drift check --live` to judge the real value";
const UNKNOWN_FIX_TF: &str =
    "set the attribute to a literal or a value known at plan time instead of a computed one";

/// Every rule, in the order `drift rules` lists them.
pub static RULES: &[Rule] = &[
    // password policy
    Rule {
        id: "password-policy-removed",
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
        id: "password-policy-weakened",
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
        id: "password-policy-changed",
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
        id: "password-policy-unknown",
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
        id: "password-policy-strengthened",
        severity: Severity::Info,
        summary: "a password policy field is stricter than the baseline",
        why: "Stricter than declared is not a risk, but the baseline no longer describes the \
account: update it so that a later weakening back to the old value is noticed for what it is.",
        events: &["UpdateAccountPasswordPolicy"],
        console: "nothing to fix in the account",
        cli: "drift init --live (or edit baseline.yaml) to record the stricter value",
        terraform: "keep the stricter value and raise the baseline to it",
    },
    // account
    Rule {
        id: "account-removed",
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
        id: "account-changed",
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
        id: "account-unknown",
        severity: Severity::Low,
        summary: "the account alias is known only after apply",
        why: UNKNOWN_WHY,
        events: &["CreateAccountAlias"],
        console: UNKNOWN_FIX_CONSOLE,
        cli: UNKNOWN_FIX_CLI,
        terraform: UNKNOWN_FIX_TF,
    },
    // users
    Rule {
        id: "user-removed",
        severity: Severity::Medium,
        summary: "a declared user is deleted",
        why: "A user the baseline declares is gone: the person or system loses access, and \
everything hanging on the user (keys, MFA, group memberships) goes with it. A deletion nobody \
planned can also hide the removal of evidence.",
        events: &["DeleteUser"],
        console: "IAM > Users > Create user, with the baseline's path, groups and policies",
        cli: "aws iam create-user --user-name NAME --path PATH, then add groups and policies",
        terraform: "keep the `aws_iam_user` resource; add `lifecycle { prevent_destroy = true }` \
for users that must never go",
    },
    Rule {
        id: "user-changed",
        severity: Severity::Medium,
        summary: "a user's name, path, groups, policies, boundary or tags differ",
        why: "Group memberships and policies are the user's permissions: an extra group or \
policy is privilege escalation, a missing one breaks work, a removed permissions boundary lifts \
the ceiling on what the user can do. A rename (UpdateUser) changes the ARN that policies and \
audits refer to.",
        events: USER_POLICY_EVENTS,
        console: "IAM > Users > NAME > Permissions / Groups / Tags, and restore the baseline",
        cli: "aws iam update-user / add-user-to-group / remove-user-from-group / attach-user-policy \
/ detach-user-policy / put-user-policy as the finding says",
        terraform: "make the user's resources (`aws_iam_user`, memberships, policies, \
attachments) match the baseline",
    },
    Rule {
        id: "user-unmanaged",
        severity: Severity::Medium,
        summary: "a user exists (or is created) that the baseline does not declare",
        why: "An undeclared user is an identity nobody reviewed: a common way to keep access \
after a compromise, or an account left behind by someone who left.",
        events: &["CreateUser", "UpdateUser"],
        console: "IAM > Users: review the user, then delete it or declare it in the baseline",
        cli: "aws iam delete-user --user-name NAME (after removing its keys, groups and policies), \
or add it to baseline.yaml",
        terraform: "remove the `aws_iam_user` resource or declare the user in baseline.yaml",
    },
    Rule {
        id: "user-unknown",
        severity: Severity::Low,
        summary: "a guarded user value is known only after apply",
        why: UNKNOWN_WHY,
        events: USER_POLICY_EVENTS,
        console: UNKNOWN_FIX_CONSOLE,
        cli: UNKNOWN_FIX_CLI,
        terraform: UNKNOWN_FIX_TF,
    },
    // groups
    Rule {
        id: "group-removed",
        severity: Severity::Medium,
        summary: "a declared group is deleted",
        why: "Users get their permissions through groups; a deleted group silently takes them away \
and breaks the team structure the baseline describes.",
        events: &["DeleteGroup"],
        console: "IAM > User groups > Create group, with the baseline's policies",
        cli: "aws iam create-group --group-name NAME --path PATH, then attach its policies",
        terraform: "keep the `aws_iam_group` resource",
    },
    Rule {
        id: "group-changed",
        severity: Severity::Medium,
        summary: "a group's path or policies differ",
        why: "A policy added to a group grants it to every member at once: one of the widest \
privilege escalations there is.",
        events: GROUP_EVENTS,
        console: "IAM > User groups > NAME > Permissions, and restore the baseline",
        cli: "aws iam attach-group-policy / detach-group-policy / put-group-policy / \
delete-group-policy as the finding says",
        terraform: "make `aws_iam_group`, `aws_iam_group_policy` and \
`aws_iam_group_policy_attachment` match the baseline",
    },
    Rule {
        id: "group-unmanaged",
        severity: Severity::Medium,
        summary: "a group exists (or is created) that the baseline does not declare",
        why: "An undeclared group can carry permissions nobody reviewed.",
        events: &["CreateGroup"],
        console: "IAM > User groups: review the group, then delete it or declare it",
        cli: "aws iam delete-group --group-name NAME (after removing members and policies)",
        terraform: "remove the `aws_iam_group` resource or declare the group in baseline.yaml",
    },
    Rule {
        id: "group-unknown",
        severity: Severity::Low,
        summary: "a guarded group value is known only after apply",
        why: UNKNOWN_WHY,
        events: GROUP_EVENTS,
        console: UNKNOWN_FIX_CONSOLE,
        cli: UNKNOWN_FIX_CLI,
        terraform: UNKNOWN_FIX_TF,
    },
    // roles
    Rule {
        id: "role-removed",
        severity: Severity::High,
        summary: "a declared role is deleted",
        why: "Workloads, instance profiles and people assume roles; a deleted role breaks them at \
once, and a role created again under the same name gets a new unique id, so trust policies that \
named the old one stop matching.",
        events: &["DeleteRole"],
        console: "IAM > Roles > Create role, with the baseline's trust policy and permissions",
        cli: "aws iam create-role --role-name NAME --assume-role-policy-document file://trust.json",
        terraform: "keep the `aws_iam_role` resource; add `lifecycle { prevent_destroy = true }`",
    },
    Rule {
        id: "role-changed",
        severity: Severity::Medium,
        summary: "a role's trust policy, policies, path, boundary or session length differ",
        why: "The trust policy says who may assume the role: widening it lets another account or \
principal in. Added policies raise what the role can do; a removed permissions boundary lifts its \
ceiling; a longer maximum session keeps stolen credentials valid longer.",
        events: ROLE_EVENTS,
        console: "IAM > Roles > NAME > Trust relationships / Permissions, and restore the baseline",
        cli: "aws iam update-assume-role-policy / attach-role-policy / detach-role-policy / \
put-role-policy / update-role as the finding says",
        terraform: "make `aws_iam_role` and its policies and attachments match the baseline",
    },
    Rule {
        id: "role-unmanaged",
        severity: Severity::Medium,
        summary: "a role exists (or is created) that the baseline does not declare",
        why: "An undeclared role with a permissive trust policy is a classic persistence \
mechanism: whoever it trusts can come back at any time.",
        events: &["CreateRole"],
        console: "IAM > Roles: review who it trusts, then delete it or declare it",
        cli: "aws iam delete-role --role-name NAME (after detaching its policies and profiles)",
        terraform: "remove the `aws_iam_role` resource or declare the role in baseline.yaml",
    },
    Rule {
        id: "role-unknown",
        severity: Severity::Low,
        summary: "a guarded role value is known only after apply",
        why: UNKNOWN_WHY,
        events: ROLE_EVENTS,
        console: UNKNOWN_FIX_CONSOLE,
        cli: UNKNOWN_FIX_CLI,
        terraform: UNKNOWN_FIX_TF,
    },
    // instance profiles
    Rule {
        id: "instance-profile-removed",
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
        id: "instance-profile-changed",
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
        id: "instance-profile-unmanaged",
        severity: Severity::Medium,
        summary: "an instance profile exists (or is created) that the baseline does not declare",
        why: "An undeclared profile lets instances run with a role nobody reviewed for them.",
        events: &["CreateInstanceProfile"],
        console: "review the profile with the CLI, then delete it or declare it",
        cli: "aws iam delete-instance-profile --instance-profile-name NAME",
        terraform: "remove the `aws_iam_instance_profile` resource or declare it in baseline.yaml",
    },
    Rule {
        id: "instance-profile-unknown",
        severity: Severity::Low,
        summary: "a guarded instance profile value is known only after apply",
        why: UNKNOWN_WHY,
        events: PROFILE_EVENTS,
        console: UNKNOWN_FIX_CONSOLE,
        cli: UNKNOWN_FIX_CLI,
        terraform: UNKNOWN_FIX_TF,
    },
    // customer managed policies
    Rule {
        id: "policy-removed",
        severity: Severity::Medium,
        summary: "a declared customer managed policy is deleted",
        why: "Everything the policy was attached to loses its permissions at once.",
        events: &["DeletePolicy"],
        console: "IAM > Policies > Create policy, with the baseline's document",
        cli: "aws iam create-policy --policy-name NAME --path PATH --policy-document file://doc.json",
        terraform: "keep the `aws_iam_policy` resource",
    },
    Rule {
        id: "policy-changed",
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
        id: "policy-unmanaged",
        severity: Severity::Medium,
        summary: "a customer managed policy exists (or is created) that the baseline does not declare",
        why: "An undeclared policy grants permissions nobody reviewed wherever it is attached.",
        events: &["CreatePolicy"],
        console: "IAM > Policies: review it, then delete it or declare it",
        cli: "aws iam delete-policy --policy-arn ARN (after detaching it)",
        terraform: "remove the `aws_iam_policy` resource or declare it in baseline.yaml",
    },
    Rule {
        id: "policy-unknown",
        severity: Severity::Low,
        summary: "a guarded policy value is known only after apply",
        why: UNKNOWN_WHY,
        events: POLICY_EVENTS,
        console: UNKNOWN_FIX_CONSOLE,
        cli: UNKNOWN_FIX_CLI,
        terraform: UNKNOWN_FIX_TF,
    },
    // SSH keys
    Rule {
        id: "ssh-key-removed",
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
        id: "ssh-key-changed",
        severity: Severity::Medium,
        summary: "a declared SSH public key has another status (Active or Inactive)",
        why: "A deactivated key cuts the user's SSH access; a reactivated key reopens access that \
was closed on purpose.",
        events: &["UpdateSSHPublicKey"],
        console: "IAM > Users > NAME > Security credentials > SSH keys > Actions > Activate/Deactivate",
        cli: "aws iam update-ssh-public-key --user-name NAME --ssh-public-key-id ID --status STATUS",
        terraform: "set `status` of `aws_iam_user_ssh_key` to the baseline status",
    },
    Rule {
        id: "ssh-key-unmanaged",
        severity: Severity::Medium,
        summary: "a user has an SSH public key the baseline does not declare",
        why: "An extra key is a way in that nobody reviewed: a classic backdoor after a compromise.",
        events: &["UploadSSHPublicKey"],
        console: "IAM > Users > NAME > Security credentials > SSH keys: delete the key or declare it",
        cli: "aws iam delete-ssh-public-key --user-name NAME --ssh-public-key-id ID",
        terraform: "remove the `aws_iam_user_ssh_key` resource or declare the key in baseline.yaml",
    },
    Rule {
        id: "ssh-key-unknown",
        severity: Severity::Low,
        summary: "a guarded SSH key value is known only after apply",
        why: UNKNOWN_WHY,
        events: &["UploadSSHPublicKey", "UpdateSSHPublicKey"],
        console: UNKNOWN_FIX_CONSOLE,
        cli: UNKNOWN_FIX_CLI,
        terraform: UNKNOWN_FIX_TF,
    },
    // login profiles
    Rule {
        id: "login-profile-removed",
        severity: Severity::Medium,
        summary: "a user the baseline gives console access has no login profile",
        why: "Without a login profile the user cannot sign in to the console: break-glass and \
operator access that depends on it is gone.",
        events: &["DeleteLoginProfile"],
        console: "IAM > Users > NAME > Security credentials > Console sign-in > Enable",
        cli: "aws iam create-login-profile --user-name NAME --password-reset-required --password ...",
        terraform: "keep the `aws_iam_user_login_profile` resource",
    },
    Rule {
        id: "login-profile-unmanaged",
        severity: Severity::Medium,
        summary: "a user the baseline keeps out of the console has a login profile",
        why: "A console password on a user meant for programmatic access only is an extra way in, \
often without MFA.",
        events: &["CreateLoginProfile", "UpdateLoginProfile"],
        console: "IAM > Users > NAME > Security credentials > Console sign-in > Disable",
        cli: "aws iam delete-login-profile --user-name NAME",
        terraform: "remove the `aws_iam_user_login_profile` resource",
    },
    Rule {
        id: "login-profile-unknown",
        severity: Severity::Low,
        summary: "whether a user has console access is known only after apply",
        why: UNKNOWN_WHY,
        events: &["CreateLoginProfile", "DeleteLoginProfile"],
        console: UNKNOWN_FIX_CONSOLE,
        cli: UNKNOWN_FIX_CLI,
        terraform: UNKNOWN_FIX_TF,
    },
    // MFA
    Rule {
        id: "mfa-removed",
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
        id: "mfa-unknown",
        severity: Severity::Low,
        summary: "whether a user has an MFA device is known only after apply",
        why: UNKNOWN_WHY,
        events: &["EnableMFADevice", "DeactivateMFADevice"],
        console: UNKNOWN_FIX_CONSOLE,
        cli: UNKNOWN_FIX_CLI,
        terraform: UNKNOWN_FIX_TF,
    },
];
