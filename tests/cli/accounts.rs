//! `--accounts`, `--org` and `--merge` before any account is read: every
//! mistake of the run's own inputs is exit 2 with what and where, and never a
//! run over fewer accounts than asked.

use crate::common::*;
use std::path::Path;

/// drift in `dir` with static dummy credentials (nothing is called before
/// these errors) and no AWS configuration of the machine.
fn run(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_drift"));
    cmd.args(args).current_dir(dir);
    for (key, _) in std::env::vars() {
        if key.starts_with("AWS_") || key.starts_with("GITHUB_") || key == "CI" {
            cmd.env_remove(key);
        }
    }
    let out = cmd
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", dir.join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("none"))
        .env("NO_COLOR", "1")
        // Nothing may be called: an endpoint that refuses every connection.
        .args(["--endpoint-url", "http://127.0.0.1:9"])
        .output()
        .unwrap();
    Run::of(&out)
}

/// `drift check --accounts accounts.yaml --baseline base.yaml` and `extra`.
fn check(dir: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        "check",
        "--accounts",
        "accounts.yaml",
        "--baseline",
        "base.yaml",
    ];
    args.extend_from_slice(extra);
    run(dir, &args)
}

fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

const ONE: &str = "version: 1\naccounts:\n  - id: \"111122223333\"\n    baseline: prod.yaml\n";

#[test]
fn an_accounts_file_with_errors_is_exit_2_with_every_error_located() {
    let dir = folder(&[
        ("base.yaml", "version: 1\n"),
        (
            "accounts.yaml",
            "version: 1\naccounts:\n  - id: \"1234\"\n  - id: \"111122223333\"\n    rol_name: x\n",
        ),
    ]);
    let r = check(dir.path(), &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("accounts.yaml:3:9"), "{}", r.stderr);
    assert!(
        r.stderr.contains("not a 12-digit account id"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("unknown key `rol_name`"), "{}", r.stderr);
    assert!(
        r.stderr.contains("did you mean `role_name`?"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
}

#[test]
fn a_shared_baseline_that_names_one_account_is_refused() {
    let dir = folder(&[
        (
            "base.yaml",
            "version: 1\naccount:\n  id: \"111122223333\"\n",
        ),
        ("prod.yaml", "version: 1\n"),
        ("accounts.yaml", ONE),
    ]);
    let r = check(dir.path(), &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("base.yaml:3:7: the shared baseline declares `account.id: 111122223333`"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_accounts_own_baseline_that_repeats_the_shared_one_or_names_another_account_is_refused() {
    let shared = "version: 1\npassword_policy:\n  minimum_password_length: 14\n";
    let dir = folder(&[
        ("base.yaml", shared),
        (
            "prod.yaml",
            "version: 1\npassword_policy:\n  minimum_password_length: 8\n",
        ),
        ("accounts.yaml", ONE),
    ]);
    let r = check(dir.path(), &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "`password_policy` is declared here and in the shared baseline (base.yaml:2)"
        ),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("prod.yaml"), "{}", r.stderr);
    let dir = folder(&[
        ("base.yaml", shared),
        (
            "prod.yaml",
            "version: 1\naccount:\n  id: \"999988887777\"\n",
        ),
        ("accounts.yaml", ONE),
    ]);
    let r = check(dir.path(), &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("this baseline is account 999988887777's, but the accounts file gives it to account 111122223333"), "{}", r.stderr);
}

#[test]
fn a_run_left_with_no_account_is_exit_2_not_a_clean_result() {
    let dir = folder(&[
        ("base.yaml", "version: 1\n"),
        ("prod.yaml", "version: 1\n"),
        ("accounts.yaml", ONE),
    ]);
    let r = check(dir.path(), &["--exclude-account", "111122223333"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("no account is left to read"),
        "{}",
        r.stderr
    );
    let r = check(dir.path(), &["--include-account", "444455556666"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("`--include-account 444455556666` names no account of the run"),
        "{}",
        r.stderr
    );
    let r = run(
        dir.path(),
        &["check", "--accounts", "accounts.yaml", "--shard", "3/2"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("K must be from 1 to N"), "{}", r.stderr);
}

#[test]
fn init_over_several_accounts_needs_an_output_and_a_file_per_account() {
    let dir = folder(&[(
        "accounts.yaml",
        "version: 1\naccounts:\n  - id: \"111122223333\"\n  - id: \"444455556666\"\n    baseline: b.yaml\n",
    )]);
    let r = run(dir.path(), &["init", "--accounts", "accounts.yaml"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("give `--output shared.yaml`"),
        "{}",
        r.stderr
    );
    let r = run(
        dir.path(),
        &[
            "init",
            "--accounts",
            "accounts.yaml",
            "--output",
            "shared.yaml",
        ],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("these accounts have none: 111122223333 (line 3)"),
        "{}",
        r.stderr
    );
    assert!(!dir.path().join("shared.yaml").exists());
}

#[test]
fn merge_takes_only_the_reports_of_shards() {
    let dir = folder(&[]);
    // A report of one plan, not of a run over several accounts.
    let single = drift(&[
        "report",
        "--plan",
        &fixture("weaken-password-policy"),
        "--out",
        dir.path().join("plan").to_str().unwrap(),
    ]);
    assert_eq!(single.code, 1, "{}", single.stderr);
    let r = run(
        dir.path(),
        &["report", "--merge", "plan", "--out", "merged"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("plan/report.json` cannot be merged: it is not the report of a run over several accounts"), "{}", r.stderr);
    assert!(!dir.path().join("merged").exists());
    let r = run(
        dir.path(),
        &[
            "report", "--merge", "plan", "--plan", "x.json", "--out", "merged",
        ],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("`--merge` joins reports already made"),
        "{}",
        r.stderr
    );
    let r = run(
        dir.path(),
        &["report", "--merge", "missing", "--out", "merged"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("missing/report.json"), "{}", r.stderr);
}
