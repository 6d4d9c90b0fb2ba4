//! The text table of a comparison printed on stdout: each scenario's outcome
//! probabilities, then each scenario's paired differences from the first.

use std::fmt::Write;

use super::panels::Panels;
use crate::format::{ValueFormat, interval, percent, signed};
use crate::stats::comparison::Comparison;
use crate::world::Outcome;

/// Width of a probability column.
const SHARE_WIDTH: usize = 25;
/// Width of a difference column.
const DIFF_WIDTH: usize = 36;
/// Width of a milestone's share and difference column.
const MILESTONE_WIDTH: usize = 42;

/// Width of the first column: the longest outcome label and a space.
const LABEL_WIDTH: usize = {
    let mut w = ESCALATION.len();
    let mut k = 0;
    while k < Outcome::ALL.len() {
        let n = Outcome::ALL[k].label().len();
        if n > w {
            w = n;
        }
        k += 1;
    }
    w + 1
};

/// A difference of shares in signed percentage points, two decimals.
fn points(x: f64) -> String {
    ValueFormat::Points { decimals: 2 }.format(x)
}

/// Label of the mean escalation score's row.
const ESCALATION: &str = "Escalation score";

/// A variance reduction, `-` when there is none to give.
fn reduction(v: Option<f64>) -> String {
    v.map_or("-".to_string(), |v| {
        if v >= 100.0 {
            format!("{v:.0}")
        } else {
            format!("{v:.1}")
        }
    })
}

fn header(k: usize, name: &str, width: usize) -> String {
    let label = format!("[{}] {name}", k + 1);
    label.chars().take(width - 2).collect()
}

/// The text with trailing spaces of padded columns removed.
fn trimmed(out: &str) -> String {
    out.lines().map(|l| format!("{}\n", l.trim_end())).collect()
}

/// Formats the comparison as text. Differences whose 95% paired interval
/// excludes 0 are marked `*`; `VR` is the variance reduction from pairing.
/// A table too wide for the console is printed in panels of scenarios.
pub fn render(c: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Paired comparison: {} trials per scenario, seed {}, common random numbers",
        c.trials, c.seed
    );
    for (k, s) in c.scenarios.iter().enumerate() {
        let _ = writeln!(
            out,
            "  [{}] {}: {}",
            k + 1,
            s.scenario.name,
            s.scenario.title
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Outcome probabilities (95% Wilson interval)");
    let mut shares = Panels::new("outcome", LABEL_WIDTH, &[]);
    for (k, s) in c.scenarios.iter().enumerate() {
        shares
            .columns
            .push((header(k, &s.scenario.name, SHARE_WIDTH), SHARE_WIDTH));
    }
    for (o, name) in c.outcomes.iter().enumerate() {
        let cells = c
            .scenarios
            .iter()
            .map(|s| {
                let share = &s.outcomes[o];
                format!(
                    "{} {}",
                    percent(share.probability),
                    interval(share.ci95, percent)
                )
            })
            .collect();
        shares.rows.push((name.label.clone(), cells));
    }
    let cells = c
        .scenarios
        .iter()
        .map(|s| {
            format!(
                "{} {}",
                ValueFormat::Fixed { decimals: 1 }.format(s.escalation_mean),
                interval(s.escalation_ci95, |v| ValueFormat::Fixed { decimals: 1 }
                    .format(v))
            )
        })
        .collect();
    shares.rows.push((ESCALATION.to_string(), cells));
    shares.write(&mut out);
    if c.differences.is_empty() {
        return trimmed(&out);
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Differences from [1] in percentage points, the escalation score in its points\n\
         (95% paired interval; * excludes 0; VR = variance reduction from pairing)"
    );
    let mut diffs = Panels::new("outcome", LABEL_WIDTH, &[]);
    for d in &c.differences {
        diffs
            .columns
            .push((header(d.index, &d.scenario, DIFF_WIDTH), DIFF_WIDTH));
    }
    for (o, name) in c.outcomes.iter().enumerate() {
        let cells = c
            .differences
            .iter()
            .map(|d| {
                let x = &d.outcomes[o];
                format!(
                    "{} {}{} VR {}",
                    points(x.difference),
                    interval(x.ci95, points),
                    if x.excludes_zero { " *" } else { "" },
                    reduction(x.variance_reduction)
                )
            })
            .collect();
        diffs.rows.push((name.label.clone(), cells));
    }
    let cells = c
        .differences
        .iter()
        .map(|d| {
            let e = &d.escalation;
            format!(
                "{} {}{} VR {}",
                signed(e.difference, 1),
                interval(e.ci95, |v| signed(v, 1)),
                if e.excludes_zero { " *" } else { "" },
                reduction(e.variance_reduction)
            )
        })
        .collect();
    diffs.rows.push((ESCALATION.to_string(), cells));
    diffs.write(&mut out);
    milestones(&mut out, c);
    trimmed(&out)
}

/// The milestones the console shows (all of them are in `comparison.json`
/// and the report).
const KEY_MILESTONES: [&str; 3] = ["first_strike", "war_start", "deal"];

/// Appends the key milestones reached by each chosen step in every
/// scenario, and their paired differences from the baseline.
fn milestones(out: &mut String, c: &Comparison) {
    let Some(first) = c.differences.first() else {
        return;
    };
    let step = &c.baseline().step_label;
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Milestones reached by the end of each {step}: share in [1], then for each scenario\n\
         its share and paired difference from [1] in percentage points (95% interval; * excludes 0)"
    );
    let base = header(0, &c.baseline().scenario.name, 18);
    let mut table = Panels::new(
        "milestone",
        LABEL_WIDTH,
        &[(step.as_str(), 24), (base.as_str(), 18)],
    );
    for d in &c.differences {
        table.columns.push((
            header(d.index, &d.scenario, MILESTONE_WIDTH),
            MILESTONE_WIDTH,
        ));
    }
    for m in &first.milestones {
        if !KEY_MILESTONES.contains(&m.name.as_str()) {
            continue;
        }
        let reached = c.differences.iter().any(|d| {
            d.milestones
                .iter()
                .find(|x| x.name == m.name)
                .and_then(|x| x.at.last())
                .is_some_and(|a| a.baseline_probability > 0.0 || a.probability > 0.0)
        });
        if !reached {
            continue;
        }
        for (i, at) in m.at.iter().enumerate() {
            let label = if i == 0 {
                m.label.clone()
            } else {
                String::new()
            };
            let when = match &at.date {
                Some(d) => format!("{} ({d})", at.step),
                None => at.step.to_string(),
            };
            let mut cells = vec![when, percent(at.baseline_probability)];
            for d in &c.differences {
                cells.push(
                    d.milestones
                        .iter()
                        .find(|x| x.name == m.name)
                        .and_then(|x| x.at.get(i))
                        .map_or("-".to_string(), |x| {
                            format!(
                                "{} {} {}{}",
                                percent(x.probability),
                                points(x.difference),
                                interval(x.difference_ci95, points),
                                if x.excludes_zero { " *" } else { "" }
                            )
                        }),
                );
            }
            table.rows.push((label, cells));
        }
    }
    table.write(out);
}
