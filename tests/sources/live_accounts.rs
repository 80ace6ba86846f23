//! Several accounts in one run, against an AWS organization in moto on
//! loopback: member accounts made with Organizations, each seeded and drifted
//! through the role drift assumes there too (moto acts on the account of an
//! assumed role), one member whose role is refused and one IAM throttles (the
//! fault proxy, as moto refuses and throttles nothing), one suspended.

use super::live::{live_drift_as, Moto};
use super::live_faults::FaultProxy;
use crate::common::*;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// An organization of `n` members: (name, id) of each, and the ids of its
/// two organizational units (`even`, `odd`: members by position).
fn organization(moto: &Moto, n: usize) -> (Vec<(String, String)>, String, String) {
    let out = Command::new("python3")
        .arg(root().join("tests/fixtures/live/organization.py"))
        .args([moto.endpoint.as_str(), "make", &n.to_string()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut members = Vec::new();
    let (mut even, mut odd) = (String::new(), String::new());
    for line in text.lines() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        match parts.as_slice() {
            ["account", name, id] => members.push((name.to_string(), id.to_string())),
            ["unit", "even", id] => even = id.to_string(),
            ["unit", "odd", id] => odd = id.to_string(),
            _ => {}
        }
    }
    assert_eq!(members.len(), n, "{text}");
    (members, even, odd)
}

/// Applies iam.py steps in a member account.
fn apply_in(moto: &Moto, account: &str, steps: &[&str]) {
    let out = Command::new("python3")
        .arg(root().join("tests/fixtures/live/iam.py"))
        .arg(&moto.endpoint)
        .args(steps)
        .env("DRIFT_ACCOUNT", account)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn organization_step(moto: &Moto, step: &str, arg: &str) {
    let out = Command::new("python3")
        .arg(root().join("tests/fixtures/live/organization.py"))
        .args([moto.endpoint.as_str(), step, arg])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every member seeded as it should be, and an accounts file naming each
/// with its own baseline (`NAME.yaml`), in a new folder.
fn seeded_members(moto: &Moto, members: &[(String, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut listed = String::from("version: 1\naccounts:\n");
    for (name, account) in members {
        apply_in(moto, account, &["base"]);
        listed.push_str(&format!(
            "  - id: \"{account}\"\n    name: {name}\n    baseline: {name}.yaml\n"
        ));
    }
    std::fs::write(dir.path().join("accounts.yaml"), &listed).unwrap();
    dir
}

/// Credentials of a role in `account`, as STS gives them.
fn member_keys(moto: &Moto, account: &str) -> [String; 3] {
    let script = "import boto3,sys\n\
s=boto3.client('sts',endpoint_url=sys.argv[1],region_name='us-east-1',aws_access_key_id='testing',aws_secret_access_key='testing')\n\
c=s.assume_role(RoleArn=f'arn:aws:iam::{sys.argv[2]}:role/OrganizationAccountAccessRole',RoleSessionName='init')['Credentials']\n\
print(c['AccessKeyId'],c['SecretAccessKey'],c['SessionToken'])";
    let out = Command::new("python3")
        .args(["-c", script, &moto.endpoint, account])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let parts: Vec<String> = text.split_whitespace().map(str::to_string).collect();
    [parts[0].clone(), parts[1].clone(), parts[2].clone()]
}

/// Runs drift in `dir` against `endpoint` with the given credentials.
fn drift_with(dir: &Path, args: &[&str], endpoint: &str, keys: &[String]) -> Run {
    live_drift_as(dir, args, endpoint, keys)
}

/// The text without one top-level section, and that section.
fn take_section(text: &str, key: &str) -> (String, String) {
    let (mut rest, mut section) = (String::new(), String::new());
    let mut inside = false;
    for line in text.lines() {
        if !line.starts_with([' ', '#']) && !line.is_empty() {
            inside = line.starts_with(&format!("{key}:"));
        }
        let to = if inside { &mut section } else { &mut rest };
        to.push_str(line);
        to.push('\n');
    }
    (rest, section)
}

fn management() -> Vec<String> {
    vec!["testing".to_string(), "testing".to_string()]
}

fn status_of<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .unwrap_or_else(|| panic!("account {id} is in accounts[]: {report}"))
}

/// A text field (`status`, `reason`) of an account of `accounts[]`.
fn status_text(report: &Value, id: &str, field: &str) -> String {
    status_of(report, id)[field]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn rules_of(report: &Value, id: &str) -> Vec<String> {
    let mut rules: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["account"] == id)
        .map(|f| {
            format!(
                "{} {}",
                f["rule"].as_str().unwrap(),
                f["resource"].as_str().unwrap()
            )
        })
        .collect();
    rules.sort();
    rules
}

#[test]
fn every_account_is_read_through_its_role_judged_against_its_baseline_and_ends_with_a_status() {
    let moto = Moto::start();
    let (members, even, odd) = organization(&moto, 6);
    let dir = tempfile::tempdir().unwrap();
    let id = |i: usize| members[i].1.clone();
    // Each member as it should be, and its baseline written from it.
    let mut listed = String::from("version: 1\naccounts:\n");
    for (name, account) in &members {
        apply_in(&moto, account, &["base"]);
        let keys = member_keys(&moto, account);
        let file = format!("{name}.yaml");
        let init = drift_with(
            dir.path(),
            &["init", "--live", "--output", &file],
            &moto.endpoint,
            &keys,
        );
        assert_eq!(init.code, 0, "{}", init.stderr);
        listed.push_str(&format!(
            "  - id: \"{account}\"\n    name: {name}\n    baseline: {file}\n    session_name: drift-test\n"
        ));
    }
    std::fs::write(dir.path().join("accounts.yaml"), &listed).unwrap();
    // What every account must hold (the password policy) moves to the shared
    // file; each account's own file keeps the rest.
    let mut shared = String::from("version: 1\n");
    for (name, _) in &members {
        let path = dir.path().join(format!("{name}.yaml"));
        let (rest, section) =
            take_section(&std::fs::read_to_string(&path).unwrap(), "password_policy");
        assert!(!section.is_empty());
        if name == "member0" {
            shared.push_str(&section);
        }
        std::fs::write(&path, rest).unwrap();
    }
    std::fs::write(dir.path().join("shared.yaml"), &shared).unwrap();
    // A different drift in each of three members.
    apply_in(&moto, &id(0), &["delete-password-policy"]);
    apply_in(&moto, &id(1), &["delete-ssh-key"]);
    apply_in(&moto, &id(2), &["unmanaged-user-and-role"]);
    // One member refuses drift's role, IAM throttles every call of another.
    let proxy = FaultProxy::start(
        &moto.endpoint,
        serde_json::json!({"deny_assume_role": [id(4)], "throttle_accounts": [id(5)]}),
    );
    let run = drift_with(
        dir.path(),
        &[
            "check",
            "--accounts",
            "accounts.yaml",
            "--baseline",
            "shared.yaml",
            "--format",
            "json",
            "--fail-on",
            "info",
        ],
        &proxy.endpoint,
        &management(),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).expect("the report is written");
    assert_eq!(report["complete"], false);
    let statuses: Vec<(String, String)> = (0..6)
        .map(|i| {
            (
                members[i].0.clone(),
                status_of(&report, &id(i))["status"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = ["read", "read", "read", "read", "denied", "throttled"]
        .iter()
        .enumerate()
        .map(|(i, s)| (members[i].0.clone(), s.to_string()))
        .collect();
    assert_eq!(statuses, expected, "{}", run.stderr);
    let denied = status_of(&report, &id(4));
    assert!(
        denied["reason"]
            .as_str()
            .unwrap()
            .contains("sts:AssumeRole"),
        "{denied}"
    );
    assert!(
        denied["reason"].as_str().unwrap().contains(&id(4)),
        "{denied}"
    );
    let throttled = status_of(&report, &id(5));
    assert!(
        throttled["reason"].as_str().unwrap().contains("Throttling"),
        "{throttled}"
    );
    assert!(!throttled["unread"].as_array().unwrap().is_empty());
    // Each healthy account's drift, in that account only.
    assert_eq!(
        rules_of(&report, &id(0)),
        ["password-policy-removed password-policy"]
    );
    let ssh = rules_of(&report, &id(1));
    assert!(
        ssh.len() == 1 && ssh[0].starts_with("ssh-key-removed user/deploy/ssh-key/"),
        "{ssh:?}"
    );
    let undeclared = rules_of(&report, &id(2));
    assert!(
        undeclared.contains(&"user-unmanaged user/intruder".to_string()),
        "{undeclared:?}"
    );
    assert!(
        undeclared
            .iter()
            .any(|r| r.starts_with("role-unmanaged role/")),
        "{undeclared:?}"
    );
    assert!(rules_of(&report, &id(3)).is_empty());
    assert!(rules_of(&report, &id(4)).is_empty() && rules_of(&report, &id(5)).is_empty());
    for f in report["findings"].as_array().unwrap() {
        assert!(f["account"].is_string(), "{f}");
    }
    // Each finding names the file that declared it: the shared one, or the
    // account's own.
    let path_of = |account: &str| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["account"] == account)
            .map(|f| f["baseline_location"]["path"].clone())
            .unwrap()
    };
    assert_eq!(path_of(&id(0)), "shared.yaml");
    // The fix says in which account to make it.
    let help = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["account"] == id(0).as_str())
        .map(|f| f["help"].as_str().unwrap_or_default().to_string())
        .unwrap();
    assert!(
        help.starts_with(&format!("account: member0 ({})\n", id(0))),
        "{help}"
    );
    assert_eq!(path_of(&id(1)), "member1.yaml");
    assert_eq!(
        status_of(&report, &id(1))["baselines"],
        serde_json::json!(["shared.yaml", "member1.yaml"])
    );
    assert_eq!(status_of(&report, &id(0))["findings"]["critical"], 1);
    // The run says which accounts were not read, and why.
    assert!(
        run.stderr
            .contains(&format!("account member4 ({}): denied", id(4))),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(&format!("account member5 ({}): throttled", id(5))),
        "{}",
        run.stderr
    );

    // The human report ends with the accounts.
    let human = drift_with(
        dir.path(),
        &[
            "check",
            "--accounts",
            "accounts.yaml",
            "--baseline",
            "shared.yaml",
            "--exclude-account",
            &id(4),
            "--exclude-account",
            &id(5),
        ],
        &proxy.endpoint,
        &management(),
    );
    assert_eq!(human.code, 1, "{}", human.stderr);
    assert!(
        human.stdout.contains("password-policy (account "),
        "{}",
        human.stdout
    );
    assert!(
        human
            .stdout
            .contains(&format!("member4 ({})  skipped", id(4))),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains("6 accounts: 4 read, 2 skipped"),
        "{}",
        human.stdout
    );

    // The organization: its accounts found with Organizations, the suspended
    // one and the excluded management account skipped.
    organization_step(&moto, "close", &id(3));
    let org = drift_with(
        dir.path(),
        &[
            "check",
            "--org",
            "--baseline",
            "shared.yaml",
            "--exclude-account",
            "123456789012",
            "--format",
            "json",
            "--fail-on",
            "critical",
        ],
        &proxy.endpoint,
        &management(),
    );
    assert_eq!(org.code, 2, "{}", org.stderr);
    let report: Value = serde_json::from_str(&org.stdout).unwrap();
    let status = |id: &str| status_text(&report, id, "status");
    assert_eq!(status("123456789012"), "skipped");
    assert_eq!(status(&id(3)), "skipped");
    assert!(status_of(&report, &id(3))["reason"]
        .as_str()
        .unwrap()
        .contains("suspended"));
    assert_eq!(
        (status(&id(0)), status(&id(1)), status(&id(2))),
        ("read".into(), "read".into(), "read".into())
    );
    assert_eq!(
        (status(&id(4)), status(&id(5))),
        ("denied".into(), "throttled".into())
    );
    // Only one organizational unit: the others are skipped, and say why.
    let unit = drift_with(
        dir.path(),
        &[
            "check",
            "--org",
            "--baseline",
            "shared.yaml",
            "--include-ou",
            &odd,
            "--exclude-account",
            &id(5),
            "--format",
            "json",
            "--fail-on",
            "critical",
        ],
        &proxy.endpoint,
        &management(),
    );
    assert_ne!(unit.code, 2, "{}", unit.stderr);
    let report: Value = serde_json::from_str(&unit.stdout).unwrap();
    let status = |id: &str| status_text(&report, id, "status");
    assert_eq!(status(&id(1)), "read");
    assert_eq!(status(&id(0)), "skipped");
    assert!(status_of(&report, &id(0))["reason"]
        .as_str()
        .unwrap()
        .contains("outside the included"));
    assert!(!even.is_empty());
}

#[test]
fn init_over_several_accounts_writes_what_they_share_once_and_each_accounts_own_file() {
    let moto = Moto::start();
    let (members, _, _) = organization(&moto, 3);
    let dir = seeded_members(&moto, &members);
    let run = |args: &[&str], endpoint: &str| drift_with(dir.path(), args, endpoint, &management());
    let init = run(
        &[
            "init",
            "--accounts",
            "accounts.yaml",
            "--output",
            "shared.yaml",
        ],
        &moto.endpoint,
    );
    assert_eq!(init.code, 0, "{}", init.stderr);
    assert!(
        init.stdout
            .contains("wrote `shared.yaml` and 3 account files"),
        "{}",
        init.stdout
    );
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    // What every account holds alike is in the shared file once.
    let shared = read("shared.yaml");
    assert!(shared.contains("password_policy:"), "{shared}");
    assert!(shared.contains("unmanaged: report"), "{shared}");
    for (name, account) in &members {
        let own = read(&format!("{name}.yaml"));
        assert!(!own.contains("password_policy:"), "{own}");
        assert!(!own.contains("settings:"), "{own}");
        assert!(
            own.contains(&format!("id: '{account}'"))
                || own.contains(&format!("id: \"{account}\"")),
            "{own}"
        );
        assert!(own.contains("deploy:"), "{own}");
    }
    // Read back, merged: every account is clean.
    let check = |endpoint: &str| {
        run(
            &[
                "check",
                "--accounts",
                "accounts.yaml",
                "--baseline",
                "shared.yaml",
                "--format",
                "json",
                "--fail-on",
                "info",
            ],
            endpoint,
        )
    };
    let clean = check(&moto.endpoint);
    assert_eq!(clean.code, 0, "{}\n{}", clean.stdout, clean.stderr);
    // A later change in one account is that account's finding, declared by
    // the shared file.
    apply_in(&moto, &members[2].1, &["lower-length"]);
    let drifted = check(&moto.endpoint);
    assert_eq!(drifted.code, 1, "{}", drifted.stderr);
    let report: Value = serde_json::from_str(&drifted.stdout).unwrap();
    let found: Vec<(String, String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["account"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["baseline_location"]["path"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [(
            members[2].1.clone(),
            "password-policy-weakened".to_string(),
            "shared.yaml".to_string()
        )]
    );
    // An account that cannot be read: nothing is written.
    let proxy = FaultProxy::start(
        &moto.endpoint,
        serde_json::json!({"deny_assume_role": [members[1].1]}),
    );
    let before = read("member0.yaml");
    let failed = run(
        &[
            "init",
            "--accounts",
            "accounts.yaml",
            "--output",
            "shared.yaml",
            "--force",
        ],
        &proxy.endpoint,
    );
    assert_eq!(failed.code, 2, "{}", failed.stderr);
    assert!(
        failed.stderr.contains("no baseline is written"),
        "{}",
        failed.stderr
    );
    assert!(failed.stderr.contains(&members[1].1), "{}", failed.stderr);
    assert_eq!(read("member0.yaml"), before);
    assert_eq!(read("shared.yaml"), shared);
    // The organization: the shared file, a file per account and the accounts
    // file that lists them, beside it.
    std::fs::create_dir(dir.path().join("org")).unwrap();
    let org = run(
        &[
            "init",
            "--org",
            "--exclude-account",
            "123456789012",
            "--output",
            "org/shared.yaml",
        ],
        &moto.endpoint,
    );
    assert_eq!(org.code, 0, "{}", org.stderr);
    assert!(
        org.stdout.contains("skipped: 123456789012"),
        "{}",
        org.stdout
    );
    for (_, account) in &members {
        assert!(dir.path().join(format!("org/{account}.yaml")).is_file());
    }
    let again = run(
        &[
            "check",
            "--accounts",
            "org/accounts.yaml",
            "--baseline",
            "org/shared.yaml",
            "--format",
            "json",
            "--fail-on",
            "info",
        ],
        &moto.endpoint,
    );
    assert_eq!(again.code, 0, "{}\n{}", again.stdout, again.stderr);
    // member2's lowered policy is no longer what all accounts hold alike.
    let org_shared = read("org/shared.yaml");
    assert!(!org_shared.contains("password_policy:"), "{org_shared}");
}

/// The `run` script of a step of a workflow, by job and step name.
fn workflow_step(file: &str, job: &str, name: &str) -> String {
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    let workflow = iam_drift_guard::baseline::yaml::parse(&text)
        .unwrap()
        .to_json();
    workflow["jobs"][job]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .and_then(|s| s["run"].as_str())
        .unwrap_or_else(|| panic!("no step `{name}` in job `{job}`"))
        .to_string()
}

/// A report.json as a value, without what differs from run to run (when it
/// was made, when each read started, how long each account took, and its
/// calls).
fn comparable(path: &Path) -> Value {
    let mut report: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    report.as_object_mut().unwrap().remove("generated_at");
    for s in report["sources"].as_array_mut().unwrap() {
        if let Some(r) = s["credential_report"].as_object_mut() {
            r.remove("read_started_at");
        }
    }
    for a in report["accounts"].as_array_mut().unwrap() {
        let a = a.as_object_mut().unwrap();
        a.remove("seconds");
        a.remove("calls");
    }
    report
}

#[test]
fn shards_read_every_account_once_and_their_merged_reports_equal_the_single_run() {
    let moto = Moto::start();
    let (members, _, _) = organization(&moto, 5);
    let dir = seeded_members(&moto, &members);
    let run = |args: &[&str]| drift_with(dir.path(), args, &moto.endpoint, &management());
    let init = run(&[
        "init",
        "--accounts",
        "accounts.yaml",
        "--output",
        "shared.yaml",
    ]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    apply_in(&moto, &members[0].1, &["delete-password-policy"]);
    apply_in(
        &moto,
        &members[3].1,
        &["unmanaged-user-and-role", "open-app-trust"],
    );
    let report = |extra: &[&str], out: &str| {
        let mut args = vec![
            "report",
            "--accounts",
            "accounts.yaml",
            "--baseline",
            "shared.yaml",
            "--out",
            out,
        ];
        args.extend_from_slice(extra);
        run(&args)
    };
    let single = report(&[], "single");
    assert_eq!(single.code, 1, "{}", single.stderr);
    let mut seen: Vec<String> = Vec::new();
    for k in 1..=4 {
        let shard = report(&["--shard", &format!("{k}/4")], &format!("shard{k}"));
        assert!(shard.code == 0 || shard.code == 1, "{}", shard.stderr);
        let json = comparable(&dir.path().join(format!("shard{k}/report.json")));
        seen.extend(
            json["accounts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["id"].as_str().unwrap().to_string()),
        );
    }
    // Every account in exactly one shard.
    seen.sort();
    let mut all: Vec<String> = members.iter().map(|(_, id)| id.clone()).collect();
    all.sort();
    assert_eq!(seen, all);
    let merged = run(&[
        "report", "--merge", "shard1", "shard2", "shard3", "shard4", "--out", "merged",
    ]);
    assert_eq!(merged.code, single.code, "{}", merged.stderr);
    assert_eq!(
        comparable(&dir.path().join("merged/report.json")),
        comparable(&dir.path().join("single/report.json"))
    );
    let md = |d: &str| std::fs::read_to_string(dir.path().join(d).join("report.md")).unwrap();
    assert_eq!(md("merged"), md("single"));
    // The page rolls the accounts up: each with its status and findings.
    let page = std::fs::read_to_string(dir.path().join("merged/report.html")).unwrap();
    assert!(page.contains("id=\"account-table\""), "{page}");
    for (name, id) in &members {
        // An account with findings links to its section.
        let cell = format!("<code>{name} ({id})</code>");
        assert!(
            page.contains(&format!("{cell}</td><td>read</td>"))
                || page.contains(&format!("{cell}</a></td><td>read</td>")),
            "{name}"
        );
    }
    assert!(page.contains(&format!(
        "<section class=\"account\" id=\"account-{}\"",
        members[3].1
    )));
    assert!(page.contains(&format!("role/app (account {})", members[3].1)));
    // A shard given twice is no run at all.
    let busiest = (1..=4)
        .max_by_key(|k| {
            comparable(&dir.path().join(format!("shard{k}/report.json")))["accounts"]
                .as_array()
                .map_or(0, Vec::len)
        })
        .unwrap();
    let busiest = format!("shard{busiest}");
    let twice = run(&["report", "--merge", &busiest, &busiest, "--out", "twice"]);
    assert_eq!(twice.code, 2, "{}", twice.stderr);
    assert!(
        twice
            .stderr
            .contains("shards of one run never share an account"),
        "{}",
        twice.stderr
    );
    assert!(!dir.path().join("twice/report.json").exists());
    // The merge job of the organization workflow, its script run as written.
    for k in 1..=4 {
        std::fs::rename(
            dir.path().join(format!("shard{k}")),
            dir.path().join(format!("iam-drift-shard-{k}")),
        )
        .unwrap();
    }
    let script = workflow_step(
        "examples/github/organization.yml",
        "merge",
        "One report of the organization",
    );
    let bin = Path::new(env!("CARGO_BIN_EXE_drift")).parent().unwrap();
    let out = Command::new("bash")
        .args(["-e", "-c", &script])
        .current_dir(dir.path())
        .env(
            "PATH",
            format!(
                "{}:{}",
                bin.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env("GITHUB_STEP_SUMMARY", dir.path().join("summary.md"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(single.code),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        comparable(&dir.path().join("report/report.json")),
        comparable(&dir.path().join("single/report.json"))
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("summary.md")).unwrap(),
        md("single")
    );
    // A report of one account is not a shard.
    let one = run(&["report", "--merge", "single", "--out", "again"]);
    assert_eq!(one.code, single.code, "{}", one.stderr);
}

#[test]
fn an_account_partly_read_or_past_its_deadline_is_its_own_status_and_an_empty_one_is_read() {
    let moto = Moto::start();
    let (members, _, _) = organization(&moto, 3);
    let dir = tempfile::tempdir().unwrap();
    // Two members with users; the third has no object at all.
    for (_, account) in &members[..2] {
        apply_in(&moto, account, &["base"]);
    }
    let mut listed = String::from("version: 1\naccounts:\n");
    for (name, account) in &members {
        listed.push_str(&format!("  - id: \"{account}\"\n    name: {name}\n"));
    }
    std::fs::write(dir.path().join("accounts.yaml"), &listed).unwrap();
    std::fs::write(
        dir.path().join("shared.yaml"),
        "version: 1\npassword_policy:\n  minimum_password_length: 14\nsettings:\n  unmanaged: ignore\n",
    )
    .unwrap();
    let check = |faults: Value, extra: &[&str]| {
        let proxy = FaultProxy::start(&moto.endpoint, faults);
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
        let run = drift_with(dir.path(), &args, &proxy.endpoint, &management());
        assert_eq!(run.code, 2, "{}", run.stderr);
        let report: Value = serde_json::from_str(&run.stdout).expect("the report is written");
        report
    };
    // A section refused in every account with users: those are partial, and
    // not judged; the empty account is read whole.
    let report = check(serde_json::json!({"deny_action": "ListSSHPublicKeys"}), &[]);
    for (_, account) in &members[..2] {
        let a = status_of(&report, account);
        assert_eq!(a["status"], "partial", "{a}");
        assert!(
            a["unread"]
                .as_array()
                .unwrap()
                .iter()
                .any(|u| u.as_str().unwrap().contains("SSH")),
            "{a}"
        );
        assert!(
            a["reason"]
                .as_str()
                .unwrap()
                .contains("iam:ListSSHPublicKeys"),
            "{a}"
        );
        assert!(rules_of(&report, account).is_empty());
    }
    let empty = &members[2].1;
    assert_eq!(status_of(&report, empty)["status"], "read");
    // Its findings name it, though no ARN of its own said which it is.
    let found = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["account"] == empty.as_str())
        .unwrap();
    assert_eq!(found["rule"], "password-policy-removed");
    assert_eq!(
        found["source"]["arn"],
        format!("arn:aws:iam::{empty}:account-password-policy")
    );
    // Past the account's deadline: timeout, and the run goes on.
    let report = check(
        serde_json::json!({"slow_action": ["GetAccountPasswordPolicy", 4]}),
        &["--account-timeout", "1"],
    );
    for (_, account) in &members {
        let a = status_of(&report, account);
        assert_eq!(a["status"], "timeout", "{a}");
        assert!(
            a["reason"]
                .as_str()
                .unwrap()
                .contains("`--account-timeout`"),
            "{a}"
        );
    }
}
