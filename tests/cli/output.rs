//! Snapshots of every output format on the same plan, and `--output`.

use crate::common::*;

#[test]
fn human_output() {
    let run = drift(&["check", "--plan", &fixture("weaken-password-policy")]);
    assert_eq!(run.code, 1);
    assert!(
        !run.stdout.contains('\x1b'),
        "no color when NO_COLOR is set"
    );
    insta::assert_snapshot!("human_weaken", run.stdout);
    let run = drift(&["check", "--plan", &fixture("delete-password-policy")]);
    insta::assert_snapshot!("human_delete", run.stdout);
}

#[test]
fn json_output() {
    let run = drift(&[
        "check",
        "--plan",
        &fixture("weaken-password-policy"),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!("json_weaken", run.stdout);
}

#[test]
fn human_output_of_documents_shows_a_diff() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("baseline.yaml"))
        .unwrap()
        .replace("s3:GetObject", "s3:ListBucket");
    std::fs::write(dir.path().join("baseline.yaml"), text).unwrap();
    let plan = root().join(fixture("clean"));
    let run = drift_in(
        dir.path(),
        &["check", "--plan", plan.to_str().unwrap()],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let out = run.stdout.replace(plan.to_str().unwrap(), "PLAN");
    insta::assert_snapshot!("human_document_diff", out);
}

#[test]
fn output_file_is_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    let run = drift(&[
        "check",
        "--plan",
        &fixture("clean"),
        "--format",
        "json",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.is_empty());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["complete"], true);
    assert_eq!(v["sources"][0]["terraform_version"], "1.9.5");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");
}

#[test]
fn html_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let run = drift(&[
        "report",
        "--plan",
        &fixture("weaken-password-policy"),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    insta::assert_snapshot!("html_weaken", html);
}
