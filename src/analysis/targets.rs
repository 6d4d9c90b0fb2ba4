//! Calibration targets: statements about a scenario's outputs with a
//! tolerance, read from a TOML file such as
//! `scenarios/targets/muscat-2026-experts.toml`.
//!
//! ```toml
//! [[targets]]
//! name = "A US strike within two months"
//! statistic = "strike_by"        # P(first step on rung 4 or above <= step)
//! step = 8
//! value = 0.40
//! tolerance = 0.10
//!
//! [[targets]]
//! name = "A deal within the year"
//! statistic = "outcome_by"       # P(outcome in `outcomes` and its step <= step)
//! outcomes = ["deal"]
//! step = 52
//! value = 0.55
//! tolerance = 0.10
//! ```

use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::engine::TrialRecord;
use crate::input::read_text_limited;
use crate::scenario::diagnostic::{Diagnostics, Severity, SourceFile, suggestion_hint};
use crate::world::Outcome;

/// What a target measures.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "statistic", rename_all = "snake_case")]
pub enum Statistic {
    /// P(the rung reached 4 or more by `step`).
    StrikeBy {
        /// Last step counted.
        step: u32,
    },
    /// P(the trial ended in one of `outcomes` by `step`).
    OutcomeBy {
        /// Outcomes counted.
        outcomes: Vec<Outcome>,
        /// Last step counted.
        step: u32,
    },
}

impl Statistic {
    /// Whether a trial counts towards the statistic.
    pub fn counts(&self, r: &TrialRecord) -> bool {
        match self {
            Statistic::StrikeBy { step } => r.first_strike_step.is_some_and(|s| s <= *step),
            Statistic::OutcomeBy { outcomes, step } => {
                outcomes.contains(&r.outcome) && r.outcome_step <= *step
            }
        }
    }

    /// A readable description.
    pub fn describe(&self, step_label: &str) -> String {
        match self {
            Statistic::StrikeBy { step } => format!("P(strikes or worse by {step_label} {step})"),
            Statistic::OutcomeBy { outcomes, step } => {
                let names: Vec<&str> = outcomes.iter().map(|o| o.label()).collect();
                format!("P({} by {step_label} {step})", names.join(" or "))
            }
        }
    }
}

/// One calibration target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    /// What the target says, in words.
    pub name: String,
    /// What it measures.
    pub statistic: Statistic,
    /// The value experts give.
    pub value: f64,
    /// How far from it is still consistent.
    pub tolerance: f64,
    /// Where the judgement comes from.
    pub source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetsFile {
    targets: Vec<Spanned<TargetEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetEntry {
    name: String,
    statistic: Spanned<String>,
    step: Spanned<i64>,
    #[serde(default)]
    outcomes: Vec<Spanned<String>>,
    value: Spanned<f64>,
    tolerance: Spanned<f64>,
    #[serde(default)]
    source: Option<String>,
}

/// Reads and checks a targets file against a scenario's horizon.
pub fn load_targets(path: &Path, horizon: u32) -> Result<Vec<Target>, Diagnostics> {
    let mut diags = Diagnostics::new();
    // A targets file is as short as a scenario: the same limit applies.
    let text = match read_text_limited(path, crate::scenario::load::MAX_FILE_BYTES as u64) {
        Ok(t) => t,
        Err(e) => {
            let message = e.to_string();
            let (message, hint) = match message.split_once("\n  = hint: ") {
                Some((m, h)) => (m.to_string(), h.to_string()),
                None => (
                    message,
                    "check the path of --targets (see scenarios/targets/muscat-2026-experts.toml)"
                        .to_string(),
                ),
            };
            diags.push(SourceFile::new(path, "").diagnostic(
                Severity::Error,
                None,
                format!("cannot read the targets file: {message}"),
                Some(hint),
            ));
            return Err(diags);
        }
    };
    let src = SourceFile::new(path, text.clone());
    let file: TargetsFile = match toml::from_str(&text) {
        Ok(f) => f,
        Err(e) => {
            diags.push(src.diagnostic(
                Severity::Error,
                e.span(),
                e.message().trim().to_string(),
                Some("see the commented example scenarios/targets/muscat-2026-experts.toml".into()),
            ));
            return Err(diags);
        }
    };
    let mut out = Vec::new();
    for entry in &file.targets {
        let e = entry.get_ref();
        let mut ok = true;
        let step = *e.step.get_ref();
        if step < 1 || step > i64::from(horizon) {
            diags.push(src.diagnostic(
                Severity::Error,
                Some(e.step.span()),
                format!("step {step} is outside the scenario's horizon 1..{horizon}"),
                Some(format!(
                    "use a step from 1 to {horizon}, the scenario's `run.horizon`"
                )),
            ));
            ok = false;
        }
        for (v, what, lo, hi) in [
            (&e.value, "value", 0.0, 1.0),
            (&e.tolerance, "tolerance", 1e-9, 1.0),
        ] {
            let x = *v.get_ref();
            if !(lo..=hi).contains(&x) {
                diags.push(src.diagnostic(
                    Severity::Error,
                    Some(v.span()),
                    format!("`{what}` is {x}, but must be between {lo} and {hi}"),
                    Some("targets are probabilities".into()),
                ));
                ok = false;
            }
        }
        let mut outcomes = Vec::new();
        for o in &e.outcomes {
            match Outcome::from_key(o.get_ref()) {
                Some(x) => outcomes.push(x),
                None => {
                    let keys: Vec<&str> = Outcome::ALL.iter().map(|o| o.key()).collect();
                    diags.push(src.diagnostic(
                        Severity::Error,
                        Some(o.span()),
                        format!("unknown outcome `{}`", o.get_ref()),
                        Some(suggestion_hint(o.get_ref(), &keys, "outcomes")),
                    ));
                    ok = false;
                }
            }
        }
        let statistic = match e.statistic.get_ref().as_str() {
            "strike_by" if e.outcomes.is_empty() => Some(Statistic::StrikeBy {
                step: step.max(0) as u32,
            }),
            "outcome_by" if !e.outcomes.is_empty() => Some(Statistic::OutcomeBy {
                outcomes,
                step: step.max(0) as u32,
            }),
            "strike_by" | "outcome_by" => {
                diags.push(src.diagnostic(
                    Severity::Error,
                    Some(e.statistic.span()),
                    "`outcomes` goes with `statistic = \"outcome_by\"` only, and that one needs it",
                    Some(
                        "give `outcome_by` a list such as `outcomes = [\"deal\"]`, or drop `outcomes` from `strike_by`"
                            .into(),
                    ),
                ));
                None
            }
            other => {
                diags.push(src.diagnostic(
                    Severity::Error,
                    Some(e.statistic.span()),
                    format!("unknown statistic `{other}`"),
                    Some(suggestion_hint(
                        other,
                        &["strike_by", "outcome_by"],
                        "statistics",
                    )),
                ));
                None
            }
        };
        if let (true, Some(statistic)) = (ok, statistic) {
            out.push(Target {
                name: e.name.clone(),
                statistic,
                value: *e.value.get_ref(),
                tolerance: *e.tolerance.get_ref(),
                source: e.source.clone(),
            });
        }
    }
    if file.targets.is_empty() {
        diags.push(src.diagnostic(
            Severity::Error,
            None,
            "the file states no targets",
            Some("add `[[targets]]` tables".into()),
        ));
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(out)
    }
}
