//! The rule of a proposed baseline: a change that edits `baseline.yaml`
//! itself.

use super::Rule;
use crate::finding::Severity;
use crate::identity::RuleId;

pub(super) const RULES: &[Rule] = &[Rule {
    id: RuleId::BASELINE_CHANGED,
    severity: Severity::Medium,
    summary: "the change under review edits baseline.yaml: an entry it weakens, drops or adds",
    why: "A pull request that weakens the password policy and edits the baseline to match would \
otherwise pass its own check. With `--proposed-baseline`, the plan is judged against the \
baseline in force (the base branch's) and every entry the proposed file changes is judged the \
same way a plan is: a weaker password policy, a wider trust or policy, a credential or console \
access allowed, a guard dropped or a new declared object each take the severity of what they \
allow; a stricter entry is info. The baseline's owners (CODEOWNERS) decide whether the weaker \
reference is intended.",
    events: &[],
    console: "have an owner of baseline.yaml review this entry and merge it only if the weaker reference is intended",
    cli: "git checkout BASE -- baseline.yaml (or revert the entry in the pull request)",
    terraform: "nothing to change in Terraform: the entry is in baseline.yaml",
}];
