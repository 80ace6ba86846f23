//! Access keys and identity providers in plans and states: keys created,
//! deactivated and deleted, OIDC and SAML providers added and changed, on
//! edited copies of the clean plan and of every real plan, and on the real
//! plan and state that hold `aws_iam_access_key`.

use crate::common::*;
use serde_json::{json, Value};

const OLD: &str = "AKIAOLDOLDOLDOLD0001";
const GONE: &str = "AKIAGONEGONEGONE0002";
/// Values of a key that drift must never read, let alone print.
const KEY_SECRETS: &[&str] = &[
    "wJalrXUtnFEMIK7MDENGbPxRfiCYDELETEDSECRET",
    "BKxSMTPpasswordV4DELETEDKEY000",
    "wcBMA-encrypted-secret-of-the-deleted-key",
];

fn update(ty: &str, name: &str, before: Value, after: Value) -> Value {
    let mut rc = create(None, ty, name, None, after, json!({}));
    rc["change"]["actions"] = json!(["update"]);
    rc["change"]["before"] = before;
    rc
}

fn baseline() -> String {
    let hash = iam_drift_guard::sources::sha256_hex("<md>OLD</md>");
    format!(
        "version: 1
users:
  drift-ci:
    access_keys:
      - {{ id: {OLD}, status: Active }}
      - {{ id: {GONE}, status: Active }}
identity_providers:
  oidc:
    https://token.actions.githubusercontent.com:
      client_ids: [sts.amazonaws.com]
  saml:
    drift-corp:
      metadata_sha256: {hash}
"
    )
}

fn edit(plan: &mut Value) {
    let mut created = create(
        None,
        "aws_iam_access_key",
        "ci",
        None,
        json!({"user": "drift-ci", "status": "Active", "pgp_key": null}),
        json!({"id": true, "secret": true, "encrypted_secret": true, "ses_smtp_password_v4": true, "create_date": true}),
    );
    created["change"]["after_sensitive"] = json!({"secret": true, "ses_smtp_password_v4": true});
    push(plan, created);
    push(
        plan,
        update(
            "aws_iam_access_key",
            "old",
            json!({"user": "drift-ci", "id": OLD, "status": "Active"}),
            json!({"user": "drift-ci", "id": OLD, "status": "Inactive"}),
        ),
    );
    push(
        plan,
        delete(
            None,
            "aws_iam_access_key",
            "gone",
            json!({"user": "drift-ci", "id": GONE, "status": "Active",
                   "secret": KEY_SECRETS[0], "ses_smtp_password_v4": KEY_SECRETS[1],
                   "encrypted_secret": KEY_SECRETS[2], "create_date": "2020-01-01T00:00:00Z"}),
        ),
    );
    let gh = "https://token.actions.githubusercontent.com";
    push(
        plan,
        update(
            "aws_iam_openid_connect_provider",
            "github",
            json!({"url": gh, "client_id_list": ["sts.amazonaws.com"], "thumbprint_list": []}),
            json!({"url": gh, "client_id_list": ["sts.amazonaws.com", "drift-other-app"], "thumbprint_list": []}),
        ),
    );
    push(
        plan,
        create(
            None,
            "aws_iam_openid_connect_provider",
            "new",
            None,
            json!({"url": "https://oidc.drift-new.example.com", "client_id_list": ["x"], "thumbprint_list": ["AB".repeat(20)]}),
            json!({"arn": true, "id": true}),
        ),
    );
    push(
        plan,
        update(
            "aws_iam_saml_provider",
            "corp",
            json!({"name": "drift-corp", "saml_metadata_document": "<md>OLD</md>"}),
            json!({"name": "drift-corp", "saml_metadata_document": "<md>NEW</md>"}),
        ),
    );
    push(
        plan,
        create(
            None,
            "aws_iam_saml_provider",
            "other",
            None,
            json!({"name": "drift-other-idp"}),
            json!({"saml_metadata_document": true, "arn": true}),
        ),
    );
}

fn rules_on(report: &Value, resource: &str) -> Vec<(String, String)> {
    findings_on(report, resource)
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn keys_and_providers_in_every_base_plan() {
    let pair = |r: &str, s: &str| vec![(r.to_string(), s.to_string())];
    for (name, mut plan) in plan_bases() {
        edit(&mut plan);
        let (code, report) = check(&plan, &baseline());
        assert_eq!(code, 1, "{name}");
        let after_apply = "user/drift-ci/access-key/(known after apply)";
        assert_eq!(
            rules_on(&report, after_apply),
            pair("access-key-unmanaged", "medium"),
            "{name}"
        );
        assert_eq!(
            rules_on(&report, &format!("user/drift-ci/access-key/{OLD}")),
            pair("access-key-changed", "medium"),
            "{name}"
        );
        assert_eq!(
            rules_on(&report, &format!("user/drift-ci/access-key/{GONE}")),
            pair("access-key-removed", "medium"),
            "{name}"
        );
        assert_eq!(
            rules_on(&report, "oidc-provider/token.actions.githubusercontent.com"),
            pair("oidc-provider-changed", "high"),
            "{name}"
        );
        assert_eq!(
            rules_on(&report, "oidc-provider/oidc.drift-new.example.com"),
            pair("oidc-provider-unmanaged", "high"),
            "{name}"
        );
        assert_eq!(
            rules_on(&report, "saml-provider/drift-corp"),
            pair("saml-provider-changed", "high"),
            "{name}"
        );
        assert_eq!(
            rules_on(&report, "saml-provider/drift-other-idp"),
            pair("saml-provider-unmanaged", "high"),
            "{name}"
        );
        let text = report.to_string();
        for s in KEY_SECRETS {
            assert!(!text.contains(s), "{name}: the report shows {s}");
        }
        let new = findings_on(&report, after_apply)[0];
        assert_eq!(new["source"]["address"], "aws_iam_access_key.ci");
        assert_eq!(
            findings_on(&report, "oidc-provider/token.actions.githubusercontent.com")[0]["message"],
            "OIDC identity provider `token.actions.githubusercontent.com` has client id \
`drift-other-app`, which the baseline does not declare"
        );
    }
}

#[test]
fn a_key_for_a_user_declared_without_keys_is_high_before_its_id_exists() {
    for (name, mut plan) in plan_bases() {
        edit(&mut plan);
        let (_, report) = check(
            &plan,
            "version: 1\nusers:\n  drift-ci:\n    access_keys: []\n",
        );
        let after_apply = "user/drift-ci/access-key/(known after apply)";
        let found = findings_on(&report, after_apply);
        assert_eq!(found.len(), 1, "{name}");
        assert_eq!(found[0]["severity"], "high", "{name}");
        // The key that stays is undeclared too (and high).
        let f = findings_on(&report, &format!("user/drift-ci/access-key/{OLD}"));
        assert_eq!(f[0]["rule"], "access-key-unmanaged", "{name}");
        assert_eq!(f[0]["severity"], "high", "{name}");
    }
}

#[test]
fn the_real_plan_that_creates_an_access_key() {
    let Some(dir) = shared_plans() else { return };
    let plan = dir.join("checkov__runner_plan__instance_profile_user_access_key_tf0.12.23.json");
    let plan: Value = serde_json::from_str(&std::fs::read_to_string(plan).unwrap()).unwrap();
    let user = "123456789123-acme-corp-user";
    let (code, report) = check(
        &plan,
        &format!("version: 1\nusers:\n  {user}:\n    access_keys: []\n"),
    );
    assert_eq!(code, 1);
    let f = findings_on(
        &report,
        &format!("user/{user}/access-key/(known after apply)"),
    );
    assert_eq!(f.len(), 1, "{report}");
    assert_eq!(f[0]["rule"], "access-key-unmanaged");
    assert_eq!(f[0]["severity"], "high");
    assert_eq!(f[0]["source"]["address"], "aws_iam_access_key.user");
}

#[test]
fn the_real_state_that_holds_an_access_key() {
    let state = root().join("../shared/fixtures/state/driftctl__module.iam_iam-user.tfstate.json");
    if !state.is_file() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let state = state.to_str().unwrap();
    std::fs::write(
        dir.path().join("baseline.yaml"),
        "version: 1\nusers:\n  MODULE-USER:\n    access_keys: [{ id: AKIA5QYBVVD2VIEMMUIQ, status: Inactive }]\n",
    )
    .unwrap();
    let run = drift_in(
        dir.path(),
        &["check", "--state", state, "--format", "json"],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let f = findings_on(&report, "user/MODULE-USER/access-key/AKIA5QYBVVD2VIEMMUIQ");
    assert_eq!(f.len(), 1, "{report}");
    assert_eq!(f[0]["rule"], "access-key-changed");
    assert_eq!(f[0]["observed"], "Active");
    // `init --state` writes the key as it is.
    let run = drift_in(dir.path(), &["init", "--state", state], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("access_keys:\n    - id: AKIA5QYBVVD2VIEMMUIQ\n      status: Active"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_replaced_key_is_a_deleted_key_and_a_new_one() {
    for (name, mut plan) in plan_bases() {
        // A new `pgp_key` replaces the access key; a new public key the SSH key.
        let mut key = update(
            "aws_iam_access_key",
            "old",
            json!({"user": "drift-ci", "id": OLD, "status": "Active", "pgp_key": null}),
            json!({"user": "drift-ci", "status": "Active", "pgp_key": "keybase:drift"}),
        );
        key["change"]["actions"] = json!(["delete", "create"]);
        key["change"]["after_unknown"] = json!({"id": true, "encrypted_secret": true});
        push(&mut plan, key);
        let mut ssh = update(
            "aws_iam_user_ssh_key",
            "ci",
            json!({"username": "drift-ci", "ssh_public_key_id": "APKAOLDSSH", "status": "Active"}),
            json!({"username": "drift-ci", "status": "Active"}),
        );
        ssh["change"]["actions"] = json!(["create", "delete"]);
        ssh["change"]["after_unknown"] = json!({"ssh_public_key_id": true, "fingerprint": true});
        push(&mut plan, ssh);
        let (code, report) = check(
            &plan,
            &format!(
                "version: 1\nusers:\n  drift-ci:\n    access_keys: [{OLD}]\n    ssh_public_keys: [APKAOLDSSH]\n"
            ),
        );
        assert_eq!(code, 1, "{name}");
        let rules = |resource: &str| -> Vec<String> {
            findings_on(&report, resource)
                .iter()
                .map(|f| f["rule"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(
            rules(&format!("user/drift-ci/access-key/{OLD}")),
            ["access-key-removed"],
            "{name}"
        );
        assert_eq!(
            rules("user/drift-ci/access-key/(known after apply)"),
            ["access-key-unmanaged"],
            "{name}"
        );
        assert_eq!(
            rules("user/drift-ci/ssh-key/APKAOLDSSH"),
            ["ssh-key-removed"],
            "{name}"
        );
        assert_eq!(
            rules("user/drift-ci/ssh-key/(known after apply)"),
            ["ssh-key-unmanaged"],
            "{name}"
        );
    }
}
