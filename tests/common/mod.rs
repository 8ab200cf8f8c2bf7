//! What the binary-driving tests share: a temporary home, a clean environment, fixtures.
// Each test crate uses a different part of this module.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

/// The text of `tests/fixtures/keys/hmac-secret.txt`, also set as `$SECRET` for every command.
pub const FIXTURE_SECRET: &str = "tokensmith-fixture-secret-0123456789abcdef";

pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

/// A temporary TOKENSMITH_HOME, removed when dropped.
pub struct Env {
    pub home: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env { home: tempfile::tempdir().expect("tempdir") }
    }

    /// The binary with an empty environment but for its home, NO_COLOR, TZ=UTC and $SECRET.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("tokensmith").expect("binary");
        cmd.env_clear()
            .env("TOKENSMITH_HOME", self.home.path())
            .env("NO_COLOR", "1")
            .env("TZ", "UTC")
            .env("SECRET", FIXTURE_SECRET);
        cmd
    }

    /// Runs and asserts success.
    pub fn ok(&self, args: &[&str]) -> Output {
        let out = self.cmd().args(args).output().expect("runs");
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        out
    }
}

pub fn stdout_json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", String::from_utf8_lossy(&output.stdout)))
}
