//! SAML identity providers: the metadata document, by its SHA-256.

use super::objects::{Declared, Ident, KindRules, Observed};
use super::Cx;
use crate::baseline::{Baseline, SamlProviderSpec};
use crate::finding::Loc;
use crate::identity::{Kind, RuleId};
use crate::state::{IamState, SamlProvider};
use serde_json::{json, Value};
use std::collections::BTreeSet;

pub(super) static RULES: KindRules = KindRules {
    kind: Kind::SamlProvider,
    removed: RuleId::SAML_PROVIDER_REMOVED,
    changed: RuleId::SAML_PROVIDER_CHANGED,
    unmanaged: RuleId::SAML_PROVIDER_UNMANAGED,
    unknown: RuleId::SAML_PROVIDER_UNKNOWN,
    provisioned: None,
};

impl Declared for SamlProviderSpec {
    fn loc(&self) -> Loc {
        self.loc
    }
}

impl Observed for SamlProvider {
    fn ident(&self) -> Ident<'_> {
        Ident {
            managed: true,
            ..Ident::default()
        }
    }
    fn shown_undeclared(&self, _name: &str, sensitive: &BTreeSet<&'static str>) -> Value {
        self.grants(sensitive)
    }
    fn grants(&self, sensitive: &BTreeSet<&'static str>) -> Value {
        let hash = if sensitive.contains("metadata_sha256") {
            json!(super::SENSITIVE)
        } else {
            json!(self.metadata_sha256)
        };
        json!({ "metadata_sha256": hash })
    }
}

pub(super) fn check(cx: &mut Cx, baseline: &Baseline, state: &IamState) {
    for pair in cx.match_objects(&RULES, &baseline.saml_providers, &state.saml_providers) {
        let (s, spec, provider) = (&pair.subject, pair.spec, pair.value);
        if let Some(want) = &spec.metadata_sha256 {
            cx.scalar(
                s,
                "metadata_sha256",
                want,
                provider.metadata_sha256.as_ref(),
                |v| json!(v),
            );
        }
    }
}
