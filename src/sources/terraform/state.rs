//! Terraform state as a source: `terraform show -json` of a state
//! (`values.root_module`) and a raw `terraform.tfstate` (version 4), mapped to
//! the state model through the same per-type mapping as plans. A state holds
//! what Terraform manages now: baseline entries it does not hold are out of its
//! scope.

use super::error::{is_wrapper_output, json_error, PlanError};
use super::mapping::{is_supported, At, Builder};
use super::plan::{Part, PlanInfo};
use super::providers::{Provider, ProviderAccounts, DEFAULT_PROVIDER};
use super::wire::{json_string, parse_attributes, parse_raw, Change, RawModule};
use crate::origin::Origin;
use crate::state::IamState;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// A state read into the state model, by account as a plan is.
#[derive(Debug, Clone, Default)]
pub struct StateFile {
    pub terraform_version: Option<String>,
    /// `"show-json"` or `"tfstate"`.
    pub shape: &'static str,
    /// Its IAM resources by the account of their provider configuration: one
    /// part unless a raw state manages them through several `aws`
    /// configurations, the default configuration's part first. A state holds
    /// no provider configuration: an alias's account is known only from
    /// `--provider-account`.
    pub parts: Vec<Part>,
    /// The `aws` provider configurations that manage its IAM resources.
    pub provider_keys: BTreeSet<String>,
    /// How many IAM resources it holds.
    pub iam_resources: usize,
}

impl StateFile {
    /// The state as a source of parts.
    pub fn info(&self) -> PlanInfo {
        PlanInfo {
            format_version: None,
            terraform_version: self.terraform_version.clone(),
            iam_resources: self.iam_resources,
            complete: true,
            from_state: true,
        }
    }

    /// The state of its one account, or the provider configurations of a
    /// state whose resources may be in several.
    pub fn into_one(mut self) -> Result<IamState, BTreeSet<String>> {
        if self.parts.len() == 1 {
            Ok(self.parts.remove(0).state)
        } else {
            Err(self.provider_keys)
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
    read_state_with(bytes, &ProviderAccounts::new())
}

/// Reads a state, the accounts of its provider configurations given by key
/// (`--provider-account`).
pub fn read_state_with(bytes: &[u8], given: &ProviderAccounts) -> Result<StateFile, PlanError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(PlanError::Empty);
    }
    if is_wrapper_output(bytes) {
        return Err(PlanError::Wrapper);
    }
    let raw: RawStateFile = super::wire::from_file(bytes).map_err(|e| json_error(&e))?;
    if raw.resource_changes.is_some() || raw.planned_values.is_some() {
        return Err(PlanError::WrongKind { is_state: false });
    }
    let mut file = StateFile {
        terraform_version: raw.terraform_version,
        ..StateFile::default()
    };
    if let Some(values) = &raw.values {
        // It names no provider configuration: one part, the default's.
        file.provider_keys = BTreeSet::from([DEFAULT_PROVIDER.to_string()]);
        let (mut parts, _) = state_parts(&file.provider_keys, given);
        let mut builder = Builder::default();
        if let Some(root) = &values.root_module {
            file.iam_resources = show_json(root, &mut builder, &mut parts[0].resources)?;
        }
        builder.finish();
        file.shape = "show-json";
        parts[0].state = builder.state;
        file.parts = parts;
    } else if let Some(resources) = &raw.resources {
        if raw.version != Some(4) {
            return Err(PlanError::NotAState(format!(
                "state version {} is not read (drift reads version 4, Terraform 0.12 and later)",
                raw.version.map_or("(none)".to_string(), |v| v.to_string())
            )));
        }
        file.shape = "tfstate";
        tfstate(resources, given, &mut file)?;
    } else {
        return Err(PlanError::NotAState(
            "it has neither `values` (`terraform show -json`) nor `resources` (`terraform.tfstate`)"
                .to_string(),
        ));
    }
    Ok(file)
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

/// `terraform show -json` of a state: modules of resources with their values;
/// how many IAM resources it holds.
fn show_json(
    root: &RawModule,
    builder: &mut Builder,
    resources: &mut Vec<Origin>,
) -> Result<usize, PlanError> {
    let mut count = 0;
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
            let origin = Origin::State {
                address: json_string(res.address)?,
            };
            resources.push(origin.clone());
            builder.apply(&res.ty, &change, origin, at);
            count += 1;
        }
    }
    Ok(count)
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

/// A raw `terraform.tfstate`: resources with their instances, in a part per
/// account of their provider configurations (a configuration whose account
/// is not given is a part of its own; the default one's, or a state's only
/// one, is taken as the account of the baseline, as a state of one
/// configuration always is).
fn tfstate(
    resources: &[RawTfResource],
    given: &ProviderAccounts,
    file: &mut StateFile,
) -> Result<(), PlanError> {
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
            .unwrap_or_else(|| DEFAULT_PROVIDER.to_string())
    };
    file.provider_keys = resources.iter().filter(iam).map(key_of).collect();
    if file.provider_keys.is_empty() {
        // No IAM resource: the default configuration's part, empty.
        file.provider_keys.insert(DEFAULT_PROVIDER.to_string());
    }
    let (mut parts, group) = state_parts(&file.provider_keys, given);
    let mut builders: Vec<Builder> = parts.iter().map(|_| Builder::default()).collect();
    for res in resources {
        if res.mode.as_deref().is_some_and(|m| m != "managed") || !is_supported(&res.ty) {
            continue;
        }
        let module = res.module.as_deref().unwrap_or("");
        let i = group.get(&key_of(res)).copied().unwrap_or(0);
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
            let change = no_op(
                parse_attributes(inst.attributes, &res.ty)?,
                Some(sensitive_marks(&inst.sensitive_attributes)),
            );
            let at = At {
                module,
                name: &res.name,
                index,
            };
            let origin = Origin::State { address };
            // Kept for what is said of a part no baseline judges (with
            // `--accounts`, even a state of one account's part may be one).
            parts[i].resources.push(origin.clone());
            builders[i].apply(&res.ty, &change, origin, at);
            file.iam_resources += 1;
        }
    }
    for (part, mut builder) in parts.iter_mut().zip(builders) {
        builder.finish();
        part.state = builder.state;
    }
    file.parts = parts;
    Ok(())
}

/// The parts of a state's provider configurations (`keys`, sorted, so the
/// default `aws` first; at least one): configurations given the same account
/// share a part; each other is a part of its own. With the part of each key.
fn state_parts(
    keys: &BTreeSet<String>,
    given: &ProviderAccounts,
) -> (Vec<Part>, BTreeMap<String, usize>) {
    let mut parts: Vec<Part> = Vec::new();
    let mut group = BTreeMap::new();
    for key in keys {
        let default = key == DEFAULT_PROVIDER || keys.len() == 1;
        let provider = match given.get(key) {
            Some(id) => {
                let flag = format!("`--provider-account {key}={id}`");
                if let Some(i) = parts
                    .iter()
                    .position(|p| p.provider.account.as_ref() == Some(id))
                {
                    let p = &mut parts[i].provider;
                    p.keys.push(key.clone());
                    p.basis = format!("{}, {flag}", p.basis);
                    p.default |= default;
                    group.insert(key.clone(), i);
                    continue;
                }
                Provider {
                    keys: vec![key.clone()],
                    account: Some(id.clone()),
                    basis: flag,
                    default,
                    ambient: false,
                }
            }
            None if default => Provider {
                keys: vec![key.clone()],
                account: None,
                basis: format!(
                    "the state's provider `{key}`, whose account a state does not say: taken as the baseline's"
                ),
                default: true,
                ambient: true,
            },
            None => Provider {
                keys: vec![key.clone()],
                account: None,
                basis: format!(
                    "the state manages it through provider `{key}`, and a state holds no provider configuration to tell its account"
                ),
                default: false,
                ambient: false,
            },
        };
        group.insert(key.clone(), parts.len());
        parts.push(Part {
            provider,
            ..Part::default()
        });
    }
    (parts, group)
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
