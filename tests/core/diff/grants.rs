//! Policies judged by what they grant: trust policies, inline and attached
//! policies, customer managed policies and permissions boundaries, widened or
//! narrowed, and undeclared objects rated by what they grant.

use super::*;
use iam_drift_guard::finding::WitnessChange;
use iam_drift_guard::triage;

const TRUST_EC2: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const READ_LOGS: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Logs","Effect":"Allow","Action":["logs:GetLogEvents","logs:FilterLogEvents"],"Resource":"arn:aws:logs:eu-west-1:111122223333:log-group:app:*"}]}"#;

fn doc(text: &str) -> PolicyDoc {
    PolicyDoc::from_text(text).unwrap()
}

fn baseline_role(trust: &str, inline: &str) -> String {
    format!(
        "version: 1\naccount: {{ id: '111122223333' }}\nroles:\n  app:\n    assume_role_policy: '{trust}'\n    managed_policies: []\n    inline_policies:\n      logs: '{inline}'\n    permissions_boundary: arn:aws:iam::111122223333:policy/boundary\n"
    )
}

fn role(trust: &str, inline: Option<&str>, managed: &[&str], boundary: Option<&str>) -> Role {
    let mut p = principal("/");
    let mut set = NameSet::complete(live("app"));
    for arn in managed {
        set.items
            .insert(arn.to_string(), Obj::present(live("app"), ()));
    }
    p.managed_policies = Some(set);
    let mut docs = Members::complete(live("app"));
    if let Some(text) = inline {
        docs.items
            .insert("logs".into(), Obj::present(live("app"), doc(text)));
    }
    p.inline_policies = Some(docs);
    p.permissions_boundary = Some(boundary.map(str::to_string));
    Role {
        principal: p,
        assume_role_policy: Some(doc(trust)),
        ..Role::default()
    }
}

const BOUNDARY: Option<&str> = Some("arn:aws:iam::111122223333:policy/boundary");

fn run(baseline: &str, r: Role) -> Vec<Finding> {
    diff(
        &bl(baseline),
        &IamState {
            roles: complete(vec![("app", r)]),
            ..IamState::default()
        },
    )
    .findings
}

fn one(findings: &[Finding]) -> &Finding {
    assert_eq!(findings.len(), 1, "{findings:#?}");
    &findings[0]
}

fn trust_with(statement: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{statement}]}}"#)
}

/// A trust edit: the rule, severity and a phrase the message must hold.
fn trust_case(statement: &str) -> Finding {
    let b = baseline_role(TRUST_EC2, READ_LOGS);
    let found = run(
        &b,
        role(&trust_with(statement), Some(READ_LOGS), &[], BOUNDARY),
    );
    one(&found).clone()
}

#[test]
fn trust_opened_to_everyone_is_critical() {
    for principal in [r#""*""#, r#"{"AWS":"*"}"#] {
        let f = trust_case(&format!(
            r#"{{"Sid":"Open","Effect":"Allow","Principal":{principal},"Action":"sts:AssumeRole"}}"#
        ));
        assert_eq!(f.rule, RuleId::ROLE_TRUST_WIDENED);
        assert_eq!(f.severity, Severity::Critical, "{}", f.message);
        assert!(
            f.message.contains("anyone in any AWS account"),
            "{}",
            f.message
        );
        assert!(f.message.contains("statement `Open`"), "{}", f.message);
        assert!(f.diff.is_some());
        // The same witness as plain data: the statement, and a caller of
        // another account that the new trust lets assume the role.
        let w = &f.witnesses[0];
        assert_eq!(w.change, WitnessChange::Allowed, "{w:#?}");
        assert_eq!(w.sid.as_deref(), Some("Open"));
        assert_eq!(w.request.action, "sts:AssumeRole");
        let (kind, id) = w.request.caller.clone().expect("a caller");
        assert!(kind == "AWS" || kind == "*", "{kind}");
        assert!(!id.contains("111122223333"), "{id}");
    }
    // Fenced by the organization: an ordinary widening.
    let f = trust_case(
        r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}}"#,
    );
    assert_eq!(f.rule, RuleId::ROLE_TRUST_WIDENED);
    assert_eq!(f.severity, Severity::High, "{}", f.message);
}

#[test]
fn trust_to_another_account_is_high_unless_trusted() {
    let stmt = r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole"}"#;
    let f = trust_case(stmt);
    assert_eq!(f.rule, RuleId::ROLE_TRUST_WIDENED);
    assert_eq!(f.severity, Severity::High);
    assert!(
        f.message.contains("account 444455556666 is neither"),
        "{}",
        f.message
    );
    let b =
        baseline_role(TRUST_EC2, READ_LOGS) + "settings:\n  trusted_accounts: ['444455556666']\n";
    let f = run(&b, role(&trust_with(stmt), Some(READ_LOGS), &[], BOUNDARY));
    let f = one(&f);
    assert_eq!(f.severity, Severity::High);
    assert!(!f.message.contains("neither"), "{}", f.message);
}

#[test]
fn github_oidc_trusts_are_judged_by_their_sub() {
    let gh = |cond: &str| {
        format!(
            r#"{{"Effect":"Allow","Principal":{{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{{{cond}}}}}"#
        )
    };
    let aud = r#""StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}"#;
    for (cond, sev) in [
        (aud.to_string(), Severity::Critical),
        (
            format!(r#"{aud},"StringLike":{{"token.actions.githubusercontent.com:sub":"*"}}"#),
            Severity::Critical,
        ),
        (
            format!(r#"{aud},"StringLike":{{"token.actions.githubusercontent.com:sub":"repo:*"}}"#),
            Severity::Critical,
        ),
        (
            r#""StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com","token.actions.githubusercontent.com:sub":"environment:prod"}"#.to_string(),
            Severity::Critical,
        ),
        (
            format!(
                r#"{aud},"StringLike":{{"token.actions.githubusercontent.com:sub":["repo:acme/app:ref:refs/heads/main","repo:*/app:*"]}}"#
            ),
            Severity::Critical,
        ),
        (
            format!(r#"{aud},"StringLike":{{"token.actions.githubusercontent.com:sub":"repo:acme/*"}}"#),
            Severity::Medium,
        ),
    ] {
        let f = trust_case(&gh(&cond));
        assert_eq!(f.rule, RuleId::ROLE_TRUST_WIDENED, "{cond}");
        assert_eq!(f.severity, sev, "{cond}: {}", f.message);
        assert!(f.message.contains("GitHub"), "{}", f.message);
    }
}

#[test]
fn not_principal_allow_is_critical() {
    let f = trust_case(
        r#"{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:role/x"},"Action":"sts:AssumeRole"}"#,
    );
    assert_eq!(f.severity, Severity::Critical, "{}", f.message);
    assert!(f.message.contains("NotPrincipal"), "{}", f.message);
}

#[test]
fn a_changed_sid_alone_is_no_finding_and_a_removed_principal_is_narrowed() {
    let b = baseline_role(
        &trust_with(
            r#"{"Sid":"A","Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com","lambda.amazonaws.com"]},"Action":"sts:AssumeRole"}"#,
        ),
        READ_LOGS,
    );
    let renamed = trust_with(
        r#"{"Sid":"B","Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com","ec2.amazonaws.com"]},"Action":"sts:AssumeRole"}"#,
    );
    assert!(run(&b, role(&renamed, Some(READ_LOGS), &[], BOUNDARY)).is_empty());
    let f = run(&b, role(TRUST_EC2, Some(READ_LOGS), &[], BOUNDARY));
    let f = one(&f);
    assert_eq!(f.rule, RuleId::ROLE_TRUST_NARROWED);
    assert_eq!(f.severity, Severity::Low);
    assert!(f.message.contains("lambda.amazonaws.com"), "{}", f.message);
}

#[test]
fn inline_policy_widened_to_admin_is_critical_narrowed_is_low() {
    let b = baseline_role(TRUST_EC2, READ_LOGS);
    let admin = r#"{"Version":"2012-10-17","Statement":[{"Sid":"All","Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    let f = run(&b, role(TRUST_EC2, Some(admin), &[], BOUNDARY));
    let f = one(&f);
    assert_eq!(f.rule, RuleId::ROLE_POLICY_WIDENED);
    assert_eq!(f.severity, Severity::Critical);
    assert_eq!(f.field.as_deref(), Some("inline_policies.logs"));
    assert!(
        f.message.contains("`*` on `*` (statement `All`)"),
        "{}",
        f.message
    );
    // A new resource: an ordinary widening.
    let wider = READ_LOGS.replace("log-group:app:*", "log-group:*");
    let f = run(&b, role(TRUST_EC2, Some(&wider), &[], BOUNDARY));
    assert_eq!(one(&f).severity, Severity::High);
    // One action removed: narrowed.
    let narrower = READ_LOGS.replace(r#""logs:GetLogEvents","#, "");
    let f = run(&b, role(TRUST_EC2, Some(&narrower), &[], BOUNDARY));
    let f = one(&f);
    assert_eq!(f.rule, RuleId::ROLE_POLICY_NARROWED);
    assert_eq!(f.severity, Severity::Low);
    // Privilege escalation on every resource.
    let pe = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:GetLogEvents","logs:FilterLogEvents"],"Resource":"arn:aws:logs:eu-west-1:111122223333:log-group:app:*"},{"Effect":"Allow","Action":"iam:Attach*","Resource":"*"}]}"#;
    let f = run(&b, role(TRUST_EC2, Some(pe), &[], BOUNDARY));
    let f = one(&f);
    assert_eq!(f.severity, Severity::Critical);
    assert!(f.message.contains("iam:Attach"), "{}", f.message);
    // iam:PassRole on every resource with a service that runs code.
    let pass = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:GetLogEvents","logs:FilterLogEvents"],"Resource":"arn:aws:logs:eu-west-1:111122223333:log-group:app:*"},{"Effect":"Allow","Action":["iam:PassRole","lambda:CreateFunction"],"Resource":"*"}]}"#;
    let f = run(&b, role(TRUST_EC2, Some(pass), &[], BOUNDARY));
    let f = one(&f);
    assert_eq!(f.severity, Severity::Critical);
    assert!(f.message.contains("lambda:CreateFunction"), "{}", f.message);
}

#[test]
fn attachments_are_judged_by_the_managed_table() {
    let b = baseline_role(TRUST_EC2, READ_LOGS);
    let f = run(
        &b,
        role(
            TRUST_EC2,
            Some(READ_LOGS),
            &["arn:aws:iam::aws:policy/AdministratorAccess"],
            BOUNDARY,
        ),
    );
    let f = one(&f);
    assert_eq!(f.rule, RuleId::ROLE_POLICY_WIDENED);
    assert_eq!(f.severity, Severity::Critical);
    assert!(f.message.contains("AdministratorAccess"), "{}", f.message);
    // An AWS managed policy the table does not know: cannot tell, never narrowed.
    let f = run(
        &b,
        role(
            TRUST_EC2,
            Some(READ_LOGS),
            &["arn:aws:iam::aws:policy/AmazonBraketFullAccess"],
            BOUNDARY,
        ),
    );
    let f = one(&f);
    assert_eq!(f.rule, RuleId::ROLE_CHANGED);
    assert_eq!(f.severity, Severity::Medium);
    assert!(f.message.contains("may widen"), "{}", f.message);
}

#[test]
fn a_removed_boundary_is_its_own_rule() {
    let b = baseline_role(TRUST_EC2, READ_LOGS);
    let f = run(&b, role(TRUST_EC2, Some(READ_LOGS), &[], None));
    let f = one(&f);
    assert_eq!(f.rule, RuleId::PERMISSIONS_BOUNDARY_REMOVED);
    assert_eq!(f.severity, Severity::High);
}

fn undeclared(trust: &str, managed: &[&str]) -> IamState {
    IamState {
        roles: complete(vec![("intruder", role(trust, None, managed, None))]),
        ..IamState::default()
    }
}

#[test]
fn undeclared_roles_take_their_severity_from_what_they_grant() {
    let quiet = bl("version: 1\nsettings:\n  unmanaged: ignore\n");
    let loud = bl("version: 1\n");
    let public =
        trust_with(r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}"#);
    let admin = ["arn:aws:iam::aws:policy/AdministratorAccess"];
    let read = ["arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"];
    // Anyone can assume it, and it holds AdministratorAccess: critical, even
    // under `settings.unmanaged: ignore`.
    for b in [&quiet, &loud] {
        let found = triage::apply(&b.settings, diff(b, &undeclared(&public, &admin)).findings);
        let f = one(&found);
        assert_eq!(f.rule, RuleId::ROLE_UNMANAGED);
        assert_eq!(f.severity, Severity::Critical, "{}", f.message);
        assert!(f.message.contains("AdministratorAccess"), "{}", f.message);
    }
    // EC2 with read-only access: medium when reported, quiet when ignored.
    let found = triage::apply(
        &loud.settings,
        diff(&loud, &undeclared(TRUST_EC2, &read)).findings,
    );
    assert_eq!(one(&found).severity, Severity::Medium);
    let found = triage::apply(
        &quiet.settings,
        diff(&quiet, &undeclared(TRUST_EC2, &read)).findings,
    );
    assert!(found.is_empty(), "{found:#?}");
}

/// Fixtures of the rules above, for `every_rule_fires_in_a_fixture`.
pub(super) fn cases() -> Vec<Case> {
    const ROLE: &str = "version: 1\nroles:\n  app:\n    assume_role_policy: '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":[\"ec2.amazonaws.com\",\"lambda.amazonaws.com\"]},\"Action\":\"sts:AssumeRole\"}]}'\n    inline_policies:\n      logs: '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"logs:GetLogEvents\",\"logs:FilterLogEvents\"],\"Resource\":\"*\"}]}'\n    permissions_boundary: arn:aws:iam::111122223333:policy/boundary\n";
    const USER: &str = "version: 1\nusers:\n  alice: { managed_policies: [arn:aws:iam::aws:policy/ReadOnlyAccess] }\n";
    const GROUP: &str = "version: 1\ngroups:\n  ops: { path: /, managed_policies: [arn:aws:iam::aws:policy/ReadOnlyAccess] }\n";
    const POLICY: &str = "version: 1\npolicies:\n  deploy:\n    document: '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"arn:aws:s3:::deploy/*\"}]}'\n";
    let both = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com","lambda.amazonaws.com"]},"Action":"sts:AssumeRole"}]}"#;
    let logs = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:GetLogEvents","logs:FilterLogEvents"],"Resource":"*"}]}"#;
    let with_role = |trust: &str, inline: &str, boundary: Option<&str>| IamState {
        roles: complete(vec![("app", role(trust, Some(inline), &[], boundary))]),
        ..IamState::default()
    };
    let user_with = |arns: &[&str]| {
        let mut u = user(true);
        let mut set = NameSet::complete(live("alice"));
        for a in arns {
            set.items
                .insert(a.to_string(), Obj::present(live("alice"), ()));
        }
        u.principal.managed_policies = Some(set);
        IamState {
            users: complete(vec![("alice", u)]),
            ..IamState::default()
        }
    };
    let group_with = |path: &str, arns: &[&str]| {
        let mut p = principal(path);
        let mut set = NameSet::complete(live("ops"));
        for a in arns {
            set.items
                .insert(a.to_string(), Obj::present(live("ops"), ()));
        }
        p.managed_policies = Some(set);
        IamState {
            groups: complete(vec![("ops", Group { principal: p })]),
            ..IamState::default()
        }
    };
    let policy_with = |text: &str| IamState {
        policies: complete(vec![(
            "deploy",
            ManagedPolicy {
                document: Some(doc(text)),
                ..ManagedPolicy::default()
            },
        )]),
        ..IamState::default()
    };
    let read = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    let admin = "arn:aws:iam::aws:policy/AdministratorAccess";
    let b = Some("arn:aws:iam::111122223333:policy/boundary");
    vec![
        Case {
            name: "trust opened to every account",
            baseline: ROLE,
            state: with_role(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com","lambda.amazonaws.com"]},"Action":"sts:AssumeRole"},{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#,
                logs,
                b,
            ),
            fires: &[RuleId::ROLE_TRUST_WIDENED],
        },
        Case {
            name: "trust narrowed to one service",
            baseline: ROLE,
            state: with_role(TRUST_EC2, logs, b),
            fires: &[RuleId::ROLE_TRUST_NARROWED],
        },
        Case {
            name: "inline policy on every action",
            baseline: ROLE,
            state: with_role(
                both,
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:*","Resource":"*"}]}"#,
                b,
            ),
            fires: &[RuleId::ROLE_POLICY_WIDENED],
        },
        Case {
            name: "inline policy loses an action",
            baseline: ROLE,
            state: with_role(
                both,
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:GetLogEvents","Resource":"*"}]}"#,
                b,
            ),
            fires: &[RuleId::ROLE_POLICY_NARROWED],
        },
        Case {
            name: "boundary removed",
            baseline: ROLE,
            state: with_role(both, logs, None),
            fires: &[RuleId::PERMISSIONS_BOUNDARY_REMOVED],
        },
        Case {
            name: "AdministratorAccess attached to a user",
            baseline: USER,
            state: user_with(&[read, admin]),
            fires: &[RuleId::USER_POLICY_WIDENED],
        },
        Case {
            name: "ReadOnlyAccess detached from a user",
            baseline: USER,
            state: user_with(&[]),
            fires: &[RuleId::USER_POLICY_NARROWED],
        },
        Case {
            name: "AdministratorAccess attached to a group",
            baseline: GROUP,
            state: group_with("/", &[read, admin]),
            fires: &[RuleId::GROUP_POLICY_WIDENED],
        },
        Case {
            name: "group moved to another path",
            baseline: GROUP,
            state: group_with("/ops/", &[read]),
            fires: &[RuleId::GROUP_CHANGED],
        },
        Case {
            name: "customer managed policy on every bucket",
            baseline: POLICY,
            state: policy_with(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::*"}]}"#,
            ),
            fires: &[RuleId::POLICY_WIDENED],
        },
        Case {
            name: "customer managed policy read-only",
            baseline: POLICY,
            state: policy_with(
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::deploy/*"}]}"#,
            ),
            fires: &[RuleId::POLICY_NARROWED],
        },
    ]
}

#[test]
fn fixtures_fire_their_rule() {
    assert_fixtures(&cases());
}

#[test]
fn a_document_known_only_after_apply_may_widen() {
    let b = baseline_role(TRUST_EC2, READ_LOGS);
    let mut roles = complete(vec![(
        "app",
        role(TRUST_EC2, Some(READ_LOGS), &[], BOUNDARY),
    )]);
    roles
        .items
        .get_mut("app")
        .unwrap()
        .unknown
        .insert("assume_role_policy");
    let found = diff(
        &bl(&b),
        &IamState {
            roles,
            ..IamState::default()
        },
    )
    .findings;
    let f = one(&found);
    assert_eq!(f.rule, RuleId::ROLE_UNKNOWN);
    assert_eq!(f.severity, Severity::Medium);
    assert!(f.message.contains("may widen"), "{}", f.message);
}

/// Undeclared roles that share one trust policy (rated once per run) are each
/// rated by it, and each as its own sensitivity says: the one whose trust is
/// sensitive does not quote it, the other does.
#[test]
fn roles_that_share_a_trust_policy_are_each_rated_by_it() {
    const OPEN: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#;
    let shared = doc(OPEN);
    let mut roles = complete(vec![]);
    for name in ["hidden", "shown", "twin"] {
        let mut obj = Obj::present(
            live(name),
            Role {
                principal: principal("/"),
                assume_role_policy: Some(shared.clone()),
                ..Role::default()
            },
        );
        if name == "hidden" {
            obj.sensitive.insert("assume_role_policy");
        }
        roles.items.insert(name.into(), obj);
    }
    // A role with an ordinary trust between them: not rated as the others.
    roles.items.insert(
        "plain".into(),
        Obj::present(live("plain"), role(TRUST_EC2, None, &[], None)),
    );
    let found = diff(
        &bl("version: 1\naccount: { id: '111122223333' }\n"),
        &IamState {
            roles,
            ..IamState::default()
        },
    )
    .findings;
    let by_name = |name: &str| {
        found
            .iter()
            .find(|f| f.message.contains(&format!("`{name}`")))
            .unwrap_or_else(|| panic!("no finding for `{name}`: {found:#?}"))
    };
    for name in ["hidden", "shown", "twin"] {
        assert_eq!(by_name(name).severity, Severity::Critical, "{name}");
    }
    assert!(
        by_name("plain").severity < Severity::High,
        "{:#?}",
        by_name("plain")
    );
    let hidden = &by_name("hidden").message;
    assert!(hidden.contains("sensitive: not shown"), "{hidden}");
    assert!(!hidden.contains("its trust policy: "), "{hidden}");
    for name in ["shown", "twin"] {
        let m = &by_name(name).message;
        assert!(m.contains("its trust policy: "), "{m}");
        assert!(!m.contains("not shown"), "{m}");
    }
}
