//! Rules about the permissions boundary of users and roles.

use super::Rule;
use crate::finding::Severity;
use crate::identity::RuleId;

pub(super) const RULES: &[Rule] = &[Rule {
    id: RuleId::PERMISSIONS_BOUNDARY_REMOVED,
    severity: Severity::High,
    summary: "a user or role lost the permissions boundary the baseline declares",
    why: "A permissions boundary is the ceiling on what a user's or role's policies can grant: \
delegated administrators are typically allowed to create roles only under a boundary. Without it, \
every policy attached now or later takes full effect; DeleteUserPermissionsBoundary and \
DeleteRolePermissionsBoundary are known privilege-escalation steps.",
    events: &[
        "DeleteUserPermissionsBoundary",
        "DeleteRolePermissionsBoundary",
    ],
    console: "IAM > Users or Roles > NAME > Permissions boundary > Set boundary: the baseline's policy",
    cli: "aws iam put-user-permissions-boundary / put-role-permissions-boundary --permissions-boundary ARN",
    terraform: "set `permissions_boundary` of the `aws_iam_user` or `aws_iam_role`",
}];
