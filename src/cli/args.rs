//! Arguments as typed (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// brink: seeded Monte Carlo simulation of the US-Iran nuclear standoff.
#[derive(Debug, Parser)]
#[command(name = "brink", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run scenarios and write their outcome distributions.
    #[command(after_help = "Examples:\n  \
        brink run scenarios/muscat-2026.toml\n  \
        brink run scenarios/muscat-2026.toml --trials 100000 --seed 7\n  \
        brink run scenarios/*.toml --out results")]
    Run(RunArgs),
}

/// `brink run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario files.
    #[arg(required = true, value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// Number of trials (default: the scenario's `run.trials`).
    #[arg(long, short = 'n', value_parser = clap::value_parser!(u64).range(1..))]
    pub trials: Option<u64>,
    /// Master seed (default: the scenario's `run.seed`).
    #[arg(long, short = 's')]
    pub seed: Option<u64>,
    /// Worker threads; 0 uses every core. Results do not depend on it.
    #[arg(long, short = 'j', default_value_t = 0)]
    pub threads: usize,
    /// Folder that receives one sub-folder per scenario.
    #[arg(long, short = 'o', default_value = "output")]
    pub out: PathBuf,
    /// Print nothing but errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}
