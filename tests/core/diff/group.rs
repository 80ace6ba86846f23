//! Groups: what they share with users and roles.

use super::*;

const ADMINS: &str = "version: 1\ngroups:\n  admins: { path: /, managed_policies: [arn:aws:iam::aws:policy/AdministratorAccess] }\n";

fn admins(path: &str, policies: &[&str]) -> Group {
    let mut p = principal(path);
    let mut set = NameSet::complete(live("admins"));
    for arn in policies {
        set.items
            .insert(arn.to_string(), Obj::present(live("admins"), ()));
    }
    p.managed_policies = Some(set);
    Group { principal: p }
}

pub(super) fn cases() -> Vec<Case> {
    let admin = "arn:aws:iam::aws:policy/AdministratorAccess";
    let mut unknown = complete(vec![("admins", admins("/", &[admin]))]);
    unknown.unknown.push(Obj::present(
        planned("aws_iam_group.g", &["create"]),
        admins("/", &[admin]),
    ));
    let mut later = complete(vec![("admins", admins("/", &[admin]))]);
    if let Some(o) = later.items.get_mut("admins") {
        o.unknown.insert("path");
    }
    vec![
        Case {
            name: "group deleted",
            baseline: ADMINS,
            state: IamState {
                groups: complete(vec![]),
                ..IamState::default()
            },
            fires: &[RuleId::GROUP_REMOVED],
        },
        Case {
            name: "policy detached",
            baseline: ADMINS,
            state: IamState {
                groups: complete(vec![("admins", admins("/", &[]))]),
                ..IamState::default()
            },
            fires: &[RuleId::GROUP_POLICY_NARROWED],
        },
        Case {
            name: "undeclared group",
            baseline: ADMINS,
            state: IamState {
                groups: complete(vec![
                    ("admins", admins("/", &[admin])),
                    ("shadow", admins("/", &[admin])),
                ]),
                ..IamState::default()
            },
            fires: &[RuleId::GROUP_UNMANAGED],
        },
        Case {
            name: "group named after apply",
            baseline: ADMINS,
            state: IamState {
                groups: unknown,
                ..IamState::default()
            },
            fires: &[RuleId::GROUP_UNMANAGED],
        },
        Case {
            name: "path known after apply",
            baseline: ADMINS,
            state: IamState {
                groups: later,
                ..IamState::default()
            },
            fires: &[RuleId::GROUP_UNKNOWN],
        },
    ]
}

#[test]
fn fixtures_fire_their_rule() {
    assert_fixtures(&cases());
}
