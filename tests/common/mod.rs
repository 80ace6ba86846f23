//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod browser;
pub mod github;
mod plans;
pub mod stub;
#[allow(unused_imports)]
pub use plans::*;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> String {
    format!("tests/fixtures/plans/{name}.json")
}

/// The shared corpus of real plans, when it is beside the project.
/// A folder with the example baseline edited so that bob's notes policy
/// allows `s3:ListBucket` where the example plan allows `s3:GetObject`.
pub fn narrowed_notes_baseline() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(root().join("baseline.yaml"))
        .unwrap()
        .replace("s3:GetObject", "s3:ListBucket");
    std::fs::write(dir.path().join("baseline.yaml"), text).unwrap();
    dir
}

/// A folder holding a copy of the example baseline.
pub fn example_baseline_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("baseline.yaml"),
        dir.path().join("baseline.yaml"),
    )
    .unwrap();
    dir
}

/// Markdown without its inline code spans.
pub fn outside_code_spans(md: &str) -> String {
    let mut out = String::new();
    let mut rest = md;
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        let ticks = rest[start..].chars().take_while(|c| *c == '`').count();
        let fence = "`".repeat(ticks);
        let after = &rest[start + ticks..];
        rest = match after.find(&fence) {
            Some(end) => &after[end + ticks..],
            None => after,
        };
    }
    out.push_str(rest);
    out
}

pub fn shared_plans() -> Option<PathBuf> {
    let dir = root().join("../shared/fixtures/plan");
    dir.is_dir().then_some(dir)
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// A finished process's exit code (-1 when killed) and output as text.
    pub fn of(out: &Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// Runs `drift` in the project root with a clean environment (no color, no CI
/// variables), optionally feeding standard input.
pub fn drift_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_drift"));
    cmd.args(args).current_dir(dir);
    for (key, _) in std::env::vars() {
        if key.starts_with("GITHUB_") || key == "CI" || key == "NO_COLOR" || key.starts_with("AWS_")
        {
            cmd.env_remove(key);
        }
    }
    cmd.env("NO_COLOR", "1");
    cmd.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("drift runs");
    if let Some(input) = stdin {
        use std::io::Write;
        let mut pipe = child.stdin.take().expect("stdin");
        pipe.write_all(input).expect("write stdin");
    }
    let out: Output = child.wait_with_output().expect("drift finishes");
    Run::of(&out)
}

pub fn drift(args: &[&str]) -> Run {
    drift_in(&root(), args, None)
}

/// The findings of a JSON report as `(rule, severity, resource)`.
pub fn findings(json: &str) -> Vec<(String, String, String)> {
    let v: serde_json::Value = serde_json::from_str(json).expect("valid JSON report");
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["severity"].as_str().unwrap_or_default().to_string(),
                f["resource"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

pub fn check_json(plan: &str) -> (i32, serde_json::Value) {
    let run = drift(&["check", "--plan", plan, "--format", "json"]);
    assert!(
        run.code == 0 || run.code == 1,
        "exit {}: {}",
        run.code,
        run.stderr
    );
    (
        run.code,
        serde_json::from_str(&run.stdout).expect("valid JSON"),
    )
}

/// `drift check --plan PLAN --format json` run in `dir` (with its baseline.yaml).
pub fn check_json_in(dir: &Path, plan: &Path) -> Run {
    drift_in(
        dir,
        &[
            "check",
            "--plan",
            plan.to_str().unwrap_or_default(),
            "--format",
            "json",
        ],
        None,
    )
}

/// Plans to edit into fixtures: the hand-made clean plan, and every real plan of
/// ../shared when it is beside the project. Each is `(name, plan)`.
pub fn plan_bases() -> Vec<(String, serde_json::Value)> {
    let mut out = Vec::new();
    let clean = std::fs::read_to_string(root().join(fixture("clean"))).expect("clean fixture");
    out.push((
        "clean".to_string(),
        serde_json::from_str(&clean).expect("clean fixture is JSON"),
    ));
    if let Some(dir) = shared_plans() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("shared plans")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f).expect("shared plan");
            let name = f.file_name().unwrap_or_default().to_string_lossy().into();
            out.push((
                name,
                serde_json::from_str(&text).expect("shared plan is JSON"),
            ));
        }
    }
    out
}

/// Writes `value` as a plan file in `dir`.
pub fn write_json(dir: &Path, name: &str, value: &serde_json::Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec(value).expect("serializable")).expect("write");
    path
}

/// The first resource change of an IAM type in a plan, if any.
pub fn first_iam_change(plan: &serde_json::Value) -> Option<serde_json::Value> {
    plan["resource_changes"]
        .as_array()?
        .iter()
        .find(|rc| {
            rc["type"]
                .as_str()
                .is_some_and(|t| t.starts_with("aws_iam_"))
        })
        .cloned()
}
