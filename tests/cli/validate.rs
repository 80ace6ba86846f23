use crate::common::*;

#[test]
fn the_example_baseline_validates() {
    let run = drift(&["validate"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("baseline.yaml: valid baseline (3 users"),
        "{}",
        run.stdout
    );
}

#[test]
fn every_error_at_once_with_file_line_column_and_hint() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("b.yaml"),
        "version: 1\npassword_policy:\n  minimum_pasword_length: 14\n  max_password_age: 0\n",
    )
    .unwrap();
    let run = drift_in(dir.path(), &["validate", "b.yaml"], None);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    let e = &run.stderr;
    assert!(
        e.contains("`b.yaml` is not a valid baseline: 2 errors"),
        "{e}"
    );
    assert!(
        e.contains("unknown key `minimum_pasword_length` in `password_policy`"),
        "{e}"
    );
    assert!(e.contains("[b.yaml:3:3]"), "{e}");
    assert!(e.contains("did you mean `minimum_password_length`?"), "{e}");
    assert!(e.contains("[b.yaml:4:21]"), "{e}");
    assert!(!e.contains("panicked"), "{e}");
}

#[test]
fn a_missing_baseline_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let run = drift_in(dir.path(), &["check", "--plan", "x.json"], None);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("cannot read the baseline `baseline.yaml`"),
        "{}",
        run.stderr
    );
}

#[test]
fn schema_is_json() {
    let run = drift(&["schema"]);
    assert_eq!(run.code, 0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["properties"]["version"]["const"], 1);
}

fn validate(text: &str) -> Run {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("b.yaml"), text).unwrap();
    drift_in(dir.path(), &["validate", "b.yaml"], None)
}

#[test]
fn thousands_of_errors_are_counted_not_all_shown() {
    let mut text = String::from("version: 1\nsettings:\n  ignore:\n");
    for _ in 0..5000 {
        text.push_str("    - 'user:x'\n");
    }
    let run = validate(&text);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("4999 errors (the first 50 are shown"),
        "{}",
        &run.stderr[..300.min(run.stderr.len())]
    );
    assert_eq!(run.stderr.matches("is listed twice").count(), 50);
}

#[test]
fn yaml_errors_point_at_their_place_in_the_baseline_s_words() {
    for (text, at, says, never) in [
        (
            "version: 1\nusers:\n  alice: {}\n  alice: {}\n",
            "b.yaml:4:3",
            "`alice` is declared twice",
            "DuplicateKeyPolicy",
        ),
        (
            "version: 1\n---\nversion: 1\n",
            "b.yaml:3:1",
            "one YAML document",
            "from_str_multiple",
        ),
        (
            "version: 1\nusers:\n  alice: [\n  bob: x\n",
            "b.yaml:3:10",
            "unclosed bracket",
            "b.yaml:1:1",
        ),
    ] {
        let run = validate(text);
        assert_eq!(run.code, 2);
        assert!(
            run.stderr.contains(at) && run.stderr.contains(says),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains(never), "{}", run.stderr);
    }
}

#[test]
fn a_large_baseline_reads_and_expanding_aliases_stop() {
    let mut text = String::from("version: 1\nusers:\n");
    for i in 0..60_000 {
        text.push_str(&format!("  u{i}: {{ path: /, groups: [g] }}\n"));
    }
    let run = validate(&text);
    assert_eq!(run.code, 0, "{}", &run.stderr[..300.min(run.stderr.len())]);
    assert!(run.stdout.contains("60000 users"));
    let mut laughs = String::from("version: 1\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        laughs.push_str(&format!(
            "{name}: &{name} [{}]\n",
            vec![format!("*{prev}"); 9].join(",")
        ));
    }
    let run = validate(&laughs);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("more YAML nodes than its size allows"),
        "{}",
        run.stderr
    );
}

#[test]
fn init_writes_a_baseline_for_a_plan_of_20000_iam_resources() {
    let mut plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join(fixture("clean"))).unwrap())
            .unwrap();
    for i in 0..20_000 {
        push(
            &mut plan,
            create(
                None,
                "aws_iam_user",
                "many",
                Some(serde_json::json!(i)),
                serde_json::json!({"name": format!("user-{i}"), "path": "/"}),
                serde_json::json!({"arn": true, "id": true, "unique_id": true}),
            ),
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write_json(dir.path(), "plan.json", &plan);
    let run = drift_in(
        dir.path(),
        &[
            "init",
            "--plan",
            path.to_str().unwrap(),
            "--output",
            "baseline.yaml",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = drift_in(dir.path(), &["validate"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("20003 users"), "{}", run.stdout);
}

#[test]
fn an_error_on_a_line_of_130000_characters_is_located_without_a_panic() {
    let users: Vec<String> = (0..12_000).map(|i| format!("u{i}: {{}}")).collect();
    for tail in ["bad: [ }", "bad: { nope: 1 } }"] {
        let text = format!("version: 1\nusers: {{ {}, {tail}\n", users.join(", "));
        let run = validate(&text);
        assert_eq!(run.code, 2, "{}", &run.stderr[..300.min(run.stderr.len())]);
        assert!(
            !run.stderr.contains("panicked"),
            "{}",
            &run.stderr[..300.min(run.stderr.len())]
        );
        assert!(
            run.stderr.contains("b.yaml:2:"),
            "{}",
            &run.stderr[..300.min(run.stderr.len())]
        );
        assert!(run.stderr.len() < 2_000, "the line is not quoted");
    }
}

#[test]
fn root_and_provider_typos_get_a_suggestion() {
    let run = validate(
        "version: 1\naccount:\n  root: { mfa: requird }\nidentity_providers: { sml: {} }\n",
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `required`?"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `saml`?"),
        "{}",
        run.stderr
    );
}

/// docs/baseline-reference.md is what `drift schema --markdown` makes from the
/// schema, and every key the parser accepts is in it.
#[test]
fn the_baseline_reference_is_generated_from_the_schema() {
    let run = drift(&["schema", "--markdown"]);
    assert_eq!(run.code, 0);
    let page = std::fs::read_to_string(root().join("docs/baseline-reference.md")).unwrap();
    assert_eq!(
        page, run.stdout,
        "regenerate it: drift schema --markdown > docs/baseline-reference.md"
    );
    for key in [
        "`password_policy.minimum_password_length`",
        "`users.NAME.access_keys`",
        "`roles.NAME.assume_role_policy`",
        "`guardrails.never_allow`",
        "`settings.ignore[].expires`",
    ] {
        assert!(page.contains(key), "{key}");
    }
}

/// Every page the README lists exists, and every link between pages of
/// docs/ leads to a page that exists.
#[test]
fn the_documentation_links_hold() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let mut pages = vec![("README.md".to_string(), readme.clone())];
    for entry in std::fs::read_dir(root().join("docs")).unwrap() {
        let path = entry.unwrap().path();
        let name = format!("docs/{}", path.file_name().unwrap().to_string_lossy());
        pages.push((name, std::fs::read_to_string(&path).unwrap()));
    }
    for (name, text) in &pages {
        let base = std::path::Path::new(name).parent().unwrap();
        for (at, _) in text.match_indices("](") {
            let rest = &text[at + 2..];
            let target = &rest[..rest.find(')').unwrap()];
            if target.starts_with("http") || target.starts_with('#') {
                continue;
            }
            let file = target.split('#').next().unwrap();
            assert!(
                root().join(base).join(file).exists(),
                "{name} links to {target}, which does not exist"
            );
        }
    }
    assert!(readme.lines().count() < 300, "the README is an overview");
}
