//! Console access (the login profile) of users.

use super::*;

fn with_profile(present: bool, unknown: bool) -> IamState {
    let origin = planned("aws_iam_user_login_profile.alice", &["update"]);
    let mut obj = if present {
        Obj::present(origin, ())
    } else {
        Obj::absent(origin)
    };
    if unknown {
        obj.unknown.insert("login_profile");
    }
    let user = User {
        principal: principal("/"),
        login_profile: Some(obj),
        ..User::default()
    };
    IamState {
        users: complete(vec![("alice", user)]),
        ..IamState::default()
    }
}

const CONSOLE: &str = "version: 1\nusers:\n  alice: { console_access: true }\n";
const NO_CONSOLE: &str = "version: 1\nusers:\n  alice: { console_access: false }\n";

pub(super) fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "console password deleted",
            baseline: CONSOLE,
            state: with_profile(false, false),
            fires: &[RuleId::LOGIN_PROFILE_REMOVED],
        },
        Case {
            name: "console password added",
            baseline: NO_CONSOLE,
            state: with_profile(true, false),
            fires: &[RuleId::LOGIN_PROFILE_UNMANAGED],
        },
        Case {
            name: "console access known after apply",
            baseline: CONSOLE,
            state: with_profile(true, true),
            fires: &[RuleId::LOGIN_PROFILE_UNKNOWN],
        },
        Case {
            name: "console access as declared",
            baseline: CONSOLE,
            state: with_profile(true, false),
            fires: &[],
        },
    ]
}

#[test]
fn fixtures_fire_their_rule() {
    assert_fixtures(&cases());
}
