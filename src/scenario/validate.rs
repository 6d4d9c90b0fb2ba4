//! The meaning of a scenario: ranges, references between actors, actions and
//! variables, and consistency. Produces a [`Scenario`] with every reference
//! resolved to an index, or the full list of what is wrong.

mod bargaining;
mod drives;
mod history;
mod samples;
mod variables;
mod war;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use crate::world::{
    ESCALATION_SCALE, MAX_PRINCIPALS, Outcome, RUNG_WAR, Subject, Var, VarInfo, find_var,
};

use super::calendar::{
    Calendar, MAX_STEP_DAYS, days_text, iso, last_supported_date, named_step_days, parse_date,
};
use super::condition::parse_condition;
use super::diagnostic::{Diagnostics, Severity, show_number, suggestion_hint};
use super::format::{ActionEntry, ActorEntry, EventEntry, RunSection, S};
use super::number::Number;
use super::raw::RawScenario;
use super::reachability::{can_hold, unreachable_outcomes};
use super::sources::SourceMap;
use crate::distribution::{Distribution, SampleTable};

use super::{
    Action, Actor, Dynamics, Event, EventKind, Incidents, Initial, Origin, Param, Policy,
    Preference, RedLine, Role, Scenario, TalksChange,
};

/// Tolerance on fixed-policy probabilities summing to one.
const SUM_TOLERANCE: f64 = 1e-9;

/// Largest stockpile a scenario may state (initial value, threshold, effect,
/// event): far above any real one, and small enough that sums stay exact.
pub const MAX_STOCKPILE: f64 = 1e9;
/// Longest horizon, in steps (ten years of daily steps): the per-step
/// aggregates of a run grow with it, not the cost of a trial.
pub const MAX_HORIZON: i64 = 3650;
/// Most actors a scenario may have.
pub const MAX_ACTORS: usize = 100;
/// Most actions a scenario may have.
pub const MAX_ACTIONS: usize = 1000;
/// Most scripted events a scenario may have.
pub const MAX_EVENTS: usize = 10_000;

/// The hint for a number `x` outside its range, whose top is `hi`.
fn range_hint(x: f64, hi: f64) -> String {
    if hi == 1.0 && (2.0..=100.0).contains(&x) {
        "shares and probabilities are fractions: write 0.25 for 25%".into()
    } else {
        "docs/scenario-format.md gives the range and meaning of every field".into()
    }
}

/// The range of values a scenario may set variable `v` to.
fn value_range(vars: &[VarInfo], v: Var) -> (f64, f64) {
    vars.get(v.index()).map_or((0.0, 1.0), |i| {
        (i.low.max(-MAX_STOCKPILE), i.high.min(MAX_STOCKPILE))
    })
}

/// The largest magnitude a scenario may give a variable in `vars`.
fn value_bound(vars: &[VarInfo], v: Var) -> f64 {
    vars.get(v.index())
        .map_or(1.0, |i| i.high.max(-i.low))
        .min(MAX_STOCKPILE)
}

struct Checker<'a> {
    src: &'a SourceMap,
    diags: &'a mut Diagnostics,
    /// Steps per trial, once known (for conditions on `step`).
    horizon: u32,
    /// Every state variable: the built-in ones, then those declared.
    vars: Vec<VarInfo>,
    /// Fields that could not be read (already reported): references that
    /// fail because of them are not reported again.
    dropped: BTreeSet<String>,
    /// Every uncertain number read, with where it was written.
    uncertain: Vec<(String, Range<usize>)>,
    /// The labels files give uncertain numbers (path, label).
    labels: Vec<(String, String)>,
    /// Sample files read for `dist = "samples"`, by path (`None`: could
    /// not be used, already reported).
    tables: BTreeMap<PathBuf, Option<Arc<SampleTable>>>,
}

impl Checker<'_> {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>, hint: Option<String>) {
        self.diags.push(
            self.src
                .diagnostic(Severity::Error, Some(span), message, hint),
        );
    }

    fn warn(&mut self, span: Range<usize>, message: impl Into<String>, hint: Option<String>) {
        self.diags.push(
            self.src
                .diagnostic(Severity::Warning, Some(span), message, hint),
        );
    }

    /// True when the actions of `actor` could not be read, so references to
    /// them cannot be checked.
    fn actions_unreadable(&self, actor: &str) -> bool {
        ["actions", "probabilities"]
            .iter()
            .any(|f| self.dropped.contains(&format!("actors.{actor}.{f}")))
    }

    fn whole_file_warning(&mut self, message: impl Into<String>, hint: Option<String>) {
        self.diags
            .push(self.src.diagnostic(Severity::Warning, None, message, hint));
    }

    fn whole_file_error(&mut self, message: impl Into<String>, hint: Option<String>) {
        self.diags
            .push(self.src.diagnostic(Severity::Error, None, message, hint));
    }

    /// A number that must lie in `lo..=hi`; for an uncertain number, its
    /// distribution's support must fit the range (normal and log-normal
    /// distributions are truncated to it).
    fn num(&mut self, v: &S<Number>, path: String, lo: f64, hi: f64) -> Param {
        let range = if hi.is_infinite() {
            format!("at least {}", show_number(lo))
        } else {
            format!("between {} and {}", show_number(lo), show_number(hi))
        };
        if let Number::Uncertain(_, Some(l)) = v.get_ref() {
            self.labels.push((path.clone(), l.trim().to_string()));
        }
        let (value, dist) = match v.get_ref() {
            Number::Fixed(x) => {
                if *x < lo || *x > hi {
                    self.error(
                        v.span(),
                        format!("`{path}` is {}, but must be {range}", show_number(*x)),
                        Some(range_hint(*x, hi)),
                    );
                }
                (*x, None)
            }
            Number::Uncertain(Distribution::Samples { file, column, .. }, _) => {
                match self.sample_column(v.span(), file, column, &path, (lo, hi), &range) {
                    Some(d) => {
                        self.uncertain.push((path.clone(), v.span()));
                        (d.nominal(lo, hi), Some(d))
                    }
                    None => (0.0f64.clamp(lo, hi), None),
                }
            }
            Number::Uncertain(d, _) => {
                let (a, b) = match d {
                    Distribution::Uniform { low, high }
                    | Distribution::Triangular { low, high, .. }
                    | Distribution::Beta { low, high, .. } => (*low, *high),
                    Distribution::Choice { values, .. } => (
                        values.iter().copied().fold(f64::INFINITY, f64::min),
                        values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                    ),
                    Distribution::Normal { mean, .. } => (*mean, *mean),
                    Distribution::LogNormal { median, .. } => (*median, *median),
                    // Checked with the rows of its file, above.
                    Distribution::Samples { .. } => (lo, hi),
                };
                if a < lo || b > hi {
                    self.error(
                        v.span(),
                        format!(
                            "the {} distribution of `{path}` reaches outside its valid range",
                            d.kind()
                        ),
                        Some(format!("`{path}` must be {range}")),
                    );
                }
                self.uncertain.push((path.clone(), v.span()));
                (d.nominal(lo, hi), Some(d.clone()))
            }
        };
        Param {
            path,
            value,
            dist,
            low: lo,
            high: hi,
        }
    }

    fn opt_num(
        &mut self,
        v: &Option<S<Number>>,
        default: f64,
        path: String,
        lo: f64,
        hi: f64,
    ) -> Param {
        match v {
            Some(v) => self.num(v, path, lo, hi),
            // An unwritten number keeps its valid range: `--set` and sweeps check it.
            None => Param {
                low: lo,
                high: hi,
                ..Param::new(path, default)
            },
        }
    }

    fn int(&mut self, v: &S<i64>, what: &str, lo: i64, hi: i64) -> i64 {
        let x = *v.get_ref();
        if x < lo || x > hi {
            self.error(
                v.span(),
                format!("`{what}` is {x}, but must be between {lo} and {hi}"),
                Some(format!(
                    "use a whole number from {lo} to {hi}; docs/scenario-format.md gives the range of every field"
                )),
            );
            return x.clamp(lo, hi);
        }
        x
    }

    fn identifier(&mut self, id: &S<String>, what: &str) {
        let s = id.get_ref();
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
        if !ok {
            self.error(
                id.span(),
                format!("`{s}` is not a valid {what} identifier"),
                Some("use lower-case letters, digits, `_` and `-`, starting with a letter (at most 64 characters)".into()),
            );
        }
    }

    fn var(&mut self, key: &S<String>, context: &str) -> Option<Var> {
        let name = key.get_ref();
        let v = find_var(&self.vars, name);
        if v.is_none() {
            let names: Vec<&str> = self.vars.iter().map(|v| v.name.as_str()).collect();
            self.error(
                key.span(),
                format!("unknown state variable `{name}` in {context}"),
                Some(suggestion_hint(name, &names, "variables")),
            );
        }
        v
    }

    /// The file name of variable `v`.
    fn var_name(&self, v: Var) -> String {
        self.vars
            .get(v.index())
            .map_or_else(|| format!("var{}", v.0), |i| i.name.clone())
    }

    fn condition(&mut self, text: &S<String>) -> Option<crate::world::Condition> {
        match parse_condition(text.get_ref(), &self.vars) {
            Ok(c) => Some(c),
            Err(e) => {
                self.error(text.span(), e.message, Some(e.hint));
                None
            }
        }
    }
}

/// `origin` with the sample files its numbers read folded into its hash:
/// the sha256 of the chain's hash and each file's (sorted, one per line),
/// so a changed sample file is a changed scenario. Unchanged when no number
/// reads a sample file.
fn with_sample_files(
    mut origin: Origin,
    tables: &BTreeMap<PathBuf, Option<Arc<SampleTable>>>,
) -> Origin {
    let files: BTreeSet<&str> = tables
        .values()
        .flatten()
        .map(|t| t.sha256.as_str())
        .collect();
    if !files.is_empty() {
        let mut text = format!("{}\n", origin.sha256);
        for f in files {
            text.push_str(f);
            text.push('\n');
        }
        origin.sha256 = super::digest::hex_sha256(text.as_bytes());
    }
    origin
}

/// Checks the meaning of the typed sections and builds the [`Scenario`].
pub(crate) fn validate(
    src: &SourceMap,
    raw: RawScenario,
    origin: Origin,
    diags: &mut Diagnostics,
) -> Option<Scenario> {
    let mut c = Checker {
        src,
        diags,
        horizon: MAX_HORIZON as u32,
        vars: VarInfo::builtin(),
        dropped: raw.dropped.clone(),
        uncertain: Vec::new(),
        labels: Vec::new(),
        tables: BTreeMap::new(),
    };
    // Declared variables first: every other section may name them.
    let declared_initial = variables::check_variables(&mut c, &raw.variables);
    for (section, required) in [
        ("scenario", true),
        ("run", true),
        ("initial", true),
        ("outcomes", true),
        ("incidents", true),
        ("actions", true),
        ("actors", true),
    ] {
        if required && !raw.present.contains(&section) {
            let hint = if section == "actions" || section == "actors" {
                format!("add at least one `[[{section}]]` table")
            } else {
                format!("add the `[{section}]` table; docs/scenario-format.md lists its fields")
            };
            c.whole_file_error(format!("missing section `{section}`"), Some(hint));
        }
    }

    for (what, count, max, spans) in [
        (
            "actions",
            raw.actions.len(),
            MAX_ACTIONS,
            raw.actions.iter().map(|e| e.id.span()).collect::<Vec<_>>(),
        ),
        (
            "actors",
            raw.actors.len(),
            MAX_ACTORS,
            raw.actors.iter().map(|e| e.id.span()).collect(),
        ),
        (
            "events",
            raw.events.len(),
            MAX_EVENTS,
            raw.events.iter().map(|e| e.step.span()).collect(),
        ),
    ] {
        if count > max {
            c.error(
                spans[max].clone(),
                format!("the scenario has {count} {what}; at most {max} are allowed"),
                Some("split the scenario, or merge similar entries".into()),
            );
        }
    }

    let header = raw.header.as_ref();
    if let Some(h) = header {
        c.identifier(&h.name, "scenario name");
    }

    let (horizon, step_label, seed, trials, calendar) = match &raw.run {
        Some(r) => {
            let horizon = c.int(&r.horizon, "run.horizon", 1, MAX_HORIZON) as u32;
            let step = r
                .step
                .as_ref()
                .map_or("week".to_string(), |s| s.get_ref().clone());
            if let Some(s) = &r.step
                && s.get_ref().trim().is_empty()
            {
                c.error(
                    s.span(),
                    "`run.step` must not be empty",
                    Some("for example `step = \"week\"`".into()),
                );
            }
            let seed = r
                .seed
                .as_ref()
                .map_or(0, |s| c.int(s, "run.seed", 0, i64::MAX)) as u64;
            let trials = r
                .trials
                .as_ref()
                .map_or(10_000, |t| c.int(t, "run.trials", 1, 1_000_000_000_000))
                as u64;
            c.horizon = horizon;
            let calendar = check_calendar(&mut c, r, &step, horizon);
            (horizon, step, seed, trials, calendar)
        }
        None => (1, "week".to_string(), 0, 1, None),
    };

    let initial = raw.initial.as_ref().map(|i| {
        // A war at the start needs its start in `[history]`.
        let at_war = raw.history.as_ref().is_some_and(|h| {
            h.milestones
                .iter()
                .any(|(k, _)| k.get_ref() == "war_start")
        });
        let rung = if !at_war && *i.rung.get_ref() == i64::from(RUNG_WAR) {
            c.error(
                i.rung.span(),
                "`initial.rung` is 5, but must be between 0 and 4",
                Some("a scenario that starts at war says when the war began: add `war_start = \"YYYY-MM-DD\"` (or a step, 0 or less) to `[history]`".into()),
            );
            RUNG_WAR - 1
        } else {
            let top = i64::from(RUNG_WAR) - i64::from(!at_war);
            c.int(&i.rung, "initial.rung", 0, top) as u8
        };
        let vals = [
            &i.trust,
            &i.talks_progress,
            &i.stockpile,
            &i.sanctions,
            &i.us_posture,
            &i.iran_readiness,
        ];
        let mut vars: Vec<Param> = Var::BUILTIN
            .iter()
            .map(|&v| {
                let bound = value_bound(&c.vars, v);
                c.num(
                    vals[v.index()],
                    format!("initial.{}", c.var_name(v)),
                    0.0,
                    bound,
                )
            })
            .collect();
        vars.extend(declared_initial.iter().cloned());
        Initial {
            rung,
            talks_active: i.talks_active,
            vars,
        }
    });

    let dynamics = {
        let d = raw.dynamics.as_ref();
        let hostile_from = match d.and_then(|d| d.hostile_from.as_ref()) {
            Some(h) => {
                let x = *h.get_ref();
                if !ESCALATION_SCALE.iter().any(|(s, _)| *s == x) {
                    c.error(
                        h.span(),
                        format!(
                            "`dynamics.hostile_from` is {x}, which is not on the EscalAItion scale"
                        ),
                        Some(scale_hint()),
                    );
                }
                x as i32
            }
            None => 12,
        };
        let aversion_per_rung = c.opt_num(
            &d.and_then(|d| d.aversion_per_rung.clone()),
            0.5,
            "dynamics.aversion_per_rung".into(),
            0.0,
            100.0,
        );
        let deescalation_base = c.opt_num(
            &d.and_then(|d| d.deescalation_base.clone()),
            0.05,
            "dynamics.deescalation_base".into(),
            0.0,
            1.0,
        );
        let deescalation_per_trust = c.opt_num(
            &d.and_then(|d| d.deescalation_per_trust.clone()),
            0.25,
            "dynamics.deescalation_per_trust".into(),
            0.0,
            1.0,
        );
        let (deal_progress, breakout_stockpile) = match &raw.outcomes {
            Some(o) => (
                c.opt_num(
                    &o.deal_progress,
                    1.0,
                    "outcomes.deal_progress".into(),
                    1e-9,
                    1.0,
                ),
                c.num(
                    &o.breakout_stockpile,
                    "outcomes.breakout_stockpile".into(),
                    1e-9,
                    MAX_STOCKPILE,
                ),
            ),
            None => (
                Param {
                    low: 1e-9,
                    high: 1.0,
                    ..Param::new("outcomes.deal_progress", 1.0)
                },
                Param {
                    low: 1e-9,
                    high: MAX_STOCKPILE,
                    ..Param::new("outcomes.breakout_stockpile", 1.0)
                },
            ),
        };
        Dynamics {
            hostile_from,
            aversion_per_rung,
            deescalation_base,
            deescalation_per_trust,
            deal_progress,
            breakout_stockpile,
        }
    };

    let incidents = raw.incidents.as_ref().map(|i| {
        let base = c.num(&i.base, "incidents.base".into(), 0.0, 1.0);
        let per_rung = c.opt_num(&i.per_rung, 0.0, "incidents.per_rung".into(), 0.0, 1.0);
        let weights = i
            .weights
            .iter()
            .filter_map(|(k, v)| {
                let var = c.var(k, "incidents.weights")?;
                Some((
                    var,
                    c.num(
                        v,
                        format!("incidents.weights.{}", c.var_name(var)),
                        -1.0,
                        1.0,
                    ),
                ))
            })
            .collect();
        let max_hazard = c.opt_num(&i.max_hazard, 1.0, "incidents.max_hazard".into(), 0.0, 1.0);
        let max_rung = i.max_rung.as_ref().map_or(3, |m| {
            c.int(m, "incidents.max_rung", 0, i64::from(RUNG_WAR))
        }) as u8;
        let trust_loss = c.opt_num(&i.trust_loss, 0.0, "incidents.trust_loss".into(), 0.0, 1.0);
        Incidents {
            base,
            per_rung,
            weights,
            max_hazard,
            max_rung,
            trust_loss,
        }
    });

    let absorbing = war::check_absorbing(
        &mut c,
        raw.outcomes.as_ref().map_or(&[][..], |o| &o.absorbing[..]),
    );
    let war_rules = war::check_war(&mut c, raw.war.as_ref(), horizon);

    // Actor ids first: actions aim at them.
    let mut actor_index: BTreeMap<String, usize> = BTreeMap::new();
    for entry in &raw.actors {
        c.identifier(&entry.id, "actor");
        let id = entry.id.get_ref();
        if actor_index.contains_key(id) {
            c.error(
                entry.id.span(),
                format!("actor `{id}` is defined twice"),
                Some("give each actor its own id".into()),
            );
        } else {
            actor_index.insert(id.clone(), actor_index.len());
        }
    }
    let actor_names: Vec<&str> = raw.actors.iter().map(|a| a.id.get_ref().as_str()).collect();
    let issues = bargaining::issue_ids(raw.bargaining.as_ref());
    let bargaining_unreadable = raw.bargaining.is_none() && raw.present.contains(&"bargaining");
    let refs = ActionRefs {
        actor_index: &actor_index,
        actor_names: &actor_names,
        issues: issues.as_deref(),
        bargaining_unreadable,
    };

    // Actions next: actors refer to them.
    let mut action_index: BTreeMap<String, usize> = BTreeMap::new();
    let mut actions = Vec::new();
    for entry in &raw.actions {
        c.identifier(&entry.id, "action");
        let id = entry.id.get_ref().clone();
        if action_index.contains_key(&id) {
            c.error(
                entry.id.span(),
                format!("action `{id}` is defined twice"),
                Some("give each action its own id".into()),
            );
            continue;
        }
        action_index.insert(id.clone(), actions.len());
        actions.push(check_action(&mut c, entry, &refs));
    }
    let action_names: Vec<String> = actions.iter().map(|a: &Action| a.id.clone()).collect();

    let mut actors = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for entry in &raw.actors {
        if !seen.insert(entry.id.get_ref().clone()) {
            continue;
        }
        actors.push(check_actor(
            &mut c,
            entry,
            &action_index,
            &action_names,
            &actor_index,
            &actor_names,
        ));
    }

    let principals: Vec<&ActorEntry> = raw
        .actors
        .iter()
        .filter(|e| e.role.get_ref() == "principal")
        .collect();
    if principals.len() > MAX_PRINCIPALS {
        c.error(
            principals[MAX_PRINCIPALS].id.span(),
            format!(
                "the scenario has {} principals; at most {MAX_PRINCIPALS} are allowed",
                principals.len()
            ),
            Some(
                "each principal has a first-strike milestone in every trial; \
                 make the others `role = \"mediator\"`, or merge some"
                    .into(),
            ),
        );
    }

    let bargaining = raw
        .bargaining
        .as_ref()
        .map(|b| bargaining::check_bargaining(&mut c, b, &actor_index, &actor_names));
    let cast = drives::Cast {
        actors: &actors,
        actor_index: &actor_index,
        actor_names: &actor_names,
        actions: &actions,
    };
    let deadlines =
        drives::check_deadlines(&mut c, &raw.deadlines, horizon, calendar.as_ref(), &cast);
    let drifts = drives::check_drifts(&mut c, &raw.drifts);
    if bargaining.is_some() {
        for (a, entry) in actions.iter().zip(&raw.actions) {
            if let Some((k, _)) = entry
                .effects
                .iter()
                .find(|(k, _)| k.get_ref() == "talks_progress")
            {
                c.warn(
                    k.span(),
                    format!(
                        "action `{}` changes `talks_progress`, which `[bargaining]` computes from the positions",
                        a.id
                    ),
                    Some("with bargaining, move talks by `concede` and `pressure` instead; this effect is overwritten".into()),
                );
            }
        }
    }

    // Warnings about the scenario as a whole are given only when it has no
    // errors: with errors they are mostly echoes of them.
    let whole = !c.diags.has_errors();
    for a in &actors {
        // A fixed policy without probabilities is an error reported above.
        if whole
            && a.actions.is_empty()
            && a.policy == Policy::Logit
            && let Some(entry) = raw.actors.iter().find(|e| e.id.get_ref() == &a.id)
        {
            c.warn(
                entry.id.span(),
                format!("actor `{}` has no actions: it never acts", a.id),
                Some("give it `actions = [\"...\"]`, or remove it".into()),
            );
        }
    }
    for (k, a) in actions.iter().enumerate() {
        if !whole {
            break;
        }
        if !actors.iter().any(|actor| actor.actions.contains(&k))
            && let Some(entry) = raw.actions.iter().find(|e| e.id.get_ref() == &a.id)
        {
            c.warn(
                entry.id.span(),
                format!("no actor can take action `{}`", a.id),
                Some("list it in some actor's `actions`, or remove it".into()),
            );
        }
    }

    let events = check_events(
        &mut c,
        &raw.events,
        horizon,
        &actors,
        &actor_index,
        &actor_names,
        &actions,
    );

    let history = raw.history.as_ref().and_then(|h| {
        let fixed = |p: &Param| p.dist.is_none().then_some(p.value);
        let ctx = history::Context {
            calendar: calendar.as_ref(),
            step_label: &step_label,
            rung: initial
                .as_ref()
                .zip(raw.initial.as_ref())
                .map(|(i, r)| (i.rung, r.rung.span())),
            actors: &actors,
            actor_index: &actor_index,
            actor_names: &actor_names,
            actions: &actions,
            absorbing,
            war: &war_rules,
            stockpile: initial.as_ref().and_then(|i| {
                fixed(&i.vars[Var::STOCKPILE.index()]).zip(fixed(&dynamics.breakout_stockpile))
            }),
        };
        history::check_history(&mut c, h, &ctx)
    });

    let (Some(h), Some(initial), Some(incidents), Some(_), Some(_)) = (
        header,
        initial,
        incidents,
        raw.run.as_ref(),
        raw.outcomes.as_ref(),
    ) else {
        return None;
    };
    // Entries that could not be read were reported; an empty list was not.
    for (what, empty) in [
        ("actions", raw.actions.is_empty()),
        ("actors", raw.actors.is_empty()),
    ] {
        if empty && raw.present.contains(&what) {
            c.whole_file_error(
                format!("the scenario has no {what}"),
                Some(format!("add at least one `[[{what}]]` table")),
            );
        }
    }
    if actors.is_empty() || actions.is_empty() {
        return None;
    }
    let origin = with_sample_files(origin, &c.tables);
    let mut scenario = Scenario {
        origin,
        name: h.name.get_ref().clone(),
        title: h.title.clone().unwrap_or_else(|| h.name.get_ref().clone()),
        description: h.description.clone().unwrap_or_default(),
        sources: h.sources.clone(),
        horizon,
        step_label,
        calendar,
        seed,
        trials,
        initial,
        dynamics,
        incidents,
        actions,
        actors,
        events,
        vars: c.vars.clone(),
        absorbing,
        war: war_rules,
        bargaining,
        deadlines,
        drifts,
        assumptions: super::assumptions::find_sources(src, &c.uncertain),
        history,
        overrides: Vec::new(),
    };
    super::labels::label_assumptions(&mut scenario, &c.labels);
    if !c.diags.has_errors() {
        warn_unreachable(&mut c, &raw, &scenario);
    }
    Some(scenario)
}

/// Warnings about outcomes the scenario can never produce, or always produces at once.
fn warn_unreachable(c: &mut Checker, raw: &RawScenario, s: &Scenario) {
    let (Some(outcomes), Some(incidents), Some(initial)) = (
        raw.outcomes.as_ref(),
        raw.incidents.as_ref(),
        raw.initial.as_ref(),
    ) else {
        return;
    };
    let deal_span = outcomes
        .deal_progress
        .as_ref()
        .map_or_else(|| outcomes.breakout_stockpile.span(), |d| d.span());
    let breakout_span = outcomes.breakout_stockpile.span();
    let rung_span = incidents
        .max_rung
        .as_ref()
        .map_or_else(|| incidents.base.span(), |m| m.span());
    if s.initial.vars[Var::TALKS_PROGRESS.index()].value >= s.dynamics.deal_progress.value {
        c.warn(
            initial.talks_progress.span(),
            "`initial.talks_progress` is already at the deal threshold: most trials end in a deal at step 1",
            Some("lower it below `outcomes.deal_progress`".into()),
        );
    }
    if s.initial.vars[Var::STOCKPILE.index()].value >= s.dynamics.breakout_stockpile.value {
        c.warn(
            initial.stockpile.span(),
            "`initial.stockpile` is already at the breakout threshold: every trial counts as breakout unless something else happens",
            Some("lower it below `outcomes.breakout_stockpile`".into()),
        );
    }
    let unreachable = unreachable_outcomes(s);
    let no_war = unreachable.iter().any(|u| u.outcome == Outcome::WarOngoing);
    for u in unreachable {
        // Declaring wars absorbing says on purpose that no war ends; and
        // when no war can start, saying so once is enough.
        if (s.absorbing.war || no_war)
            && matches!(u.outcome, Outcome::WarEnded | Outcome::WarThenSettlement)
        {
            continue;
        }
        let message = format!("outcome `{}` cannot occur: {}", u.outcome.key(), u.reason);
        let hint = Some(format!("if that is not intended, {}", u.hint));
        match u.outcome {
            Outcome::Deal => c.warn(deal_span.clone(), message, hint),
            Outcome::Breakout => c.warn(breakout_span.clone(), message, hint),
            Outcome::WarOngoing
            | Outcome::WarEnded
            | Outcome::WarThenSettlement
            | Outcome::LimitedStrikes => c.warn(rung_span.clone(), message, hint),
            Outcome::Standoff | Outcome::TalksOngoing => c.whole_file_warning(message, hint),
        }
    }
}

fn actions_hint(own_names: &[&str]) -> String {
    if own_names.is_empty() {
        "it has no actions".into()
    } else {
        format!("its actions are: {}", own_names.join(", "))
    }
}

fn bounds_hint() -> String {
    "the rung runs from 0 to 5, variables from 0 to 1 (the stockpile from 0), flags are 0 or 1, and steps from 1 to the horizon".into()
}

fn scale_hint() -> String {
    let list: Vec<String> = ESCALATION_SCALE
        .iter()
        .map(|(s, name)| format!("{s} ({name})"))
        .collect();
    format!("use one of {}", list.join(", "))
}

/// What actions refer to besides variables: actors and bargaining issues.
struct ActionRefs<'a> {
    actor_index: &'a BTreeMap<String, usize>,
    actor_names: &'a [&'a str],
    /// Issue ids of `[bargaining]`, if the scenario has it.
    issues: Option<&'a [String]>,
    /// Whether `[bargaining]` is present but could not be read.
    bargaining_unreadable: bool,
}

fn check_action(c: &mut Checker, e: &ActionEntry, refs: &ActionRefs) -> Action {
    let id = e.id.get_ref().clone();
    let escalation = *e.escalation.get_ref();
    if !ESCALATION_SCALE.iter().any(|(s, _)| *s == escalation) {
        c.error(
            e.escalation.span(),
            format!(
                "escalation score {escalation} of action `{id}` is not on the EscalAItion scale"
            ),
            Some(scale_hint()),
        );
    }
    let requires = e
        .requires
        .iter()
        .filter_map(|r| {
            let cond = c.condition(r)?;
            if !can_hold(&cond, c.horizon, &c.vars) {
                c.warn(
                    r.span(),
                    format!(
                        "`{}` never holds, so action `{id}` can never be taken",
                        r.get_ref()
                    ),
                    Some(bounds_hint()),
                );
            }
            Some(cond)
        })
        .collect();
    let effects = e
        .effects
        .iter()
        .filter_map(|(k, v)| {
            let var = c.var(k, &format!("the effects of action `{id}`"))?;
            let bound = value_bound(&c.vars, var);
            let name = c.var_name(var);
            Some((
                var,
                c.num(v, format!("actions.{id}.effects.{name}"), -bound, bound),
            ))
        })
        .collect();
    let rung_change =
        e.rung_change
            .as_ref()
            .map_or(0, |r| c.int(r, &format!("actions.{id}.rung_change"), -5, 5)) as i8;
    let rung_at_least = e.rung_at_least.as_ref().map_or(0, |r| {
        c.int(r, &format!("actions.{id}.rung_at_least"), 0, 5)
    }) as u8;
    let talks = e.talks.as_ref().and_then(|t| match t.get_ref().as_str() {
        "suspend" => Some(TalksChange::Suspend),
        "resume" => Some(TalksChange::Resume),
        other => {
            c.error(
                t.span(),
                format!("`talks = \"{other}\"` is not understood"),
                Some(suggestion_hint(other, &["suspend", "resume"], "values")),
            );
            None
        }
    });
    let mut targets = Vec::new();
    for t in &e.targets {
        match refs.actor_index.get(t.get_ref()) {
            Some(k) if targets.contains(k) => c.error(
                t.span(),
                format!("action `{id}` lists target `{}` twice", t.get_ref()),
                Some("list each target once".into()),
            ),
            Some(&k) => targets.push(k),
            None => c.error(
                t.span(),
                format!(
                    "unknown actor `{}` in the targets of action `{id}`",
                    t.get_ref()
                ),
                Some(suggestion_hint(t.get_ref(), refs.actor_names, "actors")),
            ),
        }
    }
    let concede = e.concede.as_ref().map_or_else(Vec::new, |k| {
        bargaining::check_concede(c, &id, k, refs.issues, refs.bargaining_unreadable)
    });
    Action {
        label: e.label.clone().unwrap_or_else(|| id.clone()),
        escalation: escalation.clamp(-1000, 1000) as i32,
        requires,
        effects,
        rung_change,
        rung_at_least,
        talks,
        restraint: c.opt_num(
            &e.restraint,
            0.0,
            format!("actions.{id}.restraint"),
            0.0,
            1.0,
        ),
        cost: c.opt_num(&e.cost, 0.0, format!("actions.{id}.cost"), -100.0, 100.0),
        targets,
        ceasefire: e.ceasefire.unwrap_or(false),
        broker: c.opt_num(&e.broker, 0.0, format!("actions.{id}.broker"), 0.0, 1.0),
        concede,
        pressure: c.opt_num(&e.pressure, 0.0, format!("actions.{id}.pressure"), 0.0, 1.0),
        id,
    }
}

/// The calendar of `[run]`: its `start` date and the days of a step, from
/// `step_days` or from a step called a day or a week.
fn check_calendar(c: &mut Checker, r: &RunSection, step: &str, horizon: u32) -> Option<Calendar> {
    let named = named_step_days(step);
    let given = r.step_days.as_ref().map(|d| {
        let days = c.int(d, "run.step_days", 1, i64::from(MAX_STEP_DAYS)) as u32;
        if let Some(n) = named
            && n != days
        {
            c.error(
                d.span(),
                format!(
                    "`run.step_days` is {days}, but a {} lasts {}",
                    step.trim(),
                    days_text(n)
                ),
                Some(format!(
                    "remove `step_days`, or set `step` to the name of a {days}-day step"
                )),
            );
        }
        days
    });
    let Some(start) = &r.start else {
        if let Some(d) = &r.step_days {
            c.warn(
                d.span(),
                "`run.step_days` has no effect without `run.start`",
                Some("add `start = \"YYYY-MM-DD\"` to `[run]` to give steps dates".into()),
            );
        }
        return None;
    };
    let date = match parse_date(&start.get_ref().0) {
        Ok(d) => d,
        Err(e) => {
            c.error(
                start.span(),
                format!("`run.start`: {}", e.message),
                Some(e.hint),
            );
            return None;
        }
    };
    let Some(days) = given.or(named) else {
        let span = r.step.as_ref().map_or_else(|| start.span(), |s| s.span());
        c.error(
            span,
            format!(
                "a dated scenario needs the length of its step, and a `{}` is not a day or a week",
                step.trim()
            ),
            Some(
                "add `step_days = N` to `[run]`, or write `step = \"day\"` or `step = \"week\"`"
                    .into(),
            ),
        );
        return None;
    };
    let calendar = Calendar::new(date, days)?;
    if !calendar.fits(horizon) {
        c.error(
            start.span(),
            format!(
                "from {} the last step of the horizon falls after {}",
                iso(date),
                iso(last_supported_date())
            ),
            Some("start earlier, or shorten the horizon or the step".into()),
        );
        return None;
    }
    Some(calendar)
}

/// Index of action `name` within the actor's list, with an error if absent.
fn local_action(
    c: &mut Checker,
    name: &S<String>,
    actor: &str,
    own: &[usize],
    action_index: &BTreeMap<String, usize>,
    own_names: &[&str],
) -> Option<usize> {
    let n = name.get_ref();
    match action_index.get(n) {
        None => {
            let all: Vec<&str> = action_index.keys().map(String::as_str).collect();
            c.error(
                name.span(),
                format!("unknown action `{n}`"),
                Some(suggestion_hint(n, &all, "actions")),
            );
            None
        }
        Some(global) => match own.iter().position(|g| g == global) {
            Some(local) => Some(local),
            None if c.actions_unreadable(actor) => None,
            None => {
                c.error(
                    name.span(),
                    format!("actor `{actor}` cannot take action `{n}`"),
                    Some(actions_hint(own_names)),
                );
                None
            }
        },
    }
}

fn check_actor(
    c: &mut Checker,
    e: &ActorEntry,
    action_index: &BTreeMap<String, usize>,
    action_names: &[String],
    actor_index: &BTreeMap<String, usize>,
    actor_names: &[&str],
) -> Actor {
    let id = e.id.get_ref().clone();
    let role = match e.role.get_ref().as_str() {
        "principal" => Role::Principal,
        "mediator" => Role::Mediator,
        other => {
            c.error(
                e.role.span(),
                format!("unknown role `{other}`"),
                Some(suggestion_hint(other, &["principal", "mediator"], "roles")),
            );
            Role::Principal
        }
    };
    let fixed = match e.policy.as_ref().map(|p| p.get_ref().as_str()) {
        None | Some("logit") => false,
        Some("fixed") => true,
        Some(other) => {
            let span = e.policy.as_ref().map(|p| p.span()).unwrap_or_default();
            c.error(
                span,
                format!("unknown policy `{other}`"),
                Some(suggestion_hint(other, &["logit", "fixed"], "policies")),
            );
            false
        }
    };
    // The actor's actions: listed, or the keys of its probabilities.
    let names: Vec<&S<String>> = if fixed && e.actions.is_empty() {
        e.probabilities.keys().collect()
    } else {
        e.actions.iter().collect()
    };
    let mut own = Vec::new();
    for n in &names {
        match action_index.get(n.get_ref()) {
            Some(&g) if own.contains(&g) => c.error(
                n.span(),
                format!("action `{}` is listed twice for actor `{id}`", n.get_ref()),
                Some("list each action once".into()),
            ),
            Some(&g) => own.push(g),
            None => {
                let all: Vec<&str> = action_names.iter().map(String::as_str).collect();
                c.error(
                    n.span(),
                    format!("unknown action `{}` for actor `{id}`", n.get_ref()),
                    Some(suggestion_hint(n.get_ref(), &all, "actions")),
                );
            }
        }
    }
    let own_names: Vec<&str> = own.iter().map(|&g| action_names[g].as_str()).collect();

    let policy = if fixed {
        if !e.actions.is_empty() && !e.probabilities.is_empty() {
            for n in e.probabilities.keys() {
                if !e.actions.iter().any(|a| a.get_ref() == n.get_ref()) {
                    c.error(
                        n.span(),
                        format!(
                            "`{}` has a probability but is not in the actions of `{id}`",
                            n.get_ref()
                        ),
                        Some(actions_hint(&own_names)),
                    );
                }
            }
        }
        let mut probs = vec![Param::new(String::new(), 0.0); own.len()];
        let mut sum = 0.0;
        for (k, v) in &e.probabilities {
            let p = c.num(
                v,
                format!("actors.{id}.probabilities.{}", k.get_ref()),
                0.0,
                1.0,
            );
            if p.dist.is_some() {
                c.error(
                    v.span(),
                    "fixed-policy probabilities cannot be uncertain",
                    Some(
                        "they must sum to 1 in every trial; make another number uncertain instead"
                            .into(),
                    ),
                );
            }
            sum += p.value;
            if let Some(local) = own_names.iter().position(|n| n == k.get_ref()) {
                probs[local] = p;
            }
        }
        for (local, p) in probs.iter_mut().enumerate() {
            if p.path.is_empty() {
                *p = Param {
                    low: 0.0,
                    high: 1.0,
                    ..Param::new(
                        format!("actors.{id}.probabilities.{}", own_names[local]),
                        0.0,
                    )
                };
            }
        }
        if e.probabilities.is_empty() {
            c.error(
                e.id.span(),
                format!("actor `{id}` has a fixed policy but no `probabilities`"),
                Some("add `probabilities = { ACTION = P, ... }` summing to 1".into()),
            );
        } else if (sum - 1.0).abs() > SUM_TOLERANCE {
            let span = e
                .probabilities
                .keys()
                .next()
                .map(|k| k.span())
                .unwrap_or_else(|| e.id.span());
            c.error(
                span,
                format!(
                    "the probabilities of actor `{id}` sum to {}, not 1",
                    show_number(sum)
                ),
                Some("fixed-policy probabilities must add up to exactly 1".into()),
            );
        }
        Policy::Fixed(probs)
    } else {
        if let Some(k) = e.probabilities.keys().next() {
            c.error(
                k.span(),
                format!("actor `{id}` has `probabilities` but chooses by logit"),
                Some("set `policy = \"fixed\"`, or remove `probabilities`".into()),
            );
        }
        Policy::Logit
    };

    let mut responds_to = Vec::new();
    for r in &e.responds_to {
        match actor_index.get(r.get_ref()) {
            Some(&k) if r.get_ref() == &id => {
                let _ = k;
                c.error(
                    r.span(),
                    format!("actor `{id}` cannot respond to itself"),
                    Some("`responds_to` lists the other actors whose hostility it answers".into()),
                );
            }
            Some(&k) => responds_to.push(k),
            None => c.error(
                r.span(),
                format!("unknown actor `{}`", r.get_ref()),
                Some(suggestion_hint(r.get_ref(), actor_names, "actors")),
            ),
        }
    }

    let preferences = e
        .preferences
        .iter()
        .filter_map(|(k, v)| {
            let pref = if k.get_ref() == "rung" {
                Preference::Rung
            } else {
                match find_var(&c.vars, k.get_ref()) {
                    Some(var) => Preference::Var(var),
                    None => {
                        let mut names: Vec<&str> = c.vars.iter().map(|v| v.name.as_str()).collect();
                        names.push("rung");
                        c.error(
                            k.span(),
                            format!("unknown preference `{}`", k.get_ref()),
                            Some(suggestion_hint(k.get_ref(), &names, "variables")),
                        );
                        return None;
                    }
                }
            };
            Some((
                pref,
                c.num(
                    v,
                    format!("actors.{id}.preferences.{}", k.get_ref()),
                    -1000.0,
                    1000.0,
                ),
            ))
        })
        .collect();

    let bias = e
        .bias
        .iter()
        .filter_map(|(k, v)| {
            let local = local_action(c, k, &id, &own, action_index, &own_names)?;
            Some((
                local,
                c.num(
                    v,
                    format!("actors.{id}.bias.{}", k.get_ref()),
                    -100.0,
                    100.0,
                ),
            ))
        })
        .collect();

    let mut red_lines = Vec::new();
    for (n, line) in e.red_lines.iter().enumerate() {
        let when = c.condition(&line.when);
        if line.favour.is_empty() {
            c.error(
                line.when.span(),
                format!("red line {} of actor `{id}` favours nothing", n + 1),
                Some("add `favour = { ACTION = UTILITY, ... }`".into()),
            );
        }
        let favour: Vec<(usize, Param)> = line
            .favour
            .iter()
            .filter_map(|(k, v)| {
                let local = local_action(c, k, &id, &own, action_index, &own_names)?;
                Some((
                    local,
                    c.num(
                        v,
                        format!("actors.{id}.red_lines.{}.favour.{}", n + 1, k.get_ref()),
                        -100.0,
                        100.0,
                    ),
                ))
            })
            .collect();
        if let Some(when) = when {
            if !can_hold(&when, c.horizon, &c.vars) {
                c.warn(
                    line.when.span(),
                    format!(
                        "`{}` never holds, so red line {} of actor `{id}` is never crossed",
                        line.when.get_ref(),
                        n + 1
                    ),
                    Some(bounds_hint()),
                );
            } else if when.subject == Subject::Step {
                c.warn(
                    line.when.span(),
                    "a red line on `step` is a timetable, not a red line",
                    Some("use an `[[events]]` entry for things that happen at a given step".into()),
                );
            }
            red_lines.push(RedLine { when, favour });
        }
    }

    let mut reactions = Vec::new();
    for r in &e.reactions {
        let Some(&g) = action_index.get(r.get_ref()) else {
            let all: Vec<&str> = action_names.iter().map(String::as_str).collect();
            c.error(
                r.span(),
                format!(
                    "unknown action `{}` in the reactions of actor `{id}`",
                    r.get_ref()
                ),
                Some(suggestion_hint(r.get_ref(), &all, "actions")),
            );
            continue;
        };
        match own.iter().position(|&o| o == g) {
            Some(local) if reactions.contains(&local) => c.error(
                r.span(),
                format!(
                    "reaction `{}` is listed twice for actor `{id}`",
                    r.get_ref()
                ),
                Some("list each reaction once".into()),
            ),
            Some(local) => reactions.push(local),
            None if c.actions_unreadable(&id) => {}
            None => c.error(
                r.span(),
                format!(
                    "actor `{id}` cannot react with `{}`: it is not among its actions",
                    r.get_ref()
                ),
                Some(format!(
                    "reactions are chosen from the actor's own actions; {}",
                    actions_hint(&own_names)
                )),
            ),
        }
    }

    let mut joins = Vec::new();
    for j in &e.joins {
        match actor_index.get(j.get_ref()) {
            Some(_) if j.get_ref() == &id => c.error(
                j.span(),
                format!("actor `{id}` cannot join itself"),
                Some("`joins` lists the allies whose strikes it may join within the step".into()),
            ),
            Some(&k) if joins.contains(&k) => c.error(
                j.span(),
                format!(
                    "actor `{}` is listed twice in the `joins` of `{id}`",
                    j.get_ref()
                ),
                Some("list each ally once".into()),
            ),
            Some(&k) => joins.push(k),
            None => c.error(
                j.span(),
                format!("unknown actor `{}` in the `joins` of `{id}`", j.get_ref()),
                Some(suggestion_hint(j.get_ref(), actor_names, "actors")),
            ),
        }
    }
    if !e.joins.is_empty() && e.reactions.is_empty() {
        c.error(
            e.joins[0].span(),
            format!("actor `{id}` joins allies but has no `reactions` to join them with"),
            Some("add `reactions = [...]`: the actions it may take within the step".into()),
        );
    }

    let mut incentives = Vec::new();
    for (k, per_action) in &e.incentives {
        let Some(var) = c.var(k, &format!("the incentives of actor `{id}`")) else {
            continue;
        };
        let name = c.var_name(var);
        for (a, v) in per_action {
            let Some(local) = local_action(c, a, &id, &own, action_index, &own_names) else {
                continue;
            };
            incentives.push((
                var,
                local,
                c.num(
                    v,
                    format!("actors.{id}.incentives.{name}.{}", a.get_ref()),
                    -1000.0,
                    1000.0,
                ),
            ));
        }
    }

    Actor {
        reactions,
        joins,
        incentives,
        name: e.name.clone().unwrap_or_else(|| id.clone()),
        role,
        policy,
        actions: own,
        responds_to,
        rationality: c.opt_num(
            &e.rationality,
            1.0,
            format!("actors.{id}.rationality"),
            0.0,
            100.0,
        ),
        reciprocity: c.opt_num(
            &e.reciprocity,
            0.0,
            format!("actors.{id}.reciprocity"),
            -100.0,
            100.0,
        ),
        risk_aversion: c.opt_num(
            &e.risk_aversion,
            0.0,
            format!("actors.{id}.risk_aversion"),
            0.0,
            100.0,
        ),
        distrust: c.opt_num(
            &e.distrust,
            0.0,
            format!("actors.{id}.distrust"),
            -100.0,
            100.0,
        ),
        preferences,
        bias,
        red_lines,
        id,
    }
}

fn check_events(
    c: &mut Checker,
    entries: &[EventEntry],
    horizon: u32,
    actors: &[Actor],
    actor_index: &BTreeMap<String, usize>,
    actor_names: &[&str],
    actions: &[Action],
) -> Vec<Event> {
    let mut events = Vec::new();
    // (step, actor) already forced and (step, variable) already set: a later
    // event of the same kind replaces the earlier one.
    let mut forced = std::collections::BTreeSet::new();
    let mut set_vars = std::collections::BTreeSet::new();
    for (n, e) in entries.iter().enumerate() {
        let step = c.int(&e.step, "events.step", 1, i64::from(horizon)) as u32;
        let add = match e.mode.as_ref().map(|m| (m, m.get_ref().as_str())) {
            None | Some((_, "replace")) => false,
            Some((_, "add")) => true,
            Some((m, other)) => {
                c.error(
                    m.span(),
                    format!("unknown event mode `{other}`"),
                    Some(suggestion_hint(other, &["replace", "add"], "modes")),
                );
                false
            }
        };
        if let Some(m) = &e.mode
            && !e.set.is_empty()
        {
            c.error(
                m.span(),
                "`mode` applies only to events that force an action",
                Some("remove `mode` from this `set` event: values set always replace".into()),
            );
        }
        match (&e.actor, &e.action, e.set.is_empty()) {
            (Some(actor), Some(action), true) => {
                let Some(&k) = actor_index.get(actor.get_ref()) else {
                    c.error(
                        actor.span(),
                        format!("unknown actor `{}`", actor.get_ref()),
                        Some(suggestion_hint(actor.get_ref(), actor_names, "actors")),
                    );
                    continue;
                };
                let Some(a) = actors.get(k) else { continue };
                let own_names: Vec<&str> = a.actions.iter().map(|&g| actions[g].id.as_str()).collect();
                match own_names.iter().position(|n| n == action.get_ref()) {
                    Some(local) => {
                        if !forced.insert((step, k)) {
                            c.warn(
                                actor.span(),
                                format!("actor `{}` is forced twice at step {step}; the later event wins", a.id),
                                Some("keep one forced action per actor and step".into()),
                            );
                        }
                        events.push(Event {
                            number: n + 1,
                            step,
                            kind: EventKind::Force { actor: k, action: local, add },
                        });
                    }
                    None if c.actions_unreadable(&a.id) => {}
                    None => c.error(
                        action.span(),
                        format!("actor `{}` cannot take action `{}`", a.id, action.get_ref()),
                        Some(suggestion_hint(action.get_ref(), &own_names, "actions of this actor")),
                    ),
                }
            }
            (None, None, false) => {
                let set = e
                    .set
                    .iter()
                    .filter_map(|(k, v)| {
                        let var = c.var(k, "an event's `set`")?;
                        let name = c.var_name(var);
                        if !set_vars.insert((step, var)) {
                            c.warn(
                                k.span(),
                                format!("`{name}` is set twice at step {step}; the later event wins"),
                                Some("remove the earlier event, or move one to another step".into()),
                            );
                        }
                        let (lo, hi) = value_range(&c.vars, var);
                        Some((var, c.num(v, format!("events.{}.set.{name}", n + 1), lo, hi)))
                    })
                    .collect();
                events.push(Event {
                    number: n + 1,
                    step,
                    kind: EventKind::Set(set),
                });
            }
            _ => c.error(
                e.step.span(),
                "an event either forces an action (`actor` and `action`) or sets values (`set`)",
                Some("write `actor = \"us\"` with `action = \"sanction\"`, or `set = { sanctions = 0.9 }`, not both".into()),
            ),
        }
    }
    events.sort_by_key(|e| e.step);
    events
}

#[cfg(test)]
mod tests;
