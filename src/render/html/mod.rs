//! `report.html`, the nightly report: self-contained (no external assets),
//! readable without script and from disk. The verdict and the trend first (a
//! chart of findings per severity over the runs of `history.json`), then the
//! findings grouped by resource, each with what changed as a diff or side by
//! side, its source, the baseline line, who did it, and how to fix it. A small
//! script adds filters kept in the URL's fragment.

mod chart;

use super::{Report, Who};
use crate::finding::{Finding, Origin, Severity};
use crate::trend::Status;
use serde_json::Value;
use std::fmt::Write;

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("script.js");

pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Text with `backticked` spans as code, the rest escaped.
fn inline(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    // An odd backtick out: shown as it is.
    if parts.len().is_multiple_of(2) {
        return esc(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", esc(part));
        } else {
            out.push_str(&esc(part));
        }
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A value for people: strings as they are, documents pretty-printed.
fn pretty(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(_) | Value::Array(_) => {
            serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
        }
        other => other.to_string(),
    }
}

fn value_html(v: &Value) -> String {
    match v {
        Value::Null => "<span class=\"absent\">absent</span>".to_string(),
        Value::Object(_) | Value::Array(_) => format!("<pre>{}</pre>", esc(&pretty(v))),
        other => format!("<code>{}</code>", esc(&pretty(other))),
    }
}

fn is_document(v: &Value) -> bool {
    matches!(v, Value::Object(_) | Value::Array(_))
}

/// A unified diff as lines marked added, removed or hunk headers.
fn diff_html(diff: &str) -> String {
    let mut out = String::from("<pre class=\"diff\">");
    for line in diff.lines() {
        let class = if line.starts_with("+++") || line.starts_with("---") || line.starts_with("@@")
        {
            "hunk"
        } else if line.starts_with('+') {
            "add"
        } else if line.starts_with('-') {
            "del"
        } else {
            ""
        };
        if class.is_empty() {
            let _ = writeln!(out, "{}", esc(line));
        } else {
            let _ = write!(out, "<span class=\"{class}\">{}</span>", esc(line));
        }
    }
    out.push_str("</pre>");
    out
}

/// A line diff of two documents, pretty-printed (expected on the minus side).
fn document_diff(expected: &Value, observed: &Value) -> String {
    let (a, b) = (pretty(expected), pretty(observed));
    similar::TextDiff::from_lines(&a, &b)
        .unified_diff()
        .context_radius(3)
        .header("expected", "observed")
        .to_string()
}

/// What changed: a diff when there is one (policy documents, or two
/// documents), else the two values side by side.
fn change(f: &Finding) -> String {
    if f.expected.is_null() && f.observed.is_null() {
        return String::new();
    }
    let diff = match &f.diff {
        Some(d) => Some(d.clone()),
        None if is_document(&f.expected) && is_document(&f.observed) => {
            Some(document_diff(&f.expected, &f.observed))
        }
        None => None,
    };
    let values = format!(
        "<table class=\"values\"><tbody><tr><th scope=\"row\">expected</th><td>{}</td></tr><tr><th scope=\"row\">observed</th><td>{}</td></tr></tbody></table>",
        value_html(&f.expected),
        value_html(&f.observed)
    );
    match diff {
        Some(d) => format!(
            "{}<p class=\"diff-note\">− expected (baseline), + observed</p><details class=\"documents\"><summary>Both documents in full</summary>{values}</details>",
            diff_html(&d)
        ),
        None => values,
    }
}

/// How to fix, console first, then the CLI and Terraform.
fn fix(help: &str) -> String {
    let mut labelled: Vec<(usize, &str, &str)> = Vec::new();
    let mut plain: Vec<&str> = Vec::new();
    for line in help.lines().filter(|l| !l.trim().is_empty()) {
        let known = [
            ("console", 0, "Console"),
            ("cli", 1, "CLI"),
            ("terraform", 2, "Terraform"),
        ];
        match line.split_once(": ").and_then(|(label, text)| {
            known
                .iter()
                .find(|(k, _, _)| *k == label.trim())
                .map(|(_, rank, name)| (*rank, *name, text))
        }) {
            Some(entry) => labelled.push(entry),
            None => plain.push(line),
        }
    }
    labelled.sort_by_key(|(rank, _, _)| *rank);
    let mut out = String::from("<details class=\"fix\"><summary>How to fix</summary><dl>");
    for (rank, name, text) in labelled {
        let body = if rank == 1 {
            format!("<pre><code>{}</code></pre>", esc(text))
        } else {
            inline(text)
        };
        let _ = write!(out, "<dt>{name}</dt><dd>{body}</dd>");
    }
    for line in plain {
        let _ = write!(out, "<dt>Note</dt><dd>{}</dd>", inline(line));
    }
    out.push_str("</dl></details>");
    out
}

fn who_html(who: Who<'_>) -> Option<String> {
    match who {
        Who::NotSearched => None,
        Who::NotFound => {
            Some("no CloudTrail event explains it (none in the logs read)".to_string())
        }
        Who::Found(a) => {
            let mut out = String::from("<ol>");
            for e in &a.events {
                let _ = write!(out, "<li>{}</li>", esc(&super::event_line(e)));
            }
            out.push_str("</ol>");
            if a.matched > a.events.len() {
                let _ = write!(
                    out,
                    "<small>{} earlier matching event{} not shown</small>",
                    a.matched - a.events.len(),
                    if a.matched - a.events.len() == 1 {
                        ""
                    } else {
                        "s"
                    }
                );
            }
            Some(out)
        }
    }
}

fn source(origin: &Origin) -> String {
    match origin {
        Origin::Plan { address, actions } => format!(
            "plan <code>{}</code> ({})",
            esc(address),
            esc(&actions.join(", "))
        ),
        Origin::Refresh { address } => {
            format!("terraform refresh, <code>{}</code>", esc(address))
        }
        Origin::State { address } => format!("state <code>{}</code>", esc(address)),
        Origin::Live { arn } => format!("live account <code>{}</code>", esc(arn)),
    }
}

fn finding(report: &Report, f: &Finding, status: Option<Status>, out: &mut String) {
    let kind = f.resource.leaf_kind().as_str();
    let _ = write!(
        out,
        "<article class=\"finding\" data-severity=\"{}\" data-kind=\"{}\" data-rule=\"{}\"{}>",
        f.severity,
        esc(kind),
        f.rule,
        status
            .map(|s| format!(" data-status=\"{}\"", s.as_str()))
            .unwrap_or_default()
    );
    let _ = write!(
        out,
        "<h4><span class=\"sev {s}\">{s}</span> <span class=\"rule\">{}</span>{}</h4>",
        f.rule,
        status
            .map(|s| format!(
                " <span class=\"status {0}\">{0} since the last run</span>",
                s.as_str()
            ))
            .unwrap_or_default(),
        s = f.severity,
    );
    let _ = write!(out, "<p class=\"message\">{}</p>", inline(&f.message));
    out.push_str("<dl class=\"facts\">");
    if let Some(field) = &f.field {
        let _ = write!(out, "<dt>field</dt><dd><code>{}</code></dd>", esc(field));
    }
    let _ = write!(out, "<dt>source</dt><dd>{}</dd>", source(&f.source));
    if let Some(loc) = f.baseline_location {
        let _ = write!(
            out,
            "<dt>baseline</dt><dd><code>{}:{}:{}</code></dd>",
            esc(report.baseline_path),
            loc.line,
            loc.column
        );
    }
    if let Some(who) = who_html(report.who(f)) {
        let _ = write!(out, "<dt>who</dt><dd>{who}</dd>");
    }
    out.push_str("</dl>");
    out.push_str(&change(f));
    out.push_str(&fix(&f.help));
    out.push_str("</article>\n");
}

fn verdict(report: &Report, out: &mut String) {
    let total = report.findings.len();
    let failing = report
        .findings
        .iter()
        .filter(|f| f.severity >= report.fail_on)
        .count();
    let (class, word) = if failing > 0 {
        (
            "fail",
            format!(
                "Fails: {} at or above {}",
                plural(failing, "finding", "findings"),
                report.fail_on
            ),
        )
    } else if !report.complete {
        (
            "partial",
            format!(
                "Passes, on a partial plan: no finding at or above {}",
                report.fail_on
            ),
        )
    } else if total == 0 {
        ("pass", "Passes: no drift from the baseline".to_string())
    } else {
        (
            "pass",
            format!("Passes: no finding at or above {}", report.fail_on),
        )
    };
    let _ = write!(
        out,
        "<header class=\"verdict {class}\" id=\"verdict\" data-verdict=\"{class}\"><div class=\"wrap\"><h1>IAM drift report</h1><p class=\"word\">{}</p>",
        esc(&word)
    );
    let counts: Vec<String> = Severity::ALL
        .iter()
        .map(|&s| format!("{} {s}", report.count(s)))
        .collect();
    let _ = write!(
        out,
        "<p class=\"counts\">{}{}{}</p>",
        plural(total, "finding", "findings"),
        if total > 0 {
            format!(": {}", counts.join(", "))
        } else {
            String::new()
        },
        if report.out_of_scope > 0 {
            format!(
                " · {} out of scope",
                plural(report.out_of_scope, "baseline entry", "baseline entries")
            )
        } else {
            String::new()
        }
    );
    if !report.complete {
        out.push_str("<p class=\"counts\">The plan is not complete: Terraform deferred changes to other resources to a later plan.</p>");
    }
    let sources: Vec<String> = report
        .sources
        .iter()
        .map(|s| match &s.path {
            Some(p) => format!("{} <code>{}</code>", s.kind, esc(p)),
            None => s.kind.to_string(),
        })
        .collect();
    let _ = write!(
        out,
        "<p class=\"meta\">baseline <code>{}</code> · {}{} · drift {}</p></div></header>",
        esc(report.baseline_path),
        sources.join(", "),
        report
            .generated_at
            .map(|t| format!(" · made {}", esc(t)))
            .unwrap_or_default(),
        env!("CARGO_PKG_VERSION")
    );
    out.push('\n');
}

fn trend(report: &Report, out: &mut String) {
    out.push_str("<section aria-labelledby=\"trend-h\"><h2 id=\"trend-h\">Trend</h2>");
    match (report.trend, report.history.and_then(|h| h.previous())) {
        (Some(t), previous) => {
            let _ = write!(
                out,
                "<p class=\"trend-line\" id=\"trend\">Since the last run{}: <b{}>{}</b> new, <b>{}</b> persisting, <b>{}</b> resolved.</p>",
                previous
                    .map(|r| format!(" ({})", crate::time::rfc3339(r.at)))
                    .unwrap_or_default(),
                if t.count(Status::New) > 0 {
                    " class=\"new\""
                } else {
                    ""
                },
                t.count(Status::New),
                t.count(Status::Persisting),
                t.resolved.len()
            );
        }
        (None, _) => out.push_str(
            "<p class=\"trend-line\" id=\"trend\">No earlier run to compare with: give <code>--previous</code> the report.json of the last run to follow new and resolved findings.</p>",
        ),
    }
    if let Some(h) = report.history.filter(|h| !h.runs.is_empty()) {
        let _ = write!(
            out,
            "<figure>{}<figcaption>{}</figcaption></figure><details class=\"numbers\"><summary>The numbers of each run</summary><div class=\"table-scroll\">{}</div></details>",
            chart::svg(h),
            chart::legend(),
            chart::table(h)
        );
    }
    out.push_str("</section>\n");
}

fn findings(report: &Report, out: &mut String) {
    out.push_str("<section aria-labelledby=\"findings-h\" id=\"findings\"><h2 id=\"findings-h\">Findings</h2>");
    out.push_str("<ul class=\"summary\" id=\"summary\">");
    for s in Severity::ALL {
        let _ = write!(
            out,
            "<li><span class=\"sev {s}\">{s}</span><b>{}</b></li>",
            report.count(s)
        );
    }
    out.push_str("</ul>");
    if report.findings.is_empty() {
        out.push_str("<p class=\"empty\" id=\"empty\">No drift from the baseline: everything the baseline declares was read and matches.</p></section>\n");
        return;
    }
    out.push_str("<form class=\"filters\" id=\"filters\" hidden role=\"search\" aria-label=\"Filter the findings\">");
    out.push_str(
        "<label>Severity at least<select name=\"severity\"><option value=\"\">any</option>",
    );
    for s in Severity::ALL {
        let _ = write!(out, "<option value=\"{s}\">{s}</option>");
    }
    out.push_str("</select></label><label>Resource kind<select name=\"kind\"><option value=\"\">any</option></select></label>");
    if report.trend.is_some() {
        out.push_str("<label>Since the last run<select name=\"status\"><option value=\"\">any</option><option value=\"new\">new</option><option value=\"persisting\">persisting</option></select></label>");
    }
    out.push_str("<label>Text<input type=\"search\" name=\"q\" placeholder=\"name, rule, ARN…\"></label><output id=\"shown\" aria-live=\"polite\"></output></form>\n");
    for (i, (resource, list)) in super::by_resource(report.findings).into_iter().enumerate() {
        let kind = list
            .first()
            .map(|f| f.resource.leaf_kind().as_str())
            .unwrap_or_default();
        let _ = write!(
            out,
            "<section class=\"resource\" data-kind=\"{}\" data-resource=\"{}\" aria-labelledby=\"r{i}\"><h3 id=\"r{i}\"><code>{}</code><span class=\"count\">{}</span></h3>",
            esc(kind),
            esc(resource),
            esc(resource),
            plural(list.len(), "finding", "findings"),
        );
        out.push('\n');
        for f in list {
            let status = report
                .trend
                .and_then(|t| report.index_of(f).and_then(|at| t.status.get(at)).copied());
            finding(report, f, status, out);
        }
        out.push_str("</section>\n");
    }
    out.push_str("</section>\n");
}

fn resolved(report: &Report, out: &mut String) {
    let Some(t) = report.trend.filter(|t| !t.resolved.is_empty()) else {
        return;
    };
    out.push_str("<section aria-labelledby=\"resolved-h\"><h2 id=\"resolved-h\">Resolved since the last run</h2><div class=\"table-scroll\"><table id=\"resolved\"><thead><tr><th scope=\"col\">severity</th><th scope=\"col\">rule</th><th scope=\"col\">resource</th><th scope=\"col\">finding</th></tr></thead><tbody>");
    for p in &t.resolved {
        let _ = write!(
            out,
            "<tr><td><span class=\"sev {0}\">{0}</span></td><td><span class=\"rule\">{1}</span></td><td><code>{2}</code></td><td>{3}</td></tr>",
            esc(&p.severity),
            esc(&p.rule),
            esc(&p.resource),
            inline(&p.message)
        );
    }
    out.push_str("</tbody></table></div></section>\n");
}

pub fn render(report: &Report) -> String {
    let mut out = String::with_capacity(8192 + report.findings.len() * 2048);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>IAM drift report</title>\n");
    let _ = write!(out, "<style>{STYLE}</style>\n</head>\n<body>\n");
    out.push_str("<a class=\"skip\" href=\"#findings\">Skip to the findings</a>\n");
    verdict(report, &mut out);
    out.push_str("<main class=\"wrap\">\n");
    trend(report, &mut out);
    findings(report, &mut out);
    resolved(report, &mut out);
    out.push_str("</main>\n");
    let _ = write!(
        out,
        "<footer><div class=\"wrap\">Made by drift {}. Rules and fixes: <code>drift rules RULE-ID</code>.</div></footer>",
        env!("CARGO_PKG_VERSION")
    );
    out.push('\n');
    let _ = write!(out, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
    out
}
