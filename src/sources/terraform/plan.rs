//! Plan JSON (`terraform show -json plan.out`) into an observation: the state
//! the plan leaves behind, and the drift its refresh saw.

use super::config::Config;
use super::error::{is_wrapper_output, json_error, PlanError};
use super::mapping::{is_supported, At, Builder, DocCache};
use super::providers::{route, Provider, ProviderAccounts, DEFAULT_PROVIDER};
use super::refresh::{changed_attributes, finding_fields};
use super::wire::{
    address_of, is_delete, json_string, parse_attributes, Change, RawChange, RawModule, RawPlan,
    RawStateResource, RawStateValues,
};
use crate::identity::ResourceId;
use crate::observation::{Observation, Refresh, SourceInfo};
use crate::origin::Origin;
use crate::state::IamState;
use serde_json::value::RawValue;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::Ordering;

type HashSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// What the plan says about itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanInfo {
    pub format_version: Option<String>,
    pub terraform_version: Option<String>,
    /// How many resource changes of supported IAM types the plan holds.
    pub iam_resources: usize,
    /// `false` when Terraform deferred changes (none of them IAM) to a later plan.
    pub complete: bool,
    /// The parts are a state's (what Terraform manages now), not a plan's.
    pub from_state: bool,
}

/// A plan read into state, by account: a plan whose `aws` provider
/// configurations work in several accounts has a part for each.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub info: PlanInfo,
    /// The first part is the root module's default configuration's (`aws`),
    /// possibly empty; the others are of other accounts, or of
    /// configurations whose account cannot be told.
    pub parts: Vec<Part>,
    /// Every `aws` provider configuration the plan names.
    pub provider_keys: BTreeSet<String>,
}

/// The resources of one account of a plan.
#[derive(Debug, Clone, Default)]
pub struct Part {
    pub provider: Provider,
    /// The state the plan leaves behind (for the resources it manages).
    pub state: IamState,
    /// What Terraform's refresh saw change outside Terraform (`resource_drift`),
    /// only resources with real differences, and the fields that really changed.
    pub refresh: Refresh,
    /// Where each resource of the part is (changes, and changes outside
    /// Terraform), for what is said of a part no baseline judges.
    pub resources: Vec<Origin>,
}

impl Plan {
    /// The parts that hold a resource; the default part when none does.
    pub fn into_parts(self) -> Vec<Part> {
        let mut parts = self.parts;
        if parts.len() > 1 {
            let first = parts.remove(0);
            parts.retain(|p| !p.is_empty());
            if !first.is_empty() || parts.is_empty() {
                parts.insert(0, first);
            }
        }
        parts
    }
}

impl Part {
    fn is_empty(&self) -> bool {
        self.resources.is_empty() && self.refresh.fields.is_empty()
    }

    /// The part as the engine judges it; `path` names the plan or state file.
    pub fn into_observation(self, info: &PlanInfo, path: &str) -> Observation {
        Observation {
            info: SourceInfo {
                kind: if info.from_state { "state" } else { "plan" },
                path: Some(path.to_string()),
                terraform_version: info.terraform_version.clone(),
                format_version: info.format_version.clone(),
                credential_report: None,
                account: self.provider.account.clone(),
            },
            state: self.state,
            // A state holds no refresh: what it holds is the refreshed value.
            refresh: (!info.from_state).then_some(self.refresh),
            reads_account: false,
            complete: info.complete,
        }
    }
}

impl Default for Provider {
    fn default() -> Self {
        Provider {
            keys: vec![DEFAULT_PROVIDER.to_string()],
            account: None,
            basis: String::new(),
            default: true,
            ambient: true,
        }
    }
}

/// A JSON string kept as raw text, decoded only when it holds an escape.
fn decoded(raw: &RawValue) -> Result<Cow<'_, str>, PlanError> {
    let text = raw.get();
    match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        Some(inner) if !inner.contains('\\') => Ok(Cow::Borrowed(inner)),
        _ => json_string(raw).map(Cow::Owned),
    }
}

/// IAM resource types the AWS provider also has as data sources.
const DATA_SOURCES: &[&str] = &[
    "aws_iam_account_alias",
    "aws_iam_group",
    "aws_iam_instance_profile",
    "aws_iam_openid_connect_provider",
    "aws_iam_policy",
    "aws_iam_role",
    "aws_iam_saml_provider",
    "aws_iam_user",
    "aws_iam_user_ssh_key",
];

/// The plan's parts agree on its IAM resources: every change in
/// `resource_changes` that leaves a resource is in `planned_values`, a data
/// source only reads (an IAM write marked `mode: data` would be skipped).
/// (A key written twice in the values drift reads is an error of the reader
/// itself.) Returns `planned_values`, whose resources without a change are
/// judged as planned (a change taken out, or no `resource_changes` at all,
/// hides nothing).
fn consistent<'p, 'a>(raw: &'p RawPlan<'a>) -> Result<Option<Planned<'p, 'a>>, PlanError> {
    let inconsistent = |why: String| Err(PlanError::Inconsistent(why));
    // Addresses as JSON text: Terraform writes both parts with one encoder,
    // so the text matches; an address spelled with other escapes is
    // compared decoded.
    let changes = raw.resource_changes.as_deref().unwrap_or(&[]);
    let mut changed: HashSet<&str> =
        HashSet::with_capacity_and_hasher(changes.len(), Default::default());
    let mut removed: HashSet<&str> = HashSet::default();
    for rc in changes {
        if !is_supported(&rc.ty) {
            continue;
        }
        if rc.mode.as_deref() == Some("data") {
            if !DATA_SOURCES.contains(&rc.ty.as_ref()) {
                return inconsistent(format!(
                    "`{}` is marked `mode: data`, but the AWS provider has no `{}` data source",
                    address_of(rc),
                    rc.ty
                ));
            }
            if let Some(a) = rc
                .change
                .actions
                .iter()
                .find(|a| *a != "read" && *a != "no-op")
            {
                return inconsistent(format!(
                    "data source `{}` plans `{a}`: a data source is only read",
                    address_of(rc)
                ));
            }
            continue;
        }
        if rc.mode.as_deref().is_some_and(|m| m != "managed") {
            continue;
        }
        let gone = is_delete(&rc.change.actions) || rc.change.actions.iter().any(|a| a == "forget");
        if let (None, Some(a)) = (&rc.deposed, rc.address) {
            if gone {
                removed.insert(a.get());
            } else {
                changed.insert(a.get());
            }
        }
    }
    let Some(values) = &raw.planned_values else {
        return Ok(None);
    };
    let decode = |text: &str| serde_json::from_str::<String>(text).map_err(|e| json_error(&e));
    let mut pending: HashSet<&str> = changed.clone();
    let mut unchanged: HashSet<String> = HashSet::default();
    // Built only when a text misses: decoded addresses of the changes.
    let mut by_meaning: Option<(HashMap<String, &str>, HashSet<String>)> = None;
    let mut stack: Vec<&RawModule> = values.root_module.iter().collect();
    while let Some(module) = stack.pop() {
        stack.extend(module.child_modules.iter());
        for res in &module.resources {
            if res.mode.as_deref().is_some_and(|m| m != "managed") || !is_supported(&res.ty) {
                continue;
            }
            let text = res.address.get();
            if changed.contains(text) {
                pending.remove(text);
                continue;
            }
            let address = decode(text)?;
            if by_meaning.is_none() {
                let mut kept = HashMap::default();
                for t in &changed {
                    kept.insert(decode(t)?, *t);
                }
                let gone = removed
                    .iter()
                    .map(|t| decode(t))
                    .collect::<Result<_, _>>()?;
                by_meaning = Some((kept, gone));
            }
            let Some((kept, gone)) = &by_meaning else {
                continue;
            };
            if let Some(t) = kept.get(&address) {
                pending.remove(t);
            } else if gone.contains(&address) {
                return inconsistent(format!(
                    "`resource_changes` deletes `{address}`, which `planned_values` still holds"
                ));
            } else {
                unchanged.insert(address);
            }
        }
    }
    if let Some(missing) = pending.iter().next() {
        return inconsistent(format!(
            "`resource_changes` plans `{}`, which `planned_values` does not hold",
            decode(missing)?
        ));
    }
    Ok(Some(Planned { values, unchanged }))
}

/// `planned_values`, and the IAM resources it holds that `resource_changes`
/// has no change for (decoded addresses).
struct Planned<'p, 'a> {
    values: &'p RawStateValues<'a>,
    unchanged: HashSet<String>,
}

/// An IAM resource of a module tree (`planned_values` or `prior_state`):
/// its module, itself, and its address decoded.
type Found<'p, 'a> = (&'p RawModule<'a>, &'p RawStateResource<'a>, String);

/// The IAM resources of a module tree that no change of the plan gave
/// (`seen`), of `only` when given, each address once, in the tree's order;
/// then the error of the first address that cannot be read, if one cannot
/// (said when the resources before it have been applied, as in one pass).
struct Unseen<'p, 'a> {
    found: Vec<Found<'p, 'a>>,
    then: Option<PlanError>,
}

fn unseen<'p, 'a>(
    root: Option<&'p RawModule<'a>>,
    only: Option<&HashSet<String>>,
    seen: &HashSet<String>,
) -> Unseen<'p, 'a> {
    let mut found = Vec::new();
    let mut taken: HashSet<String> = HashSet::default();
    let mut stack: Vec<&RawModule> = root.into_iter().collect();
    while let Some(module) = stack.pop() {
        stack.extend(module.child_modules.iter());
        for res in &module.resources {
            if res.mode.as_deref().is_some_and(|m| m != "managed") || !is_supported(&res.ty) {
                continue;
            }
            let address = match decoded(res.address) {
                Ok(a) => a,
                Err(e) => {
                    return Unseen {
                        found,
                        then: Some(e),
                    }
                }
            };
            if seen.contains(address.as_ref())
                || only.is_some_and(|o| !o.contains(address.as_ref()))
                || taken.contains(address.as_ref())
            {
                continue;
            }
            let address = address.into_owned();
            taken.insert(address.clone());
            found.push((module, res, address));
        }
    }
    Unseen { found, then: None }
}

/// Applies resources of a module tree as `actions`, but those an earlier
/// part of the plan gave (`seen`, which each one joins); then says the
/// error that ended the search, if one did.
fn apply_found(
    unseen: Unseen,
    actions: &str,
    seen: &mut HashSet<String>,
    parts: &mut Parts,
    plan: &mut Plan,
) -> Result<(), PlanError> {
    for (module, res, address) in unseen.found {
        if seen.contains(&address) {
            continue;
        }
        seen.insert(address.clone());
        let values = parse_attributes(res.values, &res.ty)?;
        let sensitive: Option<Value> = match res.sensitive_values {
            Some(v) => Some(serde_json::from_str(v.get()).map_err(|e| json_error(&e))?),
            None => None,
        };
        let change = Change {
            actions: vec![actions.to_string()],
            before: None,
            after: values,
            after_unknown: None,
            before_sensitive: None,
            after_sensitive: sensitive,
        };
        plan.info.iam_resources += 1;
        let at = At {
            module: module.address.as_deref().unwrap_or(""),
            name: res.name.as_deref().unwrap_or(""),
            index: res.index.map(RawValue::get),
        };
        let origin = Origin::plan(address, &[actions]);
        let g = parts.group(at.module, &res.ty, at.name, &origin);
        parts.builders[g].apply(&res.ty, &change, origin, at);
    }
    unseen.then.map_or(Ok(()), Err)
}

/// The builders of a plan's parts, one per account (one in all for a plan
/// of one account).
struct Parts {
    routing: super::providers::Routing,
    builders: Vec<Builder>,
    refresh: Vec<Builder>,
    resources: Vec<Vec<Origin>>,
}

impl Parts {
    /// The part of a resource; its origin is kept, for what is said of a part
    /// no baseline judges (with `--accounts`, even a plan of one account's
    /// part may be one).
    fn group(&mut self, module: &str, ty: &str, name: &str, origin: &Origin) -> usize {
        let g = self.routing.group_of(module, ty, name);
        while self.builders.len() <= g {
            self.builders.push(Builder::default());
            self.refresh.push(Builder::tracking_objects());
            self.resources.push(Vec::new());
        }
        self.resources[g].push(origin.clone());
        g
    }
}

/// A plan that is not complete: an error when any deferred change is of an IAM
/// type, or when the plan does not say what it deferred (fail closed).
fn check_deferred(raw: &RawPlan) -> Result<(), PlanError> {
    if raw.deferred_changes.is_empty() {
        return Err(PlanError::Deferred(vec![
            "(the plan says it is not complete but lists no deferred change)".to_string(),
        ]));
    }
    let iam: Vec<String> = raw
        .deferred_changes
        .iter()
        .filter_map(|d| {
            let rc = d.resource_change.as_ref();
            let ty = rc.and_then(|c| c.ty.as_deref());
            // A deferral that does not name its type may be IAM.
            if ty.is_some_and(|t| !t.starts_with("aws_iam_")) {
                return None;
            }
            let address = rc
                .and_then(|c| c.address.as_deref())
                .unwrap_or("(a resource without an address)");
            Some(match &d.reason {
                Some(reason) => format!("{address} ({reason})"),
                None => address.to_string(),
            })
        })
        .collect();
    if iam.is_empty() {
        Ok(())
    } else {
        Err(PlanError::Deferred(iam))
    }
}

/// A change decoded: what drift reads of it, its address, and the policy
/// documents its values hold, when they were read ahead.
struct Decoded<'r, 'a> {
    rc: &'r RawChange<'a>,
    change: Change,
    address: String,
    documents: Vec<(String, Option<crate::policy_doc::PolicyDoc>)>,
}

fn decode_change<'r, 'a>(
    rc: &'r RawChange<'a>,
    documents: Option<&mut DocCache>,
) -> Result<Decoded<'r, 'a>, PlanError> {
    let change = rc.change.parse(false, &rc.ty)?;
    // Decoded once, for the origin and for the addresses seen.
    let address = match rc.address {
        Some(a) => json_string(a)?,
        None => address_of(rc),
    };
    let documents = documents.map_or_else(Vec::new, |d| d.read_ahead(change.after.as_ref()));
    Ok(Decoded {
        rc,
        change,
        address,
        documents,
    })
}

/// The plan's parts built from its decoded changes, as `rx` gives them; the
/// first change that cannot be read stops it (its error is the decoder's).
/// Its provider configurations are routed meanwhile.
fn build_changes<'r, 'a>(
    raw: &RawPlan,
    given: &ProviderAccounts,
    rx: &std::sync::mpsc::Receiver<Result<Vec<Decoded<'r, 'a>>, PlanError>>,
    waiting: &std::sync::atomic::AtomicUsize,
    back: std::sync::mpsc::Sender<Vec<Decoded<'r, 'a>>>,
    seen: &mut HashSet<String>,
) -> Result<(Parts, Plan), PlanError> {
    let mut plan = Plan {
        info: PlanInfo {
            format_version: raw.format_version.clone(),
            terraform_version: raw.terraform_version.clone(),
            iam_resources: 0,
            complete: raw.complete != Some(false),
            from_state: false,
        },
        ..Plan::default()
    };
    let routing = route(raw.configuration, raw.variables, given)?;
    plan.provider_keys = routing.keys.clone();
    let mut decode_error = None;
    let mut p = Parts {
        routing,
        builders: Vec::new(),
        refresh: Vec::new(),
        resources: Vec::new(),
    };
    for _ in 0..p.routing.providers.len() {
        p.builders.push(Builder::default());
        p.refresh.push(Builder::tracking_objects());
        p.resources.push(Vec::new());
    }
    for batch in rx {
        waiting.fetch_sub(1, Ordering::AcqRel);
        let mut batch = match batch {
            Ok(b) => b,
            Err(e) => {
                decode_error = Some(e);
                break;
            }
        };
        for &mut Decoded {
            rc,
            ref change,
            ref address,
            ref mut documents,
        } in &mut batch
        {
            plan.info.iam_resources += 1;
            let actions: Vec<&str> = change.actions.iter().map(String::as_str).collect();
            let origin = Origin::plan(address, &actions);
            let at = At {
                module: rc.module_address.as_deref().unwrap_or(""),
                name: &rc.name,
                index: rc.index.map(RawValue::get),
            };
            let g = p.group(at.module, &rc.ty, at.name, &origin);
            p.builders[g].documents_read(std::mem::take(documents));
            p.builders[g].apply(&rc.ty, change, origin, at);
            if rc.address.is_some() {
                seen.insert(address.clone());
            }
        }
        // The decoder has stopped only when this run has failed.
        let _ = back.send(batch);
    }
    match decode_error {
        Some(e) => Err(e),
        None => Ok((p, plan)),
    }
}

/// Reads a plan.
pub fn read(bytes: &[u8]) -> Result<Plan, PlanError> {
    read_with(bytes, &ProviderAccounts::new())
}

/// Reads a plan, with the accounts of provider configurations the command
/// line gives.
pub fn read_with(bytes: &[u8], given: &ProviderAccounts) -> Result<Plan, PlanError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(PlanError::Empty);
    }
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if first != Some(b'{') && is_wrapper_output(bytes) {
        return Err(PlanError::Wrapper);
    }
    if first != Some(b'{') {
        // Parse anyway for a located error, then fall back to a plain one.
        if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
            return Err(json_error(&e));
        }
        return Err(PlanError::NotAPlan(
            "the top level is not a JSON object".to_string(),
        ));
    }
    let raw: RawPlan = super::wire::from_file(bytes).map_err(|e| {
        if is_wrapper_output(bytes) {
            PlanError::Wrapper
        } else {
            json_error(&e)
        }
    })?;
    if let Some(v) = &raw.format_version {
        let major = v.split('.').next().unwrap_or("");
        if major != "0" && major != "1" {
            return Err(PlanError::UnsupportedFormat(v.clone()));
        }
    }
    if raw.errored == Some(true) {
        return Err(PlanError::Errored);
    }
    if raw.complete == Some(false) {
        check_deferred(&raw)?;
    }
    if raw.resource_changes.is_none()
        && raw.planned_values.is_none()
        && (raw.values.is_some() || raw.resources.is_some())
    {
        return Err(PlanError::WrongKind { is_state: true });
    }
    if raw.resource_changes.is_none() && raw.planned_values.is_none() {
        return Err(PlanError::NotAPlan(
            "it has neither `resource_changes` nor `planned_values` (a state file, or `terraform show -json` without a plan?)"
                .to_string(),
        ));
    }
    // Deletions first: when one address deletes an object and another creates it
    // (a refactor without a `moved` block), the object the plan leaves is the
    // created one, whatever the order of the addresses in the plan.
    let (deletions, others): (Vec<&RawChange>, Vec<&RawChange>) = raw
        .resource_changes
        .as_deref()
        .unwrap_or(&[])
        .iter()
        .filter(|rc| rc.mode.as_deref().is_none_or(|m| m == "managed") && is_supported(&rc.ty))
        // A deposed object is a leftover, not the current object.
        .filter(|rc| rc.deposed.is_none())
        .partition(|rc| is_delete(&rc.change.actions));
    let changes: Vec<&RawChange> = deletions.into_iter().chain(others).collect();
    // Addresses as text: `"a\u0062"` and `"ab"` are one address.
    let mut seen: HashSet<String> =
        HashSet::with_capacity_and_hasher(changes.len(), Default::default());
    // Two threads: one decodes the changes, in order, then checks the plan's
    // two views against each other; this one builds the state from what is
    // decoded, a batch at a time (a few changes are held at once, not all).
    // What is said is what one thread would say: the check's error first,
    // then the routing's, then the first change that cannot be read.
    // `waiting`: batches decoded and not yet taken by the builder.
    let waiting = std::sync::atomic::AtomicUsize::new(0);
    let (planned, mut parts, mut plan, prior) = std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Vec<Decoded>, PlanError>>(8);
        // Batches come back to be freed where they were made: a value freed
        // by another thread than its own costs several times more.
        let (back_tx, back_rx) = std::sync::mpsc::channel::<Vec<Decoded>>();
        let raw = &raw;
        let waiting = &waiting;
        let worker = scope.spawn(move || {
            let mut documents = DocCache::default();
            for batch in changes.chunks(64) {
                // Documents are read here only while the builder is behind
                // (two batches wait for it); else the builder reads them. The
                // same documents are read either way.
                let ahead = waiting.load(Ordering::Acquire) >= 2;
                let decoded: Result<Vec<Decoded>, PlanError> = batch
                    .iter()
                    .map(|rc| decode_change(rc, ahead.then_some(&mut documents)))
                    .collect();
                let failed = decoded.is_err();
                waiting.fetch_add(1, Ordering::AcqRel);
                if tx.send(decoded).is_err() || failed {
                    break;
                }
                while let Ok(done) = back_rx.try_recv() {
                    drop(done);
                }
            }
            drop(tx);
            let planned = consistent(raw);
            for done in back_rx {
                drop(done);
            }
            planned
        });
        let built = build_changes(raw, given, &rx, waiting, back_tx, &mut seen);
        drop(rx);
        // What `prior_state` adds is found while the check runs; it is
        // applied after what `planned_values` adds.
        let prior_root = raw
            .prior_state
            .as_ref()
            .and_then(|p| p.values.as_ref())
            .and_then(|v| v.root_module.as_ref());
        let prior = unseen(prior_root, None, &seen);
        let planned = worker
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p))?;
        let (parts, plan) = built?;
        Ok::<_, PlanError>((planned, parts, plan, prior))
    })?;
    // An IAM resource `planned_values` holds without a change in
    // `resource_changes` (an edited or trimmed plan) is judged as planned:
    // its planned values, not the state before the plan.
    if let Some(p) = planned.as_ref().filter(|p| !p.unchanged.is_empty()) {
        let root = p.values.root_module.as_ref();
        let found = unseen(root, Some(&p.unchanged), &seen);
        apply_found(found, "planned", &mut seen, &mut parts, &mut plan)?;
    }
    apply_found(prior, "no-op", &mut seen, &mut parts, &mut plan)?;
    let mut fields: Vec<BTreeMap<ResourceId, BTreeSet<String>>> = Vec::new();
    for rc in &raw.resource_drift {
        if rc.mode.as_deref().is_some_and(|m| m != "managed") || !is_supported(&rc.ty) {
            continue;
        }
        let change = rc.change.parse(true, &rc.ty)?;
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
        let at = At {
            module: rc.module_address.as_deref().unwrap_or(""),
            name: &rc.name,
            index: rc.index.map(RawValue::get),
        };
        let origin = Origin::Refresh { address };
        let g = parts.group(at.module, &rc.ty, at.name, &origin);
        let refresh = &mut parts.refresh[g];
        refresh.apply(&rc.ty, &change, origin, at);
        if let Some(key) = refresh.last_object.take() {
            fields.resize_with(fields.len().max(g + 1), BTreeMap::new);
            fields[g].entry(key).or_default().extend(
                changed
                    .iter()
                    .flat_map(|a| finding_fields(a))
                    .map(str::to_string),
            );
        }
    }
    let config = if parts.builders.iter().any(Builder::needs_configuration) {
        raw.configuration.map(Config::read).transpose()?
    } else {
        None
    };
    fields.resize_with(parts.builders.len(), BTreeMap::new);
    let Parts {
        routing,
        builders,
        refresh,
        resources,
    } = parts;
    for ((((mut builder, refresh), resources), fields), provider) in builders
        .into_iter()
        .zip(refresh)
        .zip(resources)
        .zip(fields)
        .zip(routing.providers)
    {
        if builder.needs_configuration() {
            builder.resolve(config.as_ref());
            builder.reset_omitted(config.as_ref());
        }
        builder.finish();
        plan.parts.push(Part {
            provider,
            state: builder.state,
            refresh: Refresh {
                state: refresh.state,
                fields,
            },
            resources,
        });
    }
    // The default configuration's part first.
    if let Some(i) = plan.parts.iter().position(|p| p.provider.default) {
        let first = plan.parts.remove(i);
        plan.parts.insert(0, first);
    }
    Ok(plan)
}
