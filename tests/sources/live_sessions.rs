//! The session of each member account (AssumeRole through the SDK's
//! assume-role provider), against the loopback stub: asked once per account
//! for the one hour role chaining allows, and renewed before it expires; and
//! sent to the regional STS endpoint of the run's region. Counts calls; no
//! wall-clock assertion.

use super::live::{live_command, live_drift_as};
use crate::common::stub::{iam_error, iam_ok, Reply, Request, Stub};
use std::time::{SystemTime, UNIX_EPOCH};

const ACCOUNTS: [&str; 2] = ["210987654321", "310987654321"];

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// An empty account behind each role; AssumeRole's session ends
/// `lasts` seconds after it is given.
pub(super) fn answer(lasts: i64) -> impl Fn(&Request) -> Reply + Send + Sync + 'static {
    move |r: &Request| {
        let a = r.action.as_str();
        let empty = |tag: &str| {
            iam_ok(
                a,
                &format!("<{tag}></{tag}><IsTruncated>false</IsTruncated>"),
            )
        };
        match a {
            "AssumeRole" => {
                let arn = r.param("RoleArn").unwrap_or_default();
                let account = arn.split(':').nth(4).unwrap_or_default();
                iam_ok(
                    a,
                    &format!(
                        "<Credentials><AccessKeyId>ASIA{account}</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken><Expiration>{}</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROA:drift</AssumedRoleId><Arn>arn:aws:sts::{account}:assumed-role/drift/drift</Arn></AssumedRoleUser>",
                        iam_drift_guard::time::rfc3339(now() + lasts)
                    ),
                )
            }
            "GetAccountAuthorizationDetails" => iam_ok(
                a,
                "<UserDetailList></UserDetailList><GroupDetailList></GroupDetailList><RoleDetailList></RoleDetailList><Policies></Policies><IsTruncated>false</IsTruncated>",
            ),
            "ListRoles" => empty("Roles"),
            "ListUsers" => empty("Users"),
            "ListGroups" => empty("Groups"),
            "ListPolicies" => empty("Policies"),
            "ListAccountAliases" => empty("AccountAliases"),
            "ListInstanceProfiles" => empty("InstanceProfiles"),
            "GetAccountPasswordPolicy" => iam_error(404, "NoSuchEntity", "no password policy"),
            "ListOpenIDConnectProviders" => {
                iam_ok(a, "<OpenIDConnectProviderList></OpenIDConnectProviderList>")
            }
            "ListSAMLProviders" => iam_ok(a, "<SAMLProviderList></SAMLProviderList>"),
            "GenerateCredentialReport" => iam_ok(a, "<State>COMPLETE</State>"),
            "GetCredentialReport" => iam_ok(
                a,
                &format!(
                    "<Content>{}</Content><ReportFormat>text/csv</ReportFormat><GeneratedTime>{}</GeneratedTime>",
                    crate::common::stub::base64(b"user,arn,password_enabled,mfa_active,access_key_1_active,access_key_2_active\n"),
                    iam_drift_guard::time::rfc3339(now())
                ),
            ),
            other => iam_error(400, "InvalidAction", &format!("the test does not answer {other}")),
        }
    }
}

/// A shared baseline and an accounts file listing `ids`, in a new folder.
fn accounts_dir(ids: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("shared.yaml"), "version: 1\n").unwrap();
    let mut listed = String::from("version: 1\naccounts:\n");
    for id in ids {
        listed.push_str(&format!("  - id: \"{id}\"\n"));
    }
    std::fs::write(dir.path().join("accounts.yaml"), listed).unwrap();
    dir
}

/// `drift check --accounts` over the two accounts, against `stub`.
fn check(stub: &Stub) -> crate::common::Run {
    check_accounts(stub, &ACCOUNTS, &[])
}

/// `drift check --accounts` over `ids`, each with an empty baseline, against
/// `stub`, with `extra` options; the report in JSON.
pub(super) fn check_accounts(stub: &Stub, ids: &[&str], extra: &[&str]) -> crate::common::Run {
    let dir = accounts_dir(ids);
    let mut args = vec![
        "check",
        "--accounts",
        "accounts.yaml",
        "--baseline",
        "shared.yaml",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    live_drift_as(
        dir.path(),
        &args,
        &stub.url,
        &["AKIAMANAGEMENT".to_string(), "secret".to_string()],
    )
}

pub(super) fn statuses(run: &crate::common::Run) -> Vec<String> {
    let report: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    report["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn each_account_assumes_its_role_once_for_an_hour() {
    let stub = Stub::start(answer(12 * 3600));
    let run = check(&stub);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert_eq!(statuses(&run), ["read", "read"]);
    assert_eq!(stub.calls("AssumeRole"), ACCOUNTS.len());
    // One hour: the cap of role chaining, so the length never fails.
    assert_eq!(
        stub.calls_with("AssumeRole", "DurationSeconds", "3600"),
        ACCOUNTS.len()
    );
    for id in ACCOUNTS {
        assert_eq!(
            stub.calls_with(
                "AssumeRole",
                "RoleArn",
                &format!("arn:aws:iam::{id}:role/OrganizationAccountAccessRole")
            ),
            1
        );
    }
}

#[test]
fn a_session_about_to_expire_is_renewed_and_the_read_goes_on() {
    // Each session ends within the five minutes before expiry in which the
    // SDK's cache renews it: the next call asks the role again.
    let stub = Stub::start(answer(120));
    let run = check(&stub);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    assert_eq!(statuses(&run), ["read", "read"]);
    assert!(
        stub.calls("AssumeRole") > ACCOUNTS.len(),
        "{} AssumeRole calls",
        stub.calls("AssumeRole")
    );
    // Every account was read whole with its renewed sessions.
    assert!(stub.calls("GetAccountAuthorizationDetails") >= ACCOUNTS.len());
}

/// A proxy on loopback that records the target of each `CONNECT` and
/// refuses it: where the SDK would have sent a request, without the network.
struct RefusingProxy {
    url: String,
    seen: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl RefusingProxy {
    fn start() -> RefusingProxy {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut first = String::new();
                let _ = reader.read_line(&mut first);
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                        break;
                    }
                }
                log.lock().unwrap().push(first.trim().to_string());
                let mut stream = stream;
                let _ = stream.write_all(
                    b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
            }
        });
        RefusingProxy { url, seen }
    }
}

#[test]
fn roles_are_assumed_at_the_regional_sts_endpoint_of_the_run() {
    let proxy = RefusingProxy::start();
    let dir = accounts_dir(&ACCOUNTS[..1]);
    let mut cmd = live_command(
        dir.path(),
        &["AKIAMANAGEMENT".to_string(), "secret".to_string()],
    );
    cmd.args([
        "check",
        "--accounts",
        "accounts.yaml",
        "--baseline",
        "shared.yaml",
        "--region",
        "eu-west-1",
        "--format",
        "json",
    ])
    .env("HTTPS_PROXY", &proxy.url)
    .env("NO_PROXY", "");
    let out = cmd.output().unwrap();
    let run = crate::common::Run::of(&out);
    // The proxy refuses: the account's role is not assumed, the run says so.
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(statuses(&run), ["denied"]);
    let seen = proxy.seen.lock().unwrap().clone();
    assert!(!seen.is_empty(), "no request reached the proxy");
    for line in &seen {
        assert_eq!(
            line, "CONNECT sts.eu-west-1.amazonaws.com:443 HTTP/1.1",
            "every request goes to STS in the run's region: {seen:?}"
        );
    }
}

#[test]
fn lookup_events_are_refused_over_several_accounts() {
    // LookupEvents answers for the run's own account only: the members'
    // findings would read "searched, none found". Nothing is called.
    let stub = Stub::start(answer(12 * 3600));
    let run = check_accounts(&stub, &ACCOUNTS, &["--cloudtrail", "lookup"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`--cloudtrail lookup` reads the events of the run's own account only")
            && run.stderr.contains("--cloudtrail DIR"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
    assert!(stub.requests().is_empty(), "{:?}", stub.requests());
}
