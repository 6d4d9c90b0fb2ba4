//! Helpers shared by the end-to-end tests: reading a result folder whole and
//! comparing reports without the one part that names the command line.

// Each test crate uses a subset of these.
#![allow(dead_code)]

pub mod markov;
pub mod python_env;
pub mod shard_files;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

/// Every file under `dir` with its bytes, by relative path.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// A report's text without its command-line block, the one part that names
/// the thread count.
pub fn without_command(html: &[u8]) -> String {
    let html = String::from_utf8(html.to_vec()).unwrap();
    let start = html.find("<pre class=\"command\">").expect("command block");
    let end = start + html[start..].find("</pre>").unwrap();
    format!("{}{}", &html[..start], &html[end..])
}

/// The `report.html` of a result folder without its command-line block.
pub fn report_without_command(dir: &Path) -> String {
    without_command(&fs::read(dir.join("report.html")).unwrap())
}
