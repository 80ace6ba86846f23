//! The output of `drift events`: risky IAM changes found in CloudTrail, in
//! human, JSON (wire version 1) and markdown form.

use super::event_line;
use super::json::{event, EventV1};
use super::text::{line_start as visible_line, visible};
use crate::events::classify::Classified;
use crate::events::Event;
use crate::finding::Severity;
use serde::Serialize;

/// What `drift events` found.
pub struct Listing<'a> {
    pub source: &'a str,
    pub files: usize,
    pub records: usize,
    pub since: Option<i64>,
    pub until: Option<i64>,
    pub with_baseline: bool,
    /// Classified successful changes, in the order to show.
    pub changes: &'a [(Classified, &'a Event)],
    /// Failed calls that would have touched IAM: never a cause, listed apart.
    pub failed: &'a [&'a Event],
}

fn window(l: &Listing) -> String {
    let t = |s: Option<i64>| s.map(crate::time::rfc3339);
    match (t(l.since), t(l.until)) {
        (Some(s), Some(u)) => format!(" from {s} until {u}"),
        (Some(s), None) => format!(" since {s}"),
        (None, Some(u)) => format!(" until {u}"),
        (None, None) => String::new(),
    }
}

/// The accounts the changes were made in, when more than one (an
/// organization trail): the listing is then grouped by account.
fn accounts<'a>(l: &Listing<'a>) -> Vec<Option<&'a str>> {
    let events = l.changes.iter().map(|(_, e)| *e);
    // Records without an account first, as `None` sorts first.
    let unnamed = l.changes.iter().any(|(_, e)| e.account.is_none());
    let out: Vec<Option<&str>> = unnamed
        .then_some(None)
        .into_iter()
        .chain(
            crate::events::attribute::accounts_of(events)
                .into_iter()
                .map(Some),
        )
        .collect();
    if out.len() > 1 {
        out
    } else {
        Vec::new()
    }
}

fn account_name(account: Option<&str>) -> String {
    account.map_or_else(
        || "(account not in the record)".to_string(),
        |a| format!("account {}", visible(a)),
    )
}

pub fn human(l: &Listing) -> String {
    let mut out = String::new();
    let groups = accounts(l);
    // One group of every change, or one per account in the order of the
    // accounts; within each, the listing's own order.
    let all = [None];
    let heads: &[Option<&str>] = if groups.is_empty() { &all } else { &groups };
    for head in heads {
        let changes: Vec<&(Classified, &Event)> = l
            .changes
            .iter()
            .filter(|(_, e)| groups.is_empty() || e.account.as_deref() == *head)
            .collect();
        if !groups.is_empty() {
            out.push_str(&format!(
                "== {} ({} change{})\n\n",
                account_name(*head),
                changes.len(),
                if changes.len() == 1 { "" } else { "s" }
            ));
        }
        human_changes(&mut out, &changes);
    }
    human_tail(&mut out, l, groups.len());
    out
}

fn human_changes(out: &mut String, changes: &[&(Classified, &Event)]) {
    for (c, e) in changes {
        let declared = if c.declared { "  (declared)" } else { "" };
        // Every field of a record is text from the log: one line each,
        // nothing that acts on a terminal or reads as a workflow command.
        out.push_str(&format!(
            "{}{declared}\n  {:<8}  {}  {}\n    {}\n",
            visible_line(c.resource.as_str()),
            c.severity.as_str(),
            c.rule,
            visible(&c.message),
            visible(&event_line(e))
        ));
        if let Some(id) = &e.id {
            out.push_str(&format!("    event id: {}\n", visible(id)));
        }
        out.push('\n');
    }
}

fn human_tail(out: &mut String, l: &Listing, accounts: usize) {
    if !l.failed.is_empty() {
        out.push_str("Failed calls (refused by IAM: not a cause of drift)\n");
        for e in l.failed {
            out.push_str(&format!(
                "  {} ({})\n",
                visible(&event_line(e)),
                visible(e.error.as_deref().unwrap_or("error"))
            ));
        }
        out.push('\n');
    }
    let n = l.changes.len();
    out.push_str(&format!(
        "{n} risky IAM change{}{} in {} record{} of {} file{}{}",
        if n == 1 { "" } else { "s" },
        if accounts > 1 {
            format!(" in {accounts} accounts")
        } else {
            String::new()
        },
        l.records,
        if l.records == 1 { "" } else { "s" },
        l.files,
        if l.files == 1 { "" } else { "s" },
        window(l)
    ));
    if !l.failed.is_empty() {
        out.push_str(&format!(
            "; {} failed call{}",
            l.failed.len(),
            if l.failed.len() == 1 { "" } else { "s" }
        ));
    }
    out.push('\n');
}

#[derive(Serialize)]
struct ListingV1<'a> {
    version: u32,
    source: &'a str,
    files: usize,
    records: usize,
    since: Option<String>,
    until: Option<String>,
    changes: Vec<ChangeV1<'a>>,
    failed: Vec<FailedV1<'a>>,
}

#[derive(Serialize)]
struct ChangeV1<'a> {
    rule: &'a str,
    severity: &'a str,
    resource: &'a str,
    /// Only with `--baseline`.
    #[serde(skip_serializing_if = "Option::is_none")]
    declared: Option<bool>,
    message: &'a str,
    /// What a judged policy document newly allows (see `drift check`'s JSON).
    witnesses: Vec<super::json::WitnessV1<'a>>,
    event: EventV1<'a>,
}

#[derive(Serialize)]
struct FailedV1<'a> {
    error_code: &'a str,
    event: EventV1<'a>,
}

pub fn json(l: &Listing) -> String {
    let wire = ListingV1 {
        version: super::json::WIRE_VERSION,
        source: l.source,
        files: l.files,
        records: l.records,
        since: l.since.map(crate::time::rfc3339),
        until: l.until.map(crate::time::rfc3339),
        changes: l
            .changes
            .iter()
            .map(|(c, e)| ChangeV1 {
                rule: c.rule.as_str(),
                severity: c.severity.as_str(),
                resource: c.resource.as_str(),
                declared: l.with_baseline.then_some(c.declared),
                message: &c.message,
                witnesses: super::json::witnesses(&c.witnesses),
                event: event(e),
            })
            .collect(),
        failed: l
            .failed
            .iter()
            .map(|e| FailedV1 {
                error_code: e.error.as_deref().unwrap_or(""),
                event: event(e),
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&wire)
        .unwrap_or_else(|e| format!("{{\"version\":1,\"error\":{:?}}}", e.to_string()));
    out.push('\n');
    out
}

/// A table cell of text from the records: visible, and no HTML, table
/// breaks, links or mentions.
fn cell(text: &str) -> String {
    super::text::markdown(text)
}

pub fn markdown(l: &Listing) -> String {
    let mut out = String::from("## drift: risky IAM changes in CloudTrail\n\n");
    let count = |s: Severity| l.changes.iter().filter(|(c, _)| c.severity == s).count();
    out.push_str(&format!(
        "{} change{} in {} records of {} files{}: {} critical, {} high, {} medium, {} low, {} info.\n\n",
        l.changes.len(),
        if l.changes.len() == 1 { "" } else { "s" },
        l.records,
        l.files,
        window(l),
        count(Severity::Critical),
        count(Severity::High),
        count(Severity::Medium),
        count(Severity::Low),
        count(Severity::Info),
    ));
    // An organization trail's changes are sorted by account, with a column
    // for it.
    let by_account = !accounts(l).is_empty();
    if !l.changes.is_empty() {
        let mut rows: Vec<&(Classified, &Event)> = l.changes.iter().collect();
        if by_account {
            rows.sort_by_key(|(_, e)| e.account.as_deref());
            out.push_str(
                "| account | severity | rule | resource | what | when |\n|---|---|---|---|---|---|\n",
            );
        } else {
            out.push_str("| severity | rule | resource | what | when |\n|---|---|---|---|---|\n");
        }
        for (c, e) in rows {
            if by_account {
                out.push_str(&format!(
                    "| {} ",
                    e.account.as_deref().map_or_else(|| "?".to_string(), cell)
                ));
            }
            out.push_str(&format!(
                "| {} | `{}` | {} | {} | {} |\n",
                c.severity.as_str(),
                c.rule,
                super::text::code_span(c.resource.as_str(), true),
                cell(&c.message),
                crate::time::rfc3339(e.time)
            ));
        }
    }
    if !l.failed.is_empty() {
        out.push_str(&format!(
            "\n{} failed call{} (refused by IAM, not a cause of drift).\n",
            l.failed.len(),
            if l.failed.len() == 1 { "" } else { "s" }
        ));
    }
    out
}
