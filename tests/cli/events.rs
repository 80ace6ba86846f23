//! `drift events`: risky IAM changes in CloudTrail, with and without a baseline.

use crate::common::*;
use serde_json::{json, Value};

fn record(name: &str, request: Value, time: &str, actor: &str) -> Value {
    json!({"eventVersion": "1.08", "eventTime": time, "eventSource": "iam.amazonaws.com",
           "eventName": name, "requestParameters": request, "eventID": format!("{name}{time}"),
           "userAgent": "aws-cli/2.15.0", "sourceIPAddress": "203.0.113.1",
           "userIdentity": {"type": "IAMUser", "userName": actor,
                            "arn": format!("arn:aws:iam::123456789012:user/{actor}")}})
}

/// JSON lines of EventBridge events and bare records, as a SIEM exports them.
fn write_logs(dir: &std::path::Path) -> std::path::PathBuf {
    let bridge = |r: Value| json!({"version": "0", "detail-type": "AWS API Call via CloudTrail", "source": "aws.iam", "detail": r});
    let mut failed = record(
        "DeleteUser",
        json!({"userName": "alice"}),
        "2026-11-10T00:00:00Z",
        "eve",
    );
    failed["errorCode"] = json!("AccessDenied");
    let lines = [
        bridge(record(
            "CreateUser",
            json!({"userName": "temp"}),
            "2026-11-01T00:00:00Z",
            "ops",
        )),
        record(
            "DeleteAccountPasswordPolicy",
            json!(null),
            "2026-11-02T00:00:00Z",
            "eve",
        ),
        record(
            "UpdateUser",
            json!({"userName": "alice", "newUserName": "mallory"}),
            "2026-11-03T00:00:00Z",
            "eve",
        ),
        record(
            "AttachRolePolicy",
            json!({"roleName": "stranger", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
            "2026-11-04T00:00:00Z",
            "eve",
        ),
        failed,
        record(
            "GetUser",
            json!({"userName": "alice"}),
            "2026-11-05T00:00:00Z",
            "eve",
        ),
    ];
    let path = dir.join("events.jsonl");
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&path, text).unwrap();
    path
}

fn changes(run: &Run) -> Vec<(String, String, String)> {
    let v: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|_| panic!("{}", run.stderr));
    v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["rule"].as_str().unwrap().to_string(),
                c["resource"].as_str().unwrap().to_string(),
                c["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn t(rule: &str, resource: &str, severity: &str) -> (String, String, String) {
    (rule.into(), resource.into(), severity.into())
}

#[test]
fn lists_risky_changes_most_severe_first_and_failed_calls_apart() {
    let dir = tempfile::tempdir().unwrap();
    let logs = write_logs(dir.path());
    let run = drift_in(
        dir.path(),
        &["events", logs.to_str().unwrap(), "--format", "json"],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        changes(&run),
        vec![
            // AdministratorAccess attached, judged by the managed table.
            t("role-policy-widened", "role/stranger", "critical"),
            t("password-policy-removed", "password-policy", "critical"),
            t("user-changed", "user/alice", "medium"),
            t("user-unmanaged", "user/temp", "medium"),
        ]
    );
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["records"], 6);
    assert_eq!(v["failed"][0]["error_code"], "AccessDenied");
    assert_eq!(v["failed"][0]["event"]["event_name"], "DeleteUser");
    assert!(v["changes"][0].get("declared").is_none());

    let human = drift_in(dir.path(), &["events", logs.to_str().unwrap()], None);
    assert!(
        human.stdout.contains("renamed `user/alice` to `mallory`"),
        "{}",
        human.stdout
    );
    assert!(human
        .stdout
        .contains("Failed calls (refused by IAM: not a cause of drift)"));
    assert!(
        human
            .stdout
            .contains("4 risky IAM changes in 6 records of 1 file; 1 failed call"),
        "{}",
        human.stdout
    );
    let md = drift_in(
        dir.path(),
        &["events", logs.to_str().unwrap(), "--format", "markdown"],
        None,
    );
    assert!(
        md.stdout
            .contains("| critical | `password-policy-removed` | `password-policy` |"),
        "{}",
        md.stdout
    );
}

#[test]
fn a_window_and_a_baseline_order_and_filter() {
    let dir = tempfile::tempdir().unwrap();
    let logs = write_logs(dir.path());
    std::fs::write(
        dir.path().join("baseline.yaml"),
        "version: 1\nusers:\n  alice: {}\nroles:\n  stranger: {}\n",
    )
    .unwrap();
    let run = drift_in(
        dir.path(),
        &[
            "events",
            logs.to_str().unwrap(),
            "--format",
            "json",
            "--baseline",
            "baseline.yaml",
            "--since",
            "2026-11-02T12:00:00Z",
            "--until",
            "2026-11-20",
        ],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    // Declared objects first; the window drops the first two changes.
    assert_eq!(
        changes(&run),
        vec![
            t("role-policy-widened", "role/stranger", "critical"),
            t("user-changed", "user/alice", "medium")
        ]
    );
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["changes"][0]["declared"], true);
    assert_eq!(v["since"], "2026-11-02T12:00:00Z");
    // Below the threshold: exit 0.
    let run = drift_in(
        dir.path(),
        &[
            "events",
            logs.to_str().unwrap(),
            "--since",
            "2026-11-02T12:00:00Z",
            "--fail-on",
            "high",
        ],
        None,
    );
    // AdministratorAccess attached to a role is critical.
    assert_eq!(run.code, 1, "{}", run.stderr);
    let run = drift_in(
        dir.path(),
        &[
            "events",
            logs.to_str().unwrap(),
            "--since",
            "2026-11-02T12:00:00Z",
            "--until",
            "2026-11-20",
            "--fail-on",
            "critical",
        ],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let run = drift_in(
        dir.path(),
        &[
            "events",
            logs.to_str().unwrap(),
            "--since",
            "2026-11-02T12:00:00Z",
            "--until",
            "2026-11-04",
            "--fail-on",
            "high",
        ],
        None,
    );
    // Only the rename (medium) is left: below the threshold, exit 0.
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn bad_arguments_and_unreadable_logs_are_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let logs = write_logs(dir.path());
    let logs = logs.to_str().unwrap();
    for (args, says) in [
        (
            vec!["events", logs, "--since", "last tuesday"],
            "`--since last tuesday` is not a time",
        ),
        (
            vec!["events", logs, "--format", "sarif"],
            "human, json or markdown",
        ),
        (
            vec!["events", "missing-folder"],
            "cannot read CloudTrail logs",
        ),
    ] {
        let run = drift_in(dir.path(), &args, None);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
    }
    std::fs::write(
        dir.path().join("broken.json"),
        "{\"Records\": [{\"eventName\": 1}]}",
    )
    .unwrap();
    let run = drift_in(dir.path(), &["events", "broken.json"], None);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("broken.json"), "{}", run.stderr);
    // A check never runs on logs it could not read either.
    let run = drift_in(
        &root(),
        &[
            "check",
            "--plan",
            &fixture("clean"),
            "--cloudtrail",
            dir.path().join("broken.json").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn the_real_records_of_public_projects() {
    let dir = root().join("../shared/fixtures/cloudtrail");
    if !dir.is_dir() {
        return;
    }
    let run = drift(&["events", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let got = changes(&run);
    assert!(
        got.contains(&t("root-access-key-unmanaged", "root", "critical")),
        "{got:?}"
    );
    // The Panther records: AdministratorAccess attached (critical, the
    // policy named), a trust opened to everyone (critical), another user's
    // console password reset (high).
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    let said = |rule: &str, severity: &str, phrase: &str| {
        v["changes"].as_array().unwrap().iter().any(|c| {
            c["rule"] == rule
                && c["severity"] == severity
                && c["message"].as_str().unwrap_or("").contains(phrase)
        })
    };
    assert!(
        said(
            "user-policy-widened",
            "critical",
            "arn:aws:iam::aws:policy/AdministratorAccess"
        ),
        "{v:#}"
    );
    assert!(
        said("role-policy-widened", "critical", "AdministratorAccess"),
        "{v:#}"
    );
    assert!(
        said(
            "role-trust-widened",
            "critical",
            "anyone in any AWS account"
        ),
        "{v:#}"
    );
    assert!(
        said("login-profile-unmanaged", "high", "another principal"),
        "{v:#}"
    );
    // The opened trust shows the request it now lets in, as data.
    let trust = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["rule"] == "role-trust-widened")
        .unwrap();
    let w = &trust["witnesses"][0];
    assert_eq!(w["change"], "allowed", "{trust:#}");
    assert!(
        w["request"]["action"]
            .as_str()
            .is_some_and(|a| a.starts_with("sts:")),
        "{trust:#}"
    );
    assert!(
        said(
            "user-policy-narrowed",
            "low",
            "AWSCompromisedKeyQuarantineV2"
        ),
        "{v:#}"
    );
    assert!(
        got.contains(&t(
            "saml-provider-unmanaged",
            "saml-provider/(not in the record)",
            "high"
        )),
        "{got:?}"
    );
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(v["failed"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["error_code"].as_str().is_some_and(|c| !c.is_empty())));
    assert_eq!(v["records"], 44);
}

#[test]
fn a_lookup_that_cannot_reach_cloudtrail_is_exit_2_naming_the_call() {
    let dir = tempfile::tempdir().unwrap();
    // A closed port on loopback: nothing answers.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_drift"))
        .args(["events", "lookup", "--since", "1d", "--timeout", "60"])
        .current_dir(dir.path())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", dir.path().join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("none"))
        .env("AWS_ENDPOINT_URL", format!("http://127.0.0.1:{port}"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("LookupEvents was not read completely")
            && stderr.contains("cloudtrail:LookupEvents"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "nothing is reported");
}

/// CloudTrail fields are text from the log: in human output they forge no
/// line (no control character, no workflow command at a line's start), in
/// markdown no HTML, link or mention outside a code span.
#[test]
fn record_fields_forge_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = record(
        "DeleteLoginProfile",
        json!({"userName": "a````b<script>alert(1)</script>@org/admins"}),
        "2026-11-01T00:00:00Z",
        "eve\n::error::forged",
    );
    r["userAgent"] = json!("\u{1b}[31mred\n::warning::forged [x](https://evil.example)");
    r["sourceIPAddress"] = json!("<img src=x> @org/admins");
    let mut failed = r.clone();
    failed["errorCode"] = json!("Access\n::error::Denied");
    failed["eventID"] = json!("other");
    let logs = dir.path().join("logs.json");
    std::fs::write(&logs, format!("{r}\n{failed}\n")).unwrap();
    let logs = logs.to_str().unwrap();
    let human = drift(&["events", logs]);
    assert_eq!(human.code, 1, "{}", human.stderr);
    assert!(!human.stdout.contains('\u{1b}'), "{}", human.stdout);
    assert!(
        !human
            .stdout
            .lines()
            .any(|l| l.trim_start().starts_with("::")),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains("forged"), "the text is still shown");
    let md = drift(&["events", logs, "--format", "markdown"]);
    assert_eq!(md.code, 1, "{}", md.stderr);
    let prose = outside_code_spans(&md.stdout);
    for bad in ["<script>", "<img", "](https://evil", "@org/admins"] {
        assert!(!prose.contains(bad), "{bad}: {}", md.stdout);
    }
}

/// An organization trail holds events of several accounts: a finding is
/// attributed only to its own account's events, and when nothing says which
/// account the source is, to none (with a note), never to another account's.
#[test]
fn an_organization_trail_attributes_only_the_sources_account() {
    let dir = tempfile::tempdir().unwrap();
    // A state whose user has no ARN: the state does not say its account.
    let state = json!({"format_version": "1.0", "terraform_version": "1.9.5", "values": {"root_module": {"resources": [
        {"address": "aws_iam_user.intruder", "mode": "managed", "type": "aws_iam_user", "name": "intruder",
         "values": {"name": "intruder", "path": "/", "tags": {}}, "sensitive_values": {}}
    ]}}});
    std::fs::write(dir.path().join("state.json"), state.to_string()).unwrap();
    let in_account = |account: &str, actor: &str, time: &str| {
        let mut r = record("CreateUser", json!({"userName": "intruder"}), time, actor);
        r["recipientAccountId"] = json!(account);
        r["eventID"] = json!(format!("{account}-{actor}"));
        r
    };
    let logs = json!({"Records": [
        in_account("111111111111", "eve", "2026-11-02T00:00:00Z"),
        in_account("222222222222", "bob", "2026-11-01T00:00:00Z"),
    ]});
    std::fs::write(dir.path().join("trail.json"), logs.to_string()).unwrap();
    let run = |baseline: &str| {
        std::fs::write(dir.path().join("baseline.yaml"), baseline).unwrap();
        let run = drift_in(
            dir.path(),
            &[
                "check",
                "--state",
                "state.json",
                "--cloudtrail",
                "trail.json",
                "--format",
                "json",
            ],
            None,
        );
        assert_eq!(run.code, 1, "{}", run.stderr);
        let v: Value = serde_json::from_str(&run.stdout).unwrap();
        let f = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "user-unmanaged")
            .cloned()
            .unwrap();
        (f, run.stderr)
    };
    let (f, stderr) = run("version: 1\n");
    assert!(f["attribution"].is_null(), "{f:#}");
    assert!(
        stderr.contains("come from 2 accounts (111111111111, 222222222222)"),
        "{stderr}"
    );
    let (f, stderr) = run("version: 1\naccount: { id: \"222222222222\" }\n");
    let events = f["attribution"]["events"].as_array().unwrap();
    assert_eq!(events.len(), 1, "{f:#}");
    assert!(events[0].to_string().contains("bob"), "{f:#}");
    assert!(!stderr.contains("accounts"), "{stderr}");
}

/// `drift events` over an organization trail groups the changes by account
/// (human), adds an account column (markdown) and names each event's account
/// (JSON).
#[test]
fn events_of_several_accounts_are_grouped_by_account() {
    let dir = tempfile::tempdir().unwrap();
    let in_account = |account: &str, name: &str, user: &str| {
        let mut r = record(
            name,
            json!({"userName": user}),
            "2026-11-02T00:00:00Z",
            "eve",
        );
        r["recipientAccountId"] = json!(account);
        r["eventID"] = json!(format!("{account}-{name}-{user}"));
        r
    };
    let logs = json!({"Records": [
        in_account("222222222222", "CreateUser", "ghost"),
        in_account("111111111111", "CreateUser", "intruder"),
        in_account("111111111111", "DeleteLoginProfile", "alice"),
    ]});
    std::fs::write(dir.path().join("trail.json"), logs.to_string()).unwrap();
    let human = drift_in(dir.path(), &["events", "trail.json"], None);
    assert_eq!(human.code, 1, "{}", human.stderr);
    let first = human
        .stdout
        .find("== account 111111111111 (2 changes)")
        .unwrap();
    let second = human
        .stdout
        .find("== account 222222222222 (1 change)")
        .unwrap();
    assert!(first < second, "{}", human.stdout);
    let ghost = human.stdout.find("user/ghost").unwrap();
    assert!(ghost > second, "{}", human.stdout);
    let says = |out: &str, text: &str| assert!(out.contains(text), "{text}: {out}");
    says(&human.stdout, "3 risky IAM changes in 2 accounts");
    let markdown = drift_in(
        dir.path(),
        &["events", "trail.json", "--format", "markdown"],
        None,
    );
    says(&markdown.stdout, "| account | severity |");
    says(&markdown.stdout, "| 222222222222 | ");
    let json_run = drift_in(
        dir.path(),
        &["events", "trail.json", "--format", "json"],
        None,
    );
    let v: Value = serde_json::from_str(&json_run.stdout).unwrap();
    let accounts: Vec<&str> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["event"]["account"].as_str().unwrap())
        .collect();
    assert_eq!(accounts.len(), 3);
    assert!(accounts.contains(&"222222222222"));
    // One account: no grouping.
    let logs = json!({"Records": [in_account("111111111111", "CreateUser", "intruder")]});
    std::fs::write(dir.path().join("one.json"), logs.to_string()).unwrap();
    let one = drift_in(dir.path(), &["events", "one.json"], None);
    assert!(!one.stdout.contains("== account"), "{}", one.stdout);
}
