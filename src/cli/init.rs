//! `brink init`.

use std::io::Write;
use std::path::{Path, PathBuf};

use brink::scenario::builtin;
use brink::scenario::starter::{is_valid_name, starter_scenario, starter_targets};

use super::args::InitArgs;
use super::output::emit;
use super::{EXIT_BAD_INPUT, EXIT_FAILURE};

/// One file `init` writes.
struct NewFile {
    path: PathBuf,
    text: String,
    /// A parent scenario written beside a copy: an identical file already
    /// there is left as it is, not counted as a clash.
    shared: bool,
}

/// Writes NAME.toml, a commented starter scenario, and NAME.targets.toml,
/// its calibration targets; or (`--from`) a copy of a built-in scenario,
/// with the parents it extends beside it.
pub fn init(a: &InitArgs) -> u8 {
    let path = toml_path(&a.name);
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let files = match &a.from {
        None => match starter_files(&path, &stem) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_BAD_INPUT;
            }
        },
        Some(from) => match builtin_files(&path, &stem, from) {
            Ok(f) => f,
            Err((e, hint)) => {
                eprintln!("error: {e}");
                eprintln!("  = hint: {hint}");
                return EXIT_BAD_INPUT;
            }
        },
    };
    // Every clash is reported, and nothing written, before any file is touched.
    let clashes: Vec<&NewFile> = files
        .iter()
        .filter(|f| !a.force && f.path.exists() && !(f.shared && is_same(f)))
        .collect();
    if !clashes.is_empty() {
        for f in &clashes {
            eprintln!("error: {} already exists", f.path.display());
        }
        eprintln!("  = hint: choose another name, or pass --force to overwrite it");
        return EXIT_BAD_INPUT;
    }
    let mut report = String::new();
    for f in &files {
        if f.shared && is_same(f) {
            report.push_str(&format!("kept {} (already there)\n", f.path.display()));
            continue;
        }
        let file = if a.force {
            std::fs::File::create(&f.path)
        } else {
            std::fs::File::create_new(&f.path)
        };
        match file.and_then(|mut out| out.write_all(f.text.as_bytes())) {
            Ok(()) => report.push_str(&format!("wrote {}\n", f.path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                eprintln!("error: {} already exists", f.path.display());
                eprintln!("  = hint: choose another name, or pass --force to overwrite it");
                return EXIT_BAD_INPUT;
            }
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", f.path.display());
                return EXIT_FAILURE;
            }
        }
    }
    let p = path.display();
    report.push_str(&format!(
        "next: edit it, then `brink validate {p}` and `brink run {p}`\n"
    ));
    if a.from.is_none() {
        report.push_str(&format!(
            "      `brink sensitivity {p}` asks which of its uncertain numbers matter;\n      \
             `brink calibrate {p} --targets {}` fits them to the targets\n",
            targets_path(&path).display()
        ));
    }
    emit(report.as_bytes())
}

/// NAME with `.toml` appended unless it ends so already.
fn toml_path(name: &Path) -> PathBuf {
    let mut path = name.to_path_buf();
    if path.extension().is_none_or(|x| x != "toml") {
        let mut file = path.file_name().unwrap_or_default().to_os_string();
        file.push(".toml");
        path.set_file_name(file);
    }
    path
}

/// `dir/NAME.targets.toml` beside `dir/NAME.toml`.
fn targets_path(path: &Path) -> PathBuf {
    path.with_extension("targets.toml")
}

fn starter_files(path: &Path, stem: &str) -> Result<Vec<NewFile>, String> {
    Ok(vec![
        NewFile {
            path: path.to_path_buf(),
            text: starter_scenario(stem)?,
            shared: false,
        },
        NewFile {
            path: targets_path(path),
            text: starter_targets(stem),
            shared: false,
        },
    ])
}

/// The copy of the built-in scenario `from`, named `stem`, and the chain of
/// parents it extends, each under its own file name beside it (so that
/// `extends` finds them).
fn builtin_files(path: &Path, stem: &str, from: &str) -> Result<Vec<NewFile>, (String, String)> {
    let Some(b) = builtin::find(from) else {
        return Err((
            format!("no built-in scenario `{from}`"),
            format!(
                "the built-in scenarios are {} (`brink list` outside a project shows them)",
                builtin::names().join(", ")
            ),
        ));
    };
    if !is_valid_name(stem) {
        return Err((
            format!("`{stem}` is not a valid scenario name"),
            "use lower-case letters, digits, `_` and `-`, starting with a letter (at most 64 characters)"
                .into(),
        ));
    }
    let dir = path.parent().unwrap_or(Path::new(""));
    let mut files = vec![NewFile {
        path: path.to_path_buf(),
        text: b.renamed(stem),
        shared: false,
    }];
    let mut parent = b.parent();
    while let Some(p) = parent {
        if p.name() == stem {
            return Err((
                format!(
                    "`{stem}` is the name of the scenario `{}` extends",
                    b.name()
                ),
                format!("choose another name: {} is written beside it", p.file),
            ));
        }
        files.push(NewFile {
            path: dir.join(p.file),
            text: p.text.to_string(),
            shared: true,
        });
        parent = p.parent();
    }
    Ok(files)
}

/// Whether the file at `f.path` already holds exactly `f.text`.
fn is_same(f: &NewFile) -> bool {
    std::fs::read(&f.path).is_ok_and(|bytes| bytes == f.text.as_bytes())
}
