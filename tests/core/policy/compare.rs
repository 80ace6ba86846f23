//! The comparison and its severity on the edits attackers and hurried
//! engineers make to trust and permission policies, and the inclusion tables
//! it rests on (wildcards, principals, conditions).

use iam_drift_guard::finding::Severity;
use iam_drift_guard::policy::compare::{compare, Verdict};
use iam_drift_guard::policy::condition::Condition;
use iam_drift_guard::policy::glob;
use iam_drift_guard::policy::principal::Who;
use iam_drift_guard::policy::trust::Trusted;
use iam_drift_guard::policy::{judge, DocKind};
use iam_drift_guard::policy_doc::PolicyDoc;
use serde_json::{json, Value};

fn doc(v: &Value) -> PolicyDoc {
    PolicyDoc::from_json(v).unwrap()
}

const OWN: &str = "111122223333";

struct Edit {
    name: &'static str,
    kind: DocKind,
    old: Value,
    new: Value,
    verdict: Verdict,
    severity: Severity,
    /// A phrase the explanation holds (a witness or a concern).
    says: &'static str,
}

fn trust(statements: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

fn ec2_trust() -> Value {
    trust(
        json!([{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]),
    )
}

fn github_trust(sub: Value) -> Value {
    trust(json!([{
        "Effect": "Allow",
        "Principal": {"Federated": format!("arn:aws:iam::{OWN}:oidc-provider/token.actions.githubusercontent.com")},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {
            "StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
            "StringLike": {"token.actions.githubusercontent.com:sub": sub}
        }
    }]))
}

fn perms(statements: Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

fn read_bucket() -> Value {
    perms(
        json!([{"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"]}]),
    )
}

fn edits() -> Vec<Edit> {
    use DocKind::{Permissions, Trust};
    use Severity::*;
    use Verdict::*;
    let read = read_bucket();
    let with = |extra: Value| {
        let mut d = read_bucket();
        d["Statement"].as_array_mut().unwrap().push(extra);
        d
    };
    vec![
        Edit {
            name: "trust opened to every AWS account",
            kind: Trust,
            old: ec2_trust(),
            new: trust(
                json!([{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]),
            ),
            verdict: Both,
            severity: Critical,
            says: "anyone in any AWS account",
        },
        Edit {
            name: "trust opened to \"*\" beside EC2",
            kind: Trust,
            old: ec2_trust(),
            new: trust(
                json!([{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}, {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}]),
            ),
            verdict: Widened,
            severity: Critical,
            says: "by `*`",
        },
        Edit {
            name: "everyone, fenced by the organization",
            kind: Trust,
            old: ec2_trust(),
            new: trust(
                json!([{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}, {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3"}}}]),
            ),
            verdict: Widened,
            severity: High,
            says: "AWS:*",
        },
        Edit {
            name: "another account's root",
            kind: Trust,
            old: ec2_trust(),
            new: trust(
                json!([{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}, {"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "sts:AssumeRole"}]),
            ),
            verdict: Widened,
            severity: High,
            says: "account 444455556666 is neither",
        },
        Edit {
            name: "a role of the own account",
            kind: Trust,
            old: ec2_trust(),
            new: trust(
                json!([{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}, {"Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{OWN}:role/ci")}, "Action": "sts:AssumeRole"}]),
            ),
            verdict: Widened,
            severity: High,
            says: "role/ci",
        },
        Edit {
            name: "NotPrincipal allow",
            kind: Trust,
            old: ec2_trust(),
            new: trust(
                json!([{"Effect": "Allow", "NotPrincipal": {"AWS": format!("arn:aws:iam::{OWN}:role/x")}, "Action": "sts:AssumeRole"}]),
            ),
            verdict: Widened,
            severity: Critical,
            says: "NotPrincipal",
        },
        Edit {
            name: "GitHub sub widened to every repository",
            kind: Trust,
            old: github_trust(json!("repo:acme/app:ref:refs/heads/main")),
            new: github_trust(json!("repo:*")),
            verdict: Widened,
            severity: Critical,
            says: "repositories of any organization",
        },
        Edit {
            name: "GitHub sub widened to the organization",
            kind: Trust,
            old: github_trust(json!("repo:acme/app:ref:refs/heads/main")),
            new: github_trust(json!("repo:acme/*")),
            verdict: Widened,
            severity: Medium,
            says: "every repository of `acme`",
        },
        Edit {
            name: "GitHub sub: a second value for any fork",
            kind: Trust,
            old: github_trust(json!("repo:acme/app:ref:refs/heads/main")),
            new: github_trust(json!(["repo:acme/app:ref:refs/heads/main", "repo:*/app:*"])),
            verdict: Widened,
            severity: Critical,
            says: "repo:*/app:*",
        },
        Edit {
            name: "GitHub sub: only an environment claim",
            kind: Trust,
            old: github_trust(json!("repo:acme/app:environment:prod")),
            new: github_trust(json!("environment:prod")),
            verdict: Both,
            severity: Critical,
            says: "environment:prod",
        },
        Edit {
            name: "GitHub sub narrowed to a branch",
            kind: Trust,
            old: github_trust(json!("repo:acme/app:*")),
            new: github_trust(json!("repo:acme/app:ref:refs/heads/main")),
            verdict: Narrowed,
            severity: Low,
            says: "no longer allows",
        },
        Edit {
            name: "trust: only the Sid changed",
            kind: Trust,
            old: trust(
                json!([{"Sid": "A", "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]),
            ),
            new: trust(
                json!([{"Sid": "B", "Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com"]}, "Action": ["sts:assumerole"]}]),
            ),
            verdict: Equal,
            severity: Low,
            says: "",
        },
        Edit {
            name: "inline Action * on *",
            kind: Permissions,
            old: read.clone(),
            new: with(json!({"Sid": "Admin", "Effect": "Allow", "Action": "*", "Resource": "*"})),
            verdict: Widened,
            severity: Critical,
            says: "`*` on `*` (statement `Admin`)",
        },
        Edit {
            name: "iam:* on *",
            kind: Permissions,
            old: read.clone(),
            new: with(json!({"Effect": "Allow", "Action": "iam:*", "Resource": "*"})),
            verdict: Widened,
            severity: Critical,
            says: "all of IAM",
        },
        Edit {
            name: "iam:CreatePolicyVersion on *",
            kind: Permissions,
            old: read.clone(),
            new: with(
                json!({"Effect": "Allow", "Action": "iam:CreatePolicyVersion", "Resource": "*"}),
            ),
            verdict: Widened,
            severity: Critical,
            says: "iam:CreatePolicyVersion",
        },
        Edit {
            name: "NotAction s3:* on *",
            kind: Permissions,
            old: read.clone(),
            new: with(json!({"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"})),
            verdict: Widened,
            severity: Critical,
            says: "anything but s3:*",
        },
        Edit {
            name: "iam:PassRole on * with ec2:RunInstances",
            kind: Permissions,
            old: read.clone(),
            new: with(
                json!({"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "*"}),
            ),
            verdict: Widened,
            severity: Critical,
            says: "ec2:RunInstances",
        },
        Edit {
            name: "iam:PassRole on one role",
            kind: Permissions,
            old: read.clone(),
            new: with(
                json!({"Effect": "Allow", "Action": "iam:PassRole", "Resource": format!("arn:aws:iam::{OWN}:role/app")}),
            ),
            verdict: Widened,
            severity: High,
            says: "iam:PassRole",
        },
        Edit {
            name: "ssm:SendCommand on *",
            kind: Permissions,
            old: read.clone(),
            new: with(json!({"Effect": "Allow", "Action": "ssm:SendCommand", "Resource": "*"})),
            verdict: Widened,
            severity: High,
            says: "runs commands",
        },
        Edit {
            name: "bucket widened to every bucket",
            kind: Permissions,
            old: read.clone(),
            new: perms(
                json!([{"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::*"]}]),
            ),
            verdict: Widened,
            severity: High,
            says: "arn:aws:s3:::*",
        },
        Edit {
            name: "s3:Get* instead of s3:GetObject",
            kind: Permissions,
            old: read.clone(),
            new: perms(
                json!([{"Sid": "Read", "Effect": "Allow", "Action": ["s3:Get*", "s3:ListBucket"], "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"]}]),
            ),
            verdict: Widened,
            severity: High,
            says: "s3:Get*",
        },
        Edit {
            name: "a statement removed",
            kind: Permissions,
            old: read.clone(),
            new: perms(
                json!([{"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::reports/*"]}]),
            ),
            verdict: Narrowed,
            severity: Low,
            says: "s3:ListBucket",
        },
        Edit {
            name: "a Deny removed",
            kind: Permissions,
            old: with(json!({"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"})),
            new: read.clone(),
            verdict: Widened,
            severity: High,
            says: "no longer denies `s3:DeleteObject` on `*` (the old document's statement 2)",
        },
        Edit {
            name: "MFA condition dropped",
            kind: Permissions,
            old: perms(
                json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]),
            ),
            new: perms(json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}])),
            verdict: Widened,
            severity: High,
            says: "s3:GetObject",
        },
        Edit {
            name: "source CIDR narrowed",
            kind: Permissions,
            old: perms(
                json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]),
            ),
            new: perms(
                json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "10.1.0.0/16"}}}]),
            ),
            verdict: Narrowed,
            severity: Low,
            says: "",
        },
        Edit {
            name: "IfExists added to a condition",
            kind: Permissions,
            old: perms(
                json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "data"}}}]),
            ),
            new: perms(
                json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEqualsIfExists": {"aws:PrincipalTag/team": "data"}}}]),
            ),
            verdict: Widened,
            severity: High,
            says: "s3:GetObject",
        },
        Edit {
            name: "an unknown condition operator",
            kind: Permissions,
            old: read.clone(),
            new: perms(
                json!([{"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"], "Condition": {"StringMatchesRegex": {"aws:username": ".*"}}}]),
            ),
            verdict: CannotTell,
            severity: Medium,
            says: "StringMatchesRegex",
        },
        Edit {
            name: "policy variables and a changed Version",
            kind: Permissions,
            old: perms(
                json!([{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"}]),
            ),
            new: json!({"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"}]}),
            verdict: CannotTell,
            severity: Medium,
            says: "Version",
        },
    ]
}

#[test]
fn the_edits_get_their_verdict_severity_and_witness() {
    let trusted = Trusted {
        accounts: &[OWN.to_string()],
    };
    let mut table =
        String::from("| edit | verdict | severity | witness or concern |\n|---|---|---|---|\n");
    for e in edits() {
        let j = judge(e.kind, Some(&doc(&e.old)), Some(&doc(&e.new)), &trusted);
        let why = j.explain();
        table.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            e.name,
            j.verdict().as_str(),
            if j.verdict() == Verdict::Equal {
                "-"
            } else {
                j.severity.as_str()
            },
            why.replace('|', "\\|")
        ));
        assert_eq!(j.verdict(), e.verdict, "{}: {why}", e.name);
        if e.verdict != Verdict::Equal {
            assert_eq!(j.severity, e.severity, "{}: {why}", e.name);
        }
        assert!(why.contains(e.says), "{}: {why}", e.name);
    }
    eprintln!("{table}");
}

#[test]
fn wildcards_include_by_pattern_not_by_today_s_actions() {
    assert!(glob::includes("s3:*", "s3:Get*", true));
    assert!(glob::includes("S3:GET*", "s3:getobject", true));
    assert!(!glob::includes("s3:Get*", "s3:*", true));
    assert!(glob::includes(
        "arn:aws:s3:::b/*",
        "arn:aws:s3:::b/k?y",
        false
    ));
    assert!(!glob::includes(
        "arn:aws:s3:::B/*",
        "arn:aws:s3:::b/key",
        false
    ));
    assert!(glob::includes("a*b*c", "a*x*b*y*c", false));
    assert!(!glob::includes("a?c", "a*c", false));
    // A policy variable is one value: only itself or a `*` covers it.
    assert!(glob::includes(
        "home/${aws:username}/*",
        "home/${aws:username}/docs/*",
        false
    ));
    assert!(glob::includes("home/*", "home/${aws:username}/*", false));
    assert!(!glob::includes(
        "home/alice/*",
        "home/${aws:username}/*",
        false
    ));
    assert!(glob::disjoint("s3:Get*", "iam:*", true));
    assert!(!glob::disjoint("s3:*", "*:GetObject", true));
}

#[test]
fn principals_are_ordered() {
    let root = Who::of("AWS", OWN);
    let role = Who::of("AWS", &format!("arn:aws:iam::{OWN}:role/app"));
    assert_eq!(root, Who::of("AWS", &format!("arn:aws:iam::{OWN}:root")));
    assert!(Who::Everyone.includes(&Who::AnyAws) && Who::AnyAws.includes(&root));
    assert!(root.includes(&role) && !role.includes(&root));
    assert!(!Who::of("AWS", "444455556666").includes(&role));
    assert!(!Who::AnyAws.includes(&Who::of("Service", "ec2.amazonaws.com")));
    // Another partition is another account.
    assert!(!Who::of("AWS", &format!("arn:aws-cn:iam::{OWN}:root")).includes(&role));
}

fn c(op: &str, key: &str, values: &[&str]) -> Condition {
    Condition::new(op, key, values.iter().map(|v| v.to_string()).collect())
}

#[test]
fn conditions_imply_by_the_table() {
    let k = "aws:SourceIp";
    // Positive operators: a subset; negated ones: a superset.
    assert!(c("StringEquals", "k", &["a"]).implies(&c("StringEquals", "K", &["a", "b"])));
    assert!(!c("StringEquals", "k", &["a", "b"]).implies(&c("StringEquals", "k", &["a"])));
    assert!(c("StringNotEquals", "k", &["a", "b"]).implies(&c("StringNotEquals", "k", &["a"])));
    assert!(!c("StringNotEquals", "k", &["a"]).implies(&c("StringNotEquals", "k", &["a", "b"])));
    assert!(c("StringEquals", "k", &["repo:a/b"]).implies(&c("StringLike", "k", &["repo:a/*"])));
    assert!(c("StringLike", "k", &["repo:a/b:*"]).implies(&c("StringLike", "k", &["repo:a/*"])));
    // IfExists: implied by the plain form, not the reverse.
    assert!(c("StringEquals", "k", &["a"]).implies(&c("StringEqualsIfExists", "k", &["a"])));
    assert!(!c("StringEqualsIfExists", "k", &["a"]).implies(&c("StringEquals", "k", &["a"])));
    // CIDR containment, both ways for NotIpAddress.
    assert!(c("IpAddress", k, &["10.1.0.0/16"]).implies(&c("IpAddress", k, &["10.0.0.0/8"])));
    assert!(!c("IpAddress", k, &["10.0.0.0/8"]).implies(&c("IpAddress", k, &["10.1.0.0/16"])));
    assert!(c("NotIpAddress", k, &["10.0.0.0/8"]).implies(&c("NotIpAddress", k, &["10.1.0.0/16"])));
    // Tighter bounds.
    assert!(c("NumericLessThan", "n", &["3600"]).implies(&c(
        "NumericLessThanEquals",
        "n",
        &["3600"]
    )));
    assert!(!c("NumericLessThanEquals", "n", &["3600"]).implies(&c(
        "NumericLessThan",
        "n",
        &["3600"]
    )));
    assert!(
        c("DateLessThan", "t", &["2024-01-01T00:00:00Z"]).implies(&c(
            "DateLessThan",
            "t",
            &["2025-01-01T00:00:00Z"]
        ))
    );
    // Null, and a positive condition implies the key is present.
    assert!(c("StringEquals", "k", &["a"]).implies(&c("Null", "k", &["false"])));
    assert!(!c("StringEqualsIfExists", "k", &["a"]).implies(&c("Null", "k", &["false"])));
    // Set qualifiers must agree.
    assert!(c("ForAllValues:StringEquals", "k", &["a"]).implies(&c(
        "ForAllValues:StringEquals",
        "k",
        &["a", "b"]
    )));
    assert!(!c("ForAnyValue:StringEquals", "k", &["a"]).implies(&c(
        "ForAllValues:StringEquals",
        "k",
        &["a", "b"]
    )));
    // An unknown operator implies only itself.
    let regex = c("StringMatchesRegex", "k", &["a.*"]);
    assert!(regex.implies(&regex.clone()));
    assert!(!regex.implies(&c("StringLike", "k", &["*"])));
}

#[test]
fn a_witness_is_a_request_the_new_document_treats_better() {
    let old = read_bucket();
    let new =
        perms(json!([{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::reports/*"}]));
    let c = compare(&old, &new);
    assert_eq!(c.verdict, Verdict::Both);
    let w = &c.widened[0];
    assert_eq!(
        (w.action.as_str(), w.resource.as_str()),
        ("s3:*", "arn:aws:s3:::reports/*")
    );
    assert!(w.request.action.to_ascii_lowercase().starts_with("s3:"));
    assert!(!["s3:getobject", "s3:listbucket"]
        .contains(&w.request.action.to_ascii_lowercase().as_str()));
    // What the old document allowed and the new one does not: the bucket
    // itself, and listing it.
    let n = &c.narrowed[0];
    assert!(
        n.action == "s3:ListBucket" || n.resource == "arn:aws:s3:::reports",
        "{n:?}"
    );
}
