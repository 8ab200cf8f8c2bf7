//! `tokensmith har FILE` (issue 23): the same case read from Chrome's, Firefox's and Safari's
//! exports and from a gzipped one; the ticket's Markdown leaks no signature, cookie or
//! personal claim when asked; what is not a HAR says so.

mod common;

use std::io::Write as _;

use common::{Env, fixture};

const BROWSERS: [&str; 3] = ["chrome", "firefox", "safari"];

fn har(browser: &str) -> std::path::PathBuf {
    fixture(&format!("har/tiledesk-clock-ahead.{browser}.har"))
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// One command from a HAR to "issued by your server with a clock 10 minutes ahead and
/// refused by the vendor with 401 at 00:00:01", whichever browser exported it.
#[test]
fn every_browsers_export_gives_the_same_verdict() {
    let env = Env::new();
    for browser in BROWSERS {
        let out = env.cmd().arg("har").arg(har(browser)).output().expect("runs");
        assert_eq!(out.status.code(), Some(1), "{browser}: refused, so exit 1\n{}", stdout(&out));
        let text = stdout(&out);
        for part in [
            "refused with 401 Unauthorized at 00:00:01 UTC by api.tiledesk.com/v3/auth/signinWithCustomToken",
            "issued by shop.example/api/tiledesk-jwt at 00:00:00 UTC, its clock 10m ahead",
            "time.iat-future",
            "vendor:   tiledesk (sent to api.tiledesk.com)",
            "used:   00:00:01 UTC POST api.tiledesk.com/v3/auth/signinWithCustomToken (Authorization header) → 401",
        ] {
            assert!(text.contains(part), "{browser}: {part}\n{text}");
        }
        let out = env.cmd().arg("har").arg(har(browser)).arg("--json").output().expect("runs");
        let json = common::stdout_json(&out);
        assert_eq!(json["tokens"][0]["skew"], 600, "{browser}");
        assert_eq!(json["tokens"][0]["judged_at"], 1_767_225_601_i64, "{browser}: when it was sent");
        assert_eq!(json["tokens"][0]["outcome"], "refused", "{browser}");
        assert_eq!(json["tokens"][0]["vendor"]["profile"], "tiledesk", "{browser}");
    }
}

#[test]
fn a_gzipped_har_on_standard_input_reads_the_same() {
    let env = Env::new();
    let plain = std::fs::read(har("chrome")).expect("fixture");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&plain).expect("gzip");
    let bytes = gz.finish().expect("gzip");
    let out = env.cmd().args(["har", "-"]).write_stdin(bytes).output().expect("runs");
    assert!(stdout(&out).contains("its clock 10m ahead"), "{}", stdout(&out));
}

/// The ticket: the token without its signature, no cookie, no Authorization value, and with
/// --mask-personal no email or name of the user.
#[test]
fn the_markdown_for_a_ticket_leaks_nothing() {
    let env = Env::new();
    let token = std::fs::read_to_string(fixture("doctor/tiledesk-iat-future.jwt")).expect("token");
    let signature = token.trim().rsplit('.').next().expect("three parts").to_string();
    let file = har("chrome").display().to_string();
    let out =
        env.cmd().args(["har", &file, "--format", "markdown", "--mask-personal"]).output().expect("runs");
    let md = stdout(&out);
    assert!(md.contains("<signature removed>"), "{md}");
    // The user's ids too: Tiledesk's _id holds the external id after the project id.
    for secret in [signature.as_str(), "s3cr3t-session-cookie", "jane@example.com", "Jane Doe", "user-123456"]
    {
        assert!(!md.contains(secret), "{secret} leaked:\n{md}");
    }
    assert!(md.contains("j***@example.com"), "{md}");
    assert!(md.contains("| warning | `time.iat-future` |"), "{md}");
    // Without --mask-personal the claims stay as they are (the signature still goes).
    let md = stdout(&env.cmd().args(["har", &file, "--format", "markdown"]).output().expect("runs"));
    assert!(md.contains("jane@example.com") && !md.contains(&signature), "{md}");
}

#[test]
fn what_is_not_a_har_says_so_and_what_lacks_bodies_is_noted() {
    let env = Env::new();
    let dir = tempfile_dir(&env);
    let cases = [
        ("token.txt", "eyJhbGciOiJIUzI1NiJ9.e30.c2ln", "is not a HAR file"),
        ("other.json", r#"{"keys": []}"#, "is JSON but not a HAR"),
        (
            "cut.har",
            r#"{"log": {"entries": [{"request": {"url": "https://a.example/"}}, {"req"#,
            "is not a complete HAR",
        ),
    ];
    for (name, text, says) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        let out = env.cmd().arg("har").arg(&path).output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{name}: {err}");
    }
    // A HAR saved without content and without cookies: both named, exit 0 (nothing refused).
    let stripped = r#"{"log": {"entries": [{"startedDateTime": "2026-01-01T00:00:00Z",
        "request": {"method": "GET", "url": "https://shop.example/api/jwt", "headers": []},
        "response": {"status": 200, "content": {"size": 320, "mimeType": "application/json"}}}]}}"#;
    let path = dir.join("stripped.har");
    std::fs::write(&path, stripped).expect("write");
    let out = env.cmd().arg("har").arg(&path).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("1 answer(s) have no body"), "{text}");
    assert!(text.contains("looks sanitized"), "{text}");
}

fn tempfile_dir(env: &Env) -> std::path::PathBuf {
    let dir = env.home.path().join("files");
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir
}

/// The README's example is what the command prints (run from the repository, as shown).
#[test]
fn the_readmes_example_is_what_it_prints() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let command = "$ tokensmith har tests/fixtures/har/tiledesk-clock-ahead.chrome.har\n";
    let start = readme.find(command).expect("the example") + command.len();
    let shown = &readme[start..start + readme[start..].find("```").expect("block end")];
    let env = Env::new();
    let out = env
        .cmd()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["har", "tests/fixtures/har/tiledesk-clock-ahead.chrome.har"])
        .output()
        .expect("runs");
    let printed = stdout(&out);
    assert!(printed.starts_with(shown), "the README shows:\n{shown}\nit prints:\n{printed}");
}

/// Each profile's vendor domains (`hosts`, which name the vendor of a request in a HAR) are
/// backed by a URL of its own: a source's, the docs page's, a parameter's default (Chatwoot's
/// base URL), one its notes quote (HubSpot's token API), or one its snippets load.
#[test]
fn every_vendor_host_is_backed_by_a_url_of_its_profile() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let profiles = tokensmith::profile::ProfileSet::load(None).profiles;
    let mut unbacked = Vec::new();
    for profile in profiles.iter().filter(|p| !p.hosts.is_empty()) {
        let mut urls: Vec<String> = profile.sources.iter().filter_map(|s| s.url.clone()).collect();
        urls.extend(profile.docs_url.clone());
        urls.extend(profile.params.iter().map(|p| p.default.clone()));
        urls.extend(profile.notes.iter().cloned());
        if let Ok(dir) = std::fs::read_dir(root.join("assets/snippets").join(&profile.id)) {
            for file in dir.filter_map(Result::ok) {
                urls.push(std::fs::read_to_string(file.path()).unwrap_or_default());
            }
        }
        for host in &profile.hosts {
            let backed = urls.iter().any(|text| {
                text.split("://").skip(1).any(|rest| {
                    let url_host =
                        rest.split(['/', '"', '\'', ' ', ':', '?', '\n']).next().unwrap_or_default();
                    url_host == host || url_host.ends_with(&format!(".{host}"))
                })
            });
            if !backed {
                unbacked.push(format!("{}: {host}", profile.id));
            }
        }
    }
    assert!(unbacked.is_empty(), "hosts no URL of the profile names: {unbacked:?}");
}
