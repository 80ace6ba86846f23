//! End-to-end tests of the `drift` binary, one module per command.
#![allow(clippy::unwrap_used, clippy::print_stderr, clippy::print_stdout)]
mod common;
mod cli {
    mod accounts;
    mod action;
    mod check;
    mod events;
    mod formats;
    mod init;
    mod input;
    mod nightly;
    mod output;
    mod report;
    mod report_html;
    mod rules;
    mod secrets;
    mod validate;
}
