//! The Python environment of the tests that run Python: the venv that
//! `scripts/python-env.sh` makes in `target/python-env` (`.ci/run` calls it
//! before the tests). When it is missing a test makes it (pip, from the
//! Python package index); when that fails the test fails, saying why: it
//! never passes unchecked.

use std::path::PathBuf;
use std::process::Command;

/// The repository's root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The venv's Python, made once per test binary, with every module of
/// `imports` importable.
pub fn python(imports: &str) -> PathBuf {
    static MADE: std::sync::OnceLock<Result<PathBuf, String>> = std::sync::OnceLock::new();
    let made = MADE.get_or_init(|| {
        let python = root().join("target/python-env/bin/python");
        let ready = python.exists()
            && Command::new(&python)
                .args(["-c", &format!("import {imports}")])
                .status()
                .is_ok_and(|s| s.success());
        if ready {
            return Ok(python);
        }
        let out = Command::new("bash")
            .arg(root().join("scripts/python-env.sh"))
            .output()
            .map_err(|e| format!("cannot run scripts/python-env.sh: {e}"))?;
        if !out.status.success() || !python.exists() {
            return Err(format!(
                "scripts/python-env.sh failed:\n{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(python)
    });
    match made {
        Ok(p) => p.clone(),
        Err(e) => panic!(
            "\n\nthis test runs Python ({imports}) from target/python-env, which \
             could not be made: {e}\nMake it by hand with\n\n    scripts/python-env.sh\n\n"
        ),
    }
}
