//! OIDC and SAML identity providers: ListOpenIDConnectProviders and one
//! GetOpenIDConnectProvider per provider (client ids and thumbprints are only
//! there); ListSAMLProviders, and GetSAMLProvider only for the providers whose
//! metadata is wanted (the baseline declares its hash, or `drift init`).

use super::fetch::{count, unread, Calls};
use super::per_user::{self, Done};
use super::{Progress, Unread};
use aws_sdk_iam::operation::get_open_id_connect_provider::GetOpenIdConnectProviderOutput;
use aws_sdk_iam::Client;
use std::collections::BTreeMap;

pub(super) const OIDC: &str = crate::kinds::section(crate::identity::Kind::OidcProvider);
pub(super) const SAML: &str = crate::kinds::section(crate::identity::Kind::SamlProvider);

/// The name of a provider: its ARN after `oidc-provider/` or `saml-provider/`.
pub(super) fn name_of(arn: &str) -> Option<&str> {
    let (_, rest) = arn
        .split_once(":oidc-provider/")
        .or_else(|| arn.split_once(":saml-provider/"))?;
    (!rest.is_empty()).then_some(rest)
}

/// Every OIDC provider, by ARN.
pub(super) async fn oidc(
    client: &Client,
    concurrency: usize,
    progress: Progress<'_>,
    calls: &mut Calls,
) -> Result<BTreeMap<String, GetOpenIdConnectProviderOutput>, Vec<Unread>> {
    count(calls, "ListOpenIDConnectProviders");
    let list = client
        .list_open_id_connect_providers()
        .send()
        .await
        .map_err(|e| vec![unread(OIDC, "iam:ListOpenIDConnectProviders", &e)])?;
    let mut arns = Vec::new();
    for entry in list.open_id_connect_provider_list() {
        match entry.arn().filter(|a| name_of(a).is_some()) {
            Some(arn) => arns.push(arn.to_string()),
            None => {
                return Err(vec![Unread {
                    section: OIDC.to_string(),
                    action: "iam:ListOpenIDConnectProviders",
                    reason: format!(
                        "IAM listed a provider without a valid ARN ({:?})",
                        entry.arn()
                    ),
                }])
            }
        }
    }
    per_user::each(
        arns,
        concurrency,
        progress,
        calls,
        OIDC,
        "iam:GetOpenIDConnectProvider",
        |arn| {
            let client = client.clone();
            async move {
                let result = client
                    .get_open_id_connect_provider()
                    .open_id_connect_provider_arn(&arn)
                    .send()
                    .await
                    .map_err(|e| {
                        unread(
                            format!("OIDC provider `{arn}`"),
                            "iam:GetOpenIDConnectProvider",
                            &e,
                        )
                    });
                let done: Done<_> = (arn, vec![("GetOpenIDConnectProvider", 1)], result);
                done
            }
        },
    )
    .await
}

/// Every SAML provider by ARN, with the metadata document of those `wanted`.
pub(super) async fn saml(
    client: &Client,
    wanted: &dyn Fn(&str) -> bool,
    concurrency: usize,
    progress: Progress<'_>,
    calls: &mut Calls,
) -> Result<BTreeMap<String, Option<String>>, Vec<Unread>> {
    count(calls, "ListSAMLProviders");
    let list = client
        .list_saml_providers()
        .send()
        .await
        .map_err(|e| vec![unread(SAML, "iam:ListSAMLProviders", &e)])?;
    let mut out = BTreeMap::new();
    let mut fetch = Vec::new();
    for entry in list.saml_provider_list() {
        let Some((arn, name)) = entry.arn().and_then(|a| Some((a, name_of(a)?))) else {
            return Err(vec![Unread {
                section: SAML.to_string(),
                action: "iam:ListSAMLProviders",
                reason: format!(
                    "IAM listed a provider without a valid ARN ({:?})",
                    entry.arn()
                ),
            }]);
        };
        if wanted(name) {
            fetch.push(arn.to_string());
        } else {
            out.insert(arn.to_string(), None);
        }
    }
    let documents = per_user::each(
        fetch,
        concurrency,
        progress,
        calls,
        SAML,
        "iam:GetSAMLProvider",
        |arn| {
            let client = client.clone();
            async move {
                let result = match client
                    .get_saml_provider()
                    .saml_provider_arn(&arn)
                    .send()
                    .await
                {
                    Ok(o) => match o.saml_metadata_document() {
                        Some(d) => Ok(Some(d.to_string())),
                        None => Err(Unread {
                            section: format!("SAML provider `{arn}`"),
                            action: "iam:GetSAMLProvider",
                            reason: "IAM returned no metadata document".to_string(),
                        }),
                    },
                    Err(e) => Err(unread(
                        format!("SAML provider `{arn}`"),
                        "iam:GetSAMLProvider",
                        &e,
                    )),
                };
                let done: Done<Option<String>> = (arn, vec![("GetSAMLProvider", 1)], result);
                done
            }
        },
    )
    .await?;
    out.extend(documents);
    Ok(out)
}
