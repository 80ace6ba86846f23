use iam_drift_guard::finding::{Finding, Origin};
use iam_drift_guard::identity::{Change, Kind, Name, ResourceId, RuleId};
use iam_drift_guard::rules;
use serde_json::Value;

#[test]
fn resource_ids_render_as_users_see_them() {
    let alice = ResourceId::object(Kind::User, "alice");
    assert_eq!(alice.as_str(), "user/alice");
    let key = alice.child(Kind::SshKey, Name::Known("APKA1".into()));
    assert_eq!(key.as_str(), "user/alice/ssh-key/APKA1");
    assert_eq!(key.object_str(), "user/alice");
    assert_eq!(key.object_id(), alice);
    assert_eq!((key.kind(), key.leaf_kind()), (Kind::User, Kind::SshKey));
    let new_key = alice.child(
        Kind::SshKey,
        Name::AfterApply("aws_iam_user_ssh_key.new".into()),
    );
    assert_eq!(new_key.as_str(), "user/alice/ssh-key/(known after apply)");
    assert!(!new_key.is_unnamed_object());
    let role = ResourceId::after_apply(Kind::Role, "aws_iam_role.a");
    assert_eq!(role.as_str(), "role/(known after apply)");
    assert!(role.is_unnamed_object());
    assert_eq!(
        ResourceId::setting(Kind::PasswordPolicy).as_str(),
        "password-policy"
    );
    assert_eq!(
        ResourceId::object(Kind::InstanceProfile, "app").as_str(),
        "instance-profile/app"
    );
}

#[test]
fn a_name_is_never_parsed_back() {
    // A user name may hold what looks like a separator; the id keeps its parts.
    let odd = ResourceId::object(Kind::User, "a/ssh-key/b");
    assert_eq!(odd.name(), Some(&Name::Known("a/ssh-key/b".into())));
    assert_eq!(odd.leaf_kind(), Kind::User);
    assert_eq!(odd.object_str(), "user/a/ssh-key/b");
    assert_ne!(
        odd,
        ResourceId::object(Kind::User, "a").child(Kind::SshKey, Name::Known("b".into()))
    );
}

#[test]
fn objects_named_after_apply_stay_apart() {
    let a = ResourceId::after_apply(Kind::Role, "aws_iam_role.a");
    let b = ResourceId::after_apply(Kind::Role, "aws_iam_role.b");
    assert_eq!(a.as_str(), b.as_str());
    assert_ne!(a, b);
    assert_ne!(finding(a).fingerprint(), finding(b).fingerprint());
    // Named objects keep the fingerprint they had.
    let named = finding(ResourceId::object(Kind::User, "alice"));
    assert_eq!(named.resource.anchors(), "");
}

#[test]
fn rule_ids_are_a_kind_and_a_change() {
    assert_eq!(RuleId::ALL.len(), 70);
    for id in RuleId::ALL {
        assert_eq!(
            id.as_str(),
            format!("{}-{}", id.kind().as_str(), id.change().as_str())
        );
        assert_eq!(RuleId::parse(id.as_str()), Some(*id));
        assert_eq!(rules::get(*id).id, *id);
    }
    assert_eq!(RuleId::parse("ssh-key-weakened"), None);
    assert_eq!(RuleId::MFA_REMOVED.kind(), Kind::Mfa);
    assert_eq!(RuleId::MFA_REMOVED.change(), Change::Removed);
}

fn finding(resource: ResourceId) -> Finding {
    Finding {
        rule: RuleId::USER_REMOVED,
        severity: rules::get(RuleId::USER_REMOVED).severity,
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
fn fingerprints_keep_accounts_apart() {
    let here = finding(ResourceId::object(Kind::User, "alice").in_account("111111111111"));
    let there = finding(ResourceId::object(Kind::User, "alice").in_account("222222222222"));
    let same = finding(ResourceId::object(Kind::User, "alice").in_account("111111111111"));
    assert_ne!(here.fingerprint(), there.fingerprint());
    assert_eq!(here.fingerprint(), same.fingerprint());
    assert_eq!(here.fingerprint().len(), 16);
}

/// `resource` blocks of `.tf` text, and plan addresses matched to them.
#[test]
fn declarations_are_found_by_address() {
    use iam_drift_guard::declaration::{resource_blocks, Declarations};
    let text = "resource \"aws_iam_role\" \"app\" {\n}\n  resource \"aws_iam_user\" \"ci\"{\n}\nresource_x \"a\" \"b\" {\n";
    let blocks = resource_blocks(text);
    let found: Vec<(&str, &str, u32)> = blocks
        .iter()
        .map(|b| (b.ty.as_str(), b.name.as_str(), b.line))
        .collect();
    assert_eq!(
        found,
        [("aws_iam_role", "app", 1), ("aws_iam_user", "ci", 3)]
    );
    let mut d = Declarations::default();
    d.add(&[], "main.tf", blocks);
    d.add(
        &["a".to_string(), "b".to_string()],
        "modules/b/iam.tf",
        resource_blocks("resource \"aws_iam_role\" \"app\" {\n"),
    );
    assert_eq!(d.of_address("aws_iam_role.app"), Some(("main.tf", 1)));
    assert_eq!(
        d.of_address("aws_iam_user.ci[\"x.y\"]"),
        Some(("main.tf", 3))
    );
    assert_eq!(
        d.of_address("module.a[\"k]\"].module.b[0].aws_iam_role.app"),
        Some(("modules/b/iam.tf", 1))
    );
    assert_eq!(d.of_address("module.a.aws_iam_role.app"), None);
    assert_eq!(d.of_address("data.aws_iam_role.app"), None);
}

#[test]
fn a_live_reports_resource_ids_read_back_as_they_were() {
    let ids = [
        ResourceId::setting(Kind::PasswordPolicy),
        ResourceId::setting(Kind::Account),
        ResourceId::setting(Kind::Root),
        ResourceId::object(Kind::User, "alice"),
        ResourceId::object(Kind::User, "deploy")
            .child(Kind::SshKey, Name::Known("APKAEXAMPLE".into())),
        ResourceId::object(Kind::User, "ci")
            .child(Kind::AccessKey, Name::Known("AKIAEXAMPLE1234567".into())),
        ResourceId::object(Kind::Role, "AWSServiceRoleForSupport"),
        ResourceId::object(Kind::InstanceProfile, "app"),
        ResourceId::object(Kind::Policy, "artifacts"),
        ResourceId::object(
            Kind::OidcProvider,
            "token.actions.githubusercontent.com/org",
        ),
        ResourceId::object(Kind::SamlProvider, "okta"),
    ];
    for id in ids {
        let back = ResourceId::parse(id.as_str()).unwrap_or_else(|| panic!("{id}"));
        assert_eq!(back, id);
        assert_eq!(back.leaf_kind(), id.leaf_kind());
    }
    // What no resource id renders to, and objects known only after apply.
    for text in [
        "",
        "nothing/alice",
        "user",
        "user/alice/ssh-key/",
        "role/(known after apply)",
    ] {
        assert_eq!(ResourceId::parse(text), None, "{text}");
    }
}
