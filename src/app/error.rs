//! Errors that end a command with exit code 2, and the one place that prints
//! diagnostics.

use crate::baseline;
use miette::Diagnostic;
use std::fmt;
use std::io::IsTerminal;
use std::process::ExitCode;

/// An error that ends the command with exit code 2 (boxed: results that carry
/// it stay small).
#[derive(Debug)]
pub struct Failure(Box<Details>);

#[derive(Debug)]
struct Details {
    message: String,
    help: Option<String>,
}

impl Failure {
    pub(super) fn new(message: impl Into<String>) -> Failure {
        Failure(Box::new(Details {
            message: message.into(),
            help: None,
        }))
    }

    pub(super) fn help(mut self, help: impl Into<String>) -> Failure {
        self.0.help = Some(help.into());
        self
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for Failure {}

impl Diagnostic for Failure {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.0
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
}

pub(super) enum Error {
    Baseline(baseline::BaselineErrors),
    Failure(Failure),
}

impl From<Failure> for Error {
    fn from(f: Failure) -> Error {
        Error::Failure(f)
    }
}

// The one place that prints diagnostics.
#[allow(clippy::print_stderr)]
pub(super) fn report_error(err: Error) -> ExitCode {
    let report = match err {
        Error::Baseline(e) => miette::Report::new(e),
        Error::Failure(f) => miette::Report::new(f),
    };
    eprintln!("{report:?}");
    ExitCode::from(2)
}

/// Diagnostics: wrapped and colored for a terminal; one line per message and no
/// color for logs and pipes (and whenever NO_COLOR is set).
pub(super) fn install_diagnostics() {
    let terminal = std::io::stderr().is_terminal();
    let color = terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let _ = miette::set_hook(Box::new(move |_| {
        Box::new(
            miette::MietteHandlerOpts::new()
                .wrap_lines(terminal)
                .color(color)
                .terminal_links(false)
                .build(),
        )
    }));
}
