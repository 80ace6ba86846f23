//! This drift was built without live reads (the `live` feature): `--live` is an
//! error that says so.

use super::error::{Error, Failure};
use crate::baseline::Baseline;
use crate::cli::LiveArgs;
use crate::observation::Observation;
use crate::state::IamState;

pub(super) fn unavailable() -> Error {
    Failure::new("this drift was built without live reads (the `live` feature)")
        .help("build it with the default features, or read a plan or a state")
        .into()
}

pub(super) fn observe(_: &LiveArgs, _: &Baseline) -> Result<Observation, Error> {
    Err(unavailable())
}

pub(super) fn read_state(_: &LiveArgs) -> Result<IamState, Error> {
    Err(unavailable())
}
