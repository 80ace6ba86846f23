//! CloudTrail events: record shapes, the resources each IAM write touches,
//! classification, and attribution to findings.

use iam_drift_guard::events::attribute::attribute;
use iam_drift_guard::events::classify::classify;
use iam_drift_guard::events::records::parse;
use iam_drift_guard::events::touches::{entry, touches, TABLE};
use iam_drift_guard::events::Event;
use iam_drift_guard::finding::{Finding, Origin, Severity};
use iam_drift_guard::identity::{Kind, Name, ResourceId, RuleId};
use iam_drift_guard::rules;
use serde_json::{json, Value};

/// A CloudTrail record as CloudTrail writes it.
pub(crate) fn record(
    name: &str,
    request: Value,
    response: Value,
    actor: &str,
    time: &str,
) -> Value {
    json!({
        "eventVersion": "1.09", "eventTime": time, "eventSource": "iam.amazonaws.com",
        "eventName": name, "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.9",
        "userAgent": "aws-cli/2.15.0 Python/3.11.6", "requestParameters": request,
        "responseElements": response, "requestID": "r-1", "eventID": format!("e-{name}-{time}"),
        "eventType": "AwsApiCall", "recipientAccountId": "123456789012",
        "userIdentity": {"type": "IAMUser", "principalId": "AIDAEXAMPLE", "arn": actor,
                          "accountId": "123456789012", "accessKeyId": "AKIAEXAMPLEKEY000001",
                          "userName": actor.rsplit('/').next().unwrap()},
    })
}

fn one(v: &Value) -> Event {
    let parsed = parse(&v.to_string()).unwrap();
    assert_eq!(parsed.events.len(), 1, "{v}");
    parsed.events.into_iter().next().unwrap()
}

const MALLORY: &str = "arn:aws:iam::123456789012:user/mallory";
const T: &str = "2026-11-20T10:00:00Z";

#[test]
fn every_shape_of_records_reads_the_same_events() {
    let a = record(
        "DeleteSSHPublicKey",
        json!({"userName": "deploy", "sSHPublicKeyId": "APKA1"}),
        Value::Null,
        MALLORY,
        T,
    );
    let b = record(
        "GetUser",
        json!({"userName": "deploy"}),
        Value::Null,
        MALLORY,
        T,
    );
    let c = json!({"eventVersion": "1.0", "eventTime": T, "eventSource": "s3.amazonaws.com", "eventName": "PutObject"});
    let bridge = |r: &Value| json!({"version": "0", "id": "x", "detail-type": "AWS API Call via CloudTrail", "source": "aws.iam", "detail": r});
    let shapes = [
        json!({"Records": [a, b, c]}).to_string(),
        json!([a, b, c]).to_string(),
        format!("{a}\n{b}\n\n{c}\n"),
        format!("{}\n{}\n", bridge(&a), bridge(&b)),
        json!([bridge(&a), b]).to_string(),
        bridge(&a).to_string(),
        a.to_string(),
    ];
    for text in shapes {
        let parsed = parse(&text).unwrap_or_else(|e| panic!("{e:?}: {text}"));
        // Reads and other services' events are skipped.
        assert_eq!(parsed.events.len(), 1, "{text}");
        let e = &parsed.events[0];
        assert_eq!(e.name, "DeleteSSHPublicKey");
        assert_eq!(e.actor.arn.as_deref(), Some(MALLORY));
        assert_eq!(e.caller(), Some("AWS CLI"));
    }
    assert!(parse("").unwrap().events.is_empty());
}

#[test]
fn records_as_they_vary_are_read() {
    // eventVersion 1.0, no eventID/requestID/eventType, a numeric account id,
    // a time without a zone, `requestParameters: null`, an odd response date.
    let old = json!({"eventVersion": "1.0", "eventTime": "2019-01-01 00:00:00",
        "eventSource": "iam.amazonaws.com", "eventName": "CreateAccessKey",
        "recipientAccountId": 123456789, "requestParameters": null,
        "responseElements": {"accessKey": {"accessKeyId": "AKIA1", "userName": "jack",
                              "createDate": "Jan 10, 2020 4:06:40 PM", "status": "Active"}},
        "userIdentity": {"type": "Root", "arn": "arn:aws:iam::123456789:root", "unknownField": 1}});
    let e = one(&old);
    assert_eq!(e.account.as_deref(), Some("123456789"));
    assert_eq!(e.id, None);
    assert_eq!(
        e.time,
        iam_drift_guard::time::parse("2019-01-01T00:00:00Z").unwrap()
    );
    let t: Vec<String> = touches(&e).iter().map(|r| r.to_string()).collect();
    assert_eq!(t, ["user/jack", "user/jack/access-key/AKIA1"]);
}

#[test]
fn bad_records_are_errors_with_a_line() {
    let no_name = json!({"eventTime": T, "eventSource": "iam.amazonaws.com"});
    let e = parse(&format!(
        "{}\n{no_name}\n",
        record(
            "CreateUser",
            json!({"userName": "a"}),
            Value::Null,
            MALLORY,
            T
        )
    ))
    .unwrap_err();
    assert_eq!(e.line, Some(2));
    assert!(e.message.contains("no eventName"), "{}", e.message);
    let bad_time = json!({"eventTime": "yesterday", "eventSource": "iam.amazonaws.com", "eventName": "CreateUser"});
    assert!(parse(&bad_time.to_string())
        .unwrap_err()
        .message
        .contains("`yesterday`"));
    assert!(parse("{\"Records\": [").is_err());
    assert!(parse("[1, 2]").unwrap_err().message.contains("JSON object"));
    assert!(parse("a,b\n1,2\n").is_err());
}

#[test]
fn every_event_a_rule_names_is_mapped() {
    let mut missing: Vec<&str> = rules::all()
        .flat_map(|r| r.events.iter().copied())
        .filter(|e| entry(e).is_none())
        .collect();
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "not in the table: {missing:?}");
    let mut names: Vec<&str> = TABLE.iter().map(|t| t.event).collect();
    names.sort();
    let n = names.len();
    names.dedup();
    assert_eq!(n, names.len(), "an event is in the table twice");
}

#[test]
fn what_each_family_of_events_touches() {
    let cases: Vec<(Value, &[&str])> = vec![
        (
            json!(["DeleteAccountPasswordPolicy", {}, null]),
            &["password-policy"],
        ),
        (
            json!(["UpdateUser", {"userName": "alice", "newUserName": "mallory"}, null]),
            &["user/alice", "user/mallory"],
        ),
        (
            json!(["AddUserToGroup", {"userName": "alice", "groupName": "admins"}, null]),
            &["user/alice", "group/admins"],
        ),
        (
            json!(["UpdateGroup", {"groupName": "a", "newGroupName": "b"}, null]),
            &["group/a", "group/b"],
        ),
        (
            json!(["UpdateAssumeRolePolicy", {"roleName": "app"}, null]),
            &["role/app"],
        ),
        (
            json!(["RemoveRoleFromInstanceProfile", {"instanceProfileName": "app", "roleName": "app"}, null]),
            &["instance-profile/app", "role/app"],
        ),
        (
            json!(["CreatePolicyVersion", {"policyArn": "arn:aws:iam::1:policy/ci/deploy"}, null]),
            &["policy/deploy"],
        ),
        (
            json!(["UploadSSHPublicKey", {"userName": "deploy"}, {"sSHPublicKey": {"sSHPublicKeyId": "APKA9", "userName": "deploy"}}]),
            &["user/deploy", "user/deploy/ssh-key/APKA9"],
        ),
        (
            json!(["UpdateAccessKey", {"userName": "ci", "accessKeyId": "AKIA2"}, null]),
            &["user/ci", "user/ci/access-key/AKIA2"],
        ),
        (
            json!(["DeleteAccessKey", {"accessKeyId": "AKIA3"}, null]),
            &["user/mallory", "user/mallory/access-key/AKIA3"],
        ),
        (
            json!(["DeactivateMFADevice", {"userName": "alice", "serialNumber": "arn:aws:iam::1:mfa/alice"}, null]),
            &["user/alice"],
        ),
        (
            json!(["DeleteVirtualMFADevice", {"serialNumber": "arn:aws:iam::1:mfa/root-account-mfa-device"}, null]),
            &["root"],
        ),
        (
            json!(["CreateServiceLinkedRole", {"aWSServiceName": "autoscaling.amazonaws.com"}, {"role": {"roleName": "AWSServiceRoleForAutoScaling", "path": "/aws-service-role/autoscaling.amazonaws.com/"}}]),
            &["role/AWSServiceRoleForAutoScaling"],
        ),
        (
            json!(["DeleteServiceLinkedRole", {"roleName": "AWSServiceRoleForAutoScaling"}, {"deletionTaskId": "task/x"}]),
            &["role/AWSServiceRoleForAutoScaling"],
        ),
        (
            json!(["CreateOpenIDConnectProvider", {"url": "https://token.actions.githubusercontent.com"}, {"openIDConnectProviderArn": "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com"}]),
            &["oidc-provider/token.actions.githubusercontent.com"],
        ),
        (
            json!(["UpdateOpenIDConnectProviderThumbprint", {"openIDConnectProviderArn": "arn:aws:iam::1:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"}, null]),
            &["oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"],
        ),
        (
            json!(["UpdateSAMLProvider", {"sAMLProviderArn": "arn:aws:iam::1:saml-provider/corp"}, null]),
            &["saml-provider/corp"],
        ),
        (
            json!(["CreateSAMLProvider", {"name": "corp"}, null]),
            &["saml-provider/corp"],
        ),
        (
            json!(["CreateLoginProfile", {"userName": "bob"}, null]),
            &["user/bob"],
        ),
        (
            json!(["DeleteAccountAlias", {"accountAlias": "acme"}, null]),
            &["account"],
        ),
    ];
    for (spec, want) in cases {
        let e = one(&record(
            spec[0].as_str().unwrap(),
            spec[1].clone(),
            spec[2].clone(),
            MALLORY,
            T,
        ));
        let got: Vec<String> = touches(&e).iter().map(|r| r.to_string()).collect();
        assert_eq!(got, want, "{}", e.name);
    }
}

fn classified(
    name: &str,
    request: Value,
    response: Value,
    actor: &str,
) -> (RuleId, Severity, String, String) {
    let e = one(&record(name, request, response, actor, T));
    let c = classify(&e, None).unwrap_or_else(|| panic!("{name} is not classified"));
    (c.rule, c.severity, c.resource.to_string(), c.message)
}

#[test]
fn risky_changes_are_classified_with_rule_ids() {
    let (rule, sev, res, msg) = classified(
        "DeleteAccountPasswordPolicy",
        json!({}),
        Value::Null,
        MALLORY,
    );
    assert_eq!(
        (rule, sev, res.as_str()),
        (
            RuleId::PASSWORD_POLICY_REMOVED,
            Severity::Critical,
            "password-policy"
        )
    );
    assert_eq!(msg, "DeleteAccountPasswordPolicy on `password-policy`");
    let (rule, sev, _, msg) = classified(
        "UpdateAccountPasswordPolicy",
        json!({"minimumPasswordLength": 8, "requireSymbols": true}),
        Value::Null,
        MALLORY,
    );
    assert_eq!(
        (rule, sev),
        (RuleId::PASSWORD_POLICY_CHANGED, Severity::High)
    );
    assert!(
        msg.contains("minimum_password_length 8, require_symbols true"),
        "{msg}"
    );
    assert!(
        msg.contains("reset to AWS's defaults: require_uppercase_characters"),
        "{msg}"
    );
    let (rule, _, _, msg) = classified(
        "UpdateUser",
        json!({"userName": "alice", "newUserName": "bob"}),
        Value::Null,
        MALLORY,
    );
    assert_eq!(rule, RuleId::USER_CHANGED);
    assert_eq!(msg, "renamed `user/alice` to `bob`");
    for (name, req, want) in [
        (
            "DeleteSSHPublicKey",
            json!({"userName": "d", "sSHPublicKeyId": "APKA1"}),
            RuleId::SSH_KEY_REMOVED,
        ),
        (
            "UpdateSSHPublicKey",
            json!({"userName": "d", "sSHPublicKeyId": "APKA1", "status": "Inactive"}),
            RuleId::SSH_KEY_CHANGED,
        ),
        (
            "DeleteInstanceProfile",
            json!({"instanceProfileName": "app"}),
            RuleId::INSTANCE_PROFILE_REMOVED,
        ),
        (
            "RemoveRoleFromInstanceProfile",
            json!({"instanceProfileName": "app", "roleName": "app"}),
            RuleId::INSTANCE_PROFILE_CHANGED,
        ),
        (
            "DeleteLoginProfile",
            json!({"userName": "alice"}),
            RuleId::LOGIN_PROFILE_REMOVED,
        ),
        (
            "CreateLoginProfile",
            json!({"userName": "alice"}),
            RuleId::LOGIN_PROFILE_UNMANAGED,
        ),
        (
            "DeactivateMFADevice",
            json!({"userName": "alice", "serialNumber": "x"}),
            RuleId::MFA_REMOVED,
        ),
        (
            "AttachRolePolicy",
            json!({"roleName": "app", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
            RuleId::ROLE_POLICY_WIDENED,
        ),
        (
            "DeleteUserPolicy",
            json!({"userName": "alice", "policyName": "p"}),
            RuleId::USER_CHANGED,
        ),
        (
            "PutGroupPolicy",
            json!({"groupName": "g", "policyName": "p"}),
            RuleId::GROUP_CHANGED,
        ),
        (
            "SetDefaultPolicyVersion",
            json!({"policyArn": "arn:aws:iam::1:policy/deploy", "versionId": "v2"}),
            RuleId::POLICY_CHANGED,
        ),
        (
            "DeletePolicy",
            json!({"policyArn": "arn:aws:iam::1:policy/deploy"}),
            RuleId::POLICY_REMOVED,
        ),
        (
            "RemoveUserFromGroup",
            json!({"userName": "alice", "groupName": "admins"}),
            RuleId::USER_CHANGED,
        ),
        (
            "UpdateAssumeRolePolicy",
            json!({"roleName": "app", "policyDocument": "{}"}),
            RuleId::ROLE_CHANGED,
        ),
        (
            "CreateUser",
            json!({"userName": "x"}),
            RuleId::USER_UNMANAGED,
        ),
        (
            "CreateRole",
            json!({"roleName": "x"}),
            RuleId::ROLE_UNMANAGED,
        ),
        (
            "CreateOpenIDConnectProvider",
            json!({"url": "https://x.example"}),
            RuleId::OIDC_PROVIDER_UNMANAGED,
        ),
        (
            "CreateSAMLProvider",
            json!({"name": "x"}),
            RuleId::SAML_PROVIDER_UNMANAGED,
        ),
        (
            "DeleteAccessKey",
            json!({"userName": "ci", "accessKeyId": "AKIA1"}),
            RuleId::ACCESS_KEY_REMOVED,
        ),
    ] {
        let (rule, _, _, _) = classified(name, req, Value::Null, MALLORY);
        assert_eq!(rule, want, "{name}");
    }
    // A key for another user is high; for oneself, the rule's default.
    let key = |user: &str| json!({"accessKey": {"accessKeyId": "AKIANEW", "userName": user, "status": "Active"}});
    let (rule, sev, res, _) = classified(
        "CreateAccessKey",
        json!({"userName": "alice"}),
        key("alice"),
        MALLORY,
    );
    assert_eq!(
        (rule, sev, res.as_str()),
        (
            RuleId::ACCESS_KEY_UNMANAGED,
            Severity::High,
            "user/alice/access-key/AKIANEW"
        )
    );
    let (_, sev, _, _) = classified("CreateAccessKey", json!({}), key("mallory"), MALLORY);
    assert_eq!(sev, Severity::Medium);
    // Reads and sign-ins are not changes.
    let e = one(&record(
        "EnableMFADevice",
        json!({"userName": "a"}),
        Value::Null,
        MALLORY,
        T,
    ));
    assert!(classify(&e, None).is_none());
}

fn finding(rule: RuleId, resource: ResourceId) -> Finding {
    Finding {
        rule,
        severity: rules::get(rule).severity,
        resource,
        field: None,
        expected: Value::Null,
        observed: Value::Null,
        source: Origin::Live { arn: String::new() },
        baseline_location: None,
        message: String::new(),
        help: String::new(),
        diff: None,
        witnesses: Vec::new(),
        path: None,
    }
}

#[test]
fn findings_get_the_latest_events_that_explain_them_and_nothing_else() {
    let key = |user: &str, id: &str| {
        ResourceId::object(Kind::User, user).child(Kind::SshKey, Name::Known(id.into()))
    };
    let events: Vec<Event> = [
        record(
            "DeleteSSHPublicKey",
            json!({"userName": "deploy", "sSHPublicKeyId": "APKA1"}),
            Value::Null,
            MALLORY,
            "2026-11-20T10:00:00Z",
        ),
        // The same call again, later; one for another key; one for another user.
        record(
            "DeleteSSHPublicKey",
            json!({"userName": "deploy", "sSHPublicKeyId": "APKA1"}),
            Value::Null,
            "arn:aws:iam::123456789012:user/eve",
            "2026-11-21T10:00:00Z",
        ),
        record(
            "DeleteSSHPublicKey",
            json!({"userName": "deploy", "sSHPublicKeyId": "APKA2"}),
            Value::Null,
            MALLORY,
            "2026-11-22T10:00:00Z",
        ),
        record(
            "DeleteSSHPublicKey",
            json!({"userName": "other", "sSHPublicKeyId": "APKA1"}),
            Value::Null,
            MALLORY,
            "2026-11-23T10:00:00Z",
        ),
        // A failed call is never a cause.
        {
            let mut r = record(
                "DeleteAccountPasswordPolicy",
                json!({}),
                Value::Null,
                MALLORY,
                "2026-11-24T10:00:00Z",
            );
            r["errorCode"] = json!("AccessDenied");
            r
        },
        // An event of the right resource but of another rule.
        record(
            "UploadSSHPublicKey",
            json!({"userName": "deploy"}),
            json!({"sSHPublicKey": {"sSHPublicKeyId": "APKA1", "userName": "deploy"}}),
            MALLORY,
            "2026-11-19T10:00:00Z",
        ),
    ]
    .iter()
    .map(one)
    .collect();
    let findings = [
        finding(RuleId::SSH_KEY_REMOVED, key("deploy", "APKA1")),
        finding(
            RuleId::PASSWORD_POLICY_REMOVED,
            ResourceId::setting(Kind::PasswordPolicy),
        ),
        finding(
            RuleId::USER_CHANGED,
            ResourceId::object(Kind::User, "nobody"),
        ),
    ];
    let got = attribute(&findings, &events, None, Some("123456789012"));
    let a = got[0].as_ref().unwrap();
    assert_eq!(a.matched, 2);
    assert_eq!(
        a.events[0].actor.arn.as_deref(),
        Some("arn:aws:iam::123456789012:user/eve")
    );
    assert_eq!(a.events[1].actor.arn.as_deref(), Some(MALLORY));
    assert!(got[1].is_none(), "a failed call explains nothing");
    assert!(got[2].is_none());
    // Events older than the previous report are left out; so are other accounts'.
    let since = iam_drift_guard::time::parse("2026-11-21T00:00:00Z");
    let got = attribute(&findings, &events, since, None);
    assert_eq!(got[0].as_ref().unwrap().matched, 1);
    let got = attribute(&findings, &events, None, Some("999999999999"));
    assert!(got[0].is_none());
    // An organization trail: the same user's key deleted in another account.
    let mut org = events.clone();
    let mut other = org[0].clone();
    other.account = Some("444455556666".into());
    other.id = Some("other-account".into());
    org.push(other);
    assert_eq!(
        iam_drift_guard::events::attribute::accounts_of(&org),
        vec!["123456789012", "444455556666"]
    );
    let got = attribute(&findings, &org, None, Some("123456789012"));
    assert_eq!(
        got[0].as_ref().unwrap().matched,
        2,
        "its own account's only"
    );
    // Without the source's account, nothing is attributed rather than
    // another account's event.
    let got = attribute(&findings, &org, None, None);
    assert!(got.iter().all(Option::is_none));
    // One account in the events: they are the source's.
    let got = attribute(&findings, &events, None, None);
    assert!(got[0].is_some());
}

#[test]
fn identity_center_users_and_tools_are_named() {
    let mut r = record(
        "DeleteLoginProfile",
        json!({"userName": "alice"}),
        Value::Null,
        MALLORY,
        T,
    );
    r["userIdentity"] = json!({"type": "AssumedRole", "principalId": "AROAX:alice@example.com",
        "arn": "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com",
        "sessionContext": {"sessionIssuer": {"type": "Role", "arn": "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef"}}});
    r["userAgent"] = json!("APN/1.0 HashiCorp/1.0 Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.70.0");
    let e = one(&r);
    assert_eq!(
        e.actor.identity_center_user.as_deref(),
        Some("alice@example.com")
    );
    assert_eq!(e.actor.label(), "alice@example.com (IAM Identity Center)");
    assert_eq!(e.caller(), Some("Terraform"));
    for (ua, want) in [
        ("cloudformation.amazonaws.com", Some("CloudFormation")),
        ("console.amazonaws.com", Some("AWS console")),
        (
            "Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux",
            Some("an AWS SDK (Python)"),
        ),
        ("aws-sdk-go-v2/1.30.0 os/linux", Some("an AWS SDK (Go)")),
        (
            "OpenTofu/1.8.0 terraform-provider-aws/5.0",
            Some("OpenTofu"),
        ),
        ("curl/8.0", None),
    ] {
        assert_eq!(iam_drift_guard::events::caller(ua, None), want, "{ua}");
    }
}

/// Request parameters that name something of every kind, so that any mapped
/// event finds what it touches.
fn everything() -> Value {
    json!({"userName": "alice", "newUserName": "bob", "groupName": "admins", "newGroupName": "ops",
           "roleName": "app", "instanceProfileName": "app", "policyArn": "arn:aws:iam::1:policy/deploy",
           "policyName": "inline", "sSHPublicKeyId": "APKA1", "accessKeyId": "AKIA1",
           "serialNumber": "arn:aws:iam::1:mfa/alice", "url": "https://idp.example.com",
           "openIDConnectProviderArn": "arn:aws:iam::1:oidc-provider/idp.example.com",
           "sAMLProviderArn": "arn:aws:iam::1:saml-provider/corp", "name": "corp",
           "accountAlias": "acme"})
}

#[test]
fn every_mapped_event_touches_something_and_failed_calls_explain_nothing() {
    for t in TABLE {
        let ok = one(&record(t.event, everything(), Value::Null, MALLORY, T));
        let touched = touches(&ok);
        assert!(!touched.is_empty(), "{} touches nothing", t.event);
        let mut failed = record(t.event, everything(), Value::Null, MALLORY, T);
        failed["errorCode"] = json!("AccessDenied");
        let failed = one(&failed);
        assert!(!failed.succeeded());
        // A finding on each touched resource, of every rule that names the
        // event: the successful call explains it, the failed one never does.
        for resource in &touched {
            for rule in rules::all().filter(|r| r.events.contains(&t.event)) {
                let f = [finding(rule.id, resource.clone())];
                let got = attribute(&f, std::slice::from_ref(&ok), None, None);
                assert!(
                    got[0].is_some(),
                    "{} does not explain {} on {resource}",
                    t.event,
                    rule.id
                );
                let got = attribute(&f, std::slice::from_ref(&failed), None, None);
                assert!(
                    got[0].is_none(),
                    "a failed {} explains {}",
                    t.event,
                    rule.id
                );
            }
        }
    }
}

/// IAM writes judged by what they grant, against the baseline's documents when
/// it declares them, on their own when not.
#[test]
fn writes_are_judged_by_what_they_grant() {
    let baseline = iam_drift_guard::baseline::parse(
        "baseline.yaml",
        r#"version: 1
account: { id: '123456789012' }
users:
  alice:
    inline_policies:
      notes: { Version: '2012-10-17', Statement: [{ Effect: Allow, Action: 's3:GetObject', Resource: 'arn:aws:s3:::notes/*' }] }
groups:
  admins: { managed_policies: [arn:aws:iam::aws:policy/AdministratorAccess] }
  readers: { managed_policies: [arn:aws:iam::aws:policy/job-function/ViewOnlyAccess] }
roles:
  app:
    assume_role_policy: { Version: '2012-10-17', Statement: [{ Effect: Allow, Principal: { Service: ec2.amazonaws.com }, Action: 'sts:AssumeRole' }] }
policies:
  deploy: { document: { Version: '2012-10-17', Statement: [{ Effect: Allow, Action: 's3:PutObject', Resource: 'arn:aws:s3:::deploy/*' }] } }
"#,
    )
    .unwrap();
    let doc = |v: Value| Value::String(v.to_string());
    let admin = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]});
    let cases: Vec<(&str, Value, RuleId, Severity, &str)> = vec![
        (
            "PutUserPolicy",
            json!({"userName": "alice", "policyName": "notes", "policyDocument": doc(json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::notes/*"}]}))}),
            RuleId::USER_POLICY_WIDENED,
            Severity::High,
            "(the baseline's document): widens it",
        ),
        (
            "PutUserPolicy",
            json!({"userName": "alice", "policyName": "notes", "policyDocument": doc(json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::notes/2026/*"}]}))}),
            RuleId::USER_POLICY_NARROWED,
            Severity::Low,
            "narrows it",
        ),
        (
            "PutRolePolicy",
            json!({"roleName": "ci", "policyName": "x", "policyDocument": doc(admin.clone())}),
            RuleId::ROLE_POLICY_WIDENED,
            Severity::Critical,
            "`*` on `*`",
        ),
        (
            "PutGroupPolicy",
            json!({"groupName": "ops", "policyName": "x", "policyDocument": doc(json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:Get*", "Resource": "*"}]}))}),
            RuleId::GROUP_CHANGED,
            Severity::Medium,
            "no baseline document",
        ),
        (
            "CreatePolicyVersion",
            json!({"policyArn": "arn:aws:iam::123456789012:policy/deploy", "setAsDefault": true, "policyDocument": doc(admin.clone())}),
            RuleId::POLICY_WIDENED,
            Severity::Critical,
            "new default version",
        ),
        (
            "CreatePolicyVersion",
            json!({"policyArn": "arn:aws:iam::123456789012:policy/deploy", "setAsDefault": false, "policyDocument": doc(admin.clone())}),
            RuleId::POLICY_CHANGED,
            Severity::Low,
            "not the default",
        ),
        (
            "SetDefaultPolicyVersion",
            json!({"policyArn": "arn:aws:iam::123456789012:policy/deploy", "versionId": "v1"}),
            RuleId::POLICY_CHANGED,
            Severity::High,
            "known escalation",
        ),
        (
            "UpdateAssumeRolePolicy",
            json!({"roleName": "app", "policyDocument": doc(json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"}]}))}),
            RuleId::ROLE_TRUST_WIDENED,
            Severity::High,
            "444455556666",
        ),
        (
            "UpdateAssumeRolePolicy",
            json!({"roleName": "other", "policyDocument": doc(json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}]}))}),
            RuleId::ROLE_TRUST_WIDENED,
            Severity::Critical,
            "anyone in any AWS account",
        ),
        (
            "AttachUserPolicy",
            json!({"userName": "bob", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
            RuleId::USER_POLICY_WIDENED,
            Severity::Critical,
            "arn:aws:iam::aws:policy/AdministratorAccess",
        ),
        (
            "AttachGroupPolicy",
            json!({"groupName": "ops", "policyArn": "arn:aws:iam::aws:policy/AmazonBraketFullAccess"}),
            RuleId::GROUP_CHANGED,
            Severity::Medium,
            "may widen",
        ),
        (
            "DetachRolePolicy",
            json!({"roleName": "app", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}),
            RuleId::ROLE_POLICY_NARROWED,
            Severity::Low,
            "ReadOnlyAccess",
        ),
        (
            "AddUserToGroup",
            json!({"userName": "bob", "groupName": "admins"}),
            RuleId::USER_POLICY_WIDENED,
            Severity::Critical,
            "AdministratorAccess",
        ),
        (
            "AddUserToGroup",
            json!({"userName": "bob", "groupName": "readers"}),
            RuleId::USER_POLICY_WIDENED,
            Severity::High,
            "group `readers`",
        ),
        (
            "AddUserToGroup",
            json!({"userName": "bob", "groupName": "unknown"}),
            RuleId::USER_CHANGED,
            Severity::Medium,
            "does not declare",
        ),
        (
            "CreateLoginProfile",
            json!({"userName": "bob"}),
            RuleId::LOGIN_PROFILE_UNMANAGED,
            Severity::High,
            "another principal",
        ),
        (
            "UpdateLoginProfile",
            json!({"userName": "bob"}),
            RuleId::LOGIN_PROFILE_UNMANAGED,
            Severity::High,
            "another principal",
        ),
        (
            "DeleteRolePermissionsBoundary",
            json!({"roleName": "app"}),
            RuleId::PERMISSIONS_BOUNDARY_REMOVED,
            Severity::High,
            "boundary",
        ),
        (
            "DeleteUserPermissionsBoundary",
            json!({"userName": "alice"}),
            RuleId::PERMISSIONS_BOUNDARY_REMOVED,
            Severity::High,
            "boundary",
        ),
        (
            "DeactivateMFADevice",
            json!({"userName": "alice", "serialNumber": "arn:aws:iam::123456789012:mfa/alice"}),
            RuleId::MFA_REMOVED,
            Severity::High,
            "DeactivateMFADevice",
        ),
    ];
    for (name, req, rule, severity, phrase) in cases {
        let e = one(&record(name, req, Value::Null, MALLORY, T));
        let c = classify(&e, Some(&baseline)).unwrap_or_else(|| panic!("{name} is not listed"));
        assert_eq!(
            (c.rule, c.severity),
            (rule, severity),
            "{name}: {}",
            c.message
        );
        assert!(c.message.contains(phrase), "{name}: {}", c.message);
        // A judged document carries its witnesses as data; a call drift rates
        // by its name or the managed table has none to show.
        let judged_document = matches!(
            name,
            "PutUserPolicy" | "PutRolePolicy" | "PutGroupPolicy" | "UpdateAssumeRolePolicy"
        ) || (name == "CreatePolicyVersion"
            && severity == Severity::Critical);
        if judged_document && rule.as_str().ends_with("-widened") {
            let w = c
                .witnesses
                .first()
                .unwrap_or_else(|| panic!("{name}: no witness"));
            assert!(!w.request.action.is_empty(), "{name}: {w:?}");
        } else if !judged_document {
            assert!(c.witnesses.is_empty(), "{name}: {:?}", c.witnesses);
        }
    }
    // One's own password is no change; a failed call is never one.
    let own = one(&record(
        "UpdateLoginProfile",
        json!({"userName": "mallory"}),
        Value::Null,
        MALLORY,
        T,
    ));
    assert!(classify(&own, Some(&baseline)).is_none());
    let mut failed = record(
        "AttachUserPolicy",
        json!({"userName": "bob", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
        Value::Null,
        MALLORY,
        T,
    );
    failed["errorCode"] = json!("AccessDenied");
    assert!(classify(&one(&failed), Some(&baseline)).is_none());
}

/// A write that breaks a guardrail is `guardrail-violated`, whoever's object.
#[test]
fn writes_that_break_a_guardrail() {
    let baseline = iam_drift_guard::baseline::parse(
        "baseline.yaml",
        "version: 1\nguardrails:\n  never_allow: ['iam:PassRole']\n  public_trust: forbidden\n  trusted_accounts: []\n",
    )
    .unwrap();
    let doc = |v: Value| Value::String(v.to_string());
    for (name, req, phrase) in [
        (
            "UpdateAssumeRolePolicy",
            json!({"roleName": "x", "policyDocument": doc(json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}))}),
            "public_trust",
        ),
        (
            "CreateRole",
            json!({"roleName": "x", "assumeRolePolicyDocument": doc(json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "sts:AssumeRole"}]}))}),
            "trusted_accounts",
        ),
        (
            "PutRolePolicy",
            json!({"roleName": "x", "policyName": "p", "policyDocument": doc(json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}]}))}),
            "never_allow",
        ),
        (
            "AttachUserPolicy",
            json!({"userName": "x", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
            "never_allow",
        ),
    ] {
        let e = one(&record(name, req, Value::Null, MALLORY, T));
        let c = classify(&e, Some(&baseline)).unwrap();
        assert_eq!(
            (c.rule, c.severity),
            (RuleId::GUARDRAIL_VIOLATED, Severity::Critical),
            "{name}: {}",
            c.message
        );
        assert!(c.message.contains(phrase), "{name}: {}", c.message);
    }
}
