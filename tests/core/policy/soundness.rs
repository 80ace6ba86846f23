//! The soundness property of the comparison (see `tests/oracle/property.rs`)
//! over random pairs of documents and over random edits of the trust and
//! permission policies of the real plans and states in `../shared/fixtures`.
//! A fixed seed (`DRIFT_POLICY_SEED`, default 1) makes a run repeatable;
//! `DRIFT_POLICY_CASES` sets how many pairs (default 3000).

use super::generator::{self as gen, Rng};
use super::property::{check, Tally};
use iam_drift_guard::policy::compare::Verdict;
use serde_json::Value;
use std::collections::BTreeMap;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[derive(Default)]
struct Counts {
    verdicts: BTreeMap<&'static str, usize>,
    tally: Tally,
    pairs: usize,
}

impl Counts {
    fn add(&mut self, v: Verdict) {
        *self.verdicts.entry(v.as_str()).or_default() += 1;
        self.pairs += 1;
    }
}

/// One pair, both ways, with requests drawn from both documents.
fn judge_pair(rng: &mut Rng, old: &Value, new: &Value, trust: bool, counts: &mut Counts) {
    let requests: Vec<_> = (0..48)
        .map(|_| gen::request(rng, old, new, trust))
        .collect();
    for (a, b) in [(old, new), (new, old)] {
        match check(a, b, &requests, &mut counts.tally) {
            Ok(c) => counts.add(c.verdict),
            Err(failure) => panic!("counterexample:\n{failure}"),
        }
    }
}

#[test]
fn random_pairs_of_documents() {
    let seed = env_number("DRIFT_POLICY_SEED", 1);
    let cases = env_number("DRIFT_POLICY_CASES", 3000);
    let mut counts = Counts::default();
    for i in 0..cases {
        let mut rng = Rng::new(seed.wrapping_mul(1_000_003).wrapping_add(i));
        let trust = i % 2 == 1;
        let old = gen::document(&mut rng, trust);
        let mut new = old.clone();
        for _ in 0..=rng.below(3) {
            new = gen::edit(&mut rng, &new, trust);
        }
        judge_pair(&mut rng, &old, &new, trust, &mut counts);
    }
    eprintln!(
        "random pairs: {} comparisons, verdicts {:?}, {} requests decided by the oracle, {} witnesses confirmed, {} witnesses the oracle could not decide",
        counts.pairs,
        counts.verdicts,
        counts.tally.decided,
        counts.tally.witnesses,
        counts.tally.undecided_witnesses
    );
    // The property is not vacuous: every verdict occurs, and witnesses are
    // checked.
    for v in [
        "equal",
        "narrowed",
        "widened",
        "widened and narrowed",
        "cannot tell",
    ] {
        assert!(
            counts.verdicts.get(v).copied().unwrap_or(0) > 0,
            "no `{v}` in {:?}",
            counts.verdicts
        );
    }
    assert!(
        counts.tally.witnesses > counts.pairs / 10,
        "{:?}",
        counts.tally
    );
    assert!(
        counts.tally.decided > counts.pairs * 20,
        "{:?}",
        counts.tally
    );
}

/// Every policy document in the real plans and states beside the project:
/// string attributes named `policy` or `assume_role_policy` that hold one.
fn real_documents() -> Vec<(bool, Value)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures");
    let mut out = Vec::new();
    for sub in ["plan", "state"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for e in entries.flatten() {
            let Ok(bytes) = std::fs::read(e.path()) else {
                continue;
            };
            let Ok(v) = serde_json::from_slice::<Value>(&bytes) else {
                continue;
            };
            collect(&v, &mut out);
        }
    }
    out.sort_by_key(|(t, d)| (*t, d.to_string()));
    out.dedup();
    out
}

fn collect(v: &Value, out: &mut Vec<(bool, Value)>) {
    match v {
        Value::Object(map) => {
            for (k, item) in map {
                if let (true, Value::String(text)) =
                    (k == "policy" || k == "assume_role_policy", item)
                {
                    if let Ok(doc @ Value::Object(_)) = serde_json::from_str::<Value>(text) {
                        if doc.get("Statement").is_some() {
                            out.push((k == "assume_role_policy", doc));
                        }
                    }
                }
                collect(item, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect(i, out)),
        _ => {}
    }
}

#[test]
fn random_edits_of_real_documents() {
    let docs = real_documents();
    if docs.is_empty() {
        eprintln!("../shared/fixtures not found: real documents not edited");
        return;
    }
    let seed = env_number("DRIFT_POLICY_SEED", 1);
    let mut counts = Counts::default();
    for (i, (trust, doc)) in docs.iter().enumerate() {
        for j in 0..40u64 {
            let mut rng = Rng::new(seed ^ ((i as u64) << 32 | j));
            let mut new = doc.clone();
            for _ in 0..=rng.below(3) {
                new = gen::edit(&mut rng, &new, *trust);
            }
            judge_pair(&mut rng, doc, &new, *trust, &mut counts);
        }
    }
    eprintln!(
        "real documents: {} documents, {} comparisons, verdicts {:?}, {:?}",
        docs.len(),
        counts.pairs,
        counts.verdicts,
        counts.tally
    );
    assert!(docs.len() >= 10, "{}", docs.len());
    assert!(counts.verdicts.get("widened").copied().unwrap_or(0) > 0);
}

/// Rating a document on its own without the witness search (`policy::alone`,
/// for undeclared objects and attached policies) gives what `judge_alone`
/// gives: the same concerns in the same order, the same severity.
#[test]
fn rating_alone_agrees_with_judging_alone() {
    use iam_drift_guard::policy::trust::Trusted;
    use iam_drift_guard::policy::{alone, judge_alone, DocKind};
    use iam_drift_guard::policy_doc::PolicyDoc;
    let mut rng = Rng::new(env_number("DRIFT_POLICY_SEED", 1));
    let accounts = ["111122223333".to_string()];
    let trusted = Trusted {
        accounts: &accounts,
    };
    let mut with_concerns = 0;
    for i in 0..2000 {
        let trust = i % 2 == 0;
        let kind = if trust {
            DocKind::Trust
        } else {
            DocKind::Permissions
        };
        let Ok(doc) = PolicyDoc::from_json(&gen::document(&mut rng, trust)) else {
            continue;
        };
        let j = judge_alone(kind, &doc, &trusted);
        let a = alone(kind, &doc, &trusted);
        assert_eq!(a.concerns, j.concerns, "{}", doc.pretty());
        assert_eq!(a.grants, j.comparison.grants, "{}", doc.pretty());
        if !a.concerns.is_empty() {
            with_concerns += 1;
        }
        // What a run keeps of the rating, as it rates undeclared objects.
        let kept = iam_drift_guard::policy::Rating::from(a);
        assert_eq!(kept.severity(), j.severity, "{}", doc.pretty());
        assert_eq!(kept.grants, j.comparison.grants.len(), "{}", doc.pretty());
        assert_eq!(kept.concerns, j.concerns, "{}", doc.pretty());
    }
    // The generator reaches risky documents, so the agreement is not vacuous.
    assert!(with_concerns > 100, "{with_concerns}");
}

/// A document split into atoms from its normalized text (through the
/// borrowed tree) and from its `serde_json::Value` gives the same atoms and
/// the same problems, escapes, numbers and booleans in conditions included.
#[test]
fn atoms_from_text_are_atoms_from_the_value() {
    use iam_drift_guard::policy::atoms::Atoms;
    use iam_drift_guard::policy_doc::PolicyDoc;
    let mut rng = Rng::new(env_number("DRIFT_POLICY_SEED", 1));
    let mut docs: Vec<Value> = (0..1500)
        .map(|i| gen::document(&mut rng, i % 2 == 0))
        .collect();
    docs.push(
        serde_json::json!({"Version": "2012-10-17", "Statement": [{"Sid": "Tab\there \u{e9}",
        "Effect": "Allow", "Action": "s3:Get\"Object", "Resource": "arn:aws:s3:::b/\\path",
        "Condition": {"NumericLessThan": {"s3:max-keys": 10}, "Bool": {"aws:SecureTransport": true},
        "NumericEquals": {"x:ratio": [1.5, -2]}}}]}),
    );
    docs.push(serde_json::json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow",
        "Principal": {"AWS": ["arn:aws:iam::1:root", 7]}, "Action": "sts:AssumeRole", "Sid": null}}));
    for value in docs {
        let Ok(doc) = PolicyDoc::from_json(&value) else {
            continue;
        };
        let from_value = Atoms::of(&doc.value());
        let from_text = Atoms::of_text(doc.normalized_text());
        assert_eq!(from_text.atoms, from_value.atoms, "{}", doc.pretty());
        assert_eq!(from_text.problems, from_value.problems, "{}", doc.pretty());
        assert_eq!(from_text.version, from_value.version);
        assert_eq!(from_text.variables, from_value.variables);
    }
}
