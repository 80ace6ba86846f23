//! `settings`: undeclared objects, ignore patterns, severity overrides.

use super::{suggest, Cx, KEYS};
use crate::baseline::yaml::{Node, Value};
use crate::baseline::{Settings, Sp, Unmanaged};
use crate::rules;

impl Cx {
    pub(super) fn settings(&mut self, node: &Node) -> Settings {
        let fields = self.mapping(node, "settings", Some(KEYS.settings));
        let mut s = Settings::default();
        if let Some((_, v)) = fields.get("unmanaged") {
            match &v.value {
                Value::Str(x) if x == "report" => s.unmanaged = Unmanaged::Report,
                Value::Str(x) if x == "ignore" => s.unmanaged = Unmanaged::Ignore,
                _ => self.error(
                    v,
                    "`settings.unmanaged` must be `report` or `ignore`".to_string(),
                    "expected `report` or `ignore`",
                    None,
                ),
            }
        }
        if let Some((_, v)) = fields.get("ignore") {
            if let Some(list) = self.string_list(v, "settings.ignore") {
                s.ignore = list.value;
            }
        }
        if let Some((_, v)) = fields.get("severity") {
            let ids: Vec<&str> = rules::all().map(|r| r.id.as_str()).collect();
            for (rule, (key, value)) in self.mapping(v, "settings.severity", None) {
                if rules::find(rule).is_none() {
                    let help = suggest(rule, &ids)
                        .map(|s| format!("did you mean `{s}`?"))
                        .or_else(|| Some("`drift rules` lists every rule id".to_string()));
                    self.error(key, format!("unknown rule `{rule}`"), "unknown rule", help);
                    continue;
                }
                let text = match &value.value {
                    Value::Str(t) => t.as_str(),
                    _ => "",
                };
                match crate::finding::Severity::parse(text) {
                    Some(sev) => {
                        s.severity.insert(rule.to_string(), Sp::new(sev, value.loc));
                    }
                    None => {
                        let names = ["critical", "high", "medium", "low", "info"];
                        let help = suggest(text, &names)
                            .map(|s| format!("did you mean `{s}`?"))
                            .unwrap_or_else(|| format!("one of: {}", names.join(", ")));
                        self.error(
                            value,
                            format!("`settings.severity.{rule}` is not a severity"),
                            "unknown severity",
                            Some(help),
                        );
                    }
                }
            }
        }
        if let Some((_, v)) = fields.get("trusted_accounts") {
            if let Some(list) = self.string_list(v, "settings.trusted_accounts") {
                for id in list.value {
                    if id.value.len() == 12 && id.value.bytes().all(|b| b.is_ascii_digit()) {
                        s.trusted_accounts.push(id);
                    } else {
                        self.error_at(
                            id.loc,
                            format!(
                                "`{}` in `settings.trusted_accounts` is not a 12-digit account id",
                                id.value
                            ),
                            "expected a 12-digit account id",
                            Some("write the id in quotes: \"123456789012\"".to_string()),
                        );
                    }
                }
            }
        }
        if let Some((_, v)) = fields.get("max_key_age_days") {
            s.max_key_age_days = match &v.value {
                Value::Int(i) if (1..=3650).contains(i) => Some(Sp::new(*i as u32, v.loc)),
                _ => {
                    self.error(
                        v,
                        "`settings.max_key_age_days` must be a number of days from 1 to 3650"
                            .to_string(),
                        "expected 1 to 3650",
                        Some(
                            "AWS and the CIS benchmark ask for rotation every 90 days".to_string(),
                        ),
                    );
                    None
                }
            };
        }
        s
    }
}
