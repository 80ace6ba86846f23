use iam_drift_guard::baseline;
use iam_drift_guard::check::judge;
use iam_drift_guard::finding::Origin;
use iam_drift_guard::observation::{Observation, SourceInfo};
use iam_drift_guard::state::*;

fn observe(state: IamState) -> Observation {
    Observation {
        state,
        refresh: None,
        reads_account: false,
        complete: true,
        info: SourceInfo {
            kind: "plan",
            path: None,
            terraform_version: None,
            format_version: None,
            credential_report: None,
            account: None,
        },
    }
}

#[test]
fn the_password_policy_command_uses_the_baseline_values() {
    let b = baseline::parse(
        "b.yaml",
        "version: 1\npassword_policy: { minimum_password_length: 16, require_symbols: false, hard_expiry: true, max_password_age: 30 }\n",
    )
    .unwrap();
    let state = IamState {
        password_policy: Some(Obj::absent(Origin::Live {
            arn: "arn:aws:iam::1:account-password-policy".into(),
        })),
        ..IamState::default()
    };
    let out = judge(&b, &observe(state));
    let help = &out.findings[0].help;
    let cli = help.lines().find(|l| l.starts_with("cli:")).unwrap();
    assert!(cli.contains("--minimum-password-length 16"), "{cli}");
    assert!(cli.contains("--no-require-symbols"), "{cli}");
    assert!(
        cli.contains("--hard-expiry") && cli.contains("--max-password-age 30"),
        "{cli}"
    );
    assert!(!cli.contains(" 14") && !cli.contains(" 24"), "{cli}");
    assert!(
        cli.contains("password_reuse_prevention"),
        "names what the baseline leaves out: {cli}"
    );
    // A live finding: the console first.
    assert!(help.starts_with("console:"), "{help}");
}

#[test]
fn fixes_name_the_object_and_a_plan_gets_terraform_first() {
    let b = baseline::parse("b.yaml", "version: 1\nusers:\n  alice: {}\n").unwrap();
    let mut users = Members::complete(Origin::Live {
        arn: "arn:aws:iam::1:user/*".into(),
    });
    let created = User {
        principal: Principal {
            managed: true,
            path: Some("/".into()),
            ..Principal::default()
        },
        ..User::default()
    };
    users.items.insert(
        "mallory".into(),
        Obj::present(Origin::plan("aws_iam_user.mallory", &["create"]), created),
    );
    let out = judge(
        &b,
        &observe(IamState {
            users,
            ..IamState::default()
        }),
    );
    let removed = out
        .findings
        .iter()
        .find(|f| f.rule.as_str() == "user-removed")
        .unwrap();
    assert!(
        removed.help.contains("--user-name alice"),
        "{}",
        removed.help
    );
    assert!(!removed.help.contains("NAME"), "{}", removed.help);
    let new = out
        .findings
        .iter()
        .find(|f| f.rule.as_str() == "user-unmanaged")
        .unwrap();
    assert!(new.help.starts_with("terraform:"), "{}", new.help);
    assert!(
        !new.help.contains("delete-user"),
        "nothing to delete yet: {}",
        new.help
    );
}

#[test]
fn key_and_provider_fixes_name_the_key_and_the_provider() {
    let b = baseline::parse(
        "b.yaml",
        "version: 1\nusers:\n  ci:\n    access_keys: [{ id: AKIAAAAAAAAAAAAAAAA1, status: Active }]\n",
    )
    .unwrap();
    let live = |arn: &str| Origin::Live { arn: arn.into() };
    let mut keys = Members::complete(live("k"));
    keys.items.insert(
        "AKIAAAAAAAAAAAAAAAA1".into(),
        Obj::present(
            live("k"),
            AccessKey {
                status: Some("Inactive".into()),
                ..AccessKey::default()
            },
        ),
    );
    let user = User {
        principal: Principal {
            managed: true,
            ..Principal::default()
        },
        access_keys: Some(keys),
        ..User::default()
    };
    let mut users = Members::complete(live("u"));
    users
        .items
        .insert("ci".into(), Obj::present(live("u"), user));
    let mut oidc = Members::complete(live("p"));
    let arn = "arn:aws:iam::123456789012:oidc-provider/oidc.example.com";
    oidc.items.insert(
        "oidc.example.com".into(),
        Obj::present(live(arn), OidcProvider::default()),
    );
    let out = judge(
        &b,
        &observe(IamState {
            users,
            oidc_providers: oidc,
            ..IamState::default()
        }),
    );
    let help = |rule: &str| {
        out.findings
            .iter()
            .find(|f| f.rule.as_str() == rule)
            .unwrap()
            .help
            .clone()
    };
    let key = help("access-key-changed");
    assert!(
        key.contains("aws iam update-access-key --user-name ci --access-key-id AKIAAAAAAAAAAAAAAAA1 --status Active"),
        "{key}"
    );
    let provider = help("oidc-provider-unmanaged");
    assert!(
        provider.contains(&format!("--open-id-connect-provider-arn {arn}")),
        "{provider}"
    );
    assert!(
        provider.contains("Identity providers > oidc.example.com > Delete"),
        "{provider}"
    );
}
