use crate::common::*;

#[test]
fn the_example_baseline_validates() {
    let run = drift(&["validate"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("baseline.yaml: valid baseline (3 users"),
        "{}",
        run.stdout
    );
}

#[test]
fn every_error_at_once_with_file_line_column_and_hint() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("b.yaml"),
        "version: 1\npassword_policy:\n  minimum_pasword_length: 14\n  max_password_age: 0\n",
    )
    .unwrap();
    let run = drift_in(dir.path(), &["validate", "b.yaml"], None);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    let e = &run.stderr;
    assert!(
        e.contains("`b.yaml` is not a valid baseline: 2 errors"),
        "{e}"
    );
    assert!(
        e.contains("unknown key `minimum_pasword_length` in `password_policy`"),
        "{e}"
    );
    assert!(e.contains("[b.yaml:3:3]"), "{e}");
    assert!(e.contains("did you mean `minimum_password_length`?"), "{e}");
    assert!(e.contains("[b.yaml:4:21]"), "{e}");
    assert!(!e.contains("panicked"), "{e}");
}

#[test]
fn a_missing_baseline_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let run = drift_in(dir.path(), &["check", "--plan", "x.json"], None);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("cannot read the baseline `baseline.yaml`"),
        "{}",
        run.stderr
    );
}

#[test]
fn schema_is_json() {
    let run = drift(&["schema"]);
    assert_eq!(run.code, 0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["properties"]["version"]["const"], 1);
}
