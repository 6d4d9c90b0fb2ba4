//! The starter scenario written by `brink init`: a small, commented file
//! that validates without warnings, spreads its trials over several
//! outcomes and has a few uncertain numbers, so that every analysis
//! (`sensitivity`, `discover`, `sweep`, `calibrate`) runs on it; and the
//! calibration targets written beside it.

/// The template; `{{NAME}}` stands for the scenario name.
const TEMPLATE: &str = include_str!("starter.toml");

/// The template of the calibration targets written beside the starter.
const TARGETS_TEMPLATE: &str = include_str!("starter.targets.toml");

/// Whether `name` is a valid scenario name (the rule `[scenario] name` follows).
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// The text of a starter scenario named `name`, or why the name is not valid.
pub fn starter_scenario(name: &str) -> Result<String, String> {
    if !is_valid_name(name) {
        return Err(format!(
            "`{name}` is not a valid scenario name: use lower-case letters, digits, `_` and `-`, starting with a letter (at most 64 characters)"
        ));
    }
    Ok(TEMPLATE.replace("{{NAME}}", name))
}

/// The calibration targets for the starter scenario named `name`
/// (`brink calibrate NAME.toml --targets NAME.targets.toml`).
pub fn starter_targets(name: &str) -> String {
    TARGETS_TEMPLATE.replace("{{NAME}}", name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_validates_without_warnings() {
        let text = starter_scenario("my-crisis").unwrap();
        let (s, warnings) =
            crate::scenario::load_str(std::path::Path::new("my-crisis.toml"), &text)
                .unwrap_or_else(|d| panic!("{d}"));
        assert!(warnings.is_empty(), "{warnings}");
        assert_eq!(s.name, "my-crisis");
        assert_eq!(s.actors.len(), 3);
    }

    #[test]
    fn bad_names_are_refused() {
        for bad in ["", "My", "1st", "a b", "a/b", "é"] {
            assert!(starter_scenario(bad).is_err(), "{bad}");
        }
    }
}
