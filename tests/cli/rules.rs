use crate::common::*;
use iam_drift_guard::rules;

#[test]
fn lists_every_rule() {
    let run = drift(&["rules"]);
    assert_eq!(run.code, 0);
    for r in rules::all() {
        assert!(run.stdout.contains(r.id.as_str()), "{} missing", r.id);
    }
}

#[test]
fn explains_one_rule_with_events_and_remediation() {
    let run = drift(&["rules", "password-policy-removed"]);
    assert_eq!(run.code, 0);
    for part in [
        "critical",
        "DeleteAccountPasswordPolicy",
        "console:",
        "cli:",
        "terraform:",
        "brute force",
    ] {
        assert!(run.stdout.contains(part), "{part} missing:\n{}", run.stdout);
    }
    let run = drift(&["rules", "instance-profile-removed"]);
    assert!(run.stdout.contains("DeleteInstanceProfile") && run.stdout.contains("lose their role"));
}

#[test]
fn unknown_rule_suggests() {
    let run = drift(&["rules", "password-policy-weaken"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("did you mean `password-policy-weakened`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn credential_and_trust_anchor_rules_say_where_they_are_judged() {
    for (id, parts) in [
        (
            "root-access-key-unmanaged",
            &[
                "critical",
                "CreateAccessKey",
                "plans and states cannot see the root user",
            ][..],
        ),
        (
            "root-mfa-removed",
            &[
                "critical",
                "DeactivateMFADevice",
                "ConsoleLogin",
                "plans and states cannot see",
            ][..],
        ),
        (
            "access-key-stale",
            &["medium", "90 days", "Only the live account shows"][..],
        ),
        (
            "oidc-provider-unmanaged",
            &["high", "CreateOpenIDConnectProvider", "trust anchor"][..],
        ),
        ("saml-provider-changed", &["high", "UpdateSAMLProvider"][..]),
        (
            "access-key-unmanaged",
            &["CreateAccessKey", "persistence"][..],
        ),
    ] {
        let run = drift(&["rules", id]);
        assert_eq!(run.code, 0, "{id}");
        for part in parts {
            assert!(
                run.stdout.contains(part),
                "{id}: {part} missing:\n{}",
                run.stdout
            );
        }
    }
}
