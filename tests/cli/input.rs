//! Bad input: exit 2 with a located message, never a panic, nothing written.

use crate::common::*;

fn bad(content: &[u8]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("baseline.yaml"),
        dir.path().join("baseline.yaml"),
    )
    .unwrap();
    std::fs::write(dir.path().join("plan.json"), content).unwrap();
    let run = drift_in(
        dir.path(),
        &["check", "--plan", "plan.json", "--output", "report.txt"],
        None,
    );
    assert!(
        !dir.path().join("report.txt").exists(),
        "a report was written"
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(run.code, 2, "{}", run.stderr);
    run
}

#[test]
fn truncated_json() {
    let full = std::fs::read(root().join(fixture("clean"))).unwrap();
    let run = bad(&full[..full.len() / 2]);
    assert!(run.stderr.contains("plan.json:"), "{}", run.stderr);
    assert!(run.stderr.contains("EOF while parsing"), "{}", run.stderr);
    assert!(
        run.stderr.contains("terraform show -json"),
        "{}",
        run.stderr
    );
}

#[test]
fn syntax_error_is_located() {
    let run = bad(b"{\n  \"format_version\": \"1.2\",\n  \"resource_changes\": [,]\n}\n");
    assert!(run.stderr.contains("plan.json:3:24"), "{}", run.stderr);
}

#[test]
fn another_format_major() {
    let run = bad(&std::fs::read(root().join(fixture("format-2"))).unwrap());
    assert!(
        run.stderr
            .contains("plan format version `2.0` is not supported"),
        "{}",
        run.stderr
    );
}

#[test]
fn empty_file() {
    let run = bad(b"");
    assert!(run.stderr.contains("the plan is empty"), "{}", run.stderr);
    let run = bad(b"  \n");
    assert!(run.stderr.contains("the plan is empty"), "{}", run.stderr);
}

#[test]
fn not_a_plan() {
    let run = bad(b"[1, 2, 3]");
    assert!(
        run.stderr.contains("not a Terraform plan"),
        "{}",
        run.stderr
    );
    let run = bad(br#"{"version": 4, "resources": []}"#);
    assert!(
        run.stderr
            .contains("neither `resource_changes` nor `planned_values`"),
        "{}",
        run.stderr
    );
    let run = bad(br#"{"format_version": "1.2", "resource_changes": [{"type": 3}]}"#);
    assert!(run.stderr.contains("plan.json:1:"), "{}", run.stderr);
}

#[test]
fn missing_plan_file() {
    let run = drift(&["check", "--plan", "does-not-exist.json"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("cannot read the plan `does-not-exist.json`"),
        "{}",
        run.stderr
    );
}

#[test]
fn typo_in_the_baseline_is_located() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("baseline.yaml"),
        "version: 1\nuser:\n  alice: {}\n",
    )
    .unwrap();
    let plan = root().join(fixture("clean"));
    let run = drift_in(
        dir.path(),
        &["check", "--plan", plan.to_str().unwrap()],
        None,
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("[baseline.yaml:2:1]") && run.stderr.contains("did you mean `users`?"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn usage_errors_are_exit_2() {
    assert_eq!(drift(&["check", "--format", "xml"]).code, 2);
    assert_eq!(drift(&["check", "--fail-on", "urgent"]).code, 2);
    let run = drift(&["check"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--plan"), "{}", run.stderr);
}
