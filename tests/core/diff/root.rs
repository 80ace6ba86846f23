//! The root user: access keys and MFA, from the credential report.

use super::*;

const ROOT: &str = "version: 1\naccount:\n  root:\n    access_keys: false\n    mfa: required\n";

fn state(active_keys: usize, mfa: bool) -> IamState {
    IamState {
        root: Some(Obj::present(
            live("arn:aws:iam::123456789012:root"),
            Root {
                mfa,
                active_keys,
                password_last_used: Some(1_767_225_600),
                key_last_used: None,
            },
        )),
        ..IamState::default()
    }
}

pub(super) fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "root access key",
            baseline: ROOT,
            state: state(1, true),
            fires: &[RuleId::ROOT_ACCESS_KEY_UNMANAGED],
        },
        Case {
            name: "root without MFA",
            baseline: ROOT,
            state: state(0, false),
            fires: &[RuleId::ROOT_MFA_REMOVED],
        },
    ]
}

#[test]
fn fixtures_fire_their_rule() {
    assert_fixtures(&cases());
}

#[test]
fn root_findings_are_critical_and_say_when_it_was_last_used() {
    let r = diff(&bl(ROOT), &state(2, false));
    let got: Vec<(&str, &str, Severity)> = r
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.resource.as_str(), f.severity))
        .collect();
    assert_eq!(
        got,
        vec![
            ("root-access-key-unmanaged", "root", Severity::Critical),
            ("root-mfa-removed", "root", Severity::Critical),
        ]
    );
    assert!(r.findings[0]
        .message
        .contains("2 active access keys (last used: never)"));
    assert!(r.findings[1]
        .message
        .contains("password last used: 2026-01-01"));
    assert!(diff(&bl(ROOT), &state(0, true)).findings.is_empty());
}

#[test]
fn a_source_without_the_root_user_leaves_it_out_of_scope() {
    let r = diff(&bl(ROOT), &IamState::default());
    assert!(r.findings.is_empty());
    assert_eq!(r.out_of_scope, 1);
    // `access_keys: true` and `mfa: optional` guard nothing.
    let loose = "version: 1\naccount:\n  root:\n    access_keys: true\n    mfa: optional\n";
    let r = diff(&bl(loose), &state(2, false));
    assert!(r.findings.is_empty());
    assert_eq!(r.out_of_scope, 0);
}
