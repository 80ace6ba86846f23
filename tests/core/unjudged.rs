//! Resources no baseline of the run judges: one `provider-unjudged` finding
//! per resource, about the provider configuration that manages it.

use iam_drift_guard::identity::{Kind, RuleId};
use iam_drift_guard::origin::Origin;
use iam_drift_guard::unjudged::{findings, Provider};

fn origins() -> Vec<Origin> {
    vec![
        Origin::plan("aws_iam_role.app", &["create"]),
        Origin::plan("module.iam.aws_iam_user.ci[\"a\"]", &["update"]),
    ]
}

#[test]
fn one_finding_per_resource_naming_its_provider_and_why() {
    let keys = ["aws.audit".to_string()];
    let found = findings(
        Provider {
            keys: &keys,
            account: Some("222233334444"),
            reason: "provider `aws.audit` works in account 222233334444, which has no baseline",
        },
        &origins(),
    );
    assert_eq!(found.len(), 2);
    for (f, o) in found.iter().zip(origins()) {
        assert_eq!(f.rule, RuleId::PROVIDER_UNJUDGED);
        assert_eq!(f.resource.kind(), Kind::Provider);
        assert_eq!(f.resource.as_str(), "provider/aws.audit");
        assert_eq!(f.resource.account(), "222233334444");
        assert_eq!(f.field.as_deref(), Some(o.address()));
        assert_eq!(f.source, o);
        assert!(f
            .message
            .starts_with(&format!("`{}` is not judged: ", o.address())));
        assert!(f.message.contains("has no baseline"));
        assert_eq!(
            f.observed,
            "account 222233334444, which no baseline of the run is for"
        );
    }
    // Two resources of one provider are two findings to a waiver or a trend.
    assert_ne!(found[0].fingerprint(), found[1].fingerprint());
}

#[test]
fn a_provider_of_unknown_account_is_in_none() {
    let found = findings(
        Provider {
            keys: &[],
            account: None,
            reason: "the plan's configuration does not say which provider manages it",
        },
        &origins()[..1],
    );
    assert_eq!(found[0].resource.as_str(), "provider/(unknown)");
    assert_eq!(found[0].resource.account(), "");
    assert_eq!(found[0].observed, "an account that cannot be told");
}

/// The rule fires from the plan's parts, not from the diff: the fixture of
/// `every_rule_fires_in_a_fixture`.
pub(super) fn fires() -> Vec<RuleId> {
    let keys = ["aws.audit".to_string()];
    findings(
        Provider {
            keys: &keys,
            account: None,
            reason: "its account cannot be told",
        },
        &origins(),
    )
    .iter()
    .map(|f| f.rule)
    .collect()
}
