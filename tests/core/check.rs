use iam_drift_guard::baseline;
use iam_drift_guard::check::{guard_account, judge};
use iam_drift_guard::finding::Origin;
use iam_drift_guard::identity::{Kind, ResourceId};
use iam_drift_guard::observation::{Observation, Refresh, SourceInfo};
use iam_drift_guard::state::*;

fn info(kind: &'static str) -> SourceInfo {
    SourceInfo {
        kind,
        path: None,
        terraform_version: None,
        format_version: None,
        credential_report: None,
        account: None,
    }
}

fn observation(state: IamState, reads_account: bool) -> Observation {
    Observation {
        state,
        refresh: None,
        reads_account,
        complete: true,
        info: info("live"),
    }
}

#[test]
fn the_account_guard_applies_to_sources_that_read_an_account() {
    let b = baseline::parse("b.yaml", "version: 1\naccount: { id: '111111111111' }\n").unwrap();
    let other = IamState {
        account_id: Some("222222222222".into()),
        ..IamState::default()
    };
    let err = guard_account(&b, &observation(other.clone(), true)).unwrap_err();
    assert_eq!(err.read.as_deref(), Some("222222222222"));
    assert!(err
        .to_string()
        .contains("the baseline is for account 111111111111"));
    // A plan names no account: nothing to guard.
    assert!(guard_account(&b, &observation(other, false)).is_ok());
    // An account read that names none is not taken for the right one.
    let err = guard_account(&b, &observation(IamState::default(), true)).unwrap_err();
    assert_eq!(err.read, None);
}

fn alice(path: &str, origin: Origin) -> Members<User> {
    let mut users = Members::default();
    let user = User {
        principal: Principal {
            managed: true,
            path: Some(path.into()),
            tags: Some(Default::default()),
            ..Principal::default()
        },
        ..User::default()
    };
    users
        .items
        .insert("alice".into(), Obj::present(origin, user));
    users
}

#[test]
fn refresh_findings_count_only_for_fields_that_changed() {
    let b = baseline::parse(
        "b.yaml",
        "version: 1\nusers:\n  alice: { path: /engineering/, tags: { team: platform } }\n",
    )
    .unwrap();
    let refreshed = Origin::Refresh {
        address: "aws_iam_user.alice".into(),
    };
    // The refresh shows both fields off the baseline, but only the path changed.
    let mut fields = std::collections::BTreeMap::new();
    fields.insert(
        ResourceId::object(Kind::User, "alice"),
        ["path".to_string()].into_iter().collect(),
    );
    let obs = Observation {
        state: IamState::default(),
        refresh: Some(Refresh {
            state: IamState {
                users: alice("/ops/", refreshed),
                ..IamState::default()
            },
            fields,
        }),
        reads_account: false,
        complete: true,
        info: info("plan"),
    };
    let outcome = judge(&b, &obs);
    let got: Vec<(&str, Option<&str>)> = outcome
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.field.as_deref()))
        .collect();
    assert_eq!(got, vec![("user-changed", Some("path"))]);
    assert_eq!(outcome.out_of_scope, 1);
}
