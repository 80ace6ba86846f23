//! The account alias.

use super::*;

const ALIAS: &str = "version: 1\naccount: { alias: acme-prod }\n";

fn alias(value: Option<&str>, unknown: bool) -> IamState {
    let mut obj = Obj {
        origin: planned("aws_iam_account_alias.this", &["update"]),
        value: value.map(str::to_string),
        unknown: Default::default(),
        sensitive: Default::default(),
    };
    if unknown {
        obj.unknown.insert("alias");
    }
    IamState {
        account_alias: Some(obj),
        ..IamState::default()
    }
}

pub(super) fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "alias deleted",
            baseline: ALIAS,
            state: alias(None, false),
            fires: &[RuleId::ACCOUNT_REMOVED],
        },
        Case {
            name: "alias renamed",
            baseline: ALIAS,
            state: alias(Some("acme-old"), false),
            fires: &[RuleId::ACCOUNT_CHANGED],
        },
        Case {
            name: "alias known after apply",
            baseline: ALIAS,
            state: alias(None, true),
            fires: &[RuleId::ACCOUNT_UNKNOWN],
        },
        Case {
            name: "alias as declared",
            baseline: ALIAS,
            state: alias(Some("acme-prod"), false),
            fires: &[],
        },
    ]
}

#[test]
fn fixtures_fire_their_rule() {
    assert_fixtures(&cases());
}
