//! Texts that the `-unknown` rules of every kind share.

pub(super) const UNKNOWN_WHY: &str =
    "The plan computes this value only during apply, so nothing can tell \
before apply whether it will match the baseline. Unknown values are never reported as weakened; \
check again after apply (drift check --live) or make the value known at plan time.";
pub(super) const UNKNOWN_FIX_CONSOLE: &str = "nothing to do in the console before apply";
pub(super) const UNKNOWN_FIX_CLI: &str =
    "after apply, run `drift check --live` to judge the real value";
pub(super) const UNKNOWN_FIX_TF: &str =
    "set the attribute to a literal or a value known at plan time instead of a computed one";

pub(super) const WIDENED_WHY: &str = "The policy now allows a request the baseline's policy did not: \
drift compares the documents statement by statement (actions, resources, principals, conditions) and \
names up to three requests that are newly allowed. High by default; critical when the new grant is \
privilege escalation on every resource (`*`, `iam:*`, iam:CreatePolicyVersion, iam:Attach*Policy, \
iam:Put*Policy, iam:PassRole with an action that runs code, ...: `drift rules` with this rule's id \
lists the table with a reason for each), or an AWS managed policy such as AdministratorAccess. A change drift \
cannot judge (an unknown condition operator, policy variables, an AWS managed policy it does not \
know) is the `-changed` rule at medium, saying \"may widen\" and why.";
pub(super) const NARROWED_WHY: &str = "The policy now allows less than the baseline's and nothing \
more: not a security risk, but work that needs the removed permissions breaks, and the baseline no \
longer describes the account.";
