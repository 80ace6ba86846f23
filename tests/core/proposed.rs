//! A proposed baseline judged against the one in force (`src/proposed.rs`):
//! each entry it weakens, drops or adds is one `baseline-changed` finding,
//! with the severity the same change in a plan would have.

use iam_drift_guard::baseline::{self, Baseline};
use iam_drift_guard::finding::{Finding, Origin, Severity};
use iam_drift_guard::identity::RuleId;
use iam_drift_guard::proposed::judge;

fn bl(yaml: &str) -> Baseline {
    baseline::parse("baseline.yaml", yaml).unwrap_or_else(|e| panic!("{:?}", e.lines()))
}

/// The repository's example baseline: real-sized, every kind.
fn example() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/baseline.yaml")).unwrap()
}

/// The findings of `proposed` against `base`, as (severity, resource, field).
fn changes(base: &str, proposed: &str) -> Vec<Finding> {
    let found = judge(&bl(base), &bl(proposed), "proposed.yaml");
    for f in &found {
        assert_eq!(f.rule, RuleId::BASELINE_CHANGED);
        assert!(
            matches!(&f.source, Origin::Baseline { file, .. } if file == "proposed.yaml"),
            "{f:?}"
        );
    }
    found
}

fn one<'a>(found: &'a [Finding], resource: &str, field: Option<&str>) -> &'a Finding {
    let matching: Vec<&Finding> = found
        .iter()
        .filter(|f| f.resource.as_str() == resource && f.field.as_deref() == field)
        .collect();
    assert_eq!(matching.len(), 1, "{resource} {field:?} in {found:#?}");
    matching[0]
}

/// Edits `text` once, failing when the text to replace is not there.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1)
}

#[test]
fn the_same_baseline_changes_nothing() {
    let b = example();
    assert_eq!(changes(&b, &b), Vec::<Finding>::new());
    // Comments, order and layout are not entries.
    let reformatted = format!(
        "# reviewed\n{}",
        b.replace("  alias: acme-prod", "  alias: \"acme-prod\"")
    );
    assert_eq!(changes(&b, &reformatted), Vec::<Finding>::new());
}

#[test]
fn a_weaker_password_policy_is_as_severe_as_in_a_plan() {
    let b = example();
    let p = edit(
        &b,
        "minimum_password_length: 14",
        "minimum_password_length: 8",
    );
    let p = edit(&p, "max_password_age: 90", "max_password_age: 60");
    let found = changes(&b, &p);
    assert_eq!(found.len(), 2, "{found:#?}");
    let weaker = one(&found, "password-policy", Some("minimum_password_length"));
    assert_eq!(weaker.severity, Severity::High);
    assert_eq!(weaker.expected, 14);
    assert_eq!(weaker.observed, 8);
    // The base's line, and the proposed file's entry as the source.
    assert_eq!(weaker.baseline_location.unwrap().line, 8);
    let stricter = one(&found, "password-policy", Some("max_password_age"));
    assert_eq!(stricter.severity, Severity::Info);
    assert!(
        stricter.message.contains("tightens"),
        "{}",
        stricter.message
    );
}

#[test]
fn a_trust_opened_to_everyone_is_critical() {
    let b = example();
    let p = edit(&b, "Service: ec2.amazonaws.com", "AWS: \"*\"");
    let found = changes(&b, &p);
    let trust = found
        .iter()
        .find(|f| f.resource.as_str() == "role/app")
        .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(trust.severity, Severity::Critical, "{trust:#?}");
    assert!(
        !trust.witnesses.is_empty(),
        "the widening names what it allows"
    );
}

#[test]
fn new_declared_objects_take_the_severity_of_what_they_grant() {
    let b = example();
    let admin = edit(
        &b,
        "roles:\n",
        "roles:\n  backdoor:\n    assume_role_policy:\n      Version: \"2012-10-17\"\n      Statement:\n        - { Effect: Allow, Principal: { AWS: \"*\" }, Action: \"sts:AssumeRole\" }\n    managed_policies: [arn:aws:iam::aws:policy/AdministratorAccess]\n",
    );
    let found = changes(&b, &admin);
    assert_eq!(
        one(&found, "role/backdoor", None).severity,
        Severity::Critical
    );

    let reader = edit(
        &b,
        "roles:\n",
        "roles:\n  reader:\n    assume_role_policy:\n      Version: \"2012-10-17\"\n      Statement:\n        - { Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: \"sts:AssumeRole\" }\n    managed_policies: [arn:aws:iam::aws:policy/ReadOnlyAccess]\n",
    );
    let found = changes(&b, &reader);
    assert_eq!(one(&found, "role/reader", None).severity, Severity::Low);
}

#[test]
fn credentials_allowed_and_guards_dropped_are_reported() {
    let b = example();
    let p = edit(&b, "console_access: false", "console_access: true");
    let p = edit(&p, "    mfa: required\n", "");
    let found = changes(&b, &p);
    let console = one(&found, "user/deploy", Some("console_access"));
    assert_eq!(console.severity, Severity::High);
    let mfa = one(&found, "user/alice", Some("mfa"));
    assert_eq!(mfa.severity, Severity::Medium);
    assert!(mfa.message.contains("no longer guards"), "{}", mfa.message);
    assert_eq!(mfa.baseline_location.unwrap().line, 23);

    // A user the proposed file no longer declares is no longer guarded.
    let start = b.find("  bob:\n").unwrap();
    let end = b.find("\ngroups:").unwrap();
    let without_bob = format!("{}{}", &b[..start], &b[end + 1..]);
    let found = changes(&b, &without_bob);
    let bob = one(&found, "user/bob", None);
    assert_eq!(bob.severity, Severity::Medium);
    assert!(
        bob.message.contains("no longer declares"),
        "{}",
        bob.message
    );
}

#[test]
fn settings_and_guardrails_that_hide_or_allow_more_are_reported() {
    let base = "version: 1\naccount:\n  id: \"123456789012\"\n  root: { access_keys: false, mfa: required }\nguardrails:\n  trusted_accounts: [\"111122223333\"]\n  never_allow: [\"iam:PassRole\", \"iam:CreateAccessKey\"]\n  public_trust: forbidden\nsettings:\n  max_key_age_days: 90\n";
    let proposed = "version: 1\naccount:\n  id: \"999999999999\"\n  root: { access_keys: false }\nguardrails:\n  trusted_accounts: [\"111122223333\", \"444455556666\"]\n  never_allow: [\"iam:PassRole\"]\nsettings:\n  unmanaged: ignore\n  provisioned: ignore\n  ignore: [\"role:ci-*\"]\n  severity: { role-trust-widened: low }\n  max_key_age_days: 365\n  trusted_accounts: [\"777788889999\"]\n";
    let found = changes(base, proposed);
    let fields: Vec<(&str, Option<&str>, Severity)> = found
        .iter()
        .map(|f| (f.resource.as_str(), f.field.as_deref(), f.severity))
        .collect();
    for (resource, field, severity) in [
        ("account", Some("id"), Severity::High),
        ("root", Some("mfa"), Severity::High),
        (
            "guardrail",
            Some("trusted_accounts.444455556666"),
            Severity::High,
        ),
        (
            "guardrail",
            Some("never_allow.iam:CreateAccessKey"),
            Severity::High,
        ),
        ("guardrail", Some("public_trust"), Severity::High),
        ("baseline", Some("settings.unmanaged"), Severity::Medium),
        ("baseline", Some("settings.provisioned"), Severity::Low),
        (
            "baseline",
            Some("settings.ignore.role:ci-*"),
            Severity::Medium,
        ),
        (
            "baseline",
            Some("settings.severity.role-trust-widened"),
            Severity::Medium,
        ),
        (
            "baseline",
            Some("settings.max_key_age_days"),
            Severity::Medium,
        ),
        (
            "baseline",
            Some("settings.trusted_accounts.777788889999"),
            Severity::High,
        ),
    ] {
        assert!(
            fields.contains(&(resource, field, severity)),
            "{resource} {field:?} {severity}: {fields:#?}"
        );
    }
    assert_eq!(fields.len(), 11, "{fields:#?}");
    // The other way round, everything is stricter or the same: nothing to say
    // but the other account.
    let back = changes(proposed, base);
    assert!(
        back.iter()
            .all(|f| f.severity <= Severity::Low || f.field.as_deref() == Some("id")),
        "{back:#?}"
    );
}

/// Every finding of a proposed baseline is `baseline-changed`; the rule
/// fixture of `every_rule_fires_in_a_fixture`.
pub(super) fn fires() -> Vec<RuleId> {
    let b = example();
    let p = edit(
        &b,
        "minimum_password_length: 14",
        "minimum_password_length: 8",
    );
    let mut ids: Vec<RuleId> = changes(&b, &p).iter().map(|f| f.rule).collect();
    ids.dedup();
    ids
}

#[test]
fn a_new_or_longer_waiver_is_reported() {
    let base = "version: 1\nsettings:\n  ignore:\n    - { rule: user-unmanaged, reason: ci users, expires: \"2027-01-31\" }\n";
    let longer = "version: 1\nsettings:\n  ignore:\n    - { rule: user-unmanaged, reason: ci users, expires: \"2027-06-30\" }\n    - { resource: \"role:*\", reason: \"everything\" }\n";
    let found = changes(base, longer);
    let fields: Vec<&str> = found.iter().filter_map(|f| f.field.as_deref()).collect();
    assert_eq!(
        fields,
        ["settings.ignore.role:*", "settings.ignore.user-unmanaged"],
        "{found:#?}"
    );
    assert!(found.iter().all(|f| f.severity == Severity::Medium));
    // A shorter one is stricter: nothing to say.
    assert!(changes(longer, base).is_empty());
}
