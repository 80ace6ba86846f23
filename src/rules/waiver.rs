//! The rules of waivers: entries of `settings.ignore` with a reason and a
//! date, which must not outlive their purpose.

use super::Rule;
use crate::finding::Severity;
use crate::identity::RuleId;

pub(super) const RULES: &[Rule] = &[
    Rule {
        id: RuleId::WAIVER_EXPIRED,
        severity: Severity::Low,
        summary: "a waiver of settings.ignore is past its `expires` date: what it hid is reported again",
        why: "A waiver accepts findings for a reason and for a time. Past its date it hides nothing \
(its findings are back, with their own severity) and says so, so that an accepted risk is looked \
at again instead of staying accepted forever.",
        events: &[],
        console: "nothing in AWS: decide whether the findings are still accepted",
        cli: "fix what the waiver hid, or give the waiver a new `expires` date and an up-to-date `reason` in baseline.yaml",
        terraform: "fix what the waiver hid in the configuration, or renew the waiver in baseline.yaml",
    },
    Rule {
        id: RuleId::WAIVER_UNUSED,
        severity: Severity::Info,
        summary: "a waiver of settings.ignore matched no finding of this run",
        why: "A waiver that hides nothing is either out of date (what it accepted was fixed) or \
out of this source's scope (a plan that does not touch the object); left in place, it would hide \
the same finding if it came back. Like cargo-deny's unused allow entries, it is reported so that \
it can be removed.",
        events: &[],
        console: "nothing in AWS",
        cli: "remove the waiver from settings.ignore in baseline.yaml when what it accepted is gone",
        terraform: "nothing to change in Terraform",
    },
];
