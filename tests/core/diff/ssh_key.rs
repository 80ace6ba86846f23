//! SSH keys of users.

use super::*;

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

const DEPLOY: &str =
    "version: 1\nusers:\n  deploy:\n    ssh_public_keys: [{ id: APKA1, status: Active }]\n";

fn with_keys(keys: &[(&str, &str)], unknown_status: bool) -> IamState {
    let mut set = Members::complete(live("keys"));
    for (id, status) in keys {
        let mut obj = Obj::present(
            live(id),
            SshKey {
                status: (!unknown_status).then(|| status.to_string()),
            },
        );
        if unknown_status {
            obj.unknown.insert("status");
        }
        set.items.insert(id.to_string(), obj);
    }
    let user = User {
        principal: principal("/"),
        ssh_keys: Some(set),
        ..User::default()
    };
    IamState {
        users: complete(vec![("deploy", user)]),
        ..IamState::default()
    }
}

pub(super) fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "key deleted",
            baseline: DEPLOY,
            state: with_keys(&[], false),
            fires: &[RuleId::SSH_KEY_REMOVED],
        },
        Case {
            name: "key deactivated",
            baseline: DEPLOY,
            state: with_keys(&[("APKA1", "Inactive")], false),
            fires: &[RuleId::SSH_KEY_CHANGED],
        },
        Case {
            name: "extra key",
            baseline: DEPLOY,
            state: with_keys(&[("APKA1", "Active"), ("APKA2", "Active")], false),
            fires: &[RuleId::SSH_KEY_UNMANAGED],
        },
        Case {
            name: "status known after apply",
            baseline: DEPLOY,
            state: with_keys(&[("APKA1", "Active")], true),
            fires: &[RuleId::SSH_KEY_UNKNOWN],
        },
    ]
}

#[test]
fn fixtures_fire_their_rule() {
    assert_fixtures(&cases());
}
