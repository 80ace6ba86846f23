//! `drift rules`, `drift schema`, and what is generated from the CLI
//! definition: `drift completions` and `drift man`.

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

pub(super) fn run_schema(markdown: bool) -> Result<u8, Error> {
    if markdown {
        emit(None, &baseline::schema::reference())?;
    } else {
        emit(None, baseline::schema::SCHEMA)?;
    }
    Ok(0)
}

pub(super) fn run_completions(shell: clap_complete::Shell) -> Result<u8, Error> {
    let mut cmd = <crate::cli::Cli as clap::CommandFactory>::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "drift", &mut out);
    emit(None, &String::from_utf8_lossy(&out))?;
    Ok(0)
}

pub(super) fn run_man(command: Option<&str>) -> Result<u8, Error> {
    let mut cmd = <crate::cli::Cli as clap::CommandFactory>::command();
    cmd.build();
    let page = match command {
        None => cmd,
        Some(name) => {
            let Some(sub) = cmd.find_subcommand(name).cloned() else {
                let names: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
                let f = Failure::new(format!("unknown command `{name}`"));
                let f = match baseline::parse_suggest(name, &names) {
                    Some(s) => f.help(format!("did you mean `{s}`?")),
                    None => f.help(format!("one of: {}", names.join(", "))),
                };
                return Err(f.into());
            };
            sub.display_name(format!("drift-{name}"))
                .version(env!("CARGO_PKG_VERSION"))
        }
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut out)
        .map_err(|e| Failure::new(format!("cannot write the manual page: {e}")))?;
    emit(None, &String::from_utf8_lossy(&out))?;
    Ok(0)
}
