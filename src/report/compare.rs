//! `report.html` of `brink compare`: what was compared and how, the
//! outcome probabilities of every scenario with their intervals, the paired
//! differences from the baseline with their intervals (marked where they
//! exclude zero) and the variance reduction that pairing bought, every plot,
//! and the manifest of the files written before it.

use askama::Template;

use crate::format::{interval, points, range_to, signed};
use crate::output::drawn::RunPlot;
use crate::output::manifest::Manifest;
use crate::plot::palette;
use crate::scenario::Scenario;
use crate::stats::comparison::{Comparison, OutcomeShare, ScenarioOutcomes};
use crate::world::{Outcome, RUNG_LABELS};

use super::{filters, page};

/// Everything a comparison report shows.
#[derive(Debug, Clone, Copy)]
pub struct CompareReportInput<'a> {
    /// The results.
    pub comparison: &'a Comparison,
    /// The scenarios compared, the baseline first (for their descriptions).
    pub scenarios: &'a [Scenario],
    /// The rendered plots, in display order.
    pub plots: &'a [RunPlot],
    /// The manifest of the files written before the report.
    pub manifest: &'a Manifest,
}

/// A scenario's column: its colour and name.
#[derive(Clone)]
struct Column<'a> {
    colour: String,
    name: &'a str,
}

/// A difference over its interval, both written, and whether the
/// interval excludes 0.
struct DifferenceCell {
    value: String,
    interval: String,
    excludes_zero: bool,
}

/// A variance reduction (none: the paired difference is exactly zero)
/// over the half-widths of the paired and the unpaired interval, in
/// points (none: not shown).
struct VarianceCell {
    reduction: Option<f64>,
    half_widths: Option<(f64, f64)>,
}

/// A card with the change in the chance of a war.
struct WarCard<'a> {
    colour: String,
    name: &'a str,
    difference: DifferenceCell,
    range: String,
}

/// One outcome's rows of the tables: its shares, its differences from the
/// baseline and their variance reductions.
struct OutcomeRow<'a> {
    colour: String,
    label: &'a str,
    shares: Vec<&'a OutcomeShare>,
    differences: Vec<DifferenceCell>,
    variance: Vec<VarianceCell>,
}

/// One row of the milestone table: a milestone reached by one chosen
/// step, its share in every scenario and its differences from the baseline.
struct MilestoneRow {
    /// The milestone's label on its first row, empty below.
    label: String,
    /// The step, with its date when the baseline has a calendar.
    when: String,
    /// Share with its interval in each scenario (`None`: the scenario has
    /// no such milestone).
    shares: Vec<Option<(f64, [f64; 2])>>,
    /// Differences from the baseline, one per alternative.
    differences: Vec<DifferenceCell>,
}

/// The milestone rows: every milestone some scenario reached, at every
/// chosen step.
fn milestone_rows(c: &Comparison) -> Vec<MilestoneRow> {
    let Some(first) = c.differences.first() else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    for m in &first.milestones {
        let per_alt: Vec<_> = c
            .differences
            .iter()
            .map(|d| d.milestones.iter().find(|x| x.name == m.name))
            .collect();
        let occurs = per_alt.iter().flatten().any(|x| {
            x.at.last()
                .is_some_and(|a| a.baseline_probability > 0.0 || a.probability > 0.0)
        });
        if !occurs {
            continue;
        }
        for (i, at) in m.at.iter().enumerate() {
            let mut shares = vec![Some((at.baseline_probability, at.baseline_ci95))];
            let mut differences = Vec::new();
            for x in &per_alt {
                let a = x.and_then(|x| x.at.get(i));
                shares.push(a.map(|a| (a.probability, a.ci95)));
                differences.push(match a {
                    Some(a) => DifferenceCell {
                        value: points(a.difference),
                        interval: interval(a.difference_ci95, points),
                        excludes_zero: a.excludes_zero,
                    },
                    None => DifferenceCell {
                        value: "-".into(),
                        interval: String::new(),
                        excludes_zero: false,
                    },
                });
            }
            rows.push(MilestoneRow {
                label: if i == 0 {
                    m.label.clone()
                } else {
                    String::new()
                },
                when: match &at.date {
                    Some(d) => format!("{} ({d})", at.step),
                    None => at.step.to_string(),
                },
                shares,
                differences,
            });
        }
    }
    rows
}

/// One rung's row: the share of trials that reached it in each scenario.
struct RungRow {
    colour: String,
    rung: usize,
    label: &'static str,
    shares: Vec<f64>,
}

/// The comparison report's template and what it shows.
#[derive(Template)]
#[template(path = "report/compare.html")]
struct ComparePage<'a> {
    c: &'a Comparison,
    base: &'a ScenarioOutcomes,
    heading: String,
    scenarios: &'a [Scenario],
    columns: Vec<Column<'a>>,
    alternative_columns: Vec<Column<'a>>,
    base_war: OutcomeShare,
    war_cards: Vec<WarCard<'a>>,
    outcomes: Vec<OutcomeRow<'a>>,
    escalation_differences: Vec<DifferenceCell>,
    escalation_variance: Vec<VarianceCell>,
    rungs: Vec<RungRow>,
    milestones: Vec<MilestoneRow>,
    plots: &'a [RunPlot],
    m: &'a Manifest,
}

/// Half the width of an interval of shares, in percentage points.
fn half_width_pp(ci: [f64; 2]) -> f64 {
    (ci[1] - ci[0]) / 2.0 * 100.0
}

/// Renders the report as a complete HTML document.
pub fn render(input: &CompareReportInput<'_>) -> String {
    let c = input.comparison;
    let base = c.baseline();
    let alternatives = c.scenarios.len() - 1;
    let heading = format!(
        "{} against {} alternative{}",
        base.scenario.title,
        alternatives,
        if alternatives == 1 { "" } else { "s" }
    );
    let columns: Vec<Column<'_>> = c
        .scenarios
        .iter()
        .enumerate()
        .map(|(k, s)| Column {
            colour: palette::hex(palette::series(k)),
            name: &s.scenario.name,
        })
        .collect();
    let share_difference = |d: &crate::stats::comparison::OutcomeDifference| DifferenceCell {
        value: points(d.difference),
        interval: interval(d.ci95, points),
        excludes_zero: d.excludes_zero,
    };
    let war_cards = (1..c.scenarios.len())
        .filter_map(|k| {
            let d = &c.differences.get(k - 1)?.war;
            Some(WarCard {
                colour: columns[k].colour.clone(),
                name: columns[k].name,
                difference: share_difference(d),
                range: range_to(d.ci95, points),
            })
        })
        .collect();
    let outcomes = Outcome::ALL
        .into_iter()
        .map(|o| {
            let diffs: Vec<_> = (1..c.scenarios.len())
                .filter_map(|k| c.difference(k, o))
                .collect();
            OutcomeRow {
                colour: palette::hex(palette::outcome(o)),
                label: o.label(),
                shares: (0..c.scenarios.len()).map(|k| c.share(k, o)).collect(),
                differences: diffs.iter().map(|d| share_difference(d)).collect(),
                variance: diffs
                    .iter()
                    .map(|d| VarianceCell {
                        reduction: d.variance_reduction,
                        half_widths: Some((half_width_pp(d.ci95), half_width_pp(d.unpaired_ci95))),
                    })
                    .collect(),
            }
        })
        .collect();
    let escalation_differences = c
        .differences
        .iter()
        .map(|d| DifferenceCell {
            value: signed(d.escalation.difference, 1),
            interval: interval(d.escalation.ci95, |v| signed(v, 1)),
            excludes_zero: d.escalation.excludes_zero,
        })
        .collect();
    // The escalation score's unpaired half-width is the paired one times
    // the square root of the variance reduction.
    let escalation_variance = c
        .differences
        .iter()
        .map(|d| {
            let e = &d.escalation;
            let half = (e.ci95[1] - e.ci95[0]) / 2.0;
            VarianceCell {
                reduction: e.variance_reduction,
                half_widths: e.variance_reduction.map(|v| (half, half * v.sqrt())),
            }
        })
        .collect();
    let rungs = RUNG_LABELS
        .iter()
        .enumerate()
        .map(|(r, &label)| RungRow {
            colour: palette::hex(palette::rung(r)),
            rung: r,
            label,
            shares: c
                .scenarios
                .iter()
                .map(|s| s.max_rung.get(r).copied().unwrap_or(0.0))
                .collect(),
        })
        .collect();
    page::render_page(&ComparePage {
        c,
        base,
        heading,
        scenarios: input.scenarios,
        alternative_columns: columns.iter().skip(1).cloned().collect(),
        columns,
        base_war: c.war_share(0),
        war_cards,
        outcomes,
        escalation_differences,
        escalation_variance,
        rungs,
        milestones: milestone_rows(c),
        plots: input.plots,
        m: input.manifest,
    })
}
