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

/// Many users are judged on a thread of their own; a few on the same thread
/// as every other kind. Either way each user's finding is the same, and the
/// findings come out in one order.
#[test]
fn many_users_are_judged_as_a_few_are() {
    const ADMIN: &str =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    let state_of = |n: usize| {
        let mut users = complete(vec![]);
        for i in 0..n {
            let mut p = principal("/");
            let mut docs = Members::complete(live("u"));
            if i % 3 == 0 {
                docs.items.insert(
                    "admin".into(),
                    Obj::present(live("u"), PolicyDoc::from_text(ADMIN).unwrap()),
                );
            }
            p.inline_policies = Some(docs);
            let u = User {
                principal: p,
                ..User::default()
            };
            users
                .items
                .insert(format!("u{i:04}"), Obj::present(live("u"), u));
        }
        let mut roles = complete(vec![]);
        roles.items.insert(
            "zz-role".into(),
            Obj::present(
                live("r"),
                Role {
                    principal: principal("/"),
                    ..Role::default()
                },
            ),
        );
        IamState {
            users,
            roles,
            ..IamState::default()
        }
    };
    let b = bl("version: 1\nusers:\n  declared: {}\n");
    let few = diff(&b, &state_of(40)).findings;
    let many = diff(&b, &state_of(600)).findings;
    let shown = |f: &Finding| (f.rule, f.severity, f.message.clone());
    // The first 40 users' findings, and the others', are the same in both.
    let of_few: Vec<_> = few.iter().map(shown).collect();
    let of_many: Vec<_> = many
        .iter()
        .filter(|f| {
            !f.message.contains("`u0")
                || f.message[f.message.find("`u0").unwrap() + 2..]
                    .get(..4)
                    .and_then(|n| n.parse::<usize>().ok())
                    .is_some_and(|n| n < 40)
        })
        .map(shown)
        .collect();
    assert_eq!(of_few, of_many);
    // 600 undeclared users, a third of them critical, a role, the missing user.
    let critical = many
        .iter()
        .filter(|f| f.severity == Severity::Critical)
        .count();
    assert_eq!(critical, 200, "{many:#?}");
    assert!(many.iter().any(|f| f.message.contains("`zz-role`")));
    assert!(many.iter().any(|f| f.message.contains("`declared`")));
    let keys: Vec<_> = many.iter().map(Finding::sort_key).collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]));
}
