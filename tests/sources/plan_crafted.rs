//! Crafted plans: escaped addresses, documents IAM cannot read, values a
//! baseline cannot hold. Fixtures edit copies of the clean plan and every real plan.

use crate::common::*;
use serde_json::{json, Value};

const PP: &str = "aws_iam_account_password_policy";

/// Removes every password policy from a plan's changes, planned values and
/// prior state.
fn without_password_policies(plan: &mut Value) {
    retain_changes(plan, &|rc| rc["type"] != PP);
    let Some(root) = plan
        .get_mut("prior_state")
        .and_then(|p| p.get_mut("values"))
        .and_then(|v| v.get_mut("root_module"))
    else {
        return;
    };
    let mut stack = vec![root];
    while let Some(m) = stack.pop() {
        if let Some(list) = m.get_mut("resources").and_then(Value::as_array_mut) {
            list.retain(|r| r["type"] != PP);
        }
        if let Some(children) = m.get_mut("child_modules").and_then(Value::as_array_mut) {
            stack.extend(children.iter_mut());
        }
    }
}

#[test]
fn an_escaped_address_matches_its_twin_in_prior_state() {
    for (name, mut plan) in plan_bases() {
        without_password_policies(&mut plan);
        let values = json!({"minimum_password_length": 14, "require_symbols": true});
        push(&mut plan, delete(None, PP, "crafted", values.clone()));
        if !plan["prior_state"]["values"]["root_module"].is_object() {
            plan["prior_state"] = json!({"values": {"root_module": {"resources": []}}});
        }
        let resources = &mut plan["prior_state"]["values"]["root_module"]["resources"];
        if !resources.is_array() {
            *resources = json!([]);
        }
        resources.as_array_mut().unwrap().push(json!({
            "address": format!("{PP}.crafted"), "mode": "managed", "type": PP, "name": "crafted",
            "values": values, "sensitive_values": {},
        }));
        // The deletion names the policy with an escape; prior_state without.
        let text = serde_json::to_string(&plan).unwrap();
        let plain = format!("\"address\":\"{PP}.crafted\"");
        let first = text.find(&plain).unwrap();
        let escaped = format!("\"address\":\"{PP}.\\u0063rafted\"");
        let text = format!(
            "{}{}{}",
            &text[..first],
            escaped,
            &text[first + plain.len()..]
        );
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("baseline.yaml"), "version: 1\npassword_policy: { minimum_password_length: 14 }\nsettings: { unmanaged: ignore }\n").unwrap();
        std::fs::write(dir.path().join("plan.json"), &text).unwrap();
        let run = check_json_in(dir.path(), &dir.path().join("plan.json"));
        assert_eq!(run.code, 1, "{name}: {}{}", run.stdout, run.stderr);
        let v: Value = serde_json::from_str(&run.stdout).unwrap();
        assert!(
            v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["rule"] == "password-policy-removed"),
            "{name}: {v:#}"
        );
    }
}

#[test]
fn a_document_iam_cannot_read_is_a_finding() {
    let deep = format!(
        "{}{}",
        "{\"a\":".repeat(200),
        "1".to_string() + &"}".repeat(200)
    );
    for (name, plan) in plan_bases() {
        for (doc, says) in [
            (
                "{\"Version\": \"2012-10-17\", \"Statement\": [",
                "not valid JSON",
            ),
            (deep.as_str(), "not valid JSON"),
        ] {
            let mut plan = plan.clone();
            push(
                &mut plan,
                create(
                    None,
                    "aws_iam_role",
                    "crafted",
                    None,
                    json!({"name": "crafted-role", "path": "/", "assume_role_policy": doc}),
                    json!({"arn": true, "id": true, "unique_id": true}),
                ),
            );
            let (code, report) = check(
                &plan,
                "version: 1\nroles:\n  crafted-role: { assume_role_policy: { Version: '2012-10-17', Statement: [] } }\nsettings: { unmanaged: ignore }\n",
            );
            assert_eq!(code, 1, "{name}");
            let f = findings_on(&report, "role/crafted-role");
            assert!(
                f.iter().any(|f| f["rule"] == "role-changed"
                    && f["field"] == "assume_role_policy"
                    && f["message"].as_str().unwrap().contains(says)),
                "{name}: {report:#}"
            );
        }
    }
}

#[test]
fn init_writes_a_baseline_that_validates_whatever_the_plan_holds() {
    for (name, mut plan) in plan_bases() {
        push(
            &mut plan,
            create(
                None,
                "aws_iam_role",
                "odd",
                None,
                json!({"name": "odd", "path": "no-slashes", "max_session_duration": 99999,
                   "assume_role_policy": "{not json"}),
                json!({"arn": true, "id": true, "unique_id": true}),
            ),
        );
        push(
            &mut plan,
            create(
                None,
                PP,
                "odd",
                None,
                json!({"minimum_password_length": 500, "max_password_age": 5000}),
                json!({}),
            ),
        );
        push(
            &mut plan,
            create(
                None,
                "aws_iam_user_ssh_key",
                "odd",
                None,
                json!({"username": "odd-user", "ssh_public_key_id": "APKAODD", "status": "Pending"}),
                json!({}),
            ),
        );
        // A group has no boundary in a baseline, whatever a source says.
        push(
            &mut plan,
            create(
                None,
                "aws_iam_group",
                "odd",
                None,
                json!({"name": "odd-group", "path": "/", "permissions_boundary": "arn:aws:iam::1:policy/b"}),
                json!({"arn": true, "id": true, "unique_id": true}),
            ),
        );
        let dir = tempfile::tempdir().unwrap();
        let path = write_json(dir.path(), "plan.json", &plan);
        let run = drift_in(
            dir.path(),
            &[
                "init",
                "--plan",
                path.to_str().unwrap(),
                "--output",
                "baseline.yaml",
            ],
            None,
        );
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        let written = std::fs::read_to_string(dir.path().join("baseline.yaml")).unwrap();
        for at in [
            "roles.odd.path",
            "roles.odd.max_session_duration",
            "roles.odd.assume_role_policy",
            "password_policy.minimum_password_length",
            "password_policy.max_password_age",
            "users.odd-user.ssh_public_keys.APKAODD.status",
        ] {
            assert!(
                written.contains(&format!("#   {at}:")),
                "{name}: {at} not named:\n{written}"
            );
        }
        let run = drift_in(dir.path(), &["validate"], None);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
    }
}

/// Addresses are decoded whatever escapes they hold: `\"` and `\\` in a
/// `for_each` key (decoded without the JSON reader), and `\u`, `\t` and `\/`
/// escapes (decoded by it), each shown as the address Terraform means.
#[test]
fn escaped_addresses_are_decoded_as_terraform_means_them() {
    // (placeholder, its text in the plan's JSON, what the key means)
    let cases = [
        ("KEYQUOTE", "q\\\"b\\\\s", "q\"b\\s"),
        ("KEYCAFE", "caf\\u00e9", "caf\u{e9}"),
        ("KEYTAB", "tab\\there", "tab\there"),
        ("KEYSLASH", "a\\/b", "a/b"),
    ];
    for (name, mut plan) in plan_bases().into_iter().take(2) {
        for (i, (placeholder, _, _)) in cases.iter().enumerate() {
            let after = json!({"name": format!("escaped-{i}"), "path": "/"});
            push(
                &mut plan,
                create(
                    None,
                    "aws_iam_user",
                    "u",
                    Some(json!(placeholder)),
                    after,
                    json!({}),
                ),
            );
        }
        // Each placeholder is written with its escapes wherever it stands
        // (the change's address, its index, `planned_values`): one meaning.
        let mut text = serde_json::to_string(&plan).unwrap();
        for (placeholder, escaped, _) in &cases {
            assert!(text.contains(placeholder));
            text = text.replace(placeholder, escaped);
        }
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("baseline.yaml"), "version: 1\n").unwrap();
        std::fs::write(dir.path().join("plan.json"), &text).unwrap();
        let run = check_json_in(dir.path(), &dir.path().join("plan.json"));
        assert!(run.code == 0 || run.code == 1, "{name}: {}", run.stderr);
        let v: Value = serde_json::from_str(&run.stdout).unwrap();
        for (i, (_, _, meant)) in cases.iter().enumerate() {
            let want = format!("aws_iam_user.u[\"{meant}\"]");
            let found = findings_on(&v, &format!("user/escaped-{i}"));
            assert!(
                found
                    .iter()
                    .any(|f| f["source"]["address"] == want.as_str()),
                "{name}: {want:?} not in {found:#?}"
            );
        }
    }
}

/// Bytes that are not UTF-8 (Terraform writes none): in a part of the plan
/// drift skips, the plan is judged as without them; in an IAM change drift
/// reads, it is exit 2, located, never a panic.
#[test]
fn bytes_that_are_not_utf8_are_judged_where_they_are() {
    let dir = example_baseline_dir();
    let path = dir.path().join("plan.json");
    for (name, plan) in plan_bases() {
        let Some(iam) = first_iam_change(&plan) else {
            continue;
        };
        let text = serde_json::to_vec(&plan).unwrap();
        std::fs::write(&path, &text).unwrap();
        let clean = check_json_in(dir.path(), &path);
        assert!(
            clean.code == 0 || clean.code == 1,
            "{name}: {}",
            clean.stderr
        );

        // A key drift does not read, at the top level.
        let mut unread = b"{\"x_unread\":\"\xff\xfe\",".to_vec();
        unread.extend_from_slice(&text[1..]);
        std::fs::write(&path, &unread).unwrap();
        let r = check_json_in(dir.path(), &path);
        assert_eq!(r.code, clean.code, "{name}: {}", r.stderr);
        assert_eq!(findings(&r.stdout), findings(&clean.stdout), "{name}");

        // The address of an IAM change.
        let address = serde_json::to_string(&iam["address"]).unwrap();
        let needle = format!("\"address\":{address}");
        let changes = find(&text, b"\"resource_changes\"").unwrap();
        let at = changes + find(&text[changes..], needle.as_bytes()).unwrap() + needle.len() - 1;
        let mut read = text[..at].to_vec();
        read.push(0xff);
        read.extend_from_slice(&text[at..]);
        std::fs::write(&path, &read).unwrap();
        let r = check_json_in(dir.path(), &path);
        assert_eq!(r.code, 2, "{name}: {}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains("plan.json:1:"), "{name}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{name}: {}", r.stdout);
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
