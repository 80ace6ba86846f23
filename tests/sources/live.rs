//! The live source against a real IAM API server on loopback (moto), seeded and
//! drifted with boto3: real HTTP, the real SDK, no mocks.

use crate::common::*;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub(super) struct Moto {
    child: Child,
    pub endpoint: String,
}

impl Moto {
    pub(super) fn start() -> Moto {
        Moto::start_with(None)
    }

    /// With `Some(n)`, moto checks every request after the first `n` against the
    /// caller's IAM policies.
    fn start_with(free_requests: Option<usize>) -> Moto {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut cmd = Command::new("moto_server");
        // AWS managed policies exist, as in every account.
        cmd.env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true");
        if let Some(n) = free_requests {
            cmd.env("INITIAL_NO_AUTH_ACTION_COUNT", n.to_string());
        }
        let child = cmd
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server runs (.ci/run installs moto[server])");
        let endpoint = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "moto_server did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        Moto { child, endpoint }
    }

    pub(super) fn apply(&self, steps: &[&str]) -> String {
        let out = Command::new("python3")
            .arg(root().join("tests/fixtures/live/iam.py"))
            .arg(&self.endpoint)
            .args(steps)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs drift against this server with dummy credentials, in `dir`.
    pub(super) fn drift(&self, dir: &Path, args: &[&str]) -> Run {
        live_drift(dir, args, &self.endpoint, ("testing", "testing"))
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(super) fn live_drift(dir: &Path, args: &[&str], endpoint: &str, key: (&str, &str)) -> Run {
    live_drift_as(dir, args, endpoint, &[key.0.to_string(), key.1.to_string()])
}

/// [`live_drift`] with an access key, its secret and optionally a session
/// token (a role's credentials, as STS gives them).
pub(super) fn live_drift_as(dir: &Path, args: &[&str], endpoint: &str, keys: &[String]) -> Run {
    let mut cmd = live_command(dir, keys);
    cmd.args(args).arg("--endpoint-url").arg(endpoint);
    let out = cmd.output().unwrap();
    Run::of(&out)
}

/// `drift` in `dir` with only the given credentials (an access key, its
/// secret, optionally a session token), us-east-1, never the instance
/// metadata service and no proxy of the machine's.
pub(super) fn live_command(dir: &Path, keys: &[String]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_drift"));
    cmd.current_dir(dir);
    for (key, _) in std::env::vars() {
        let proxy = key.to_ascii_uppercase().ends_with("_PROXY");
        if key.starts_with("AWS_") || key.starts_with("GITHUB_") || key == "CI" || proxy {
            cmd.env_remove(key);
        }
    }
    cmd.env("AWS_ACCESS_KEY_ID", &keys[0])
        .env("AWS_SECRET_ACCESS_KEY", &keys[1])
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", dir.join("no-config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("no-credentials"))
        .env("NO_COLOR", "1");
    if let Some(token) = keys.get(2) {
        cmd.env("AWS_SESSION_TOKEN", token);
    }
    cmd
}

/// A seeded account, a baseline written from it, and the check of that baseline.
pub(super) fn seeded() -> (Moto, tempfile::TempDir) {
    let moto = Moto::start();
    moto.apply(&["base"]);
    let dir = tempfile::tempdir().unwrap();
    let init = moto.drift(dir.path(), &["init", "--live", "--output", "baseline.yaml"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    (moto, dir)
}

fn check(moto: &Moto, dir: &Path) -> (i32, Vec<serde_json::Value>) {
    let run = moto.drift(
        dir,
        &["check", "--live", "--format", "json", "--fail-on", "info"],
    );
    assert!(
        run.code == 0 || run.code == 1,
        "exit {}: {}",
        run.code,
        run.stderr
    );
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    (run.code, v["findings"].as_array().unwrap().clone())
}

fn rules(findings: &[serde_json::Value]) -> Vec<(String, String)> {
    findings
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["resource"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Rule, severity and resource of each finding, sorted.
fn rated(findings: &[serde_json::Value]) -> Vec<(String, String, String)> {
    let text = |f: &serde_json::Value, k: &str| f[k].as_str().unwrap().to_string();
    let mut got: Vec<_> = findings
        .iter()
        .map(|f| (text(f, "rule"), text(f, "severity"), text(f, "resource")))
        .collect();
    got.sort();
    got
}

fn pair(rule: &str, resource: &str) -> (String, String) {
    (rule.to_string(), resource.to_string())
}

#[test]
fn init_then_check_is_clean_and_keeps_stable_ids() {
    let (moto, dir) = seeded();
    let text = std::fs::read_to_string(dir.path().join("baseline.yaml")).unwrap();
    assert!(text.contains("minimum_password_length: 14"), "{text}");
    assert!(text.contains("alias: acme-prod"), "{text}");
    assert!(text.contains("console_access: true"), "{text}");
    assert!(text.contains("    id: "), "stable ids: {text}");
    let (code, findings) = check(&moto, dir.path());
    assert_eq!((code, findings.len()), (0, 0), "{findings:#?}");
}

#[test]
fn user_names_with_commas_keep_their_own_credential_report_rows() {
    let moto = Moto::start();
    moto.apply(&["base", "comma-users"]);
    let dir = tempfile::tempdir().unwrap();
    // `dev` has a console password, `dev,admin` has none: the baseline says the
    // opposite of each, and both must be found.
    std::fs::write(
        dir.path().join("baseline.yaml"),
        "version: 1\nusers:\n  dev: { console_access: false }\n  \"dev,admin\": { console_access: true }\n  \"ops,admin,x\": { console_access: true }\nsettings: { unmanaged: ignore }\n",
    )
    .unwrap();
    let (code, findings) = check(&moto, dir.path());
    assert_eq!(code, 1);
    assert_eq!(
        rules(&findings),
        vec![
            pair("login-profile-unmanaged", "user/dev"),
            pair("login-profile-removed", "user/dev,admin"),
        ],
        "{findings:#?}"
    );
}

#[test]
fn password_policy_drift() {
    let (moto, dir) = seeded();
    moto.apply(&["lower-length"]);
    let (code, f) = check(&moto, dir.path());
    assert_eq!(code, 1);
    assert_eq!(
        rules(&f),
        vec![pair("password-policy-weakened", "password-policy")]
    );
    assert_eq!(
        (f[0]["expected"].as_u64(), f[0]["observed"].as_u64()),
        (Some(14), Some(8))
    );
    assert_eq!(
        f[0]["source"]["arn"],
        "arn:aws:iam::123456789012:account-password-policy"
    );

    // An update that leaves fields out resets them: each one is weakened.
    moto.apply(&["update-omitting-fields"]);
    let (_, f) = check(&moto, dir.path());
    let fields: Vec<&str> = f.iter().map(|f| f["field"].as_str().unwrap()).collect();
    for field in [
        "require_symbols",
        "require_numbers",
        "max_password_age",
        "password_reuse_prevention",
    ] {
        assert!(fields.contains(&field), "{field} not reported: {fields:?}");
    }
    assert!(f.iter().all(|f| f["rule"] == "password-policy-weakened"
        || f["field"] == "allow_users_to_change_password"));

    moto.apply(&["delete-password-policy"]);
    let (_, f) = check(&moto, dir.path());
    assert_eq!(
        rules(&f),
        vec![pair("password-policy-removed", "password-policy")]
    );
    assert_eq!(f[0]["severity"], "critical");
}

#[test]
fn user_rename_is_one_finding_and_a_path_change_is_reported() {
    let (moto, dir) = seeded();
    moto.apply(&["rename-alice"]);
    let (_, f) = check(&moto, dir.path());
    assert_eq!(
        rules(&f),
        vec![pair("user-changed", "user/alice")],
        "{f:#?}"
    );
    assert_eq!(f[0]["message"], "user `alice` is renamed to `mallory`");
    let (moto, dir) = seeded();
    moto.apply(&["move-alice"]);
    let (_, f) = check(&moto, dir.path());
    assert_eq!(rules(&f), vec![pair("user-changed", "user/alice")]);
    assert_eq!(f[0]["field"], "path");
    assert_eq!(f[0]["observed"], "/contractors/");
}

#[test]
fn ssh_key_deleted_and_deactivated() {
    let (moto, dir) = seeded();
    moto.apply(&["deactivate-ssh-key"]);
    let (_, f) = check(&moto, dir.path());
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0]["rule"], "ssh-key-changed");
    assert_eq!(f[0]["observed"], "Inactive");
    moto.apply(&["delete-ssh-key"]);
    let (_, f) = check(&moto, dir.path());
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(f[0]["rule"], "ssh-key-removed");
    assert!(f[0]["resource"]
        .as_str()
        .unwrap()
        .starts_with("user/deploy/ssh-key/"));
}

#[test]
fn instance_profile_role_removed_then_profile_deleted() {
    let (moto, dir) = seeded();
    moto.apply(&["remove-role-from-profile"]);
    let (_, f) = check(&moto, dir.path());
    assert_eq!(
        rules(&f),
        vec![pair("instance-profile-changed", "instance-profile/app")],
        "{f:#?}"
    );
    let (moto, dir) = seeded();
    moto.apply(&["delete-profile"]);
    let (_, f) = check(&moto, dir.path());
    assert_eq!(
        rules(&f),
        vec![pair("instance-profile-removed", "instance-profile/app")],
        "{f:#?}"
    );
    assert_eq!(f[0]["severity"], "high");
}

#[test]
fn unmanaged_user_and_role_and_a_changed_inline_policy() {
    let (moto, dir) = seeded();
    moto.apply(&["unmanaged-user-and-role", "change-inline-policy"]);
    let (_, f) = check(&moto, dir.path());
    let mut got = rules(&f);
    got.sort();
    assert_eq!(
        got,
        vec![
            pair("role-unmanaged", "role/backdoor"),
            pair("user-policy-widened", "user/alice"),
            pair("user-unmanaged", "user/intruder")
        ]
    );
    let changed = f
        .iter()
        .find(|f| f["rule"] == "user-policy-widened")
        .unwrap();
    assert_eq!(changed["field"], "inline_policies.notes-access");
    let diff = changed["diff"].as_str().unwrap();
    assert!(
        diff.contains("-        \"s3:GetObject\"") && diff.contains("+        \"s3:*\""),
        "{diff}"
    );
}

/// Roles AWS made are `role-provisioned` at info, read as AWS returns them
/// (the service-linked role's path is AWS's own), and an ordinary undeclared
/// role next to them stays `role-unmanaged`.
#[test]
fn roles_aws_made_are_provisioned() {
    let (moto, dir) = seeded();
    moto.apply(&["aws-made-roles", "unmanaged-user-and-role"]);
    let (_, f) = check(&moto, dir.path());
    let got = rated(&f);
    let of = |rule: &str| -> Vec<&(String, String, String)> {
        got.iter().filter(|(r, _, _)| r == rule).collect()
    };
    let provisioned = of("role-provisioned");
    assert_eq!(provisioned.len(), 3, "{got:#?}");
    assert!(provisioned
        .iter()
        .all(|(_, severity, _)| severity == "info"));
    for name in [
        "role/AWSServiceRoleForAutoScaling",
        "role/AWSReservedSSO_ReadOnly_0123456789abcdef",
        "role/AWSControlTowerExecution",
    ] {
        assert!(
            provisioned.iter().any(|(_, _, r)| r == name),
            "{name}: {got:#?}"
        );
    }
    assert_eq!(
        of("role-unmanaged")
            .iter()
            .map(|(_, _, r)| r.as_str())
            .collect::<Vec<_>>(),
        vec!["role/backdoor"]
    );
}

#[test]
fn another_account_stops_before_comparing() {
    let (moto, dir) = seeded();
    let path = dir.path().join("baseline.yaml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("\"123456789012\"", "\"210987654321\"");
    std::fs::write(&path, text).unwrap();
    let run = moto.drift(dir.path(), &["check", "--live"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "these credentials read account 123456789012, the baseline is for account 210987654321"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn unreachable_endpoint_fails_closed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("baseline.yaml"),
        "version: 1\npassword_policy: { minimum_password_length: 14 }\n",
    )
    .unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let run = live_drift(
        dir.path(),
        &["check", "--live"],
        &format!("http://127.0.0.1:{port}"),
        ("testing", "testing"),
    );
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stdout.is_empty());
    for section in [
        "users, groups, roles and policies",
        "the account password policy",
        "instance profiles",
        "SSH keys",
    ] {
        assert!(
            run.stderr.contains(section),
            "{section} not named: {}",
            run.stderr
        );
    }
}

/// The kinds table lists exactly the IAM actions the live source names (and
/// it names every call it makes in its errors); tests/core/kinds.rs holds the
/// table and examples/iam-readonly-policy.json together.
#[test]
fn the_kinds_table_lists_exactly_the_actions_called() {
    let mut listed: Vec<&str> = iam_drift_guard::kinds::KINDS
        .iter()
        .flat_map(|e| e.live.iter().copied())
        .collect();
    listed.sort_unstable();
    listed.dedup();
    let mut source = String::new();
    for entry in std::fs::read_dir(root().join("src/sources/aws")).unwrap() {
        source.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    let mut called: Vec<&str> = source
        .match_indices("\"iam:")
        .map(|(i, _)| source[i + 1..].split('"').next().unwrap())
        .collect();
    called.sort_unstable();
    called.dedup();
    assert_eq!(listed, called);
}

/// The member-account role examples (a CloudFormation StackSet template and
/// Terraform) grant exactly the read-only policy's actions, and only to the
/// account drift runs in, with an external id.
#[test]
fn the_member_role_examples_grant_the_readonly_policy() {
    let read = |path: &str| std::fs::read_to_string(root().join(path)).unwrap();
    let policy: serde_json::Value =
        serde_json::from_str(&read("examples/iam-readonly-policy.json")).unwrap();
    let mut want: Vec<String> = policy["Statement"][0]["Action"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    want.sort();
    let cfn: serde_json::Value =
        serde_saphyr::from_str(&read("examples/member-role/cloudformation.yaml")).unwrap();
    let role = &cfn["Resources"]["DriftReadOnlyRole"]["Properties"];
    let statement = &role["Policies"][0]["PolicyDocument"]["Statement"][0];
    let mut got: Vec<String> = statement["Action"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    got.sort();
    assert_eq!(got, want, "cloudformation.yaml");
    assert_eq!(statement["Effect"], "Allow");
    let trust = &role["AssumeRolePolicyDocument"]["Statement"][0];
    assert!(trust["Condition"]["StringEquals"]["sts:ExternalId"].is_object());
    assert!(trust["Principal"]["AWS"]["Fn::Sub"]
        .as_str()
        .unwrap()
        .ends_with(":iam::${TrustedAccountId}:root"));
    let tf = read("examples/member-role/main.tf");
    let actions = &tf[tf.find("Action = [").unwrap()..];
    let actions = &actions[..actions.find(']').unwrap()];
    let mut got: Vec<String> = actions
        .split('"')
        .filter(|a| a.starts_with("iam:"))
        .map(str::to_string)
        .collect();
    got.sort();
    assert_eq!(got, want, "main.tf");
    assert!(tf.contains("\"sts:ExternalId\" = var.external_id"));
}

/// Seeds a server that enforces IAM policies after the seeding, and returns it
/// with the reader's access key.
fn enforcing(reader_step: &str) -> (Moto, String, String) {
    // How many requests the seeding sends, counted on a server that checks nothing.
    let counting = Moto::start();
    let out = counting.apply(&["base", reader_step]);
    let sent: usize = out
        .lines()
        .find_map(|l| l.strip_prefix("requests "))
        .unwrap()
        .parse()
        .unwrap();
    drop(counting);
    let moto = Moto::start_with(Some(sent));
    let out = moto.apply(&["base", reader_step]);
    let mut key = out
        .lines()
        .find_map(|l| l.strip_prefix("key "))
        .unwrap()
        .split(' ');
    let (id, secret) = (
        key.next().unwrap().to_string(),
        key.next().unwrap().to_string(),
    );
    (moto, id, secret)
}

#[test]
fn the_example_policy_is_enough() {
    let (moto, id, secret) = enforcing("reader");
    let dir = tempfile::tempdir().unwrap();
    let init = live_drift(
        dir.path(),
        &["init", "--live", "--output", "baseline.yaml"],
        &moto.endpoint,
        (&id, &secret),
    );
    assert_eq!(init.code, 0, "{}", init.stderr);
    let run = live_drift(
        dir.path(),
        &["check", "--live", "--format", "json"],
        &moto.endpoint,
        (&id, &secret),
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    // The check is real: a request with a key that has no policy is refused.
    let refused = live_drift(
        dir.path(),
        &["check", "--live"],
        &moto.endpoint,
        ("AKIAUNKNOWNKEY000000", "nope"),
    );
    assert_eq!(refused.code, 2, "{}", refused.stderr);
}

#[test]
fn less_than_the_example_policy_fails_closed() {
    let (moto, id, secret) = enforcing("reader-without-ssh");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("baseline.yaml"),
        "version: 1\nusers: { deploy: { ssh_public_keys: [] } }\n",
    )
    .unwrap();
    let run = live_drift(
        dir.path(),
        &["check", "--live"],
        &moto.endpoint,
        (&id, &secret),
    );
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains("SSH keys of user `alice`")
            && run.stderr.contains("iam:ListSSHPublicKeys"),
        "{}",
        run.stderr
    );
}

/// The nightly job on a live account: two reports, the second with the trend.
#[test]
fn nightly_reports_with_trend() {
    let (moto, dir) = seeded();
    moto.apply(&["deactivate-ssh-key"]);
    let first = moto.drift(dir.path(), &["report", "--live", "--out", "night1"]);
    assert_eq!(first.code, 1, "{}", first.stderr);
    moto.apply(&["delete-password-policy"]);
    let second = moto.drift(
        dir.path(),
        &[
            "report",
            "--live",
            "--out",
            "night2",
            "--previous",
            "night1/report.json",
        ],
    );
    assert_eq!(second.code, 1, "{}", second.stderr);
    let v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("night2/report.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(v["sources"][0]["kind"], "live");
    assert_eq!(
        (
            v["trend"]["new"].as_u64(),
            v["trend"]["persisting"].as_u64(),
            v["trend"]["resolved"].as_u64()
        ),
        (Some(1), Some(1), Some(0))
    );
    let html = std::fs::read_to_string(dir.path().join("night2/report.html")).unwrap();
    assert!(html.contains("password-policy-removed") && html.contains("ssh-key-changed"));
}

/// drift with no credentials anywhere (no environment, no files, no metadata).
fn without_credentials(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_drift"));
    cmd.args(args).current_dir(dir).env_clear();
    cmd.env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", dir.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("credentials"))
        .env("NO_COLOR", "1");
    let out = cmd.output().unwrap();
    Run::of(&out)
}

#[test]
fn missing_credentials_a_mistyped_profile_and_a_bad_endpoint_are_one_clear_error() {
    let dir = example_baseline_dir();
    std::fs::write(
        dir.path().join("config"),
        "[profile real]\nregion = us-east-1\n",
    )
    .unwrap();
    let run = without_credentials(dir.path(), &["check", "--live"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no AWS credentials were found"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("not read ("),
        "one error, not one per section: {}",
        run.stderr
    );
    let run = without_credentials(dir.path(), &["check", "--live", "--profile", "prod-typo"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("profile `prod-typo` was not defined"),
        "{}",
        run.stderr
    );
    let run = without_credentials(
        dir.path(),
        &["check", "--live", "--endpoint-url", "localhost:5000"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("is not an http:// or https:// URL"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("Request {"),
        "no SDK dump: {}",
        run.stderr
    );
}

/// The edits attackers make, in a moto account: a trust opened to every
/// account, an administrator policy (`*` on `*`) put on a declared user, and
/// a new role anyone can assume holding one, reported although undeclared
/// objects are quieted.
#[test]
fn widened_trust_admin_attachment_and_a_public_admin_role_are_critical() {
    let (moto, dir) = seeded();
    let path = dir.path().join("baseline.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("unmanaged: report"), "{text}");
    std::fs::write(
        &path,
        text.replace("unmanaged: report", "unmanaged: ignore"),
    )
    .unwrap();
    moto.apply(&["open-app-trust", "admin-to-alice", "admin-backdoor-role"]);
    let (code, f) = check(&moto, dir.path());
    assert_eq!(code, 1);
    let t = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(
        rated(&f),
        vec![
            t("role-trust-widened", "critical", "role/app"),
            t("role-unmanaged", "critical", "role/admin-backdoor"),
            t("user-policy-widened", "critical", "user/alice"),
        ],
        "{f:#?}"
    );
}

/// AWS managed policies attached in a moto account (which loads them as AWS
/// has them), judged by the managed table, and the default version of a
/// customer managed policy widened (moto leaves its `PolicyName` out: the
/// name comes from its ARN).
#[test]
fn aws_managed_attachments_and_a_widened_customer_policy() {
    let (moto, dir) = seeded();
    let text = std::fs::read_to_string(dir.path().join("baseline.yaml")).unwrap();
    for declared in [
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "arn:aws:iam::aws:policy/IAMReadOnlyAccess",
        "arn:aws:iam::123456789012:policy/ci/artifacts",
        "  artifacts:",
    ] {
        assert!(text.contains(declared), "{declared}: {text}");
    }
    moto.apply(&[
        "administrator-to-deploy",
        "iam-full-access-to-admins",
        "readonly-off-app",
        "widen-artifacts",
    ]);
    let (code, f) = check(&moto, dir.path());
    assert_eq!(code, 1);
    let t = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(
        rated(&f),
        vec![
            t("group-policy-widened", "critical", "group/admins"),
            t("policy-widened", "high", "policy/artifacts"),
            t("role-policy-narrowed", "low", "role/app"),
            t("user-policy-widened", "critical", "user/deploy"),
        ],
        "{f:#?}"
    );
    let on = |resource: &str| f.iter().find(|f| f["resource"] == resource).unwrap();
    let message = |resource: &str| on(resource)["message"].as_str().unwrap().to_string();
    assert!(
        message("user/deploy").contains("arn:aws:iam::aws:policy/AdministratorAccess"),
        "{}",
        message("user/deploy")
    );
    assert!(
        message("group/admins").contains("IAMFullAccess"),
        "{}",
        message("group/admins")
    );
    let widened = on("policy/artifacts");
    assert_eq!(widened["witnesses"][0]["change"], "allowed", "{widened:#}");
    assert!(
        widened["witnesses"][0]["request"]["action"]
            .as_str()
            .is_some_and(|a| a.starts_with("s3:")),
        "{widened:#}"
    );
}

/// The live tests run against the moto version CI pins
/// (`tests/fixtures/live/moto-version`), or any 5.x with `DRIFT_MOTO=latest`.
#[test]
fn moto_is_the_pinned_version() {
    let pin = std::fs::read_to_string(root().join("tests/fixtures/live/moto-version")).unwrap();
    let out = Command::new("python3")
        .args(["-c", "import moto; print(moto.__version__)"])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if std::env::var("DRIFT_MOTO").as_deref() == Ok("latest") {
        assert!(got.starts_with("5."), "moto {got}");
    } else {
        assert_eq!(
            got,
            pin.trim(),
            "run .ci/run, which installs the pinned moto"
        );
    }
}

/// moto says every credential report was generated on 2015-02-02: older than
/// the read, so every user's console password and MFA are read one by one,
/// and the report's age is shown among the sources.
#[test]
fn the_credential_report_age_is_among_the_sources() {
    let (moto, dir) = seeded();
    let run = moto.drift(dir.path(), &["check", "--live", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let report = &v["sources"][0]["credential_report"];
    assert_eq!(report["stale"], true, "{v:#}");
    assert!(
        report["generated_at"]
            .as_str()
            .is_some_and(|t| t.starts_with("2015-02-02")),
        "{v:#}"
    );
    let human = moto.drift(dir.path(), &["check", "--live"]);
    assert!(
        human
            .stdout
            .contains("credential report generated 2015-02-02"),
        "{}",
        human.stdout
    );
    let md = moto.drift(dir.path(), &["check", "--live", "--format", "markdown"]);
    assert!(
        md.stdout.contains("Live read: credential report"),
        "{}",
        md.stdout
    );
}
