//! `brink forecast` as a job: the units are trials; each trial is run with
//! only the tracker of the given events and the questions' events, and the
//! partial is the exact count of trials run, kept, and, among the kept,
//! those in which each question's event happened.

use std::io;
use std::ops::Range;
use std::path::PathBuf;

use crate::engine::events::{EventCounts, count_events};
use crate::engine::nested::{FigureObserver, NestedFigures, NestedPlan, assumption_spreads};
use crate::engine::{ParamSpace, RunPlan};
use crate::export::table::{Column, Table, Value};
use crate::export::write;
use crate::model::Model;
use crate::observe::{StepView, TrialObserver, TrialRecord};
use crate::output::ResultFolder;
use crate::output::manifest::Manifest;
use crate::question::forecast::{Forecast, assemble};
use crate::question::{Event, EventSet, QuestionFile, Tracker, check_kept};
use crate::report::forecast as report;
use crate::scenario::Scenario;
use crate::shard::{Work, WorkId};
use crate::stats::summary::ScenarioInfo;

use super::job::{Advanced, Finish, Job};
use super::spread::SpreadOptions;
use super::steps::Steps;

/// A forecast, as a job.
#[derive(Debug)]
pub struct ForecastJob<'a> {
    scenario: &'a Scenario,
    model: &'a Model,
    questions: &'a QuestionFile,
    given: Vec<String>,
    set: EventSet,
    conditions: usize,
    space: ParamSpace,
    id: WorkId,
    seed: u64,
    trials: u64,
    threads: usize,
    spread: SpreadOptions,
}

impl<'a> ForecastJob<'a> {
    /// The forecast of `questions` on `trials` trials of `model` (compiled
    /// from `scenario`), conditioned on the file's given events and on
    /// `given` (`--given`, compiled as `given_events`).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        scenario: &'a Scenario,
        model: &'a Model,
        questions: &'a QuestionFile,
        given: &[String],
        given_events: &[Event],
        seed: u64,
        trials: u64,
        threads: usize,
    ) -> ForecastJob<'a> {
        let mut all_given = questions.given.clone();
        all_given.extend(given.iter().cloned());
        let mut events: Vec<Event> = questions.given_events.clone();
        events.extend(given_events.iter().cloned());
        let conditions = events.len();
        events.extend(questions.questions.iter().map(|q| q.compiled.clone()));
        let work = Work::Forecast {
            trials,
            questions_file: questions
                .path
                .file_name()
                .map_or_else(String::new, |f| f.to_string_lossy().into_owned()),
            questions_sha256: questions.sha256.clone(),
            given: all_given.clone(),
        };
        ForecastJob {
            scenario,
            model,
            questions,
            given: all_given,
            set: EventSet::new(events, model.horizon),
            conditions,
            space: ParamSpace::of(model),
            id: WorkId::new(scenario, seed, work),
            seed,
            trials,
            threads,
            spread: SpreadOptions::default(),
        }
    }

    /// The nested design that gives each answer its spread over the
    /// scenario's uncertain assumptions (by default that of `run`).
    pub fn with_spread(mut self, spread: SpreadOptions) -> Self {
        self.spread = spread;
        self
    }

    /// Each question's (5th, 95th) percentiles over the assumptions, from
    /// the nested design; `None` when nothing is uncertain, the design is
    /// off, or the answers are conditioned (a conditional share has a
    /// different number of trials under each draw, which the estimator of
    /// the spread does not allow for).
    fn spreads(
        &self,
        cancel: Option<&std::sync::atomic::AtomicBool>,
    ) -> io::Result<Option<Vec<(f64, f64)>>> {
        if self.conditions > 0 {
            return Ok(None);
        }
        let plan = NestedPlan {
            seed: self.seed,
            draws: self.spread.draws,
            trials_per_draw: self.spread.trials_per_draw,
            threads: self.threads,
        };
        let figures = QuestionFigures { set: &self.set };
        Ok(
            assumption_spreads(self.model, &self.space, plan, &figures, cancel)?
                .map(|s| s.iter().map(|x| (x.low, x.high)).collect()),
        )
    }

    /// The forecast from the counts of all its trials.
    pub fn forecast(&self, c: &EventCounts, spreads: Option<&[(f64, f64)]>) -> Forecast {
        assemble(
            self.model,
            ScenarioInfo::of(self.scenario),
            self.questions,
            self.given.clone(),
            self.seed,
            c.run,
            c.kept,
            &c.hits,
            spreads,
        )
    }
}

impl Job for ForecastJob<'_> {
    type Partial = EventCounts;
    type Output = Forecast;

    fn work(&self) -> &WorkId {
        &self.id
    }

    fn scenario(&self) -> &Scenario {
        self.scenario
    }

    fn inputs(&self) -> Vec<PathBuf> {
        vec![self.questions.path.clone()]
    }

    fn units(&self) -> u64 {
        self.trials
    }

    fn fresh(&self) -> EventCounts {
        EventCounts::empty(self.questions.questions.len())
    }

    fn completed(&self, p: &EventCounts) -> u64 {
        p.run
    }

    fn max_partial_bytes(&self, _units: u64) -> u64 {
        // Three counts and one per question, 21 bytes each at most.
        (self.questions.questions.len() as u64 + 3) * 21 + 1024
    }

    fn check(&self, p: &EventCounts, units: &Range<u64>) -> Result<(), String> {
        let len = units.end - units.start;
        if p.run > len {
            return Err(format!("it records {} trials done of {len}", p.run));
        }
        if p.kept > p.run {
            return Err(format!("it keeps {} of {} trials", p.kept, p.run));
        }
        if p.hits.len() != self.questions.questions.len() || p.hits.iter().any(|&h| h > p.kept) {
            return Err("its counts do not fit the questions".into());
        }
        Ok(())
    }

    fn advance(
        &self,
        units: &Range<u64>,
        p: &mut EventCounts,
        steps: &mut Steps<'_, EventCounts>,
    ) -> io::Result<Advanced> {
        let len = units.end - units.start;
        let plan = RunPlan {
            seed: self.seed,
            first_trial: units.start + p.run,
            trials: len - p.run,
            threads: self.threads,
        };
        let from = p.clone();
        let cancel = steps.cancel.flag();
        let (done, cancelled) = count_events(
            self.model,
            &self.space,
            plan,
            &self.set,
            self.conditions,
            &mut |c| {
                let mut all = from.clone();
                all.add(c);
                steps.batch(all.run, &all)
            },
            cancel,
        )?;
        p.add(&done);
        Ok(if cancelled {
            Advanced::Cancelled
        } else {
            Advanced::Finished
        })
    }

    fn append(&self, total: &mut EventCounts, next: EventCounts) {
        total.add(&next);
    }

    fn finish(
        &self,
        p: EventCounts,
        folder: ResultFolder,
        f: Finish<'_>,
    ) -> io::Result<(Forecast, PathBuf)> {
        if !self.given.is_empty() {
            check_kept(&self.given, p.run, p.kept)?;
        }
        let spreads = self.spreads(None)?;
        let fc = self.forecast(&p, spreads.as_deref());
        let dir = write_forecast(folder, self.scenario, &fc, f)?;
        Ok((fc, dir))
    }
}

/// The questions' events as the figures of a nested design: the tracker
/// of the job's events, the first `conditions` of which are none here.
struct QuestionFigures<'a> {
    set: &'a EventSet,
}

struct TrackerFigures<'a>(Tracker<'a>);

impl TrialObserver for TrackerFigures<'_> {
    fn on_start(&mut self, view: &StepView) {
        self.0.on_start(view);
    }
    fn on_step(&mut self, view: &StepView) {
        self.0.on_step(view);
    }
    fn on_end(&mut self, record: &TrialRecord) {
        self.0.on_end(record);
    }
}

impl FigureObserver for TrackerFigures<'_> {
    fn tally(&mut self, _record: &TrialRecord, hits: &mut [u64]) {
        for (k, h) in hits.iter_mut().enumerate() {
            *h += u64::from(self.0.holds(k));
        }
    }
}

impl NestedFigures for QuestionFigures<'_> {
    fn count(&self) -> usize {
        self.set.len()
    }

    fn observer(&self) -> Box<dyn FigureObserver + '_> {
        Box::new(TrackerFigures(self.set.tracker()))
    }
}

/// The table of a forecast: one row per question, the fields of
/// `forecast.json`'s questions.
pub fn forecast_table(fc: &Forecast) -> Table {
    let mut t = Table::new(
        "forecast",
        vec![
            Column::text("id"),
            Column::text("text"),
            Column::text("event"),
            Column::int("step"),
            Column::text("date"),
            Column::float("probability"),
            Column::int("hits"),
            Column::int("kept"),
            Column::float("mc_low"),
            Column::float("mc_high"),
            Column::float("spread_low"),
            Column::float("spread_high"),
            Column::int("resolved"),
            Column::text("resolution"),
        ],
    );
    let opt_f = |x: Option<f64>| x.map_or(Value::Null, Value::Float);
    for q in &fc.questions {
        t.push(vec![
            Value::Text(q.id.clone()),
            Value::Text(q.text.clone()),
            Value::Text(q.event.clone()),
            q.step.map_or(Value::Null, Value::count),
            q.date.clone().map_or(Value::Null, Value::Text),
            Value::Float(q.probability),
            Value::count(q.hits),
            Value::count(fc.kept),
            Value::Float(q.mc_low),
            Value::Float(q.mc_high),
            opt_f(q.spread_low),
            opt_f(q.spread_high),
            q.resolved.map_or(Value::Null, Value::flag),
            q.resolution.clone().map_or(Value::Null, Value::Text),
        ]);
    }
    t
}

/// Writes the result folder of a forecast: `forecast.json`,
/// `forecast.csv`, with `f.plots` `report.html`, and last `manifest.json`;
/// then commits it.
pub fn write_forecast(
    folder: ResultFolder,
    scenario: &Scenario,
    fc: &Forecast,
    f: Finish<'_>,
) -> io::Result<PathBuf> {
    folder.json("forecast.json", fc)?;
    write(folder.path(), &forecast_table(fc), f.format)?;
    let manifest = Manifest::new("forecast", scenario, f.command, fc.seed, fc.trials);
    if f.plots {
        folder.plots_and_report(&[], &manifest, |m| report::render(fc, m))?;
    }
    folder.commit(manifest)
}
