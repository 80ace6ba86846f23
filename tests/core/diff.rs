use iam_drift_guard::baseline::{self, Baseline};
use iam_drift_guard::diff::diff;
use iam_drift_guard::finding::{Finding, Origin, Severity};
use iam_drift_guard::policy_doc::PolicyDoc;
use iam_drift_guard::state::*;
use serde_json::json;

fn bl(yaml: &str) -> Baseline {
    baseline::parse("baseline.yaml", yaml).unwrap_or_else(|e| panic!("{:?}", e.lines()))
}

fn origin() -> Origin {
    Origin::plan("aws_iam_account_password_policy.p", &["update"])
}

fn pp_state(values: &[(PpField, PpValue)]) -> IamState {
    let policy = PasswordPolicy {
        values: values.iter().copied().collect(),
    };
    IamState {
        password_policy: Some(Obj::present(origin(), policy)),
        ..IamState::default()
    }
}

fn rules(findings: &[Finding]) -> Vec<(&'static str, Option<String>)> {
    findings
        .iter()
        .map(|f| (f.rule.as_str(), f.field.clone()))
        .collect()
}

const PP: &str = "version: 1\npassword_policy:\n";

/// One password policy field: baseline value, observed value, expected rule.
fn pp_case(field: PpField, want: &str, have: Option<PpValue>) -> Vec<&'static str> {
    let b = bl(&format!("{PP}  {}: {want}\n", field.name()));
    let values: Vec<(PpField, PpValue)> = have.map(|v| (field, v)).into_iter().collect();
    diff(&b, &pp_state(&values))
        .findings
        .iter()
        .map(|f| f.rule.as_str())
        .collect()
}

#[test]
fn password_policy_directions() {
    use PpField::*;
    use PpValue::*;
    let weak = vec!["password-policy-weakened"];
    let strong = vec!["password-policy-strengthened"];
    let changed = vec!["password-policy-changed"];
    let none: Vec<&str> = vec![];
    // minimum length: larger is stronger
    assert_eq!(pp_case(MinimumPasswordLength, "14", Some(Num(8))), weak);
    assert_eq!(pp_case(MinimumPasswordLength, "14", Some(Num(20))), strong);
    assert_eq!(pp_case(MinimumPasswordLength, "14", Some(Num(14))), none);
    // character classes and hard expiry: true is stronger; absent is false
    for f in [
        RequireUppercaseCharacters,
        RequireLowercaseCharacters,
        RequireNumbers,
        RequireSymbols,
        HardExpiry,
    ] {
        assert_eq!(pp_case(f, "true", Some(Bool(false))), weak, "{f:?}");
        assert_eq!(pp_case(f, "true", None), weak, "{f:?} absent");
        assert_eq!(pp_case(f, "false", Some(Bool(true))), strong, "{f:?}");
        assert_eq!(pp_case(f, "false", None), none, "{f:?}");
    }
    // max age: smaller is stronger; absent or 0 means never expires, the weakest
    assert_eq!(pp_case(MaxPasswordAge, "90", Some(Num(180))), weak);
    assert_eq!(pp_case(MaxPasswordAge, "90", Some(Num(30))), strong);
    assert_eq!(pp_case(MaxPasswordAge, "90", None), weak);
    assert_eq!(pp_case(MaxPasswordAge, "90", Some(Num(0))), weak);
    assert_eq!(pp_case(MaxPasswordAge, "1095", Some(Num(1))), strong);
    // reuse prevention: larger is stronger; absent means none
    assert_eq!(pp_case(PasswordReusePrevention, "24", Some(Num(5))), weak);
    assert_eq!(pp_case(PasswordReusePrevention, "5", Some(Num(24))), strong);
    assert_eq!(pp_case(PasswordReusePrevention, "5", None), weak);
    // allow users to change: no direction
    assert_eq!(
        pp_case(AllowUsersToChangePassword, "true", Some(Bool(false))),
        changed
    );
    assert_eq!(
        pp_case(AllowUsersToChangePassword, "false", Some(Bool(true))),
        changed
    );
}

#[test]
fn weakened_is_high_and_strengthened_is_info() {
    let b = bl(&format!(
        "{PP}  minimum_password_length: 14\n  max_password_age: 90\n"
    ));
    let s = pp_state(&[
        (PpField::MinimumPasswordLength, PpValue::Num(8)),
        (PpField::MaxPasswordAge, PpValue::Num(30)),
    ]);
    let r = diff(&b, &s);
    let sev: Vec<(&str, Severity)> = r
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.severity))
        .collect();
    assert_eq!(
        sev,
        vec![
            ("password-policy-weakened", Severity::High),
            ("password-policy-strengthened", Severity::Info)
        ]
    );
    let f = &r.findings[0];
    assert_eq!(
        (f.expected.clone(), f.observed.clone()),
        (json!(14), json!(8))
    );
    assert_eq!(
        f.baseline_location.map(|l| (l.line, l.column)),
        Some((3, 28))
    );
    assert!(
        f.message.contains("at least 8 characters") && f.message.contains("at least 14"),
        "{}",
        f.message
    );
}

#[test]
fn deleted_password_policy_names_what_the_default_misses() {
    let b = bl(&format!("{PP}  minimum_password_length: 14\n  require_symbols: true\n  max_password_age: 90\n  password_reuse_prevention: 24\n  allow_users_to_change_password: true\n"));
    let s = IamState {
        password_policy: Some(Obj::absent(Origin::plan(
            "aws_iam_account_password_policy.strict",
            &["delete"],
        ))),
        ..IamState::default()
    };
    let r = diff(&b, &s);
    assert_eq!(r.findings.len(), 1);
    let f = &r.findings[0];
    assert_eq!(
        (f.rule.as_str(), f.severity),
        ("password-policy-removed", Severity::Critical)
    );
    assert!(f.observed.is_null());
    assert_eq!(f.expected["minimum_password_length"], json!(14));
    for part in [
        "minimum length 8 instead of 14",
        "`require_symbols` no longer required",
        "never expire instead of after 90 days",
        "the last 24 cannot",
    ] {
        assert!(
            f.message.contains(part),
            "missing {part:?} in {}",
            f.message
        );
    }
    // allow_users_to_change_password is true by default: not named.
    assert!(!f.message.contains("allow_users"), "{}", f.message);
}

#[test]
fn unknown_values_are_never_weakened() {
    let b = bl(&format!("{PP}  minimum_password_length: 14\n"));
    let mut s = pp_state(&[]);
    s.password_policy
        .as_mut()
        .unwrap()
        .unknown
        .insert("minimum_password_length");
    let r = diff(&b, &s);
    assert_eq!(
        rules(&r.findings),
        vec![(
            "password-policy-unknown",
            Some("minimum_password_length".into())
        )]
    );
    assert_eq!(r.findings[0].severity, Severity::Low);
}

#[test]
fn out_of_scope_entries_are_counted_not_reported() {
    let b = bl("version: 1\npassword_policy: { minimum_password_length: 14 }\nusers: { alice: {} }\nroles: { app: {} }\n");
    let r = diff(&b, &IamState::default());
    assert!(r.findings.is_empty());
    assert_eq!(r.out_of_scope, 3);
}

fn user(managed: bool) -> User {
    User {
        principal: Principal {
            managed,
            path: Some("/".into()),
            ..Principal::default()
        },
        ..User::default()
    }
}

#[test]
fn complete_sources_report_missing_objects() {
    let b = bl("version: 1\nusers: { alice: {} }\n");
    let s = IamState {
        users: Members::complete(Origin::Live {
            arn: "arn:aws:iam::123456789012:user/*".into(),
        }),
        ..IamState::default()
    };
    let r = diff(&b, &s);
    assert_eq!(rules(&r.findings), vec![("user-removed", None)]);
}

#[test]
fn renames_by_stable_id_are_one_finding() {
    let b = bl("version: 1\nusers:\n  alice: { id: AIDAALICE, path: / }\n");
    let mut users = Members::complete(Origin::Live {
        arn: "users".into(),
    });
    let mut mallory = user(true);
    mallory.principal.id = Some("AIDAALICE".into());
    users.items.insert(
        "mallory".into(),
        Obj::present(
            Origin::Live {
                arn: "arn:aws:iam::1:user/mallory".into(),
            },
            mallory,
        ),
    );
    let r = diff(
        &b,
        &IamState {
            users,
            ..IamState::default()
        },
    );
    assert_eq!(
        rules(&r.findings),
        vec![("user-changed", Some("name".into()))]
    );
    assert_eq!(
        r.findings[0].message,
        "user `alice` is renamed to `mallory`"
    );
}

#[test]
fn sets_are_exact_missing_and_extra_items_are_drift() {
    let b = bl("version: 1\nusers:\n  alice: { groups: [admins, devs] }\n");
    let mut u = user(true);
    let mut groups = NameSet::complete(Origin::Live {
        arn: "groups".into(),
    });
    groups.items.insert(
        "devs".into(),
        Obj::present(Origin::Live { arn: "g".into() }, ()),
    );
    groups.items.insert(
        "billing".into(),
        Obj::present(Origin::Live { arn: "g".into() }, ()),
    );
    u.groups = Some(groups);
    let mut users = Members::default();
    users.items.insert(
        "alice".into(),
        Obj::present(Origin::Live { arn: "u".into() }, u),
    );
    let r = diff(
        &b,
        &IamState {
            users,
            ..IamState::default()
        },
    );
    let messages: Vec<&str> = r.findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        vec![
            "user `alice` no longer has group `admins`",
            "user `alice` has group `billing`, which the baseline does not declare",
        ]
    );
}

#[test]
fn ssh_keys_removed_deactivated_and_extra() {
    let b = bl("version: 1\nusers:\n  deploy:\n    ssh_public_keys:\n      - { id: APKA1, status: Active }\n      - { id: APKA2, status: Active }\n");
    let mut u = user(true);
    let mut keys = Members::complete(Origin::Live { arn: "keys".into() });
    keys.items.insert(
        "APKA2".into(),
        Obj::present(
            Origin::Live { arn: "k".into() },
            SshKey {
                status: Some("Inactive".into()),
            },
        ),
    );
    keys.items.insert(
        "APKA3".into(),
        Obj::present(
            Origin::Live { arn: "k".into() },
            SshKey {
                status: Some("Active".into()),
            },
        ),
    );
    u.ssh_keys = Some(keys);
    let mut users = Members::default();
    users.items.insert(
        "deploy".into(),
        Obj::present(Origin::Live { arn: "u".into() }, u),
    );
    let r = diff(
        &b,
        &IamState {
            users,
            ..IamState::default()
        },
    );
    let got: Vec<(&str, &str)> = r
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.resource.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("ssh-key-removed", "user/deploy/ssh-key/APKA1"),
            ("ssh-key-changed", "user/deploy/ssh-key/APKA2"),
            ("ssh-key-unmanaged", "user/deploy/ssh-key/APKA3"),
        ]
    );
}

#[test]
fn console_and_mfa() {
    let b = bl("version: 1\nusers:\n  alice: { console_access: true, mfa: required }\n  svc: { console_access: false }\n");
    let mut alice = user(true);
    alice.login_profile = Some(Obj::absent(Origin::Live { arn: "lp".into() }));
    alice.mfa_devices = Some(0);
    let mut svc = user(true);
    svc.login_profile = Some(Obj::present(Origin::Live { arn: "lp".into() }, ()));
    let mut users = Members::default();
    users.items.insert(
        "alice".into(),
        Obj::present(Origin::Live { arn: "u".into() }, alice),
    );
    users.items.insert(
        "svc".into(),
        Obj::present(Origin::Live { arn: "u".into() }, svc),
    );
    let r = diff(
        &b,
        &IamState {
            users,
            ..IamState::default()
        },
    );
    let got: Vec<(&str, Severity)> = r
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.severity))
        .collect();
    assert_eq!(
        got,
        vec![
            ("mfa-removed", Severity::High),
            ("login-profile-removed", Severity::Medium),
            ("login-profile-unmanaged", Severity::Medium)
        ]
    );
}

#[test]
fn policy_documents_compare_by_meaning_and_carry_a_diff() {
    let b = bl("version: 1\nroles:\n  app:\n    assume_role_policy: { Version: '2012-10-17', Statement: [{ Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: 'sts:AssumeRole' }] }\n");
    let same = PolicyDoc::from_text(r#"{"Statement":{"Action":["sts:AssumeRole"],"Principal":{"Service":["ec2.amazonaws.com"]},"Effect":"Allow"},"Version":"2012-10-17"}"#).unwrap();
    let wider = PolicyDoc::from_text(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#).unwrap();
    let state = |doc: PolicyDoc| {
        let mut roles = Members::default();
        roles.items.insert(
            "app".into(),
            Obj::present(
                Origin::plan("aws_iam_role.app", &["update"]),
                Role {
                    principal: Principal {
                        managed: true,
                        ..Principal::default()
                    },
                    assume_role_policy: Some(doc),
                    ..Role::default()
                },
            ),
        );
        IamState {
            roles,
            ..IamState::default()
        }
    };
    assert!(diff(&b, &state(same)).findings.is_empty());
    let r = diff(&b, &state(wider));
    assert_eq!(
        rules(&r.findings),
        vec![("role-changed", Some("assume_role_policy".into()))]
    );
    let d = r.findings[0].diff.as_deref().unwrap();
    assert!(
        d.contains("+        \"AWS\": [") && d.contains("-        \"Service\": ["),
        "{d}"
    );
}

#[test]
fn sensitive_values_are_not_copied_into_findings() {
    let b = bl("version: 1\npolicies:\n  p: { document: { Statement: [{ Effect: Allow, Action: 's3:GetObject', Resource: '*' }] } }\n");
    let mut policies = Members::default();
    let mut obj = Obj::present(Origin::plan("aws_iam_policy.p", &["update"]), ManagedPolicy {
        document: Some(PolicyDoc::from_text(r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::secret-bucket"}]}"#).unwrap()),
        ..ManagedPolicy::default()
    });
    obj.sensitive.insert("document");
    policies.items.insert("p".into(), obj);
    let r = diff(
        &b,
        &IamState {
            policies,
            ..IamState::default()
        },
    );
    assert_eq!(r.findings.len(), 1);
    let f = &r.findings[0];
    assert_eq!(f.observed, json!("(sensitive value)"));
    assert!(f.diff.is_none());
    assert!(!format!("{f:?}").contains("secret-bucket"));
}

#[test]
fn service_linked_roles_are_not_unmanaged() {
    let b = bl("version: 1\n");
    let mut roles = Members::default();
    for (name, path) in [
        (
            "AWSServiceRoleForSupport",
            "/aws-service-role/support.amazonaws.com/",
        ),
        ("rogue", "/"),
    ] {
        roles.items.insert(
            name.into(),
            Obj::present(
                Origin::Live { arn: name.into() },
                Role {
                    principal: Principal {
                        managed: true,
                        path: Some(path.into()),
                        ..Principal::default()
                    },
                    ..Role::default()
                },
            ),
        );
    }
    let r = diff(
        &b,
        &IamState {
            roles,
            ..IamState::default()
        },
    );
    let got: Vec<&str> = r.findings.iter().map(|f| f.resource.as_str()).collect();
    assert_eq!(got, vec!["role/rogue"]);
}
