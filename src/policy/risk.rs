//! How bad a grant is: the one table of actions that drift rates above an
//! ordinary widening, each with the reason `drift rules` shows.
//!
//! Critical: an action on every resource (`*`, or a `NotResource`) that lets
//! its holder give itself more (privilege escalation), everything (`*`) and all
//! of IAM (`iam:*`), and `iam:PassRole` on every resource together with an
//! action that runs code under a passed role. High: running code on compute
//! that already exists, and every other widening.

use super::atoms::{Atom, Atoms, Names};
use crate::finding::Severity;

/// Why an action is in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Lets its holder raise its own permissions when allowed on every resource.
    Escalation,
    /// Runs code under a role that `iam:PassRole` hands over.
    RunsWithRole,
    /// Runs code on compute that already exists, under that compute's role.
    RunsOnExisting,
}

/// One entry of the table.
#[derive(Debug)]
pub struct Risky {
    pub action: &'static str,
    pub class: Class,
    pub reason: &'static str,
}

/// Every action drift rates above an ordinary widening.
pub const ACTIONS: &[Risky] = &[
    Risky { action: "*", class: Class::Escalation, reason: "every action of every service: administrator" },
    Risky { action: "iam:*", class: Class::Escalation, reason: "all of IAM: the holder can grant itself anything" },
    Risky { action: "iam:CreatePolicyVersion", class: Class::Escalation, reason: "rewrites a managed policy the holder has into one that allows everything" },
    Risky { action: "iam:SetDefaultPolicyVersion", class: Class::Escalation, reason: "switches a policy back to an older, broader version" },
    Risky { action: "iam:AttachUserPolicy", class: Class::Escalation, reason: "attaches AdministratorAccess to a user, the holder included" },
    Risky { action: "iam:AttachGroupPolicy", class: Class::Escalation, reason: "attaches AdministratorAccess to a group the holder is in" },
    Risky { action: "iam:AttachRolePolicy", class: Class::Escalation, reason: "attaches AdministratorAccess to a role the holder can use" },
    Risky { action: "iam:PutUserPolicy", class: Class::Escalation, reason: "writes an inline policy that allows anything onto a user" },
    Risky { action: "iam:PutGroupPolicy", class: Class::Escalation, reason: "writes an inline policy that allows anything onto a group" },
    Risky { action: "iam:PutRolePolicy", class: Class::Escalation, reason: "writes an inline policy that allows anything onto a role" },
    Risky { action: "iam:AddUserToGroup", class: Class::Escalation, reason: "adds the holder to an administrators group" },
    Risky { action: "iam:UpdateAssumeRolePolicy", class: Class::Escalation, reason: "lets the holder assume any role by rewriting its trust" },
    Risky { action: "iam:CreateAccessKey", class: Class::Escalation, reason: "creates keys for another user and acts as that user" },
    Risky { action: "iam:CreateLoginProfile", class: Class::Escalation, reason: "sets a console password for another user and signs in as that user" },
    Risky { action: "iam:UpdateLoginProfile", class: Class::Escalation, reason: "resets another user's console password and signs in as that user" },
    Risky { action: "iam:DeleteUserPermissionsBoundary", class: Class::Escalation, reason: "lifts the ceiling on a user's permissions" },
    Risky { action: "iam:DeleteRolePermissionsBoundary", class: Class::Escalation, reason: "lifts the ceiling on a role's permissions" },
    Risky { action: "iam:PassRole", class: Class::Escalation, reason: "with an action that runs code under a role, hands any role (an administrator one too) to code the holder writes" },
    Risky { action: "ec2:RunInstances", class: Class::RunsWithRole, reason: "starts an instance under a passed instance profile" },
    Risky { action: "lambda:CreateFunction", class: Class::RunsWithRole, reason: "runs a function under a passed role" },
    Risky { action: "glue:CreateDevEndpoint", class: Class::RunsWithRole, reason: "opens a development endpoint under a passed role" },
    Risky { action: "glue:CreateJob", class: Class::RunsWithRole, reason: "runs a job under a passed role" },
    Risky { action: "cloudformation:CreateStack", class: Class::RunsWithRole, reason: "creates anything a passed service role may create" },
    Risky { action: "codebuild:CreateProject", class: Class::RunsWithRole, reason: "runs build commands under a passed role" },
    Risky { action: "sagemaker:CreateNotebookInstance", class: Class::RunsWithRole, reason: "opens a notebook under a passed role" },
    Risky { action: "sagemaker:CreateTrainingJob", class: Class::RunsWithRole, reason: "runs a training container under a passed role" },
    Risky { action: "datapipeline:CreatePipeline", class: Class::RunsWithRole, reason: "runs pipeline activities under a passed role" },
    Risky { action: "ecs:RunTask", class: Class::RunsWithRole, reason: "runs a container under a passed task role" },
    Risky { action: "lambda:UpdateFunctionCode", class: Class::RunsOnExisting, reason: "replaces the code of a function that runs under its own role" },
    Risky { action: "ssm:SendCommand", class: Class::RunsOnExisting, reason: "runs commands on managed instances, under their roles" },
    Risky { action: "ssm:StartSession", class: Class::RunsOnExisting, reason: "opens a shell on a managed instance" },
    Risky { action: "ecs:ExecuteCommand", class: Class::RunsOnExisting, reason: "opens a shell in a running container" },
    Risky { action: "ec2:ModifyInstanceAttribute", class: Class::RunsOnExisting, reason: "changes an instance's user data, which runs at its next start" },
];

/// Why a grant is risky, and how much.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Concern {
    pub severity: Severity,
    pub what: String,
}

/// The concerns of one grant of an identity policy. `whole` is the document it
/// is part of (for `iam:PassRole` with an action that runs code).
pub fn permission_concerns(grant: &Atom, whole: &Atoms) -> Vec<Concern> {
    let mut out = Vec::new();
    let everywhere = grant.resource.is_everything() || matches!(grant.resource, Names::AllBut(_));
    let admits = |action: &str| grant.action.admits(Some(action), true) == Some(true);
    if everywhere {
        let escalations: Vec<&Risky> = ACTIONS
            .iter()
            .filter(|r| r.class == Class::Escalation && r.action != "iam:PassRole")
            .filter(|r| match r.action {
                "*" => grant.action.is_everything(),
                "iam:*" => grant.action.includes(&Names::One("iam:*".into()), true),
                a => admits(a),
            })
            .collect();
        if let Some(first) = escalations.first() {
            let shown = if escalations.len() > 1 && first.action != "*" {
                format!(
                    "`{}` on every resource allows {} and {} more privilege-escalation actions ({})",
                    grant.action.show(),
                    first.action,
                    escalations.len() - 1,
                    first.reason
                )
            } else {
                format!(
                    "`{}` on every resource allows `{}`: {}",
                    grant.action.show(),
                    first.action,
                    first.reason
                )
            };
            out.push(Concern {
                severity: Severity::Critical,
                what: shown,
            });
        }
        if admits("iam:PassRole") {
            let runner = ACTIONS
                .iter()
                .filter(|r| r.class == Class::RunsWithRole)
                .find(|r| {
                    whole
                        .allows()
                        .any(|a| a.action.admits(Some(r.action), true) == Some(true))
                });
            if let Some(r) = runner {
                out.push(Concern {
                    severity: Severity::Critical,
                    what: format!(
                        "`iam:PassRole` on every resource together with `{}`: {}",
                        r.action, r.reason
                    ),
                });
            }
        }
    }
    if out.is_empty() {
        if let Some(r) = ACTIONS
            .iter()
            .filter(|r| r.class == Class::RunsOnExisting)
            .find(|r| admits(r.action))
        {
            out.push(Concern {
                severity: Severity::High,
                what: format!(
                    "`{}` allows `{}`: {}",
                    grant.action.show(),
                    r.action,
                    r.reason
                ),
            });
        }
    }
    out
}
