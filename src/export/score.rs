//! The `score` table of `brink score`: one row per question scored, with
//! the forecast's probability and the one scored, what happened, both
//! scores, and the base-rate reference's.

use crate::export::{Column, Table, Value};
use crate::stats::score_result::Scoring;

/// The table's name (its file's stem).
pub const NAME: &str = "score";

/// Column names, in order.
pub const HEADER: [&str; 13] = [
    "scenario",
    "question",
    "date",
    "probability",
    "hits",
    "trials",
    "scored",
    "outcome",
    "brier",
    "log_score",
    "base_rate",
    "base_rate_brier",
    "base_rate_log_score",
];

/// The questions of a score as a table.
pub fn score_table(s: &Scoring) -> Table {
    let columns = HEADER
        .iter()
        .enumerate()
        .map(|(k, name)| match k {
            0..=2 => Column::text(*name),
            4 | 5 | 7 => Column::int(*name),
            _ => Column::float(*name),
        })
        .collect();
    let mut t = Table::new(NAME, columns);
    for q in &s.questions {
        let r = &q.score;
        t.push(vec![
            Value::Text(q.scenario.clone()),
            Value::Text(q.id.clone()),
            q.date.clone().map_or(Value::Null, Value::Text),
            Value::Float(q.probability),
            Value::count(q.hits),
            Value::count(q.trials),
            Value::Float(r.scored),
            Value::flag(r.outcome),
            Value::Float(r.brier),
            Value::Float(r.log),
            Value::Float(r.base_rate),
            Value::Float(r.base_rate_brier),
            Value::Float(r.base_rate_log),
        ]);
    }
    t
}
