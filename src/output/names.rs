//! Column names that load in one line: snake_case ASCII, no dots, so
//! `df.n_us__negotiate` works in pandas and no name needs quoting.
//!
//! The mapping is documented in `docs/tables.md`:
//!
//! - a dotted path (a parameter, `actors.us.rationality`, or a move,
//!   `us.negotiate`) becomes a column by writing each `.` as `__`
//!   ([`column_name`]); the path comes back by writing each `__` as `.`
//!   ([`path_of_column`]);
//! - a name in words (a calibration target's `name`) becomes its words in
//!   lower case joined by `_` ([`slug`]);
//! - the 95% interval of a column `x` is `x_low` and `x_high`, in every
//!   table.

/// The column of a dotted path: each `.` written as `__`.
///
/// ```
/// assert_eq!(brink::output::names::column_name("actors.us.bias.sanction"), "actors__us__bias__sanction");
/// ```
pub fn column_name(path: &str) -> String {
    path.replace('.', "__")
}

/// The dotted path of a column made by [`column_name`].
pub fn path_of_column(column: &str) -> String {
    column.replace("__", ".")
}

/// A name in words as a column: its ASCII letters and digits in lower case,
/// each run of anything else one `_`, none at either end; a name with no
/// letter or digit gives `fallback`, and one starting with a digit gets an
/// `n` in front.
///
/// ```
/// assert_eq!(brink::output::names::slug("A deal within the year", "t"), "a_deal_within_the_year");
/// ```
pub fn slug(text: &str, fallback: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    if out.is_empty() {
        return fallback.to_string();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'n');
    }
    out
}

/// `names` made distinct by appending `_2`, `_3`, ... to repeats, in order.
pub fn distinct(names: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    names
        .into_iter()
        .map(|name| {
            let mut candidate = name.clone();
            let mut k = 2;
            while !seen.insert(candidate.clone()) {
                candidate = format!("{name}_{k}");
                k += 1;
            }
            candidate
        })
        .collect()
}

/// True when `name` is a clean column name: a lower-case ASCII letter,
/// then lower-case letters, digits and `_`.
pub fn is_clean(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_columns_and_back() {
        for path in [
            "initial.trust",
            "actors.us.red_lines.1.favour.strike",
            "bargaining.issues.enrichment.us.reservation",
            "actions.ease_sanctions.cost",
        ] {
            let c = column_name(path);
            assert!(is_clean(&c), "{c}");
            assert_eq!(path_of_column(&c), path);
        }
    }

    #[test]
    fn words_become_snake_case() {
        assert_eq!(
            slug("Strikes within six months", "t"),
            "strikes_within_six_months"
        );
        assert_eq!(slug("  P(deal) by June!  ", "t"), "p_deal_by_june");
        assert_eq!(slug("2027 deal", "t"), "n2027_deal");
        assert_eq!(slug("—", "target_1"), "target_1");
        assert_eq!(
            distinct(vec!["a".into(), "b".into(), "a".into(), "a".into()]),
            ["a", "b", "a_2", "a_3"]
        );
        assert!(!is_clean("n.us.negotiate"));
        assert!(!is_clean("Deal"));
    }
}
