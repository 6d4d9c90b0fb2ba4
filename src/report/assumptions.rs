//! What a report says about trusting its numbers: every uncertain
//! assumption of the scenario (its path, a label in words, its
//! distribution and its source in the file), and the model's limits.

use crate::distribution::Distribution;
use crate::model::Model;
use crate::scenario::Scenario;
use crate::scenario::assumptions::AssumptionSource;
use crate::scenario::labels::label_from_path;

/// The model's limits, as a report lists them (after `docs/model.md`,
/// "Limits"); the one list every report draws from.
pub const MODEL_LIMITS: &[&str] = &[
    "A stylised ladder: six rungs compress very different events; the model knows nothing of geography, weapons, casualties or domestic politics beyond what the utilities encode.",
    "Utilities are judgements: preferences, biases and red lines are assumptions chosen so that the baseline's behaviour is arguable, not estimated from data. Read results as what follows from these assumptions.",
    "Myopic actors: each weighs the immediate effects of one action; none plans ahead, learns, or models the others beyond reciprocity.",
    "Few actors: the Gulf states' own military options, proxies and the IAEA are folded into incidents, mediators, targets and red lines.",
    "Bargaining over a few scales: one number per issue and party; no package deals, linkage or ratification, and an agreement, once reached, is not implemented or broken in the model.",
    "Additive effects, clipped; no interaction between simultaneous actions beyond the rung rule.",
    "A fixed horizon: outcomes are judged at its end; trials with talks ongoing may end in any outcome later.",
    "Two kinds of error: the sampling error of the trials (made small by running more of them), and the spread over the uncertain assumptions (which more trials do not shrink). Neither covers assumptions the scenario fixes.",
];

/// One uncertain assumption, as the report lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct AssumptionRow {
    /// The parameter path (`actors.us.bias.strike`; `p_<path>` in `trials.csv`).
    pub path: String,
    /// What it is, in words.
    pub label: String,
    /// Its distribution and range (`uniform from 1 to 2`).
    pub distribution: String,
    /// What the scenario file says about it (empty when nothing).
    pub source: String,
    /// Where it is written (`muscat-2026.toml:81`).
    pub location: String,
}

/// Every uncertain number of `scenario` (compiled as `model`), in the order
/// of the `p_<path>` columns of `trials.csv`.
pub fn assumption_rows(scenario: &Scenario, model: &Model) -> Vec<AssumptionRow> {
    model
        .params
        .uncertain()
        .into_iter()
        .map(|slot| {
            let k = slot as usize;
            let path = &model.params.paths[k];
            let source = source_of(&scenario.assumptions, path);
            AssumptionRow {
                path: path.clone(),
                label: scenario
                    .assumptions
                    .iter()
                    .find(|a| a.path == *path)
                    .map_or_else(|| label_from_path(scenario, path), |a| a.label.clone()),
                distribution: model.params.dists[k]
                    .as_ref()
                    .map_or_else(String::new, describe),
                source: source.map_or_else(String::new, |s| s.note.clone()),
                location: source.map_or_else(String::new, |s| format!("{}:{}", s.file, s.line)),
            }
        })
        .collect()
}

/// The source recorded for `path`, or for the longest path it extends (a
/// number written once and copied to several slots).
fn source_of<'a>(sources: &'a [AssumptionSource], path: &str) -> Option<&'a AssumptionSource> {
    sources
        .iter()
        .filter(|s| {
            path == s.path
                || path
                    .strip_prefix(s.path.as_str())
                    .is_some_and(|rest| rest.starts_with('.'))
        })
        .max_by_key(|s| s.path.len())
}

/// A number as the report writes it: the shortest form that reads back.
fn num(x: f64) -> String {
    format!("{x}")
}

/// A distribution in words.
pub fn describe(d: &Distribution) -> String {
    match d {
        Distribution::Uniform { low, high } => {
            format!("uniform from {} to {}", num(*low), num(*high))
        }
        Distribution::Normal { mean, sd } => {
            format!(
                "normal, mean {}, sd {} (truncated to the valid range)",
                num(*mean),
                num(*sd)
            )
        }
        Distribution::Triangular { low, mode, high } => format!(
            "triangular from {} to {}, most likely {}",
            num(*low),
            num(*high),
            num(*mode)
        ),
        Distribution::Beta {
            alpha,
            beta,
            low,
            high,
        } => format!(
            "beta({}, {}) from {} to {}",
            num(*alpha),
            num(*beta),
            num(*low),
            num(*high)
        ),
        Distribution::LogNormal { median, sigma } => format!(
            "log-normal, median {}, log-sd {} (truncated to the valid range)",
            num(*median),
            num(*sigma)
        ),
        Distribution::Choice { values, weights } => {
            let total: f64 = weights.iter().sum();
            let parts: Vec<String> = values
                .iter()
                .zip(weights)
                .map(|(v, w)| {
                    let p = if total > 0.0 { w / total } else { 0.0 };
                    format!("{} ({:.0}%)", num(*v), p * 100.0)
                })
                .collect();
            format!("one of {}", parts.join(", "))
        }
        Distribution::Samples {
            file,
            column,
            table,
            ..
        } => format!(
            "column `{column}` of {file} ({} rows, drawn jointly with the file's other columns)",
            table.rows()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distributions_in_words() {
        assert_eq!(
            describe(&Distribution::Uniform {
                low: 0.03,
                high: 0.15
            }),
            "uniform from 0.03 to 0.15"
        );
        assert_eq!(
            describe(&Distribution::Triangular {
                low: -2.5,
                mode: -1.5,
                high: -0.5
            }),
            "triangular from -2.5 to -0.5, most likely -1.5"
        );
        assert_eq!(
            describe(&Distribution::Choice {
                values: vec![0.9, 1.0],
                weights: vec![1.0, 3.0]
            }),
            "one of 0.9 (25%), 1 (75%)"
        );
    }

    #[test]
    fn sources_match_the_longest_prefix() {
        let s = |p: &str| AssumptionSource {
            path: p.into(),
            file: "f.toml".into(),
            line: 1,
            note: p.into(),
            label: p.into(),
        };
        let sources = [s("actions.a.concede"), s("actions.a")];
        assert_eq!(
            source_of(&sources, "actions.a.concede.issue").map(|x| x.note.as_str()),
            Some("actions.a.concede")
        );
        assert!(source_of(&sources, "actions.ab").is_none());
    }
}
