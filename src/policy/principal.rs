//! Principals of resource policies (trust policies), ordered by who they let
//! in: `"*"` lets everyone in; `{"AWS": "*"}` every AWS principal; an account's
//! root (`arn:aws:iam::ACCOUNT:root`, or the bare account id) every principal of
//! that account; a user, role or session ARN only itself. Service, federated
//! and canonical-user principals are compared by name.

use std::fmt;

/// One principal of a statement.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Who {
    /// `"Principal": "*"`.
    Everyone,
    /// `{"AWS": "*"}`.
    AnyAws,
    /// `{"AWS": "ACCOUNT"}` or `{"AWS": "arn:PARTITION:iam::ACCOUNT:root"}`,
    /// held as the root's ARN (a bare account id is in partition `aws`).
    Account(String),
    /// `{"AWS": ARN}` of a user, role, assumed-role session or federated user.
    Arn(String),
    /// `{"Service" | "Federated" | "CanonicalUser": NAME}`.
    Named { kind: String, name: String },
}

/// A concrete caller: a principal type and its identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub kind: String,
    pub id: String,
}

/// The account of an IAM or STS ARN (`arn:aws:iam::123456789012:role/x`).
pub fn account_of(arn: &str) -> Option<&str> {
    scope_of(arn).map(|(_, account)| account)
}

/// The partition and account of an ARN.
fn scope_of(arn: &str) -> Option<(&str, &str)> {
    let mut parts = arn.splitn(6, ':');
    let (arn_word, partition, _service, _region, account) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    (arn_word == "arn" && !account.is_empty()).then_some((partition, account))
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

impl Who {
    /// A principal of type `kind` (`AWS`, `Service`, ...) named `name`.
    pub fn of(kind: &str, name: &str) -> Who {
        if kind == "AWS" {
            if name == "*" {
                return Who::AnyAws;
            }
            if is_account_id(name) {
                return Who::Account(format!("arn:aws:iam::{name}:root"));
            }
            if account_of(name).is_some()
                && name.ends_with(":root")
                && name.split(':').nth(2) == Some("iam")
                && name.matches(':').count() == 5
            {
                return Who::Account(name.to_string());
            }
            return Who::Arn(name.to_string());
        }
        Who::Named {
            kind: kind.to_string(),
            name: name.to_string(),
        }
    }

    /// Whether every caller `inner` lets in, `self` lets in too.
    pub fn includes(&self, inner: &Who) -> bool {
        match (self, inner) {
            (Who::Everyone, _) => true,
            (Who::AnyAws, Who::AnyAws | Who::Account(_) | Who::Arn(_)) => true,
            (Who::Account(a), Who::Account(b)) => a == b,
            (Who::Account(a), Who::Arn(arn)) => {
                scope_of(arn).is_some() && scope_of(arn) == scope_of(a)
            }
            (a, b) => a == b,
        }
    }

    /// Whether no caller is let in by both.
    pub fn disjoint(&self, other: &Who) -> bool {
        match (self, other) {
            (Who::Everyone, _) | (_, Who::Everyone) => false,
            (Who::AnyAws, Who::Named { .. }) | (Who::Named { .. }, Who::AnyAws) => true,
            (Who::AnyAws, _) | (_, Who::AnyAws) => false,
            (Who::Account(a), Who::Account(b)) => a != b,
            (Who::Account(a), Who::Arn(arn)) | (Who::Arn(arn), Who::Account(a)) => {
                scope_of(arn).is_some_and(|s| Some(s) != scope_of(a))
            }
            (Who::Named { .. }, Who::Account(_) | Who::Arn(_))
            | (Who::Account(_) | Who::Arn(_), Who::Named { .. }) => true,
            (a, b) => a != b,
        }
    }

    /// Whether this principal lets `caller` in.
    pub fn admits(&self, caller: &Caller) -> bool {
        match self {
            Who::Everyone => true,
            Who::AnyAws => caller.kind == "AWS",
            Who::Account(a) => {
                caller.kind == "AWS"
                    && scope_of(&caller.id).is_some()
                    && scope_of(&caller.id) == scope_of(a)
            }
            Who::Arn(arn) => caller.kind == "AWS" && caller.id == *arn,
            Who::Named { kind, name } => caller.kind == *kind && caller.id == *name,
        }
    }

    /// Callers this principal lets in, for building a request.
    pub fn callers(&self) -> Vec<Caller> {
        let aws = |id: String| Caller {
            kind: "AWS".into(),
            id,
        };
        match self {
            Who::Everyone | Who::AnyAws => {
                vec![aws("arn:aws:iam::000000000000:user/drift-witness".into())]
            }
            Who::Account(root) => {
                let role = root.strip_suffix(":root").unwrap_or(root);
                vec![aws(root.clone()), aws(format!("{role}:role/drift-witness"))]
            }
            Who::Arn(arn) => vec![aws(arn.clone())],
            Who::Named { kind, name } => vec![Caller {
                kind: kind.clone(),
                id: name.clone(),
            }],
        }
    }

    /// The account this principal names, if it names one.
    pub fn account(&self) -> Option<&str> {
        match self {
            Who::Account(arn) | Who::Arn(arn) => account_of(arn),
            _ => None,
        }
    }

    /// Whether this principal is everyone (`*` or every AWS principal).
    pub fn is_public(&self) -> bool {
        matches!(self, Who::Everyone | Who::AnyAws)
    }
}

impl fmt::Display for Who {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Who::Everyone => f.write_str("*"),
            Who::AnyAws => f.write_str("AWS:*"),
            Who::Account(root) => write!(
                f,
                "AWS:{} (the whole account)",
                account_of(root).unwrap_or(root)
            ),
            Who::Arn(arn) => write!(f, "AWS:{arn}"),
            Who::Named { kind, name } => write!(f, "{kind}:{name}"),
        }
    }
}
