//! Scenario inheritance: `extends = "parent.toml"` takes the parent scenario
//! and overrides only what the child states.
//!
//! The merge works on the TOML trees, before any typed deserialization, so
//! every value keeps the span of the file it was written in (see
//! [`SourceMap`]): an error in an inherited value points into the parent.
//!
//! Merge rules (`docs/scenario-format.md`, "Inheritance (extends)"):
//!
//! - tables merge key by key, recursively; a key the child states replaces
//!   the parent's value, other keys are inherited; a distribution (a table
//!   with `dist`) replaces the inherited number or distribution whole;
//! - scalars and plain arrays (whose items are not tables) replace; an empty
//!   array replaces too, so `events = []` clears the inherited events;
//! - arrays of tables whose child entries all have an `id` (`[[actions]]`,
//!   `[[actors]]`) merge by id: an entry with an inherited id merges into the
//!   inherited entry by these same rules and keeps its place, a new id is
//!   appended, and `remove = true` (with only `id`, and optionally `note`)
//!   removes the inherited entry;
//! - arrays of tables without ids (`[[events]]`, `[[actors.red_lines]]`)
//!   append the child's entries after the inherited ones; an entry with
//!   `remove = true` instead removes every inherited entry that has all of its
//!   other values (`note` aside), and must match at least one.
//!
//! A file that extends another must name itself (`[scenario] name`), with a
//! name other than its parent's, since outputs are named after the scenario.
//! Chains of parents work; a cycle is an error that prints the chain. Where
//! a parent may be is decided in [`super::parent`]: relative to the file
//! naming it, a regular `.toml` file, inside the scenario root.
//!
//! Identity: the scenario hash of a chain is the sha256 of the hex sha256 of
//! each file, each followed by a newline, the scenario's own file first and
//! its oldest ancestor last. A file without `extends` keeps the sha256 of its
//! bytes.

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use crate::input::{ReadError, read_limited};

use super::diagnostic::{Diagnostics, Severity, SourceFile};
use super::digest::hex_sha256;
use super::parent::{LoadOptions, Root, clean};
use super::sources::SourceMap;
use super::text::{MAX_FILE_BYTES, decode};

/// The top-level key naming a scenario's parent.
pub const EXTENDS_KEY: &str = "extends";
/// The key of a child entry that removes an inherited entry.
pub const REMOVE_KEY: &str = "remove";
/// A key ignored when matching entries to remove.
const NOTE_KEY: &str = "note";
/// Longest chain of parents accepted.
pub const MAX_DEPTH: usize = 16;

/// One file of an inheritance chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainFile {
    /// The path as given (the scenario) or as resolved from `extends` (parents).
    pub path: PathBuf,
    /// Hex sha256 of the file's bytes.
    pub sha256: String,
}

/// A scenario file and all its ancestors, read and parsed but not merged.
#[derive(Debug, Clone)]
pub struct Chain {
    sources: SourceMap,
    files: Vec<ChainFile>,
}

impl Chain {
    /// Reads the ancestors of `top` (whose bytes hash to `sha256`),
    /// reporting TOML syntax errors, refused or unreadable parents and cycles.
    pub fn read(
        top: SourceFile,
        sha256: String,
        options: &LoadOptions,
        diags: &mut Diagnostics,
    ) -> Option<Chain> {
        let mut files = vec![ChainFile {
            path: top.path.clone(),
            sha256,
        }];
        let mut identities = vec![identity(&top.path)];
        let mut root: Option<Root> = None;
        let mut sources = SourceMap::new(top);
        // The name the previous file (the child) gives itself, and where.
        let mut child_name: Option<(String, Range<usize>)> = None;
        let mut i = 0;
        loop {
            let file = &sources.files()[i];
            let tree = super::parse::parse_file(file, diags)?;
            let own_name = name_of(&tree);
            if let (Some((child, at)), Some((parent, _))) = (&child_name, &own_name)
                && child == parent
            {
                let child_file = &sources.files()[i - 1];
                diags.push(
                    child_file.diagnostic(
                        Severity::Error,
                        Some(at.clone()),
                        format!("the scenario has the name of its parent, `{parent}`"),
                        Some(
                            "give it a name of its own: outputs are named after the scenario, \
                         and the two would overwrite each other"
                                .into(),
                        ),
                    ),
                );
                return None;
            }
            let Some(ext) = tree.get(EXTENDS_KEY) else {
                break;
            };
            let span = ext.span();
            let mut fail = |message: String, hint: Option<String>| {
                diags.push(file.diagnostic(Severity::Error, Some(span.clone()), message, hint));
                None
            };
            let DeValue::String(rel) = ext.get_ref() else {
                return fail(
                    format!(
                        "`extends` must be the path of the parent scenario, found {}",
                        ext.get_ref().type_str()
                    ),
                    Some("for example `extends = \"muscat-2026.toml\"`".into()),
                );
            };
            if own_name.is_none() {
                return fail(
                    "a scenario that extends another needs its own `[scenario]` name".into(),
                    Some(
                        "add `[scenario]` with `name = \"...\"`: outputs are named after it, \
                         and the parent's name would make the two overwrite each other"
                            .into(),
                    ),
                );
            }
            if files.len() > MAX_DEPTH {
                return fail(
                    format!("more than {MAX_DEPTH} parents in the chain of `extends`"),
                    Some("shorten the chain: let a scenario extend a parent higher up".into()),
                );
            }
            if root.is_none() {
                match Root::find(&files[0].path, options) {
                    Ok(r) => root = Some(r),
                    Err((message, hint)) => return fail(message, Some(hint)),
                }
            }
            let Some(scenario_root) = &root else {
                return None;
            };
            let (parent, canonical) = match scenario_root.resolve(&file.path, rel) {
                Ok(p) => p,
                Err((message, hint)) => return fail(message, Some(hint)),
            };
            if let Some(k) = identities.iter().position(|p| *p == canonical) {
                let mut chain: Vec<String> =
                    files.iter().map(|f| f.path.display().to_string()).collect();
                chain.push(files[k].path.display().to_string());
                return fail(
                    format!("`extends` makes a cycle: {}", chain.join(" -> ")),
                    Some("a scenario cannot inherit from itself; remove one `extends`".into()),
                );
            }
            let bytes = match read_limited(&canonical, MAX_FILE_BYTES as u64) {
                Ok(b) => b,
                Err(e) => {
                    let reason = match &e {
                        ReadError::NotAFile { what, .. } => {
                            format!("it is {what}, not a regular file")
                        }
                        ReadError::TooLarge { .. } => format!(
                            "it is larger than {MAX_FILE_BYTES} bytes, the limit for scenario files"
                        ),
                        ReadError::Io { error, .. } => error.to_string(),
                    };
                    return fail(
                        format!(
                            "cannot read the parent scenario `{}`: {reason}",
                            parent.display()
                        ),
                        Some(e.hint().into()),
                    );
                }
            };
            let text = match decode(&parent, &bytes) {
                Ok(t) => t,
                Err(d) => {
                    fail(
                        format!(
                            "the parent scenario `{}` is not scenario text",
                            parent.display()
                        ),
                        Some("see the error reported in that file".into()),
                    );
                    diags.push(*d);
                    return None;
                }
            };
            files.push(ChainFile {
                path: parent.clone(),
                sha256: hex_sha256(&bytes),
            });
            identities.push(canonical);
            child_name = own_name;
            sources.push(SourceFile::new(parent, text));
            i += 1;
        }
        Some(Chain { sources, files })
    }

    /// The files, laid out in one offset space (the scenario's own file first).
    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    /// The files, the scenario's own first, then its parent, and so on.
    pub fn files(&self) -> &[ChainFile] {
        &self.files
    }

    /// The identity of the scenario: the sha256 of its file alone, or for a
    /// chain the sha256 of the files' hex hashes, one per line, own file first.
    pub fn sha256(&self) -> String {
        if self.files.len() == 1 {
            return self.files[0].sha256.clone();
        }
        let lines: String = self
            .files
            .iter()
            .map(|f| format!("{}\n", f.sha256))
            .collect();
        hex_sha256(lines.as_bytes())
    }

    /// The merged tree, its spans in the offset space of [`Chain::sources`].
    /// `None` when the merge found errors (reported to `diags`).
    pub fn merged(&self, diags: &mut Diagnostics) -> Option<DeTable<'_>> {
        let mut merger = Merger {
            sources: &self.sources,
            diags,
            failed: false,
        };
        let mut merged: Option<DeTable<'_>> = None;
        for i in (0..self.files.len()).rev() {
            let (root, _) = DeTable::parse_recoverable(&self.sources.files()[i].text);
            let mut table = shift_table(root.into_inner(), self.sources.base(i));
            table.remove(EXTENDS_KEY);
            merged = Some(match merged {
                None => table,
                Some(parent) => merger.tables(parent, table, ""),
            });
        }
        (!merger.failed).then_some(merged.unwrap_or_default())
    }
}

/// The `[scenario] name` a file's tree states, with its span in that file.
fn name_of(root: &DeTable<'_>) -> Option<(String, Range<usize>)> {
    let name = root.get("scenario")?.get_ref().as_table()?.get("name")?;
    let text = name.get_ref().as_str().unwrap_or_default().to_string();
    Some((text, name.span()))
}

/// What makes two paths the same file: the canonical path when it exists.
fn identity(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| clean(p))
}

fn shift(span: Range<usize>, base: usize) -> Range<usize> {
    span.start + base..span.end + base
}

fn shift_value(v: Spanned<DeValue<'_>>, base: usize) -> Spanned<DeValue<'_>> {
    let span = shift(v.span(), base);
    let inner = match v.into_inner() {
        DeValue::Table(t) => DeValue::Table(shift_table(t, base)),
        DeValue::Array(a) => DeValue::Array(a.into_iter().map(|x| shift_value(x, base)).collect()),
        other => other,
    };
    Spanned::new(span, inner)
}

fn shift_table(t: DeTable<'_>, base: usize) -> DeTable<'_> {
    if base == 0 {
        return t;
    }
    let mut out = DeTable::new();
    for (k, v) in t {
        let span = shift(k.span(), base);
        out.insert(Spanned::new(span, k.into_inner()), shift_value(v, base));
    }
    out
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The string `id` of an array entry, if it has one.
fn entry_id<'a>(entry: &'a Spanned<DeValue<'_>>) -> Option<&'a str> {
    entry.get_ref().as_table()?.get("id")?.get_ref().as_str()
}

fn has_id(entry: &Spanned<DeValue<'_>>) -> bool {
    entry
        .get_ref()
        .as_table()
        .is_some_and(|t| t.get("id").is_some())
}

/// What an entry's `remove` key says.
enum RemoveFlag {
    /// No `remove` key, or `remove = false`.
    Keep,
    /// `remove = true`, at this span.
    Remove(Range<usize>),
    /// `remove` is not a boolean.
    Invalid(Range<usize>),
}

fn remove_flag(entry: &Spanned<DeValue<'_>>) -> RemoveFlag {
    let Some(r) = entry.get_ref().as_table().and_then(|t| t.get(REMOVE_KEY)) else {
        return RemoveFlag::Keep;
    };
    match r.get_ref().as_bool() {
        Some(true) => RemoveFlag::Remove(r.span()),
        Some(false) => RemoveFlag::Keep,
        None => RemoveFlag::Invalid(r.span()),
    }
}

/// The entry without its `remove` key.
fn strip_remove(entry: Spanned<DeValue<'_>>) -> Spanned<DeValue<'_>> {
    let span = entry.span();
    match entry.into_inner() {
        DeValue::Table(mut t) => {
            t.remove(REMOVE_KEY);
            Spanned::new(span, DeValue::Table(t))
        }
        other => Spanned::new(span, other),
    }
}

fn integer(v: &DeValue<'_>) -> Option<i128> {
    let i = v.as_integer()?;
    i128::from_str_radix(i.as_str(), i.radix()).ok()
}

fn float(v: &DeValue<'_>) -> Option<f64> {
    match v {
        DeValue::Float(f) => f.as_str().replace('_', "").parse().ok(),
        DeValue::Integer(_) => integer(v).map(|i| i as f64),
        _ => None,
    }
}

/// Whether two values are equal as TOML values (1 and 1.0 are equal).
fn same_value(a: &DeValue<'_>, b: &DeValue<'_>) -> bool {
    match (a, b) {
        (DeValue::String(x), DeValue::String(y)) => x == y,
        (DeValue::Boolean(x), DeValue::Boolean(y)) => x == y,
        (DeValue::Integer(_), DeValue::Integer(_)) => integer(a) == integer(b),
        (DeValue::Float(_) | DeValue::Integer(_), DeValue::Float(_) | DeValue::Integer(_)) => {
            float(a) == float(b)
        }
        (DeValue::Datetime(x), DeValue::Datetime(y)) => x.to_string() == y.to_string(),
        (DeValue::Array(x), DeValue::Array(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|(p, q)| same_value(p.get_ref(), q.get_ref()))
        }
        (DeValue::Table(x), DeValue::Table(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y.get(k.get_ref().as_ref())
                        .is_some_and(|w| same_value(v.get_ref(), w.get_ref()))
                })
        }
        _ => false,
    }
}

/// Whether `candidate` has every value of `pattern` other than `remove` and `note`.
fn matches(pattern: &DeTable<'_>, candidate: &Spanned<DeValue<'_>>) -> bool {
    let Some(c) = candidate.get_ref().as_table() else {
        return false;
    };
    pattern
        .iter()
        .filter(|(k, _)| !matches!(k.get_ref().as_ref(), REMOVE_KEY | NOTE_KEY))
        .all(|(k, v)| {
            c.get(k.get_ref().as_ref())
                .is_some_and(|w| same_value(v.get_ref(), w.get_ref()))
        })
}

/// Applies a child tree onto its parent's, reporting misuse of `remove`.
struct Merger<'s, 'd> {
    sources: &'s SourceMap,
    diags: &'d mut Diagnostics,
    failed: bool,
}

impl Merger<'_, '_> {
    fn error(&mut self, span: Range<usize>, message: String, hint: Option<String>) {
        self.failed = true;
        self.diags.push(
            self.sources
                .diagnostic(Severity::Error, Some(span), message, hint),
        );
    }

    fn tables<'i>(
        &mut self,
        mut parent: DeTable<'i>,
        child: DeTable<'i>,
        path: &str,
    ) -> DeTable<'i> {
        for (key, value) in child {
            let name = join(path, key.get_ref());
            let merged = match parent.remove(key.get_ref().as_ref()) {
                Some(old) => self.values(old, value, &name),
                None => self.fresh(value, &name),
            };
            parent.insert(key, merged);
        }
        parent
    }

    fn values<'i>(
        &mut self,
        parent: Spanned<DeValue<'i>>,
        child: Spanned<DeValue<'i>>,
        path: &str,
    ) -> Spanned<DeValue<'i>> {
        let span = child.span();
        match (parent.into_inner(), child.into_inner()) {
            // A distribution replaces the inherited number whole: merged
            // key by key, a `samples` table over a `uniform` one would keep
            // `low` and `high` that do not apply to it.
            (DeValue::Table(_), DeValue::Table(c)) if c.contains_key("dist") => {
                Spanned::new(span, DeValue::Table(c))
            }
            (DeValue::Table(p), DeValue::Table(c)) => {
                Spanned::new(span, DeValue::Table(self.tables(p, c, path)))
            }
            (DeValue::Array(p), DeValue::Array(c))
                if !c.is_empty() && c.iter().all(|e| e.get_ref().is_table()) =>
            {
                let with_id = c.iter().filter(|e| has_id(e)).count();
                if with_id == c.len() {
                    Spanned::new(span, DeValue::Array(self.by_id(p, c, path)))
                } else if with_id == 0 {
                    Spanned::new(span, DeValue::Array(self.append(p, c, path)))
                } else {
                    let first = c
                        .iter()
                        .find(|e| !has_id(e))
                        .map_or(span.clone(), |e| e.span());
                    self.error(
                        first,
                        format!("this `{path}` entry has no `id`, but others in the file do"),
                        Some(
                            "entries with an `id` merge into the inherited entry of that id; \
                             give every entry its `id`"
                                .into(),
                        ),
                    );
                    Spanned::new(span, DeValue::Array(c))
                }
            }
            (_, c) => self.fresh(Spanned::new(span, c), path),
        }
    }

    /// A child value with nothing inherited under it: `remove = false` keys
    /// are dropped, and `remove = true` is an error (there is nothing to remove).
    fn fresh<'i>(&mut self, v: Spanned<DeValue<'i>>, path: &str) -> Spanned<DeValue<'i>> {
        let span = v.span();
        let inner = match v.into_inner() {
            DeValue::Table(t) => {
                let mut out = DeTable::new();
                for (k, x) in t {
                    let name = join(path, k.get_ref());
                    let x = self.fresh(x, &name);
                    out.insert(k, x);
                }
                DeValue::Table(out)
            }
            DeValue::Array(a) => {
                let mut out = DeArray::new();
                for e in a {
                    match remove_flag(&e) {
                        RemoveFlag::Keep => {
                            let e = self.fresh(strip_remove(e), path);
                            out.push(e);
                        }
                        RemoveFlag::Remove(r) => self.error(
                            r,
                            format!("nothing is inherited in `{path}` to remove"),
                            Some(
                                "`remove = true` removes an entry inherited through `extends`"
                                    .into(),
                            ),
                        ),
                        RemoveFlag::Invalid(r) => self.invalid_remove(r),
                    }
                }
                DeValue::Array(out)
            }
            other => other,
        };
        Spanned::new(span, inner)
    }

    fn invalid_remove(&mut self, span: Range<usize>) {
        self.error(
            span,
            "`remove` must be `true` or `false`".into(),
            Some("`remove = true` removes the inherited entry".into()),
        );
    }

    fn by_id<'i>(&mut self, parent: DeArray<'i>, child: DeArray<'i>, path: &str) -> DeArray<'i> {
        let mut out: Vec<Option<Spanned<DeValue<'i>>>> = parent.into_iter().map(Some).collect();
        let inherited = out.len();
        let mut seen: Vec<String> = Vec::new();
        for entry in child {
            let Some(id) = entry_id(&entry).map(str::to_string) else {
                // A non-string id: the typed checks report it.
                let e = self.fresh(entry, path);
                out.push(Some(e));
                continue;
            };
            let duplicate = seen.contains(&id);
            seen.push(id.clone());
            // A repeated id is appended as written, so the checks report it as defined twice.
            let target = if duplicate {
                None
            } else {
                (0..inherited).find(|&k| out[k].as_ref().and_then(entry_id) == Some(id.as_str()))
            };
            match remove_flag(&entry) {
                RemoveFlag::Invalid(r) => self.invalid_remove(r),
                RemoveFlag::Remove(r) => {
                    let extra = entry.get_ref().as_table().is_some_and(|t| {
                        t.iter().any(|(k, _)| {
                            !matches!(k.get_ref().as_ref(), "id" | REMOVE_KEY | NOTE_KEY)
                        })
                    });
                    if extra {
                        self.error(
                            r,
                            format!("an entry with `remove = true` takes only `id` (and `note`), but this `{path}` entry `{id}` has more"),
                            Some("remove the entry, or drop `remove = true` to change it".into()),
                        );
                        continue;
                    }
                    match target {
                        Some(k) => out[k] = None,
                        None => {
                            let known: Vec<&str> = out[..inherited]
                                .iter()
                                .filter_map(|e| e.as_ref().and_then(entry_id))
                                .collect();
                            self.error(
                                r,
                                format!("cannot remove `{path}` entry `{id}`: no inherited entry has this id"),
                                Some(super::diagnostic::suggestion_hint(&id, &known, "ids")),
                            );
                        }
                    }
                }
                RemoveFlag::Keep => {
                    let entry = strip_remove(entry);
                    let name = format!("{path}.{id}");
                    match target {
                        Some(k) => {
                            let old = out[k].take().expect("target is present");
                            out[k] = Some(self.values(old, entry, &name));
                        }
                        None => {
                            let e = self.fresh(entry, &name);
                            out.push(Some(e));
                        }
                    }
                }
            }
        }
        out.into_iter().flatten().collect()
    }

    fn append<'i>(&mut self, parent: DeArray<'i>, child: DeArray<'i>, path: &str) -> DeArray<'i> {
        let mut out: Vec<Option<Spanned<DeValue<'i>>>> = parent.into_iter().map(Some).collect();
        let inherited = out.len();
        for entry in child {
            match remove_flag(&entry) {
                RemoveFlag::Invalid(r) => self.invalid_remove(r),
                RemoveFlag::Remove(r) => {
                    let Some(pattern) = entry.get_ref().as_table() else {
                        continue;
                    };
                    let criteria = pattern
                        .iter()
                        .filter(|(k, _)| !matches!(k.get_ref().as_ref(), REMOVE_KEY | NOTE_KEY))
                        .count();
                    if criteria == 0 {
                        self.error(
                            r,
                            format!("say which inherited `{path}` entries to remove"),
                            Some(format!(
                                "give the values that identify them (for example `step`, `actor` and `action`), \
                                 or write `{path} = []` to clear them all"
                            )),
                        );
                        continue;
                    }
                    let mut found = false;
                    for slot in &mut out[..inherited] {
                        if slot.as_ref().is_some_and(|e| matches(pattern, e)) {
                            *slot = None;
                            found = true;
                        }
                    }
                    if !found {
                        self.error(
                            r,
                            format!("no inherited `{path}` entry matches this one"),
                            Some(
                                "an entry with `remove = true` removes the inherited entries \
                                 that have all of its other values (`note` aside)"
                                    .into(),
                            ),
                        );
                    }
                }
                RemoveFlag::Keep => {
                    let e = self.fresh(strip_remove(entry), path);
                    out.push(Some(e));
                }
            }
        }
        out.into_iter().flatten().collect()
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::super::{EventKind, Policy, Scenario, load};
    use super::*;

    const BASE: &str = r#"[scenario]
name = "base"
title = "Base"
sources = ["one", "two"]

[run]
horizon = 10
seed = 1
trials = 100

[initial]
rung = 1
talks_active = true
trust = 0.5
talks_progress = 0.0
stockpile = 0.0
sanctions = 0.0
us_posture = 0.0
iran_readiness = 0.0

[outcomes]
breakout_stockpile = 1000.0

[incidents]
base = 0.0

[[actions]]
id = "up"
escalation = 4
rung_change = 1

[[actions]]
id = "down"
escalation = -2
rung_change = -1
effects = { trust = 0.01, talks_progress = 0.02 }

[[actions]]
id = "hold"
escalation = 0

[[actors]]
id = "a"
role = "principal"
policy = "fixed"
probabilities = { up = 0.3, down = 0.3, hold = 0.4 }

[[actors]]
id = "b"
role = "principal"
actions = ["hold", "up", "down"]
rationality = 1.0
bias = { up = -1.0, hold = 0.5 }
[[actors.red_lines]]
when = "rung >= 3"
favour = { down = 1.0 }

[[events]]
step = 1
actor = "b"
action = "up"

[[events]]
step = 2
actor = "b"
action = "hold"
"#;

    /// Writes files into a temporary folder and loads the first.
    fn load_files(files: &[(&str, &str)]) -> (tempfile::TempDir, Result<Scenario, Diagnostics>) {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            fs::write(dir.path().join(name), text).unwrap();
        }
        let r = load(&dir.path().join(files[0].0)).map(|(s, _)| s);
        (dir, r)
    }

    fn child(body: &str) -> String {
        format!("extends = \"base.toml\"\n\n[scenario]\nname = \"child\"\n\n{body}")
    }

    fn messages(d: &Diagnostics) -> String {
        d.to_string()
    }

    #[test]
    fn model2_sections_merge_like_the_others() {
        let parent = include_str!("../../tests/fixtures/valid/model2-all-fields.toml");
        let text = child(
            "[war]\nholds_after = 5\n\n\
             [bargaining]\nclose_base = 0.2\n\n\
             [[bargaining.issues]]\nid = \"relief\"\npositions = { iran = { reservation = 0.7 } }\n\n\
             [[variables]]\nid = \"impatience\"\ninitial = 0.3\n\n\
             [[variables]]\nid = \"oil_price\"\nlow = 50\nhigh = 150\ninitial = 80\n\n\
             [[deadlines]]\nid = \"ultimatum\"\nstep = 10\n\n\
             [[drifts]]\neffects = { oil_price = 1.0 }\n",
        );
        let (_dir, s) = load_files(&[("child.toml", &text), ("base.toml", parent)]);
        let s = s.unwrap_or_else(|d| panic!("{d}"));
        // Tables merge key by key.
        assert_eq!(s.war.holds_after, 5);
        assert_eq!(s.war.ceasefire_rung, 2);
        assert!(s.war.collapse.dist.is_some());
        let b = s.bargaining.as_ref().unwrap();
        assert_eq!(b.close_base.value, 0.2);
        assert_eq!(b.close_per_overlap.value, 2.0);
        // Issues merge by id, and positions key by key.
        assert_eq!(b.issues.len(), 2);
        let relief = &b.issues[1].positions[1];
        assert_eq!((relief.start.value, relief.reservation.value), (1.0, 0.7));
        // Variables merge by id; a new one is appended after the inherited ones.
        let names: Vec<&str> = s.vars.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(
            names[6..],
            ["hormuz_shipping", "war_cost_us", "impatience", "oil_price"]
        );
        assert_eq!(s.initial.vars[8].value, 0.3);
        assert_eq!((s.vars[9].low, s.vars[9].high), (50.0, 150.0));
        assert_eq!(s.initial.vars[9].value, 80.0);
        // Deadlines merge by id; drifts are appended.
        assert_eq!(s.deadlines.len(), 1);
        assert_eq!((s.deadlines[0].step, s.deadlines[0].lead), (10, 4));
        assert_eq!(s.drifts.len(), 3);
        assert_eq!(s.drifts[2].effects[0].0, crate::world::Var(9));
    }

    #[test]
    fn a_file_without_extends_keeps_its_own_hash() {
        let (_dir, s) = load_files(&[("base.toml", BASE)]);
        let s = s.unwrap();
        assert_eq!(s.origin.sha256, hex_sha256(BASE.as_bytes()));
        assert_eq!(s.origin.chain.len(), 1);
    }

    #[test]
    fn child_overrides_only_what_it_states() {
        let text = child(
            "[initial]\ntrust = 0.2\n\n[[actors]]\nid = \"b\"\nrationality = 3.0\nbias = { up = 2.0 }\n",
        );
        let (_dir, s) = load_files(&[("child.toml", &text), ("base.toml", BASE)]);
        let s = s.unwrap_or_else(|d| panic!("{d}"));
        assert_eq!(s.name, "child");
        // The title is inherited, the name is the child's own.
        assert_eq!(s.title, "Base");
        assert_eq!(s.initial.vars[0].value, 0.2);
        assert_eq!(s.initial.rung, 1);
        let b = &s.actors[1];
        assert_eq!(b.id, "b");
        assert_eq!(b.rationality.value, 3.0);
        // Tables merge key by key: `hold` keeps its inherited bias.
        let bias: Vec<(usize, f64)> = b.bias.iter().map(|(k, p)| (*k, p.value)).collect();
        assert_eq!(bias, vec![(0, 0.5), (1, 2.0)]);
        assert_eq!(s.actors.len(), 2);
        assert_eq!(s.events.len(), 2);
    }

    #[test]
    fn entries_with_ids_merge_by_id_and_new_ids_are_appended() {
        let text = child(
            "[[actions]]\nid = \"down\"\neffects = { trust = 0.05 }\n\n\
             [[actions]]\nid = \"talk\"\nescalation = -2\n\n\
             [[actors]]\nid = \"c\"\nrole = \"mediator\"\nactions = [\"talk\", \"hold\"]\n\n\
             [[actors]]\nid = \"a\"\nprobabilities = { up = 0.5, down = 0.1, hold = 0.4 }\n",
        );
        let (_dir, s) = load_files(&[("child.toml", &text), ("base.toml", BASE)]);
        let s = s.unwrap_or_else(|d| panic!("{d}"));
        let ids: Vec<&str> = s.actions.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["up", "down", "hold", "talk"]);
        let down: Vec<f64> = s.actions[1].effects.iter().map(|(_, p)| p.value).collect();
        // `trust` replaced, `talks_progress` inherited (effects are in name order).
        assert_eq!(down, vec![0.02, 0.05]);
        let actors: Vec<&str> = s.actors.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(actors, ["a", "b", "c"], "merged entries keep their place");
        let Policy::Fixed(p) = &s.actors[0].policy else {
            panic!("fixed")
        };
        let p: Vec<f64> = p.iter().map(|p| p.value).collect();
        // In action-name order: down, hold, up.
        assert_eq!(p, vec![0.1, 0.4, 0.5]);
    }

    #[test]
    fn plain_arrays_replace() {
        let text = child(
            "sources = [\"three\"]\n\n[[actors]]\nid = \"b\"\nactions = [\"hold\", \"up\"]\n[[actors.red_lines]]\nwhen = \"rung >= 3\"\nremove = true\n",
        );
        let (_dir, s) = load_files(&[("child.toml", &text), ("base.toml", BASE)]);
        let s = s.unwrap_or_else(|d| panic!("{d}"));
        assert_eq!(s.sources, ["three"]);
        assert_eq!(s.actors[1].actions.len(), 2);
        assert!(s.actors[1].red_lines.is_empty());
    }

    #[test]
    fn remove_drops_an_inherited_entry_by_id() {
        let text = child(
            "[[actors]]\nid = \"b\"\nremove = true\n\n[[events]]\nstep = 1\nactor = \"b\"\nremove = true\n\n\
             [[events]]\nstep = 2\nactor = \"b\"\naction = \"hold\"\nremove = true\nnote = \"gone\"\n",
        );
        let (_dir, s) = load_files(&[("child.toml", &text), ("base.toml", BASE)]);
        let s = s.unwrap_or_else(|d| panic!("{d}"));
        assert_eq!(s.actors.len(), 1);
        assert!(s.events.is_empty());
    }

    #[test]
    fn events_are_appended_and_an_empty_list_clears_them() {
        let text = child("[[events]]\nstep = 3\nactor = \"a\"\naction = \"down\"\n");
        let (_dir, s) = load_files(&[("child.toml", &text), ("base.toml", BASE)]);
        let s = s.unwrap_or_else(|d| panic!("{d}"));
        let steps: Vec<u32> = s.events.iter().map(|e| e.step).collect();
        assert_eq!(steps, [1, 2, 3]);
        assert!(matches!(
            s.events[2].kind,
            EventKind::Force {
                actor: 0,
                action: 0,
                add: false
            }
        ));

        let text = "extends = \"base.toml\"\nevents = []\n[scenario]\nname = \"child\"\n";
        let (_dir, s) = load_files(&[("child.toml", text), ("base.toml", BASE)]);
        assert!(s.unwrap_or_else(|d| panic!("{d}")).events.is_empty());
    }

    #[test]
    fn misused_remove_is_located_in_the_child() {
        let text = child(
            "[[actors]]\nid = \"zz\"\nremove = true\n\n[[actors]]\nid = \"a\"\nremove = true\nrole = \"mediator\"\n\n\
             [[events]]\nstep = 9\nremove = true\n",
        );
        let (_dir, s) = load_files(&[("child.toml", &text), ("base.toml", BASE)]);
        let d = s.unwrap_err();
        let m = messages(&d);
        assert_eq!(d.error_count(), 3, "{m}");
        assert!(
            m.contains("child.toml:8:10: error: cannot remove `actors` entry `zz`"),
            "{m}"
        );
        assert!(m.contains("takes only `id`"), "{m}");
        assert!(
            m.contains("no inherited `events` entry matches this one"),
            "{m}"
        );
    }

    #[test]
    fn chains_of_parents_are_followed() {
        let middle = "extends = \"base.toml\"\n[scenario]\nname = \"middle\"\n[initial]\ntrust = 0.3\nrung = 2\n";
        let top = "extends = \"middle.toml\"\n[scenario]\nname = \"top\"\n[initial]\nrung = 0\n";
        let (_dir, s) = load_files(&[
            ("top.toml", top),
            ("middle.toml", middle),
            ("base.toml", BASE),
        ]);
        let s = s.unwrap_or_else(|d| panic!("{d}"));
        assert_eq!((s.name.as_str(), s.initial.rung), ("top", 0));
        assert_eq!(s.initial.vars[0].value, 0.3);
        let names: Vec<String> = s
            .origin
            .chain
            .iter()
            .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["top.toml", "middle.toml", "base.toml"]);
        let lines: String = [top, middle, BASE]
            .iter()
            .map(|t| format!("{}\n", hex_sha256(t.as_bytes())))
            .collect();
        assert_eq!(s.origin.sha256, hex_sha256(lines.as_bytes()));
    }

    #[test]
    fn parents_are_found_relative_to_the_file_that_names_them() {
        let tmp = tempfile::tempdir().unwrap();
        // Under a folder named `scenarios`, the root that `extends` may not leave.
        let dir = tmp.path().join("scenarios");
        fs::create_dir_all(dir.join("alt/deeper")).unwrap();
        fs::write(dir.join("base.toml"), BASE).unwrap();
        let middle = "extends = \"../base.toml\"\n[scenario]\nname = \"middle\"\n";
        fs::write(dir.join("alt/middle.toml"), middle).unwrap();
        let top = "extends = \"../middle.toml\"\n[scenario]\nname = \"top\"\n";
        fs::write(dir.join("alt/deeper/top.toml"), top).unwrap();
        let (s, _) = load(&dir.join("alt/deeper/top.toml")).unwrap_or_else(|d| panic!("{d}"));
        let paths: Vec<PathBuf> = s.origin.chain.iter().map(|f| f.path.clone()).collect();
        assert_eq!(
            paths,
            [
                dir.join("alt/deeper/top.toml"),
                dir.join("alt/middle.toml"),
                dir.join("base.toml"),
            ]
        );
    }

    #[test]
    fn the_hash_covers_the_parent() {
        let text = child("");
        let (_dir, a) = load_files(&[("child.toml", &text), ("base.toml", BASE)]);
        let other = BASE.replace("trust = 0.5", "trust = 0.6");
        let (_dir, b) = load_files(&[("child.toml", &text), ("base.toml", &other)]);
        assert_ne!(a.unwrap().origin.sha256, b.unwrap().origin.sha256);
    }

    #[test]
    fn a_cycle_is_an_error_that_prints_the_chain() {
        let a = "extends = \"b.toml\"\n[scenario]\nname = \"a\"\n";
        let b = "extends = \"a.toml\"\n[scenario]\nname = \"b\"\n";
        let (dir, s) = load_files(&[("a.toml", a), ("b.toml", b)]);
        let m = messages(&s.unwrap_err());
        let p = |n: &str| dir.path().join(n).display().to_string();
        let chain = format!("{} -> {} -> {}", p("a.toml"), p("b.toml"), p("a.toml"));
        assert!(
            m.contains(&format!("`extends` makes a cycle: {chain}")),
            "{m}"
        );
        // Reported at the `extends` that closes the cycle, in b.toml.
        assert!(m.contains(&format!("{}:1:11: error", p("b.toml"))), "{m}");
    }

    #[test]
    fn a_missing_parent_points_at_the_extends_line() {
        let text = "# header\nextends = \"nowhere.toml\"\n[scenario]\nname = \"x\"\n";
        let (dir, s) = load_files(&[("x.toml", text)]);
        let d = s.unwrap_err();
        let first = d.iter().next().unwrap();
        assert_eq!(first.file, dir.path().join("x.toml"));
        assert_eq!((first.line, first.column), (2, 11));
        assert!(
            first.message.contains("cannot read the parent scenario"),
            "{}",
            first.message
        );
        assert!(first.message.contains("nowhere.toml"), "{}", first.message);
    }

    #[test]
    fn a_child_must_name_itself() {
        let (_dir, s) = load_files(&[("c.toml", "extends = \"base.toml\"\n"), ("base.toml", BASE)]);
        let m = messages(&s.unwrap_err());
        assert!(m.contains("needs its own `[scenario]` name"), "{m}");
    }

    #[test]
    fn errors_in_inherited_values_point_into_the_parent() {
        let bad = BASE.replace("trust = 0.5", "trust = 1.5");
        let text = child("[initial]\nrung = 2\nstockpile = -1.0\n");
        let (dir, s) = load_files(&[("child.toml", &text), ("base.toml", &bad)]);
        let d = s.unwrap_err();
        let parent: Vec<_> = d
            .iter()
            .filter(|x| x.file == dir.path().join("base.toml"))
            .collect();
        assert_eq!(parent.len(), 1, "{d}");
        assert_eq!((parent[0].line, parent[0].column), (14, 9));
        assert!(parent[0].message.contains("initial.trust"));
        let own: Vec<_> = d
            .iter()
            .filter(|x| x.file == dir.path().join("child.toml"))
            .collect();
        assert_eq!(own.len(), 1, "{d}");
        assert_eq!((own[0].line, own[0].column), (8, 13));
        assert!(own[0].message.contains("initial.stockpile"));
    }

    #[test]
    fn unknown_fields_in_the_parent_are_reported_there() {
        let bad = BASE.replace(
            "[incidents]\nbase = 0.0",
            "[incidents]\nbase = 0.0\nbogus = 1",
        );
        let text = child("");
        let (dir, s) = load_files(&[("child.toml", &text), ("base.toml", &bad)]);
        let d = s.unwrap_err();
        let first = d.iter().next().unwrap();
        assert_eq!(first.file, dir.path().join("base.toml"), "{d}");
        assert!(first.message.contains("unknown field `bogus`"), "{d}");
    }
}
