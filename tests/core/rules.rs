use iam_drift_guard::finding::Severity;
use iam_drift_guard::identity::RuleId;
use iam_drift_guard::rules::{self, Rule};

fn all() -> Vec<&'static Rule> {
    rules::all().collect()
}
use std::collections::BTreeSet;

const KINDS: &[&str] = &[
    "password-policy",
    "account",
    "user",
    "group",
    "role",
    "instance-profile",
    "policy",
    "ssh-key",
    "login-profile",
    "mfa",
    "access-key",
    "oidc-provider",
    "saml-provider",
    "root-access-key",
    "root-mfa",
    "user-policy",
    "group-policy",
    "role-policy",
    "role-trust",
    "permissions-boundary",
    "guardrail",
    "baseline",
    "waiver",
    "provider",
];
const CHANGES: &[&str] = &[
    "removed",
    "weakened",
    "changed",
    "unmanaged",
    "unknown",
    "strengthened",
    "stale",
    "widened",
    "narrowed",
    "violated",
    "unjudged",
    "expired",
    "unused",
    "provisioned",
];

#[test]
fn ids_are_unique_and_well_formed() {
    let mut seen = BTreeSet::new();
    for r in all() {
        let id = r.id.as_str();
        assert!(seen.insert(r.id), "duplicate rule id {}", r.id);
        let (kind, change) = id.rsplit_once('-').expect("kind-change");
        assert!(KINDS.contains(&kind), "unknown kind in {}", r.id);
        assert!(CHANGES.contains(&change), "unknown change in {}", r.id);
    }
}

#[test]
fn every_rule_is_documented() {
    for r in all() {
        assert!(!r.summary.is_empty() && !r.why.is_empty(), "{}", r.id);
        // An edit of baseline.yaml is not an AWS call.
        assert_eq!(
            r.events.is_empty(),
            matches!(
                r.id,
                RuleId::BASELINE_CHANGED
                    | RuleId::WAIVER_EXPIRED
                    | RuleId::WAIVER_UNUSED
                    | RuleId::PROVIDER_UNJUDGED
            ),
            "{} names no CloudTrail event",
            r.id
        );
        assert!(
            !r.console.is_empty() && !r.cli.is_empty() && !r.terraform.is_empty(),
            "{}",
            r.id
        );
    }
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md")).unwrap();
    for r in all() {
        assert!(
            readme.contains(&format!("`{}`", r.id)),
            "docs/rules.md does not list {}",
            r.id
        );
    }
}

#[test]
fn default_severities_follow_the_design() {
    let sev = |id: &str| all().into_iter().find(|r| r.id == id).unwrap().severity;
    assert_eq!(sev("password-policy-removed"), Severity::Critical);
    for id in [
        "role-removed",
        "instance-profile-removed",
        "mfa-removed",
        "permissions-boundary-removed",
    ] {
        assert_eq!(sev(id), Severity::High, "{id}");
    }
    // A new or changed trust anchor is high; the root user's are critical.
    let high = [
        "oidc-provider-changed",
        "oidc-provider-unmanaged",
        "saml-provider-changed",
        "saml-provider-unmanaged",
        "login-profile-unmanaged",
    ];
    for id in high {
        assert_eq!(sev(id), Severity::High, "{id}");
    }
    for id in ["root-access-key-unmanaged", "root-mfa-removed"] {
        assert_eq!(sev(id), Severity::Critical, "{id}");
    }
    for r in all() {
        let id = r.id.as_str();
        if high.contains(&id) || id.starts_with("root-") {
            continue;
        }
        let expected = match id.rsplit_once('-').unwrap().1 {
            "weakened" | "widened" => Severity::High,
            "narrowed" => Severity::Low,
            "violated" => Severity::Critical,
            "unknown" => Severity::Low,
            "strengthened" => Severity::Info,
            // An expired waiver brings its findings back with their own
            // severity; the reminder itself is low, an unused one info.
            "expired" => Severity::Low,
            "unused" => Severity::Info,
            // Objects AWS made are listed apart from undeclared ones.
            "provisioned" => Severity::Info,
            // A resource not judged fails the gate like what it may hide.
            "unjudged" => Severity::High,
            "removed"
                if [
                    "password-policy-removed",
                    "role-removed",
                    "instance-profile-removed",
                    "mfa-removed",
                    "permissions-boundary-removed",
                ]
                .contains(&id) =>
            {
                continue
            }
            _ => Severity::Medium,
        };
        assert_eq!(r.severity, expected, "{}", r.id);
    }
}
