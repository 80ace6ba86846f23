use iam_drift_guard::policy_doc::{unified_diff, PolicyDoc};
use serde_json::json;

fn doc(v: serde_json::Value) -> PolicyDoc {
    PolicyDoc::from_json(&v).expect("valid document")
}

#[test]
fn key_order_and_whitespace_do_not_matter() {
    let a = PolicyDoc::from_text(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#).unwrap();
    let b = PolicyDoc::from_text("{\r\n  \"Statement\": [ { \"Resource\": \"*\", \"Action\": \"s3:GetObject\", \"Effect\": \"Allow\" } ],\n  \"Version\": \"2012-10-17\"\n}\n").unwrap();
    assert_eq!(a, b);
}

#[test]
fn single_string_equals_one_element_list() {
    let a = doc(
        json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}),
    );
    let b = doc(
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["*"]}]}),
    );
    assert_eq!(a, b);
}

#[test]
fn action_order_and_case_do_not_matter_but_resources_case_does() {
    let a = doc(
        json!({"Statement": [{"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"], "Resource": "arn:aws:s3:::a/*"}]}),
    );
    let b = doc(
        json!({"Statement": [{"Effect": "Allow", "Action": ["S3:getobject", "s3:putobject"], "Resource": "arn:aws:s3:::a/*"}]}),
    );
    assert_eq!(a, b);
    let c = doc(
        json!({"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::A/*"}]}),
    );
    assert_ne!(a, c);
}

#[test]
fn statement_order_does_not_matter() {
    let s1 = json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"});
    let s2 = json!({"Effect": "Deny", "Action": "iam:*", "Resource": "*"});
    assert_eq!(
        doc(json!({"Statement": [s1.clone(), s2.clone()]})),
        doc(json!({"Statement": [s2, s1]}))
    );
}

#[test]
fn url_encoded_documents_as_iam_returns_them() {
    let plain = doc(
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
    );
    let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ec2.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D";
    assert_eq!(PolicyDoc::from_text(encoded).unwrap(), plain);
}

#[test]
fn principals_and_conditions_are_normalized() {
    let a = doc(
        json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole",
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": true}}}]}),
    );
    let b = doc(
        json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root"]}, "Action": "sts:AssumeRole",
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": ["true"]}}}]}),
    );
    assert_eq!(a, b);
    let other_account = doc(
        json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole",
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": true}}}]}),
    );
    assert_ne!(a, other_account);
}

#[test]
fn a_real_difference_gives_a_unified_diff() {
    let a =
        doc(json!({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}));
    let b = doc(json!({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}));
    let d = unified_diff(&a, &b);
    assert!(
        d.contains("--- baseline") && d.contains("+++ observed"),
        "{d}"
    );
    assert!(
        d.contains("-        \"s3:GetObject\"") && d.contains("+        \"s3:*\""),
        "{d}"
    );
}

#[test]
fn invalid_documents_are_errors() {
    assert!(PolicyDoc::from_text("{not json").is_err());
    assert!(PolicyDoc::from_text("[1,2]").is_err());
    assert!(PolicyDoc::from_json(&json!(3)).is_err());
    assert!(PolicyDoc::from_text("%7Bbad%ZZ").is_err());
}

fn statement(extra: serde_json::Value) -> PolicyDoc {
    let mut s = json!({"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}});
    for (k, v) in extra.as_object().unwrap() {
        s[k] = v.clone();
    }
    doc(json!({"Version": "2012-10-17", "Statement": [s]}))
}

#[test]
fn equivalences_iam_defines() {
    let base = statement(json!({}));
    // An empty Sid is no Sid.
    assert_eq!(base, statement(json!({"Sid": ""})));
    assert_ne!(base, statement(json!({"Sid": "Trust"})));
    // An account id as an AWS principal is that account's root.
    assert_eq!(
        base,
        statement(json!({"Principal": {"AWS": "123456789012"}}))
    );
    assert_eq!(
        base,
        statement(json!({"Principal": {"AWS": ["123456789012"]}}))
    );
    // Condition key names compare without case; values do not.
    let cond = |k: &str, v: &str| statement(json!({"Condition": {"StringEquals": {k: v}}}));
    assert_eq!(
        cond("aws:PrincipalOrgID", "o-abc"),
        cond("aws:principalorgid", "o-abc")
    );
    assert_ne!(
        cond("aws:PrincipalOrgID", "o-abc"),
        cond("aws:PrincipalOrgID", "o-ABC")
    );
    // A statement written twice is one.
    let once =
        doc(json!({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}));
    let twice = doc(json!({"Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
        {"Effect": "Allow", "Action": ["S3:GetObject"], "Resource": ["*"]},
    ]}));
    assert_eq!(once, twice);
}

#[test]
fn real_differences_stay_differences() {
    let cond = |op: &str| statement(json!({"Condition": {op: {"aws:SourceVpc": "vpc-1"}}}));
    assert_ne!(cond("StringEquals"), cond("StringLike"));
    assert_ne!(cond("StringEquals"), cond("StringEqualsIfExists"));
    assert_ne!(
        statement(json!({"Principal": "*"})),
        statement(json!({"Principal": {"AWS": "*"}}))
    );
    let not_principal = doc(
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "NotPrincipal": {"AWS": "arn:aws:iam::123456789012:root"}}]}),
    );
    assert_ne!(statement(json!({})), not_principal);
    let v2008 = doc(
        json!({"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}}]}),
    );
    assert_ne!(statement(json!({})), v2008);
}
