//! The nightly recipe (`examples/github/nightly.yml`), its shell steps run as
//! written against the fake GitHub API: the newest earlier report and its
//! history are fetched, the history grows, and one issue is kept up to date.

use crate::common::*;
use std::path::Path;
use std::process::Command;

/// The `run` script of a step of the recipe, by job and step name.
fn step(job: &str, name: &str) -> String {
    let text = std::fs::read_to_string(root().join("examples/github/nightly.yml")).unwrap();
    let recipe = iam_drift_guard::baseline::yaml::parse(&text)
        .unwrap()
        .to_json();
    let steps = recipe["jobs"][job]["steps"].as_array().unwrap();
    steps
        .iter()
        .find(|s| s["name"] == name)
        .and_then(|s| s["run"].as_str())
        .unwrap_or_else(|| panic!("no step `{name}` in job `{job}`"))
        .to_string()
}

/// Runs a step's script in `dir` with `env`, as the runner would (bash -e).
fn run(script: &str, dir: &Path, env: &[(&str, &str)]) -> (bool, String) {
    let mut cmd = Command::new("bash");
    cmd.arg("-e").arg("-c").arg(script).current_dir(dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
fn the_nightly_recipe_carries_history_and_keeps_one_issue() {
    let dir = tempfile::tempdir().unwrap();
    let api =
        crate::common::github::Fake::start(dir.path()).expect("python3 runs the fake GitHub API");
    let contents = dir.path().join("contents");
    let workspace = dir.path().join("workspace");
    std::fs::create_dir_all(&workspace).unwrap();
    std::fs::copy(
        root().join("baseline.yaml"),
        workspace.join("baseline.yaml"),
    )
    .unwrap();
    let plan = root().join(fixture("weaken-password-policy"));

    // Two earlier nights: the newest kept no report, the one before did.
    let earlier = dir.path().join("earlier");
    let made = drift(&[
        "report",
        "--plan",
        plan.to_str().unwrap(),
        "--out",
        earlier.to_str().unwrap(),
    ]);
    assert_eq!(made.code, 1, "{}", made.stderr);
    let zipped = Command::new("zip")
        .args(["-q", "-r"])
        .arg(contents.join("report-554.zip"))
        .arg(".")
        .current_dir(&earlier)
        .status()
        .unwrap();
    assert!(zipped.success());
    std::fs::write(
        contents.join("runs.json"),
        r#"{"workflow_runs": [{"id": 556}, {"id": 555}, {"id": 554}]}"#,
    )
    .unwrap();
    std::fs::write(contents.join("artifacts-555.json"), r#"{"artifacts": []}"#).unwrap();
    std::fs::write(
        contents.join("artifacts-554.json"),
        format!(
            r#"{{"artifacts": [{{"expired": false, "archive_download_url": "{}/download/report-554.zip"}}]}}"#,
            api.url
        ),
    )
    .unwrap();
    let common = [
        ("GITHUB_API_URL", api.url.as_str()),
        ("GITHUB_REPOSITORY", "acme/infra"),
        ("GITHUB_SERVER_URL", "https://github.com"),
        ("GITHUB_RUN_ID", "556"),
        ("GH_TOKEN", "fake-token"),
    ];

    // The last report and its history.
    let mut env = common.to_vec();
    env.push((
        "WORKFLOW_REF",
        "acme/infra/.github/workflows/iam-drift-nightly.yml@refs/heads/main",
    ));
    let (ok, log) = run(
        &step("report", "The last report and its history"),
        &workspace,
        &env,
    );
    assert!(ok, "{log}");
    assert!(log.contains("the report of run 554"), "{log}");
    assert!(workspace.join("previous/report.json").is_file());
    assert!(workspace.join("previous/history.json").is_file());
    let requests = api.requests();
    assert!(requests.iter().any(|r| r["path"]
        .as_str()
        .unwrap()
        .starts_with("/repos/acme/infra/actions/workflows/iam-drift-nightly.yml/runs")));
    assert!(
        requests.iter().all(|r| r["auth"] == "Bearer fake-token"),
        "{requests:#?}"
    );

    // Tonight's report, with `drift report --live` standing in as a plan.
    let bin = dir.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::write(
        bin.join("drift"),
        format!(
            "#!/bin/sh\nargs=\"\"\nfor a in \"$@\"; do [ \"$a\" = --live ] && a=\"--plan={}\"; args=\"$args '$a'\"; done\neval exec '{}' $args\n",
            plan.display(),
            env!("CARGO_BIN_EXE_drift")
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(bin.join("drift"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let output = dir.path().join("output");
    let summary = dir.path().join("summary");
    let mut env = common.to_vec();
    env.push(("PATH", &path));
    let (output_s, summary_s) = (output.display().to_string(), summary.display().to_string());
    env.push(("GITHUB_OUTPUT", &output_s));
    env.push(("GITHUB_STEP_SUMMARY", &summary_s));
    let (ok, log) = run(&step("report", "Report"), &workspace, &env);
    assert!(ok, "{log}");
    assert!(std::fs::read_to_string(&output)
        .unwrap()
        .contains("exit-code=1"));
    let history: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(workspace.join("report/history.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        history["runs"].as_array().unwrap().len(),
        2,
        "the history grows: {history}"
    );
    let report: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(workspace.join("report/report.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        report["trend"]["persisting"], 2,
        "compared with the last report"
    );

    // One issue: opened, commented on, closed, and opened again.
    let issue = step("issue", "One issue, kept up to date");
    let night = |exit: &str| {
        let mut env = common.to_vec();
        env.push(("EXIT_CODE", exit));
        env.push(("ACCOUNT", "123456789012"));
        let (ok, log) = run(&issue, &workspace, &env);
        assert!(ok, "{exit}: {log}");
        log
    };
    assert!(night("1").contains("opened an issue"));
    assert!(night("2").contains("commented on #1"));
    assert!(night("1").contains("commented on #1"));
    assert!(night("0").contains("closed #1"));
    assert!(night("0").is_empty(), "nothing to close");
    assert!(night("1").contains("opened an issue"));
    let requests = api.requests();
    let created: Vec<&serde_json::Value> = requests
        .iter()
        .filter(|r| r["method"] == "POST" && r["path"] == "/repos/acme/infra/issues")
        .collect();
    assert_eq!(created.len(), 2);
    assert_eq!(
        created[0]["body"]["title"],
        "IAM drift in account 123456789012"
    );
    let comments = requests
        .iter()
        .filter(|r| r["method"] == "POST" && r["path"] == "/repos/acme/infra/issues/1/comments")
        .count();
    assert_eq!(comments, 3);
    assert!(requests.iter().any(|r| r["method"] == "PATCH"
        && r["path"] == "/repos/acme/infra/issues/1"
        && r["body"]["state"] == "closed"));
}
