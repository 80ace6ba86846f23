//! Rule metadata: id, default severity, why it matters, the CloudTrail events that
//! cause it, and how to fix it (console, CLI, Terraform). One file per kind; the
//! tables together list every [`RuleId`] once, in the order of [`RuleId::ALL`],
//! which the compiler checks.

mod access_key;
mod account;
mod baseline;
mod group;
mod guardrail;
mod instance_profile;
mod login_profile;
mod mfa;
mod oidc_provider;
mod password_policy;
mod permissions_boundary;
mod policy;
mod provider;
mod role;
mod root;
mod saml_provider;
mod shared;
mod ssh_key;
mod user;
mod waiver;

use crate::finding::Severity;
use crate::identity::RuleId;

/// One rule. Ids are `<kind>-<change>` and never change once published.
#[derive(Debug)]
pub struct Rule {
    pub id: RuleId,
    pub severity: Severity,
    pub summary: &'static str,
    pub why: &'static str,
    pub events: &'static [&'static str],
    pub console: &'static str,
    pub cli: &'static str,
    pub terraform: &'static str,
}

impl Rule {
    /// The remediation text that findings of this rule carry.
    /// The CloudTrail events behind the rule, or what to say when no AWS call
    /// is (a waiver, a baseline or a plan's own configuration).
    pub fn events_text(&self) -> String {
        if self.events.is_empty() {
            "none (not a change made in AWS)".to_owned()
        } else {
            self.events.join(", ")
        }
    }

    pub fn help(&self) -> String {
        format!(
            "console: {}\ncli: {}\nterraform: {}",
            self.console, self.cli, self.terraform
        )
    }
}

/// The tables of every kind, in the order `drift rules` lists them.
const TABLES: &[&[Rule]] = &[
    password_policy::RULES,
    account::RULES,
    user::RULES,
    group::RULES,
    role::RULES,
    permissions_boundary::RULES,
    instance_profile::RULES,
    policy::RULES,
    ssh_key::RULES,
    login_profile::RULES,
    mfa::RULES,
    access_key::RULES,
    oidc_provider::RULES,
    saml_provider::RULES,
    root::RULES,
    guardrail::RULES,
    baseline::RULES,
    waiver::RULES,
    provider::RULES,
];

const fn same(a: RuleId, b: RuleId) -> bool {
    a.kind() as u8 == b.kind() as u8 && a.change() as u8 == b.change() as u8
}

// Every rule id has exactly one entry, and the tables hold nothing else: a rule
// id without metadata does not compile.
const _: () = {
    let mut n = 0;
    let mut t = 0;
    while t < TABLES.len() {
        let mut i = 0;
        while i < TABLES[t].len() {
            assert!(
                n < RuleId::ALL.len() && same(TABLES[t][i].id, RuleId::ALL[n]),
                "the rule tables must list RuleId::ALL in order"
            );
            n += 1;
            i += 1;
        }
        t += 1;
    }
    assert!(
        n == RuleId::ALL.len(),
        "a rule id has no entry in the tables"
    );
};

/// Every rule, in the order `drift rules` lists them.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    TABLES.iter().flat_map(|table| table.iter())
}

/// The rule of an id.
pub fn get(id: RuleId) -> &'static Rule {
    all()
        .find(|r| r.id == id)
        .expect("the tables list every rule id (checked at compile time)")
}

/// The rule whose id is `text`, for user input.
pub fn find(text: &str) -> Option<&'static Rule> {
    RuleId::parse(text).map(get)
}
