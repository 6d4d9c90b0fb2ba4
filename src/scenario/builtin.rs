//! The shipped scenarios, built into the binary: `brink list` shows them
//! where no `scenarios/` folder is at hand, and `brink init NAME --from
//! SCENARIO` writes one out as a file to edit. The texts are the files of
//! the project's `scenarios/` folder, byte for byte (a test holds them so).

/// A scenario file built into the binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Builtin {
    /// Its file name in `scenarios/`, e.g. `muscat-2026.toml`.
    pub file: &'static str,
    /// Its text.
    pub text: &'static str,
}

macro_rules! builtin {
    ($file:literal) => {
        Builtin {
            file: $file,
            text: include_str!(concat!("../../scenarios/", $file)),
        }
    };
}

/// Every file of `scenarios/*.toml`, in file-name order.
pub const BUILTIN: &[Builtin] = &[
    builtin!("muscat-2026.toml"),
    builtin!("no-oman.toml"),
    builtin!("sanctions-pause.toml"),
    builtin!("second-carrier.toml"),
    builtin!("stockpile-deal.toml"),
];

impl Builtin {
    /// Its name: the file name without `.toml` (also its `[scenario] name`).
    pub fn name(&self) -> &'static str {
        self.file.strip_suffix(".toml").unwrap_or(self.file)
    }

    /// `[scenario] title`, or the name when the file has none.
    pub fn title(&self) -> String {
        header(self.text, "title")
            .or_else(|| header(self.text, "name"))
            .unwrap_or_else(|| self.name().to_string())
    }

    /// The built-in scenario this one `extends`, if any.
    pub fn parent(&self) -> Option<&'static Builtin> {
        let table = self.text.parse::<toml::Table>().ok()?;
        let file = table.get(super::extends::EXTENDS_KEY)?.as_str()?;
        BUILTIN.iter().find(|b| b.file == file)
    }

    /// The text with its `[scenario] name` changed to `name` (the text
    /// itself when the name is already `name`).
    pub fn renamed(&self, name: &str) -> String {
        let from = format!("name = \"{}\"", self.name());
        let to = format!("name = \"{name}\"");
        match self.text.lines().position(|l| l.trim_start() == from) {
            Some(_) if self.name() != name => self.text.replacen(&from, &to, 1),
            _ => self.text.to_string(),
        }
    }
}

/// The built-in scenario named `name` (`muscat-2026` or `muscat-2026.toml`).
pub fn find(name: &str) -> Option<&'static Builtin> {
    BUILTIN.iter().find(|b| b.name() == name || b.file == name)
}

/// The names of every built-in scenario, for hints.
pub fn names() -> Vec<&'static str> {
    BUILTIN.iter().map(Builtin::name).collect()
}

/// A string field of the `[scenario]` table.
fn header(text: &str, key: &str) -> Option<String> {
    let table = text.parse::<toml::Table>().ok()?;
    table
        .get("scenario")?
        .as_table()?
        .get(key)?
        .as_str()
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn scenarios() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
    }

    #[test]
    fn the_built_in_copies_are_the_shipped_files_byte_for_byte() {
        let mut on_disk: Vec<String> = std::fs::read_dir(scenarios())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let built_in: Vec<String> = BUILTIN.iter().map(|b| b.file.to_string()).collect();
        assert_eq!(
            built_in, on_disk,
            "src/scenario/builtin.rs must list every file of scenarios/*.toml"
        );
        for b in BUILTIN {
            let bytes = std::fs::read(scenarios().join(b.file)).unwrap();
            assert!(b.text.as_bytes() == bytes, "{} differs", b.file);
        }
    }

    #[test]
    fn names_titles_and_parents() {
        let muscat = find("muscat-2026").unwrap();
        assert_eq!(find("muscat-2026.toml"), Some(muscat));
        assert!(muscat.title().starts_with("Muscat talks"));
        assert_eq!(muscat.parent(), None);
        let no_oman = find("no-oman").unwrap();
        assert_eq!(no_oman.title(), "Oman stops mediating");
        assert_eq!(no_oman.parent(), Some(muscat));
        assert!(find("nope").is_none());
        for b in BUILTIN {
            assert_eq!(header(b.text, "name").as_deref(), Some(b.name()));
        }
    }

    #[test]
    fn a_renamed_copy_names_itself_once() {
        let b = find("no-oman").unwrap();
        let text = b.renamed("my-what-if");
        assert!(text.contains("name = \"my-what-if\""));
        assert!(!text.contains("name = \"no-oman\""));
        assert_eq!(b.renamed("no-oman"), b.text);
    }
}
