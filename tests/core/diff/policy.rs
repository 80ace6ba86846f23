//! Customer managed policies: sensitive documents.

use super::*;

#[test]
fn sensitive_values_are_not_copied_into_findings() {
    let b = bl("version: 1\npolicies:\n  p: { document: { Statement: [{ Effect: Allow, Action: 's3:GetObject', Resource: '*' }] } }\n");
    let mut policies = Members::default();
    let mut obj = Obj::present(Origin::plan("aws_iam_policy.p", &["update"]), ManagedPolicy {
        document: Some(PolicyDoc::from_text(r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::secret-bucket"}]}"#).unwrap()),
        ..ManagedPolicy::default()
    });
    obj.sensitive.insert("document");
    policies.items.insert("p".into(), obj);
    let r = diff(
        &b,
        &IamState {
            policies,
            ..IamState::default()
        },
    );
    assert_eq!(r.findings.len(), 1);
    let f = &r.findings[0];
    assert_eq!(f.observed, json!("(sensitive value)"));
    assert!(f.diff.is_none());
    assert!(!format!("{f:?}").contains("secret-bucket"));
}

const DEPLOY: &str = "version: 1\npolicies:\n  deploy: { path: /, description: deploys }\n";

fn deploy(description: &str) -> ManagedPolicy {
    ManagedPolicy {
        arn: Some("arn:aws:iam::123456789012:policy/deploy".into()),
        path: Some("/".into()),
        document: None,
        description: Some(description.into()),
    }
}

pub(super) fn cases() -> Vec<Case> {
    let mut unknown = complete(vec![("deploy", deploy("deploys"))]);
    unknown.unknown.push(Obj::present(
        planned("aws_iam_policy.p", &["create"]),
        deploy("deploys"),
    ));
    let mut document_unknown = Obj::present(
        planned("aws_iam_policy.deploy", &["update"]),
        deploy("deploys"),
    );
    document_unknown.unknown.insert("document");
    let mut later = complete(vec![]);
    later.items.insert("deploy".into(), document_unknown);
    vec![
        Case {
            name: "policy deleted",
            baseline: DEPLOY,
            state: IamState {
                policies: complete(vec![]),
                ..IamState::default()
            },
            fires: &[RuleId::POLICY_REMOVED],
        },
        Case {
            name: "description changed",
            baseline: DEPLOY,
            state: IamState {
                policies: complete(vec![("deploy", deploy("anything"))]),
                ..IamState::default()
            },
            fires: &[RuleId::POLICY_CHANGED],
        },
        Case {
            name: "undeclared Control Tower policy",
            baseline: DEPLOY,
            state: IamState {
                policies: complete(vec![
                    ("deploy", deploy("deploys")),
                    ("AWSControlTowerAdminPolicy", deploy("")),
                ]),
                ..IamState::default()
            },
            fires: &[RuleId::POLICY_PROVISIONED],
        },
        Case {
            name: "undeclared policy",
            baseline: DEPLOY,
            state: IamState {
                policies: complete(vec![
                    ("deploy", deploy("deploys")),
                    ("admin-ish", deploy("")),
                ]),
                ..IamState::default()
            },
            fires: &[RuleId::POLICY_UNMANAGED],
        },
        Case {
            name: "policy named after apply",
            baseline: DEPLOY,
            state: IamState {
                policies: unknown,
                ..IamState::default()
            },
            fires: &[RuleId::POLICY_UNMANAGED],
        },
        Case {
            name: "document known after apply",
            baseline: "version: 1\npolicies:\n  deploy: { document: { Statement: [{ Effect: Allow, Action: 's3:GetObject', Resource: '*' }] } }\n",
            state: IamState {
                policies: later,
                ..IamState::default()
            },
            fires: &[RuleId::POLICY_UNKNOWN],
        },
    ]
}

#[test]
fn fixtures_fire_their_rule() {
    assert_fixtures(&cases());
}
