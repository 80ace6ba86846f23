//! The text of `drift rules`: the list of rules, and one rule explained.

use crate::rules::{self, Rule};

/// One line per rule: id, default severity, summary.
pub fn list() -> String {
    let mut out = String::new();
    for r in rules::all() {
        out.push_str(&format!(
            "{:<28} {:<9} {}\n",
            r.id.as_str(),
            r.severity.as_str(),
            r.summary
        ));
    }
    out.push_str("\n`drift rules ID` explains one rule.\n");
    out
}

/// One rule: why it matters, the CloudTrail events behind it, how to fix it.
pub fn explain(r: &Rule) -> String {
    format!(
        "{id}  (default severity: {sev})\n\n{summary}.\n\nWhy it matters\n  {why}\n\n\
CloudTrail events behind it\n  {events}\n\nHow to fix it\n  console:   {console}\n  cli:       {cli}\n  terraform: {tf}\n",
        id = r.id,
        sev = r.severity,
        summary = capitalize(r.summary),
        why = r.why,
        events = r.events.join(", "),
        console = r.console,
        cli = r.cli,
        tf = r.terraform,
    )
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
