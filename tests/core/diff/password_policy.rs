//! The password policy: directions, removal, values known only after apply.

use super::*;

#[test]
fn password_policy_directions() {
    use PpField::*;
    use PpValue::*;
    let weak = vec!["password-policy-weakened"];
    let strong = vec!["password-policy-strengthened"];
    let changed = vec!["password-policy-changed"];
    let none: Vec<&str> = vec![];
    // minimum length: larger is stronger
    assert_eq!(pp_case(MinimumPasswordLength, "14", Some(Num(8))), weak);
    assert_eq!(pp_case(MinimumPasswordLength, "14", Some(Num(20))), strong);
    assert_eq!(pp_case(MinimumPasswordLength, "14", Some(Num(14))), none);
    // character classes and hard expiry: true is stronger; absent is false
    for f in [
        RequireUppercaseCharacters,
        RequireLowercaseCharacters,
        RequireNumbers,
        RequireSymbols,
        HardExpiry,
    ] {
        assert_eq!(pp_case(f, "true", Some(Bool(false))), weak, "{f:?}");
        assert_eq!(pp_case(f, "true", None), weak, "{f:?} absent");
        assert_eq!(pp_case(f, "false", Some(Bool(true))), strong, "{f:?}");
        assert_eq!(pp_case(f, "false", None), none, "{f:?}");
    }
    // max age: smaller is stronger; absent or 0 means never expires, the weakest
    assert_eq!(pp_case(MaxPasswordAge, "90", Some(Num(180))), weak);
    assert_eq!(pp_case(MaxPasswordAge, "90", Some(Num(30))), strong);
    assert_eq!(pp_case(MaxPasswordAge, "90", None), weak);
    assert_eq!(pp_case(MaxPasswordAge, "90", Some(Num(0))), weak);
    assert_eq!(pp_case(MaxPasswordAge, "1095", Some(Num(1))), strong);
    // reuse prevention: larger is stronger; absent means none
    assert_eq!(pp_case(PasswordReusePrevention, "24", Some(Num(5))), weak);
    assert_eq!(pp_case(PasswordReusePrevention, "5", Some(Num(24))), strong);
    assert_eq!(pp_case(PasswordReusePrevention, "5", None), weak);
    // allow users to change: no direction
    assert_eq!(
        pp_case(AllowUsersToChangePassword, "true", Some(Bool(false))),
        changed
    );
    assert_eq!(
        pp_case(AllowUsersToChangePassword, "false", Some(Bool(true))),
        changed
    );
}

#[test]
fn weakened_is_high_and_strengthened_is_info() {
    let b = bl(&format!(
        "{PP}  minimum_password_length: 14\n  max_password_age: 90\n"
    ));
    let s = pp_state(&[
        (PpField::MinimumPasswordLength, PpValue::Num(8)),
        (PpField::MaxPasswordAge, PpValue::Num(30)),
    ]);
    let r = diff(&b, &s);
    let sev: Vec<(&str, Severity)> = r
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.severity))
        .collect();
    assert_eq!(
        sev,
        vec![
            ("password-policy-weakened", Severity::High),
            ("password-policy-strengthened", Severity::Info)
        ]
    );
    let f = &r.findings[0];
    assert_eq!(
        (f.expected.clone(), f.observed.clone()),
        (json!(14), json!(8))
    );
    assert_eq!(
        f.baseline_location.map(|l| (l.line, l.column)),
        Some((3, 28))
    );
    assert!(
        f.message.contains("at least 8 characters") && f.message.contains("at least 14"),
        "{}",
        f.message
    );
}

#[test]
fn deleted_password_policy_names_what_the_default_misses() {
    let b = bl(&format!("{PP}  minimum_password_length: 14\n  require_symbols: true\n  max_password_age: 90\n  password_reuse_prevention: 24\n  allow_users_to_change_password: true\n"));
    let s = IamState {
        password_policy: Some(Obj::absent(Origin::plan(
            "aws_iam_account_password_policy.strict",
            &["delete"],
        ))),
        ..IamState::default()
    };
    let r = diff(&b, &s);
    assert_eq!(r.findings.len(), 1);
    let f = &r.findings[0];
    assert_eq!(
        (f.rule.as_str(), f.severity),
        ("password-policy-removed", Severity::Critical)
    );
    assert!(f.observed.is_null());
    assert_eq!(f.expected["minimum_password_length"], json!(14));
    for part in [
        "minimum length 8 instead of 14",
        "`require_symbols` no longer required",
        "never expire instead of after 90 days",
        "the last 24 cannot",
    ] {
        assert!(
            f.message.contains(part),
            "missing {part:?} in {}",
            f.message
        );
    }
    // allow_users_to_change_password is true by default: not named.
    assert!(!f.message.contains("allow_users"), "{}", f.message);
}

#[test]
fn unknown_values_are_never_weakened() {
    let b = bl(&format!("{PP}  minimum_password_length: 14\n"));
    let mut s = pp_state(&[]);
    s.password_policy
        .as_mut()
        .unwrap()
        .unknown
        .insert("minimum_password_length");
    let r = diff(&b, &s);
    assert_eq!(
        rules(&r.findings),
        vec![(
            "password-policy-unknown",
            Some("minimum_password_length".into())
        )]
    );
    assert_eq!(r.findings[0].severity, Severity::Low);
}

const PP14: &str = "version: 1\npassword_policy: { minimum_password_length: 14, allow_users_to_change_password: true }\n";

fn pp(values: &[(PpField, PpValue)], unknown: &[&'static str]) -> IamState {
    let mut s = pp_state(values);
    if let Some(obj) = s.password_policy.as_mut() {
        obj.unknown.extend(unknown.iter().copied());
    }
    s
}

pub(super) fn cases() -> Vec<Case> {
    use PpField::*;
    use PpValue::*;
    let change = (AllowUsersToChangePassword, Bool(true));
    vec![
        Case {
            name: "the plan deletes the policy",
            baseline: PP14,
            state: IamState {
                password_policy: Some(Obj::absent(origin())),
                ..IamState::default()
            },
            fires: &[RuleId::PASSWORD_POLICY_REMOVED],
        },
        Case {
            name: "length 14 lowered to 8",
            baseline: PP14,
            state: pp(&[(MinimumPasswordLength, Num(8)), change], &[]),
            fires: &[RuleId::PASSWORD_POLICY_WEAKENED],
        },
        Case {
            name: "length 14 raised to 20",
            baseline: PP14,
            state: pp(&[(MinimumPasswordLength, Num(20)), change], &[]),
            fires: &[RuleId::PASSWORD_POLICY_STRENGTHENED],
        },
        Case {
            name: "users may no longer change their password",
            baseline: PP14,
            state: pp(
                &[
                    (MinimumPasswordLength, Num(14)),
                    (AllowUsersToChangePassword, Bool(false)),
                ],
                &[],
            ),
            fires: &[RuleId::PASSWORD_POLICY_CHANGED],
        },
        Case {
            name: "length known after apply",
            baseline: PP14,
            state: pp(&[change], &["minimum_password_length"]),
            fires: &[RuleId::PASSWORD_POLICY_UNKNOWN],
        },
    ]
}

#[test]
fn fixtures_fire_their_rule() {
    assert_fixtures(&cases());
}
