//! Plans that are not whole fail closed: an errored plan, IAM changes deferred
//! to a later plan. Fixtures are edited copies of the hand-made clean plan and
//! of every real plan in ../shared.

use crate::common::*;
use serde_json::json;

fn run(dir: &std::path::Path, plan: &std::path::Path) -> Run {
    drift_in(
        dir,
        &[
            "check",
            "--plan",
            plan.to_str().unwrap(),
            "--format",
            "json",
        ],
        None,
    )
}

fn baseline_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("baseline.yaml"),
        "version: 1\nsettings: { unmanaged: ignore }\n",
    )
    .unwrap();
    dir
}

#[test]
fn an_errored_plan_is_exit_2() {
    let dir = baseline_dir();
    for (name, mut plan) in plan_bases() {
        plan["errored"] = json!(true);
        let path = write_json(dir.path(), "plan.json", &plan);
        let r = run(dir.path(), &path);
        assert_eq!(r.code, 2, "{name}: {}", r.stdout);
        assert!(r.stdout.is_empty(), "{name}: nothing is reported");
        assert!(r.stderr.contains("errored: true"), "{name}: {}", r.stderr);
    }
}

#[test]
fn deferred_iam_changes_are_exit_2_naming_them() {
    let dir = baseline_dir();
    let mut checked = 0;
    for (name, mut plan) in plan_bases() {
        let Some(rc) = first_iam_change(&plan) else {
            continue;
        };
        let address = rc["address"].as_str().unwrap_or_default().to_string();
        plan["complete"] = json!(false);
        plan["deferred_changes"] = json!([
            {"reason": "resource_config_unknown", "resource_change": rc},
        ]);
        let path = write_json(dir.path(), "plan.json", &plan);
        let r = run(dir.path(), &path);
        assert_eq!(r.code, 2, "{name}: {}", r.stdout);
        assert!(
            r.stderr.contains("deferred") && r.stderr.contains(&address),
            "{name}: {}",
            r.stderr
        );
        checked += 1;
    }
    assert!(checked >= 1);
}

#[test]
fn a_plan_not_complete_for_other_reasons_is_judged_and_says_so() {
    let dir = baseline_dir();
    for (name, mut plan) in plan_bases() {
        plan["complete"] = json!(false);
        plan["deferred_changes"] = json!([{
            "reason": "instance_count_unknown",
            "resource_change": {"address": "aws_instance.web", "type": "aws_instance", "name": "web"},
        }]);
        let path = write_json(dir.path(), "plan.json", &plan);
        let r = run(dir.path(), &path);
        assert!(r.code == 0 || r.code == 1, "{name}: {}", r.stderr);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(v["complete"], false, "{name}");
        // Without the list of what was deferred, nothing can be judged.
        plan.as_object_mut().unwrap().remove("deferred_changes");
        let path = write_json(dir.path(), "plan.json", &plan);
        let r = run(dir.path(), &path);
        assert_eq!(r.code, 2, "{name}: {}", r.stdout);
    }
}

#[test]
fn a_complete_plan_says_so() {
    let dir = baseline_dir();
    let mut plan = plan_bases().swap_remove(0).1;
    plan["complete"] = json!(true);
    plan["errored"] = json!(false);
    let path = write_json(dir.path(), "plan.json", &plan);
    let r = run(dir.path(), &path);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["complete"], true);
}
