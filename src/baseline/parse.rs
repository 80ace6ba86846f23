//! Validation of a baseline tree: types, ranges, unknown keys with a suggestion;
//! every error is collected, none stops the others.

use super::yaml::{self, Node, Value};
use super::*;
use crate::policy_doc::PolicyDoc;
use crate::rules;
use std::collections::BTreeMap;

/// The keys each section accepts.
pub struct Keys {
    pub top: &'static [&'static str],
    pub account: &'static [&'static str],
    pub password_policy: &'static [&'static str],
    pub user: &'static [&'static str],
    pub ssh_key: &'static [&'static str],
    pub group: &'static [&'static str],
    pub role: &'static [&'static str],
    pub instance_profile: &'static [&'static str],
    pub policy: &'static [&'static str],
    pub settings: &'static [&'static str],
}

pub const KEYS: Keys = Keys {
    top: &[
        "version",
        "account",
        "password_policy",
        "users",
        "groups",
        "roles",
        "instance_profiles",
        "policies",
        "settings",
    ],
    account: &["id", "alias"],
    password_policy: &[
        "minimum_password_length",
        "require_uppercase_characters",
        "require_lowercase_characters",
        "require_numbers",
        "require_symbols",
        "allow_users_to_change_password",
        "max_password_age",
        "password_reuse_prevention",
        "hard_expiry",
    ],
    user: &[
        "id",
        "path",
        "groups",
        "managed_policies",
        "inline_policies",
        "permissions_boundary",
        "console_access",
        "mfa",
        "ssh_public_keys",
        "tags",
    ],
    ssh_key: &["id", "status"],
    group: &["path", "managed_policies", "inline_policies"],
    role: &[
        "id",
        "path",
        "assume_role_policy",
        "managed_policies",
        "inline_policies",
        "permissions_boundary",
        "max_session_duration",
        "description",
        "tags",
    ],
    instance_profile: &["path", "roles"],
    policy: &["path", "document", "description"],
    settings: &["unmanaged", "ignore", "severity"],
};

/// Reads and validates a baseline. `path` is only used in messages.
pub fn parse(path: &str, text: &str) -> Result<Baseline, BaselineErrors> {
    let root = match yaml::parse(text) {
        Ok(root) => root,
        Err(err) => {
            let error = BaselineError {
                message: format!("invalid YAML: {}", err.message),
                loc: err.loc,
                label: "here".to_string(),
                help: Some("check the indentation and the quoting around this line".to_string()),
            };
            return Err(BaselineErrors::new(path, text, vec![error]));
        }
    };
    let mut cx = Cx::default();
    let baseline = cx.baseline(&root);
    cx.errors.sort_by_key(|e| e.loc.map(|l| (l.line, l.column)));
    if cx.errors.is_empty() {
        Ok(baseline)
    } else {
        Err(BaselineErrors::new(path, text, cx.errors))
    }
}

#[derive(Default)]
struct Cx {
    errors: Vec<BaselineError>,
}

type Entries<'n> = BTreeMap<&'n str, (&'n Node, &'n Node)>;

impl Cx {
    fn error(&mut self, node: &Node, message: String, label: &str, help: Option<String>) {
        self.errors.push(BaselineError {
            message,
            loc: Some(node.loc),
            label: label.to_string(),
            help,
        });
    }

    fn type_error(&mut self, node: &Node, what: &str, expected: &str) {
        self.error(
            node,
            format!("`{what}` must be {expected}, not {}", node.value.kind()),
            &format!("expected {expected}"),
            None,
        );
    }

    /// The entries of a mapping, keyed by text; unknown keys, duplicate keys and
    /// non-string keys are reported. A null value counts as an empty mapping.
    fn mapping<'n>(&mut self, node: &'n Node, what: &str, allowed: Option<&[&str]>) -> Entries<'n> {
        let mut out = Entries::new();
        let entries = match &node.value {
            Value::Map(entries) => entries,
            Value::Null => return out,
            _ => {
                self.type_error(node, what, "a mapping");
                return out;
            }
        };
        for (key, value) in entries {
            let name = match &key.value {
                Value::Str(s) => s.as_str(),
                _ => {
                    self.error(
                        key,
                        format!(
                            "a key of `{what}` must be a string, not {}",
                            key.value.kind()
                        ),
                        "not a string",
                        Some("quote the key".to_string()),
                    );
                    continue;
                }
            };
            if let Some(allowed) = allowed {
                if !allowed.contains(&name) {
                    let help = match suggest(name, allowed) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("`{what}` accepts: {}", allowed.join(", ")),
                    };
                    self.error(
                        key,
                        format!("unknown key `{name}` in `{what}`"),
                        "unknown key",
                        Some(help),
                    );
                    continue;
                }
            }
            if out.insert(name, (key, value)).is_some() {
                self.error(
                    key,
                    format!("duplicate key `{name}` in `{what}`"),
                    "declared again here",
                    None,
                );
            }
        }
        out
    }

    fn string(&mut self, node: &Node, what: &str) -> Option<Sp<String>> {
        match &node.value {
            Value::Str(s) => Some(Sp::new(s.clone(), node.loc)),
            _ => {
                self.type_error(node, what, "a string");
                None
            }
        }
    }

    fn nonempty_string(&mut self, node: &Node, what: &str) -> Option<Sp<String>> {
        let s = self.string(node, what)?;
        if s.value.trim().is_empty() {
            self.error(node, format!("`{what}` must not be empty"), "empty", None);
            return None;
        }
        Some(s)
    }

    fn bool(&mut self, node: &Node, what: &str) -> Option<Sp<bool>> {
        match &node.value {
            Value::Bool(b) => Some(Sp::new(*b, node.loc)),
            _ => {
                let help = match &node.value {
                    Value::Str(s) if matches!(s.as_str(), "yes" | "no" | "on" | "off") => {
                        Some("write `true` or `false`".to_string())
                    }
                    _ => None,
                };
                self.error(
                    node,
                    format!(
                        "`{what}` must be `true` or `false`, not {}",
                        node.value.kind()
                    ),
                    "expected a boolean",
                    help,
                );
                None
            }
        }
    }

    fn int_in(&mut self, node: &Node, what: &str, lo: u32, hi: u32) -> Option<Sp<u32>> {
        match &node.value {
            Value::Int(i) if *i >= i64::from(lo) && *i <= i64::from(hi) => {
                Some(Sp::new(*i as u32, node.loc))
            }
            Value::Int(i) => {
                self.error(
                    node,
                    format!("`{what}` is {i}, out of the range AWS allows ({lo} to {hi})"),
                    &format!("must be {lo} to {hi}"),
                    None,
                );
                None
            }
            _ => {
                self.type_error(node, what, &format!("an integer from {lo} to {hi}"));
                None
            }
        }
    }

    fn path(&mut self, node: &Node, what: &str) -> Option<Sp<String>> {
        let s = self.string(node, what)?;
        if !s.value.starts_with('/') || !s.value.ends_with('/') {
            self.error(
                node,
                format!("`{what}` must begin and end with `/`, like `/` or `/engineering/`"),
                "not an IAM path",
                None,
            );
            return None;
        }
        Some(s)
    }

    fn string_list(&mut self, node: &Node, what: &str) -> Option<Sp<Vec<Sp<String>>>> {
        let items = match &node.value {
            Value::Seq(items) => items,
            Value::Null => return Some(Sp::new(Vec::new(), node.loc)),
            _ => {
                self.type_error(node, what, "a list of strings");
                return None;
            }
        };
        let mut out: Vec<Sp<String>> = Vec::new();
        for item in items {
            if let Some(s) = self.nonempty_string(item, what) {
                if out.iter().any(|o| o.value == s.value) {
                    self.error(
                        item,
                        format!("`{}` is listed twice in `{what}`", s.value),
                        "listed again here",
                        None,
                    );
                    continue;
                }
                out.push(s);
            }
        }
        Some(Sp::new(out, node.loc))
    }

    fn policy_doc(&mut self, node: &Node, what: &str) -> Option<Sp<PolicyDoc>> {
        let json = node.to_json();
        match PolicyDoc::from_json(&json) {
            Ok(doc) => Some(Sp::new(doc, node.loc)),
            Err(message) => {
                self.error(
                    node,
                    format!("`{what}`: {message}"),
                    "not a policy document",
                    Some("write the document as a YAML mapping, or as a JSON string".to_string()),
                );
                None
            }
        }
    }

    fn inline_policies(
        &mut self,
        node: &Node,
        what: &str,
    ) -> Option<Sp<BTreeMap<String, Sp<PolicyDoc>>>> {
        let entries = self.mapping(node, what, None);
        let mut out = BTreeMap::new();
        for (name, (_, value)) in entries {
            if let Some(doc) = self.policy_doc(value, &format!("{what}.{name}")) {
                out.insert(name.to_string(), doc);
            }
        }
        Some(Sp::new(out, node.loc))
    }

    fn tags(&mut self, node: &Node, what: &str) -> Option<Sp<BTreeMap<String, String>>> {
        let entries = self.mapping(node, what, None);
        let mut out = BTreeMap::new();
        for (name, (_, value)) in entries {
            let text = match &value.value {
                Value::Str(s) => s.clone(),
                Value::Int(_) | Value::Float(_) | Value::Bool(_) => value.scalar_text(),
                _ => {
                    self.type_error(value, &format!("{what}.{name}"), "a string");
                    continue;
                }
            };
            out.insert(name.to_string(), text);
        }
        Some(Sp::new(out, node.loc))
    }

    fn principal(&mut self, fields: &Entries, prefix: &str) -> PrincipalSpec {
        let mut p = PrincipalSpec::default();
        for (&key, &(_, value)) in fields {
            let what = format!("{prefix}.{key}");
            match key {
                "path" => p.path = self.path(value, &what),
                "managed_policies" => p.managed_policies = self.string_list(value, &what),
                "inline_policies" => p.inline_policies = self.inline_policies(value, &what),
                "permissions_boundary" => {
                    p.permissions_boundary = match &value.value {
                        Value::Null => Some(Sp::new(None, value.loc)),
                        _ => self
                            .nonempty_string(value, &what)
                            .map(|s| Sp::new(Some(s.value), s.loc)),
                    }
                }
                "tags" => p.tags = self.tags(value, &what),
                _ => {}
            }
        }
        p
    }

    fn baseline(&mut self, root: &Node) -> Baseline {
        let mut b = Baseline::default();
        if matches!(root.value, Value::Null) {
            self.error(
                root,
                "the baseline is empty".to_string(),
                "nothing here",
                Some("start with `version: 1`".to_string()),
            );
            return b;
        }
        let top = self.mapping(root, "baseline", Some(KEYS.top));
        match top.get("version") {
            Some((_, v)) if v.value == Value::Int(1) => {}
            Some((_, v)) => self.error(
                v,
                format!("unsupported baseline version {}", v.scalar_text()),
                "unsupported version",
                Some("this version of drift reads `version: 1`".to_string()),
            ),
            None if matches!(root.value, Value::Map(_)) => self.error(
                root,
                "the baseline has no `version`".to_string(),
                "missing `version: 1`",
                Some("add `version: 1` at the top".to_string()),
            ),
            None => {}
        }
        if let Some((key, node)) = top.get("account") {
            b.account = Some(self.account(key, node));
        }
        if let Some((key, node)) = top.get("password_policy") {
            b.password_policy = Some(self.password_policy(key, node));
        }
        if let Some((_, node)) = top.get("users") {
            for (name, (key, value)) in self.mapping(node, "users", None) {
                let spec = self.user(name, key, value);
                b.users.insert(name.to_string(), spec);
            }
        }
        if let Some((_, node)) = top.get("groups") {
            for (name, (key, value)) in self.mapping(node, "groups", None) {
                let what = format!("groups.{name}");
                let fields = self.mapping(value, &what, Some(KEYS.group));
                let principal = self.principal(&fields, &what);
                b.groups.insert(
                    name.to_string(),
                    GroupSpec {
                        loc: key.loc,
                        principal,
                    },
                );
            }
        }
        if let Some((_, node)) = top.get("roles") {
            for (name, (key, value)) in self.mapping(node, "roles", None) {
                let spec = self.role(name, key, value);
                b.roles.insert(name.to_string(), spec);
            }
        }
        if let Some((_, node)) = top.get("instance_profiles") {
            for (name, (key, value)) in self.mapping(node, "instance_profiles", None) {
                let what = format!("instance_profiles.{name}");
                let fields = self.mapping(value, &what, Some(KEYS.instance_profile));
                let mut spec = InstanceProfileSpec {
                    loc: key.loc,
                    ..Default::default()
                };
                if let Some((_, v)) = fields.get("path") {
                    spec.path = self.path(v, &format!("{what}.path"));
                }
                if let Some((_, v)) = fields.get("roles") {
                    spec.roles = self.string_list(v, &format!("{what}.roles"));
                    if let Some(roles) = &spec.roles {
                        if roles.value.len() > 1 {
                            self.error(
                                v,
                                format!("`{what}.roles` lists {} roles; an instance profile holds at most one", roles.value.len()),
                                "more than one role",
                                None,
                            );
                        }
                    }
                }
                b.instance_profiles.insert(name.to_string(), spec);
            }
        }
        if let Some((_, node)) = top.get("policies") {
            for (name, (key, value)) in self.mapping(node, "policies", None) {
                let what = format!("policies.{name}");
                let fields = self.mapping(value, &what, Some(KEYS.policy));
                let mut spec = PolicySpec {
                    loc: key.loc,
                    ..Default::default()
                };
                if let Some((_, v)) = fields.get("path") {
                    spec.path = self.path(v, &format!("{what}.path"));
                }
                if let Some((_, v)) = fields.get("document") {
                    spec.document = self.policy_doc(v, &format!("{what}.document"));
                }
                if let Some((_, v)) = fields.get("description") {
                    spec.description = self.string(v, &format!("{what}.description"));
                }
                b.policies.insert(name.to_string(), spec);
            }
        }
        if let Some((_, node)) = top.get("settings") {
            b.settings = self.settings(node);
        }
        b
    }

    fn account(&mut self, key: &Node, node: &Node) -> AccountSpec {
        let fields = self.mapping(node, "account", Some(KEYS.account));
        let mut spec = AccountSpec {
            loc: key.loc,
            ..Default::default()
        };
        if let Some((_, v)) = fields.get("id") {
            // An unquoted id is read by YAML as a number: accept it, as text.
            let id = match &v.value {
                Value::Int(i) => Some(Sp::new(format!("{i:012}"), v.loc)),
                _ => self.string(v, "account.id"),
            };
            if let Some(id) = id {
                if id.value.len() == 12 && id.value.bytes().all(|c| c.is_ascii_digit()) {
                    spec.id = Some(id);
                } else {
                    self.error(
                        v,
                        format!(
                            "`account.id` `{}` is not a 12-digit AWS account id",
                            id.value
                        ),
                        "expected 12 digits",
                        Some("quote it: id: \"123456789012\"".to_string()),
                    );
                }
            }
        }
        if let Some((_, v)) = fields.get("alias") {
            spec.alias = self.nonempty_string(v, "account.alias");
        }
        spec
    }

    fn password_policy(&mut self, key: &Node, node: &Node) -> PasswordPolicySpec {
        let fields = self.mapping(node, "password_policy", Some(KEYS.password_policy));
        let mut spec = PasswordPolicySpec {
            loc: key.loc,
            ..Default::default()
        };
        for (name, (_, value)) in fields {
            let Some(field) = crate::state::PpField::from_name(name) else {
                continue;
            };
            let what = format!("password_policy.{name}");
            let parsed = match field.range() {
                Some((lo, hi)) => self
                    .int_in(value, &what, lo, hi)
                    .map(|n| Sp::new(PpValue::Num(n.value), n.loc)),
                None => self
                    .bool(value, &what)
                    .map(|b| Sp::new(PpValue::Bool(b.value), b.loc)),
            };
            if let Some(v) = parsed {
                spec.fields.insert(field, v);
            }
        }
        spec
    }

    fn user(&mut self, name: &str, key: &Node, node: &Node) -> UserSpec {
        let what = format!("users.{name}");
        let fields = self.mapping(node, &what, Some(KEYS.user));
        let mut spec = UserSpec {
            loc: key.loc,
            principal: self.principal(&fields, &what),
            ..Default::default()
        };
        for (&k, &(_, value)) in &fields {
            let w = format!("{what}.{k}");
            match k {
                "id" => spec.id = self.nonempty_string(value, &w),
                "groups" => spec.groups = self.string_list(value, &w),
                "console_access" => spec.console_access = self.bool(value, &w),
                "mfa" => {
                    spec.mfa = match &value.value {
                        Value::Str(s) if s == "required" => Some(Sp::new(true, value.loc)),
                        Value::Str(s) if s == "optional" => Some(Sp::new(false, value.loc)),
                        _ => {
                            self.error(
                                value,
                                format!("`{w}` must be `required` or `optional`"),
                                "expected `required` or `optional`",
                                None,
                            );
                            None
                        }
                    }
                }
                "ssh_public_keys" => spec.ssh_public_keys = self.ssh_keys(value, &w),
                _ => {}
            }
        }
        spec
    }

    fn ssh_keys(&mut self, node: &Node, what: &str) -> Option<Sp<Vec<SshKeySpec>>> {
        let items = match &node.value {
            Value::Seq(items) => items,
            Value::Null => return Some(Sp::new(Vec::new(), node.loc)),
            _ => {
                self.type_error(node, what, "a list of `{ id, status }` entries");
                return None;
            }
        };
        let mut out: Vec<SshKeySpec> = Vec::new();
        for item in items {
            // `- APKA...` is accepted as a key id with no guarded status.
            if let Value::Str(id) = &item.value {
                out.push(SshKeySpec {
                    loc: item.loc,
                    id: id.clone(),
                    status: None,
                });
                continue;
            }
            let fields = self.mapping(item, what, Some(KEYS.ssh_key));
            let id = match fields.get("id") {
                Some((_, v)) => self.nonempty_string(v, &format!("{what}.id")),
                None => {
                    if matches!(item.value, Value::Map(_)) {
                        self.error(
                            item,
                            format!("an entry of `{what}` has no `id`"),
                            "missing `id`",
                            Some("the id is the SSHPublicKeyId, APKA…".to_string()),
                        );
                    }
                    None
                }
            };
            let status = fields.get("status").and_then(|(_, v)| {
                let s = self.string(v, &format!("{what}.status"))?;
                match KeyStatus::parse(&s.value) {
                    Some(st) => Some(Sp::new(st, s.loc)),
                    None => {
                        let help = suggest(&s.value, &["Active", "Inactive"])
                            .map(|s| format!("did you mean `{s}`?"));
                        self.error(
                            v,
                            format!("`{what}.status` must be `Active` or `Inactive`"),
                            "unknown status",
                            help,
                        );
                        None
                    }
                }
            });
            if let Some(id) = id {
                if out.iter().any(|k| k.id == id.value) {
                    self.error(
                        item,
                        format!("SSH key `{}` is listed twice", id.value),
                        "listed again",
                        None,
                    );
                    continue;
                }
                out.push(SshKeySpec {
                    loc: item.loc,
                    id: id.value,
                    status,
                });
            }
        }
        Some(Sp::new(out, node.loc))
    }

    fn role(&mut self, name: &str, key: &Node, node: &Node) -> RoleSpec {
        let what = format!("roles.{name}");
        let fields = self.mapping(node, &what, Some(KEYS.role));
        let mut spec = RoleSpec {
            loc: key.loc,
            principal: self.principal(&fields, &what),
            ..Default::default()
        };
        for (&k, &(_, value)) in &fields {
            let w = format!("{what}.{k}");
            match k {
                "id" => spec.id = self.nonempty_string(value, &w),
                "assume_role_policy" => spec.assume_role_policy = self.policy_doc(value, &w),
                "max_session_duration" => {
                    spec.max_session_duration = self.int_in(value, &w, 3600, 43200)
                }
                "description" => spec.description = self.string(value, &w),
                _ => {}
            }
        }
        spec
    }

    fn settings(&mut self, node: &Node) -> Settings {
        let fields = self.mapping(node, "settings", Some(KEYS.settings));
        let mut s = Settings::default();
        if let Some((_, v)) = fields.get("unmanaged") {
            match &v.value {
                Value::Str(x) if x == "report" => s.unmanaged = Unmanaged::Report,
                Value::Str(x) if x == "ignore" => s.unmanaged = Unmanaged::Ignore,
                _ => self.error(
                    v,
                    "`settings.unmanaged` must be `report` or `ignore`".to_string(),
                    "expected `report` or `ignore`",
                    None,
                ),
            }
        }
        if let Some((_, v)) = fields.get("ignore") {
            if let Some(list) = self.string_list(v, "settings.ignore") {
                s.ignore = list.value;
            }
        }
        if let Some((_, v)) = fields.get("severity") {
            let ids: Vec<&str> = rules::all().map(|r| r.id.as_str()).collect();
            for (rule, (key, value)) in self.mapping(v, "settings.severity", None) {
                if rules::find(rule).is_none() {
                    let help = suggest(rule, &ids)
                        .map(|s| format!("did you mean `{s}`?"))
                        .or_else(|| Some("`drift rules` lists every rule id".to_string()));
                    self.error(key, format!("unknown rule `{rule}`"), "unknown rule", help);
                    continue;
                }
                let text = match &value.value {
                    Value::Str(t) => t.as_str(),
                    _ => "",
                };
                match crate::finding::Severity::parse(text) {
                    Some(sev) => {
                        s.severity.insert(rule.to_string(), Sp::new(sev, value.loc));
                    }
                    None => {
                        let names = ["critical", "high", "medium", "low", "info"];
                        let help = suggest(text, &names)
                            .map(|s| format!("did you mean `{s}`?"))
                            .unwrap_or_else(|| format!("one of: {}", names.join(", ")));
                        self.error(
                            value,
                            format!("`settings.severity.{rule}` is not a severity"),
                            "unknown severity",
                            Some(help),
                        );
                    }
                }
            }
        }
        s
    }
}

/// The closest candidate to `word`, when it is close enough to be a typo.
pub fn suggest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let best = candidates
        .iter()
        .map(|c| (levenshtein(word, c), *c))
        .min_by_key(|(d, _)| *d)?;
    let limit = (word.chars().count().max(best.1.chars().count()) / 3).max(2);
    (best.0 <= limit).then_some(best.1)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}
