use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = iam_drift_guard::cli::Cli::parse();
    iam_drift_guard::app::run(cli)
}
