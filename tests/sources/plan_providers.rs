//! One plan, several accounts: resources carry the account of their `aws`
//! provider configuration (a constant or variable `assume_role.role_arn`,
//! `allowed_account_ids`, or `--provider-account`), each is judged against
//! its account's baseline, and a resource whose account cannot be told is a
//! `provider-unjudged` finding of its own, never judged against another
//! account's baseline. Fixtures are copies of every plan of ../shared (and the
//! hand-made clean plan) with providers and resources added.

use crate::common::*;
use iam_drift_guard::sources::terraform::{read, read_with, ProviderAccounts};
use serde_json::{json, Value};
use std::path::Path;

const DEFAULT: &str = "111111111111";
const PROD: &str = "222222222222";

/// An `aws` provider configuration entry of the root module.
fn provider(plan: &mut Value, key: &str, expressions: Value) {
    if !plan["configuration"].is_object() {
        plan["configuration"] = json!({});
    }
    if !plan["configuration"]["provider_config"].is_object() {
        plan["configuration"]["provider_config"] = json!({});
    }
    let (name, alias) = match key.split_once('.') {
        Some((n, a)) => (n, Some(a)),
        None => (key, None),
    };
    let mut entry = json!({
        "name": name,
        "full_name": "registry.terraform.io/hashicorp/aws",
        "expressions": expressions,
    });
    if let Some(a) = alias {
        entry["alias"] = json!(a);
    }
    plan["configuration"]["provider_config"][key] = entry;
}

/// A resource of the configuration (root module, or `modules` by call name),
/// managed through provider configuration `key`.
fn configured(plan: &mut Value, modules: &[&str], ty: &str, name: &str, key: &str) {
    crate::common::configure(plan, modules, ty, name, json!({}));
    let mut module = &mut plan["configuration"]["root_module"];
    for m in modules {
        module = &mut module["module_calls"][*m]["module"];
    }
    let last = module["resources"]
        .as_array_mut()
        .unwrap()
        .last_mut()
        .unwrap();
    last["provider_config_key"] = json!(key);
}

fn role_arn(account: &str) -> Value {
    json!([{ "role_arn": { "constant_value": format!("arn:aws:iam::{account}:role/terraform") } }])
}

fn trust(principal: Value) -> String {
    json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}]})
    .to_string()
}

/// Adds to `plan` three provider configurations and a resource or two in
/// each: `aws` (account 111111111111 by `allowed_account_ids`), `aws.prod`
/// (assumes a role in 222222222222), `aws.audit` (assumes a role computed
/// from a local value: its account cannot be told). The same role name in
/// two accounts is two roles.
fn three_accounts(plan: &mut Value) {
    // The base plan's own resources keep the root default configuration.
    provider(
        plan,
        "aws",
        json!({"allowed_account_ids": {"constant_value": [DEFAULT]}, "region": {"constant_value": "us-east-1"}}),
    );
    provider(plan, "aws.prod", json!({ "assume_role": role_arn(PROD) }));
    provider(
        plan,
        "aws.audit",
        json!({"assume_role": [{"role_arn": {"references": ["local.audit_role", "local"]}}]}),
    );
    let role = |name: &str, principal: Value| {
        json!({"name": name, "path": "/", "assume_role_policy": trust(principal),
               "max_session_duration": 3600, "tags": {}})
    };
    let probes = [
        (
            "aws",
            "aws_iam_role",
            "probe_default",
            role(
                "drift-probe",
                json!({"AWS": "arn:aws:iam::999999999999:root"}),
            ),
        ),
        (
            "aws.prod",
            "aws_iam_role",
            "probe_prod",
            role("drift-probe", json!({"Service": "ec2.amazonaws.com"})),
        ),
        (
            "aws.prod",
            "aws_iam_account_password_policy",
            "prod",
            json!({"minimum_password_length": 8, "require_symbols": true,
                   "require_numbers": true, "require_uppercase_characters": true,
                   "require_lowercase_characters": true, "allow_users_to_change_password": true,
                   "max_password_age": 90, "password_reuse_prevention": 24, "hard_expiry": false}),
        ),
        (
            "aws.audit",
            "aws_iam_user",
            "probe_audit",
            json!({"name": "drift-probe-audit", "path": "/", "tags": {}}),
        ),
    ];
    for (key, ty, name, after) in probes {
        push(plan, create(None, ty, name, None, after, json!({})));
        configured(plan, &[], ty, name, key);
    }
}

/// The baselines of the two accounts, the shared one and the accounts file,
/// written in `dir`.
fn baselines(dir: &Path) {
    std::fs::write(dir.join("shared.yaml"), "version: 1\n").unwrap();
    let probe = |principal: &str| {
        format!(
            "roles:\n  drift-probe:\n    path: /\n    assume_role_policy:\n      Version: \"2012-10-17\"\n      Statement:\n        - Effect: Allow\n          Principal: {principal}\n          Action: sts:AssumeRole\n"
        )
    };
    std::fs::write(
        dir.join("default.yaml"),
        format!(
            "version: 1\naccount:\n  id: \"{DEFAULT}\"\n{}",
            probe("{ Service: ec2.amazonaws.com }")
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("prod.yaml"),
        format!(
            "version: 1\naccount:\n  id: \"{PROD}\"\npassword_policy:\n  minimum_password_length: 14\n{}",
            probe("{ Service: ec2.amazonaws.com }")
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("accounts.yaml"),
        format!(
            "version: 1\naccounts:\n  - id: \"{DEFAULT}\"\n    name: main\n    baseline: default.yaml\n  - id: \"{PROD}\"\n    name: prod\n    baseline: prod.yaml\n"
        ),
    )
    .unwrap();
}

fn check(dir: &Path, plan: &Value, extra: &[&str]) -> Run {
    let path = write_json(dir, "plan.json", plan);
    let mut args = vec![
        "check",
        "--plan",
        path.to_str().unwrap(),
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    drift_in(dir, &args, None)
}

/// [`check`] over the accounts file of [`baselines`], in a new folder.
fn check_several(plan: &Value) -> (tempfile::TempDir, Run) {
    let dir = tempfile::tempdir().unwrap();
    baselines(dir.path());
    let run = check(
        dir.path(),
        plan,
        &["--baseline", "shared.yaml", "--accounts", "accounts.yaml"],
    );
    (dir, run)
}

fn json_of(run: &Run) -> Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr))
}

fn all(report: &Value) -> Vec<&Value> {
    report["findings"].as_array().unwrap().iter().collect()
}

fn by_address<'v>(report: &'v Value, address: &str) -> Vec<&'v Value> {
    all(report)
        .into_iter()
        .filter(|f| f["source"]["address"] == address)
        .collect()
}

#[test]
fn each_resource_is_judged_against_its_accounts_baseline() {
    let mut judged = 0;
    for (name, base) in plan_bases() {
        let mut plan = base.clone();
        three_accounts(&mut plan);
        let (_dir, run) = check_several(&plan);
        // The audit provider's user is not judged: the run fails closed,
        // after the report is written.
        assert_eq!(run.code, 2, "{name}: {}", run.stderr);
        assert!(run.stderr.contains("aws.audit"), "{name}: {}", run.stderr);
        let report = json_of(&run);
        // The prod password policy against prod's baseline (14), in prod.
        let pp = by_address(&report, "aws_iam_account_password_policy.prod");
        assert!(
            pp.iter()
                .any(|f| f["rule"] == "password-policy-weakened" && f["account"] == PROD),
            "{name}: {pp:?}"
        );
        // The role of the same name: prod's matches prod's baseline; the
        // default account's trusts another account, against its own.
        let prod_role = by_address(&report, "aws_iam_role.probe_prod");
        assert!(prod_role.is_empty(), "{name}: {prod_role:?}");
        let main_role = by_address(&report, "aws_iam_role.probe_default");
        assert!(
            main_role
                .iter()
                .any(|f| f["rule"] == "role-trust-widened" && f["account"] == DEFAULT),
            "{name}: {main_role:?}"
        );
        // The audit user: a finding of its own, about its provider.
        let audit = by_address(&report, "aws_iam_user.probe_audit");
        assert_eq!(audit.len(), 1, "{name}: {audit:?}");
        assert_eq!(audit[0]["rule"], "provider-unjudged");
        assert_eq!(audit[0]["resource"], "provider/aws.audit");
        assert_eq!(audit[0]["field"], "aws_iam_user.probe_audit");
        assert!(audit[0]["message"]
            .as_str()
            .unwrap()
            .contains("local.audit_role"));
        // No finding is judged in an account it does not belong to: every
        // finding is the default's or prod's, or not judged at all.
        for f in all(&report) {
            let address = f["source"]["address"].as_str().unwrap_or_default();
            if address.contains(".probe_prod") || address.ends_with("password_policy.prod") {
                assert_eq!(f["account"], PROD, "{name}: {f}");
            } else if f["rule"] != "provider-unjudged" {
                assert_eq!(f["account"], DEFAULT, "{name}: {f}");
            }
        }
        // Each account judged is in the report, with its own baseline.
        let accounts = report["accounts"].as_array().unwrap();
        let ids: Vec<&str> = accounts.iter().filter_map(|a| a["id"].as_str()).collect();
        assert_eq!(ids, [DEFAULT, PROD], "{name}");
        judged += 1;
    }
    assert!(judged >= 1);
}

#[test]
fn the_audit_provider_gets_its_account_from_the_command_line() {
    let mut plan = plan_bases().remove(0).1;
    three_accounts(&mut plan);
    let dir = tempfile::tempdir().unwrap();
    baselines(dir.path());
    let run = check(
        dir.path(),
        &plan,
        &[
            "--baseline",
            "shared.yaml",
            "--accounts",
            "accounts.yaml",
            "--provider-account",
            &format!("aws.audit={DEFAULT}"),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = json_of(&run);
    assert!(all(&report)
        .iter()
        .all(|f| f["rule"] != "provider-unjudged"));
    let audit = by_address(&report, "aws_iam_user.probe_audit");
    assert!(
        audit
            .iter()
            .any(|f| f["rule"] == "user-unmanaged" && f["account"] == DEFAULT),
        "{audit:?}"
    );
    // A key the plan does not have is an error that names the closest.
    let run = check(
        dir.path(),
        &plan,
        &[
            "--baseline",
            "shared.yaml",
            "--accounts",
            "accounts.yaml",
            "--provider-account",
            &format!("aws.adit={DEFAULT}"),
        ],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `aws.audit`"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn one_baseline_judges_its_account_and_names_the_others() {
    let mut plan = plan_bases().remove(0).1;
    three_accounts(&mut plan);
    let dir = tempfile::tempdir().unwrap();
    baselines(dir.path());
    // The default account's baseline: prod's resources are not judged
    // against it.
    let run = check(dir.path(), &plan, &["--baseline", "default.yaml"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let report = json_of(&run);
    for address in [
        "aws_iam_role.probe_prod",
        "aws_iam_account_password_policy.prod",
    ] {
        let found = by_address(&report, address);
        assert_eq!(found.len(), 1, "{address}: {found:?}");
        assert_eq!(found[0]["rule"], "provider-unjudged");
        assert_eq!(found[0]["account"], PROD);
        assert!(found[0]["message"].as_str().unwrap().contains(PROD));
    }
    assert!(by_address(&report, "aws_iam_role.probe_default")
        .iter()
        .any(|f| f["rule"] == "role-trust-widened"));
    // Prod's baseline: the default account's resources are the unjudged.
    let run = check(dir.path(), &plan, &["--baseline", "prod.yaml"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let report = json_of(&run);
    assert_eq!(
        by_address(&report, "aws_iam_role.probe_default")[0]["rule"],
        "provider-unjudged"
    );
    assert!(by_address(&report, "aws_iam_account_password_policy.prod")
        .iter()
        .any(|f| f["rule"] == "password-policy-weakened"));
    // A waiver that accepts the unjudged provider (with its reason) lets
    // the run end by its findings.
    let waived = format!(
        "{}settings:\n  ignore:\n    - rule: provider-unjudged\n      resource: provider/aws.audit\n      reason: the audit account is another team's\n",
        std::fs::read_to_string(dir.path().join("default.yaml")).unwrap()
    );
    std::fs::write(dir.path().join("waived.yaml"), waived).unwrap();
    let run = check(
        dir.path(),
        &plan,
        &[
            "--baseline",
            "waived.yaml",
            "--provider-account",
            &format!("aws.prod={DEFAULT}"),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = json_of(&run);
    assert!(all(&report)
        .iter()
        .all(|f| f["rule"] != "provider-unjudged"));
    assert_eq!(
        report["waived"].as_array().map(Vec::len),
        Some(1),
        "{report}"
    );
}

#[test]
fn the_plan_reads_each_providers_account() {
    let mut plan = plan_bases().remove(0).1;
    three_accounts(&mut plan);
    let bytes = serde_json::to_vec(&plan).unwrap();
    let parts = read(&bytes).unwrap().into_parts();
    let summary: Vec<(Vec<String>, Option<String>)> = parts
        .iter()
        .map(|p| (p.provider.keys.clone(), p.provider.account.clone()))
        .collect();
    assert_eq!(
        summary,
        [
            (vec!["aws".to_string()], Some(DEFAULT.to_string())),
            (vec!["aws.prod".to_string()], Some(PROD.to_string())),
            (vec!["aws.audit".to_string()], None),
        ]
    );
    assert!(parts[0].provider.basis.contains("allowed_account_ids"));
    assert!(parts[1]
        .provider
        .basis
        .contains(&format!("arn:aws:iam::{PROD}:role/terraform")));
    // Two roles named alike in two accounts: one in each part, no write
    // conflict.
    assert!(parts[0].state.roles.items.contains_key("drift-probe"));
    assert!(parts[1].state.roles.items.contains_key("drift-probe"));
    assert!(parts.iter().all(|p| p
        .state
        .multiple_writes
        .iter()
        .all(|w| w.name.as_deref() != Some("drift-probe"))));
    // The command line joins the audit provider to the default account.
    let given = ProviderAccounts::from([("aws.audit".to_string(), DEFAULT.to_string())]);
    let parts = read_with(&bytes, &given).unwrap().into_parts();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0].provider.keys, ["aws", "aws.audit"]);
    assert!(parts[0].state.users.items.contains_key("drift-probe-audit"));
}

#[test]
fn providers_that_assume_no_role_are_one_account() {
    // Two regions with Terraform's own credentials: one account, judged as
    // one, whatever the plan holds.
    for (name, base) in plan_bases() {
        let mut plan = base;
        provider(
            &mut plan,
            "aws",
            json!({"region": {"constant_value": "us-east-1"}}),
        );
        provider(
            &mut plan,
            "aws.west",
            json!({"region": {"constant_value": "us-west-2"}}),
        );
        push(
            &mut plan,
            create(
                None,
                "aws_iam_user",
                "west",
                None,
                json!({"name": "drift-west", "path": "/", "tags": {}}),
                json!({}),
            ),
        );
        configured(&mut plan, &[], "aws_iam_user", "west", "aws.west");
        let parts = read(&serde_json::to_vec(&plan).unwrap())
            .unwrap()
            .into_parts();
        let accounts: Vec<_> = parts.iter().map(|p| p.provider.account.clone()).collect();
        assert!(
            parts
                .iter()
                .any(|p| p.state.users.items.contains_key("drift-west")),
            "{name}"
        );
        // Only configurations the base plan brings itself may be apart.
        assert!(
            parts[0].provider.keys.contains(&"aws.west".to_string()),
            "{name}: {accounts:?}"
        );
    }
}

#[test]
fn a_role_from_a_root_variable_names_the_account_unless_it_is_sensitive() {
    let mut plan = plan_bases().remove(0).1;
    provider(
        &mut plan,
        "aws",
        json!({"assume_role": [{"role_arn": {"references": ["var.role_arn"]}}]}),
    );
    let arn = format!("arn:aws:iam::{PROD}:role/cross-account/terraform");
    plan["variables"] = json!({"role_arn": {"value": arn}});
    let bytes = serde_json::to_vec(&plan).unwrap();
    let parts = read(&bytes).unwrap().into_parts();
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0].provider.account.as_deref(), Some(PROD));
    // Checked against another account's baseline: the run stops, naming
    // both accounts.
    let dir = tempfile::tempdir().unwrap();
    baselines(dir.path());
    let run = check(dir.path(), &plan, &["--baseline", "default.yaml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(PROD) && run.stderr.contains(DEFAULT),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
    // Marked sensitive: not read, and never printed.
    plan["configuration"]["root_module"]["variables"] = json!({"role_arn": {"sensitive": true}});
    provider(
        &mut plan,
        "aws.other",
        json!({ "assume_role": role_arn(DEFAULT) }),
    );
    push(
        &mut plan,
        create(
            None,
            "aws_iam_user",
            "other",
            None,
            json!({"name": "drift-other", "path": "/", "tags": {}}),
            json!({}),
        ),
    );
    configured(&mut plan, &[], "aws_iam_user", "other", "aws.other");
    let parts = read(&serde_json::to_vec(&plan).unwrap())
        .unwrap()
        .into_parts();
    assert_eq!(parts[0].provider.account, None);
    assert!(parts[0].provider.basis.contains("sensitive"));
    let run = check(dir.path(), &plan, &["--baseline", "shared.yaml"]);
    for text in [&run.stdout, &run.stderr] {
        assert!(!text.contains("cross-account/terraform"), "{text}");
    }
}

#[test]
fn a_module_provider_the_plan_does_not_resolve_is_not_judged() {
    // Terraform before 1.1 names a module's inherited configuration
    // `CALL:aws`, which `provider_config` does not hold.
    let mut plan = plan_bases().remove(0).1;
    provider(&mut plan, "aws", json!({}));
    provider(
        &mut plan,
        "aws.prod",
        json!({ "assume_role": role_arn(PROD) }),
    );
    push(
        &mut plan,
        create(
            Some("module.iam"),
            "aws_iam_role",
            "old",
            None,
            json!({"name": "drift-old", "path": "/", "assume_role_policy": trust(json!({"Service": "ec2.amazonaws.com"})), "tags": {}}),
            json!({}),
        ),
    );
    configured(&mut plan, &["iam"], "aws_iam_role", "old", "iam:aws");
    let parts = read(&serde_json::to_vec(&plan).unwrap())
        .unwrap()
        .into_parts();
    let old = parts
        .iter()
        .find(|p| p.state.roles.items.contains_key("drift-old"))
        .expect("a part holds it");
    assert_eq!(old.provider.keys, ["iam:aws"]);
    assert_eq!(old.provider.account, None);
    assert!(old.provider.basis.contains("calling module"));
    let dir = tempfile::tempdir().unwrap();
    baselines(dir.path());
    let run = check(dir.path(), &plan, &["--baseline", "shared.yaml"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let report = json_of(&run);
    assert_eq!(
        by_address(&report, "module.iam.aws_iam_role.old")[0]["rule"],
        "provider-unjudged"
    );
}

#[test]
fn the_baselines_account_is_terraforms_own_when_the_default_provider_assumes_no_role() {
    let mut plan = plan_bases().remove(0).1;
    three_accounts(&mut plan);
    // The default provider names no account now: Terraform's own
    // credentials.
    provider(
        &mut plan,
        "aws",
        json!({"region": {"constant_value": "us-east-1"}}),
    );
    let dir = tempfile::tempdir().unwrap();
    baselines(dir.path());
    let run = check(dir.path(), &plan, &["--baseline", "default.yaml"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let report = json_of(&run);
    // Judged against default.yaml: its widened trust is found.
    let default = by_address(&report, "aws_iam_role.probe_default");
    assert!(
        default.iter().any(|f| f["rule"] == "role-trust-widened"),
        "{default:?}"
    );
    assert!(default.iter().all(|f| f["rule"] != "provider-unjudged"));
    // Prod's resources are still not judged against it.
    assert_eq!(
        by_address(&report, "aws_iam_role.probe_prod")[0]["rule"],
        "provider-unjudged"
    );
    // A baseline for prod's account judges prod's part, and the ambient one
    // is then unjudged, since nothing says it is prod's.
    let run = check(dir.path(), &plan, &["--baseline", "prod.yaml"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let report = json_of(&run);
    let default = by_address(&report, "aws_iam_role.probe_default");
    assert_eq!(default.len(), 1, "{default:?}");
    assert_eq!(default[0]["rule"], "provider-unjudged");
    assert!(default[0]["message"]
        .as_str()
        .unwrap()
        .contains("Terraform's own credentials"));
}

#[test]
fn the_example_plan_of_two_accounts() {
    let plan: Value = serde_json::from_slice(
        &std::fs::read(root().join("examples/plan-two-accounts.json")).unwrap(),
    )
    .unwrap();
    let dir = example_baseline_dir();
    // The README's baseline is the default provider's account: its part is
    // clean, the audit account's role is not judged, and the run fails.
    let run = check(dir.path(), &plan, &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let report = json_of(&run);
    let found = all(&report);
    assert_eq!(found.len(), 1, "{report}");
    assert_eq!(found[0]["rule"], "provider-unjudged");
    assert_eq!(found[0]["account"], "444455556666");
    // Its account is known: the fix is that account's baseline.
    assert!(found[0]["help"]
        .as_str()
        .unwrap()
        .contains("with account 444455556666 and its baseline in the accounts file"));
    assert!(run.stderr.contains("aws.audit"), "{}", run.stderr);
    // The audit account's baseline judges its part: a role every AWS
    // principal may assume, declared nowhere, and the default account's
    // resources are the unjudged ones.
    std::fs::write(
        dir.path().join("audit.yaml"),
        "version: 1\naccount:\n  id: \"444455556666\"\n",
    )
    .unwrap();
    let run = check(dir.path(), &plan, &["--baseline", "audit.yaml"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let report = json_of(&run);
    let role = by_address(&report, "aws_iam_role.audit_reader");
    assert!(
        role.iter()
            .any(|f| f["rule"] != "provider-unjudged" && f["severity"] == "critical"),
        "{role:?}"
    );
    let alice = by_address(&report, "aws_iam_user.alice");
    assert_eq!(alice.len(), 1, "{alice:?}");
    assert_eq!(alice[0]["rule"], "provider-unjudged");
}

/// Waivers of the shared baseline are the run's: one used in any account is
/// used, and one expired or used nowhere is reported once, in no account;
/// an account's own waiver stays that account's.
#[test]
fn shared_waivers_are_reported_once_for_the_run() {
    let plan: Value = serde_json::from_slice(
        &std::fs::read(root().join("examples/plan-two-accounts.json")).unwrap(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let main = example_main_baseline().replacen(
        "  ignore: [\"role:/aws-service-role/*\"]",
        "  ignore:\n    - \"role:/aws-service-role/*\"\n    - rule: user-unmanaged\n      resource: user/nobody\n      reason: main's own, used nowhere",
        1,
    );
    assert!(main.contains("user/nobody"));
    example_accounts(
        d,
        "version: 1\nsettings:\n  ignore:\n\
         \x20   - rule: role-unmanaged\n      resource: role/audit-reader\n      reason: used in one account only\n\
         \x20   - rule: user-unmanaged\n      resource: user/ghost\n      reason: used nowhere\n\
         \x20   - rule: role-unmanaged\n      resource: role/old\n      reason: long expired\n      expires: 2020-01-31\n",
        &main,
    );
    let run = check(
        d,
        &plan,
        &[
            "--accounts",
            "accounts.yaml",
            "--baseline",
            "shared.yaml",
            "--provider-account",
            "aws=123456789012",
            "--fail-on",
            "critical",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = json_of(&run);
    let waiver_findings: Vec<(String, String, String)> = all(&report)
        .into_iter()
        .filter(|f| f["rule"].as_str().unwrap().starts_with("waiver-"))
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["resource"].as_str().unwrap().to_string(),
                f["account"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let mut got = waiver_findings.clone();
    got.sort();
    let want = |r: &str, res: &str, a: &str| (r.to_string(), res.to_string(), a.to_string());
    assert_eq!(
        got,
        [
            want("waiver-expired", "waiver/role/old role-unmanaged", ""),
            want("waiver-unused", "waiver/user/ghost user-unmanaged", ""),
            want(
                "waiver-unused",
                "waiver/user/nobody user-unmanaged",
                "123456789012"
            ),
        ],
        "{report}"
    );
    // The audit account's role is waived, and each account counts only its
    // own findings.
    assert_eq!(
        report["waived"].as_array().map(Vec::len),
        Some(1),
        "{report}"
    );
    for a in report["accounts"].as_array().unwrap() {
        let n: u64 = a["findings"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        let of = all(&report)
            .into_iter()
            .filter(|f| f["account"] == a["id"])
            .count();
        assert_eq!(n, of as u64, "{a}");
    }
}

/// A plan of one account the accounts file does not name (Terraform's own
/// credentials, or an account it does not list) is judged in no account:
/// every resource says so and the run fails, never a run that judged
/// nothing and reads clean. Every shared plan, as it is.
#[test]
fn a_plan_of_an_account_the_accounts_file_does_not_name_is_not_clean() {
    let mut with_iam = 0;
    for (name, plan) in plan_bases() {
        let (_dir, run) = check_several(&plan);
        let report = json_of(&run);
        let iam = plan["resource_changes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|rc| {
                rc["mode"].as_str().is_none_or(|m| m == "managed")
                    && rc["type"]
                        .as_str()
                        .is_some_and(iam_drift_guard::sources::terraform::is_supported)
            })
            .count();
        if iam == 0 {
            continue;
        }
        with_iam += 1;
        let judged: Vec<&str> = report["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap())
            .collect();
        if !judged.is_empty() {
            // The plan says it works in an account of the file: judged there.
            assert!(
                judged.iter().all(|id| [DEFAULT, PROD].contains(id)),
                "{name}"
            );
            continue;
        }
        assert_eq!(run.code, 2, "{name}: {}", run.stderr);
        let found = all(&report);
        assert!(found.len() >= iam, "{name}: {} of {iam}", found.len());
        assert!(
            found.iter().all(|f| f["rule"] == "provider-unjudged"),
            "{name}: {found:?}"
        );
    }
    assert!(with_iam >= 1);
}
