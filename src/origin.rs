//! Where an observation came from (a plan change, Terraform's refresh, the live
//! account), and the one place where wording depends on it.

/// Where the observed state came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A resource change in a plan.
    Plan {
        address: String,
        actions: Vec<String>,
    },
    /// Drift that Terraform itself saw while refreshing (`resource_drift`).
    Refresh { address: String },
    /// A resource of a Terraform state.
    State { address: String },
    /// An object read from the live account.
    Live { arn: String },
    /// An entry of a proposed baseline (the `baseline.yaml` a pull request
    /// brings), judged against the baseline in force: `FILE:LINE:COL`, or the
    /// file alone for what it leaves out.
    Baseline {
        at: String,
        file: String,
        /// The line and column of the entry; `None` for what the file leaves out.
        position: Option<(u32, u32)>,
    },
    /// The baseline's own settings (a waiver of `settings.ignore`): no
    /// source observed it.
    Settings,
}

impl Origin {
    pub fn plan(address: impl Into<String>, actions: &[&str]) -> Origin {
        Origin::Plan {
            address: address.into(),
            actions: actions.iter().map(|a| a.to_string()).collect(),
        }
    }

    /// The plan address or ARN, for people.
    pub fn label(&self) -> String {
        match self {
            Origin::Plan { address, actions } => format!("{address} ({})", actions.join(", ")),
            Origin::Refresh { address } => format!("{address} (terraform refresh)"),
            Origin::State { address } => format!("{address} (state)"),
            Origin::Live { arn } => arn.clone(),
            Origin::Baseline { at, .. } => format!("{at} (proposed baseline)"),
            Origin::Settings => "settings.ignore (the baseline)".to_string(),
        }
    }

    /// The plan address or ARN alone.
    pub fn address(&self) -> &str {
        match self {
            Origin::Plan { address, .. }
            | Origin::Refresh { address }
            | Origin::State { address } => address,
            Origin::Live { arn } => arn,
            Origin::Baseline { at, .. } => at,
            Origin::Settings => "settings.ignore",
        }
    }

    /// The plan leaves the object as it is (no-op or read): no call is made.
    pub fn is_noop(&self) -> bool {
        matches!(self, Origin::Plan { actions, .. }
            if actions.iter().all(|a| a == "no-op" || a == "read"))
    }

    /// The plan creates the object (and does not replace it).
    pub fn is_create(&self) -> bool {
        matches!(self, Origin::Plan { actions, .. } if actions.len() == 1 && actions[0] == "create")
    }

    pub fn is_replacement(&self) -> bool {
        matches!(self, Origin::Plan { actions, .. }
            if actions.iter().any(|a| a == "delete") && actions.iter().any(|a| a == "create"))
    }

    /// How a message says that a declared object is gone: "the plan deletes".
    pub fn removes(&self) -> &'static str {
        match self {
            Origin::Plan { .. } => "the plan deletes",
            Origin::Refresh { .. } => "terraform refresh found deleted",
            Origin::State { .. } => "the state has no",
            Origin::Live { .. } => "the account has no",
            Origin::Baseline { .. } => "the proposed baseline no longer declares",
            Origin::Settings => "the baseline has no",
        }
    }

    /// Who made a change, before a verb: "the plan weakens".
    pub fn changer(&self) -> &'static str {
        match self {
            Origin::Plan { .. } => "the plan",
            Origin::Refresh { .. } => "a change outside Terraform",
            Origin::State { .. } => "the state",
            Origin::Live { .. } => "the account",
            Origin::Baseline { .. } => "the proposed baseline",
            Origin::Settings => "the baseline",
        }
    }

    /// How a message says that the password policy is gone.
    pub fn removes_password_policy(&self) -> &'static str {
        match self {
            Origin::Plan { .. } => "the plan deletes the account password policy",
            Origin::Refresh { .. } => "the account password policy was deleted outside Terraform",
            Origin::State { .. } => "the state has no account password policy",
            Origin::Live { .. } => {
                "the account has no custom password policy (DeleteAccountPasswordPolicy)"
            }
            Origin::Baseline { .. } => {
                "the proposed baseline no longer declares the password policy"
            }
            Origin::Settings => "the baseline has no password policy",
        }
    }

    /// How a message says that an undeclared object is there.
    pub fn exists(&self) -> &'static str {
        if self.is_create() {
            "is created"
        } else {
            "exists"
        }
    }
}
