//! The shell around the core, one file per command: files, standard streams,
//! terminal, exit codes. Nothing here decides what is drift.

#[cfg(feature = "live")]
mod accounts;
#[cfg(not(feature = "live"))]
#[path = "accounts_off.rs"]
mod accounts;
mod baselines;
mod error;
mod events;
mod init;
mod inputs;
mod judge;
#[cfg(feature = "live")]
mod live;
#[cfg(not(feature = "live"))]
#[path = "live_off.rs"]
mod live;
mod output;
mod providers;
mod rules;

use crate::cli::{Cli, Command};
use std::process::ExitCode;

pub fn run(cli: Cli) -> ExitCode {
    error::install_diagnostics();
    let result = match cli.command {
        Command::Check(args) => judge::run_check(&args),
        Command::Report(args) => judge::run_report(&args),
        Command::Init(args) => init::run_init(&args),
        Command::Validate { file } => init::run_validate(&file),
        Command::Rules { id } => rules::run_rules(id.as_deref()),
        Command::Schema { markdown } => rules::run_schema(markdown),
        Command::Events(args) => events::run_events(&args),
        Command::Completions { shell } => rules::run_completions(shell),
        Command::Man { command } => rules::run_man(command.as_deref()),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => error::report_error(err),
    }
}
