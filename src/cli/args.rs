//! Arguments as typed (clap derive).

use std::path::PathBuf;

use brink::jobs::spread::SpreadOptions;
use brink::scenario::LoadOptions;
use brink::world::{N_OUTCOMES, Outcome};
use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Exit codes, shown after every `--help` (docs/cli.md repeats them).
pub const EXIT_CODES_HELP: &str = "Exit codes:
  0    success (validate: every file is valid; warnings allowed)
  1    runtime failure (I/O error while running or writing)
  2    bad input (a scenario with errors, bad arguments, a file that exists)
  130  interrupted by Ctrl-C or SIGTERM (nothing half-written is left)";

/// An outcome named on the command line by its machine name
/// ([`Outcome::key`]); the accepted values are those of [`Outcome::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutcomeArg(pub Outcome);

impl OutcomeArg {
    /// Every value, in [`Outcome::ALL`] order.
    const ALL: [OutcomeArg; N_OUTCOMES] = {
        let mut all = [OutcomeArg(Outcome::ALL[0]); N_OUTCOMES];
        let mut i = 0;
        while i < N_OUTCOMES {
            all[i] = OutcomeArg(Outcome::ALL[i]);
            i += 1;
        }
        all
    };
}

impl ValueEnum for OutcomeArg {
    fn value_variants<'a>() -> &'a [Self] {
        &Self::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.0.key()))
    }
}

/// brink: seeded Monte Carlo simulation of the US-Iran nuclear standoff.
#[derive(Debug, Parser)]
#[command(
    name = "brink",
    version,
    about,
    long_about = None,
    after_help = format!("Examples:
  brink validate scenarios/muscat-2026.toml
  brink run scenarios/muscat-2026.toml --trials 100000 --seed 7
  brink trace scenarios/muscat-2026.toml --trial 17
  brink init my-crisis

{EXIT_CODES_HELP}")
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run scenarios and write their outcome distributions.
    #[command(after_help = format!("Examples:
  brink run scenarios/muscat-2026.toml
  brink run scenarios/muscat-2026.toml --trials 100000 --seed 7
  brink run scenarios/*.toml --out results
  brink run scenarios/muscat-2026.toml --precision 0.005
  brink run scenarios/muscat-2026.toml --trials 10000000 --shard 3/16   # then brink merge
  brink run scenarios/muscat-2026.toml --trials 10000000 --resume       # after an interruption

Each scenario is validated first; nothing runs if any has errors. Results go
to OUT/<scenario name>/ and replace a previous result only once complete.

{EXIT_CODES_HELP}"))]
    Run(RunArgs),
    /// Check scenario files and report every problem at once.
    #[command(after_help = format!("Examples:
  brink validate scenarios/muscat-2026.toml
  brink validate scenarios/*.toml

Each problem is shown as FILE:LINE:COLUMN with the offending line, a caret
and a hint. Warnings (an action no actor can take, an outcome that cannot
occur, ...) do not make a file invalid.

{EXIT_CODES_HELP}"))]
    Validate(ValidateArgs),
    /// Tell the story of one trial, step by step.
    #[command(after_help = format!("Examples:
  brink trace scenarios/muscat-2026.toml --trial 17
  brink trace scenarios/muscat-2026.toml --trial 17 --seed 7 --format json
  brink trace scenarios/muscat-2026.toml --trial 0 --format csv > trial0.csv

Trial I with seed S is exactly row I of trials.csv from `brink run --seed S`.

{EXIT_CODES_HELP}"))]
    Trace(TraceArgs),
    /// List the scenarios of a folder with their titles (or the built-in ones).
    #[command(after_help = format!("Examples:
  brink list
  brink list --dir my-scenarios

Where there is no scenarios/ folder and no --dir, the scenarios built into
brink are listed; `brink init NAME --from SCENARIO` writes one as a file.

{EXIT_CODES_HELP}"))]
    List(ListArgs),
    /// Write a commented starter scenario NAME.toml and its calibration
    /// targets NAME.targets.toml, or a copy of a built-in scenario.
    #[command(after_help = format!("Examples:
  brink init my-crisis
  brink init scenarios/what-if --force
  brink init my-baseline --from muscat-2026
  brink init my-what-if --from no-oman        # also writes muscat-2026.toml beside it

The files validate as written; edit their numbers and say where each comes from.
The starter's uncertain numbers make `sensitivity`, `discover`, `sweep` and
`calibrate --targets NAME.targets.toml` work on it from the start.

{EXIT_CODES_HELP}"))]
    Init(InitArgs),
    /// Print a shell completion script.
    #[command(after_help = format!("Examples:
  brink completions bash > ~/.local/share/bash-completion/completions/brink
  brink completions zsh > ~/.zfunc/_brink
  brink completions fish > ~/.config/fish/completions/brink.fish

{EXIT_CODES_HELP}"))]
    Completions(CompletionsArgs),
    /// Print the manual page (roff) of brink or of one subcommand.
    #[command(after_help = format!("Examples:
  brink man > brink.1 && man ./brink.1
  brink man run > brink-run.1
  brink man | gzip > /usr/local/share/man/man1/brink.1.gz

{EXIT_CODES_HELP}"))]
    Man(ManArgs),
    /// Run a scenario at several values of one parameter (common random numbers).
    #[command(after_help = format!("{}\n\n{EXIT_CODES_HELP}", "Examples:\n  \
        brink sweep scenarios/muscat-2026.toml --param actors.us.bias.sanction --range -1:2:7\n  \
        brink sweep scenarios/muscat-2026.toml --param initial.trust --values 0.05,0.1,0.2,0.4 --trials 5000\n\n\
        PATH names a number of the scenario as `brink params` lists it: initial.trust, actors.iran.reciprocity,\n\
        actions.enrich.effects.stockpile, actors.us.red_lines.1.favour.strike, actions.strike.escalation, ...\n\
        A structural number (a rung, a score, a step) compiles the scenario again at each value."))]
    Sweep(SweepArgs),
    /// Run policy options (levers) at every point of a design over uncertain
    /// parameters, from an experiment file.
    #[command(after_help = format!("{}\n\n{EXIT_CODES_HELP}", "Examples:\n  \
        brink experiment scenarios/experiments/carrier-and-pause.toml\n  \
        brink experiment scenarios/experiments/carrier-and-pause.toml --trials 50 --shard 0/4\n\n\
        The file names a scenario, levers (sets of parameter values), uncertainties (ranges or\n\
        distributions) and a design (full_factorial, latin_hypercube, saltelli, explicit);\n\
        every lever runs at every design point with the same trial streams (docs/analysis.md).\n\
        Writes experiment.json, experiment.csv, plots/, report.html and manifest.json to\n\
        OUT/experiment-<name>/.\n\
        Cost: levers x design points x trials."))]
    Experiment(ExperimentArgs),
    /// List every number of a scenario that --set and sweeps accept.
    #[command(after_help = format!("{}\n\n{EXIT_CODES_HELP}", "Examples:\n  \
        brink params scenarios/muscat-2026.toml\n  \
        brink params scenarios/muscat-2026.toml --json > params.json\n  \
        brink run scenarios/muscat-2026.toml --set actors.us.rationality=1.5 --set actions.strike.escalation=60\n\n\
        Uncertain and fixed numbers are slots of the compiled model (a sweep varies them without\n\
        compiling again); structural numbers shape the model itself."))]
    Params(ParamsArgs),
    /// Sobol sensitivity indices of every outcome over the uncertain parameters.
    #[command(after_help = format!("{}\n\n{EXIT_CODES_HELP}", "Examples:\n  \
        brink sensitivity scenarios/muscat-2026.toml\n  \
        brink sensitivity scenarios/muscat-2026.toml --samples 512 --trials-per-sample 400\n\n\
        Cost: samples x (parameters + 2) x trials-per-sample trials."))]
    Sensitivity(SensitivityArgs),
    /// Find the assumptions under which an outcome is most likely (PRIM).
    #[command(after_help = format!("{}\n\n{EXIT_CODES_HELP}", "Examples:\n  \
        brink discover scenarios/muscat-2026.toml\n  \
        brink discover scenarios/muscat-2026.toml --outcome deal --trials 50000"))]
    Discover(DiscoverArgs),
    /// Answer dated questions (a question file) with probabilities and intervals.
    #[command(after_help = format!("{}\n\n{EXIT_CODES_HELP}", "Examples:\n  \
        brink forecast scenarios/muscat-2026.toml --questions questions.toml\n  \
        brink forecast scenarios/muscat-2026.toml --questions questions.toml --given \"first_strike by 2026-03-31\"\n\n\
        Each question's event is written in the event language: `deal by 2026-12-31`,\n\
        `war for 8 weeks`, `rung >= 4 by step 3 and talks suspended at step 5` (docs/forecasting.md).\n\
        Writes forecast.json, forecast.csv, report.html and manifest.json to OUT/<scenario>-forecast/."))]
    Forecast(ForecastArgs),
    /// Find the values of the uncertain parameters that agree with expert
    /// judgement (ABC), or (--suite) fit shared assumptions on history.
    #[command(after_help = format!("{}\n\n{EXIT_CODES_HELP}", "Examples:\n  \
        brink calibrate scenarios/muscat-2026.toml --targets scenarios/targets/muscat-2026-experts.toml\n  \
        brink calibrate scenarios/muscat-2026.toml --targets my-targets.toml --samples 4000 --trials-per-sample 400\n\n\
        Writes calibration.json, samples.csv, accepted.csv, the plots and report.html and, when at\n\
        least --min-accepted samples were accepted, <name>-calibrated.toml, which draws the\n\
        calibrated parameters jointly from posterior.csv and extends a copy of the original in\n\
        parent/ (the folder is self-contained).\n\
        Cost: samples x trials-per-sample trials.\n\n\
        Calibration on history (docs/analysis.md):\n  \
        brink calibrate --suite scenarios/history/ --shared scenarios/history/shared.toml\n\
        fits the assumptions the episodes share to their resolved questions (importance sampling\n\
        from the prior) and writes suite-fit.json, samples.csv, questions.csv and fitted.toml, a\n\
        file that extends the shared parent with the fitted values. The baseline does not use it.\n\
        Cost: samples x episodes x trials-per-sample trials."))]
    Calibrate(CalibrateArgs),
    /// Run scenarios side by side with common random numbers and report
    /// paired differences from the first.
    #[command(
        after_help = format!("{}\n\n{EXIT_CODES_HELP}", "Trial i of every scenario uses the same random draws, so outcomes \
        are compared trial by trial: differences are sharper than between separate runs.\n\
        The first scenario is the baseline; the seed and trial count default to its own.\n\
        Results go to OUT/compare-<names>/: comparison.json, comparison.csv, plots/,\n\
        report.html (unless --no-plots) and manifest.json.\n\n\
        Examples:\n  \
        brink compare scenarios/muscat-2026.toml scenarios/sanctions-pause.toml\n  \
        brink compare scenarios/muscat-2026.toml scenarios/no-oman.toml scenarios/second-carrier.toml --trials 50000\n  \
        brink compare scenarios/muscat-2026.toml scenarios/stockpile-deal.toml --seed 7 --out results")
    )]
    Compare(CompareArgs),
    /// Merge shard results into the result the unsharded command would have written.
    #[command(
        after_help = "Each SHARD_DIR is a folder written by `brink run|compare|sweep|experiment|sensitivity|discover|calibrate\n\
        --shard I/N`. The shards must come from the same command (scenario, seed, trial counts, brink\n\
        version) and together cover all its trials, design points or samples exactly once; the kind of result is\n\
        read from their shard.json. See docs/distributed.md.\n\n\
        Examples:\n  \
        brink merge output/muscat-2026.shard-*\n  \
        brink merge shards/sweep-muscat-2026-initial-trust.shard-* --out results\n  \
        brink merge output/muscat-2026.shard-* --scenario scenarios/muscat-2026.toml"
    )]
    Merge(MergeArgs),
    /// Score forecasts against what happened: Brier and log scores with
    /// intervals, references, skill and a reliability diagram.
    #[command(
        after_help = format!("{}\n\n{EXIT_CODES_HELP}", "Each FORECAST is a forecast.json written by `brink forecast`. Only questions\n\
        resolved true or false are scored; the others are listed as skipped. Results go to\n\
        OUT/score/: score.json, score.csv, plots/reliability.png|.svg, report.html (unless\n\
        --no-plots) and manifest.json. See docs/validation.md, \"Scoring\".\n\n\
        Examples:\n  \
        brink score scenarios/history/\n  \
        brink score output/june-2025-forecast/forecast.json\n  \
        brink score output/*-forecast/forecast.json --out results\n  \
        brink score a/forecast.json b/forecast.json --seed 7 --bootstrap 5000")
    )]
    Score(ScoreArgs),
}

/// `brink score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// forecast.json files (schema brink.forecast/1), or one folder of a
    /// history suite (`<episode>.toml` with `<episode>.questions.toml`),
    /// every episode of which is forecast first.
    #[arg(required = true, value_name = "FORECAST|DIR")]
    pub forecasts: Vec<PathBuf>,
    /// Trials per episode when scoring a suite folder (default: each
    /// scenario's `run.trials`).
    #[arg(long, short = 'n', value_parser = clap::value_parser!(u64).range(1..=1_000_000_000_000))]
    pub trials: Option<u64>,
    /// Worker threads when scoring a suite folder; 0 uses every core.
    /// Results do not depend on it.
    #[arg(long, short = 'j', default_value_t = 0, value_parser = brink::limits::parse_threads)]
    pub threads: usize,
    /// Seed of the bootstrap over questions behind the intervals.
    #[arg(long, short = 's', default_value_t = brink::stats::score_result::DEFAULT_SEED)]
    pub seed: u64,
    /// Bootstrap resamples for the intervals.
    #[arg(long, default_value_t = brink::stats::scoring::BOOTSTRAP_RESAMPLES as u64, value_parser = clap::value_parser!(u64).range(2..=1_000_000))]
    pub bootstrap: u64,
    /// Folder that receives the `score` sub-folder.
    #[arg(long, short = 'o', default_value = "output")]
    pub out: PathBuf,
    /// Skip the reliability diagram (`plots/`) and `report.html`.
    #[arg(long)]
    pub no_plots: bool,
    /// Print nothing but errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Splitting work across machines and surviving interruptions.
#[derive(Debug, Args)]
pub struct DurabilityArgs {
    /// Do only shard I of N (I counts from 0: 0/N to N-1/N) and write a shard
    /// folder for `brink merge`; `auto` reads the index from a Slurm array
    /// (SLURM_ARRAY_TASK_ID, _MIN, _COUNT) or a Kubernetes Indexed Job
    /// (JOB_COMPLETION_INDEX with --shards N or BRINK_SHARDS).
    #[arg(long, value_name = "I/N|auto")]
    pub shard: Option<String>,
    /// Number of shards for `--shard auto` when the scheduler does not give
    /// it (a Kubernetes Indexed Job: its completions).
    #[arg(long, value_name = "N", requires = "shard", value_parser = clap::value_parser!(u64).range(1..))]
    pub shards: Option<u64>,
    /// Continue from the checkpoint an interrupted run of the same command
    /// left (starts afresh when there is none).
    #[arg(long)]
    pub resume: bool,
    /// Seconds between checkpoints (0: after every batch of trials).
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub checkpoint_every: f64,
}

/// `brink merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Shard folders, in any order.
    #[arg(required = true, value_name = "SHARD_DIR")]
    pub shards: Vec<PathBuf>,
    /// The scenario file, if it is no longer where the shards ran.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
    /// Folder that receives the merged result folder.
    #[arg(long, short = 'o', default_value = "output")]
    pub out: PathBuf,
    /// Skip the plots and `report.html` of a run.
    #[arg(long)]
    pub no_plots: bool,
    /// Print nothing but errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// The spread over assumptions of a merged run (shards leave it to the merge).
    #[command(flatten)]
    pub spread: SpreadArgs,
}

/// How scenario files find their parents, for every command that loads scenarios.
#[derive(Debug, Args)]
pub struct LoadArgs {
    /// Folder that `extends` may not reach outside (default: the nearest
    /// folder named `scenarios` holding the scenario, else its own folder).
    #[arg(long, value_name = "DIR")]
    pub scenario_root: Option<PathBuf>,
    /// Fix a number of the scenario (of every scenario, for compare):
    /// PATH=VALUE, any path `brink params` lists; VALUE may be negative.
    /// An uncertain number loses its distribution. Repeatable.
    #[arg(long = "set", value_name = "PATH=VALUE", allow_hyphen_values = true)]
    pub set: Vec<String>,
}

impl LoadArgs {
    /// The library's options for loading scenarios.
    pub fn options(&self) -> LoadOptions {
        LoadOptions {
            scenario_root: self.scenario_root.clone(),
            set: self.set.clone(),
        }
    }
}

/// `brink params`.
#[derive(Debug, Args)]
pub struct ParamsArgs {
    /// Scenario file.
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// Print JSON (schema_version 1, fields in docs/cli.md) instead of a table.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub load: LoadArgs,
}

/// The nested design that gives each key figure its spread over the
/// scenario's uncertain assumptions (`docs/analysis.md`).
#[derive(Debug, Args)]
pub struct SpreadArgs {
    /// Assumption draws of the nested design that gives every key figure its
    /// spread over the uncertain assumptions (5th-95th percentile); 0 turns
    /// it off. Only for scenarios with uncertain numbers [default: 100]
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u64).range(0..=1_000_000))]
    pub assumption_draws: Option<u64>,
    /// Trials under each assumption draw [default: 200]
    #[arg(long, value_name = "M", value_parser = clap::value_parser!(u64).range(2..=1_000_000_000))]
    pub trials_per_draw: Option<u64>,
}

impl SpreadArgs {
    /// The library's options, defaults filled in.
    pub fn options(&self) -> SpreadOptions {
        let d = SpreadOptions::default();
        SpreadOptions {
            draws: self.assumption_draws.unwrap_or(d.draws),
            trials_per_draw: self.trials_per_draw.unwrap_or(d.trials_per_draw),
        }
    }

    /// Whether either option was given on the command line.
    pub fn given(&self) -> bool {
        self.assumption_draws.is_some() || self.trials_per_draw.is_some()
    }
}

/// File formats of a result's tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormatArg {
    /// Comma-separated values, `<table>.csv`.
    Csv,
    /// Apache Parquet, `<table>.parquet` (Snappy-compressed, typed columns).
    Parquet,
}

impl TableFormatArg {
    /// The library's format.
    pub fn format(self) -> brink::export::Format {
        match self {
            TableFormatArg::Csv => brink::export::Format::Csv,
            TableFormatArg::Parquet => brink::export::Format::Parquet,
        }
    }
}

/// Options every analysis shares.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Master seed (default: the scenario's `run.seed`).
    #[arg(long, short = 's')]
    pub seed: Option<u64>,
    /// Worker threads; 0 uses every core. Results do not depend on it.
    #[arg(long, short = 'j', default_value_t = 0, value_parser = brink::limits::parse_threads)]
    pub threads: usize,
    /// Folder that receives the result folder.
    #[arg(long, short = 'o', default_value = "output")]
    pub out: PathBuf,
    /// Skip the plots (`plots/*.png`, `plots/*.svg`) and `report.html`.
    #[arg(long)]
    pub no_plots: bool,
    /// Print nothing but errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// File format of the result's tables (trials, time series, sweep,
    /// sensitivity, comparison, discovery, samples).
    #[arg(long, value_enum, default_value_t = TableFormatArg::Csv, value_name = "FORMAT")]
    pub format: TableFormatArg,
    #[command(flatten)]
    pub load: LoadArgs,
}

/// `brink sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Scenario file.
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// The parameter to vary, by path.
    #[arg(long, value_name = "PATH")]
    pub param: String,
    /// Values, comma-separated (`--values -1,0,1` works).
    #[arg(
        long,
        value_delimiter = ',',
        allow_hyphen_values = true,
        conflicts_with = "range",
        required_unless_present = "range"
    )]
    pub values: Vec<f64>,
    /// `LOW:HIGH:N`: N equally spaced values from LOW to HIGH.
    #[arg(long, allow_hyphen_values = true)]
    pub range: Option<String>,
    /// Trials per value (default: the scenario's `run.trials`).
    #[arg(long, short = 'n', value_parser = clap::value_parser!(u64).range(1..))]
    pub trials: Option<u64>,
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(flatten)]
    pub durability: DurabilityArgs,
}

/// `brink experiment`.
#[derive(Debug, Args)]
pub struct ExperimentArgs {
    /// Experiment file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Trials per design point (default: the file's `trials`, else the
    /// scenario's `run.trials`).
    #[arg(long, short = 'n', value_parser = clap::value_parser!(u64).range(1..))]
    pub trials: Option<u64>,
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(flatten)]
    pub durability: DurabilityArgs,
}

/// `brink sensitivity`.
#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// Scenario file.
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// Rows N of each Saltelli sample matrix.
    #[arg(long, default_value_t = 256, value_parser = clap::value_parser!(u64).range(2..))]
    pub samples: u64,
    /// Trials run at each design point.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..))]
    pub trials_per_sample: u64,
    /// Bootstrap resamples for the intervals.
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u64).range(2..))]
    pub bootstrap: u64,
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(flatten)]
    pub durability: DurabilityArgs,
}

/// `brink discover`.
#[derive(Debug, Args)]
pub struct DiscoverArgs {
    /// Scenario file.
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// Outcome of interest.
    #[arg(long, default_value = "war_ongoing", value_enum)]
    pub outcome: OutcomeArg,
    /// Trials (default: the scenario's `run.trials`).
    #[arg(long, short = 'n', value_parser = clap::value_parser!(u64).range(1..))]
    pub trials: Option<u64>,
    /// The chosen box is the densest with at least this coverage.
    #[arg(long, default_value_t = 0.5)]
    pub min_coverage: f64,
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(flatten)]
    pub durability: DurabilityArgs,
}

/// `brink forecast`.
#[derive(Debug, Args)]
pub struct ForecastArgs {
    /// Scenario file.
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// Question file (TOML: `[[question]]` tables with `id`, `text`, `event`).
    #[arg(long, value_name = "FILE")]
    pub questions: PathBuf,
    /// Answer among the trials in which this event happens (repeatable:
    /// all must hold), on top of the file's `given`.
    #[arg(long, value_name = "EVENT")]
    pub given: Vec<String>,
    /// Trials (default: the scenario's `run.trials`).
    #[arg(long, short = 'n', value_parser = clap::value_parser!(u64).range(1..=1_000_000_000_000))]
    pub trials: Option<u64>,
    /// The nested design that gives each answer its spread over the
    /// scenario's uncertain assumptions (not with a condition).
    #[command(flatten)]
    pub spread: SpreadArgs,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `brink run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario files.
    #[arg(required = true, value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// Number of trials, 1 to 10^12 (default: the scenario's `run.trials`).
    #[arg(long, short = 'n', value_parser = clap::value_parser!(u64).range(1..=1_000_000_000_000))]
    pub trials: Option<u64>,
    /// Master seed (default: the scenario's `run.seed`).
    #[arg(long, short = 's')]
    pub seed: Option<u64>,
    /// Worker threads; 0 uses every core. Results do not depend on it.
    #[arg(long, short = 'j', default_value_t = 0, value_parser = brink::limits::parse_threads)]
    pub threads: usize,
    /// Folder that receives one sub-folder per scenario.
    #[arg(long, short = 'o', default_value = "output")]
    pub out: PathBuf,
    /// Skip the plots (`plots/*.png`, `plots/*.svg`) and `report.html`.
    #[arg(long)]
    pub no_plots: bool,
    /// Write no trials table (`trials.csv`, `trials.parquet`): the other
    /// files are the same. Not with --shard (merge checks shards by it).
    #[arg(long, conflicts_with = "shard")]
    pub no_trials_table: bool,
    /// Stop once every outcome's 95% interval is at most this far either side
    /// of its estimate (0.005 = half a percentage point); checked after each
    /// chunk of 1024 trials, in trial order.
    #[arg(long, value_name = "HALF_WIDTH", conflicts_with = "trials")]
    pub precision: Option<f64>,
    /// With --precision: the most trials to run.
    #[arg(long, default_value_t = 1_000_000, requires = "precision", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_trials: u64,
    /// With --precision: only these outcomes need to reach it (comma-separated keys).
    #[arg(long, value_delimiter = ',', requires = "precision", value_enum)]
    pub precision_on: Vec<OutcomeArg>,
    /// Print nothing but errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// File format of the result's tables (trials, time series, sweep,
    /// sensitivity, comparison, discovery, samples).
    #[arg(long, value_enum, default_value_t = TableFormatArg::Csv, value_name = "FORMAT")]
    pub format: TableFormatArg,
    /// Keep only the trials in which this event happens (repeatable: all
    /// must hold), e.g. `--given "first_strike by 2026-03-31"`; see
    /// docs/forecasting.md.
    #[arg(long, value_name = "EVENT")]
    pub given: Vec<String>,
    #[command(flatten)]
    pub load: LoadArgs,
    #[command(flatten)]
    pub durability: DurabilityArgs,
    #[command(flatten)]
    pub spread: SpreadArgs,
}

/// `brink compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Scenario files; the first is the baseline.
    #[arg(required = true, num_args = 2.., value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// Paired trials per scenario (default: the baseline's `run.trials`).
    #[arg(long, short = 'n', value_parser = clap::value_parser!(u64).range(1..))]
    pub trials: Option<u64>,
    /// Master seed shared by all scenarios (default: the baseline's `run.seed`).
    #[arg(long, short = 's')]
    pub seed: Option<u64>,
    /// Worker threads; 0 uses every core. Results do not depend on it.
    #[arg(long, short = 'j', default_value_t = 0, value_parser = brink::limits::parse_threads)]
    pub threads: usize,
    /// Folder that receives the `compare-<names>` sub-folder.
    #[arg(long, short = 'o', default_value = "output")]
    pub out: PathBuf,
    /// Skip the plots (`plots/*.png`, `plots/*.svg`) and `report.html`.
    #[arg(long)]
    pub no_plots: bool,
    /// Print nothing but errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Stop once every paired difference against the first scenario has a
    /// 95% interval at most this far either side (checked per 1024 trials).
    #[arg(long, value_name = "HALF_WIDTH", conflicts_with = "trials")]
    pub precision: Option<f64>,
    /// With --precision: the most paired trials to run.
    #[arg(long, default_value_t = 1_000_000, requires = "precision", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_trials: u64,
    /// With --precision: only these outcomes need to reach it (comma-separated keys).
    #[arg(long, value_delimiter = ',', requires = "precision", value_enum)]
    pub precision_on: Vec<OutcomeArg>,
    /// File format of the result's tables (trials, time series, sweep,
    /// sensitivity, comparison, discovery, samples).
    #[arg(long, value_enum, default_value_t = TableFormatArg::Csv, value_name = "FORMAT")]
    pub format: TableFormatArg,
    /// Compare milestones reached by this step: a step number or a date
    /// (YYYY-MM-DD, in the baseline's calendar; the last step ending on or
    /// before it). Repeatable; default: the quarter points of the
    /// baseline's horizon and the horizon.
    #[arg(long, value_name = "WHEN")]
    pub at: Vec<String>,
    /// Keep, in each scenario, only the trials in which this event happens
    /// (repeatable: all must hold); paired differences are over the trial
    /// indices kept in both scenarios (docs/forecasting.md).
    #[arg(long, value_name = "EVENT")]
    pub given: Vec<String>,
    #[command(flatten)]
    pub load: LoadArgs,
    #[command(flatten)]
    pub durability: DurabilityArgs,
}

/// `brink calibrate`.
#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// Scenario file (not with --suite).
    #[arg(
        value_name = "SCENARIO",
        required_unless_present = "suite",
        conflicts_with = "suite"
    )]
    pub scenario: Option<PathBuf>,
    /// Targets file (see scenarios/targets/muscat-2026-experts.toml).
    #[arg(
        long,
        value_name = "TARGETS",
        required_unless_present = "suite",
        conflicts_with = "suite"
    )]
    pub targets: Option<PathBuf>,
    /// Fit the assumptions the episodes of this folder share to their
    /// resolved questions (each `<name>.toml` beside a `<name>.questions.toml`).
    #[arg(long, value_name = "DIR")]
    pub suite: Option<PathBuf>,
    /// With --suite: fit the numbers this file (a parent every episode
    /// extends) writes as distributions. Default: every uncertain parameter
    /// all episodes have with the same distribution.
    #[arg(long, value_name = "FILE", requires = "suite")]
    pub shared: Option<PathBuf>,
    /// With --suite: the smallest effective sample size of the importance
    /// weights for which the fit counts as calibrated [default: 100].
    #[arg(long, value_name = "N", requires = "suite")]
    pub min_ess: Option<f64>,
    /// With --suite: write each fitted parameter to fitted.toml as its
    /// posterior median, not a triangular distribution.
    #[arg(long, requires = "suite")]
    pub fitted_point: bool,
    /// Parameter vectors drawn from the scenario's distributions.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
    pub samples: u64,
    /// Trials run for each sample.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..))]
    pub trials_per_sample: u64,
    /// Fewest accepted samples for the result to count as calibrated;
    /// below it the closest fit is reported and no calibrated scenario is
    /// written.
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..))]
    pub min_accepted: u64,
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(flatten)]
    pub durability: DurabilityArgs,
}

/// `brink validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario files.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Print only the verdict line of each file, not its problems.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    #[command(flatten)]
    pub load: LoadArgs,
}

/// Output formats of `brink trace`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TraceFormatArg {
    /// One block per step, for people.
    Text,
    /// The whole trace as one JSON document.
    Json,
    /// One row per step.
    Csv,
}

/// `brink trace`.
#[derive(Debug, Args)]
pub struct TraceArgs {
    /// Scenario file.
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// Index of the trial (0-based, as in trials.csv). Any index is valid:
    /// trial i is the same in every run with this seed that reaches it.
    #[arg(long, short = 't', value_name = "I")]
    pub trial: u64,
    /// Master seed (default: the scenario's `run.seed`).
    #[arg(long, short = 's', value_name = "S")]
    pub seed: Option<u64>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = TraceFormatArg::Text)]
    pub format: TraceFormatArg,
    #[command(flatten)]
    pub load: LoadArgs,
}

/// `brink list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Folder to list [default: scenarios; where there is no such folder,
    /// the scenarios built into brink are listed].
    #[arg(long, short = 'd', value_name = "DIR")]
    pub dir: Option<PathBuf>,
    #[command(flatten)]
    pub load: LoadArgs,
}

/// `brink init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Scenario name (lower-case letters, digits, `_`, `-`); NAME.toml is
    /// written, and a path such as `scenarios/what-if` is allowed.
    #[arg(value_name = "NAME")]
    pub name: PathBuf,
    /// Overwrite the files if they exist.
    #[arg(long)]
    pub force: bool,
    /// Write a copy of the built-in scenario SCENARIO (see `brink list`)
    /// instead of the starter; the scenarios it extends are written beside it.
    #[arg(long, value_name = "SCENARIO")]
    pub from: Option<String>,
}

/// `brink man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The subcommand whose page to print (default: the main page).
    #[arg(value_name = "SUBCOMMAND")]
    pub subcommand: Option<String>,
    /// Print the reference of every command and option in Markdown instead
    /// (the generated part of docs/cli.md, which scripts/cli-docs.sh rewrites).
    #[arg(long)]
    pub markdown: bool,
}

/// `brink completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, clap::Error> {
        Cli::try_parse_from(std::iter::once("brink").chain(args.iter().copied())).map(|c| c.command)
    }

    #[test]
    fn every_outcome_key_parses_to_its_outcome() {
        for o in Outcome::ALL {
            let Command::Discover(d) =
                parse(&["discover", "s.toml", "--outcome", o.key()]).unwrap()
            else {
                panic!("not discover");
            };
            assert_eq!(d.outcome, OutcomeArg(o));
        }
        let keys = Outcome::keys().join(",");
        let Command::Run(r) = parse(&[
            "run",
            "s.toml",
            "--precision",
            "0.01",
            "--precision-on",
            &keys,
        ])
        .unwrap() else {
            panic!("not run");
        };
        let parsed: Vec<Outcome> = r.precision_on.iter().map(|a| a.0).collect();
        assert_eq!(parsed, Outcome::ALL);
    }

    #[test]
    fn the_default_outcome_and_unknown_keys() {
        let Command::Discover(d) = parse(&["discover", "s.toml"]).unwrap() else {
            panic!("not discover");
        };
        assert_eq!(d.outcome, OutcomeArg(Outcome::WarOngoing));
        for bad in ["war", "Deal", "regional-war"] {
            let e = parse(&["discover", "s.toml", "--outcome", bad]).unwrap_err();
            assert_eq!(e.kind(), clap::error::ErrorKind::InvalidValue, "{bad}");
            assert!(
                e.to_string()
                    .contains("[possible values: deal, war_then_settlement, war_ended, war_ongoing, limited_strikes, breakout, standoff, talks_ongoing]"),
                "{e}"
            );
        }
    }
}
