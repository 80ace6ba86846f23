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
fn fixes_made_in_aws_name_the_account_they_are_made_in() {
    for id in [
        "role-trust-widened",
        "password-policy-removed",
        "root-mfa-removed",
    ] {
        let run = drift(&["rules", id]);
        assert_eq!(run.code, 0);
        let fix = run.stdout.split("How to fix it").nth(1).unwrap();
        assert!(
            fix.trim_start().starts_with("account:   the finding's own")
                && fix.contains("`account: NAME (ID)`"),
            "{id}:\n{}",
            run.stdout
        );
    }
    // A waiver or the baseline is fixed in the baseline file, in no account.
    for id in ["waiver-expired", "baseline-changed", "provider-unjudged"] {
        let run = drift(&["rules", id]);
        assert_eq!(run.code, 0);
        assert!(
            !run.stdout.contains("  account:   "),
            "{id}:\n{}",
            run.stdout
        );
    }
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

/// Completions and the manual page are generated from the CLI definition:
/// every command and option is in them.
#[test]
fn completions_and_the_manual_come_from_the_cli_definition() {
    let commands = [
        "check",
        "report",
        "init",
        "validate",
        "rules",
        "schema",
        "events",
        "completions",
        "man",
    ];
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let run = drift(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        for name in commands {
            assert!(run.stdout.contains(name), "{shell} completes `{name}`");
        }
        assert!(
            run.stdout.contains("proposed-baseline"),
            "{shell}: options too"
        );
    }
    let man = drift(&["man"]);
    assert_eq!(man.code, 0);
    assert!(
        man.stdout.starts_with(".ie") || man.stdout.contains(".TH drift 1"),
        "roff"
    );
    assert!(man.stdout.contains(".TH drift 1"));
    for name in commands {
        assert!(man.stdout.contains(name), "the manual lists `{name}`");
    }
    let check = drift(&["man", "check"]);
    assert_eq!(check.code, 0);
    assert!(
        check.stdout.contains(".TH drift-check 1"),
        "{}",
        check.stdout
    );
    assert!(check.stdout.contains("fail\\-on"), "every option of check");
    let typo = drift(&["man", "chek"]);
    assert_eq!(typo.code, 2);
    assert!(
        typo.stderr.contains("did you mean `check`?"),
        "{}",
        typo.stderr
    );
}

/// The license file is the one Cargo.toml names, and release archives carry it.
#[test]
fn the_license_file_matches_cargo_toml() {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    assert!(manifest.contains("license = \"Apache-2.0\""));
    let license = std::fs::read_to_string(root().join("LICENSE")).unwrap();
    assert!(license.contains("Apache License"));
    assert!(license.contains("Version 2.0, January 2004"));
    let release = std::fs::read_to_string(root().join(".github/workflows/release.yml")).unwrap();
    assert!(release.contains("README.md LICENSE baseline.yaml"));
}
