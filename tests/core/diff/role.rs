//! Roles: trust policies by meaning, service-linked roles.

use super::*;

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
        vec![("role-trust-widened", Some("assume_role_policy".into()))]
    );
    assert_eq!(r.findings[0].severity, Severity::Critical);
    let d = r.findings[0].diff.as_deref().unwrap();
    assert!(
        d.contains("+        \"AWS\": [") && d.contains("-        \"Service\": ["),
        "{d}"
    );
}

/// Roles AWS made, by path or name, undeclared.
fn provisioned_roles() -> IamState {
    let mut roles = Members::default();
    for (name, path) in [
        (
            "AWSServiceRoleForSupport",
            "/aws-service-role/support.amazonaws.com/",
        ),
        (
            "AWSReservedSSO_AdministratorAccess_0123456789abcdef",
            "/aws-reserved/sso.amazonaws.com/eu-west-1/",
        ),
        ("AWSControlTowerExecution", "/"),
        ("aws-controltower-ReadOnlyExecutionRole", "/"),
        ("AWSCloudFormationStackSetExecutionRole", "/"),
        // Not AWS's: the prefix alone, outside Identity Center's path.
        ("AWSReservedSSO_lookalike", "/"),
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
    IamState {
        roles,
        ..IamState::default()
    }
}

fn rules_and_names(b: &Baseline, s: &IamState) -> Vec<(String, String, Severity)> {
    let found = iam_drift_guard::triage::apply(&b.settings, diff(b, s).findings);
    found
        .iter()
        .map(|f| {
            (
                f.rule.to_string(),
                f.resource.as_str().to_string(),
                f.severity,
            )
        })
        .collect()
}

#[test]
fn roles_aws_made_are_provisioned_at_info_and_kept_apart() {
    let state = provisioned_roles();
    let mut got = rules_and_names(&bl("version: 1\n"), &state);
    got.sort();
    let provisioned = |name: &str| {
        (
            "role-provisioned".to_string(),
            format!("role/{name}"),
            Severity::Info,
        )
    };
    assert_eq!(
        got,
        vec![
            provisioned("AWSCloudFormationStackSetExecutionRole"),
            provisioned("AWSControlTowerExecution"),
            provisioned("AWSReservedSSO_AdministratorAccess_0123456789abcdef"),
            provisioned("AWSServiceRoleForSupport"),
            provisioned("aws-controltower-ReadOnlyExecutionRole"),
            (
                "role-unmanaged".to_string(),
                "role/AWSReservedSSO_lookalike".to_string(),
                Severity::Medium
            ),
            (
                "role-unmanaged".to_string(),
                "role/rogue".to_string(),
                Severity::Medium
            ),
        ]
    );
    let f = diff(&bl("version: 1\n"), &state).findings;
    let sso = f
        .iter()
        .find(|f| f.resource.as_str().contains("AWSReservedSSO_Admin"))
        .unwrap();
    assert!(
        sso.message.contains("IAM Identity Center"),
        "{}",
        sso.message
    );
    // `settings.provisioned: ignore` leaves them out; `settings.unmanaged`
    // does not touch them.
    let ignore = bl("version: 1\nsettings: { provisioned: ignore }\n");
    let got = rules_and_names(&ignore, &state);
    assert!(
        got.iter().all(|(rule, _, _)| rule == "role-unmanaged"),
        "{got:?}"
    );
    assert_eq!(got.len(), 2);
    let quiet = bl("version: 1\nsettings: { unmanaged: ignore }\n");
    let got = rules_and_names(&quiet, &state);
    assert!(
        got.iter().all(|(rule, _, _)| rule == "role-provisioned"),
        "{got:?}"
    );
    assert_eq!(got.len(), 5);
    // A declared one is judged like any role.
    let declared = bl("version: 1\nroles:\n  AWSControlTowerExecution: { path: /landing-zone/ }\n");
    let got = rules_and_names(&declared, &state);
    assert!(
        got.iter()
            .any(|(rule, r, _)| rule == "role-changed" && r == "role/AWSControlTowerExecution"),
        "{got:?}"
    );
    assert!(!got
        .iter()
        .any(|(rule, r, _)| rule == "role-provisioned" && r == "role/AWSControlTowerExecution")); // A name is no proof: one that lets everyone in is judged as undeclared,
                                                                                                  // by what it grants, and says what its name claims.
    let mut spoofed = provisioned_roles();
    let open = PolicyDoc::from_text(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#,
    )
    .unwrap();
    for name in [
        "aws-controltower-ReadOnlyExecutionRole",
        "AWSReservedSSO_AdministratorAccess_0123456789abcdef",
    ] {
        if let Some(Some(role)) = spoofed.roles.items.get_mut(name).map(|o| o.value.as_mut()) {
            role.assume_role_policy = Some(open.clone());
        }
    }
    let f = diff(&bl("version: 1\n"), &spoofed).findings;
    for name in [
        "aws-controltower-ReadOnlyExecutionRole",
        "AWSReservedSSO_AdministratorAccess_0123456789abcdef",
    ] {
        let found = f
            .iter()
            .find(|f| f.resource.as_str() == format!("role/{name}"))
            .unwrap();
        assert_eq!(found.rule.as_str(), "role-unmanaged", "{name}");
        assert_eq!(found.severity, Severity::Critical, "{name}");
        assert!(
            found.message.contains("its name or path says"),
            "{}",
            found.message
        );
    }
}

const APP: &str = "version: 1\nroles:\n  app: { path: /, max_session_duration: 3600 }\n";

fn app(session: u32) -> Role {
    Role {
        principal: principal("/"),
        max_session_duration: Some(session),
        ..Role::default()
    }
}

pub(super) fn cases() -> Vec<Case> {
    let mut unknown = complete(vec![("app", app(3600))]);
    unknown.unknown.push(Obj::present(
        planned("aws_iam_role.r", &["create"]),
        app(3600),
    ));
    let mut later = complete(vec![("app", app(3600))]);
    if let Some(o) = later.items.get_mut("app") {
        o.unknown.insert("max_session_duration");
    }
    vec![
        Case {
            name: "role deleted",
            baseline: APP,
            state: IamState {
                roles: complete(vec![]),
                ..IamState::default()
            },
            fires: &[RuleId::ROLE_REMOVED],
        },
        Case {
            name: "sessions of 12 hours",
            baseline: APP,
            state: IamState {
                roles: complete(vec![("app", app(43200))]),
                ..IamState::default()
            },
            fires: &[RuleId::ROLE_CHANGED],
        },
        Case {
            name: "undeclared role",
            baseline: APP,
            state: IamState {
                roles: complete(vec![("app", app(3600)), ("backdoor", app(3600))]),
                ..IamState::default()
            },
            fires: &[RuleId::ROLE_UNMANAGED],
        },
        Case {
            name: "undeclared service-linked role",
            baseline: APP,
            state: IamState {
                roles: complete(vec![
                    ("app", app(3600)),
                    (
                        "AWSServiceRoleForSupport",
                        Role {
                            principal: principal("/aws-service-role/support.amazonaws.com/"),
                            ..Role::default()
                        },
                    ),
                ]),
                ..IamState::default()
            },
            fires: &[RuleId::ROLE_PROVISIONED],
        },
        Case {
            name: "role named after apply",
            baseline: APP,
            state: IamState {
                roles: unknown,
                ..IamState::default()
            },
            fires: &[RuleId::ROLE_UNMANAGED],
        },
        Case {
            name: "session length known after apply",
            baseline: APP,
            state: IamState {
                roles: later,
                ..IamState::default()
            },
            fires: &[RuleId::ROLE_UNKNOWN],
        },
    ]
}

#[test]
fn fixtures_fire_their_rule() {
    assert_fixtures(&cases());
}
