//! `drift report`: report.json, report.md, report.html and history.json, and the trend against
//! the previous run.

use crate::common::*;
use std::path::Path;

fn report(out: &Path, plan: &str, previous: Option<&Path>) -> Run {
    let mut args = vec!["report", "--plan", plan, "--out", out.to_str().unwrap()];
    if let Some(p) = previous {
        args.extend(["--previous", p.to_str().unwrap()]);
    }
    drift(&args)
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn writes_three_files() {
    let dir = tempfile::tempdir().unwrap();
    let run = report(dir.path(), &fixture("weaken-password-policy"), None);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let v = json(&dir.path().join("report.json"));
    assert_eq!(v["version"], 1);
    assert_eq!(v["summary"]["high"], 2);
    assert!(v.get("trend").is_none());
    assert_eq!(v["findings"][0]["fingerprint"].as_str().unwrap().len(), 16);
    let md = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    assert!(md.contains("password-policy-weakened"));
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    // Self-contained: nothing loaded from elsewhere.
    for needle in ["src=\"http", "href=\"http", "<link", "@import", "url("] {
        assert!(!html.contains(needle), "{needle}");
    }
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        vec!["history.json", "report.html", "report.json", "report.md"]
    );
}

#[test]
fn previous_run_gives_new_persisting_and_resolved() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first");
    assert_eq!(
        report(&first, &fixture("weaken-password-policy"), None).code,
        1
    );
    // The previous run, edited by hand: it had the length finding (still there),
    // not the reuse finding (new now), and an SSH key finding (resolved now).
    let mut prev = json(&first.join("report.json"));
    let findings = prev["findings"].as_array_mut().unwrap();
    findings.retain(|f| f["field"] == "minimum_password_length");
    findings.push(serde_json::json!({
        "fingerprint": "00112233445566ff", "rule": "ssh-key-removed", "severity": "medium",
        "resource": "user/deploy/ssh-key/APKAOLD", "field": null, "message": "SSH key `APKAOLD` of user `deploy` is deleted"
    }));
    let prev_path = dir.path().join("previous.json");
    std::fs::write(&prev_path, prev.to_string()).unwrap();

    let second = dir.path().join("second");
    let run = report(
        &second,
        &fixture("weaken-password-policy"),
        Some(&prev_path),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let v = json(&second.join("report.json"));
    assert_eq!(v["trend"]["new"], 1);
    assert_eq!(v["trend"]["persisting"], 1);
    assert_eq!(v["trend"]["resolved"], 1);
    assert_eq!(
        v["trend"]["resolved_findings"][0]["resource"],
        "user/deploy/ssh-key/APKAOLD"
    );
    let status: Vec<(&str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), f["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        status,
        vec![
            ("minimum_password_length", "persisting"),
            ("password_reuse_prevention", "new")
        ]
    );
    let md = std::fs::read_to_string(second.join("report.md")).unwrap();
    assert!(
        md.contains("Since the last run: **1** new, **1** persisting, **1** resolved."),
        "{md}"
    );
    let html = std::fs::read_to_string(second.join("report.html")).unwrap();
    assert!(html.contains("<b class=\"new\">1</b> new, <b>1</b> persisting, <b>1</b> resolved"));
    assert!(html.contains("APKAOLD"));

    // The same run again: everything persists, nothing is resolved.
    let third = dir.path().join("third");
    assert_eq!(
        report(
            &third,
            &fixture("weaken-password-policy"),
            Some(&second.join("report.json"))
        )
        .code,
        1
    );
    let v = json(&third.join("report.json"));
    assert_eq!(
        (
            v["trend"]["new"].as_u64(),
            v["trend"]["persisting"].as_u64(),
            v["trend"]["resolved"].as_u64()
        ),
        (Some(0), Some(2), Some(0))
    );
}

#[test]
fn a_bad_previous_report_is_exit_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let prev = dir.path().join("prev.json");
    std::fs::write(&prev, "{\"version\": 7, \"findings\": []}").unwrap();
    let out = dir.path().join("out");
    let run = report(&out, &fixture("clean"), Some(&prev));
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("is not a drift JSON report"),
        "{}",
        run.stderr
    );
    assert!(!out.exists());
}

#[test]
fn a_previous_report_is_read_within_a_bound() {
    let dir = tempfile::tempdir().unwrap();
    let previous = dir.path().join("huge.json");
    let f = std::fs::File::create(&previous).unwrap();
    f.set_len(300 * 1024 * 1024).unwrap();
    let run = drift(&[
        "report",
        "--plan",
        &fixture("clean"),
        "--out",
        dir.path().join("out").to_str().unwrap(),
        "--previous",
        previous.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("larger than 256 MiB"), "{}", run.stderr);
    assert!(!dir.path().join("out").exists(), "nothing written");
}

#[test]
fn report_says_what_it_wrote_and_the_verdict_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = drift(&[
        "report",
        "--plan",
        &fixture("weaken-password-policy"),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    assert!(
        run.stdout.contains("2 findings, 2 at or above medium"),
        "{}",
        run.stdout
    );
}
