//! The vocabulary of the world every scenario describes: state variables,
//! the escalation ladder, the EscalAItion scale, conditions and outcomes.
//!
//! These are fixed by the model (see `docs/model.md`); scenarios choose the
//! numbers, not the shape of the world.

pub use crate::outcome::{N_OUTCOMES, Outcome, PerOutcome};

/// Number of state variables every scenario has (the first [`Var`] indices).
pub const N_BUILTIN_VARS: usize = 6;
/// Most state variables a scenario may have: the built-in ones plus those a
/// scenario declares in `[[variables]]`. State arrays have this fixed size so
/// a trial allocates nothing.
pub const N_VARS: usize = 16;

/// A continuous state variable of the world, by index. The first
/// [`N_BUILTIN_VARS`] are built in (named by the constants below); a scenario
/// may declare more, whose names and ranges live in its [`VarInfo`] table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Var(pub u8);

impl Var {
    /// Mutual trust, 0..1.
    pub const TRUST: Var = Var(0);
    /// Progress of talks towards a deal, 0..1 (with `[bargaining]`, the share
    /// of the initial gap between positions that has been closed).
    pub const TALKS_PROGRESS: Var = Var(1);
    /// Iran's enriched-uranium stockpile, 0 and up (scenario units).
    pub const STOCKPILE: Var = Var(2);
    /// Sanctions pressure, 0..1.
    pub const SANCTIONS: Var = Var(3);
    /// US military posture in the region, 0..1.
    pub const US_POSTURE: Var = Var(4);
    /// Iran's military readiness, 0..1.
    pub const IRAN_READINESS: Var = Var(5);

    /// The built-in variables in index order.
    pub const BUILTIN: [Var; N_BUILTIN_VARS] = [
        Var::TRUST,
        Var::TALKS_PROGRESS,
        Var::STOCKPILE,
        Var::SANCTIONS,
        Var::US_POSTURE,
        Var::IRAN_READINESS,
    ];

    /// Names of the built-in variables, in index order.
    pub const BUILTIN_NAMES: [&'static str; N_BUILTIN_VARS] = [
        "trust",
        "talks_progress",
        "stockpile",
        "sanctions",
        "us_posture",
        "iran_readiness",
    ];

    /// Index into state arrays.
    #[inline]
    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    /// Whether this is one of the built-in variables.
    pub fn is_builtin(self) -> bool {
        self.index() < N_BUILTIN_VARS
    }
}

/// Name and range of one state variable of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct VarInfo {
    /// Name used in scenario files and outputs.
    pub name: String,
    /// Human label.
    pub label: String,
    /// Lowest value.
    pub low: f64,
    /// Highest value (infinite for the stockpile).
    pub high: f64,
}

impl VarInfo {
    /// The built-in variables: the stockpile runs from 0 up, the others 0..1.
    pub fn builtin() -> Vec<VarInfo> {
        Var::BUILTIN
            .iter()
            .map(|&v| VarInfo {
                name: Var::BUILTIN_NAMES[v.index()].to_string(),
                label: Var::BUILTIN_NAMES[v.index()].replace('_', " "),
                low: 0.0,
                high: if v == Var::STOCKPILE {
                    f64::INFINITY
                } else {
                    1.0
                },
            })
            .collect()
    }
}

/// Looks a variable up by name in a scenario's table.
pub fn find_var(vars: &[VarInfo], name: &str) -> Option<Var> {
    vars.iter()
        .position(|v| v.name == name)
        .map(|k| Var(k as u8))
}

/// Most principals a scenario may have (each has a first-strike milestone).
pub const MAX_PRINCIPALS: usize = 10;
/// Most milestones a trial records: six for the whole world (first
/// incident, war start, ceasefire, war end, interim agreement, deal) and a
/// first strike for each principal.
pub const MAX_MILESTONES: usize = 6 + MAX_PRINCIPALS;

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
    /// 1 while a ceasefire holds (after a war, until it ends the war or collapses).
    Ceasefire,
    /// 1 once an interim agreement has been reached.
    Interim,
}

/// The names of the subjects that are not variables.
const OTHER_SUBJECTS: [(&str, Subject); 6] = [
    ("rung", Subject::Rung),
    ("talks_active", Subject::TalksActive),
    ("incident", Subject::Incident),
    ("step", Subject::Step),
    ("ceasefire", Subject::Ceasefire),
    ("interim", Subject::Interim),
];

impl Subject {
    /// Name used in condition text, with variable names from `vars`.
    pub fn name(self, vars: &[VarInfo]) -> String {
        match self {
            Subject::Var(v) => vars
                .get(v.index())
                .map_or_else(|| format!("var{}", v.0), |i| i.name.clone()),
            other => OTHER_SUBJECTS
                .iter()
                .find(|(_, s)| *s == other)
                .map_or(String::new(), |(n, _)| (*n).to_string()),
        }
    }

    /// All names a condition may use, with variable names from `vars`.
    pub fn names(vars: &[VarInfo]) -> Vec<&str> {
        let mut v: Vec<&str> = vars.iter().map(|v| v.name.as_str()).collect();
        v.extend(OTHER_SUBJECTS.iter().map(|(n, _)| *n));
        v
    }

    /// Looks a subject up by name, with variable names from `vars`.
    pub fn from_name(s: &str, vars: &[VarInfo]) -> Option<Subject> {
        OTHER_SUBJECTS
            .iter()
            .find(|(n, _)| *n == s)
            .map(|(_, subject)| *subject)
            .or_else(|| find_var(vars, s).map(Subject::Var))
    }

    /// True for subjects that are 0/1 flags.
    pub fn is_flag(self) -> bool {
        matches!(
            self,
            Subject::TalksActive | Subject::Incident | Subject::Ceasefire | Subject::Interim
        )
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

impl Condition {
    /// The condition as it is written in a scenario file, with variable
    /// names from `vars`.
    pub fn describe(&self, vars: &[VarInfo]) -> String {
        let name = self.subject.name(vars);
        if self.subject.is_flag() && self.cmp == Cmp::Eq && self.threshold == 1.0 {
            name
        } else if self.subject.is_flag() && self.cmp == Cmp::Eq && self.threshold == 0.0 {
            format!("not {name}")
        } else {
            format!("{name} {} {}", self.cmp.symbol(), self.threshold)
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
        let mut vars = VarInfo::builtin();
        vars.push(VarInfo {
            name: "hormuz_shipping".into(),
            label: "shipping through Hormuz".into(),
            low: 0.0,
            high: 1.0,
        });
        for (k, v) in vars.iter().enumerate() {
            let s = Subject::Var(Var(k as u8));
            assert_eq!(Subject::from_name(&v.name, &vars), Some(s));
            assert_eq!(s.name(&vars), v.name);
        }
        for name in ["rung", "ceasefire", "interim", "step"] {
            let s = Subject::from_name(name, &vars).unwrap();
            assert_eq!(s.name(&vars), name);
        }
    }
}
