//! The command line for identity hashes and vendor-issued tokens: `tokensmith hash`, the
//! doctor's `--hash` with each mistake it names (hashes made by Python's `hmac`, not by us),
//! `sign` refusing, and the doctor on a HubSpot token.

mod common;

use common::Env;

const SECRET: &str = "tokensmith-fixture-secret-0123456789abcdef";

/// Python's hmac: `mode` is hex, upper, base64 or swapped.
fn python_hash(mode: &str, secret: &str, message: &str) -> Option<String> {
    let script = "import base64, hmac, hashlib, sys\n\
mode, key, msg = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode()\n\
if mode == 'swapped': key, msg = msg, key\n\
mac = hmac.new(key, msg, hashlib.sha256)\n\
print({'hex': mac.hexdigest(), 'swapped': mac.hexdigest(), 'upper': mac.hexdigest().upper(), 'base64': base64.b64encode(mac.digest()).decode()}[mode])";
    let out = common::python().args(["-c", script, mode, secret, message]).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim_end_matches('\n').to_string())
}

macro_rules! py_or_skip {
    ($mode:expr, $secret:expr, $msg:expr) => {
        match python_hash($mode, $secret, $msg) {
            Some(hash) => hash,
            None => {
                common::skip_missing("python3");
                return;
            }
        }
    };
}

#[test]
fn hash_prints_pythons_hexdigest_and_json() {
    let env = Env::new();
    let expected = py_or_skip!("hex", SECRET, "ada@example.com");
    let out = env.ok(&["hash", "--profile", "helpscout", "--secret-env", "SECRET", "ada@example.com"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), expected);
    assert!(!String::from_utf8_lossy(&out.stderr).contains(SECRET), "the secret is never printed");
    let out = env.ok(&["hash", "-p", "intercom-hash", "--secret-env", "SECRET", "4242", "--json"]);
    let json = common::stdout_json(&out);
    assert_eq!(json["hash"], py_or_skip!("hex", SECRET, "4242"));
    assert_eq!(json["page_field"], "user_hash");
    // A JWT profile is not a hash profile.
    let out = env.cmd().args(["hash", "-p", "talla", "--secret-env", "SECRET", "x"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("'talla' does not use identity hashes"));
}

#[test]
fn a_hash_made_by_python_for_each_vendors_example_passes_the_doctor() {
    let env = Env::new();
    // The identifier each vendor's docs hash: Intercom and Chatwoot a user id, Help Scout,
    // Front (with no user id) and Crisp an email.
    for (profile, identifier) in [
        ("intercom-hash", "4242"),
        ("helpscout", "ada@example.com"),
        ("front", "ada@example.com"),
        ("chatwoot", "4242"),
        ("crisp", "ada@example.com"),
    ] {
        let hash = py_or_skip!("hex", SECRET, identifier);
        let out = env
            .cmd()
            .args(["doctor", "--profile", profile, "--secret-env", "SECRET", "--hash", &hash, identifier])
            .output()
            .expect("runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{profile}: {stdout}");
        assert!(stdout.contains("hash.ok"), "{stdout}");
    }
}

#[test]
fn the_doctor_names_each_mistake_and_exits_1() {
    let env = Env::new();
    let ada = "ada@example.com";
    let cases: Vec<(&str, String, &str, Vec<&str>)> = vec![
        ("hash.base64-output", py_or_skip!("base64", SECRET, ada), ada, vec![]),
        ("hash.upper-hex", py_or_skip!("upper", SECRET, ada), ada, vec![]),
        ("hash.swapped", py_or_skip!("swapped", SECRET, ada), ada, vec![]),
        ("hash.untrimmed", py_or_skip!("hex", SECRET, "ada@example.com\n"), ada, vec![]),
        ("hash.untrimmed", py_or_skip!("hex", SECRET, ada), " ada@example.com", vec![]),
        ("hash.wrong-case", py_or_skip!("hex", SECRET, ada), "Ada@Example.com", vec![]),
        ("hash.other-identifier", py_or_skip!("hex", SECRET, ada), "4242", vec!["--other-identifier", ada]),
        ("hash.mismatch", py_or_skip!("hex", "another secret", ada), ada, vec![]),
    ];
    for (code, hash, identifier, extra) in cases {
        let out = env
            .cmd()
            .args([
                "doctor",
                "-p",
                "intercom-hash",
                "--secret-env",
                "SECRET",
                "--hash",
                &hash,
                identifier,
                "--json",
            ])
            .args(extra)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1), "{code}: {}", String::from_utf8_lossy(&out.stderr));
        let json = common::stdout_json(&out);
        assert_eq!(json["diagnosis"]["code"], code, "{json}");
        assert!(!json["diagnosis"]["fix"].as_str().unwrap_or_default().is_empty());
    }
}

#[test]
fn the_doctor_finds_the_stored_key_for_a_hash_profile() {
    let env = Env::new();
    let hash = py_or_skip!("hex", SECRET, "4242");
    env.ok(&["keys", "add", "intercom", "--profile", "intercom-hash", "--secret-env", "SECRET"]);
    let out = env.ok(&["doctor", "-p", "intercom-hash", "--hash", &hash, "4242"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("stored key 'intercom'"));
    let out = env.ok(&["hash", "-p", "intercom-hash", "4242"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), hash);
}

#[test]
fn sign_and_verify_refuse_hash_and_vendor_issued_profiles_with_exit_2() {
    let env = Env::new();
    for (profile, words) in
        [("helpscout", "tokensmith hash --profile helpscout"), ("hubspot", "tokens/create")]
    {
        for verb in [
            vec!["sign", "-p", profile, "--secret-env", "SECRET"],
            vec!["verify", "x.y.z", "-p", profile, "--secret-env", "SECRET"],
        ] {
            let out = env.cmd().args(&verb).output().expect("runs");
            assert_eq!(out.status.code(), Some(2), "{verb:?}");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains(words), "{stderr}");
            assert!(out.stdout.is_empty());
        }
    }
}

fn unsigned_token(payload: &serde_json::Value) -> String {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    format!("{}.{}.c2ln", b64.encode(br#"{"alg":"HS256","typ":"JWT"}"#), b64.encode(payload.to_string()))
}

#[test]
fn the_doctor_inspects_a_hubspot_token_against_its_12_hour_life() {
    let env = Env::new();
    let iat = 1_767_225_600_i64;
    let good =
        unsigned_token(&serde_json::json!({"email": "ada@example.com", "iat": iat, "exp": iat + 12 * 3600}));
    let out = env.ok(&["doctor", "-p", "hubspot", &good, "--at", "1767229200"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("/conversations/v3/visitor-identification/tokens/create"), "{stdout}");
    assert!(!stdout.contains("time.lifetime"), "{stdout}");
    let long =
        unsigned_token(&serde_json::json!({"email": "ada@example.com", "iat": iat, "exp": iat + 24 * 3600}));
    let out = env.ok(&["doctor", "-p", "hubspot", &long, "--at", "1767229200", "--json"]);
    let json = common::stdout_json(&out);
    assert_eq!(json["findings"][0]["code"], "time.lifetime", "{json}");
    assert_eq!(json["findings"][0]["severity"], "warning", "a warning, citing the docs: {json}");
    assert_eq!(json["findings"][0]["source"]["id"], "docs");
    let out =
        env.cmd().args(["doctor", "-p", "hubspot", &good, "--at", "1767312000"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1), "expired");
    let out = env.ok(&["profile", "show", "hubspot"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("tokens/create"));
}
