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
    let dir = narrowed_notes_baseline();
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
    // The time of the run, wherever the page shows it.
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    let at = report["generated_at"].as_str().unwrap();
    let html = html
        .replace(at, "[generated_at]")
        .replace(&at[..10], "[date]");
    insta::assert_snapshot!("html_weaken", html);
}

/// A plan whose for_each key, names and values carry newlines, terminal escapes,
/// workflow commands and markup, added to a copy of each plan.
fn hostile(plan: &mut serde_json::Value) {
    let key = "a\n::warning file=x,line=1::forged\u{1b}[2J";
    let name = "::error::forged-user";
    push(
        plan,
        create(
            Some("module.m"),
            "aws_iam_user",
            "this",
            Some(serde_json::json!(key)),
            serde_json::json!({"name": name, "path": "/\n::notice::x/", "tags": {"k": "\u{1b}[31mred ```` @org/admins [click](https://evil.example) <script>"}}),
            serde_json::json!({"arn": true, "id": true, "unique_id": true}),
        ),
    );
}

#[test]
fn no_forged_lines_in_any_format() {
    for (name, mut plan) in plan_bases() {
        hostile(&mut plan);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("baseline.yaml"),
            "version: 1\nusers:\n  \"::error::forged-user\": { path: /, tags: { k: v } }\n",
        )
        .unwrap();
        let path = write_json(dir.path(), "plan.json", &plan);
        for format in ["human", "github", "markdown"] {
            let run = drift_in(
                dir.path(),
                &[
                    "check",
                    "--plan",
                    path.to_str().unwrap(),
                    "--format",
                    format,
                ],
                None,
            );
            assert_eq!(run.code, 1, "{name} {format}: {}", run.stderr);
            let out = &run.stdout;
            assert!(!out.contains('\u{1b}'), "{name} {format}: raw escape");
            match format {
                "github" => {
                    let findings = out.lines().count();
                    assert!(findings >= 2, "{name}");
                    assert!(
                        out.lines().all(|l| l.starts_with("::error ")
                            || l.starts_with("::warning ")
                            || l.starts_with("::notice ")),
                        "{name}: {out}"
                    );
                }
                "markdown" => {
                    // Code spans show their text as it is; outside them, no
                    // HTML, link or mention may come from the input.
                    let prose = outside_code_spans(out);
                    assert!(
                        !prose.contains("<script>") && !prose.contains("](https://evil"),
                        "{name}: {prose}"
                    );
                    assert!(!prose.contains("@org/admins"), "{name}: a mention");
                    assert!(prose.contains("forged-user"), "{name}: the name is shown");
                }
                _ => {
                    assert!(!out.lines().any(|l| l.starts_with("::")), "{name}: {out}");
                }
            }
        }
    }
}

#[cfg(unix)]
#[test]
fn a_replaced_file_keeps_its_mode_and_other_files_are_written_in_place() {
    use std::os::unix::fs::{FileTypeExt, PermissionsExt};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    std::fs::write(&out, "old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o600)).unwrap();
    let args = |o: &std::path::Path| {
        vec![
            "check".to_string(),
            "--plan".into(),
            fixture("clean"),
            "--format".into(),
            "json".into(),
            "--output".into(),
            o.to_str().unwrap().to_string(),
        ]
    };
    let a = args(&out);
    let run = drift(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let meta = std::fs::metadata(&out).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("\"version\": 1"));
    // A FIFO stays a FIFO: it is written in place, not replaced.
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.map(|s| s.success()).unwrap_or(false) {
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        let a = args(&fifo);
        let run = drift(&a.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(reader.join().unwrap().contains("\"version\": 1"));
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    }
    // Nothing is left beside the targets.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains(".tmp")), "{names:?}");
}

#[cfg(unix)]
#[test]
fn a_planted_symlink_beside_the_target_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    // Links at every name the old writer would have used, for many process ids.
    let out = dir.path().join("report.txt");
    for pid in 1..2000u32 {
        let _ = std::os::unix::fs::symlink(
            &victim,
            dir.path().join(format!(".report.txt.drift-{pid}.tmp")),
        );
    }
    let run = drift(&[
        "check",
        "--plan",
        &fixture("clean"),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    assert!(std::fs::symlink_metadata(&out).unwrap().is_file());
}

#[test]
fn concurrent_reports_into_one_folder_never_mix() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let plans = [fixture("clean"), fixture("weaken-password-policy")];
    for _ in 0..10 {
        let children: Vec<_> = plans
            .iter()
            .map(|plan| {
                std::process::Command::new(env!("CARGO_BIN_EXE_drift"))
                    .args(["report", "--plan", plan, "--out", out.to_str().unwrap()])
                    .current_dir(root())
                    .env("NO_COLOR", "1")
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for mut c in children {
            c.wait().unwrap();
        }
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap())
                .unwrap();
        let plan = json["sources"][0]["path"].as_str().unwrap().to_string();
        let md = std::fs::read_to_string(out.join("report.md")).unwrap();
        let html = std::fs::read_to_string(out.join("report.html")).unwrap();
        let clean = plan.ends_with("clean.json");
        assert_eq!(
            md.contains("No drift"),
            clean,
            "report.md from another run than report.json"
        );
        assert!(
            html.contains(&plan),
            "report.html from another run than report.json"
        );
    }
}

#[test]
fn human_output_gives_the_fix_once_per_rule_at_the_end() {
    let run = drift(&["check", "--plan", &fixture("weaken-password-policy")]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout.matches("password-policy-weakened").count(),
        3,
        "{}",
        run.stdout
    );
    assert_eq!(
        run.stdout.matches("terraform: ").count(),
        1,
        "{}",
        run.stdout
    );
    let fix = run.stdout.find("How to fix").unwrap();
    let last_finding = run.stdout.rfind("    baseline: ").unwrap();
    assert!(fix > last_finding, "the fixes come after the findings");
    // Severities line up.
    assert!(run.stdout.contains("  high      password-policy-weakened"));
}

/// The human output of a plan's findings, at a terminal's width.
fn human_at(plan: &str, width: Option<usize>) -> String {
    use iam_drift_guard::render::{self, Format, Report};
    let text = std::fs::read_to_string(root().join("baseline.yaml")).unwrap();
    let baseline = iam_drift_guard::baseline::parse("baseline.yaml", &text).unwrap();
    let bytes = std::fs::read(root().join(fixture(plan))).unwrap();
    let plan = iam_drift_guard::sources::terraform::read(&bytes).unwrap();
    let info = plan.info.clone();
    let part = plan.into_parts().remove(0);
    let observation = part.into_observation(&info, "plan.json");
    let outcome = iam_drift_guard::check::judge(&baseline, &observation);
    let sources = [observation.info.clone()];
    let report = Report {
        out_of_scope: outcome.out_of_scope,
        ..Report::of(&sources, &outcome.findings)
    };
    render::render(
        Format::Human {
            color: false,
            width,
        },
        &report,
    )
}

#[test]
fn human_output_wraps_at_the_terminal_width_with_hanging_indents() {
    for plan in [
        "weaken-password-policy",
        "delete-instance-profile",
        "secrets",
    ] {
        let flat = human_at(plan, None);
        for width in [80, 120] {
            let text = human_at(plan, Some(width));
            // Only whole words move: the same words in the same order.
            let words = |t: &str| t.split_whitespace().map(str::to_string).collect::<Vec<_>>();
            assert_eq!(words(&text), words(&flat), "{plan} at {width}");
            for line in text.lines() {
                let n = line.chars().count();
                // A line is longer only when one word does not fit.
                let longest = line
                    .split(' ')
                    .map(|w| w.chars().count())
                    .max()
                    .unwrap_or(0);
                assert!(
                    n <= width || longest > width / 2,
                    "{plan} at {width}: {line:?}"
                );
            }
            // A continued line is indented under its field, never at column 0.
            for pair in text.lines().collect::<Vec<_>>().windows(2) {
                if pair[0].starts_with("    expected: ") && !pair[1].starts_with("    ") {
                    panic!("{plan} at {width}: {pair:?}");
                }
            }
        }
    }
    let narrow = human_at("weaken-password-policy", Some(80));
    insta::assert_snapshot!("human_weaken_80_columns", narrow);
    assert!(narrow.lines().count() > human_at("weaken-password-policy", None).lines().count());
}

#[test]
fn witnesses_are_structured_in_json_and_sarif() {
    // The baseline allows `s3:ListBucket`, the plan `s3:GetObject`: widened
    // and narrowed, each side shown by a request checked against both.
    let dir = narrowed_notes_baseline();
    let plan = root().join(fixture("clean"));
    let plan = plan.to_str().unwrap();
    let run = drift_in(
        dir.path(),
        &["check", "--plan", plan, "--format", "json"],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    let widened = findings
        .iter()
        .find(|f| f["rule"] == "user-policy-widened")
        .expect("a widened finding");
    let w = widened["witnesses"].as_array().unwrap();
    let allowed: Vec<_> = w.iter().filter(|w| w["change"] == "allowed").collect();
    let dropped: Vec<_> = w
        .iter()
        .filter(|w| w["change"] == "no-longer-allowed")
        .collect();
    assert_eq!(allowed.len(), 1, "{w:#?}");
    assert_eq!(dropped.len(), 1, "{w:#?}");
    assert_eq!(allowed[0]["action"], "s3:GetObject");
    assert_eq!(allowed[0]["request"]["action"], "s3:GetObject");
    let resource = allowed[0]["request"]["resource"].as_str().unwrap();
    assert!(
        resource.starts_with("arn:aws:s3:::acme-notes/"),
        "{resource}"
    );
    assert_eq!(allowed[0]["statement"]["index"], 0);
    assert_eq!(dropped[0]["request"]["action"], "s3:ListBucket");
    // Every other finding carries an empty list, not a missing field.
    for f in findings {
        assert!(f["witnesses"].is_array(), "{f:#}");
    }
    let run = drift_in(
        dir.path(),
        &["check", "--plan", plan, "--format", "sarif"],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let result = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "user-policy-widened")
        .unwrap();
    let w = result["properties"]["witnesses"].as_array().unwrap();
    assert_eq!(w.len(), 2, "{w:#?}");
    assert_eq!(w[0]["request"]["action"], "s3:GetObject");
    // Human and markdown name the same requests in the message.
    for format in ["human", "markdown"] {
        let run = drift_in(
            dir.path(),
            &["check", "--plan", plan, "--format", format],
            None,
        );
        assert!(
            run.stdout.contains("newly allows") && run.stdout.contains("s3:GetObject"),
            "{format}: {}",
            run.stdout
        );
    }
}

/// `--also FORMAT=FILE` writes the same judged run in more formats; a run
/// that cannot finish writes none of them.
#[test]
fn also_writes_the_same_run_in_more_formats() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("r.json");
    let md = dir.path().join("r.md");
    let run = drift(&[
        "check",
        "--plan",
        &fixture("weaken-password-policy"),
        "--format",
        "sarif",
        "--also",
        &format!("json={}", json.display()),
        "--also",
        &format!("markdown={}", md.display()),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let sarif: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"].as_array().unwrap().len(),
        report["findings"].as_array().unwrap().len()
    );
    assert!(std::fs::read_to_string(&md)
        .unwrap()
        .contains("password-policy-weakened"));

    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{ truncated").unwrap();
    let (j2, m2) = (dir.path().join("j2.json"), dir.path().join("m2.md"));
    let run = drift(&[
        "check",
        "--plan",
        bad.to_str().unwrap(),
        "--also",
        &format!("json={}", j2.display()),
        "--also",
        &format!("markdown={}", m2.display()),
    ]);
    assert_eq!(run.code, 2);
    assert!(
        !j2.exists() && !m2.exists(),
        "nothing written from a failed run"
    );

    let usage = drift(&["check", "--plan", &fixture("clean"), "--also", "yaml=x"]);
    assert_eq!(usage.code, 2);
    assert!(usage.stderr.contains("is not a format"), "{}", usage.stderr);
}
