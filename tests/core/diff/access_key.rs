//! Access keys of users: the declared set, statuses, keys known only after
//! apply, and the age of active keys.

use super::*;
use iam_drift_guard::time;

const CI: &str =
    "version: 1\nusers:\n  ci:\n    access_keys: [{ id: AKIAAAAAAAAAAAAAAAA1, status: Active }]\n";
const NONE: &str = "version: 1\nusers:\n  ci:\n    access_keys: []\n";
const STALE: &str = "version: 1\nusers:\n  ci: {}\nsettings:\n  max_key_age_days: 90\n";

/// 2026-01-01T00:00:00Z.
const NOW: i64 = 1_767_225_600;
const DAY: i64 = 86_400;

fn key(status: &str, created: Option<i64>) -> AccessKey {
    AccessKey {
        status: Some(status.into()),
        created,
        last_used: None,
    }
}

fn with_keys(keys: Vec<(&str, AccessKey)>, unknown: Vec<Obj<AccessKey>>) -> IamState {
    let mut set = Members::complete(live("keys"));
    for (id, k) in keys {
        set.items.insert(id.to_string(), Obj::present(live(id), k));
    }
    set.unknown = unknown;
    let user = User {
        principal: principal("/"),
        access_keys: Some(set),
        ..User::default()
    };
    IamState {
        users: complete(vec![("ci", user)]),
        observed_at: Some(NOW),
        ..IamState::default()
    }
}

fn status_unknown() -> IamState {
    let mut s = with_keys(vec![("AKIAAAAAAAAAAAAAAAA1", key("Active", None))], vec![]);
    let user = s.users.items.get_mut("ci").unwrap().value.as_mut().unwrap();
    let k = user
        .access_keys
        .as_mut()
        .unwrap()
        .items
        .get_mut("AKIAAAAAAAAAAAAAAAA1")
        .unwrap();
    k.value.as_mut().unwrap().status = None;
    k.unknown.insert("status");
    s
}

fn planned_key() -> Obj<AccessKey> {
    Obj::present(
        planned("aws_iam_access_key.ci", &["create"]),
        AccessKey {
            status: Some("Active".into()),
            ..AccessKey::default()
        },
    )
}

pub(super) fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "access key deleted",
            baseline: CI,
            state: with_keys(vec![], vec![]),
            fires: &[RuleId::ACCESS_KEY_REMOVED],
        },
        Case {
            name: "access key deactivated",
            baseline: CI,
            state: with_keys(
                vec![("AKIAAAAAAAAAAAAAAAA1", key("Inactive", None))],
                vec![],
            ),
            fires: &[RuleId::ACCESS_KEY_CHANGED],
        },
        Case {
            name: "undeclared access key",
            baseline: CI,
            state: with_keys(
                vec![
                    ("AKIAAAAAAAAAAAAAAAA1", key("Active", None)),
                    ("AKIABBBBBBBBBBBBBBB2", key("Active", None)),
                ],
                vec![],
            ),
            fires: &[RuleId::ACCESS_KEY_UNMANAGED],
        },
        Case {
            name: "access key status known after apply",
            baseline: CI,
            state: status_unknown(),
            fires: &[RuleId::ACCESS_KEY_UNKNOWN],
        },
        Case {
            name: "active key older than allowed",
            baseline: STALE,
            state: with_keys(
                vec![("AKIAAAAAAAAAAAAAAAA1", key("Active", Some(NOW - 91 * DAY)))],
                vec![],
            ),
            fires: &[RuleId::ACCESS_KEY_STALE],
        },
        Case {
            name: "key created by the plan for a user declared without keys",
            baseline: NONE,
            state: with_keys(vec![], vec![planned_key()]),
            fires: &[RuleId::ACCESS_KEY_UNMANAGED],
        },
    ]
}

#[test]
fn fixtures_fire_their_rule() {
    assert_fixtures(&cases());
}

#[test]
fn an_undeclared_key_is_high_on_a_user_declared_without_keys() {
    let extra = || {
        with_keys(
            vec![("AKIABBBBBBBBBBBBBBB2", key("Active", None))],
            vec![planned_key()],
        )
    };
    let none = diff(&bl(NONE), &extra());
    assert_eq!(none.findings.len(), 2);
    for f in &none.findings {
        assert_eq!(f.rule, RuleId::ACCESS_KEY_UNMANAGED);
        assert_eq!(f.severity, Severity::High, "{}", f.message);
    }
    let planned = &none.findings[0];
    assert_eq!(
        planned.resource.as_str(),
        "user/ci/access-key/(known after apply)"
    );
    assert!(planned.message.contains("declares no access key"));
    let some = diff(&bl(CI), &extra());
    let sevs: Vec<Severity> = some
        .findings
        .iter()
        .filter(|f| f.rule == RuleId::ACCESS_KEY_UNMANAGED)
        .map(|f| f.severity)
        .collect();
    assert_eq!(sevs, vec![Severity::Medium, Severity::Medium]);
}

#[test]
fn a_stale_key_says_its_age_and_last_use() {
    let mut k = key("Active", Some(NOW - 400 * DAY));
    k.last_used = Some(LastUse {
        at: Some(NOW - 3 * DAY),
        service: Some("s3".into()),
        region: Some("eu-west-1".into()),
    });
    let r = diff(
        &bl(STALE),
        &with_keys(vec![("AKIAAAAAAAAAAAAAAAA1", k)], vec![]),
    );
    let f = &r.findings[0];
    assert_eq!(f.rule, RuleId::ACCESS_KEY_STALE);
    assert_eq!(
        f.resource.as_str(),
        "user/ci/access-key/AKIAAAAAAAAAAAAAAAA1"
    );
    assert_eq!(
        f.message,
        "access key `AKIAAAAAAAAAAAAAAAA1` of user `ci` is 400 days old (created 2024-11-27), \
the baseline allows 90; last used: 2025-12-29 (s3, eu-west-1)"
    );
    assert_eq!(f.observed["age_days"], 400);
    assert_eq!(f.observed["last_used"]["service"], "s3");
    assert_eq!(f.expected, json!(90));
    assert_eq!(f.baseline_location.unwrap().line, 5);
}

#[test]
fn age_is_judged_only_for_active_keys_and_only_when_the_source_has_a_time() {
    let old = NOW - 1000 * DAY;
    // Inactive keys and keys exactly at the limit are not stale.
    let r = diff(
        &bl(STALE),
        &with_keys(
            vec![
                ("AKIAAAAAAAAAAAAAAAA1", key("Inactive", Some(old))),
                ("AKIABBBBBBBBBBBBBBB2", key("Active", Some(NOW - 90 * DAY))),
            ],
            vec![],
        ),
    );
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    // A plan or a state has no time of reading: the age is out of its scope.
    let mut s = with_keys(
        vec![("AKIAAAAAAAAAAAAAAAA1", key("Active", Some(old)))],
        vec![],
    );
    s.observed_at = None;
    let r = diff(&bl(STALE), &s);
    assert!(r.findings.is_empty());
    assert_eq!(r.out_of_scope, 1);
    assert_eq!(time::date(old), "2023-04-07");
}

#[test]
fn timestamps_read_as_iam_and_terraform_write_them() {
    assert_eq!(time::parse("2026-01-01T00:00:00Z"), Some(NOW));
    assert_eq!(time::parse("2026-01-01T00:00:00+00:00"), Some(NOW));
    assert_eq!(time::parse("2026-01-01T02:00:00.123+02:00"), Some(NOW));
    assert_eq!(time::parse("2025-12-31T19:00:00-05:00"), Some(NOW));
    assert_eq!(time::parse("2026-01-01 00:00:00"), Some(NOW));
    for bad in [
        "N/A",
        "no_information",
        "",
        "2026-13-01T00:00:00Z",
        "2026-01-01",
    ] {
        assert_eq!(time::parse(bad), None, "{bad}");
    }
    assert_eq!(time::date(NOW), "2026-01-01");
    assert_eq!(time::date(951_782_400), "2000-02-29");
    assert_eq!(time::days_between(NOW, NOW - DAY), 0);
}
