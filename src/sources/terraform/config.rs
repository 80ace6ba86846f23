//! The plan's `configuration` block: what each resource's arguments refer to.
//! Read only when a value is known only after apply and must be traced (a policy
//! whose `role = aws_iam_role.x.id` names a role the same plan creates).

use super::error::{json_error, PlanError};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

#[derive(Deserialize)]
struct RawConfig<'a> {
    #[serde(borrow)]
    root_module: Option<RawConfigModule<'a>>,
}

#[derive(Deserialize)]
struct RawConfigModule<'a> {
    #[serde(borrow, default)]
    resources: Vec<RawConfigResource<'a>>,
    #[serde(borrow, default)]
    module_calls: BTreeMap<Cow<'a, str>, RawModuleCall<'a>>,
}

#[derive(Deserialize)]
struct RawModuleCall<'a> {
    #[serde(borrow)]
    module: Option<RawConfigModule<'a>>,
}

#[derive(Deserialize)]
struct RawConfigResource<'a> {
    #[serde(borrow, default)]
    mode: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "type")]
    ty: Cow<'a, str>,
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow)]
    expressions: Option<&'a RawValue>,
}

/// The expressions of every managed IAM resource of the configuration, by module
/// path (module call names, without instance keys), type and name.
#[derive(Default)]
pub(crate) struct Config<'a> {
    resources: HashMap<(Vec<String>, String, String), &'a RawValue>,
}

impl<'a> Config<'a> {
    pub(crate) fn read(raw: &'a RawValue) -> Result<Config<'a>, PlanError> {
        let parsed: RawConfig = serde_json::from_str(raw.get()).map_err(|e| json_error(&e))?;
        let mut out = Config::default();
        let mut stack: Vec<(Vec<String>, RawConfigModule)> = Vec::new();
        if let Some(root) = parsed.root_module {
            stack.push((Vec::new(), root));
        }
        while let Some((path, module)) = stack.pop() {
            for r in module.resources {
                if r.mode.as_deref().is_some_and(|m| m != "managed")
                    || !r.ty.starts_with("aws_iam_")
                {
                    continue;
                }
                if let Some(e) = r.expressions {
                    out.resources
                        .insert((path.clone(), r.ty.into_owned(), r.name.into_owned()), e);
                }
            }
            for (name, call) in module.module_calls {
                if let Some(child) = call.module {
                    let mut p = path.clone();
                    p.push(name.into_owned());
                    stack.push((p, child));
                }
            }
        }
        Ok(out)
    }

    /// The expressions of a resource, parsed.
    pub(crate) fn expressions(&self, module: &[String], ty: &str, name: &str) -> Option<Value> {
        let raw = self
            .resources
            .get(&(module.to_vec(), ty.to_string(), name.to_string()))?;
        serde_json::from_str(raw.get()).ok()
    }
}

#[derive(Deserialize)]
struct SourcesPlan<'a> {
    #[serde(borrow)]
    configuration: Option<SourcesConfig<'a>>,
}

#[derive(Deserialize)]
struct SourcesConfig<'a> {
    #[serde(borrow)]
    root_module: Option<SourcesModule<'a>>,
}

#[derive(Deserialize)]
struct SourcesModule<'a> {
    #[serde(borrow, default)]
    module_calls: BTreeMap<Cow<'a, str>, SourcesCall<'a>>,
}

#[derive(Deserialize)]
struct SourcesCall<'a> {
    #[serde(borrow)]
    source: Option<Cow<'a, str>>,
    #[serde(borrow)]
    module: Option<SourcesModule<'a>>,
}

/// The source of every module call of a plan's configuration, by module path
/// (call names from the root), parents before their children: `./modules/iam`
/// for a local module, a registry or git address for the others.
pub fn module_sources(bytes: &[u8]) -> Result<Vec<(Vec<String>, String)>, PlanError> {
    let plan: SourcesPlan = serde_json::from_slice(bytes).map_err(|e| json_error(&e))?;
    let mut out = Vec::new();
    let mut queue: std::collections::VecDeque<(Vec<String>, SourcesModule)> = Default::default();
    if let Some(root) = plan.configuration.and_then(|c| c.root_module) {
        queue.push_back((Vec::new(), root));
    }
    while let Some((path, module)) = queue.pop_front() {
        for (name, call) in module.module_calls {
            let mut p = path.clone();
            p.push(name.into_owned());
            if let Some(source) = call.source {
                out.push((p.clone(), source.into_owned()));
            }
            if let Some(child) = call.module {
                queue.push_back((p, child));
            }
        }
    }
    Ok(out)
}

/// The module call names of a module instance address, without instance keys:
/// `module.a["x.y"].module.b[0]` is `["a", "b"]`.
pub(crate) fn module_path(address: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = address;
    while let Some(after) = rest.strip_prefix("module.") {
        let end = after.find(['.', '[']).unwrap_or(after.len());
        out.push(after[..end].to_string());
        rest = skip_key(&after[end..]);
        rest = rest.strip_prefix('.').unwrap_or(rest);
    }
    out
}

/// Skips an instance key (`[0]`, `["a]b"]`) at the start of `s`.
pub(crate) fn skip_key(s: &str) -> &str {
    let Some(inner) = s.strip_prefix('[') else {
        return s;
    };
    if let Some(quoted) = inner.strip_prefix('"') {
        let mut escaped = false;
        for (i, c) in quoted.char_indices() {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => {
                    let after = &quoted[i + 1..];
                    return after.strip_prefix(']').unwrap_or(after);
                }
                _ => escaped = false,
            }
        }
        return "";
    }
    match inner.find(']') {
        Some(i) => &inner[i + 1..],
        None => "",
    }
}

/// A reference to a resource of type `ty` in an expression's `references`:
/// `aws_iam_role.app`, `aws_iam_role.app.name`, `aws_iam_role.app[0].arn`,
/// `aws_iam_role.app["k"]`. Returns the resource name and, when given, the
/// instance key as JSON text (`0`, `"k"`).
pub(crate) fn resource_reference<'r>(
    reference: &'r str,
    ty: &str,
) -> Option<(&'r str, Option<String>)> {
    let rest = reference.strip_prefix(ty)?.strip_prefix('.')?;
    let end = rest.find(['.', '[']).unwrap_or(rest.len());
    let name = &rest[..end];
    if name.is_empty() {
        return None;
    }
    let after = &rest[end..];
    let key = if after.starts_with('[') {
        let consumed = after.len() - skip_key(after).len();
        after.get(1..consumed.saturating_sub(1)).map(str::to_string)
    } else {
        None
    };
    Some((name, key))
}

/// The references of one argument of a resource's expressions.
pub(crate) fn references<'e>(expressions: &'e Value, key: &str) -> Vec<&'e str> {
    let arg = &expressions[key];
    let mut out: Vec<&str> = Vec::new();
    let mut push = |v: &'e Value| {
        if let Some(list) = v["references"].as_array() {
            out.extend(list.iter().filter_map(Value::as_str));
        }
    };
    match arg {
        // A block or a list of expressions: each element has its own references.
        Value::Array(items) => items.iter().for_each(push),
        other => push(other),
    }
    out
}

/// The parts of a resource instance address: module instance (empty for the
/// root module), type, name and instance key as written (`0`, `"k"`).
pub(crate) fn split_address(address: &str) -> Option<(&str, &str, &str, Option<&str>)> {
    let mut rest = address;
    while let Some(after) = rest.strip_prefix("module.") {
        let end = after.find(['.', '[']).unwrap_or(after.len());
        let next = skip_key(&after[end..]);
        rest = next.strip_prefix('.')?;
    }
    let module = address[..address.len() - rest.len()].trim_end_matches('.');
    let (ty, tail) = rest.split_once('.')?;
    let end = tail.find('[').unwrap_or(tail.len());
    let name = &tail[..end];
    let key = tail[end..]
        .strip_prefix('[')
        .and_then(|k| k.strip_suffix(']'));
    Some((module, ty, name, key))
}
