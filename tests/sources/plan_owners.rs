//! Policies whose owner is known only after apply, and objects whose name is.
//! Each fixture adds resources to a copy of the hand-made clean plan and of every
//! real plan in ../shared, in the shape `terraform show -json` writes them: the
//! values in `resource_changes`, what an argument refers to in `configuration`.

use crate::common::*;
use serde_json::{json, Value};

const ADMIN_DOC: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","ec2:*","rds:*"],"Resource":"*"}]}"#;
const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const ADMIN_ARN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

fn role_ref(name: &str) -> Value {
    json!({"references": [format!("aws_iam_role.{name}.id"), format!("aws_iam_role.{name}")]})
}

/// A role `drift-new` the plan creates, and an inline policy (`s3:* ec2:* rds:*`
/// on `*`) whose `role` refers to it and is known only after apply.
fn role_with_admin_policy(plan: &mut Value, role_name: Option<&str>) {
    let (after, unknown) = match role_name {
        Some(n) => (
            json!({"name": n, "path": "/", "assume_role_policy": TRUST}),
            json!({"arn": true, "id": true, "unique_id": true}),
        ),
        None => (
            json!({"name_prefix": "drift-", "path": "/", "assume_role_policy": TRUST}),
            json!({"arn": true, "id": true, "name": true, "unique_id": true}),
        ),
    };
    push(
        plan,
        create(None, "aws_iam_role", "drift_new", None, after, unknown),
    );
    configure(
        plan,
        &[],
        "aws_iam_role",
        "drift_new",
        json!({"name": {"constant_value": role_name}}),
    );
    push(
        plan,
        create(
            None,
            "aws_iam_role_policy",
            "drift_admin",
            None,
            json!({"name": "admin", "policy": ADMIN_DOC}),
            json!({"id": true, "role": true}),
        ),
    );
    configure(
        plan,
        &[],
        "aws_iam_role_policy",
        "drift_admin",
        json!({"name": {"constant_value": "admin"}, "role": role_ref("drift_new"), "policy": {"constant_value": ADMIN_DOC}}),
    );
}

#[test]
fn a_policy_on_a_role_created_by_the_same_plan_is_judged_on_that_role() {
    for (name, mut plan) in plan_bases() {
        role_with_admin_policy(&mut plan, Some("drift-new"));
        let (code, report) = check(
            &plan,
            "version: 1\nroles:\n  drift-new: { inline_policies: {} }\nsettings: { unmanaged: ignore }\n",
        );
        assert_eq!(code, 1, "{name}");
        let on_role = findings_on(&report, "role/drift-new");
        assert!(
            on_role.iter().any(|f| f["rule"] == "role-policy-widened"
                && f["severity"] == "high"
                && f["field"] == "inline_policies.admin"
                && f["observed"].to_string().contains("rds:*")),
            "{name}: {report:#}"
        );
    }
}

#[test]
fn a_role_named_after_apply_shows_what_it_grants() {
    for (name, mut plan) in plan_bases() {
        role_with_admin_policy(&mut plan, None);
        let (code, report) = check(&plan, "version: 1\n");
        assert_eq!(code, 1, "{name}");
        let unnamed = findings_on(&report, "role/(known after apply)");
        let f = unnamed
            .iter()
            .find(|f| f["source"]["address"] == "aws_iam_role.drift_new")
            .unwrap_or_else(|| panic!("{name}: {report:#}"));
        assert_eq!(
            (f["rule"].as_str(), f["severity"].as_str()),
            (Some("role-unmanaged"), Some("high"))
        );
        assert!(
            f["message"]
                .as_str()
                .unwrap()
                .contains("ec2:ModifyInstanceAttribute"),
            "{name}: {f:#}"
        );
        let grants = f["observed"].to_string();
        assert!(
            grants.contains("rds:*") && grants.contains("ec2.amazonaws.com"),
            "{name}: {grants}"
        );
    }
}

#[test]
fn an_owner_that_cannot_be_traced_fails_the_gate_whatever_the_settings() {
    for (name, mut plan) in plan_bases() {
        // The role comes from a module output: nothing in this plan names it.
        push(
            &mut plan,
            create(
                None,
                "aws_iam_role_policy",
                "drift_admin",
                None,
                json!({"name": "admin", "policy": ADMIN_DOC}),
                json!({"id": true, "role": true}),
            ),
        );
        configure(
            &mut plan,
            &[],
            "aws_iam_role_policy",
            "drift_admin",
            json!({"role": {"references": ["module.iam.role_name", "module.iam"]}}),
        );
        push(
            &mut plan,
            create(
                None,
                "aws_iam_role_policy_attachment",
                "drift_attach",
                None,
                json!({"policy_arn": ADMIN_ARN}),
                json!({"id": true, "role": true}),
            ),
        );
        let (code, report) = check(&plan, "version: 1\nsettings: { unmanaged: ignore }\n");
        assert_eq!(code, 1, "{name}: {report:#}");
        let unnamed = findings_on(&report, "role/(known after apply)");
        assert!(
            unnamed.iter().any(|f| f["rule"] == "role-changed"
                && f["severity"] == "medium"
                && f["observed"].to_string().contains("rds:*")),
            "{name}: {report:#}"
        );
        assert!(
            unnamed
                .iter()
                .any(|f| f["field"] == "managed_policies" && f["observed"] == ADMIN_ARN),
            "{name}: {report:#}"
        );
        // Two findings, two identities.
        let fps: std::collections::BTreeSet<&str> = unnamed
            .iter()
            .map(|f| f["fingerprint"].as_str().unwrap())
            .collect();
        assert_eq!(fps.len(), unnamed.len(), "{name}");
    }
}

#[test]
fn for_each_instances_in_modules_resolve_to_their_own_role() {
    for (name, mut plan) in plan_bases() {
        let module = r#"module.team["ops"]"#;
        for key in ["reader", "writer"] {
            push(
                &mut plan,
                create(
                    Some(module),
                    "aws_iam_role",
                    "this",
                    Some(json!(key)),
                    json!({"name": format!("ops-{key}"), "path": "/", "assume_role_policy": TRUST}),
                    json!({"arn": true, "id": true, "unique_id": true}),
                ),
            );
        }
        configure(
            &mut plan,
            &["team"],
            "aws_iam_role",
            "this",
            json!({"name": {"references": ["each.key"]}}),
        );
        push(
            &mut plan,
            create(
                Some(module),
                "aws_iam_role_policy_attachment",
                "admin",
                Some(json!("writer")),
                json!({"policy_arn": ADMIN_ARN}),
                json!({"id": true, "role": true}),
            ),
        );
        configure(
            &mut plan,
            &["team"],
            "aws_iam_role_policy_attachment",
            "admin",
            json!({"role": {"references": ["aws_iam_role.this", "each.key"]}, "policy_arn": {"constant_value": ADMIN_ARN}}),
        );
        let (code, report) = check(
            &plan,
            "version: 1\nroles:\n  ops-reader: { managed_policies: [] }\n  ops-writer: { managed_policies: [] }\nsettings: { unmanaged: ignore }\n",
        );
        assert_eq!(code, 1, "{name}");
        assert!(
            findings_on(&report, "role/ops-reader").is_empty(),
            "{name}: {report:#}"
        );
        let writer = findings_on(&report, "role/ops-writer");
        assert!(
            writer.iter().any(|f| f["field"] == "managed_policies"
                && f["observed"].to_string().contains("AdministratorAccess")),
            "{name}: {report:#}"
        );
    }
}

#[test]
fn policy_attachment_lists_known_after_apply_are_traced() {
    for (name, mut plan) in plan_bases() {
        role_with_admin_policy(&mut plan, Some("drift-new"));
        push(
            &mut plan,
            create(
                None,
                "aws_iam_policy_attachment",
                "everyone",
                None,
                json!({"name": "everyone", "policy_arn": ADMIN_ARN, "users": null, "groups": null}),
                json!({"id": true, "roles": true}),
            ),
        );
        configure(
            &mut plan,
            &[],
            "aws_iam_policy_attachment",
            "everyone",
            json!({"roles": {"references": ["aws_iam_role.drift_new.name", "aws_iam_role.drift_new", "module.legacy.role"]}}),
        );
        let (code, report) = check(
            &plan,
            "version: 1\nroles:\n  drift-new: { managed_policies: [] }\nsettings: { unmanaged: ignore }\n",
        );
        assert_eq!(code, 1, "{name}");
        assert!(
            findings_on(&report, "role/drift-new")
                .iter()
                .any(|f| f["field"] == "managed_policies"),
            "{name}: {report:#}"
        );
        // `module.legacy.role` cannot be traced: reported apart.
        assert!(
            findings_on(&report, "role/(known after apply)")
                .iter()
                .any(|f| f["field"] == "managed_policies"),
            "{name}: {report:#}"
        );
    }
}

#[test]
fn a_declared_empty_set_that_gains_an_unknown_policy_changes() {
    for (name, mut plan) in plan_bases() {
        push(
            &mut plan,
            create(
                None,
                "aws_iam_role",
                "drift_new",
                None,
                json!({"name": "drift-new", "path": "/", "assume_role_policy": TRUST}),
                json!({"arn": true, "id": true, "unique_id": true}),
            ),
        );
        push(
            &mut plan,
            create(
                None,
                "aws_iam_policy",
                "custom",
                None,
                json!({"name": "custom", "path": "/", "policy": ADMIN_DOC}),
                json!({"arn": true, "id": true}),
            ),
        );
        push(
            &mut plan,
            create(
                None,
                "aws_iam_role_policy_attachment",
                "custom",
                None,
                json!({"role": "drift-new"}),
                json!({"id": true, "policy_arn": true}),
            ),
        );
        let (code, report) = check(
            &plan,
            "version: 1\nroles:\n  drift-new: { managed_policies: [] }\nsettings: { unmanaged: ignore }\n",
        );
        assert_eq!(code, 1, "{name}");
        let f = findings_on(&report, "role/drift-new");
        assert!(
            f.iter()
                .any(|f| f["rule"] == "role-changed" && f["field"] == "managed_policies"),
            "{name}: {report:#}"
        );
    }
}
