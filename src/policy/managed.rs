//! AWS managed policies that grant privilege, judged without their documents:
//! a curated table, each entry with what the policy grants. Source: the
//! documents of these policies in the AWS Managed Policy Reference Guide
//! (docs.aws.amazon.com/aws-managed-policy/latest/reference), read on
//! 2026-12-01. An AWS managed policy that is not in the table is "cannot tell"
//! (medium), never "narrowed".

use crate::finding::Severity;

/// One AWS managed policy of the table.
#[derive(Debug)]
pub struct Managed {
    /// The policy's name: its ARN is `arn:aws:iam::aws:policy/` plus the path and
    /// this name.
    pub name: &'static str,
    pub severity: Severity,
    pub grants: &'static str,
    /// The policy only denies: detaching it lifts its denials.
    pub denies: bool,
}

/// When the table was last compared with AWS's documents.
pub const AS_OF: &str = "2026-12-01";

/// AWS managed policies by what they grant, most privileged first.
pub const POLICIES: &[Managed] = &[
    Managed { name: "AdministratorAccess", severity: Severity::Critical, grants: "`*` on `*`: every action on every resource", denies: false },
    Managed { name: "IAMFullAccess", severity: Severity::Critical, grants: "`iam:*` on `*`: the holder can grant itself anything", denies: false },
    Managed { name: "AdministratorAccess-Amplify", severity: Severity::Critical, grants: "creates roles and attaches policies (`iam:CreateRole`, `iam:PutRolePolicy`, `iam:PassRole`)", denies: false },
    Managed { name: "AdministratorAccess-AWSElasticBeanstalk", severity: Severity::Critical, grants: "`iam:PassRole` with `ec2:RunInstances` and CloudFormation: code under any role", denies: false },
    Managed { name: "AWSCloudFormationFullAccess", severity: Severity::High, grants: "`cloudformation:*`: creates anything a passed service role may create", denies: false },
    Managed { name: "PowerUserAccess", severity: Severity::High, grants: "every action but IAM, Organizations and Account management, on every resource", denies: false },
    Managed { name: "AWSOrganizationsFullAccess", severity: Severity::High, grants: "`organizations:*`: creates accounts and moves them, attaches service control policies", denies: false },
    Managed { name: "AmazonEC2FullAccess", severity: Severity::High, grants: "`ec2:*`: every instance, volume, snapshot and security group", denies: false },
    Managed { name: "AWSLambda_FullAccess", severity: Severity::High, grants: "`lambda:*`: replaces the code of any function", denies: false },
    Managed { name: "AmazonS3FullAccess", severity: Severity::High, grants: "`s3:*` on `*`: every object of every bucket, and bucket policies", denies: false },
    Managed { name: "SecretsManagerReadWrite", severity: Severity::High, grants: "reads and writes every secret", denies: false },
    Managed { name: "AmazonSSMFullAccess", severity: Severity::High, grants: "`ssm:*`: runs commands on every managed instance", denies: false },
    Managed { name: "AWSKeyManagementServicePowerUser", severity: Severity::High, grants: "creates keys and changes key policies", denies: false },
    Managed { name: "AmazonDynamoDBFullAccess", severity: Severity::High, grants: "`dynamodb:*`: every table", denies: false },
    Managed { name: "AmazonRDSFullAccess", severity: Severity::High, grants: "`rds:*`: every database, snapshots and their sharing", denies: false },
    Managed { name: "AWSCodeBuildAdminAccess", severity: Severity::High, grants: "`codebuild:*`: runs build commands", denies: false },
    Managed { name: "AmazonSageMakerFullAccess", severity: Severity::High, grants: "`sagemaker:*`: notebooks and jobs under passed roles", denies: false },
    Managed { name: "job-function/SystemAdministrator", severity: Severity::High, grants: "broad administration of compute, networking and monitoring", denies: false },
    Managed { name: "job-function/NetworkAdministrator", severity: Severity::High, grants: "every VPC, route and security group", denies: false },
    Managed { name: "job-function/DatabaseAdministrator", severity: Severity::High, grants: "every database service", denies: false },
    Managed { name: "ReadOnlyAccess", severity: Severity::Medium, grants: "reads every resource, the data in S3 objects, DynamoDB tables and secrets' metadata included", denies: false },
    Managed { name: "SecurityAudit", severity: Severity::Low, grants: "reads configuration metadata for audits", denies: false },
    Managed { name: "job-function/ViewOnlyAccess", severity: Severity::Low, grants: "lists resources and reads their configuration, not their data", denies: false },
    Managed { name: "IAMUserChangePassword", severity: Severity::Low, grants: "changes the holder's own password", denies: false },
    Managed { name: "IAMReadOnlyAccess", severity: Severity::Low, grants: "reads IAM", denies: false },
    Managed { name: "AWSDenyAll", severity: Severity::Info, grants: "nothing: it denies every action", denies: true },
    Managed { name: "AWSCompromisedKeyQuarantine", severity: Severity::Info, grants: "nothing: it denies what a leaked key could do", denies: true },
    Managed { name: "AWSCompromisedKeyQuarantineV2", severity: Severity::Info, grants: "nothing: it denies what a leaked key could do", denies: true },
    Managed { name: "AWSCompromisedKeyQuarantineV3", severity: Severity::Info, grants: "nothing: it denies what a leaked key could do", denies: true },
];

/// What the table says of a policy ARN: `None` for a customer managed policy;
/// `Some(None)` for an AWS managed policy the table does not know.
pub fn lookup(arn: &str) -> Option<Option<&'static Managed>> {
    let rest = arn
        .strip_prefix("arn:")?
        .split_once(':')
        .map(|(_, r)| r)?
        .strip_prefix("iam::aws:policy/")?;
    Some(POLICIES.iter().find(|p| {
        p.name == rest
            || rest
                .rsplit_once('/')
                .is_some_and(|(_, n)| n == p.name && !p.name.contains('/'))
    }))
}
