//! Instance profiles: path and role.

use super::*;

const APP: &str = "version: 1\ninstance_profiles:\n  app: { path: /, roles: [app] }\n";

fn profile(roles: &[&str]) -> InstanceProfile {
    let mut set = NameSet::complete(live("app"));
    for r in roles {
        set.items
            .insert(r.to_string(), Obj::present(live("app"), ()));
    }
    InstanceProfile {
        id: Some("AIPAAPP".into()),
        path: Some("/".into()),
        roles: Some(set),
    }
}

pub(super) fn cases() -> Vec<Case> {
    let mut unknown = complete(vec![("app", profile(&["app"]))]);
    unknown.unknown.push(Obj::present(
        planned("aws_iam_instance_profile.p", &["create"]),
        profile(&["app"]),
    ));
    let mut later = complete(vec![("app", profile(&["app"]))]);
    if let Some(o) = later.items.get_mut("app") {
        o.unknown.insert("path");
    }
    vec![
        Case {
            name: "profile deleted",
            baseline: APP,
            state: IamState {
                instance_profiles: complete(vec![]),
                ..IamState::default()
            },
            fires: &[RuleId::INSTANCE_PROFILE_REMOVED],
        },
        Case {
            name: "role removed from the profile",
            baseline: APP,
            state: IamState {
                instance_profiles: complete(vec![("app", profile(&[]))]),
                ..IamState::default()
            },
            fires: &[RuleId::INSTANCE_PROFILE_CHANGED],
        },
        Case {
            name: "undeclared profile",
            baseline: APP,
            state: IamState {
                instance_profiles: complete(vec![
                    ("app", profile(&["app"])),
                    ("other", profile(&["app"])),
                ]),
                ..IamState::default()
            },
            fires: &[RuleId::INSTANCE_PROFILE_UNMANAGED],
        },
        Case {
            name: "profile named after apply",
            baseline: APP,
            state: IamState {
                instance_profiles: unknown,
                ..IamState::default()
            },
            fires: &[RuleId::INSTANCE_PROFILE_UNMANAGED],
        },
        Case {
            name: "path known after apply",
            baseline: APP,
            state: IamState {
                instance_profiles: later,
                ..IamState::default()
            },
            fires: &[RuleId::INSTANCE_PROFILE_UNKNOWN],
        },
    ]
}

#[test]
fn fixtures_fire_their_rule() {
    assert_fixtures(&cases());
}
