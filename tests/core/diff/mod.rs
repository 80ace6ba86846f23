//! The diff, one file per kind as in `src/diff/`. Each kind's file holds its
//! fixtures (a baseline and an observed state that must fire one rule), and
//! `every_rule_fires_in_a_fixture` checks that together they fire every rule id.

mod access_key;
mod account;
mod grants;
mod group;
mod guardrail;
mod instance_profile;
mod login_profile;
mod mfa;
mod objects;
mod oidc_provider;
mod password_policy;
mod policy;
mod role;
mod root;
mod saml_provider;
mod ssh_key;
mod user;

use iam_drift_guard::baseline::{self, Baseline};
use iam_drift_guard::diff::diff;
use iam_drift_guard::finding::{Finding, Origin, Severity};
use iam_drift_guard::identity::RuleId;
use iam_drift_guard::policy_doc::PolicyDoc;
use iam_drift_guard::state::*;
use serde_json::json;

pub(super) fn bl(yaml: &str) -> Baseline {
    baseline::parse("baseline.yaml", yaml).unwrap_or_else(|e| panic!("{:?}", e.lines()))
}

pub(super) fn origin() -> Origin {
    Origin::plan("aws_iam_account_password_policy.p", &["update"])
}

pub(super) fn pp_state(values: &[(PpField, PpValue)]) -> IamState {
    let policy = PasswordPolicy {
        values: values.iter().copied().collect(),
        ..PasswordPolicy::default()
    };
    IamState {
        password_policy: Some(Obj::present(origin(), policy)),
        ..IamState::default()
    }
}

pub(super) fn rules(findings: &[Finding]) -> Vec<(&'static str, Option<String>)> {
    findings
        .iter()
        .map(|f| (f.rule.as_str(), f.field.clone()))
        .collect()
}

pub(super) const PP: &str = "version: 1\npassword_policy:\n";

/// One password policy field: baseline value, observed value, expected rule.
pub(super) fn pp_case(field: PpField, want: &str, have: Option<PpValue>) -> Vec<&'static str> {
    let b = bl(&format!("{PP}  {}: {want}\n", field.name()));
    let values: Vec<(PpField, PpValue)> = have.map(|v| (field, v)).into_iter().collect();
    diff(&b, &pp_state(&values))
        .findings
        .iter()
        .map(|f| f.rule.as_str())
        .collect()
}

pub(super) fn user(managed: bool) -> User {
    User {
        principal: Principal {
            managed,
            path: Some("/".into()),
            ..Principal::default()
        },
        ..User::default()
    }
}

/// A fixture: a baseline, an observed state, and the rules it must fire (all of
/// them, and nothing else).
pub(super) struct Case {
    pub name: &'static str,
    pub baseline: &'static str,
    pub state: IamState,
    pub fires: &'static [RuleId],
}

/// The rules a fixture fires, each once, in order.
fn fired(case: &Case) -> Vec<RuleId> {
    let mut ids: Vec<RuleId> = diff(&bl(case.baseline), &case.state)
        .findings
        .iter()
        .map(|f| f.rule)
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Asserts that each fixture fires exactly its rules.
pub(super) fn assert_fixtures(cases: &[Case]) {
    for case in cases {
        let mut want = case.fires.to_vec();
        want.sort();
        assert_eq!(fired(case), want, "fixture `{}`", case.name);
    }
}

pub(super) fn live(arn: &str) -> Origin {
    Origin::Live { arn: arn.into() }
}

pub(super) fn planned(address: &str, actions: &[&str]) -> Origin {
    Origin::plan(address, actions)
}

/// A collection read in full from the live account.
pub(super) fn complete<T>(items: Vec<(&str, T)>) -> Members<T> {
    let mut m = Members::complete(live("arn:aws:iam::123456789012:*"));
    for (name, value) in items {
        m.items.insert(name.into(), Obj::present(live(name), value));
    }
    m
}

/// The principal part of a user, group or role that the source manages.
pub(super) fn principal(path: &str) -> Principal {
    Principal {
        managed: true,
        path: Some(path.into()),
        ..Principal::default()
    }
}

#[test]
fn every_rule_fires_in_a_fixture() {
    let cases: Vec<Case> = [
        password_policy::cases(),
        account::cases(),
        user::cases(),
        group::cases(),
        role::cases(),
        instance_profile::cases(),
        policy::cases(),
        ssh_key::cases(),
        login_profile::cases(),
        mfa::cases(),
        access_key::cases(),
        oidc_provider::cases(),
        saml_provider::cases(),
        root::cases(),
        grants::cases(),
        guardrail::cases(),
    ]
    .into_iter()
    .flatten()
    .collect();
    assert_fixtures(&cases);
    let mut fired: std::collections::BTreeSet<RuleId> =
        cases.iter().flat_map(|c| c.fires.iter().copied()).collect();
    // A proposed baseline's rule fires from baseline against baseline.
    fired.extend(super::proposed::fires());
    // Waivers' rules fire from triage.
    fired.extend(super::triage::fires());
    // Resources no baseline judges are found from the plan's parts.
    fired.extend(super::unjudged::fires());
    let missing: Vec<&str> = RuleId::ALL
        .iter()
        .filter(|id| !fired.contains(id))
        .map(|id| id.as_str())
        .collect();
    assert!(missing.is_empty(), "no fixture fires {missing:?}");
}
