//! The parameter catalogue: every number of a checked scenario, with its
//! path, value or distribution, unit, label, valid range and kind, and
//! `--set PATH=VALUE`, which fixes any of them to a value.
//!
//! Two kinds of numbers live in a scenario. Most are *slots* of the compiled
//! model (`actors.us.rationality`, `actions.deploy.cost`): a trial reads them
//! from a vector of values, so an analysis can vary them per design point
//! without compiling again, and an uncertain one is drawn per trial. The
//! others are *structural* (an action's escalation score or rung change, a
//! deadline's step, the rung a ceasefire returns to): they shape the compiled
//! model itself, so a different value means a different model.
//!
//! Left out on purpose: `run.seed` and `run.trials` (every command has
//! `--seed` and `--trials`, and a sweep of the seed is meaningless under
//! common random numbers), `run.horizon` (it is the length of every time
//! axis, so results at two horizons do not share a shape; a shorter horizon
//! is read off one run's milestone curves), flags (`initial.talks_active`)
//! and the thresholds written inside conditions (`"stockpile >= 470"`),
//! which are part of an expression, not a field.

use serde::{Deserialize, Serialize};

use crate::distribution::Distribution;
use crate::world::{ESCALATION_SCALE, RUNG_STRIKES, RUNG_WAR};

use super::diagnostic::show_number;
use super::digest::hex_sha256;
use super::labels::label_from_path;
use super::{Param, PastMilestone, Policy, Scenario};

/// Version of the JSON written by `brink params --json`.
pub const SCHEMA_VERSION: u32 = 1;

/// Most names suggested for a path the scenario does not have.
pub const MAX_SUGGESTIONS: usize = 5;

/// What kind of number a parameter is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamKind {
    /// A model slot drawn from its distribution in every trial.
    Uncertain,
    /// A model slot with one value.
    Fixed,
    /// A number that shapes the compiled model (a rung, a score, a step):
    /// another value compiles another model.
    Structural,
}

impl ParamKind {
    /// The name used in tables and JSON.
    pub fn name(self) -> &'static str {
        match self {
            ParamKind::Uncertain => "uncertain",
            ParamKind::Fixed => "fixed",
            ParamKind::Structural => "structural",
        }
    }
}

/// What a number measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A chance, 0 to 1 (per step for hazards).
    Probability,
    /// Utility added to an action (logit scale).
    Utility,
    /// A weight: utility per unit of what it multiplies.
    Weight,
    /// Logit precision (rationality): 1 per unit of utility.
    Precision,
    /// The level of a state variable (its own scale: 0 to 1, kilograms for
    /// the stockpile).
    Level,
    /// A change of a state variable (per action or per step).
    Change,
    /// A position or distance on an issue's 0-to-1 scale.
    IssueScale,
    /// An escalation rung, 0 to 5.
    Rung,
    /// A change of the rung.
    RungChange,
    /// A score on the EscalAItion scale.
    EscalationScore,
    /// A step of the scenario's calendar (1 is the first).
    Step,
    /// A number of steps.
    Steps,
}

impl Unit {
    /// The name used in tables and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Unit::Probability => "probability",
            Unit::Utility => "utility",
            Unit::Weight => "weight",
            Unit::Precision => "precision",
            Unit::Level => "level",
            Unit::Change => "change",
            Unit::IssueScale => "issue_scale",
            Unit::Rung => "rung",
            Unit::RungChange => "rung_change",
            Unit::EscalationScore => "escalation_score",
            Unit::Step => "step",
            Unit::Steps => "steps",
        }
    }
}

/// The values a parameter may take.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidRange {
    /// Lowest valid value (may be minus infinity: no bound).
    pub low: f64,
    /// Highest valid value (may be infinity: no bound).
    pub high: f64,
    /// Whether only whole numbers are valid.
    pub integer: bool,
    /// When not empty, the only valid values (a scale).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<i64>,
}

impl ValidRange {
    fn real(low: f64, high: f64) -> Self {
        Self {
            low,
            high,
            integer: false,
            allowed: Vec::new(),
        }
    }

    fn ints(low: i64, high: i64) -> Self {
        Self {
            low: low as f64,
            high: high as f64,
            integer: true,
            allowed: Vec::new(),
        }
    }

    fn escalation_scale() -> Self {
        let allowed: Vec<i64> = ESCALATION_SCALE.iter().map(|(s, _)| *s).collect();
        Self {
            allowed,
            ..Self::ints(ESCALATION_SCALE[0].0, ESCALATION_SCALE[5].0)
        }
    }

    /// Whether `x` is valid.
    pub fn contains(&self, x: f64) -> bool {
        x.is_finite()
            && x >= self.low
            && x <= self.high
            && (!self.integer || x.fract() == 0.0)
            && (self.allowed.is_empty() || self.allowed.iter().any(|&a| a as f64 == x))
    }

    /// The range in words: `0 to 1`, `at least 0`, `any`, `one of -2, 0, 4`,
    /// `whole numbers 1 to 52`.
    pub fn describe(&self) -> String {
        if !self.allowed.is_empty() {
            let list: Vec<String> = self.allowed.iter().map(i64::to_string).collect();
            return format!("one of {}", list.join(", "));
        }
        let whole = if self.integer { "whole, " } else { "" };
        match (self.low.is_finite(), self.high.is_finite()) {
            (true, true) => format!(
                "{whole}{} to {}",
                show_number(self.low),
                show_number(self.high)
            ),
            (true, false) => format!("{whole}at least {}", show_number(self.low)),
            (false, true) => format!("{whole}at most {}", show_number(self.high)),
            (false, false) if self.integer => "whole numbers".into(),
            (false, false) => "any".into(),
        }
    }

    /// A short form for tables: `0..1`, `>=0`, `any`, `{-2,0,4,..}`.
    pub fn short(&self) -> String {
        if !self.allowed.is_empty() {
            let list: Vec<String> = self.allowed.iter().map(i64::to_string).collect();
            return format!("{{{}}}", list.join(","));
        }
        match (self.low.is_finite(), self.high.is_finite()) {
            (true, true) => format!("{}..{}", show_number(self.low), show_number(self.high)),
            (true, false) => format!(">={}", show_number(self.low)),
            (false, true) => format!("<={}", show_number(self.high)),
            (false, false) => "any".into(),
        }
    }
}

/// One number of a scenario, as `brink params` lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamInfo {
    /// Dotted path (`actors.us.rationality`, `actions.strike.escalation`).
    pub path: String,
    /// Its value; for an uncertain number, the nominal value of its distribution.
    pub value: f64,
    /// The distribution of an uncertain number.
    pub distribution: Option<Distribution>,
    /// What it measures.
    pub unit: Unit,
    /// What plots and reports call it.
    pub label: String,
    /// The values it may take.
    pub range: ValidRange,
    /// Slot (uncertain or fixed) or structural.
    pub kind: ParamKind,
}

/// A value set on the command line (`--set PATH=VALUE`), as results record it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Override {
    /// The parameter's path.
    pub path: String,
    /// The value it was fixed to.
    pub value: f64,
}

/// A distribution in words: `uniform(1, 2)`, `triangular(-2.5, -1.5, -0.5)`.
pub fn describe_distribution(d: &Distribution) -> String {
    let n = |x: &f64| show_number(*x);
    let list = |v: &[f64]| v.iter().map(n).collect::<Vec<_>>().join(", ");
    match d {
        Distribution::Uniform { low, high } => format!("uniform({}, {})", n(low), n(high)),
        Distribution::Normal { mean, sd } => format!("normal({}, sd {})", n(mean), n(sd)),
        Distribution::Triangular { low, mode, high } => {
            format!("triangular({}, {}, {})", n(low), n(mode), n(high))
        }
        Distribution::Beta {
            alpha,
            beta,
            low,
            high,
        } => format!("beta({}, {}) on {}..{}", n(alpha), n(beta), n(low), n(high)),
        Distribution::LogNormal { median, sigma } => {
            format!("lognormal({}, sigma {})", n(median), n(sigma))
        }
        Distribution::Choice { values, .. } => format!("choice({})", list(values)),
        Distribution::Samples { file, column, .. } => format!("samples({file}, {column})"),
    }
}

/// A structural number, whatever its integer type.
enum IntRef<'a> {
    U8(&'a mut u8),
    I8(&'a mut i8),
    I32(&'a mut i32),
    U32(&'a mut u32),
}

impl IntRef<'_> {
    fn get(&self) -> f64 {
        match self {
            IntRef::U8(x) => f64::from(**x),
            IntRef::I8(x) => f64::from(**x),
            IntRef::I32(x) => f64::from(**x),
            IntRef::U32(x) => f64::from(**x),
        }
    }

    /// Sets a value already checked against the field's range (which fits the type).
    fn set(&mut self, v: f64) {
        match self {
            IntRef::U8(x) => **x = v as u8,
            IntRef::I8(x) => **x = v as i8,
            IntRef::I32(x) => **x = v as i32,
            IntRef::U32(x) => **x = v as u32,
        }
    }
}

/// One number met while walking a scenario.
enum Number<'a> {
    Slot(&'a mut Param, Unit),
    Int {
        path: String,
        value: IntRef<'a>,
        range: ValidRange,
        unit: Unit,
    },
}

impl Number<'_> {
    fn path(&self) -> &str {
        match self {
            Number::Slot(p, _) => &p.path,
            Number::Int { path, .. } => path,
        }
    }

    fn range(&self) -> ValidRange {
        match self {
            Number::Slot(p, _) => ValidRange::real(p.low, p.high),
            Number::Int { range, .. } => range.clone(),
        }
    }
}

fn rung(top: u8) -> ValidRange {
    ValidRange::ints(0, i64::from(top))
}

fn int(path: String, value: IntRef<'_>, range: ValidRange, unit: Unit) -> Number<'_> {
    Number::Int {
        path,
        value,
        range,
        unit,
    }
}

fn slot(f: &mut dyn FnMut(Number<'_>), p: &mut Param, unit: Unit) {
    f(Number::Slot(p, unit));
}

/// Calls `f` on every number of `s`, in the order of the file's sections.
fn walk(s: &mut Scenario, f: &mut dyn FnMut(Number<'_>)) {
    let horizon = i64::from(s.horizon);
    let at_war = s
        .history
        .as_ref()
        .is_some_and(|h| h.has(PastMilestone::WarStart));

    let top = if at_war { RUNG_WAR } else { RUNG_WAR - 1 };
    f(int(
        "initial.rung".into(),
        IntRef::U8(&mut s.initial.rung),
        rung(top),
        Unit::Rung,
    ));
    for p in &mut s.initial.vars {
        slot(f, p, Unit::Level);
    }

    let d = &mut s.dynamics;
    slot(f, &mut d.deal_progress, Unit::Level);
    slot(f, &mut d.breakout_stockpile, Unit::Level);
    f(int(
        "dynamics.hostile_from".into(),
        IntRef::I32(&mut d.hostile_from),
        ValidRange::escalation_scale(),
        Unit::EscalationScore,
    ));
    slot(f, &mut d.aversion_per_rung, Unit::Weight);
    slot(f, &mut d.deescalation_base, Unit::Probability);
    slot(f, &mut d.deescalation_per_trust, Unit::Probability);

    let inc = &mut s.incidents;
    slot(f, &mut inc.base, Unit::Probability);
    slot(f, &mut inc.per_rung, Unit::Probability);
    for (_, p) in &mut inc.weights {
        slot(f, p, Unit::Probability);
    }
    slot(f, &mut inc.max_hazard, Unit::Probability);
    f(int(
        "incidents.max_rung".into(),
        IntRef::U8(&mut inc.max_rung),
        rung(RUNG_WAR),
        Unit::Rung,
    ));
    slot(f, &mut inc.trust_loss, Unit::Change);

    let w = &mut s.war;
    f(int(
        "war.ceasefire_rung".into(),
        IntRef::U8(&mut w.ceasefire_rung),
        rung(RUNG_STRIKES),
        Unit::Rung,
    ));
    slot(f, &mut w.collapse, Unit::Probability);
    f(int(
        "war.holds_after".into(),
        IntRef::U32(&mut w.holds_after),
        ValidRange::ints(1, horizon.max(1)),
        Unit::Steps,
    ));

    for dr in &mut s.drifts {
        for (_, p) in &mut dr.effects {
            slot(f, p, Unit::Change);
        }
    }

    if let Some(b) = &mut s.bargaining {
        slot(f, &mut b.close_base, Unit::Probability);
        slot(f, &mut b.close_per_overlap, Unit::Probability);
        slot(f, &mut b.close_per_trust, Unit::Probability);
        slot(f, &mut b.war_softening, Unit::IssueScale);
        for issue in &mut b.issues {
            for pos in &mut issue.positions {
                slot(f, &mut pos.start, Unit::IssueScale);
                slot(f, &mut pos.reservation, Unit::IssueScale);
            }
        }
    }

    for dl in &mut s.deadlines {
        let id = dl.id.clone();
        f(int(
            format!("deadlines.{id}.step"),
            IntRef::U32(&mut dl.step),
            ValidRange::ints(1, horizon),
            Unit::Step,
        ));
        f(int(
            format!("deadlines.{id}.lead"),
            IntRef::U32(&mut dl.lead),
            ValidRange::ints(0, horizon),
            Unit::Steps,
        ));
        f(int(
            format!("deadlines.{id}.fade"),
            IntRef::U32(&mut dl.fade),
            ValidRange::ints(0, horizon),
            Unit::Steps,
        ));
        for (_, _, p) in dl.before.iter_mut().chain(dl.after.iter_mut()) {
            slot(f, p, Unit::Utility);
        }
    }

    for a in &mut s.actions {
        let id = a.id.clone();
        f(int(
            format!("actions.{id}.escalation"),
            IntRef::I32(&mut a.escalation),
            ValidRange::escalation_scale(),
            Unit::EscalationScore,
        ));
        f(int(
            format!("actions.{id}.rung_change"),
            IntRef::I8(&mut a.rung_change),
            ValidRange::ints(-5, 5),
            Unit::RungChange,
        ));
        f(int(
            format!("actions.{id}.rung_at_least"),
            IntRef::U8(&mut a.rung_at_least),
            rung(RUNG_WAR),
            Unit::Rung,
        ));
        for (_, p) in &mut a.effects {
            slot(f, p, Unit::Change);
        }
        slot(f, &mut a.restraint, Unit::Probability);
        slot(f, &mut a.cost, Unit::Utility);
        slot(f, &mut a.broker, Unit::Probability);
        for (_, p) in &mut a.concede {
            slot(f, p, Unit::IssueScale);
        }
        slot(f, &mut a.pressure, Unit::IssueScale);
    }

    for a in &mut s.actors {
        if let Policy::Fixed(probs) = &mut a.policy {
            for p in probs {
                slot(f, p, Unit::Probability);
            }
        }
        slot(f, &mut a.rationality, Unit::Precision);
        slot(f, &mut a.reciprocity, Unit::Weight);
        slot(f, &mut a.risk_aversion, Unit::Weight);
        slot(f, &mut a.distrust, Unit::Weight);
        for (_, p) in &mut a.preferences {
            slot(f, p, Unit::Weight);
        }
        for (_, p) in &mut a.bias {
            slot(f, p, Unit::Utility);
        }
        for rl in &mut a.red_lines {
            for (_, p) in &mut rl.favour {
                slot(f, p, Unit::Utility);
            }
        }
        for (_, _, p) in &mut a.incentives {
            slot(f, p, Unit::Weight);
        }
    }

    for e in &mut s.events {
        f(int(
            format!("events.{}.step", e.number),
            IntRef::U32(&mut e.step),
            ValidRange::ints(1, horizon),
            Unit::Step,
        ));
        if let super::EventKind::Set(set) = &mut e.kind {
            for (_, p) in set {
                slot(f, p, Unit::Level);
            }
        }
    }
}

/// Every number of `s` with its path, value or distribution, unit, label,
/// valid range and kind, in the order of the file's sections.
///
/// Every path listed can be fixed with [`set_value`] (`--set PATH=VALUE`)
/// and swept (`brink sweep --param PATH`).
pub fn catalogue(s: &Scenario) -> Vec<ParamInfo> {
    let mut copy = s.clone();
    let mut out = Vec::new();
    walk(&mut copy, &mut |n| {
        let range = n.range();
        let info = match n {
            Number::Slot(p, unit) => ParamInfo {
                path: p.path.clone(),
                value: p.value,
                distribution: p.dist.clone(),
                unit,
                label: String::new(),
                range,
                kind: if p.dist.is_some() {
                    ParamKind::Uncertain
                } else {
                    ParamKind::Fixed
                },
            },
            Number::Int {
                path, value, unit, ..
            } => ParamInfo {
                path,
                value: value.get(),
                distribution: None,
                unit,
                label: String::new(),
                range,
                kind: ParamKind::Structural,
            },
        };
        out.push(info);
    });
    for p in &mut out {
        p.label = s
            .assumptions
            .iter()
            .find(|a| a.path == p.path)
            .map_or_else(|| label_from_path(s, &p.path), |a| a.label.clone());
    }
    out
}

/// `brink params --json`: the catalogue of one scenario (schema
/// [`SCHEMA_VERSION`]; docs/cli.md lists the fields).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CatalogueFile {
    /// Version of this layout.
    pub schema_version: u32,
    /// Scenario name.
    pub scenario: String,
    /// Scenario file name (without folders).
    pub file: String,
    /// Scenario identity (with `--set`, folded with the values set).
    pub sha256: String,
    /// Numbers fixed on the command line (`--set`).
    pub overrides: Vec<Override>,
    /// Every number, in the order of the file's sections.
    pub parameters: Vec<CatalogueEntry>,
}

/// One row of [`CatalogueFile`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CatalogueEntry {
    /// Dotted path, as `--set` and `--param` take it.
    pub path: String,
    /// `uncertain`, `fixed` or `structural`.
    pub kind: ParamKind,
    /// The value (of an uncertain number: the nominal value of its distribution).
    pub value: f64,
    /// The distribution in words (`uniform(1, 2)`), `null` for a single value.
    pub distribution: Option<String>,
    /// What it measures ([`Unit::name`]).
    pub unit: Unit,
    /// The valid range; an unbounded end is `null`.
    pub range: ValidRange,
    /// What plots and reports call it.
    pub label: String,
}

impl CatalogueFile {
    /// The catalogue of `s`.
    pub fn of(s: &Scenario) -> CatalogueFile {
        let p = &s.origin.path;
        CatalogueFile {
            schema_version: SCHEMA_VERSION,
            scenario: s.name.clone(),
            file: p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            sha256: s.origin.sha256.clone(),
            overrides: s.overrides.clone(),
            parameters: catalogue(s)
                .into_iter()
                .map(|p| CatalogueEntry {
                    distribution: p.distribution.as_ref().map(describe_distribution),
                    path: p.path,
                    kind: p.kind,
                    value: p.value,
                    unit: p.unit,
                    range: p.range,
                    label: p.label,
                })
                .collect(),
        }
    }
}

/// Why a value cannot be set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl std::fmt::Display for SetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\n  = hint: {h}")?;
        }
        Ok(())
    }
}

/// Whether `path` names a structural number of `s` (one that needs the
/// model compiled again), a slot (`Some(false)`), or nothing (`None`).
pub fn is_structural(s: &Scenario, path: &str) -> Option<bool> {
    let mut copy = s.clone();
    let mut found = None;
    walk(&mut copy, &mut |n| {
        if found.is_none() && n.path() == path {
            found = Some(matches!(n, Number::Int { .. }));
        }
    });
    found
}

/// Checks that `value` is valid for `path` in `s`, without changing `s`.
pub fn check_value(s: &Scenario, path: &str, value: f64) -> Result<(), SetError> {
    set_value(&mut s.clone(), path, value)
}

/// Fixes the number at `path` to `value`: an uncertain number loses its
/// distribution. The change is recorded in [`Scenario::overrides`] (a later
/// value for the same path replaces the earlier one); the scenario hash is
/// not changed here (see [`apply_overrides`]).
pub fn set_value(s: &mut Scenario, path: &str, value: f64) -> Result<(), SetError> {
    let mut outcome: Option<Result<(), SetError>> = None;
    walk(s, &mut |n| {
        if outcome.is_some() || n.path() != path {
            return;
        }
        let range = n.range();
        if !range.contains(value) {
            outcome = Some(Err(SetError {
                message: format!(
                    "{} is not a valid value of `{path}`: it must be {}",
                    show_number(value),
                    range.describe()
                ),
                hint: None,
            }));
            return;
        }
        match n {
            Number::Slot(p, _) => {
                p.value = value;
                p.dist = None;
            }
            Number::Int { value: mut v, .. } => v.set(value),
        }
        outcome = Some(Ok(()));
    });
    match outcome {
        None => Err(unknown_path(s, path)),
        Some(Err(e)) => Err(e),
        Some(Ok(())) => {
            s.assumptions.retain(|a| a.path != path);
            s.events.sort_by_key(|e| e.step);
            s.overrides.retain(|o| o.path != path);
            s.overrides.push(Override {
                path: path.to_string(),
                value,
            });
            Ok(())
        }
    }
}

fn unknown_path(s: &Scenario, path: &str) -> SetError {
    let all: Vec<String> = catalogue(s).into_iter().map(|p| p.path).collect();
    let names: Vec<&str> = all.iter().map(String::as_str).collect();
    let near = nearest(path, &names);
    let list = if near.is_empty() {
        String::new()
    } else {
        format!(
            "did you mean {}? ",
            near.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let hint = match path {
        "run.seed" | "run.trials" => "use --seed or --trials".to_string(),
        "run.horizon" => {
            "the horizon is the length of every time axis: edit `run.horizon` in the file".into()
        }
        _ => format!("{list}`brink params SCENARIO` lists every parameter"),
    };
    SetError {
        message: format!("the scenario has no parameter `{path}`"),
        hint: Some(hint),
    }
}

/// At most [`MAX_SUGGESTIONS`] of `candidates` nearest to `path`: those
/// sharing the most dotted segments with it first, then by edit distance;
/// none that share nothing and are far apart.
pub fn nearest<'a>(path: &str, candidates: &[&'a str]) -> Vec<&'a str> {
    let segments: Vec<&str> = path.split('.').collect();
    let mut scored: Vec<(usize, usize, &str)> = candidates
        .iter()
        .map(|c| {
            let shared = c.split('.').filter(|s| segments.contains(s)).count();
            (shared, strsim::levenshtein(path, c), *c)
        })
        .filter(|(shared, dist, _)| *shared > 0 || *dist <= path.len().div_ceil(2).max(2))
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(b.2)));
    scored.dedup_by(|a, b| a.2 == b.2);
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, _, c)| c)
        .collect()
}

/// Applies `PATH=VALUE` assignments (`--set`) to `s`: each number is fixed
/// to its value, recorded in [`Scenario::overrides`], and the scenario hash
/// becomes the sha256 of the file's hash followed by the assignments, so
/// two runs with different values never share an identity. With no
/// assignments, `s` is left as it is. Every problem is reported, each
/// with a hint.
pub fn apply_overrides(s: &mut Scenario, assignments: &[String]) -> Result<(), Vec<SetError>> {
    if assignments.is_empty() {
        return Ok(());
    }
    let mut errors = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for a in assignments {
        let shown = format!("--set {a}");
        let Some((path, value)) = a.split_once('=') else {
            errors.push(SetError {
                message: format!("`{shown}` is not PATH=VALUE"),
                hint: Some("write for example `--set actors.us.rationality=1.5`".into()),
            });
            continue;
        };
        let (path, value) = (path.trim(), value.trim());
        if path.is_empty() {
            errors.push(SetError {
                message: format!("`{shown}` names no parameter"),
                hint: Some("write for example `--set actors.us.rationality=1.5`".into()),
            });
            continue;
        }
        let number = match value.parse::<f64>() {
            Ok(x) if x.is_finite() => x,
            _ => {
                errors.push(SetError {
                    message: format!("`{shown}`: `{value}` is not a number"),
                    hint: Some("give a plain number such as 0.25, -1 or 1e-3".into()),
                });
                continue;
            }
        };
        if seen.iter().any(|p| p == path) {
            errors.push(SetError {
                message: format!("`{path}` is set twice"),
                hint: Some("give each parameter one --set".into()),
            });
            continue;
        }
        seen.push(path.to_string());
        if let Err(mut e) = set_value(s, path, number) {
            e.message = format!("`{shown}`: {}", e.message);
            errors.push(e);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut identity = s.origin.sha256.clone();
    for o in &s.overrides {
        identity.push_str(&format!("\nset {}={:?}", o.path, o.value));
    }
    s.origin.sha256 = hex_sha256(identity.as_bytes());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_prefers_shared_segments_then_spelling() {
        let c = [
            "actors.us.rationality",
            "actors.iran.rationality",
            "actors.us.reciprocity",
            "initial.trust",
        ];
        assert_eq!(
            nearest("actors.us.rationalty", &c)[0],
            "actors.us.rationality"
        );
        assert!(nearest("zzzzzzzzzzzzzz", &c).is_empty());
        let many: Vec<String> = (0..20)
            .map(|k| format!("actors.a{k}.rationality"))
            .collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(nearest("rationality", &many).len(), MAX_SUGGESTIONS);
    }

    #[test]
    fn ranges_check_scales_and_whole_numbers() {
        let r = ValidRange::escalation_scale();
        assert!(r.contains(28.0) && !r.contains(27.0));
        let r = ValidRange::ints(1, 52);
        assert!(r.contains(3.0) && !r.contains(3.5) && !r.contains(0.0));
        assert_eq!(
            ValidRange::real(0.0, f64::INFINITY).describe(),
            "at least 0"
        );
    }
}
