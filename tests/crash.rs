//! Crash safety of the key store, proven: `keys add` killed with SIGKILL at hundreds of
//! moments never leaves a store that does not open or that lost an entry whose add returned
//! success; a write that fails (a full disk, simulated with a file-size limit) leaves the old
//! store byte for byte.

mod common;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::Env;

fn store(env: &Env) -> PathBuf {
    env.home.path().join("data/keys.json")
}

fn binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin("tokensmith")
}

/// The names `keys list --json` shows; panics when the store does not open.
fn listed(env: &Env) -> Vec<String> {
    let out = env.cmd().args(["keys", "list", "--json"]).output().expect("runs");
    assert!(out.status.success(), "the store does not open: {}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    json.as_array().expect("a list").iter().filter_map(|e| e["name"].as_str().map(str::to_string)).collect()
}

#[cfg(unix)]
#[test]
fn keys_add_killed_at_random_moments_loses_nothing_it_reported() {
    let env = Env::new();
    // A few entries first, so every add rewrites a store with something to lose.
    for i in 0..5 {
        env.cmd()
            .args(["keys", "add", &format!("base-{i}"), "--secret-stdin"])
            .write_stdin(format!("base-secret-{i}-0123456789abcdef0123456789"))
            .assert()
            .success();
    }
    // A small xorshift: the moments differ from run to run of the loop but the test is
    // reproducible from its seed.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut committed = Vec::new();
    let mut killed = 0;
    for i in 0..220 {
        let name = format!("k-{i}");
        let mut child = Command::new(binary())
            .env_clear()
            .env("TOKENSMITH_HOME", env.home.path())
            .args(["keys", "add", &name, "--secret-stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawns");
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(format!("secret-{i}-0123456789abcdef0123456789").as_bytes());
        }
        // Anywhere from at once to after the write: a debug build takes a few milliseconds.
        std::thread::sleep(Duration::from_micros(next() % 12_000));
        let _ = child.kill(); // SIGKILL: no destructor, no cleanup runs
        let status = child.wait().expect("waits");
        if status.success() {
            committed.push(name);
        } else {
            killed += 1;
        }
        if i % 20 == 19 {
            let names = listed(&env);
            for name in &committed {
                assert!(names.contains(name), "'{name}' was reported stored and is gone after a kill");
            }
        }
    }
    let names = listed(&env);
    for name in committed.iter().chain(["base-0".to_string(), "base-4".to_string()].iter()) {
        assert!(names.contains(name), "'{name}' was reported stored and is gone");
    }
    eprintln!("{killed} of 220 adds killed mid-way, {} completed; all completed ones kept", committed.len());
    assert!(killed >= 20, "the kills must land mid-way often enough to mean something ({killed})");
    assert!(!committed.is_empty(), "some adds must finish ({})", committed.len());
}

#[cfg(unix)]
#[test]
fn a_failed_write_leaves_the_old_store_intact() {
    let env = Env::new();
    for i in 0..12 {
        env.cmd()
            .args(["keys", "add", &format!("kept-{i}"), "--secret-stdin", "--note", &"n".repeat(100)])
            .write_stdin(format!("kept-secret-{i}-0123456789abcdef0123456789"))
            .assert()
            .success();
    }
    let before = std::fs::read(store(&env)).expect("store");
    assert!(before.len() > 2048, "the store must be larger than the limit below");
    // bash's `ulimit -f 2` caps any file this process writes at 2 KiB, as a full disk would;
    // SIGXFSZ is ignored so the write fails with EFBIG instead of killing the process.
    let script =
        format!("trap '' XFSZ; ulimit -f 2; exec '{}' keys add one-more --secret-stdin", binary().display());
    let out = Command::new("bash")
        .arg("-c")
        .arg(script)
        .env_clear()
        .env("TOKENSMITH_HOME", env.home.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            if let Some(mut stdin) = child.stdin.take() {
                let _ = stdin.write_all(b"one-more-secret-0123456789abcdef0123456789");
            }
            child.wait_with_output()
        })
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot write") || stderr.contains("File too large"), "{stderr}");
    assert_eq!(std::fs::read(store(&env)).expect("store"), before, "the old store changed");
    let leftovers: Vec<_> = std::fs::read_dir(env.home.path().join("data"))
        .expect("data dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "a failed write left {leftovers:?}");
    assert!(!listed(&env).contains(&"one-more".to_string()));
}
