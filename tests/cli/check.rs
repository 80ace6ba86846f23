//! `drift check --plan`: each scenario of the design, with its exact finding and exit code.

use crate::common::*;

fn only(plan: &str) -> (i32, Vec<(String, String, String)>) {
    let run = drift(&["check", "--plan", &fixture(plan), "--format", "json"]);
    assert!(
        run.code == 0 || run.code == 1,
        "exit {}: {}",
        run.code,
        run.stderr
    );
    (run.code, findings(&run.stdout))
}

fn f(rule: &str, sev: &str, res: &str) -> (String, String, String) {
    (rule.to_string(), sev.to_string(), res.to_string())
}

#[test]
fn deleted_password_policy_is_critical_and_fails() {
    let (code, got) = only("delete-password-policy");
    assert_eq!(
        got,
        vec![f("password-policy-removed", "critical", "password-policy")]
    );
    assert_eq!(code, 1);
}

#[test]
fn weakened_length_is_high() {
    let (code, json) = check_json(&fixture("weaken-password-policy"));
    assert_eq!(code, 1);
    let first = &json["findings"][0];
    assert_eq!(first["rule"], "password-policy-weakened");
    assert_eq!(first["severity"], "high");
    assert_eq!(first["field"], "minimum_password_length");
    assert_eq!(first["expected"], 14);
    assert_eq!(first["observed"], 8);
    assert_eq!(
        first["source"]["address"],
        "aws_iam_account_password_policy.strict"
    );
    assert_eq!(first["source"]["actions"], serde_json::json!(["update"]));
    assert_eq!(first["baseline_location"]["line"], 8);
}

#[test]
fn instance_profile_deleted_inside_a_module_with_a_for_each_key() {
    let (code, json) = check_json(&fixture("delete-instance-profile"));
    assert_eq!(code, 1);
    let f = &json["findings"][0];
    assert_eq!(json["findings"].as_array().unwrap().len(), 1);
    assert_eq!(f["rule"], "instance-profile-removed");
    assert_eq!(f["severity"], "high");
    assert_eq!(f["resource"], "instance-profile/app");
    assert_eq!(
        f["source"]["address"],
        "module.compute.aws_iam_instance_profile.this[\"app\"]"
    );
}

#[test]
fn deleted_ssh_key() {
    let (code, got) = only("delete-ssh-key");
    assert_eq!(
        got,
        vec![f(
            "ssh-key-removed",
            "medium",
            "user/deploy/ssh-key/APKAEIBAERJR2EXAMPLE"
        )]
    );
    assert_eq!(code, 1);
}

#[test]
fn renamed_user_is_one_finding() {
    let (_, json) = check_json(&fixture("rename-user"));
    let all = json["findings"].as_array().unwrap();
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(all[0]["rule"], "user-changed");
    assert_eq!(all[0]["field"], "name");
    assert_eq!(all[0]["expected"], "alice");
    assert_eq!(all[0]["observed"], "mallory");
}

#[test]
fn replacement_says_the_object_is_absent_for_a_moment() {
    let (_, json) = check_json(&fixture("replace-role"));
    let all = json["findings"].as_array().unwrap();
    let fields: Vec<&str> = all
        .iter()
        .map(|f| f["field"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(fields, vec!["path", "replaced"]);
    assert!(all.iter().all(|f| f["rule"] == "role-changed"));
    assert_eq!(
        all[1]["source"]["actions"],
        serde_json::json!(["delete", "create"])
    );
    assert!(all[1]["message"]
        .as_str()
        .unwrap()
        .contains("absent for a moment"));
}

#[test]
fn unknown_value_is_low_and_passes() {
    let (code, got) = only("unknown-value");
    assert_eq!(
        got,
        vec![f("password-policy-unknown", "low", "password-policy")]
    );
    assert_eq!(code, 0);
}

#[test]
fn stricter_is_info_and_passes() {
    let (code, got) = only("stricter");
    assert_eq!(
        got,
        vec![
            f("password-policy-strengthened", "info", "password-policy"),
            f("password-policy-strengthened", "info", "password-policy"),
        ]
    );
    assert_eq!(code, 0);
}

#[test]
fn no_op_plan_has_nothing() {
    let (code, json) = check_json(&fixture("clean"));
    assert_eq!(json["findings"], serde_json::json!([]));
    assert_eq!(json["summary"]["out_of_scope"], 0);
    assert_eq!(code, 0);
}

#[test]
fn refresh_drift_counts_only_real_differences() {
    // The refresh saw the SSH key deactivated (real) and a group's tags go from
    // null to {} (noise); the plan itself puts the key back.
    let (_, json) = check_json(&fixture("resource-drift"));
    let all = json["findings"].as_array().unwrap();
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(all[0]["rule"], "ssh-key-changed");
    assert_eq!(
        all[0]["source"],
        serde_json::json!({"kind": "refresh", "address": "aws_iam_user_ssh_key.deploy"})
    );
    assert_eq!(all[0]["observed"], "Inactive");
}

#[test]
fn fail_on_sets_the_threshold() {
    let plan = fixture("unknown-value");
    assert_eq!(
        drift(&["check", "--plan", &plan, "--fail-on", "low"]).code,
        1
    );
    assert_eq!(
        drift(&["check", "--plan", &plan, "--fail-on", "medium"]).code,
        0
    );
    let plan = fixture("delete-password-policy");
    assert_eq!(
        drift(&["check", "--plan", &plan, "--fail-on", "critical"]).code,
        1
    );
    let plan = fixture("weaken-password-policy");
    assert_eq!(
        drift(&["check", "--plan", &plan, "--fail-on", "critical"]).code,
        0
    );
}

#[test]
fn plan_from_standard_input() {
    let bytes = std::fs::read(root().join(fixture("delete-password-policy"))).unwrap();
    let run = drift_in(
        &root(),
        &["check", "--plan", "-", "--format", "json"],
        Some(&bytes),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(findings(&run.stdout)[0].0, "password-policy-removed");
}

#[test]
fn severity_overrides_and_ignores_from_the_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("baseline.yaml")).unwrap()
        + "  severity: { ssh-key-removed: low }\n";
    std::fs::write(dir.path().join("baseline.yaml"), text).unwrap();
    let plan = root().join(fixture("delete-ssh-key"));
    let run = check_json_in(dir.path(), &plan);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        findings(&run.stdout),
        vec![f(
            "ssh-key-removed",
            "low",
            "user/deploy/ssh-key/APKAEIBAERJR2EXAMPLE"
        )]
    );
}

#[test]
fn plan_and_live_together_are_a_usage_error() {
    let run = drift(&["check", "--live", "--plan", &fixture("clean")]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("either `--plan` or `--live`"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

/// A change that edits its own baseline: judged against `--baseline`, its
/// edits listed first as `baseline-changed`, in every format; a proposed
/// baseline with errors is exit 2 naming its file and line.
#[test]
fn a_proposed_baseline_is_judged_against_the_one_in_force() {
    let dir = tempfile::tempdir().unwrap();
    let proposed = dir.path().join("baseline.yaml");
    let original = std::fs::read_to_string(root().join("baseline.yaml")).unwrap();
    std::fs::write(
        &proposed,
        original.replace("minimum_password_length: 14", "minimum_password_length: 8"),
    )
    .unwrap();
    let path = proposed.to_str().unwrap();
    let plan = fixture("weaken-password-policy");
    let check = |extra: &[&str]| {
        let mut args = vec!["check", "--plan", &plan, "--proposed-baseline", path];
        args.extend_from_slice(extra);
        drift(&args)
    };
    let json = check(&["--format", "json"]);
    assert_eq!(json.code, 1, "{}", json.stderr);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let changed: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "baseline-changed")
        .collect();
    assert_eq!(changed.len(), 1, "{report:#}");
    assert_eq!(changed[0]["severity"], "high");
    assert_eq!(changed[0]["field"], "minimum_password_length");
    assert_eq!(changed[0]["source"]["kind"], "baseline");
    assert_eq!(changed[0]["source"]["at"], format!("{path}:7:1"));
    assert_eq!(changed[0]["baseline_location"]["path"], "baseline.yaml");

    // SARIF puts the edit on the proposed file's line.
    let sarif = check(&[
        "--format",
        "sarif",
        "--baseline-name",
        "infra/baseline.yaml",
    ]);
    let log: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let edit = results
        .iter()
        .find(|r| r["ruleId"] == "baseline-changed")
        .unwrap();
    assert_eq!(
        edit["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        path
    );
    let plan_finding = results
        .iter()
        .find(|r| r["ruleId"] == "password-policy-weakened")
        .unwrap();
    assert_eq!(
        plan_finding["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "infra/baseline.yaml"
    );

    // Human output lists the edit first.
    let human = check(&[]);
    let edit = human.stdout.find("baseline-changed").unwrap();
    let weakened = human.stdout.find("password-policy-weakened").unwrap();
    assert!(edit < weakened, "{}", human.stdout);
    assert!(
        human
            .stdout
            .starts_with("password-policy (proposed baseline)"),
        "{}",
        human.stdout
    );

    // A proposed baseline with an error: exit 2, its file and line.
    std::fs::write(
        &proposed,
        original.replace(
            "  minimum_password_length: 14",
            "  minimum_pasword_length: 14",
        ),
    )
    .unwrap();
    let bad = check(&[]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("minimum_pasword_length"),
        "{}",
        bad.stderr
    );
    assert!(bad.stderr.contains(":8:"), "{}", bad.stderr);
    assert!(bad.stdout.is_empty());
}

/// A waiver hides a finding for a reason until its date: not counted, not
/// failing, but listed under `waived` in JSON and in report.html; past its
/// date the finding is back and the waiver says so.
#[test]
fn waivers_hide_until_they_expire_and_stay_in_sight() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(root().join("baseline.yaml")).unwrap();
    let with_waiver = |expires: &str| {
        let path = dir.path().join(format!("baseline-{expires}.yaml"));
        let plain = "  ignore: [\"role:/aws-service-role/*\"]\n";
        assert!(original.contains(plain), "the example's settings");
        let text = original.replace(
            plain,
            &format!("  ignore:\n    - \"role:/aws-service-role/*\"\n    - resource: password-policy\n      rule: password-policy-weakened\n      reason: \"rolled back in INC-7 (security team)\"\n      expires: \"{expires}\"\n"),
        );
        std::fs::write(&path, text).unwrap();
        path
    };
    let plan = fixture("weaken-password-policy");
    let future = with_waiver("2999-12-31");
    let run = drift(&[
        "check",
        "--baseline",
        future.to_str().unwrap(),
        "--plan",
        &plan,
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["summary"]["waived"], 2);
    assert_eq!(report["summary"]["high"], 0);
    let waived = report["waived"].as_array().unwrap();
    assert!(waived
        .iter()
        .all(|w| w["rule"] == "password-policy-weakened"));
    assert_eq!(
        waived[0]["waiver"]["reason"],
        "rolled back in INC-7 (security team)"
    );
    assert_eq!(waived[0]["waiver"]["expires"], "2999-12-31");
    assert!(
        waived[0]["waiver"]["baseline_location"]["line"]
            .as_u64()
            .unwrap()
            > 1
    );
    let human = drift(&[
        "check",
        "--baseline",
        future.to_str().unwrap(),
        "--plan",
        &plan,
    ]);
    assert!(
        human.stdout.contains("2 waived by settings.ignore"),
        "{}",
        human.stdout
    );
    let out = dir.path().join("report");
    let report = drift(&[
        "report",
        "--baseline",
        future.to_str().unwrap(),
        "--plan",
        &plan,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("id=\"waived\""), "a Waived table");
    assert!(html.contains("rolled back in INC-7"));

    // Expired: the findings are back, with the reminder.
    let past = with_waiver("2020-01-31");
    let run = drift(&[
        "check",
        "--baseline",
        past.to_str().unwrap(),
        "--plan",
        &plan,
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["summary"]["waived"], 0);
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules
            .iter()
            .filter(|r| **r == "password-policy-weakened")
            .count(),
        2
    );
    assert!(rules.contains(&"waiver-expired"), "{rules:?}");
}
