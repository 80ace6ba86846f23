//! Sources turn outside input into the one [`crate::state::IamState`] model.

pub mod live;
pub mod plan;
