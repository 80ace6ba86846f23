//! The human output: grouped by resource, most severe first, a summary at the end.

use super::text::{line_start, visible, wrap};
use super::Report;
use crate::finding::Severity;
use serde_json::Value;
use std::fmt::Write;

struct Paint(bool);

impl Paint {
    fn sev(&self, s: Severity) -> String {
        if !self.0 {
            return format!("{s:<9}");
        }
        let code = match s {
            Severity::Critical => "1;31",
            Severity::High => "31",
            Severity::Medium => "33",
            Severity::Low => "36",
            Severity::Info => "2",
        };
        format!("\x1b[{code}m{s:<9}\x1b[0m")
    }
    fn bold(&self, text: &str) -> String {
        if self.0 {
            format!("\x1b[1m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn dim(&self, text: &str) -> String {
        if self.0 {
            format!("\x1b[2m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

fn value(v: &Value) -> String {
    match v {
        Value::Null => "absent".to_string(),
        Value::String(s) => visible(s).into_owned(),
        // JSON escapes C0 controls, not DEL, C1 controls or bidirectional
        // overrides: those are escaped here, as in every other text.
        other => visible(&other.to_string()).into_owned(),
    }
}

fn indent(text: &str, pad: &str) -> String {
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(pad);
        }
        out.push_str(line);
    }
    out
}

/// Columns of the labels (`    expected: `) before a field's value.
const LABEL: usize = 14;

pub fn render(report: &Report, color: bool, width: Option<usize>) -> String {
    // Narrower than this, wrapping helps nobody.
    let width = width.map(|w| w.max(40));
    let p = Paint(color);
    let field = |label: &str, text: &str| -> String {
        format!("    {label:<9} {}", wrap(text, LABEL, LABEL, width))
    };
    let mut out = String::new();
    for (_, findings) in super::by_resource(report.findings) {
        let resource = findings
            .first()
            .map(|f| super::heading(f))
            .unwrap_or_default();
        let heading = if findings.first().is_some_and(|f| super::is_proposal(f)) {
            format!("{} (proposed baseline)", line_start(&resource))
        } else {
            line_start(&resource).into_owned()
        };
        let _ = writeln!(out, "{}", p.bold(&heading));
        for f in findings {
            // The message continues under itself when that leaves room,
            // else under the severity.
            let used = 2 + 9 + 1 + f.rule.as_str().len() + 2;
            let hang = if width.is_some_and(|w| w >= used + 40) {
                used
            } else {
                4
            };
            let _ = writeln!(
                out,
                "  {} {}  {}",
                p.sev(f.severity),
                f.rule,
                wrap(&visible(&f.message), used, hang, width)
            );
            if let Some(name) = &f.field {
                let _ = writeln!(out, "{}", field("field:", &visible(name)));
            }
            if !(f.expected.is_null() && f.observed.is_null()) {
                // Two long documents look alike cut short: the diff below
                // shows what changed, so they are shortened when it follows.
                let limit = if f.diff.is_some() { SHORT } else { usize::MAX };
                let _ = writeln!(
                    out,
                    "    expected: {}",
                    indent(&shorten(value(&f.expected), limit), "              ")
                );
                let _ = writeln!(
                    out,
                    "    observed: {}",
                    indent(&shorten(value(&f.observed), limit), "              ")
                );
            }
            if let Some(diff) = &f.diff {
                let _ = writeln!(out, "    diff:");
                for line in diff.lines() {
                    let _ = writeln!(out, "      {}", visible(line));
                }
            }
            let _ = writeln!(out, "{}", field("source:", &visible(&f.source.label())));
            if let Some(who) = super::who_text(report.who(f)) {
                let _ = writeln!(out, "{}", field("who:", &visible(&who)));
            }
            if let Some(loc) = f.baseline_location {
                let _ = writeln!(
                    out,
                    "    baseline: {}:{}:{}",
                    visible(report.baseline_of(f)),
                    loc.line,
                    loc.column
                );
            }
        }
        out.push('\n');
    }
    out.push_str(&fixes(report, &p, width));
    if let Some(runs) = report.accounts {
        out.push_str(&accounts(runs, &p));
    }
    out.push_str(&wrap(&summary(report), 0, 2, width));
    out.push('\n');
    out
}

/// Values longer than this are shortened when a diff follows.
const SHORT: usize = 120;

fn shorten(text: String, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text;
    }
    let mut short: String = text.chars().take(limit).collect();
    short.push('…');
    short
}

/// How to fix, once per rule, after the findings: each distinct fix of a rule
/// (fixes name their object), the first three, the others counted.
fn fixes(report: &Report, p: &Paint, width: Option<usize>) -> String {
    let rules = super::fixes_by_rule(report.findings);
    if rules.is_empty() {
        return String::new();
    }
    let mut out = String::from("How to fix\n");
    for (rule, helps) in rules {
        let _ = writeln!(out, "  {}", p.bold(rule.as_str()));
        for help in helps.iter().take(super::FIXES_SHOWN) {
            for (i, line) in help.lines().enumerate() {
                let lead = if i == 0 { "  - " } else { "    " };
                // `console: …`: later lines start under the text after the label.
                let label = line.find(": ").map_or(0, |i| i + 2);
                let text = wrap(&visible(line), 6, 6 + label, width);
                let _ = writeln!(out, "  {lead}{}", p.dim(&text));
            }
        }
        if helps.len() > super::FIXES_SHOWN {
            let _ = writeln!(
                out,
                "    … and {} more like these",
                helps.len() - super::FIXES_SHOWN
            );
        }
    }
    out.push('\n');
    out
}

/// The accounts of a run over several, as a table.
fn accounts(runs: &[crate::accounts::AccountRun], p: &Paint) -> String {
    if runs.is_empty() {
        return format!("{}: none judged\n", p.bold("Accounts"));
    }
    let lines = super::account_lines(runs);
    let head = ["account", "status", "findings", "why"];
    let mut widths = head.map(str::len);
    for line in &lines {
        for (w, cell) in widths.iter_mut().zip(line) {
            *w = (*w).max(visible(cell).chars().count());
        }
    }
    let mut out = format!("{}\n", p.bold("Accounts"));
    let row = |cells: [&str; 4]| {
        let mut text = format!(
            "  {:<a$}  {:<b$}  {:<c$}  {}",
            cells[0],
            cells[1],
            cells[2],
            cells[3],
            a = widths[0],
            b = widths[1],
            c = widths[2]
        );
        text.truncate(text.trim_end().len());
        text
    };
    let _ = writeln!(out, "{}", row(head));
    for line in &lines {
        let cells = line.each_ref().map(|c| visible(c).into_owned());
        let _ = writeln!(out, "{}", row(cells.each_ref().map(String::as_str)));
    }
    out.push('\n');
    out
}

/// The one-line summary.
pub fn summary(report: &Report) -> String {
    let total = report.findings.len();
    let mut line = if total == 0 {
        "no drift".to_string()
    } else {
        format!(
            "{total} finding{}: {}",
            if total == 1 { "" } else { "s" },
            report.counts()
        )
    };
    if !report.waived.is_empty() {
        let _ = write!(
            line,
            "; {} waived by settings.ignore (listed in the JSON and HTML reports)",
            report.waived.len()
        );
    }
    if let Some(runs) = report.accounts {
        let by: Vec<String> = crate::accounts::by_status(runs)
            .into_iter()
            .map(|(s, n)| format!("{n} {s}"))
            .collect();
        if runs.is_empty() {
            line.push_str("; no account judged");
        } else {
            let _ = write!(
                line,
                "; {} account{}: {}",
                runs.len(),
                if runs.len() == 1 { "" } else { "s" },
                by.join(", ")
            );
        }
        if !report.complete {
            line.push_str(" (accounts not read are not judged: the run fails)");
        }
    } else if !report.complete {
        line.push_str("; the source is not complete (Terraform deferred changes to other resources to a later plan)");
    }
    // With several accounts, each report's age is in the JSON report.
    for t in report
        .sources
        .iter()
        .filter(|_| report.accounts.is_none())
        .filter_map(|s| s.credential_report.as_ref())
    {
        let _ = write!(line, "; {}", t.describe());
    }
    if report.out_of_scope > 0 {
        let _ = write!(
            line,
            "; {} baseline entr{} out of scope",
            report.out_of_scope,
            if report.out_of_scope == 1 { "y" } else { "ies" }
        );
    }
    line
}
