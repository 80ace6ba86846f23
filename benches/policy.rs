//! The policy comparison at 5k, 20k and 60k roles (`cargo bench --bench policy`):
//! trust and permission documents of varied shapes (services, accounts,
//! GitHub OIDC with conditions, several statements, NotAction), of which a
//! tenth changed (principals added, actions widened, conditions dropped,
//! statements removed). Prints the time per size, so that growth shows, and
//! the verdicts; then the same documents rated on their own, as undeclared
//! objects are.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

use iam_drift_guard::policy::trust::Trusted;
use iam_drift_guard::policy::{alone, judge, DocKind};
use iam_drift_guard::policy_doc::PolicyDoc;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::Instant;

const SERVICES: &[&str] = &["ec2", "lambda", "ecs-tasks", "glue", "states", "codebuild"];
const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "dynamodb:Query",
    "sqs:SendMessage",
    "logs:PutLogEvents",
    "kms:Decrypt",
];

fn trust(i: usize) -> Value {
    let stmt = match i % 4 {
        0 => {
            json!({"Effect": "Allow", "Principal": {"Service": format!("{}.amazonaws.com", SERVICES[i % SERVICES.len()])}, "Action": "sts:AssumeRole"})
        }
        1 => {
            json!({"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{:012}:role/ci-{i}", 100_000_000_000u64 + (i % 7) as u64)}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": format!("x-{i}")}}})
        }
        2 => {
            json!({"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, "StringLike": {"token.actions.githubusercontent.com:sub": format!("repo:acme/app-{i}:ref:refs/heads/main")}}})
        }
        _ => {
            json!({"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com", "ssm.amazonaws.com"]}, "Action": ["sts:AssumeRole", "sts:TagSession"]})
        }
    };
    json!({"Version": "2012-10-17", "Statement": [stmt]})
}

fn permissions(i: usize) -> Value {
    let mut statements = vec![
        json!({"Sid": "Data", "Effect": "Allow", "Action": [ACTIONS[i % ACTIONS.len()], ACTIONS[(i + 1) % ACTIONS.len()]], "Resource": [format!("arn:aws:s3:::bucket-{i}"), format!("arn:aws:s3:::bucket-{i}/*")]}),
    ];
    if i.is_multiple_of(3) {
        statements.push(json!({"Effect": "Allow", "Action": "logs:*", "Resource": format!("arn:aws:logs:*:*:log-group:/app/{i}:*"), "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}));
    }
    if i.is_multiple_of(5) {
        statements.push(json!({"Effect": "Deny", "NotAction": ["s3:*", "logs:*"], "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}));
    }
    json!({"Version": "2012-10-17", "Statement": statements})
}

/// The edit of the i-th changed document.
fn edit(doc: &Value, i: usize, trust: bool) -> Value {
    let mut d = doc.clone();
    let stmts = d["Statement"].as_array_mut().unwrap();
    match (i % 5, trust) {
        (0, true) => stmts.push(json!({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"})),
        (1, true) => stmts.push(json!({"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "sts:AssumeRole"})),
        (2, true) => {
            stmts[0].as_object_mut().unwrap().remove("Condition");
        }
        (0, false) => stmts[0]["Action"] = json!("*"),
        (1, false) => stmts.push(json!({"Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction"], "Resource": "*"})),
        (2, false) => stmts[0]["Resource"] = json!("arn:aws:s3:::*"),
        (3, _) => {
            if stmts.len() > 1 {
                stmts.pop();
            } else {
                stmts[0]["Sid"] = json!("Renamed");
            }
        }
        _ => stmts[0]["Sid"] = json!(format!("S{i}")),
    }
    d
}

fn run(n: usize) {
    let docs: Vec<(DocKind, PolicyDoc, PolicyDoc)> = (0..n)
        .map(|i| {
            let t = i % 2 == 0;
            let old = if t { trust(i) } else { permissions(i) };
            let new = if i % 10 == 0 {
                edit(&old, i / 10, t)
            } else {
                old.clone()
            };
            let kind = if t {
                DocKind::Trust
            } else {
                DocKind::Permissions
            };
            (
                kind,
                PolicyDoc::from_json(&old).unwrap(),
                PolicyDoc::from_json(&new).unwrap(),
            )
        })
        .collect();
    let accounts = ["111122223333".to_string()];
    let trusted = Trusted {
        accounts: &accounts,
    };
    let start = Instant::now();
    let mut verdicts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for (kind, old, new) in &docs {
        // As the diff does: documents equal by meaning are not judged further.
        if old == new {
            *verdicts.entry("equal by text").or_default() += 1;
            continue;
        }
        let j = judge(*kind, Some(old), Some(new), &trusted);
        *verdicts.entry(j.verdict().as_str()).or_default() += 1;
    }
    let took = start.elapsed();
    println!(
        "{n:>6} documents, a tenth edited: {:>8.1} ms ({:.2} us per document) {verdicts:?}",
        took.as_secs_f64() * 1e3,
        took.as_secs_f64() * 1e6 / n as f64
    );
    // Undeclared objects: every document rated on its own (what it grants
    // that is worse than ordinary), as a plan of undeclared roles and users is.
    let start = Instant::now();
    let mut risky: BTreeMap<String, usize> = BTreeMap::new();
    for (kind, _, new) in &docs {
        let a = iam_drift_guard::policy::Rating::from(alone(*kind, new, &trusted));
        *risky.entry(a.severity().to_string()).or_default() += 1;
    }
    let took = start.elapsed();
    println!(
        "{n:>6} documents rated alone:     {:>8.1} ms ({:.2} us per document) {risky:?}",
        took.as_secs_f64() * 1e3,
        took.as_secs_f64() * 1e6 / n as f64
    );
}

fn main() {
    for n in [5_000, 20_000, 60_000] {
        run(n);
    }
}
