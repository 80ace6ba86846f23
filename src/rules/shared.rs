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
