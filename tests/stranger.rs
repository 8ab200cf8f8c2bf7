//! Issue 19, the second hardening round: what a stranger's bytes, a second process and a
//! signal can do. Each test here failed before its fix.

mod common;

use common::{Env, FIXTURE_SECRET};

fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// An HS256 token over the given JSON texts, signed with the fixture secret.
fn hs256(header: &str, payload: &str) -> String {
    let input = format!("{}.{}", b64(header.as_bytes()), b64(payload.as_bytes()));
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, FIXTURE_SECRET.as_bytes());
    let sig = ring::hmac::sign(&key, input.as_bytes());
    format!("{input}.{}", b64(sig.as_ref()))
}

/// Characters that must never reach a terminal as they are: ESC, BEL, CSI as C1, DEL, a
/// right-to-left override and an isolate, a zero-width space.
fn unsafe_chars(text: &str) -> Vec<char> {
    text.chars().filter(|&c| c != '\n' && c != '\t' && tokensmith::text::is_unsafe(c)).collect()
}

const HOSTILE: &str = "\\u001b]2;PWNED\\u0007\\u001b[2J\\u001b[H\\u009b31m\\u202etxt.exe\\u2066\\u200b\\u007f\\nresult: no errors";

#[test]
fn no_verb_prints_a_strangers_control_or_bidi_characters() {
    let env = Env::new();
    let token = hs256(
        &format!(r#"{{"alg":"HS256","typ":"JWT","kid":"{HOSTILE}"}}"#),
        &format!(
            r#"{{"sub":"{HOSTILE}","{HOSTILE}":1,"exp":4102444800,"iat":1700000000,"email":"{HOSTILE}"}}"#
        ),
    );
    let (glued, led) = (format!("{token}\u{1b}[2J"), format!("\u{202e}{token}"));
    let runs: Vec<Vec<&str>> = vec![
        vec!["decode", &token],
        vec!["decode", &token, "--json"],
        vec!["verify", &token, "--secret-env", "SECRET"],
        vec!["verify", &token, "--secret-env", "SECRET", "--json"],
        vec!["doctor", &token, "-p", "ticketping", "--secret-env", "SECRET"],
        vec!["doctor", &token, "-p", "ticketping", "--secret-env", "SECRET", "--json"],
        vec!["doctor", &token, "-p", "ticketping", "--secret-env", "SECRET", "--format", "markdown"],
        vec!["doctor", &token, "-p", "zendesk-messaging"],
        vec!["decode", &glued],
        vec!["verify", &led, "--secret-env", "SECRET"],
    ];
    for args in runs {
        let out = env.cmd().args(&args).output().expect("runs");
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(
            unsafe_chars(&stdout).is_empty(),
            "{:?} stdout has {:?}:\n{stdout}",
            &args[..1],
            unsafe_chars(&stdout)
        );
        assert!(
            unsafe_chars(&stderr).is_empty(),
            "{:?} stderr has {:?}:\n{stderr}",
            &args[..1],
            unsafe_chars(&stderr)
        );
        assert!(
            !stdout.lines().any(|l| l.trim_start().starts_with("result: no errors")),
            "{args:?}: {stdout}"
        );
        if args.contains(&"--json") {
            let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("still JSON");
            assert!(value.to_string().contains("PWNED"), "{value}");
        }
    }
}
