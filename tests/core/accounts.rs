//! The accounts file, and the split of accounts into shards.

use iam_drift_guard::accounts::file::parse;
use iam_drift_guard::accounts::{self, shard_of, Role, Status};

fn errors(text: &str) -> Vec<String> {
    match parse("accounts.yaml", text) {
        Ok(e) => panic!("expected errors, got {e:?}"),
        Err(e) => e.lines(),
    }
}

#[test]
fn an_accounts_file_gives_each_account_its_role_external_id_session_and_baseline() {
    let text = r#"version: 1
accounts:
  - id: "011122223333"
    name: prod
    role_name: drift-readonly
    external_id: drift-7f3a
    session_name: drift-nightly
    baseline: baselines/prod.yaml
  - id: 444455556666
    role_arn: arn:aws-us-gov:iam::444455556666:role/ops/drift
  - id: "777788889999"
"#;
    let entries = parse("accounts.yaml", text).unwrap();
    assert_eq!(entries.len(), 3);
    let prod = &entries[0];
    assert_eq!(prod.id, "011122223333");
    assert_eq!(prod.name.as_deref(), Some("prod"));
    assert_eq!(prod.role, Role::Name("drift-readonly".into()));
    assert_eq!(
        prod.role_arn("ignored"),
        "arn:aws:iam::011122223333:role/drift-readonly"
    );
    assert_eq!(prod.external_id.as_deref(), Some("drift-7f3a"));
    assert_eq!(prod.session_name.as_deref(), Some("drift-nightly"));
    assert_eq!(prod.baseline.as_deref(), Some("baselines/prod.yaml"));
    assert_eq!(prod.loc.map(|l| l.line), Some(3));
    // An unquoted id is read as the number it looks like, and kept as an id.
    assert_eq!(entries[1].id, "444455556666");
    assert_eq!(entries[1].partition, "aws-us-gov");
    assert_eq!(
        entries[1].role_arn("ignored"),
        "arn:aws-us-gov:iam::444455556666:role/ops/drift"
    );
    assert_eq!(entries[2].role, Role::Default);
    assert_eq!(
        entries[2].role_arn(accounts::DEFAULT_ROLE_NAME),
        "arn:aws:iam::777788889999:role/OrganizationAccountAccessRole"
    );
}

#[test]
fn every_error_of_an_accounts_file_is_reported_at_once_with_its_line() {
    let text = r#"version: 1
accounts:
  - id: "12345"
  - id: "111122223333"
    role_nmae: drift
  - id: "111122223333"
  - id: "222233334444"
    role_arn: arn:aws:iam::999988887777:role/drift
  - id: "333344445555"
    role_arn: arn:aws:iam::333344445555:role/drift
    role_name: drift
  - id: "444455556666"
    session_name: "a b"
    external_id: "x"
  - name: no-id
"#;
    let lines = errors(text);
    let joined = lines.join("\n");
    for expected in [
        "accounts.yaml:3:9: `accounts[0].id` is `12345`, not a 12-digit account id",
        "accounts.yaml:5:5: unknown key `role_nmae` in `accounts[1]`",
        "account 111122223333 is listed twice (first at line 4)",
        "`accounts[3].role_arn` is a role of account 999988887777, not of 222233334444",
        "`accounts[4]` gives both `role_arn` and `role_name`",
        "`accounts[5].session_name` is not a session name STS accepts",
        "`accounts[5].external_id` is not an external id STS accepts",
        "`accounts[6]` has no `id`",
    ] {
        assert!(
            joined.contains(expected),
            "missing `{expected}` in:\n{joined}"
        );
    }
    // The closest key is suggested.
    let e = parse("accounts.yaml", text).unwrap_err();
    assert!(e
        .errors
        .iter()
        .any(|l| l.error.help.as_deref() == Some("did you mean `role_name`?")));
}

#[test]
fn an_empty_or_versionless_accounts_file_is_an_error_not_a_run_over_nothing() {
    assert!(errors("").join("\n").contains("the accounts file is empty"));
    assert!(errors("version: 1\naccounts: []\n")
        .join("\n")
        .contains("`accounts` lists no account"));
    assert!(errors("accounts:\n  - id: \"111122223333\"\n")
        .join("\n")
        .contains("has no `version`"));
    assert!(errors("version: 2\naccounts:\n  - id: \"111122223333\"\n")
        .join("\n")
        .contains("unsupported accounts file version 2"));
    assert!(errors("version: 1\naccounts:\n  - id: [\n")
        .join("\n")
        .contains("invalid YAML"));
}

#[test]
fn the_shard_split_is_stable_and_puts_every_account_in_exactly_one_shard() {
    let ids: Vec<String> = (0..2_000u64)
        .map(|i| format!("{:012}", 100_000_000_000 + i * 7_919))
        .collect();
    for n in [1u32, 2, 3, 8, 50] {
        let mut sizes = vec![0usize; n as usize];
        for id in &ids {
            let k = shard_of(id, n);
            assert!((1..=n).contains(&k));
            // The same whatever else is listed, and on every call.
            assert_eq!(shard_of(id, n), k);
            sizes[(k - 1) as usize] += 1;
        }
        assert_eq!(sizes.iter().sum::<usize>(), ids.len());
        // Spread: no shard holds more than twice its share.
        let share = ids.len() / n as usize;
        assert!(sizes.iter().all(|s| *s <= share * 2), "{n}: {sizes:?}");
    }
    // Fixed values: a change of the split would move accounts between
    // shards of runs already scheduled.
    assert_eq!(shard_of("111122223333", 4), shard_of("111122223333", 4));
    let fixed: Vec<u32> = ["111122223333", "444455556666", "777788889999"]
        .iter()
        .map(|id| shard_of(id, 8))
        .collect();
    assert_eq!(fixed, fixed_shards());
}

/// FNV-1a of the id, modulo N, plus one, computed here by hand.
fn fixed_shards() -> Vec<u32> {
    ["111122223333", "444455556666", "777788889999"]
        .iter()
        .map(|id| {
            let mut h: u64 = 0xcbf29ce484222325;
            for b in id.bytes() {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x100000001b3);
            }
            (h % 8) as u32 + 1
        })
        .collect()
}

#[test]
fn statuses_read_back_and_a_run_is_whole_only_when_no_account_failed() {
    for s in Status::ALL {
        assert_eq!(Status::parse(s.as_str()), Some(s));
    }
    let run = |status| accounts::AccountRun {
        id: "111122223333".into(),
        name: None,
        status,
        reason: None,
        unread: Vec::new(),
        calls: 0,
        seconds: 0.0,
        findings: [0; 5],
        baselines: Vec::new(),
    };
    assert!(accounts::all_read(&[
        run(Status::Read),
        run(Status::Skipped)
    ]));
    for bad in [
        Status::Partial,
        Status::Denied,
        Status::Throttled,
        Status::Timeout,
    ] {
        assert!(!accounts::all_read(&[run(Status::Read), run(bad)]), "{bad}");
    }
}

#[test]
fn the_example_accounts_file_reads() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/accounts.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let entries = parse("examples/accounts.yaml", &text).unwrap();
    let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["111122223333", "444455556666", "777788889999"]);
    assert!(entries[0].external_id.is_some());
}
