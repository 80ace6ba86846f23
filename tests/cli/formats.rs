//! SARIF, markdown and GitHub workflow commands: snapshots on the same findings,
//! SARIF validated against the official schema, the markdown length cap, and the
//! job summary.

use crate::common::*;
use iam_drift_guard::finding::{Finding, Loc, Origin, Severity};
use iam_drift_guard::identity::{Kind, ResourceId, RuleId};
use iam_drift_guard::observation::SourceInfo;
use iam_drift_guard::render::{markdown, Report};

fn plan() -> String {
    fixture("weaken-password-policy")
}

#[test]
fn sarif_snapshot_and_schema() {
    let run = drift(&[
        "check",
        "--plan",
        &fixture("delete-instance-profile"),
        "--format",
        "sarif",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // The log is one compact line; the snapshot shows it indented.
    assert_eq!(run.stdout.lines().count(), 1);
    let log: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let pretty = serde_json::to_string_pretty(&log).unwrap() + "\n";
    insta::assert_snapshot!("sarif_delete_instance_profile", pretty);
    let log: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let result = &log["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "instance-profile-removed");
    assert_eq!(result["level"], "error");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        68
    );
    assert_eq!(
        result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "module.compute.aws_iam_instance_profile.this[\"app\"]"
    );
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), iam_drift_guard::rules::all().count());
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "instance-profile-removed");

    let Some(schema_path) = shared_plans().map(|p| p.join("../sarif/sarif-schema-2.1.0.json"))
    else {
        return;
    };
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    // This copy keeps the log itself under `definitions.Root`.
    assert!(schema["definitions"]["Root"].is_object());
    let mut schema = schema;
    schema["$ref"] = serde_json::json!("#/definitions/Root");
    let dir = tempfile::tempdir().unwrap();
    let schema_file = write_json(dir.path(), "schema.json", &schema);
    let mut logs = Vec::new();
    for fixture_name in [
        "delete-instance-profile",
        "resource-drift",
        "secrets",
        "clean",
        "replace-role",
    ] {
        let run = drift(&[
            "check",
            "--plan",
            &fixture(fixture_name),
            "--format",
            "sarif",
            "--fail-on",
            "info",
        ]);
        let log: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        logs.push(write_json(
            dir.path(),
            &format!("{fixture_name}.sarif"),
            &log,
        ));
    }
    let (ok, errors) = validate(&schema_file, &logs);
    assert!(ok, "{errors}");
    // The validation does catch a broken log.
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&logs[0]).unwrap()).unwrap();
    let mut version = log.clone();
    version["version"] = serde_json::json!("2.0.0");
    let mut level = log;
    level["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    let broken = [
        write_json(dir.path(), "version.sarif", &version),
        write_json(dir.path(), "level.sarif", &level),
    ];
    let (ok, errors) = validate(&schema_file, &broken);
    assert!(!ok);
    assert!(errors.contains("version.sarif: '2.0.0'"), "{errors}");
    assert!(errors.contains("level.sarif: 'fatal'"), "{errors}");
}

/// JSON Schema validation by Python's `jsonschema` (a dependency of
/// moto[server], which the live tests need): whether every file is valid,
/// and the errors.
fn validate(schema: &std::path::Path, files: &[std::path::PathBuf]) -> (bool, String) {
    let out = std::process::Command::new("python3")
        .arg(root().join("tests/fixtures/validate_json.py"))
        .arg(schema)
        .args(files)
        .output()
        .expect("python3 runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("ModuleNotFoundError"),
        "Python's jsonschema is missing (pip install 'moto[server]' brings it): {stderr}"
    );
    (
        out.status.success(),
        format!("{}{stderr}", String::from_utf8_lossy(&out.stdout)),
    )
}

#[test]
fn fingerprints_are_stable_across_runs_and_values() {
    let a = drift(&[
        "check",
        "--plan",
        &fixture("weaken-password-policy"),
        "--format",
        "sarif",
    ]);
    let b = drift(&["check", "--plan", &fixture("stricter"), "--format", "sarif"]);
    let fp = |out: &str, field: &str| -> String {
        let log: serde_json::Value = serde_json::from_str(out).unwrap();
        log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["properties"]["field"] == field)
            .map(|r| {
                r["partialFingerprints"]["driftFinding/v1"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .unwrap()
    };
    let weak = fp(&a.stdout, "minimum_password_length");
    assert_eq!(weak.len(), 16);
    assert_eq!(
        weak,
        fp(
            &drift(&[
                "check",
                "--plan",
                &fixture("weaken-password-policy"),
                "--format",
                "sarif"
            ])
            .stdout,
            "minimum_password_length"
        )
    );
    // Another rule on the same field is another finding.
    assert_ne!(weak, fp(&b.stdout, "minimum_password_length"));
    assert_ne!(weak, fp(&a.stdout, "password_reuse_prevention"));
}

#[test]
fn markdown_snapshot() {
    let run = drift(&["check", "--plan", &plan(), "--format", "markdown"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!("markdown_weaken", run.stdout);
    let clean = drift(&["check", "--plan", &fixture("clean"), "--format", "markdown"]);
    assert!(clean.stdout.contains("**✅ No drift**"), "{}", clean.stdout);
}

#[test]
fn github_snapshot() {
    let run = drift(&["check", "--plan", &plan(), "--format", "github"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!("github_weaken", run.stdout);
    for line in run.stdout.lines() {
        assert!(
            line.starts_with("::error file=baseline.yaml,line="),
            "{line}"
        );
    }
}

fn finding(i: usize) -> Finding {
    Finding {
        rule: RuleId::USER_UNMANAGED,
        severity: if i.is_multiple_of(3) {
            Severity::High
        } else {
            Severity::Medium
        },
        resource: ResourceId::object(Kind::User, format!("svc-{i:05}")),
        field: Some("groups".into()),
        expected: serde_json::json!(["a".repeat(300)]),
        observed: serde_json::json!("x | <b>y</b>\nz"),
        source: Origin::plan(format!("module.m[\"{i}\"].aws_iam_user.this"), &["create"]),
        baseline_location: Some(Loc {
            line: 3,
            column: 5,
            offset: 0,
            len: 0,
            file: 0,
        }),
        message: format!("user `svc-{i:05}` is created but the baseline does not declare it"),
        help: "console: a\ncli: b\nterraform: c".into(),
        diff: None,
        witnesses: Vec::new(),
        path: None,
    }
}

fn plan_sources() -> [SourceInfo; 1] {
    [SourceInfo {
        kind: "plan",
        path: Some("plan.json".into()),
        terraform_version: None,
        format_version: None,
        credential_report: None,
        account: None,
    }]
}

fn report_of<'a>(sources: &'a [SourceInfo], findings: &'a [Finding]) -> Report<'a> {
    Report::of(sources, findings)
}

#[test]
fn markdown_stays_under_the_comment_limit() {
    let findings: Vec<Finding> = (0..5000).map(finding).collect();
    let sources = plan_sources();
    let report = report_of(&sources, &findings);
    let text = markdown::render(&report);
    assert!(
        text.len() <= markdown::GITHUB_COMMENT_LIMIT,
        "{} bytes",
        text.len()
    );
    assert!(
        text.len() > markdown::GITHUB_COMMENT_LIMIT - 5_000,
        "the room is used: {} bytes",
        text.len()
    );
    assert!(text.contains("**❌ 5000 findings at or above `medium`**"));
    assert!(text.contains("| 🟠 high | 1667 |"));
    let shown = text.matches("<details>").count() - 1; // one for the fixes
    assert!(
        text.contains(&format!(
            "_… {} more findings on {} more resources not shown",
            5000 - shown,
            5000 - shown
        )),
        "{}",
        &text[text.len() - 300..]
    );
    // Values are shortened and cannot break the table or inject HTML.
    assert!(!text.contains(&"a".repeat(201)));
    assert!(
        text.contains("observed: `x | <b>y</b> z`"),
        "HTML only inside a code span"
    );
    assert_eq!(
        text.matches("<b>y</b>").count(),
        text.matches("`x | <b>y</b> z`").count()
    );
    assert!(
        text.ends_with("</details>\n") && text.contains("### How to fix"),
        "the fixes close the comment"
    );
    // 100 findings fit whole.
    let report = Report {
        findings: &findings[..100],
        ..report
    };
    let text = markdown::render(&report);
    assert_eq!(text.matches("<details>").count(), 100 + 1);
    assert!(!text.contains("not shown"));
}

#[test]
fn job_summary_is_appended_in_github_actions() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_drift"))
        .args(["check", "--plan", &plan(), "--format", "json"])
        .current_dir(root())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(
        text.starts_with("earlier step\n<!-- drift-report -->"),
        "{text}"
    );
    assert!(text.contains("password-policy-weakened"));
    // Standard output is still the JSON report.
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["version"], 1);
}

#[test]
fn markdown_and_github_show_what_changed_in_a_document() {
    // The baseline lets bob read one bucket; the plan's document differs in
    // one action, and in 60 more statements far down the document.
    let dir = narrowed_notes_baseline();
    let plan = root().join(fixture("clean"));
    for format in ["markdown", "github"] {
        let run = drift_in(
            dir.path(),
            &[
                "check",
                "--plan",
                plan.to_str().unwrap(),
                "--format",
                format,
            ],
            None,
        );
        assert_eq!(run.code, 1, "{}", run.stderr);
        let out = run.stdout.replace("%0A", "\n");
        assert!(
            out.contains("-        \"s3:ListBucket\""),
            "{format}: {out}"
        );
        assert!(out.contains("+        \"s3:GetObject\""), "{format}: {out}");
    }
    // A long diff is bounded, and the rest is counted.
    let mut statements = String::new();
    for i in 0..60 {
        statements.push_str(&format!(
            "          - {{ Effect: Allow, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b{i}/*' }}\n"
        ));
    }
    let text = std::fs::read_to_string(root().join("baseline.yaml"))
        .unwrap()
        .replace(
            "            Resource: arn:aws:s3:::acme-notes/*\n",
            &format!("            Resource: arn:aws:s3:::acme-notes/*\n{statements}"),
        );
    std::fs::write(dir.path().join("baseline.yaml"), text).unwrap();
    let run = drift_in(
        dir.path(),
        &[
            "check",
            "--plan",
            plan.to_str().unwrap(),
            "--format",
            "markdown",
            "--fail-on",
            "low",
        ],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    // The plan's document lacks 60 of the baseline's statements: narrowed.
    assert!(
        run.stdout.contains("user-policy-narrowed"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("more lines"), "{}", run.stdout);
    assert!(run.stdout.lines().count() < 200);
}

#[test]
fn github_format_says_a_clean_run_is_clean() {
    let run = drift(&["check", "--plan", &fixture("clean"), "--format", "github"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stdout,
        "::notice title=drift::no drift from the baseline\n"
    );
}

#[test]
fn markdown_fixes_show_each_object_of_a_rule() {
    // Fixes name their object: the second user's fix is not the first one's.
    let findings: Vec<Finding> = (0..5)
        .map(|i| Finding {
            help: format!("console: a\ncli: aws iam delete-user --user-name svc-{i:05}"),
            ..finding(1)
        })
        .collect();
    let sources = plan_sources();
    let report = report_of(&sources, &findings);
    let text = markdown::render(&report);
    let fixes = &text[text.find("### How to fix").unwrap()..];
    assert_eq!(fixes.matches("<details>").count(), 1, "one rule: {fixes}");
    for i in 0..3 {
        assert!(
            fixes.contains(&format!("--user-name svc-{i:05}")),
            "{fixes}"
        );
    }
    assert!(!fixes.contains("svc-00003"), "{fixes}");
    assert!(fixes.contains("…and 2 more like these"), "{fixes}");
}

#[test]
fn a_code_span_is_fenced_longer_than_any_run_inside() {
    use iam_drift_guard::render::text::code_span;
    for (text, fence) in [
        ("plain", "`"),
        ("a`b", "``"),
        ("a`b``c", "```"),
        ("````<img src=x>", "`````"),
        ("x ``````` y ` z", "````````"),
    ] {
        let span = code_span(text, false);
        assert!(span.starts_with(fence) && span.ends_with(fence), "{span}");
        let inner = &span[fence.len()..span.len() - fence.len()];
        assert!(
            !inner.trim_matches(' ').starts_with('`') || inner.starts_with(' '),
            "{span}"
        );
        let longest = inner.split(|c| c != '`').map(str::len).max().unwrap_or(0);
        assert!(longest < fence.len(), "{span}");
        assert_eq!(inner.trim_matches(' '), text.trim_matches(' '));
    }
    // In a table cell a pipe cannot end the cell; a line break cannot end
    // the line.
    assert_eq!(code_span("a|b\nc", true), "`a\\|b\\nc`");
}

/// report.html is written a part at a time: the same page as made whole,
/// handed to the writer in bounded parts.
#[test]
fn the_html_page_streams_in_parts_and_is_the_same_page() {
    let findings: Vec<Finding> = (0..4000).map(finding).collect();
    let sources = plan_sources();
    let report = report_of(&sources, &findings);
    let whole = iam_drift_guard::render::html::render(&report);

    /// Records the size of every write.
    struct Parts(Vec<u8>, Vec<usize>);
    impl std::io::Write for Parts {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.extend_from_slice(buf);
            self.1.push(buf.len());
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut parts = Parts(Vec::new(), Vec::new());
    iam_drift_guard::render::html::write(&report, &mut parts).unwrap();
    assert_eq!(String::from_utf8(parts.0).unwrap(), whole);
    assert!(
        parts.1.len() > 2,
        "{} bytes in {} parts",
        whole.len(),
        parts.1.len()
    );
    assert!(
        parts.1.iter().all(|n| *n < 2 << 20),
        "no part near the page's size: {:?}",
        parts.1
    );
}

/// With `--terraform-dir`, a plan's finding is annotated on the `resource`
/// block that declares it (in a local module too), and names the baseline's
/// line in its text; without it, or for a module from elsewhere, on the
/// baseline.
#[test]
fn annotations_point_at_the_terraform_code() {
    let dir = tempfile::tempdir().unwrap();
    let infra = dir.path().join("infra");
    std::fs::create_dir_all(infra.join("modules/compute")).unwrap();
    std::fs::write(
        infra.join("main.tf"),
        "# resource \"aws_iam_account_password_policy\" \"strict\" {\n\
         locals {\n  doc = <<EOT\nresource \"aws_iam_account_password_policy\" \"strict\" {\nEOT\n}\n\
         /*\nresource \"aws_iam_account_password_policy\" \"strict\" {\n*/\n\
         module \"compute\" {\n  source = \"./modules/compute\"\n}\n\n\
         resource \"aws_iam_account_password_policy\" \"strict\" {\n  minimum_password_length = 8\n}\n",
    )
    .unwrap();
    std::fs::write(
        infra.join("modules/compute/iam.tf"),
        "resource \"aws_iam_role\" \"app\" {}\n\nresource \"aws_iam_instance_profile\" \"this\" {\n  for_each = toset([\"app\"])\n}\n",
    )
    .unwrap();
    let tf = infra.to_str().unwrap();
    let run = drift(&[
        "check",
        "--plan",
        &fixture("weaken-password-policy"),
        "--terraform-dir",
        tf,
        "--format",
        "github",
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let expected = format!(
        "::error file={}/main.tf,line=14,title=password-policy-weakened (high)::",
        tf
    );
    assert!(
        run.stdout.contains(&expected),
        "{expected} in {}",
        run.stdout
    );
    assert!(
        run.stdout.contains("%0Abaseline: baseline.yaml:8:28%0A"),
        "{}",
        run.stdout
    );

    // A finding inside a local module: the module call's source says where.
    let mut plan: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join(fixture("delete-instance-profile"))).unwrap(),
    )
    .unwrap();
    plan["configuration"]["root_module"]["module_calls"] =
        serde_json::json!({"compute": {"source": "./modules/compute", "module": {}}});
    let edited = dir.path().join("plan.json");
    // The annotations of the plan as edited, against the configuration.
    let annotated = |plan: &serde_json::Value| {
        std::fs::write(&edited, plan.to_string()).unwrap();
        drift(&[
            "check",
            "--plan",
            edited.to_str().unwrap(),
            "--terraform-dir",
            tf,
            "--format",
            "github",
        ])
    };
    let run = annotated(&plan);
    let expected = format!(
        "file={}/modules/compute/iam.tf,line=3,title=instance-profile-removed",
        tf
    );
    assert!(
        run.stdout.contains(&expected),
        "{expected} in {}",
        run.stdout
    );

    // From a registry: not in the checkout, so on the baseline.
    plan["configuration"]["root_module"]["module_calls"] =
        serde_json::json!({"compute": {"source": "terraform-aws-modules/iam/aws", "module": {}}});
    let run = annotated(&plan);
    assert!(
        run.stdout.contains("file=baseline.yaml,line=68"),
        "{}",
        run.stdout
    );

    let missing = drift(&[
        "check",
        "--plan",
        &fixture("clean"),
        "--terraform-dir",
        "no/such/dir",
    ]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("is not a folder"),
        "{}",
        missing.stderr
    );
}

/// A value that is not a string (a list of ARNs, a document) is escaped like
/// any text: JSON escapes C0 controls, not DEL, C1 controls or the
/// bidirectional overrides (found by the state fuzz target on a real state).
#[test]
fn human_output_escapes_controls_inside_structured_values() {
    let mut f = finding(1);
    f.expected = serde_json::json!(["arn:aws:iam::aws:policy/A"]);
    f.observed =
        serde_json::json!({"Acti\u{7f}n": ["arn:aws:iam::aws:p\u{85}licy/A", "\u{202e}x"]});
    f.diff = Some(
        "--- baseline\n+++ observed\n-  \"Action\": 1\n+  \"Acti\u{7f}n\": 1\u{1b}[31m\n"
            .to_string(),
    );
    let findings = vec![f];
    let sources = plan_sources();
    let report = report_of(&sources, &findings);
    let text = iam_drift_guard::render::human::render(&report, false, Some(80));
    for line in text.lines() {
        assert!(
            !line
                .chars()
                .any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)),
            "{line:?}"
        );
    }
    assert!(text.contains("Acti\\u{7f}n"), "{text}");
}
