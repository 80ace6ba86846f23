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
    /// A Terraform state given where a plan is read (or the other way round).
    WrongKind {
        is_state: bool,
    },
    /// Not a Terraform state.
    NotAState(String),
    UnsupportedFormat(String),
    /// The plan operation failed (`errored: true`): what it holds is partial.
    Errored,
    /// Changes to IAM resources were deferred to a later plan (`complete: false`).
    Deferred(Vec<String>),
    /// The output of setup-terraform's wrapper (`[command]…`, `::debug::…`)
    /// around the JSON, not the JSON alone.
    Wrapper,
    /// Parts of the plan that disagree with each other (an IAM resource in
    /// `planned_values` without its change, a data source that writes, a key
    /// written twice): no part can be trusted over the other.
    Inconsistent(String),
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlanError::Empty => f.write_str("the plan is empty"),
            PlanError::Syntax { message, .. } => write!(f, "the plan is not valid plan JSON: {message}"),
            PlanError::NotAPlan(why) => write!(f, "this is not a Terraform plan: {why}"),
            PlanError::NotAState(why) => write!(f, "this is not a Terraform state: {why}"),
            PlanError::WrongKind { is_state: true } => {
                f.write_str("this is a Terraform state, not a plan (it has neither `resource_changes` nor `planned_values`): read it with `--state FILE`")
            }
            PlanError::WrongKind { is_state: false } => {
                f.write_str("this is a Terraform plan, not a state: read it with `--plan FILE`")
            }
            PlanError::UnsupportedFormat(v) => write!(
                f,
                "plan format version `{v}` is not supported (drift reads format versions 0.x and 1.x)"
            ),
            PlanError::Errored => f.write_str(
                "the plan failed (`errored: true`): it holds only what Terraform planned before the error, so nothing is judged",
            ),
            PlanError::Wrapper => f.write_str(
                "this is the output of setup-terraform's wrapper (`[command]` and `::debug::` lines around the JSON), not the plan JSON alone",
            ),
            PlanError::Inconsistent(why) => write!(
                f,
                "the plan disagrees with itself, so nothing is judged: {why}"
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
            PlanError::WrongKind { is_state: true } => {
                "`drift check --state terraform.tfstate` (or `terraform show -json > state.json`) judges what Terraform manages now"
            }
            PlanError::WrongKind { is_state: false } => {
                "`drift check --plan plan.json` judges what the plan will leave"
            }
            PlanError::NotAState(_) => {
                "give a `terraform.tfstate` (version 4) or the output of `terraform show -json` without a plan"
            }
            PlanError::Empty | PlanError::NotAPlan(_) | PlanError::Syntax { .. } => {
                "make it with `terraform plan -out plan.out && terraform show -json plan.out > plan.json`"
            }
            PlanError::UnsupportedFormat(_) => {
                "a newer drift may read it; `terraform show -json` of Terraform 0.12 to 1.x writes 0.x or 1.x"
            }
            PlanError::Errored => "fix the errors `terraform plan` printed, then plan again",
            PlanError::Wrapper => {
                "set `terraform_wrapper: false` on the hashicorp/setup-terraform step, then `terraform show -json plan.out > plan.json`"
            }
            PlanError::Deferred(_) => {
                "apply the changes that are not deferred first (or plan with `-target`), then plan again and check the rest"
            }
            PlanError::Inconsistent(_) => {
                "make the plan JSON again with `terraform show -json plan.out` (Terraform writes its parts consistently; an edited file is not judged)"
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

/// Whether `bytes` is setup-terraform's wrapper output around a plan: a
/// `[command]` line before the JSON, or `::debug::` lines after it.
pub(crate) fn is_wrapper_output(bytes: &[u8]) -> bool {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    bytes[start..].starts_with(b"[command]")
        || bytes
            .windows(b"\n::debug::".len())
            .any(|w| w == b"\n::debug::")
}

/// Characters of context shown on each side of an error.
const WINDOW: usize = 40;

/// A short excerpt of the plan around a byte offset, on one line, with the
/// content of every string value masked (a plan holds passwords and keys in
/// plain text; object keys are kept): `…"after":{"password":"***"` and a caret
/// line under the offset. Never more than about 100 characters, whatever the
/// length of the line.
pub fn excerpt(bytes: &[u8], offset: usize) -> (String, String) {
    let offset = offset.min(bytes.len());
    let from = offset.saturating_sub(WINDOW);
    let to = (offset + WINDOW).min(bytes.len());
    // Whether `from` falls inside a string: scan from the start.
    let mut in_string = false;
    let mut escaped = false;
    for &b in &bytes[..from] {
        match (in_string, escaped, b) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') => in_string = false,
            (false, _, b'"') => in_string = true,
            _ => {}
        }
    }
    let mut text = String::new();
    let mut caret = 0;
    if from > 0 {
        text.push('…');
    }
    let mut i = from;
    // A string that began before the window is a value or a key: mask it.
    let mut masking = in_string;
    if masking {
        text.push_str("***");
    }
    while i < to {
        if i == offset {
            caret = text.chars().count();
        }
        let b = bytes[i];
        if masking {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                masking = false;
                text.push('"');
            }
            i += 1;
            continue;
        }
        if b == b'"' {
            // Keep keys (a string followed by `:`), mask values.
            let end = string_end(bytes, i + 1);
            let is_key = bytes[end.min(bytes.len())..]
                .iter()
                .find(|c| !c.is_ascii_whitespace())
                == Some(&b':');
            text.push('"');
            if is_key && end <= to {
                for &c in &bytes[i + 1..end.saturating_sub(1)] {
                    text.push(printable(c));
                }
                text.push('"');
                i = end;
            } else {
                text.push_str("***");
                masking = true;
                i += 1;
            }
            continue;
        }
        text.push(printable(b));
        i += 1;
    }
    if offset >= to {
        caret = text.chars().count();
    }
    if to < bytes.len() {
        text.push('…');
    }
    (text, format!("{}^", " ".repeat(caret)))
}

/// The offset just past the closing quote of a string whose content starts at
/// `start` (the end of the input when it does not close).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate().skip(start) {
        if escaped {
            escaped = false;
        } else if b == b'\\' {
            escaped = true;
        } else if b == b'"' {
            return i + 1;
        }
    }
    bytes.len()
}

/// A byte as shown in an excerpt: control characters and non-ASCII as `·`.
fn printable(b: u8) -> char {
    if b.is_ascii_graphic() || b == b' ' {
        char::from(b)
    } else {
        '·'
    }
}
