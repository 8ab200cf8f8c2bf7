//! `tokensmith man`, parsed: it names only pages that exist, shows each option as `--help`
//! does (an on/off flag with no value), and has no entries for clap's `help` subcommands.
//! Where `man` is installed the page is also rendered with roff's warnings on; without it,
//! that part fails under TOKENSMITH_REQUIRE_TOOLS=1 and is skipped otherwise.

use std::collections::BTreeSet;
use std::process::Command;

mod common;

use common::{Env, skip_missing};

fn page(env: &Env) -> String {
    String::from_utf8(env.ok(&["man"]).stdout).expect("utf8")
}

/// roff source as text: font changes dropped, escaped hyphens and quotes made plain.
fn plain(roff: &str) -> String {
    roff.replace("\\fB", "")
        .replace("\\fR", "")
        .replace("\\fI", "")
        .replace("\\fP", "")
        .replace("\\-", "-")
        .replace("\\*(Aq", "'")
        .replace("\\&", "")
        .replace("\\e", "\\")
}

/// Every `name(section)` reference in the text: `tokensmith-doctor(1)`, `man(1)`.
fn references(text: &str) -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    for (at, _) in text.match_indices('(') {
        let section: String = text[at + 1..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        let closes = text[at + 1 + section.len()..].starts_with(')');
        let name: String = text[..at]
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if closes && !name.is_empty() && section.starts_with(|c: char| c.is_ascii_digit()) {
            found.insert((name, section));
        }
    }
    found
}

/// The page's sections: (heading, option heads after each `.TP`), `.SH` and `.SS` alike.
fn option_heads(roff: &str) -> Vec<(String, Vec<String>)> {
    let mut sections: Vec<(String, Vec<String>)> = Vec::new();
    let mut lines = roff.lines();
    while let Some(line) = lines.next() {
        if let Some(heading) = line.strip_prefix(".SH ").or_else(|| line.strip_prefix(".SS ")) {
            sections.push((plain(heading.trim_matches('"')), Vec::new()));
        } else if line == ".TP"
            && let Some(head) = lines.next().map(plain)
            && head.starts_with('-')
            && let Some((_, heads)) = sections.last_mut()
        {
            // clap_mangen adds the default after the option: not part of how it is written.
            let head = head.split(" [default:").next().unwrap_or_default().trim().to_string();
            heads.push(head);
        }
    }
    sections
}

/// The options as `tokensmith <command> -h` writes them: `-p, --profile <ID>`, `--json`.
fn help_heads(env: &Env, command: &[&str]) -> BTreeSet<String> {
    let help = String::from_utf8(env.ok(&[command, &["-h"]].concat()).stdout).expect("utf8");
    help.lines()
        .skip_while(|line| *line != "Options:")
        .take_while(|line| !line.is_empty())
        .filter(|line| line.trim_start().starts_with('-') && line.len() - line.trim_start().len() <= 6)
        .map(|line| line.trim().split("  ").next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn the_page_names_only_pages_that_exist() {
    let env = Env::new();
    let text = plain(&page(&env));
    let refs = references(&text);
    assert!(references("see tokensmith-doctor(1) and man(1).").len() == 2, "the parser finds references");
    assert!(
        !refs.iter().any(|(name, _)| name.starts_with("tokensmith-")),
        "the page points at pages that do not exist: {refs:?}"
    );
    let others: Vec<&(String, String)> =
        refs.iter().filter(|(name, s)| !(name == "tokensmith" && s == "1")).collect();
    if others.is_empty() {
        return;
    }
    if Command::new("man").arg("-w").arg("man").output().is_err() {
        skip_missing("man (man-db), to check the pages the man page names");
        return;
    }
    for (name, section) in others {
        let found = Command::new("man").args(["-w", section, name]).output().expect("man runs");
        assert!(found.status.success(), "the page names {name}({section}), which `man -w` does not find");
    }
}

#[test]
fn options_are_written_as_help_writes_them_and_flags_take_no_value() {
    let env = Env::new();
    let sections = option_heads(&page(&env));
    let mut checked = 0;
    for (heading, heads) in &sections {
        let command: Vec<&str> = match heading.as_str() {
            "OPTIONS" => Vec::new(),
            name if name.starts_with("tokensmith ") => name.split(' ').skip(1).collect(),
            _ => continue,
        };
        let help = help_heads(&env, &command);
        for head in heads {
            assert!(help.contains(head), "`{heading}`: the page writes '{head}'; -h writes {help:?}");
            checked += 1;
        }
        if !heads.is_empty() {
            let missing: Vec<&String> = help
                .iter()
                .filter(|h| !heads.contains(h) && !h.contains("--help") && !h.contains("--version"))
                .collect();
            assert!(missing.is_empty(), "`{heading}`: the page lacks {missing:?}");
        }
    }
    assert!(checked > 100, "only {checked} options found on the page");
    // The flags the issue named, as they must read.
    let sign = &sections.iter().find(|(h, _)| h == "tokensmith sign").expect("sign's section").1;
    for flag in ["--json", "--strict", "--secret-stdin", "--secret-base64", "-v, --verbose"] {
        assert!(sign.iter().any(|h| h == flag), "sign: {flag} not shown bare: {sign:?}");
    }
}

#[test]
fn the_page_has_no_help_subcommand_entries() {
    let env = Env::new();
    let text = plain(&page(&env));
    let sections = option_heads(&page(&env));
    let with_help: Vec<&String> =
        sections.iter().map(|(h, _)| h).filter(|h| h.split(' ').any(|word| word == "help")).collect();
    assert!(with_help.is_empty(), "sections for `help` subcommands: {with_help:?}");
    assert!(!text.contains("Print this message or the help of the given subcommand(s)"));
    assert!(!text.lines().any(|l| l.trim() == "tokensmith help"), "a `help` entry under COMMANDS");
    // Every verb and every nested verb has its section.
    for verb in [
        "tokensmith sign",
        "tokensmith keys",
        "tokensmith keys gen",
        "tokensmith profile show",
        "tokensmith man",
    ] {
        assert!(sections.iter().any(|(h, _)| h == verb), "no section for `{verb}`");
    }
}

/// The page renders without roff warnings.
#[test]
fn the_page_renders_cleanly() {
    let env = Env::new();
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("tokensmith.1");
    std::fs::write(&file, page(&env)).expect("write");
    let Ok(out) = Command::new("man").args(["--warnings", "-l"]).arg(&file).env("MANWIDTH", "80").output()
    else {
        skip_missing("man (man-db), to render the man page");
        return;
    };
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "roff warnings");
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("COMMANDS IN DETAIL") && shown.contains("tokensmith keys gen"), "{shown}");
}
