//! Profiles users write: `profile new`, `profile edit`, `profile validate`, and how warnings
//! about the user folder are shown (always by `profiles` and `profile validate`; elsewhere once
//! a day, or every time with --verbose, so a broken file does not drown every `sign`).

use std::io::{BufRead as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};

use tokensmith::paths::Paths;
use tokensmith::profile::{self, Profile, ProfileSet, ProfileSource};

use super::CliError;

static VERBOSE: AtomicBool = AtomicBool::new(false);

/// `--verbose`: show the folder's warnings on every command.
pub fn set_verbose(on: bool) {
    VERBOSE.store(on, Ordering::Relaxed);
}

/// Prints every warning about the user folder.
pub fn report_always(set: ProfileSet) -> ProfileSet {
    for warning in set.warnings() {
        errln!("{} {warning}", super::color::warning_label());
    }
    set
}

/// The stamp that remembers which warnings were shown, and on which day.
const STAMP: &str = "profile-warnings.stamp";

/// Prints the folder's warnings when --verbose is given, or when they were not shown today
/// (the same warnings, per `<data>/profile-warnings.stamp`); new warnings show at once.
pub fn report_daily(paths: &Paths, set: ProfileSet) -> ProfileSet {
    let warnings = set.warnings();
    if warnings.is_empty() {
        return set;
    }
    if VERBOSE.load(Ordering::Relaxed) {
        return report_always(set);
    }
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let stamp = format!("{} {:016x}\n", now / 86_400, fnv1a(warnings.join("\n").as_bytes()));
    let stamp_path = paths.data.join(STAMP);
    if std::fs::read_to_string(&stamp_path).is_ok_and(|old| old == stamp) {
        return set;
    }
    for warning in &warnings {
        errln!("{} {warning}", super::color::warning_label());
    }
    errln!("(shown once a day: `tokensmith profiles` lists them, --verbose shows them on every command)");
    // Atomic (a new file renamed over the old one), so a symlink put in its place by
    // someone who can write to the folder is replaced, never followed.
    if tokensmith::fsio::ensure_private_dir(&paths.data).is_ok() {
        let _ = tokensmith::fsio::write_atomic(&paths.data, STAMP, stamp.as_bytes());
    }
    set
}

/// A stable hash (FNV-1a, 64 bits) of the warnings' text: new warnings are shown at once.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// One line about a profile: id, name, algorithms, key, claims, parameters.
pub fn summary(p: &Profile) -> String {
    let algs: Vec<&str> = p.algorithms.iter().map(|a| a.name()).collect();
    let required = p.claims.iter().filter(|c| c.required).count();
    format!(
        "'{}' ({}): {}, {}, {} claim(s) ({required} required), {} parameter(s), {} source(s)",
        p.id,
        p.name,
        algs.join("/"),
        p.key_kind.key_pair_id(),
        p.claims.len(),
        p.params.len(),
        p.sources.len()
    )
}

pub fn new(paths: &Paths, id: &str, from: Option<&str>) -> Result<u8, CliError> {
    let dir = paths.profiles();
    let set = report_daily(paths, ProfileSet::load(Some(&dir)));
    let from = from.map(|f| set.get(f)).transpose()?;
    let path = profile::write_new(&dir, id, from).map_err(|e| CliError::usage(e.to_string()))?;
    if from.is_none() && profile::builtin_text(id).is_some() {
        errln!("note: '{id}' is a built-in profile's id: your file replaces it");
    }
    outln!("{}", path.display());
    errln!(
        "wrote '{}': change it with `tokensmith profile edit {id}`, check it with `tokensmith profile validate '{}'`",
        path.display(),
        path.display()
    );
    Ok(0)
}

pub fn validate(paths: &Paths, file: &Path) -> Result<u8, CliError> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| CliError::usage(format!("cannot read profile file '{}': {e}", file.display())))?;
    let name = file.display().to_string();
    let result = profile::parse(&text, &name, ProfileSource::User(file.to_path_buf()));
    // The folder's other problems, always shown here (this file's own error is shown below).
    let set = ProfileSet::load(Some(&paths.profiles()));
    for warning in set.warnings().iter().filter(|w| !w.contains(&format!("file {name}:"))) {
        errln!("{} {warning}", super::color::warning_label());
    }
    match result {
        Ok(p) => {
            outln!("ok: {}", summary(&p));
            Ok(0)
        }
        Err(e) => Err(CliError::usage(format!(
            "{e}\nfix it, then run `tokensmith profile validate '{name}'` again"
        ))),
    }
}

/// The editor command: $EDITOR, then $VISUAL, else vi; words split on whitespace.
fn editor() -> Vec<String> {
    ["EDITOR", "VISUAL"]
        .iter()
        .filter_map(|var| std::env::var(var).ok())
        .map(|v| v.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .find(|words| !words.is_empty())
        .unwrap_or_else(|| vec!["vi".to_string()])
}

fn run_editor(file: &Path) -> Result<(), String> {
    let words = editor();
    let Some((program, args)) = words.split_first() else { return Err("no editor".to_string()) };
    match Command::new(program).args(args).arg(file).status() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("the editor '{program}' exited with {status}")),
        Err(e) => Err(format!("cannot start the editor '{program}': {e} (set $EDITOR)")),
    }
}

/// Asks on stderr, reads a line from stdin: yes unless the answer starts with n (or stdin ends).
fn ask_again() -> bool {
    eprint!("Edit again? [Y/n] ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    match std::io::stdin().lock().read_line(&mut line) {
        Ok(0) | Err(_) => false,
        Ok(_) => !line.trim_start().to_ascii_lowercase().starts_with('n'),
    }
}

fn draft_of(target: &Path) -> PathBuf {
    let mut name = target.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".draft");
    target.with_file_name(name)
}

pub fn edit(paths: &Paths, id: &str) -> Result<u8, CliError> {
    let dir = paths.profiles();
    let set = report_daily(paths, ProfileSet::load(Some(&dir)));
    let own = profile::user_file(&dir, id);
    let (target, copied) = if own.exists() {
        (own, false)
    } else {
        match set.get(id)? {
            Profile { source: ProfileSource::User(path), .. } => (path.clone(), false),
            builtin => {
                let path = profile::write_new(&dir, id, Some(builtin))
                    .map_err(|e| CliError::usage(e.to_string()))?;
                errln!("copied the built-in profile '{id}' to '{}' (yours replaces it)", path.display());
                (path, true)
            }
        }
    };
    let result = edit_file(&dir, id, &target);
    // A copy of a built-in that was never saved would shadow the built-in: it goes again
    // (the draft, with what was typed, stays).
    if result.is_err() && copied {
        let _ = std::fs::remove_file(&target);
        errln!("note: '{}' was removed again, so the built-in '{id}' stays in use", target.display());
    }
    result
}

/// Edits `target` through a draft beside it until it validates or the user gives up.
fn edit_file(dir: &Path, id: &str, target: &Path) -> Result<u8, CliError> {
    let target = target.to_path_buf();
    let io = |what: &str, path: &Path, e: std::io::Error| {
        CliError::usage(format!("cannot {what} '{}': {e}", path.display()))
    };
    let original = std::fs::read_to_string(&target).map_err(|e| io("read", &target, e))?;
    let draft = draft_of(&target);
    if draft.exists() {
        errln!("continuing your draft '{}' (kept when an earlier edit did not validate)", draft.display());
    } else {
        let (folder, name) =
            (draft.parent().unwrap_or(Path::new(".")), draft.file_name().unwrap_or_default());
        tokensmith::fsio::write_atomic(folder, &name.to_string_lossy(), original.as_bytes())
            .map_err(|e| CliError::usage(e.to_string()))?;
    }
    let kept = || {
        format!(
            "your text is kept in '{}' and '{}' is unchanged: run `tokensmith profile edit {id}` to continue",
            draft.display(),
            target.display()
        )
    };
    loop {
        run_editor(&draft).map_err(|e| CliError::usage(format!("{e}; {}", kept())))?;
        let text = std::fs::read_to_string(&draft).map_err(|e| io("read", &draft, e))?;
        let name = target.display().to_string();
        match profile::parse(&text, &name, ProfileSource::User(target.clone())) {
            Ok(p) => {
                if text != original {
                    let file =
                        target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    tokensmith::fsio::write_atomic(dir, &file, text.as_bytes())
                        .map_err(|e| CliError::usage(format!("{e}; {}", kept())))?;
                }
                let _ = std::fs::remove_file(&draft);
                if p.id != id {
                    errln!("note: the file now has the id '{}', not '{id}'", p.id);
                }
                errln!(
                    "{} '{}': {}",
                    if text == original { "unchanged" } else { "saved" },
                    name,
                    summary(&p)
                );
                return Ok(0);
            }
            Err(e) => {
                errln!("error: {e}");
                if !ask_again() {
                    return Err(CliError::usage(kept()));
                }
            }
        }
    }
}
