//! `guardrails`: what every IAM object must satisfy, declared or not.

use super::{Cx, KEYS};
use crate::baseline::yaml::{Node, Value};
use crate::baseline::{Guardrails, Sp};

fn account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

impl Cx {
    pub(super) fn guardrails(&mut self, key: &Node, node: &Node) -> Guardrails {
        let fields = self.mapping(node, "guardrails", Some(KEYS.guardrails));
        let mut g = Guardrails {
            loc: key.loc,
            ..Guardrails::default()
        };
        if let Some((_, v)) = fields.get("trusted_accounts") {
            if let Some(list) = self.string_list(v, "guardrails.trusted_accounts") {
                for id in list.value.iter().filter(|id| !account_id(&id.value)) {
                    self.error_at(
                        id.loc,
                        format!(
                            "`{}` in `guardrails.trusted_accounts` is not a 12-digit account id",
                            id.value
                        ),
                        "expected a 12-digit account id",
                        Some("write the id in quotes: \"123456789012\"".to_string()),
                    );
                }
                g.trusted_accounts = Some(list);
            }
        }
        if let Some((_, v)) = fields.get("trusted_oidc_subjects") {
            g.trusted_oidc_subjects = self.string_list(v, "guardrails.trusted_oidc_subjects");
        }
        if let Some((_, v)) = fields.get("never_allow") {
            if let Some(list) = self.string_list(v, "guardrails.never_allow") {
                for p in list
                    .value
                    .iter()
                    .filter(|p| p.value != "*" && !p.value.contains(':'))
                {
                    self.error_at(
                        p.loc,
                        format!(
                            "`{}` in `guardrails.never_allow` is not an action pattern",
                            p.value
                        ),
                        "expected SERVICE:ACTION",
                        Some(
                            "an action such as `iam:PassRole`, or a pattern such as `iam:*`"
                                .to_string(),
                        ),
                    );
                }
                g.never_allow = Some(list);
            }
        }
        if let Some((_, v)) = fields.get("public_trust") {
            match &v.value {
                Value::Str(x) if x == "forbidden" => {
                    g.public_trust_forbidden = Some(Sp::new(true, v.loc))
                }
                Value::Str(x) if x == "allowed" => {
                    g.public_trust_forbidden = Some(Sp::new(false, v.loc))
                }
                _ => self.error(
                    v,
                    "`guardrails.public_trust` must be `forbidden` or `allowed`".to_string(),
                    "expected `forbidden` or `allowed`",
                    None,
                ),
            }
        }
        g
    }
}
