//! OIDC identity providers: client ids and thumbprints, new providers.

use super::*;

const GITHUB: &str = "version: 1\nidentity_providers:\n  oidc:\n    https://token.actions.githubusercontent.com:\n      client_ids: [sts.amazonaws.com]\n      thumbprints: [6938FD4D98BAB03FAADB97B34396831E3780AEA1]\n";

fn provider(clients: &[&str], thumbprints: &[&str]) -> OidcProvider {
    let set = |items: &[&str]| {
        let mut s = NameSet::complete(live("p"));
        for i in items {
            s.items.insert(i.to_string(), Obj::present(live("p"), ()));
        }
        s
    };
    OidcProvider {
        arn: None,
        client_ids: Some(set(clients)),
        thumbprints: Some(set(thumbprints)),
    }
}

fn state(providers: Vec<(&str, OidcProvider)>) -> IamState {
    IamState {
        oidc_providers: complete(providers),
        ..IamState::default()
    }
}

const GH: &str = "token.actions.githubusercontent.com";
const PRINT: &str = "6938fd4d98bab03faadb97b34396831e3780aea1";

fn unknown_clients() -> IamState {
    let mut s = state(vec![(GH, provider(&[], &[PRINT]))]);
    let o = s.oidc_providers.items.get_mut(GH).unwrap();
    o.unknown.insert("client_ids");
    s
}

pub(super) fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "OIDC provider deleted",
            baseline: GITHUB,
            state: state(vec![]),
            fires: &[RuleId::OIDC_PROVIDER_REMOVED],
        },
        Case {
            name: "OIDC audience added",
            baseline: GITHUB,
            state: state(vec![(
                GH,
                provider(&["sts.amazonaws.com", "evil"], &[PRINT]),
            )]),
            fires: &[RuleId::OIDC_PROVIDER_CHANGED],
        },
        Case {
            name: "undeclared OIDC provider",
            baseline: "version: 1\n",
            state: state(vec![("oidc.example.com", provider(&["x"], &[]))]),
            fires: &[RuleId::OIDC_PROVIDER_UNMANAGED],
        },
        Case {
            name: "OIDC client ids known after apply",
            baseline: GITHUB,
            state: unknown_clients(),
            fires: &[RuleId::OIDC_PROVIDER_UNKNOWN],
        },
    ]
}

#[test]
fn fixtures_fire_their_rule() {
    assert_fixtures(&cases());
}

#[test]
fn thumbprints_compare_without_case_and_urls_without_scheme() {
    let r = diff(
        &bl(GITHUB),
        &state(vec![(GH, provider(&["sts.amazonaws.com"], &[PRINT]))]),
    );
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    let r = diff(
        &bl(GITHUB),
        &state(vec![(
            GH,
            provider(
                &["sts.amazonaws.com"],
                &["0000000000000000000000000000000000000000"],
            ),
        )]),
    );
    let got: Vec<(&str, Option<&str>, Severity)> = r
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.field.as_deref(), f.severity))
        .collect();
    assert_eq!(
        got,
        vec![
            ("oidc-provider-changed", Some("thumbprints"), Severity::High),
            ("oidc-provider-changed", Some("thumbprints"), Severity::High),
        ]
    );
    assert_eq!(
        r.findings[0].resource.as_str(),
        "oidc-provider/token.actions.githubusercontent.com"
    );
}

#[test]
fn a_new_provider_is_high_and_shows_what_it_trusts() {
    let r = diff(
        &bl("version: 1\n"),
        &state(vec![("oidc.example.com", provider(&["x"], &[PRINT]))]),
    );
    let f = &r.findings[0];
    assert_eq!(f.severity, Severity::High);
    assert_eq!(f.resource.as_str(), "oidc-provider/oidc.example.com");
    assert_eq!(
        f.observed,
        json!({"client_ids": ["x"], "thumbprints": [PRINT]})
    );
}

#[test]
fn new_providers_are_reported_even_when_undeclared_objects_are_ignored() {
    let b = bl("version: 1\nsettings:\n  unmanaged: ignore\n");
    let s = state(vec![("oidc.example.com", provider(&["x"], &[]))]);
    let kept = iam_drift_guard::triage::apply(&b.settings, diff(&b, &s).findings);
    let rules: Vec<&str> = kept.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(rules, vec!["oidc-provider-unmanaged"]);
    // `settings.ignore` silences them on purpose.
    let b = bl("version: 1\nsettings:\n  ignore: ['oidc-provider:*.example.com']\n");
    let kept = iam_drift_guard::triage::apply(&b.settings, diff(&b, &s).findings);
    assert!(kept.is_empty());
}
