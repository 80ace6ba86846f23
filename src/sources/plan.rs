//! Terraform / OpenTofu plan JSON (`terraform show -json plan.out`).
//!
//! The plan is read in one pass into borrowed raw slices; only the changes of the
//! IAM resource types that drift understands are parsed further. The large parts
//! that drift does not need (`planned_values`, `configuration`, other providers'
//! resources) are only scanned, never built into values.

use crate::finding::Origin;
use crate::policy_doc::PolicyDoc;
use crate::state::*;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// What the plan says about itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanInfo {
    pub format_version: Option<String>,
    pub terraform_version: Option<String>,
    /// How many resource changes of supported IAM types the plan holds.
    pub iam_resources: usize,
}

/// A plan read into state.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub info: PlanInfo,
    /// The state the plan leaves behind (for the resources it manages).
    pub state: IamState,
    /// What Terraform's refresh saw change outside Terraform (`resource_drift`),
    /// only resources with real differences.
    pub refresh: IamState,
    /// For each object of `refresh` (`user/alice`), the fields that really changed.
    pub refresh_fields: BTreeMap<String, BTreeSet<String>>,
}

/// Why a plan could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanError {
    Empty,
    /// Not valid JSON, or not shaped like a plan; with the position when known.
    Syntax {
        message: String,
        line: usize,
        column: usize,
    },
    NotAPlan(String),
    UnsupportedFormat(String),
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlanError::Empty => f.write_str("the plan is empty"),
            PlanError::Syntax { message, .. } => write!(f, "the plan is not valid plan JSON: {message}"),
            PlanError::NotAPlan(why) => write!(f, "this is not a Terraform plan: {why}"),
            PlanError::UnsupportedFormat(v) => write!(
                f,
                "plan format version `{v}` is not supported (drift reads format versions 0.x and 1.x)"
            ),
        }
    }
}

impl std::error::Error for PlanError {}

impl PlanError {
    pub fn help(&self) -> &'static str {
        match self {
            PlanError::Empty | PlanError::NotAPlan(_) | PlanError::Syntax { .. } => {
                "make it with `terraform plan -out plan.out && terraform show -json plan.out > plan.json`"
            }
            PlanError::UnsupportedFormat(_) => {
                "a newer drift may read it; `terraform show -json` of Terraform 0.12 to 1.x writes 0.x or 1.x"
            }
        }
    }

    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            PlanError::Syntax { line, column, .. } => Some((*line, *column)),
            _ => None,
        }
    }
}

#[derive(Deserialize)]
struct RawPlan<'a> {
    format_version: Option<String>,
    terraform_version: Option<String>,
    #[serde(borrow)]
    resource_changes: Option<Vec<RawChange<'a>>>,
    #[serde(borrow, default)]
    resource_drift: Vec<RawChange<'a>>,
    #[serde(borrow)]
    prior_state: Option<RawPriorState<'a>>,
    #[serde(borrow)]
    planned_values: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct RawChange<'a> {
    /// Kept as JSON text: addresses with `for_each` keys are escaped, and only
    /// those of supported types are decoded.
    #[serde(borrow)]
    address: Option<&'a RawValue>,
    #[serde(borrow, default)]
    mode: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "type")]
    ty: Cow<'a, str>,
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow)]
    index: Option<&'a RawValue>,
    #[serde(borrow)]
    module_address: Option<Cow<'a, str>>,
    #[serde(borrow)]
    change: RawChangeBody<'a>,
}

/// A change as borrowed slices; only the changes of supported types are parsed.
#[derive(Deserialize)]
struct RawChangeBody<'a> {
    #[serde(default)]
    actions: Vec<String>,
    #[serde(borrow)]
    before: Option<&'a RawValue>,
    #[serde(borrow)]
    after: Option<&'a RawValue>,
    #[serde(borrow)]
    after_unknown: Option<&'a RawValue>,
    #[serde(borrow)]
    before_sensitive: Option<&'a RawValue>,
    #[serde(borrow)]
    after_sensitive: Option<&'a RawValue>,
}

fn parse_raw(raw: Option<&RawValue>) -> Result<Option<Value>, PlanError> {
    raw.map(|r| serde_json::from_str(r.get()).map_err(|e| json_error(&e)))
        .transpose()
}

/// Whether drift reads an attribute; the others (ids, dates, SSH key bodies,
/// passwords) are skipped without being built into values.
fn is_read_attribute(key: &str) -> bool {
    matches!(
        key,
        "account_alias"
            | "arn"
            | "assume_role_policy"
            | "description"
            | "group"
            | "groups"
            | "inline_policy"
            | "managed_policy_arns"
            | "max_session_duration"
            | "name"
            | "path"
            | "permissions_boundary"
            | "policy"
            | "policy_arn"
            | "role"
            | "roles"
            | "ssh_public_key_id"
            | "status"
            | "tags"
            | "tags_all"
            | "unique_id"
            | "user"
            | "username"
            | "users"
            | "minimum_password_length"
            | "require_uppercase_characters"
            | "require_lowercase_characters"
            | "require_numbers"
            | "require_symbols"
            | "allow_users_to_change_password"
            | "max_password_age"
            | "password_reuse_prevention"
            | "hard_expiry"
    )
}

/// Resource attributes with only those drift reads kept.
struct Attributes(Value);

impl<'de> Deserialize<'de> for Attributes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Attributes;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("resource attributes")
            }
            fn visit_unit<E>(self) -> Result<Attributes, E> {
                Ok(Attributes(Value::Null))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Attributes, A::Error> {
                let mut out = serde_json::Map::new();
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    if is_read_attribute(&key) {
                        out.insert(key.into_owned(), map.next_value()?);
                    } else {
                        map.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
                Ok(Attributes(Value::Object(out)))
            }
        }
        d.deserialize_any(V)
    }
}

fn parse_attributes(raw: Option<&RawValue>) -> Result<Option<Value>, PlanError> {
    raw.map(|r| {
        serde_json::from_str::<Attributes>(r.get())
            .map(|a| a.0)
            .map_err(|e| json_error(&e))
    })
    .transpose()
}

impl RawChangeBody<'_> {
    /// Parses what drift reads. A no-op keeps its `after`: its `before` is the same.
    fn parse(&self, with_before: bool) -> Result<Change, PlanError> {
        let unchanged = self.actions.iter().all(|a| a == "no-op" || a == "read");
        let before = with_before || !unchanged;
        Ok(Change {
            actions: self.actions.clone(),
            before: if before {
                parse_attributes(self.before)?
            } else {
                None
            },
            after: parse_attributes(self.after)?,
            after_unknown: parse_raw(self.after_unknown)?,
            before_sensitive: if before {
                parse_raw(self.before_sensitive)?
            } else {
                None
            },
            after_sensitive: parse_raw(self.after_sensitive)?,
        })
    }
}

#[derive(Deserialize)]
struct RawPriorState<'a> {
    #[serde(borrow)]
    values: Option<RawStateValues<'a>>,
}

#[derive(Deserialize)]
struct RawStateValues<'a> {
    #[serde(borrow)]
    root_module: Option<RawModule<'a>>,
}

#[derive(Deserialize)]
struct RawModule<'a> {
    #[serde(borrow, default)]
    resources: Vec<RawStateResource<'a>>,
    #[serde(borrow, default)]
    child_modules: Vec<RawModule<'a>>,
}

#[derive(Deserialize)]
struct RawStateResource<'a> {
    /// JSON text, compared with the (same) text of the resource changes.
    #[serde(borrow)]
    address: &'a RawValue,
    #[serde(borrow, default)]
    mode: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "type")]
    ty: Cow<'a, str>,
    #[serde(borrow)]
    values: Option<&'a RawValue>,
    #[serde(borrow)]
    sensitive_values: Option<&'a RawValue>,
}

/// A parsed change of a supported resource type.
#[derive(Default)]
struct Change {
    actions: Vec<String>,
    before: Option<Value>,
    after: Option<Value>,
    after_unknown: Option<Value>,
    before_sensitive: Option<Value>,
    after_sensitive: Option<Value>,
}

/// Whether drift reads a resource type.
pub fn is_supported(ty: &str) -> bool {
    ty.starts_with("aws_iam_") && SUPPORTED_TYPES.contains(&ty)
}

/// The resource types drift reads; others are ignored.
pub const SUPPORTED_TYPES: &[&str] = &[
    "aws_iam_account_password_policy",
    "aws_iam_account_alias",
    "aws_iam_user",
    "aws_iam_user_ssh_key",
    "aws_iam_user_login_profile",
    "aws_iam_user_group_membership",
    "aws_iam_group_membership",
    "aws_iam_user_policy",
    "aws_iam_user_policy_attachment",
    "aws_iam_group",
    "aws_iam_group_policy",
    "aws_iam_group_policy_attachment",
    "aws_iam_role",
    "aws_iam_role_policy",
    "aws_iam_role_policy_attachment",
    "aws_iam_instance_profile",
    "aws_iam_policy",
    "aws_iam_policy_attachment",
];

fn json_error(e: &serde_json::Error) -> PlanError {
    let msg = e.to_string();
    // serde_json appends " at line L column C"; the position is kept apart.
    let message = match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    };
    PlanError::Syntax {
        message,
        line: e.line(),
        column: e.column(),
    }
}

/// Reads a plan.
pub fn read(bytes: &[u8]) -> Result<Plan, PlanError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(PlanError::Empty);
    }
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if first != Some(b'{') {
        // Parse anyway for a located error, then fall back to a plain one.
        if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
            return Err(json_error(&e));
        }
        return Err(PlanError::NotAPlan(
            "the top level is not a JSON object".to_string(),
        ));
    }
    let raw: RawPlan = serde_json::from_slice(bytes).map_err(|e| json_error(&e))?;
    if let Some(v) = &raw.format_version {
        let major = v.split('.').next().unwrap_or("");
        if major != "0" && major != "1" {
            return Err(PlanError::UnsupportedFormat(v.clone()));
        }
    }
    if raw.resource_changes.is_none() && raw.planned_values.is_none() {
        return Err(PlanError::NotAPlan(
            "it has neither `resource_changes` nor `planned_values` (a state file, or `terraform show -json` without a plan?)"
                .to_string(),
        ));
    }
    let mut plan = Plan {
        info: PlanInfo {
            format_version: raw.format_version.clone(),
            terraform_version: raw.terraform_version.clone(),
            iam_resources: 0,
        },
        ..Plan::default()
    };

    let mut builder = Builder::default();
    let mut seen: HashSet<&str> = HashSet::new();
    let supported: Vec<&RawChange> = raw
        .resource_changes
        .as_deref()
        .unwrap_or(&[])
        .iter()
        .filter(|rc| rc.mode.as_deref().is_none_or(|m| m == "managed") && is_supported(&rc.ty))
        .collect();
    for rc in supported {
        let change = rc.change.parse(false)?;
        let address = address_of(rc);
        plan.info.iam_resources += 1;
        let actions: Vec<&str> = change.actions.iter().map(String::as_str).collect();
        let origin = Origin::plan(&address, &actions);
        builder.apply(&rc.ty, &change, origin);
        if let Some(a) = rc.address {
            seen.insert(a.get());
        }
    }
    if let Some(values) = raw.prior_state.as_ref().and_then(|p| p.values.as_ref()) {
        if let Some(root) = &values.root_module {
            let mut stack = vec![root];
            while let Some(module) = stack.pop() {
                stack.extend(module.child_modules.iter());
                for res in &module.resources {
                    if res.mode.as_deref().is_some_and(|m| m != "managed")
                        || !is_supported(&res.ty)
                        || seen.contains(res.address.get())
                    {
                        continue;
                    }
                    let values = parse_attributes(res.values)?;
                    let sensitive: Option<Value> = match res.sensitive_values {
                        Some(v) => Some(serde_json::from_str(v.get()).map_err(|e| json_error(&e))?),
                        None => None,
                    };
                    let change = Change {
                        actions: vec!["no-op".to_string()],
                        before: None,
                        after: values,
                        after_unknown: None,
                        before_sensitive: None,
                        after_sensitive: sensitive,
                    };
                    plan.info.iam_resources += 1;
                    builder.apply(
                        &res.ty,
                        &change,
                        Origin::plan(json_string(res.address)?, &["no-op"]),
                    );
                }
            }
        }
    }
    plan.state = builder.state;

    let mut refresh = Builder::default();
    for rc in &raw.resource_drift {
        if rc.mode.as_deref().is_some_and(|m| m != "managed") || !is_supported(&rc.ty) {
            continue;
        }
        let change = rc.change.parse(true)?;
        let deleted = is_delete(&change.actions);
        let changed = if deleted {
            BTreeSet::new()
        } else {
            changed_attributes(change.before.as_ref(), change.after.as_ref())
        };
        if !deleted && changed.is_empty() {
            continue; // provider noise: nothing really changed
        }
        let address = address_of(rc);
        refresh.apply(&rc.ty, &change, Origin::Refresh { address });
        if let Some(key) = refresh.last_object.take() {
            plan.refresh_fields.entry(key).or_default().extend(
                changed
                    .iter()
                    .flat_map(|a| finding_fields(a))
                    .map(str::to_string),
            );
        }
    }
    plan.refresh = refresh.state;
    Ok(plan)
}

/// A JSON string kept as raw text, decoded.
fn json_string(raw: &RawValue) -> Result<String, PlanError> {
    serde_json::from_str(raw.get()).map_err(|e| json_error(&e))
}

fn address_of(rc: &RawChange) -> String {
    if let Some(a) = rc.address.and_then(|a| json_string(a).ok()) {
        return a;
    }
    // Old plans leave `address` out of drift entries: rebuild it.
    let mut a = String::new();
    if let Some(m) = &rc.module_address {
        a.push_str(m);
        a.push('.');
    }
    a.push_str(&rc.ty);
    a.push('.');
    a.push_str(&rc.name);
    if let Some(i) = rc.index {
        a.push('[');
        a.push_str(i.get());
        a.push(']');
    }
    a
}

fn is_delete(actions: &[String]) -> bool {
    actions.iter().any(|a| a == "delete") && !actions.iter().any(|a| a == "create")
}

/// The finding fields a Terraform attribute is judged in.
fn finding_fields(attr: &str) -> Vec<&str> {
    match attr {
        "policy" => vec!["document", "policy", "inline_policies"],
        "policy_arn" | "managed_policy_arns" => vec!["managed_policies"],
        "inline_policy" => vec!["inline_policies"],
        "groups" | "users" | "group" | "user" => vec!["groups"],
        "role" | "roles" => vec!["roles"],
        "account_alias" => vec!["alias"],
        "tags" | "tags_all" => vec!["tags"],
        "username" | "ssh_public_key_id" => vec!["status"],
        other => vec![other],
    }
}

/// Whether two attribute values differ in substance: `null`, `{}`, `[]` and `""`
/// are all "nothing", and policy JSON strings compare by meaning.
fn same_value(a: Option<&Value>, b: Option<&Value>) -> bool {
    let empty = |v: Option<&Value>| match v {
        None | Some(Value::Null) => true,
        Some(Value::Object(m)) => m.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::String(s)) => s.is_empty(),
        _ => false,
    };
    if empty(a) && empty(b) {
        return true;
    }
    match (a, b) {
        (Some(Value::String(x)), Some(Value::String(y))) if x.trim_start().starts_with('{') => {
            match (PolicyDoc::from_text(x), PolicyDoc::from_text(y)) {
                (Ok(p), Ok(q)) => p == q,
                _ => x == y,
            }
        }
        (Some(Value::Array(x)), Some(Value::Array(y))) => {
            // Terraform sets: order does not matter.
            let mut xs: Vec<String> = x.iter().map(Value::to_string).collect();
            let mut ys: Vec<String> = y.iter().map(Value::to_string).collect();
            xs.sort();
            ys.sort();
            xs == ys
        }
        _ => a == b,
    }
}

/// The top-level attributes whose values differ in substance.
fn changed_attributes(before: Option<&Value>, after: Option<&Value>) -> BTreeSet<String> {
    let empty = serde_json::Map::new();
    let b = before.and_then(Value::as_object).unwrap_or(&empty);
    let a = after.and_then(Value::as_object).unwrap_or(&empty);
    b.keys()
        .chain(a.keys())
        .filter(|k| !same_value(b.get(*k), a.get(*k)))
        .cloned()
        .collect()
}

/// One resource change, seen from the side drift judges.
struct View<'c> {
    /// The judged values: `after` for a change, `before` for a deletion (names only).
    values: &'c Value,
    before: Option<&'c Value>,
    unknown: Option<&'c Value>,
    sensitive: Option<&'c Value>,
    deleted: bool,
    origin: Origin,
}

static NULL: Value = Value::Null;

impl<'c> View<'c> {
    fn new(change: &'c Change, origin: Origin) -> View<'c> {
        let deleted = is_delete(&change.actions);
        let values = if deleted {
            change.before.as_ref()
        } else {
            change.after.as_ref().or(change.before.as_ref())
        };
        View {
            values: values.unwrap_or(&NULL),
            before: change.before.as_ref(),
            unknown: if deleted {
                None
            } else {
                change.after_unknown.as_ref()
            },
            sensitive: if deleted {
                change.before_sensitive.as_ref()
            } else {
                change.after_sensitive.as_ref()
            },
            deleted,
            origin,
        }
    }

    fn is_unknown(&self, key: &str) -> bool {
        self.unknown.and_then(|u| u.get(key)).is_some_and(any_true)
    }

    fn is_sensitive(&self, key: &str) -> bool {
        self.sensitive
            .and_then(|s| s.get(key))
            .is_some_and(any_true)
    }

    fn str(&self, key: &str) -> Option<&'c str> {
        self.values.get(key).and_then(Value::as_str)
    }

    /// A string attribute; `None` when unknown or absent; `Some(None)` for null/"".
    fn opt_str(&self, key: &str) -> Option<Option<String>> {
        if self.is_unknown(key) {
            return None;
        }
        match self.values.get(key) {
            Some(Value::String(s)) if !s.is_empty() => Some(Some(s.clone())),
            Some(Value::String(_)) | Some(Value::Null) | None => Some(None),
            Some(_) => None,
        }
    }

    /// A known name: `Err(())` when it is known only after apply.
    fn name(&self, key: &str) -> Result<Option<String>, ()> {
        if self.is_unknown(key) {
            return Err(());
        }
        Ok(self.str(key).filter(|s| !s.is_empty()).map(str::to_string))
    }

    fn before_str(&self, key: &str) -> Option<&'c str> {
        self.before.and_then(|b| b.get(key)).and_then(Value::as_str)
    }

    fn strings(v: Option<&Value>) -> Vec<String> {
        match v {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            Some(Value::String(s)) if !s.is_empty() => vec![s.clone()],
            _ => Vec::new(),
        }
    }

    fn obj<T>(&self, value: Option<T>) -> Obj<T> {
        Obj {
            origin: self.origin.clone(),
            value,
            unknown: BTreeSet::new(),
            sensitive: BTreeSet::new(),
        }
    }

    fn doc(&self, key: &str, cache: &mut DocCache) -> Option<PolicyDoc> {
        cache.doc(self.values.get(key)?)
    }
}

fn any_true(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Array(items) => items.iter().any(any_true),
        Value::Object(map) => map.values().any(any_true),
        _ => false,
    }
}

/// Documents already read, by their text: plans repeat the same trust policy
/// and the same inline policies many times.
#[derive(Default)]
struct DocCache(std::collections::HashMap<String, Option<PolicyDoc>>);

impl DocCache {
    fn doc(&mut self, value: &Value) -> Option<PolicyDoc> {
        match value {
            Value::String(text) => {
                if let Some(doc) = self.0.get(text) {
                    return doc.clone();
                }
                let doc = PolicyDoc::from_text(text).ok();
                self.0.insert(text.clone(), doc.clone());
                doc
            }
            other => PolicyDoc::from_json(other).ok(),
        }
    }
}

#[derive(Default)]
struct Builder {
    docs: DocCache,
    state: IamState,
    /// The object the last applied resource belongs to (`user/alice`).
    last_object: Option<String>,
}

/// Which kind of principal a facet hangs on.
#[derive(Clone, Copy)]
enum Who {
    User,
    Group,
    Role,
}

impl Builder {
    fn apply(&mut self, ty: &str, change: &Change, origin: Origin) {
        let v = View::new(change, origin);
        self.last_object = None;
        match ty {
            "aws_iam_account_password_policy" => self.password_policy(&v),
            "aws_iam_account_alias" => {
                let mut obj = v.obj(if v.deleted {
                    None
                } else {
                    v.str("account_alias").map(str::to_string)
                });
                if v.is_unknown("account_alias") {
                    obj.unknown.insert("alias");
                }
                self.state.account_alias = Some(obj);
                self.last_object = Some("account".to_string());
            }
            "aws_iam_user" => self.user(&v),
            "aws_iam_group" => self.group(&v),
            "aws_iam_role" => self.role(&v),
            "aws_iam_user_ssh_key" => self.ssh_key(&v),
            "aws_iam_user_login_profile" => self.login_profile(&v),
            "aws_iam_user_group_membership" => {
                if let Ok(Some(user)) = v.name("user") {
                    let unknown = v.is_unknown("groups");
                    let (present, absent) = list_change(&v, "groups");
                    if let Some(u) = self.user_facets(&user, &v) {
                        let set = u.groups.get_or_insert_with(NameSet::default);
                        merge_set(set, &v, present, absent, unknown);
                    }
                    self.last_object = Some(format!("user/{user}"));
                }
            }
            "aws_iam_group_membership" => {
                if let Ok(Some(group)) = v.name("group") {
                    let (present, absent) = list_change(&v, "users");
                    for (user, here) in present
                        .iter()
                        .map(|u| (u, true))
                        .chain(absent.iter().map(|u| (u, false)))
                    {
                        if let Some(u) = self.user_facets(user, &v) {
                            let set = u.groups.get_or_insert_with(NameSet::default);
                            let items = if here { vec![group.clone()] } else { vec![] };
                            let gone = if here { vec![] } else { vec![group.clone()] };
                            merge_set(set, &v, items, gone, false);
                        }
                    }
                    self.last_object = Some(format!("group/{group}"));
                }
            }
            "aws_iam_user_policy" => self.inline_policy(Who::User, "user", &v),
            "aws_iam_group_policy" => self.inline_policy(Who::Group, "group", &v),
            "aws_iam_role_policy" => self.inline_policy(Who::Role, "role", &v),
            "aws_iam_user_policy_attachment" => self.attachment(Who::User, "user", &v),
            "aws_iam_group_policy_attachment" => self.attachment(Who::Group, "group", &v),
            "aws_iam_role_policy_attachment" => self.attachment(Who::Role, "role", &v),
            "aws_iam_policy_attachment" => self.policy_attachment(&v),
            "aws_iam_instance_profile" => self.instance_profile(&v),
            "aws_iam_policy" => self.policy(&v),
            _ => {}
        }
    }

    fn password_policy(&mut self, v: &View) {
        self.last_object = Some("password-policy".to_string());
        if v.deleted {
            self.state.password_policy = Some(v.obj(None));
            return;
        }
        let mut policy = PasswordPolicy::default();
        let mut obj = v.obj(None);
        for field in PpField::ALL {
            let key = field.name();
            if v.is_unknown(key) {
                obj.unknown.insert(key);
                continue;
            }
            if v.is_sensitive(key) {
                obj.sensitive.insert(key);
            }
            match v.values.get(key) {
                Some(Value::Bool(b)) => {
                    policy.values.insert(field, PpValue::Bool(*b));
                }
                Some(Value::Number(n)) => {
                    if let Some(n) = n.as_u64().and_then(|n| u32::try_from(n).ok()) {
                        policy.values.insert(field, PpValue::Num(n));
                    }
                }
                _ => {}
            }
        }
        obj.value = Some(policy);
        self.state.password_policy = Some(obj);
    }

    /// The observed principal object, created as a placeholder when only things
    /// attached to it are in the plan. `None` when the plan deletes it.
    fn principal_facets(&mut self, who: Who, name: &str, v: &View) -> Option<&mut Principal> {
        match who {
            Who::User => self.user_facets(name, v).map(|u| &mut u.principal),
            Who::Group => {
                let obj = self
                    .state
                    .groups
                    .items
                    .entry(name.to_string())
                    .or_insert_with(|| v.obj(Some(Group::default())));
                obj.value.as_mut().map(|g| &mut g.principal)
            }
            Who::Role => {
                let obj = self
                    .state
                    .roles
                    .items
                    .entry(name.to_string())
                    .or_insert_with(|| v.obj(Some(Role::default())));
                obj.value.as_mut().map(|r| &mut r.principal)
            }
        }
    }

    fn user_facets(&mut self, name: &str, v: &View) -> Option<&mut User> {
        let obj = self
            .state
            .users
            .items
            .entry(name.to_string())
            .or_insert_with(|| v.obj(Some(User::default())));
        obj.value.as_mut()
    }

    /// Reads the attributes users, groups and roles share into an object entry.
    fn principal_object<T: Default>(
        members: &mut Members<T>,
        v: &View,
        principal: fn(&mut T) -> &mut Principal,
    ) -> Option<String> {
        let name = match v.name("name") {
            Ok(Some(n)) => n,
            Ok(None) => return None,
            Err(()) => {
                members.unknown.push(v.origin.clone());
                return None;
            }
        };
        if v.deleted {
            members.items.insert(name.clone(), v.obj(None));
            return Some(name);
        }
        let entry = members
            .items
            .entry(name.clone())
            .or_insert_with(|| v.obj(Some(T::default())));
        // The object itself is now known: it takes the resource's origin.
        entry.origin = v.origin.clone();
        let value = entry.value.get_or_insert_with(T::default);
        let p = principal(value);
        p.managed = true;
        p.id = v.str("unique_id").map(str::to_string);
        p.arn = v.str("arn").map(str::to_string);
        if let Some(prev) = v.before_str("name") {
            if prev != name {
                p.previous_name = Some(prev.to_string());
            }
        }
        for (key, slot) in [("path", &mut p.path)] {
            if v.is_unknown(key) {
                entry.unknown.insert(key);
            } else {
                *slot = Some(v.str(key).unwrap_or("/").to_string());
            }
        }
        if v.values.get("permissions_boundary").is_some() {
            if v.is_unknown("permissions_boundary") {
                entry.unknown.insert("permissions_boundary");
            } else {
                p.permissions_boundary = v.opt_str("permissions_boundary");
            }
        }
        if v.values.get("tags").is_some() || v.values.get("tags_all").is_some() {
            if v.is_unknown("tags") {
                entry.unknown.insert("tags");
            } else {
                let tags = v.values.get("tags").and_then(Value::as_object);
                p.tags = Some(
                    tags.map(|m| {
                        m.iter()
                            .map(|(k, val)| {
                                (k.clone(), val.as_str().unwrap_or_default().to_string())
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                );
                if v.is_sensitive("tags") {
                    entry.sensitive.insert("tags");
                }
            }
        }
        Some(name)
    }

    fn user(&mut self, v: &View) {
        if let Some(name) =
            Self::principal_object(&mut self.state.users, v, |u: &mut User| &mut u.principal)
        {
            self.last_object = Some(format!("user/{name}"));
        }
    }

    fn group(&mut self, v: &View) {
        if let Some(name) =
            Self::principal_object(&mut self.state.groups, v, |g: &mut Group| &mut g.principal)
        {
            self.last_object = Some(format!("group/{name}"));
        }
    }

    fn role(&mut self, v: &View) {
        let Some(name) =
            Self::principal_object(&mut self.state.roles, v, |r: &mut Role| &mut r.principal)
        else {
            return;
        };
        self.last_object = Some(format!("role/{name}"));
        if v.deleted {
            return;
        }
        let Some(entry) = self.state.roles.items.get_mut(&name) else {
            return;
        };
        let docs = &mut self.docs;
        let mut unknown = Vec::new();
        let mut sensitive = Vec::new();
        if let Some(role) = entry.value.as_mut() {
            if v.is_unknown("assume_role_policy") {
                unknown.push("assume_role_policy");
            } else {
                role.assume_role_policy = v.doc("assume_role_policy", docs);
                if v.is_sensitive("assume_role_policy") {
                    sensitive.push("assume_role_policy");
                }
            }
            if v.is_unknown("max_session_duration") {
                unknown.push("max_session_duration");
            } else {
                role.max_session_duration = v
                    .values
                    .get("max_session_duration")
                    .and_then(Value::as_u64)
                    .and_then(|n| u32::try_from(n).ok());
            }
            if v.is_unknown("description") {
                unknown.push("description");
            } else {
                role.description = Some(v.str("description").unwrap_or("").to_string());
            }
            // The provider reads the role's attachments and inline policies into
            // these computed attributes; they count as present, never as absent,
            // and never override what an attachment resource says.
            // When the provider reports them, they are the role's whole set.
            if !v.is_unknown("managed_policy_arns") {
                if let Some(list) = v.values.get("managed_policy_arns").filter(|l| l.is_array()) {
                    let set = role
                        .principal
                        .managed_policies
                        .get_or_insert_with(NameSet::default);
                    set.complete = true;
                    set.origin.get_or_insert_with(|| v.origin.clone());
                    for arn in View::strings(Some(list)) {
                        set.items.entry(arn).or_insert_with(|| v.obj(Some(())));
                    }
                }
            }
            if !v.is_unknown("inline_policy") {
                if let Some(Value::Array(blocks)) = v.values.get("inline_policy") {
                    let set = role
                        .principal
                        .inline_policies
                        .get_or_insert_with(Members::default);
                    set.complete = true;
                    set.origin.get_or_insert_with(|| v.origin.clone());
                    for block in blocks {
                        let (Some(pname), Some(doc)) = (
                            block
                                .get("name")
                                .and_then(Value::as_str)
                                .filter(|s| !s.is_empty()),
                            block.get("policy").and_then(|p| docs.doc(p)),
                        ) else {
                            continue;
                        };
                        set.items
                            .entry(pname.to_string())
                            .or_insert_with(|| v.obj(Some(doc)));
                    }
                }
            }
        }
        entry.unknown.extend(unknown);
        entry.sensitive.extend(sensitive);
    }

    fn ssh_key(&mut self, v: &View) {
        let Ok(Some(user)) = v.name("username") else {
            return;
        };
        self.last_object = Some(format!("user/{user}"));
        let id = if v.is_unknown("ssh_public_key_id") {
            None
        } else {
            v.str("ssh_public_key_id")
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let status_unknown = v.is_unknown("status");
        let status = v.str("status").map(str::to_string);
        let deleted = v.deleted;
        let origin = v.origin.clone();
        let Some(u) = self.user_facets(&user, v) else {
            return;
        };
        let keys = u.ssh_keys.get_or_insert_with(Members::default);
        match id {
            None => {
                if !deleted {
                    keys.unknown.push(origin);
                }
            }
            Some(id) => {
                let mut obj = Obj::absent(origin);
                if !deleted {
                    obj.value = Some(SshKey {
                        status: if status_unknown { None } else { status },
                    });
                    if status_unknown {
                        obj.unknown.insert("status");
                    }
                }
                keys.items.insert(id, obj);
            }
        }
    }

    fn login_profile(&mut self, v: &View) {
        let Ok(Some(user)) = v.name("user") else {
            return;
        };
        self.last_object = Some(format!("user/{user}"));
        let obj = v.obj(if v.deleted { None } else { Some(()) });
        if let Some(u) = self.user_facets(&user, v) {
            u.login_profile = Some(obj);
        }
    }

    fn inline_policy(&mut self, who: Who, owner_key: &str, v: &View) {
        let Ok(Some(owner)) = v.name(owner_key) else {
            return;
        };
        self.last_object = Some(format!("{owner_key}/{owner}"));
        let name = v.name("name");
        let unknown_doc = v.is_unknown("policy");
        let sensitive = v.is_sensitive("policy");
        let doc = v.doc("policy", &mut self.docs);
        let deleted = v.deleted;
        let origin = v.origin.clone();
        let Some(p) = self.principal_facets(who, &owner, v) else {
            return;
        };
        let set = p.inline_policies.get_or_insert_with(Members::default);
        match name {
            Ok(Some(pname)) => {
                let mut obj = Obj::absent(origin);
                if !deleted {
                    obj.value = doc.or_else(|| unknown_doc.then(PolicyDoc::empty));
                    if unknown_doc {
                        obj.unknown.insert("policy");
                    }
                    if sensitive {
                        obj.sensitive.insert("policy");
                    }
                }
                set.items.insert(pname, obj);
            }
            Ok(None) => {}
            Err(()) => {
                if !deleted {
                    set.unknown.push(origin);
                }
            }
        }
    }

    fn attachment(&mut self, who: Who, owner_key: &str, v: &View) {
        let Ok(Some(owner)) = v.name(owner_key) else {
            return;
        };
        self.last_object = Some(format!("{owner_key}/{owner}"));
        let arn = v.name("policy_arn");
        let deleted = v.deleted;
        let origin = v.origin.clone();
        let Some(p) = self.principal_facets(who, &owner, v) else {
            return;
        };
        let set = p.managed_policies.get_or_insert_with(NameSet::default);
        match arn {
            Ok(Some(arn)) => {
                let obj = if deleted {
                    Obj::absent(origin)
                } else {
                    Obj::present(origin, ())
                };
                put(set, arn, obj);
            }
            Ok(None) => {}
            Err(()) => {
                if !deleted {
                    set.unknown.push(origin);
                }
            }
        }
    }

    fn policy_attachment(&mut self, v: &View) {
        let arn = match v.name("policy_arn") {
            Ok(Some(a)) => a,
            Ok(None) => return,
            Err(()) => {
                // The policy is known only after apply: mark each named principal.
                for (key, who) in [
                    ("users", Who::User),
                    ("groups", Who::Group),
                    ("roles", Who::Role),
                ] {
                    for name in View::strings(v.values.get(key)) {
                        if let Some(p) = self.principal_facets(who, &name, v) {
                            p.managed_policies
                                .get_or_insert_with(NameSet::default)
                                .unknown
                                .push(v.origin.clone());
                        }
                    }
                }
                return;
            }
        };
        for (key, who) in [
            ("users", Who::User),
            ("groups", Who::Group),
            ("roles", Who::Role),
        ] {
            if v.is_unknown(key) {
                continue;
            }
            let (present, absent) = list_change(v, key);
            for (name, here) in present
                .iter()
                .map(|n| (n, true))
                .chain(absent.iter().map(|n| (n, false)))
            {
                let origin = v.origin.clone();
                if let Some(p) = self.principal_facets(who, name, v) {
                    let set = p.managed_policies.get_or_insert_with(NameSet::default);
                    let obj = if here {
                        Obj::present(origin, ())
                    } else {
                        Obj::absent(origin)
                    };
                    put(set, arn.clone(), obj);
                }
            }
        }
    }

    fn instance_profile(&mut self, v: &View) {
        let name = match v.name("name") {
            Ok(Some(n)) => n,
            Ok(None) => return,
            Err(()) => {
                self.state.instance_profiles.unknown.push(v.origin.clone());
                return;
            }
        };
        self.last_object = Some(format!("instance-profile/{name}"));
        if v.deleted {
            self.state.instance_profiles.items.insert(name, v.obj(None));
            return;
        }
        let mut obj = v.obj(None);
        let mut profile = InstanceProfile {
            id: v.str("unique_id").map(str::to_string),
            ..Default::default()
        };
        if v.is_unknown("path") {
            obj.unknown.insert("path");
        } else {
            profile.path = Some(v.str("path").unwrap_or("/").to_string());
        }
        if v.is_unknown("role") {
            obj.unknown.insert("roles");
        } else {
            // The profile resource says which role it holds: the set is complete.
            let mut roles = NameSet::complete(v.origin.clone());
            let mut names = View::strings(v.values.get("role"));
            if names.is_empty() && !v.is_unknown("roles") {
                names = View::strings(v.values.get("roles"));
            }
            for r in names {
                roles.items.insert(r, v.obj(Some(())));
            }
            for r in View::strings(v.before.and_then(|b| b.get("role"))) {
                roles.items.entry(r).or_insert_with(|| v.obj(None));
            }
            profile.roles = Some(roles);
        }
        obj.value = Some(profile);
        self.state.instance_profiles.items.insert(name, obj);
    }

    fn policy(&mut self, v: &View) {
        let name = match v.name("name") {
            Ok(Some(n)) => n,
            Ok(None) => return,
            Err(()) => {
                self.state.policies.unknown.push(v.origin.clone());
                return;
            }
        };
        self.last_object = Some(format!("policy/{name}"));
        if v.deleted {
            self.state.policies.items.insert(name, v.obj(None));
            return;
        }
        let mut obj = v.obj(None);
        let mut policy = ManagedPolicy {
            arn: v.str("arn").map(str::to_string),
            ..Default::default()
        };
        if v.is_unknown("path") {
            obj.unknown.insert("path");
        } else {
            policy.path = Some(v.str("path").unwrap_or("/").to_string());
        }
        if v.is_unknown("description") {
            obj.unknown.insert("description");
        } else {
            policy.description = Some(v.str("description").unwrap_or("").to_string());
        }
        if v.is_unknown("policy") {
            obj.unknown.insert("document");
        } else {
            policy.document = v.doc("policy", &mut self.docs);
            if v.is_sensitive("policy") {
                obj.sensitive.insert("document");
            }
        }
        obj.value = Some(policy);
        self.state.policies.items.insert(name, obj);
    }
}

/// Items a list attribute holds after the change, and items it held before but
/// no longer does (all of them when the resource is deleted).
fn list_change(v: &View, key: &str) -> (Vec<String>, Vec<String>) {
    let before = View::strings(v.before.and_then(|b| b.get(key)));
    if v.deleted {
        return (Vec::new(), before);
    }
    let after = if v.is_unknown(key) {
        Vec::new()
    } else {
        View::strings(v.values.get(key))
    };
    let absent = before.into_iter().filter(|b| !after.contains(b)).collect();
    (after, absent)
}

fn merge_set(
    set: &mut NameSet,
    v: &View,
    present: Vec<String>,
    absent: Vec<String>,
    unknown: bool,
) {
    for item in present {
        put(set, item, v.obj(Some(())));
    }
    for item in absent {
        put(set, item, v.obj(None));
    }
    if unknown {
        set.unknown.push(v.origin.clone());
    }
}

/// Records an item: one resource saying it is there wins over another saying it
/// is gone (a membership moved from one resource to another).
fn put(set: &mut NameSet, item: String, obj: Obj<()>) {
    match set.items.get(&item) {
        Some(existing) if existing.value.is_some() && obj.value.is_none() => {}
        _ => {
            set.items.insert(item, obj);
        }
    }
}
