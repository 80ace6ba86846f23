//! IAM objects that AWS makes in an account: service-linked roles, the roles
//! of IAM Identity Center permission sets, Control Tower's roles and policies,
//! and the roles of CloudFormation StackSets. An organization's accounts hold
//! dozens of them; undeclared ones are `*-provisioned` findings (info) rather
//! than `*-unmanaged`, and `settings.provisioned: ignore` leaves them out.
//! AWS managed policies are never in an account's policies to begin with.

use crate::identity::Kind;

/// Who made an object of `kind` named `name` at `path`, when AWS did.
pub fn by_aws(kind: Kind, name: &str, path: Option<&str>) -> Option<&'static str> {
    let path = path.unwrap_or("/");
    match kind {
        Kind::Role if path.starts_with("/aws-service-role/") => {
            Some("an AWS service (a service-linked role)")
        }
        Kind::Role
            if path.starts_with("/aws-reserved/sso.amazonaws.com/")
                && name.starts_with("AWSReservedSSO_") =>
        {
            Some("IAM Identity Center (a permission set)")
        }
        Kind::Role
            if name.starts_with("AWSControlTower") || name.starts_with("aws-controltower-") =>
        {
            Some("AWS Control Tower")
        }
        Kind::Role
            if matches!(
                name,
                "AWSCloudFormationStackSetExecutionRole"
                    | "AWSCloudFormationStackSetAdministrationRole"
            ) =>
        {
            Some("CloudFormation StackSets")
        }
        Kind::Policy if name.starts_with("AWSControlTower") => Some("AWS Control Tower"),
        _ => None,
    }
}
