//! This drift was built without live reads (the `live` feature): `--accounts`
//! and `--org` are an error that says so.

use super::error::Error;
use super::judge::Several;
use crate::baseline::Baseline;
use crate::cli::LiveArgs;

pub(super) fn judge_accounts(
    _: &LiveArgs,
    _: &Baseline,
    _: &str,
    _: i64,
) -> Result<Several, Error> {
    Err(super::live::unavailable())
}

pub(super) fn init_accounts(_: &crate::cli::InitArgs) -> Result<u8, Error> {
    Err(super::live::unavailable())
}
