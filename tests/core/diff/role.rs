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
