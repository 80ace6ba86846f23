//! Terraform state as a source: `terraform show -json` of a state
//! (`values.root_module`) and a raw `terraform.tfstate` (version 4), mapped to
//! the state model through the same per-type mapping as plans. A state holds
//! what Terraform manages now: baseline entries it does not hold are out of its
//! scope.

use super::error::{is_wrapper_output, json_error, PlanError};
use super::mapping::{is_supported, At, Builder};
use super::wire::{json_string, parse_attributes, parse_raw, Change, RawModule};
use crate::observation::{Observation, SourceInfo};
use crate::origin::Origin;
use crate::state::IamState;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// A state read into the state model.
#[derive(Debug, Clone, Default)]
pub struct StateFile {
    pub terraform_version: Option<String>,
    /// `"show-json"` or `"tfstate"`.
    pub shape: &'static str,
    /// What is judged: with several `aws` provider configurations, the
    /// resources of the root module's default one (`aws`) only.
    pub state: IamState,
    /// A raw state's IAM resources of the other `aws` provider
    /// configurations, by key (`aws.audit`, `module.net:aws`): a state holds
    /// no provider configuration, so their accounts cannot be told.
    pub others: Vec<(String, Vec<Origin>)>,
}

impl StateFile {
    /// The state as the engine judges it; `path` names the file.
    pub fn into_observation(self, path: &str) -> Observation {
        Observation {
            info: SourceInfo {
                kind: "state",
                path: Some(path.to_string()),
                terraform_version: self.terraform_version,
                format_version: None,
                credential_report: None,
                account: None,
            },
            state: self.state,
            refresh: None,
            reads_account: false,
            complete: true,
        }
    }
}

#[derive(Deserialize)]
struct RawStateFile<'a> {
    #[serde(default)]
    version: Option<u64>,
    #[serde(default)]
    terraform_version: Option<String>,
    #[serde(borrow, default)]
    values: Option<RawShowValues<'a>>,
    #[serde(borrow, default)]
    resources: Option<Vec<RawTfResource<'a>>>,
    #[serde(borrow, default)]
    resource_changes: Option<&'a RawValue>,
    #[serde(borrow, default)]
    planned_values: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct RawShowValues<'a> {
    #[serde(borrow)]
    root_module: Option<RawModule<'a>>,
}

#[derive(Deserialize)]
struct RawTfResource<'a> {
    #[serde(borrow, default)]
    module: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    mode: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "type")]
    ty: Cow<'a, str>,
    #[serde(borrow)]
    name: Cow<'a, str>,
    /// The provider configuration that manages it:
    /// `provider["registry.terraform.io/hashicorp/aws"].audit`, or with a
    /// module's own configuration `module.net.provider["…"]`.
    #[serde(borrow, default)]
    provider: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    instances: Vec<RawTfInstance<'a>>,
}

#[derive(Deserialize)]
struct RawTfInstance<'a> {
    #[serde(borrow, default)]
    index_key: Option<&'a RawValue>,
    #[serde(borrow, default)]
    deposed: Option<Cow<'a, str>>,
    #[serde(borrow)]
    attributes: Option<&'a RawValue>,
    /// Paths of sensitive values: `[[{"type": "get_attr", "value": "password"}]]`.
    #[serde(default)]
    sensitive_attributes: Vec<Value>,
}

/// Reads a state.
pub fn read_state(bytes: &[u8]) -> Result<StateFile, PlanError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(PlanError::Empty);
    }
    if is_wrapper_output(bytes) {
        return Err(PlanError::Wrapper);
    }
    let raw: RawStateFile = serde_json::from_slice(bytes).map_err(|e| json_error(&e))?;
    if raw.resource_changes.is_some() || raw.planned_values.is_some() {
        return Err(PlanError::WrongKind { is_state: false });
    }
    let mut builder = Builder::default();
    let mut others = Vec::new();
    let shape = if let Some(values) = &raw.values {
        if let Some(root) = &values.root_module {
            show_json(root, &mut builder)?;
        }
        "show-json"
    } else if let Some(resources) = &raw.resources {
        if raw.version != Some(4) {
            return Err(PlanError::NotAState(format!(
                "state version {} is not read (drift reads version 4, Terraform 0.12 and later)",
                raw.version.map_or("(none)".to_string(), |v| v.to_string())
            )));
        }
        others = tfstate(resources, &mut builder)?;
        "tfstate"
    } else {
        return Err(PlanError::NotAState(
            "it has neither `values` (`terraform show -json`) nor `resources` (`terraform.tfstate`)"
                .to_string(),
        ));
    };
    builder.finish();
    Ok(StateFile {
        terraform_version: raw.terraform_version,
        shape,
        state: builder.state,
        others,
    })
}

fn no_op(values: Option<Value>, sensitive: Option<Value>) -> Change {
    Change {
        actions: vec!["no-op".to_string()],
        before: None,
        after: values,
        after_unknown: None,
        before_sensitive: None,
        after_sensitive: sensitive,
    }
}

/// `terraform show -json` of a state: modules of resources with their values.
fn show_json(root: &RawModule, builder: &mut Builder) -> Result<(), PlanError> {
    let mut stack = vec![root];
    while let Some(module) = stack.pop() {
        stack.extend(module.child_modules.iter());
        for res in &module.resources {
            if res.mode.as_deref().is_some_and(|m| m != "managed") || !is_supported(&res.ty) {
                continue;
            }
            let change = no_op(
                parse_attributes(res.values, &res.ty)?,
                parse_raw(res.sensitive_values)?,
            );
            let at = At {
                module: module.address.as_deref().unwrap_or(""),
                name: res.name.as_deref().unwrap_or(""),
                index: res.index.map(RawValue::get),
            };
            let address = json_string(res.address)?;
            builder.apply(&res.ty, &change, Origin::State { address }, at);
        }
    }
    Ok(())
}

/// The key of an `aws` provider configuration in a raw state's `provider`
/// (`provider["registry.terraform.io/hashicorp/aws"].audit` is `aws.audit`,
/// `module.net.provider["…/aws"]` is `module.net:aws`; Terraform 0.12 wrote
/// `provider.aws.audit`), as a plan's `configuration` names it; `None` for
/// another provider's.
pub(crate) fn provider_key(provider: &str) -> Option<String> {
    let at = if provider.starts_with("provider") {
        0
    } else {
        provider
            .find(".provider[")
            .or_else(|| provider.find(".provider."))?
            + 1
    };
    let module = provider[..at].trim_end_matches('.');
    let rest = &provider[at + "provider".len()..];
    let (source, alias) = if let Some(quoted) = rest.strip_prefix("[\"") {
        let close = quoted.find("\"]")?;
        (&quoted[..close], quoted[close + 2..].strip_prefix('.'))
    } else {
        let bare = rest.strip_prefix('.')?;
        match bare.split_once('.') {
            Some((name, alias)) => (name, Some(alias)),
            None => (bare, None),
        }
    };
    if !(source == "aws" || source.ends_with("/aws")) {
        return None;
    }
    let mut key = String::new();
    if !module.is_empty() {
        key.push_str(module);
        key.push(':');
    }
    key.push_str("aws");
    if let Some(alias) = alias.filter(|a| !a.is_empty()) {
        key.push('.');
        key.push_str(alias);
    }
    Some(key)
}

/// A raw `terraform.tfstate`: resources with their instances. With several
/// `aws` provider configurations, only the default one's resources are
/// read into the state; the others' addresses are returned by key.
fn tfstate(
    resources: &[RawTfResource],
    builder: &mut Builder,
) -> Result<Vec<(String, Vec<Origin>)>, PlanError> {
    // Resources that hold an object now (a deposed instance is none).
    let iam = |res: &&RawTfResource| {
        res.mode.as_deref().is_none_or(|m| m == "managed")
            && is_supported(&res.ty)
            && res.instances.iter().any(|i| i.deposed.is_none())
    };
    let key_of = |res: &RawTfResource| {
        res.provider
            .as_deref()
            .and_then(provider_key)
            .unwrap_or_else(|| super::DEFAULT_PROVIDER.to_string())
    };
    let keys: std::collections::BTreeSet<String> =
        resources.iter().filter(iam).map(key_of).collect();
    let several = keys.len() > 1;
    let mut others: std::collections::BTreeMap<String, Vec<Origin>> = Default::default();
    for res in resources {
        if res.mode.as_deref().is_some_and(|m| m != "managed") || !is_supported(&res.ty) {
            continue;
        }
        let module = res.module.as_deref().unwrap_or("");
        let key = if several { Some(key_of(res)) } else { None };
        let apart = key.filter(|k| k != super::DEFAULT_PROVIDER);
        // A deposed instance is a leftover of a replacement, not the object.
        for inst in res.instances.iter().filter(|i| i.deposed.is_none()) {
            let index = inst.index_key.map(RawValue::get);
            let mut address = String::new();
            if !module.is_empty() {
                address.push_str(module);
                address.push('.');
            }
            address.push_str(&format!("{}.{}", res.ty, res.name));
            if let Some(i) = index {
                address.push_str(&format!("[{i}]"));
            }
            if let Some(k) = &apart {
                others
                    .entry(k.clone())
                    .or_default()
                    .push(Origin::State { address });
                continue;
            }
            let change = no_op(
                parse_attributes(inst.attributes, &res.ty)?,
                Some(sensitive_marks(&inst.sensitive_attributes)),
            );
            let at = At {
                module,
                name: &res.name,
                index,
            };
            builder.apply(&res.ty, &change, Origin::State { address }, at);
        }
    }
    Ok(others.into_iter().collect())
}

/// `sensitive_attributes` paths as the marker object plans use: each path of
/// `get_attr` and `index` steps becomes `true` at its place (objects for
/// attribute names and map keys, lists for numeric indices).
fn sensitive_marks(paths: &[Value]) -> Value {
    let mut marks = Value::Object(Map::new());
    for path in paths {
        if let Some(steps) = path.as_array() {
            mark(&mut marks, steps);
        }
    }
    marks
}

fn mark(node: &mut Value, steps: &[Value]) {
    let Some((step, rest)) = steps.split_first() else {
        *node = Value::Bool(true);
        return;
    };
    if node.as_bool() == Some(true) {
        return; // already marked as a whole
    }
    // An index is `{"type": "index", "value": {"value": 0, "type": "number"}}`.
    let value = match &step["value"] {
        Value::Object(v) => v.get("value").cloned().unwrap_or(Value::Null),
        other => other.clone(),
    };
    match value {
        Value::Number(n) => {
            let Some(i) = n
                .as_u64()
                .and_then(|i| usize::try_from(i).ok())
                .filter(|i| *i < 10_000)
            else {
                *node = Value::Bool(true);
                return;
            };
            if !node.is_array() {
                *node = Value::Array(Vec::new());
            }
            if let Value::Array(items) = node {
                if items.len() <= i {
                    items.resize(i + 1, Value::Bool(false));
                }
                mark(&mut items[i], rest);
            }
        }
        Value::String(key) => {
            if !node.is_object() {
                *node = Value::Object(Map::new());
            }
            if let Value::Object(map) = node {
                mark(map.entry(key).or_insert(Value::Bool(false)), rest);
            }
        }
        // A step drift cannot follow: the whole value is sensitive.
        _ => *node = Value::Bool(true),
    }
}
