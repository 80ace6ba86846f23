//! Sensitive plan values never reach any output.

use crate::common::*;

const SECRETS: &[&str] = &[
    "Sup3r-S3cret-Passw0rd!",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY",
    "BOGUSsmtpPASSWORDvalue123",
    "top-secret-bucket-name",
    "AAAAC3NzaC1lZDI1NTE5",
];

#[test]
fn no_secret_in_any_format() {
    let plan = fixture("secrets");
    let raw = std::fs::read_to_string(root().join(&plan)).unwrap();
    for s in SECRETS {
        assert!(raw.contains(s), "the fixture must hold {s}");
    }
    for format in ["human", "json", "sarif", "markdown", "github"] {
        let run = drift(&[
            "check",
            "--plan",
            &plan,
            "--format",
            format,
            "--fail-on",
            "info",
        ]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        for s in SECRETS {
            assert!(
                !run.stdout.contains(s) && !run.stderr.contains(s),
                "{format} output shows {s}"
            );
        }
        // Workflow commands carry the message, not the values.
        assert!(
            format == "github" || run.stdout.contains("(sensitive value)"),
            "{format}: {}",
            run.stdout
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let run = drift_in(
        dir.path(),
        &["init", "--plan", root().join(&plan).to_str().unwrap()],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    for s in SECRETS {
        assert!(!run.stdout.contains(s), "init output shows {s}");
    }
}
