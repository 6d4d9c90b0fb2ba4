//! The result of `brink compare`: every scenario's outcome distribution with
//! Wilson intervals and per-step series, and for every scenario after the
//! first its paired differences from the first. It is what
//! `comparison.json` holds and what tables and plots are drawn from.

use serde::Serialize;

use crate::stats::precision::Stopping;

use super::milestones::MilestoneCurve;
use super::paired::{MilestonePairing, PairedSimulation};
use crate::model::Model;
use crate::model::milestone_names;
use crate::scenario::Calendar;
use crate::stats::Summary;
use crate::stats::mean::IntegerSums;
use crate::stats::paired::{JointCounts, PairedCounts};
use crate::stats::summary::ScenarioInfo;
use crate::world::{N_RUNGS, Outcome, PerOutcome, RUNG_LABELS};

/// How the numbers of a comparison are computed, for readers of the JSON.
pub const METHODS: Methods = Methods {
    probability: "Wilson score interval, 95%",
    difference: "p(scenario) - p(baseline) over paired trials (common random numbers); \
                 Tango (1998) asymptotic score interval for paired proportions, 95% \
                 (nonzero width even when no pair disagrees); [0, 0] only for two scenarios \
                 that compile to the same model",
    unpaired: "Newcombe (1998) hybrid score interval for independent proportions, 95%: \
               what two independent runs of the same size would give",
    variance_reduction: "(p1(1-p1) + p2(1-p2)) / Var(d), d = per-trial difference of indicators; \
                         null when Var(d) = 0",
    escalation: "mean summed escalation score per trial, 95% interval mean +- 1.96 s/sqrt(n); \
                 its difference from the baseline is the mean of the per-trial differences \
                 over paired trials, with the same interval",
    milestones: "P(milestone reached by the end of step t) in each scenario, with its 95% \
                 Wilson interval; the paired difference over trials paired by index, with \
                 the interval of outcome differences (Tango score interval, 95%)",
};

/// Descriptions of the statistical methods.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Methods {
    /// Interval of each probability.
    pub probability: &'static str,
    /// Paired difference and its interval.
    pub difference: &'static str,
    /// The unpaired interval given for reference.
    pub unpaired: &'static str,
    /// The variance reduction from pairing.
    pub variance_reduction: &'static str,
    /// The mean escalation score and its paired difference.
    pub escalation: &'static str,
    /// Milestones reached by chosen steps and their paired differences.
    pub milestones: &'static str,
}

/// An outcome's machine name and label.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OutcomeName {
    /// Machine name (`war_ongoing`).
    pub key: String,
    /// Label (`Regional war`).
    pub label: String,
}

/// One outcome's probability in one scenario.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OutcomeShare {
    /// Machine name of the outcome.
    pub outcome: String,
    /// Trials with this outcome.
    pub count: u64,
    /// Share of trials.
    pub probability: f64,
    /// 95% Wilson interval.
    pub ci95: [f64; 2],
}

/// One scenario of a comparison.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ScenarioOutcomes {
    /// Which scenario (its hash covers the whole `extends` chain).
    pub scenario: ScenarioInfo,
    /// Steps per trial.
    pub horizon: u32,
    /// What a step is called.
    pub step_label: String,
    /// The scenario's calendar, when it has a start date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar: Option<Calendar>,
    /// Outcomes in [`Outcome::ALL`] order.
    pub outcomes: Vec<OutcomeShare>,
    /// Cumulative share of trials with a war outcome (war then settlement,
    /// war ended, war ongoing) by the step of the outcome, `0..=horizon`.
    pub cumulative_war: Vec<f64>,
    /// Cumulative probability of every outcome by step, in outcome order.
    pub cumulative_outcomes: Vec<PerOutcome<f64>>,
    /// Share of trials on each rung at the end of each step `0..=horizon`
    /// (trials that ended keep their last rung).
    pub rung_occupancy: Vec<[f64; N_RUNGS]>,
    /// Share of trials by highest rung reached.
    pub max_rung: Vec<f64>,
    /// Mean summed escalation score per trial.
    pub escalation_mean: f64,
    /// Its 95% interval.
    pub escalation_ci95: [f64; 2],
    /// Milestone curves: the share of trials that reached each milestone by
    /// every step, and its hazard.
    pub milestones: Vec<MilestoneCurve>,
}

/// One outcome's paired difference between a scenario and the baseline.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OutcomeDifference {
    /// Machine name of the outcome.
    pub outcome: String,
    /// Probability in the baseline (the first scenario).
    pub baseline_probability: f64,
    /// Probability in this scenario.
    pub probability: f64,
    /// `probability - baseline_probability`.
    pub difference: f64,
    /// 95% paired interval of the difference.
    pub ci95: [f64; 2],
    /// True when the paired interval excludes 0.
    pub excludes_zero: bool,
    /// 95% interval had the two runs been independent, for reference.
    pub unpaired_ci95: [f64; 2],
    /// Trials where only the baseline had the outcome.
    pub baseline_only: u64,
    /// Trials where only this scenario had it.
    pub scenario_only: u64,
    /// Per-trial variance of the paired difference.
    pub paired_variance: f64,
    /// Per-trial variance of the difference of independent runs.
    pub unpaired_variance: f64,
    /// `unpaired_variance / paired_variance` (absent when the latter is 0).
    pub variance_reduction: Option<f64>,
}

impl OutcomeDifference {
    /// The difference of one outcome (or class of outcomes, named `key`)
    /// from its paired counts; `identical` when the two scenarios compile to
    /// the same model ([`PairedCounts::interval95`]).
    pub fn from_counts(key: &str, t: &PairedCounts, identical: bool) -> Self {
        let (lo, hi) = t.interval95(identical);
        let (ulo, uhi) = t.unpaired_newcombe95();
        OutcomeDifference {
            outcome: key.to_string(),
            baseline_probability: t.first_share(),
            probability: t.second_share(),
            difference: t.difference(),
            ci95: [lo, hi],
            excludes_zero: lo > 0.0 || hi < 0.0,
            unpaired_ci95: [ulo, uhi],
            baseline_only: t.first_only,
            scenario_only: t.second_only,
            paired_variance: t.paired_variance(),
            unpaired_variance: t.unpaired_variance(),
            variance_reduction: t.variance_reduction(),
        }
    }
}

/// The paired difference of the mean escalation score between a scenario
/// and the baseline.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EscalationDifference {
    /// Mean summed escalation score per trial in the baseline.
    pub baseline_mean: f64,
    /// The same in this scenario.
    pub mean: f64,
    /// Mean of the per-trial differences (this scenario minus the baseline).
    pub difference: f64,
    /// Its 95% interval over paired trials.
    pub ci95: [f64; 2],
    /// True when the interval excludes 0.
    pub excludes_zero: bool,
    /// `(Var(x1) + Var(x2)) / Var(x2 - x1)`: how much pairing narrowed the
    /// interval's variance (absent when the paired differences do not vary).
    pub variance_reduction: Option<f64>,
}

impl EscalationDifference {
    /// The difference from the per-trial sums of the baseline's scores, this
    /// scenario's, and their paired differences.
    pub fn new(baseline: &IntegerSums, scenario: &IntegerSums, differences: &IntegerSums) -> Self {
        let (difference, ci95) = differences.mean_ci95();
        let paired = differences.variance();
        EscalationDifference {
            baseline_mean: baseline.mean_ci95().0,
            mean: scenario.mean_ci95().0,
            difference,
            ci95,
            excludes_zero: ci95[0] > 0.0 || ci95[1] < 0.0,
            variance_reduction: (paired > 0.0)
                .then(|| (baseline.variance() + scenario.variance()) / paired),
        }
    }
}

/// A step at which milestones are compared (`compare --at`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AtStep {
    /// Step (0 is the start).
    pub step: u32,
    /// The date of the end of the step, in the baseline's calendar.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// One milestone reached by one step: its chance in the baseline and in a
/// scenario, and their paired difference.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MilestoneAt {
    /// Step.
    pub step: u32,
    /// Its date, in the baseline's calendar.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// P(reached by the step) in the baseline.
    pub baseline_probability: f64,
    /// Its 95% Wilson interval.
    pub baseline_ci95: [f64; 2],
    /// P(reached by the step) in this scenario.
    pub probability: f64,
    /// Its 95% Wilson interval.
    pub ci95: [f64; 2],
    /// `probability - baseline_probability`.
    pub difference: f64,
    /// 95% paired interval of the difference.
    pub difference_ci95: [f64; 2],
    /// True when the paired interval excludes 0.
    pub excludes_zero: bool,
    /// 95% interval had the two runs been independent, for reference.
    pub unpaired_ci95: [f64; 2],
    /// Trials where only the baseline had reached it by the step.
    pub baseline_only: u64,
    /// Trials where only this scenario had.
    pub scenario_only: u64,
    /// Variance reduction from pairing (absent when the paired variance is 0).
    pub variance_reduction: Option<f64>,
}

impl MilestoneAt {
    fn new(step: &AtStep, t: &PairedCounts, identical: bool) -> MilestoneAt {
        let d = OutcomeDifference::from_counts("", t, identical);
        let n = t.n();
        let (bl, bh) = super::wilson::wilson95(t.first_count(), n);
        let (l, h) = super::wilson::wilson95(t.second_count(), n);
        MilestoneAt {
            step: step.step,
            date: step.date.clone(),
            baseline_probability: d.baseline_probability,
            baseline_ci95: [bl, bh],
            probability: d.probability,
            ci95: [l, h],
            difference: d.difference,
            difference_ci95: d.ci95,
            excludes_zero: d.excludes_zero,
            unpaired_ci95: d.unpaired_ci95,
            baseline_only: d.baseline_only,
            scenario_only: d.scenario_only,
            variance_reduction: d.variance_reduction,
        }
    }
}

/// One milestone's paired differences at the chosen steps.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MilestoneDifference {
    /// Machine name (`first_strike`, `deal`, ...).
    pub name: String,
    /// Label.
    pub label: String,
    /// At each chosen step.
    pub at: Vec<MilestoneAt>,
}

/// The default steps at which milestones are compared: the quarter points
/// of `horizon` and the horizon itself (each at least step 1, no repeats).
pub fn default_at(horizon: u32) -> Vec<u32> {
    let mut out: Vec<u32> = (1..=4u32)
        .map(|k| ((u64::from(horizon) * u64::from(k) + 2) / 4).max(1) as u32)
        .collect();
    out.dedup();
    out
}

/// The paired milestone differences of scenario `k` against the baseline
/// at `steps`, for every baseline milestone the scenario also has;
/// `identical` when the two compile to the same model.
fn milestone_differences(
    models: &[&Model],
    sim: &PairedSimulation,
    k: usize,
    steps: &[AtStep],
    identical: bool,
) -> Vec<MilestoneDifference> {
    let pairing = MilestonePairing::new(models[0], models[k]);
    let (first, second) = (&sim.aggregates[0], &sim.aggregates[k]);
    let joint = &sim.milestone_joint[k];
    milestone_names(models[0])
        .into_iter()
        .zip(pairing.arm_index(models[0], models[k]))
        .enumerate()
        .filter_map(|(j, ((name, label), index))| {
            let i = index?;
            let at = steps
                .iter()
                .map(|st| {
                    let t = pairing
                        .table(
                            joint,
                            j,
                            st.step,
                            first.milestone_step_row(j),
                            second.milestone_step_row(i),
                            sim.completed,
                        )
                        .unwrap_or_default();
                    MilestoneAt::new(st, &t, identical)
                })
                .collect();
            Some(MilestoneDifference { name, label, at })
        })
        .collect()
}

/// A scenario against the baseline, trial by trial.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PairedOutcomes {
    /// Name of the baseline (the first scenario).
    pub baseline: String,
    /// Name of this scenario.
    pub scenario: String,
    /// Index of this scenario in [`Comparison::scenarios`].
    pub index: usize,
    /// Paired trials: rows by the baseline's outcome, columns by this
    /// scenario's, both in outcome order.
    pub joint: JointCounts,
    /// Differences, in outcome order.
    pub outcomes: Vec<OutcomeDifference>,
    /// Difference of the chance of a war (any of the war outcomes).
    pub war: OutcomeDifference,
    /// Difference of the mean escalation score.
    pub escalation: EscalationDifference,
    /// Milestones reached by each of [`Comparison::milestone_steps`], in
    /// the baseline's milestone order (those the scenario also has).
    pub milestones: Vec<MilestoneDifference>,
}

/// Scenarios side by side, with paired differences from the first.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Comparison {
    /// Program version.
    pub brink_version: String,
    /// Master seed shared by all scenarios.
    pub seed: u64,
    /// Paired trials per scenario.
    pub trials: u64,
    /// How the numbers are computed.
    pub methods: Methods,
    /// Outcomes in the order of every per-outcome list.
    pub outcomes: Vec<OutcomeName>,
    /// Rung labels in the order of every per-rung list.
    pub rungs: Vec<String>,
    /// The scenarios, the baseline first.
    pub scenarios: Vec<ScenarioOutcomes>,
    /// Each scenario after the first against the first.
    pub differences: Vec<PairedOutcomes>,
    /// The steps at which milestones are compared (`--at`; by default the
    /// quarter points of the baseline's horizon and the horizon).
    pub milestone_steps: Vec<AtStep>,
    /// How a precision-targeted comparison stopped (absent for a fixed trial count).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopping: Option<Stopping>,
    /// The condition each scenario's trials were kept by (`--given`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditioning: Option<CompareConditioning>,
}

/// How a conditioned comparison kept its trials: each scenario keeps its
/// own trials that satisfy every event, and the paired differences are
/// over the trial indices kept in both the baseline and the scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct CompareConditioning {
    /// The events, as written.
    pub given: Vec<String>,
    /// Trials run in each scenario.
    pub trials_run: u64,
    /// Trials kept, per scenario (the baseline first).
    pub kept: Vec<u64>,
    /// Pairs kept in both the baseline and each scenario (the first entry
    /// is the baseline's own kept trials).
    pub paired: Vec<u64>,
}

impl Comparison {
    /// Builds the comparison of a paired run of `models` (identified by
    /// `infos`), comparing milestones at the default steps ([`default_at`]).
    ///
    /// # Panics
    ///
    /// If the lengths of `models`, `infos` and the run's results differ.
    pub fn build(
        models: &[&Model],
        infos: Vec<ScenarioInfo>,
        seed: u64,
        sim: &PairedSimulation,
    ) -> Comparison {
        Self::build_at(models, infos, seed, sim, &[])
    }

    /// Builds the comparison of a paired run of `models` (identified by
    /// `infos`), comparing milestones at steps `at` (sorted, without
    /// repeats; empty: the default steps, [`default_at`]).
    ///
    /// # Panics
    ///
    /// If the lengths of `models`, `infos` and the run's results differ.
    pub fn build_at(
        models: &[&Model],
        infos: Vec<ScenarioInfo>,
        seed: u64,
        sim: &PairedSimulation,
        at: &[u32],
    ) -> Comparison {
        assert_eq!(models.len(), infos.len());
        assert_eq!(models.len(), sim.aggregates.len());
        let scenarios: Vec<ScenarioOutcomes> = models
            .iter()
            .zip(infos)
            .zip(&sim.aggregates)
            .map(|((model, info), agg)| {
                let s = Summary::build(model, info, seed, agg);
                ScenarioOutcomes {
                    horizon: s.horizon,
                    step_label: s.step_label,
                    calendar: s.calendar,
                    outcomes: s
                        .outcomes
                        .into_iter()
                        .map(|o| OutcomeShare {
                            outcome: o.outcome,
                            count: o.count,
                            probability: o.probability,
                            ci95: o.ci95,
                        })
                        .collect(),
                    cumulative_war: s
                        .series
                        .cumulative_outcomes
                        .iter()
                        .map(|row| row.iter().filter(|(o, _)| o.is_war()).map(|(_, p)| p).sum())
                        .collect(),
                    cumulative_outcomes: s.series.cumulative_outcomes,
                    rung_occupancy: s.series.rung_occupancy,
                    max_rung: s.max_rung,
                    escalation_mean: s.escalation_mean,
                    escalation_ci95: s.escalation_mean_ci95,
                    milestones: s.milestones,
                    scenario: s.scenario,
                }
            })
            .collect();
        let mut steps: Vec<u32> = if at.is_empty() {
            default_at(models[0].horizon)
        } else {
            at.to_vec()
        };
        steps.sort_unstable();
        steps.dedup();
        let milestone_steps: Vec<AtStep> = steps
            .into_iter()
            .map(|step| AtStep {
                step,
                date: models[0].calendar.map(|c| c.date(step)),
            })
            .collect();
        let baseline = scenarios[0].scenario.name.clone();
        let identical: Vec<bool> = models.iter().map(|m| m.same_as(models[0])).collect();
        let differences = sim
            .joint
            .iter()
            .enumerate()
            .skip(1)
            .map(|(k, joint)| PairedOutcomes {
                baseline: baseline.clone(),
                scenario: scenarios[k].scenario.name.clone(),
                index: k,
                joint: *joint,
                outcomes: Outcome::ALL
                    .iter()
                    .map(|&o| {
                        OutcomeDifference::from_counts(o.key(), &joint.outcome(o), identical[k])
                    })
                    .collect(),
                war: OutcomeDifference::from_counts(
                    "war",
                    &joint.class(Outcome::is_war),
                    identical[k],
                ),
                escalation: EscalationDifference::new(
                    &sim.aggregates[0].escalation,
                    &sim.aggregates[k].escalation,
                    &sim.escalation_differences[k],
                ),
                milestones: milestone_differences(models, sim, k, &milestone_steps, identical[k]),
            })
            .collect();
        Comparison {
            brink_version: env!("CARGO_PKG_VERSION").to_string(),
            seed,
            trials: sim.completed,
            methods: METHODS,
            outcomes: Outcome::ALL
                .iter()
                .map(|o| OutcomeName {
                    key: o.key().to_string(),
                    label: o.label().to_string(),
                })
                .collect(),
            rungs: RUNG_LABELS.iter().map(|s| s.to_string()).collect(),
            scenarios,
            differences,
            milestone_steps,
            stopping: None,
            conditioning: None,
        }
    }

    /// The baseline (first scenario).
    pub fn baseline(&self) -> &ScenarioOutcomes {
        &self.scenarios[0]
    }

    /// The chance of a war (any war outcome) in scenario `k`, with its 95%
    /// Wilson interval.
    pub fn war_share(&self, k: usize) -> OutcomeShare {
        let count: u64 = Outcome::ALL
            .iter()
            .filter(|o| o.is_war())
            .map(|&o| self.share(k, o).count)
            .sum();
        let (lo, hi) = super::wilson::wilson95(count, self.trials);
        OutcomeShare {
            outcome: "war".into(),
            count,
            probability: if self.trials == 0 {
                0.0
            } else {
                count as f64 / self.trials as f64
            },
            ci95: [lo, hi],
        }
    }

    /// One outcome's probability in scenario `k`.
    pub fn share(&self, k: usize, o: Outcome) -> &OutcomeShare {
        &self.scenarios[k].outcomes[o.index()]
    }

    /// The paired difference of outcome `o` between scenario `k` (1 or more)
    /// and the baseline; `None` for the baseline itself.
    pub fn difference(&self, k: usize, o: Outcome) -> Option<&OutcomeDifference> {
        let d = self.differences.get(k.checked_sub(1)?)?;
        Some(&d.outcomes[o.index()])
    }

    /// Cumulative probability of outcome `o` by step in scenario `k`.
    pub fn cumulative(&self, k: usize, o: Outcome) -> Vec<f64> {
        self.scenarios[k]
            .cumulative_outcomes
            .iter()
            .map(|row| row[o])
            .collect()
    }
}
