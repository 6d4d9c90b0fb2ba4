//! `manifest.json`: what produced an output directory and the sha256 of
//! every file in it, so a colleague can check and reproduce the result.

use std::fs;
use std::io::{self, Read};
use std::path::Path;

use serde::{Deserialize, Serialize};

use sha2::{Digest, Sha256};

use crate::scenario::Scenario;
use crate::scenario::load::to_hex;
use crate::scenario::params::Override;

/// One file of the output directory.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileEntry {
    /// Path relative to the output directory.
    pub path: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Hex sha256.
    pub sha256: String,
}

/// One file of a scenario's `extends` chain.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ChainEntry {
    /// File name.
    pub file: String,
    /// sha256 of its bytes.
    pub sha256: String,
}

/// One scenario of a comparison.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ManifestScenario {
    /// Scenario name.
    pub name: String,
    /// File name.
    pub file: String,
    /// Scenario identity: the file's sha256, or the chain's (docs/scenario-format.md).
    pub sha256: String,
    /// The files read: its own, then its parent, and so on.
    pub chain: Vec<ChainEntry>,
    /// Numbers fixed on the command line (`--set`); absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<Override>,
}

impl ManifestScenario {
    /// The identity of scenario `s` and of the files it was read from.
    pub fn of(s: &Scenario) -> ManifestScenario {
        ManifestScenario {
            name: s.name.clone(),
            file: file_name(&s.origin.path),
            sha256: s.origin.sha256.clone(),
            chain: s
                .origin
                .chain
                .iter()
                .map(|f| ChainEntry {
                    file: file_name(&f.path),
                    sha256: f.sha256.clone(),
                })
                .collect(),
            overrides: s.overrides.clone(),
        }
    }
}

/// The manifest of a result folder, `manifest.json`, for every command:
/// what produced the folder, from which scenario (or, for a comparison,
/// scenarios), seed and trials, and the size and sha256 of every file.
///
/// A folder made from one scenario names it in `scenario`,
/// `scenario_file` and `scenario_sha256`; a comparison lists every
/// scenario with its `extends` chain in `scenarios` (and the single-scenario
/// fields hold its baseline, which the file does not repeat).
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    /// Program name.
    pub program: String,
    /// What produced the directory: `run`, `compare`, `sweep`, `sensitivity`, `discover`, ...
    pub kind: String,
    /// Program version.
    pub brink_version: String,
    /// Command line as typed (it is the one field that may differ between
    /// runs that produce identical results, e.g. by `--threads`).
    pub command: Vec<String>,
    /// Scenario name (of a comparison: its baseline).
    pub scenario: String,
    /// Scenario file name.
    pub scenario_file: String,
    /// sha256 of the scenario file (or of its `extends` chain).
    pub scenario_sha256: String,
    /// Numbers of the scenario fixed on the command line (`--set`), written
    /// as `scenario_overrides` only when there are some.
    pub scenario_overrides: Vec<Override>,
    /// The scenarios of a comparison, the baseline first; empty otherwise.
    pub scenarios: Vec<ManifestScenario>,
    /// Master seed.
    pub seed: u64,
    /// Trials (in all, for analyses that run many points; paired trials of a comparison).
    pub trials: u64,
    /// Files written, sorted by path.
    pub files: Vec<FileEntry>,
}

impl Manifest {
    /// The manifest of a folder produced by `kind` from `scenario`; the
    /// file list is filled in when the folder is committed.
    pub fn new(
        kind: &str,
        scenario: &Scenario,
        command: &[String],
        seed: u64,
        trials: u64,
    ) -> Manifest {
        Manifest {
            program: "brink".into(),
            kind: kind.into(),
            brink_version: env!("CARGO_PKG_VERSION").into(),
            command: command.to_vec(),
            scenario: scenario.name.clone(),
            scenario_file: file_name(&scenario.origin.path),
            scenario_sha256: scenario.origin.sha256.clone(),
            scenario_overrides: scenario.overrides.clone(),
            scenarios: Vec::new(),
            seed,
            trials,
            files: Vec::new(),
        }
    }

    /// The manifest of a comparison of `scenarios` (the baseline first).
    ///
    /// # Panics
    ///
    /// If `scenarios` is empty.
    pub fn comparison(
        scenarios: &[Scenario],
        command: &[String],
        seed: u64,
        trials: u64,
    ) -> Manifest {
        Manifest {
            scenarios: scenarios.iter().map(ManifestScenario::of).collect(),
            ..Manifest::new("compare", &scenarios[0], command, seed, trials)
        }
    }

    /// The scenarios the folder was made from: a comparison's, or the one.
    pub fn compared(&self) -> &[ManifestScenario] {
        &self.scenarios
    }
}

impl Serialize for Manifest {
    /// The layout of `manifest.json`: for one scenario, its name, file and
    /// hash after the command; for a comparison, `kind` after the command
    /// and then the list of scenarios.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut m = s.serialize_struct("Manifest", 10)?;
        m.serialize_field("program", &self.program)?;
        if self.scenarios.is_empty() {
            m.serialize_field("kind", &self.kind)?;
            m.serialize_field("brink_version", &self.brink_version)?;
            m.serialize_field("command", &self.command)?;
            m.serialize_field("scenario", &self.scenario)?;
            m.serialize_field("scenario_file", &self.scenario_file)?;
            m.serialize_field("scenario_sha256", &self.scenario_sha256)?;
            if !self.scenario_overrides.is_empty() {
                m.serialize_field("scenario_overrides", &self.scenario_overrides)?;
            }
        } else {
            m.serialize_field("brink_version", &self.brink_version)?;
            m.serialize_field("command", &self.command)?;
            m.serialize_field("kind", &self.kind)?;
            m.serialize_field("scenarios", &self.scenarios)?;
        }
        m.serialize_field("seed", &self.seed)?;
        m.serialize_field("trials", &self.trials)?;
        m.serialize_field("files", &self.files)?;
        m.end()
    }
}

/// `manifest.json` as read: either layout.
#[derive(Deserialize)]
struct ManifestFile {
    program: String,
    kind: String,
    brink_version: String,
    command: Vec<String>,
    #[serde(default)]
    scenario: Option<String>,
    #[serde(default)]
    scenario_file: Option<String>,
    #[serde(default)]
    scenario_sha256: Option<String>,
    #[serde(default)]
    scenario_overrides: Vec<Override>,
    #[serde(default)]
    scenarios: Vec<ManifestScenario>,
    seed: u64,
    trials: u64,
    files: Vec<FileEntry>,
}

impl<'de> Deserialize<'de> for Manifest {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Manifest, D::Error> {
        use serde::de::Error;
        let f = ManifestFile::deserialize(d)?;
        let first = f.scenarios.first();
        let pick = |own: Option<String>, of: fn(&ManifestScenario) -> String, name: &str| {
            own.or_else(|| first.map(of))
                .ok_or_else(|| D::Error::custom(format!("missing field `{name}`")))
        };
        Ok(Manifest {
            scenario: pick(f.scenario, |s| s.name.clone(), "scenario")?,
            scenario_file: pick(f.scenario_file, |s| s.file.clone(), "scenario_file")?,
            scenario_sha256: pick(f.scenario_sha256, |s| s.sha256.clone(), "scenario_sha256")?,
            scenario_overrides: f.scenario_overrides,
            program: f.program,
            kind: f.kind,
            brink_version: f.brink_version,
            command: f.command,
            scenarios: f.scenarios,
            seed: f.seed,
            trials: f.trials,
            files: f.files,
        })
    }
}

/// Lists every file under `dir` (recursively, sorted) with its hash.
pub fn hash_files(dir: &Path) -> io::Result<Vec<FileEntry>> {
    hash_files_known(dir, &[])
}

/// Like [`hash_files`], but takes the entries of `known` (files hashed as
/// they were written) instead of reading those files again, when a file's
/// size is still the one recorded.
pub fn hash_files_known(dir: &Path, known: &[FileEntry]) -> io::Result<Vec<FileEntry>> {
    let mut out = Vec::new();
    walk(dir, dir, known, &mut out)?;
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

fn walk(root: &Path, dir: &Path, known: &[FileEntry], out: &mut Vec<FileEntry>) -> io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .and_then(|d| d.collect::<Result<_, _>>())
        .map_err(crate::output::io_error::at("list the folder", dir))?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            walk(root, &p, known, out)?;
        } else {
            let rel = p.strip_prefix(root).unwrap_or(&p);
            let path = rel.to_string_lossy().replace('\\', "/");
            let len = e.metadata().map(|m| m.len()).ok();
            let entry = match known.iter().find(|k| k.path == path) {
                Some(k) if Some(k.bytes) == len => k.clone(),
                _ => {
                    let (bytes, sha256) = hash_file(&p)?;
                    FileEntry {
                        path,
                        bytes,
                        sha256,
                    }
                }
            };
            out.push(entry);
        }
    }
    Ok(())
}

/// Size and hex sha256 of a file, read in pieces so memory stays flat.
pub fn hash_file(path: &Path) -> io::Result<(u64, String)> {
    let mut hasher = Sha256::new();
    let at = crate::output::io_error::at;
    let mut file = fs::File::open(path).map_err(at("open", path))?;
    let mut buf = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(at("read", path))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        bytes += n as u64;
    }
    Ok((bytes, to_hex(&hasher.finalize())))
}

/// The file name of a path, for outputs that must not depend on the machine.
pub fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one() -> Manifest {
        Manifest {
            program: "brink".into(),
            kind: "run".into(),
            brink_version: "1.0.0".into(),
            command: vec!["brink".into(), "run".into()],
            scenario: "s".into(),
            scenario_file: "s.toml".into(),
            scenario_sha256: "ab".into(),
            scenario_overrides: Vec::new(),
            scenarios: Vec::new(),
            seed: 7,
            trials: 10,
            files: vec![FileEntry {
                path: "summary.json".into(),
                bytes: 3,
                sha256: "cd".into(),
            }],
        }
    }

    #[test]
    fn one_scenario_keeps_its_layout_and_reads_back() {
        let m = one();
        let text = serde_json::to_string(&m).unwrap();
        assert!(
            text.starts_with(
                r#"{"program":"brink","kind":"run","brink_version":"1.0.0","command":["brink","run"],"scenario":"s","scenario_file":"s.toml","scenario_sha256":"ab","seed":7"#
            ),
            "{text}"
        );
        assert!(!text.contains("scenarios"));
        assert_eq!(serde_json::from_str::<Manifest>(&text).unwrap(), m);
    }

    #[test]
    fn a_comparison_lists_its_scenarios_and_reads_back() {
        let entry = |name: &str| ManifestScenario {
            name: name.into(),
            file: format!("{name}.toml"),
            sha256: format!("{name}-hash"),
            chain: vec![ChainEntry {
                file: format!("{name}.toml"),
                sha256: format!("{name}-hash"),
            }],
            overrides: Vec::new(),
        };
        let m = Manifest {
            kind: "compare".into(),
            scenario: "a".into(),
            scenario_file: "a.toml".into(),
            scenario_sha256: "a-hash".into(),
            scenarios: vec![entry("a"), entry("b")],
            ..one()
        };
        let text = serde_json::to_string(&m).unwrap();
        assert!(
            text.starts_with(
                r#"{"program":"brink","brink_version":"1.0.0","command":["brink","run"],"kind":"compare","scenarios":[{"name":"a""#
            ),
            "{text}"
        );
        assert!(!text.contains("scenario_file"));
        let back: Manifest = serde_json::from_str(&text).unwrap();
        assert_eq!(back, m, "the baseline fills the single-scenario fields");
        assert_eq!(back.compared().len(), 2);
        let broken = text.replace(r#""scenarios":[{"#, r#""others":[{"#);
        assert!(serde_json::from_str::<Manifest>(&broken).is_err());
    }
}
