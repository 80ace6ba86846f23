//! Matching declared objects with observed ones, the same for every kind.

use super::*;

#[test]
fn out_of_scope_entries_are_counted_not_reported() {
    let b = bl("version: 1\npassword_policy: { minimum_password_length: 14 }\nusers: { alice: {} }\nroles: { app: {} }\n");
    let r = diff(&b, &IamState::default());
    assert!(r.findings.is_empty());
    assert_eq!(r.out_of_scope, 3);
}

#[test]
fn complete_sources_report_missing_objects() {
    let b = bl("version: 1\nusers: { alice: {} }\n");
    let s = IamState {
        users: Members::complete(Origin::Live {
            arn: "arn:aws:iam::123456789012:user/*".into(),
        }),
        ..IamState::default()
    };
    let r = diff(&b, &s);
    assert_eq!(rules(&r.findings), vec![("user-removed", None)]);
}

#[test]
fn renames_by_stable_id_are_one_finding() {
    let b = bl("version: 1\nusers:\n  alice: { id: AIDAALICE, path: / }\n");
    let mut users = Members::complete(Origin::Live {
        arn: "users".into(),
    });
    let mut mallory = user(true);
    mallory.principal.id = Some("AIDAALICE".into());
    users.items.insert(
        "mallory".into(),
        Obj::present(
            Origin::Live {
                arn: "arn:aws:iam::1:user/mallory".into(),
            },
            mallory,
        ),
    );
    let r = diff(
        &b,
        &IamState {
            users,
            ..IamState::default()
        },
    );
    assert_eq!(
        rules(&r.findings),
        vec![("user-changed", Some("name".into()))]
    );
    assert_eq!(
        r.findings[0].message,
        "user `alice` is renamed to `mallory`"
    );
}
