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

pub fn push(plan: &mut Value, rc: Value) {
    if !plan["resource_changes"].is_array() {
        plan["resource_changes"] = json!([]);
    }
    plan["resource_changes"].as_array_mut().unwrap().push(rc);
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
