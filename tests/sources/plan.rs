//! The plan source on real plans from public projects (read from ../shared when it
//! is beside the project) and on the hand-written fixtures.

use crate::common::*;
use iam_drift_guard::sources::terraform::{read, PlanError};
use iam_drift_guard::state::{PpField, PpValue};

/// Every real plan, with a baseline that declares nothing and quiets undeclared
/// objects: no exit 2, no panic, and only undeclared objects that grant
/// something risky (high or critical) are reported.
#[test]
fn corpus_reads_without_error() {
    let Some(dir) = shared_plans() else {
        eprintln!("../shared/fixtures/plan not found: corpus not run");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("baseline.yaml"),
        "version: 1\nsettings: { unmanaged: ignore }\n",
    )
    .unwrap();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.extend(
        std::fs::read_dir(dir.join("format-reference"))
            .unwrap()
            .map(|e| e.unwrap().path()),
    );
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    assert!(files.len() >= 14, "{files:?}");
    let mut risky = 0;
    for plan in files {
        let run = check_json_in(tmp.path(), &plan);
        assert!(
            run.code == 0 || run.code == 1,
            "{}: {}{}",
            plan.display(),
            run.stdout,
            run.stderr
        );
        let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        for f in v["findings"].as_array().unwrap() {
            assert!(
                f["rule"].as_str().unwrap().ends_with("-unmanaged")
                    && ["high", "critical"].contains(&f["severity"].as_str().unwrap()),
                "{}: {f:#}",
                plan.display()
            );
            risky += 1;
        }
    }
    // The real plans hold roles and users with `iam:PassRole` on `*` beside
    // `lambda:*`, `ec2:*` and the like.
    assert!(risky > 0);
}

fn shared(name: &str) -> Option<Vec<u8>> {
    shared_plans().map(|d| std::fs::read(d.join(name)).unwrap())
}

fn check_shared(name: &str, baseline: &str) -> Option<serde_json::Value> {
    let dir = shared_plans()?;
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("baseline.yaml"), baseline).unwrap();
    let plan = dir.join(name);
    let run = check_json_in(tmp.path(), &plan);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    Some(serde_json::from_str(&run.stdout).unwrap())
}

#[test]
fn password_policy_created_in_a_child_module_is_weaker_than_the_baseline() {
    let Some(v) = check_shared(
        "checkov__plan_with_child_modules__password_policy_in_module_tf0.12.28.json",
        "version: 1\npassword_policy:\n  minimum_password_length: 14\n  password_reuse_prevention: 24\n  max_password_age: 90\n  require_symbols: true\n",
    ) else {
        return;
    };
    let got: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["field"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let w = |f: &str| ("password-policy-weakened".to_string(), f.to_string());
    assert_eq!(
        got,
        vec![
            w("max_password_age"),
            w("minimum_password_length"),
            w("password_reuse_prevention")
        ]
    );
    assert_eq!(
        v["findings"][0]["source"]["address"],
        "module.iam_groups.aws_iam_account_password_policy.main"
    );
    assert_eq!(v["findings"][1]["observed"], 10);
    assert_eq!(v["sources"][0]["format_version"], "0.1");
}

#[test]
fn destroy_plan_removes_declared_roles() {
    let Some(v) = check_shared(
        "snyk_cli__tf_plan_destroy__delete_iam_roles_policies_tf0.15.0.json",
        "version: 1\nroles:\n  terra_ci_job: {}\n  terra_ci_runner: {}\n  elsewhere: {}\n",
    ) else {
        return;
    };
    let got: Vec<(&str, &str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap(),
                f["severity"].as_str().unwrap(),
                f["resource"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("role-removed", "high", "role/terra_ci_job"),
            ("role-removed", "high", "role/terra_ci_runner")
        ]
    );
    assert_eq!(
        v["summary"]["out_of_scope"], 1,
        "`elsewhere` is not in this plan"
    );
}

#[test]
fn nested_module_instance_profile_and_its_role() {
    let name = "tfcompliance__issue_249__nested_module_instance_profile_noop_tf0.12.24.json";
    let clean = "version: 1\ninstance_profiles:\n  myapp-sandbox-instance-profile-terraform: { path: /, roles: [myapp-sandbox-instance-role-terraform] }\nroles:\n  myapp-sandbox-instance-role-terraform:\n    managed_policies: [arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM]\nsettings: { unmanaged: ignore }\n";
    let Some(v) = check_shared(name, clean) else {
        return;
    };
    // The Lambda role beside the instance profile passes any role to code it
    // writes (`iam:PassRole` on `*` with `lambda:*`): reported although
    // undeclared objects are quieted.
    let risky: Vec<(&str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(risky, vec![("role-unmanaged", "critical")], "{v:#}");
    assert!(v["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("`iam:PassRole` on every resource together with `lambda:CreateFunction`"));
    let clean = clean.replace(
        "settings: { unmanaged: ignore }",
        "settings: { unmanaged: ignore, ignore: ['role:myapp-lambda-exec-role-sandbox'] }",
    );
    let v = check_shared(name, &clean).unwrap();
    assert_eq!(v["findings"], serde_json::json!([]));
    let drifted = clean
        .replace(
            "roles: [myapp-sandbox-instance-role-terraform]",
            "roles: [app]",
        )
        .replace("AmazonEC2RoleforSSM", "AmazonSSMManagedInstanceCore");
    let v = check_shared(name, &drifted).unwrap();
    let got: Vec<(&str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("instance-profile-changed", "role `app` is removed from instance profile `myapp-sandbox-instance-profile-terraform`: instances using it lose those permissions"),
            ("instance-profile-changed", "instance profile `myapp-sandbox-instance-profile-terraform` has role `myapp-sandbox-instance-role-terraform`, which the baseline does not declare"),
            // Terraform 0.12-era providers do not report a role's full set of
            // attachments (managed_policy_arns), so a missing one is out of scope.
            ("role-changed", "role `myapp-sandbox-instance-role-terraform` has managed policy `arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM`, which the baseline does not declare: may widen: `arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM` is an AWS managed policy that drift's table (as of 2026-12-01) does not know"),
        ]
    );
}

#[test]
fn group_memberships_and_policy_attachments() {
    let Some(bytes) =
        shared("regula__user_attached_policy_infra__users_groups_memberships_tf0.13.5.json")
    else {
        return;
    };
    let plan = read(&bytes).unwrap();
    assert_eq!(plan.info.format_version.as_deref(), Some("0.1"));
    let users = &plan.parts[0].state.users.items;
    assert!(users.len() >= 6, "{:?}", users.keys());
    // Every group membership resource puts its users into its group.
    let with_groups: Vec<(&String, Vec<&str>)> = users
        .iter()
        .filter_map(|(n, o)| {
            let g = o.value.as_ref()?.groups.as_ref()?;
            Some((n, g.present_names().collect()))
        })
        .collect();
    assert!(!with_groups.is_empty(), "no membership read");
}

#[test]
fn plan_without_format_version_and_module_policy_update() {
    let Some(bytes) = shared("overmind__tfutils_plan__module_iam_policy_update_action_reason.json")
    else {
        return;
    };
    let plan = read(&bytes).unwrap();
    assert_eq!(plan.info.format_version, None);
    let policy = &plan.parts[0].state.policies.items["test-alb-ingress"];
    assert!(
        matches!(&policy.origin, iam_drift_guard::finding::Origin::Plan { address, actions }
        if address == "module.eks_elb_controller.aws_iam_policy.lb_controller[0]" && actions == &["update"])
    );
    // The new document depends on a data source read during apply.
    assert!(policy.unknown.contains("document"));
    assert!(policy.value.as_ref().unwrap().document.is_none());
    let v = check_shared(
        "overmind__tfutils_plan__module_iam_policy_update_action_reason.json",
        "version: 1
policies:
  test-alb-ingress: { document: { Version: '2012-10-17', Statement: [] } }
settings: { unmanaged: ignore }
",
    )
    .unwrap();
    assert_eq!(v["findings"][0]["rule"], "policy-unknown");
    assert_eq!(v["findings"][0]["field"], "document");
}

#[test]
fn unknown_names_and_values_on_create() {
    let Some(bytes) =
        shared("checkov__plan_with_iam_policies__group_user_role_inline_policies_tf1.1.5.json")
    else {
        return;
    };
    let plan = read(&bytes).unwrap();
    // aws_iam_role.example uses name_prefix: its name is known only after apply.
    assert_eq!(plan.parts[0].state.roles.unknown.len(), 1);
    assert!(plan.parts[0].state.users.items.contains_key("example"));
}

#[test]
fn hand_written_fixtures_read_into_state() {
    let bytes = std::fs::read(root().join(fixture("weaken-password-policy"))).unwrap();
    let plan = read(&bytes).unwrap();
    let pp = plan.parts[0]
        .state
        .password_policy
        .as_ref()
        .unwrap()
        .value
        .as_ref()
        .unwrap();
    assert_eq!(pp.values[&PpField::MinimumPasswordLength], PpValue::Num(8));
    assert_eq!(plan.info.terraform_version.as_deref(), Some("1.9.5"));
    let profile = &plan.parts[0].state.instance_profiles.items["app"];
    assert!(profile
        .value
        .as_ref()
        .unwrap()
        .roles
        .as_ref()
        .unwrap()
        .items
        .contains_key("app"));
}

#[test]
fn errors() {
    assert_eq!(read(b"").unwrap_err(), PlanError::Empty);
    assert!(
        matches!(read(br#"{"format_version":"3.1","planned_values":{}}"#).unwrap_err(), PlanError::UnsupportedFormat(v) if v == "3.1")
    );
    assert!(matches!(
        read(b"{\"resource_changes\": [").unwrap_err(),
        PlanError::Syntax { line: 1, .. }
    ));
    assert!(matches!(read(b"null").unwrap_err(), PlanError::NotAPlan(_)));
}
