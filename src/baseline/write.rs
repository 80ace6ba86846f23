//! Writes a baseline from observed state (`drift init`).
//!
//! Only what the source knows is written: a value known only after apply is
//! left out (not guarded), and so are objects whose name is not known yet.

use crate::state::*;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Serialize)]
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
    settings: SettingsOut,
}

#[derive(Serialize)]
struct AccountOut {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alias: Option<String>,
}

#[derive(Serialize)]
struct SettingsOut {
    unmanaged: &'static str,
}

fn names(set: &NameSet) -> Value {
    Value::Array(
        set.present_names()
            .map(|n| Value::String(n.to_string()))
            .collect(),
    )
}

fn principal(
    p: &Principal,
    unknown: &std::collections::BTreeSet<&str>,
    out: &mut BTreeMap<&'static str, Value>,
) {
    if let (Some(path), false) = (&p.path, unknown.contains("path")) {
        out.insert("path", Value::String(path.clone()));
    }
    if let Some(set) = &p.managed_policies {
        if set.unknown.is_empty() {
            out.insert("managed_policies", names(set));
        }
    }
    if let Some(docs) = &p.inline_policies {
        if docs.unknown.is_empty() {
            let map: serde_json::Map<String, Value> = docs
                .items
                .iter()
                .filter(|(_, o)| !o.unknown.contains("policy") && !o.sensitive.contains("policy"))
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

/// The baseline YAML for a state.
pub fn from_state(state: &IamState, header: &str) -> Result<String, String> {
    let account = match (
        &state.account_id,
        state.account_alias.as_ref().and_then(|a| a.value.clone()),
    ) {
        (None, None) => None,
        (id, alias) => Some(AccountOut {
            id: id.clone(),
            alias,
        }),
    };
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
    let mut out = Out {
        version: 1,
        account,
        password_policy,
        users: BTreeMap::new(),
        groups: BTreeMap::new(),
        roles: BTreeMap::new(),
        instance_profiles: BTreeMap::new(),
        policies: BTreeMap::new(),
        settings: SettingsOut {
            unmanaged: "report",
        },
    };
    for (name, obj) in &state.users.items {
        let Some(u) = &obj.value else { continue };
        let mut m = BTreeMap::new();
        if let Some(id) = &u.principal.id {
            m.insert("id", Value::String(id.clone()));
        }
        principal(&u.principal, &obj.unknown, &mut m);
        if let Some(groups) = &u.groups {
            if groups.unknown.is_empty() {
                m.insert("groups", names(groups));
            }
        }
        if let Some(keys) = &u.ssh_keys {
            if keys.unknown.is_empty() {
                let list = keys
                    .items
                    .iter()
                    .filter_map(|(id, k)| {
                        let key = k.value.as_ref()?;
                        let mut e = serde_json::Map::new();
                        e.insert("id".into(), Value::String(id.clone()));
                        if let Some(s) = &key.status {
                            e.insert("status".into(), Value::String(s.clone()));
                        }
                        Some(Value::Object(e))
                    })
                    .collect();
                m.insert("ssh_public_keys", Value::Array(list));
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
        out.users.insert(name.clone(), m);
    }
    for (name, obj) in &state.groups.items {
        let Some(g) = &obj.value else { continue };
        let mut m = BTreeMap::new();
        principal(&g.principal, &obj.unknown, &mut m);
        out.groups.insert(name.clone(), m);
    }
    for (name, obj) in &state.roles.items {
        let Some(r) = &obj.value else { continue };
        let mut m = BTreeMap::new();
        if let Some(id) = &r.principal.id {
            m.insert("id", Value::String(id.clone()));
        }
        principal(&r.principal, &obj.unknown, &mut m);
        if let (Some(doc), false) = (
            &r.assume_role_policy,
            obj.unknown.contains("assume_role_policy")
                || obj.sensitive.contains("assume_role_policy"),
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
        out.instance_profiles.insert(name.clone(), m);
    }
    for (name, obj) in &state.policies.items {
        let Some(p) = &obj.value else { continue };
        let mut m = BTreeMap::new();
        if let (Some(path), false) = (&p.path, obj.unknown.contains("path")) {
            m.insert("path", Value::String(path.clone()));
        }
        if let (Some(doc), false) = (
            &p.document,
            obj.unknown.contains("document") || obj.sensitive.contains("document"),
        ) {
            m.insert("document", doc.value());
        }
        if let Some(d) = p.description.as_ref().filter(|d| !d.is_empty()) {
            m.insert("description", Value::String(d.clone()));
        }
        out.policies.insert(name.clone(), m);
    }
    let body = serde_saphyr::to_string(&out).map_err(|e| e.to_string())?;
    Ok(format!("{header}{body}"))
}
