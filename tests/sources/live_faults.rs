//! The live read behind a fault-injecting proxy on loopback
//! (`tests/fixtures/live/fault_proxy.py`), between drift and moto: every fault
//! is exit 2 within a time bound, with no report written, and faults IAM
//! recovers from (30% throttling, a report without a user's row) still give the
//! right result.

use super::live::{live_drift, Moto};
use crate::common::*;
use std::io::BufRead;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub(super) struct FaultProxy {
    child: Child,
    pub(super) endpoint: String,
}

impl FaultProxy {
    pub(super) fn start(upstream: &str, faults: serde_json::Value) -> FaultProxy {
        let mut child = Command::new("python3")
            .arg(root().join("tests/fixtures/live/fault_proxy.py"))
            .arg(upstream)
            .arg(faults.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 runs the proxy");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port: u16 = line.trim().parse().expect("the proxy prints its port");
        FaultProxy {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        }
    }

    /// Requests the proxy saw, by action.
    pub(super) fn stats(&self) -> serde_json::Value {
        let out = Command::new("python3")
            .args([
                "-c",
                "import sys,urllib.request;print(urllib.request.urlopen(sys.argv[1]).read().decode())",
                &self.endpoint,
            ])
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A seeded account with twenty more users, and a baseline written from it
/// without faults.
fn account() -> (Moto, tempfile::TempDir) {
    let moto = Moto::start();
    moto.apply(&["base", "twenty-users", "comma-users"]);
    let dir = tempfile::tempdir().unwrap();
    let init = moto.drift(dir.path(), &["init", "--live", "--output", "baseline.yaml"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    (moto, dir)
}

/// `drift check --live` through the proxy, writing its report to a file.
fn check_through(proxy: &FaultProxy, dir: &Path, extra: &[&str]) -> (Run, Duration, bool) {
    let out = dir.join("report.json");
    let _ = std::fs::remove_file(&out);
    let mut args = vec![
        "check",
        "--live",
        "--format",
        "json",
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let started = Instant::now();
    let run = live_drift(dir, &args, &proxy.endpoint, ("testing", "testing"));
    (run, started.elapsed(), out.exists())
}

fn fails_closed(faults: serde_json::Value, extra: &[&str], names: &str, within: Duration) -> Run {
    let (moto, dir) = account();
    let proxy = FaultProxy::start(&moto.endpoint, faults.clone());
    let (run, took, written) = check_through(&proxy, dir.path(), extra);
    assert_eq!(run.code, 2, "{faults}: {}{}", run.stdout, run.stderr);
    assert!(
        !written,
        "{faults}: a report was written from a partial read"
    );
    assert!(run.stderr.contains(names), "{faults}: {}", run.stderr);
    assert!(took < within, "{faults}: took {took:?}");
    run
}

#[test]
fn an_action_always_throttled_stops_the_read_within_seconds_and_says_so_once() {
    let run = fails_closed(
        serde_json::json!({"throttle_action": "ListSSHPublicKeys"}),
        &[],
        "iam:ListSSHPublicKeys",
        Duration::from_secs(30),
    );
    assert_eq!(
        run.stderr.matches("Throttling").count(),
        1,
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("lower `--concurrency`"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("the credentials need"),
        "{}",
        run.stderr
    );
}

#[test]
fn refusals_resets_5xx_and_broken_answers_fail_closed() {
    for (faults, names) in [
        (
            serde_json::json!({"deny_action": "GetAccountPasswordPolicy"}),
            "iam:GetAccountPasswordPolicy",
        ),
        (
            serde_json::json!({"reset_action": "ListRoles"}),
            "iam:ListRoles",
        ),
        (
            serde_json::json!({"error_5xx_action": "GetCredentialReport"}),
            "iam:GetCredentialReport",
        ),
        (
            serde_json::json!({"truncate_action": "ListInstanceProfiles"}),
            "iam:ListInstanceProfiles",
        ),
        (
            serde_json::json!({"malformed_action": "ListAccountAliases"}),
            "iam:ListAccountAliases",
        ),
    ] {
        fails_closed(faults, &[], names, Duration::from_secs(60));
    }
}

#[test]
fn a_read_that_cannot_finish_ends_at_the_deadline() {
    let run = fails_closed(
        serde_json::json!({"slow_action": ["GetAccountAuthorizationDetails", 20]}),
        &["--timeout", "3"],
        "`--timeout`",
        Duration::from_secs(10),
    );
    assert!(run.stderr.contains("within 3 s"), "{}", run.stderr);
}

#[test]
fn throttling_at_30_percent_still_gives_the_right_result() {
    let (moto, dir) = account();
    moto.apply(&["delete-ssh-key"]);
    let proxy = FaultProxy::start(&moto.endpoint, serde_json::json!({"throttle_percent": 30}));
    let (run, _, written) = check_through(&proxy, dir.path(), &[]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(written);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap())
            .unwrap();
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, vec!["ssh-key-removed"], "{v:#}");
}

#[test]
fn a_report_without_rows_is_completed_user_by_user() {
    for report in ["header-only", "drop-row"] {
        let (moto, dir) = account();
        let proxy = FaultProxy::start(
            &moto.endpoint,
            serde_json::json!({"report": report, "report_generated": "now"}),
        );
        let (run, _, written) = check_through(&proxy, dir.path(), &[]);
        assert_eq!(run.code, 0, "{report}: {}{}", run.stdout, run.stderr);
        assert!(written);
        let stats = proxy.stats();
        let one_by_one = stats["GetLoginProfile"].as_u64().unwrap_or(0);
        match report {
            // Every user: 2 of base, 20, 3 with commas.
            "header-only" => assert_eq!(one_by_one, 25, "{stats}"),
            // `dev,admin` and `dev` lose their rows.
            _ => assert_eq!(one_by_one, 2, "{stats}"),
        }
    }
}
