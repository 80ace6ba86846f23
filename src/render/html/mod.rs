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
use std::borrow::Cow;
use std::fmt::Write;

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("script.js");

/// Escapes `s` for HTML as it is written: `&`, `<` and `>` always, quotes
/// too in attributes.
fn escape(f: &mut std::fmt::Formatter<'_>, s: &str, quotes: bool) -> std::fmt::Result {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let with = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' if quotes => "&quot;",
            b'\'' if quotes => "&#39;",
            _ => continue,
        };
        f.write_str(&s[start..i])?;
        f.write_str(with)?;
        start = i + 1;
    }
    f.write_str(&s[start..])
}

/// An attribute value (or any text), escaped as it is written.
pub(super) struct E<'a>(pub(super) &'a str);

impl std::fmt::Display for E<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        escape(f, self.0, true)
    }
}

/// Text between tags, escaped as it is written (quotes need no escape there).
pub(super) struct T<'a>(pub(super) &'a str);

impl std::fmt::Display for T<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        escape(f, self.0, false)
    }
}

/// Text with `backticked` spans as code, the rest escaped; an odd backtick
/// out leaves the text as it is.
struct Inline<'a>(&'a str);

impl std::fmt::Display for Inline<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self
            .0
            .bytes()
            .filter(|b| *b == b'`')
            .count()
            .is_multiple_of(2)
        {
            return T(self.0).fmt(f);
        }
        for (i, part) in self.0.split('`').enumerate() {
            if i % 2 == 1 {
                f.write_str("<code>")?;
                T(part).fmt(f)?;
                f.write_str("</code>")?;
            } else {
                T(part).fmt(f)?;
            }
        }
        Ok(())
    }
}

/// "1 finding", "2 findings", written as it is.
struct Plural<'a>(usize, &'a str, &'a str);

impl std::fmt::Display for Plural<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}",
            self.0,
            if self.0 == 1 { self.1 } else { self.2 }
        )
    }
}

/// A document (object or array), pretty-printed.
fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string())
}

/// Documents whose compact JSON is at most this long are shown on one line.
const ONE_LINE: usize = 72;

/// How a value is shown, and whether on several lines: a short document on
/// one line, a long one pretty-printed.
fn shown(v: &Value) -> (Cow<'_, str>, bool) {
    match v {
        Value::Object(_) | Value::Array(_) => {
            let compact = v.to_string();
            if compact.len() <= ONE_LINE {
                (Cow::Owned(compact), false)
            } else {
                (Cow::Owned(pretty(v)), true)
            }
        }
        Value::String(s) => (Cow::Borrowed(s), false),
        other => (Cow::Owned(other.to_string()), false),
    }
}

fn value_html(v: &Value, text: &(Cow<'_, str>, bool), out: &mut String) {
    match (v, text) {
        (Value::Null, _) => out.push_str("<span class=\"absent\">absent</span>"),
        (_, (t, true)) => {
            let _ = write!(out, "<pre>{}</pre>", T(t));
        }
        (_, (t, false)) => {
            let _ = write!(out, "<code>{}</code>", T(t));
        }
    }
}

fn is_document(v: &Value) -> bool {
    matches!(v, Value::Object(_) | Value::Array(_))
}

/// A unified diff as lines marked added, removed or hunk headers.
fn diff_html(diff: &str, out: &mut String) {
    out.push_str("<pre class=\"diff\">");
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
            let _ = writeln!(out, "{}", T(line));
        } else {
            let _ = write!(out, "<span class=\"{class}\">{}</span>", T(line));
        }
    }
    out.push_str("</pre>");
}

/// Documents shorter than this many lines (pretty-printed) read best side by
/// side; longer ones as a diff.
const DIFF_LINES: usize = 8;

/// What changed, ending the list of facts: a diff when there is one (policy
/// documents, or two long documents), else the two values.
fn change(f: &Finding, out: &mut String) {
    if f.expected.is_null() && f.observed.is_null() {
        out.push_str("</dl>");
        return;
    }
    let (expected, observed) = (shown(&f.expected), shown(&f.observed));
    let long = |t: &(Cow<'_, str>, bool)| {
        t.1 && t.0.bytes().filter(|b| *b == b'\n').count() + 1 >= DIFF_LINES
    };
    let diff = match &f.diff {
        Some(d) => Some(Cow::Borrowed(d.as_str())),
        None if is_document(&f.expected)
            && is_document(&f.observed)
            && (long(&expected) || long(&observed)) =>
        {
            // Both pretty-printed, expected on the minus side.
            let (a, b) = (pretty(&f.expected), pretty(&f.observed));
            Some(Cow::Owned(
                similar::TextDiff::from_lines(&a, &b)
                    .unified_diff()
                    .context_radius(3)
                    .header("expected", "observed")
                    .to_string(),
            ))
        }
        None => None,
    };
    match &diff {
        // The documents in full are one click away; the diff says what changed.
        Some(d) => {
            out.push_str("</dl>");
            diff_html(d, out);
            out.push_str("<p class=\"diff-note\">− expected (baseline), + observed</p><details class=\"documents\"><summary>Both documents in full</summary><dl class=\"facts\">");
            values(f, &expected, &observed, out);
            out.push_str("</dl></details>");
        }
        None => {
            values(f, &expected, &observed, out);
            out.push_str("</dl>");
        }
    }
}

fn values(
    f: &Finding,
    expected: &(Cow<'_, str>, bool),
    observed: &(Cow<'_, str>, bool),
    out: &mut String,
) {
    out.push_str("<dt>expected</dt><dd>");
    value_html(&f.expected, expected, out);
    out.push_str("</dd><dt>observed</dt><dd>");
    value_html(&f.observed, observed, out);
    out.push_str("</dd>");
}

/// How to fix, console first, then the CLI and Terraform.
fn fix(help: &str, out: &mut String) {
    const KNOWN: [(&str, &str); 3] = [
        ("console", "Console"),
        ("cli", "CLI"),
        ("terraform", "Terraform"),
    ];
    // `console: …`: the label, and the text after it.
    let label = |line: &str| -> Option<(usize, usize)> {
        KNOWN
            .iter()
            .position(|(k, _)| {
                line.as_bytes().get(k.len()..k.len() + 2) == Some(b": ") && line.starts_with(k)
            })
            .map(|rank| (rank, KNOWN[rank].0.len() + 2))
    };
    out.push_str("<details class=\"fix\"><summary>How to fix</summary><dl>");
    for (rank, (_, name)) in KNOWN.iter().enumerate() {
        for (line, at) in help
            .lines()
            .filter_map(|l| label(l).filter(|(r, _)| *r == rank).map(|(_, at)| (l, at)))
        {
            let text = &line[at..];
            if rank == 1 {
                let _ = write!(
                    out,
                    "<dt>{name}</dt><dd><pre><code>{}</code></pre></dd>",
                    T(text)
                );
            } else {
                let _ = write!(out, "<dt>{name}</dt><dd>{}</dd>", Inline(text));
            }
        }
    }
    for line in help
        .lines()
        .filter(|l| !l.trim().is_empty() && label(l).is_none())
    {
        let _ = write!(out, "<dt>Note</dt><dd>{}</dd>", Inline(line));
    }
    out.push_str("</dl></details>");
}

fn who_html(who: Who<'_>) -> Option<String> {
    match who {
        Who::NotSearched => None,
        Who::NotFound => super::who_text(who).map(|t| T(&t).to_string()),
        Who::Found(a) => {
            let mut out = String::from("<ol>");
            for e in &a.events {
                let _ = write!(out, "<li>{}</li>", T(&super::event_line(e)));
            }
            out.push_str("</ol>");
            if a.matched > a.events.len() {
                let _ = write!(
                    out,
                    "<small>{} not shown</small>",
                    Plural(
                        a.matched - a.events.len(),
                        "earlier matching event",
                        "earlier matching events"
                    )
                );
            }
            Some(out)
        }
    }
}

fn source(origin: &Origin, out: &mut String) {
    let _ = match origin {
        Origin::Plan { address, actions } => {
            let _ = write!(out, "plan <code>{}</code> (", T(address));
            for (i, a) in actions.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let _ = write!(out, "{}", T(a));
            }
            write!(out, ")")
        }
        Origin::Refresh { address } => {
            write!(out, "terraform refresh, <code>{}</code>", T(address))
        }
        Origin::State { address } => write!(out, "state <code>{}</code>", T(address)),
        Origin::Live { arn } => write!(out, "live account <code>{}</code>", T(arn)),
        Origin::Baseline { at, .. } => write!(out, "proposed baseline <code>{}</code>", T(at)),
        Origin::Settings => write!(out, "baseline <code>settings.ignore</code>"),
    };
}

/// One finding, its heading at `level` (one below its resource's).
fn finding(report: &Report, f: &Finding, status: Option<Status>, level: u8, out: &mut String) {
    let _ = write!(
        out,
        "<article class=\"finding\" data-severity=\"{}\"",
        f.severity.as_str()
    );
    if let Some(s) = status {
        let _ = write!(out, " data-status=\"{}\"", s.as_str());
    }
    let _ = write!(
        out,
        "><h{level}><span class=\"sev {s}\">{s}</span> <span class=\"rule\">{}</span>",
        f.rule.as_str(),
        s = f.severity.as_str(),
    );
    if let Some(s) = status {
        let _ = write!(
            out,
            " <span class=\"status {0}\">{0} since the last run</span>",
            s.as_str()
        );
    }
    let _ = write!(
        out,
        "</h{level}><p class=\"message\">{}</p><dl class=\"facts\">",
        Inline(&f.message)
    );
    if let Some(field) = &f.field {
        let _ = write!(out, "<dt>field</dt><dd><code>{}</code></dd>", T(field));
    }
    out.push_str("<dt>source</dt><dd>");
    source(&f.source, out);
    out.push_str("</dd>");
    if let Some(loc) = f.baseline_location {
        let _ = write!(
            out,
            "<dt>baseline</dt><dd><code>{}:{}:{}</code></dd>",
            T(report.baseline_of(f)),
            loc.line,
            loc.column
        );
    }
    if let Some(who) = who_html(report.who(f)) {
        let _ = write!(out, "<dt>who</dt><dd>{who}</dd>");
    }
    change(f, out);
    fix(&f.help, out);
    out.push_str("</article>\n");
}

fn verdict(report: &Report, out: &mut String) {
    let (total, failing) = (report.findings.len(), report.failing());
    let (class, word) = if failing > 0 {
        (
            "fail",
            format!(
                "Fails: {} at or above {}",
                Plural(failing, "finding", "findings"),
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
        "<header class=\"verdict {class}\" id=\"verdict\" data-verdict=\"{class}\"><div class=\"wrap\"><h1>IAM drift report{}</h1><p class=\"word\">{}</p>",
        report
            .account()
            .map(|a| format!(": account {}", T(a)))
            .unwrap_or_default(),
        T(&word)
    );
    let _ = write!(
        out,
        "<p class=\"counts\">{}{}{}</p>",
        Plural(total, "finding", "findings"),
        if total > 0 {
            format!(": {}", report.counts())
        } else {
            String::new()
        },
        if report.out_of_scope > 0 {
            format!(
                " · {} out of scope",
                Plural(report.out_of_scope, "baseline entry", "baseline entries")
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
        .map(|s| {
            let mut shown = match &s.path {
                Some(p) => format!("{} <code>{}</code>", s.kind, T(p)),
                None => s.kind.to_string(),
            };
            if let Some(t) = &s.credential_report {
                shown.push_str(&format!(" ({})", T(&t.describe())));
            }
            shown
        })
        .collect();
    let _ = write!(
        out,
        "<p class=\"meta\">baseline <code>{}</code> · {}{} · drift {}</p></div></header>",
        T(report.baseline_path),
        sources.join(", "),
        report
            .generated_at
            .map(|t| format!(" · made {}", T(t)))
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
            "<figure>{}<figcaption>{}</figcaption></figure><details class=\"numbers\"><summary>The numbers of each run</summary><div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"The numbers of each run, scrollable\">{}</div></details>",
            chart::svg(h),
            chart::legend(),
            chart::table(h)
        );
    }
    out.push_str("</section>\n");
}

/// With several accounts: how many ended each way, and each account's
/// status and findings by severity.
fn accounts(report: &Report, out: &mut String) {
    let Some(runs) = report.accounts else {
        return;
    };
    out.push_str("<section aria-labelledby=\"accounts-h\" id=\"accounts\"><h2 id=\"accounts-h\">Accounts</h2><ul class=\"summary\" id=\"account-status\">");
    for (status, n) in crate::accounts::by_status(runs) {
        let _ = write!(
            out,
            "<li><span class=\"status {status}\">{status}</span><b>{n}</b></li>"
        );
    }
    out.push_str("</ul>");
    if !crate::accounts::all_read(runs) {
        out.push_str("<p class=\"empty\">Accounts not read are not judged: the run failed.</p>");
    }
    out.push_str("<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Accounts, scrollable\"><table id=\"account-table\"><thead><tr><th scope=\"col\">account</th><th scope=\"col\">status</th>");
    for s in Severity::ALL {
        let _ = write!(out, "<th scope=\"col\">{s}</th>");
    }
    out.push_str("<th scope=\"col\">why</th></tr></thead><tbody>");
    for r in runs {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td>",
            if r.findings.iter().sum::<usize>() > 0 {
                format!(
                    "<a href=\"#{}\"><code>{}</code></a>",
                    E(&account_anchor(&r.id)),
                    T(&r.label())
                )
            } else {
                format!("<code>{}</code>", T(&r.label()))
            },
            r.status
        );
        for n in r.findings {
            let _ = write!(out, "<td>{n}</td>");
        }
        let _ = write!(
            out,
            "<td>{}</td></tr>",
            T(r.reason.as_deref().unwrap_or(""))
        );
    }
    out.push_str("</tbody></table></div></section>\n");
}

/// Hands what is made so far to the writer when it is large, so that a page
/// of many findings is never whole in memory.
type Spill<'s> = &'s mut dyn FnMut(&mut String);

fn findings(report: &Report, out: &mut String, spill: Spill<'_>) {
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
    if report.accounts.is_some_and(|runs| !runs.is_empty()) {
        out.push_str("<label>Account<select name=\"account\"><option value=\"\">any</option></select></label>");
    }
    if report.trend.is_some() {
        out.push_str("<label>Since the last run<select name=\"status\"><option value=\"\">any</option><option value=\"new\">new</option><option value=\"persisting\">persisting</option></select></label>");
    }
    out.push_str("<label>Text<input type=\"search\" name=\"q\" placeholder=\"name, rule, ARN…\"></label><output id=\"shown\" aria-live=\"polite\"></output></form>\n");
    let groups = super::by_resource(report.findings);
    match report.accounts.filter(|runs| !runs.is_empty()) {
        Some(runs) => by_account(report, runs, groups, out, spill),
        None => {
            for (i, (resource, list)) in groups.into_iter().enumerate() {
                resource_section(report, i, 3, resource, &list, out);
                spill(out);
            }
        }
    }
    out.push_str("</section>\n");
}

/// One resource's findings, its heading at `level` (3, or 4 in an
/// account's section).
fn resource_section(
    report: &Report,
    i: usize,
    level: u8,
    resource: &str,
    list: &[&Finding],
    out: &mut String,
) {
    let kind = list
        .first()
        .map(|f| f.resource.leaf_kind().as_str())
        .unwrap_or_default();
    let _ = write!(
        out,
        "<section class=\"resource\" data-kind=\"{}\" data-resource=\"{}\" aria-labelledby=\"r{i}\"><h{level} id=\"r{i}\"><code>{}</code><span class=\"count\">{}</span></h{level}>",
        E(kind),
        E(resource),
        T(&list
            .first()
            .map_or_else(|| resource.to_string(), |f| super::heading(f))),
        Plural(list.len(), "finding", "findings"),
    );
    out.push('\n');
    for f in list {
        let status = report
            .trend
            .and_then(|t| report.index_of(f).and_then(|at| t.status.get(at)).copied());
        finding(report, f, status, level + 1, out);
    }
    out.push_str("</section>\n");
}

/// The id of an account's section: `account-ID`, or `account-none` for
/// findings of no account.
fn account_anchor(id: &str) -> String {
    if id.is_empty() {
        "account-none".to_string()
    } else {
        format!("account-{id}")
    }
}

/// Over several accounts: a section per account with findings, in the order
/// of the accounts table (then findings of accounts the run did not list,
/// such as a plan's resources of an account without a baseline), each with
/// its findings by severity and its own history; resources in each as
/// without accounts.
fn by_account(
    report: &Report,
    runs: &[crate::accounts::AccountRun],
    groups: Vec<(&str, Vec<&Finding>)>,
    out: &mut String,
    spill: Spill<'_>,
) {
    let position: std::collections::HashMap<&str, usize> = runs
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    // Accounts in the table's order, others after it in order of their id;
    // within each, the resources keep their order (most severe first).
    let mut order: Vec<(usize, &str, usize)> = groups
        .iter()
        .enumerate()
        .map(|(g, (_, list))| {
            let id = list.first().map_or("", |f| f.resource.account());
            (position.get(id).copied().unwrap_or(runs.len()), id, g)
        })
        .collect();
    order.sort();
    let mut groups: Vec<Option<(&str, Vec<&Finding>)>> = groups.into_iter().map(Some).collect();
    let mut at = 0;
    let mut n = 0;
    while at < order.len() {
        let id = order[at].1;
        let end = at + order[at..].iter().take_while(|o| o.1 == id).count();
        let run = position.get(id).map(|p| &runs[*p]);
        let label = match (run, id) {
            (Some(r), _) => r.label(),
            (None, "") => "no account".to_string(),
            (None, id) => id.to_string(),
        };
        let mut counts = [0usize; 5];
        for o in &order[at..end] {
            if let Some((_, list)) = &groups[o.2] {
                for f in list {
                    if let Some(s) = Severity::ALL.iter().position(|s| *s == f.severity) {
                        counts[s] += 1;
                    }
                }
            }
        }
        let total: usize = counts.iter().sum();
        let _ = write!(
            out,
            "<section class=\"account\" id=\"{anchor}\" data-account=\"{}\" aria-labelledby=\"{anchor}-h\"><h3 id=\"{anchor}-h\">Account <code>{}</code><span class=\"count\">{}</span></h3><p class=\"account-meta\">",
            E(if id.is_empty() { "none" } else { id }),
            T(&label),
            Plural(total, "finding", "findings"),
            anchor = E(&account_anchor(id)),
        );
        let counted: Vec<String> = Severity::ALL
            .iter()
            .zip(counts)
            .filter(|(_, c)| *c > 0)
            .map(|(s, c)| format!("<span class=\"sev {s}\">{s}</span> {c}"))
            .collect();
        out.push_str(&counted.join(" "));
        if let Some(past) = report
            .history
            .and_then(|h| h.accounts.get(id))
            .filter(|runs| !runs.is_empty())
        {
            // The last point is this run's only when the account was read in
            // it (a partial read adds none).
            let this_run = report.history.and_then(|h| h.runs.last()).map(|r| r.at);
            let last = past[past.len() - 1];
            let when = if Some(last.at) == this_run {
                "in this run".to_string()
            } else {
                format!("when last read whole ({})", crate::time::date(last.at))
            };
            let before = past
                .len()
                .checked_sub(2)
                .map(|i| format!(", {} the time before", past[i].total()))
                .unwrap_or_default();
            let _ = write!(
                out,
                " <span class=\"account-history\">{} {} {when}{before}</span>",
                chart::spark(past),
                Plural(last.total(), "finding", "findings"),
            );
        }
        out.push_str("</p>\n");
        for o in &order[at..end] {
            if let Some((resource, list)) = groups[o.2].take() {
                resource_section(report, n, 4, resource, &list, out);
                n += 1;
                spill(out);
            }
        }
        out.push_str("</section>\n");
        at = end;
    }
}

/// What the baseline's waivers hide: each finding with the waiver's reason
/// and date, so that an accepted risk stays in sight.
fn waived(report: &Report, out: &mut String, spill: Spill<'_>) {
    if report.waived.is_empty() {
        return;
    }
    out.push_str("<section aria-labelledby=\"waived-h\"><h2 id=\"waived-h\">Waived</h2><p>Findings a waiver of <code>settings.ignore</code> hides: not counted above, and not failing the check, until the waiver expires.</p><div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Waived findings, scrollable\"><table id=\"waived\"><thead><tr><th scope=\"col\">severity</th><th scope=\"col\">rule</th><th scope=\"col\">resource</th><th scope=\"col\">finding</th><th scope=\"col\">reason</th><th scope=\"col\">until</th></tr></thead><tbody>");
    for w in report.waived {
        let f = &w.finding;
        let _ = write!(
            out,
            "<tr><td><span class=\"sev {0}\">{0}</span></td><td><span class=\"rule\">{1}</span></td><td><code>{2}</code></td><td>{3}</td><td>{4}</td><td>{5}</td></tr>",
            f.severity.as_str(),
            T(f.rule.as_str()),
            T(f.resource.as_str()),
            Inline(&f.message),
            Inline(&w.reason),
            T(w.expires.as_deref().unwrap_or("no date")),
        );
        spill(out);
    }
    out.push_str("</tbody></table></div></section>\n");
}

fn resolved(report: &Report, out: &mut String) {
    let Some(t) = report.trend.filter(|t| !t.resolved.is_empty()) else {
        return;
    };
    out.push_str("<section aria-labelledby=\"resolved-h\"><h2 id=\"resolved-h\">Resolved since the last run</h2><div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Resolved findings, scrollable\"><table id=\"resolved\"><thead><tr><th scope=\"col\">severity</th><th scope=\"col\">rule</th><th scope=\"col\">resource</th><th scope=\"col\">finding</th></tr></thead><tbody>");
    for p in &t.resolved {
        let _ = write!(
            out,
            "<tr><td><span class=\"sev {0}\">{0}</span></td><td><span class=\"rule\">{1}</span></td><td><code>{2}</code></td><td>{3}</td></tr>",
            E(&p.severity),
            T(&p.rule),
            T(&p.resource),
            Inline(&p.message)
        );
    }
    out.push_str("</tbody></table></div></section>\n");
}

/// The page's Content-Security-Policy: no source but its inline style and
/// script, each allowed by its SHA-256 hash; images only as `data:` URLs.
pub fn content_security_policy() -> String {
    format!(
        "default-src 'none'; style-src '{}'; script-src '{}'; img-src data:; base-uri 'none'; form-action 'none'",
        csp_hash(STYLE),
        csp_hash(SCRIPT)
    )
}

/// `sha256-BASE64` of a text, as CSP names an inline element.
fn csp_hash(text: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(text.as_bytes());
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::from("sha256-");
    for chunk in digest.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub fn render(report: &Report) -> String {
    let mut out = String::with_capacity(8192 + report.findings.len() * 1200);
    page(report, &mut out, &mut |_| {});
    out
}

/// The page written to `w` as it is made, a part at a time: memory stays
/// bounded by a part, not by the findings.
pub fn write(report: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    const PART: usize = 1 << 20;
    let mut failed: Option<std::io::Error> = None;
    let mut out = String::with_capacity(PART + 64 * 1024);
    page(report, &mut out, &mut |out: &mut String| {
        if out.len() >= PART && failed.is_none() {
            if let Err(e) = w.write_all(out.as_bytes()) {
                failed = Some(e);
            }
            out.clear();
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    w.write_all(out.as_bytes())
}

fn page(report: &Report, out: &mut String, spill: Spill<'_>) {
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    // The page runs only its own script and style (by hash): nothing from
    // the input, loaded or inline, can run or fetch anything.
    let _ = writeln!(
        out,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
        content_security_policy()
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    match report.account() {
        Some(account) => {
            let _ = writeln!(
                out,
                "<title>IAM drift report: account {}</title>",
                T(account)
            );
        }
        None => out.push_str("<title>IAM drift report</title>\n"),
    }
    let _ = write!(out, "<style>{STYLE}</style>\n</head>\n<body>\n");
    out.push_str("<a class=\"skip\" href=\"#findings\">Skip to the findings</a>\n");
    verdict(report, out);
    out.push_str("<main class=\"wrap\">\n");
    trend(report, out);
    accounts(report, out);
    findings(report, out, spill);
    waived(report, out, spill);
    resolved(report, out);
    out.push_str("</main>\n");
    let _ = write!(
        out,
        "<footer><div class=\"wrap\">Made by drift {}. Rules and fixes: <code>drift rules RULE-ID</code>.</div></footer>",
        env!("CARGO_PKG_VERSION")
    );
    out.push('\n');
    let _ = write!(out, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
}
