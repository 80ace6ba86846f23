//! Bad input: exit 2 with a located message, never a panic, nothing written.

use crate::common::*;

fn bad(content: &[u8]) -> Run {
    let dir = example_baseline_dir();
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

/// Every string value of at least 12 characters in a plan (not object keys).
fn long_strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) if s.chars().count() >= 12 => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|i| long_strings(i, out)),
        serde_json::Value::Object(map) => map.values().for_each(|i| long_strings(i, out)),
        _ => {}
    }
}

#[test]
fn a_truncated_one_line_plan_quotes_no_value() {
    let mut bases = plan_bases();
    let secrets: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join(fixture("secrets"))).unwrap())
            .unwrap();
    bases.push(("secrets".into(), secrets));
    for (name, plan) in bases {
        // `terraform show -json` writes one line.
        let line = serde_json::to_string(&plan).unwrap();
        let mut values = Vec::new();
        long_strings(&plan, &mut values);
        for tenth in [1, 3, 5, 7, 9] {
            let cut = line.len() * tenth / 10;
            let cut = (cut..line.len())
                .find(|i| line.is_char_boundary(*i))
                .unwrap();
            let run = bad(&line.as_bytes()[..cut]);
            assert!(
                run.stderr.contains("plan.json:1:"),
                "{name}: {}",
                run.stderr
            );
            assert!(
                run.stderr.len() < 1500,
                "{name}: {} bytes of error",
                run.stderr.len()
            );
            for v in &values {
                assert!(
                    !run.stderr.contains(v.as_str()),
                    "{name} at {tenth}/10 prints `{v}`"
                );
            }
        }
    }
}

#[test]
fn an_error_past_column_65535_is_located_without_a_panic() {
    let plan = std::fs::read_to_string(root().join(fixture("clean"))).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&plan).unwrap();
    v["padding"] = serde_json::json!("x".repeat(200_000));
    let line = serde_json::to_string(&v).unwrap();
    let run = bad(&line.as_bytes()[..line.len() - 10]);
    assert!(run.stderr.contains("EOF while parsing"), "{}", run.stderr);
    assert!(run.stderr.len() < 1500);
}

#[test]
fn setup_terraform_wrapper_output_names_the_fix() {
    for (name, plan) in plan_bases() {
        let json = serde_json::to_string(&plan).unwrap();
        for wrapped in [
            format!("[command]/home/runner/work/_temp/abc/terraform-bin show -json plan.out\n{json}\n::debug::Terraform exited with code 0.\n::debug::stdout: {json}\n::debug::stderr: \n::debug::exitcode: 0\n"),
            format!("{json}\n::debug::Terraform exited with code 0.\n"),
        ] {
            let run = bad(wrapped.as_bytes());
            assert!(run.stderr.contains("terraform_wrapper: false"), "{name}: {}", run.stderr);
            assert!(run.stderr.len() < 1000, "{name}");
        }
    }
}

/// A plan or state is read while the baseline is, and a run with both wrong
/// says what it said when they were read one after the other: the
/// baseline's error, and only it.
#[test]
fn a_wrong_baseline_is_said_before_a_wrong_plan() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("baseline.yaml"),
        "version: 1\nuser:\n  alice: {}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("plan.json"), "{\"resource_changes\": [").unwrap();
    for source in ["--plan", "--state"] {
        let run = drift_in(dir.path(), &["check", source, "plan.json"], None);
        assert_eq!(run.code, 2, "{source}: {}", run.stderr);
        assert!(
            run.stderr.contains("did you mean `users`?"),
            "{source}: {}",
            run.stderr
        );
        assert!(
            !run.stderr.contains("plan.json"),
            "{source}: {}",
            run.stderr
        );
    }
    // With a good baseline, the plan's own error.
    let good = example_baseline_dir();
    std::fs::copy(dir.path().join("plan.json"), good.path().join("plan.json")).unwrap();
    let run = drift_in(good.path(), &["check", "--plan", "plan.json"], None);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("plan.json:1:"), "{}", run.stderr);
}

/// A plan on standard input or in a pipe is read in its turn: a run whose
/// baseline is wrong ends without waiting for it (standard input is left
/// open here, and the pipe has no writer).
#[test]
fn a_wrong_baseline_does_not_wait_for_a_plan_on_stdin() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("baseline.yaml"), "version: 1\nuser: {}\n").unwrap();
    ends_without_the_plan(dir.path(), "-");
    let fifo = dir.path().join("plan.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    ends_without_the_plan(dir.path(), fifo.to_str().unwrap());
}

fn ends_without_the_plan(dir: &std::path::Path, plan: &str) {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_drift"))
        .args(["check", "--plan", plan])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = child.stdin.take();
    // A guard against a hang, not a measure of time: the child is killed
    // only if it has not ended after a minute, and then the test fails.
    let pid = child.id();
    let (done_tx, done_rx) = std::sync::mpsc::channel::<()>();
    let guard = std::thread::spawn(move || {
        if done_rx
            .recv_timeout(std::time::Duration::from_secs(60))
            .is_err()
        {
            let _ = Command::new("kill").arg(pid.to_string()).status();
        }
    });
    let out = child.wait_with_output().unwrap();
    let _ = done_tx.send(());
    guard.join().unwrap();
    drop(stdin);
    let run = Run::of(&out);
    assert_eq!(run.code, 2, "{plan}: {}", run.stderr);
    assert!(
        run.stderr.contains("did you mean `users`?"),
        "{plan}: {}",
        run.stderr
    );
}
