//! The source tree's dependencies point one way (`docs/architecture.md`).
//!
//! Reads every file under `src/`, finds the modules each one names
//! (`use crate::…`, `crate::…` and `super::…` paths, and `brink::…` in the
//! command-line binary), and checks two rules:
//!
//! 1. no import cycle between files;
//! 2. a top-level module imports only modules of lower layers (or itself),
//!    in the order `LAYERS` gives.
//!
//! A change that adds a cycle or an import that runs back up fails here,
//! naming the files and the path that ties them.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Top-level modules from the ground up; a module may import only modules
/// of lower layers. Modules of one layer do not import each other.
const LAYERS: &[&[&str]] = &[
    // The outcomes, the vocabulary, and building blocks every layer may use.
    &["outcome", "format", "rng"],
    &["world", "distribution", "input", "limits", "error"],
    &["observe"],
    &["scenario"],
    &["model"],
    &["stats"],
    &["question"],
    &["engine"],
    &["analysis", "trace", "compare"],
    // Files of a result: tables, manifests, staging and the atomic commit.
    &["output"],
    // Tables, and the formats they are written in (CSV, Parquet).
    &["export"],
    &["plot"],
    &["report"],
    // Shards, checkpoints and the checks of a merge.
    &["shard"],
    &["jobs"],
    // The library's front door.
    &["facade"],
    // The command line, and the crate root that re-exports the facade.
    &["cli", "main", "lib"],
];

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The module path of a file: `src/engine/trial.rs` -> `["engine", "trial"]`,
/// `src/engine/mod.rs` -> `["engine"]`, `src/lib.rs` -> `[]`.
fn module_of(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src()).unwrap();
    let mut parts: Vec<String> = rel
        .iter()
        .map(|c| c.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_string());
    }
    // The binary's modules (`src/cli/…`, `src/main.rs`) stand beside the library's.
    parts
}

/// The file that defines module `path`, or the longest prefix of it that a
/// file defines (`engine::trial::TrialRunner` -> `src/engine/trial.rs`).
fn file_of(path: &[String]) -> Option<PathBuf> {
    for n in (1..=path.len()).rev() {
        let base = src().join(path[..n].join("/"));
        let file = base.with_extension("rs");
        if file.is_file() {
            return Some(file);
        }
        let m = base.join("mod.rs");
        if m.is_file() {
            return Some(m);
        }
    }
    None
}

/// Source without comments and without the unit tests at the end of a file.
fn code(text: &str) -> String {
    let text = text
        .find("#[cfg(test)]\nmod tests")
        .map_or(text, |i| &text[..i]);
    text.lines()
        .map(|l| l.find("//").map_or(l, |i| &l[..i]))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Expands `use` trees: `a::{b, c::{d, e}}` -> `a::b`, `a::c::d`, `a::c::e`.
fn expand(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else {
        return vec![tree];
    };
    let prefix = &tree[..open];
    let close = tree.rfind('}').filter(|&c| c > open).unwrap_or(tree.len());
    let inner = &tree[open + 1..close];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, ch) in inner.char_indices() {
        match ch {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| expand(p).into_iter().map(move |q| format!("{prefix}{q}")))
        .collect()
}

/// Every path a file names that starts at the crate root or a parent module.
fn named_paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    // `use` statements, whole trees (they start a line).
    let mut rest = code;
    while !rest.is_empty() {
        let line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let line = rest[..line_end].trim_start();
        let stmt = ["use ", "pub use ", "pub(crate) use ", "pub(super) use "]
            .iter()
            .find_map(|p| line.strip_prefix(p));
        match stmt {
            Some(tree) => {
                // The tree runs from here to the `;`, perhaps over lines.
                let text = &rest[line_end - tree.len()..];
                let end = text.find(';').unwrap_or(text.len());
                out.extend(expand(&text[..end]));
                rest = &text[end..];
            }
            None => rest = &rest[line_end..],
        }
    }
    // Paths written inline.
    for start in ["crate::", "super::", "brink::"] {
        let mut rest = code;
        while let Some(i) = rest.find(start) {
            let before = rest[..i].chars().last();
            let tail = &rest[i..];
            let end = tail
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(tail.len());
            if !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                out.push(tail[..end].to_string());
            }
            rest = &rest[i + start.len()..];
        }
    }
    out
}

/// Resolves a named path to module segments from the crate root. The
/// binary's `crate::` is `src/main.rs`, whose modules (`cli`) sit beside the
/// library's, so one root serves both; `brink::` is the library from the binary.
fn resolve(path: &str, module: &[String]) -> Option<Vec<String>> {
    let mut segs = path
        .trim_start_matches("::")
        .split("::")
        .filter(|s| !s.is_empty());
    let mut base: Vec<String> = match segs.next()? {
        "crate" | "brink" => Vec::new(),
        first @ ("super" | "self") => {
            let mut base = module.to_vec();
            let mut rest: Vec<&str> = vec![first];
            rest.extend(segs.by_ref().take_while(|s| matches!(*s, "super" | "self")));
            for s in rest {
                if s == "super" {
                    base.pop();
                }
            }
            // `take_while` consumed the first segment after the `super`s.
            let mut all: Vec<String> = base;
            let tail = path
                .split("::")
                .skip_while(|s| matches!(*s, "super" | "self" | ""))
                .map(str::to_string);
            all.extend(tail);
            return Some(all);
        }
        _ => return None,
    };
    base.extend(segs.map(str::to_string));
    Some(base)
}

/// The graph: each file and the files it imports.
fn graph() -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut g = BTreeMap::new();
    for f in &files {
        let module = module_of(f);
        let text = code(&fs::read_to_string(f).unwrap());
        let mut deps = BTreeSet::new();
        for p in named_paths(&text) {
            if let Some(target) = resolve(&p, &module)
                .filter(|t| !t.is_empty())
                .and_then(|t| file_of(&t))
                && &target != f
            {
                deps.insert(target);
            }
        }
        g.insert(f.clone(), deps);
    }
    g
}

fn short(p: &Path) -> String {
    p.strip_prefix(src().parent().unwrap())
        .unwrap()
        .display()
        .to_string()
}

fn layer_of(file: &Path) -> Option<(usize, String)> {
    let rel = file.strip_prefix(src()).unwrap();
    let top = rel.iter().next()?.to_string_lossy().into_owned();
    let top = top.trim_end_matches(".rs").to_string();
    LAYERS
        .iter()
        .position(|l| l.contains(&top.as_str()))
        .map(|i| (i, top))
}

#[test]
fn no_import_cycles_between_files() {
    let g = graph();
    // Tarjan's strongly connected components.
    struct State<'a> {
        g: &'a BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        index: BTreeMap<&'a Path, usize>,
        low: BTreeMap<&'a Path, usize>,
        stack: Vec<&'a Path>,
        on: BTreeSet<&'a Path>,
        next: usize,
        found: Vec<Vec<&'a Path>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a Path) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on.insert(v);
        for w in s.g.get(v).into_iter().flatten() {
            let w = w.as_path();
            if !s.index.contains_key(w) {
                visit(s, w);
                let l = s.low[w].min(s.low[v]);
                s.low.insert(v, l);
            } else if s.on.contains(w) {
                let l = s.index[w].min(s.low[v]);
                s.low.insert(v, l);
            }
        }
        if s.low[v] == s.index[v] {
            let mut scc = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on.remove(w);
                scc.push(w);
                if w == v {
                    break;
                }
            }
            if scc.len() > 1 {
                s.found.push(scc);
            }
        }
    }
    let mut s = State {
        g: &g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        next: 0,
        found: Vec::new(),
    };
    for v in g.keys() {
        if !s.index.contains_key(v.as_path()) {
            visit(&mut s, v);
        }
    }
    let cycles: Vec<String> = s
        .found
        .iter()
        .map(|scc| {
            let set: BTreeSet<&Path> = scc.iter().copied().collect();
            let ties: Vec<String> = scc
                .iter()
                .flat_map(|a| {
                    g[*a]
                        .iter()
                        .filter(|b| set.contains(b.as_path()))
                        .map(move |b| format!("{} -> {}", short(a), short(b)))
                })
                .collect();
            ties.join(", ")
        })
        .collect();
    assert!(
        cycles.is_empty(),
        "import cycles between files:\n  {}",
        cycles.join("\n  ")
    );
}

#[test]
fn modules_import_only_lower_layers() {
    let g = graph();
    let mut wrong = Vec::new();
    for (from, deps) in &g {
        let Some((la, a)) = layer_of(from) else {
            wrong.push(format!(
                "{} is in no layer: add its module to LAYERS in tests/layers.rs",
                short(from)
            ));
            continue;
        };
        for to in deps {
            let Some((lb, b)) = layer_of(to) else {
                continue;
            };
            if a != b && lb >= la {
                wrong.push(format!(
                    "{} ({a}) imports {} ({b}), which is not below it",
                    short(from),
                    short(to)
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that run back up or sideways:\n  {}",
        wrong.join("\n  ")
    );
}

#[test]
fn the_reader_finds_imports() {
    assert_eq!(
        expand("crate::a::{b, c::{d, e}}"),
        vec!["crate::a::b", "crate::a::c::d", "crate::a::c::e"]
    );
    let paths = named_paths("use super::x::Y;\nfn f() { crate::engine::simulate(); }");
    assert!(paths.contains(&"super::x::Y".to_string()), "{paths:?}");
    assert!(paths.contains(&"crate::engine::simulate".to_string()));
    let g = graph();
    let trial = src().join("engine/trial.rs");
    assert!(
        g[&trial].contains(&src().join("model/mod.rs")),
        "{:?}",
        g[&trial]
    );
    assert!(g[&trial].contains(&src().join("rng.rs")));
}
