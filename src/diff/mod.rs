//! The diff engine: baseline against observed state, yielding findings.
//!
//! Rules here decide *what* differs and give each finding its default severity.
//! Severity overrides, ignores and `settings.unmanaged` are applied afterwards in
//! one place ([`crate::triage`]), never here.

mod password_policy;

use crate::baseline::*;
use crate::finding::{Finding, Loc, Origin};
use crate::policy_doc::{unified_diff, PolicyDoc};
use crate::rules;
use crate::state::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// What a comparison produced.
#[derive(Debug, Default)]
pub struct DiffResult {
    pub findings: Vec<Finding>,
    /// Baseline entries the source neither manages nor touches.
    pub out_of_scope: usize,
}

pub fn diff(baseline: &Baseline, state: &IamState) -> DiffResult {
    let mut cx = Cx {
        // Undeclared objects that triage would drop are not even built (a large
        // plan holds tens of thousands of them); triage still decides.
        unmanaged: crate::triage::reports_unmanaged(&baseline.settings),
        ..Cx::default()
    };
    cx.account(baseline, state);
    password_policy::check(&mut cx, baseline, state);
    cx.users(baseline, state);
    cx.groups(baseline, state);
    cx.roles(baseline, state);
    cx.instance_profiles(baseline, state);
    cx.policies(baseline, state);
    cx.result
        .findings
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    cx.result
}

const SENSITIVE: &str = "(sensitive value)";

/// How to find an object and report about it.
struct Kind {
    /// The rule kind, e.g. `user`, `instance-profile`.
    rule: &'static str,
    /// The prefix of resource ids, e.g. `user/`.
    prefix: &'static str,
    /// How the object is named in messages.
    noun: &'static str,
}

const USER: Kind = Kind {
    rule: "user",
    prefix: "user/",
    noun: "user",
};
const GROUP: Kind = Kind {
    rule: "group",
    prefix: "group/",
    noun: "group",
};
const ROLE: Kind = Kind {
    rule: "role",
    prefix: "role/",
    noun: "role",
};
const PROFILE: Kind = Kind {
    rule: "instance-profile",
    prefix: "instance-profile/",
    noun: "instance profile",
};
const POLICY: Kind = Kind {
    rule: "policy",
    prefix: "policy/",
    noun: "customer managed policy",
};

/// What identifies an observed object besides its name.
#[derive(Default)]
struct Ident<'a> {
    id: Option<&'a str>,
    previous_name: Option<&'a str>,
    path: Option<&'a str>,
    managed: bool,
}

fn principal_ident(p: &Principal) -> Ident<'_> {
    Ident {
        id: p.id.as_deref(),
        previous_name: p.previous_name.as_deref(),
        path: p.path.as_deref(),
        managed: p.managed,
    }
}

/// A new finding, to be completed with the builder methods below.
pub(crate) struct Draft<'a> {
    cx: &'a mut Cx,
    finding: Finding,
}

impl Draft<'_> {
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.finding.field = Some(field.into());
        self
    }
    pub fn expected(mut self, v: Value) -> Self {
        self.finding.expected = v;
        self
    }
    pub fn observed(mut self, v: Value) -> Self {
        self.finding.observed = v;
        self
    }
    pub fn at(mut self, loc: Loc) -> Self {
        self.finding.baseline_location = Some(loc);
        self
    }
    pub fn diff(mut self, diff: Option<String>) -> Self {
        self.finding.diff = diff;
        self
    }
    pub fn path(mut self, path: Option<&str>) -> Self {
        self.finding.path = path.map(str::to_string);
        self
    }
    pub fn push(self) {
        self.cx.result.findings.push(self.finding);
    }
}

#[derive(Default)]
pub(crate) struct Cx {
    result: DiffResult,
    unmanaged: bool,
}

impl Cx {
    pub fn draft(
        &mut self,
        rule: &'static str,
        resource: impl Into<String>,
        source: &Origin,
        message: String,
    ) -> Draft<'_> {
        let meta = rules::get(rule);
        Draft {
            finding: Finding {
                rule: meta.id,
                severity: meta.severity,
                resource: resource.into(),
                field: None,
                expected: Value::Null,
                observed: Value::Null,
                source: source.clone(),
                baseline_location: None,
                message,
                // Filled in by triage for the findings that are kept.
                help: String::new(),
                diff: None,
                path: None,
            },
            cx: self,
        }
    }

    pub fn out_of_scope(&mut self) {
        self.result.out_of_scope += 1;
    }

    fn account(&mut self, baseline: &Baseline, state: &IamState) {
        let Some(spec) = &baseline.account else {
            return;
        };
        let Some(want) = &spec.alias else { return };
        let Some(obj) = &state.account_alias else {
            self.out_of_scope();
            return;
        };
        if obj.unknown.contains("alias") {
            self.draft(
                "account-unknown",
                "account",
                &obj.origin,
                format!(
                    "the account alias is known only after apply; the baseline expects `{}`",
                    want.value
                ),
            )
            .field("alias")
            .expected(json!(want.value))
            .at(want.loc)
            .push();
            return;
        }
        match &obj.value {
            None => self
                .draft(
                    "account-removed",
                    "account",
                    &obj.origin,
                    format!("the account alias `{}` is deleted", want.value),
                )
                .field("alias")
                .expected(json!(want.value))
                .at(want.loc)
                .push(),
            Some(alias) if *alias != want.value => self
                .draft(
                    "account-changed",
                    "account",
                    &obj.origin,
                    format!(
                        "the account alias is `{alias}`, the baseline expects `{}`",
                        want.value
                    ),
                )
                .field("alias")
                .expected(json!(want.value))
                .observed(json!(alias))
                .at(want.loc)
                .push(),
            Some(_) => {}
        }
    }

    /// Matches baseline entries with observed objects. Reports removed and
    /// unmanaged objects, renames, replacements and unknown names; returns the
    /// pairs whose fields are to be compared.
    #[allow(clippy::too_many_arguments)]
    fn match_objects<'s, S, T>(
        &mut self,
        kind: &Kind,
        specs: &'s BTreeMap<String, S>,
        members: &'s Members<T>,
        loc: impl Fn(&S) -> Loc,
        baseline_id: impl Fn(&S) -> Option<&str>,
        ident: impl Fn(&T) -> Ident<'_>,
        unmanaged_exempt: impl Fn(&str, &Ident) -> bool,
    ) -> Vec<(&'s str, &'s S, &'s Obj<T>, &'s T)> {
        let mut pairs = Vec::new();
        let mut renamed: Vec<&str> = Vec::new();
        for (name, spec) in specs {
            let resource = format!("{}{name}", kind.prefix);
            let obj = members.items.get(name);
            let direct = match obj {
                Some(o @ Obj { value: Some(v), .. }) => Some((o, v)),
                _ => None,
            };
            if let Some((o, v)) = direct.filter(|(_, v)| ident(v).managed) {
                pairs.push((name.as_str(), spec, o, v));
                continue;
            }
            // Not there under its name (or only things attached to it): renamed?
            let wanted_id = baseline_id(spec);
            let rename = members.items.iter().find(|(other, o)| {
                *other != name
                    && o.value.as_ref().is_some_and(|v| {
                        let id = ident(v);
                        (wanted_id.is_some() && id.id == wanted_id)
                            || id.previous_name == Some(name.as_str())
                    })
            });
            if let Some((new_name, o)) = rename {
                let v = o.value.as_ref().map(|v| v as &T);
                if let Some(v) = v {
                    renamed.push(new_name.as_str());
                    self.draft(
                        leak(kind.rule, "changed"),
                        resource,
                        &o.origin,
                        format!("{} `{name}` is renamed to `{new_name}`", kind.noun),
                    )
                    .field("name")
                    .expected(json!(name))
                    .observed(json!(new_name))
                    .at(loc(spec))
                    .push();
                    pairs.push((name.as_str(), spec, o, v));
                }
                continue;
            }
            if let Some((o, v)) = direct {
                pairs.push((name.as_str(), spec, o, v));
                continue;
            }
            match obj {
                Some(obj) => self.removed(kind, &resource, name, &obj.origin, loc(spec)),
                None if members.complete => {
                    let origin = members
                        .origin
                        .clone()
                        .unwrap_or(Origin::Live { arn: String::new() });
                    self.removed(kind, &resource, name, &origin, loc(spec))
                }
                None => self.out_of_scope(),
            }
        }
        let report = self.unmanaged;
        for (name, obj) in members.items.iter().filter(|_| report) {
            let Some(v) = &obj.value else { continue };
            if specs.contains_key(name) || renamed.contains(&name.as_str()) {
                continue;
            }
            let id = ident(v);
            if !id.managed || unmanaged_exempt(name, &id) {
                continue;
            }
            let verb = if obj.origin.is_create() {
                "is created"
            } else {
                "exists"
            };
            self.draft(
                leak(kind.rule, "unmanaged"),
                format!("{}{name}", kind.prefix),
                &obj.origin,
                format!(
                    "{} `{name}` {verb} but the baseline does not declare it",
                    kind.noun
                ),
            )
            .observed(json!(name))
            .path(id.path)
            .push();
        }
        for origin in &members.unknown {
            self.draft(
                leak(kind.rule, "unknown"),
                format!("{}(known after apply)", kind.prefix),
                origin,
                format!(
                    "the plan creates a {} whose name is known only after apply",
                    kind.noun
                ),
            )
            .push();
        }
        for (name, _, obj, _) in &pairs {
            if obj.origin.is_replacement() {
                let resource = format!("{}{name}", kind.prefix);
                self.draft(
                    leak(kind.rule, "changed"),
                    resource,
                    &obj.origin,
                    format!(
                        "the plan replaces {} `{name}`: it is deleted and created again, so it \
is absent for a moment and gets a new unique id (policies that name the old one stop matching)",
                        kind.noun
                    ),
                )
                .field("replaced")
                .push();
            }
        }
        pairs
    }

    fn removed(&mut self, kind: &Kind, resource: &str, name: &str, origin: &Origin, loc: Loc) {
        let how = match origin {
            Origin::Plan { .. } => "the plan deletes",
            Origin::Refresh { .. } => "terraform refresh found deleted",
            Origin::Live { .. } => "the account has no",
        };
        self.draft(
            leak(kind.rule, "removed"),
            resource,
            origin,
            format!("{how} {} `{name}`, which the baseline declares", kind.noun),
        )
        .expected(json!(name))
        .at(loc)
        .push();
    }

    /// Compares what users, groups and roles have in common.
    fn principal(
        &mut self,
        kind: &Kind,
        name: &str,
        spec: &PrincipalSpec,
        obj: &Obj<impl Sized>,
        p: &Principal,
    ) {
        let resource = format!("{}{name}", kind.prefix);
        let changed = leak(kind.rule, "changed");
        if let Some(want) = &spec.path {
            self.scalar(kind, &resource, obj, "path", want, p.path.as_ref(), |w| {
                json!(w)
            });
        }
        if let Some(want) = &spec.permissions_boundary {
            if obj.unknown.contains("permissions_boundary") {
                self.unknown(
                    kind,
                    &resource,
                    obj,
                    "permissions_boundary",
                    json!(want.value),
                    want.loc,
                );
            } else if let Some(have) = &p.permissions_boundary {
                if *have != want.value {
                    let message = match (&want.value, have) {
                        (Some(w), None) => format!("{} `{name}` lost its permissions boundary `{w}`: nothing caps its permissions any more", kind.noun),
                        (None, Some(h)) => format!("{} `{name}` has permissions boundary `{h}`, the baseline declares none", kind.noun),
                        (Some(w), Some(h)) => format!("{} `{name}` has permissions boundary `{h}` instead of `{w}`", kind.noun),
                        (None, None) => String::new(),
                    };
                    self.draft(changed, resource.clone(), &obj.origin, message)
                        .field("permissions_boundary")
                        .expected(json!(want.value))
                        .observed(self_observed(obj, "permissions_boundary", json!(have)))
                        .at(want.loc)
                        .push();
                }
            }
        }
        if let Some(want) = &spec.tags {
            if obj.unknown.contains("tags") {
                self.unknown(kind, &resource, obj, "tags", json!(want.value), want.loc);
            } else if let Some(have) = &p.tags {
                if *have != want.value {
                    self.draft(
                        changed,
                        resource.clone(),
                        &obj.origin,
                        format!(
                            "the tags of {} `{name}` differ from the baseline",
                            kind.noun
                        ),
                    )
                    .field("tags")
                    .expected(json!(want.value))
                    .observed(self_observed(obj, "tags", json!(have)))
                    .at(want.loc)
                    .push();
                }
            }
        }
        if let (Some(want), Some(have)) = (&spec.managed_policies, &p.managed_policies) {
            self.name_set(
                kind,
                &resource,
                name,
                "managed_policies",
                "managed policy",
                want,
                have,
                obj,
            );
        }
        if let (Some(want), Some(have)) = (&spec.inline_policies, &p.inline_policies) {
            self.documents(kind, &resource, name, want, have);
        }
    }

    /// Compares one scalar field that has no direction.
    #[allow(clippy::too_many_arguments)]
    fn scalar<T: PartialEq + std::fmt::Debug, O>(
        &mut self,
        kind: &Kind,
        resource: &str,
        obj: &Obj<O>,
        field: &'static str,
        want: &Sp<T>,
        have: Option<&T>,
        to_json: impl Fn(&T) -> Value,
    ) {
        if obj.unknown.contains(field) {
            self.unknown(kind, resource, obj, field, to_json(&want.value), want.loc);
            return;
        }
        let Some(have) = have else { return };
        if *have == want.value {
            return;
        }
        let observed = self_observed(obj, field, to_json(have));
        let message = format!(
            "`{field}` of {} `{}` is {}, the baseline expects {}",
            kind.noun,
            resource.trim_start_matches(kind.prefix),
            show(&observed),
            show(&to_json(&want.value)),
        );
        self.draft(leak(kind.rule, "changed"), resource, &obj.origin, message)
            .field(field)
            .expected(to_json(&want.value))
            .observed(observed)
            .at(want.loc)
            .push();
    }

    fn unknown<O>(
        &mut self,
        kind: &Kind,
        resource: &str,
        obj: &Obj<O>,
        field: &str,
        expected: Value,
        loc: Loc,
    ) {
        self.draft(
            leak(kind.rule, "unknown"),
            resource,
            &obj.origin,
            format!(
                "`{field}` of {} `{}` is known only after apply",
                kind.noun,
                resource.trim_start_matches(kind.prefix)
            ),
        )
        .field(field)
        .expected(expected)
        .at(loc)
        .push();
    }

    /// An exact set of names: missing and extra items are both drift.
    #[allow(clippy::too_many_arguments)]
    fn name_set<O>(
        &mut self,
        kind: &Kind,
        resource: &str,
        name: &str,
        field: &str,
        item_noun: &str,
        want: &Sp<Vec<Sp<String>>>,
        have: &NameSet,
        obj: &Obj<O>,
    ) {
        let expected = json!(want.value.iter().map(|s| &s.value).collect::<Vec<_>>());
        let observed = json!(have.present_names().collect::<Vec<_>>());
        if let Some(origin) = have.unknown.first() {
            self.draft(
                leak(kind.rule, "unknown"),
                resource,
                origin,
                format!(
                    "the {field} of {} `{name}` are known only after apply",
                    kind.noun
                ),
            )
            .field(field)
            .expected(expected.clone())
            .at(want.loc)
            .push();
        }
        for item in &want.value {
            let origin = match have.items.get(&item.value) {
                Some(Obj { value: Some(_), .. }) => continue,
                Some(o) => o.origin.clone(),
                None if have.complete => have.origin.clone().unwrap_or(obj.origin.clone()),
                None => continue,
            };
            let message = match kind.rule {
                "instance-profile" => format!(
                    "role `{}` is removed from instance profile `{name}`: instances using it lose those permissions",
                    item.value
                ),
                _ => format!(
                    "{} `{name}` no longer has {item_noun} `{}`",
                    kind.noun, item.value
                ),
            };
            self.draft(leak(kind.rule, "changed"), resource, &origin, message)
                .field(field)
                .expected(expected.clone())
                .observed(observed.clone())
                .at(item.loc)
                .push();
        }
        for (item, o) in &have.items {
            if o.value.is_none() || want.value.iter().any(|w| &w.value == item) {
                continue;
            }
            self.draft(
                leak(kind.rule, "changed"),
                resource,
                &o.origin,
                format!(
                    "{} `{name}` has {item_noun} `{item}`, which the baseline does not declare",
                    kind.noun
                ),
            )
            .field(field)
            .expected(expected.clone())
            .observed(observed.clone())
            .at(want.loc)
            .push();
        }
    }

    /// Inline policies: an exact set of named documents, compared by meaning.
    fn documents(
        &mut self,
        kind: &Kind,
        resource: &str,
        name: &str,
        want: &Sp<BTreeMap<String, Sp<PolicyDoc>>>,
        have: &Members<PolicyDoc>,
    ) {
        let changed = leak(kind.rule, "changed");
        for origin in &have.unknown {
            self.draft(
                leak(kind.rule, "unknown"),
                resource,
                origin,
                format!(
                    "an inline policy of {} `{name}` is known only after apply",
                    kind.noun
                ),
            )
            .field("inline_policies")
            .at(want.loc)
            .push();
        }
        for (pname, doc) in &want.value {
            let field = format!("inline_policies.{pname}");
            match have.items.get(pname) {
                Some(o) if o.unknown.contains("policy") => {
                    self.unknown(kind, resource, o, "policy", Value::Null, doc.loc);
                }
                Some(
                    o @ Obj {
                        value: Some(got), ..
                    },
                ) if got != &doc.value => {
                    self.doc_changed(
                        changed,
                        resource,
                        &field,
                        format!(
                            "inline policy `{pname}` of {} `{name}` differs from the baseline",
                            kind.noun
                        ),
                        &doc.value,
                        got,
                        o,
                        doc.loc,
                    );
                }
                Some(Obj { value: Some(_), .. }) => {}
                Some(o) => self
                    .draft(
                        changed,
                        resource,
                        &o.origin,
                        format!(
                            "inline policy `{pname}` of {} `{name}` is deleted",
                            kind.noun
                        ),
                    )
                    .field(field)
                    .expected(doc.value.value())
                    .at(doc.loc)
                    .push(),
                None if have.complete => {
                    let origin = have
                        .origin
                        .clone()
                        .unwrap_or(Origin::Live { arn: String::new() });
                    self.draft(
                        changed,
                        resource,
                        &origin,
                        format!("{} `{name}` has no inline policy `{pname}`", kind.noun),
                    )
                    .field(field)
                    .expected(doc.value.value())
                    .at(doc.loc)
                    .push()
                }
                None => {}
            }
        }
        for (pname, o) in &have.items {
            if o.value.is_none() || want.value.contains_key(pname) {
                continue;
            }
            let observed = if o.sensitive.contains("policy") {
                json!(SENSITIVE)
            } else {
                o.value.as_ref().map_or(Value::Null, |d| d.value())
            };
            self.draft(
                changed,
                resource,
                &o.origin,
                format!(
                    "{} `{name}` has inline policy `{pname}`, which the baseline does not declare",
                    kind.noun
                ),
            )
            .field(format!("inline_policies.{pname}"))
            .observed(observed)
            .at(want.loc)
            .push();
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn doc_changed<O>(
        &mut self,
        rule: &'static str,
        resource: &str,
        field: &str,
        message: String,
        want: &PolicyDoc,
        got: &PolicyDoc,
        obj: &Obj<O>,
        loc: Loc,
    ) {
        let sensitive = obj
            .sensitive
            .contains(field.rsplit('.').next().unwrap_or(field))
            || obj.sensitive.contains("policy");
        let (observed, diff) = if sensitive {
            (json!(SENSITIVE), None)
        } else {
            (got.value(), Some(unified_diff(want, got)))
        };
        self.draft(rule, resource, &obj.origin, message)
            .field(field)
            .expected(want.value())
            .observed(observed)
            .diff(diff)
            .at(loc)
            .push();
    }

    fn users(&mut self, b: &Baseline, state: &IamState) {
        let pairs = self.match_objects(
            &USER,
            &b.users,
            &state.users,
            |s| s.loc,
            |s| s.id.as_ref().map(|i| i.value.as_str()),
            |u: &User| principal_ident(&u.principal),
            |_, _| false,
        );
        for (name, spec, obj, user) in pairs {
            let resource = format!("user/{name}");
            self.principal(&USER, name, &spec.principal, obj, &user.principal);
            if let (Some(want), Some(have)) = (&spec.groups, &user.groups) {
                self.name_set(&USER, &resource, name, "groups", "group", want, have, obj);
            }
            if let (Some(want), Some(have)) = (&spec.ssh_public_keys, &user.ssh_keys) {
                self.ssh_keys(name, want, have);
            }
            if let (Some(want), Some(have)) = (&spec.console_access, &user.login_profile) {
                self.login_profile(name, want, have);
            }
            if let (Some(want), Some(devices)) = (&spec.mfa, user.mfa_devices) {
                if want.value && devices == 0 {
                    self.draft(
                        "mfa-removed",
                        resource.clone(),
                        &obj.origin,
                        format!("user `{name}` has no MFA device, the baseline requires one"),
                    )
                    .field("mfa")
                    .expected(json!("required"))
                    .observed(json!(0))
                    .at(want.loc)
                    .push();
                }
            } else if let (Some(want), true) = (&spec.mfa, obj.unknown.contains("mfa")) {
                self.draft(
                    "mfa-unknown",
                    resource.clone(),
                    &obj.origin,
                    format!("whether user `{name}` has an MFA device is known only after apply"),
                )
                .field("mfa")
                .at(want.loc)
                .push();
            }
        }
    }

    fn ssh_keys(&mut self, user: &str, want: &Sp<Vec<SshKeySpec>>, have: &Members<SshKey>) {
        for key in &want.value {
            let resource = format!("user/{user}/ssh-key/{}", key.id);
            match have.items.get(&key.id) {
                Some(o @ Obj { value: Some(k), .. }) => {
                    let Some(status) = &key.status else { continue };
                    if o.unknown.contains("status") {
                        self.draft(
                            "ssh-key-unknown",
                            resource,
                            &o.origin,
                            format!("the status of SSH key `{}` of user `{user}` is known only after apply", key.id),
                        )
                        .field("status")
                        .expected(json!(status.value.as_str()))
                        .at(status.loc)
                        .push();
                    } else if let Some(got) = &k.status {
                        if got != status.value.as_str() {
                            self.draft(
                                "ssh-key-changed",
                                resource,
                                &o.origin,
                                format!(
                                    "SSH key `{}` of user `{user}` is {got}, the baseline expects {}",
                                    key.id,
                                    status.value.as_str()
                                ),
                            )
                            .field("status")
                            .expected(json!(status.value.as_str()))
                            .observed(json!(got))
                            .at(status.loc)
                            .push();
                        }
                    }
                }
                found => {
                    let origin = match found {
                        Some(o) => o.origin.clone(),
                        None if have.complete => have
                            .origin
                            .clone()
                            .unwrap_or(Origin::Live { arn: String::new() }),
                        None => continue,
                    };
                    self.draft(
                        "ssh-key-removed",
                        resource,
                        &origin,
                        format!("SSH key `{}` of user `{user}` is deleted: the user loses SSH access with it", key.id),
                    )
                    .expected(json!({"id": key.id, "status": key.status.as_ref().map(|s| s.value.as_str())}))
                    .at(key.loc)
                    .push();
                }
            }
        }
        for (id, o) in &have.items {
            if o.value.is_none() || want.value.iter().any(|k| &k.id == id) {
                continue;
            }
            self.draft(
                "ssh-key-unmanaged",
                format!("user/{user}/ssh-key/{id}"),
                &o.origin,
                format!("user `{user}` has SSH key `{id}`, which the baseline does not declare"),
            )
            .observed(json!({"id": id}))
            .at(want.loc)
            .push();
        }
        for origin in &have.unknown {
            self.draft(
                "ssh-key-unmanaged",
                format!("user/{user}/ssh-key/(known after apply)"),
                origin,
                format!("the plan uploads a new SSH key for user `{user}`, which the baseline does not declare"),
            )
            .at(want.loc)
            .push();
        }
    }

    fn login_profile(&mut self, user: &str, want: &Sp<bool>, have: &Obj<()>) {
        let resource = format!("user/{user}");
        if have.unknown.contains("login_profile") {
            self.draft(
                "login-profile-unknown",
                resource,
                &have.origin,
                format!("whether user `{user}` has console access is known only after apply"),
            )
            .field("console_access")
            .expected(json!(want.value))
            .at(want.loc)
            .push();
            return;
        }
        let exists = have.value.is_some();
        if want.value && !exists {
            self.draft(
                "login-profile-removed",
                resource,
                &have.origin,
                format!("user `{user}` has no login profile: console access is gone"),
            )
            .field("console_access")
            .expected(json!(true))
            .observed(json!(false))
            .at(want.loc)
            .push();
        } else if !want.value && exists {
            self.draft(
                "login-profile-unmanaged",
                resource,
                &have.origin,
                format!("user `{user}` has a console password, the baseline keeps it out of the console"),
            )
            .field("console_access")
            .expected(json!(false))
            .observed(json!(true))
            .at(want.loc)
            .push();
        }
    }

    fn groups(&mut self, b: &Baseline, state: &IamState) {
        let pairs = self.match_objects(
            &GROUP,
            &b.groups,
            &state.groups,
            |s| s.loc,
            |_| None,
            |g: &Group| principal_ident(&g.principal),
            |_, _| false,
        );
        for (name, spec, obj, group) in pairs {
            self.principal(&GROUP, name, &spec.principal, obj, &group.principal);
        }
    }

    fn roles(&mut self, b: &Baseline, state: &IamState) {
        let pairs = self.match_objects(
            &ROLE,
            &b.roles,
            &state.roles,
            |s| s.loc,
            |s| s.id.as_ref().map(|i| i.value.as_str()),
            |r: &Role| principal_ident(&r.principal),
            // Service-linked roles belong to AWS services, not to the baseline.
            |_, id| id.path.is_some_and(|p| p.starts_with("/aws-service-role/")),
        );
        for (name, spec, obj, role) in pairs {
            let resource = format!("role/{name}");
            self.principal(&ROLE, name, &spec.principal, obj, &role.principal);
            if let Some(want) = &spec.assume_role_policy {
                if obj.unknown.contains("assume_role_policy") {
                    self.unknown(
                        &ROLE,
                        &resource,
                        obj,
                        "assume_role_policy",
                        want.value.value(),
                        want.loc,
                    );
                } else if let Some(got) = &role.assume_role_policy {
                    if got != &want.value {
                        self.doc_changed(
                            "role-changed",
                            &resource,
                            "assume_role_policy",
                            format!("the trust policy of role `{name}` differs from the baseline: check who may assume it now"),
                            &want.value,
                            got,
                            obj,
                            want.loc,
                        );
                    }
                }
            }
            if let Some(want) = &spec.max_session_duration {
                self.scalar(
                    &ROLE,
                    &resource,
                    obj,
                    "max_session_duration",
                    want,
                    role.max_session_duration.as_ref(),
                    |v| json!(v),
                );
            }
            if let Some(want) = &spec.description {
                self.scalar(
                    &ROLE,
                    &resource,
                    obj,
                    "description",
                    want,
                    role.description.as_ref(),
                    |v| json!(v),
                );
            }
        }
    }

    fn instance_profiles(&mut self, b: &Baseline, state: &IamState) {
        let pairs = self.match_objects(
            &PROFILE,
            &b.instance_profiles,
            &state.instance_profiles,
            |s| s.loc,
            |_| None,
            |p: &InstanceProfile| Ident {
                id: p.id.as_deref(),
                path: p.path.as_deref(),
                managed: true,
                ..Ident::default()
            },
            |_, _| false,
        );
        for (name, spec, obj, profile) in pairs {
            let resource = format!("instance-profile/{name}");
            if let Some(want) = &spec.path {
                self.scalar(
                    &PROFILE,
                    &resource,
                    obj,
                    "path",
                    want,
                    profile.path.as_ref(),
                    |v| json!(v),
                );
            }
            if let Some(want) = &spec.roles {
                if obj.unknown.contains("roles") {
                    let expected = json!(want.value.iter().map(|s| &s.value).collect::<Vec<_>>());
                    self.unknown(&PROFILE, &resource, obj, "roles", expected, want.loc);
                } else if let Some(have) = &profile.roles {
                    self.name_set(&PROFILE, &resource, name, "roles", "role", want, have, obj);
                }
            }
        }
    }

    fn policies(&mut self, b: &Baseline, state: &IamState) {
        let pairs = self.match_objects(
            &POLICY,
            &b.policies,
            &state.policies,
            |s| s.loc,
            |_| None,
            |p: &ManagedPolicy| Ident {
                path: p.path.as_deref(),
                managed: true,
                ..Ident::default()
            },
            |_, _| false,
        );
        for (name, spec, obj, policy) in pairs {
            let resource = format!("policy/{name}");
            if let Some(want) = &spec.path {
                self.scalar(
                    &POLICY,
                    &resource,
                    obj,
                    "path",
                    want,
                    policy.path.as_ref(),
                    |v| json!(v),
                );
            }
            if let Some(want) = &spec.description {
                self.scalar(
                    &POLICY,
                    &resource,
                    obj,
                    "description",
                    want,
                    policy.description.as_ref(),
                    |v| json!(v),
                );
            }
            if let Some(want) = &spec.document {
                if obj.unknown.contains("document") {
                    self.unknown(
                        &POLICY,
                        &resource,
                        obj,
                        "document",
                        want.value.value(),
                        want.loc,
                    );
                } else if let Some(got) = &policy.document {
                    if got != &want.value {
                        self.doc_changed(
                            "policy-changed",
                            &resource,
                            "document",
                            format!("the document of customer managed policy `{name}` differs from the baseline"),
                            &want.value,
                            got,
                            obj,
                            want.loc,
                        );
                    }
                }
            }
        }
    }
}

/// The observed value of a field, or a placeholder when it is sensitive.
fn self_observed<O>(obj: &Obj<O>, field: &str, value: Value) -> Value {
    if obj.sensitive.contains(field) {
        json!(SENSITIVE)
    } else {
        value
    }
}

/// A JSON value for a message: strings in backticks, the rest as JSON.
pub(crate) fn show(v: &Value) -> String {
    match v {
        Value::String(s) => format!("`{s}`"),
        Value::Null => "absent".to_string(),
        other => format!("`{other}`"),
    }
}

/// The rule id `<kind>-<change>`, as the `&'static str` the rule table holds.
fn leak(kind: &str, change: &str) -> &'static str {
    rules::RULES
        .iter()
        .find(|r| r.id.strip_suffix(change).and_then(|k| k.strip_suffix('-')) == Some(kind))
        .map_or_else(|| rules::get(&format!("{kind}-{change}")).id, |r| r.id)
}
