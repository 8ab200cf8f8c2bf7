//! The README's lines that install the shell completions and the man page, and the same lines
//! in `completions --help` and `man --help`, run by `sh` as written for a new user: a home with
//! nothing in it (no `~/.config/fish`, no `~/.cargo/share/man`) and `tokensmith` in
//! `~/.cargo/bin`, where `cargo install` puts it. What `man` finds afterwards needs man-db:
//! without it that part fails under TOKENSMITH_REQUIRE_TOOLS=1 and is skipped otherwise.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;

use common::{Env, skip_missing};

/// A new user's home: empty but for `~/.cargo/bin/tokensmith`.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        let dir = tempfile::tempdir().expect("tempdir");
        let bin = dir.path().join(".cargo/bin");
        std::fs::create_dir_all(&bin).expect("mkdir");
        std::fs::copy(env!("CARGO_BIN_EXE_tokensmith"), bin.join("tokensmith")).expect("copy the binary");
        Home { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A command as the user's shell runs it: HOME, PATH with ~/.cargo/bin first, no MANPATH.
    fn command(&self, program: &str) -> Command {
        let path = std::env::join_paths([self.path().join(".cargo/bin"), "/usr/bin".into(), "/bin".into()])
            .expect("PATH");
        let mut cmd = Command::new(program);
        cmd.env_clear()
            .env("HOME", self.path())
            .env("PATH", path)
            .env("TOKENSMITH_HOME", self.path().join("tokensmith"))
            .env("MANPAGER", "cat")
            .env("MANWIDTH", "80")
            .current_dir(self.path());
        cmd
    }

    fn sh(&self, line: &str) -> Output {
        self.command("sh").arg("-c").arg(line).output().expect("sh runs")
    }
}

fn man_available() -> bool {
    Command::new("man").arg("-w").arg("man").output().is_ok_and(|o| o.status.success())
}

/// The lines of the ```sh blocks in the README's section with this heading.
fn readme_lines(heading: &str) -> Vec<String> {
    let readme =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md")).expect("README");
    let section = readme.split(&format!("\n## {heading}\n")).nth(1).expect("the README section");
    let section = section.split("\n## ").next().unwrap_or_default();
    let mut lines = Vec::new();
    let mut in_sh = false;
    for line in section.lines() {
        match line {
            "```sh" => in_sh = true,
            "```" => in_sh = false,
            line if in_sh && !line.trim().is_empty() => lines.push(line.to_string()),
            _ => {}
        }
    }
    lines
}

/// The example lines of `tokensmith <verb> --help`.
fn help_lines(verb: &str) -> Vec<String> {
    let out = Env::new().ok(&[verb, "--help"]);
    let help = String::from_utf8(out.stdout).expect("utf8");
    let examples = help.split("Examples:\n").nth(1).expect("examples");
    examples.lines().take_while(|l| l.starts_with("  ")).map(|l| l.trim().to_string()).collect()
}

/// Runs the lines a new user can run here (PowerShell's `$PROFILE` is not a POSIX shell's;
/// lines that call `man` only where man-db is installed), each of which must succeed.
fn run(home: &Home, lines: &[String], with_man: bool) {
    for line in lines {
        if line.contains("$PROFILE")
            || (!with_man && line.contains("man ") && !line.contains("tokensmith man >"))
        {
            continue;
        }
        let out = home.sh(line);
        assert!(out.status.success(), "`{line}` failed: {}", String::from_utf8_lossy(&out.stderr));
    }
}

/// What the lines installed works: bash loads the completion script, fish's file is there, and
/// `man tokensmith` finds the page with nothing more set.
fn check_installed(home: &Home, with_man: bool) {
    let fish = home.path().join(".config/fish/completions/tokensmith.fish");
    let script = std::fs::read_to_string(&fish).unwrap_or_else(|e| panic!("{}: {e}", fish.display()));
    assert!(script.contains("complete"), "{script}");
    let page = home.path().join(".cargo/share/man/man1/tokensmith.1");
    assert!(std::fs::read_to_string(&page).expect("the man page").starts_with(".ie"), "the page is roff");
    if !with_man {
        return;
    }
    let found = home.command("man").args(["-w", "tokensmith"]).output().expect("man runs");
    assert_eq!(
        String::from_utf8_lossy(&found.stdout).trim(),
        page.display().to_string(),
        "man -w tokensmith"
    );
    let shown = home.command("man").arg("tokensmith").output().expect("man runs");
    assert!(String::from_utf8_lossy(&shown.stdout).contains("COMMANDS IN DETAIL"), "man tokensmith");
}

#[test]
fn the_readme_lines_install_completions_and_the_man_page_for_a_new_user() {
    let lines = readme_lines("Shell completions and the man page");
    assert!(lines.iter().any(|l| l.contains("completions fish")) && lines.iter().any(|l| l.contains("man1")));
    let with_man = man_available();
    if !with_man {
        skip_missing("man (man-db), to check what `man tokensmith` finds");
    }
    let home = Home::new();
    run(&home, &lines, with_man);
    check_installed(&home, with_man);
    let bashrc = std::fs::read_to_string(home.path().join(".bashrc")).expect(".bashrc");
    let bash = home
        .command("bash")
        .arg("-c")
        .arg(format!("{bashrc}\ncomplete -p tokensmith"))
        .output()
        .expect("bash");
    assert!(
        bash.status.success(),
        "bash does not load the completions: {}",
        String::from_utf8_lossy(&bash.stderr)
    );
}

#[test]
fn the_help_lines_install_completions_and_the_man_page_for_a_new_user() {
    let mut lines = help_lines("completions");
    lines.extend(help_lines("man"));
    let with_man = man_available();
    if !with_man {
        skip_missing("man (man-db), to check what `man tokensmith` finds");
    }
    let home = Home::new();
    run(&home, &lines, with_man);
    check_installed(&home, with_man);
}
