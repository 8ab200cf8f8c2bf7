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

/// Issue 19 (2): the Markdown report told every reader which public value the secret was, by
/// replacing each copy of the secret's text inside the claims with "[secret removed]".
#[test]
fn the_markdown_report_neither_rewrites_claims_nor_points_at_the_secret() {
    let env = Env::new();
    for (secret, args) in [
        ("65f0c0ffee", vec!["-p", "tiledesk", "--param", "project_id=65f0c0ffee", "-c", "sub=ada"]),
        ("user", vec!["-p", "ticketping", "-c", "sub=user-1", "-c", "email=user@example.com"]),
    ] {
        let mut sign = env.cmd();
        sign.env("S", secret).args(["sign", "--secret-env", "S"]).args(&args);
        let out = sign.output().expect("runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
        let claims = tokensmith::token::decode(&token).expect("decodes").payload;
        let mut doctor = env.cmd();
        doctor.env("S", secret).args(["doctor", &token, "--secret-env", "S", "--format", "markdown"]);
        doctor.args(&args[..2]);
        if args.contains(&"--param") {
            doctor.args(["--param", "project_id=65f0c0ffee"]);
        }
        let md = String::from_utf8_lossy(&doctor.output().expect("runs").stdout).into_owned();
        assert!(!md.contains("removed]"), "{md}");
        let block = md.split("### Payload\n\n```json\n").nth(1).and_then(|r| r.split("\n```").next());
        let shown: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(block.expect("a payload block")).expect("JSON");
        assert_eq!(shown, claims, "the payload is shown as the token has it");
        assert!(!md.contains(&token) && !md.contains(token.rsplit('.').next().expect("sig")), "{md}");
    }
}
