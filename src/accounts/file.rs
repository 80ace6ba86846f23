//! The accounts file (`--accounts accounts.yaml`): the accounts a run reads,
//! each with its role and its own baseline. Every error is reported at once,
//! located, with the closest key suggested.
//!
//! ```yaml
//! version: 1
//! accounts:
//!   - id: "111122223333"
//!     name: prod
//!     role_name: drift-readonly        # or role_arn: arn:aws:iam::111122223333:role/drift-readonly
//!     external_id: drift-7f3a          # when the role's trust asks for one
//!     session_name: drift-nightly      # CloudTrail's name for drift's session
//!     baseline: baselines/prod.yaml    # this account's own objects
//! ```

use super::{is_account_id, partition_of, Entry, Role};
use crate::baseline::yaml::{Node, Value};
use crate::baseline::{BaselineErrors, Validator};
use std::collections::BTreeMap;

/// The keys of the file and of each account.
pub const TOP_KEYS: &[&str] = &["version", "accounts"];
pub const ACCOUNT_KEYS: &[&str] = &[
    "id",
    "name",
    "role_arn",
    "role_name",
    "external_id",
    "session_name",
    "baseline",
];

/// Reads and checks an accounts file. `path` is only used in messages.
pub fn parse(path: &str, text: &str) -> Result<Vec<Entry>, BaselineErrors> {
    let root = crate::baseline::tree(path, text)?;
    let mut cx = Validator::default();
    let entries = accounts(&mut cx, &root);
    cx.errors.sort_by_key(|e| e.loc.map(|l| (l.line, l.column)));
    if cx.errors.is_empty() {
        Ok(entries)
    } else {
        Err(BaselineErrors::new(path, text, cx.errors))
    }
}

fn accounts(cx: &mut Validator, root: &Node) -> Vec<Entry> {
    if matches!(root.value, Value::Null) {
        cx.error(
            root,
            "the accounts file is empty".to_string(),
            "nothing here",
            Some("start with `version: 1` and an `accounts:` list".to_string()),
        );
        return Vec::new();
    }
    let top = cx.mapping(root, "accounts file", Some(TOP_KEYS));
    match top.get("version") {
        Some((_, v)) if v.value == Value::Int(1) => {}
        Some((_, v)) => cx.error(
            v,
            format!("unsupported accounts file version {}", v.scalar_text()),
            "unsupported version",
            Some("this version of drift reads `version: 1`".to_string()),
        ),
        None => cx.error(
            root,
            "the accounts file has no `version`".to_string(),
            "no version",
            Some("add `version: 1`".to_string()),
        ),
    }
    let Some((key, list)) = top.get("accounts") else {
        cx.error(
            root,
            "the accounts file has no `accounts` list".to_string(),
            "no accounts",
            Some("list the accounts under `accounts:`, each with its `id`".to_string()),
        );
        return Vec::new();
    };
    let items = match &list.value {
        Value::Seq(items) if !items.is_empty() => items,
        Value::Seq(_) | Value::Null => {
            cx.error(
                key,
                "`accounts` lists no account".to_string(),
                "empty",
                Some("a run over no account would read nothing".to_string()),
            );
            return Vec::new();
        }
        _ => {
            cx.type_error(list, "accounts", "a list");
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    for (i, item) in items.iter().enumerate() {
        let what = format!("accounts[{i}]");
        // Listed twice is said even of entries with other errors.
        if let Some(id) = id_of(item) {
            if let Some(line) = seen.get(&id) {
                cx.error(
                    item,
                    format!("account {id} is listed twice (first at line {line})"),
                    "listed again",
                    Some("keep one entry per account".to_string()),
                );
                continue;
            }
            seen.insert(id, item.loc.line);
        }
        if let Some(entry) = account(cx, item, &what) {
            out.push(entry);
        }
    }
    out
}

/// The id an entry gives, as text, before it is checked.
fn id_of(item: &Node) -> Option<String> {
    let Value::Map(entries) = &item.value else {
        return None;
    };
    entries
        .iter()
        .find_map(|(k, v)| match (&k.value, &v.value) {
            (Value::Str(k), Value::Str(id)) if k == "id" => Some(id.clone()),
            (Value::Str(k), Value::Int(n)) if k == "id" => Some(format!("{n:012}")),
            _ => None,
        })
}

fn account(cx: &mut Validator, node: &Node, what: &str) -> Option<Entry> {
    let errors = cx.errors.len();
    let fields = cx.mapping(node, what, Some(ACCOUNT_KEYS));
    if !matches!(node.value, Value::Map(_)) {
        return None;
    }
    let text = |cx: &mut Validator, key: &str| {
        fields
            .get(key)
            .and_then(|(_, v)| cx.nonempty_string(v, &format!("{what}.{key}")))
    };
    let id = match fields.get("id") {
        Some((_, v)) => match &v.value {
            // An unquoted id of twelve digits reads as a number.
            Value::Int(n) => Some((format!("{n:012}"), *v)),
            _ => cx
                .nonempty_string(v, &format!("{what}.id"))
                .map(|s| (s.value, *v)),
        },
        None => {
            cx.error(
                node,
                format!("`{what}` has no `id`"),
                "no id",
                Some("give the 12-digit account id, quoted: `id: \"111122223333\"`".to_string()),
            );
            None
        }
    };
    let id = id.and_then(|(id, v)| {
        if is_account_id(&id) {
            Some(id)
        } else {
            cx.error(
                v,
                format!("`{what}.id` is `{id}`, not a 12-digit account id"),
                "not an account id",
                Some("quote the id so that leading zeros are kept".to_string()),
            );
            None
        }
    });
    let name = text(cx, "name").map(|s| s.value);
    let role_arn = fields.get("role_arn").and_then(|(_, v)| {
        let arn = cx.nonempty_string(v, &format!("{what}.role_arn"))?;
        let account = arn.value.split(':').nth(4).unwrap_or("");
        let role = arn.value.split(':').nth(5).unwrap_or("");
        if partition_of(&arn.value).is_none()
            || arn.value.split(':').nth(2) != Some("iam")
            || !role.starts_with("role/")
        {
            cx.error(
                v,
                format!("`{what}.role_arn` is not a role ARN"),
                "not a role ARN",
                Some("for example `arn:aws:iam::111122223333:role/drift-readonly`".to_string()),
            );
            return None;
        }
        if let Some(id) = &id {
            if account != id {
                cx.error(
                    v,
                    format!("`{what}.role_arn` is a role of account {account}, not of {id}"),
                    "another account's role",
                    Some("drift reads an account through a role of that account".to_string()),
                );
                return None;
            }
        }
        Some((arn.value, *v))
    });
    let role_name = fields.get("role_name").and_then(|(_, v)| {
        let name = cx.nonempty_string(v, &format!("{what}.role_name"))?;
        if name.value.starts_with("arn:") {
            cx.error(
                v,
                format!("`{what}.role_name` is an ARN"),
                "an ARN",
                Some("write it as `role_arn`, or give the role's name only".to_string()),
            );
            return None;
        }
        Some(name.value)
    });
    let role = match (role_arn, role_name) {
        (Some((_, v)), Some(_)) => {
            cx.error(
                v,
                format!("`{what}` gives both `role_arn` and `role_name`"),
                "one of the two",
                Some("keep one".to_string()),
            );
            Role::Default
        }
        (Some((arn, _)), None) => Role::Arn(arn),
        (None, Some(name)) => Role::Name(name),
        (None, None) => Role::Default,
    };
    let external_id = fields.get("external_id").and_then(|(_, v)| {
        let s = cx.nonempty_string(v, &format!("{what}.external_id"))?;
        // STS: 2 to 1,224 characters of [\w+=,.@:/-].
        let ok = (2..=1224).contains(&s.value.len())
            && s.value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_+=,.@:/-".contains(c));
        if !ok {
            cx.error(
                v,
                format!("`{what}.external_id` is not an external id STS accepts"),
                "not accepted by STS",
                Some("2 to 1,224 letters, digits and _+=,.@:/-".to_string()),
            );
            return None;
        }
        Some(s.value)
    });
    let session_name = fields.get("session_name").and_then(|(_, v)| {
        let s = cx.nonempty_string(v, &format!("{what}.session_name"))?;
        if !valid_session_name(&s.value) {
            cx.error(
                v,
                format!("`{what}.session_name` is not a session name STS accepts"),
                "not accepted by STS",
                Some("2 to 64 letters, digits and _+=,.@-".to_string()),
            );
            return None;
        }
        Some(s.value)
    });
    let baseline = text(cx, "baseline").map(|s| s.value);
    if cx.errors.len() > errors {
        return None;
    }
    let partition = match &role {
        Role::Arn(arn) => partition_of(arn).unwrap_or("aws").to_string(),
        _ => "aws".to_string(),
    };
    Some(Entry {
        id: id?,
        name,
        role,
        external_id,
        session_name,
        baseline,
        partition,
        loc: Some(node.loc),
    })
}

/// Whether STS accepts `name` as a role session name.
pub fn valid_session_name(name: &str) -> bool {
    (2..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
}
