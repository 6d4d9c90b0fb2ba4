//! The identity of a piece of work: which program, scenario, seed and
//! analysis produced a shard or a checkpoint. Shards merge, and checkpoints
//! resume, only into work with the same identity.

use serde::{Deserialize, Serialize};

use crate::scenario::Scenario;

/// [`crate::analysis::calibrate::DEFAULT_MIN_ACCEPTED`], for serde.
fn default_min_accepted() -> u64 {
    crate::analysis::calibrate::DEFAULT_MIN_ACCEPTED as u64
}

/// The analysis and its sizes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Work {
    /// `brink run`: trial indices `0..trials`.
    Run {
        /// Trials in the whole run.
        trials: u64,
    },
    /// `brink sweep`: one design point per value, each of `trials` trials.
    Sweep {
        /// Parameter path.
        parameter: String,
        /// The values, in order (written as decimal strings that read back
        /// bit for bit).
        #[serde(with = "exact_floats")]
        values: Vec<f64>,
        /// Trials per value.
        trials: u64,
    },
    /// `brink sensitivity`: the points of a Saltelli design.
    Sensitivity {
        /// Rows of each Saltelli matrix.
        samples: u64,
        /// Trials per design point.
        trials_per_sample: u64,
        /// Bootstrap resamples of the intervals.
        bootstrap: u64,
    },
    /// `brink compare`: trial indices `0..trials` of every scenario in
    /// lockstep; the first scenario is the work's own.
    Compare {
        /// Paired trials in the whole comparison.
        trials: u64,
        /// The scenarios after the first, in order.
        others: Vec<Arm>,
    },
    /// `brink discover`: trial indices `0..trials`, searched for `outcome`.
    Discover {
        /// The outcome searched for (its key).
        outcome: String,
        /// Trials in the whole search.
        trials: u64,
        /// PRIM's smallest box coverage (written as a decimal string that
        /// reads back bit for bit).
        #[serde(with = "exact_float")]
        min_coverage: f64,
    },
    /// `brink calibrate`: one unit per sample drawn from the prior.
    Calibrate {
        /// Samples drawn.
        samples: u64,
        /// Trials per sample.
        trials_per_sample: u64,
        /// File name of the targets.
        targets_file: String,
        /// sha256 of the targets file.
        targets_sha256: String,
        /// Fewest accepted samples for a calibrated result (absent in
        /// files written before it was a setting: the default).
        #[serde(default = "default_min_accepted")]
        min_accepted: u64,
    },
    /// `brink forecast`: trial indices `0..trials`, each asked the
    /// questions of a file.
    Forecast {
        /// Trials in the whole forecast.
        trials: u64,
        /// File name of the questions.
        questions_file: String,
        /// sha256 of the questions file.
        questions_sha256: String,
        /// The events every answer is conditioned on (`--given` and the
        /// file's `given`).
        given: Vec<String>,
    },
    /// `brink experiment`: one design point per lever and point of the
    /// uncertainty design, each of `trials` trials.
    Experiment {
        /// The experiment's name (`experiment-<name>`).
        name: String,
        /// File name of the experiment file.
        experiment_file: String,
        /// sha256 of the experiment file.
        experiment_sha256: String,
        /// Design points.
        points: u64,
        /// Trials per design point.
        trials: u64,
    },
    /// `brink calibrate --suite`: one unit per sample drawn from the prior
    /// of the parameters the episodes share; the first episode is the
    /// work's own scenario.
    SuiteCalibrate {
        /// The suite's result name (`calibrate-suite-<folder>`).
        output: String,
        /// Samples drawn.
        samples: u64,
        /// Trials per episode and sample.
        trials_per_sample: u64,
        /// The episodes after the first, in order.
        others: Vec<Arm>,
        /// sha256 of every episode's question file, in episode order.
        questions_sha256: Vec<String>,
        /// The shared parameters fitted.
        parameters: Vec<String>,
    },
}

/// A scenario of a comparison after the first: what must agree between
/// the shards of one comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Arm {
    /// Scenario name.
    pub scenario: String,
    /// Scenario file name.
    pub scenario_file: String,
    /// Scenario identity (sha256 of its file, or of its `extends` chain).
    pub scenario_sha256: String,
}

impl Arm {
    /// The identity of `scenario` as a scenario of a comparison.
    pub fn of(scenario: &Scenario) -> Arm {
        Arm {
            scenario: scenario.name.clone(),
            scenario_file: crate::stats::summary::ScenarioInfo::of(scenario).file,
            scenario_sha256: scenario.origin.sha256.clone(),
        }
    }
}

impl Work {
    /// `run`, `sweep` or `sensitivity`, as in manifests.
    pub fn kind(&self) -> &'static str {
        match self {
            Work::Run { .. } => "run",
            Work::Sweep { .. } => "sweep",
            Work::Sensitivity { .. } => "sensitivity",
            Work::Compare { .. } => "compare",
            Work::Discover { .. } => "discover",
            Work::Calibrate { .. } => "calibrate",
            Work::Forecast { .. } => "forecast",
            Work::SuiteCalibrate { .. } => "calibrate-suite",
            Work::Experiment { .. } => "experiment",
        }
    }

    /// What a shard splits: `trials`, `design points` or `samples`.
    pub fn units(&self) -> &'static str {
        match self {
            Work::Run { .. }
            | Work::Compare { .. }
            | Work::Discover { .. }
            | Work::Forecast { .. } => "trials",
            Work::Sweep { .. } | Work::Sensitivity { .. } | Work::Experiment { .. } => {
                "design points"
            }
            Work::Calibrate { .. } | Work::SuiteCalibrate { .. } => "samples",
        }
    }
}

/// The result folder of a sweep of `parameter`: `sweep-<scenario>-<path with dashes>`.
pub fn sweep_dir_name(scenario: &str, parameter: &str) -> String {
    format!("sweep-{scenario}-{}", parameter.replace('.', "-"))
}

/// The result folder of an experiment: `experiment-<name>`.
pub fn experiment_dir_name(name: &str) -> String {
    format!("experiment-{name}")
}

/// The result folder of a sensitivity analysis: `sensitivity-<scenario>`.
pub fn sensitivity_dir_name(scenario: &str) -> String {
    format!("sensitivity-{scenario}")
}

/// The result folder of a discovery: `discover-<scenario>-<outcome key>`.
pub fn discover_dir_name(scenario: &str, outcome: &str) -> String {
    format!("discover-{scenario}-{outcome}")
}

/// The result folder of a calibration: `calibrate-<scenario>`.
pub fn calibrate_dir_name(scenario: &str) -> String {
    format!("calibrate-{scenario}")
}

/// The result folder of a forecast: `<scenario>-forecast`.
pub fn forecast_dir_name(scenario: &str) -> String {
    format!("{scenario}-forecast")
}

/// Comparison folder names longer than this are shortened with a hash.
const MAX_COMPARE_DIR_NAME: usize = 120;

/// The result folder of a comparison of the scenarios named `names`:
/// `compare-<a>-vs-<b>...`, shortened to `compare-<a>-vs-<n>-more-<hash>`
/// when too long for a file name.
pub fn compare_dir_name(names: &[&str]) -> String {
    let full = format!("compare-{}", names.join("-vs-"));
    if full.len() <= MAX_COMPARE_DIR_NAME {
        return full;
    }
    let hash = crate::scenario::load::hex_sha256(names.join("\n").as_bytes());
    format!(
        "compare-{}-vs-{}-more-{}",
        names[0],
        names.len() - 1,
        &hash[..12]
    )
}

/// Everything that must agree between the pieces of one result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkId {
    /// Version of the program that did the work.
    pub brink_version: String,
    /// Scenario name.
    pub scenario: String,
    /// Scenario file name.
    pub scenario_file: String,
    /// Scenario identity (sha256 of its file, or of its `extends` chain).
    pub scenario_sha256: String,
    /// Numbers of the scenario fixed on the command line (`--set`): a
    /// merge applies them again to the scenario it loads.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scenario_overrides: Vec<crate::scenario::params::Override>,
    /// Master seed.
    pub seed: u64,
    /// The analysis.
    pub work: Work,
}

impl WorkId {
    /// The identity of `work` on `scenario` with `seed` by this program.
    pub fn new(scenario: &Scenario, seed: u64, work: Work) -> WorkId {
        WorkId {
            brink_version: env!("CARGO_PKG_VERSION").into(),
            scenario: scenario.name.clone(),
            scenario_file: crate::stats::summary::ScenarioInfo::of(scenario).file,
            scenario_sha256: scenario.origin.sha256.clone(),
            scenario_overrides: scenario.overrides.clone(),
            seed,
            work,
        }
    }

    /// The folder name of the work's (unsharded or merged) result.
    pub fn output(&self) -> String {
        match &self.work {
            Work::Run { .. } => self.scenario.clone(),
            Work::Sweep { parameter, .. } => sweep_dir_name(&self.scenario, parameter),
            Work::Sensitivity { .. } => sensitivity_dir_name(&self.scenario),
            Work::Compare { others, .. } => {
                let mut names = vec![self.scenario.as_str()];
                names.extend(others.iter().map(|a| a.scenario.as_str()));
                compare_dir_name(&names)
            }
            Work::Discover { outcome, .. } => discover_dir_name(&self.scenario, outcome),
            Work::Calibrate { .. } => calibrate_dir_name(&self.scenario),
            Work::Forecast { .. } => forecast_dir_name(&self.scenario),
            Work::SuiteCalibrate { output, .. } => output.clone(),
            Work::Experiment { name, .. } => experiment_dir_name(name),
        }
    }

    /// How `other` differs from `self`, one phrase per field, `self`'s value
    /// first; empty when they are the same work. Values are compared
    /// bit for bit (`-0` is not `0`).
    pub fn differences(&self, other: &WorkId) -> Vec<String> {
        let mut out = Vec::new();
        let mut field = |name: &str, a: String, b: String| {
            if a != b {
                out.push(format!("{name} {a} vs {b}"));
            }
        };
        field(
            "program version",
            self.brink_version.clone(),
            other.brink_version.clone(),
        );
        field(
            "scenario sha256",
            self.scenario_sha256.clone(),
            other.scenario_sha256.clone(),
        );
        field("scenario", self.scenario.clone(), other.scenario.clone());
        field(
            "scenario file",
            self.scenario_file.clone(),
            other.scenario_file.clone(),
        );
        field("seed", self.seed.to_string(), other.seed.to_string());
        field(
            "analysis",
            self.work.kind().into(),
            other.work.kind().into(),
        );
        match (&self.work, &other.work) {
            (Work::Run { trials: a }, Work::Run { trials: b }) => {
                field("trials", a.to_string(), b.to_string());
            }
            (
                Work::Sweep {
                    parameter: pa,
                    values: va,
                    trials: ta,
                },
                Work::Sweep {
                    parameter: pb,
                    values: vb,
                    trials: tb,
                },
            ) => {
                field("parameter", pa.clone(), pb.clone());
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                if bits(va) != bits(vb) {
                    field("values", format!("{va:?}"), format!("{vb:?}"));
                }
                field("trials per value", ta.to_string(), tb.to_string());
            }
            (
                Work::Sensitivity {
                    samples: sa,
                    trials_per_sample: ta,
                    bootstrap: ba,
                },
                Work::Sensitivity {
                    samples: sb,
                    trials_per_sample: tb,
                    bootstrap: bb,
                },
            ) => {
                field("samples", sa.to_string(), sb.to_string());
                field("trials per sample", ta.to_string(), tb.to_string());
                field("bootstrap", ba.to_string(), bb.to_string());
            }
            (
                Work::Compare {
                    trials: ta,
                    others: oa,
                },
                Work::Compare {
                    trials: tb,
                    others: ob,
                },
            ) => {
                field("trials", ta.to_string(), tb.to_string());
                let arms = |v: &[Arm]| {
                    v.iter()
                        .map(|a| format!("{} ({})", a.scenario, a.scenario_sha256))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                if oa != ob {
                    field("compared scenarios", arms(oa), arms(ob));
                }
            }
            (
                Work::Discover {
                    outcome: oa,
                    trials: ta,
                    min_coverage: ca,
                },
                Work::Discover {
                    outcome: ob,
                    trials: tb,
                    min_coverage: cb,
                },
            ) => {
                field("outcome", oa.clone(), ob.clone());
                field("trials", ta.to_string(), tb.to_string());
                if ca.to_bits() != cb.to_bits() {
                    field("min coverage", format!("{ca:?}"), format!("{cb:?}"));
                }
            }
            (
                Work::Calibrate {
                    samples: sa,
                    trials_per_sample: ta,
                    targets_file: fa,
                    targets_sha256: ha,
                    min_accepted: ma,
                },
                Work::Calibrate {
                    samples: sb,
                    trials_per_sample: tb,
                    targets_file: fb,
                    targets_sha256: hb,
                    min_accepted: mb,
                },
            ) => {
                field("min accepted", ma.to_string(), mb.to_string());
                field("samples", sa.to_string(), sb.to_string());
                field("trials per sample", ta.to_string(), tb.to_string());
                field("targets file", fa.clone(), fb.clone());
                field("targets sha256", ha.clone(), hb.clone());
            }
            (
                Work::Forecast {
                    trials: ta,
                    questions_file: fa,
                    questions_sha256: ha,
                    given: ga,
                },
                Work::Forecast {
                    trials: tb,
                    questions_file: fb,
                    questions_sha256: hb,
                    given: gb,
                },
            ) => {
                field("trials", ta.to_string(), tb.to_string());
                field("questions file", fa.clone(), fb.clone());
                field("questions sha256", ha.clone(), hb.clone());
                field("given", ga.join(" and "), gb.join(" and "));
            }
            (
                Work::SuiteCalibrate {
                    samples: sa,
                    trials_per_sample: ta,
                    others: oa,
                    questions_sha256: qa,
                    parameters: pa,
                    ..
                },
                Work::SuiteCalibrate {
                    samples: sb,
                    trials_per_sample: tb,
                    others: ob,
                    questions_sha256: qb,
                    parameters: pb,
                    ..
                },
            ) => {
                field("samples", sa.to_string(), sb.to_string());
                field("trials per sample", ta.to_string(), tb.to_string());
                let arms = |v: &[Arm]| {
                    v.iter()
                        .map(|a| format!("{} ({})", a.scenario, a.scenario_sha256))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                if oa != ob {
                    field("episodes", arms(oa), arms(ob));
                }
                field("question files", qa.join(", "), qb.join(", "));
                field("shared parameters", pa.join(", "), pb.join(", "));
            }
            (
                Work::Experiment {
                    name: na,
                    experiment_file: fa,
                    experiment_sha256: ha,
                    points: pa,
                    trials: ta,
                },
                Work::Experiment {
                    name: nb,
                    experiment_file: fb,
                    experiment_sha256: hb,
                    points: pb,
                    trials: tb,
                },
            ) => {
                field("experiment", na.clone(), nb.clone());
                field("experiment file", fa.clone(), fb.clone());
                field("experiment sha256", ha.clone(), hb.clone());
                field("design points", pa.to_string(), pb.to_string());
                field("trials per design point", ta.to_string(), tb.to_string());
            }
            _ => {}
        }
        out
    }
}

/// Floats as the strings Rust prints them in (shortest form that reads back
/// to the same bits), since JSON parsers may round numbers.
mod exact_floats {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(values: &[f64], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(values.iter().map(|x| format!("{x:?}")))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        Vec::<String>::deserialize(d)?
            .iter()
            .map(|t| {
                t.parse::<f64>()
                    .map_err(|_| D::Error::custom(format!("`{t}` is not a number")))
            })
            .collect()
    }
}

/// One float as the string Rust prints it in (see [`exact_floats`]).
mod exact_float {
    use serde::de::Error;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &f64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{value:?}"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        let t = String::deserialize(d)?;
        t.parse::<f64>()
            .map_err(|_| D::Error::custom(format!("`{t}` is not a number")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(seed: u64, work: Work) -> WorkId {
        WorkId {
            brink_version: "1.0.0".into(),
            scenario: "s".into(),
            scenario_file: "s.toml".into(),
            scenario_sha256: "ab".into(),
            scenario_overrides: Vec::new(),
            seed,
            work,
        }
    }

    #[test]
    fn differences_name_each_field() {
        let a = id(1, Work::Run { trials: 10 });
        assert!(a.differences(&a.clone()).is_empty());
        let b = id(2, Work::Run { trials: 11 });
        assert_eq!(
            a.differences(&b),
            vec!["seed 1 vs 2".to_string(), "trials 10 vs 11".to_string()]
        );
        let sweep = |v: f64| {
            id(
                1,
                Work::Sweep {
                    parameter: "p".into(),
                    values: vec![v],
                    trials: 5,
                },
            )
        };
        assert!(sweep(0.0).differences(&sweep(0.0)).is_empty());
        assert_eq!(sweep(0.0).differences(&sweep(-0.0)).len(), 1);
        assert_eq!(a.differences(&sweep(0.0)), vec!["analysis run vs sweep"]);
    }

    #[test]
    fn round_trips_through_json() {
        let w = id(
            7,
            Work::Sweep {
                parameter: "initial.trust".into(),
                values: vec![0.1, 0.2 + 0.1, 1e-300, -0.0, 0.09745999999999999],
                trials: 5,
            },
        );
        let text = serde_json::to_string(&w).unwrap();
        assert!(text.contains("\"kind\":\"sweep\""), "{text}");
        assert!(
            text.contains("[\"0.1\",\"0.30000000000000004\",\"1e-300\",\"-0.0\""),
            "{text}"
        );
        let back: WorkId = serde_json::from_str(&text).unwrap();
        assert!(w.differences(&back).is_empty());
    }
}
