//! Users: exact sets of groups, console access and MFA.

use super::*;

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
            ("login-profile-unmanaged", Severity::High),
            ("login-profile-removed", Severity::Medium)
        ]
    );
}

const ALICE: &str = "version: 1\nusers:\n  alice: { path: /engineering/ }\n";

fn alice(path: &str) -> User {
    User {
        principal: principal(path),
        ..User::default()
    }
}

pub(super) fn cases() -> Vec<Case> {
    let mut unknown = complete(vec![("alice", alice("/engineering/"))]);
    unknown.unknown.push(Obj::present(
        planned("aws_iam_user.u", &["create"]),
        alice("/engineering/"),
    ));
    let mut later = complete(vec![("alice", alice("/engineering/"))]);
    if let Some(o) = later.items.get_mut("alice") {
        o.unknown.insert("path");
    }
    vec![
        Case {
            name: "user deleted",
            baseline: ALICE,
            state: IamState {
                users: complete(vec![]),
                ..IamState::default()
            },
            fires: &[RuleId::USER_REMOVED],
        },
        Case {
            name: "path changed",
            baseline: ALICE,
            state: IamState {
                users: complete(vec![("alice", alice("/ops/"))]),
                ..IamState::default()
            },
            fires: &[RuleId::USER_CHANGED],
        },
        Case {
            name: "undeclared user",
            baseline: ALICE,
            state: IamState {
                users: complete(vec![
                    ("alice", alice("/engineering/")),
                    ("mallory", alice("/")),
                ]),
                ..IamState::default()
            },
            fires: &[RuleId::USER_UNMANAGED],
        },
        Case {
            name: "user named after apply",
            baseline: ALICE,
            state: IamState {
                users: unknown,
                ..IamState::default()
            },
            fires: &[RuleId::USER_UNMANAGED],
        },
        Case {
            name: "path known after apply",
            baseline: ALICE,
            state: IamState {
                users: later,
                ..IamState::default()
            },
            fires: &[RuleId::USER_UNKNOWN],
        },
    ]
}

#[test]
fn fixtures_fire_their_rule() {
    assert_fixtures(&cases());
}
