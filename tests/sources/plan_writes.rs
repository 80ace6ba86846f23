//! Several resources for one IAM object: conflicts (the apply order decides),
//! replacements across addresses (a refactor without a `moved` block), and
//! deposed objects. Fixtures edit copies of the clean plan and every real plan.

use crate::common::*;
use serde_json::{json, Value};

fn policy(length: u32) -> Value {
    json!({"minimum_password_length": length, "require_symbols": true, "require_numbers": true,
           "require_uppercase_characters": true, "require_lowercase_characters": true,
           "allow_users_to_change_password": true, "max_password_age": 90,
           "password_reuse_prevention": 24, "hard_expiry": false})
}

const PP: &str = "aws_iam_account_password_policy";
const BASELINE: &str = "version: 1\npassword_policy: { minimum_password_length: 14 }\nroles:\n  app: { path: / }\nusers:\n  alice: { path: / }\nsettings: { unmanaged: ignore }\n";

/// The plan without its own password policy, app role and alice user resources,
/// so that only what a test adds writes them.
fn base(mut plan: Value) -> Value {
    retain_changes(&mut plan, &|rc| {
        let ty = rc["type"].as_str().unwrap_or_default();
        let name = rc["change"]["after"]["name"]
            .as_str()
            .or(rc["change"]["before"]["name"].as_str())
            .or(rc["change"]["after"]["user"].as_str());
        ty != PP && !(ty == "aws_iam_role" && name == Some("app")) && name != Some("alice")
    });
    plan.as_object_mut().unwrap().remove("prior_state");
    plan
}

#[test]
fn three_password_policies_conflict_and_fail_high() {
    for (name, plan) in plan_bases() {
        let mut plan = base(plan);
        push(
            &mut plan,
            create(None, PP, "strict", None, policy(14), json!({})),
        );
        push(
            &mut plan,
            create(
                Some("module.legacy"),
                PP,
                "this",
                None,
                policy(8),
                json!({}),
            ),
        );
        push(
            &mut plan,
            create(
                Some(r#"module.team["ops"]"#),
                PP,
                "this",
                None,
                policy(10),
                json!({}),
            ),
        );
        let (code, report) = check(&plan, BASELINE);
        assert_eq!(code, 1, "{name}");
        let f = findings_on(&report, "password-policy");
        let conflict = f
            .iter()
            .find(|f| f["field"] == "conflict")
            .unwrap_or_else(|| panic!("{name}: {report:#}"));
        assert_eq!(conflict["rule"], "password-policy-changed");
        assert_eq!(conflict["severity"], "high");
        let message = conflict["message"].as_str().unwrap();
        assert!(
            message.contains("3 resources") && message.contains("module.legacy"),
            "{message}"
        );
    }
}

#[test]
fn two_inline_policies_of_one_name_and_one_role_name_twice_conflict() {
    for (name, plan) in plan_bases() {
        let mut plan = base(plan);
        for (res, doc) in [("a", "s3:GetObject"), ("b", "s3:*")] {
            let document = format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"{doc}","Resource":"*"}}]}}"#
            );
            push(
                &mut plan,
                create(
                    None,
                    "aws_iam_user_policy",
                    res,
                    None,
                    json!({"user": "alice", "name": "notes", "policy": document}),
                    json!({"id": true}),
                ),
            );
        }
        for key in ["x", "y"] {
            push(
                &mut plan,
                create(
                    None,
                    "aws_iam_role",
                    "dup",
                    Some(json!(key)),
                    json!({"name": "app", "path": "/", "assume_role_policy": "{}"}),
                    json!({"arn": true, "id": true, "unique_id": true}),
                ),
            );
        }
        let (code, report) = check(&plan, BASELINE);
        assert_eq!(code, 1, "{name}");
        assert!(
            findings_on(&report, "user/alice")
                .iter()
                .any(|f| f["rule"] == "user-changed"
                    && f["field"] == "inline_policies.notes"
                    && f["message"].as_str().unwrap().contains("2 resources")),
            "{name}: {report:#}"
        );
        assert!(
            findings_on(&report, "role/app")
                .iter()
                .any(|f| f["rule"] == "role-changed" && f["field"] == "conflict"),
            "{name}: {report:#}"
        );
    }
}

#[test]
fn the_same_role_name_under_two_for_each_keys_in_a_real_plan() {
    let Some(dir) = shared_plans() else { return };
    let plan: Value = serde_json::from_str(
        &std::fs::read_to_string(
            dir.join("tfcompliance__issue_424__for_each_iam_role_string_keys_tf0.13.5.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let (code, report) = check(
        &plan,
        "version: 1\nroles:\n  \"1234\": {}\nsettings: { unmanaged: ignore }\n",
    );
    assert_eq!(code, 1);
    let f = findings_on(&report, "role/1234");
    assert!(
        f.iter()
            .any(|f| f["field"] == "conflict"
                && f["message"].as_str().unwrap().contains("repository_2")),
        "{report:#}"
    );
}

#[test]
fn delete_here_and_create_there_is_a_replacement_in_either_order() {
    for (name, plan) in plan_bases() {
        for deletion_first in [true, false] {
            let mut plan = base(plan.clone());
            let gone = delete(None, PP, "old", policy(14));
            let made = create(Some("module.iam"), PP, "this", None, policy(14), json!({}));
            let role_gone = delete(
                None,
                "aws_iam_role",
                "app",
                json!({"name": "app", "path": "/", "unique_id": "AROAOLD"}),
            );
            let role_made = create(
                Some("module.iam"),
                "aws_iam_role",
                "app",
                None,
                json!({"name": "app", "path": "/", "assume_role_policy": "{}"}),
                json!({"arn": true, "id": true, "unique_id": true}),
            );
            let order = if deletion_first {
                [gone, made, role_gone, role_made]
            } else {
                [made, gone, role_made, role_gone]
            };
            for rc in order {
                push(&mut plan, rc);
            }
            let (code, report) = check(&plan, BASELINE);
            assert_eq!(code, 1, "{name}");
            let rules: Vec<(&str, &str)> = report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    (
                        f["rule"].as_str().unwrap(),
                        f["field"].as_str().unwrap_or(""),
                    )
                })
                .collect();
            assert!(
                !rules.iter().any(|(r, _)| r.ends_with("-removed")),
                "{name}: {rules:?}"
            );
            let pp = findings_on(&report, "password-policy");
            assert!(
                pp.iter().any(|f| f["field"] == "replaced"
                    && f["severity"] == "high"
                    && f["message"].as_str().unwrap().contains("either order")),
                "{name}: {report:#}"
            );
            assert!(
                findings_on(&report, "role/app")
                    .iter()
                    .any(|f| f["rule"] == "role-changed" && f["field"] == "replaced"),
                "{name}: {report:#}"
            );
        }
    }
}

#[test]
fn deleting_a_deposed_object_is_not_a_removal() {
    for (name, plan) in plan_bases() {
        let mut plan = base(plan);
        let mut leftover = delete(
            None,
            "aws_iam_role",
            "app",
            json!({"name": "app", "path": "/", "unique_id": "AROAOLD"}),
        );
        leftover["deposed"] = json!("00000001");
        push(&mut plan, leftover);
        push(
            &mut plan,
            create(
                None,
                "aws_iam_role",
                "app",
                None,
                json!({"name": "app", "path": "/", "assume_role_policy": "{}"}),
                json!({"arn": true, "id": true, "unique_id": true}),
            ),
        );
        let (_, report) = check(&plan, BASELINE);
        let f = findings_on(&report, "role/app");
        assert!(f.is_empty(), "{name}: {report:#}");
    }
}

#[test]
fn fields_left_out_of_the_configuration_are_reset_and_weakened() {
    let baseline = "version: 1\npassword_policy:\n  minimum_password_length: 14\n  require_symbols: true\n  max_password_age: 90\nsettings: { unmanaged: ignore }\n";
    for (name, plan) in plan_bases() {
        for actions in [json!(["create"]), json!(["update"])] {
            let mut plan = base(plan.clone());
            // The plan shows every value as the baseline wants it, but the
            // configuration sets only the length; the age is computed.
            let mut rc = create(
                Some("module.iam"),
                PP,
                "this",
                None,
                policy(14),
                json!({"max_password_age": true}),
            );
            rc["change"]["actions"] = actions.clone();
            push(&mut plan, rc);
            configure(
                &mut plan,
                &["iam"],
                PP,
                "this",
                json!({
                    "minimum_password_length": {"constant_value": 14},
                    "max_password_age": {"references": ["data.external.policy.result"]},
                }),
            );
            let (code, report) = check(&plan, baseline);
            assert_eq!(code, 1, "{name} {actions}");
            let got: Vec<(&str, &str)> = findings_on(&report, "password-policy")
                .iter()
                .map(|f| (f["rule"].as_str().unwrap(), f["field"].as_str().unwrap()))
                .collect();
            assert_eq!(
                got,
                vec![
                    ("password-policy-weakened", "require_symbols"),
                    ("password-policy-unknown", "max_password_age"),
                ],
                "{name} {actions}: {report:#}"
            );
            let weakened = &findings_on(&report, "password-policy")[0];
            assert_eq!(weakened["observed"], false);
            assert!(weakened["message"]
                .as_str()
                .unwrap()
                .contains("leaving it out"));
        }
    }
}

#[test]
fn a_real_policy_in_a_child_module_that_leaves_a_field_out() {
    let Some(dir) = shared_plans() else { return };
    let mut plan: Value = serde_json::from_str(
        &std::fs::read_to_string(
            dir.join("checkov__plan_with_child_modules__password_policy_in_module_tf0.12.28.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let baseline =
        "version: 1\npassword_policy: { require_symbols: true, minimum_password_length: 10 }\n";
    // As written, the module sets every field (through its variables).
    let (code, report) = check(&plan, baseline);
    assert_eq!(code, 0, "{report:#}");
    // The same module without `require_symbols`: AWS resets it to false.
    let resources = &mut plan["configuration"]["root_module"]["module_calls"]["iam_groups"]
        ["module"]["resources"];
    resources[0]["expressions"]
        .as_object_mut()
        .unwrap()
        .remove("require_symbols");
    let (code, report) = check(&plan, baseline);
    assert_eq!(code, 1);
    let f = findings_on(&report, "password-policy");
    assert_eq!(f.len(), 1, "{report:#}");
    assert_eq!(
        (f[0]["rule"].as_str(), f[0]["field"].as_str()),
        (Some("password-policy-weakened"), Some("require_symbols"))
    );
}

/// Documents in the real plans that carry `"Sid": ""`: declared without it, they
/// are the same document.
#[test]
fn an_empty_sid_is_no_sid_in_real_plans() {
    let mut checked = 0;
    for (name, plan) in plan_bases() {
        for rc in plan["resource_changes"].as_array().into_iter().flatten() {
            let (ty, key, section, field) = match rc["type"].as_str() {
                Some("aws_iam_policy") => ("aws_iam_policy", "policy", "policies", "document"),
                Some("aws_iam_role") => (
                    "aws_iam_role",
                    "assume_role_policy",
                    "roles",
                    "assume_role_policy",
                ),
                _ => continue,
            };
            let after = &rc["change"]["after"];
            let (Some(object), Some(text)) = (after["name"].as_str(), after[key].as_str()) else {
                continue;
            };
            let Ok(mut document) = serde_json::from_str::<Value>(text) else {
                continue;
            };
            let statements = match &mut document["Statement"] {
                Value::Array(s) => s,
                _ => continue,
            };
            if !statements.iter().any(|s| s["Sid"] == "") {
                continue;
            }
            for s in statements.iter_mut() {
                if s["Sid"] == "" {
                    s.as_object_mut().unwrap().remove("Sid");
                }
            }
            let baseline = format!(
                "version: 1\n{section}:\n  {}: {{ {field}: {} }}\nsettings: {{ unmanaged: ignore }}\n",
                serde_json::to_string(object).unwrap(),
                document
            );
            let (_, report) = check(&plan, &baseline);
            let resource = format!(
                "{}/{object}",
                if ty == "aws_iam_role" {
                    "role"
                } else {
                    "policy"
                }
            );
            let on_field: Vec<&Value> = findings_on(&report, &resource)
                .into_iter()
                .filter(|f| f["field"] == field)
                .collect();
            assert!(on_field.is_empty(), "{name} {resource}: {on_field:#?}");
            checked += 1;
        }
    }
    // The clean plan has none; the real plans have several.
    if shared_plans().is_some() {
        assert!(checked >= 3, "{checked}");
    }
}

fn drift_entry(rc: Value) -> Value {
    let mut d = rc;
    d.as_object_mut().unwrap().remove("module_address");
    d
}

#[test]
fn one_drift_is_one_finding_and_a_restored_object_says_so() {
    for (name, plan) in plan_bases() {
        let mut plan = base(plan);
        // Someone moved user `drifty` to /x/ outside Terraform; the plan keeps it.
        let before = json!({"name": "drifty", "path": "/"});
        let after = json!({"name": "drifty", "path": "/x/"});
        let mut moved = create(
            None,
            "aws_iam_user",
            "drifty",
            None,
            after.clone(),
            json!({}),
        );
        moved["change"]["actions"] = json!(["update"]);
        moved["change"]["before"] = before;
        let mut kept = create(None, "aws_iam_user", "drifty", None, after, json!({}));
        kept["change"]["actions"] = json!(["no-op"]);
        kept["change"]["before"] = kept["change"]["after"].clone();
        // Someone deleted role `gone`; the plan creates it again.
        let deleted = delete(
            None,
            "aws_iam_role",
            "gone",
            json!({"name": "gone", "path": "/"}),
        );
        let back = create(
            None,
            "aws_iam_role",
            "gone",
            None,
            json!({"name": "gone", "path": "/", "assume_role_policy": "{}"}),
            json!({"arn": true, "id": true, "unique_id": true}),
        );
        plan["resource_drift"] = json!([drift_entry(moved), drift_entry(deleted)]);
        push(&mut plan, kept);
        push(&mut plan, back);
        let (code, report) = check(
            &plan,
            "version: 1\nusers:\n  drifty: { path: / }\nroles:\n  gone: {}\nsettings: { unmanaged: ignore }\n",
        );
        assert_eq!(code, 1, "{name}");
        let user = findings_on(&report, "user/drifty");
        assert_eq!(user.len(), 1, "{name}: {report:#}");
        assert!(
            user[0]["message"]
                .as_str()
                .unwrap()
                .contains("refresh saw this change"),
            "{name}"
        );
        let role = findings_on(&report, "role/gone");
        assert_eq!(role.len(), 1, "{name}: {report:#}");
        assert_eq!(role[0]["rule"], "role-removed");
        assert!(
            role[0]["message"]
                .as_str()
                .unwrap()
                .contains("the plan creates it again"),
            "{name}: {}",
            role[0]["message"]
        );
    }
}

#[test]
fn the_fix_of_a_deleted_password_policy_uses_the_baseline_values() {
    for (name, plan) in plan_bases() {
        let mut plan = base(plan);
        push(&mut plan, delete(None, PP, "strict", policy(14)));
        let (code, report) = check(
            &plan,
            "version: 1\npassword_policy: { minimum_password_length: 21, require_symbols: false, hard_expiry: true }\n",
        );
        assert_eq!(code, 1, "{name}");
        let f = &findings_on(&report, "password-policy")[0];
        assert_eq!(f["rule"], "password-policy-removed");
        let help = f["help"].as_str().unwrap();
        assert!(help.starts_with("terraform:"), "{name}: {help}");
        assert!(
            help.contains("--minimum-password-length 21")
                && help.contains("--no-require-symbols")
                && help.contains("--hard-expiry"),
            "{name}: {help}"
        );
    }
}
