//! Rules about SAML identity providers.

use super::shared::{UNKNOWN_FIX_CLI, UNKNOWN_FIX_CONSOLE, UNKNOWN_FIX_TF, UNKNOWN_WHY};
use super::Rule;
use crate::finding::Severity;
use crate::identity::RuleId;

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: RuleId::SAML_PROVIDER_REMOVED,
        severity: Severity::Medium,
        summary: "a declared SAML identity provider is deleted",
        why: "Federated sign-in through the provider stops: people who reach the account \
through the company's identity system are locked out.",
        events: &["DeleteSAMLProvider"],
        console: "IAM > Identity providers > Add provider > SAML (upload the IdP's metadata)",
        cli:
            "aws iam create-saml-provider --name NAME --saml-metadata-document file://metadata.xml",
        terraform: "keep the `aws_iam_saml_provider` resource",
    },
    Rule {
        id: RuleId::SAML_PROVIDER_CHANGED,
        severity: Severity::High,
        summary: "a declared SAML provider has other metadata (its SHA-256 differs)",
        why: "The metadata holds the certificate whose signatures IAM trusts: replaced metadata \
lets whoever holds the new key sign assertions for any role that trusts the provider.",
        events: &["UpdateSAMLProvider"],
        console: "IAM > Identity providers > NAME > Replace metadata (with the IdP's own)",
        cli: "aws iam update-saml-provider --saml-provider-arn ARN --saml-metadata-document \
file://metadata.xml",
        terraform: "set `saml_metadata_document` of `aws_iam_saml_provider` to the IdP's \
metadata (and `metadata_sha256` in the baseline to its hash)",
    },
    Rule {
        id: RuleId::SAML_PROVIDER_UNMANAGED,
        severity: Severity::High,
        summary: "the account has a SAML identity provider the baseline does not declare",
        why: "A new provider is a new trust anchor: a role that trusts it can be assumed by \
whoever controls that identity system, a known persistence technique.",
        events: &["CreateSAMLProvider"],
        console: "IAM > Identity providers > NAME > Delete (after checking which roles trust \
it), or declare it",
        cli: "aws iam delete-saml-provider --saml-provider-arn ARN",
        terraform: "remove the `aws_iam_saml_provider` resource or declare the provider in \
baseline.yaml",
    },
    Rule {
        id: RuleId::SAML_PROVIDER_UNKNOWN,
        severity: Severity::Low,
        summary: "a guarded SAML provider value is known only after apply",
        why: UNKNOWN_WHY,
        events: &["CreateSAMLProvider", "UpdateSAMLProvider"],
        console: UNKNOWN_FIX_CONSOLE,
        cli: UNKNOWN_FIX_CLI,
        terraform: UNKNOWN_FIX_TF,
    },
];
