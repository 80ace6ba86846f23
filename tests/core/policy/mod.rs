//! Policies judged by what they grant, mirroring `src/policy/`: documents
//! compared by meaning, inclusion of patterns, principals and conditions, the
//! comparison and its soundness against an independent evaluator, and the
//! action catalogue.

mod catalogue;
mod compare;
mod doc;
mod soundness;

#[path = "../../oracle/eval.rs"]
pub(crate) mod eval;
#[path = "../../oracle/gen.rs"]
pub(crate) mod generator;
#[path = "../../oracle/property.rs"]
pub(crate) mod property;
