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
    "variables",
    "scenario",
    "run",
    "initial",
    "outcomes",
    "war",
    "dynamics",
    "incidents",
    "bargaining",
    "actions",
    "actors",
    "events",
    "deadlines",
    "drifts",
    "history",
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
    /// States that end a trial: any of "deal" and "war".
    #[serde(default)]
    pub absorbing: Vec<S<String>>,
}

/// One `[[variables]]` entry: a state variable the scenario declares.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VariableEntry {
    /// Name used in effects, conditions and outputs.
    pub id: S<String>,
    /// Human label.
    #[serde(default)]
    pub label: Option<String>,
    /// Lowest value (default 0).
    #[serde(default)]
    pub low: Option<S<f64>>,
    /// Highest value (default 1).
    #[serde(default)]
    pub high: Option<S<f64>>,
    /// Value before the first step (default `low`).
    #[serde(default)]
    pub initial: Option<S<Number>>,
    /// What it measures, and the source.
    #[serde(default)]
    pub note: Option<String>,
}

/// `[war]`: how wars end.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WarSection {
    /// Rung the world returns to when a ceasefire takes hold.
    #[serde(default)]
    pub ceasefire_rung: Option<S<i64>>,
    /// Chance per step that a ceasefire collapses.
    #[serde(default)]
    pub collapse: Option<S<Number>>,
    /// Steps a ceasefire must hold to end the war.
    #[serde(default)]
    pub holds_after: Option<S<i64>>,
}

/// `[bargaining]`: deals by bargaining over positions.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BargainingSection {
    /// Actors who must agree.
    pub parties: Vec<S<String>>,
    /// Chance per step of closing when positions just meet.
    #[serde(default)]
    pub close_base: Option<S<Number>>,
    /// Added chance per unit of overlap.
    #[serde(default)]
    pub close_per_overlap: Option<S<Number>>,
    /// Added chance per unit of trust.
    #[serde(default)]
    pub close_per_trust: Option<S<Number>>,
    /// Whether agreements can close while talks are suspended.
    #[serde(default)]
    pub back_channel: Option<bool>,
    /// Softening of reservation points per step of war.
    #[serde(default)]
    pub war_softening: Option<S<Number>>,
    /// The issues under negotiation.
    #[serde(default)]
    pub issues: Vec<IssueEntry>,
}

/// One `[[bargaining.issues]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueEntry {
    /// Identifier.
    pub id: S<String>,
    /// What the 0..1 scale measures.
    #[serde(default)]
    pub label: Option<String>,
    /// Whether an interim agreement settles this issue.
    #[serde(default)]
    pub interim: Option<bool>,
    /// Each party's position, by actor id.
    pub positions: BTreeMap<S<String>, PositionEntry>,
}

/// A party's position on an issue. Every field is optional here so that a
/// missing one is reported by the semantic checks with its place.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PositionEntry {
    /// "high" or "low".
    #[serde(default)]
    pub wants: Option<S<String>>,
    /// Opening demand, 0..1.
    #[serde(default)]
    pub start: Option<S<Number>>,
    /// Least favourable acceptable value, 0..1.
    #[serde(default)]
    pub reservation: Option<S<Number>>,
}

/// One `[[deadlines]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineEntry {
    /// Identifier.
    pub id: S<String>,
    /// 1-based step at which it passes (this or `date`).
    #[serde(default)]
    pub step: Option<S<i64>>,
    /// The date at which it passes, in a dated scenario (this or `step`):
    /// the step whose days hold it.
    #[serde(default)]
    pub date: Option<S<DateText>>,
    /// Actor who set it.
    pub set_by: S<String>,
    /// Steps over which the `before` bonuses ramp up.
    #[serde(default)]
    pub lead: Option<S<i64>>,
    /// Steps over which the `after` bonuses fade (0: never).
    #[serde(default)]
    pub fade: Option<S<i64>>,
    /// Utility bonuses while it approaches, by `actor.action`.
    #[serde(default)]
    pub before: BTreeMap<S<String>, S<Number>>,
    /// Utility bonuses once passed, by `actor.action`.
    #[serde(default)]
    pub after: BTreeMap<S<String>, S<Number>>,
    /// While this condition holds, the deadline has no effect.
    #[serde(default)]
    pub unless: Option<S<String>>,
    /// What it is, and the source.
    #[serde(default)]
    pub note: Option<String>,
}

/// One `[[drifts]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DriftEntry {
    /// Conditions that must all hold.
    #[serde(default)]
    pub when: Vec<S<String>>,
    /// Change per step of each variable.
    pub effects: BTreeMap<S<String>, S<Number>>,
    /// Variable the changes are multiplied by.
    #[serde(default)]
    pub scale: Option<S<String>>,
    /// Why, and the source.
    #[serde(default)]
    pub note: Option<String>,
}

/// An action's `concede`: one number for every issue, or a number per issue.
#[derive(Debug, Clone)]
pub enum Concede {
    /// The same concession on every issue.
    All(Number),
    /// A concession per issue id.
    Issues(BTreeMap<S<String>, S<Number>>),
}

impl<'de> Deserialize<'de> for Concede {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Concede;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number, a distribution, or a table `{ ISSUE = NUMBER, ... }`")
            }

            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Concede, E> {
                Number::deserialize(serde::de::value::I64Deserializer::<E>::new(v))
                    .map(Concede::All)
            }

            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Concede, E> {
                Number::deserialize(serde::de::value::U64Deserializer::<E>::new(v))
                    .map(Concede::All)
            }

            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Concede, E> {
                Number::deserialize(serde::de::value::F64Deserializer::<E>::new(v))
                    .map(Concede::All)
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Concede, A::Error> {
                use serde::de::Error;
                let mut entries: Vec<(S<String>, S<toml::Value>)> = Vec::new();
                while let Some(k) = map.next_key::<S<String>>()? {
                    let v = map.next_value::<S<toml::Value>>()?;
                    entries.push((k, v));
                }
                if entries.iter().any(|(k, _)| k.get_ref() == "dist") {
                    let table: toml::Table = entries
                        .into_iter()
                        .map(|(k, v)| (k.into_inner(), v.into_inner()))
                        .collect();
                    return Number::deserialize(toml::Value::Table(table))
                        .map(Concede::All)
                        .map_err(A::Error::custom);
                }
                let mut out = BTreeMap::new();
                for (k, v) in entries {
                    let span = v.span();
                    let n = Number::deserialize(v.into_inner()).map_err(A::Error::custom)?;
                    out.insert(k, S::new(span, n));
                }
                Ok(Concede::Issues(out))
            }
        }
        d.deserialize_any(V)
    }
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
    /// Actors the action is aimed at.
    #[serde(default)]
    pub targets: Vec<S<String>>,
    /// Whether taking it agrees to a ceasefire.
    #[serde(default)]
    pub ceasefire: Option<bool>,
    /// Chance that a mediator taking it brokers a ceasefire.
    #[serde(default)]
    pub broker: Option<S<Number>>,
    /// Concessions on bargaining issues.
    #[serde(default)]
    pub concede: Option<S<Concede>>,
    /// Pressure on the targets' reservation points.
    #[serde(default)]
    pub pressure: Option<S<Number>>,
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
    /// Own actions it may react with, within the step, when struck.
    #[serde(default)]
    pub reactions: Vec<S<String>>,
    /// Allies whose violent actions it may join within the step, choosing
    /// among its reactions.
    #[serde(default)]
    pub joins: Vec<S<String>>,
    /// Utility per unit of a variable: variable -> own action -> coefficient.
    #[serde(default)]
    pub incentives: BTreeMap<S<String>, BTreeMap<S<String>, S<Number>>>,
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
    /// For a forced action: "replace" (default) or "add".
    #[serde(default)]
    pub mode: Option<S<String>>,
    /// What happened, and the source.
    #[serde(default)]
    pub note: Option<String>,
}

/// `[history]`: what had happened by the start, read key by key (its
/// milestone keys depend on the scenario's principals, so it is not a serde
/// struct; `structure.rs` reads it).
#[derive(Debug, Clone, Default)]
pub struct HistorySection {
    /// Each milestone already passed, by name (`war_start`), with when it happened.
    pub milestones: Vec<(S<String>, S<When>)>,
    /// `last_moves`: each actor's action in the step before the start.
    pub last_moves: Vec<(S<String>, S<String>)>,
    /// `ceasefire_held`: steps the ceasefire holding at the start has held.
    pub ceasefire_held: Option<S<i64>>,
    /// The byte span of the section, for whole-section messages.
    pub span: std::ops::Range<usize>,
}

/// When a milestone of `[history]` happened: a date, or a step counted back
/// from the start (0 is the step that ends at the start, -1 the one before).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum When {
    /// A date, as written (checked later).
    Date(DateText),
    /// A step, 0 or less.
    Step(i64),
}

impl<'de> Deserialize<'de> for When {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;

        impl<'de> serde::de::Visitor<'de> for V {
            type Value = When;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a date such as \"2026-01-20\" or a step such as -2")
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<When, E> {
                Ok(When::Date(DateText(v.to_string())))
            }

            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<When, E> {
                Ok(When::Step(v))
            }

            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<When, E> {
                Ok(When::Step(i64::try_from(v).unwrap_or(i64::MAX)))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<When, A::Error> {
                let dt = toml::value::Datetime::deserialize(
                    serde::de::value::MapAccessDeserializer::new(map),
                )?;
                Ok(When::Date(DateText(dt.to_string())))
            }
        }

        d.deserialize_any(V)
    }
}
