//! The command line: parse arguments, resolve them into library options,
//! call the library, print results. No simulation logic lives here.

// Everything `cli` prints goes through `terminal::printable`: these shadow
// the standard printing macros for every module below, so no message can
// forget it.
macro_rules! println {
    () => { ::std::println!() };
    ($($arg:tt)*) => {
        ::std::println!("{}", $crate::cli::terminal::printable(&::std::format!($($arg)*)))
    };
}
macro_rules! eprintln {
    () => { ::std::eprintln!() };
    ($($arg:tt)*) => {
        ::std::eprintln!("{}", $crate::cli::terminal::printable(&::std::format!($($arg)*)))
    };
}
macro_rules! print {
    ($($arg:tt)*) => {
        ::std::print!("{}", $crate::cli::terminal::printable(&::std::format!($($arg)*)))
    };
}
macro_rules! eprint {
    ($($arg:tt)*) => {
        ::std::eprint!("{}", $crate::cli::terminal::printable(&::std::format!($($arg)*)))
    };
}

mod analyses;
mod args;
mod compare;
mod durability;
mod experiment;
mod forecast;
mod init;
mod list;
mod markdown;
mod merge;
mod output;
mod params;
mod progress;
mod run;
mod score;
mod signal;
mod suite;
mod table;
mod terminal;
mod trace;
mod validate;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

pub use args::{Cli, Command};

/// Exit status: success.
pub const EXIT_OK: u8 = 0;
/// Exit status: a failure while running (I/O).
pub const EXIT_FAILURE: u8 = 1;
/// Exit status: bad input (a scenario with errors, bad arguments).
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit status: interrupted by Ctrl-C or SIGTERM.
pub const EXIT_INTERRUPTED: u8 = 130;

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match &cli.command {
        Command::Run(a) => run::run(a),
        Command::Sweep(a) => analyses::sweep(a),
        Command::Experiment(a) => experiment::experiment(a),
        Command::Params(a) => params::params(a),
        Command::Sensitivity(a) => analyses::sensitivity(a),
        Command::Discover(a) => analyses::discover(a),
        Command::Forecast(a) => forecast::forecast(a),
        Command::Calibrate(a) => match &a.suite {
            Some(dir) => suite::calibrate_suite(a, dir),
            None => analyses::calibrate(a),
        },
        Command::Compare(a) => compare::compare(a),
        Command::Validate(a) => validate::validate(a),
        Command::Trace(a) => trace::trace(a),
        Command::List(a) => list::list(a),
        Command::Init(a) => init::init(a),
        Command::Completions(a) => {
            let mut script = Vec::new();
            clap_complete::generate(a.shell, &mut Cli::command(), "brink", &mut script);
            output::emit(&script)
        }
        Command::Man(a) if a.markdown => man_markdown(a.subcommand.as_deref()),
        Command::Man(a) => man(a.subcommand.as_deref()),
        Command::Merge(a) => merge::merge(a),
        Command::Score(a) => score::score(a),
    };
    ExitCode::from(code)
}

/// Prints the command reference in Markdown: of every command, or of one.
fn man_markdown(subcommand: Option<&str>) -> u8 {
    let cmd = Cli::command();
    let text = match subcommand {
        None => markdown::reference(&cmd),
        Some(name) => match markdown::reference_of(&cmd, name) {
            Some(t) => t,
            None => {
                let names: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
                eprintln!("error: no subcommand `{name}`; known: {}", names.join(", "));
                return EXIT_BAD_INPUT;
            }
        },
    };
    output::emit(text.as_bytes())
}

/// Prints the man page of `brink`, or of one subcommand, (roff) on stdout.
fn man(subcommand: Option<&str>) -> u8 {
    let mut cmd = Cli::command();
    if let Some(name) = subcommand {
        let names: Vec<String> = cmd
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        let Some(sub) = cmd.find_subcommand(name).cloned() else {
            eprintln!("error: no subcommand `{name}`; known: {}", names.join(", "));
            return EXIT_BAD_INPUT;
        };
        cmd = sub
            .display_name(format!("brink-{name}"))
            .bin_name(format!("brink {name}"))
            .version(env!("CARGO_PKG_VERSION"));
    }
    let mut page = Vec::new();
    match clap_mangen::Man::new(cmd).render(&mut page) {
        Ok(()) => output::emit(&page),
        Err(e) => {
            eprintln!("error: writing the man page: {e}");
            EXIT_FAILURE
        }
    }
}
