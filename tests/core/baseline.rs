use iam_drift_guard::baseline::{self, KeyStatus, Unmanaged, KEYS};
use iam_drift_guard::finding::Severity;
use iam_drift_guard::state::{PpField, PpValue};

fn errors(text: &str) -> Vec<String> {
    match baseline::parse("baseline.yaml", text) {
        Ok(_) => Vec::new(),
        Err(e) => e.lines(),
    }
}

#[test]
fn the_example_baseline_is_valid() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/baseline.yaml")).unwrap();
    let b = baseline::parse("baseline.yaml", &text).unwrap();
    let pp = b.password_policy.as_ref().unwrap();
    assert_eq!(
        pp.fields[&PpField::MinimumPasswordLength].value,
        PpValue::Num(14)
    );
    assert_eq!(pp.fields.len(), 9);
    let deploy = &b.users["deploy"];
    let keys = &deploy.ssh_public_keys.as_ref().unwrap().value;
    assert_eq!(keys[0].id, "APKAEIBAERJR2EXAMPLE");
    assert_eq!(keys[0].status.as_ref().unwrap().value, KeyStatus::Active);
    assert_eq!(
        b.instance_profiles["app"].roles.as_ref().unwrap().value[0].value,
        "app"
    );
    assert!(b.roles["app"]
        .principal
        .inline_policies
        .as_ref()
        .unwrap()
        .value
        .is_empty());
}

#[test]
fn every_field_of_the_design_parses_with_locations() {
    let text = r#"version: 1
account:
  id: "123456789012"
  alias: acme-prod
password_policy:
  minimum_password_length: 14
  max_password_age: 90
users:
  alice:
    id: AIDAEXAMPLEALICE
    path: /engineering/
    groups: [admins]
    managed_policies: [arn:aws:iam::aws:policy/ReadOnlyAccess]
    inline_policies: { notes-access: { Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:GetObject", Resource: "*"}] } }
    permissions_boundary: arn:aws:iam::123456789012:policy/boundary
    console_access: true
    mfa: required
    ssh_public_keys:
      - { id: APKAEIBAERJR2EXAMPLE, status: Active }
    tags: { team: platform }
groups:
  admins: { path: /, managed_policies: [arn:aws:iam::aws:policy/AdministratorAccess] }
roles:
  app:
    path: /
    assume_role_policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
    managed_policies: []
    inline_policies: {}
    max_session_duration: 3600
instance_profiles:
  app: { path: /, roles: [app] }
policies:
  deploy: { path: /, document: { Version: "2012-10-17", Statement: [] } }
settings:
  unmanaged: ignore
  ignore: ["role:/aws-service-role/*", "user:ci-*"]
  severity: { user-unmanaged: low }
"#;
    let b = baseline::parse("baseline.yaml", text).unwrap();
    let account = b.account.unwrap();
    assert_eq!(account.id.unwrap().value, "123456789012");
    let alice = &b.users["alice"];
    assert_eq!((alice.loc.line, alice.loc.column), (9, 3));
    assert_eq!(alice.principal.path.as_ref().unwrap().loc.line, 11);
    assert!(alice.mfa.as_ref().unwrap().value);
    assert!(alice
        .principal
        .inline_policies
        .as_ref()
        .unwrap()
        .value
        .contains_key("notes-access"));
    assert_eq!(
        alice
            .principal
            .permissions_boundary
            .as_ref()
            .unwrap()
            .value
            .as_deref(),
        Some("arn:aws:iam::123456789012:policy/boundary")
    );
    assert!(b.roles["app"].assume_role_policy.is_some());
    assert_eq!(b.settings.unmanaged, Unmanaged::Ignore);
    assert_eq!(b.settings.ignore.len(), 2);
    assert_eq!(b.settings.severity["user-unmanaged"].value, Severity::Low);
}

#[test]
fn all_errors_are_reported_at_once_with_locations() {
    let text = "version: 1\npassword_policy:\n  minimum_pasword_length: 4\n  require_symbols: yes\n  max_password_age: 2000\n  password_reuse_prevention: 0\n  minimum_password_length: 5\nusers:\n  bob: { paht: /x/, mfa: maybe, path: nope }\nsettings:\n  severity: { user-unmanged: low, role-removed: urgent }\n";
    let errs = errors(text);
    assert_eq!(
        errs,
        vec![
            "baseline.yaml:3:3: unknown key `minimum_pasword_length` in `password_policy`",
            "baseline.yaml:4:20: `password_policy.require_symbols` must be `true` or `false`, not a string",
            "baseline.yaml:5:21: `password_policy.max_password_age` is 2000, out of the range AWS allows (1 to 1095)",
            "baseline.yaml:6:30: `password_policy.password_reuse_prevention` is 0, out of the range AWS allows (1 to 24)",
            "baseline.yaml:7:28: `password_policy.minimum_password_length` is 5, out of the range AWS allows (6 to 128)",
            "baseline.yaml:9:10: unknown key `paht` in `users.bob`",
            "baseline.yaml:9:26: `users.bob.mfa` must be `required` or `optional`",
            "baseline.yaml:9:39: `users.bob.path` must begin and end with `/`, like `/` or `/engineering/`",
            "baseline.yaml:11:15: unknown rule `user-unmanged`",
            "baseline.yaml:11:49: `settings.severity.role-removed` is not a severity",
        ]
    );
}

#[test]
fn suggestions_for_typos() {
    let e = baseline::parse("b.yaml", "version: 1\nusres: {}\n").unwrap_err();
    assert_eq!(
        e.errors[0].error.help.as_deref(),
        Some("did you mean `users`?")
    );
    let e = baseline::parse(
        "b.yaml",
        "version: 1\nusers:\n  a:\n    ssh_public_keys: [{id: K, status: active}]\n",
    )
    .unwrap_err();
    assert_eq!(
        e.errors[0].error.help.as_deref(),
        Some("did you mean `Active`?")
    );
}

#[test]
fn version_and_shape() {
    assert_eq!(
        errors("version: 2\n"),
        vec!["baseline.yaml:1:10: unsupported baseline version 2"]
    );
    assert_eq!(
        errors("users: {}\n"),
        vec!["baseline.yaml:1:1: the baseline has no `version`"]
    );
    assert_eq!(errors(""), vec!["baseline.yaml:1:1: the baseline is empty"]);
    assert_eq!(
        errors("- a\n- b\n"),
        vec!["baseline.yaml:1:1: `baseline` must be a mapping, not a list"]
    );
    let syntax = errors("version: 1\nusers: [a\nb: c\n");
    assert_eq!(syntax.len(), 1);
    assert!(
        syntax[0].starts_with("baseline.yaml:3:") && syntax[0].contains("invalid YAML"),
        "{syntax:?}"
    );
}

#[test]
fn duplicates_and_odd_values() {
    let errs = errors("version: 1\nusers:\n  a:\n    groups: [x, x]\n  b:\n    ssh_public_keys: [{status: Active}]\ninstance_profiles:\n  p: { roles: [r1, r2] }\n");
    assert_eq!(
        errs,
        vec![
            "baseline.yaml:4:17: `x` is listed twice in `users.a.groups`",
            "baseline.yaml:6:23: an entry of `users.b.ssh_public_keys` has no `id`",
            "baseline.yaml:8:15: `instance_profiles.p.roles` lists 2 roles; an instance profile holds at most one",
        ]
    );
    // An unquoted account id is read as a number: it is accepted as text.
    let b = baseline::parse("b.yaml", "version: 1\naccount: { id: 123456789012 }\n").unwrap();
    assert_eq!(b.account.unwrap().id.unwrap().value, "123456789012");
    assert_eq!(
        errors("version: 1\naccount: { id: \"12345\" }\n"),
        vec!["baseline.yaml:2:16: `account.id` `12345` is not a 12-digit AWS account id"]
    );
    assert_eq!(
        errors("version: 1\npolicies:\n  p: { document: '{not json' }\n"),
        vec!["baseline.yaml:3:18: `policies.p.document`: the policy document is not valid JSON: key must be a string at line 1 column 2"]
    );
}

#[test]
fn yaml_1_1_booleans_are_not_taken_for_names() {
    // `n`, `no`, `on` are user names, not booleans.
    let b = baseline::parse(
        "b.yaml",
        "version: 1\nusers:\n  n: {}\n  no: {}\n  on: {}\n",
    )
    .unwrap();
    assert_eq!(b.users.keys().collect::<Vec<_>>(), vec!["n", "no", "on"]);
}

#[test]
fn the_schema_lists_exactly_the_keys_the_parser_accepts() {
    let schema: serde_json::Value = serde_json::from_str(baseline::schema::SCHEMA).unwrap();
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        k.sort();
        k
    };
    let sorted = |s: &[&str]| -> Vec<String> {
        let mut k: Vec<String> = s.iter().map(|s| s.to_string()).collect();
        k.sort();
        k
    };
    let d = &schema["definitions"];
    assert_eq!(keys(&schema), sorted(KEYS.top));
    assert_eq!(keys(&schema["properties"]["account"]), sorted(KEYS.account));
    assert_eq!(
        keys(&schema["properties"]["password_policy"]),
        sorted(KEYS.password_policy)
    );
    assert_eq!(
        keys(&schema["properties"]["settings"]),
        sorted(KEYS.settings)
    );
    assert_eq!(keys(&d["user"]), sorted(KEYS.user));
    assert_eq!(keys(&d["group"]), sorted(KEYS.group));
    assert_eq!(keys(&d["role"]), sorted(KEYS.role));
    assert_eq!(keys(&d["instance_profile"]), sorted(KEYS.instance_profile));
    assert_eq!(keys(&d["policy"]), sorted(KEYS.policy));
    assert_eq!(
        keys(&schema["properties"]["account"]["properties"]["root"]),
        sorted(KEYS.root)
    );
    assert_eq!(
        keys(&schema["properties"]["identity_providers"]),
        sorted(KEYS.identity_providers)
    );
    assert_eq!(keys(&d["oidc_provider"]), sorted(KEYS.oidc_provider));
    assert_eq!(keys(&d["saml_provider"]), sorted(KEYS.saml_provider));
    assert_eq!(
        keys(&schema["properties"]["settings"]["properties"]["ignore"]["items"]["oneOf"][1]),
        sorted(baseline::WAIVER_KEYS)
    );
}

#[test]
fn credentials_providers_and_the_root_parse_with_locations() {
    let text = r#"version: 1
account:
  root: { access_keys: false, mfa: required }
users:
  ci:
    access_keys:
      - AKIAIOSFODNN7EXAMPLE
      - { id: AKIAI44QH8DHBEXAMPLE, status: Inactive }
  nobody:
    access_keys: []
identity_providers:
  oidc:
    https://token.actions.githubusercontent.com/:
      client_ids: [sts.amazonaws.com]
      thumbprints: [6938FD4D98BAB03FAADB97B34396831E3780AEA1]
  saml:
    corp: { metadata_sha256: 195DEAEF1512F2E0C067F11266474F552295CC5E11C6564046E191FC68EF5C9A }
settings:
  max_key_age_days: 90
"#;
    let b = baseline::parse("baseline.yaml", text).unwrap_or_else(|e| panic!("{:?}", e.lines()));
    let root = b.account.as_ref().unwrap().root.as_ref().unwrap();
    assert!(!root.access_keys.as_ref().unwrap().value);
    assert!(root.mfa.as_ref().unwrap().value);
    let keys = &b.users["ci"].access_keys.as_ref().unwrap().value;
    assert_eq!(keys[0].id, "AKIAIOSFODNN7EXAMPLE");
    assert!(keys[0].status.is_none());
    assert_eq!(keys[1].status.as_ref().unwrap().value, KeyStatus::Inactive);
    assert_eq!(keys[1].loc.line, 8);
    assert!(b.users["nobody"]
        .access_keys
        .as_ref()
        .unwrap()
        .value
        .is_empty());
    let gh = &b.oidc_providers["token.actions.githubusercontent.com"];
    assert_eq!(
        gh.thumbprints.as_ref().unwrap().value[0].value,
        "6938fd4d98bab03faadb97b34396831e3780aea1"
    );
    assert_eq!(gh.loc.line, 13);
    let corp = &b.saml_providers["corp"];
    assert!(corp
        .metadata_sha256
        .as_ref()
        .unwrap()
        .value
        .starts_with("195deaef"));
    assert_eq!(b.settings.max_key_age_days.as_ref().unwrap().value, 90);
}

#[test]
fn credential_and_provider_mistakes_are_located_and_suggested() {
    let got = errors(
        r#"version: 1
account:
  root: { mfa: requird, acces_keys: false }
users:
  ci:
    access_keys: [wJalrXUtnFEMI, AKIAIOSFODNN7EXAMPLE, AKIAIOSFODNN7EXAMPLE]
identity_providers:
  oidc:
    https://idp.example.com: { thumbprints: [abc] }
    idp.example.com: {}
  sml: {}
settings:
  max_key_age_days: 0
"#,
    );
    let want = [
        "baseline.yaml:3:16: `account.root.mfa` must be `required` or `optional`",
        "baseline.yaml:3:25: unknown key `acces_keys` in `account.root`",
        "baseline.yaml:6:19: `wJalrXUtnFEMI` in `users.ci.access_keys` is not an access key id",
        "baseline.yaml:6:56: access key `AKIAIOSFODNN7EXAMPLE` is listed twice",
        "baseline.yaml:9:46: `identity_providers.oidc.https://idp.example.com.thumbprints`: `abc` is not a SHA-1 thumbprint (40 hex digits)",
        "baseline.yaml:10:5: OIDC provider `idp.example.com` is declared twice",
        "baseline.yaml:11:3: unknown key `sml` in `identity_providers`",
        "baseline.yaml:13:21: `settings.max_key_age_days` must be a number of days from 1 to 3650",
    ];
    assert_eq!(got, want);
}

mod merge {
    use iam_drift_guard::baseline::{merge::merge, parse, parse_in};

    const SHARED: &str = "version: 1
account:
  root: { mfa: required, access_keys: false }
password_policy:
  minimum_password_length: 14
guardrails:
  public_trust: forbidden
settings:
  unmanaged: report
  severity: { user-unmanaged: high }
users:
  break-glass: {}
";

    #[test]
    fn an_accounts_baseline_is_the_shared_file_with_its_own_added_each_line_in_its_file() {
        let own = "version: 1
account:
  id: \"111122223333\"
settings:
  severity: { role-unmanaged: critical }
  ignore: [\"role:/aws-service-role/*\"]
users:
  alice: {}
roles:
  app: {}
";
        let shared = parse("shared.yaml", SHARED).unwrap();
        let own = parse_in("prod.yaml", own, 1).unwrap();
        let merged = merge(&shared, own, "shared.yaml").unwrap();
        let names: Vec<&str> = merged.users.keys().map(String::as_str).collect();
        assert_eq!(names, ["alice", "break-glass"]);
        assert!(merged.roles.contains_key("app"));
        // Each entry says which file declared it.
        assert_eq!(merged.users["break-glass"].loc.file, 0);
        assert_eq!(merged.users["alice"].loc.file, 1);
        assert_eq!(merged.users["alice"].loc.line, 8);
        let account = merged.account.as_ref().unwrap();
        assert_eq!(
            account.id.as_ref().map(|i| (i.value.as_str(), i.loc.file)),
            Some(("111122223333", 1))
        );
        assert!(account.root.as_ref().is_some_and(|r| r.loc.file == 0));
        assert_eq!(merged.password_policy.as_ref().map(|p| p.loc.file), Some(0));
        assert!(merged.guardrails.is_some());
        // Settings lists are joined.
        assert_eq!(merged.settings.severity.len(), 2);
        assert_eq!(merged.settings.ignore.len(), 1);
    }

    #[test]
    fn what_both_files_declare_is_an_error_at_the_own_files_line_naming_the_shared_one() {
        let own = "version: 1
account:
  root: { mfa: required }
password_policy:
  minimum_password_length: 8
settings:
  unmanaged: ignore
  severity: { user-unmanaged: low }
users:
  break-glass: {}
guardrails:
  public_trust: forbidden
";
        let shared = parse("shared.yaml", SHARED).unwrap();
        let own = parse_in("prod.yaml", own, 1).unwrap();
        let errors = merge(&shared, own, "shared.yaml").unwrap_err();
        let mut said: Vec<(u32, String)> = errors
            .iter()
            .map(|e| (e.loc.map_or(0, |l| l.line), e.message.clone()))
            .collect();
        said.sort();
        let expected = [
            (3, "`account.root` is declared here and in the shared baseline (shared.yaml:3)"),
            (4, "`password_policy` is declared here and in the shared baseline (shared.yaml:4)"),
            (7, "`settings.unmanaged` is declared here and in the shared baseline (shared.yaml:9)"),
            (8, "`settings.severity.user-unmanaged` is declared here and in the shared baseline (shared.yaml:10)"),
            (10, "`users.break-glass` is declared here and in the shared baseline (shared.yaml:12)"),
            (12, "`guardrails.public_trust` is declared here and in the shared baseline (shared.yaml:7)"),
        ];
        let expected: Vec<(u32, String)> =
            expected.iter().map(|(l, m)| (*l, m.to_string())).collect();
        assert_eq!(said, expected);
        assert!(errors.iter().all(|e| e.loc.is_some_and(|l| l.file == 1)));
    }
}
