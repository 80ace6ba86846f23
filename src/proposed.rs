//! A proposed baseline (the `baseline.yaml` a pull request brings) judged
//! against the baseline in force, so that a change cannot pass its own check
//! by editing the reference it is checked against.
//!
//! The proposed file is read as the state it would accept and compared with
//! the baseline in force by the same diff that judges a plan: a shorter
//! password, a wider trust or policy, a console password or key allowed, an
//! object no longer declared or a new one declared each become one
//! `baseline-changed` finding with the severity the plan would have had. What
//! the state cannot show (a guard left out, `settings` and `guardrails`
//! loosened, another account) is compared entry by entry.

use crate::baseline::{Baseline, KeySpec, PrincipalSpec, Sp, Unmanaged, UserSpec};
use crate::finding::{Finding, Loc, Origin, Severity};
use crate::identity::{Change, Kind, ResourceId, RuleId};
use crate::state::{
    AccessKey, Group, IamState, InstanceProfile, ManagedPolicy, Members, NameSet, Obj,
    OidcProvider, PasswordPolicy, Principal, Role, Root, SamlProvider, SshKey, User,
};
use serde_json::{json, Value};

/// The `baseline-changed` findings of a proposed baseline, most severe first.
/// `path` names the proposed file in messages and sources.
pub fn judge(base: &Baseline, proposed: &Baseline, path: &str) -> Vec<Finding> {
    // Every new declared object is judged, whatever the baseline in force
    // says of undeclared ones.
    let mut reference = base.clone();
    reference.settings.unmanaged = Unmanaged::Report;
    reference.settings.provisioned = Unmanaged::Report;
    reference.settings.ignore.clear();
    reference.settings.waivers.clear();
    let state = as_state(proposed, path);
    let mut out: Vec<Finding> = crate::diff::diff(&reference, &state)
        .findings
        .into_iter()
        .map(changed)
        .collect();
    dropped(base, proposed, path, &mut out);
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out
}

/// One finding of the proposed state as a `baseline-changed` finding.
fn changed(f: Finding) -> Finding {
    let change = f.rule.change();
    let (severity, lead) = match change {
        Change::Strengthened | Change::Narrowed => (Severity::Info, "is stricter"),
        // A new declared object that grants nothing risky.
        Change::Unmanaged if f.severity <= Severity::Medium => (Severity::Low, "would accept"),
        // An object no longer declared: drift stops guarding it.
        Change::Removed if f.field.is_none() => (Severity::Medium, "would accept"),
        _ => (f.severity, "would accept"),
    };
    let message = if f.message.starts_with("the proposed baseline") {
        f.message.clone()
    } else {
        format!("the proposed baseline {lead}: {}", f.message)
    };
    Finding {
        rule: RuleId::BASELINE_CHANGED,
        severity,
        message,
        help: String::new(),
        ..f
    }
}

fn at(path: &str, loc: Loc) -> Origin {
    Origin::Baseline {
        at: format!("{path}:{}:{}", loc.line, loc.column),
        file: path.to_string(),
        position: Some((loc.line, loc.column)),
    }
}

fn file(path: &str) -> Origin {
    Origin::Baseline {
        at: path.to_string(),
        file: path.to_string(),
        position: None,
    }
}

/// The state a baseline accepts: every declared object with its declared
/// values; what it leaves out is out of scope.
pub fn as_state(b: &Baseline, path: &str) -> IamState {
    IamState {
        password_policy: b.password_policy.as_ref().map(|p| {
            Obj::present(
                at(path, p.loc),
                PasswordPolicy {
                    values: p.fields.iter().map(|(k, v)| (*k, v.value)).collect(),
                    reset: Default::default(),
                },
            )
        }),
        account_alias: b
            .account
            .as_ref()
            .and_then(|a| a.alias.as_ref())
            .map(|alias| Obj::present(at(path, alias.loc), alias.value.clone())),
        account_id: b
            .account
            .as_ref()
            .and_then(|a| a.id.as_ref())
            .map(|id| id.value.clone()),
        root: b.account.as_ref().and_then(|a| a.root.as_ref()).map(|r| {
            // A guard the proposed file leaves out is reported as dropped;
            // here it stands as kept.
            Obj::present(
                at(path, r.loc),
                Root {
                    mfa: r.mfa.as_ref().is_none_or(|m| m.value),
                    active_keys: usize::from(r.access_keys.as_ref().is_some_and(|k| k.value)),
                    password_last_used: None,
                    key_last_used: None,
                },
            )
        }),
        users: members(&b.users, path, |u| u.loc, |u| user(u, path)),
        groups: members(
            &b.groups,
            path,
            |g| g.loc,
            |g| Group {
                principal: principal(&g.principal, None, path),
            },
        ),
        roles: members(
            &b.roles,
            path,
            |r| r.loc,
            |r| Role {
                principal: principal(&r.principal, r.id.as_ref(), path),
                assume_role_policy: r.assume_role_policy.as_ref().map(|d| d.value.clone()),
                max_session_duration: r.max_session_duration.as_ref().map(|d| d.value),
                description: r.description.as_ref().map(|d| d.value.clone()),
            },
        ),
        instance_profiles: members(
            &b.instance_profiles,
            path,
            |p| p.loc,
            |p| InstanceProfile {
                id: None,
                path: p.path.as_ref().map(|v| v.value.clone()),
                roles: p.roles.as_ref().map(|r| names(r, path)),
            },
        ),
        policies: members(
            &b.policies,
            path,
            |p| p.loc,
            |p| ManagedPolicy {
                arn: None,
                path: p.path.as_ref().map(|v| v.value.clone()),
                document: p.document.as_ref().map(|d| d.value.clone()),
                description: p.description.as_ref().map(|d| d.value.clone()),
            },
        ),
        oidc_providers: members(
            &b.oidc_providers,
            path,
            |p| p.loc,
            |p| OidcProvider {
                arn: None,
                client_ids: p.client_ids.as_ref().map(|c| names(c, path)),
                thumbprints: p.thumbprints.as_ref().map(|t| names(t, path)),
            },
        ),
        saml_providers: members(
            &b.saml_providers,
            path,
            |p| p.loc,
            |p| SamlProvider {
                arn: None,
                metadata_sha256: p.metadata_sha256.as_ref().map(|m| m.value.clone()),
            },
        ),
        ..IamState::default()
    }
}

/// Every declared object of one kind, and nothing else.
fn members<S, T>(
    specs: &std::collections::BTreeMap<String, S>,
    path: &str,
    loc: impl Fn(&S) -> Loc,
    make: impl Fn(&S) -> T,
) -> Members<T> {
    let mut set = Members::complete(file(path));
    for (name, spec) in specs {
        set.items
            .insert(name.clone(), Obj::present(at(path, loc(spec)), make(spec)));
    }
    set
}

fn names(list: &Sp<Vec<Sp<String>>>, path: &str) -> NameSet {
    let mut set = Members::complete(at(path, list.loc));
    for item in &list.value {
        set.items
            .insert(item.value.clone(), Obj::present(at(path, item.loc), ()));
    }
    set
}

fn principal(spec: &PrincipalSpec, id: Option<&Sp<String>>, path: &str) -> Principal {
    Principal {
        id: id.map(|i| i.value.clone()),
        previous_name: None,
        arn: None,
        path: spec.path.as_ref().map(|p| p.value.clone()),
        managed_policies: spec.managed_policies.as_ref().map(|m| names(m, path)),
        inline_policies: spec.inline_policies.as_ref().map(|docs| {
            let mut set = Members::complete(at(path, docs.loc));
            for (name, doc) in &docs.value {
                set.items.insert(
                    name.clone(),
                    Obj::present(at(path, doc.loc), doc.value.clone()),
                );
            }
            set
        }),
        permissions_boundary: spec.permissions_boundary.as_ref().map(|b| b.value.clone()),
        tags: spec.tags.as_ref().map(|t| t.value.clone()),
        managed: true,
    }
}

fn keys<T>(list: &Sp<Vec<KeySpec>>, path: &str, make: impl Fn(Option<String>) -> T) -> Members<T> {
    let mut set = Members::complete(at(path, list.loc));
    for key in &list.value {
        let status = key.status.as_ref().map(|s| s.value.as_str().to_string());
        set.items.insert(
            key.id.clone(),
            Obj::present(at(path, key.loc), make(status)),
        );
    }
    set
}

fn user(u: &UserSpec, path: &str) -> User {
    User {
        principal: principal(&u.principal, u.id.as_ref(), path),
        groups: u.groups.as_ref().map(|g| names(g, path)),
        ssh_keys: u
            .ssh_public_keys
            .as_ref()
            .map(|k| keys(k, path, |status| SshKey { status })),
        login_profile: u.console_access.as_ref().map(|c| {
            if c.value {
                Obj::present(at(path, c.loc), ())
            } else {
                Obj::absent(at(path, c.loc))
            }
        }),
        mfa_devices: u.mfa.as_ref().map(|m| usize::from(m.value)),
        access_keys: u.access_keys.as_ref().map(|k| {
            keys(k, path, |status| AccessKey {
                status,
                ..AccessKey::default()
            })
        }),
    }
}

/// What a state cannot show: guards the proposed file leaves out, settings
/// and guardrails loosened, another account.
fn dropped(base: &Baseline, proposed: &Baseline, path: &str, out: &mut Vec<Finding>) {
    let mut d = Dropped { path, out };
    d.account(base, proposed);
    if let (Some(want), None) = (&base.password_policy, &proposed.password_policy) {
        d.push(
            Severity::High,
            ResourceId::setting(Kind::PasswordPolicy),
            None,
            Some(want.loc),
            "the proposed baseline no longer declares the password policy: drift stops guarding it"
                .to_string(),
        );
    }
    // The guards of each object both files declare, by their baseline key.
    macro_rules! kept {
        ($d:expr, $r:expr, $want:expr, $have:expr; $($field:ident),+) => {
            $( $d.kept($r, stringify!($field), &$want.$field, &$have.$field); )+
        };
    }
    for (r, want, have) in both(Kind::User, &base.users, &proposed.users) {
        d.principal(&r, &want.principal, &have.principal);
        kept!(d, &r, want, have; groups, console_access, mfa, ssh_public_keys, access_keys);
    }
    for (r, want, have) in both(Kind::Group, &base.groups, &proposed.groups) {
        d.principal(&r, &want.principal, &have.principal);
    }
    for (r, want, have) in both(Kind::Role, &base.roles, &proposed.roles) {
        d.principal(&r, &want.principal, &have.principal);
        kept!(d, &r, want, have; assume_role_policy, max_session_duration, description);
    }
    let profiles = both(
        Kind::InstanceProfile,
        &base.instance_profiles,
        &proposed.instance_profiles,
    );
    for (r, want, have) in profiles {
        kept!(d, &r, want, have; path, roles);
    }
    for (r, want, have) in both(Kind::Policy, &base.policies, &proposed.policies) {
        kept!(d, &r, want, have; path, document, description);
    }
    let oidc = both(
        Kind::OidcProvider,
        &base.oidc_providers,
        &proposed.oidc_providers,
    );
    for (r, want, have) in oidc {
        kept!(d, &r, want, have; client_ids, thumbprints);
    }
    let saml = both(
        Kind::SamlProvider,
        &base.saml_providers,
        &proposed.saml_providers,
    );
    for (r, want, have) in saml {
        kept!(d, &r, want, have; metadata_sha256);
    }
    d.guardrails(base, proposed);
    d.settings(base, proposed);
}

/// The objects of one kind that both files declare, with their resource id.
fn both<'a, S>(
    kind: Kind,
    base: &'a std::collections::BTreeMap<String, S>,
    proposed: &'a std::collections::BTreeMap<String, S>,
) -> Vec<(ResourceId, &'a S, &'a S)> {
    base.iter()
        .filter_map(|(name, want)| {
            let have = proposed.get(name)?;
            Some((ResourceId::object(kind, name.as_str()), want, have))
        })
        .collect()
}

/// The entries of a proposed list that the list in force does not hold.
fn added<'a>(
    have: &'a [Sp<String>],
    want: &'a [Sp<String>],
) -> impl Iterator<Item = &'a Sp<String>> {
    have.iter()
        .filter(move |h| !want.iter().any(|w| w.value == h.value))
}

struct Dropped<'a> {
    path: &'a str,
    out: &'a mut Vec<Finding>,
}

impl Dropped<'_> {
    fn push(
        &mut self,
        severity: Severity,
        resource: ResourceId,
        field: Option<&str>,
        loc: Option<Loc>,
        message: String,
    ) {
        self.push_values(
            severity,
            resource,
            field,
            loc,
            message,
            Value::Null,
            Value::Null,
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn push_values(
        &mut self,
        severity: Severity,
        resource: ResourceId,
        field: Option<&str>,
        loc: Option<Loc>,
        message: String,
        expected: Value,
        observed: Value,
    ) {
        self.out.push(Finding {
            rule: RuleId::BASELINE_CHANGED,
            severity,
            resource,
            field: field.map(str::to_string),
            expected,
            observed,
            source: file(self.path),
            baseline_location: loc,
            message,
            help: String::new(),
            diff: None,
            witnesses: Vec::new(),
            path: None,
        });
    }

    /// A guard of an object that the proposed file leaves out.
    fn kept<T>(
        &mut self,
        resource: &ResourceId,
        field: &str,
        want: &Option<Sp<T>>,
        have: &Option<Sp<T>>,
    ) {
        if let (Some(want), None) = (want, have) {
            self.push(
                Severity::Medium,
                resource.clone(),
                Some(field),
                Some(want.loc),
                format!(
                    "the proposed baseline no longer guards `{field}` of {}: drift stops checking it",
                    resource.as_str()
                ),
            );
        }
    }

    fn principal(&mut self, resource: &ResourceId, want: &PrincipalSpec, have: &PrincipalSpec) {
        self.kept(resource, "path", &want.path, &have.path);
        self.kept(
            resource,
            "managed_policies",
            &want.managed_policies,
            &have.managed_policies,
        );
        self.kept(
            resource,
            "inline_policies",
            &want.inline_policies,
            &have.inline_policies,
        );
        self.kept(
            resource,
            "permissions_boundary",
            &want.permissions_boundary,
            &have.permissions_boundary,
        );
        self.kept(resource, "tags", &want.tags, &have.tags);
    }

    fn account(&mut self, base: &Baseline, proposed: &Baseline) {
        let Some(want) = &base.account else { return };
        let have = proposed.account.as_ref();
        let resource = ResourceId::setting(Kind::Account);
        if let Some(id) = &want.id {
            let other = have.and_then(|a| a.id.as_ref());
            if other.is_none_or(|o| o.value != id.value) {
                self.push_values(
                    Severity::High,
                    resource.clone(),
                    Some("id"),
                    Some(id.loc),
                    match other {
                        Some(o) => format!(
                            "the proposed baseline is for account {}, the baseline in force for account {}",
                            o.value, id.value
                        ),
                        None => format!(
                            "the proposed baseline no longer names the account ({}): a live read of any account passes its guard",
                            id.value
                        ),
                    },
                    json!(id.value),
                    other.map_or(Value::Null, |o| json!(o.value)),
                );
            }
        }
        if let Some(alias) = &want.alias {
            if have.and_then(|a| a.alias.as_ref()).is_none() {
                self.push(
                    Severity::Low,
                    resource.clone(),
                    Some("alias"),
                    Some(alias.loc),
                    "the proposed baseline no longer guards the account alias".to_string(),
                );
            }
        }
        if let Some(root) = &want.root {
            let other = have.and_then(|a| a.root.as_ref());
            let root_id = ResourceId::setting(Kind::Root);
            for (field, guard) in [("access_keys", &root.access_keys), ("mfa", &root.mfa)] {
                let Some(guard) = guard else { continue };
                let kept = other.and_then(|o| {
                    if field == "mfa" {
                        o.mfa.as_ref()
                    } else {
                        o.access_keys.as_ref()
                    }
                });
                if kept.is_none() {
                    self.push(
                        Severity::High,
                        root_id.clone(),
                        Some(field),
                        Some(guard.loc),
                        format!(
                            "the proposed baseline no longer guards `{field}` of the root user: drift stops checking it"
                        ),
                    );
                }
            }
        }
    }

    fn guardrails(&mut self, base: &Baseline, proposed: &Baseline) {
        let Some(want) = &base.guardrails else { return };
        let resource = ResourceId::setting(Kind::Guardrail);
        let Some(have) = &proposed.guardrails else {
            self.push(
                Severity::High,
                resource,
                None,
                Some(want.loc),
                "the proposed baseline drops every guardrail".to_string(),
            );
            return;
        };
        // A list that allows more: trusted accounts and subjects added.
        for (field, w, h) in [
            (
                "trusted_accounts",
                &want.trusted_accounts,
                &have.trusted_accounts,
            ),
            (
                "trusted_oidc_subjects",
                &want.trusted_oidc_subjects,
                &have.trusted_oidc_subjects,
            ),
        ] {
            let Some(w) = w else { continue };
            match h {
                None => self.push(
                    Severity::High,
                    resource.clone(),
                    Some(field),
                    Some(w.loc),
                    format!("the proposed baseline drops the guardrail `{field}`"),
                ),
                Some(h) => {
                    for added in added(&h.value, &w.value) {
                        self.push_values(
                            Severity::High,
                            resource.clone(),
                            Some(&format!("{field}.{}", added.value)),
                            Some(w.loc),
                            format!(
                                "the proposed baseline adds `{}` to the guardrail `{field}`",
                                added.value
                            ),
                            Value::Null,
                            json!(added.value),
                        );
                    }
                }
            }
        }
        // A list that forbids less: never_allow entries removed.
        if let Some(w) = &want.never_allow {
            let kept: Vec<&str> = have
                .never_allow
                .iter()
                .flat_map(|h| h.value.iter().map(|v| v.value.as_str()))
                .collect();
            for gone in w.value.iter().filter(|v| !kept.contains(&v.value.as_str())) {
                self.push_values(
                    Severity::High,
                    resource.clone(),
                    Some(&format!("never_allow.{}", gone.value)),
                    Some(gone.loc),
                    format!(
                        "the proposed baseline no longer forbids `{}` (guardrail `never_allow`)",
                        gone.value
                    ),
                    json!(gone.value),
                    Value::Null,
                );
            }
        }
        if let Some(w) = want.public_trust_forbidden.as_ref().filter(|p| p.value) {
            if !have
                .public_trust_forbidden
                .as_ref()
                .is_some_and(|p| p.value)
            {
                self.push(
                    Severity::High,
                    resource,
                    Some("public_trust"),
                    Some(w.loc),
                    "the proposed baseline no longer forbids trust policies open to everyone (guardrail `public_trust`)".to_string(),
                );
            }
        }
    }

    fn settings(&mut self, base: &Baseline, proposed: &Baseline) {
        let (want, have) = (&base.settings, &proposed.settings);
        let resource = ResourceId::setting(Kind::Baseline);
        if want.unmanaged == Unmanaged::Report && have.unmanaged == Unmanaged::Ignore {
            self.push(
                Severity::Medium,
                resource.clone(),
                Some("settings.unmanaged"),
                None,
                "the proposed baseline quiets undeclared objects (`settings.unmanaged: ignore`)"
                    .to_string(),
            );
        }
        if want.provisioned == Unmanaged::Report && have.provisioned == Unmanaged::Ignore {
            self.push(
                Severity::Low,
                resource.clone(),
                Some("settings.provisioned"),
                None,
                "the proposed baseline leaves out undeclared objects AWS made \
(`settings.provisioned: ignore`)"
                    .to_string(),
            );
        }
        for added in added(&have.ignore, &want.ignore) {
            self.push_values(
                Severity::Medium,
                resource.clone(),
                Some(&format!("settings.ignore.{}", added.value)),
                None,
                format!(
                    "the proposed baseline hides the findings matching `{}` (`settings.ignore`)",
                    added.value
                ),
                Value::Null,
                json!(added.value),
            );
        }
        // A new waiver, or one that holds longer, hides findings the
        // baseline in force reports.
        for w in &have.waivers {
            let label = w.label();
            let until =
                |x: &crate::baseline::Waiver| x.expires.as_ref().map_or(i64::MAX, |e| e.value);
            let before = want
                .waivers
                .iter()
                .filter(|b| b.label() == label)
                .map(until)
                .max();
            if before.is_some_and(|b| until(w) <= b) {
                continue;
            }
            let date = w.expires.as_ref().map_or("with no date".to_string(), |e| {
                format!("until {}", crate::time::date(e.value))
            });
            self.push_values(
                Severity::Medium,
                resource.clone(),
                Some(&format!("settings.ignore.{label}")),
                None,
                format!(
                    "the proposed baseline waives `{label}` {date} (reason: {}){}",
                    w.reason.value,
                    if before.is_some() { ", longer than the baseline in force" } else { "" }
                ),
                Value::Null,
                json!({ "reason": w.reason.value, "expires": w.expires.as_ref().map(|e| crate::time::date(e.value)) }),
            );
        }
        for (rule, sev) in &have.severity {
            let default = crate::rules::find(rule).map(|r| r.severity);
            let before = want.severity.get(rule).map(|s| s.value).or(default);
            if before.is_some_and(|b| sev.value < b) {
                self.push_values(
                    Severity::Medium,
                    resource.clone(),
                    Some(&format!("settings.severity.{rule}")),
                    None,
                    format!(
                        "the proposed baseline lowers `{rule}` from {} to {} (`settings.severity`)",
                        before.unwrap_or(Severity::Info),
                        sev.value
                    ),
                    json!(before.map(|b| b.as_str())),
                    json!(sev.value.as_str()),
                );
            }
        }
        if let Some(w) = &want.max_key_age_days {
            match &have.max_key_age_days {
                Some(h) if h.value <= w.value => {}
                other => self.push_values(
                    Severity::Medium,
                    resource.clone(),
                    Some("settings.max_key_age_days"),
                    Some(w.loc),
                    format!(
                        "the proposed baseline lets access keys grow older: `settings.max_key_age_days` {} → {}",
                        w.value,
                        other.as_ref().map_or("none".to_string(), |h| h.value.to_string())
                    ),
                    json!(w.value),
                    other.as_ref().map_or(Value::Null, |h| json!(h.value)),
                ),
            }
        }
        for added in added(&have.trusted_accounts, &want.trusted_accounts) {
            self.push_values(
                Severity::High,
                resource.clone(),
                Some(&format!("settings.trusted_accounts.{}", added.value)),
                None,
                format!(
                    "the proposed baseline trusts account `{}` (`settings.trusted_accounts`): trust policies may name it",
                    added.value
                ),
                Value::Null,
                json!(added.value),
            );
        }
    }
}
