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

/// Attributes that name the object a finding is about (its resource id) or
/// are never shown: a sensitive one is not a case of its own.
const IDENTITY: &[&str] = &[
    "arn",
    // Read from states for the age of a key, which only live reads judge.
    "create_date",
    "id",
    "url",
    "group",
    "name",
    "role",
    "roles",
    "ssh_public_key_id",
    "tags_all",
    "unique_id",
    "user",
    "username",
    "users",
];

/// One plan change per attribute that drift reads and shows: the attribute set
/// to a value the baseline does not expect, and marked sensitive in the shape
/// given. Returns the resource change, the baseline, and the value that must not
/// be printed.
fn case(attr: &str, nested: bool) -> Option<(serde_json::Value, String, String)> {
    use serde_json::json;
    let secret = format!("S3CR3T-{attr}-value");
    let role = |extra: serde_json::Value| {
        let mut after = json!({"name": "app", "path": "/", "assume_role_policy": r#"{"Version":"2012-10-17","Statement":[]}"#, "max_session_duration": 3600, "description": ""});
        for (k, v) in extra.as_object().unwrap() {
            after[k] = v.clone();
        }
        after
    };
    let mark = |key: &str| {
        if nested {
            json!({ key: [{"policy": true}] })
        } else {
            json!({ key: true })
        }
    };
    let doc = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::{secret}"}}]}}"#
    );
    let pp_fields = [
        "minimum_password_length",
        "require_uppercase_characters",
        "require_lowercase_characters",
        "require_numbers",
        "require_symbols",
        "allow_users_to_change_password",
        "max_password_age",
        "password_reuse_prevention",
        "hard_expiry",
    ];
    let (ty, after, baseline, secret) = match attr {
        "account_alias" => (
            "aws_iam_account_alias",
            json!({"account_alias": secret}),
            "account: { alias: corp }".to_string(),
            secret,
        ),
        "assume_role_policy" => (
            "aws_iam_role",
            role(json!({"assume_role_policy": doc})),
            "roles: { app: { assume_role_policy: { Version: '2012-10-17', Statement: [] } } }"
                .into(),
            secret,
        ),
        "description" => (
            "aws_iam_role",
            role(json!({"description": secret})),
            "roles: { app: { description: plain } }".into(),
            secret,
        ),
        "max_session_duration" => (
            "aws_iam_role",
            role(json!({"max_session_duration": 43199})),
            "roles: { app: { max_session_duration: 3600 } }".into(),
            "43199".into(),
        ),
        "inline_policy" => (
            "aws_iam_role",
            role(json!({"inline_policy": [{"name": "p", "policy": doc}]})),
            "roles: { app: { inline_policies: {} } }".into(),
            secret,
        ),
        "managed_policy_arns" => (
            "aws_iam_role",
            role(json!({"managed_policy_arns": [format!("arn:aws:iam::aws:policy/{secret}")]})),
            "roles: { app: { managed_policies: [] } }".into(),
            secret,
        ),
        "path" => (
            "aws_iam_user",
            json!({"name": "alice", "path": format!("/{secret}/")}),
            "users: { alice: { path: / } }".into(),
            secret,
        ),
        "permissions_boundary" => (
            "aws_iam_user",
            json!({"name": "alice", "path": "/", "permissions_boundary": format!("arn:aws:iam::1:policy/{secret}")}),
            "users: { alice: { permissions_boundary: null } }".into(),
            secret,
        ),
        "tags" => (
            "aws_iam_user",
            json!({"name": "alice", "path": "/", "tags": {"team": secret}}),
            "users: { alice: { tags: { team: a } } }".into(),
            secret,
        ),
        "policy" => (
            "aws_iam_user_policy",
            json!({"user": "alice", "name": "p", "policy": doc}),
            "users: { alice: { inline_policies: {} } }".into(),
            secret,
        ),
        "policy_arn" => (
            "aws_iam_user_policy_attachment",
            json!({"user": "alice", "policy_arn": format!("arn:aws:iam::1:policy/{secret}")}),
            "users: { alice: { managed_policies: [] } }".into(),
            secret,
        ),
        "groups" => (
            "aws_iam_user_group_membership",
            json!({"user": "alice", "groups": [secret]}),
            "users: { alice: { groups: [] } }".into(),
            secret,
        ),
        "client_id_list" => (
            "aws_iam_openid_connect_provider",
            json!({"url": "https://idp.example.com", "client_id_list": [secret], "thumbprint_list": []}),
            "identity_providers: { oidc: { 'https://idp.example.com': { client_ids: [sts.amazonaws.com] } } }".into(),
            secret,
        ),
        "thumbprint_list" => (
            "aws_iam_openid_connect_provider",
            json!({"url": "https://idp.example.com", "client_id_list": [], "thumbprint_list": [secret]}),
            format!("identity_providers: {{ oidc: {{ 'https://idp.example.com': {{ thumbprints: [{}] }} }} }}", "a".repeat(40)),
            secret.to_ascii_lowercase(),
        ),
        "saml_metadata_document" => {
            let hash = iam_drift_guard::sources::sha256_hex(&secret);
            (
                "aws_iam_saml_provider",
                json!({"name": "corp", "saml_metadata_document": secret}),
                format!("identity_providers: {{ saml: {{ corp: {{ metadata_sha256: {} }} }} }}", "0".repeat(64)),
                hash,
            )
        }
        "status" => (
            "aws_iam_user_ssh_key",
            json!({"username": "alice", "ssh_public_key_id": "APKA1", "status": "Inactive"}),
            "users: { alice: { ssh_public_keys: [{ id: APKA1, status: Active }] } }".into(),
            "Inactive".into(),
        ),
        f if pp_fields.contains(&f) => {
            let (value, want) = match f {
                "minimum_password_length" => (json!(97), "96"),
                "max_password_age" => (json!(97), "96"),
                "password_reuse_prevention" => (json!(23), "22"),
                _ => (json!(false), "true"),
            };
            let shown = value.to_string();
            (
                "aws_iam_account_password_policy",
                json!({ f: value }),
                format!("password_policy: {{ {f}: {want} }}"),
                shown,
            )
        }
        _ => return None,
    };
    let mut rc = create(None, ty, "secret", None, after, json!({}));
    rc["change"]["actions"] = json!(["update"]);
    rc["change"]["after_sensitive"] = mark(attr);
    Some((rc, format!("version: 1\n{baseline}\n"), secret))
}

/// Whether `needle` stands in `hay` as a token of its own (a number inside a
/// fingerprint does not count).
fn contains_token(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(i, _)| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + needle.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

#[test]
fn every_attribute_drift_reads_is_masked_when_sensitive() {
    use iam_drift_guard::sources::terraform::READ_ATTRIBUTES;
    let mut checked = 0;
    for attr in READ_ATTRIBUTES {
        if IDENTITY.contains(attr) {
            continue;
        }
        // Blocks are marked as a whole (`true`) or per attribute inside
        // (`[{"policy": true}]`); other attributes only as a whole.
        let shapes: &[bool] = if *attr == "inline_policy" {
            &[false, true]
        } else {
            &[false]
        };
        for &nested in shapes {
            let (rc, baseline, secret) =
                case(attr, nested).unwrap_or_else(|| panic!("no case for `{attr}`: add one"));
            let mut plan = plan_bases().swap_remove(0).1;
            // The one resource, in its change and in the planned values.
            plan["resource_changes"] = serde_json::json!([]);
            plan["planned_values"] = serde_json::json!({"root_module": {}});
            push(&mut plan, rc);
            plan.as_object_mut().unwrap().remove("prior_state");
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("baseline.yaml"), &baseline).unwrap();
            let path = write_json(dir.path(), "plan.json", &plan);
            for format in ["human", "json", "sarif", "markdown", "github"] {
                let run = drift_in(
                    dir.path(),
                    &[
                        "check",
                        "--plan",
                        path.to_str().unwrap(),
                        "--format",
                        format,
                        "--fail-on",
                        "info",
                    ],
                    None,
                );
                assert_eq!(
                    run.code, 1,
                    "`{attr}` ({format}) finds nothing: {}{}",
                    run.stdout, run.stderr
                );
                // SARIF carries the rules' documentation, which names
                // `Inactive`: only its results come from the plan.
                let shown = if format == "sarif" {
                    let log: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
                    log["runs"][0]["results"].to_string()
                } else {
                    run.stdout.clone()
                };
                assert!(
                    !contains_token(&shown, &secret) && !contains_token(&run.stderr, &secret),
                    "`{attr}` (nested: {nested}) shows `{secret}` in {format}:\n{}",
                    run.stdout
                );
            }
            let out = dir.path().join("report");
            let run = drift_in(
                dir.path(),
                &[
                    "report",
                    "--plan",
                    path.to_str().unwrap(),
                    "--out",
                    out.to_str().unwrap(),
                    "--fail-on",
                    "info",
                ],
                None,
            );
            assert_eq!(run.code, 1, "{}", run.stderr);
            // The time of the run is drift's own, not the plan's (and may
            // hold the value's digits).
            let report: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap())
                    .unwrap();
            let at = report["generated_at"].as_str().unwrap().to_string();
            for file in ["report.json", "report.md", "report.html"] {
                let text = std::fs::read_to_string(out.join(file))
                    .unwrap()
                    .replace(&at, "[generated_at]")
                    .replace(&at[..10], "[date]");
                // The page's style and script are constants of drift (no
                // value goes into them): only the rest comes from the plan.
                let text = without_between(&text, "<style>", "</style>");
                let text = without_between(&text, "<script>", "</script>");
                // The chart and its table count findings per run.
                let text = without_between(&text, "<svg", "</svg>");
                let text = without_between(&text, "<table class=\"runs\">", "</table>");
                assert!(
                    !contains_token(&text, &secret),
                    "`{attr}` shows `{secret}` in {file}"
                );
            }
            // `init` leaves the value out and says so.
            let run = drift_in(
                dir.path(),
                &["init", "--plan", path.to_str().unwrap()],
                None,
            );
            assert_eq!(run.code, 0, "`{attr}`: {}", run.stderr);
            // A boolean or a number is told by its field, a string by itself.
            let written = if secret.parse::<f64>().is_ok() || secret == "false" {
                run.stdout
                    .lines()
                    .any(|l| l.trim_start().starts_with(&format!("{attr}:")))
            } else {
                contains_token(&run.stdout, &secret)
            };
            assert!(
                !written,
                "`{attr}`: init writes `{secret}`:\n{}",
                run.stdout
            );
            assert!(
                run.stdout.contains("marks them sensitive"),
                "`{attr}`:\n{}",
                run.stdout
            );
            checked += 1;
        }
    }
    assert!(checked >= 23, "{checked}");
}

/// `text` without what lies between `open` and `close` (both included).
fn without_between(text: &str, open: &str, close: &str) -> String {
    match (text.find(open), text.find(close)) {
        (Some(a), Some(b)) if a < b => format!("{}{}", &text[..a], &text[b + close.len()..]),
        _ => text.to_string(),
    }
}
