//! `aws_iam_openid_connect_provider` and `aws_iam_saml_provider`.

use super::{previous, Builder, View};
use crate::baseline::oidc_provider_name;
use crate::identity::Kind;
use crate::sources::sha256_hex;
use crate::state::{NameSet, OidcProvider, SamlProvider};

impl Builder {
    pub(super) fn oidc_provider(&mut self, v: &View) {
        let name = match v.name("url") {
            Ok(Some(url)) => Some(oidc_provider_name(&url)),
            Ok(None) => return,
            Err(()) => None,
        };
        if let Some(name) = &name {
            self.touched(Kind::OidcProvider, name);
            let before = previous(self.state.oidc_providers.items.get(name));
            self.wrote(Kind::OidcProvider, Some(name), None, before, v);
            if v.deleted {
                let name = name.clone();
                self.state.oidc_providers.items.insert(name, v.obj(None));
                return;
            }
        }
        let mut obj = v.obj(None);
        let mut provider = OidcProvider {
            arn: v.str("arn").map(str::to_string),
            ..Default::default()
        };
        for (key, field, lower) in [
            ("client_id_list", "client_ids", false),
            ("thumbprint_list", "thumbprints", true),
        ] {
            if v.is_unknown(key) {
                obj.unknown.insert(field);
                continue;
            }
            let sensitive = v.is_sensitive(key);
            let mut set = NameSet::complete(v.origin.clone());
            for item in View::strings(v.values.get(key)) {
                let item = if lower {
                    item.to_ascii_lowercase()
                } else {
                    item
                };
                if sensitive {
                    // The value as shown (lowercased) is as secret as the one
                    // the plan marks.
                    self.state.secrets.insert(item.clone());
                }
                set.items.insert(item, v.obj(Some(())));
            }
            if field == "client_ids" {
                provider.client_ids = Some(set);
            } else {
                provider.thumbprints = Some(set);
            }
        }
        obj.value = Some(provider);
        match name {
            Some(name) => {
                self.state.oidc_providers.items.insert(name, obj);
            }
            None => self.state.oidc_providers.unknown.push(obj),
        }
    }

    pub(super) fn saml_provider(&mut self, v: &View) {
        let name = match v.name("name") {
            Ok(Some(n)) => Some(n),
            Ok(None) => return,
            Err(()) => None,
        };
        if let Some(name) = &name {
            self.touched(Kind::SamlProvider, name);
            let before = previous(self.state.saml_providers.items.get(name));
            self.wrote(Kind::SamlProvider, Some(name), None, before, v);
            if v.deleted {
                let name = name.clone();
                self.state.saml_providers.items.insert(name, v.obj(None));
                return;
            }
        }
        let mut obj = v.obj(None);
        let mut provider = SamlProvider {
            arn: v.str("arn").map(str::to_string),
            ..Default::default()
        };
        if v.is_unknown("saml_metadata_document") {
            obj.unknown.insert("metadata_sha256");
        } else {
            if v.is_sensitive("saml_metadata_document") {
                // Even its hash is not shown: it would confirm a guess.
                obj.sensitive.insert("metadata_sha256");
            }
            provider.metadata_sha256 = v.str("saml_metadata_document").map(sha256_hex);
        }
        obj.value = Some(provider);
        match name {
            Some(name) => {
                self.state.saml_providers.items.insert(name, obj);
            }
            None => self.state.saml_providers.unknown.push(obj),
        }
    }
}
