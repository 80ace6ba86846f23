use clap::Parser;
use std::process::ExitCode;

/// See `mimalloc` in Cargo.toml: reading a plan allocates and frees millions
/// of small values, and the system allocator was a third of the CPU.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = iam_drift_guard::cli::Cli::parse();
    iam_drift_guard::app::run(cli)
}
