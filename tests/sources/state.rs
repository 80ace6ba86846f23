//! Terraform state as a source: `terraform show -json` of a state and a raw
//! `terraform.tfstate` (version 4), through the plan's per-type mapping.

use crate::common::*;
use serde_json::{json, Value};

fn shared_states() -> Vec<std::path::PathBuf> {
    let dir = root().join("../shared/fixtures/state");
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// `terraform show -json` of the state a plan started from.
fn show_json(plan: &Value) -> Value {
    json!({
        "format_version": "1.0",
        "terraform_version": plan["terraform_version"].clone(),
        "values": plan["prior_state"]["values"].clone(),
    })
}

/// The same state as a raw `terraform.tfstate`.
fn tfstate(show: &Value) -> Value {
    let mut resources = Vec::new();
    let mut modules = vec![show["values"]["root_module"].clone()];
    while let Some(m) = modules.pop() {
        modules.extend(m["child_modules"].as_array().cloned().unwrap_or_default());
        for r in m["resources"].as_array().cloned().unwrap_or_default() {
            let mut inst = json!({"schema_version": 0, "attributes": r["values"].clone(), "sensitive_attributes": []});
            if !r["index"].is_null() {
                inst["index_key"] = r["index"].clone();
            }
            let mut res = json!({"mode": r["mode"].clone(), "type": r["type"].clone(), "name": r["name"].clone(),
                "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]", "instances": [inst]});
            if let Some(a) = m["address"].as_str() {
                res["module"] = json!(a);
            }
            resources.push(res);
        }
    }
    json!({"version": 4, "terraform_version": "1.9.5", "serial": 1, "lineage": "x", "outputs": {}, "resources": resources})
}

/// The clean example plan of tests/fixtures.
fn clean_plan() -> Value {
    serde_json::from_str(&std::fs::read_to_string(root().join(fixture("clean"))).unwrap()).unwrap()
}

fn run_in(dir: &std::path::Path, args: &[&str]) -> Run {
    drift_in(dir, args, None)
}

#[test]
fn real_states_round_trip_through_init() {
    for state in shared_states() {
        let dir = tempfile::tempdir().unwrap();
        let s = state.to_str().unwrap();
        let init = run_in(
            dir.path(),
            &["init", "--state", s, "--output", "baseline.yaml"],
        );
        assert_eq!(init.code, 0, "{s}: {}", init.stderr);
        let check = run_in(dir.path(), &["check", "--state", s, "--format", "json"]);
        assert_eq!(check.code, 0, "{s}: {}{}", check.stdout, check.stderr);
        let v: Value = serde_json::from_str(&check.stdout).unwrap();
        assert_eq!(v["findings"], json!([]), "{s}");
        assert_eq!(v["sources"][0]["kind"], "state");
    }
}

#[test]
fn both_shapes_of_every_plan_s_prior_state_read_the_same() {
    for (name, plan) in plan_bases() {
        if plan["prior_state"].is_null() {
            continue;
        }
        let show = show_json(&plan);
        let raw = tfstate(&show);
        let dir = tempfile::tempdir().unwrap();
        let a = write_json(dir.path(), "show.json", &show);
        let b = write_json(dir.path(), "terraform.tfstate", &raw);
        let one = run_in(dir.path(), &["init", "--state", a.to_str().unwrap()]);
        let two = run_in(dir.path(), &["init", "--state", b.to_str().unwrap()]);
        assert_eq!(
            (one.code, two.code),
            (0, 0),
            "{name}: {}{}",
            one.stderr,
            two.stderr
        );
        let body = |s: &str| {
            s.lines()
                .filter(|l| !l.starts_with('#'))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(body(&one.stdout), body(&two.stdout), "{name}");
    }
}

#[test]
fn the_example_world_as_a_state_and_a_weakened_one() {
    let plan = clean_plan();
    let dir = example_baseline_dir();
    let mut raw = tfstate(&show_json(&plan));
    let path = write_json(dir.path(), "terraform.tfstate", &raw);
    let run = run_in(
        dir.path(),
        &[
            "check",
            "--state",
            path.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    // Someone lowered the length in the state's world.
    for r in raw["resources"].as_array_mut().unwrap() {
        if r["type"] == "aws_iam_account_password_policy" {
            r["instances"][0]["attributes"]["minimum_password_length"] = json!(8);
        }
    }
    let path = write_json(dir.path(), "terraform.tfstate", &raw);
    let run = run_in(
        dir.path(),
        &[
            "check",
            "--state",
            path.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "password-policy-weakened");
    assert_eq!(f["source"]["kind"], "state");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .starts_with("the state weakens"),
        "{f}"
    );
}

#[test]
fn sensitive_attributes_of_a_tfstate_are_masked_and_deposed_instances_skipped() {
    let plan = clean_plan();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("baseline.yaml"),
        "version: 1\nroles:\n  app: { description: plain }\n",
    )
    .unwrap();
    let mut raw = tfstate(&show_json(&plan));
    for r in raw["resources"].as_array_mut().unwrap() {
        if r["type"] == "aws_iam_role" {
            let inst = &mut r["instances"][0];
            inst["attributes"]["description"] = json!("SECRET-role-description");
            inst["sensitive_attributes"] = json!([[{"type": "get_attr", "value": "description"}]]);
            // A deposed leftover that is gone.
            let mut deposed = inst.clone();
            deposed["deposed"] = json!("00000001");
            deposed["attributes"]["name"] = json!("ghost");
            r["instances"].as_array_mut().unwrap().push(deposed);
        }
    }
    let path = write_json(dir.path(), "terraform.tfstate", &raw);
    for format in ["human", "json", "markdown", "sarif", "github"] {
        let run = run_in(
            dir.path(),
            &[
                "check",
                "--state",
                path.to_str().unwrap(),
                "--format",
                format,
            ],
        );
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            !run.stdout.contains("SECRET-role-description"),
            "{format}: {}",
            run.stdout
        );
    }
    let run = run_in(dir.path(), &["init", "--state", path.to_str().unwrap()]);
    assert!(
        !run.stdout.contains("SECRET-role-description"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("roles.app.description"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_state_given_as_a_plan_names_the_flag_and_the_other_way_round() {
    let plan = clean_plan();
    let dir = example_baseline_dir();
    for state in [show_json(&plan), tfstate(&show_json(&plan))] {
        let path = write_json(dir.path(), "state.json", &state);
        let run = run_in(dir.path(), &["check", "--plan", path.to_str().unwrap()]);
        assert_eq!(run.code, 2);
        assert!(run.stderr.contains("--state FILE"), "{}", run.stderr);
    }
    let path = root().join(fixture("clean"));
    let run = run_in(dir.path(), &["check", "--state", path.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--plan FILE"), "{}", run.stderr);
    let run = run_in(
        dir.path(),
        &[
            "check",
            "--state",
            path.to_str().unwrap(),
            "--plan",
            path.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 2);
}

/// What `drift init --state` read as empty it guards: every user of every real
/// state that has no attachment gets AdministratorAccess and an inline policy
/// in an edited copy of the state, and the check against the baseline init
/// wrote reports both.
#[test]
fn a_baseline_from_init_catches_what_is_attached_later() {
    const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";
    let mut judged = 0;
    for state in shared_states() {
        let dir = tempfile::tempdir().unwrap();
        let s = state.to_str().unwrap();
        let init = run_in(
            dir.path(),
            &["init", "--state", s, "--output", "baseline.yaml"],
        );
        assert_eq!(init.code, 0, "{s}: {}", init.stderr);
        let baseline = std::fs::read_to_string(dir.path().join("baseline.yaml")).unwrap();
        let mut tfstate: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
        let users: Vec<String> = tfstate["resources"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["type"] == "aws_iam_user" && r["mode"] == "managed")
            .flat_map(|r| r["instances"].as_array().unwrap().iter())
            .filter_map(|i| i["attributes"]["name"].as_str().map(str::to_string))
            .collect();
        let attached: Vec<String> = tfstate["resources"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["type"] == "aws_iam_user_policy_attachment")
            .flat_map(|r| r["instances"].as_array().unwrap().iter())
            .filter_map(|i| i["attributes"]["user"].as_str().map(str::to_string))
            .collect();
        let bare: Vec<&String> = users.iter().filter(|u| !attached.contains(u)).collect();
        if bare.is_empty() {
            continue;
        }
        assert!(
            baseline.contains("managed_policies: []"),
            "{s}:\n{baseline}"
        );
        assert!(baseline.contains("inline_policies: {}"), "{s}:\n{baseline}");
        let resources = tfstate["resources"].as_array_mut().unwrap();
        for (i, user) in bare.iter().enumerate() {
            resources.push(json!({
                "mode": "managed", "type": "aws_iam_user_policy_attachment", "name": format!("later{i}"),
                "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
                "instances": [{"schema_version": 0, "attributes": {"id": format!("{user}-admin"), "user": user, "policy_arn": ADMIN}}],
            }));
            resources.push(json!({
                "mode": "managed", "type": "aws_iam_user_policy", "name": format!("inline{i}"),
                "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
                "instances": [{"schema_version": 0, "attributes": {"id": format!("{user}:pe"), "user": user, "name": "pe",
                    "policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:CreatePolicyVersion\",\"Resource\":\"*\"}]}"}}],
            }));
        }
        let edited = write_json(dir.path(), "edited.tfstate", &tfstate);
        let check = run_in(
            dir.path(),
            &[
                "check",
                "--state",
                edited.to_str().unwrap(),
                "--format",
                "json",
            ],
        );
        assert_eq!(check.code, 1, "{s}: {}{}", check.stdout, check.stderr);
        let v: Value = serde_json::from_str(&check.stdout).unwrap();
        for user in &bare {
            for field in ["managed_policies", "inline_policies.pe"] {
                let hit = v["findings"].as_array().unwrap().iter().any(|f| {
                    f["resource"] == format!("user/{user}")
                        && f["rule"] == "user-policy-widened"
                        && f["severity"] == "critical"
                        && f["field"] == field
                });
                assert!(hit, "{s}: {user} {field}: {:#}", v["findings"]);
            }
        }
        judged += bare.len();
    }
    if !shared_states().is_empty() {
        assert!(judged > 0, "no real state has a user without policies");
    }
}

/// A state as Terraform writes it: `aws_iam_role` carries `inline_policy`
/// read back from the API beside the `aws_iam_role_policy` that wrote it. The
/// read-back is not a second write: init then check is clean, in both shapes
/// of a state. A role whose own block holds another document than the
/// separate resource still conflicts.
#[test]
fn an_inline_policy_read_back_on_its_role_is_not_a_second_write() {
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:PutLogEvents","Resource":"*"}]}"#;
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let state = |read_back: &str| {
        json!({"format_version": "1.0", "terraform_version": "1.9.5", "values": {"root_module": {"resources": [
            {"address": "aws_iam_role.app", "mode": "managed", "type": "aws_iam_role", "name": "app",
             "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0, "sensitive_values": {},
             "values": {"name": "app", "path": "/", "arn": "arn:aws:iam::123456789012:role/app", "unique_id": "AROAAPP",
                        "assume_role_policy": trust, "max_session_duration": 3600, "description": "",
                        "managed_policy_arns": [], "permissions_boundary": null, "tags": {},
                        "inline_policy": [{"name": "logs", "policy": read_back}]}},
            {"address": "aws_iam_role_policy.logs", "mode": "managed", "type": "aws_iam_role_policy", "name": "logs",
             "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0, "sensitive_values": {},
             "values": {"id": "app:logs", "name": "logs", "name_prefix": "", "role": "app", "policy": doc}}
        ]}}})
    };
    for shape in ["show", "tfstate"] {
        let dir = tempfile::tempdir().unwrap();
        let s = state(doc);
        let s = if shape == "show" { s } else { tfstate(&s) };
        let path = write_json(dir.path(), "state.json", &s);
        let p = path.to_str().unwrap();
        let init = run_in(
            dir.path(),
            &["init", "--state", p, "--output", "baseline.yaml"],
        );
        assert_eq!(init.code, 0, "{shape}: {}", init.stderr);
        let check = run_in(dir.path(), &["check", "--state", p, "--format", "json"]);
        assert_eq!(check.code, 0, "{shape}: {}{}", check.stdout, check.stderr);
    }
    let dir = tempfile::tempdir().unwrap();
    let other = doc.replace("logs:PutLogEvents", "logs:*");
    let path = write_json(dir.path(), "state.json", &state(&other));
    let p = path.to_str().unwrap();
    assert_eq!(
        run_in(
            dir.path(),
            &["init", "--state", p, "--output", "baseline.yaml"]
        )
        .code,
        0
    );
    let check = run_in(dir.path(), &["check", "--state", p, "--format", "json"]);
    assert_eq!(check.code, 1, "{}{}", check.stdout, check.stderr);
    assert!(
        check.stdout.contains("inline_policies.logs"),
        "{}",
        check.stdout
    );
}

/// `drift COMMAND --state PATH EXTRA…` in `dir`.
fn with_state(dir: &std::path::Path, command: &str, path: &std::path::Path, extra: &[&str]) -> Run {
    let mut args = vec![command, "--state", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    run_in(dir, &args)
}

/// A raw state names each resource's provider configuration: resources of
/// other `aws` configurations than the default one (an alias, a module's
/// own) may be other accounts, which a state cannot tell, so they are
/// `provider-unjudged` findings and never judged against the baseline; the
/// default configuration's are judged as before. Every shared raw state and
/// the example world, with resources moved to other configurations.
#[test]
fn a_raw_states_resources_of_other_providers_are_not_judged() {
    let mut states: Vec<Value> = vec![tfstate(&show_json(&clean_plan()))];
    for path in shared_states() {
        let v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        if v["resources"].is_array() {
            states.push(v);
        }
    }
    let mut judged = 0;
    for (n, state) in states.into_iter().enumerate() {
        let dir = example_baseline_dir();
        let original = write_json(dir.path(), "original.tfstate", &state);
        let init = with_state(dir.path(), "init", &original, &["--output", "own.yaml"]);
        assert_eq!(init.code, 0, "{n}: {}", init.stderr);
        let mut edited = state.clone();
        let resources = edited["resources"].as_array_mut().unwrap();
        let iam: Vec<usize> = resources
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                r["mode"] == "managed"
                    && r["type"]
                        .as_str()
                        .is_some_and(|t| t.starts_with("aws_iam_"))
                    && !r["instances"].as_array().is_none_or(Vec::is_empty)
            })
            .map(|(i, _)| i)
            .collect();
        let provider = |r: &Value| r["provider"].as_str().unwrap_or_default().to_string();
        if iam.len() < 2 {
            // All of one configuration, whichever: one account, judged as
            // before.
            for &i in &iam {
                let base = provider(&resources[i]);
                resources[i]["provider"] = json!(format!("{base}.audit"));
            }
            let path = write_json(dir.path(), "one.tfstate", &edited);
            let run = with_state(dir.path(), "check", &path, &["--baseline", "own.yaml"]);
            assert_eq!(run.code, 0, "{n}: {}{}", run.stdout, run.stderr);
            continue;
        }
        let first = iam[0];
        let base = provider(&resources[first]);
        resources[first]["provider"] = json!(format!("{base}.audit"));
        let mut moved = vec![("aws.audit".to_string(), first)];
        if let Some(&second) = iam.get(1).filter(|_| iam.len() > 2) {
            resources[second]["provider"] =
                json!(format!("module.net.{}", provider(&resources[second])));
            moved.push(("module.net:aws".to_string(), second));
        }
        let addresses = |r: &Value| -> Vec<String> {
            let prefix = r["module"]
                .as_str()
                .map(|m| format!("{m}."))
                .unwrap_or_default();
            r["instances"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|i| i["deposed"].is_null())
                .map(|i| match &i["index_key"] {
                    Value::Null => format!(
                        "{prefix}{}.{}",
                        r["type"].as_str().unwrap(),
                        r["name"].as_str().unwrap()
                    ),
                    k => format!(
                        "{prefix}{}.{}[{k}]",
                        r["type"].as_str().unwrap(),
                        r["name"].as_str().unwrap()
                    ),
                })
                .collect()
        };
        let path = write_json(dir.path(), "terraform.tfstate", &edited);
        let run = with_state(
            dir.path(),
            "check",
            &path,
            &["--baseline", "own.yaml", "--format", "json"],
        );
        assert_eq!(run.code, 2, "{n}: {}", run.stderr);
        let report: Value = serde_json::from_str(&run.stdout).unwrap();
        let found = report["findings"].as_array().unwrap();
        for (key, at) in &moved {
            for address in addresses(&edited["resources"][*at]) {
                let of: Vec<&Value> = found
                    .iter()
                    .filter(|f| f["source"]["address"] == address.as_str())
                    .collect();
                assert_eq!(of.len(), 1, "{n}: {address}: {of:?}");
                assert_eq!(of[0]["rule"], "provider-unjudged");
                assert_eq!(of[0]["resource"], format!("provider/{key}"));
                assert!(of[0]["help"]
                    .as_str()
                    .unwrap()
                    .contains("check the plan instead of the state"));
            }
        }
        assert!(run.stderr.contains("aws.audit"), "{}", run.stderr);
        // A baseline is one account's: init refuses the edited state.
        let init = with_state(dir.path(), "init", &path, &["--output", "new.yaml"]);
        assert_eq!(init.code, 2, "{n}: {}", init.stderr);
        assert!(init.stderr.contains("aws.audit"), "{}", init.stderr);
        assert!(!dir.path().join("new.yaml").exists());
        given_accounts(n, dir.path(), &path, &edited, &moved, &addresses);
        judged += 1;
    }
    assert!(judged >= 1);
}

const MAIN: &str = "111122223333";
const AUDIT: &str = "222233334444";

/// `--provider-account` gives a raw state's configurations their accounts:
/// all in one account, the state is judged whole as the original was; the
/// moved ones in another account, they are judged against that account's
/// baseline with `--accounts`, and `provider-unjudged` (naming the account)
/// without it.
fn given_accounts(
    n: usize,
    dir: &std::path::Path,
    path: &std::path::Path,
    edited: &Value,
    moved: &[(String, usize)],
    addresses: &dyn Fn(&Value) -> Vec<String>,
) {
    let flags = |default: &str, others: &str| -> Vec<String> {
        let mut out = vec![format!("aws={default}")];
        out.extend(moved.iter().map(|(k, _)| format!("{k}={others}")));
        out
    };
    let check = |flags: &[String], extra: &[&str]| -> Run {
        let mut args = vec!["--format", "json"];
        for f in flags {
            args.extend(["--provider-account", f.as_str()]);
        }
        args.extend_from_slice(extra);
        with_state(dir, "check", path, &args)
    };
    // One account: as the original state, clean.
    let run = check(&flags(MAIN, MAIN), &["--baseline", "own.yaml"]);
    assert_eq!(run.code, 0, "{n}: {}{}", run.stdout, run.stderr);

    // The moved configurations in another account, one baseline: theirs
    // are unjudged in that account, the default's judged.
    let run = check(&flags(MAIN, AUDIT), &["--baseline", "own.yaml"]);
    assert_eq!(run.code, 2, "{n}: {}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let found = report["findings"].as_array().unwrap();
    let unjudged: Vec<&Value> = found
        .iter()
        .filter(|f| f["rule"] == "provider-unjudged")
        .collect();
    let expected: usize = moved
        .iter()
        .map(|(_, at)| addresses(&edited["resources"][*at]).len())
        .sum();
    assert_eq!(unjudged.len(), expected, "{n}: {unjudged:?}");
    for f in &unjudged {
        assert_eq!(f["account"], AUDIT, "{n}: {f}");
        let help = f["help"].as_str().unwrap();
        assert!(
            help.contains("drift check --state terraform.tfstate --accounts accounts.yaml"),
            "{n}: {help}"
        );
    }

    // With a baseline for each account, every resource is judged.
    std::fs::write(dir.join("shared.yaml"), "version: 1\n").unwrap();
    std::fs::write(
        dir.join("accounts.yaml"),
        format!(
            "version: 1\naccounts:\n  - id: \"{MAIN}\"\n    baseline: own.yaml\n  - id: \"{AUDIT}\"\n    baseline: own.yaml\n"
        ),
    )
    .unwrap();
    let run = check(
        &flags(MAIN, AUDIT),
        &["--baseline", "shared.yaml", "--accounts", "accounts.yaml"],
    );
    assert!(run.code == 0 || run.code == 1, "{n}: {}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["rule"] != "provider-unjudged"),
        "{n}: {}",
        run.stdout
    );
    let accounts: Vec<(&str, &str)> = report["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["id"].as_str().unwrap(), a["status"].as_str().unwrap()))
        .collect();
    assert_eq!(accounts, [(MAIN, "read"), (AUDIT, "read")], "{n}");

    // A key the state does not have is an error, with the closest one.
    let run = check(
        &["aws.audti=222233334444".to_string()],
        &["--baseline", "own.yaml"],
    );
    assert_eq!(run.code, 2, "{n}: {}", run.stderr);
    assert!(
        run.stderr
            .contains("the state has no `aws` provider configuration `aws.audti`")
            && run.stderr.contains("did you mean `aws.audit`?"),
        "{}",
        run.stderr
    );
}

/// A state of one configuration with `--accounts`: its account must be
/// given, or nothing of it is judged and every resource says so (exit 2),
/// never a run that judged nothing and reads clean. Every shared state (both
/// shapes) and the example world.
#[test]
fn a_state_of_one_account_with_an_accounts_file_is_judged_only_in_its_account() {
    let world = show_json(&clean_plan());
    let mut states: Vec<Value> = vec![tfstate(&world), world];
    for path in shared_states() {
        states.push(serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap());
    }
    let mut with_iam = 0;
    for (n, state) in states.iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_json(dir.path(), "terraform.tfstate", state);
        let init = with_state(dir.path(), "init", &path, &["--output", "own.yaml"]);
        assert_eq!(init.code, 0, "{n}: {}", init.stderr);
        std::fs::write(dir.path().join("shared.yaml"), "version: 1\n").unwrap();
        std::fs::write(
            dir.path().join("accounts.yaml"),
            format!("version: 1\naccounts:\n  - id: \"{MAIN}\"\n    baseline: own.yaml\n"),
        )
        .unwrap();
        let several = ["--baseline", "shared.yaml", "--accounts", "accounts.yaml"];
        let json = ["--format", "json"];
        let args: Vec<&str> = several.iter().chain(&json).copied().collect();
        let run = with_state(dir.path(), "check", &path, &args);
        let report: Value = serde_json::from_str(&run.stdout).unwrap();
        let found = report["findings"].as_array().unwrap();
        let held = iam_resources(state);
        assert_eq!(found.len(), held, "{n}: {found:?}");
        assert!(
            found.iter().all(|f| f["rule"] == "provider-unjudged"),
            "{n}: {found:?}"
        );
        assert_eq!(report["accounts"], json!([]), "{n}");
        if held > 0 {
            assert_eq!(run.code, 2, "{n}: {}", run.stderr);
            with_iam += 1;
        }
        // Given, it is judged in its account: as clean as its own baseline.
        let flag = format!("aws={MAIN}");
        let mut given = args.clone();
        given.extend(["--provider-account", flag.as_str()]);
        let run = with_state(dir.path(), "check", &path, &given);
        assert_eq!(run.code, 0, "{n}: {}{}", run.stdout, run.stderr);
        let report: Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(report["findings"], json!([]), "{n}");
        assert_eq!(report["accounts"][0]["id"], MAIN, "{n}");
        assert_eq!(report["accounts"][0]["status"], "read", "{n}");
    }
    assert!(with_iam >= 2, "{with_iam}");
}

/// The IAM objects a state holds, counted from its JSON: managed resources
/// of a type drift reads, one per instance (not deposed).
fn iam_resources(state: &Value) -> usize {
    use iam_drift_guard::sources::terraform::is_supported;
    let managed = |r: &Value| {
        r["mode"].as_str().is_none_or(|m| m == "managed")
            && r["type"].as_str().is_some_and(is_supported)
    };
    if let Some(resources) = state["resources"].as_array() {
        return resources
            .iter()
            .filter(|r| managed(r))
            .map(|r| {
                r["instances"]
                    .as_array()
                    .map_or(0, |i| i.iter().filter(|i| i["deposed"].is_null()).count())
            })
            .sum();
    }
    let mut count = 0;
    let mut modules = vec![&state["values"]["root_module"]];
    while let Some(m) = modules.pop() {
        modules.extend(m["child_modules"].as_array().into_iter().flatten());
        count += m["resources"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|r| managed(r))
            .count();
    }
    count
}
