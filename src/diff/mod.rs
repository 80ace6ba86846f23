//! The diff engine: baseline against observed state, yielding findings.
//!
//! One file per kind decides *what* differs for that kind and gives each finding
//! its default severity; the shared pieces match objects (removed, unmanaged,
//! renamed, replaced, unknown: [`objects`]) and compare fields ([`fields`]).
//! Severity overrides, ignores and `settings.unmanaged` are applied afterwards in
//! one place ([`crate::triage`]), never here.

mod access_key;
mod account;
mod fields;
mod group;
mod guardrail;
mod instance_profile;
mod judged;
mod keys;
mod login_profile;
mod mfa;
mod multiple_writes;
mod objects;
mod oidc_provider;
mod password_policy;
mod policy;
mod principal;
mod role;
mod root;
mod saml_provider;
mod ssh_key;
mod unattributed;
mod user;

use crate::baseline::Baseline;
use crate::finding::{Finding, Loc, Origin};
use crate::identity::{ResourceId, RuleId};
use crate::rules;
use crate::state::{IamState, Obj};
use serde_json::{json, Value};

/// What a comparison produced.
#[derive(Debug, Default)]
pub struct DiffResult {
    pub findings: Vec<Finding>,
    /// Baseline entries the source neither manages nor touches.
    pub out_of_scope: usize,
}

pub fn diff(baseline: &Baseline, state: &IamState) -> DiffResult {
    let cx_of = || Cx {
        // Undeclared objects that triage would drop are not even built (a large
        // plan holds tens of thousands of them); triage decides which.
        unmanaged: baseline.settings.unmanaged,
        provisioned: baseline.settings.provisioned,
        trusted: trusted_accounts(baseline, state),
        documents: managed_documents(baseline, state),
        secrets: state.secrets.iter().cloned().collect(),
        ..Cx::default()
    };
    // Many users are judged on a thread of their own, beside every other
    // kind: in a large account they are most of the objects and of the
    // documents to rate. Their findings take the place one thread gives them.
    // A small account is judged on one thread: a thread per judgement (one
    // per account of an organization) would cost more than it saves, and
    // the findings it leaves behind keep its memory pages alive.
    let apart = state.users.items.len() >= USERS_APART;
    std::thread::scope(|scope| {
        let users = apart.then(|| {
            scope.spawn(|| {
                let mut cx = cx_of();
                user::check(&mut cx, baseline, state);
                cx.result
            })
        });
        let mut cx = cx_of();
        account::check(&mut cx, baseline, state);
        password_policy::check(&mut cx, baseline, state);
        let at = cx.result.findings.len();
        if !apart {
            user::check(&mut cx, baseline, state);
        }
        others(&mut cx, baseline, state);
        if let Some(users) = users {
            let users = users
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            cx.result.findings.splice(at..at, users.findings);
            cx.result.out_of_scope += users.out_of_scope;
        }
        cx.result
            .findings
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        cx.result
    })
}

/// How many users a state holds for them to be judged on a thread of their own.
const USERS_APART: usize = 256;

/// The kinds after users, and the checks across kinds.
fn others(cx: &mut Cx, baseline: &Baseline, state: &IamState) {
    group::check(cx, baseline, state);
    role::check(cx, baseline, state);
    instance_profile::check(cx, baseline, state);
    policy::check(cx, baseline, state);
    oidc_provider::check(cx, baseline, state);
    saml_provider::check(cx, baseline, state);
    root::check(cx, baseline, state);
    guardrail::check(cx, baseline, state);
    access_key::stale(cx, baseline, state);
    unattributed::check(cx, state);
    multiple_writes::check(cx, baseline, state);
}

/// What an observed value shows instead of a value that must not be printed.
const SENSITIVE: &str = "(sensitive value)";

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
    pub fn message(mut self, message: String) -> Self {
        self.finding.message = message;
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
    pub fn witnesses(mut self, witnesses: Vec<crate::finding::Witness>) -> Self {
        self.finding.witnesses = witnesses;
        self
    }
    /// A severity other than the rule's default, for a finding the rule's
    /// `why` explains is worse (the password policy is account-wide).
    pub fn severity(mut self, severity: crate::finding::Severity) -> Self {
        self.finding.severity = severity;
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
    unmanaged: crate::baseline::Unmanaged,
    /// `settings.provisioned`.
    provisioned: crate::baseline::Unmanaged,
    /// The accounts trust policies may name: `account.id`, the account read,
    /// and `settings.trusted_accounts`.
    trusted: Vec<String>,
    /// Customer managed policies' documents by name, as observed (or, when
    /// the source does not show one, as the baseline declares it): what an
    /// attachment grants.
    documents: std::collections::HashMap<String, crate::policy_doc::PolicyDoc>,
    /// The source's sensitive values: what is derived from one (the name in a
    /// sensitive ARN) is not written either.
    secrets: Vec<String>,
    /// Documents already rated on their own, by kind and text: a rating
    /// depends on nothing else (the trusted accounts are the run's).
    ratings: std::cell::RefCell<Ratings>,
}

type Ratings = std::collections::HashMap<
    (crate::policy::DocKind, (bool, std::sync::Arc<str>)),
    std::rc::Rc<crate::policy::Rating>,
    foldhash::fast::RandomState,
>;

fn trusted_accounts(baseline: &Baseline, state: &IamState) -> Vec<String> {
    let mut out: Vec<String> = baseline
        .settings
        .trusted_accounts
        .iter()
        .map(|a| a.value.clone())
        .collect();
    if let Some(id) = baseline.account.as_ref().and_then(|a| a.id.as_ref()) {
        out.push(id.value.clone());
    }
    out.extend(state.account_id.clone());
    out
}

fn managed_documents(
    baseline: &Baseline,
    state: &IamState,
) -> std::collections::HashMap<String, crate::policy_doc::PolicyDoc> {
    let mut out = std::collections::HashMap::new();
    for (name, spec) in &baseline.policies {
        if let Some(doc) = &spec.document {
            out.insert(name.clone(), doc.value.clone());
        }
    }
    for (name, obj) in &state.policies.items {
        if let Some(doc) = obj.value.as_ref().and_then(|p| p.document.as_ref()) {
            if obj.unknown.contains("document") || obj.sensitive.contains("document") {
                continue;
            }
            out.insert(name.clone(), doc.clone());
        }
    }
    out
}

impl Cx {
    pub fn draft(
        &mut self,
        rule: RuleId,
        resource: ResourceId,
        source: &Origin,
        message: String,
    ) -> Draft<'_> {
        Draft {
            finding: Finding {
                rule,
                severity: rules::get(rule).severity,
                resource,
                field: None,
                expected: Value::Null,
                observed: Value::Null,
                source: source.clone(),
                baseline_location: None,
                message,
                // Filled in by triage for the findings that are kept.
                help: String::new(),
                diff: None,
                witnesses: Vec::new(),
                path: None,
            },
            cx: self,
        }
    }

    /// The accounts a trust policy may name without concern.
    pub fn trusted_accounts(&self) -> crate::policy::trust::Trusted<'_> {
        crate::policy::trust::Trusted {
            accounts: &self.trusted,
        }
    }

    /// Whether a text is, holds or is part of a sensitive value.
    pub fn touches_secret(&self, text: &str) -> bool {
        self.secrets
            .iter()
            .any(|s| !s.is_empty() && (s.contains(text) || text.contains(s.as_str())))
    }

    /// Whether triage would drop a finding about an undeclared object of
    /// `kind` at `severity` (`settings.unmanaged`), so that it is not built.
    pub fn quiets_undeclared(
        &self,
        kind: crate::identity::Kind,
        severity: crate::finding::Severity,
    ) -> bool {
        crate::triage::quiets_undeclared(self.unmanaged, kind, severity)
    }

    pub fn out_of_scope(&mut self) {
        self.result.out_of_scope += 1;
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

/// Where a missing item of a complete collection was read, for its finding.
fn collection_origin(origin: Option<&Origin>) -> Origin {
    origin
        .cloned()
        .unwrap_or(Origin::Live { arn: String::new() })
}
