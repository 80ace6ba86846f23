use iam_drift_guard::baseline;
use iam_drift_guard::finding::{Finding, Origin, Severity};
use iam_drift_guard::identity::{Kind, Name, ResourceId, RuleId};
use iam_drift_guard::triage::{apply, glob_match, ignores};
use serde_json::Value;

fn user(name: &str) -> ResourceId {
    ResourceId::object(Kind::User, name)
}

fn ssh_key(user_name: &str, id: &str) -> ResourceId {
    user(user_name).child(Kind::SshKey, Name::Known(id.to_string()))
}

fn finding(rule: RuleId, resource: ResourceId, path: Option<&str>) -> Finding {
    Finding {
        rule,
        severity: iam_drift_guard::rules::get(rule).severity,
        resource,
        field: None,
        expected: Value::Null,
        observed: Value::Null,
        source: Origin::plan("x", &["create"]),
        baseline_location: None,
        message: String::new(),
        help: String::new(),
        diff: None,
        witnesses: Vec::new(),
        path: path.map(str::to_string),
    }
}

#[test]
fn globs() {
    assert!(glob_match("ci-*", "ci-bot"));
    assert!(glob_match("*", ""));
    assert!(glob_match(
        "/aws-service-role/*",
        "/aws-service-role/x/AWSServiceRoleForSupport"
    ));
    assert!(glob_match("user/?ob", "user/bob"));
    assert!(!glob_match("ci-*", "deploy"));
    assert!(!glob_match("user/?ob", "user/boob"));
}

#[test]
fn kind_patterns_match_names_and_paths() {
    let slr = finding(
        RuleId::ROLE_UNMANAGED,
        ResourceId::object(Kind::Role, "AWSServiceRoleForSupport"),
        Some("/aws-service-role/support.amazonaws.com/"),
    );
    assert!(ignores("role:/aws-service-role/*", &slr));
    assert!(!ignores("user:/aws-service-role/*", &slr));
    let key = finding(RuleId::SSH_KEY_UNMANAGED, ssh_key("ci-bot", "APKA1"), None);
    assert!(
        ignores("user:ci-*", &key),
        "ignoring a user ignores its keys"
    );
    assert!(ignores("user/ci-*", &key));
    assert!(!ignores("user:deploy", &key));
}

#[test]
fn part_and_provider_kinds_match_their_own_names() {
    let access = finding(
        RuleId::ACCESS_KEY_STALE,
        user("deploy").child(Kind::AccessKey, Name::Known("AKIAOLD1".into())),
        None,
    );
    assert!(ignores("access-key:AKIAOLD*", &access));
    assert!(!ignores("access-key:AKIANEW*", &access));
    assert!(!ignores("ssh-key:AKIAOLD*", &access));
    assert!(ignores("user:deploy", &access));
    let ssh = finding(RuleId::SSH_KEY_UNMANAGED, ssh_key("deploy", "APKA9"), None);
    assert!(ignores("ssh-key:APKA*", &ssh));
    let oidc = finding(
        RuleId::OIDC_PROVIDER_UNMANAGED,
        ResourceId::object(
            Kind::OidcProvider,
            "oidc.eks.eu-west-1.amazonaws.com/id/ABC",
        ),
        None,
    );
    assert!(ignores("oidc-provider:oidc.eks.*", &oidc));
    assert!(!ignores("saml-provider:*", &oidc));
    let saml = finding(
        RuleId::SAML_PROVIDER_UNMANAGED,
        ResourceId::object(Kind::SamlProvider, "corp-idp"),
        None,
    );
    assert!(ignores("saml-provider:corp-*", &saml));
    assert!(ignores("saml-provider/corp-idp", &saml));
}

#[test]
fn settings_are_applied_in_one_place() {
    let b = baseline::parse(
        "b.yaml",
        "version: 1\nsettings:\n  unmanaged: ignore\n  ignore: ['user:ci-*']\n  severity: { ssh-key-removed: critical }\n",
    )
    .unwrap();
    let out = apply(
        &b.settings,
        vec![
            finding(RuleId::USER_UNMANAGED, user("x"), None),
            finding(RuleId::SSH_KEY_UNMANAGED, ssh_key("alice", "K"), None),
            finding(RuleId::SSH_KEY_REMOVED, ssh_key("alice", "K2"), None),
            finding(RuleId::USER_REMOVED, user("ci-runner"), None),
        ],
    );
    let rules: Vec<(&str, Severity)> = out.iter().map(|f| (f.rule.as_str(), f.severity)).collect();
    assert_eq!(
        rules,
        vec![
            ("ssh-key-removed", Severity::Critical),
            ("ssh-key-unmanaged", Severity::Medium)
        ]
    );
}

/// The start of a date, for waiver clocks.
fn day(text: &str) -> i64 {
    iam_drift_guard::time::parse_date(text).unwrap()
}

const WAIVERS: &str = r#"version: 1
settings:
  ignore:
    - "role:/aws-service-role/*"
    - resource: "user:ci-*"
      rule: user-unmanaged
      reason: "CI users are made by the pipeline; SEC-142, accepted by the platform team"
      expires: "2027-01-31"
    - rule: ssh-key-unmanaged
      reason: "keys are rotated by the bastion; SEC-150"
    - resource: "user/old-*"
      reason: "to be deleted with the old VPC"
      expires: "2026-06-30"
"#;

#[test]
fn waivers_hide_for_a_reason_until_their_date() {
    let b = baseline::parse("baseline.yaml", WAIVERS).unwrap_or_else(|e| panic!("{:?}", e.lines()));
    assert_eq!(
        b.settings.ignore.len(),
        1,
        "the plain pattern stays a pattern"
    );
    assert_eq!(b.settings.waivers.len(), 3);
    let findings = || {
        vec![
            finding(RuleId::USER_UNMANAGED, user("ci-bot"), None),
            finding(RuleId::USER_CHANGED, user("ci-bot"), None),
            finding(RuleId::USER_UNMANAGED, user("old-admin"), None),
            finding(RuleId::USER_UNMANAGED, user("alice"), None),
        ]
    };
    // On the waiver's last day, to its last second, it holds.
    let last_second = day("2027-01-31") + 86_399;
    let t = iam_drift_guard::triage::apply_at(&b.settings, findings(), Some(last_second));
    let waived: Vec<(&str, &str)> = t
        .waived
        .iter()
        .map(|w| (w.finding.resource.as_str(), w.reason.as_str()))
        .collect();
    assert_eq!(
        waived,
        [(
            "user/ci-bot",
            "CI users are made by the pipeline; SEC-142, accepted by the platform team"
        )],
        "only the finding every criterion matches"
    );
    assert_eq!(t.waived[0].expires.as_deref(), Some("2027-01-31"));
    assert_eq!(t.waived[0].waiver_location.line, 5);
    let kept: Vec<(&str, &str)> = t
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.resource.as_str()))
        .collect();
    // The old-* waiver expired in 2026: its finding is back, and it says so;
    // the ssh-key waiver matched nothing.
    for want in [
        ("user-changed", "user/ci-bot"),
        ("user-unmanaged", "user/old-admin"),
        ("user-unmanaged", "user/alice"),
        ("waiver-expired", "waiver/user/old-*"),
        ("waiver-unused", "waiver/ssh-key-unmanaged"),
    ] {
        assert!(kept.contains(&want), "{want:?} in {kept:?}");
    }
    assert_eq!(kept.len(), 5, "{kept:?}");
    let expired = t
        .findings
        .iter()
        .find(|f| f.rule == RuleId::WAIVER_EXPIRED)
        .unwrap();
    assert_eq!(expired.severity, Severity::Low);
    assert!(
        expired.message.contains("2026-06-30"),
        "{}",
        expired.message
    );
    assert_eq!(expired.baseline_location.unwrap().line, 11);
    let unused = t
        .findings
        .iter()
        .find(|f| f.rule == RuleId::WAIVER_UNUSED)
        .unwrap();
    assert_eq!(unused.severity, Severity::Info);

    // A second later the CI waiver has expired too.
    let t = iam_drift_guard::triage::apply_at(&b.settings, findings(), Some(last_second + 1));
    assert!(t.waived.is_empty());
    assert_eq!(
        t.findings
            .iter()
            .filter(|f| f.rule == RuleId::WAIVER_EXPIRED)
            .count(),
        2
    );
    // Without a clock every waiver holds and none is reported.
    let t = iam_drift_guard::triage::apply_at(&b.settings, findings(), None);
    assert_eq!(t.waived.len(), 2, "the old-* waiver too");
    assert!(t.findings.iter().all(|f| f.rule.kind() != Kind::Waiver));
}

#[test]
fn a_waiver_by_fingerprint_hides_that_finding_only() {
    let target = finding(RuleId::USER_UNMANAGED, user("ci-bot"), None);
    let other = finding(RuleId::USER_UNMANAGED, user("ci-bot2"), None);
    let text = format!(
        "version: 1\nsettings:\n  ignore:\n    - fingerprint: \"{}\"\n      reason: accepted\n",
        target.fingerprint().to_uppercase()
    );
    let b = baseline::parse("baseline.yaml", &text).unwrap_or_else(|e| panic!("{:?}", e.lines()));
    let t = iam_drift_guard::triage::apply_at(&b.settings, vec![target, other], Some(0));
    assert_eq!(t.waived.len(), 1);
    assert_eq!(t.waived[0].finding.resource.as_str(), "user/ci-bot");
    assert_eq!(t.findings.len(), 1);
}

#[test]
fn waivers_with_errors_are_all_reported_with_their_lines() {
    let text = r#"version: 1
settings:
  ignore:
    - resource: "user:ci-*"
    - reason: "no matcher"
    - rule: user-unmanagd
      reason: typo
    - rule: user-unmanaged
      reason: bad date
      expires: "2027-02-30"
    - fingerprint: "xyz"
      reason: short
    - resource: "user:x"
      reason: typo in a key
      expire: "2027-01-01"
"#;
    let errors = baseline::parse("baseline.yaml", text).unwrap_err();
    let lines = errors.lines();
    for want in [
        "baseline.yaml:4:7: a waiver needs a `reason`",
        "baseline.yaml:5:7: a waiver names what it hides",
        "baseline.yaml:6:13: unknown rule `user-unmanagd`",
        "baseline.yaml:10:16: `expires` must be a date, `YYYY-MM-DD`",
        "baseline.yaml:11:20: `xyz` is not a finding's fingerprint",
        "baseline.yaml:15:7: unknown key `expire`",
    ] {
        assert!(
            lines.iter().any(|l| l.starts_with(want)),
            "{want} in {lines:#?}"
        );
    }
}

/// The waiver rules fire from triage, not from the diff: the fixture of
/// `every_rule_fires_in_a_fixture`.
pub(super) fn fires() -> Vec<RuleId> {
    let b = baseline::parse("baseline.yaml", WAIVERS).unwrap();
    let findings = vec![finding(RuleId::USER_UNMANAGED, user("old-admin"), None)];
    let t = iam_drift_guard::triage::apply_at(&b.settings, findings, Some(day("2026-12-03")));
    t.findings
        .iter()
        .map(|f| f.rule)
        .filter(|r| r.kind() == Kind::Waiver)
        .collect()
}
