//! MFA of users.

use super::*;

const MFA: &str = "version: 1\nusers:\n  alice: { mfa: required }\n";

fn with_devices(devices: Option<usize>) -> IamState {
    let user = User {
        principal: principal("/"),
        mfa_devices: devices,
        ..User::default()
    };
    let mut users = complete(vec![("alice", user)]);
    if devices.is_none() {
        if let Some(obj) = users.items.get_mut("alice") {
            obj.unknown.insert("mfa");
        }
    }
    IamState {
        users,
        ..IamState::default()
    }
}

pub(super) fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "no MFA device",
            baseline: MFA,
            state: with_devices(Some(0)),
            fires: &[RuleId::MFA_REMOVED],
        },
        Case {
            name: "MFA known after apply",
            baseline: MFA,
            state: with_devices(None),
            fires: &[RuleId::MFA_UNKNOWN],
        },
        Case {
            name: "one device",
            baseline: MFA,
            state: with_devices(Some(1)),
            fires: &[],
        },
    ]
}

#[test]
fn fixtures_fire_their_rule() {
    assert_fixtures(&cases());
}
