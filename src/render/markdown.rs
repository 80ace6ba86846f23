//! A pull-request comment body (and job summary): a verdict, a table by severity,
//! then one collapsible section per resource. Never longer than GitHub's limit
//! for a comment: sections that do not fit are counted, not shown.

use super::Report;
use crate::finding::{Finding, Severity};
use serde_json::Value;

/// GitHub refuses comments longer than 65,536 characters.
pub const GITHUB_COMMENT_LIMIT: usize = 65_536;
/// The hidden marker that finds drift's own comment again.
pub const MARKER: &str = "<!-- drift-report -->";
/// Longest value shown inline; the JSON and SARIF reports carry the rest.
const VALUE_LIMIT: usize = 200;
/// Lines of a document diff shown; the rest are counted.
const DIFF_LINES: usize = 40;

fn icon(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "🔴",
        Severity::High => "🟠",
        Severity::Medium => "🟡",
        Severity::Low => "🔵",
        Severity::Info => "⚪",
    }
}

/// Text safe inside a table cell or a list item: no HTML, no line breaks, no
/// links or mentions.
fn escape(s: &str) -> String {
    super::text::markdown(s)
}

/// A value as inline code, shortened.
fn code(v: &Value) -> String {
    let text = match v {
        Value::Null => return "_absent_".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut short: String = text.chars().take(VALUE_LIMIT).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    super::text::code_span(&short.replace(['\r', '\n'], " "), false)
}

/// Text from the input as inline code.
fn span(s: &str) -> String {
    super::text::code_span(s, false)
}

/// Rows of the accounts table shown; the JSON report lists every account.
const ACCOUNT_ROWS: usize = 100;

/// The accounts of a run over several: those not read first, then those
/// with findings, then the others; at most [`ACCOUNT_ROWS`].
fn accounts(runs: &[crate::accounts::AccountRun]) -> String {
    use crate::accounts::Status;
    let by: Vec<String> = crate::accounts::by_status(runs)
        .into_iter()
        .map(|(s, n)| format!("{n} {s}"))
        .collect();
    if runs.is_empty() {
        return "\n**No account judged.**\n".to_string();
    }
    let mut out = format!(
        "\n**{} account{}**: {}.",
        runs.len(),
        if runs.len() == 1 { "" } else { "s" },
        by.join(", ")
    );
    if !crate::accounts::all_read(runs) {
        out.push_str(" Accounts not read are not judged, and the run fails.");
    }
    out.push_str("\n\n| account | status | findings | why |\n|---|---|---|---|\n");
    let lines = super::account_lines(runs);
    let mut order: Vec<usize> = (0..runs.len()).collect();
    order.sort_by_key(|&i| {
        let r = &runs[i];
        (
            matches!(r.status, Status::Read | Status::Skipped),
            r.findings.iter().sum::<usize>() == 0,
        )
    });
    for &i in order.iter().take(ACCOUNT_ROWS) {
        let [account, status, findings, why] = &lines[i];
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            super::text::code_span(account, true),
            status,
            escape(findings),
            escape(why).replace('|', "\\|")
        ));
    }
    if runs.len() > ACCOUNT_ROWS {
        out.push_str(&format!(
            "\n_… {} more accounts: see the JSON report._\n",
            runs.len() - ACCOUNT_ROWS
        ));
    }
    out
}

fn section(report: &Report, resource: &str, findings: &[&Finding]) -> String {
    let worst = findings
        .iter()
        .map(|f| f.severity)
        .max()
        .unwrap_or(Severity::Info);
    let mut out = format!(
        "<details><summary>{} {}<b>{}</b>: {} finding{}</summary>\n\n",
        icon(worst),
        if findings.first().is_some_and(|f| super::is_proposal(f)) {
            "proposed baseline, "
        } else {
            ""
        },
        escape(
            &findings
                .first()
                .map_or_else(|| resource.to_string(), |f| super::heading(f))
        ),
        findings.len(),
        if findings.len() == 1 { "" } else { "s" }
    );
    for f in findings {
        out.push_str(&format!(
            "- {} **{}** `{}`: {}\n",
            icon(f.severity),
            f.severity,
            f.rule,
            escape(&f.message)
        ));
        if let Some(field) = &f.field {
            out.push_str(&format!("  - field: {}\n", span(field)));
        }
        if let Some(diff) = &f.diff {
            // Two long documents cut at the same length look alike: the diff
            // shows what changed.
            out.push_str("\n  ```diff\n");
            for line in super::text::bounded_lines(diff, DIFF_LINES) {
                out.push_str("  ");
                out.push_str(&line.replace("```", "`\u{200b}``"));
                out.push('\n');
            }
            out.push_str("  ```\n\n");
        } else if !(f.expected.is_null() && f.observed.is_null()) {
            out.push_str(&format!(
                "  - expected: {} · observed: {}\n",
                code(&f.expected),
                code(&f.observed)
            ));
        }
        out.push_str(&format!("  - source: {}\n", span(&f.source.label())));
        if let Some(who) = super::who_text(report.who(f)) {
            out.push_str(&format!("  - who: {}\n", escape(&who)));
        }
        if let Some(loc) = f.baseline_location {
            out.push_str(&format!(
                "  - baseline: {}\n",
                span(&format!(
                    "{}:{}:{}",
                    report.baseline_of(f),
                    loc.line,
                    loc.column
                ))
            ));
        }
    }
    out.push_str("\n</details>\n\n");
    out
}

pub fn render(report: &Report) -> String {
    render_limited(report, GITHUB_COMMENT_LIMIT)
}

/// The summary, at most `limit` bytes long.
pub fn render_limited(report: &Report, limit: usize) -> String {
    let failing = report.failing();
    let mut head = match report.account() {
        Some(account) => format!(
            "{MARKER}\n## drift: IAM baseline check of account {}\n\n",
            span(account)
        ),
        None => format!("{MARKER}\n## drift: IAM baseline check\n\n"),
    };
    if failing > 0 {
        head.push_str(&format!(
            "**❌ {failing} finding{} at or above `{}`** ({} in all).\n\n",
            if failing == 1 { "" } else { "s" },
            report.fail_on,
            report.findings.len()
        ));
    } else if report.findings.is_empty() {
        head.push_str("**✅ No drift** from the baseline.\n\n");
    } else {
        head.push_str(&format!(
            "**✅ Nothing at or above `{}`** ({} finding{} below it).\n\n",
            report.fail_on,
            report.findings.len(),
            if report.findings.len() == 1 { "" } else { "s" }
        ));
    }
    head.push_str("| severity | findings |\n|---|---:|\n");
    for s in Severity::ALL {
        head.push_str(&format!("| {} {s} | {} |\n", icon(s), report.count(s)));
    }
    if let Some(t) = report.trend {
        head.push_str(&format!(
            "\nSince the last run: **{}** new, **{}** persisting, **{}** resolved.\n",
            t.count(crate::trend::Status::New),
            t.count(crate::trend::Status::Persisting),
            t.resolved.len()
        ));
    }
    if !report.waived.is_empty() {
        head.push_str(&format!(
            "\n{} finding{} waived by `settings.ignore` (with their reasons in the JSON and HTML reports).\n",
            report.waived.len(),
            if report.waived.len() == 1 { "" } else { "s" }
        ));
    }
    let proposals = report
        .findings
        .iter()
        .filter(|f| super::is_proposal(f))
        .count();
    if proposals > 0 {
        head.push_str(&format!(
            "\n**This change edits the baseline**: {proposals} entr{} of the proposed `baseline.yaml` judged against {} (the baseline in force), listed first.\n",
            if proposals == 1 { "y" } else { "ies" },
            span(report.baseline_path)
        ));
    }
    if let Some(runs) = report.accounts {
        head.push_str(&accounts(runs));
    } else if !report.complete {
        head.push_str(
            "\nThe plan is not complete: Terraform deferred changes to other resources to a later plan; check again after it.\n",
        );
    }
    for t in report
        .sources
        .iter()
        .filter(|_| report.accounts.is_none())
        .filter_map(|s| s.credential_report.as_ref())
    {
        head.push_str(&format!("\nLive read: {}.\n", t.describe()));
    }
    if report.out_of_scope > 0 {
        head.push_str(&format!(
            "\n{} baseline entr{} not touched by this plan (out of scope).\n",
            report.out_of_scope,
            if report.out_of_scope == 1 {
                "y is"
            } else {
                "ies are"
            }
        ));
    }
    head.push('\n');

    // Resources in the order of their most severe finding.
    let groups = super::by_resource(report.findings);

    // How to fix, once per rule (not once per finding): it closes the comment.
    let mut fixes = String::from("### How to fix\n\n");
    for (rule, helps) in super::fixes_by_rule(report.findings) {
        fixes.push_str(&format!(
            "<details><summary><code>{rule}</code></summary>\n\n"
        ));
        for (n, help) in helps.iter().take(super::FIXES_SHOWN).enumerate() {
            if n > 0 {
                fixes.push('\n');
            }
            for line in help.lines() {
                fixes.push_str(&format!("- {}\n", escape(line)));
            }
        }
        if helps.len() > super::FIXES_SHOWN {
            fixes.push_str(&format!(
                "\n…and {} more like these\n",
                helps.len() - super::FIXES_SHOWN
            ));
        }
        fixes.push_str("\n</details>\n");
    }
    if report.findings.is_empty() {
        fixes.clear();
    }
    // Room kept for the closing lines.
    let reserve = 200 + fixes.len();
    let mut out = head;
    for (i, (resource, findings)) in groups.iter().enumerate() {
        let text = section(report, resource, findings);
        if out.len() + text.len() + reserve > limit {
            let hidden: usize = groups[i..].iter().map(|(_, f)| f.len()).sum();
            out.push_str(&format!(
                "_… {hidden} more finding{} on {} more resource{} not shown: see the JSON or SARIF report._\n",
                if hidden == 1 { "" } else { "s" },
                groups.len() - i,
                if groups.len() - i == 1 { "" } else { "s" },
            ));
            out.push('\n');
            out.push_str(&fixes);
            return out;
        }
        out.push_str(&text);
    }
    out.push_str(&fixes);
    out
}
