//! `drift rules` and `drift schema`.

use super::error::{Error, Failure};
use super::output::emit;
use crate::baseline;
use crate::render;
use crate::rules;

pub(super) fn run_rules(id: Option<&str>) -> Result<u8, Error> {
    let text = match id {
        None => render::rules::list(),
        Some(id) => {
            let Some(rule) = rules::find(id) else {
                let ids: Vec<&str> = rules::all().map(|r| r.id.as_str()).collect();
                let f = Failure::new(format!("unknown rule `{id}`"));
                let f = match baseline::parse_suggest(id, &ids) {
                    Some(s) => f.help(format!("did you mean `{s}`?")),
                    None => f.help("`drift rules` lists every rule"),
                };
                return Err(f.into());
            };
            render::rules::explain(rule)
        }
    };
    emit(None, &text)?;
    Ok(0)
}

pub(super) fn run_schema() -> Result<u8, Error> {
    emit(None, baseline::schema::SCHEMA)?;
    Ok(0)
}
