//! An event's syntax tree resolved against a model: names become
//! milestone and variable indices, moments become steps (through the
//! scenario's calendar), lengths of time become numbers of steps.

use std::ops::Range;

use super::EventError;
use super::parse::{ClauseKind, Cmp, EventExpr, MilestoneTest, State, Unit, When, WhenAt, Window};
use crate::model::Model;
use crate::scenario::Calendar;
use crate::scenario::calendar::{iso, named_step_days};
use crate::scenario::diagnostic::{did_you_mean, show_number};

/// Where a trial records a milestone's first step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The model's milestone of this index (`TrialRecord::milestones`).
    Milestone(usize),
    /// Any principal's first strike (`TrialRecord::first_strike_step`).
    FirstStrike,
    /// The breakout (`TrialRecord::breakout_step`).
    Breakout,
}

/// How a milestone's first step is tested. A milestone never reached
/// passes none of them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StepTest {
    /// Reached at or before the step.
    By(u32),
    /// Reached never (`before step 0`).
    Never,
    /// Reached exactly at the step.
    At(u32),
    /// Reached after the step.
    After(u32),
    /// Reached, at a step that compares so to the number.
    Cmp(Cmp, f64),
}

impl StepTest {
    /// Whether a milestone first reached at `step` (or never) passes.
    pub fn passes(self, step: Option<u32>) -> bool {
        let Some(s) = step else { return false };
        match self {
            StepTest::By(b) => s <= b,
            StepTest::Never => false,
            StepTest::At(a) => s == a,
            StepTest::After(a) => s > a,
            StepTest::Cmp(c, v) => c.test(f64::from(s), v),
        }
    }
}

/// A state of the world at the end of a step, compiled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pred {
    /// The rung compares so to the number.
    Rung(Cmp, i64),
    /// Talks are running (`true`) or suspended (`false`).
    Talks(bool),
    /// A war is open.
    War,
    /// A ceasefire holds.
    Ceasefire,
    /// The variable of this index compares so to the number.
    Var(usize, Cmp, f64),
}

/// Over which steps a state is looked for, in steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Steps {
    /// At the end of this step.
    At(u32),
    /// At the end of some step up to this one.
    By(u32),
    /// At the end of `n` consecutive steps (from step 1), the last of them
    /// at or before `by`.
    For {
        /// Steps in the run.
        n: u32,
        /// The latest last step of the run.
        by: u32,
    },
}

/// What a clause tests.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Test {
    /// A milestone's first step.
    Milestone(Source, StepTest),
    /// A state over a window of steps.
    State(Pred, Steps),
}

/// One compiled clause.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Clause {
    /// Holds when the test fails.
    pub negated: bool,
    /// The test.
    pub test: Test,
}

/// A compiled event: every clause must hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The clauses.
    pub clauses: Vec<Clause>,
    /// The last step the event looks at.
    pub last_step: u32,
}

/// The milestones an event may name, in the order of
/// [`crate::model::milestone_names`], each with a label for people and where a
/// trial records it.
fn milestone_sources(model: &Model) -> Vec<(String, String, Source)> {
    use crate::model::Milestone;
    let mut out = vec![(
        "first_strike".to_string(),
        "First strike (any)".to_string(),
        Source::FirstStrike,
    )];
    let mut world = Vec::new();
    for (k, m) in model.milestones.iter().enumerate() {
        let column = m.column(&model.actors);
        let name = column.trim_end_matches("_step").to_string();
        let label = match m {
            Milestone::FirstStrike(a) => {
                let actor = &model.actors[*a as usize];
                format!("First strike by {}", actor_label(&actor.id, &actor.name))
            }
            Milestone::FirstIncident => "First incident".into(),
            Milestone::WarStart => "War start".into(),
            Milestone::Ceasefire => "Ceasefire".into(),
            Milestone::WarEnd => "War end".into(),
            Milestone::Interim => "Interim agreement".into(),
            Milestone::Deal => "Deal".into(),
        };
        if matches!(m, Milestone::FirstStrike(_)) {
            out.push((name, label, Source::Milestone(k)));
        } else {
            world.push((name, label, Source::Milestone(k)));
        }
    }
    out.extend(world);
    out.push(("breakout".into(), "Breakout".into(), Source::Breakout));
    out
}

fn actor_label(id: &str, name: &str) -> String {
    if id.eq_ignore_ascii_case("us") {
        "the US".into()
    } else {
        name.to_string()
    }
}

fn err(span: Range<usize>, message: impl Into<String>, hint: impl Into<String>) -> EventError {
    EventError {
        span,
        message: message.into(),
        hint: hint.into(),
    }
}

/// Resolves moments and lengths against the model's horizon and calendar.
struct Clock<'a> {
    model: &'a Model,
    calendar: Option<&'a Calendar>,
}

impl Clock<'_> {
    fn step_days(&self, span: &Range<usize>, what: &str) -> Result<u32, EventError> {
        self.calendar
            .map(Calendar::step_days)
            .or_else(|| named_step_days(&self.model.step_label))
            .ok_or_else(|| {
                err(
                    span.clone(),
                    format!(
                        "{what} needs the length of a step, and this scenario's step is a `{}`",
                        self.model.step_label
                    ),
                    "give the scenario `[run] start` and `step`, or count in steps (`step 6`)",
                )
            })
    }

    fn horizon_hint(&self) -> String {
        let h = self.model.horizon;
        match self.calendar {
            Some(c) => format!(
                "the scenario runs from step 0 ({}) to step {h} ({})",
                c.date(0),
                c.date(h)
            ),
            None => format!("the scenario runs from step 0 to step {h}"),
        }
    }

    /// The last step ending on or before the moment (strictly before with
    /// `strict`); `None` when there is none (strictly before the start).
    fn step(&self, w: &WhenAt, strict: bool) -> Result<Option<u32>, EventError> {
        let days = match w.when {
            When::Step(n) => {
                return self.check(w, if strict { n.checked_sub(1) } else { Some(n) });
            }
            When::Week(n) => u64::from(n) * 7,
            When::Day(n) => u64::from(n),
            When::Date(d) => {
                let Some(c) = self.calendar else {
                    return Err(err(
                        w.span.clone(),
                        "a date needs the scenario's start date",
                        "give the scenario `[run] start = \"YYYY-MM-DD\"`, or count in steps (`step 6`)",
                    ));
                };
                let days = (d - c.start()).num_days();
                if days < 0 {
                    return Err(err(
                        w.span.clone(),
                        format!("{} is before the scenario's start ({})", iso(d), c.date(0)),
                        self.horizon_hint(),
                    ));
                }
                days as u64
            }
        };
        let what = match w.when {
            When::Week(_) => "a week",
            When::Day(_) => "a day",
            _ => "a date",
        };
        let sd = u64::from(self.step_days(&w.span, what)?);
        let step = if strict {
            days.div_ceil(sd).checked_sub(1)
        } else {
            Some(days / sd)
        };
        self.check(w, step.map(|s| u32::try_from(s).unwrap_or(u32::MAX)))
    }

    fn check(&self, w: &WhenAt, step: Option<u32>) -> Result<Option<u32>, EventError> {
        match step {
            Some(s) if s > self.model.horizon => Err(err(
                w.span.clone(),
                format!("this is step {s}, past the horizon"),
                self.horizon_hint(),
            )),
            s => Ok(s),
        }
    }

    fn required(&self, w: &WhenAt) -> Result<u32, EventError> {
        // Not strict: the start itself is step 0.
        Ok(self.step(w, false)?.unwrap_or(0))
    }

    fn length(&self, n: u32, unit: Unit, span: &Range<usize>) -> Result<u32, EventError> {
        let days = match unit {
            Unit::Step => return Ok(n),
            Unit::Week => u64::from(n) * 7,
            Unit::Day => u64::from(n),
        };
        let sd = u64::from(self.step_days(span, "a length in weeks or days")?);
        Ok(u32::try_from(days.div_ceil(sd)).unwrap_or(u32::MAX))
    }
}

/// The names an event may use, for hints.
fn known_names(model: &Model) -> Vec<String> {
    let mut names: Vec<String> = milestone_sources(model).into_iter().map(|m| m.0).collect();
    names.extend(["rung", "talks", "war", "ceasefire"].map(String::from));
    names.extend(model.vars.iter().map(|v| v.name.clone()));
    names
}

fn unknown(model: &Model, name: &str, span: Range<usize>) -> EventError {
    if let Some(a) = model
        .actors
        .iter()
        .find(|a| a.id.eq_ignore_ascii_case(name))
    {
        let strike = format!("first_strike_{}", a.id);
        let principal = milestone_sources(model).iter().any(|m| m.0 == strike);
        let hint = if principal {
            format!("`{name}` is an actor; its first strike is the milestone `{strike}`")
        } else {
            format!(
                "`{name}` is an actor; events name milestones, `rung`, `talks`, `war`, `ceasefire` and variables"
            )
        };
        return err(
            span,
            format!("`{name}` is not a milestone or a variable"),
            hint,
        );
    }
    let names = known_names(model);
    let hint = match did_you_mean(name, names.iter().map(String::as_str)) {
        Some(c) => format!("did you mean `{c}`?"),
        None => format!("known names: {}", names.join(", ")),
    };
    err(span, format!("unknown name `{name}`"), hint)
}

fn find_milestone(model: &Model, name: &str) -> Option<Source> {
    let sources = milestone_sources(model);
    let look = |n: &str| sources.iter().find(|m| m.0 == n).map(|m| m.2);
    look(name).or_else(|| name.strip_suffix("_step").and_then(look))
}

fn find_var(model: &Model, name: &str) -> Option<usize> {
    model
        .vars
        .iter()
        .position(|v| v.name.eq_ignore_ascii_case(name))
}

/// Compiles an event for `model`, whose dates follow `calendar` (the
/// model's own when `None` is given and it has one).
pub fn compile(
    expr: &EventExpr,
    model: &Model,
    calendar: Option<&Calendar>,
) -> Result<Event, EventError> {
    let clock = Clock {
        model,
        calendar: calendar.or(model.calendar.as_ref()),
    };
    let horizon = model.horizon;
    let mut clauses = Vec::with_capacity(expr.clauses.len());
    let mut last_step = 0;
    for c in &expr.clauses {
        let (test, last) = match &c.kind {
            ClauseKind::Milestone {
                name,
                name_span,
                test,
            } => {
                let Some(source) = find_milestone(model, name) else {
                    if find_var(model, name).is_some() {
                        return Err(err(
                            name_span.clone(),
                            format!("`{name}` is a variable; it needs a comparison"),
                            format!("for example `{name} >= 0.5 by step 10`"),
                        ));
                    }
                    return Err(unknown(model, name, name_span.clone()));
                };
                let t = match test {
                    MilestoneTest::Reached => StepTest::By(horizon),
                    MilestoneTest::By(w) => StepTest::By(clock.required(w)?),
                    MilestoneTest::Before(w) => match clock.step(w, true)? {
                        Some(s) => StepTest::By(s),
                        None => StepTest::Never,
                    },
                    MilestoneTest::At(w) => StepTest::At(clock.required(w)?),
                    MilestoneTest::After(w) => StepTest::After(clock.required(w)?),
                };
                let last = match t {
                    StepTest::By(s) | StepTest::At(s) => s,
                    _ => horizon,
                };
                (Test::Milestone(source, t), last)
            }
            ClauseKind::Compare {
                name,
                name_span,
                cmp,
                value,
                value_span,
                window,
            } => {
                if let Some(source) = find_milestone(model, name) {
                    if *window != Window::Horizon {
                        return Err(err(
                            c.span.clone(),
                            format!(
                                "`{name}` compares the step of a milestone; it takes no window"
                            ),
                            format!(
                                "write `{name} by step N`, or compare the step alone (`{name} <= N`)"
                            ),
                        ));
                    }
                    if value.fract() != 0.0 {
                        return Err(err(
                            value_span.clone(),
                            format!("steps are whole numbers, not {}", show_number(*value)),
                            "compare a milestone's step with a whole number",
                        ));
                    }
                    let last = match cmp {
                        Cmp::Eq | Cmp::Le => value.clamp(0.0, f64::from(horizon)) as u32,
                        Cmp::Lt => (value - 1.0).clamp(0.0, f64::from(horizon)) as u32,
                        _ => horizon,
                    };
                    (Test::Milestone(source, StepTest::Cmp(*cmp, *value)), last)
                } else if let Some(v) = find_var(model, name) {
                    let (steps, last) = window_steps(&clock, window)?;
                    (Test::State(Pred::Var(v, *cmp, *value), steps), last)
                } else {
                    return Err(unknown(model, name, name_span.clone()));
                }
            }
            ClauseKind::State { state, window } => {
                let pred = match state {
                    State::Rung(cmp, n) => {
                        if *n > 5 {
                            return Err(err(
                                c.span.clone(),
                                format!("there is no rung {n}"),
                                "rungs run from 0 (calm) to 5 (war)",
                            ));
                        }
                        Pred::Rung(*cmp, *n)
                    }
                    State::TalksActive => Pred::Talks(true),
                    State::TalksSuspended => Pred::Talks(false),
                    State::War => Pred::War,
                    State::Ceasefire => Pred::Ceasefire,
                };
                let (steps, last) = window_steps(&clock, window)?;
                (Test::State(pred, steps), last)
            }
        };
        last_step = last_step.max(last);
        clauses.push(Clause {
            negated: c.negated,
            test,
        });
    }
    Ok(Event { clauses, last_step })
}

fn window_steps(clock: &Clock<'_>, w: &Window) -> Result<(Steps, u32), EventError> {
    let horizon = clock.model.horizon;
    Ok(match w {
        Window::Horizon => (Steps::By(horizon), horizon),
        Window::At(w) => {
            let s = clock.required(w)?;
            (Steps::At(s), s)
        }
        Window::By(w) => {
            let s = clock.required(w)?;
            (Steps::By(s), s)
        }
        Window::For { n, unit, span, by } => {
            let n = clock.length(*n, *unit, span)?;
            let by = match by {
                Some(w) => clock.required(w)?,
                None => horizon,
            };
            if n > by {
                return Err(err(
                    span.clone(),
                    format!("a run of {n} steps cannot end by step {by}"),
                    "runs count steps from step 1; shorten the run or give a later end",
                ));
            }
            (Steps::For { n, by }, by)
        }
    })
}
