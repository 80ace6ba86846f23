//! Rules about OpenID Connect identity providers.

use super::shared::{UNKNOWN_FIX_CLI, UNKNOWN_FIX_CONSOLE, UNKNOWN_FIX_TF, UNKNOWN_WHY};
use super::Rule;
use crate::finding::Severity;
use crate::identity::RuleId;

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: RuleId::OIDC_PROVIDER_REMOVED,
        severity: Severity::Medium,
        summary: "a declared OIDC identity provider is deleted",
        why: "Roles that trust the provider can no longer be assumed with its tokens: CI \
pipelines (GitHub Actions, GitLab) and clusters (EKS service accounts) lose their access.",
        events: &["DeleteOpenIDConnectProvider"],
        console: "IAM > Identity providers > Add provider > OpenID Connect (URL and audiences \
from the baseline)",
        cli: "aws iam create-open-id-connect-provider --url https://URL --client-id-list \
CLIENT_ID",
        terraform: "keep the `aws_iam_openid_connect_provider` resource",
    },
    Rule {
        id: RuleId::OIDC_PROVIDER_CHANGED,
        severity: Severity::High,
        summary: "a declared OIDC provider has other client ids (audiences) or thumbprints",
        why: "The client ids say whose tokens IAM accepts and the thumbprints which server \
certificate it trusts: an added audience or thumbprint lets another application or another \
server mint tokens that roles accept.",
        events: &[
            "AddClientIDToOpenIDConnectProvider",
            "RemoveClientIDFromOpenIDConnectProvider",
            "UpdateOpenIDConnectProviderThumbprint",
        ],
        console: "IAM > Identity providers > URL > Audiences: add or remove to match the \
baseline",
        cli: "aws iam add-client-id-to-open-id-connect-provider / \
remove-client-id-from-open-id-connect-provider / update-open-id-connect-provider-thumbprint \
--open-id-connect-provider-arn ARN",
        terraform: "set `client_id_list` and `thumbprint_list` of \
`aws_iam_openid_connect_provider` to the baseline's",
    },
    Rule {
        id: RuleId::OIDC_PROVIDER_UNMANAGED,
        severity: Severity::High,
        summary: "the account has an OIDC identity provider the baseline does not declare",
        why: "A new provider is a new trust anchor: any role whose trust policy names it (or \
names it later) can be assumed by identities of an outside system, with no IAM user and no \
key to find.",
        events: &["CreateOpenIDConnectProvider"],
        console: "IAM > Identity providers > URL > Delete (after checking which roles trust it), \
or declare it",
        cli: "aws iam delete-open-id-connect-provider --open-id-connect-provider-arn ARN",
        terraform: "remove the `aws_iam_openid_connect_provider` resource or declare the \
provider in baseline.yaml",
    },
    Rule {
        id: RuleId::OIDC_PROVIDER_UNKNOWN,
        severity: Severity::Low,
        summary: "a guarded OIDC provider value is known only after apply",
        why: UNKNOWN_WHY,
        events: &[
            "CreateOpenIDConnectProvider",
            "UpdateOpenIDConnectProviderThumbprint",
        ],
        console: UNKNOWN_FIX_CONSOLE,
        cli: UNKNOWN_FIX_CLI,
        terraform: UNKNOWN_FIX_TF,
    },
];
