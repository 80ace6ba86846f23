//! Guardrails over every object, declared or not, naming their place in the
//! baseline.

use super::*;
use iam_drift_guard::triage;

const RAILS: &str = "version: 1
account: { id: '111122223333' }
guardrails:
  trusted_accounts: ['444455556666']
  trusted_oidc_subjects: ['repo:acme/*:ref:refs/heads/main']
  never_allow: ['iam:PassRole', 'iam:CreatePolicyVersion']
  public_trust: forbidden
settings: { unmanaged: ignore }
";

fn doc(v: serde_json::Value) -> PolicyDoc {
    PolicyDoc::from_json(&v).unwrap()
}

fn trusting(principal: serde_json::Value, condition: serde_json::Value) -> Role {
    let mut stmt = json!({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"});
    if !condition.is_null() {
        stmt["Condition"] = condition;
    }
    Role {
        principal: principal_with(&[], None),
        assume_role_policy: Some(doc(json!({"Version": "2012-10-17", "Statement": [stmt]}))),
        ..Role::default()
    }
}

fn principal_with(arns: &[&str], inline: Option<serde_json::Value>) -> Principal {
    let mut p = principal("/");
    let mut set = NameSet::complete(live("x"));
    for a in arns {
        set.items.insert(a.to_string(), Obj::present(live("x"), ()));
    }
    p.managed_policies = Some(set);
    let mut docs = Members::complete(live("x"));
    if let Some(d) = inline {
        docs.items
            .insert("p".into(), Obj::present(live("x"), doc(d)));
    }
    p.inline_policies = Some(docs);
    p
}

fn violations(state: IamState) -> Vec<(String, String, String)> {
    let b = bl(RAILS);
    triage::apply(&b.settings, diff(&b, &state).findings)
        .into_iter()
        .filter(|f| f.rule == RuleId::GUARDRAIL_VIOLATED)
        .map(|f| {
            let loc = f.baseline_location.unwrap();
            (
                f.resource.to_string(),
                f.field.clone().unwrap(),
                format!("{}:{} {}", loc.line, loc.column, f.message),
            )
        })
        .collect()
}

#[test]
fn every_rail_holds_for_undeclared_objects_too() {
    let gh = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com";
    let roles = complete(vec![
        (
            "ok-own",
            trusting(
                json!({"AWS": "arn:aws:iam::111122223333:root"}),
                json!(null),
            ),
        ),
        (
            "ok-trusted",
            trusting(json!({"AWS": "444455556666"}), json!(null)),
        ),
        (
            "foreign",
            trusting(json!({"AWS": "999988887777"}), json!(null)),
        ),
        ("public", trusting(json!("*"), json!(null))),
        (
            "fenced",
            trusting(
                json!("*"),
                json!({"StringEquals": {"aws:PrincipalOrgID": "o-1"}}),
            ),
        ),
        (
            "gh-ok",
            trusting(
                json!({"Federated": gh}),
                json!({"StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/app:ref:refs/heads/main"}}),
            ),
        ),
        (
            "gh-pr",
            trusting(
                json!({"Federated": gh}),
                json!({"StringLike": {"token.actions.githubusercontent.com:sub": "repo:acme/app:pull_request"}}),
            ),
        ),
        (
            "gh-none",
            trusting(
                json!({"Federated": gh}),
                json!({"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}),
            ),
        ),
    ]);
    let users = complete(vec![
        (
            "admin",
            User {
                principal: principal_with(&["arn:aws:iam::aws:policy/AdministratorAccess"], None),
                ..User::default()
            },
        ),
        (
            "passer",
            User {
                principal: principal_with(
                    &[],
                    Some(
                        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:Pass*", "Resource": "*"}]}),
                    ),
                ),
                ..User::default()
            },
        ),
        (
            "scoped",
            User {
                principal: principal_with(
                    &[],
                    Some(
                        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/app"}]}),
                    ),
                ),
                ..User::default()
            },
        ),
        (
            "reader",
            User {
                principal: principal_with(&["arn:aws:iam::aws:policy/ReadOnlyAccess"], None),
                ..User::default()
            },
        ),
    ]);
    let policies = complete(vec![(
        "deploy",
        ManagedPolicy {
            document: Some(doc(
                json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}]}),
            )),
            ..ManagedPolicy::default()
        },
    )]);
    let got = violations(IamState {
        roles,
        users,
        policies,
        ..IamState::default()
    });
    let on = |r: &str| {
        got.iter()
            .filter(|(res, _, _)| res == r)
            .collect::<Vec<_>>()
    };
    for ok in [
        "role/ok-own",
        "role/ok-trusted",
        "role/fenced",
        "role/gh-ok",
        "user/scoped",
        "user/reader",
    ] {
        assert!(on(ok).is_empty(), "{ok}: {got:#?}");
    }
    let expect = [
        (
            "role/foreign",
            "guardrails.trusted_accounts",
            "4:21",
            "999988887777",
        ),
        ("role/public", "guardrails.public_trust", "7:17", "anyone"),
        (
            "role/gh-pr",
            "guardrails.trusted_oidc_subjects",
            "5:26",
            "repo:acme/app:pull_request",
        ),
        (
            "role/gh-none",
            "guardrails.trusted_oidc_subjects",
            "5:26",
            "no `sub`",
        ),
        (
            "user/admin",
            "guardrails.never_allow",
            "6:16",
            "AdministratorAccess",
        ),
        ("user/passer", "guardrails.never_allow", "6:16", "iam:Pass*"),
        (
            "policy/deploy",
            "guardrails.never_allow",
            "6:16",
            "anything but s3:*",
        ),
    ];
    for (resource, field, at, phrase) in expect {
        let hits = on(resource);
        assert!(
            hits.iter()
                .any(|(_, f, m)| f == field && m.starts_with(at) && m.contains(phrase)),
            "{resource} {field} {at} {phrase}: {got:#?}"
        );
    }
}

#[test]
fn guardrail_mistakes_are_located_and_suggested() {
    let err = baseline::parse(
        "baseline.yaml",
        "version: 1\nguardrails:\n  trusted_acounts: ['1']\n  never_allow: [PassRole]\n  public_trust: nope\n",
    )
    .unwrap_err();
    let lines = err.lines();
    let text = lines.join("\n");
    assert!(
        text.contains("baseline.yaml:3:3") && text.contains("trusted_acounts"),
        "{text}"
    );
    assert!(
        text.contains("baseline.yaml:4:17") && text.contains("not an action pattern"),
        "{text}"
    );
    assert!(
        text.contains("baseline.yaml:5:17") && text.contains("`forbidden` or `allowed`"),
        "{text}"
    );
}

pub(super) fn cases() -> Vec<Case> {
    vec![Case {
        name: "a role anyone can assume, under public_trust: forbidden",
        baseline:
            "version: 1\nguardrails: { public_trust: forbidden }\nsettings: { unmanaged: ignore }\n",
        state: IamState {
            roles: complete(vec![(
                "open",
                trusting(
                    json!({"AWS": "*"}),
                    json!({"StringEquals": {"sts:ExternalId": "x"}}),
                ),
            )]),
            ..IamState::default()
        },
        // Anyone can assume it: also reported as an undeclared role.
        fires: &[RuleId::GUARDRAIL_VIOLATED, RuleId::ROLE_UNMANAGED],
    }]
}

#[test]
fn fixtures_fire_their_rule() {
    assert_fixtures(&cases());
}
