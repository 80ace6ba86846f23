//! `identity_providers`: OIDC providers by URL, SAML providers by name.

use super::{Cx, KEYS};
use crate::baseline::yaml::{Node, Value};
use crate::baseline::{oidc_provider_name, Baseline, OidcProviderSpec, SamlProviderSpec, Sp};

impl Cx {
    pub(super) fn identity_providers(&mut self, node: &Node, b: &mut Baseline) {
        let fields = self.mapping(node, "identity_providers", Some(KEYS.identity_providers));
        if let Some((_, node)) = fields.get("oidc") {
            for (url, (key, value)) in self.mapping(node, "identity_providers.oidc", None) {
                let name = oidc_provider_name(url);
                if name.is_empty() || name.contains("://") {
                    self.error(
                        key,
                        format!("`{url}` is not the URL of an OIDC provider"),
                        "not an https URL",
                        Some("write the issuer URL, e.g. https://token.actions.githubusercontent.com"
                            .to_string()),
                    );
                    continue;
                }
                if b.oidc_providers.contains_key(&name) {
                    self.error(
                        key,
                        format!("OIDC provider `{name}` is declared twice"),
                        "declared again",
                        Some(
                            "`https://` and a trailing slash do not make another provider"
                                .to_string(),
                        ),
                    );
                    continue;
                }
                let spec = self.oidc_provider(url, key, value);
                b.oidc_providers.insert(name, spec);
            }
        }
        if let Some((_, node)) = fields.get("saml") {
            for (name, (key, value)) in self.mapping(node, "identity_providers.saml", None) {
                let spec = self.saml_provider(name, key, value);
                b.saml_providers.insert(name.to_string(), spec);
            }
        }
    }

    fn oidc_provider(&mut self, url: &str, key: &Node, value: &Node) -> OidcProviderSpec {
        let what = format!("identity_providers.oidc.{url}");
        let fields = self.mapping(value, &what, Some(KEYS.oidc_provider));
        let mut spec = OidcProviderSpec {
            loc: key.loc,
            url: url.to_string(),
            ..Default::default()
        };
        if let Some((_, v)) = fields.get("client_ids") {
            spec.client_ids = self.string_list(v, &format!("{what}.client_ids"));
        }
        if let Some((_, v)) = fields.get("thumbprints") {
            spec.thumbprints =
                self.hex_list(v, &format!("{what}.thumbprints"), 40, "a SHA-1 thumbprint");
        }
        spec
    }

    fn saml_provider(&mut self, name: &str, key: &Node, value: &Node) -> SamlProviderSpec {
        let what = format!("identity_providers.saml.{name}");
        let fields = self.mapping(value, &what, Some(KEYS.saml_provider));
        let mut spec = SamlProviderSpec {
            loc: key.loc,
            ..Default::default()
        };
        if let Some((_, v)) = fields.get("metadata_sha256") {
            let w = format!("{what}.metadata_sha256");
            spec.metadata_sha256 = self
                .string(v, &w)
                .and_then(|s| self.hex(v, s, &w, 64, "a SHA-256 hash"));
        }
        spec
    }

    /// A list of hex digests of `len` digits, lowercased.
    fn hex_list(
        &mut self,
        node: &Node,
        what: &str,
        len: usize,
        noun: &str,
    ) -> Option<Sp<Vec<Sp<String>>>> {
        let list = self.string_list(node, what)?;
        let items = match &node.value {
            Value::Seq(items) => items.as_slice(),
            _ => &[],
        };
        let mut out = Vec::new();
        for s in list.value {
            let at = items.iter().find(|i| i.loc == s.loc).unwrap_or(node);
            if let Some(h) = self.hex(at, s, what, len, noun) {
                out.push(h);
            }
        }
        Some(Sp::new(out, list.loc))
    }

    fn hex(
        &mut self,
        node: &Node,
        s: Sp<String>,
        what: &str,
        len: usize,
        noun: &str,
    ) -> Option<Sp<String>> {
        if s.value.len() == len && s.value.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Some(Sp::new(s.value.to_ascii_lowercase(), s.loc));
        }
        self.error(
            node,
            format!("`{what}`: `{}` is not {noun} ({len} hex digits)", s.value),
            &format!("expected {len} hex digits"),
            None,
        );
        None
    }
}
