//! drift's own JSON reports read back (`drift report --merge`): what the JSON
//! renderer writes of a run over several accounts reads back as the same
//! findings, accounts and sources; anything else is refused.

use iam_drift_guard::accounts::{AccountRun, Status};
use iam_drift_guard::finding::{
    Finding, Loc, Origin, Severity, Witness, WitnessChange, WitnessRequest,
};
use iam_drift_guard::identity::{Kind, Name, ResourceId, RuleId};
use iam_drift_guard::observation::{ReportTime, SourceInfo};
use iam_drift_guard::render::{self, Report};
use iam_drift_guard::sources::drift_report::read;
use iam_drift_guard::triage::Waived;
use serde_json::json;

const A: &str = "111122223333";
const B: &str = "444455556666";

fn run(id: &str, status: Status, findings: [usize; 5]) -> AccountRun {
    AccountRun {
        id: id.into(),
        name: Some(format!("acct-{id}")),
        status,
        reason: (status != Status::Read).then(|| "sts:AssumeRole refused".to_string()),
        unread: Vec::new(),
        calls: 17,
        seconds: 1.25,
        findings,
        baselines: vec!["shared.yaml".into(), format!("{id}.yaml")],
    }
}

fn findings() -> Vec<Finding> {
    let loc = |line, file| Loc {
        line,
        column: 3,
        offset: 0,
        len: 0,
        file,
    };
    vec![
        Finding {
            rule: RuleId::ROLE_TRUST_WIDENED,
            severity: Severity::Critical,
            resource: ResourceId::object(Kind::Role, "app").in_account(A),
            field: Some("assume_role_policy".into()),
            expected: json!({"Statement": []}),
            observed: json!({"Statement": [{"Principal": {"AWS": "*"}}]}),
            source: Origin::Live {
                arn: format!("arn:aws:iam::{A}:role/app"),
            },
            baseline_location: Some(loc(12, 1)),
            message: "the trust policy of role `app` is widened".into(),
            help: format!("account: acct-{A} ({A})\ncli: aws iam update-assume-role-policy"),
            diff: Some("--- baseline\n+++ observed\n".into()),
            witnesses: vec![Witness {
                change: WitnessChange::Allowed,
                action: "sts:AssumeRole".into(),
                resource: None,
                principal: Some("AWS:*".into()),
                statement_index: 0,
                sid: Some("Open".into()),
                request: WitnessRequest {
                    action: "sts:AssumeRole".into(),
                    resource: None,
                    caller: Some(("AWS".into(), "arn:aws:iam::000000000000:user/w".into())),
                    context: [("aws:SourceIp".to_string(), vec!["1.2.3.4".to_string()])].into(),
                },
            }],
            path: None,
        },
        Finding {
            rule: RuleId::PASSWORD_POLICY_REMOVED,
            severity: Severity::Critical,
            resource: ResourceId::setting(Kind::PasswordPolicy).in_account(A),
            field: None,
            expected: json!({"minimum_password_length": 14}),
            observed: serde_json::Value::Null,
            source: Origin::Live {
                arn: format!("arn:aws:iam::{A}:account-password-policy"),
            },
            baseline_location: Some(loc(4, 0)),
            message: "the account has no custom password policy".into(),
            help: "cli: aws iam update-account-password-policy".into(),
            diff: None,
            witnesses: Vec::new(),
            path: None,
        },
        Finding {
            rule: RuleId::SSH_KEY_REMOVED,
            severity: Severity::Medium,
            resource: ResourceId::object(Kind::User, "deploy")
                .child(Kind::SshKey, Name::Known("APKAEXAMPLE".into()))
                .in_account(B),
            field: None,
            expected: json!({"id": "APKAEXAMPLE"}),
            observed: serde_json::Value::Null,
            source: Origin::Live {
                arn: format!("arn:aws:iam::{B}:user/deploy"),
            },
            baseline_location: Some(loc(30, 1)),
            message: "SSH key `APKAEXAMPLE` of user `deploy` is deleted".into(),
            help: "cli: aws iam upload-ssh-public-key".into(),
            diff: None,
            witnesses: Vec::new(),
            path: None,
        },
    ]
}

fn written(findings: &[Finding], waived: &[Waived], runs: &[AccountRun]) -> String {
    let sources: Vec<SourceInfo> = [A, B]
        .iter()
        .map(|id| SourceInfo {
            kind: "live",
            path: None,
            terraform_version: None,
            format_version: None,
            credential_report: Some(ReportTime {
                generated: Some(1_700_000_000),
                read_started: 1_700_000_100,
            }),
            account: Some(id.to_string()),
        })
        .collect();
    let report = Report {
        baseline_path: "shared.yaml",
        accounts: Some(runs),
        waived,
        out_of_scope: 3,
        ..Report::of(&sources, findings)
    };
    render::json::render(&report)
}

#[test]
fn a_report_of_several_accounts_reads_back_as_the_same_findings_accounts_and_sources() {
    let findings = findings();
    let waived = vec![Waived {
        finding: findings[2].clone(),
        reason: "rotating".into(),
        expires: Some("2027-01-31".into()),
        waiver_location: Loc {
            line: 40,
            column: 5,
            offset: 0,
            len: 0,
            file: 1,
        },
    }];
    let runs = vec![
        run(A, Status::Read, [2, 0, 0, 0, 0]),
        run(B, Status::Read, [0, 0, 1, 0, 0]),
    ];
    let shard = read(&written(&findings, &waived, &runs)).unwrap();
    assert_eq!(shard.findings, findings);
    assert_eq!(shard.waived.len(), 1);
    assert_eq!(shard.waived[0].finding, waived[0].finding);
    assert_eq!(shard.waived[0].waiver_location, waived[0].waiver_location);
    assert_eq!(shard.waived[0].expires.as_deref(), Some("2027-01-31"));
    // Seconds are written to the millisecond.
    assert_eq!(shard.accounts, runs);
    assert_eq!(shard.baseline, "shared.yaml");
    assert_eq!(shard.out_of_scope, 3);
    assert_eq!(shard.sources.len(), 2);
    assert_eq!(
        shard.sources[0].credential_report.map(|t| t.read_started),
        Some(1_700_000_100)
    );
}

#[test]
fn what_cannot_be_joined_is_refused_with_why() {
    let findings = findings();
    let runs = vec![run(A, Status::Denied, [0; 5]), run(B, Status::Read, [0; 5])];
    let good = written(&findings, &[], &runs);
    // A report of one account (no `accounts`).
    let mut one: serde_json::Value = serde_json::from_str(&good).unwrap();
    one.as_object_mut().unwrap().remove("accounts");
    let e = read(&one.to_string()).unwrap_err();
    assert!(
        e.contains("not the report of a run over several accounts"),
        "{e}"
    );
    // An edited finding: its fingerprint no longer matches.
    let edited = good.replace("\"resource\": \"role/app\"", "\"resource\": \"role/other\"");
    assert_ne!(edited, good);
    let e = read(&edited).unwrap_err();
    assert!(e.contains("fingerprint"), "{e}");
    // Attribution is not joined.
    let mut attributed: serde_json::Value = serde_json::from_str(&good).unwrap();
    attributed["findings"][0]["attribution_searched"] = json!(true);
    let e = read(&attributed.to_string()).unwrap_err();
    assert!(e.contains("CloudTrail attribution"), "{e}");
    // Another wire version, an unknown status.
    let e = read(&good.replacen("\"version\": 1", "\"version\": 2", 1)).unwrap_err();
    assert!(e.contains("version 2"), "{e}");
    let e = read(&good.replace("\"status\": \"denied\"", "\"status\": \"gone\"")).unwrap_err();
    assert!(e.contains("status `gone`"), "{e}");
}
