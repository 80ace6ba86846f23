//! Plans whose parts disagree: a change taken out while `planned_values`
//! still holds the resource, no `resource_changes` at all, an IAM write
//! marked `mode: data`, a deleted resource still planned, and keys written
//! twice. Fixtures edit copies of the example plan and every real plan.

use crate::common::*;
use serde_json::{json, Value};

const PP: &str = "aws_iam_account_password_policy";

fn weakened() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(root().join(fixture("weaken-password-policy"))).unwrap(),
    )
    .unwrap()
}

fn run(plan: &Value) -> Run {
    run_text(&serde_json::to_string(plan).unwrap())
}

/// The run is exit 2 and says `what`.
fn fails_saying(r: &Run, what: &str) {
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains(what), "{}", r.stderr);
}

fn rules(run: &Run) -> Vec<String> {
    let v: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|_| panic!("{}", run.stderr));
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

/// The weakening `planned_values` shows is judged though its change is gone:
/// taken out of `resource_changes`, or `resource_changes` left out whole.
#[test]
fn a_change_taken_out_is_judged_from_the_planned_values() {
    let mut plan = weakened();
    plan["resource_changes"]
        .as_array_mut()
        .unwrap()
        .retain(|rc| rc["type"] != PP);
    let r = run(&plan);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        rules(&r).contains(&"password-policy-weakened".to_string()),
        "{}",
        r.stdout
    );
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let weak = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "password-policy-weakened")
        .unwrap();
    assert_eq!(weak["source"]["actions"], json!(["planned"]), "{weak:#}");
    let mut plan = weakened();
    plan.as_object_mut().unwrap().remove("resource_changes");
    let r = run(&plan);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        rules(&r).contains(&"password-policy-weakened".to_string()),
        "{}",
        r.stdout
    );
}

/// An IAM write marked `mode: data` is not skipped as a read: the AWS
/// provider has no password policy data source, and a role data source only
/// reads.
#[test]
fn an_iam_write_marked_as_a_data_source_is_exit_2() {
    for (name, mut plan) in plan_bases() {
        push(
            &mut plan,
            json!({"address": format!("data.{PP}.strict"), "mode": "data", "type": PP, "name": "strict",
                   "provider_name": "registry.terraform.io/hashicorp/aws",
                   "change": {"actions": ["update"], "before": {"minimum_password_length": 14},
                              "after": {"minimum_password_length": 8}}}),
        );
        let r = run(&plan);
        assert_eq!(r.code, 2, "{name}: {}", r.stdout);
        assert!(
            r.stderr
                .contains("no `aws_iam_account_password_policy` data source"),
            "{name}: {}",
            r.stderr
        );
    }
    let mut plan = weakened();
    push(
        &mut plan,
        json!({"address": "data.aws_iam_role.app", "mode": "data", "type": "aws_iam_role", "name": "app",
               "change": {"actions": ["update"], "before": {}, "after": {"name": "app"}}}),
    );
    let r = run(&plan);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("a data source is only read"),
        "{}",
        r.stderr
    );
    // Reading one is what data sources do.
    let mut plan = weakened();
    push(
        &mut plan,
        json!({"address": "data.aws_iam_role.app", "mode": "data", "type": "aws_iam_role", "name": "app",
               "change": {"actions": ["read"], "before": null, "after": {"name": "app"}}}),
    );
    assert_eq!(run(&plan).code, 1);
}

/// A resource `resource_changes` deletes that `planned_values` still holds,
/// or a change for one it does not hold: the parts disagree.
#[test]
fn a_deleted_resource_still_planned_and_a_change_not_planned_are_exit_2() {
    let mut plan = weakened();
    for rc in plan["resource_changes"].as_array_mut().unwrap() {
        if rc["type"] == PP {
            rc["change"]["actions"] = json!(["delete"]);
            rc["change"]["after"] = Value::Null;
        }
    }
    let r = run(&plan);
    fails_saying(&r, "which `planned_values` still holds");
    let mut plan = weakened();
    retain_planned(&mut plan, &|a| !a.starts_with(PP));
    let r = run(&plan);
    fails_saying(&r, "which `planned_values` does not hold");
}

/// A key written twice: in a change's `after` the plan is exit 2; in a
/// policy document the document cannot be read (a finding, never the last
/// value taken silently).
#[test]
fn keys_written_twice_are_not_read_as_one() {
    let text = serde_json::to_string(&weakened()).unwrap();
    // In the change's `after` (the first `8` after `resource_changes`).
    let changes = text.find("\"resource_changes\"").unwrap();
    let at = changes
        + text[changes..]
            .find("\"minimum_password_length\":8")
            .unwrap();
    let twice = format!(
        "{}\"minimum_password_length\":14,{}",
        &text[..at],
        &text[at..]
    );
    let dir = example_baseline_dir();
    std::fs::write(dir.path().join("plan.json"), twice).unwrap();
    let r = check_json_in(dir.path(), &dir.path().join("plan.json"));
    fails_saying(&r, "the key `minimum_password_length` is written twice");

    // bob's notes policy: `Effect` twice, Deny then Allow.
    let mut plan: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join(fixture("clean"))).unwrap())
            .unwrap();
    let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::acme-notes/*"}]}"#;
    for rc in plan["resource_changes"].as_array_mut().unwrap() {
        if rc["type"] == "aws_iam_user_policy" {
            rc["change"]["after"]["policy"] = json!(doc);
            rc["change"]["actions"] = json!(["update"]);
        }
    }
    let r = run(&plan);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("holds the key `Effect` twice"),
        "{}",
        r.stdout
    );
}

const ADMIN: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

/// The weakened plan with 700 more users (more than are decoded at once) and
/// the last one's administrator policy.
fn with_many_users() -> Value {
    let mut plan = weakened();
    for i in 0..700 {
        let name = format!("bulk{i}");
        let after = json!({"name": name, "path": "/", "force_destroy": false, "tags": {}});
        push(
            &mut plan,
            create(None, "aws_iam_user", &name, None, after, json!({})),
        );
    }
    let after = json!({"name": "admin", "user": "bulk699", "policy": ADMIN});
    push(
        &mut plan,
        create(None, "aws_iam_user_policy", "admin", None, after, json!({})),
    );
    plan
}

/// `path` written twice in the `after` of user `bulk650`'s change.
fn twice_in_a_late_change(plan: &Value) -> String {
    let text = serde_json::to_string(plan).unwrap();
    let changes = text.find("\"resource_changes\"").unwrap();
    let marker = "\"after\":{\"name\":\"bulk650\"";
    let at = changes + text[changes..].find(marker).unwrap() + "\"after\":{".len();
    format!("{}\"path\":\"/x/\",{}", &text[..at], &text[at..])
}

fn run_text(text: &str) -> Run {
    let dir = example_baseline_dir();
    std::fs::write(dir.path().join("plan.json"), text).unwrap();
    check_json_in(dir.path(), &dir.path().join("plan.json"))
}

/// Changes are decoded a batch at a time beside the building of the state:
/// every one is built (the last user's grant is found), the first that
/// cannot be read stops the run, and a plan whose parts disagree says that
/// first, as when they were read one after the other.
#[test]
fn many_changes_are_read_whole_and_errors_keep_their_order() {
    let plan = with_many_users();
    let r = run(&plan);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let last: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["message"].as_str().unwrap().contains("`bulk699`"))
        .collect();
    assert!(
        last.iter().any(|f| f["severity"] == "critical"),
        "{last:#?}"
    );
    let users = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["message"].as_str().unwrap().contains("`bulk"))
        .count();
    assert!(users >= 700, "{users} findings name the 700 users");

    let r = run_text(&twice_in_a_late_change(&plan));
    fails_saying(&r, "the key `path` is written twice");

    let mut disagreeing = plan.clone();
    retain_planned(&mut disagreeing, &|a| a != "aws_iam_user.bulk10");
    let r = run_text(&twice_in_a_late_change(&disagreeing));
    fails_saying(&r, "which `planned_values` does not hold");
    assert!(!r.stderr.contains("written twice"), "{}", r.stderr);
}

/// `prior_state` is searched while the plan's two views are checked and
/// applied after: its errors still come in the order of one pass (a
/// resource whose values cannot be read before a later address that cannot).
#[test]
fn prior_state_errors_come_in_the_order_of_the_tree() {
    let mut plan = weakened();
    if !plan["prior_state"]["values"]["root_module"].is_object() {
        plan["prior_state"] = json!({"values": {"root_module": {"resources": []}}});
    }
    let resources = &mut plan["prior_state"]["values"]["root_module"]["resources"];
    if !resources.is_array() {
        *resources = json!([]);
    }
    let list = resources.as_array_mut().unwrap();
    list.push(json!({
        "address": "aws_iam_user.prior_a", "mode": "managed", "type": "aws_iam_user",
        "name": "prior_a", "values": {"name": "prior_a", "path": "/", "DUPMARK": 1},
        "sensitive_values": {},
    }));
    list.push(json!({
        "address": 5, "mode": "managed", "type": "aws_iam_user",
        "name": "prior_b", "values": {"name": "prior_b", "path": "/"}, "sensitive_values": {},
    }));
    let text = serde_json::to_string(&plan)
        .unwrap()
        .replace("\"DUPMARK\":1", "\"path\":\"/x/\"");
    let r = run_text(&text);
    fails_saying(&r, "the key `path` is written twice");
    // Without the first, the second is said.
    let text = text.replace("\"path\":\"/x/\"", "\"x\":1");
    let r = run_text(&text);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(!r.stderr.contains("written twice"), "{}", r.stderr);
}
