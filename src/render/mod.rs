//! Renderers: one module per output format, each over the same findings, and the
//! text of `drift rules`.

pub mod events;
pub mod github;
pub mod history;
pub mod html;
pub mod human;
pub mod json;
pub mod markdown;
pub mod rules;
pub mod sarif;
pub mod text;

use crate::events::attribute::Attribution;
use crate::events::Event;
use crate::finding::{Finding, Severity};
use crate::history::History;
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
    /// With `--cloudtrail`: per finding (in order), the events that explain it.
    pub attribution: Option<&'a [Option<Attribution<'a>>]>,
    /// When the report was made (`drift report`), RFC 3339.
    pub generated_at: Option<&'a str>,
    /// The runs of `drift report` so far, this one last (`history.json`).
    pub history: Option<&'a History>,
    /// Findings the baseline's waivers hide, with their reasons.
    pub waived: &'a [crate::triage::Waived],
    /// Where the plan's resources are declared (`--terraform-dir`).
    pub declarations: Option<&'a crate::declaration::Declarations>,
    /// With several accounts (`--accounts`, `--org`): how each ended.
    pub accounts: Option<&'a [crate::accounts::AccountRun]>,
}

/// What CloudTrail says of one finding.
#[derive(Debug, Clone, Copy)]
pub enum Who<'r> {
    /// No `--cloudtrail`: not searched.
    NotSearched,
    /// Searched, and no event explains it.
    NotFound,
    Found(&'r Attribution<'r>),
}

impl<'a> Report<'a> {
    /// A complete report of `findings` from `sources` against `baseline.yaml`,
    /// failing at medium, with nothing else (no trend, attribution, history,
    /// waivers or declarations): the fields a caller sets are changed with
    /// `Report { field, ..Report::of(...) }`, so that a field added later
    /// needs no edit where it is not used.
    pub fn of(sources: &'a [SourceInfo], findings: &'a [Finding]) -> Report<'a> {
        Report {
            baseline_path: "baseline.yaml",
            complete: true,
            sources,
            out_of_scope: 0,
            findings,
            fail_on: Severity::Medium,
            trend: None,
            attribution: None,
            generated_at: None,
            history: None,
            waived: &[],
            declarations: None,
            accounts: None,
        }
    }

    /// The baseline file that declared what a finding is about: its
    /// account's own with several accounts, else the run's.
    pub fn baseline_of(&self, f: &Finding) -> &'a str {
        let file = f.baseline_location.map_or(0, |l| l.file);
        self.baseline_file(f.resource.account(), file)
    }

    /// Baseline file number `file` of `account` (0 the run's or the shared
    /// one, 1 the account's own).
    pub fn baseline_file(&self, account: &str, file: u16) -> &'a str {
        if account.is_empty() {
            return self.baseline_path;
        }
        self.accounts
            .and_then(|runs| {
                // Runs are listed by account id.
                let at = runs.binary_search_by(|r| r.id.as_str().cmp(account)).ok()?;
                runs.get(at)
            })
            .and_then(|r| r.baselines.get(usize::from(file)))
            .map_or(self.baseline_path, String::as_str)
    }

    /// The attribution of one of the report's findings, found by its place in
    /// `findings` (constant time, whatever order a renderer walks them in).
    pub fn who(&self, f: &Finding) -> Who<'a> {
        let Some(list) = self.attribution else {
            return Who::NotSearched;
        };
        match self.index_of(f).and_then(|at| list.get(at)) {
            Some(Some(a)) => Who::Found(a),
            _ => Who::NotFound,
        }
    }

    /// The place of one of the report's findings in `findings`, found by its
    /// address (constant time); `None` for a finding from elsewhere.
    pub fn index_of(&self, f: &Finding) -> Option<usize> {
        let start = self.findings.as_ptr() as usize;
        let at = (f as *const Finding as usize).wrapping_sub(start)
            / std::mem::size_of::<Finding>().max(1);
        self.findings
            .get(at)
            .filter(|g| std::ptr::eq(*g, f))
            .map(|_| at)
    }
}

/// How a resource is headed in a report: `user/alice`, or with several
/// accounts `user/alice (account 111122223333)`.
pub fn heading(f: &Finding) -> String {
    match f.resource.account() {
        "" => f.resource.as_str().to_string(),
        id => format!("{} (account {id})", f.resource.as_str()),
    }
}

/// The accounts of a run over several, one line each: id and name, status,
/// findings, and why it was not read.
pub fn account_lines(runs: &[crate::accounts::AccountRun]) -> Vec<[String; 4]> {
    runs.iter()
        .map(|r| {
            let found: usize = r.findings.iter().sum();
            let counts = if r.status == crate::accounts::Status::Read {
                let parts: Vec<String> = Severity::ALL
                    .iter()
                    .zip(r.findings)
                    .filter(|(_, n)| *n > 0)
                    .map(|(s, n)| format!("{n} {s}"))
                    .collect();
                if parts.is_empty() {
                    "no drift".to_string()
                } else {
                    format!("{found}: {}", parts.join(", "))
                }
            } else {
                "not judged".to_string()
            };
            [
                r.label(),
                r.status.as_str().to_string(),
                counts,
                r.reason.clone().unwrap_or_default(),
            ]
        })
        .collect()
}

/// One event in a line: what, who, with what, from where, when.
pub fn event_line(e: &Event) -> String {
    let mut out = format!("{} by {}", e.name, e.actor.label());
    if let Some(kind) = &e.actor.kind {
        out.push_str(&format!(" ({kind}"));
        if let Some(key) = &e.actor.access_key_id {
            out.push_str(&format!(", key {key}"));
        }
        out.push(')');
    }
    if let Some(issuer) = &e.actor.issuer {
        out.push_str(&format!(" via {issuer}"));
    }
    if let Some(tool) = e.caller() {
        out.push_str(&format!(" with {tool}"));
    }
    if let Some(ip) = &e.source_ip {
        out.push_str(&format!(" from {ip}"));
    }
    out.push_str(&format!(" at {}", crate::time::rfc3339(e.time)));
    out
}

/// The attribution of a finding in one or two lines of text, or `None` when
/// CloudTrail was not searched.
pub fn who_text(who: Who<'_>) -> Option<String> {
    match who {
        Who::NotSearched => None,
        Who::NotFound => {
            Some("no CloudTrail event explains it (none in the logs read)".to_string())
        }
        Who::Found(a) => {
            let mut text = a.events.first().map(|e| event_line(e)).unwrap_or_default();
            if a.matched > 1 {
                text.push_str(&format!(
                    "; {} earlier event{} too",
                    a.matched - 1,
                    if a.matched == 2 { "" } else { "s" }
                ));
            }
            Some(text)
        }
    }
}

impl Report<'_> {
    /// The account a live source read, for titles.
    pub fn account(&self) -> Option<&str> {
        self.sources.iter().find_map(|s| s.account.as_deref())
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// How many findings are at or above `--fail-on`: the verdict.
    pub fn failing(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity >= self.fail_on)
            .count()
    }

    /// "0 critical, 2 high, 0 medium, 0 low, 0 info".
    pub fn counts(&self) -> String {
        let counts: Vec<String> = Severity::ALL
            .iter()
            .map(|&s| format!("{} {s}", self.count(s)))
            .collect();
        counts.join(", ")
    }
}

/// Whether a finding is about the change's own baseline (`baseline-changed`):
/// such findings are grouped apart and shown first.
pub(crate) fn is_proposal(f: &Finding) -> bool {
    f.rule == RuleId::BASELINE_CHANGED
}

/// Findings grouped by resource, groups in the order of their most severe
/// finding (then by resource), findings in each group most severe first; the
/// edits of a proposed baseline come first, in groups of their own.
/// Sorting, not hashing: O(n log n) whatever names a plan gives its
/// resources.
pub(crate) fn by_resource(findings: &[Finding]) -> Vec<(&str, Vec<&Finding>)> {
    let mut order: Vec<&Finding> = findings.iter().collect();
    order.sort_by(|a, b| {
        is_proposal(b)
            .cmp(&is_proposal(a))
            .then_with(|| a.resource.account().cmp(b.resource.account()))
            .then_with(|| a.resource.as_str().cmp(b.resource.as_str()))
            .then_with(|| a.sort_key().cmp(&b.sort_key()))
    });
    let mut groups: Vec<(&str, Vec<&Finding>)> = Vec::new();
    for f in order {
        let key = f.resource.as_str();
        match groups.last_mut() {
            Some((last, list))
                if *last == key
                    && list[0].resource.account() == f.resource.account()
                    && is_proposal(list[0]) == is_proposal(f) =>
            {
                list.push(f)
            }
            _ => groups.push((key, vec![f])),
        }
    }
    // Each group starts with its most severe finding; groups are in the order
    // of their resource already, which a stable sort keeps among equals.
    groups.sort_by_key(|(_, list)| (!is_proposal(list[0]), std::cmp::Reverse(list[0].severity)));
    groups
}

/// The distinct fixes of each rule, rules in the order of their first
/// finding. A fix may name its object, so one rule can have several.
pub(crate) fn fixes_by_rule(findings: &[Finding]) -> Vec<(RuleId, Vec<&str>)> {
    use std::collections::{HashMap, HashSet};
    // Linear: every fix may name its object, so a rule can have as many
    // distinct fixes as findings; each is hashed once.
    let mut rules: Vec<(RuleId, Vec<&str>)> = Vec::new();
    let mut index: HashMap<RuleId, usize> = HashMap::new();
    let mut seen: HashSet<(RuleId, &str)> = HashSet::new();
    for f in findings {
        let at = *index.entry(f.rule).or_insert_with(|| {
            rules.push((f.rule, Vec::new()));
            rules.len() - 1
        });
        if seen.insert((f.rule, f.help.as_str())) {
            rules[at].1.push(&f.help);
        }
    }
    rules
}

/// How many distinct fixes of one rule are shown; the others are counted.
pub(crate) const FIXES_SHOWN: usize = 3;

/// An output format of `drift check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For a terminal or a log; `color` adds ANSI colors, `width` wraps lines
    /// at that many columns with hanging indents (a terminal's width).
    Human {
        color: bool,
        width: Option<usize>,
    },
    Json,
    Sarif,
    Markdown,
    Github,
    Html,
}

/// The report written to `w` as it is made: SARIF and JSON are serialized
/// straight into it, HTML a part at a time; the others are made whole first
/// (they are bounded, or small next to their findings).
pub fn write(format: Format, report: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    match format {
        Format::Sarif => sarif::write(report, w),
        Format::Json => json::write(report, w),
        Format::Html => html::write(report, w),
        other => w.write_all(render(other, report).as_bytes()),
    }
}

/// The one renderer dispatch.
pub fn render(format: Format, report: &Report) -> String {
    match format {
        Format::Human { color, width } => human::render(report, color, width),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Markdown => markdown::render(report),
        Format::Github => github::render(report),
        Format::Html => html::render(report),
    }
}
