//! The vocabulary of the world every scenario describes: state variables,
//! the escalation ladder, the EscalAItion scale, conditions and outcomes.
//!
//! These are fixed by the model (see `docs/model.md`); scenarios choose the
//! numbers, not the shape of the world.

use std::fmt;

pub use crate::outcome::{N_OUTCOMES, Outcome, PerOutcome};

/// Number of continuous state variables.
pub const N_VARS: usize = 6;

/// A continuous state variable of the world.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Var {
    /// Mutual trust, 0..1.
    Trust = 0,
    /// Progress of talks towards a deal, 0..1.
    TalksProgress = 1,
    /// Iran's enriched-uranium stockpile, 0 and up (scenario units).
    Stockpile = 2,
    /// Sanctions pressure, 0..1.
    Sanctions = 3,
    /// US military posture in the region, 0..1.
    UsPosture = 4,
    /// Iran's military readiness, 0..1.
    IranReadiness = 5,
}

impl Var {
    /// All variables in index order.
    pub const ALL: [Var; N_VARS] = [
        Var::Trust,
        Var::TalksProgress,
        Var::Stockpile,
        Var::Sanctions,
        Var::UsPosture,
        Var::IranReadiness,
    ];

    /// Name used in scenario files and outputs.
    pub fn name(self) -> &'static str {
        match self {
            Var::Trust => "trust",
            Var::TalksProgress => "talks_progress",
            Var::Stockpile => "stockpile",
            Var::Sanctions => "sanctions",
            Var::UsPosture => "us_posture",
            Var::IranReadiness => "iran_readiness",
        }
    }

    /// Looks a variable up by its file name.
    pub fn from_name(s: &str) -> Option<Var> {
        Var::ALL.into_iter().find(|v| v.name() == s)
    }

    /// Index into state arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Largest value the variable may take.
    pub fn upper_bound(self) -> f64 {
        match self {
            Var::Stockpile => f64::INFINITY,
            _ => 1.0,
        }
    }

    /// Names of all variables, for hints.
    pub fn names() -> Vec<&'static str> {
        Var::ALL.iter().map(|v| v.name()).collect()
    }
}

/// Number of rungs on the escalation ladder.
pub const N_RUNGS: usize = 6;
/// The rung of limited strikes.
pub const RUNG_STRIKES: u8 = 4;
/// The rung of regional war, which absorbs.
pub const RUNG_WAR: u8 = 5;

/// Labels of the escalation rungs 0..=5.
pub const RUNG_LABELS: [&str; N_RUNGS] = [
    "diplomacy",
    "coercion",
    "posturing",
    "incidents",
    "limited strikes",
    "regional war",
];

/// The published EscalAItion escalation scores (Rivera et al., 2024).
pub const ESCALATION_SCALE: [(i64, &str); 6] = [
    (-2, "de-escalation"),
    (0, "status quo"),
    (4, "posturing"),
    (12, "non-violent escalation"),
    (28, "violent escalation"),
    (60, "nuclear"),
];

/// Cooperativeness of an action with escalation score `e`, in -1..=1:
/// +1 for de-escalation, 0 for the status quo, falling to -1 at violent
/// escalation (28) and beyond. Used by reciprocity and distrust.
pub fn cooperativeness(e: i32) -> f64 {
    if e < 0 {
        1.0
    } else {
        -(f64::from(e.min(28)) / 28.0)
    }
}

/// What a condition looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// A continuous variable.
    Var(Var),
    /// The escalation rung.
    Rung,
    /// 1 while talks run, 0 while suspended.
    TalksActive,
    /// 1 when an incident happened in the previous step.
    Incident,
    /// The current 1-based step.
    Step,
}

impl Subject {
    /// Name used in condition text.
    pub fn name(self) -> &'static str {
        match self {
            Subject::Var(v) => v.name(),
            Subject::Rung => "rung",
            Subject::TalksActive => "talks_active",
            Subject::Incident => "incident",
            Subject::Step => "step",
        }
    }

    /// All names a condition may use.
    pub fn names() -> Vec<&'static str> {
        let mut v = Var::names();
        v.extend(["rung", "talks_active", "incident", "step"]);
        v
    }

    /// Looks a subject up by name.
    pub fn from_name(s: &str) -> Option<Subject> {
        match s {
            "rung" => Some(Subject::Rung),
            "talks_active" => Some(Subject::TalksActive),
            "incident" => Some(Subject::Incident),
            "step" => Some(Subject::Step),
            _ => Var::from_name(s).map(Subject::Var),
        }
    }

    /// True for subjects that are 0/1 flags.
    pub fn is_flag(self) -> bool {
        matches!(self, Subject::TalksActive | Subject::Incident)
    }
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `==`
    Eq,
    /// `!=`
    Ne,
}

impl Cmp {
    /// Applies the comparison.
    #[inline]
    pub fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Cmp::Lt => a < b,
            Cmp::Le => a <= b,
            Cmp::Gt => a > b,
            Cmp::Ge => a >= b,
            Cmp::Eq => a == b,
            Cmp::Ne => a != b,
        }
    }

    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
            Cmp::Eq => "==",
            Cmp::Ne => "!=",
        }
    }
}

/// A condition on the world: `subject op threshold`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Condition {
    /// What is compared.
    pub subject: Subject,
    /// How.
    pub cmp: Cmp,
    /// Against what.
    pub threshold: f64,
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.subject.is_flag() && self.cmp == Cmp::Eq && self.threshold == 1.0 {
            write!(f, "{}", self.subject.name())
        } else if self.subject.is_flag() && self.cmp == Cmp::Eq && self.threshold == 0.0 {
            write!(f, "not {}", self.subject.name())
        } else {
            write!(
                f,
                "{} {} {}",
                self.subject.name(),
                self.cmp.symbol(),
                self.threshold
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cooperativeness_spans_minus_one_to_one() {
        assert_eq!(cooperativeness(-2), 1.0);
        assert_eq!(cooperativeness(0), 0.0);
        assert_eq!(cooperativeness(28), -1.0);
        assert_eq!(cooperativeness(60), -1.0);
        assert!((cooperativeness(12) + 12.0 / 28.0).abs() < 1e-15);
    }

    #[test]
    fn names_round_trip() {
        for v in Var::ALL {
            assert_eq!(Var::from_name(v.name()), Some(v));
        }
    }
}
