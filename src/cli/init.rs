//! `brink init`.

use std::io::Write;
use std::path::PathBuf;

use brink::scenario::starter::starter_scenario;

use super::args::InitArgs;
use super::output::emit;
use super::{EXIT_BAD_INPUT, EXIT_FAILURE};

/// Writes NAME.toml, a commented starter scenario.
pub fn init(a: &InitArgs) -> u8 {
    let mut path: PathBuf = a.name.clone();
    if path.extension().is_none_or(|x| x != "toml") {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(".toml");
        path.set_file_name(name);
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = match starter_scenario(&stem) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_BAD_INPUT;
        }
    };
    let file = if a.force {
        std::fs::File::create(&path)
    } else {
        std::fs::File::create_new(&path)
    };
    let result = file.and_then(|mut f| f.write_all(text.as_bytes()));
    match result {
        Ok(()) => emit(
            format!(
                "wrote {0}\nnext: edit it, then `brink validate {0}` and `brink run {0}`\n",
                path.display()
            )
            .as_bytes(),
        ),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!("error: {} already exists", path.display());
            eprintln!("  = hint: choose another name, or pass --force to overwrite it");
            EXIT_BAD_INPUT
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            EXIT_FAILURE
        }
    }
}
