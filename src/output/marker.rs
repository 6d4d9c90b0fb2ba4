//! What brink may replace: a result folder is brink's when it holds a
//! marker (`manifest.json` of a result, `shard.json` of a shard) written by
//! brink, and every file in it is one that marker lists. Anything else
//! (a user's folder, a file, a link, a result folder someone added files
//! to) is refused before any work starts, so no command ever deletes what
//! brink did not write.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::input::read_limited;

/// The files that mark a folder as a brink result, in the order looked for.
pub const MARKERS: [&str; 2] = ["manifest.json", "shard.json"];

/// Largest marker read: a manifest lists a few dozen files.
const MARKER_LIMIT: u64 = 16 << 20;

/// How many unlisted files a refusal names.
const NAMED: usize = 5;

fn refuse(target: &Path, why: String) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "{} {why}; brink replaces only result folders it wrote\n  = hint: move it away, or choose another folder with --out",
            target.display()
        ),
    )
}

/// Checks that `target` may be replaced by a new result: it does not
/// exist, or it is an empty folder, or a brink result folder holding only
/// files its marker lists. Bad input otherwise, naming the path and why.
pub fn check_replaceable(target: &Path) -> io::Result<()> {
    let meta = match fs::symlink_metadata(target) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(io::Error::new(
                e.kind(),
                format!("cannot look at {}: {e}", target.display()),
            ));
        }
    };
    let t = meta.file_type();
    if t.is_symlink() {
        return Err(refuse(target, "is a symbolic link".into()));
    }
    if !t.is_dir() {
        return Err(refuse(target, "is a file, not a result folder".into()));
    }
    let mut present = Vec::new();
    list_files(target, target, &mut present)?;
    if present.is_empty() {
        return Ok(());
    }
    let Some((marker, listed)) = read_marker(target)? else {
        return Err(refuse(
            target,
            format!(
                "holds files but no brink marker ({})",
                MARKERS.map(|m| format!("`{m}`")).join(" or ")
            ),
        ));
    };
    let foreign: Vec<&String> = present
        .iter()
        .filter(|p| **p != marker && !listed.contains(*p))
        .collect();
    if foreign.is_empty() {
        return Ok(());
    }
    let mut names: Vec<String> = foreign.iter().take(NAMED).map(|p| p.to_string()).collect();
    if foreign.len() > NAMED {
        names.push(format!("and {} more", foreign.len() - NAMED));
    }
    Err(refuse(
        target,
        format!(
            "holds files its `{marker}` does not list ({})",
            names.join(", ")
        ),
    ))
}

/// The marker of a folder and the paths it lists, when it has one written
/// by brink.
fn read_marker(dir: &Path) -> io::Result<Option<(String, BTreeSet<String>)>> {
    for name in MARKERS {
        let path = dir.join(name);
        if !path.is_file() {
            continue;
        }
        let bytes = read_limited(&path, MARKER_LIMIT)?;
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
            continue;
        };
        if value.get("program").and_then(|p| p.as_str()) != Some("brink") {
            continue;
        }
        let listed = value
            .get("files")
            .and_then(|f| f.as_array())
            .map(|files| {
                files
                    .iter()
                    .filter_map(|f| f.get("path").and_then(|p| p.as_str()))
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        return Ok(Some((name.to_string(), listed)));
    }
    Ok(None)
}

/// Every entry below `dir` that is not a folder (files, links, anything
/// else), as paths relative to `root` with `/` separators.
fn list_files(root: &Path, dir: &Path, out: &mut Vec<String>) -> io::Result<()> {
    let entries = fs::read_dir(dir).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!("cannot list the folder {}: {e}", dir.display()),
        )
    })?;
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        let is_dir = fs::symlink_metadata(&p).is_ok_and(|m| m.is_dir());
        if is_dir {
            list_files(root, &p, out)?;
        } else {
            let rel = p.strip_prefix(root).unwrap_or(&p);
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(files: &[&str]) -> String {
        let files: Vec<String> = files
            .iter()
            .map(|f| format!(r#"{{"path":"{f}","bytes":1,"sha256":"00"}}"#))
            .collect();
        format!(r#"{{"program":"brink","files":[{}]}}"#, files.join(","))
    }

    #[test]
    fn missing_and_empty_folders_may_be_replaced() {
        let dir = tempfile::tempdir().unwrap();
        check_replaceable(&dir.path().join("none")).unwrap();
        fs::create_dir_all(dir.path().join("empty/plots")).unwrap();
        check_replaceable(&dir.path().join("empty")).unwrap();
    }

    #[test]
    fn a_result_folder_holding_only_its_listed_files_may_be_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path().join("r");
        fs::create_dir_all(r.join("plots")).unwrap();
        fs::write(r.join("summary.json"), "{}").unwrap();
        fs::write(r.join("plots/a.png"), "x").unwrap();
        fs::write(
            r.join("manifest.json"),
            manifest(&["summary.json", "plots/a.png"]),
        )
        .unwrap();
        check_replaceable(&r).unwrap();
    }

    #[test]
    fn a_users_folder_is_refused_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path().join("Documents");
        fs::create_dir_all(r.join("data")).unwrap();
        fs::write(r.join("thesis.docx"), "x").unwrap();
        let e = check_replaceable(&r).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        assert!(e.to_string().contains("Documents"), "{e}");
        assert!(e.to_string().contains("hint"), "{e}");
    }

    #[test]
    fn files_added_to_a_result_folder_are_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path().join("r");
        fs::create_dir_all(&r).unwrap();
        fs::write(r.join("summary.json"), "{}").unwrap();
        fs::write(r.join("notes.txt"), "mine").unwrap();
        fs::write(r.join("manifest.json"), manifest(&["summary.json"])).unwrap();
        let e = check_replaceable(&r).unwrap_err();
        assert!(e.to_string().contains("notes.txt"), "{e}");
    }

    #[test]
    fn a_marker_of_another_program_and_a_plain_file_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path().join("r");
        fs::create_dir_all(&r).unwrap();
        fs::write(r.join("manifest.json"), r#"{"program":"other","files":[]}"#).unwrap();
        assert!(check_replaceable(&r).is_err());
        let f = dir.path().join("f");
        fs::write(&f, "x").unwrap();
        let e = check_replaceable(&f).unwrap_err();
        assert!(e.to_string().contains("is a file"), "{e}");
    }
}
