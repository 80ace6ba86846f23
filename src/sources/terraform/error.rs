//! Why a plan or state could not be read.

/// Why a plan could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanError {
    Empty,
    /// Not valid JSON, or not shaped like a plan; with the position when known.
    Syntax {
        message: String,
        line: usize,
        column: usize,
    },
    NotAPlan(String),
    UnsupportedFormat(String),
    /// The plan operation failed (`errored: true`): what it holds is partial.
    Errored,
    /// Changes to IAM resources were deferred to a later plan (`complete: false`).
    Deferred(Vec<String>),
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlanError::Empty => f.write_str("the plan is empty"),
            PlanError::Syntax { message, .. } => write!(f, "the plan is not valid plan JSON: {message}"),
            PlanError::NotAPlan(why) => write!(f, "this is not a Terraform plan: {why}"),
            PlanError::UnsupportedFormat(v) => write!(
                f,
                "plan format version `{v}` is not supported (drift reads format versions 0.x and 1.x)"
            ),
            PlanError::Errored => f.write_str(
                "the plan failed (`errored: true`): it holds only what Terraform planned before the error, so nothing is judged",
            ),
            PlanError::Deferred(what) => write!(
                f,
                "the plan is not complete: Terraform deferred changes to IAM resources to a later plan, so they cannot be judged: {}",
                what.join(", ")
            ),
        }
    }
}

impl std::error::Error for PlanError {}

impl PlanError {
    pub fn help(&self) -> &'static str {
        match self {
            PlanError::Empty | PlanError::NotAPlan(_) | PlanError::Syntax { .. } => {
                "make it with `terraform plan -out plan.out && terraform show -json plan.out > plan.json`"
            }
            PlanError::UnsupportedFormat(_) => {
                "a newer drift may read it; `terraform show -json` of Terraform 0.12 to 1.x writes 0.x or 1.x"
            }
            PlanError::Errored => "fix the errors `terraform plan` printed, then plan again",
            PlanError::Deferred(_) => {
                "apply the changes that are not deferred first (or plan with `-target`), then plan again and check the rest"
            }
        }
    }

    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            PlanError::Syntax { line, column, .. } => Some((*line, *column)),
            _ => None,
        }
    }
}

pub(crate) fn json_error(e: &serde_json::Error) -> PlanError {
    let msg = e.to_string();
    // serde_json appends " at line L column C"; the position is kept apart.
    let message = match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    };
    PlanError::Syntax {
        message,
        line: e.line(),
        column: e.column(),
    }
}
