//! Experiment files: a scenario, named levers, uncertainties, a design.
//!
//! ```toml
//! [experiment]
//! name = "carrier-and-pause"        # result folder OUT/experiment-<name>/
//! scenario = "../muscat-2026.toml"  # relative to this file
//! trials = 200                      # per design point (default: the scenario's run.trials)
//! seed = 7                          # default: the scenario's run.seed
//!
//! [[levers]]
//! name = "status_quo"
//! label = "Status quo"
//! set = {}
//!
//! [[levers]]
//! name = "sanctions_pause"
//! set = { "actors.us.bias.sanction" = -1.0 }
//!
//! [[uncertainties]]
//! path = "initial.trust"
//! low = 0.05
//! high = 0.4
//!
//! [design]
//! kind = "latin_hypercube"
//! points = 64
//! ```
//!
//! An uncertainty is a range (`low`, `high`), a distribution written as in
//! scenario files (`distribution = { dist = "triangular", low = 0.1,
//! mode = 0.2, high = 0.4 }`), or, with neither, the distribution the
//! scenario gives the parameter. Every problem of the file (its TOML, its
//! keys, unknown parameter paths, values outside a parameter's range, a
//! lever and an uncertainty naming the same path, a missing scenario) is
//! reported at once with its line, column and a hint.

use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::design::{DESIGN_KINDS, DesignKind, Spread, has_quantile};
use super::{ExperimentSpec, Lever, Setting, Uncertainty, param_slot};
use crate::input::read_limited;
use crate::model::Model;
use crate::scenario::diagnostic::{Diagnostics, Severity, SourceFile, suggestion_hint};
use crate::scenario::number::Number;
use crate::scenario::{LoadOptions, Scenario};

/// The largest experiment file read.
pub const MAX_EXPERIMENT_FILE_BYTES: u64 = 1024 * 1024;

/// The most design points (levers x uncertainty points) an experiment may have.
pub const MAX_DESIGN_POINTS: u64 = 1_000_000;

const TOP_KEYS: [&str; 4] = ["experiment", "levers", "uncertainties", "design"];
const EXPERIMENT_KEYS: [&str; 6] = ["name", "scenario", "trials", "seed", "title", "description"];
const LEVER_KEYS: [&str; 4] = ["name", "label", "set", "description"];
const UNCERTAINTY_KEYS: [&str; 4] = ["path", "low", "high", "distribution"];
const DESIGN_KEYS: [&str; 5] = ["kind", "points", "levels", "samples", "rows"];

/// A checked experiment file with its scenario, loaded and compiled.
#[derive(Debug, Clone)]
pub struct ExperimentInput {
    /// The file.
    pub spec: ExperimentSpec,
    /// Its scenario.
    pub scenario: Scenario,
    /// The scenario compiled.
    pub model: Model,
}

type Value<'a> = Spanned<DeValue<'a>>;

struct Reader<'a> {
    src: &'a SourceFile,
    diags: Diagnostics,
}

impl Reader<'_> {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>, hint: impl Into<String>) {
        let d = self
            .src
            .diagnostic(Severity::Error, Some(span), message, Some(hint.into()));
        self.diags.push(d);
    }

    fn unknown_keys(&mut self, t: &DeTable<'_>, known: &[&str], what: &str) {
        for (k, _) in t {
            let key: &str = k.get_ref();
            if !known.contains(&key) {
                let hint = suggestion_hint(key, known, &format!("keys of {what}"));
                self.error(k.span(), format!("unknown key `{key}` in {what}"), hint);
            }
        }
    }

    fn string(&mut self, key: &str, v: &Value<'_>) -> Option<String> {
        match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => {
                self.error(
                    v.span(),
                    format!("`{key}` must be a string"),
                    format!("write it in quotes: {key} = \"...\""),
                );
                None
            }
        }
    }

    fn number(&mut self, key: &str, v: &Value<'_>) -> Option<f64> {
        let x = match v.get_ref() {
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            DeValue::Integer(i) => i128::from_str_radix(&i.as_str().replace('_', ""), i.radix())
                .ok()
                .map(|n| n as f64),
            _ => None,
        };
        match x {
            Some(x) if x.is_finite() => Some(x),
            _ => {
                self.error(
                    v.span(),
                    format!("`{key}` must be a finite number"),
                    format!("for example {key} = 0.5"),
                );
                None
            }
        }
    }

    fn integer(&mut self, key: &str, v: &Value<'_>, min: u64, max: u64) -> Option<u64> {
        let n = match v.get_ref() {
            DeValue::Integer(i) => {
                i128::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok()
            }
            _ => None,
        };
        match n {
            Some(n) if n >= i128::from(min) && n <= i128::from(max) => Some(n as u64),
            _ => {
                self.error(
                    v.span(),
                    format!("`{key}` must be a whole number from {min} to {max}"),
                    format!("for example {key} = {}", min.max(1) * 64),
                );
                None
            }
        }
    }

    fn table<'t>(&mut self, key: &str, v: &'t Value<'t>) -> Option<&'t DeTable<'t>> {
        match v.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => {
                self.error(
                    v.span(),
                    format!("`{key}` must be a table"),
                    format!("write it as [{key}]"),
                );
                None
            }
        }
    }

    fn tables<'t>(&mut self, key: &str, v: &'t Value<'t>) -> Vec<(&'t DeTable<'t>, Range<usize>)> {
        let DeValue::Array(items) = v.get_ref() else {
            self.error(
                v.span(),
                format!("`{key}` must be a list of tables"),
                format!("write each as a [[{key}]] table"),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            match item.get_ref() {
                DeValue::Table(t) => out.push((t, item.span())),
                _ => self.error(
                    item.span(),
                    format!("each of `{key}` must be a table"),
                    format!("write each as a [[{key}]] table"),
                ),
            }
        }
        out
    }
}

fn get<'t>(t: &'t DeTable<'t>, key: &str) -> Option<&'t Value<'t>> {
    t.get(key)
}

fn valid_name(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// A path as written, with where.
struct PathRef {
    path: String,
    span: Range<usize>,
}

/// What the file says before the scenario is known.
#[derive(Default)]
struct Raw {
    name: Option<String>,
    scenario: Option<(String, Range<usize>)>,
    trials: Option<u64>,
    seed: Option<u64>,
    levers: Vec<RawLever>,
    uncertainties: Vec<RawUncertainty>,
    design: Option<RawDesign>,
}

struct RawLever {
    name: String,
    label: Option<String>,
    set: Vec<(PathRef, f64, Range<usize>)>,
}

struct RawUncertainty {
    path: PathRef,
    range: Option<(f64, f64, Range<usize>)>,
    distribution: Option<(Number, Range<usize>)>,
}

struct RawDesign {
    kind: DesignKind,
    rows_spans: Vec<Range<usize>>,
    span: Range<usize>,
}

/// Reads and checks the experiment file at `path`, loads its scenario (with
/// `options`) and checks every parameter path and value against it; every
/// problem of either file at once.
pub fn load_experiment(path: &Path, options: &LoadOptions) -> Result<ExperimentInput, Diagnostics> {
    let whole = |message: String, hint: &str| {
        let mut d = Diagnostics::new();
        d.push(SourceFile::new(path, "").diagnostic(
            Severity::Error,
            None,
            message,
            Some(hint.into()),
        ));
        d
    };
    let bytes = read_limited(path, MAX_EXPERIMENT_FILE_BYTES).map_err(|e| {
        let hint = e.hint();
        whole(format!("cannot read the experiment file: {e}"), hint)
    })?;
    let text = String::from_utf8(bytes.clone()).map_err(|_| {
        whole(
            "the experiment file is not UTF-8 text".into(),
            "experiment files are TOML text saved as UTF-8",
        )
    })?;
    let sha256 = crate::scenario::load::hex_sha256(&bytes);
    let src = SourceFile::new(path, text.trim_start_matches('\u{feff}'));
    let (root, errors) = DeTable::parse_recoverable(&src.text);
    let mut r = Reader {
        src: &src,
        diags: Diagnostics::new(),
    };
    if !errors.is_empty() {
        for e in errors.into_iter().take(20) {
            let span = e.span().unwrap_or(0..0);
            r.error(
                span,
                format!("invalid TOML: {}", e.message().trim()),
                "see https://toml.io for the syntax",
            );
        }
        return Err(r.diags);
    }
    let root = root.into_inner();
    let raw = read_raw(&mut r, &root);
    // The scenario, resolved against the experiment file's folder.
    let base = path.parent().unwrap_or(Path::new(""));
    let mut loaded = None;
    if let Some((scenario, span)) = &raw.scenario {
        let scenario_path = base.join(scenario);
        match crate::scenario::load_with(&scenario_path, options) {
            Ok((s, _warnings)) => loaded = Some((s, scenario_path)),
            Err(d) => {
                let missing = !scenario_path.is_file();
                if missing {
                    r.error(
                        span.clone(),
                        format!(
                            "the scenario `{scenario}` does not exist (looked for {})",
                            scenario_path.display()
                        ),
                        "`scenario` is relative to the experiment file's folder",
                    );
                } else {
                    r.error(
                        span.clone(),
                        format!("the scenario `{scenario}` has errors (below)"),
                        "fix the scenario file, or name another one",
                    );
                    r.diags.extend(d);
                }
            }
        }
    }
    let checked = loaded.map(|(scenario, scenario_path)| {
        let model = Model::compile(&scenario);
        let parts = check_against(&mut r, &raw, &model);
        (scenario, scenario_path, model, parts)
    });
    if r.diags.has_errors() {
        return Err(r.diags);
    }
    let Some((scenario, scenario_path, model, (levers, uncertainties))) = checked else {
        return Err(r.diags);
    };
    let (Some(name), Some(design)) = (raw.name, raw.design) else {
        return Err(r.diags);
    };
    let spec = ExperimentSpec {
        path: path.to_path_buf(),
        sha256,
        name,
        scenario_path,
        trials: raw.trials,
        seed: raw.seed,
        levers,
        uncertainties,
        design: design.kind,
    };
    Ok(ExperimentInput {
        spec,
        scenario,
        model,
    })
}

fn read_raw(r: &mut Reader<'_>, root: &DeTable<'_>) -> Raw {
    let mut raw = Raw::default();
    r.unknown_keys(root, &TOP_KEYS, "an experiment file");
    match get(root, "experiment") {
        None => r.error(
            0..0,
            "the file has no [experiment] table",
            "start it with [experiment] giving `name` and `scenario`",
        ),
        Some(v) => {
            if let Some(t) = r.table("experiment", v) {
                r.unknown_keys(t, &EXPERIMENT_KEYS, "[experiment]");
                match get(t, "name") {
                    None => r.error(
                        v.span(),
                        "[experiment] has no `name`",
                        "add name = \"my-experiment\" (the result folder is experiment-<name>)",
                    ),
                    Some(n) => {
                        if let Some(name) = r.string("name", n) {
                            if valid_name(&name) {
                                raw.name = Some(name);
                            } else {
                                r.error(
                                    n.span(),
                                    format!("`{name}` is not an experiment name"),
                                    "names use lower-case letters, digits, `_` and `-` (at most 64), for example \"carrier-and-pause\"",
                                );
                            }
                        }
                    }
                }
                match get(t, "scenario") {
                    None => r.error(
                        v.span(),
                        "[experiment] has no `scenario`",
                        "add scenario = \"../muscat-2026.toml\" (relative to this file)",
                    ),
                    Some(s) => {
                        if let Some(text) = r.string("scenario", s) {
                            raw.scenario = Some((text, s.span()));
                        }
                    }
                }
                if let Some(n) = get(t, "trials") {
                    raw.trials = r.integer("trials", n, 1, 1_000_000_000_000);
                }
                if let Some(n) = get(t, "seed") {
                    raw.seed = r.integer("seed", n, 0, i64::MAX as u64);
                }
                for key in ["title", "description"] {
                    if let Some(x) = get(t, key) {
                        r.string(key, x);
                    }
                }
            }
        }
    }
    if let Some(v) = get(root, "levers") {
        let mut seen: Vec<(String, Range<usize>)> = Vec::new();
        for (t, span) in r.tables("levers", v) {
            r.unknown_keys(t, &LEVER_KEYS, "a lever");
            let name = match get(t, "name") {
                None => {
                    r.error(
                        span.clone(),
                        "a lever has no `name`",
                        "add name = \"status_quo\"",
                    );
                    None
                }
                Some(n) => r.string("name", n).and_then(|name| {
                    if !valid_name(&name) {
                        r.error(
                            n.span(),
                            format!("`{name}` is not a lever name"),
                            "names use lower-case letters, digits, `_` and `-` (at most 64), for example \"sanctions_pause\"",
                        );
                        None
                    } else if let Some((_, first)) = seen.iter().find(|(s, _)| *s == name) {
                        let (line, _) = r.src.position(first.start);
                        r.error(
                            n.span(),
                            format!("lever `{name}` is named twice"),
                            format!("it was first named on line {line}; lever names must be unique"),
                        );
                        None
                    } else {
                        seen.push((name.clone(), n.span()));
                        Some(name)
                    }
                }),
            };
            let label = get(t, "label").and_then(|l| r.string("label", l));
            if let Some(d) = get(t, "description") {
                r.string("description", d);
            }
            let mut set = Vec::new();
            if let Some(s) = get(t, "set") {
                match s.get_ref() {
                    DeValue::Table(st) => {
                        for (k, x) in st {
                            let path: &str = k.get_ref();
                            if let Some(value) = r.number(path, x) {
                                set.push((
                                    PathRef {
                                        path: path.to_string(),
                                        span: k.span(),
                                    },
                                    value,
                                    x.span(),
                                ));
                            }
                        }
                    }
                    _ => r.error(
                        s.span(),
                        "`set` must be a table of parameter paths and values",
                        "for example set = { \"actors.us.bias.sanction\" = -1.0 }",
                    ),
                }
            }
            if let Some(name) = name {
                raw.levers.push(RawLever { name, label, set });
            }
        }
    }
    if let Some(v) = get(root, "uncertainties") {
        for (t, span) in r.tables("uncertainties", v) {
            r.unknown_keys(t, &UNCERTAINTY_KEYS, "an uncertainty");
            let path = match get(t, "path") {
                None => {
                    r.error(
                        span.clone(),
                        "an uncertainty has no `path`",
                        "add path = \"initial.trust\"",
                    );
                    None
                }
                Some(p) => r.string("path", p).map(|path| PathRef {
                    path,
                    span: p.span(),
                }),
            };
            let low = get(t, "low").map(|x| (r.number("low", x), x.span()));
            let high = get(t, "high").map(|x| (r.number("high", x), x.span()));
            let distribution = get(t, "distribution").and_then(|d| read_distribution(r, d));
            let mut range = None;
            let mut ok = true;
            match (low, high) {
                (None, None) => {}
                (Some((Some(lo), lo_span)), Some((Some(hi), _))) => {
                    if lo > hi {
                        r.error(
                            lo_span.clone(),
                            format!("`low` ({lo}) is above `high` ({hi})"),
                            "swap them: low is the smallest value the design takes",
                        );
                        ok = false;
                    } else {
                        range = Some((lo, hi, lo_span));
                    }
                }
                (Some((_, s)), None) | (None, Some((_, s))) => {
                    r.error(
                        s,
                        "an uncertainty's range needs both `low` and `high`",
                        "write low = 0.05 and high = 0.4",
                    );
                    ok = false;
                }
                _ => ok = false,
            }
            if range.is_some()
                && let Some((_, s)) = &distribution
            {
                r.error(
                    s.clone(),
                    "an uncertainty has both a range and a distribution",
                    "keep either `low`/`high` or `distribution`",
                );
                ok = false;
            }
            if let (Some(path), true) = (path, ok) {
                raw.uncertainties.push(RawUncertainty {
                    path,
                    range,
                    distribution,
                });
            }
        }
    }
    match get(root, "design") {
        None => r.error(
            0..0,
            "the file has no [design] table",
            "add [design] with kind = \"latin_hypercube\" and points = 64",
        ),
        Some(v) => {
            if let Some(t) = r.table("design", v) {
                raw.design = read_design(r, t, v.span());
            }
        }
    }
    raw
}

fn read_distribution(r: &mut Reader<'_>, v: &Value<'_>) -> Option<(Number, Range<usize>)> {
    #[derive(Deserialize)]
    struct Holder {
        v: Number,
    }
    let span = v.span();
    let text = r.src.text.get(span.clone()).unwrap_or("");
    if !matches!(v.get_ref(), DeValue::Table(_)) || !text.trim_start().starts_with('{') {
        r.error(
            span,
            "`distribution` must be an inline table as in scenario files",
            "for example distribution = { dist = \"triangular\", low = 0.1, mode = 0.2, high = 0.4 }",
        );
        return None;
    }
    match toml::from_str::<Holder>(&format!("v = {text}")) {
        Ok(Holder {
            v: n @ Number::Uncertain(..),
        }) => Some((n, span)),
        Ok(_) => None,
        Err(e) => {
            r.error(
                span,
                format!("bad distribution: {}", e.message().trim()),
                "write it as in scenario files, e.g. { dist = \"uniform\", low = 0.1, high = 0.4 }",
            );
            None
        }
    }
}

fn read_design(r: &mut Reader<'_>, t: &DeTable<'_>, span: Range<usize>) -> Option<RawDesign> {
    r.unknown_keys(t, &DESIGN_KEYS, "[design]");
    let Some(k) = get(t, "kind") else {
        r.error(
            span,
            "[design] has no `kind`",
            format!("use one of {}", DESIGN_KINDS.join(", ")),
        );
        return None;
    };
    let kind = r.string("kind", k)?;
    let size_key = match kind.as_str() {
        "full_factorial" => "levels",
        "latin_hypercube" => "points",
        "sobol" | "saltelli" => "samples",
        "explicit" => "rows",
        other => {
            r.error(
                k.span(),
                format!("unknown design kind `{other}`"),
                suggestion_hint(other, &DESIGN_KINDS, "design kinds"),
            );
            return None;
        }
    };
    for key in ["points", "levels", "samples", "rows"] {
        if key != size_key
            && let Some(v) = get(t, key)
        {
            r.error(
                v.span(),
                format!("a {kind} design does not take `{key}`"),
                format!("give its size with `{size_key}`"),
            );
        }
    }
    let Some(size) = get(t, size_key) else {
        r.error(
            span,
            format!("a {kind} design needs `{size_key}`"),
            match size_key {
                "rows" => "add rows = [[0.1, 0.2], [0.3, 0.4]], one value per uncertainty".into(),
                _ => format!("add {size_key} = 64"),
            },
        );
        return None;
    };
    let mut rows_spans = Vec::new();
    let kind = match size_key {
        "levels" => DesignKind::FullFactorial {
            levels: r.integer("levels", size, 1, 1000)?,
        },
        "points" => DesignKind::LatinHypercube {
            points: r.integer("points", size, 1, MAX_DESIGN_POINTS)?,
        },
        "samples" => DesignKind::Saltelli {
            samples: r.integer("samples", size, 1, MAX_DESIGN_POINTS)?,
        },
        _ => {
            let DeValue::Array(items) = size.get_ref() else {
                r.error(
                    size.span(),
                    "`rows` must be a list of rows",
                    "for example rows = [[0.1, 0.2], [0.3, 0.4]]",
                );
                return None;
            };
            let mut rows = Vec::new();
            for item in items {
                let DeValue::Array(cells) = item.get_ref() else {
                    r.error(
                        item.span(),
                        "each row must be a list of numbers",
                        "one value per uncertainty, in their order: [0.1, 0.2]",
                    );
                    continue;
                };
                let row: Vec<Option<f64>> =
                    cells.iter().map(|c| r.number("a row's value", c)).collect();
                if row.iter().all(Option::is_some) {
                    rows.push(row.into_iter().flatten().collect());
                    rows_spans.push(item.span());
                }
            }
            if items.is_empty() {
                r.error(
                    size.span(),
                    "`rows` is empty",
                    "give at least one row, one value per uncertainty",
                );
            }
            DesignKind::Explicit { rows }
        }
    };
    Some(RawDesign {
        kind,
        rows_spans,
        span,
    })
}

/// Checks the raw file against the scenario's model: every path known, no
/// path both a lever's and an uncertainty's, every value in its range.
fn check_against(r: &mut Reader<'_>, raw: &Raw, model: &Model) -> (Vec<Lever>, Vec<Uncertainty>) {
    let slot_of = |r: &mut Reader<'_>, p: &PathRef| match param_slot(model, &p.path) {
        Ok(s) => Some(s),
        Err(e) => {
            r.error(
                p.span.clone(),
                e.message,
                e.hint
                    .unwrap_or_else(|| "see `brink validate --list-params`".into()),
            );
            None
        }
    };
    let in_bounds = |r: &mut Reader<'_>, slot: u32, path: &str, x: f64, span: &Range<usize>| {
        let (lo, hi) = model.params.bounds[slot as usize];
        if x < lo || x > hi {
            r.error(
                span.clone(),
                format!("{x} is outside the valid range of `{path}` ({lo} to {hi})"),
                format!("use a value from {lo} to {hi}"),
            );
            false
        } else {
            true
        }
    };
    let mut levers = Vec::new();
    for l in &raw.levers {
        let mut set = Vec::new();
        for (p, value, vspan) in &l.set {
            if let Some(slot) = slot_of(r, p)
                && in_bounds(r, slot, &p.path, *value, vspan)
            {
                set.push(Setting {
                    path: p.path.clone(),
                    slot,
                    value: *value,
                });
            }
        }
        levers.push(Lever {
            name: l.name.clone(),
            label: l.label.clone().unwrap_or_else(|| l.name.clone()),
            set,
        });
    }
    if raw.levers.is_empty() {
        levers.push(Lever {
            name: "scenario".into(),
            label: "The scenario as written".into(),
            set: Vec::new(),
        });
    }
    let mut uncertainties: Vec<Uncertainty> = Vec::new();
    for u in &raw.uncertainties {
        let Some(slot) = slot_of(r, &u.path) else {
            continue;
        };
        let path = &u.path.path;
        if let Some(l) = raw
            .levers
            .iter()
            .find(|l| l.set.iter().any(|(p, _, _)| p.path == *path))
        {
            r.error(
                u.path.span.clone(),
                format!("`{path}` is both set by lever `{}` and an uncertainty", l.name),
                "a parameter is either a policy choice (a lever) or uncertain; remove it from one of them",
            );
            continue;
        }
        if uncertainties.iter().any(|x| x.path == *path) {
            r.error(
                u.path.span.clone(),
                format!("`{path}` is named by two uncertainties"),
                "name each uncertain parameter once",
            );
            continue;
        }
        let bounds = model.params.bounds[slot as usize];
        let spread = match (&u.range, &u.distribution) {
            (Some((lo, hi, span)), _) => {
                if !in_bounds(r, slot, path, *lo, span) || !in_bounds(r, slot, path, *hi, span) {
                    continue;
                }
                Spread::Range {
                    low: *lo,
                    high: *hi,
                }
            }
            (None, Some((Number::Uncertain(dist, _), span))) => {
                if !has_quantile(dist) {
                    r.error(
                        span.clone(),
                        format!("a {} distribution cannot be used in a design", dist.kind()),
                        "use a range (low, high) or a uniform, normal, triangular, lognormal or choice distribution",
                    );
                    continue;
                }
                Spread::Distribution {
                    dist: dist.clone(),
                    bounds,
                }
            }
            _ => match &model.params.dists[slot as usize] {
                Some(dist) if has_quantile(dist) => Spread::Distribution {
                    dist: dist.clone(),
                    bounds,
                },
                Some(dist) => {
                    r.error(
                        u.path.span.clone(),
                        format!(
                            "the scenario draws `{path}` from a {} distribution, which a design cannot use",
                            dist.kind()
                        ),
                        "give the uncertainty a range: low = ..., high = ...",
                    );
                    continue;
                }
                None => {
                    r.error(
                        u.path.span.clone(),
                        format!("`{path}` is not uncertain in the scenario and has no range here"),
                        "give it a range (low = ..., high = ...) or a distribution",
                    );
                    continue;
                }
            },
        };
        uncertainties.push(Uncertainty {
            path: path.clone(),
            slot,
            spread,
        });
    }
    if let Some(d) = &raw.design {
        if let DesignKind::Explicit { rows } = &d.kind {
            let k = raw.uncertainties.len();
            for (row, span) in rows.iter().zip(&d.rows_spans) {
                if row.len() != k {
                    r.error(
                        span.clone(),
                        format!("this row has {} values for {k} uncertainties", row.len()),
                        "give one value per uncertainty, in the order of [[uncertainties]]",
                    );
                } else if uncertainties.len() == k {
                    for (x, u) in row.iter().zip(&uncertainties) {
                        in_bounds(r, u.slot, &u.path, *x, span);
                    }
                }
            }
        }
        let total = d
            .kind
            .points(raw.uncertainties.len())
            .saturating_mul(levers.len() as u64);
        if total > MAX_DESIGN_POINTS {
            r.error(
                d.span.clone(),
                format!("the design has {total} design points (levers x points), more than {MAX_DESIGN_POINTS}"),
                "use fewer levels, points or samples",
            );
        }
    }
    (levers, uncertainties)
}
