//! The text of `drift rules`: the list of rules, and one rule explained.

use crate::identity::{Change, Kind};
use crate::policy::managed;
use crate::policy::risk::{self, Class};
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

/// One rule: why it matters, the CloudTrail events behind it, how to fix it;
/// for the rules of widened permission policies, the tables that rate them.
pub fn explain(r: &Rule) -> String {
    let mut out = explain_rule(r);
    if r.id.change() == Change::Widened && r.id.kind() != Kind::RoleTrust {
        out.push_str("\nActions rated above an ordinary widening\n");
        for a in risk::ACTIONS {
            let class = match a.class {
                Class::Escalation => "critical on every resource",
                Class::RunsWithRole => "critical with iam:PassRole on every resource",
                Class::RunsOnExisting => "high",
            };
            out.push_str(&format!("  {:<36} {:<45} {}\n", a.action, class, a.reason));
        }
        out.push_str(&format!(
            "\nAWS managed policies (as of {})\n",
            managed::AS_OF
        ));
        for p in managed::POLICIES {
            out.push_str(&format!(
                "  {:<40} {:<9} {}\n",
                p.name,
                p.severity.as_str(),
                p.grants
            ));
        }
    }
    out
}

/// Where a change made in AWS is fixed: in the finding's account, which a
/// run over several accounts names on the first line of each fix.
const FIX_ACCOUNT: &str =
    "  account:   the finding's own (its `account`; over several accounts, the first line \
of its fix, `account: NAME (ID)`): run the fix with that account's credentials, such as the role \
drift assumed there\n";

fn explain_rule(r: &Rule) -> String {
    format!(
        "{id}  (default severity: {sev})\n\n{summary}.\n\nWhy it matters\n  {why}\n\n\
CloudTrail events behind it\n  {events}\n\nHow to fix it\n{account}  console:   {console}\n  cli:       {cli}\n  terraform: {tf}\n",
        account = if r.events.is_empty() { "" } else { FIX_ACCOUNT },
        id = r.id,
        sev = r.severity,
        summary = capitalize(r.summary),
        why = r.why,
        events = r.events_text(),
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
