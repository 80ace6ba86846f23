//! Which account each `aws` provider configuration of a plan works in, and
//! which configuration each IAM resource is managed through: a plan with
//! aliased providers (`provider "aws" { alias = "prod" assume_role { … } }`)
//! changes several accounts at once, and each resource is judged against its
//! own account's baseline.
//!
//! A configuration's account is, in this order: the one `--provider-account`
//! gives for its key; the account of its `assume_role.role_arn` (a constant, or
//! a root variable whose value the plan holds); the one id of its
//! `allowed_account_ids`. A configuration that assumes no role works with
//! Terraform's own credentials: all such configurations (with the same
//! `profile`) are one account, whichever it is.

use super::config::module_path;
use super::error::{json_error, PlanError};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// The key of the root module's default `aws` configuration.
pub const DEFAULT_PROVIDER: &str = "aws";

/// The accounts of provider configurations the command line gives, by key
/// (`aws`, `aws.prod`, `module.net:aws`).
pub type ProviderAccounts = BTreeMap<String, String>;

/// Where the resources of one account are managed from, and how the account
/// is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provider {
    /// The provider configurations (keys as the plan's `configuration` names
    /// them), sorted.
    pub keys: Vec<String>,
    /// The account, when it can be told.
    pub account: Option<String>,
    /// How the account is known, or why it cannot be told.
    pub basis: String,
    /// Whether these are the resources of the root module's default
    /// configuration (`aws`).
    pub default: bool,
    /// Whether the account is that of Terraform's own credentials (the
    /// provider assumes no role and names no account).
    pub ambient: bool,
}

#[derive(Deserialize)]
struct ProvidersOnly<'a> {
    #[serde(borrow, default)]
    provider_config: BTreeMap<Cow<'a, str>, RawProvider<'a>>,
}

#[derive(Deserialize)]
struct WithModules<'a> {
    #[serde(borrow)]
    root_module: Option<RawModule<'a>>,
}

#[derive(Deserialize)]
struct RawProvider<'a> {
    #[serde(borrow, default)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    full_name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    module_address: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    expressions: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct RawModule<'a> {
    #[serde(borrow, default)]
    resources: Vec<RawResource<'a>>,
    #[serde(borrow, default)]
    module_calls: BTreeMap<Cow<'a, str>, RawCall<'a>>,
    #[serde(borrow, default)]
    variables: BTreeMap<Cow<'a, str>, RawVariable>,
}

#[derive(Deserialize)]
struct RawCall<'a> {
    #[serde(borrow)]
    module: Option<RawModule<'a>>,
}

#[derive(Deserialize)]
struct RawResource<'a> {
    #[serde(borrow, default)]
    mode: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "type")]
    ty: Cow<'a, str>,
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow, default)]
    provider_config_key: Option<Cow<'a, str>>,
}

#[derive(Deserialize, Default)]
struct RawVariable {
    #[serde(default)]
    sensitive: bool,
}

#[derive(Deserialize)]
struct PlanVariable {
    #[serde(default)]
    value: Value,
}

/// What a configuration's account turns on: configurations with the same
/// outcome work in the same account.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Known(String),
    /// Terraform's own credentials (with this `profile`, when one is set).
    Ambient(Option<String>),
    /// Cannot be told; the configuration is its own group.
    Unknown(String),
}

/// Whether a provider configuration entry is the AWS provider's.
fn is_aws(p: &RawProvider) -> bool {
    match &p.full_name {
        Some(full) => full.ends_with("hashicorp/aws"),
        None => p.name.as_deref() == Some("aws"),
    }
}

/// The account in an IAM role ARN (`arn:PARTITION:iam::ACCOUNT:role/NAME`).
pub fn account_of_role_arn(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    let (arn_, _partition, service, _region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    (arn_ == "arn"
        && service == "iam"
        && resource.starts_with("role/")
        && crate::accounts::is_account_id(account))
    .then_some(account)
}

/// The root variables of the plan (`variables`), and which the configuration
/// marks sensitive.
struct Variables<'v> {
    values: &'v BTreeMap<String, PlanVariable>,
    sensitive: BTreeSet<String>,
}

/// A string expression's value: a constant, or a root variable the plan
/// holds. `Err` says why it is not known.
fn string_value(expr: &Value, root: bool, vars: &Variables) -> Result<String, String> {
    if let Some(s) = expr.get("constant_value").and_then(Value::as_str) {
        return Ok(s.to_string());
    }
    let refs: Vec<&str> = expr
        .get("references")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    match refs.as_slice() {
        [one] if root && one.starts_with("var.") => {
            let name = &one["var.".len()..];
            if vars.sensitive.contains(name) {
                return Err(format!("`{one}` is sensitive"));
            }
            match vars.values.get(name).map(|v| &v.value) {
                Some(Value::String(s)) => Ok(s.clone()),
                _ => Err(format!("the plan holds no string value of `{one}`")),
            }
        }
        [] => Err("it is not a constant".to_string()),
        refs => Err(format!("it is computed from `{}`", refs.join("`, `"))),
    }
}

/// The account a provider configuration works in.
fn outcome(
    key: &str,
    p: &RawProvider,
    vars: &Variables,
    given: &ProviderAccounts,
) -> Result<(Outcome, String), PlanError> {
    if let Some(id) = given.get(key) {
        return Ok((
            Outcome::Known(id.clone()),
            format!("`--provider-account {key}={id}`"),
        ));
    }
    let expressions: Value = match p.expressions {
        Some(raw) => serde_json::from_str(raw.get()).map_err(|e| json_error(&e))?,
        None => Value::Null,
    };
    let root = p.module_address.as_deref().unwrap_or("").is_empty();
    for block in ["assume_role", "assume_role_with_web_identity"] {
        let arn = match &expressions[block] {
            Value::Array(items) => items.first().map(|b| &b["role_arn"]),
            Value::Object(_) => Some(&expressions[block]["role_arn"]),
            _ => None,
        };
        let Some(arn) = arn.filter(|a| !a.is_null()) else {
            continue;
        };
        return Ok(match string_value(arn, root, vars) {
            Ok(text) => match account_of_role_arn(&text) {
                Some(id) => (
                    Outcome::Known(id.to_string()),
                    format!("provider `{key}` assumes `{text}`"),
                ),
                None => (
                    Outcome::Unknown(key.to_string()),
                    format!("provider `{key}` assumes `{text}`, which is not an IAM role ARN"),
                ),
            },
            Err(why) => (
                Outcome::Unknown(key.to_string()),
                format!("the role provider `{key}` assumes is not known before apply ({why})"),
            ),
        });
    }
    if let Some(ids) = expressions["allowed_account_ids"]["constant_value"].as_array() {
        if let [Value::String(id)] = ids.as_slice() {
            if crate::accounts::is_account_id(id) {
                return Ok((
                    Outcome::Known(id.clone()),
                    format!("provider `{key}` allows only account {id} (`allowed_account_ids`)"),
                ));
            }
        }
    }
    let profile = &expressions["profile"];
    if profile.is_null() {
        return Ok((
            Outcome::Ambient(None),
            format!("provider `{key}` assumes no role: it works in the account of Terraform's own credentials"),
        ));
    }
    Ok(match string_value(profile, root, vars) {
        Ok(name) => (
            Outcome::Ambient(Some(name.clone())),
            format!(
                "provider `{key}` assumes no role: it works in the account of profile `{name}`"
            ),
        ),
        Err(why) => (
            Outcome::Unknown(key.to_string()),
            format!("the profile of provider `{key}` is not known before apply ({why})"),
        ),
    })
}

/// The resources of a plan by provider account.
#[derive(Debug, Default)]
pub(crate) struct Routing {
    pub(crate) providers: Vec<Provider>,
    /// Every `aws` provider configuration key the plan names.
    pub(crate) keys: BTreeSet<String>,
    /// The group of each IAM resource (module path, type, name); `None`
    /// when the plan's resources are all of one account.
    by_resource: Option<HashMap<(String, String, String), usize>>,
    /// The group of resources the configuration does not name (routed only).
    unlisted: Option<usize>,
    default: usize,
}

impl Routing {
    /// The group of a resource.
    pub(crate) fn group_of(&mut self, module_address: &str, ty: &str, name: &str) -> usize {
        let Some(by) = &self.by_resource else {
            return self.default;
        };
        let key = (
            module_path(module_address).join("."),
            ty.to_string(),
            name.to_string(),
        );
        if let Some(g) = by.get(&key) {
            return *g;
        }
        if let Some(g) = self.unlisted {
            return g;
        }
        self.providers.push(Provider {
            keys: Vec::new(),
            account: None,
            basis: "the plan's configuration does not say which provider manages it".to_string(),
            default: false,
            ambient: false,
        });
        let g = self.providers.len() - 1;
        self.unlisted = Some(g);
        g
    }
}

/// Reads the provider configurations of a plan's `configuration` (and its
/// root `variables`), and which configuration manages each IAM resource
/// when they are of more than one account.
pub(crate) fn route(
    configuration: Option<&RawValue>,
    variables: Option<&RawValue>,
    given: &ProviderAccounts,
) -> Result<Routing, PlanError> {
    let values: BTreeMap<String, PlanVariable> = match variables {
        Some(raw) => serde_json::from_str(raw.get()).map_err(|e| json_error(&e))?,
        None => BTreeMap::new(),
    };
    let providers: ProvidersOnly = match configuration {
        Some(raw) => serde_json::from_str(raw.get()).map_err(|e| json_error(&e))?,
        None => ProvidersOnly {
            provider_config: BTreeMap::new(),
        },
    };
    let aws: Vec<(&str, &RawProvider)> = providers
        .provider_config
        .iter()
        .filter(|(_, p)| is_aws(p))
        .map(|(k, p)| (k.as_ref(), p))
        .collect();
    // The modules are walked only when they matter: for the variables a
    // configuration refers to (are they sensitive?) and, with several
    // accounts, for which configuration manages each resource.
    let parse_modules = || -> Result<Option<RawModule>, PlanError> {
        match configuration {
            Some(raw) => Ok(serde_json::from_str::<WithModules>(raw.get())
                .map_err(|e| json_error(&e))?
                .root_module),
            None => Ok(None),
        }
    };
    let mut modules: Option<Option<RawModule>> = None;
    let mut sensitive = BTreeSet::new();
    if aws
        .iter()
        .any(|(_, p)| p.expressions.is_some_and(|e| e.get().contains("\"var.")))
    {
        let root = parse_modules()?;
        if let Some(root) = &root {
            sensitive = root
                .variables
                .iter()
                .filter(|(_, v)| v.sensitive)
                .map(|(k, _)| k.to_string())
                .collect();
        }
        modules = Some(root);
    }
    let vars = Variables {
        values: &values,
        sensitive,
    };
    // The configurations that can say an account: every one of the root
    // module, and those of modules that configure the provider themselves
    // (a module's entry without expressions only requires the provider, and
    // uses the one its caller passes).
    let mut by_outcome: BTreeMap<Outcome, (Vec<String>, String)> = BTreeMap::new();
    let mut key_outcome: BTreeMap<String, Outcome> = BTreeMap::new();
    for (key, p) in &aws {
        let in_module = !p.module_address.as_deref().unwrap_or("").is_empty();
        if in_module && p.expressions.is_none() && !given.contains_key(*key) {
            continue;
        }
        let (o, basis) = outcome(key, p, &vars, given)?;
        let entry = by_outcome
            .entry(o.clone())
            .or_insert_with(|| (Vec::new(), basis));
        entry.0.push(key.to_string());
        key_outcome.insert(key.to_string(), o);
    }
    // The root's default: there even when the configuration has no entry for
    // it (no `provider "aws"` block, no `required_providers`).
    let default_outcome = match key_outcome.get(DEFAULT_PROVIDER) {
        Some(o) => o.clone(),
        None => {
            let (o, basis) = match given.get(DEFAULT_PROVIDER) {
                Some(id) => (
                    Outcome::Known(id.clone()),
                    format!("`--provider-account {DEFAULT_PROVIDER}={id}`"),
                ),
                None => (
                    Outcome::Ambient(None),
                    format!("provider `{DEFAULT_PROVIDER}` assumes no role: it works in the account of Terraform's own credentials"),
                ),
            };
            by_outcome
                .entry(o.clone())
                .or_insert_with(|| (Vec::new(), basis))
                .0
                .push(DEFAULT_PROVIDER.to_string());
            key_outcome.insert(DEFAULT_PROVIDER.to_string(), o.clone());
            o
        }
    };
    let mut routing = Routing {
        keys: aws.iter().map(|(k, _)| k.to_string()).collect(),
        ..Routing::default()
    };
    routing.keys.insert(DEFAULT_PROVIDER.to_string());
    let mut index: BTreeMap<Outcome, usize> = BTreeMap::new();
    for (o, (mut keys, basis)) in by_outcome {
        keys.sort();
        index.insert(o.clone(), routing.providers.len());
        routing.providers.push(Provider {
            account: match &o {
                Outcome::Known(id) => Some(id.clone()),
                _ => None,
            },
            default: o == default_outcome,
            ambient: matches!(o, Outcome::Ambient(_)),
            keys,
            basis,
        });
    }
    routing.default = index[&default_outcome];
    if routing.providers.len() < 2 {
        return Ok(routing);
    }
    // Several accounts: each IAM resource by the configuration that manages it.
    let mut by = HashMap::default();
    let root = match modules {
        Some(root) => root,
        None => parse_modules()?,
    };
    let mut stack: Vec<(Vec<String>, RawModule)> =
        root.into_iter().map(|m| (Vec::new(), m)).collect();
    while let Some((path, module)) = stack.pop() {
        for r in module.resources {
            if r.mode.as_deref().is_some_and(|m| m != "managed")
                || !crate::kinds::is_supported(&r.ty)
            {
                continue;
            }
            let key = r.provider_config_key.as_deref().unwrap_or(DEFAULT_PROVIDER);
            routing.keys.insert(key.to_string());
            let group = match key_outcome.get(key) {
                Some(o) => index[o],
                None => {
                    // A configuration passed from a caller that the plan does
                    // not resolve (Terraform before 1.1): its own group.
                    let o = Outcome::Unknown(key.to_string());
                    match index.get(&o) {
                        Some(g) => *g,
                        None => {
                            let basis = match given.get(key) {
                                Some(id) => format!("`--provider-account {key}={id}`"),
                                None => format!("provider `{key}` is passed from a calling module, and the plan does not say which configuration it is"),
                            };
                            let account = given.get(key).cloned();
                            let g = match &account {
                                Some(id) => match index.get(&Outcome::Known(id.clone())) {
                                    Some(g) => {
                                        routing.providers[*g].keys.push(key.to_string());
                                        *g
                                    }
                                    None => push(&mut routing, key, account, basis),
                                },
                                None => push(&mut routing, key, account, basis),
                            };
                            index.insert(o, g);
                            g
                        }
                    }
                }
            };
            by.insert(
                (path.join("."), r.ty.into_owned(), r.name.into_owned()),
                group,
            );
        }
        for (name, call) in module.module_calls {
            if let Some(child) = call.module {
                let mut p = path.clone();
                p.push(name.into_owned());
                stack.push((p, child));
            }
        }
    }
    routing.by_resource = Some(by);
    Ok(routing)
}

fn push(routing: &mut Routing, key: &str, account: Option<String>, basis: String) -> usize {
    routing.providers.push(Provider {
        keys: vec![key.to_string()],
        account,
        basis,
        default: false,
        ambient: false,
    });
    routing.providers.len() - 1
}
