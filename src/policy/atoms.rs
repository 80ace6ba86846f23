//! A policy document split into atoms: one effect, one action pattern, one
//! resource pattern, one principal and the statement's condition block.
//! `NotAction`, `NotResource` and `NotPrincipal` stay whole, as complements.

use super::condition::{Block, Condition};
use super::glob;
use super::principal::{Caller, Who};
use super::tree::Tree;
use serde_json::Value;
use std::sync::Arc;

/// Allow or Deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Effect {
    Allow,
    Deny,
}

/// What an atom says about one dimension of a request (action or resource).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Names {
    /// One pattern (`s3:Get*`).
    One(String),
    /// Everything but these patterns (`NotAction`, `NotResource`).
    AllBut(Vec<String>),
    /// The statement does not speak of this dimension (a trust policy has no
    /// `Resource`): anything.
    Any,
}

impl Names {
    /// Whether everything `inner` matches, `self` matches too.
    pub fn includes(&self, inner: &Names, caseless: bool) -> bool {
        match (self, inner) {
            (Names::Any, _) => true,
            (Names::One(p), _) if glob::is_everything(p) => true,
            (_, Names::Any) => false,
            (Names::One(o), Names::One(i)) => glob::includes(o, i, caseless),
            // Only "everything" covers a complement: AWS adds names every week.
            (Names::One(_), Names::AllBut(_)) => false,
            (Names::AllBut(o), Names::One(i)) => o.iter().all(|x| glob::disjoint(x, i, caseless)),
            // Everything but I, inside everything but O: O inside I.
            (Names::AllBut(o), Names::AllBut(i)) => o
                .iter()
                .all(|x| i.iter().any(|y| glob::includes(y, x, caseless))),
        }
    }

    /// Whether a concrete name is matched. `None` when a policy variable makes
    /// that undecidable.
    pub fn admits(&self, name: Option<&str>, caseless: bool) -> Option<bool> {
        let Some(name) = name else {
            return Some(true);
        };
        match self {
            Names::Any => Some(true),
            Names::One(p) if glob::has_variable(p) => None,
            Names::One(p) => Some(glob::matches(p, name, caseless)),
            Names::AllBut(list) => {
                if list.iter().any(|p| glob::has_variable(p)) {
                    return None;
                }
                Some(!list.iter().any(|p| glob::matches(p, name, caseless)))
            }
        }
    }

    /// The pattern as people read it.
    pub fn show(&self) -> String {
        match self {
            Names::One(p) => p.clone(),
            Names::AllBut(list) => format!("anything but {}", list.join(", ")),
            Names::Any => "*".to_string(),
        }
    }

    /// Whether this covers every name (`*`, or a dimension not spoken of).
    pub fn is_everything(&self) -> bool {
        match self {
            Names::One(p) => glob::is_everything(p),
            Names::Any => true,
            Names::AllBut(_) => false,
        }
    }
}

/// What an atom says about the principal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Principals {
    One(Who),
    AllBut(Vec<Who>),
    /// No `Principal`: an identity policy, whose principal is its holder.
    Any,
}

impl Principals {
    pub fn includes(&self, inner: &Principals) -> bool {
        match (self, inner) {
            (Principals::Any, _) | (Principals::One(Who::Everyone), _) => true,
            (_, Principals::Any) => false,
            (Principals::One(o), Principals::One(i)) => o.includes(i),
            (Principals::One(_), Principals::AllBut(_)) => false,
            (Principals::AllBut(o), Principals::One(i)) => o.iter().all(|x| x.disjoint(i)),
            (Principals::AllBut(o), Principals::AllBut(i)) => {
                o.iter().all(|x| i.iter().any(|y| y.includes(x)))
            }
        }
    }

    pub fn admits(&self, caller: Option<&Caller>) -> bool {
        match (self, caller) {
            (Principals::Any, _) => true,
            (Principals::One(Who::Everyone), _) => true,
            (_, None) => false,
            (Principals::One(w), Some(c)) => w.admits(c),
            (Principals::AllBut(list), Some(c)) => !list.iter().any(|w| w.admits(c)),
        }
    }

    pub fn show(&self) -> String {
        match self {
            Principals::One(w) => w.to_string(),
            Principals::AllBut(list) => format!(
                "anyone but {}",
                list.iter()
                    .map(Who::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Principals::Any => String::new(),
        }
    }
}

/// Where an atom comes from: the statement's position and `Sid`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StatementRef {
    pub index: usize,
    pub sid: Option<String>,
}

impl std::fmt::Display for StatementRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.sid {
            Some(sid) => write!(f, "statement `{sid}`"),
            None => write!(f, "statement {}", self.index + 1),
        }
    }
}

/// One atom of a document.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Atom {
    pub effect: Effect,
    pub action: Names,
    pub resource: Names,
    pub principal: Principals,
    pub condition: Arc<Block>,
    pub statement: Arc<StatementRef>,
}

impl Atom {
    /// Whether every request this atom matches, `outer` matches too (the
    /// effect aside).
    pub fn within(&self, outer: &Atom) -> bool {
        outer.action.includes(&self.action, true)
            && outer.resource.includes(&self.resource, false)
            && outer.principal.includes(&self.principal)
            && self.condition.implies(&outer.condition)
    }

    /// The same, without conditions: `outer` matches every request of this atom
    /// whatever its context, when `outer` has no condition.
    pub fn within_unconditional(&self, outer: &Atom) -> bool {
        outer.condition.is_empty()
            && outer.action.includes(&self.action, true)
            && outer.resource.includes(&self.resource, false)
            && outer.principal.includes(&self.principal)
    }

    /// Whether the atom spells the same request set as `other` (word for word).
    pub fn same_as(&self, other: &Atom) -> bool {
        self.effect == other.effect
            && self.action == other.action
            && self.resource == other.resource
            && self.principal == other.principal
            && self.condition == other.condition
    }
}

/// A document read for comparison.
#[derive(Debug, Clone, Default)]
pub struct Atoms {
    pub version: Option<String>,
    pub atoms: Vec<Atom>,
    /// Why some of the document cannot be judged (a statement without an
    /// effect, an unknown operator, ...). Empty when all of it can.
    pub problems: Vec<String>,
    /// Whether a value holds a policy variable.
    pub variables: bool,
}

/// The elements a statement may have.
const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
];

fn strings(v: &Tree<'_>) -> Vec<String> {
    match v {
        Tree::List(items) => items.iter().flat_map(strings).collect(),
        Tree::Str(s) => vec![s.to_string()],
        Tree::Null => Vec::new(),
        other => vec![other.to_string()],
    }
}

fn names(stmt: &Tree<'_>, yes: &str, no: &str) -> Result<Vec<Names>, String> {
    match (stmt.get(yes), stmt.get(no)) {
        (Some(_), Some(_)) => Err(format!("a statement has both `{yes}` and `{no}`")),
        (Some(v), None) => {
            let list = strings(v);
            if list.is_empty() {
                return Err(format!("a statement has an empty `{yes}`"));
            }
            Ok(list.into_iter().map(Names::One).collect())
        }
        (None, Some(v)) => Ok(vec![Names::AllBut(strings(v))]),
        (None, None) => Ok(vec![Names::Any]),
    }
}

fn principals(v: &Tree<'_>) -> Result<Vec<Who>, String> {
    match v {
        Tree::Str(s) if s == "*" => Ok(vec![Who::Everyone]),
        Tree::Map(members) => {
            let mut out = Vec::new();
            for (kind, names) in members {
                for name in strings(names) {
                    out.push(Who::of(kind, &name));
                }
            }
            Ok(out)
        }
        other => Err(format!("a principal must be `*` or an object, not {other}")),
    }
}

impl Atoms {
    /// Splits a (normalized) document into atoms.
    pub fn of(doc: &Value) -> Atoms {
        Atoms::of_tree(&Tree::of(doc))
    }

    /// Splits a document's JSON text into atoms, without building a
    /// `serde_json::Value` first.
    pub fn of_text(text: &str) -> Atoms {
        match Tree::parse(text) {
            Ok(tree) => Atoms::of_tree(&tree),
            Err(e) => Atoms {
                problems: vec![format!("not a valid policy document ({e})")],
                ..Atoms::default()
            },
        }
    }

    fn of_tree(doc: &Tree<'_>) -> Atoms {
        let mut out = Atoms {
            version: doc
                .get("Version")
                .and_then(Tree::as_str)
                .map(str::to_string),
            ..Atoms::default()
        };
        let statements: Vec<&Tree<'_>> = match doc.get("Statement") {
            Some(Tree::List(items)) => items.iter().collect(),
            Some(one @ Tree::Map(_)) => vec![one],
            Some(_) => {
                out.problems
                    .push("`Statement` is not a list of statements".into());
                return out;
            }
            None => Vec::new(),
        };
        for (index, stmt) in statements.into_iter().enumerate() {
            if let Err(problem) = out.statement(index, stmt) {
                out.problems
                    .push(format!("statement {}: {problem}", index + 1));
            }
        }
        out
    }

    fn statement(&mut self, index: usize, stmt: &Tree<'_>) -> Result<(), String> {
        let Tree::Map(members) = stmt else {
            return Err("not an object".into());
        };
        if let Some((key, _)) = members
            .iter()
            .find(|(k, _)| !STATEMENT_KEYS.contains(&k.as_ref()))
        {
            return Err(format!("unknown element `{key}`"));
        }
        let map = stmt;
        if map.get("Sid").is_some_and(|s| s.as_str().is_none()) {
            return Err("`Sid` is not a string".into());
        }
        let effect = match map.get("Effect").and_then(Tree::as_str) {
            Some("Allow") => Effect::Allow,
            Some("Deny") => Effect::Deny,
            other => return Err(format!("`Effect` is {other:?}, not Allow or Deny")),
        };
        let actions = names(map, "Action", "NotAction")?;
        if actions == [Names::Any] {
            return Err("no `Action` or `NotAction`".into());
        }
        let resources = names(map, "Resource", "NotResource")?;
        let principals = match (map.get("Principal"), map.get("NotPrincipal")) {
            (Some(_), Some(_)) => return Err("both `Principal` and `NotPrincipal`".into()),
            (Some(p), None) => principals(p)?.into_iter().map(Principals::One).collect(),
            (None, Some(p)) => vec![Principals::AllBut(principals(p)?)],
            (None, None) => vec![Principals::Any],
        };
        let mut block = Block::default();
        match map.get("Condition") {
            None => {}
            Some(Tree::Map(ops)) => {
                for (op, keys) in ops {
                    let Tree::Map(keys) = keys else {
                        return Err(format!("condition `{op}` is not an object of keys"));
                    };
                    for (key, values) in keys {
                        block
                            .conditions
                            .push(Condition::new(op, key, strings(values)));
                    }
                }
            }
            Some(_) => return Err("`Condition` is not an object".into()),
        }
        block.conditions.sort();
        for op in block.unknown_operators() {
            self.problems.push(format!(
                "statement {}: unknown condition operator `{op}`",
                index + 1
            ));
        }
        let text_has_var = |list: &[Names]| {
            list.iter().any(|n| match n {
                Names::One(p) => glob::has_variable(p),
                Names::AllBut(ps) => ps.iter().any(|p| glob::has_variable(p)),
                Names::Any => false,
            })
        };
        if text_has_var(&actions)
            || text_has_var(&resources)
            || block.conditions.iter().any(Condition::has_variable)
        {
            self.variables = true;
        }
        let condition = Arc::new(block);
        let statement = Arc::new(StatementRef {
            index,
            sid: map
                .get("Sid")
                .and_then(Tree::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        });
        for action in &actions {
            for resource in &resources {
                for principal in &principals {
                    self.atoms.push(Atom {
                        effect,
                        action: action.clone(),
                        resource: resource.clone(),
                        principal: principal.clone(),
                        condition: condition.clone(),
                        statement: statement.clone(),
                    });
                }
            }
        }
        Ok(())
    }

    pub fn allows(&self) -> impl Iterator<Item = &Atom> {
        self.atoms.iter().filter(|a| a.effect == Effect::Allow)
    }

    pub fn denies(&self) -> impl Iterator<Item = &Atom> {
        self.atoms.iter().filter(|a| a.effect == Effect::Deny)
    }
}
