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
use std::fmt::Write;
use std::path::{Component, Path, PathBuf};

use crate::analysis::calibrate::Calibration;
use crate::distribution::Distribution;
use crate::scenario::{Actor, Param, Policy, Preference, Scenario};

/// A number as TOML text (always with a decimal point or exponent).
fn number(x: f64) -> String {
    format!("{x:?}")
}

/// A distribution as a TOML inline table.
pub fn distribution(d: &Distribution) -> String {
    let list = |v: &[f64]| v.iter().map(|x| number(*x)).collect::<Vec<_>>().join(", ");
    match d {
        Distribution::Uniform { low, high } => {
            format!(
                "{{ dist = \"uniform\", low = {}, high = {} }}",
                number(*low),
                number(*high)
            )
        }
        Distribution::Normal { mean, sd } => format!(
            "{{ dist = \"normal\", mean = {}, sd = {} }}",
            number(*mean),
            number(*sd)
        ),
        Distribution::Triangular { low, mode, high } => format!(
            "{{ dist = \"triangular\", low = {}, mode = {}, high = {} }}",
            number(*low),
            number(*mode),
            number(*high)
        ),
        Distribution::Beta {
            alpha,
            beta,
            low,
            high,
        } => format!(
            "{{ dist = \"beta\", alpha = {}, beta = {}, low = {}, high = {} }}",
            number(*alpha),
            number(*beta),
            number(*low),
            number(*high)
        ),
        Distribution::LogNormal { median, sigma } => {
            format!(
                "{{ dist = \"lognormal\", median = {}, sigma = {} }}",
                number(*median),
                number(*sigma)
            )
        }
        Distribution::Choice { values, weights } => {
            format!(
                "{{ dist = \"choice\", values = [{}], weights = [{}] }}",
                list(values),
                list(weights)
            )
        }
    }
}

fn param_text(p: &Param, narrowed: &BTreeMap<String, String>) -> String {
    if let Some(t) = narrowed.get(&p.path) {
        return t.clone();
    }
    match &p.dist {
        Some(d) => distribution(d),
        None => number(p.value),
    }
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

fn write_actor(out: &mut String, s: &Scenario, a: &Actor, narrowed: &BTreeMap<String, String>) {
    let names = |idx: &[usize]| {
        idx.iter()
            .map(|&g| format!("\"{}\"", s.actions[g].id))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let own: Vec<&str> = a
        .actions
        .iter()
        .map(|&g| s.actions[g].id.as_str())
        .collect();
    let _ = writeln!(out, "\n[[actors]]\nid = \"{}\"\nremove = true\n", a.id);
    let _ = writeln!(out, "[[actors]]\nid = \"{}\"\nname = {:?}", a.id, a.name);
    let role = match a.role {
        crate::scenario::Role::Principal => "principal",
        crate::scenario::Role::Mediator => "mediator",
    };
    let _ = writeln!(out, "role = \"{role}\"");
    match &a.policy {
        Policy::Logit => {
            let _ = writeln!(out, "actions = [{}]", names(&a.actions));
        }
        Policy::Fixed(probs) => {
            let entries: Vec<String> = own
                .iter()
                .zip(probs)
                .map(|(n, p)| format!("{n} = {}", number(p.value)))
                .collect();
            let _ = writeln!(
                out,
                "policy = \"fixed\"\nactions = [{}]\nprobabilities = {{ {} }}",
                names(&a.actions),
                entries.join(", ")
            );
        }
    }
    let responds: Vec<String> = a
        .responds_to
        .iter()
        .map(|&k| format!("\"{}\"", s.actors[k].id))
        .collect();
    let _ = writeln!(out, "responds_to = [{}]", responds.join(", "));
    for (key, p) in [
        ("rationality", &a.rationality),
        ("reciprocity", &a.reciprocity),
        ("risk_aversion", &a.risk_aversion),
        ("distrust", &a.distrust),
    ] {
        let _ = writeln!(out, "{key} = {}", param_text(p, narrowed));
    }
    let prefs: Vec<String> = a
        .preferences
        .iter()
        .map(|(k, p)| {
            let name = match k {
                Preference::Var(v) => v.name(),
                Preference::Rung => "rung",
            };
            format!("{name} = {}", param_text(p, narrowed))
        })
        .collect();
    let _ = writeln!(out, "preferences = {{ {} }}", prefs.join(", "));
    let bias: Vec<String> = a
        .bias
        .iter()
        .map(|(l, p)| format!("{} = {}", own[*l], param_text(p, narrowed)))
        .collect();
    let _ = writeln!(out, "bias = {{ {} }}", bias.join(", "));
    for rl in &a.red_lines {
        let favour: Vec<String> = rl
            .favour
            .iter()
            .map(|(l, p)| format!("{} = {}", own[*l], param_text(p, narrowed)))
            .collect();
        let _ = writeln!(
            out,
            "[[actors.red_lines]]\nwhen = \"{}\"\nfavour = {{ {} }}",
            rl.when,
            favour.join(", ")
        );
    }
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

/// The text of the calibrated scenario, to be saved in folder `dir`.
pub fn render(s: &Scenario, cal: &Calibration, dir: &Path) -> String {
    let mut narrowed = BTreeMap::new();
    for p in &cal.parameters {
        if let Some(q) = &p.posterior {
            // Four significant digits are plenty for a narrowed assumption.
            let round = |x: f64| format!("{x:.3e}").parse::<f64>().unwrap_or(x);
            let (low, mode, high) = (round(q.q025), round(q.median), round(q.q975));
            let text = if high > low {
                distribution(&Distribution::Triangular {
                    low,
                    mode: mode.clamp(low, high),
                    high,
                })
            } else {
                number(mode)
            };
            narrowed.insert(p.parameter.clone(), text);
        }
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# {} calibrated by `brink calibrate` ({} of {} samples accepted, {} trials each, seed {}).\n\
         # Each calibrated parameter is triangular over the central 95% of the accepted\n\
         # samples, peaking at their median; see calibration.json beside this file.\n",
        s.title, cal.accepted, cal.samples, cal.trials_per_sample, cal.seed
    );
    let extends = extends_path(s, dir);
    if let Some(root) = scenario_root(&extends) {
        let _ = writeln!(
            out,
            "# Its parent lies outside this folder: run it from here with\n\
             # `brink run --scenario-root {root} {}`.\n",
            file_name(s)
        );
    }
    let _ = writeln!(out, "extends = {extends:?}\n");
    let _ = writeln!(
        out,
        "[scenario]\nname = \"{}-calibrated\"\ntitle = {:?}\ndescription = {:?}",
        s.name,
        format!("{} (calibrated)", s.title),
        format!(
            "{} Uncertain parameters narrowed to the values consistent with the calibration targets.",
            s.description.trim()
        )
    );

    // Where each narrowed value goes: (kind, name) -> sub-table ("" for a
    // plain field) -> key = value.
    type Fields = BTreeMap<String, BTreeMap<String, String>>;
    let mut places: BTreeMap<(u8, String), Fields> = BTreeMap::new();
    let mut put = |kind: u8, name: &str, table: &str, key: &str, text: &str| {
        places
            .entry((kind, name.to_string()))
            .or_default()
            .entry(table.to_string())
            .or_default()
            .insert(key.to_string(), text.to_string());
    };
    let (section, action, actor) = (0u8, 1u8, 2u8);
    let mut redefine: Vec<String> = Vec::new();
    let mut skipped = Vec::new();
    for (path, text) in &narrowed {
        let parts: Vec<&str> = path.split('.').collect();
        match parts.as_slice() {
            [
                name @ ("initial" | "outcomes" | "dynamics" | "incidents"),
                field,
            ] => put(section, name, "", field, text),
            ["incidents", "weights", var] => put(section, "incidents", "weights", var, text),
            ["actions", id, "effects", var] => put(action, id, "effects", var, text),
            ["actions", id, field] => put(action, id, "", field, text),
            ["actors", id, "red_lines", ..] => {
                if !redefine.contains(&id.to_string()) {
                    redefine.push((*id).to_string());
                }
            }
            ["actors", id, table @ ("preferences" | "bias"), key] => {
                put(actor, id, table, key, text)
            }
            ["actors", id, field] => put(actor, id, "", field, text),
            _ => skipped.push(path.clone()),
        }
    }
    let write_fields = |out: &mut String, fields: &Fields| {
        for (table, entries) in fields {
            if table.is_empty() {
                for (k, v) in entries {
                    let _ = writeln!(out, "{k} = {v}");
                }
            } else {
                let inner: Vec<String> =
                    entries.iter().map(|(k, v)| format!("{k} = {v}")).collect();
                let _ = writeln!(out, "{table} = {{ {} }}", inner.join(", "));
            }
        }
    };
    for ((kind, name), fields) in &places {
        match *kind {
            0 => {
                let _ = writeln!(out, "\n[{name}]");
            }
            1 => {
                let _ = writeln!(out, "\n[[actions]]\nid = \"{name}\"");
            }
            _ => continue,
        }
        write_fields(&mut out, fields);
    }
    for a in &s.actors {
        if redefine.contains(&a.id) {
            write_actor(&mut out, s, a, &narrowed);
        } else if let Some(fields) = places.get(&(actor, a.id.clone())) {
            let _ = writeln!(out, "\n[[actors]]\nid = \"{}\"", a.id);
            write_fields(&mut out, fields);
        }
    }
    if !skipped.is_empty() {
        let _ = writeln!(
            out,
            "\n# Not narrowed (values set by scripted events cannot be overridden by `extends`): {}",
            skipped.join(", ")
        );
    }
    out
}
