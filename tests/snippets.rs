//! Snippets: golden files for every profile and flavour; the generated Node and Python server
//! code is run and its token must pass verify and the doctor; the page snippets are loaded in
//! headless Chromium with a stub of the vendor's global that records its calls.
//!
//! Node's jsonwebtoken, PyJWT and Chromium are installed by `.ci/run`; where one is missing
//! the test says so and skips, unless TOKENSMITH_REQUIRE_TOOLS=1 (set by `.ci/run`).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Map, Value};
use tokensmith::claims::{BuildContext, ClaimAssignment, ClaimSchema, build_payload};
use tokensmith::profile::{KeyKind, Profile, ProfileSet};
use tokensmith::secret::Secret;
use tokensmith::snippet::{FlavorKind, SnippetInput, flavors, render};
use tokensmith::token::{self, KeyMaterial, VerifyOptions, parse_pem};

/// 2026-01-01 00:00:00 UTC, for the golden files.
const NOW: i64 = 1_767_225_600;
const SECRET: &str = "tokensmith-snippet-secret-0123456789abcdef";
const HOSTILE: &str = "</script><script>alert(1)</script>\"'";

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

/// The private key PEM (asymmetric profiles) or None (HMAC).
fn pem_for(profile: &Profile) -> Option<String> {
    let file = match profile.key_kind {
        KeyKind::HmacSecret => return None,
        KeyKind::RsaKeyPair => "keys/rsa2048-pkcs8.pem",
        KeyKind::EcP256KeyPair => "keys/ec-p256-pkcs8.pem",
        KeyKind::EcP384KeyPair => "keys/ec-p384-pkcs8.pem",
        KeyKind::Ed25519KeyPair => "keys/ed25519-pkcs8.pem",
    };
    Some(std::fs::read_to_string(fixture(file)).expect("key fixture"))
}

fn key_for(profile: &Profile) -> KeyMaterial {
    match pem_for(profile) {
        Some(pem) => parse_pem(&pem).expect("pem").material,
        None => KeyMaterial::hmac(Secret::new(SECRET.as_bytes().to_vec())).expect("secret"),
    }
}

/// The profile's default payload (plus extra assignments), signed at `now`.
fn signed(profile: &Profile, now: i64, extra: &[ClaimAssignment]) -> (String, Map<String, Value>) {
    let mut uuid = || "00000000-0000-4000-8000-000000000000".to_string();
    let params = profile.resolve_params(&[]).expect("params");
    let mut ctx = BuildContext { now, uuid: &mut uuid, params: &params };
    let schema = ClaimSchema { profile: &profile.id, fields: &profile.claims, allow_extra: true };
    let payload = build_payload(&schema, extra, &mut ctx).expect("payload");
    let alg = profile.algorithms[0];
    let token =
        token::sign(&token::header(alg, Some("JWT"), None), &payload, &key_for(profile), alg).expect("sign");
    (token, payload)
}

fn params(profile: &Profile, hostile: bool) -> Vec<(String, String)> {
    profile
        .params
        .iter()
        .map(|p| {
            (
                p.name.clone(),
                if hostile && p.name != "mobile_url" { HOSTILE.to_string() } else { p.default.clone() },
            )
        })
        .collect()
}

fn require_tools() -> bool {
    std::env::var("TOKENSMITH_REQUIRE_TOOLS").is_ok_and(|v| v == "1")
}

fn skip(what: &str) {
    assert!(!require_tools(), "{what} is not available, and TOKENSMITH_REQUIRE_TOOLS=1");
    eprintln!("skipping: {what} is not available (.ci/run installs it)");
}

#[test]
fn golden_files_for_every_profile_and_flavour() {
    for profile in ProfileSet::load(None).profiles {
        // ES and PS signatures are randomised: the golden files carry the real payload and
        // header, and a fixed signature, so they change only when a template does.
        let (real, payload) = signed(&profile, NOW, &[]);
        let token = format!("{}.golden-signature", real.rsplit_once('.').map_or("", |(input, _)| input));
        let params = params(&profile, false);
        for flavor in flavors(&profile) {
            let input = SnippetInput { profile: &profile, token: &token, payload: &payload, params: &params };
            let text = render(&input, &flavor.name)
                .unwrap_or_else(|e| panic!("{} {}: {e}", profile.id, flavor.name));
            assert!(!text.contains(SECRET), "{} {} holds the secret", profile.id, flavor.name);
            assert!(!text.contains("PRIVATE KEY"), "{} {} holds a private key", profile.id, flavor.name);
            if flavor.kind == FlavorKind::Embed {
                assert!(text.contains(&token), "{} {} lacks the token", profile.id, flavor.name);
            }
            insta::assert_snapshot!(format!("{}__{}", profile.id, flavor.name), text);
        }
    }
}

fn tool_works(program: &str, args: &[&str]) -> bool {
    Command::new(program).args(args).output().is_ok_and(|o| o.status.success())
}

fn run_server_code(language: &str, profile: &Profile, dir: &Path) -> String {
    let (token, payload) = signed(profile, NOW, &[]);
    let params = params(profile, false);
    let input = SnippetInput { profile, token: &token, payload: &payload, params: &params };
    let code = render(&input, language).expect("renders");
    let (file, program, args): (&str, &str, Vec<&str>) = match language {
        "node" => ("issue-token.js", "node", vec!["--print"]),
        _ => ("issue_token.py", "python3", vec![]),
    };
    let path = dir.join(format!("{}-{file}", profile.id));
    std::fs::write(&path, code).expect("write");
    let secret = pem_for(profile).unwrap_or_else(|| SECRET.to_string());
    let out = Command::new(program)
        .arg(&path)
        .args(args)
        .env(tokensmith::snippet::env_var(profile), secret)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{language} for {}: {}", profile.id, String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf8").trim().to_string()
}

#[test]
fn generated_node_and_python_code_issues_tokens_that_pass_verify_and_the_doctor() {
    let node = tool_works("node", &["-e", "require('jsonwebtoken')"]);
    let python = tool_works("python3", &["-c", "import jwt, cryptography"]);
    if !node {
        skip("node with the jsonwebtoken package");
    }
    if !python {
        skip("python3 with PyJWT and cryptography");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let set = ProfileSet::load(None);
    for id in ["talla", "viasocket", "orlo", "ticketping", "tiledesk", "generic-hs256", "generic-rs256"] {
        let profile = set.get(id).expect("profile");
        for (language, available) in [("node", node), ("python", python)] {
            if !available {
                continue;
            }
            let issued = run_server_code(language, profile, dir.path());
            let now = chrono::Utc::now().timestamp();
            let decoded = token::decode(&issued).unwrap_or_else(|e| panic!("{language} {id}: {e}: {issued}"));
            let key = key_for(profile).public();
            let allowed = token::allowed_algs(Some((&profile.id, &profile.algorithms)), &key).expect("algs");
            let options =
                VerifyOptions { allowed, leeway_secs: 0, now, require_exp: profile.time.exp_required.value };
            let verification = token::verify(&decoded, &key, &options);
            assert!(verification.valid, "{language} {id}: {:?}", verification.problems);
            // the same claims, in the same shape
            let (_, expected) = signed(profile, now, &[]);
            let keys = |m: &Map<String, Value>| m.keys().cloned().collect::<std::collections::BTreeSet<_>>();
            assert_eq!(keys(&decoded.payload), keys(&expected), "{language} {id}");
            let candidate = tokensmith::doctor::Candidate {
                name: "the test key".into(),
                key: key_for(profile),
                text: pem_for(profile).is_none().then(|| Secret::new(SECRET.as_bytes().to_vec())),
                explicit: true,
            };
            let report = tokensmith::doctor::diagnose(&issued, profile, &[candidate], &[], now);
            assert!(report.passes(), "{language} {id}: {:?}", report.findings);
        }
    }
}

#[test]
fn other_languages_pass_a_syntax_check_where_installed() {
    let set = ProfileSet::load(None);
    let dir = tempfile::tempdir().expect("tempdir");
    let checks: [(&str, &str, &str, &[&str]); 3] = [
        ("ruby", "rb", "ruby", &["-c"]),
        ("php", "php", "php", &["-l"]),
        ("go", "go", "gofmt", &["-e", "-l"]),
    ];
    for (language, ext, program, args) in checks {
        if !tool_works(program, if program == "gofmt" { &["-h"] } else { &["--version"] })
            && !tool_works("which", &[program])
        {
            eprintln!("skipping the {language} syntax check: {program} is not installed");
            continue;
        }
        for id in ["talla", "orlo", "tiledesk"] {
            let profile = set.get(id).expect("profile");
            let (token, payload) = signed(profile, NOW, &[]);
            let input = SnippetInput { profile, token: &token, payload: &payload, params: &[] };
            let path = dir.path().join(format!("{id}.{ext}"));
            std::fs::write(&path, render(&input, language).expect("renders")).expect("write");
            let out = Command::new(program).args(args).arg(&path).output().expect("runs");
            assert!(out.status.success(), "{language} {id}: {}", String::from_utf8_lossy(&out.stderr));
        }
    }
}
