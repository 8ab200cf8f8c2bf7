//! The examples in the help texts, run as written. Every `tokensmith sign ...` line of every
//! command's `--help` (joined where it continues with `\`) is run by `sh` in a folder that has
//! what the examples name (`private.pem`, `secret.txt`, a stored key `demo`, the variables
//! given to `--secret-env`), and must make a token that breaks none of the vendor's rules: an
//! example is what a new user copies first.

use std::path::Path;
use std::process::Command;

mod common;

use common::{Env, FIXTURE_SECRET, fixture};

/// The help of `tokensmith <path> --help`, and of each command under it.
fn help_texts(env: &Env, path: &[String], out: &mut Vec<(String, String)>) {
    let help = env.cmd().args(path).arg("--help").output().expect("runs");
    assert!(help.status.success(), "{path:?} --help");
    let text = String::from_utf8(help.stdout).expect("utf8");
    let commands: Vec<String> = text
        .split("\nCommands:\n")
        .nth(1)
        .map(|rest| {
            rest.lines()
                .take_while(|line| !line.trim().is_empty())
                .filter_map(|line| line.split_whitespace().next().map(str::to_string))
                .filter(|name| name != "help")
                .collect()
        })
        .unwrap_or_default();
    out.push((
        std::iter::once("tokensmith").chain(path.iter().map(String::as_str)).collect::<Vec<_>>().join(" "),
        text,
    ));
    for name in commands {
        let mut sub = path.to_vec();
        sub.push(name);
        help_texts(env, &sub, out);
    }
}

/// The example command lines in a help text that run `tokensmith sign`, continuations joined.
fn sign_examples(help: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut pending = String::new();
    for line in help.lines() {
        let line = line.trim();
        let (part, continues) = match line.strip_suffix('\\') {
            Some(part) => (part, true),
            None => (line, false),
        };
        if !pending.is_empty() || part.starts_with("tokensmith sign ") {
            pending.push_str(part.trim());
            pending.push(' ');
            if !continues {
                lines.push(pending.trim().to_string());
                pending.clear();
            }
        }
    }
    lines
}

/// The names given to `--secret-env` in a command line.
fn secret_variables(line: &str) -> Vec<&str> {
    let words: Vec<&str> = line.split_whitespace().collect();
    words
        .windows(2)
        .filter(|w| w.first() == Some(&"--secret-env"))
        .filter_map(|w| w.get(1).copied())
        .collect()
}

#[test]
fn every_sign_example_in_the_help_makes_a_token_that_breaks_no_rule() {
    let env = Env::new();
    let mut helps = Vec::new();
    help_texts(&env, &[], &mut helps);
    assert!(helps.iter().any(|(name, _)| name == "tokensmith keys gen"), "nested commands are read");
    let examples: Vec<(String, String)> = helps
        .iter()
        .flat_map(|(name, help)| sign_examples(help).into_iter().map(move |line| (name.clone(), line)))
        .collect();
    assert!(examples.len() >= 6, "only {} sign examples found: {examples:?}", examples.len());
    assert!(examples.iter().any(|(name, _)| name == "tokensmith"), "the top-level help's example is run");

    // What the examples name: a folder with the files, a store with the key `demo`.
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(fixture("keys/rsa2048-pkcs8.pem"), dir.path().join("private.pem")).expect("copy");
    std::fs::write(dir.path().join("secret.txt"), format!("{FIXTURE_SECRET}\n")).expect("write");
    env.ok(&["keys", "gen", "demo", "--kind", "hmac", "--profile", "tiledesk"]);
    let binary = Path::new(env!("CARGO_BIN_EXE_tokensmith")).parent().expect("bin dir").to_path_buf();
    let path = std::env::join_paths([binary, "/usr/bin".into(), "/bin".into()]).expect("PATH");

    for (help, line) in &examples {
        let mut sh = Command::new("sh");
        sh.arg("-c")
            .arg(line)
            .current_dir(dir.path())
            .env_clear()
            .env("PATH", &path)
            .env("TOKENSMITH_HOME", env.home.path())
            .env("NO_COLOR", "1");
        for var in secret_variables(line) {
            sh.env(var, FIXTURE_SECRET);
        }
        let out = sh.output().expect("sh runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "`{help} --help`: `{line}` failed: {stderr}");
        let broken: Vec<&str> = stderr.lines().filter(|l| l.starts_with("rule:")).collect();
        assert!(broken.is_empty(), "`{help} --help`: `{line}` breaks a rule:\n{}", broken.join("\n"));
        assert!(stderr.contains("signed with"), "`{line}`: {stderr}");
    }
}

#[test]
fn examples_are_read_whole() {
    let help =
        "Examples:\n  tokensmith sign -p a \\\n    -c x=1\n  tokensmith decode t\n  tokensmith sign -p b";
    assert_eq!(sign_examples(help), ["tokensmith sign -p a -c x=1", "tokensmith sign -p b"]);
    assert_eq!(secret_variables("tokensmith sign --secret-env A -c b=1 --secret-env B"), ["A", "B"]);
}
