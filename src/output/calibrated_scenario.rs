//! The calibrated scenario: a file that `extends` the original and draws
//! every calibrated parameter from `posterior.csv` beside it, the accepted
//! samples, with `dist = "samples"`: one whole row per trial, so the
//! correlations the targets induce between parameters are kept (a
//! parameter pair on a ridge stays on the ridge).
//!
//! The result folder is self-contained: the original scenario, its parents
//! and the sample files they name are copied into `parent/` (keeping their
//! places relative to one another), and the calibrated scenario extends the
//! copy. The folder can be moved or sent as it is; the copies are checked to
//! be byte for byte the files the calibration ran, so the scenario hash of
//! the chain is the original's. Only the calibrated values are stated; all
//! else, notes included, is inherited.
//!
//! Parameters of red lines (which have no id to merge by) are written by
//! redefining their actor in full: the child removes the inherited actor and
//! appends it again. Actions apply simultaneously and random streams are
//! keyed by actor id, so this changes no result, only the actor's place in
//! the column order of outputs. Values set by scripted events and the
//! changes of drifts (entries without ids, which `extends` can only append)
//! cannot be overridden this way and keep their prior; the file says so.
//!
//! Every other number has a place: sections (`[war]`, `[bargaining]` and
//! its issues' positions), declared variables and deadlines by id, actions'
//! `concede` tables, actors' `incentives` (and, for a redefined actor, its
//! `reactions` and `joins`).

use crate::output::digits::significant;
use crate::output::names::column_name;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value};

use crate::analysis::calibrate::Calibration;
use crate::distribution::Distribution;
use crate::scenario::{Actor, Param, Policy, Preference, Scenario};

/// A number as a TOML value.
fn number(x: f64) -> Value {
    Value::from(x)
}

/// An inline table of `key = value` pairs, in the order given.
fn inline<'a>(pairs: impl IntoIterator<Item = (&'a str, Value)>) -> Value {
    let mut t = InlineTable::new();
    for (k, v) in pairs {
        t.insert(k, v);
    }
    Value::InlineTable(t)
}

/// A distribution as a TOML inline table.
pub fn distribution(d: &Distribution) -> Value {
    let list = |v: &[f64]| Value::Array(v.iter().map(|x| number(*x)).collect::<Array>());
    let kind = |name: &str| ("dist", Value::from(name));
    match d {
        Distribution::Uniform { low, high } => inline([
            kind("uniform"),
            ("low", number(*low)),
            ("high", number(*high)),
        ]),
        Distribution::Normal { mean, sd } => {
            inline([kind("normal"), ("mean", number(*mean)), ("sd", number(*sd))])
        }
        Distribution::Triangular { low, mode, high } => inline([
            kind("triangular"),
            ("low", number(*low)),
            ("mode", number(*mode)),
            ("high", number(*high)),
        ]),
        Distribution::Beta {
            alpha,
            beta,
            low,
            high,
        } => inline([
            kind("beta"),
            ("alpha", number(*alpha)),
            ("beta", number(*beta)),
            ("low", number(*low)),
            ("high", number(*high)),
        ]),
        Distribution::LogNormal { median, sigma } => inline([
            kind("lognormal"),
            ("median", number(*median)),
            ("sigma", number(*sigma)),
        ]),
        Distribution::Choice { values, weights } => inline([
            kind("choice"),
            ("values", list(values)),
            ("weights", list(weights)),
        ]),
        Distribution::Samples { file, column, .. } => inline([
            kind("samples"),
            ("file", Value::from(file.as_str())),
            ("column", Value::from(column.as_str())),
        ]),
    }
}

fn param_value(p: &Param, narrowed: &BTreeMap<String, Value>) -> Value {
    if let Some(v) = narrowed.get(&p.path) {
        return v.clone();
    }
    match &p.dist {
        Some(d) => distribution(d),
        None => number(p.value),
    }
}

/// Text for a comment: control characters (a line break would end the
/// comment and start TOML of its own) become spaces.
fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// An absolute form of `p`, resolving symbolic links for the part that exists.
fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    match (p.parent(), p.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => absolute(parent).join(name),
        _ => std::env::current_dir().unwrap_or_default().join(p),
    }
}

/// `to` relative to the folder `from`, which need not exist yet.
pub fn relative_path(from: &Path, to: &Path) -> PathBuf {
    let (from, to) = (absolute(from), absolute(to));
    let a: Vec<Component> = from.components().collect();
    let b: Vec<Component> = to.components().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..a.len() {
        out.push("..");
    }
    for c in &b[common..] {
        out.push(c.as_os_str());
    }
    out
}

/// The entries that redefine actor `a` in full: one removing the inherited
/// actor, one appending it again with its narrowed values.
fn actor_tables(s: &Scenario, a: &Actor, narrowed: &BTreeMap<String, Value>) -> [Table; 2] {
    let names = |idx: &[usize]| -> Value {
        Value::Array(
            idx.iter()
                .map(|&g| Value::from(s.actions[g].id.as_str()))
                .collect::<Array>(),
        )
    };
    let own: Vec<&str> = a
        .actions
        .iter()
        .map(|&g| s.actions[g].id.as_str())
        .collect();
    let mut remove = Table::new();
    remove.insert("id", Item::Value(Value::from(a.id.as_str())));
    remove.insert("remove", Item::Value(Value::from(true)));
    let mut t = Table::new();
    let mut put = |key: &str, v: Value| {
        t.insert(key, Item::Value(v));
    };
    put("id", Value::from(a.id.as_str()));
    put("name", Value::from(a.name.as_str()));
    let role = match a.role {
        crate::scenario::Role::Principal => "principal",
        crate::scenario::Role::Mediator => "mediator",
    };
    put("role", Value::from(role));
    match &a.policy {
        Policy::Logit => put("actions", names(&a.actions)),
        Policy::Fixed(probs) => {
            put("policy", Value::from("fixed"));
            put("actions", names(&a.actions));
            put(
                "probabilities",
                inline(own.iter().zip(probs).map(|(n, p)| (*n, number(p.value)))),
            );
        }
    }
    put(
        "responds_to",
        Value::Array(
            a.responds_to
                .iter()
                .map(|&k| Value::from(s.actors[k].id.as_str()))
                .collect::<Array>(),
        ),
    );
    for (key, p) in [
        ("rationality", &a.rationality),
        ("reciprocity", &a.reciprocity),
        ("risk_aversion", &a.risk_aversion),
        ("distrust", &a.distrust),
    ] {
        put(key, param_value(p, narrowed));
    }
    put(
        "preferences",
        inline(a.preferences.iter().map(|(k, p)| {
            let name = match k {
                Preference::Var(v) => s.vars[v.index()].name.as_str(),
                Preference::Rung => "rung",
            };
            (name, param_value(p, narrowed))
        })),
    );
    put(
        "bias",
        inline(
            a.bias
                .iter()
                .map(|(l, p)| (own[*l], param_value(p, narrowed))),
        ),
    );
    if !a.reactions.is_empty() {
        put(
            "reactions",
            Value::Array(
                a.reactions
                    .iter()
                    .map(|&l| Value::from(own[l]))
                    .collect::<Array>(),
            ),
        );
    }
    if !a.joins.is_empty() {
        put(
            "joins",
            Value::Array(
                a.joins
                    .iter()
                    .map(|&j| Value::from(s.actors[j].id.as_str()))
                    .collect::<Array>(),
            ),
        );
    }
    if !a.incentives.is_empty() {
        // Variable -> action -> value, variables in order of first appearance.
        let mut by_var: Vec<(&str, Vec<(&str, Value)>)> = Vec::new();
        for (var, l, p) in &a.incentives {
            let name = s.vars[var.index()].name.as_str();
            let entry = (own[*l], param_value(p, narrowed));
            match by_var.iter_mut().find(|(n, _)| *n == name) {
                Some((_, list)) => list.push(entry),
                None => by_var.push((name, vec![entry])),
            }
        }
        put(
            "incentives",
            inline(by_var.into_iter().map(|(n, list)| (n, inline(list)))),
        );
    }
    if !a.red_lines.is_empty() {
        let mut lines = ArrayOfTables::new();
        for rl in &a.red_lines {
            let mut r = Table::new();
            r.insert("when", Item::Value(Value::from(rl.when.describe(&s.vars))));
            r.insert(
                "favour",
                Item::Value(inline(
                    rl.favour
                        .iter()
                        .map(|(l, p)| (own[*l], param_value(p, narrowed))),
                )),
            );
            lines.push(r);
        }
        t.insert("red_lines", Item::ArrayOfTables(lines));
    }
    [remove, t]
}

/// The `--scenario-root` that a scenario whose `extends` line is `extends`
/// needs when run from its own folder: the folder that holds it and its
/// parent, relative to its own (`../..`); `None` when the parent is in or
/// below its folder.
pub fn scenario_root(extends: &str) -> Option<String> {
    let up = Path::new(extends)
        .components()
        .take_while(|c| matches!(c, Component::ParentDir))
        .count();
    (up > 0).then(|| vec![".."; up].join("/"))
}

/// The file name of the calibrated scenario of `s`.
pub fn file_name(s: &Scenario) -> String {
    format!("{}-calibrated.toml", s.name)
}

/// The file of accepted samples, beside the calibrated scenario, that its
/// calibrated parameters are drawn from.
pub const POSTERIOR_FILE: &str = "posterior.csv";

/// The folder, beside the calibrated scenario, holding a copy of the
/// original scenario and its parents.
pub const PARENT_FOLDER: &str = "parent";

/// The accepted samples as `posterior.csv`: a header of parameter paths,
/// then one row per accepted sample, in sample order; every value in the
/// shortest form that reads back to the same number.
pub fn posterior_csv(cal: &Calibration) -> String {
    let mut out = cal
        .parameters
        .iter()
        .map(|p| column_name(&p.parameter))
        .collect::<Vec<_>>()
        .join(",");
    out.push('\n');
    for r in cal.rows.iter().filter(|r| r.accepted) {
        let cells: Vec<String> = r
            .values
            .iter()
            .map(|x| format!("{:?}", significant(*x)))
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// The calibrated scenario of `s`, extending the copy of `s` at `extends`
/// (relative to its own folder), as a TOML document built value by value
/// (every string escaped by the writer). Each calibrated parameter is drawn
/// from its column of [`POSTERIOR_FILE`]: all of them from the same row in a
/// trial, so the joint distribution of the accepted samples is kept.
pub fn document(s: &Scenario, cal: &Calibration, extends: &str) -> DocumentMut {
    let mut narrowed = BTreeMap::new();
    if cal.calibrated {
        for p in &cal.parameters {
            let column = Value::from(column_name(&p.parameter));
            let v = inline([
                ("dist", Value::from("samples")),
                ("file", Value::from(POSTERIOR_FILE)),
                ("column", column),
            ]);
            narrowed.insert(p.parameter.clone(), v);
        }
    }
    let header = format!(
        "# Calibrated by `brink calibrate` ({} of {} samples accepted, {} trials each, seed {}).\n\
         # Each calibrated parameter is drawn from its column of {POSTERIOR_FILE} beside this file,\n\
         # the accepted samples: a trial takes one whole row, so the correlations between the\n\
         # parameters are kept. Everything else is the original scenario's, copied with its\n\
         # parents into {PARENT_FOLDER}/ so that this folder can be moved or sent as it is.\n\
         # Run it from this folder with `brink run {}`; see calibration.json beside it.\n\n",
        cal.accepted,
        cal.samples,
        cal.trials_per_sample,
        cal.seed,
        comment_text(&file_name(s))
    );
    let mut doc = DocumentMut::new();
    doc.insert("extends", Item::Value(Value::from(extends)));
    if let Some(mut key) = doc.key_mut("extends") {
        key.leaf_decor_mut().set_prefix(header);
    }
    let mut scenario = Table::new();
    scenario.insert(
        "name",
        Item::Value(Value::from(format!("{}-calibrated", s.name))),
    );
    scenario.insert(
        "title",
        Item::Value(Value::from(format!("{} (calibrated)", s.title))),
    );
    scenario.insert(
        "description",
        Item::Value(Value::from(
            format!(
                "{} Uncertain parameters drawn jointly from the samples consistent with the calibration targets.",
                s.description.trim()
            )
            .trim_start(),
        )),
    );
    doc.insert("scenario", Item::Table(scenario));

    place_values(&mut doc, s, &narrowed);
    doc
}

/// The sample files (`dist = "samples"`) that the scenario file at `path`,
/// with text `text`, names: resolved against its folder.
fn sample_files_named(path: &Path, text: &str) -> Vec<PathBuf> {
    fn walk(v: &toml::Value, out: &mut Vec<String>) {
        match v {
            toml::Value::Table(t) => {
                if t.get("dist").and_then(toml::Value::as_str) == Some("samples")
                    && let Some(f) = t.get("file").and_then(toml::Value::as_str)
                {
                    out.push(f.to_string());
                }
                t.values().for_each(|v| walk(v, out));
            }
            toml::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut names = Vec::new();
    if let Ok(t) = text.parse::<toml::Table>() {
        t.values().for_each(|v| walk(v, &mut names));
    }
    let folder = path.parent().unwrap_or(Path::new(""));
    names.sort();
    names.dedup();
    names.into_iter().map(|n| folder.join(n)).collect()
}

/// Copies the files of the original scenario `s` (the file, its parents
/// and the sample files they name) into `PARENT_FOLDER` of the folder
/// `dir`, keeping their places relative to one another, so `extends` lines
/// between them still resolve. Returns the `extends` path of the copy of
/// `s`'s own file, relative to `dir`.
pub fn copy_parent(s: &Scenario, dir: &Path) -> std::io::Result<String> {
    use crate::scenario::load::MAX_FILE_BYTES;
    use crate::scenario::sample_file::MAX_SAMPLE_FILE_BYTES;
    let mut files: Vec<(PathBuf, u64)> = Vec::new();
    for f in &s.origin.chain {
        let at = absolute(&f.path);
        let bytes = crate::input::read_limited(&at, MAX_FILE_BYTES as u64)?;
        for data in sample_files_named(&at, &String::from_utf8_lossy(&bytes)) {
            if data.is_file() {
                files.push((absolute(&data), MAX_SAMPLE_FILE_BYTES));
            }
        }
        files.push((at, MAX_FILE_BYTES as u64));
    }
    let mut common = files[files.len() - 1]
        .0
        .parent()
        .unwrap_or(Path::new("/"))
        .to_path_buf();
    while !files.iter().all(|(f, _)| f.starts_with(&common)) {
        if !common.pop() {
            break;
        }
    }
    let into = dir.join(PARENT_FOLDER);
    for (f, limit) in &files {
        let rel = f.strip_prefix(&common).unwrap_or(f);
        let to = into.join(rel);
        if let Some(folder) = to.parent() {
            std::fs::create_dir_all(folder)?;
        }
        let bytes = crate::input::read_limited(f, *limit)?;
        super::write_atomic(&to, &bytes)?;
    }
    let own = absolute(&s.origin.chain[0].path);
    let rel = own.strip_prefix(&common).unwrap_or(&own);
    Ok(Path::new(PARENT_FOLDER)
        .join(rel)
        .to_string_lossy()
        .replace('\\', "/"))
}

/// Writes the values `narrowed` (parameter path -> TOML value) into `doc`,
/// a file that extends a scenario shaped like `s`, each where `extends`
/// merges it over the inherited number: sections and their sub-tables,
/// variables, actions, deadlines and actors by id; an actor with a narrowed
/// red line is redefined in full from `s`. Paths `extends` cannot address
/// (scripted events, drifts) are listed in a trailing comment.
pub fn place_values(doc: &mut DocumentMut, s: &Scenario, narrowed: &BTreeMap<String, Value>) {
    // Where each narrowed value goes: (kind, name) -> sub-table ("" for a
    // plain field) -> key = value.
    type Fields = BTreeMap<String, BTreeMap<String, Value>>;
    let mut places: BTreeMap<(u8, String), Fields> = BTreeMap::new();
    let mut put = |kind: u8, name: &str, table: &str, key: &str, v: &Value| {
        places
            .entry((kind, name.to_string()))
            .or_default()
            .entry(table.to_string())
            .or_default()
            .insert(key.to_string(), v.clone());
    };
    let (section, action, actor, variable, deadline) = (0u8, 1u8, 2u8, 3u8, 4u8);
    let mut redefine: Vec<String> = Vec::new();
    let mut skipped = Vec::new();
    for (path, v) in narrowed {
        let parts: Vec<&str> = path.split('.').collect();
        match parts.as_slice() {
            [
                name @ ("initial" | "outcomes" | "dynamics" | "incidents" | "war" | "bargaining"),
                field,
            ] => put(section, name, "", field, v),
            ["variables", id, field] => put(variable, id, "", field, v),
            ["actions", id, "concede", issue] => put(action, id, "concede", issue, v),
            ["actors", id, "incentives", var, act] => {
                put(actor, id, &format!("incentives.{var}"), act, v);
            }
            ["deadlines", id, when @ ("before" | "after"), who, act] => {
                put(deadline, id, when, &format!("{who}.{act}"), v);
            }
            ["bargaining", "issues", issue, party, field] => {
                put(
                    section,
                    "bargaining",
                    &format!("issues.{issue}.{party}"),
                    field,
                    v,
                );
            }
            ["incidents", "weights", var] => put(section, "incidents", "weights", var, v),
            ["actions", id, "effects", var] => put(action, id, "effects", var, v),
            ["actions", id, field] => put(action, id, "", field, v),
            ["actors", id, "red_lines", ..] => {
                if !redefine.contains(&id.to_string()) {
                    redefine.push((*id).to_string());
                }
            }
            ["actors", id, table @ ("preferences" | "bias"), key] => put(actor, id, table, key, v),
            ["actors", id, field] => put(actor, id, "", field, v),
            _ => skipped.push(path.clone()),
        }
    }
    let fill = |t: &mut Table, fields: &Fields| {
        // `[[bargaining.issues]]` entries, by issue id.
        let mut issues: BTreeMap<&str, InlineTable> = BTreeMap::new();
        for (table, entries) in fields {
            let keys: Vec<&str> = table.split('.').collect();
            match keys.as_slice() {
                [""] => {
                    for (k, v) in entries {
                        t.insert(k, Item::Value(v.clone()));
                    }
                }
                ["issues", issue, party] => {
                    let pairs = entries.iter().map(|(k, v)| (k.as_str(), v.clone()));
                    issues
                        .entry(issue)
                        .or_default()
                        .insert(*party, inline(pairs));
                }
                [first, rest @ ..] => {
                    let item = t
                        .entry(first)
                        .or_insert_with(|| Item::Value(Value::InlineTable(InlineTable::new())));
                    if let Some(mut at) = item.as_inline_table_mut() {
                        for k in rest {
                            at = at
                                .entry(*k)
                                .or_insert_with(|| Value::InlineTable(InlineTable::new()))
                                .as_inline_table_mut()
                                .expect("made as an inline table");
                        }
                        for (k, v) in entries {
                            at.insert(k, v.clone());
                        }
                    }
                }
                [] => {}
            }
        }
        if !issues.is_empty() {
            let mut list = ArrayOfTables::new();
            for (id, positions) in issues {
                let mut e = Table::new();
                e.insert("id", Item::Value(Value::from(id)));
                e.insert("positions", Item::Value(Value::InlineTable(positions)));
                list.push(e);
            }
            t.insert("issues", Item::ArrayOfTables(list));
        }
    };
    let mut actions = ArrayOfTables::new();
    let mut variables = ArrayOfTables::new();
    let mut deadlines = ArrayOfTables::new();
    for ((kind, name), fields) in &places {
        let mut t = Table::new();
        if [action, variable, deadline].contains(kind) {
            t.insert("id", Item::Value(Value::from(name.as_str())));
        }
        fill(&mut t, fields);
        match *kind {
            k if k == section => {
                doc.insert(name, Item::Table(t));
            }
            k if k == action => actions.push(t),
            k if k == variable => variables.push(t),
            k if k == deadline => deadlines.push(t),
            _ => {}
        }
    }
    if !variables.is_empty() {
        doc.insert("variables", Item::ArrayOfTables(variables));
    }
    if !actions.is_empty() {
        doc.insert("actions", Item::ArrayOfTables(actions));
    }
    if !deadlines.is_empty() {
        doc.insert("deadlines", Item::ArrayOfTables(deadlines));
    }
    let mut actors = ArrayOfTables::new();
    for a in &s.actors {
        if redefine.contains(&a.id) {
            for t in actor_tables(s, a, narrowed) {
                actors.push(t);
            }
        } else if let Some(fields) = places.get(&(actor, a.id.clone())) {
            let mut t = Table::new();
            t.insert("id", Item::Value(Value::from(a.id.as_str())));
            fill(&mut t, fields);
            actors.push(t);
        }
    }
    if !actors.is_empty() {
        doc.insert("actors", Item::ArrayOfTables(actors));
    }
    if !skipped.is_empty() {
        doc.set_trailing(format!(
            "\n# Not narrowed (values set by scripted events and the changes of drifts cannot be overridden by `extends`): {}\n",
            comment_text(&skipped.join(", "))
        ));
    }
}

/// Loads the calibrated scenario written at `path` as any scenario is (no
/// `--scenario-root`: everything it reads is in its own folder) and checks
/// that it extends a copy of `original`, byte for byte, and is named after
/// it: an internal error otherwise, never a file left that says something
/// else.
pub fn check_written(path: &Path, original: &Scenario) -> std::io::Result<()> {
    let internal = |why: String| {
        std::io::Error::other(format!(
            "the calibrated scenario {} {why}; this is a bug in brink",
            path.display()
        ))
    };
    let (loaded, _) =
        crate::scenario::load::load(path).map_err(|d| internal(format!("does not load:\n{d}")))?;
    if loaded.name != format!("{}-calibrated", original.name) {
        return Err(internal(format!("is named `{}`", loaded.name)));
    }
    // The chain lists the file itself, then the copy of the original and
    // the copies of its parents.
    let copies: Vec<&str> = loaded.origin.chain[1..]
        .iter()
        .map(|f| f.sha256.as_str())
        .collect();
    let originals: Vec<&str> = original
        .origin
        .chain
        .iter()
        .map(|f| f.sha256.as_str())
        .collect();
    if copies != originals {
        return Err(internal("does not extend the original scenario".into()));
    }
    Ok(())
}

/// The text of the calibrated scenario, extending the copy of `s` at `extends`.
pub fn render(s: &Scenario, cal: &Calibration, extends: &str) -> String {
    document(s, cal, extends).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::calibrate::{ParamFit, Quantiles, SampleRow};
    use crate::model::Model;
    use crate::scenario::load;

    fn quantiles(low: f64, median: f64, high: f64) -> Quantiles {
        Quantiles {
            mean: median,
            q025: low,
            q25: median,
            median,
            q75: median,
            q975: high,
        }
    }

    /// A calibrated model-2 scenario loads again, and every number lands on
    /// the path it came from: fixed numbers keep their value, uncertain ones
    /// are drawn from their column of `posterior.csv`.
    #[test]
    fn every_model2_number_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let original = dir.path().join("src/m2.toml");
        std::fs::create_dir_all(original.parent().unwrap()).unwrap();
        std::fs::write(
            &original,
            include_str!("../../tests/fixtures/valid/model2-all-fields.toml"),
        )
        .unwrap();
        let (s, _) = load(&original).unwrap_or_else(|d| panic!("{d}"));
        let model = Model::compile(&s);
        let p = &model.params;
        let uncertain = p.uncertain();
        let parameters: Vec<ParamFit> = uncertain
            .iter()
            .map(|&k| {
                let v = p.values[k as usize];
                ParamFit {
                    parameter: p.paths[k as usize].clone(),
                    prior: quantiles(v, v, v),
                    posterior: Some(quantiles(v, v, v)),
                    closest_fit: None,
                }
            })
            .collect();
        let row = |shift: f64| SampleRow {
            values: uncertain
                .iter()
                .map(|&k| {
                    let (lo, hi) = p.bounds[k as usize];
                    (p.values[k as usize] + shift).clamp(lo, hi)
                })
                .collect(),
            statistics: Vec::new(),
            distance: 0.0,
            accepted: true,
        };
        let cal = Calibration {
            brink_version: String::new(),
            scenario: crate::stats::summary::ScenarioInfo::of(&s),
            seed: 1,
            samples: 10,
            trials_per_sample: 10,
            accepted: 2,
            acceptance_rate: 0.2,
            min_accepted: 1,
            calibrated: true,
            status: "calibrated".into(),
            parameters,
            targets: Vec::new(),
            closest_sample: 0,
            closest_distance: 0.0,
            closest_fit: Vec::new(),
            rows: vec![row(0.0), row(0.001)],
        };
        let out = dir.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        let extends = copy_parent(&s, &out).unwrap();
        assert_eq!(extends, "parent/m2.toml");
        std::fs::write(out.join(POSTERIOR_FILE), posterior_csv(&cal)).unwrap();
        let text = render(&s, &cal, &extends);
        let written = out.join(file_name(&s));
        std::fs::write(&written, &text).unwrap();
        check_written(&written, &s).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let (loaded, diags) = load(&written).unwrap_or_else(|d| panic!("{d}\n{text}"));
        assert!(!diags.has_errors(), "{diags}");
        let q = &Model::compile(&loaded).params;
        let skipped = ["drifts.", "events."];
        for k in 0..p.paths.len() {
            let path = &p.paths[k];
            let at = q
                .find(path)
                .unwrap_or_else(|| panic!("{path} lost\n{text}")) as usize;
            if skipped.iter().any(|s| path.starts_with(s)) {
                assert_eq!(q.dists[at], p.dists[k], "{path}");
                continue;
            }
            match &p.dists[k] {
                None => assert_eq!(q.values[at], p.values[k], "{path}\n{text}"),
                Some(_) => assert!(
                    matches!(&q.dists[at], Some(Distribution::Samples { column, table, .. })
                        if *column == column_name(path) && table.rows() == 2),
                    "{path} not drawn from its column\n{text}"
                ),
            }
        }
        // Structure survives: the redefined actor keeps its reactions and
        // incentives, and bargaining its issues.
        let us = loaded.actors.iter().find(|a| a.id == "us").unwrap();
        assert_eq!(us.reactions, s.actors[0].reactions);
        let ids = |sc: &Scenario, joins: &[usize]| -> Vec<String> {
            joins.iter().map(|&j| sc.actors[j].id.clone()).collect()
        };
        assert_eq!(ids(&loaded, &us.joins), ids(&s, &s.actors[0].joins));
        assert_eq!(us.incentives.len(), s.actors[0].incentives.len());
        assert_eq!(loaded.deadlines.len(), 1);
        assert_eq!(loaded.drifts.len(), 2);
        assert_eq!(loaded.vars, s.vars);
        assert_eq!(loaded.war.holds_after, 3);
        let b = loaded.bargaining.as_ref().unwrap();
        assert_eq!(b.issues.len(), 2);
        assert!(b.back_channel);
    }
}
