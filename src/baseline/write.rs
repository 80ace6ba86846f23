//! Writes a baseline from observed state (`drift init`).
//!
//! Only what the source knows is written: a value known only after apply is
//! left out (not guarded), and so are objects whose name is not known yet.
//! What the source read as empty is written as empty (`managed_policies: []`,
//! `inline_policies: {}`, `groups: []`, keys `[]`, `console_access: false`) for
//! every object the source knows itself (a plan or state resource of the user,
//! group or role), so that anything added later is drift. A
//! value the source marks sensitive is left out too, and the header says which.

use crate::state::*;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Serialize, Clone, PartialEq)]
struct Out {
    version: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    account: Option<AccountOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    password_policy: Option<BTreeMap<&'static str, Value>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    users: BTreeMap<String, BTreeMap<&'static str, Value>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    groups: BTreeMap<String, BTreeMap<&'static str, Value>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    roles: BTreeMap<String, BTreeMap<&'static str, Value>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    instance_profiles: BTreeMap<String, BTreeMap<&'static str, Value>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    policies: BTreeMap<String, BTreeMap<&'static str, Value>>,
    #[serde(skip_serializing_if = "ProvidersOut::is_empty")]
    identity_providers: ProvidersOut,
    /// `None` in an account's own file: the shared file holds the settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    settings: Option<SettingsOut>,
}

impl Out {
    /// A baseline with `account` and `password_policy`, no object and no
    /// settings.
    fn new(
        account: Option<AccountOut>,
        password_policy: Option<BTreeMap<&'static str, Value>>,
    ) -> Out {
        Out {
            version: 1,
            account,
            password_policy,
            users: BTreeMap::new(),
            groups: BTreeMap::new(),
            roles: BTreeMap::new(),
            instance_profiles: BTreeMap::new(),
            policies: BTreeMap::new(),
            identity_providers: ProvidersOut::default(),
            settings: None,
        }
    }
}

#[derive(Serialize, Clone, PartialEq)]
struct AccountOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alias: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    root: Option<RootOut>,
}

#[derive(Serialize, Clone, PartialEq)]
struct RootOut {
    access_keys: bool,
    mfa: &'static str,
}

#[derive(Serialize, Default, Clone, PartialEq)]
struct ProvidersOut {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    oidc: BTreeMap<String, BTreeMap<&'static str, Value>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    saml: BTreeMap<String, BTreeMap<&'static str, Value>>,
}

impl ProvidersOut {
    fn is_empty(&self) -> bool {
        self.oidc.is_empty() && self.saml.is_empty()
    }
}

/// `ssh_public_keys` or `access_keys`: each known key with its status. `None`
/// when the source does not know every key.
fn key_list<'a>(
    items: impl Iterator<Item = (&'a String, Option<&'a str>)>,
    at: &str,
    left_out: &mut LeftOut,
) -> Value {
    let list = items
        .map(|(id, status)| {
            let mut e = serde_json::Map::new();
            e.insert("id".into(), Value::String(id.clone()));
            match status {
                Some(s @ ("Active" | "Inactive")) => {
                    e.insert("status".into(), Value::String(s.to_string()));
                }
                // The id alone still guards the key's existence.
                Some(other) => left_out.push((
                    format!("{at}.{id}.status"),
                    Some(format!("`{other}` is neither Active nor Inactive")),
                )),
                None => {}
            }
            Value::Object(e)
        })
        .collect();
    Value::Array(list)
}

#[derive(Serialize, Clone, PartialEq)]
struct SettingsOut {
    unmanaged: &'static str,
    provisioned: &'static str,
}

fn names(set: &NameSet) -> Value {
    Value::Array(
        set.present_names()
            .map(|n| Value::String(n.to_string()))
            .collect(),
    )
}

/// What users, groups and roles share. A field with a sensitive part is added
/// to `marked`, to be left out whole.
fn principal(
    p: &Principal,
    unknown: &BTreeSet<&str>,
    marked: &mut BTreeSet<&'static str>,
    out: &mut BTreeMap<&'static str, Value>,
) {
    if let (Some(path), false) = (&p.path, unknown.contains("path")) {
        out.insert("path", Value::String(path.clone()));
    }
    match &p.managed_policies {
        Some(set) if set.unknown.is_empty() => {
            out.insert("managed_policies", names(set));
        }
        // The object is known and nothing is attached to it: none.
        None if p.managed => {
            out.insert("managed_policies", Value::Array(Vec::new()));
        }
        _ => {}
    }
    if p.inline_policies.is_none() && p.managed {
        out.insert("inline_policies", Value::Object(serde_json::Map::new()));
    }
    if let Some(docs) = &p.inline_policies {
        if docs.unknown.is_empty() {
            if docs.items.values().any(|o| o.sensitive.contains("policy")) {
                marked.insert("inline_policies");
            }
            let map: serde_json::Map<String, Value> = docs
                .items
                .iter()
                .filter(|(_, o)| !o.unknown.contains("policy"))
                .filter_map(|(n, o)| o.value.as_ref().map(|d| (n.clone(), d.value())))
                .collect();
            out.insert("inline_policies", Value::Object(map));
        }
    }
    if let (Some(b), false) = (
        &p.permissions_boundary,
        unknown.contains("permissions_boundary"),
    ) {
        out.insert(
            "permissions_boundary",
            b.clone().map_or(Value::Null, Value::String),
        );
    }
    if let (Some(tags), false) = (
        &p.tags,
        unknown.contains("tags") || unknown.contains("tags"),
    ) {
        if !tags.is_empty() {
            out.insert(
                "tags",
                Value::Object(
                    tags.iter()
                        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                        .collect(),
                ),
            );
        }
    }
}

/// Whether a value holds one of the source's sensitive values.
fn holds_secret(v: &Value, secrets: &BTreeSet<String>) -> bool {
    match v {
        Value::String(s) => secrets.iter().any(|secret| {
            secret.chars().count() >= 3 && s.contains(secret.as_str()) || s == secret
        }),
        Value::Array(items) => items.iter().any(|i| holds_secret(i, secrets)),
        Value::Object(m) => m.iter().any(|(k, i)| {
            holds_secret(&Value::String(k.clone()), secrets) || holds_secret(i, secrets)
        }),
        _ => false,
    }
}

/// Why a value cannot stand in a baseline (`drift validate` would reject it).
fn unfit(field: &str, v: &Value) -> Option<String> {
    match (field, v) {
        ("id", Value::String(s)) if s.is_empty() => Some("an empty id".to_string()),
        ("path", Value::String(p)) if !(p.starts_with('/') && p.ends_with('/')) => {
            Some(format!("`{p}` is not an IAM path"))
        }
        ("max_session_duration", Value::Number(n))
            if !n.as_u64().is_some_and(|n| (3600..=43200).contains(&n)) =>
        {
            Some(format!("{n} is outside 3600..=43200"))
        }
        ("assume_role_policy" | "document", Value::Object(m))
            if m.contains_key("(not a valid policy document)") =>
        {
            Some("not a valid policy document".to_string())
        }
        ("inline_policies", Value::Object(m))
            if m.values()
                .any(|d| d.get("(not a valid policy document)").is_some()) =>
        {
            Some("one is not a valid policy document".to_string())
        }
        (f, Value::Number(n)) => PpField::from_name(f)
            .and_then(PpField::range)
            .filter(|(lo, hi)| {
                !n.as_u64()
                    .is_some_and(|n| n >= u64::from(*lo) && n <= u64::from(*hi))
            })
            .map(|(lo, hi)| format!("{n} is outside {lo}..={hi}")),
        _ => None,
    }
}

/// What was left out of the baseline: `SECTION.NAME.FIELD`, and why when it is
/// not sensitive (a value the baseline format cannot hold).
type LeftOut = Vec<(String, Option<String>)>;

/// Removes the fields of an object that are marked sensitive (`marked`), hold a
/// sensitive value, or cannot stand in a baseline.
fn leave_out(
    section: &str,
    name: &str,
    fields: &mut BTreeMap<&'static str, Value>,
    marked: &BTreeSet<&'static str>,
    secrets: &BTreeSet<String>,
) -> LeftOut {
    let gone: Vec<(&'static str, Option<String>)> = fields
        .iter()
        .filter_map(|(k, v)| {
            if marked.contains(*k) || holds_secret(v, secrets) {
                Some((*k, None))
            } else {
                unfit(k, v).map(|why| (*k, Some(why)))
            }
        })
        .collect();
    gone.into_iter()
        .map(|(k, why)| {
            fields.remove(k);
            let at = if name.is_empty() {
                format!("{section}.{k}")
            } else {
                format!("{section}.{name}.{k}")
            };
            (at, why)
        })
        .collect()
}

/// The baseline YAML for a state.
pub fn from_state(state: &IamState, header: &str) -> Result<String, String> {
    let (out, left_out) = build(state);
    let account = state.account_id.as_deref().unwrap_or("123456789012");
    render(&out, &left_out, header, Some(account))
}

/// The baselines of several accounts: a shared file with what all of them
/// hold alike (the password policy, the root user's settings, each object
/// declared the same way in every account) and the settings, and one file per
/// account with the rest, each with its header. Merged, the shared file and
/// an account's own give that account's whole baseline.
pub fn shared_and_own(
    states: &[&IamState],
    shared_header: &str,
    own_headers: &[String],
) -> Result<(String, Vec<String>), String> {
    let built: Vec<(Out, LeftOut)> = states.iter().map(|s| build(s)).collect();
    let mut outs: Vec<Out> = built.iter().map(|(o, _)| o.clone()).collect();
    let mut shared = Out::new(None, None);
    if let Some(first) = outs.first().cloned() {
        shared.settings.clone_from(&first.settings);
        let policy = first.password_policy.clone();
        if policy.is_some() && outs.iter().all(|o| o.password_policy == policy) {
            shared.password_policy = policy;
            outs.iter_mut().for_each(|o| o.password_policy = None);
        }
        let root = first.account.as_ref().and_then(|a| a.root.clone());
        if root.is_some()
            && outs
                .iter()
                .all(|o| o.account.as_ref().and_then(|a| a.root.clone()) == root)
        {
            shared.account = Some(AccountOut {
                id: None,
                alias: None,
                root,
            });
            for o in &mut outs {
                if let Some(a) = &mut o.account {
                    a.root = None;
                }
            }
        }
    }
    common(&mut outs, &mut shared, |o| &mut o.users);
    common(&mut outs, &mut shared, |o| &mut o.groups);
    common(&mut outs, &mut shared, |o| &mut o.roles);
    common(&mut outs, &mut shared, |o| &mut o.instance_profiles);
    common(&mut outs, &mut shared, |o| &mut o.policies);
    common(&mut outs, &mut shared, |o| &mut o.identity_providers.oidc);
    common(&mut outs, &mut shared, |o| &mut o.identity_providers.saml);
    // The guardrails to adapt are the shared file's: every account's.
    let rails = states.first().and_then(|s| s.account_id.as_deref());
    let shared_text = render(
        &shared,
        &Vec::new(),
        shared_header,
        Some(rails.unwrap_or("123456789012")),
    )?;
    let mut own = Vec::new();
    for ((mut out, (_, left_out)), header) in outs.into_iter().zip(&built).zip(own_headers) {
        out.settings = None;
        own.push(render(&out, left_out, header, None)?);
    }
    Ok((shared_text, own))
}

/// Moves the objects every account declares the same way to `shared`.
fn common(
    outs: &mut [Out],
    shared: &mut Out,
    map: fn(&mut Out) -> &mut BTreeMap<String, BTreeMap<&'static str, Value>>,
) {
    let Some((first, rest)) = outs.split_first_mut() else {
        return;
    };
    let alike: Vec<String> = map(first)
        .iter()
        .filter(|(name, entry)| rest.iter_mut().all(|o| map(o).get(*name) == Some(entry)))
        .map(|(name, _)| name.clone())
        .collect();
    for name in alike {
        let mut entry = None;
        for o in outs.iter_mut() {
            entry = map(o).remove(&name);
        }
        if let Some(entry) = entry {
            map(shared).insert(name, entry);
        }
    }
}

/// What a state's baseline holds, and what was left out of it.
fn build(state: &IamState) -> (Out, LeftOut) {
    let account = match (
        &state.account_id,
        state.account_alias.as_ref().and_then(|a| a.value.clone()),
    ) {
        (None, None) => None,
        (id, alias) => Some(AccountOut {
            // Only what `account.id` and `account.alias` accept.
            id: id
                .clone()
                .filter(|i| i.len() == 12 && i.bytes().all(|b| b.is_ascii_digit())),
            alias: alias.filter(|a| !a.is_empty()),
            root: None,
        }),
    };
    let root = state
        .root
        .as_ref()
        .and_then(|o| o.value.as_ref())
        .map(|r| RootOut {
            access_keys: r.active_keys > 0,
            mfa: if r.mfa { "required" } else { "optional" },
        });
    let account = match (account, root) {
        (Some(mut a), root) => {
            a.root = root;
            Some(a)
        }
        (None, Some(root)) => Some(AccountOut {
            id: None,
            alias: None,
            root: Some(root),
        }),
        (None, None) => None,
    };
    let secrets = &state.secrets;
    let mut left_out: LeftOut = Vec::new();
    let password_policy = state.password_policy.as_ref().and_then(|o| {
        let policy = o.value.as_ref()?;
        Some(
            PpField::ALL
                .iter()
                .filter(|f| !o.unknown.contains(f.name()))
                .filter_map(|f| {
                    let v = policy.values.get(f).copied();
                    match (f.range(), v) {
                        // A number AWS does not hold is not guarded (0: "not set").
                        (Some(_), Some(PpValue::Num(0)) | None) => None,
                        (_, Some(v)) => Some((f.name(), v.to_json())),
                        (None, None) => Some((f.name(), Value::Bool(false))),
                    }
                })
                .collect(),
        )
    });
    let mut out = Out::new(account, password_policy);
    out.settings = Some(SettingsOut {
        unmanaged: "report",
        provisioned: "report",
    });
    for (name, obj) in &state.users.items {
        let Some(u) = &obj.value else { continue };
        let mut m = BTreeMap::new();
        if let Some(id) = &u.principal.id {
            m.insert("id", Value::String(id.clone()));
        }
        let mut marked = obj.sensitive.clone();
        principal(&u.principal, &obj.unknown, &mut marked, &mut m);
        let known = u.principal.managed;
        let none = || Value::Array(Vec::new());
        match &u.groups {
            Some(groups) if groups.unknown.is_empty() => {
                m.insert("groups", names(groups));
            }
            None if known => {
                m.insert("groups", none());
            }
            _ => {}
        }
        if known && u.ssh_keys.is_none() {
            m.insert("ssh_public_keys", none());
        }
        if known && u.access_keys.is_none() {
            m.insert("access_keys", none());
        }
        if known && u.login_profile.is_none() && !obj.unknown.contains("login_profile") {
            m.insert("console_access", Value::Bool(false));
        }
        if let Some(keys) = &u.ssh_keys {
            if keys.unknown.is_empty() {
                let items = keys.items.iter().filter_map(|(id, k)| {
                    let key = k.value.as_ref()?;
                    Some((id, key.status.as_deref()))
                });
                let at = format!("users.{name}.ssh_public_keys");
                m.insert("ssh_public_keys", key_list(items, &at, &mut left_out));
            }
        }
        if let Some(keys) = &u.access_keys {
            // Keys whose id is known only after apply cannot be declared yet.
            if keys.unknown.is_empty() {
                let at = format!("users.{name}.access_keys");
                let mut items = Vec::new();
                for (id, k) in &keys.items {
                    let Some(key) = k.value.as_ref() else {
                        continue;
                    };
                    // An id a baseline cannot hold is left out (and said):
                    // a later check reports that key as undeclared.
                    if !crate::baseline::is_access_key_id(id) {
                        left_out.push((format!("{at}.{id}"), Some("not an access key id".into())));
                        continue;
                    }
                    let status = (!k.unknown.contains("status"))
                        .then_some(key.status.as_deref())
                        .flatten();
                    items.push((id, status));
                }
                m.insert(
                    "access_keys",
                    key_list(items.into_iter(), &at, &mut left_out),
                );
            }
        }
        if let Some(lp) = &u.login_profile {
            if !lp.unknown.contains("login_profile") {
                m.insert("console_access", Value::Bool(lp.value.is_some()));
            }
        }
        if let Some(n) = u.mfa_devices {
            m.insert(
                "mfa",
                Value::String(if n > 0 { "required" } else { "optional" }.into()),
            );
        }
        m.retain(|k, _| crate::baseline::KEYS.user.contains(k));
        left_out.extend(leave_out("users", name, &mut m, &marked, secrets));
        out.users.insert(name.clone(), m);
    }
    for (name, obj) in &state.groups.items {
        let Some(g) = &obj.value else { continue };
        let mut m = BTreeMap::new();
        let mut marked = obj.sensitive.clone();
        principal(&g.principal, &obj.unknown, &mut marked, &mut m);
        // Only what a group entry holds (a source may give more).
        m.retain(|k, _| crate::baseline::KEYS.group.contains(k));
        left_out.extend(leave_out("groups", name, &mut m, &marked, secrets));
        out.groups.insert(name.clone(), m);
    }
    for (name, obj) in &state.roles.items {
        let Some(r) = &obj.value else { continue };
        let mut m = BTreeMap::new();
        if let Some(id) = &r.principal.id {
            m.insert("id", Value::String(id.clone()));
        }
        let mut marked = obj.sensitive.clone();
        principal(&r.principal, &obj.unknown, &mut marked, &mut m);
        if let (Some(doc), false) = (
            &r.assume_role_policy,
            obj.unknown.contains("assume_role_policy"),
        ) {
            m.insert("assume_role_policy", doc.value());
        }
        if let (Some(d), false) = (
            r.max_session_duration,
            obj.unknown.contains("max_session_duration"),
        ) {
            m.insert("max_session_duration", Value::from(d));
        }
        if let Some(d) = r.description.as_ref().filter(|d| !d.is_empty()) {
            m.insert("description", Value::String(d.clone()));
        }
        m.retain(|k, _| crate::baseline::KEYS.role.contains(k));
        left_out.extend(leave_out("roles", name, &mut m, &marked, secrets));
        out.roles.insert(name.clone(), m);
    }
    for (name, obj) in &state.instance_profiles.items {
        let Some(p) = &obj.value else { continue };
        let mut m = BTreeMap::new();
        if let (Some(path), false) = (&p.path, obj.unknown.contains("path")) {
            m.insert("path", Value::String(path.clone()));
        }
        if let (Some(roles), false) = (&p.roles, obj.unknown.contains("roles")) {
            m.insert("roles", names(roles));
        }
        left_out.extend(leave_out(
            "instance_profiles",
            name,
            &mut m,
            &obj.sensitive,
            secrets,
        ));
        out.instance_profiles.insert(name.clone(), m);
    }
    for (name, obj) in &state.policies.items {
        let Some(p) = &obj.value else { continue };
        let mut m = BTreeMap::new();
        if let (Some(path), false) = (&p.path, obj.unknown.contains("path")) {
            m.insert("path", Value::String(path.clone()));
        }
        if let (Some(doc), false) = (&p.document, obj.unknown.contains("document")) {
            m.insert("document", doc.value());
        }
        if let Some(d) = p.description.as_ref().filter(|d| !d.is_empty()) {
            m.insert("description", Value::String(d.clone()));
        }
        left_out.extend(leave_out("policies", name, &mut m, &obj.sensitive, secrets));
        out.policies.insert(name.clone(), m);
    }
    for (name, obj) in &state.oidc_providers.items {
        let Some(p) = &obj.value else { continue };
        let mut m = BTreeMap::new();
        for (field, set) in [
            ("client_ids", &p.client_ids),
            ("thumbprints", &p.thumbprints),
        ] {
            if let (Some(set), false) = (set, obj.unknown.contains(field)) {
                m.insert(field, names(set));
            }
        }
        let url = format!("https://{name}");
        left_out.extend(leave_out(
            "identity_providers.oidc",
            &url,
            &mut m,
            &obj.sensitive,
            secrets,
        ));
        out.identity_providers.oidc.insert(url, m);
    }
    for (name, obj) in &state.saml_providers.items {
        let Some(p) = &obj.value else { continue };
        let mut m = BTreeMap::new();
        if let (Some(hash), false) = (&p.metadata_sha256, obj.unknown.contains("metadata_sha256")) {
            m.insert("metadata_sha256", Value::String(hash.clone()));
        }
        left_out.extend(leave_out(
            "identity_providers.saml",
            name,
            &mut m,
            &obj.sensitive,
            secrets,
        ));
        out.identity_providers.saml.insert(name.clone(), m);
    }
    // Sensitive values stay out of the file.
    if let (Some(account), Some(obj)) = (&mut out.account, &state.account_alias) {
        let alias_secret = account
            .alias
            .as_ref()
            .is_some_and(|a| holds_secret(&Value::String(a.clone()), secrets));
        if alias_secret || obj.sensitive.contains("alias") {
            account.alias = None;
            left_out.push(("account.alias".to_string(), None));
        }
    }
    if let (Some(fields), Some(obj)) = (&mut out.password_policy, &state.password_policy) {
        left_out.extend(leave_out(
            "password_policy",
            "",
            fields,
            &obj.sensitive,
            secrets,
        ));
    }
    (out, left_out)
}

/// The text of a baseline: `header`, notes on what was left out, the body,
/// and (with `rails_account`) the guardrails to adapt, commented out.
fn render(
    out: &Out,
    left_out: &LeftOut,
    header: &str,
    rails_account: Option<&str>,
) -> Result<String, String> {
    let body = serde_saphyr::to_string(out).map_err(|e| e.to_string())?;
    let mut note = String::new();
    let sensitive: Vec<&str> = left_out
        .iter()
        .filter(|(_, why)| why.is_none())
        .map(|(at, _)| at.as_str())
        .collect();
    if !sensitive.is_empty() {
        note.push_str("# Left out because the source marks them sensitive (add them by hand if they\n# must be guarded):\n");
        for at in sensitive {
            note.push_str(&format!("#   {}\n", crate::render::text::visible(at)));
        }
    }
    let unfit: Vec<(&str, &str)> = left_out
        .iter()
        .filter_map(|(at, why)| why.as_deref().map(|w| (at.as_str(), w)))
        .collect();
    if !unfit.is_empty() {
        note.push_str("# Left out because a baseline cannot hold these values:\n");
        for (at, why) in unfit {
            // One comment line each, whatever the names hold.
            let (at, why) = (
                crate::render::text::visible(at),
                crate::render::text::visible(why),
            );
            note.push_str(&format!("#   {at}: {why}\n"));
        }
    }
    let Some(account) = rails_account else {
        return Ok(format!("{header}{note}{body}"));
    };
    let rails = format!(
        "# Guardrails: what every IAM object must satisfy, declared or not (in plans,\n\
# states, the live account and CloudTrail); a violation is `guardrail-violated`\n\
# (critical). Uncomment and adapt:\n\
# guardrails:\n\
#   trusted_accounts: ['{account}']            # the only accounts a trust may name\n\
#   trusted_oidc_subjects: ['repo:ORG/*:ref:refs/heads/main']   # GitHub Actions subjects a trust may let in\n\
#   never_allow: ['iam:PassRole', 'iam:CreatePolicyVersion']   # no identity policy may allow these on *\n\
#   public_trust: forbidden                     # no trust open to everyone\n"
    );
    Ok(format!("{header}{note}{body}{rails}"))
}
