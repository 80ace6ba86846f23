//! What one source saw, in source-neutral terms: the engine judges this and never
//! a source's own types.

use crate::identity::ResourceId;
use crate::state::IamState;
use std::collections::{BTreeMap, BTreeSet};

/// What a source was, for the report header.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceInfo {
    /// `plan` or `live`.
    pub kind: &'static str,
    /// The plan file (`-` for standard input); none for live reads.
    pub path: Option<String>,
    pub terraform_version: Option<String>,
    pub format_version: Option<String>,
}

/// Drift that the source saw happen outside its own change (Terraform's refresh):
/// the objects as refreshed, and for each object the fields that really changed.
#[derive(Debug, Clone, Default)]
pub struct Refresh {
    pub state: IamState,
    /// For each object (`user/alice`), the finding fields that changed.
    pub fields: BTreeMap<ResourceId, BTreeSet<String>>,
}

/// One source's view of the account. What it could not see is in the state
/// itself: a `None` field or section is out of scope, an incomplete collection
/// says nothing of the items it does not list.
#[derive(Debug, Clone)]
pub struct Observation {
    /// The state the source shows (for a plan: the state it leaves behind).
    pub state: IamState,
    /// Changes made outside the source's own change, when it reports them.
    pub refresh: Option<Refresh>,
    /// Whether the source reads a whole account and says which (`state.account_id`):
    /// the live account does, a plan does not.
    pub reads_account: bool,
    /// Whether the source itself is whole. A plan whose only deferred changes
    /// are not IAM is judged (its IAM part is whole) but is not complete.
    pub complete: bool,
    pub info: SourceInfo,
}
