//! Where `extends` may lead: the parent is a path relative to the folder of
//! the file that names it, must be a regular `.toml` file, and may not lie
//! outside the *scenario root*, so a scenario cannot make brink read (and
//! quote in its messages) files such as `/etc/passwd`.
//!
//! The scenario root is the folder given with `--scenario-root`, or else
//! the nearest folder named `scenarios` holding the scenario asked for, or
//! else that scenario's own folder. Paths are compared once every symbolic
//! link is resolved, so a link cannot lead outside either.

use std::path::{Component, Path, PathBuf};

/// How the files of a scenario are found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// The folder that `extends` may not reach outside (`--scenario-root`).
    /// `None`: the nearest folder named `scenarios` holding the scenario
    /// asked for, else that scenario's own folder.
    pub scenario_root: Option<PathBuf>,
    /// `PATH=VALUE` assignments applied to the checked scenario (`--set`):
    /// each fixes one number of [`super::params::catalogue`]; see
    /// [`super::params::apply_overrides`].
    pub set: Vec<String>,
}

/// The name of a folder that is a scenario root by default.
pub const ROOT_FOLDER_NAME: &str = "scenarios";

/// The folder `extends` may not reach outside.
#[derive(Debug, Clone)]
pub(crate) struct Root {
    /// The folder with every link resolved.
    canonical: PathBuf,
    /// Whether it was given on the command line.
    explicit: bool,
}

/// Why an `extends` value was refused: a message and a hint.
pub(crate) type Refusal = (String, String);

impl Root {
    /// The scenario root for the scenario at `top`.
    pub(crate) fn find(top: &Path, options: &LoadOptions) -> Result<Root, Refusal> {
        if let Some(dir) = &options.scenario_root {
            return match std::fs::canonicalize(dir) {
                Ok(canonical) if canonical.is_dir() => Ok(Root {
                    canonical,
                    explicit: true,
                }),
                Ok(_) => Err((
                    format!("the scenario root `{}` is not a folder", dir.display()),
                    "--scenario-root names the folder that holds the scenarios and their parents"
                        .into(),
                )),
                Err(e) => Err((
                    format!("cannot find the scenario root `{}`: {e}", dir.display()),
                    "--scenario-root names the folder that holds the scenarios and their parents"
                        .into(),
                )),
            };
        }
        let folder = std::fs::canonicalize(top)
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
            .or_else(|| {
                let dir = top.parent().filter(|d| !d.as_os_str().is_empty());
                std::fs::canonicalize(dir.unwrap_or(Path::new("."))).ok()
            })
            .ok_or_else(|| {
                (
                    format!(
                        "cannot find the folder of `{}` to look for the parent in",
                        top.display()
                    ),
                    "pass --scenario-root DIR, the folder that holds the scenario's parents".into(),
                )
            })?;
        let named = folder
            .ancestors()
            .find(|a| a.file_name().is_some_and(|n| n == ROOT_FOLDER_NAME));
        Ok(Root {
            canonical: named.unwrap_or(&folder).to_path_buf(),
            explicit: false,
        })
    }

    /// The hint of a refusal: which root applies and how to choose another.
    fn hint(&self) -> String {
        let why = if self.explicit {
            "given with --scenario-root".to_string()
        } else {
            format!(
                "the nearest folder named `{ROOT_FOLDER_NAME}` holding the scenario, else its own folder"
            )
        };
        format!(
            "`extends` may only name files under the scenario root {} ({why}); \
             pass --scenario-root DIR to choose a folder that holds both files",
            self.canonical.display()
        )
    }

    /// The parent named by `rel` in the file at `child`: the path to show
    /// (relative as written) and the path to read (every link resolved).
    pub(crate) fn resolve(&self, child: &Path, rel: &str) -> Result<(PathBuf, PathBuf), Refusal> {
        let example =
            "for example `extends = \"muscat-2026.toml\"`, relative to this file's folder";
        if rel.trim().is_empty() {
            return Err((
                "`extends` is empty: it must name the parent scenario file".into(),
                example.into(),
            ));
        }
        let given = Path::new(rel);
        if given.has_root() || given.is_absolute() {
            return Err((
                format!("`extends` must be a path relative to this file's folder, not `{rel}`"),
                self.hint(),
            ));
        }
        let shown = clean(&child.parent().unwrap_or(Path::new("")).join(given));
        let canonical = match std::fs::canonicalize(&shown) {
            Ok(p) => p,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err((
                    format!(
                        "cannot read the parent scenario `{}`: there is no such file",
                        shown.display()
                    ),
                    "`extends` is a path relative to the folder of this file".into(),
                ));
            }
            Err(e) => {
                return Err((
                    format!("cannot read the parent scenario `{}`: {e}", shown.display()),
                    "`extends` is a path relative to the folder of this file".into(),
                ));
            }
        };
        if !canonical.starts_with(&self.canonical) {
            return Err((
                format!("`extends` = `{rel}` leads outside the scenario root"),
                self.hint(),
            ));
        }
        if canonical.is_dir() {
            return Err((
                format!(
                    "`extends` = `{rel}` names a folder (`{}`), not a scenario file",
                    shown.display()
                ),
                example.into(),
            ));
        }
        if canonical.extension().is_none_or(|x| x != "toml") {
            return Err((
                format!("`extends` = `{rel}` does not name a `.toml` file"),
                example.into(),
            ));
        }
        Ok((shown, canonical))
    }
}

/// The path with `.` dropped and `dir/..` folded, without touching the disk.
pub(crate) fn clean(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn clean_folds_dot_segments() {
        assert_eq!(
            clean(Path::new("a/./b/../c.toml")),
            PathBuf::from("a/c.toml")
        );
        assert_eq!(clean(Path::new("../x.toml")), PathBuf::from("../x.toml"));
    }

    #[test]
    fn the_default_root_is_the_nearest_scenarios_folder() {
        let dir = tempfile::tempdir().unwrap();
        let history = dir.path().join("scenarios/history");
        fs::create_dir_all(&history).unwrap();
        fs::write(dir.path().join("scenarios/base.toml"), "").unwrap();
        fs::write(dir.path().join("outside.toml"), "").unwrap();
        fs::write(history.join("a.toml"), "").unwrap();
        let top = history.join("a.toml");
        let root = Root::find(&top, &LoadOptions::default()).unwrap();
        assert!(root.canonical.ends_with("scenarios"));
        assert!(root.resolve(&top, "../base.toml").is_ok());
        let (message, hint) = root.resolve(&top, "../../outside.toml").unwrap_err();
        assert!(message.contains("outside the scenario root"), "{message}");
        assert!(hint.contains("--scenario-root"), "{hint}");
        // A root given on the command line widens it.
        let options = LoadOptions {
            scenario_root: Some(dir.path().to_path_buf()),
            ..LoadOptions::default()
        };
        let root = Root::find(&top, &options).unwrap();
        assert!(root.resolve(&top, "../../outside.toml").is_ok());
    }

    #[test]
    fn absolute_paths_folders_and_other_extensions_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("sub")).unwrap();
        fs::write(dir.path().join("a.toml"), "").unwrap();
        fs::write(dir.path().join("notes.txt"), "").unwrap();
        let top = dir.path().join("a.toml");
        let root = Root::find(&top, &LoadOptions::default()).unwrap();
        let abs = top.display().to_string();
        assert!(root.resolve(&top, &abs).unwrap_err().0.contains("relative"));
        assert!(
            root.resolve(&top, ".")
                .unwrap_err()
                .0
                .contains("names a folder")
        );
        assert!(
            root.resolve(&top, "sub")
                .unwrap_err()
                .0
                .contains("names a folder")
        );
        assert!(
            root.resolve(&top, "notes.txt")
                .unwrap_err()
                .0
                .contains(".toml")
        );
        assert!(root.resolve(&top, "").unwrap_err().0.contains("empty"));
    }
}
