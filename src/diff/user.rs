//! Users: what they share with groups and roles, group memberships, and the
//! credentials hanging on them (SSH keys, login profile, MFA).

use super::objects::{Declared, Ident, KindRules, Observed};
use super::{access_key, login_profile, mfa, principal, ssh_key, Cx};
use crate::baseline::{Baseline, UserSpec};
use crate::finding::Loc;
use crate::identity::{Kind, RuleId};
use crate::policy::risk::Concern;
use crate::state::{IamState, User};
use serde_json::Value;
use std::collections::BTreeSet;

pub(super) static RULES: KindRules = KindRules {
    kind: Kind::User,
    removed: RuleId::USER_REMOVED,
    changed: RuleId::USER_CHANGED,
    unmanaged: RuleId::USER_UNMANAGED,
    unknown: RuleId::USER_UNKNOWN,
    provisioned: None,
};

impl Declared for UserSpec {
    fn loc(&self) -> Loc {
        self.loc
    }
    fn pinned_id(&self) -> Option<&str> {
        self.id.as_ref().map(|i| i.value.as_str())
    }
}

impl Observed for User {
    fn ident(&self) -> Ident<'_> {
        principal::ident(&self.principal)
    }
    fn risk(&self, cx: &Cx, sensitive: &BTreeSet<&'static str>) -> Vec<Concern> {
        cx.principal_risk(&self.principal, None, sensitive)
    }
    fn grants(&self, sensitive: &BTreeSet<&'static str>) -> Value {
        Value::Object(principal::grants(&self.principal, sensitive))
    }
}

pub(super) fn check(cx: &mut Cx, baseline: &Baseline, state: &IamState) {
    for pair in cx.match_objects(&RULES, &baseline.users, &state.users) {
        let (s, spec, user) = (&pair.subject, pair.spec, pair.value);
        cx.principal(s, &spec.principal, &user.principal);
        if let (Some(want), Some(have)) = (&spec.groups, &user.groups) {
            cx.name_set(s, "groups", "group", want, have);
        }
        if let (Some(want), Some(have)) = (&spec.ssh_public_keys, &user.ssh_keys) {
            ssh_key::check(cx, s.name, want, have);
        }
        if let (Some(want), Some(have)) = (&spec.access_keys, &user.access_keys) {
            access_key::check(cx, s.name, want, have);
        }
        if let (Some(want), Some(have)) = (&spec.console_access, &user.login_profile) {
            login_profile::check(cx, s.name, want, have);
        }
        mfa::check(cx, s, spec.mfa.as_ref(), user.mfa_devices);
    }
}
