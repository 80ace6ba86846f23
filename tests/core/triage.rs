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
