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

// ---- Tools outside Rust (node, python), and the vendors' side (tests/vendors) ----

/// Whether a missing tool must fail the test (CI sets TOKENSMITH_REQUIRE_TOOLS=1).
pub fn tools_required() -> bool {
    std::env::var("TOKENSMITH_REQUIRE_TOOLS").is_ok_and(|v| v == "1")
}

/// Says a tool is missing and lets the test return early, or fails it when tools are required.
pub fn skip_missing(what: &str) {
    assert!(!tools_required(), "{what} is not available, and TOKENSMITH_REQUIRE_TOOLS=1");
    eprintln!("skipping: {what} is not available (.ci/run installs it)");
}

/// `tests/vendors/<rel>`: the vendors' acceptors and their samples, re-typed.
pub fn vendors(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vendors").join(rel)
}

/// A search path: `first` (if any), then the variable's value, or else the folder `.ci/run`
/// installs into (`target/ci-tools/<tools>`), so a plain `cargo test` after one CI run works.
fn search_path(var: &str, tools: &str, first: Option<PathBuf>) -> std::ffi::OsString {
    let mut dirs: Vec<PathBuf> = first.into_iter().collect();
    match std::env::var_os(var).filter(|v| !v.is_empty()) {
        Some(given) => dirs.extend(std::env::split_paths(&given)),
        None => dirs.push(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/ci-tools").join(tools)),
    }
    std::env::join_paths(dirs).expect("a search path")
}

/// A tool's search path without the stand-ins: the variable's value, or else `.ci/run`'s
/// folder (`target/ci-tools/<tools>`); for code that must run on the real framework.
pub fn tools_path(var: &str, tools: &str) -> std::ffi::OsString {
    search_path(var, tools, None)
}

/// `node` that finds `jsonwebtoken` (NODE_PATH, else `.ci/run`'s folder) and, first, the
/// stand-in modules the re-typed samples import (`express`, `cors`).
pub fn node() -> std::process::Command {
    let mut cmd = std::process::Command::new("node");
    cmd.env("NODE_PATH", search_path("NODE_PATH", "node/node_modules", Some(vendors("stubs/node"))));
    cmd
}

/// `python3` that finds PyJWT (PYTHONPATH, else `.ci/run`'s folder) and, first, the
/// stand-in modules the re-typed samples import (`fastapi`, `rest_framework`, `django`).
pub fn python() -> std::process::Command {
    let mut cmd = std::process::Command::new("python3");
    cmd.env("PYTHONPATH", search_path("PYTHONPATH", "py", Some(vendors("stubs/python"))));
    cmd
}

/// Whether node runs and finds jsonwebtoken.
pub fn node_has_jsonwebtoken() -> bool {
    node().args(["-e", "require('jsonwebtoken')"]).output().is_ok_and(|o| o.status.success())
}

/// Whether python3 runs and finds PyJWT with cryptography (RS256).
pub fn python_has_pyjwt() -> bool {
    python().args(["-c", "import jwt, cryptography"]).output().is_ok_and(|o| o.status.success())
}

/// The global secret of the Tiledesk server the acceptor plays: what a token without a
/// project `aud` is checked against. No project secret equals it.
pub const TILEDESK_GLOBAL_SECRET: &str = "tiledesk-server-global-secret-never-a-project-one";

/// What `tests/vendors/tiledesk_acceptor.js` decided.
#[derive(Clone, Debug, serde::Deserialize)]
pub struct TiledeskVerdict {
    /// Whether the server lets the request in.
    pub accepted: bool,
    /// `external` (sub userexternal) or `guest`, when accepted.
    pub user: Option<String>,
    /// The step that decided: extract, secret, verify, payload, subject or accepted.
    pub step: String,
    /// The secret the token was checked with (`project <id>'s secret (from aud)`).
    pub secret: Option<String>,
    /// Why, in plain words.
    pub reason: String,
    /// The payload (verified when the signature step passed).
    pub payload: Option<Value>,
}

/// Whether Tiledesk's acceptor can run here: node with jsonwebtoken. Says so and returns
/// false when not (the caller returns early), or fails under TOKENSMITH_REQUIRE_TOOLS=1.
pub fn tiledesk_acceptor_ready() -> bool {
    let ready = node_has_jsonwebtoken();
    if !ready {
        skip_missing("node with the jsonwebtoken package (Tiledesk's acceptor)");
    }
    ready
}

/// Runs Tiledesk's acceptor on an Authorization header value (`JWT <token>`), for a server
/// that holds these projects' secrets (and [`TILEDESK_GLOBAL_SECRET`]), at `now` (unix
/// seconds) or the clock's time.
pub fn tiledesk_verdict(authorization: &str, projects: &[(&str, &str)], now: Option<i64>) -> TiledeskVerdict {
    use std::io::Write as _;
    let projects: serde_json::Map<String, Value> =
        projects.iter().map(|(id, secret)| (id.to_string(), Value::from(*secret))).collect();
    let input = serde_json::json!({
        "authorization": authorization,
        "projects": projects,
        "global_secret": TILEDESK_GLOBAL_SECRET,
        "now": now,
    });
    let mut child = node()
        .arg(vendors("tiledesk_acceptor.js"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("node runs (check tiledesk_acceptor_ready() first)");
    child.stdin.take().expect("stdin").write_all(input.to_string().as_bytes()).expect("writes the input");
    let out = child.wait_with_output().expect("the acceptor finishes");
    let verdict: TiledeskVerdict = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "the Tiledesk acceptor gave no verdict ({e}); check tiledesk_acceptor_ready() first\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(
        out.status.code() == Some(0),
        verdict.accepted,
        "exit status and verdict disagree: {verdict:?}"
    );
    verdict
}

/// The hook for any test that has a Tiledesk token (from `tokensmith sign`, the workbench's
/// pipeline, or generated server code): Ok when Tiledesk's server would accept it as the
/// logged-in customer (an external user) of `project_id` whose JWT secret is
/// `project_secret`, judged at the clock's time; else the server's reason. Give the token as
/// the server code prints it: surrounding whitespace is trimmed, and the `JWT ` prefix the
/// page adds is added unless the token already carries it. Call [`tiledesk_acceptor_ready`]
/// first (it skips, or fails in CI, when node or jsonwebtoken is missing).
pub fn tiledesk_accepts(token: &str, project_id: &str, project_secret: &str) -> Result<(), String> {
    let token = token.trim();
    let authorization = if token.starts_with("JWT ") { token.to_string() } else { format!("JWT {token}") };
    let verdict = tiledesk_verdict(&authorization, &[(project_id, project_secret)], None);
    match (verdict.accepted, verdict.user.as_deref()) {
        (true, Some("external")) => Ok(()),
        (true, _) => Err(format!("accepted, but not as the logged-in customer: {}", verdict.reason)),
        (false, _) => Err(format!("refused at step '{}': {}", verdict.step, verdict.reason)),
    }
}

/// A report's findings, one per line, for assertion messages: severity, code, subject, source
/// id, what was found and the fix.
pub fn describe_findings(report: &tokensmith::doctor::Report) -> String {
    report
        .findings
        .iter()
        .map(|f| {
            format!(
                "    {} {} [{}] @{}: {} -- {}",
                f.severity,
                f.code,
                f.subject.as_deref().unwrap_or("-"),
                f.source.as_ref().map_or("-", |s| s.id.as_str()),
                f.found,
                f.fix
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Headless Chromium, when installed.
pub fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|p| std::process::Command::new(p).arg("--version").output().is_ok_and(|o| o.status.success()))
        .map(PathBuf::from)
}

/// Loads `snippet` in headless Chromium, offline, between `head` (after the page's `stand_in`
/// script, which records calls into `<pre id="calls">`) and `tail`, and returns the recorded
/// calls. A page that raised an error or an alert fails the test.
pub fn run_page(
    browser: &PathBuf,
    stand_in: &str,
    name: &str,
    head: &str,
    snippet: &str,
    tail: &str,
) -> Vec<Value> {
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join(format!("{name}.html"));
    let html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\">{stand_in}<script>{head}</script></head>\
         <body><pre id=\"calls\">not run</pre>\n{snippet}\n<script>{tail}</script></body></html>"
    );
    std::fs::write(&page, html).expect("write");
    let out = std::process::Command::new(browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"])
        .args(["--disable-background-networking", "--disable-component-update", "--disable-sync"])
        .arg(format!("--user-data-dir={}", dir.path().join("chromium").display()))
        .arg("--host-resolver-rules=MAP * ~NOTFOUND")
        // Timers run in virtual time: the page's waits cost no real time.
        .arg("--virtual-time-budget=5000")
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    let text = dom
        .split("<pre id=\"calls\">")
        .nth(1)
        .and_then(|rest| rest.split("</pre>").next())
        .unwrap_or_else(|| {
            panic!("{name}: no calls element in {dom}\n{}", String::from_utf8_lossy(&out.stderr))
        })
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    let calls: Vec<Value> = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}: {text}"));
    let broke = calls.iter().filter(|c| c[0] == "alert" || c[0] == "error").collect::<Vec<_>>();
    assert!(broke.is_empty(), "{name}: the page raised {broke:?}\n{snippet}");
    calls
}
