//! The scenario file as written: TOML tables read with serde, every value
//! keeping its location in the file so later checks can point at it.
//!
//! These types say what may appear where; `validate` says what it means.
//! `docs/scenario-format.md` documents every field.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::number::Number;

/// A value with its byte span in the file.
pub type S<T> = Spanned<T>;

/// The sections a scenario file may contain, in the order they are checked.
pub const SECTIONS: &[&str] = &[
    "scenario",
    "run",
    "initial",
    "outcomes",
    "dynamics",
    "incidents",
    "actions",
    "actors",
    "events",
];

/// `[scenario]`: what the file is and where its numbers come from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// Short machine name, used for the output folder.
    pub name: S<String>,
    /// Human title for reports.
    #[serde(default)]
    pub title: Option<String>,
    /// What the scenario represents.
    #[serde(default)]
    pub description: Option<String>,
    /// Where the numbers come from.
    #[serde(default)]
    pub sources: Vec<String>,
}

/// `[run]`: horizon and Monte Carlo defaults.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunSection {
    /// Number of steps per trial.
    pub horizon: S<i64>,
    /// What one step is called ("week").
    #[serde(default)]
    pub step: Option<S<String>>,
    /// Default master seed.
    #[serde(default)]
    pub seed: Option<S<i64>>,
    /// Default number of trials.
    #[serde(default)]
    pub trials: Option<S<i64>>,
    /// The date of step 0 (`"2026-02-07"` or a TOML date `2026-02-07`).
    #[serde(default)]
    pub start: Option<S<DateText>>,
    /// Days per step, when the step is neither a day nor a week.
    #[serde(default)]
    pub step_days: Option<S<i64>>,
}

/// A date as written: a string, or a TOML date literal turned into its text.
/// Whether it is a valid date is checked later, with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateText(pub String);

impl<'de> Deserialize<'de> for DateText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Text;

        impl<'de> serde::de::Visitor<'de> for Text {
            type Value = DateText;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a date such as \"2026-02-07\"")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }

            // A TOML date-time literal reaches serde as a one-entry map.
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<DateText, A::Error> {
                let dt = toml::value::Datetime::deserialize(
                    serde::de::value::MapAccessDeserializer::new(map),
                )?;
                Ok(DateText(dt.to_string()))
            }
        }

        d.deserialize_any(Text)
    }
}

/// `[initial]`: the world state before the first step.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InitialSection {
    /// Escalation rung 0..=5.
    pub rung: S<i64>,
    /// Whether talks are running.
    pub talks_active: bool,
    /// Mutual trust 0..1.
    pub trust: S<Number>,
    /// Progress towards a deal 0..1.
    pub talks_progress: S<Number>,
    /// Iran's enriched-uranium stockpile (scenario units, e.g. kg).
    pub stockpile: S<Number>,
    /// Sanctions pressure 0..1.
    pub sanctions: S<Number>,
    /// US military posture in the region 0..1.
    pub us_posture: S<Number>,
    /// Iran's military readiness 0..1.
    pub iran_readiness: S<Number>,
}

/// `[outcomes]`: thresholds that turn states into outcomes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomesSection {
    /// Talks progress at which a deal is reached.
    #[serde(default)]
    pub deal_progress: Option<S<Number>>,
    /// Stockpile at which Iran is counted as having broken out.
    pub breakout_stockpile: S<Number>,
}

/// `[dynamics]`: rules of the step that are not tied to one actor.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DynamicsSection {
    /// Escalation score from which an action counts as hostile.
    #[serde(default)]
    pub hostile_from: Option<S<i64>>,
    /// Growth of escalation aversion per rung.
    #[serde(default)]
    pub aversion_per_rung: Option<S<Number>>,
    /// Chance per quiet step that the rung falls by one, at zero trust.
    #[serde(default)]
    pub deescalation_base: Option<S<Number>>,
    /// Added chance of de-escalation per unit of trust.
    #[serde(default)]
    pub deescalation_per_trust: Option<S<Number>>,
}

/// `[incidents]`: the hazard of an incident nobody chose.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncidentsSection {
    /// Hazard per step with no build-up at rung 0.
    pub base: S<Number>,
    /// Added hazard per rung.
    #[serde(default)]
    pub per_rung: Option<S<Number>>,
    /// Added hazard per unit of each state variable.
    #[serde(default)]
    pub weights: BTreeMap<S<String>, S<Number>>,
    /// Upper bound of the hazard.
    #[serde(default)]
    pub max_hazard: Option<S<Number>>,
    /// Highest rung an incident can push the world to.
    #[serde(default)]
    pub max_rung: Option<S<i64>>,
    /// Trust lost when an incident happens.
    #[serde(default)]
    pub trust_loss: Option<S<Number>>,
}

/// One `[[actions]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionEntry {
    /// Identifier used by actors and events.
    pub id: S<String>,
    /// Human label.
    #[serde(default)]
    pub label: Option<String>,
    /// Score on the EscalAItion scale.
    pub escalation: S<i64>,
    /// Conditions that must all hold for the action to be open.
    #[serde(default)]
    pub requires: Vec<S<String>>,
    /// Additive effects on state variables.
    #[serde(default)]
    pub effects: BTreeMap<S<String>, S<Number>>,
    /// Change of the rung (added).
    #[serde(default)]
    pub rung_change: Option<S<i64>>,
    /// The rung is raised to at least this.
    #[serde(default)]
    pub rung_at_least: Option<S<i64>>,
    /// "suspend" or "resume" talks.
    #[serde(default)]
    pub talks: Option<S<String>>,
    /// Chance that this action holds an incident from raising the rung.
    #[serde(default)]
    pub restraint: Option<S<Number>>,
    /// Utility cost of taking it, for every actor.
    #[serde(default)]
    pub cost: Option<S<Number>>,
}

/// One red line of an actor.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedLineEntry {
    /// Condition under which the line counts as crossed.
    pub when: S<String>,
    /// Utility added to actions while crossed.
    pub favour: BTreeMap<S<String>, S<Number>>,
    /// Why the line exists.
    #[serde(default)]
    pub note: Option<String>,
}

/// One `[[actors]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorEntry {
    /// Identifier.
    pub id: S<String>,
    /// Human name.
    #[serde(default)]
    pub name: Option<String>,
    /// "principal" or "mediator".
    pub role: S<String>,
    /// "logit" (default) or "fixed".
    #[serde(default)]
    pub policy: Option<S<String>>,
    /// Actions open to the actor (logit policy).
    #[serde(default)]
    pub actions: Vec<S<String>>,
    /// Constant action probabilities (fixed policy).
    #[serde(default)]
    pub probabilities: BTreeMap<S<String>, S<Number>>,
    /// Actors whose last action this one reciprocates.
    #[serde(default)]
    pub responds_to: Vec<S<String>>,
    /// Logit precision beta.
    #[serde(default)]
    pub rationality: Option<S<Number>>,
    /// Weight of reciprocity.
    #[serde(default)]
    pub reciprocity: Option<S<Number>>,
    /// Weight of escalation aversion.
    #[serde(default)]
    pub risk_aversion: Option<S<Number>>,
    /// Pull of low trust towards hostile actions.
    #[serde(default)]
    pub distrust: Option<S<Number>>,
    /// Weights on state variables.
    #[serde(default)]
    pub preferences: BTreeMap<S<String>, S<Number>>,
    /// Per-action utility offsets.
    #[serde(default)]
    pub bias: BTreeMap<S<String>, S<Number>>,
    /// Red lines.
    #[serde(default)]
    pub red_lines: Vec<RedLineEntry>,
}

/// One `[[events]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventEntry {
    /// 1-based step at which the event happens.
    pub step: S<i64>,
    /// Actor whose action is forced.
    #[serde(default)]
    pub actor: Option<S<String>>,
    /// The forced action.
    #[serde(default)]
    pub action: Option<S<String>>,
    /// State values set at the start of the step.
    #[serde(default)]
    pub set: BTreeMap<S<String>, S<Number>>,
    /// What happened, and the source.
    #[serde(default)]
    pub note: Option<String>,
}
