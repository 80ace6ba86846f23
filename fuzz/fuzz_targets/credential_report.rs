#![no_main]
//! The credential report parser: any text matched against a few known users
//! (names with commas and quotes among them) is rows or an error, never a
//! panic, and a row is only ever given to the user whose name and ARN it
//! holds. What a report gives the state is judged against the example
//! baseline and rendered, and the output forges nothing.

mod common;

use iam_drift_guard::finding::Origin;
use iam_drift_guard::state::{IamState, Members, Obj, Principal, User};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let names = ["alice", "deploy", "bob", "dev,admin", "a\"b", "ops,admin,x"];
    let users: Vec<(String, String)> = names
        .iter()
        .map(|n| (n.to_string(), format!("arn:aws:iam::123456789012:user/{n}")))
        .collect();
    let Ok(report) = iam_drift_guard::sources::report_csv::parse(text, &users) else {
        return;
    };
    for name in report.users.keys() {
        assert!(
            users.iter().any(|(n, _)| n == name),
            "a row for an unknown user"
        );
    }
    // The rows as the live read maps them: console access and MFA.
    let origin = |n: &str| Origin::Live {
        arn: format!("arn:aws:iam::123456789012:user/{n}"),
    };
    let mut state = IamState {
        users: Members::complete(origin("*")),
        ..IamState::default()
    };
    for (name, row) in &report.users {
        let user = User {
            principal: Principal {
                managed: true,
                ..Principal::default()
            },
            login_profile: Some(if row.password {
                Obj::present(origin(name), ())
            } else {
                Obj::absent(origin(name))
            }),
            mfa_devices: Some(usize::from(row.mfa)),
            ..User::default()
        };
        state
            .users
            .items
            .insert(name.clone(), Obj::present(origin(name), user));
    }
    common::exercise(&common::example_baseline(), state);
});
