//! The calibrated scenario: a file that `extends` the original and replaces
//! each calibrated parameter's distribution by a narrower one, triangular
//! over the central 95% of the accepted samples with its peak at their median.
//!
//! Parameters of red lines (which have no id to merge by) are written by
//! redefining their actor in full: the child removes the inherited actor and
//! appends it again. Actions apply simultaneously and random streams are
//! keyed by actor id, so this changes no result, only the actor's place in
//! the column order of outputs. Values set by scripted events cannot be
//! overridden this way and keep their prior; the file says so.

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

/// The path by which a calibrated scenario saved in folder `dir` names the
/// original `s` in its `extends` line: relative to `dir`, with `/`.
pub fn extends_path(s: &Scenario, dir: &Path) -> String {
    relative_path(dir, &s.origin.path)
        .to_string_lossy()
        .replace('\\', "/")
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

/// The calibrated scenario of `s`, to be saved in folder `dir`, as a TOML
/// document built value by value (every string escaped by the writer).
pub fn document(s: &Scenario, cal: &Calibration, dir: &Path) -> DocumentMut {
    let mut narrowed = BTreeMap::new();
    for p in &cal.parameters {
        if let Some(q) = &p.posterior {
            // Four significant digits are plenty for a narrowed assumption.
            let round = |x: f64| format!("{x:.3e}").parse::<f64>().unwrap_or(x);
            let (low, mode, high) = (round(q.q025), round(q.median), round(q.q975));
            let v = if high > low {
                distribution(&Distribution::Triangular {
                    low,
                    mode: mode.clamp(low, high),
                    high,
                })
            } else {
                number(mode)
            };
            narrowed.insert(p.parameter.clone(), v);
        }
    }
    let extends = extends_path(s, dir);
    let mut header = format!(
        "# Calibrated by `brink calibrate` ({} of {} samples accepted, {} trials each, seed {}).\n\
         # Each calibrated parameter is triangular over the central 95% of the accepted\n\
         # samples, peaking at their median; see calibration.json beside this file.\n\n",
        cal.accepted, cal.samples, cal.trials_per_sample, cal.seed
    );
    if let Some(root) = scenario_root(&extends) {
        header.push_str(&format!(
            "# Its parent lies outside this folder: run it from here with\n\
             # `brink run --scenario-root {root} {}`.\n\n",
            comment_text(&file_name(s))
        ));
    }
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
        Item::Value(Value::from(format!(
            "{} Uncertain parameters narrowed to the values consistent with the calibration targets.",
            s.description.trim()
        ))),
    );
    doc.insert("scenario", Item::Table(scenario));

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
    let (section, action, actor) = (0u8, 1u8, 2u8);
    let mut redefine: Vec<String> = Vec::new();
    let mut skipped = Vec::new();
    for (path, v) in &narrowed {
        let parts: Vec<&str> = path.split('.').collect();
        match parts.as_slice() {
            [
                name @ ("initial" | "outcomes" | "dynamics" | "incidents"),
                field,
            ] => put(section, name, "", field, v),
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
        for (table, entries) in fields {
            if table.is_empty() {
                for (k, v) in entries {
                    t.insert(k, Item::Value(v.clone()));
                }
            } else {
                let pairs = entries.iter().map(|(k, v)| (k.as_str(), v.clone()));
                t.insert(table, Item::Value(inline(pairs)));
            }
        }
    };
    let mut actions = ArrayOfTables::new();
    for ((kind, name), fields) in &places {
        let mut t = Table::new();
        if *kind == action {
            t.insert("id", Item::Value(Value::from(name.as_str())));
        }
        fill(&mut t, fields);
        match *kind {
            k if k == section => {
                doc.insert(name, Item::Table(t));
            }
            k if k == action => actions.push(t),
            _ => {}
        }
    }
    if !actions.is_empty() {
        doc.insert("actions", Item::ArrayOfTables(actions));
    }
    let mut actors = ArrayOfTables::new();
    for a in &s.actors {
        if redefine.contains(&a.id) {
            for t in actor_tables(s, a, &narrowed) {
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
            "\n# Not narrowed (values set by scripted events cannot be overridden by `extends`): {}\n",
            comment_text(&skipped.join(", "))
        ));
    }
    doc
}

/// Loads the calibrated scenario written at `path` (in a folder beside its
/// final place `dir`, so its `extends` resolves the same) and checks that it
/// extends `original` and is named after it: an internal error otherwise,
/// never a file left that says something else.
pub fn check_written(path: &Path, original: &Scenario, dir: &Path) -> std::io::Result<()> {
    let internal = |why: String| {
        std::io::Error::other(format!(
            "the calibrated scenario {} {why}; this is a bug in brink",
            path.display()
        ))
    };
    // Loaded with the root its own header names.
    let folder = path.parent().unwrap_or(Path::new("."));
    let options = crate::scenario::load::LoadOptions {
        scenario_root: scenario_root(&extends_path(original, dir)).map(|r| folder.join(r)),
    };
    let (loaded, _) = crate::scenario::load::load_with(path, &options)
        .map_err(|d| internal(format!("does not load:\n{d}")))?;
    if loaded.name != format!("{}-calibrated", original.name) {
        return Err(internal(format!("is named `{}`", loaded.name)));
    }
    // The chain lists the file itself, then its parent.
    let parent = loaded.origin.chain.get(1);
    let extends_original = parent
        .zip(original.origin.chain.first())
        .is_some_and(|(p, o)| {
            p.sha256 == o.sha256 && p.path.canonicalize().ok() == o.path.canonicalize().ok()
        });
    if !extends_original {
        return Err(internal("does not extend the original scenario".into()));
    }
    Ok(())
}

/// The text of the calibrated scenario, to be saved in folder `dir`.
pub fn render(s: &Scenario, cal: &Calibration, dir: &Path) -> String {
    document(s, cal, dir).to_string()
}
