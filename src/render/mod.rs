//! Renderers: one module per output format, each over the same findings, and the
//! text of `drift rules`.

pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod markdown;
pub mod rules;
pub mod sarif;
pub mod text;

use crate::finding::{Finding, Severity};
use crate::identity::RuleId;
use crate::observation::SourceInfo;
use crate::trend::Trend;

/// Everything a renderer needs besides the findings.
#[derive(Debug, Clone)]
pub struct Report<'a> {
    pub baseline_path: &'a str,
    pub complete: bool,
    pub sources: &'a [SourceInfo],
    pub out_of_scope: usize,
    pub findings: &'a [Finding],
    /// The `--fail-on` threshold, for the verdict of the markdown summary.
    pub fail_on: Severity,
    /// New, persisting and resolved findings since the previous report.
    pub trend: Option<&'a Trend>,
}

impl Report<'_> {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }
}

/// Findings grouped by resource, groups in the order of their most severe
/// finding (then by resource), findings in each group most severe first. One
/// pass with an index: linear in the number of findings.
pub(crate) fn by_resource(findings: &[Finding]) -> Vec<(&str, Vec<&Finding>)> {
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut groups: Vec<(&str, Vec<&Finding>)> = Vec::new();
    for f in findings {
        let key = f.resource.as_str();
        match index.get(key) {
            Some(&i) => groups[i].1.push(f),
            None => {
                index.insert(key, groups.len());
                groups.push((key, vec![f]));
            }
        }
    }
    for (_, list) in &mut groups {
        list.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
    groups.sort_by(|(ra, a), (rb, b)| {
        let sa = a.iter().map(|f| f.severity).max();
        let sb = b.iter().map(|f| f.severity).max();
        sb.cmp(&sa).then(ra.cmp(rb))
    });
    groups
}

/// The distinct fixes of each rule, rules in the order of their first
/// finding. A fix may name its object, so one rule can have several.
pub(crate) fn fixes_by_rule(findings: &[Finding]) -> Vec<(RuleId, Vec<&str>)> {
    let mut rules: Vec<(RuleId, Vec<&str>)> = Vec::new();
    for f in findings {
        match rules.iter_mut().find(|(r, _)| *r == f.rule) {
            Some((_, helps)) => {
                if !helps.contains(&f.help.as_str()) {
                    helps.push(&f.help);
                }
            }
            None => rules.push((f.rule, vec![&f.help])),
        }
    }
    rules
}

/// How many distinct fixes of one rule are shown; the others are counted.
pub(crate) const FIXES_SHOWN: usize = 3;

/// An output format of `drift check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For a terminal or a log; `color` adds ANSI colors.
    Human {
        color: bool,
    },
    Json,
    Sarif,
    Markdown,
    Github,
    Html,
}

/// The one renderer dispatch.
pub fn render(format: Format, report: &Report) -> String {
    match format {
        Format::Human { color } => human::render(report, color),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Markdown => markdown::render(report),
        Format::Github => github::render(report),
        Format::Html => html::render(report),
    }
}
