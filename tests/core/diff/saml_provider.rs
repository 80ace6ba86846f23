//! SAML identity providers: the metadata's hash, new providers.

use super::*;

const HASH: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

fn corp() -> String {
    format!("version: 1\nidentity_providers:\n  saml:\n    corp:\n      metadata_sha256: {HASH}\n")
}

fn state(hash: Option<&str>, unknown: bool) -> IamState {
    let mut obj = Obj::present(
        live("arn:aws:iam::123456789012:saml-provider/corp"),
        SamlProvider {
            arn: None,
            metadata_sha256: hash.map(str::to_string),
        },
    );
    if unknown {
        obj.unknown.insert("metadata_sha256");
    }
    let mut providers = Members::complete(live("saml"));
    providers.items.insert("corp".into(), obj);
    IamState {
        saml_providers: providers,
        ..IamState::default()
    }
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

pub(super) fn cases() -> Vec<Case> {
    let corp = leak(corp());
    vec![
        Case {
            name: "SAML provider deleted",
            baseline: corp,
            state: IamState {
                saml_providers: Members::complete(live("saml")),
                ..IamState::default()
            },
            fires: &[RuleId::SAML_PROVIDER_REMOVED],
        },
        Case {
            name: "SAML metadata replaced",
            baseline: corp,
            state: state(Some(&"b".repeat(64)), false),
            fires: &[RuleId::SAML_PROVIDER_CHANGED],
        },
        Case {
            name: "undeclared SAML provider",
            baseline: "version: 1\n",
            state: state(None, false),
            fires: &[RuleId::SAML_PROVIDER_UNMANAGED],
        },
        Case {
            name: "SAML metadata known after apply",
            baseline: corp,
            state: state(None, true),
            fires: &[RuleId::SAML_PROVIDER_UNKNOWN],
        },
    ]
}

#[test]
fn fixtures_fire_their_rule() {
    assert_fixtures(&cases());
}

#[test]
fn the_same_metadata_is_clean_and_other_metadata_is_high() {
    assert!(diff(&bl(&corp()), &state(Some(HASH), false))
        .findings
        .is_empty());
    let r = diff(&bl(&corp()), &state(Some(&"b".repeat(64)), false));
    assert_eq!(r.findings[0].severity, Severity::High);
    assert_eq!(r.findings[0].field.as_deref(), Some("metadata_sha256"));
    assert_eq!(r.findings[0].resource.as_str(), "saml-provider/corp");
}
