//! docs/cli.md documents every command and option: its reference section
//! is what `brink man --markdown` prints now (scripts/cli-docs.sh rewrites
//! it), so a new command or option fails here until the docs are regenerated.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

const BEGIN: &str = "<!-- BEGIN GENERATED";
const END: &str = "<!-- END GENERATED";

/// The generated section of docs/cli.md, without its marker lines.
fn documented() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/cli.md");
    let text = std::fs::read_to_string(path).unwrap();
    let start = text
        .find(BEGIN)
        .expect("docs/cli.md has a BEGIN GENERATED line");
    let start = start + text[start..].find('\n').unwrap() + 1;
    let end = text
        .find(END)
        .expect("docs/cli.md has an END GENERATED line");
    text[start..end].trim_start_matches('\n').to_string()
}

fn generated() -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(["man", "--markdown"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8(out.stdout).unwrap()
}

/// Every command (`### \`brink run\``) and every `command --option` pair of
/// a reference.
fn entries(reference: &str) -> BTreeSet<String> {
    let mut all = BTreeSet::new();
    let mut command = String::new();
    for line in reference.lines() {
        if let Some(c) = line.strip_prefix("### `").and_then(|l| l.strip_suffix('`')) {
            command = c.to_string();
            all.insert(command.clone());
        } else if line.starts_with("| `") && !command.is_empty() {
            let first = line.split(" | ").next().unwrap_or("");
            for part in first.split('`').filter(|p| p.starts_with("--")) {
                let long = part.split(' ').next().unwrap();
                all.insert(format!("{command} {long}"));
            }
        }
    }
    all
}

#[test]
fn docs_cli_md_documents_every_command_and_option() {
    let (doc, now) = (documented(), generated());
    let missing: Vec<String> = entries(&now).difference(&entries(&doc)).cloned().collect();
    assert!(
        missing.is_empty(),
        "docs/cli.md does not document: {}\nrun scripts/cli-docs.sh to regenerate its command reference",
        missing.join(", ")
    );
    assert!(
        doc == now,
        "the command reference in docs/cli.md differs from `brink man --markdown`; \
         run scripts/cli-docs.sh to regenerate it"
    );
}

#[test]
fn the_reference_names_every_command_of_help() {
    let now = generated();
    let help = Command::new(env!("CARGO_BIN_EXE_brink"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    let commands = help
        .split("Commands:")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .next()
        .unwrap();
    let names: Vec<&str> = commands
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(names.len() >= 15, "{names:?}");
    for name in names {
        if name != "help" {
            assert!(now.contains(&format!("### `brink {name}`")), "{name}");
        }
    }
    let run = entries(&now);
    for option in [
        "--no-plots",
        "--precision",
        "--shard",
        "--resume",
        "--trials",
    ] {
        assert!(run.contains(&format!("brink run {option}")), "{option}");
    }
}
