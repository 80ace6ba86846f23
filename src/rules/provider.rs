//! The rule of plan and state resources that no baseline judges: a provider
//! configuration whose account cannot be told, or an account the run has no
//! baseline for.

use super::Rule;
use crate::finding::Severity;
use crate::identity::RuleId;

pub(super) const RULES: &[Rule] = &[Rule {
    id: RuleId::PROVIDER_UNJUDGED,
    severity: Severity::High,
    summary: "a plan or state resource is managed in an account that no baseline of the run judges",
    why: "A configuration with several `aws` providers changes several accounts at once. Each \
resource is judged against the baseline of the account its provider works in; a resource whose \
account cannot be told (its provider's role is computed or passed from a calling module the plan \
does not resolve, or it is in a state, which holds no provider configuration, and \
`--provider-account` does not give it), or whose account has no baseline in the run, would \
otherwise be judged against \
another account's baseline or not at all. It is not judged, and says so: the run is not clean \
until every resource has its account.",
    events: &[],
    console: "nothing in AWS: tell drift which account the provider works in",
    cli: "drift check --plan plan.json (or --state terraform.tfstate) --provider-account KEY=ACCOUNT_ID (and --accounts accounts.yaml for a baseline per account)",
    terraform: "give the provider a constant `assume_role.role_arn` (or a root variable), or `allowed_account_ids` with its one account",
}];
