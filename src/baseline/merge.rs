//! An account's baseline in a run over several accounts: the shared file
//! with the account's own file added. Everything is declared in one of the
//! two: an object, a key of `account`, `password_policy` or `guardrails`, or
//! a scalar setting declared in both is an error at the own file's line that
//! names the shared file's; the lists of `settings` (`ignore`, `severity`,
//! `trusted_accounts`) are joined.

use super::{Baseline, BaselineError, Settings};
use crate::finding::Loc;
use std::collections::BTreeMap;

/// Merges `own` (file 1) over `shared` (file 0); `shared_path` names the
/// shared file in errors.
pub fn merge(
    shared: &Baseline,
    own: Baseline,
    shared_path: &str,
) -> Result<Baseline, Vec<BaselineError>> {
    let mut m = Merger {
        errors: Vec::new(),
        shared_path,
    };
    let mut out = shared.clone();
    m.objects("users", &mut out.users, own.users, |s| s.loc);
    m.objects("groups", &mut out.groups, own.groups, |s| s.loc);
    m.objects("roles", &mut out.roles, own.roles, |s| s.loc);
    m.objects(
        "instance_profiles",
        &mut out.instance_profiles,
        own.instance_profiles,
        |s| s.loc,
    );
    m.objects("policies", &mut out.policies, own.policies, |s| s.loc);
    m.objects(
        "identity_providers.oidc",
        &mut out.oidc_providers,
        own.oidc_providers,
        |s| s.loc,
    );
    m.objects(
        "identity_providers.saml",
        &mut out.saml_providers,
        own.saml_providers,
        |s| s.loc,
    );
    if let Some(own_account) = own.account {
        match &mut out.account {
            None => out.account = Some(own_account),
            Some(acc) => {
                m.one("account.id", &mut acc.id, own_account.id, |s| s.loc);
                m.one("account.alias", &mut acc.alias, own_account.alias, |s| {
                    s.loc
                });
                m.one("account.root", &mut acc.root, own_account.root, |s| s.loc);
            }
        }
    }
    m.one(
        "password_policy",
        &mut out.password_policy,
        own.password_policy,
        |s| s.loc,
    );
    if let Some(own_rails) = own.guardrails {
        match &mut out.guardrails {
            None => out.guardrails = Some(own_rails),
            Some(g) => {
                m.one(
                    "guardrails.trusted_accounts",
                    &mut g.trusted_accounts,
                    own_rails.trusted_accounts,
                    |s| s.loc,
                );
                m.one(
                    "guardrails.trusted_oidc_subjects",
                    &mut g.trusted_oidc_subjects,
                    own_rails.trusted_oidc_subjects,
                    |s| s.loc,
                );
                m.one(
                    "guardrails.never_allow",
                    &mut g.never_allow,
                    own_rails.never_allow,
                    |s| s.loc,
                );
                m.one(
                    "guardrails.public_trust",
                    &mut g.public_trust_forbidden,
                    own_rails.public_trust_forbidden,
                    |s| s.loc,
                );
            }
        }
    }
    m.settings(&mut out.settings, own.settings);
    if m.errors.is_empty() {
        Ok(out)
    } else {
        Err(m.errors)
    }
}

struct Merger<'a> {
    errors: Vec<BaselineError>,
    shared_path: &'a str,
}

impl Merger<'_> {
    fn both(&mut self, what: &str, own: Loc, shared: Loc) {
        self.errors.push(BaselineError {
            message: format!(
                "`{what}` is declared here and in the shared baseline ({}:{})",
                self.shared_path, shared.line
            ),
            loc: Some(own),
            label: "declared in both".to_string(),
            help: Some(
                "declare it in one file: the shared one for every account, or this account's own"
                    .to_string(),
            ),
        });
    }

    fn objects<T>(
        &mut self,
        section: &str,
        into: &mut BTreeMap<String, T>,
        own: BTreeMap<String, T>,
        loc: fn(&T) -> Loc,
    ) {
        for (name, spec) in own {
            if let Some(shared) = into.get(&name) {
                let at = loc(shared);
                self.both(&format!("{section}.{name}"), loc(&spec), at);
                continue;
            }
            into.insert(name, spec);
        }
    }

    fn one<T>(&mut self, what: &str, into: &mut Option<T>, own: Option<T>, loc: fn(&T) -> Loc) {
        let Some(own) = own else {
            return;
        };
        match into {
            Some(shared) => {
                let at = loc(shared);
                self.both(what, loc(&own), at);
            }
            None => *into = Some(own),
        }
    }

    fn settings(&mut self, into: &mut Settings, own: Settings) {
        let declared =
            |s: &Settings, key: &str| s.declared.iter().find(|d| d.value == key).map(|d| d.loc);
        for key in ["unmanaged", "provisioned", "max_key_age_days"] {
            let (Some(at), shared) = (declared(&own, key), declared(into, key)) else {
                continue;
            };
            if let Some(shared) = shared {
                self.both(&format!("settings.{key}"), at, shared);
                continue;
            }
            match key {
                "unmanaged" => into.unmanaged = own.unmanaged,
                "provisioned" => into.provisioned = own.provisioned,
                _ => into.max_key_age_days.clone_from(&own.max_key_age_days),
            }
        }
        for (rule, sev) in own.severity {
            if let Some(shared) = into.severity.get(&rule) {
                let at = shared.loc;
                self.both(&format!("settings.severity.{rule}"), sev.loc, at);
                continue;
            }
            into.severity.insert(rule, sev);
        }
        into.ignore.extend(own.ignore);
        into.waivers.extend(own.waivers);
        into.trusted_accounts.extend(own.trusted_accounts);
        into.declared.extend(own.declared);
    }
}
