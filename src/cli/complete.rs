//! Shell completions and the man page. Completion runs in the binary itself (clap_complete's
//! environment engine): the script a shell loads calls `TOKENSMITH_COMPLETE=<shell> tokensmith
//! -- <words>`, so profile ids and stored key names are completed from the user's own folders.
//! A normal run pays one environment-variable lookup for this.

use std::io::Write as _;

use clap::ValueEnum;
use clap_complete::engine::CompletionCandidate;
use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};

use tokensmith::paths::Paths;
use tokensmith::profile::ProfileSet;
use tokensmith::store::{StoreDir, StoreState};

use super::CliError;

/// The variable the completion scripts set when they call the binary.
pub const VAR: &str = "TOKENSMITH_COMPLETE";

/// Answers a completion request and exits, when the shell's script made this run one.
pub fn answer_if_asked() {
    clap_complete::CompleteEnv::with_factory(super::command).var(VAR).complete();
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Elvish,
}

/// `tokensmith completions SHELL`: the script to load in the shell's start-up file.
pub fn script(shell: Shell) -> Result<u8, CliError> {
    let completer: &dyn EnvCompleter = match shell {
        Shell::Bash => &Bash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
        Shell::Powershell => &Powershell,
        Shell::Elvish => &Elvish,
    };
    let mut out = Vec::new();
    // The script calls `tokensmith` by name, so it keeps working when the binary is reinstalled.
    completer
        .write_registration(VAR, "tokensmith", "tokensmith", "tokensmith", &mut out)
        .map_err(|e| CliError::usage(format!("cannot write the completion script: {e}")))?;
    write_stdout(&out)
}

/// `tokensmith man`: the man page (roff) on stdout. One page: the verbs are sections of it
/// (COMMANDS, then COMMANDS IN DETAIL), so it names no `tokensmith-VERB(1)` pages, which do
/// not exist; clap's `help` subcommands are left out, since `--help` covers them.
pub fn man() -> Result<u8, CliError> {
    let cmd = super::command()
        .disable_help_subcommand(true)
        .mut_subcommands(|sub| sub.disable_help_subcommand(true));
    write_stdout(&man_page(cmd).map_err(|e| CliError::usage(format!("cannot write the man page: {e}")))?)
}

fn man_page(mut cmd: clap::Command) -> std::io::Result<Vec<u8>> {
    // Subcommands define their arguments lazily (cli/deferred.rs): build them all first.
    cmd.build();
    let page = clap_mangen::Man::new(cmd.clone());
    let mut out = Vec::new();
    page.render_title(&mut out)?;
    page.render_name_section(&mut out)?;
    page.render_synopsis_section(&mut out)?;
    page.render_description_section(&mut out)?;
    page.render_options_section(&mut out)?;
    // clap_mangen's own list points at a page per verb (tokensmith-sign(1)); this one points
    // at the verb's section below.
    out.extend_from_slice(b".SH COMMANDS\n");
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let _ = writeln!(out, ".TP\n\\fBtokensmith {}\\fR", roff_text(sub.get_name()));
        if let Some(about) = sub.get_about() {
            let _ = writeln!(out, "{}", roff_text(&about.to_string()));
        }
    }
    out.extend_from_slice(b".PP\nEach command's options and examples are under COMMANDS IN DETAIL.\n");
    if let Some(text) = cmd.get_after_help() {
        out.extend_from_slice(b".SH \"EXAMPLES AND EXIT STATUS\"\n");
        verbatim(&mut out, &text.to_string());
    }
    page.render_version_section(&mut out)?;
    // One section per verb with its options, so the page documents every command line.
    out.extend_from_slice(b".SH \"COMMANDS IN DETAIL\"\n");
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        verb_section(&mut out, "tokensmith", sub);
    }
    Ok(dedupe_preamble(out))
}

/// Text kept as it is written (examples: one command a line, indented), not filled.
fn verbatim(out: &mut Vec<u8>, text: &str) {
    let _ = writeln!(out, ".PP\n.nf\n{}\n.fi", roff_text(text));
}

/// clap_mangen starts each section it renders with the same two-line string definition; once
/// at the top is enough.
fn dedupe_preamble(page: Vec<u8>) -> Vec<u8> {
    const PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
    let text = String::from_utf8_lossy(&page);
    match text.split_once(PREAMBLE) {
        Some((before, after)) => format!("{before}{PREAMBLE}{}", after.replace(PREAMBLE, "")).into_bytes(),
        None => page,
    }
}

fn verb_section(out: &mut Vec<u8>, parent: &str, sub: &clap::Command) {
    let name = format!("{parent} {}", sub.get_name());
    let _ = writeln!(out, ".SS \"{}\"", roff_text(&name));
    if let Some(about) = sub.get_about() {
        let _ = writeln!(out, "{}", roff_text(&about.to_string()));
    }
    if sub.has_subcommands() {
        if let Some(text) = sub.get_after_help() {
            verbatim(out, &text.to_string());
        }
        for nested in sub.get_subcommands().filter(|s| !s.is_hide_set()) {
            verb_section(out, &name, nested);
        }
        return;
    }
    for arg in sub.get_arguments().filter(|a| !a.is_hide_set() && !a.is_global_set()) {
        let id = arg.get_id().as_str();
        if id == "help" || id == "version" {
            continue;
        }
        // An on/off flag takes no value, so none is shown.
        let value = arg
            .get_value_names()
            .and_then(|v| v.first())
            .filter(|_| arg.get_action().takes_values())
            .map(|v| format!(" <{v}>"))
            .unwrap_or_default();
        let flag = match (arg.get_short(), arg.get_long()) {
            (Some(s), Some(l)) => format!("-{s}, --{l}{value}"),
            (None, Some(l)) => format!("--{l}{value}"),
            (Some(s), None) => format!("-{s}{value}"),
            (None, None) => format!("<{}>", id.to_uppercase()),
        };
        let _ = writeln!(out, ".TP\n\\fB{}\\fR", roff_text(&flag));
        if let Some(help) = arg.get_help() {
            let _ = writeln!(out, "{}", roff_text(&help.to_string()));
        }
    }
    if let Some(text) = sub.get_after_help() {
        verbatim(out, &text.to_string());
    }
}

/// Text safe in a roff line: backslashes escaped, no line starting with a control character.
fn roff_text(text: &str) -> String {
    text.lines()
        .map(|line| {
            let line = line.replace('\\', "\\e").replace('-', "\\-");
            if line.starts_with('.') || line.starts_with('\'') { format!("\\&{line}") } else { line }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn write_stdout(bytes: &[u8]) -> Result<u8, CliError> {
    std::io::stdout()
        .write_all(bytes)
        .map_err(|e| CliError::usage(format!("cannot write to standard output: {e}")))?;
    Ok(0)
}

/// The folders as a normal run would find them (the completer sees no parsed --home).
fn paths() -> Option<Paths> {
    let home = std::env::var_os("TOKENSMITH_HOME").filter(|h| !h.is_empty());
    Paths::resolve(home.as_deref().map(std::path::Path::new)).ok()
}

/// Profile ids, built-in and the user's, with their names as help.
pub fn profile_ids() -> Vec<CompletionCandidate> {
    let set = match paths() {
        Some(paths) => ProfileSet::load(Some(&paths.profiles())),
        None => ProfileSet::load(None),
    };
    set.profiles
        .iter()
        .map(|p| CompletionCandidate::new(p.id.clone()).help(Some(p.name.clone().into())))
        .collect()
}

/// Stored key names: from a plain store, or an encrypted one when TOKENSMITH_PASSPHRASE is set
/// (completion never prompts).
pub fn key_names() -> Vec<CompletionCandidate> {
    let Some(paths) = paths() else { return Vec::new() };
    let dir = StoreDir::new(&paths.data);
    let pass = match dir.state() {
        Ok(StoreState::Plain) => None,
        Ok(StoreState::Encrypted) => match std::env::var_os("TOKENSMITH_PASSPHRASE") {
            Some(p) => Some(tokensmith::secret::Secret::new(super::input::os_bytes(p))),
            None => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    let Ok(store) = dir.open(pass.as_ref()) else { return Vec::new() };
    store
        .entries
        .iter()
        .map(|e| CompletionCandidate::new(e.name.clone()).help(e.profile.clone().map(Into::into)))
        .collect()
}
