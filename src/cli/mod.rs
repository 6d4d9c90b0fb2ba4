//! The command line: parse arguments, resolve them into library options,
//! call the library, print results. No simulation logic lives here.

mod analyses;
mod args;
mod compare;
mod progress;
mod run;
mod table;

use std::process::ExitCode;

use clap::Parser;

pub use args::{Cli, Command};

/// Exit status: success.
pub const EXIT_OK: u8 = 0;
/// Exit status: a failure while running (I/O, interrupted).
pub const EXIT_FAILURE: u8 = 1;
/// Exit status: bad input (a scenario with errors, bad arguments).
pub const EXIT_BAD_INPUT: u8 = 2;

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match &cli.command {
        Command::Run(a) => run::run(a),
        Command::Sweep(a) => analyses::sweep(a),
        Command::Sensitivity(a) => analyses::sensitivity(a),
        Command::Discover(a) => analyses::discover(a),
        Command::Calibrate(a) => analyses::calibrate(a),
        Command::Compare(a) => compare::compare(a),
    };
    ExitCode::from(code)
}
