//! OpenID Connect identity providers: client ids (audiences) and thumbprints.

use super::objects::{Declared, Ident, KindRules, Observed};
use super::Cx;
use crate::baseline::{Baseline, OidcProviderSpec};
use crate::finding::Loc;
use crate::identity::{Kind, RuleId};
use crate::state::{IamState, OidcProvider};
use serde_json::{json, Value};
use std::collections::BTreeSet;

pub(super) static RULES: KindRules = KindRules {
    kind: Kind::OidcProvider,
    removed: RuleId::OIDC_PROVIDER_REMOVED,
    changed: RuleId::OIDC_PROVIDER_CHANGED,
    unmanaged: RuleId::OIDC_PROVIDER_UNMANAGED,
    unknown: RuleId::OIDC_PROVIDER_UNKNOWN,
    provisioned: None,
};

impl Declared for OidcProviderSpec {
    fn loc(&self) -> Loc {
        self.loc
    }
}

impl Observed for OidcProvider {
    fn ident(&self) -> Ident<'_> {
        Ident {
            managed: true,
            ..Ident::default()
        }
    }
    fn shown_undeclared(&self, _name: &str, sensitive: &BTreeSet<&'static str>) -> Value {
        self.grants(sensitive)
    }
    fn grants(&self, _sensitive: &BTreeSet<&'static str>) -> Value {
        let names = |s: &Option<crate::state::NameSet>| -> Vec<String> {
            s.as_ref()
                .map(|s| s.present_names().map(str::to_string).collect())
                .unwrap_or_default()
        };
        json!({ "client_ids": names(&self.client_ids), "thumbprints": names(&self.thumbprints) })
    }
}

pub(super) fn check(cx: &mut Cx, baseline: &Baseline, state: &IamState) {
    for pair in cx.match_objects(&RULES, &baseline.oidc_providers, &state.oidc_providers) {
        let (s, spec, provider) = (&pair.subject, pair.spec, pair.value);
        for (field, noun, want, have) in [
            (
                "client_ids",
                "client id",
                &spec.client_ids,
                &provider.client_ids,
            ),
            (
                "thumbprints",
                "thumbprint",
                &spec.thumbprints,
                &provider.thumbprints,
            ),
        ] {
            let Some(want) = want else { continue };
            if s.obj.unknown.contains(field) {
                let expected = json!(want.value.iter().map(|s| &s.value).collect::<Vec<_>>());
                cx.unknown(s, s.obj, field, expected, want.loc);
            } else if let Some(have) = have {
                cx.name_set(s, field, noun, want, have);
            }
        }
    }
}
