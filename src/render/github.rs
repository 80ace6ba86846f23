//! GitHub workflow commands (`::error file=…,line=…::message`), so that findings
//! show inline on the pull request.

use super::text::{bounded_lines, visible};
use super::Report;
use crate::finding::Severity;
use crate::origin::Origin;

/// Lines of a document diff an annotation shows; the rest are counted.
const DIFF_LINES: usize = 30;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "notice",
    }
}

/// Escapes the message of a workflow command.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property of a workflow command.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    if report.findings.is_empty() {
        // A clean run says so in the log, where annotations would be.
        out.push_str("::notice title=drift::no drift from the baseline\n");
    }
    for f in report.findings {
        let mut props = Vec::new();
        // The code that makes the change, when `--terraform-dir` says where
        // the resource is declared: the annotation shows on the pull
        // request's diff, and names the baseline's line in its text.
        let declared = match &f.source {
            Origin::Plan { address, .. }
            | Origin::Refresh { address }
            | Origin::State { address } => report.declarations.and_then(|d| d.of_address(address)),
            _ => None,
        };
        // An edit of the proposed baseline is shown on the line it changed.
        if let Some((file, line)) = declared {
            props.push(format!("file={}", property(file)));
            props.push(format!("line={line}"));
        } else if let Origin::Baseline {
            file,
            position: Some((line, column)),
            ..
        } = &f.source
        {
            props.push(format!("file={}", property(file)));
            props.push(format!("line={line}"));
            props.push(format!("col={column}"));
        } else if let Some(loc) = f.baseline_location {
            props.push(format!("file={}", property(report.baseline_of(f))));
            props.push(format!("line={}", loc.line));
            props.push(format!("col={}", loc.column));
        }
        props.push(format!(
            "title={}",
            property(&format!("{} ({})", f.rule, f.severity))
        ));
        let mut message = format!(
            "{}: {}\nsource: {}\n",
            visible(f.resource.as_str()),
            visible(&f.message),
            visible(&f.source.label()),
        );
        if let (Some(_), Some(loc)) = (declared, f.baseline_location) {
            message.push_str(&format!(
                "baseline: {}:{}:{}\n",
                visible(report.baseline_of(f)),
                loc.line,
                loc.column
            ));
        }
        if let Some(who) = super::who_text(report.who(f)) {
            message.push_str(&format!("who: {}\n", visible(&who)));
        }
        if let Some(diff) = &f.diff {
            for line in bounded_lines(diff, DIFF_LINES) {
                message.push_str(&visible(&line));
                message.push('\n');
            }
        }
        message.push_str(&f.help);
        out.push_str(&format!(
            "::{} {}::{}\n",
            level(f.severity),
            props.join(","),
            data(&message)
        ));
    }
    out
}
