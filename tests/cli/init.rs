//! `drift init --plan`: a baseline of the state the plan leaves; checking the same
//! plan against it reports nothing.

use crate::common::*;

fn round_trip(plan: &std::path::Path) -> (String, Run) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("baseline.yaml");
    init_in(dir.path(), plan);
    let text = std::fs::read_to_string(&out).unwrap();
    let check = drift_in(
        dir.path(),
        &[
            "check",
            "--plan",
            plan.to_str().unwrap(),
            "--format",
            "json",
            "--fail-on",
            "info",
        ],
        None,
    );
    (text, check)
}

#[test]
fn init_then_check_reports_nothing() {
    for name in [
        "clean",
        "weaken-password-policy",
        "delete-instance-profile",
        "rename-user",
        "delete-ssh-key",
    ] {
        let (text, check) = round_trip(&root().join(fixture(name)));
        assert_eq!(check.code, 0, "{name}: {}\n{text}", check.stdout);
        assert_eq!(findings(&check.stdout), vec![], "{name}");
    }
}

#[test]
fn init_writes_what_the_plan_leaves() {
    let (text, _) = round_trip(&root().join(fixture("weaken-password-policy")));
    assert!(text.contains("minimum_password_length: 8"), "{text}");
    assert!(text.contains("APKAEIBAERJR2EXAMPLE"), "{text}");
    assert!(text.contains("AdministratorAccess"), "{text}");
    // SSH key bodies are never written.
    assert!(!text.contains("AAAAC3NzaC1lZDI1NTE5"), "{text}");
    let (text, _) = round_trip(&root().join(fixture("delete-instance-profile")));
    assert!(
        !text.contains("instance_profiles"),
        "a deleted profile is not in the resulting state:\n{text}"
    );
}

#[test]
fn init_on_real_plans_round_trips() {
    let Some(dir) = shared_plans() else { return };
    for name in [
        "snyk_cli__tf_plan_update__iam_user_noop_tf0.15.0.json",
        "tfcompliance__issue_249__nested_module_instance_profile_noop_tf0.12.24.json",
        "regula__user_attached_policy_infra__users_groups_memberships_tf0.13.5.json",
    ] {
        let (text, check) = round_trip(&dir.join(name));
        assert_eq!(findings(&check.stdout), vec![], "{name}:\n{text}");
    }
}

#[test]
fn init_never_replaces_a_baseline_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("baseline.yaml");
    std::fs::write(&out, "# hand-written, with comments\nversion: 1\n").unwrap();
    let plan = root().join(fixture("clean"));
    let args = |force: bool| {
        let mut a = vec![
            "init",
            "--plan",
            plan.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ];
        if force {
            a.push("--force");
        }
        drift(&a)
    };
    let run = args(false);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("does not replace it") && run.stderr.contains("--force"),
        "{}",
        run.stderr
    );
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("hand-written"));
    let run = args(true);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!std::fs::read_to_string(&out)
        .unwrap()
        .contains("hand-written"));
}

/// What `drift init --plan` read as empty it guards: a later plan that attaches
/// AdministratorAccess, adds an inline policy, a group, a key or a console
/// password to a user that had none is reported, never `no drift`.
#[test]
fn a_baseline_from_init_catches_what_is_added_later() {
    let dir = tempfile::tempdir().unwrap();
    let plan_path = root().join(fixture("clean"));
    init_in(dir.path(), &plan_path);
    let text = std::fs::read_to_string(dir.path().join("baseline.yaml")).unwrap();
    for key in [
        "managed_policies: []",
        "inline_policies: {}",
        "access_keys: []",
        "ssh_public_keys: []",
        "console_access: false",
    ] {
        assert!(text.contains(key), "{key}:\n{text}");
    }
    let mut plan: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&plan_path).unwrap()).unwrap();
    let later = [
        (
            "aws_iam_user_policy_attachment",
            serde_json::json!({"user": "alice", "policy_arn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
            "user-policy-widened",
            "critical",
        ),
        (
            "aws_iam_user_policy",
            serde_json::json!({"user": "alice", "name": "later", "policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"}),
            "user-policy-widened",
            "critical",
        ),
        (
            "aws_iam_access_key",
            serde_json::json!({"user": "alice", "status": "Active"}),
            "access-key-unmanaged",
            "high",
        ),
        (
            "aws_iam_user_login_profile",
            serde_json::json!({"user": "bob"}),
            "login-profile-unmanaged",
            "high",
        ),
    ];
    for (i, (ty, after, _, _)) in later.iter().enumerate() {
        push(
            &mut plan,
            create(
                None,
                ty,
                &format!("later{i}"),
                None,
                after.clone(),
                serde_json::json!({"id": true}),
            ),
        );
    }
    let path = write_json(dir.path(), "later.json", &plan);
    let run = check_json_in(dir.path(), &path);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    for (ty, _, rule, severity) in later {
        let hit = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == rule && f["severity"] == severity);
        assert!(hit, "{ty}: {rule} {severity}: {:#}", v["findings"]);
    }
}

/// The guardrails `init` writes as a commented example work once uncommented:
/// the example's administrators group breaks `never_allow`.
#[test]
fn the_commented_guardrails_work_once_uncommented() {
    let dir = tempfile::tempdir().unwrap();
    let plan = root().join(fixture("clean"));
    init_in(dir.path(), &plan);
    let path = dir.path().join("baseline.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("# guardrails:"), "{text}");
    let uncommented: String = text
        .lines()
        .map(|l| {
            l.strip_prefix("# guardrails:")
                .map(|r| format!("guardrails:{r}"))
                .or_else(|| l.strip_prefix("#   ").map(|r| format!("  {r}")))
                .unwrap_or_else(|| l.to_string())
        })
        .map(|l| l + "\n")
        .collect();
    std::fs::write(&path, uncommented).unwrap();
    let run = drift_in(dir.path(), &["validate"], None);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let run = check_json_in(dir.path(), &plan);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let hits: Vec<(String, String, String)> = findings(&run.stdout)
        .into_iter()
        .filter(|(rule, _, _)| rule == "guardrail-violated")
        .collect();
    assert!(
        hits.iter()
            .any(|(_, severity, resource)| resource == "group/admins" && severity == "critical"),
        "{}",
        run.stdout
    );
}

/// `drift init --plan PLAN --output baseline.yaml` in `dir`, which must work.
fn init_in(dir: &std::path::Path, plan: &std::path::Path) {
    let init = drift_in(
        dir,
        &[
            "init",
            "--plan",
            plan.to_str().unwrap(),
            "--output",
            "baseline.yaml",
        ],
        None,
    );
    assert_eq!(init.code, 0, "{}", init.stderr);
}

/// A state whose access key id a baseline cannot hold (not `AKIA` and
/// upper-case letters and digits): `init` leaves it out and says so, and the
/// baseline it writes validates; a later check reports that key as undeclared.
#[test]
fn an_access_key_id_a_baseline_cannot_hold_is_left_out_and_said() {
    let dir = tempfile::tempdir().unwrap();
    let state = serde_json::json!({"format_version": "1.0", "terraform_version": "1.9.5", "values": {"root_module": {"resources": [
        {"address": "aws_iam_user.ci", "mode": "managed", "type": "aws_iam_user", "name": "ci",
         "values": {"name": "ci", "path": "/", "arn": "arn:aws:iam::123456789012:user/ci", "unique_id": "AIDACI", "tags": {}}, "sensitive_values": {}},
        {"address": "aws_iam_access_key.ci", "mode": "managed", "type": "aws_iam_access_key", "name": "ci",
         "values": {"id": "AKIzA5QYBVVD2VIEMMUIQ", "user": "ci", "status": "Active"}, "sensitive_values": {}}
    ]}}});
    let path = write_json(dir.path(), "state.json", &state);
    let p = path.to_str().unwrap();
    let init = drift_in(
        dir.path(),
        &["init", "--state", p, "--output", "baseline.yaml"],
        None,
    );
    assert_eq!(init.code, 0, "{}", init.stderr);
    let text = std::fs::read_to_string(dir.path().join("baseline.yaml")).unwrap();
    assert!(
        text.contains("users.ci.access_keys.AKIzA5QYBVVD2VIEMMUIQ: not an access key id"),
        "{text}"
    );
    assert_eq!(drift_in(dir.path(), &["validate"], None).code, 0);
    let check = drift_in(
        dir.path(),
        &["check", "--state", p, "--format", "json"],
        None,
    );
    assert_eq!(check.code, 1, "{}{}", check.stdout, check.stderr);
    assert!(
        check.stdout.contains("access-key-unmanaged"),
        "{}",
        check.stdout
    );
}
