//! The GitHub Action's script, run end to end with a fake GitHub environment and
//! a stand-in for the comments API on loopback.

use crate::common::*;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

struct FakeGithub {
    child: std::process::Child,
    port: u16,
    log: std::path::PathBuf,
}

impl FakeGithub {
    fn start(dir: &std::path::Path) -> Option<FakeGithub> {
        let log = dir.join("requests.jsonl");
        let mut child = Command::new("python3")
            .arg(root().join("tests/fixtures/fake_github.py"))
            .arg(&log)
            .stdout(Stdio::piped())
            .spawn()
            .ok()?;
        let mut line = String::new();
        BufReader::new(child.stdout.take()?)
            .read_line(&mut line)
            .ok()?;
        Some(FakeGithub {
            port: line.trim().parse().ok()?,
            child,
            log,
        })
    }

    fn requests(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

impl Drop for FakeGithub {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn run_action(
    dir: &std::path::Path,
    api: &str,
    plan: &str,
) -> (i32, String, std::collections::HashMap<String, String>) {
    let output = dir.join("output");
    let _ = std::fs::remove_file(&output);
    let event = dir.join("event.json");
    std::fs::write(&event, r#"{"pull_request": {"number": 7}}"#).unwrap();
    let tmp = dir.join("runner-temp");
    std::fs::create_dir_all(&tmp).unwrap();
    let out = Command::new("bash")
        .arg(root().join(".github/actions/drift-check/run.sh"))
        .current_dir(root())
        .env("DRIFT", env!("CARGO_BIN_EXE_drift"))
        .env("INPUT_PLAN", plan)
        .env("INPUT_FORMAT", "github")
        .env("INPUT_COMMENT", "true")
        .env("GITHUB_STEP_SUMMARY", dir.join("summary.md"))
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_EVENT_PATH", &event)
        .env("GITHUB_REPOSITORY", "acme/infra")
        .env("GITHUB_API_URL", api)
        .env("GITHUB_TOKEN", "fake-token")
        .env("RUNNER_TEMP", &tmp)
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let outputs = std::fs::read_to_string(&output)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            l.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        outputs,
    )
}

#[test]
fn action_script_with_a_fake_github() {
    let dir = tempfile::tempdir().unwrap();
    let github = FakeGithub::start(dir.path()).expect("python3 runs the fake GitHub API");
    let api = format!("http://127.0.0.1:{}", github.port);

    let (code, stdout, outputs) = run_action(dir.path(), &api, &fixture("weaken-password-policy"));
    assert_eq!(
        code, 0,
        "the script passes the exit code on instead: {stdout}"
    );
    assert_eq!(outputs["exit-code"], "1");
    assert!(
        stdout.contains(
            "::error file=baseline.yaml,line=8,col=28,title=password-policy-weakened (high)::"
        ),
        "{stdout}"
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&outputs["sarif"]).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert_eq!(
        summary.matches("<!-- drift-report -->").count(),
        1,
        "the summary is written once"
    );

    let requests = github.requests();
    let posts: Vec<&serde_json::Value> =
        requests.iter().filter(|r| r["method"] == "POST").collect();
    assert_eq!(posts.len(), 1, "{requests:#?}");
    assert_eq!(posts[0]["path"], "/repos/acme/infra/issues/7/comments");
    assert_eq!(posts[0]["auth"], "Bearer fake-token");
    let body = posts[0]["body"]["body"].as_str().unwrap();
    assert!(body.starts_with("<!-- drift-report -->") && body.contains("password-policy-weakened"));

    // The next push updates the same comment instead of adding one.
    let (_, _, outputs) = run_action(dir.path(), &api, &fixture("clean"));
    assert_eq!(outputs["exit-code"], "0");
    let requests = github.requests();
    assert_eq!(requests.iter().filter(|r| r["method"] == "POST").count(), 1);
    let patches: Vec<&serde_json::Value> =
        requests.iter().filter(|r| r["method"] == "PATCH").collect();
    assert_eq!(patches.len(), 1, "{requests:#?}");
    assert_eq!(patches[0]["path"], "/repos/acme/infra/issues/comments/1000");
    assert!(patches[0]["body"]["body"]
        .as_str()
        .unwrap()
        .contains("No drift"));
}

#[test]
fn action_script_passes_exit_2_on_and_posts_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let github = FakeGithub::start(dir.path()).expect("python3 runs the fake GitHub API");
    let api = format!("http://127.0.0.1:{}", github.port);
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{ truncated").unwrap();
    let (code, stdout, outputs) = run_action(dir.path(), &api, bad.to_str().unwrap());
    assert_eq!(code, 0);
    assert_eq!(outputs["exit-code"], "2");
    assert!(!outputs.contains_key("sarif"));
    assert!(stdout.contains("could not be completed"), "{stdout}");
    assert!(github.requests().is_empty());
}

/// actionlint checks the workflows; the action's own metadata is checked here:
/// a composite action whose run steps name their shell, and whose every
/// `inputs.X` reference is a declared input.
#[test]
fn action_metadata_is_consistent() {
    let text =
        std::fs::read_to_string(root().join(".github/actions/drift-check/action.yml")).unwrap();
    let action = iam_drift_guard::baseline::yaml::parse(&text)
        .unwrap()
        .to_json();
    assert_eq!(action["runs"]["using"], "composite");
    let inputs: Vec<&str> = action["inputs"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for step in action["runs"]["steps"].as_array().unwrap() {
        if step.get("run").is_some() {
            assert!(
                step.get("shell").is_some(),
                "a run step without shell: {step}"
            );
        }
        if let Some(uses) = step["uses"].as_str() {
            let (_, reference) = uses.split_once('@').unwrap();
            assert_eq!(reference.len(), 40, "pinned by commit: {uses}");
        }
    }
    let mut rest = text.as_str();
    while let Some(i) = rest.find("inputs.") {
        rest = &rest[i + "inputs.".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        assert!(
            inputs.contains(&name.as_str()),
            "`inputs.{name}` is not declared"
        );
    }
    let script =
        std::fs::read_to_string(root().join(".github/actions/drift-check/run.sh")).unwrap();
    for (key, value) in action["runs"]["steps"][1]["env"].as_object().unwrap() {
        if key.starts_with("INPUT_") {
            assert!(
                script.contains(&format!("${{{key}:-")),
                "run.sh does not read {key}"
            );
            assert!(value.as_str().unwrap().contains("inputs."), "{key}");
        }
    }
}
