//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> String {
    format!("tests/fixtures/plans/{name}.json")
}

/// The shared corpus of real plans, when it is beside the project.
pub fn shared_plans() -> Option<PathBuf> {
    let dir = root().join("../shared/fixtures/plan");
    dir.is_dir().then_some(dir)
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
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
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
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
