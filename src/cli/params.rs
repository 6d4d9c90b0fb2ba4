//! `brink params`: every number of a scenario that `--set` and sweeps
//! accept, as a table or as JSON.

use brink::scenario::params::{
    CatalogueFile, ParamInfo, ParamKind, catalogue, describe_distribution,
};
use brink::scenario::{self, Scenario};

use super::EXIT_BAD_INPUT;
use super::args::ParamsArgs;
use super::output::emit;
use super::validate::count;

/// Width of the path column; a longer path gets a line of its own.
const PATH_WIDTH: usize = 48;
/// Width of the value column; a longer distribution is cut with `…`.
const VALUE_WIDTH: usize = 32;
/// Widest line of the table.
const LINE_WIDTH: usize = 100;

/// Prints the catalogue of a scenario.
pub fn params(a: &ParamsArgs) -> u8 {
    let s = match scenario::load_with(&a.scenario, &a.load.options()) {
        Ok((s, _)) => s,
        Err(diags) => {
            eprint!("{diags}");
            eprintln!(
                "{}: invalid, {}",
                a.scenario.display(),
                count(diags.error_count(), "error")
            );
            return EXIT_BAD_INPUT;
        }
    };
    if a.json {
        let mut text = match serde_json::to_string_pretty(&CatalogueFile::of(&s)) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {e}");
                return super::EXIT_FAILURE;
            }
        };
        text.push('\n');
        return emit(text.as_bytes());
    }
    emit(table(&s).as_bytes())
}

/// The catalogue as text: one section per kind, each number on one line
/// (path, value, unit) with its label and valid range under it.
fn table(s: &Scenario) -> String {
    let all = catalogue(s);
    let n = |k: ParamKind| all.iter().filter(|p| p.kind == k).count();
    let mut out = cut(&format!("{} ({})", s.title, s.name), LINE_WIDTH);
    out.push_str(&format!(
        "\n{} parameters: {} uncertain, {} fixed, {} structural\n",
        all.len(),
        n(ParamKind::Uncertain),
        n(ParamKind::Fixed),
        n(ParamKind::Structural)
    ));
    for o in &s.overrides {
        out.push_str(&format!("  set: {} = {}\n", o.path, show(o.value)));
    }
    let sections = [
        (ParamKind::Uncertain, "Uncertain: drawn in every trial"),
        (ParamKind::Fixed, "Fixed: one value"),
        (
            ParamKind::Structural,
            "Structural: compiled into the model (a sweep compiles it at each value)",
        ),
    ];
    for (kind, title) in sections {
        let rows: Vec<&ParamInfo> = all.iter().filter(|p| p.kind == kind).collect();
        if rows.is_empty() {
            continue;
        }
        out.push('\n');
        out.push_str(title);
        out.push('\n');
        out.push_str(&format!(
            "{:<PATH_WIDTH$} {:<VALUE_WIDTH$} UNIT\n",
            "PATH", "VALUE"
        ));
        for p in rows {
            row(&mut out, p);
        }
    }
    out
}

fn row(out: &mut String, p: &ParamInfo) {
    let value = p
        .distribution
        .as_ref()
        .map_or_else(|| show(p.value), describe_distribution);
    if p.path.chars().count() > PATH_WIDTH {
        out.push_str(&p.path);
        out.push('\n');
        out.push_str(&" ".repeat(PATH_WIDTH));
    } else {
        out.push_str(&format!("{:<PATH_WIDTH$}", p.path));
    }
    out.push_str(&format!(
        " {:<VALUE_WIDTH$} {}\n",
        cut(&value, VALUE_WIDTH),
        p.unit.name()
    ));
    let detail = format!("    {} [{}]", p.label, p.range.describe());
    out.push_str(&cut(&detail, LINE_WIDTH));
    out.push('\n');
}

/// `text` cut to `width` characters, the last one `…` when cut.
fn cut(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut s: String = text.chars().take(width - 1).collect();
    s.push('…');
    s
}

fn show(x: f64) -> String {
    brink::scenario::diagnostic::show_number(x)
}
