//! Building plan fixtures: resource changes and configuration in the shape
//! `terraform show -json` writes them, added to copies of real plans.

use super::*;
use serde_json::{json, Value};

/// A resource change that creates `ty.name` (in `module`, with `index`).
pub fn create(
    module: Option<&str>,
    ty: &str,
    name: &str,
    index: Option<Value>,
    after: Value,
    unknown: Value,
) -> Value {
    let mut address = String::new();
    if let Some(m) = module {
        address.push_str(m);
        address.push('.');
    }
    address.push_str(&format!("{ty}.{name}"));
    if let Some(i) = &index {
        address.push_str(&format!("[{i}]"));
    }
    let mut rc = json!({
        "address": address, "mode": "managed", "type": ty, "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": {"actions": ["create"], "before": null, "after": after, "after_unknown": unknown,
                   "before_sensitive": false, "after_sensitive": {}},
    });
    if let Some(m) = module {
        rc["module_address"] = json!(m);
    }
    if let Some(i) = index {
        rc["index"] = i;
    }
    rc
}

/// Adds a resource's expressions to the configuration (module calls by name).
pub fn configure(plan: &mut Value, modules: &[&str], ty: &str, name: &str, expressions: Value) {
    if !plan["configuration"].is_object() {
        plan["configuration"] = json!({});
    }
    let mut module = &mut plan["configuration"]["root_module"];
    if !module.is_object() {
        *module = json!({});
    }
    for m in modules {
        if !module["module_calls"].is_object() {
            module["module_calls"] = json!({});
        }
        let call = &mut module["module_calls"][*m];
        if !call.is_object() {
            *call = json!({"source": format!("./{m}"), "module": {}});
        }
        module = &mut call["module"];
    }
    if !module["resources"].is_array() {
        module["resources"] = json!([]);
    }
    module["resources"].as_array_mut().unwrap().push(json!({
        "address": format!("{ty}.{name}"), "mode": "managed", "type": ty, "name": name,
        "provider_config_key": "aws", "expressions": expressions, "schema_version": 0,
    }));
}

/// Adds a resource change, and the resource it leaves to `planned_values`
/// (in its module), as Terraform writes both.
pub fn push(plan: &mut Value, rc: Value) {
    if !plan["resource_changes"].is_array() {
        plan["resource_changes"] = json!([]);
    }
    let actions: Vec<&str> = rc["change"]["actions"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let gone = (actions.contains(&"delete") && !actions.contains(&"create"))
        || actions.contains(&"forget");
    if !gone && rc["deposed"].is_null() && rc["mode"] != "data" {
        plan_resource(plan, &rc);
    }
    plan["resource_changes"].as_array_mut().unwrap().push(rc);
}

/// The resource a change leaves, in `planned_values`.
fn plan_resource(plan: &mut Value, rc: &Value) {
    if !plan["planned_values"].is_object() {
        plan["planned_values"] = json!({});
    }
    let mut module = &mut plan["planned_values"]["root_module"];
    if !module.is_object() {
        *module = json!({});
    }
    if let Some(m) = rc["module_address"].as_str() {
        if !module["child_modules"].is_array() {
            module["child_modules"] = json!([]);
        }
        let children = module["child_modules"].as_array_mut().unwrap();
        let at = match children.iter().position(|c| c["address"] == m) {
            Some(i) => i,
            None => {
                children.push(json!({"address": m, "resources": []}));
                children.len() - 1
            }
        };
        module = &mut children[at];
    }
    if !module["resources"].is_array() {
        module["resources"] = json!([]);
    }
    let mut res = json!({
        "address": rc["address"].clone(), "mode": "managed", "type": rc["type"].clone(),
        "name": rc["name"].clone(), "provider_name": rc["provider_name"].clone(),
        "schema_version": 0, "sensitive_values": {},
        "values": if rc["change"]["after"].is_object() { rc["change"]["after"].clone() } else { json!({}) },
    });
    if !rc["index"].is_null() {
        res["index"] = rc["index"].clone();
    }
    module["resources"].as_array_mut().unwrap().push(res);
}

pub fn check(plan: &Value, baseline: &str) -> (i32, Value) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("baseline.yaml"), baseline).unwrap();
    let path = write_json(dir.path(), "plan.json", plan);
    let r = check_json_in(dir.path(), &path);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    (r.code, serde_json::from_str(&r.stdout).unwrap())
}

pub fn findings_on<'v>(report: &'v Value, resource: &str) -> Vec<&'v Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["resource"] == resource)
        .collect()
}

/// A resource change that deletes `ty.name` (whose values were `before`).
pub fn delete(module: Option<&str>, ty: &str, name: &str, before: Value) -> Value {
    let mut rc = create(module, ty, name, None, Value::Null, json!({}));
    rc["change"]["actions"] = json!(["delete"]);
    rc["change"]["before"] = before;
    rc["change"]["after_unknown"] = json!({});
    rc
}

/// Removes resources from `planned_values` (in any module), as a plan without
/// their changes would hold them: `keep` decides by address.
pub fn retain_planned(plan: &mut Value, keep: &dyn Fn(&str) -> bool) {
    fn walk(module: &mut Value, keep: &dyn Fn(&str) -> bool) {
        if let Some(list) = module.get_mut("resources").and_then(Value::as_array_mut) {
            list.retain(|r| keep(r["address"].as_str().unwrap_or_default()));
        }
        if let Some(children) = module
            .get_mut("child_modules")
            .and_then(Value::as_array_mut)
        {
            for c in children {
                walk(c, keep);
            }
        }
    }
    if let Some(root) = plan
        .get_mut("planned_values")
        .and_then(|p| p.get_mut("root_module"))
    {
        walk(root, keep);
    }
}

/// Removes resource changes that `keep` refuses, and their resources from
/// `planned_values`.
pub fn retain_changes(plan: &mut Value, keep: &dyn Fn(&Value) -> bool) {
    let mut gone: Vec<String> = Vec::new();
    if let Some(list) = plan["resource_changes"].as_array_mut() {
        list.retain(|rc| {
            let k = keep(rc);
            if !k {
                gone.push(rc["address"].as_str().unwrap_or_default().to_string());
            }
            k
        });
    }
    retain_planned(plan, &|a| !gone.iter().any(|g| g == a));
}

/// The accounts of `examples/plan-two-accounts.json`: the default
/// provider's (given with `--provider-account aws=…`) and the audit
/// provider's.
pub const EXAMPLE_MAIN: &str = "123456789012";
pub const EXAMPLE_AUDIT: &str = "444455556666";

/// The repository's baseline.yaml as the main account's own file (with its
/// `account.id`).
pub fn example_main_baseline() -> String {
    std::fs::read_to_string(root().join("baseline.yaml"))
        .unwrap()
        .replacen(
            "account:\n",
            &format!("account:\n  id: \"{EXAMPLE_MAIN}\"\n"),
            1,
        )
}

/// The files of a run of the example plan over its two accounts, in `d`:
/// `shared.yaml`, `main.yaml` (`main`), `audit.yaml` (the audit account's
/// id alone) and `accounts.yaml` naming them.
pub fn example_accounts(d: &std::path::Path, shared: &str, main: &str) {
    std::fs::write(d.join("shared.yaml"), shared).unwrap();
    std::fs::write(d.join("main.yaml"), main).unwrap();
    std::fs::write(
        d.join("audit.yaml"),
        format!("version: 1\naccount:\n  id: \"{EXAMPLE_AUDIT}\"\n"),
    )
    .unwrap();
    std::fs::write(
        d.join("accounts.yaml"),
        format!(
            "version: 1\naccounts:\n  - id: \"{EXAMPLE_MAIN}\"\n    name: main\n    baseline: main.yaml\n  - id: \"{EXAMPLE_AUDIT}\"\n    name: audit\n    baseline: audit.yaml\n"
        ),
    )
    .unwrap();
}
