//! The command reference in Markdown (`brink man --markdown`), generated
//! from the same clap definitions as `--help` and the man pages, so that
//! docs/cli.md cannot fall behind: scripts/cli-docs.sh pastes this text
//! between its markers and tests/cli_docs.rs checks that it is current.
//! Every subcommand, at any depth, and every option is walked; a new one
//! appears on the next run without any change here.

use clap::{Arg, ArgAction, Command};

use super::args::EXIT_CODES_HELP;

/// The reference of `cmd` (the `brink` command) and of every subcommand.
pub fn reference(cmd: &Command) -> String {
    let mut out = String::new();
    let name = cmd.get_name().to_string();
    out.push_str("### Commands\n\n");
    out.push_str("| command | what it does |\n| --- | --- |\n");
    let mut all = Vec::new();
    collect(cmd, &name, &mut all);
    for (path, sub) in &all {
        out.push_str(&format!(
            "| [`{path}`](#{}) | {} |\n",
            path.replace(' ', "-"),
            cell(&about(sub))
        ));
    }
    out.push('\n');
    for (path, sub) in &all {
        section(&mut out, path, sub);
    }
    out
}

/// The reference of one subcommand, `None` if `brink` has no such one.
pub fn reference_of(cmd: &Command, name: &str) -> Option<String> {
    let sub = cmd.find_subcommand(name)?;
    let path = format!("{} {name}", cmd.get_name());
    let mut all = vec![(path.clone(), sub.clone())];
    collect(sub, &path, &mut all);
    let mut out = String::new();
    for (path, sub) in &all {
        section(&mut out, path, sub);
    }
    Some(out)
}

/// `cmd`'s visible subcommands, depth first, each with its full path
/// (`brink run`).
fn collect(cmd: &Command, path: &str, all: &mut Vec<(String, Command)>) {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let sub_path = format!("{path} {}", sub.get_name());
        all.push((sub_path.clone(), sub.clone()));
        collect(sub, &sub_path, all);
    }
}

/// One command: what it does, its usage, a table of its arguments and
/// options, and its examples and notes.
fn section(out: &mut String, path: &str, cmd: &Command) {
    out.push_str(&format!("### `{path}`\n\n"));
    let text = cmd
        .get_long_about()
        .or(cmd.get_about())
        .map(|s| s.to_string())
        .unwrap_or_default();
    if !text.trim().is_empty() {
        out.push_str(&format!("{}\n\n", escape(text.trim())));
    }
    let usage = cmd
        .clone()
        .bin_name(path)
        .render_usage()
        .to_string()
        .trim()
        .trim_start_matches("Usage:")
        .trim()
        .to_string();
    out.push_str(&format!("```text\n{usage}\n```\n\n"));
    let args: Vec<&Arg> = cmd
        .get_arguments()
        .filter(|a| !a.is_hide_set() && !is_help(a))
        .collect();
    if !args.is_empty() {
        out.push_str("| argument or option | meaning |\n| --- | --- |\n");
        for a in args {
            let names = names(a).replace('|', "\\|");
            out.push_str(&format!("| {names} | {} |\n", cell(&meaning(a))));
        }
        out.push('\n');
    }
    if let Some(after) = cmd.get_after_long_help().or(cmd.get_after_help()) {
        let after = after.to_string();
        let notes = after.trim_end().trim_end_matches(EXIT_CODES_HELP).trim();
        if !notes.is_empty() {
            out.push_str(&format!("```text\n{notes}\n```\n\n"));
        }
    }
}

/// `-h`/`--help`/`-V`/`--version`, which every command has.
fn is_help(a: &Arg) -> bool {
    matches!(
        a.get_action(),
        ArgAction::Help | ArgAction::HelpShort | ArgAction::HelpLong | ArgAction::Version
    )
}

fn about(cmd: &Command) -> String {
    cmd.get_about().map(|s| s.to_string()).unwrap_or_default()
}

/// How an argument is written: `<SCENARIO>...`, or `-n`, `--trials <N>`.
fn names(a: &Arg) -> String {
    let values = value_names(a);
    if a.is_positional() {
        return format!("`{values}`");
    }
    let mut parts = Vec::new();
    if let Some(s) = a.get_short() {
        parts.push(format!("`-{s}`"));
    }
    if let Some(l) = a.get_long() {
        if values.is_empty() {
            parts.push(format!("`--{l}`"));
        } else {
            parts.push(format!("`--{l} {values}`"));
        }
    }
    parts.join(", ")
}

/// `<N>`, `<SCENARIO>...`, or nothing for a flag.
fn value_names(a: &Arg) -> String {
    if !a.get_action().takes_values() {
        return String::new();
    }
    let name = a
        .get_value_names()
        .map(|v| {
            v.iter()
                .map(|n| format!("<{n}>"))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|| format!("<{}>", a.get_id().as_str().to_uppercase()));
    let many = a.get_num_args().is_some_and(|r| r.max_values() > 1)
        || matches!(a.get_action(), ArgAction::Append);
    if many { format!("{name}...") } else { name }
}

/// The help text, then whether it is required, its default and its values.
fn meaning(a: &Arg) -> String {
    let mut text = a
        .get_long_help()
        .or(a.get_help())
        .map(|s| s.to_string())
        .unwrap_or_default()
        .trim()
        .to_string();
    // Each part is a sentence: the help text may end without a full stop.
    if !text.is_empty() && !text.ends_with(['.', ']', '?', '!']) {
        text.push('.');
    }
    let mut add = |s: String| {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&s);
    };
    if a.is_required_set() {
        add("Required.".into());
    }
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && a.get_action().takes_values() {
        add(format!("Default: `{}`.", defaults.join(",")));
    }
    let values: Vec<String> = a
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| format!("`{}`", v.get_name()))
        .collect();
    if !values.is_empty() && a.get_action().takes_values() {
        add(format!("One of {}.", values.join(", ")));
    }
    text
}

/// Text for a table cell: one line, escaped.
fn cell(text: &str) -> String {
    escape(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Escapes what Markdown would read as markup outside code spans (`<`,
/// `*`, `|`); inside them only `|`, which would end a table cell.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for c in text.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '|' => out.push_str("\\|"),
            '<' | '*' | '_' if !in_code => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn every_subcommand_and_long_option_is_in_the_reference() {
        let cmd = super::super::Cli::command();
        let text = reference(&cmd);
        for sub in cmd.get_subcommands() {
            assert!(
                text.contains(&format!("### `brink {}`", sub.get_name())),
                "{}",
                sub.get_name()
            );
            for a in sub.get_arguments() {
                if let Some(l) = a.get_long() {
                    assert!(text.contains(&format!("`--{l}")), "--{l}");
                }
            }
        }
    }

    #[test]
    fn markup_is_escaped_outside_code_spans() {
        assert_eq!(escape("a | b"), "a \\| b");
        assert_eq!(
            escape("OUT/<name>/ and `a<b|c`"),
            "OUT/\\<name>/ and `a<b\\|c`"
        );
        assert_eq!(escape("x * y, war_ongoing"), "x \\* y, war\\_ongoing");
    }
}
