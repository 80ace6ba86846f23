//! Who did it: the drift is made with boto3 against moto, the test writes the
//! CloudTrail log file the delivery would have written, and `check --live
//! --cloudtrail` attributes each finding to the right actor and event.

use super::live::seeded;
use serde_json::{json, Value};

fn record(name: &str, request: Value, time: &str, identity: Value, user_agent: &str) -> Value {
    json!({"eventVersion": "1.11", "eventTime": time, "eventSource": "iam.amazonaws.com",
           "eventName": name, "awsRegion": "us-east-1", "sourceIPAddress": "198.51.100.7",
           "userAgent": user_agent, "requestParameters": request, "responseElements": null,
           "eventID": format!("{name}-{time}"), "eventType": "AwsApiCall",
           "recipientAccountId": "123456789012", "userIdentity": identity})
}

fn user(name: &str) -> Value {
    json!({"type": "IAMUser", "principalId": "AIDA0000000000000000",
           "arn": format!("arn:aws:iam::123456789012:user/{name}"), "accountId": "123456789012",
           "accessKeyId": "AKIA0000000000000099", "userName": name})
}

/// The first finding whose `key` is `value`.
fn finding<'r>(report: &'r Value, key: &str, value: &str) -> &'r Value {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f[key] == value)
        .unwrap_or_else(|| panic!("no finding with {key} {value}: {report:#}"))
}

const TERRAFORM: &str = "APN/1.0 HashiCorp/1.0 Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.70.0";

#[test]
fn findings_are_attributed_to_the_events_that_caused_them() {
    let (moto, dir) = seeded();
    let out = moto.apply(&["print-ssh-key-id"]);
    let key = out
        .lines()
        .find_map(|l| l.strip_prefix("ssh-key "))
        .unwrap()
        .to_string();
    moto.apply(&[
        "delete-password-policy",
        "rename-alice",
        "delete-ssh-key",
        "delete-profile",
    ]);
    let person = json!({"type": "AssumedRole", "principalId": "AROA0000000000000000:carol@example.com",
        "arn": "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0a1b2c3d4e5f6a7b/carol@example.com",
        "accountId": "123456789012", "accessKeyId": "ASIA0000000000000001",
        "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROA0000000000000000",
            "arn": "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0a1b2c3d4e5f6a7b",
            "accountId": "123456789012", "userName": "AWSReservedSSO_Admin_0a1b2c3d4e5f6a7b"}}});
    let mut denied = record(
        "DeleteAccountPasswordPolicy",
        json!(null),
        "2026-11-25T09:00:00Z",
        user("eve"),
        "aws-cli/2.15.0",
    );
    denied["errorCode"] = json!("AccessDenied");
    let records = vec![
        record(
            "DeleteAccountPasswordPolicy",
            json!(null),
            "2026-11-25T08:00:00Z",
            user("pipeline"),
            TERRAFORM,
        ),
        record(
            "UpdateUser",
            json!({"userName": "alice", "newUserName": "mallory"}),
            "2026-11-25T08:10:00Z",
            person,
            "console.amazonaws.com",
        ),
        record(
            "DeleteSSHPublicKey",
            json!({"userName": "deploy", "sSHPublicKeyId": key}),
            "2026-11-25T08:20:00Z",
            user("mallory"),
            "aws-cli/2.15.0 Python/3.11.6",
        ),
        record(
            "RemoveRoleFromInstanceProfile",
            json!({"instanceProfileName": "app", "roleName": "app"}),
            "2026-11-25T08:30:00Z",
            user("ops"),
            "Boto3/1.34.0",
        ),
        record(
            "DeleteInstanceProfile",
            json!({"instanceProfileName": "app"}),
            "2026-11-25T08:31:00Z",
            user("ops"),
            "Boto3/1.34.0",
        ),
        // Later, and unrelated: another user's key; a call IAM refused.
        record(
            "DeleteSSHPublicKey",
            json!({"userName": "bob", "sSHPublicKeyId": key}),
            "2026-11-25T09:30:00Z",
            user("eve"),
            "aws-cli/2.15.0",
        ),
        denied,
    ];
    let logs = dir
        .path()
        .join("AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/25");
    std::fs::create_dir_all(&logs).unwrap();
    std::fs::write(
        logs.join("123456789012_CloudTrail_us-east-1_20261125T0835Z_abc.json"),
        json!({"Records": records}).to_string(),
    )
    .unwrap();
    let run = moto.drift(
        dir.path(),
        &[
            "check",
            "--live",
            "--format",
            "json",
            "--cloudtrail",
            "AWSLogs",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let by = |resource: &str| -> (String, String, String) {
        let f = finding(&report, "resource", resource);
        assert_eq!(f["attribution_searched"], true);
        let e = &f["attribution"]["events"][0];
        (
            e["event_name"].as_str().unwrap().to_string(),
            e["actor"]["arn"].as_str().unwrap().to_string(),
            e["caller"].as_str().unwrap_or("").to_string(),
        )
    };
    let pair = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(
        by("password-policy"),
        pair(
            "DeleteAccountPasswordPolicy",
            "arn:aws:iam::123456789012:user/pipeline",
            "Terraform"
        )
    );
    assert_eq!(
        by("user/alice"),
        pair(
            "UpdateUser",
            "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0a1b2c3d4e5f6a7b/carol@example.com",
            "AWS console"
        )
    );
    assert_eq!(
        by(&format!("user/deploy/ssh-key/{key}")),
        pair(
            "DeleteSSHPublicKey",
            "arn:aws:iam::123456789012:user/mallory",
            "AWS CLI"
        )
    );
    assert_eq!(
        by("instance-profile/app"),
        pair(
            "DeleteInstanceProfile",
            "arn:aws:iam::123456789012:user/ops",
            "an AWS SDK (Python)"
        )
    );
    let alice = finding(&report, "resource", "user/alice");
    let actor = &alice["attribution"]["events"][0]["actor"];
    assert_eq!(actor["identity_center_user"], "carol@example.com");
    assert_eq!(actor["access_key_id"], "ASIA0000000000000001");
    assert_eq!(
        alice["attribution"]["events"][0]["source_ip"],
        "198.51.100.7"
    );
    let ssh = finding(&report, "rule", "ssh-key-removed");
    assert_eq!(
        ssh["attribution"]["matched"], 1,
        "the event for bob's key is not attached"
    );

    // Every format says it; a finding no event explains says so.
    let human = moto.drift(dir.path(), &["check", "--live", "--cloudtrail", "AWSLogs"]);
    assert!(human.stdout.contains("who:      DeleteAccountPasswordPolicy by arn:aws:iam::123456789012:user/pipeline (IAMUser, key AKIA0000000000000099) with Terraform from 198.51.100.7 at 2026-11-25T08:00:00Z"), "{}", human.stdout);
    assert!(
        human
            .stdout
            .contains("carol@example.com (IAM Identity Center)"),
        "{}",
        human.stdout
    );
    for format in ["markdown", "sarif", "github"] {
        let run = moto.drift(
            dir.path(),
            &[
                "check",
                "--live",
                "--cloudtrail",
                "AWSLogs",
                "--format",
                format,
            ],
        );
        assert!(run.stdout.contains("pipeline"), "{format}: {}", run.stdout);
    }
    let empty = dir.path().join("empty.json");
    std::fs::write(&empty, "{\"Records\": []}").unwrap();
    let run = moto.drift(
        dir.path(),
        &[
            "check",
            "--live",
            "--format",
            "json",
            "--cloudtrail",
            "empty.json",
        ],
    );
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    for f in report["findings"].as_array().unwrap() {
        assert_eq!(f["attribution"], Value::Null);
        assert_eq!(f["attribution_searched"], true);
    }
    let run = moto.drift(
        dir.path(),
        &["check", "--live", "--cloudtrail", "empty.json"],
    );
    assert!(
        run.stdout
            .contains("who:      no CloudTrail event explains it"),
        "{}",
        run.stdout
    );
    // A report with --previous leaves out what the previous report explained.
    let out = dir.path().join("r1");
    let run = moto.drift(
        dir.path(),
        &[
            "report",
            "--live",
            "--cloudtrail",
            "AWSLogs",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let first: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap();
    assert!(first["generated_at"].as_str().unwrap().ends_with('Z'));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("<dt>who</dt><dd><ol><li>DeleteAccountPasswordPolicy by"),
        "html"
    );
    let run = moto.drift(
        dir.path(),
        &[
            "report",
            "--live",
            "--cloudtrail",
            "AWSLogs",
            "--out",
            dir.path().join("r2").to_str().unwrap(),
            "--previous",
            out.join("report.json").to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let second: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("r2/report.json")).unwrap())
            .unwrap();
    assert!(second["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["attribution"].is_null()));
}
