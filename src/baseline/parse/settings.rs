//! `settings`: undeclared objects, ignore patterns, severity overrides.

use super::{suggest, Cx, KEYS};
use crate::baseline::yaml::{Node, Value};
use crate::baseline::{Settings, Sp, Unmanaged, Waiver};
use crate::rules;

impl Cx {
    /// `settings.ignore`: plain patterns, and waivers (mappings with a
    /// reason and an expiry date).
    fn ignore(&mut self, node: &Node, s: &mut Settings) {
        let items = match &node.value {
            Value::Seq(items) => items,
            Value::Null => return,
            _ => {
                self.type_error(node, "settings.ignore", "a list of patterns and waivers");
                return;
            }
        };
        for item in items {
            if matches!(item.value, Value::Map(_)) {
                if let Some(w) = self.waiver(item) {
                    s.waivers.push(w);
                }
                continue;
            }
            let Some(pattern) = self.nonempty_string(item, "settings.ignore") else {
                continue;
            };
            if s.ignore.iter().any(|p| p.value == pattern.value) {
                self.error(
                    item,
                    format!("`{}` is listed twice in `settings.ignore`", pattern.value),
                    "listed again here",
                    None,
                );
                continue;
            }
            s.ignore.push(pattern);
        }
    }

    /// One waiver: what it hides (`resource`, `rule`, `fingerprint`: all
    /// those given must match), why (`reason`) and until when (`expires`).
    fn waiver(&mut self, node: &Node) -> Option<Waiver> {
        let what = "a waiver of `settings.ignore`";
        let fields = self.mapping(node, what, Some(super::WAIVER_KEYS));
        let resource = fields
            .get("resource")
            .and_then(|(_, v)| self.nonempty_string(v, "settings.ignore[].resource"));
        let rule = fields.get("rule").and_then(|(_, v)| {
            let text = self.nonempty_string(v, "settings.ignore[].rule")?;
            match rules::find(&text.value) {
                Some(r) => Some(Sp::new(r.id, text.loc)),
                None => {
                    let ids: Vec<&str> = rules::all().map(|r| r.id.as_str()).collect();
                    let help = suggest(&text.value, &ids)
                        .map(|s| format!("did you mean `{s}`?"))
                        .or_else(|| Some("`drift rules` lists every rule id".to_string()));
                    self.error(
                        v,
                        format!("unknown rule `{}`", text.value),
                        "unknown rule",
                        help,
                    );
                    None
                }
            }
        });
        let fingerprint = fields.get("fingerprint").and_then(|(_, v)| {
            let text = self.nonempty_string(v, "settings.ignore[].fingerprint")?;
            if text.value.len() == 16 && text.value.bytes().all(|b| b.is_ascii_hexdigit()) {
                Some(Sp::new(text.value.to_ascii_lowercase(), text.loc))
            } else {
                self.error(
                    v,
                    format!("`{}` is not a finding's fingerprint", text.value),
                    "expected 16 hexadecimal digits",
                    Some("copy `fingerprint` from the JSON report's finding".to_string()),
                );
                None
            }
        });
        let reason = match fields.get("reason") {
            Some((_, v)) => self.nonempty_string(v, "settings.ignore[].reason"),
            None => {
                self.error(
                    node,
                    "a waiver needs a `reason`".to_string(),
                    "no reason",
                    Some("say why the findings are accepted, and who accepted them".to_string()),
                );
                None
            }
        };
        let expires = fields.get("expires").and_then(|(_, v)| {
            let text = match &v.value {
                Value::Str(t) => t.clone(),
                _ => String::new(),
            };
            match crate::time::parse_date(&text) {
                Some(day) => Some(Sp::new(day, v.loc)),
                None => {
                    self.error(
                        v,
                        "`expires` must be a date, `YYYY-MM-DD`".to_string(),
                        "not a date",
                        Some("the last day the waiver holds, such as \"2027-03-31\"".to_string()),
                    );
                    None
                }
            }
        });
        let matcher_given = ["resource", "rule", "fingerprint"]
            .iter()
            .any(|k| fields.contains_key(*k));
        if !matcher_given {
            self.error(
                node,
                "a waiver names what it hides".to_string(),
                "matches nothing",
                Some("give `resource` (a pattern), `rule`, `fingerprint`, or several".to_string()),
            );
            return None;
        }
        if resource.is_none() && rule.is_none() && fingerprint.is_none() {
            return None;
        }
        Some(Waiver {
            loc: node.loc,
            resource,
            rule,
            fingerprint,
            reason: reason?,
            expires,
        })
    }

    pub(super) fn settings(&mut self, node: &Node) -> Settings {
        let fields = self.mapping(node, "settings", Some(KEYS.settings));
        let mut s = Settings {
            declared: fields
                .iter()
                .map(|(k, (key, _))| Sp::new(k.to_string(), key.loc))
                .collect(),
            ..Settings::default()
        };
        for (key, slot) in [
            ("unmanaged", &mut s.unmanaged),
            ("provisioned", &mut s.provisioned),
        ] {
            let Some((_, v)) = fields.get(key) else {
                continue;
            };
            match &v.value {
                Value::Str(x) if x == "report" => *slot = Unmanaged::Report,
                Value::Str(x) if x == "ignore" => *slot = Unmanaged::Ignore,
                _ => self.error(
                    v,
                    format!("`settings.{key}` must be `report` or `ignore`"),
                    "expected `report` or `ignore`",
                    None,
                ),
            }
        }
        if let Some((_, v)) = fields.get("ignore") {
            self.ignore(v, &mut s);
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
