//! The shape of each table of a scenario file, checked before serde reads it,
//! so that every unknown key, every value of the wrong type and every missing
//! field of a table is reported, not only the first one serde meets.
//!
//! Serde stops at the first problem of a struct. So each field is first read
//! on its own (a one-field table deserialised into the section's type: any
//! error but "missing field" belongs to that field); a faulty map or list is
//! then read entry by entry the same way. Unknown keys and faulty values are
//! reported and dropped; a required field that is missing or faulty is
//! replaced by a harmless stand-in so that the rest of the entry still reaches
//! the semantic checks (the error is already reported, so such a file is never
//! accepted), or, when no stand-in makes sense (an `id`), the entry is dropped.
//!
//! The known fields of each type come from its serde derive, so they never
//! drift from `format.rs`; the required ones are listed here and a unit test
//! checks the list against serde.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::ops::Range;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue, ValueDeserializer};

use super::diagnostic::{Diagnostics, Severity, did_you_mean, suggestion_hint};
use super::format::{
    ActionEntry, ActorEntry, BargainingSection, DeadlineEntry, DriftEntry, DynamicsSection,
    EventEntry, Header, HistorySection, IncidentsSection, InitialSection, IssueEntry,
    OutcomesSection, RedLineEntry, RunSection, SECTIONS, VariableEntry, WarSection, When,
};
use super::sources::SourceMap;

/// A table type of the scenario format.
pub(crate) trait Entry<'i>: Deserialize<'i> {
    /// Fields that must be present, each with the TOML text of a stand-in used
    /// after reporting that it is missing or faulty (`None`: drop the entry).
    const REQUIRED: &'static [(&'static str, Option<&'static str>)];

    /// For a field made of sub-tables, the function that reads each of them
    /// with its own checks.
    fn sub_tables(_field: &str) -> Option<SubTables<'i>> {
        None
    }
}

/// Reads an array of sub-tables of a field (`actors.red_lines`).
pub(crate) type SubTables<'i> =
    fn(&mut Reader<'_>, Spanned<DeValue<'i>>, &str) -> Option<Spanned<DeValue<'i>>>;

impl Entry<'_> for Header {
    const REQUIRED: &'static [(&'static str, Option<&'static str>)] =
        &[("name", Some("\"scenario\""))];
}

impl Entry<'_> for RunSection {
    // The largest horizon, so that no event is reported out of range because of the stand-in.
    const REQUIRED: &'static [(&'static str, Option<&'static str>)] = &[("horizon", Some("3650"))];
}

impl Entry<'_> for InitialSection {
    const REQUIRED: &'static [(&'static str, Option<&'static str>)] = &[
        ("rung", Some("0")),
        ("talks_active", Some("true")),
        ("trust", Some("0")),
        ("talks_progress", Some("0")),
        ("stockpile", Some("0")),
        ("sanctions", Some("0")),
        ("us_posture", Some("0")),
        ("iran_readiness", Some("0")),
    ];
}

impl Entry<'_> for OutcomesSection {
    const REQUIRED: &'static [(&'static str, Option<&'static str>)] =
        &[("breakout_stockpile", Some("1000000"))];
}

impl Entry<'_> for DynamicsSection {
    const REQUIRED: &'static [(&'static str, Option<&'static str>)] = &[];
}

impl Entry<'_> for IncidentsSection {
    const REQUIRED: &'static [(&'static str, Option<&'static str>)] = &[("base", Some("0"))];
}

impl Entry<'_> for ActionEntry {
    const REQUIRED: &'static [(&'static str, Option<&'static str>)] =
        &[("id", None), ("escalation", Some("0"))];
}

impl Entry<'_> for RedLineEntry {
    const REQUIRED: &'static [(&'static str, Option<&'static str>)] =
        &[("when", None), ("favour", None)];
}

impl<'i> Entry<'i> for ActorEntry {
    const REQUIRED: &'static [(&'static str, Option<&'static str>)] =
        &[("id", None), ("role", Some("\"principal\""))];

    fn sub_tables(field: &str) -> Option<SubTables<'i>> {
        (field == "red_lines").then_some(read_entries_raw::<RedLineEntry> as SubTables<'i>)
    }
}

impl Entry<'_> for EventEntry {
    const REQUIRED: &'static [(&'static str, Option<&'static str>)] = &[("step", Some("1"))];
}

impl Entry<'_> for VariableEntry {
    const REQUIRED: &'static [(&'static str, Option<&'static str>)] = &[("id", None)];
}

impl Entry<'_> for WarSection {
    const REQUIRED: &'static [(&'static str, Option<&'static str>)] = &[];
}

impl<'i> Entry<'i> for BargainingSection {
    const REQUIRED: &'static [(&'static str, Option<&'static str>)] = &[("parties", None)];

    fn sub_tables(field: &str) -> Option<SubTables<'i>> {
        (field == "issues").then_some(read_entries_raw::<IssueEntry> as SubTables<'i>)
    }
}

impl Entry<'_> for IssueEntry {
    const REQUIRED: &'static [(&'static str, Option<&'static str>)] =
        &[("id", None), ("positions", None)];
}

impl Entry<'_> for DeadlineEntry {
    const REQUIRED: &'static [(&'static str, Option<&'static str>)] =
        &[("id", None), ("set_by", None)];
}

impl Entry<'_> for DriftEntry {
    const REQUIRED: &'static [(&'static str, Option<&'static str>)] = &[("effects", None)];
}

/// Reads tables of one file, reporting every problem found.
pub(crate) struct Reader<'a> {
    src: &'a SourceMap,
    diags: &'a mut Diagnostics,
    dropped: BTreeSet<String>,
}

impl<'a> Reader<'a> {
    /// A reader reporting into `diags`.
    pub(crate) fn new(src: &'a SourceMap, diags: &'a mut Diagnostics) -> Self {
        Self {
            src,
            diags,
            dropped: BTreeSet::new(),
        }
    }

    /// Paths of the fields dropped because they could not be read.
    pub(crate) fn into_dropped(self) -> BTreeSet<String> {
        self.dropped
    }

    fn error(&mut self, span: Option<Range<usize>>, message: String, hint: Option<String>) {
        self.diags
            .push(self.src.diagnostic(Severity::Error, span, message, hint));
    }

    /// Reads a table (`path` names it in messages) into `T`.
    pub(crate) fn read<'i, T: Entry<'i>>(
        &mut self,
        value: Spanned<DeValue<'i>>,
        path: &str,
    ) -> Option<T> {
        let cleaned = self.clean::<T>(value, path)?;
        let span = cleaned.span();
        match T::deserialize(ValueDeserializer::from(cleaned)) {
            Ok(t) => Some(t),
            Err(e) => {
                // Every field was checked alone; reaching this is a gap in the checks.
                let (message, hint) = explain(path, e.message(), &DeValue::Boolean(false));
                self.error(e.span().or(Some(span)), message, hint);
                None
            }
        }
    }

    /// Reads an array of tables (`[[section]]`) into entries of `T`.
    pub(crate) fn read_entries<'i, T: Entry<'i>>(
        &mut self,
        value: Spanned<DeValue<'i>>,
        section: &str,
    ) -> Vec<T> {
        let span = value.span();
        match value.into_inner() {
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for (n, item) in items.into_iter().enumerate() {
                    let path = entry_path(section, n, item.get_ref());
                    if let Some(t) = self.read::<T>(item, &path) {
                        out.push(t);
                    }
                }
                out
            }
            other => {
                self.not_a_list(span, section, &other);
                Vec::new()
            }
        }
    }

    /// Reads `[history]`: milestone keys, each with a date or a step,
    /// `last_moves` (a table `actor = "action"`) and `ceasefire_held`. Which
    /// milestone names exist depends on the principals, so it is checked by
    /// `validate`; here each value is read alone and every faulty one reported.
    pub(crate) fn read_history(&mut self, value: Spanned<DeValue<'_>>) -> Option<HistorySection> {
        let span = value.span();
        let table = match value.into_inner() {
            DeValue::Table(t) => t,
            other => {
                self.error(
                    Some(span),
                    format!("`history` must be a table, found {}", other.type_str()),
                    Some(
                        "write it as a `[history]` table; docs/scenario-format.md lists its keys"
                            .into(),
                    ),
                );
                return None;
            }
        };
        let mut out = HistorySection {
            span,
            ..HistorySection::default()
        };
        for (key, val) in table {
            let name = key.get_ref().as_ref();
            let path = format!("history.{name}");
            let key_span = key.span();
            match name {
                "last_moves" => {
                    let val_span = val.span();
                    match val.into_inner() {
                        DeValue::Table(moves) => {
                            for (actor, action) in moves {
                                let p = format!("{path}.{}", actor.get_ref());
                                if let Some(a) = self.history_value::<String>(action, &p) {
                                    out.last_moves.push((
                                        Spanned::new(actor.span(), actor.get_ref().to_string()),
                                        a,
                                    ));
                                }
                            }
                        }
                        other => self.error(
                            Some(val_span),
                            format!("`{path}` must be a table, found {}", other.type_str()),
                            Some("write `last_moves = { ACTOR = \"ACTION\", ... }`".into()),
                        ),
                    }
                }
                "ceasefire_held" => out.ceasefire_held = self.history_value::<i64>(val, &path),
                _ => {
                    if let Some(w) = self.history_value::<When>(val, &path) {
                        out.milestones
                            .push((Spanned::new(key_span, name.to_string()), w));
                    }
                }
            }
        }
        Some(out)
    }

    /// One value of `[history]` read as `T`, or reported.
    fn history_value<'i, T: Deserialize<'i>>(
        &mut self,
        val: Spanned<DeValue<'i>>,
        path: &str,
    ) -> Option<Spanned<T>> {
        let span = val.span();
        let copy = val.get_ref().clone();
        match T::deserialize(ValueDeserializer::from(val)) {
            Ok(t) => Some(Spanned::new(span, t)),
            Err(e) => {
                let (message, hint) = explain(path, e.message(), &copy);
                self.error(Some(span), message, hint);
                None
            }
        }
    }

    /// Reports a top-level key that is not a section.
    pub(crate) fn unknown_section(&mut self, span: Range<usize>, name: &str) {
        self.error(
            Some(span),
            format!("unknown section `{name}`"),
            Some(suggestion_hint(name, SECTIONS, "sections")),
        );
    }

    fn not_a_list(&mut self, span: Range<usize>, section: &str, found: &DeValue<'_>) {
        let leaf = section.rsplit('.').next().unwrap_or(section);
        self.error(
            Some(span),
            format!(
                "`{section}` must be a list of tables, found {}",
                found.type_str()
            ),
            Some(format!(
                "write each entry as a `[[{section}]]` table, or `{leaf} = [{{ ... }}]`"
            )),
        );
    }

    /// Checks a table against `T`; returns it without its faulty parts, with
    /// stand-ins for faulty required fields, or `None` to drop the entry.
    fn clean<'i, T: Entry<'i>>(
        &mut self,
        value: Spanned<DeValue<'i>>,
        path: &str,
    ) -> Option<Spanned<DeValue<'i>>> {
        let span = value.span();
        let table = match value.into_inner() {
            DeValue::Table(t) => t,
            other => {
                let hint = match path.rfind(['.', '[']) {
                    None => format!(
                        "write it as a `[{path}]` table; docs/scenario-format.md lists its fields"
                    ),
                    Some(at) => format!(
                        "each entry of `{}` is a table: a `[[...]]` header with `key = value` lines, or `{{ key = value, ... }}`",
                        &path[..at]
                    ),
                };
                self.error(
                    Some(span),
                    format!("`{path}` must be a table, found {}", other.type_str()),
                    Some(hint),
                );
                return None;
            }
        };
        let fields = field_names::<T>();
        let mut kept = DeTable::new();
        let mut faulty: Vec<String> = Vec::new();
        let mut misspelt: Vec<&str> = Vec::new();
        for (key, val) in table {
            let name = key.get_ref().as_ref();
            if !fields.contains(&name) {
                misspelt.extend(did_you_mean(name, fields.iter().copied()));
                self.error(
                    Some(key.span()),
                    format!("unknown field `{name}` in `{path}`"),
                    Some(suggestion_hint(name, fields, "fields")),
                );
                continue;
            }
            let field_path = format!("{path}.{name}");
            let cleaned = match T::sub_tables(name) {
                Some(read) => read(self, val, &field_path),
                None => self.clean_field::<T>(&key, val, &field_path),
            };
            match cleaned {
                Some(v) => {
                    kept.insert(key, v);
                }
                None => {
                    self.dropped.insert(field_path);
                    faulty.push(name.to_string());
                }
            }
        }
        for &(name, stand_in) in T::REQUIRED {
            if kept.contains_key(name) {
                continue;
            }
            // Not reported when it is faulty, or when a misspelling of it was.
            if !faulty.iter().any(|f| f == name) && !misspelt.contains(&name) {
                self.error(
                    Some(header_span(self.src, span.clone())),
                    format!("missing field `{name}` in `{path}`"),
                    Some(format!(
                        "add `{name} = ...`; docs/scenario-format.md describes it"
                    )),
                );
            }
            let value = stand_in.and_then(|text| DeValue::parse(text).ok())?;
            kept.insert(
                Spanned::new(span.clone(), Cow::Borrowed(name)),
                Spanned::new(span.clone(), value.into_inner()),
            );
        }
        Some(Spanned::new(span, DeValue::Table(kept)))
    }

    /// Checks one field of `T`; a faulty map or list is checked entry by entry
    /// and returned without its faulty entries.
    fn clean_field<'i, T: Entry<'i>>(
        &mut self,
        key: &Spanned<Cow<'i, str>>,
        val: Spanned<DeValue<'i>>,
        path: &str,
    ) -> Option<Spanned<DeValue<'i>>> {
        let Err(whole) = check_field::<T>(key, &val) else {
            return Some(val);
        };
        let (whole_message, whole_hint) = explain(path, whole.message(), val.get_ref());
        let span = val.span();
        match val.into_inner() {
            // A table with `dist` is one uncertain number, reported whole.
            DeValue::Table(map)
                if !map.is_empty() && !map.keys().any(|k| k.get_ref() == "dist") =>
            {
                let mut kept = DeTable::new();
                let mut bad = false;
                for (k, v) in map {
                    let mut single = DeTable::new();
                    single.insert(k.clone(), v.clone());
                    let wrapped = Spanned::new(span.clone(), DeValue::Table(single));
                    match check_field::<T>(key, &wrapped) {
                        Ok(()) => {
                            kept.insert(k, v);
                        }
                        Err(e) => {
                            bad = true;
                            let p = format!("{path}.{}", k.get_ref());
                            let (message, hint) = explain(&p, e.message(), v.get_ref());
                            self.error(e.span().or(Some(v.span())), message, hint);
                        }
                    }
                }
                if bad {
                    return Some(Spanned::new(span, DeValue::Table(kept)));
                }
            }
            DeValue::Array(items) if !items.is_empty() => {
                let mut kept = DeArray::new();
                let mut bad = false;
                for (n, v) in items.into_iter().enumerate() {
                    let mut single = DeArray::new();
                    single.push(v.clone());
                    let wrapped = Spanned::new(span.clone(), DeValue::Array(single));
                    match check_field::<T>(key, &wrapped) {
                        Ok(()) => kept.push(v),
                        Err(e) => {
                            bad = true;
                            let p = format!("{path}[{n}]");
                            let (message, hint) = explain(&p, e.message(), v.get_ref());
                            self.error(e.span().or(Some(v.span())), message, hint);
                        }
                    }
                }
                if bad {
                    return Some(Spanned::new(span, DeValue::Array(kept)));
                }
            }
            _ => {}
        }
        self.error(whole.span().or(Some(span)), whole_message, whole_hint);
        None
    }
}

/// Reads an array of sub-tables (a [`SubTables`] function).
fn read_entries_raw<'i, T: Entry<'i>>(
    reader: &mut Reader<'_>,
    value: Spanned<DeValue<'i>>,
    path: &str,
) -> Option<Spanned<DeValue<'i>>> {
    let span = value.span();
    match value.into_inner() {
        DeValue::Array(items) => {
            let mut kept = DeArray::new();
            for (n, item) in items.into_iter().enumerate() {
                if let Some(v) = reader.clean::<T>(item, &format!("{path}[{n}]")) {
                    kept.push(v);
                }
            }
            Some(Spanned::new(span, DeValue::Array(kept)))
        }
        other => {
            reader.not_a_list(span, path, &other);
            None
        }
    }
}

/// Deserialises `{ key = val }` into `T`: an error other than a missing field
/// is an error of this field.
fn check_field<'i, T: Entry<'i>>(
    key: &Spanned<Cow<'i, str>>,
    val: &Spanned<DeValue<'i>>,
) -> Result<(), toml::de::Error> {
    let mut single = DeTable::new();
    single.insert(key.clone(), val.clone());
    let span = key.span().start..val.span().end;
    match T::deserialize(ValueDeserializer::from(Spanned::new(
        span,
        DeValue::Table(single),
    ))) {
        Ok(_) => Ok(()),
        Err(e) if e.message().trim_start().starts_with("missing field") => Ok(()),
        Err(e) => Err(e),
    }
}

/// `actors.us` for an entry with a readable id, `actors[3]` otherwise.
fn entry_path(section: &str, n: usize, value: &DeValue<'_>) -> String {
    let id = value
        .as_table()
        .and_then(|t| t.get("id"))
        .and_then(|v| v.get_ref().as_str())
        .filter(|s| {
            !s.is_empty()
                && s.len() <= 64
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        });
    match id {
        Some(id) => format!("{section}.{id}"),
        None => format!("{section}[{n}]"),
    }
}

/// The first line of a table's span: its `[header]`, where a missing field is reported.
fn header_span(src: &SourceMap, span: Range<usize>) -> Range<usize> {
    let (i, local) = src.locate(span.start);
    let base = src.base(i);
    let text = &src.files()[i].text;
    // Spans from the parser fall on character boundaries; stay safe if one does not.
    let start = text.floor_char_boundary(local.min(text.len()));
    let end = text[start..]
        .find('\n')
        .map_or(span.end - base, |k| (start + k).min(span.end - base));
    base + start..base + end.max(start)
}

/// Turns serde's wording about `value` into a message naming the field, and a hint.
fn explain(path: &str, message: &str, value: &DeValue<'_>) -> (String, Option<String>) {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.rsplit_once(", expected ")
    {
        let expected = humane_expectation(expected);
        if value.is_datetime() {
            return (
                format!("`{path}` has the wrong type: expected {expected}, found a date-time"),
                Some("docs/scenario-format.md gives the type of every field".into()),
            );
        }
        if let Some(number) = found.strip_suffix(" as i128") {
            return (
                format!("`{path}` is too large: {number} does not fit in 64 bits"),
                Some(format!("the largest whole number is {}", i64::MAX)),
            );
        }
        return (
            format!("`{path}` has the wrong type: expected {expected}, found {found}"),
            Some("docs/scenario-format.md gives the type of every field".into()),
        );
    }
    if let Some(rest) = message.strip_prefix("invalid value: ")
        && let Some((found, expected)) = rest.rsplit_once(", expected ")
    {
        return (
            format!(
                "`{path}` has an invalid value: expected {}, found {found}",
                humane_expectation(expected)
            ),
            Some("docs/scenario-format.md gives the values every field takes".into()),
        );
    }
    let hint = if message.contains("finite number") {
        "write an ordinary number such as 0.5: nan and inf cannot be simulated"
    } else {
        "docs/scenario-format.md describes every field"
    };
    (format!("`{path}`: {message}"), Some(hint.into()))
}

fn humane_expectation(expected: &str) -> String {
    match expected {
        "i64" | "u64" | "i32" | "u32" => "a whole number".into(),
        "a sequence" => "a list `[...]`".into(),
        "a map" => "a table `{ ... }`".into(),
        "a boolean" => "`true` or `false`".into(),
        other if other.starts_with("struct ") => "a table".into(),
        other => other.to_string(),
    }
}

/// The field names of a struct, as its serde derive declares them.
pub(crate) fn field_names<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    struct Probe<'a>(&'a mut &'static [&'static str]);

    impl<'de> Deserializer<'de> for Probe<'_> {
        type Error = de::value::Error;

        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("not a struct"))
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            fields: &'static [&'static str],
            _visitor: V,
        ) -> Result<V::Value, Self::Error> {
            *self.0 = fields;
            Err(de::Error::custom("probed"))
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map enum identifier ignored_any
        }
    }

    let mut fields: &'static [&'static str] = &[];
    let _ = T::deserialize(Probe(&mut fields));
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The required fields listed here are exactly those serde requires, and
    /// their stand-ins are accepted by serde.
    fn check_required<T: for<'i> Entry<'i>>() {
        let fields = field_names::<T>();
        assert!(!fields.is_empty());
        for &(name, _) in <T as Entry>::REQUIRED {
            assert!(fields.contains(&name), "{name} is not a field");
        }
        let mut text = String::new();
        let mut stand_ins = Vec::new();
        for &(name, stand_in) in <T as Entry>::REQUIRED {
            // Entries without a stand-in get a valid value for this test.
            let v = stand_in.unwrap_or(match name {
                "favour" => "{ hold = 1.0 }",
                "parties" => "[\"a\", \"b\"]",
                "positions" | "effects" => "{}",
                _ => "\"x\"",
            });
            stand_ins.push((name, v));
            text.push_str(&format!("{name} = {v}\n"));
        }
        toml::from_str::<T>(&text).expect("all required fields present");
        for &(left_out, _) in &stand_ins {
            let text: String = stand_ins
                .iter()
                .filter(|(n, _)| *n != left_out)
                .map(|(n, v)| format!("{n} = {v}\n"))
                .collect();
            let err = toml::from_str::<T>(&text).err().expect("field is required");
            assert!(err.message().contains("missing field"), "{err}");
        }
    }

    #[test]
    fn required_fields_match_serde() {
        check_required::<Header>();
        check_required::<RunSection>();
        check_required::<InitialSection>();
        check_required::<OutcomesSection>();
        check_required::<DynamicsSection>();
        check_required::<IncidentsSection>();
        check_required::<ActionEntry>();
        check_required::<RedLineEntry>();
        check_required::<ActorEntry>();
        check_required::<EventEntry>();
        check_required::<VariableEntry>();
        check_required::<WarSection>();
        check_required::<BargainingSection>();
        check_required::<IssueEntry>();
        check_required::<DeadlineEntry>();
        check_required::<DriftEntry>();
    }

    #[test]
    fn field_names_come_from_serde() {
        let f = field_names::<ActorEntry>();
        assert!(f.contains(&"rationality") && f.contains(&"red_lines"));
    }

    fn read_actor(text: &str) -> (Option<ActorEntry>, Diagnostics) {
        let file = crate::scenario::SourceFile::new("x.toml", text);
        let (root, errors) = toml::de::DeTable::parse_recoverable(&file.text);
        let src = SourceMap::from(file.clone());
        let mut diags = Diagnostics::new();
        assert!(errors.is_empty());
        let value = root.into_inner().into_iter().next().unwrap().1;
        let mut out = {
            let mut r = Reader::new(&src, &mut diags);
            r.read_entries::<ActorEntry>(value, "actors")
        };
        (out.pop(), diags)
    }

    #[test]
    fn every_problem_of_an_entry_is_reported() {
        let (actor, diags) = read_actor(
            "[[actors]]\nid = \"us\"\nrole = 3\nrationalty = 1.5\nreciprocty = 2\n\
             preferences = { trust = \"high\", rung = -1, stockpile = nan }\n\
             actions = [\"hold\", 4]\n",
        );
        let text = diags.to_string();
        assert_eq!(diags.error_count(), 6, "{text}");
        assert!(text.contains("did you mean `rationality`?"), "{text}");
        assert!(text.contains("did you mean `reciprocity`?"), "{text}");
        assert!(
            text.contains("`actors.us.role` has the wrong type"),
            "{text}"
        );
        assert!(text.contains("actors.us.preferences.trust"), "{text}");
        assert!(text.contains("actors.us.preferences.stockpile"), "{text}");
        assert!(text.contains("actors.us.actions[1]"), "{text}");
        // The rest of the entry survives for the semantic checks.
        let actor = actor.expect("entry kept with a stand-in role");
        assert_eq!(actor.preferences.len(), 1);
        assert_eq!(actor.actions.len(), 1);
    }

    #[test]
    fn red_lines_are_checked_one_by_one() {
        let (actor, diags) = read_actor(
            "[[actors]]\nid = \"us\"\nrole = \"principal\"\n\
             [[actors.red_lines]]\nwhen = \"rung >= 4\"\nfavor = { strike = 1 }\n\
             [[actors.red_lines]]\nwhen = 3\nfavour = { strike = 1 }\n\
             [[actors.red_lines]]\nwhen = \"incident\"\nfavour = { strike = 1 }\n",
        );
        let text = diags.to_string();
        assert!(text.contains("did you mean `favour`?"), "{text}");
        assert!(text.contains("actors.us.red_lines[1].when"), "{text}");
        assert_eq!(diags.error_count(), 2, "{text}");
        assert_eq!(actor.unwrap().red_lines.len(), 1);
    }

    #[test]
    fn missing_id_drops_the_entry() {
        let (actor, diags) = read_actor("[[actors]]\nrole = \"principal\"\n");
        assert!(actor.is_none());
        assert!(
            diags
                .to_string()
                .contains("missing field `id` in `actors[0]`")
        );
    }
}
