//! Access keys, OIDC and SAML providers and the root user, read from a real
//! IAM API server on loopback (moto) drifted with boto3; what moto cannot
//! produce (old keys, the root user's report row) comes from the fault proxy's
//! rewriting modes.

use super::live::{live_drift, Moto};
use super::live_faults::FaultProxy;
use serde_json::{json, Value};
use std::path::Path;

/// An account with a CI user holding two keys and both kinds of provider, and
/// the baseline `drift init --live` writes for it.
fn account() -> (Moto, tempfile::TempDir) {
    let moto = Moto::start();
    moto.apply(&["base", "credentials"]);
    let dir = tempfile::tempdir().unwrap();
    let init = moto.drift(dir.path(), &["init", "--live", "--output", "baseline.yaml"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    (moto, dir)
}

fn check_at(endpoint: &str, dir: &Path) -> (i32, Vec<Value>, String) {
    let run = live_drift(
        dir,
        &["check", "--live", "--format", "json", "--fail-on", "info"],
        endpoint,
        ("testing", "testing"),
    );
    if run.code == 2 {
        return (2, Vec::new(), run.stderr);
    }
    let v: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|_| panic!("{}", run.stderr));
    (
        run.code,
        v["findings"].as_array().unwrap().clone(),
        run.stderr,
    )
}

fn summary(findings: &[Value]) -> Vec<(String, String, String)> {
    findings
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["resource"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn triple(rule: &str, resource: &str, severity: &str) -> (String, String, String) {
    (rule.into(), resource.into(), severity.into())
}

#[test]
fn init_writes_keys_and_providers_and_the_check_is_clean() {
    let (moto, dir) = account();
    let text = std::fs::read_to_string(dir.path().join("baseline.yaml")).unwrap();
    assert!(text.contains("    access_keys:\n    - id: AKIA"), "{text}");
    assert!(text.contains("      status: Active"), "{text}");
    // Users without keys are declared without keys.
    assert!(text.contains("access_keys: []"), "{text}");
    assert!(
        text.contains("\"https://token.actions.githubusercontent.com\":"),
        "{text}"
    );
    assert!(
        text.contains("- 6938fd4d98bab03faadb97b34396831e3780aea1"),
        "{text}"
    );
    assert!(
        text.contains("corp-idp:\n      metadata_sha256: "),
        "{text}"
    );
    let (code, findings, _) = check_at(&moto.endpoint, dir.path());
    assert_eq!((code, findings.len()), (0, 0), "{findings:#?}");
}

#[test]
fn a_backdoor_key_a_deactivated_key_and_a_deleted_key() {
    let (moto, dir) = account();
    let out = moto.apply(&["backdoor-key"]);
    let backdoor = out
        .lines()
        .find_map(|l| l.strip_prefix("backdoor "))
        .unwrap()
        .to_string();
    let (code, f, _) = check_at(&moto.endpoint, dir.path());
    assert_eq!(code, 1);
    assert_eq!(
        summary(&f),
        vec![triple(
            "access-key-unmanaged",
            &format!("user/alice/access-key/{backdoor}"),
            "high"
        )],
        "{f:#?}"
    );
    assert_eq!(f[0]["observed"]["status"], "Active");
    assert!(f[0]["source"]["arn"]
        .as_str()
        .unwrap()
        .ends_with(":user/engineering/alice"));

    let (moto, dir) = account();
    moto.apply(&["deactivate-ci-key", "delete-ci-key"]);
    let (_, f, _) = check_at(&moto.endpoint, dir.path());
    let mut rules: Vec<String> = f
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    rules.sort();
    assert_eq!(
        rules,
        vec!["access-key-changed", "access-key-removed"],
        "{f:#?}"
    );
    let changed = f
        .iter()
        .find(|f| f["rule"] == "access-key-changed")
        .unwrap();
    assert_eq!(changed["observed"], "Inactive");
    assert!(f.iter().all(|f| f["resource"]
        .as_str()
        .unwrap()
        .starts_with("user/ci/access-key/AKIA")));
}

#[test]
fn providers_added_and_changed() {
    let (moto, dir) = account();
    moto.apply(&["oidc-thumbprint", "oidc-new", "saml-new", "saml-update"]);
    let (code, f, _) = check_at(&moto.endpoint, dir.path());
    assert_eq!(code, 1);
    let mut got = summary(&f);
    got.sort();
    got.dedup();
    assert_eq!(
        got,
        vec![
            triple(
                "oidc-provider-changed",
                "oidc-provider/token.actions.githubusercontent.com",
                "high"
            ),
            triple(
                "oidc-provider-unmanaged",
                "oidc-provider/oidc.attacker.example",
                "high"
            ),
            triple("saml-provider-changed", "saml-provider/corp-idp", "high"),
            triple(
                "saml-provider-unmanaged",
                "saml-provider/shadow-idp",
                "high"
            ),
        ],
        "{f:#?}"
    );
    let thumbprints: Vec<&Value> = f
        .iter()
        .filter(|f| f["rule"] == "oidc-provider-changed")
        .collect();
    assert!(thumbprints.iter().all(|f| f["field"] == "thumbprints"));
    assert!(f.iter().any(|f| f["source"]["arn"]
        .as_str()
        .unwrap()
        .ends_with(":saml-provider/shadow-idp")));
}

#[test]
fn old_keys_and_the_root_user_from_the_report() {
    let (moto, dir) = account();
    let baseline = dir.path().join("baseline.yaml");
    let mut text = std::fs::read_to_string(&baseline).unwrap();
    text = text.replace(
        "account:\n",
        "account:\n  root:\n    access_keys: false\n    mfa: required\n",
    );
    text.push_str("  max_key_age_days: 90\n");
    std::fs::write(&baseline, &text).unwrap();

    // moto's report has no root row: a baseline that guards the root user
    // cannot be judged.
    let (code, _, stderr) = check_at(&moto.endpoint, dir.path());
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("the root user"), "{stderr}");
    assert!(stderr.contains("<root_account>"), "{stderr}");

    let proxy = FaultProxy::start(
        &moto.endpoint,
        json!({"age_keys_days": 400, "root_row": {"mfa": false, "key": true}, "report_generated": "now"}),
    );
    let (code, f, stderr) = check_at(&proxy.endpoint, dir.path());
    assert_eq!(code, 1, "{stderr}");
    let mut rules: Vec<(String, String)> = f
        .iter()
        .map(|f| {
            let r = f["resource"].as_str().unwrap();
            let r = if r.starts_with("user/ci/access-key/AKIA") {
                "user/ci/access-key/ID"
            } else {
                r
            };
            (f["rule"].as_str().unwrap().to_string(), r.to_string())
        })
        .collect();
    rules.sort();
    assert_eq!(
        rules,
        vec![
            ("access-key-stale".into(), "user/ci/access-key/ID".into()),
            ("access-key-stale".into(), "user/ci/access-key/ID".into()),
            ("root-access-key-unmanaged".into(), "root".into()),
            ("root-mfa-removed".into(), "root".into()),
        ],
        "{f:#?}"
    );
    let find = |rule: &str| f.iter().find(|f| f["rule"] == rule).unwrap();
    let stale = find("access-key-stale");
    assert_eq!(stale["observed"]["age_days"], 400);
    assert_eq!(stale["observed"]["last_used"], "never", "{stale:#}");
    assert!(stale["message"]
        .as_str()
        .unwrap()
        .contains("is 400 days old"));
    let key = find("root-access-key-unmanaged");
    assert_eq!(key["severity"], "critical");
    assert_eq!(key["observed"]["key_last_used"], "2026-01-03");
    assert_eq!(key["source"]["arn"], "arn:aws:iam::123456789012:root");
    let mfa = find("root-mfa-removed");
    assert_eq!(mfa["severity"], "critical");
    assert_eq!(mfa["observed"]["password_last_used"], "2026-01-02");
}

#[test]
fn access_keys_are_listed_only_where_needed() {
    let (moto, dir) = account();
    // A baseline that guards no access keys: only `ci`, whose report row shows
    // an active key, is listed (its keys' age is judged).
    std::fs::write(
        dir.path().join("baseline.yaml"),
        "version: 1\nusers:\n  alice: {}\n  deploy: {}\n  ci: {}\nsettings:\n  max_key_age_days: 90\n  unmanaged: ignore\n  ignore: ['oidc-provider:*', 'saml-provider:*']\n",
    )
    .unwrap();
    let proxy = FaultProxy::start(&moto.endpoint, json!({"report_generated": "now"}));
    let (code, f, stderr) = check_at(&proxy.endpoint, dir.path());
    assert_eq!(code, 0, "{stderr}{f:#?}");
    let stats = proxy.stats();
    assert_eq!(stats["ListAccessKeys"], 1, "{stats}");
    assert_eq!(stats["GetSAMLProvider"], Value::Null, "{stats}");
    assert_eq!(stats["GetOpenIDConnectProvider"], 1, "{stats}");

    // Declaring keys for `deploy` (which has none) lists it too.
    std::fs::write(
        dir.path().join("baseline.yaml"),
        "version: 1\nusers:\n  alice: {}\n  deploy: { access_keys: [] }\n  ci: {}\nsettings:\n  unmanaged: ignore\n  ignore: ['oidc-provider:*', 'saml-provider:*']\n",
    )
    .unwrap();
    let proxy = FaultProxy::start(&moto.endpoint, json!({"report_generated": "now"}));
    let (code, _, stderr) = check_at(&proxy.endpoint, dir.path());
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(proxy.stats()["ListAccessKeys"], 2);
}

#[test]
fn a_refused_access_key_listing_fails_closed() {
    let (moto, dir) = account();
    let proxy = FaultProxy::start(&moto.endpoint, json!({"deny_action": "ListAccessKeys"}));
    let (code, _, stderr) = check_at(&proxy.endpoint, dir.path());
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("iam:ListAccessKeys"), "{stderr}");
    let proxy = FaultProxy::start(
        &moto.endpoint,
        json!({"deny_action": "GetOpenIDConnectProvider"}),
    );
    let (code, _, stderr) = check_at(&proxy.endpoint, dir.path());
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("iam:GetOpenIDConnectProvider"), "{stderr}");
}
