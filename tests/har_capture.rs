//! A HAR made by a real browser, not by hand (issue 23, item 4): headless Chromium, driven
//! through the DevTools protocol by playwright-core, opens a shop's page on a local server; the
//! page fetches a Tiledesk token (signed here by tokensmith, its `iat` 10 minutes ahead of the
//! clock) from the shop's endpoint, a stand-in of the vendor's loader posts it to
//! api.tiledesk.com, which answers 401; the browser's own HAR of all that, bodies included,
//! goes through `tokensmith har`. One such capture is kept as a fixture and read offline.
//!
//! The server is tests/har_capture/server.py, the page and loader beside it, the capture
//! tests/har_capture/capture.js. Chromium reaches the three host names on 127.0.0.1 through
//! `--host-resolver-rules`, so the HAR has the vendor's real host name. Needs node with
//! playwright-core, python3 and Chromium (`.ci/run` installs them): missing, the live test
//! skips, or fails under TOKENSMITH_REQUIRE_TOOLS=1.
//!
//! `TOKENSMITH_KEEP_CAPTURE=1 cargo test --test har_capture` writes the live run's HAR over
//! tests/fixtures/har/captured-chromium.har.

mod common;

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Env, fixture};
use serde_json::Value;

/// The vendor's answer: Tiledesk's API refuses the sign-in.
const REFUSED: i64 = 401;
/// How far ahead of the clock the shop's token is issued: its server's clock runs 10m ahead.
const AHEAD: i64 = 600;
/// Slack for the time between signing the token and the shop's answer (a server and a browser
/// start in between; a busy CI machine takes seconds).
const START_SLACK: i64 = 30;
/// The longest the whole capture may take.
const CAPTURE_LIMIT: Duration = Duration::from_secs(120);

const PROJECT: &str = "65f0c0ffee";
const RESOLVER: &str =
    "MAP shop.example 127.0.0.1, MAP api.tiledesk.com 127.0.0.1, MAP widget.tiledesk.com 127.0.0.1";

fn here(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/har_capture").join(rel)
}

fn kept() -> PathBuf {
    fixture("har/captured-chromium.har")
}

fn now() -> i64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("after 1970");
    i64::try_from(since.as_secs()).expect("fits")
}

/// The program's full path on PATH (playwright launches a path, not a name).
fn on_path(name: &Path) -> Option<PathBuf> {
    if name.is_absolute() {
        return Some(name.to_path_buf());
    }
    std::env::split_paths(&std::env::var_os("PATH")?).map(|dir| dir.join(name)).find(|p| p.is_file())
}

/// Chromium's path when Chromium, python3 and node with playwright-core are all here; else
/// says what is missing (failing under TOKENSMITH_REQUIRE_TOOLS=1) and gives None.
fn capture_tools() -> Option<PathBuf> {
    let runs = |cmd: &mut Command| cmd.output().is_ok_and(|o| o.status.success());
    let chromium = common::chromium().and_then(|c| on_path(&c));
    let missing = [
        (chromium.is_none(), "Chromium (chromium on PATH)"),
        (!runs(common::python().args(["-c", "import http.server"])), "python3"),
        (
            !runs(common::node().args(["-e", "require('playwright-core')"])),
            "node with the playwright-core package",
        ),
    ];
    for (missing, what) in missing {
        if missing {
            common::skip_missing(&format!("{what}, for capturing a HAR with headless Chromium"));
            return None;
        }
    }
    chromium
}

/// A child process killed when dropped (the server serves until then).
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts tests/har_capture/server.py answering `token` from the shop's endpoint; its port.
fn serve(token: &str) -> (Running, u16) {
    let mut child = common::python()
        .arg(here("server.py"))
        .env("TOKEN", token)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("python3 runs");
    let stdout = child.stdout.take().expect("stdout");
    let server = Running(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("the server prints its port");
    let port = line.trim().parse().unwrap_or_else(|e| panic!("no port from the server ({e}): {line:?}"));
    (server, port)
}

/// Runs capture.js: Chromium opens the shop's page and writes its HAR to `out`. Gives the
/// page's last title, which says how the sign-in ended.
fn capture(chromium: &Path, port: u16, out: &Path) -> String {
    let mut child = common::node()
        .arg(here("capture.js"))
        .arg(chromium)
        .arg(format!("http://shop.example:{port}/"))
        .arg(out)
        .arg(RESOLVER)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node runs");
    let started = Instant::now();
    while child.try_wait().expect("waits").is_none() {
        if started.elapsed() > CAPTURE_LIMIT {
            let _ = child.kill();
            let out = child.wait_with_output().expect("ends");
            panic!("the capture took over {CAPTURE_LIMIT:?}: {}", String::from_utf8_lossy(&out.stderr));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let done = child.wait_with_output().expect("ends");
    assert!(done.status.success(), "capture.js failed: {}", String::from_utf8_lossy(&done.stderr));
    let line: Value = serde_json::from_slice(&done.stdout).expect("capture.js prints JSON");
    eprintln!("captured in {:.1} s", started.elapsed().as_secs_f64());
    line["title"].as_str().expect("a title").to_string()
}

/// `tokensmith har FILE --json`: exit 1 (the vendor refused a token), the case.
fn read_case(env: &Env, har: &Path) -> Value {
    let out = env.cmd().arg("har").arg(har).arg("--json").output().expect("runs");
    assert_eq!(out.status.code(), Some(1), "refused, so exit 1: {}", String::from_utf8_lossy(&out.stderr));
    common::stdout_json(&out)
}

/// The token the shop's endpoint answered, from the HAR itself (its JSON body).
fn issued_token(har: &Path) -> String {
    let log: Value = serde_json::from_slice(&std::fs::read(har).expect("the HAR")).expect("JSON");
    let entries = log["log"]["entries"].as_array().expect("entries");
    let answer = entries
        .iter()
        .find(|e| e["request"]["url"].as_str().is_some_and(|u| u.ends_with("/api/tiledesk-jwt")))
        .expect("the shop's token request");
    let body: Value =
        serde_json::from_str(answer["response"]["content"]["text"].as_str().expect("its body, embedded"))
            .expect("a JSON body");
    body["token"].as_str().expect("a token").to_string()
}

/// What `tokensmith har` must make of the case, whichever run captured it: one token, found
/// in the shop's JSON answer and in the vendor request's Authorization header, issued by
/// shop.example/api/tiledesk-jwt, used at api.tiledesk.com and refused there with 401, for
/// Tiledesk, judged at the moment it was sent, with its `iat` ahead of that moment and of the
/// shop's `Date` by 10 minutes (less the seconds the browser took). Gives the skew.
fn assert_case(case: &Value, token: &str) -> i64 {
    assert!(case["creator"].as_str().is_some_and(|c| c.starts_with("Playwright")), "{case:#}");
    let tokens = case["tokens"].as_array().expect("tokens");
    assert_eq!(tokens.len(), 1, "one token: {case:#}");
    let found = &tokens[0];
    assert_eq!(found["value"], token, "the token the shop issued");
    let places: Vec<String> = found["sightings"]
        .as_array()
        .expect("sightings")
        .iter()
        .map(|s| format!("{} {}", s["direction"], s["place"]))
        .collect();
    let json = r#""received" {"kind":"json","name":"token"}"#;
    for place in [json, r#""sent" {"kind":"authorization"}"#] {
        assert!(places.iter().any(|p| p == place), "{place} in {places:?}");
    }
    let requests = case["requests"].as_array().expect("requests");
    let request = |key: &str| &requests[usize::try_from(found[key].as_u64().expect(key)).expect("index")];
    let issued = request("issued");
    assert_eq!(issued["host"], "shop.example");
    assert!(issued["url"].as_str().is_some_and(|u| u.ends_with("/api/tiledesk-jwt")), "{issued}");
    assert_eq!(issued["status"], 200);
    let used = &requests[usize::try_from(found["used"][0].as_u64().expect("used")).expect("index")];
    assert_eq!(used["host"], "api.tiledesk.com");
    assert_eq!(used["method"], "POST");
    assert!(used["url"].as_str().is_some_and(|u| u.ends_with("/v3/auth/signinWithCustomToken")), "{used}");
    assert_eq!(used["status"], REFUSED);
    assert_eq!(found["outcome"], "refused");
    assert_eq!(found["vendor"]["profile"], "tiledesk");
    assert!(found["vendor"]["why"].as_str().is_some_and(|w| w.contains("api.tiledesk.com")), "{found:#}");
    // Judged when the browser sent it, not now.
    assert_eq!(found["judged_at"], used["at"], "judged at the vendor request's time");
    // The skew is iat less the shop's Date, as the HAR has both.
    let iat = tokensmith::token::decode(token).expect("decodes").payload["iat"].as_i64().expect("iat");
    let date = issued["date"].as_i64().expect("the shop's Date header");
    let skew = found["skew"].as_i64().expect("a skew");
    assert_eq!(skew, iat - date, "{found:#}");
    assert!((AHEAD - START_SLACK..=AHEAD).contains(&skew), "skew {skew}, about {AHEAD}");
    let codes: Vec<&str> = found["report"]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(codes.contains(&"time.iat-future"), "iat ahead of the request: {codes:?}");
    skew
}

/// The issue's case, live: tokensmith signs, Chromium loads, the HAR is Chromium's.
#[test]
fn a_har_captured_by_headless_chromium_reads_as_the_case() {
    let Some(chromium) = capture_tools() else { return };
    let env = Env::new();
    let iat = now() + AHEAD;
    let signed = env.ok(&[
        "sign",
        "-p",
        "tiledesk",
        "--secret-env",
        "SECRET",
        "--param",
        &format!("project_id={PROJECT}"),
        "--claim",
        "external_id=u42",
        "--at",
        &iat.to_string(),
    ]);
    let token = String::from_utf8(signed.stdout).expect("UTF-8").trim().to_string();
    let (_server, port) = serve(&token);
    let har = env.home.path().join("captured.har");
    let started = now();
    let title = capture(&chromium, port, &har);
    let ended = now();
    assert_eq!(title, format!("signed in: false ({REFUSED})"), "the page saw the vendor refuse");
    assert_eq!(issued_token(&har), token, "the HAR holds the shop's answer with its body");
    let case = read_case(&env, &har);
    let skew = assert_case(&case, &token);
    let at = case["tokens"][0]["judged_at"].as_i64().expect("judged_at");
    assert!((started..=ended).contains(&at), "sent at {at}, during the capture ({started}..={ended})");
    eprintln!("skew {skew} s");
    if std::env::var("TOKENSMITH_KEEP_CAPTURE").is_ok_and(|v| v == "1") {
        std::fs::copy(&har, kept()).expect("keeps the capture");
    }
}

/// One such capture, kept: a real Chromium export read offline, judged at its own times (so
/// the verdict never changes with the day the test runs).
#[test]
fn the_kept_chromium_capture_reads_as_the_case() {
    let env = Env::new();
    let token = issued_token(&kept());
    assert_case(&read_case(&env, &kept()), &token);
    // The ticket's Markdown of a real export: no signature, no session cookie.
    let out = env.cmd().arg("har").arg(kept()).args(["--format", "markdown"]).output().expect("runs");
    let md = String::from_utf8_lossy(&out.stdout);
    let signature = token.rsplit('.').next().expect("three parts");
    for secret in [signature, "capture-session-cookie"] {
        assert!(!md.contains(secret), "{secret} leaked:\n{md}");
    }
    assert!(md.contains("time.iat-future"), "{md}");
    // With the secret it was signed with stored for Tiledesk, the token from the browser's
    // export verifies: Chromium's HAR kept it to the byte.
    env.cmd()
        .args(["keys", "add", "fixture", "--secret-stdin", "--profile", "tiledesk"])
        .write_stdin(common::FIXTURE_SECRET)
        .assert()
        .success();
    let case = read_case(&env, &kept());
    let codes = &case["tokens"][0]["report"]["findings"];
    assert!(codes.to_string().contains(r#""code":"signature.valid""#), "{codes:#}");
}
