//! A run over many accounts, against the tests' loopback stub (fast answers):
//! that time grows linearly with the number of accounts at a fixed
//! `--account-concurrency`, that memory follows the findings and not the
//! accounts, and that each account costs the calls of a single-account read
//! plus its AssumeRole.
//!
//! Each account answers as a small real one would: 5 users (one with an SSH
//! key), 3 roles with a trust policy, a password policy, a fresh credential
//! report; judged against a baseline that declares none of it, each gives 8
//! findings of varied kinds and names.
//!
//!     cargo bench --bench accounts

#![allow(clippy::unwrap_used, clippy::print_stdout)]

#[path = "../tests/common/stub.rs"]
#[allow(dead_code)]
mod stub;

use std::path::Path;
use std::process::{Command, Stdio};
use stub::{iam_error, iam_ok, members, Reply, Request, Stub};

const SIZES: [usize; 3] = [250, 500, 1000];
const USERS: usize = 5;
const ROLES: usize = 3;
/// Accounts read at once: fixed, so that time shows its growth with accounts.
const CONCURRENCY: usize = 16;

fn account_of(r: &Request) -> String {
    r.key.trim_start_matches("ASIA").to_string()
}

fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    iam_drift_guard::time::rfc3339(secs)
}

fn user(account: &str, i: usize) -> String {
    format!(
        "<Path>/team-{}/</Path><UserName>user-{account}-{i}</UserName><UserId>AIDA{account}{i}</UserId><Arn>arn:aws:iam::{account}:user/team-{}/user-{account}-{i}</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate>",
        i % 2,
        i % 2
    )
}

fn role(account: &str, i: usize) -> String {
    let trust = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ec2.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D";
    format!(
        "<Path>/</Path><RoleName>role-{account}-{i}</RoleName><RoleId>AROA{account}{i}</RoleId><Arn>arn:aws:iam::{account}:role/role-{account}-{i}</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate><MaxSessionDuration>3600</MaxSessionDuration><AssumeRolePolicyDocument>{trust}</AssumeRolePolicyDocument>"
    )
}

fn answer(r: &Request) -> Reply {
    let a = r.action.as_str();
    if a == "AssumeRole" {
        let arn = r.param("RoleArn").unwrap_or_default();
        let account = arn.split(':').nth(4).unwrap_or_default();
        return iam_ok(
            a,
            &format!(
                "<Credentials><AccessKeyId>ASIA{account}</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROA:drift</AssumedRoleId><Arn>arn:aws:sts::{account}:assumed-role/drift/drift</Arn></AssumedRoleUser>"
            ),
        );
    }
    let account = account_of(r);
    let list = |tag: &str, items: Vec<String>| {
        iam_ok(
            a,
            &format!("{}<IsTruncated>false</IsTruncated>", members(tag, items)),
        )
    };
    match a {
        "GetAccountAuthorizationDetails" => iam_ok(
            a,
            &format!(
                "{}{}<IsTruncated>false</IsTruncated>",
                members("UserDetailList", (0..USERS).map(|i| user(&account, i))),
                members("RoleDetailList", (0..ROLES).map(|i| role(&account, i)))
            ),
        ),
        "ListRoles" => list("Roles", (0..ROLES).map(|i| role(&account, i)).collect()),
        "GetAccountPasswordPolicy" => iam_ok(
            a,
            "<PasswordPolicy><MinimumPasswordLength>14</MinimumPasswordLength><RequireSymbols>true</RequireSymbols></PasswordPolicy>",
        ),
        "ListAccountAliases" => list("AccountAliases", vec![]),
        "ListInstanceProfiles" => list("InstanceProfiles", vec![]),
        "ListSSHPublicKeys" => {
            let name = r.param("UserName").unwrap_or_default();
            let keys = if name.ends_with("-0") {
                vec![format!("<UserName>{name}</UserName><SSHPublicKeyId>APKA{account}</SSHPublicKeyId><Status>Active</Status><UploadDate>2024-01-01T00:00:00Z</UploadDate>")]
            } else {
                vec![]
            };
            list("SSHPublicKeys", keys)
        }
        "ListAccessKeys" => list("AccessKeyMetadata", vec![]),
        "ListOpenIDConnectProviders" => iam_ok(a, "<OpenIDConnectProviderList></OpenIDConnectProviderList>"),
        "ListSAMLProviders" => iam_ok(a, "<SAMLProviderList></SAMLProviderList>"),
        "GenerateCredentialReport" => iam_ok(a, "<State>COMPLETE</State>"),
        "GetCredentialReport" => {
            let mut csv = String::from("user,arn,password_enabled,mfa_active,access_key_1_active,access_key_2_active\n");
            for i in 0..USERS {
                csv.push_str(&format!(
                    "user-{account}-{i},arn:aws:iam::{account}:user/team-{}/user-{account}-{i},false,false,false,false\n",
                    i % 2
                ));
            }
            iam_ok(
                a,
                &format!(
                    "<Content>{}</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>{}</GeneratedTime>",
                    stub::base64(csv.as_bytes()),
                    now()
                ),
            )
        }
        other => iam_error(400, "InvalidAction", &format!("the bench does not answer {other}")),
    }
}

/// Runs drift to completion under GNU time: seconds, CPU seconds, peak
/// resident memory (MiB), exit code. The child's own `ru_maxrss` cannot be
/// used: a child forked from this process starts with this process's peak
/// (the stub's log of every request), and the kernel keeps it across exec.
fn run(dir: &Path, args: &[&str], endpoint: &str) -> (f64, f64, f64, i32) {
    let measured = dir.join("time.txt");
    let status = Command::new("/usr/bin/time")
        .args(["-f", "%e %U %S %M", "-o"])
        .arg(&measured)
        .arg(env!("CARGO_BIN_EXE_drift"))
        .args(args)
        .args(["--endpoint-url", endpoint])
        .current_dir(dir)
        .env_clear()
        .env("AWS_ACCESS_KEY_ID", "ASIAMANAGEMENT")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", dir.join("none"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("none"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("GNU time (/usr/bin/time) measures drift alone");
    let text = std::fs::read_to_string(&measured).unwrap();
    let figures: Vec<f64> = text
        .lines()
        .last()
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    let [secs, user, system, kib] = figures[..] else {
        panic!("GNU time said `{text}`");
    };
    (
        secs,
        user + system,
        kib / 1024.0,
        status.code().unwrap_or(-1),
    )
}

fn main() {
    let stub = Stub::start(answer);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("shared.yaml"), "version: 1\n").unwrap();
    println!("accounts (stub, {USERS} users and {ROLES} roles each, 8 findings each):");
    println!(
        "{:>9} {:>12} {:>10} {:>12} {:>12} {:>10} {:>12} {:>10}",
        "accounts",
        "concurrency",
        "seconds",
        "ms/account",
        "CPU ms/acct",
        "peak MiB",
        "calls/acct",
        "findings"
    );
    for n in SIZES {
        let mut listed = String::from("version: 1\naccounts:\n");
        for i in 0..n {
            listed.push_str(&format!("  - id: \"{}\"\n", 100_000_000_000u64 + i as u64));
        }
        std::fs::write(dir.path().join("accounts.yaml"), listed).unwrap();
        {
            let concurrency = CONCURRENCY;
            let before = stub.requests().len();
            let (secs, cpu, rss, code) = run(
                dir.path(),
                &[
                    "check",
                    "--accounts",
                    "accounts.yaml",
                    "--baseline",
                    "shared.yaml",
                    "--format",
                    "json",
                    "--output",
                    "out.json",
                    "--fail-on",
                    "critical",
                    "--account-concurrency",
                    &concurrency.to_string(),
                ],
                &stub.url,
            );
            let calls = stub.requests().len() - before;
            let report: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(dir.path().join("out.json")).unwrap(),
            )
            .unwrap();
            let read = report["accounts"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|a| a["status"] == "read")
                .count();
            assert_eq!(read, n, "every account read (exit {code})");
            println!(
                "{n:>9} {concurrency:>12} {secs:>10.2} {:>12.2} {:>12.2} {rss:>10.1} {:>12.1} {:>10}",
                secs * 1000.0 / n as f64,
                cpu * 1000.0 / n as f64,
                calls as f64 / n as f64,
                report["findings"].as_array().unwrap().len()
            );
        }
    }
}
