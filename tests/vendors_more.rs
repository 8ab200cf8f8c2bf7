//! Six more JWT vendors (Zendesk messaging, Zendesk Chat, Intercom, Salesforce, Kustomer,
//! Drift), from both sides:
//!
//! - a token made by node's jsonwebtoken from the vendor's documented example payload
//!   (`tests/vendors/more_samples.js`) passes tokensmith's `verify` and `doctor` without an error;
//! - `tokensmith sign --profile X` passes `tests/vendors/more_rules.py`, a PyJWT checker written
//!   from the vendors' docs alone that plays the vendor's side, and that checker refuses what the
//!   docs rule out;
//! - the doctor names each vendor's characteristic mistake, as an error where the vendor enforces
//!   the rule and as a warning where the rule is unconfirmed;
//! - `keys export --format jwk` gives the JWK Salesforce takes, with an x5c certificate that
//!   openssl parses and verifies and whose key is the JWK's.
//!
//! Node's jsonwebtoken, PyJWT and openssl come from `.ci/run`; where one is missing a test says
//! so and returns early, unless TOKENSMITH_REQUIRE_TOOLS=1, which fails it.

mod common;

use common::{
    Env, FIXTURE_SECRET, describe_findings, fixture, node, node_has_jsonwebtoken, python, python_has_pyjwt,
    skip_missing, stdout_json, vendors,
};
use serde_json::{Value, json};
use tokensmith::doctor::{Candidate, Report, Severity, diagnose};
use tokensmith::profile::{Profile, ProfileSet};
use tokensmith::secret::Secret;
use tokensmith::token::{self, Alg, KeyMaterial, parse_pem};

/// 2026-01-01 00:00:00 UTC.
const NOW: i64 = 1_767_225_600;
/// The Salesforce keyset's issuer and the kid of the JWK uploaded to it, in these tests.
const ISSUER: &str = "https://shop.example.com";
const KID: &str = "tokensmith-test-key-1";

const HMAC_VENDORS: [&str; 5] = ["zendesk-messaging", "zendesk-chat", "intercom", "kustomer", "drift"];

fn profile(id: &str) -> Profile {
    ProfileSet::load(None).get(id).expect("built-in profile").clone()
}

fn hmac() -> KeyMaterial {
    KeyMaterial::hmac(Secret::new(FIXTURE_SECRET.as_bytes().to_vec())).expect("secret")
}

fn rsa_private() -> KeyMaterial {
    let pem = std::fs::read_to_string(fixture("keys/rsa2048-pkcs8.pem")).expect("key fixture");
    parse_pem(&pem).expect("pem").material
}

/// A token with this header and payload, made by tokensmith's low-level signer (no profile).
fn signed(header: Value, payload: Value, key: &KeyMaterial, alg: Alg) -> String {
    let mut h = token::header(alg, Some("JWT"), None);
    for (k, v) in header.as_object().expect("header object") {
        if v.is_null() {
            h.remove(k);
        } else {
            h.insert(k.clone(), v.clone());
        }
    }
    token::sign(&h, payload.as_object().expect("payload object"), key, alg).expect("signs")
}

fn hs256(header: Value, payload: Value) -> String {
    signed(header, payload, &hmac(), Alg::HS256)
}

fn doctor(token: &str, profile_id: &str, key: KeyMaterial, at: i64) -> Report {
    let candidate = Candidate { name: "the vendor's key".into(), key, text: None, explicit: true };
    let params = vec![("issuer".to_string(), ISSUER.to_string()), ("key_id".to_string(), KID.to_string())];
    diagnose(token, &profile(profile_id), &[candidate], &params, at)
}

fn key_args(vendor: &str) -> Vec<String> {
    if vendor == "salesforce" {
        vec!["--key-file".into(), fixture("keys/rsa2048-pkcs8.pem").display().to_string()]
    } else {
        vec!["--secret-env".into(), "SECRET".into()]
    }
}

/// `more_samples.js VENDOR`: the vendor's example token, made by jsonwebtoken.
fn sample(vendor: &str) -> String {
    let out = node()
        .arg(vendors("more_samples.js"))
        .arg(vendor)
        .env("MORE_SECRET", FIXTURE_SECRET)
        .env("MORE_PRIVATE_KEY_FILE", fixture("keys/rsa2048-pkcs8.pem"))
        .env("MORE_KID", KID)
        .env("MORE_ISSUER", ISSUER)
        .output()
        .expect("node runs");
    assert!(out.status.success(), "{vendor}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8").trim().to_string()
}

/// `more_rules.py VENDOR TOKEN`: Ok(notes) or Err(problems).
fn vendor_rules(vendor: &str, token: &str, now: Option<i64>) -> Result<Value, Value> {
    let mut cmd = python();
    cmd.arg(vendors("more_rules.py")).args([vendor, token]);
    if let Some(now) = now {
        cmd.args(["--now", &now.to_string()]);
    }
    let out = cmd
        .env("MORE_SECRET", FIXTURE_SECRET)
        .env("MORE_PUBLIC_KEY_FILE", fixture("keys/rsa2048-pub-spki.pem"))
        .env("MORE_KID", KID)
        .env("MORE_ISSUER", ISSUER)
        .output()
        .expect("python3 runs");
    let verdict: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("more_rules.py gave no verdict ({e}): {}", String::from_utf8_lossy(&out.stderr))
    });
    assert_eq!(out.status.success(), verdict["ok"] == true, "{verdict}");
    if verdict["ok"] == true { Ok(verdict["notes"].clone()) } else { Err(verdict["problems"].clone()) }
}

fn errors_of(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| format!("{} [{}]", f["code"].as_str().unwrap_or("?"), f["subject"].as_str().unwrap_or("-")))
        .collect()
}

#[test]
fn the_vendors_example_tokens_pass_verify_and_the_doctor() {
    if !node_has_jsonwebtoken() {
        skip_missing("node with the jsonwebtoken package");
        return;
    }
    let env = Env::new();
    let public = fixture("keys/rsa2048-pub-spki.pem").display().to_string();
    let mut failures = Vec::new();
    for vendor in HMAC_VENDORS.iter().chain(["salesforce"].iter()) {
        let token = sample(vendor);
        let key: Vec<String> = if *vendor == "salesforce" {
            vec!["--key-file".into(), public.clone()]
        } else {
            vec!["--secret-env".into(), "SECRET".into()]
        };
        let verify =
            env.cmd().args(["verify", &token, "--profile", vendor]).args(&key).output().expect("runs");
        if !verify.status.success() {
            failures
                .push(format!("{vendor}: verify refuses it: {}", String::from_utf8_lossy(&verify.stderr)));
        }
        let out = env
            .cmd()
            .args(["doctor", &token, "--profile", vendor, "--json"])
            .args(&key)
            .args(if *vendor == "salesforce" {
                vec!["--param".to_string(), format!("issuer={ISSUER}")]
            } else {
                vec![]
            })
            .output()
            .expect("runs");
        let report = stdout_json(&out);
        let errors = errors_of(&report);
        if out.status.code() != Some(0) || !errors.is_empty() || report["verified_with"].is_null() {
            failures.push(format!(
                "{vendor}: doctor exit {:?}, errors {errors:?}\n{report:#}",
                out.status.code()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn our_tokens_pass_the_vendors_rules() {
    if !python_has_pyjwt() {
        skip_missing("python3 with PyJWT and cryptography");
        return;
    }
    let env = Env::new();
    let mut failures = Vec::new();
    for vendor in HMAC_VENDORS.iter().chain(["salesforce"].iter()) {
        let mut args: Vec<String> = vec!["sign".into(), "--profile".into(), vendor.to_string()];
        args.extend(key_args(vendor));
        if *vendor == "salesforce" {
            args.extend(["--param".into(), format!("issuer={ISSUER}"), "--kid".into(), KID.into()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let token = String::from_utf8(env.ok(&args).stdout).expect("utf-8").trim().to_string();
        match vendor_rules(vendor, &token, None) {
            Ok(notes) => assert_eq!(notes, json!([]), "{vendor}: our default keeps the unconfirmed limits"),
            Err(problems) => failures.push(format!("{vendor}: {problems}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_vendor_rules_checker_refuses_what_the_docs_rule_out() {
    if !python_has_pyjwt() {
        skip_missing("python3 with PyJWT and cryptography");
        return;
    }
    let zendesk = json!({"scope": "user", "external_id": "u-1", "exp": NOW + 300});
    let with = |base: &Value, changes: Value| {
        let mut out = base.clone();
        for (k, v) in changes.as_object().expect("changes") {
            if v.is_null() {
                out.as_object_mut().expect("object").remove(k);
            } else {
                out[k] = v.clone();
            }
        }
        out
    };
    let kid = json!({"kid": "app_1"});
    let sf = json!({"iss": ISSUER, "sub": "u-1", "exp": NOW + 300});
    let cases: Vec<(&str, String, &str)> = vec![
        ("zendesk-messaging", hs256(json!({}), zendesk.clone()), "kid"),
        ("zendesk-messaging", signed(kid.clone(), zendesk.clone(), &rsa_private(), Alg::RS256), "HS256"),
        ("zendesk-messaging", hs256(kid.clone(), with(&zendesk, json!({"scope": null}))), "scope"),
        (
            "zendesk-messaging",
            hs256(kid.clone(), with(&zendesk, json!({"external_id": "x".repeat(256)}))),
            "255",
        ),
        ("zendesk-messaging", hs256(kid.clone(), with(&zendesk, json!({"exp": NOW - 1}))), "expired"),
        (
            "zendesk-chat",
            hs256(json!({}), json!({"name": "A", "email": "a@b.co", "external_id": "1", "exp": NOW + 60})),
            "iat",
        ),
        (
            "zendesk-chat",
            hs256(
                json!({}),
                json!({"name": "A", "email": "a@b.co", "external_id": "1", "iat": NOW, "exp": NOW + 900}),
            ),
            "7 minutes",
        ),
        (
            "zendesk-messaging",
            hs256(kid.clone(), with(&zendesk, json!({"external_id": "a@b.co"}))),
            "alphanumeric",
        ),
        ("kustomer", hs256(json!({}), json!({"externalId": "1", "iat": NOW - 16 * 60})), "15 minutes"),
        ("intercom", hs256(json!({}), json!({"email": "a@b.co"})), "user_id"),
        (
            "salesforce",
            signed(
                json!({"kid": KID}),
                with(&sf, json!({"iss": "https://other.example"})),
                &rsa_private(),
                Alg::RS256,
            ),
            "iss",
        ),
        ("salesforce", signed(json!({"kid": "another-key"}), sf.clone(), &rsa_private(), Alg::RS256), "kid"),
        ("salesforce", hs256(json!({"kid": KID}), sf.clone()), "RS256"),
        ("kustomer", hs256(json!({}), json!({"name": "A", "iat": NOW})), "externalId"),
        ("drift", hs256(json!({}), json!({"sub": "u-1", "exp": NOW - 10})), "expired"),
        ("drift", hs256(json!({}), json!({"user_id": "u-1"})), "sub"),
    ];
    let mut failures = Vec::new();
    for (vendor, token, word) in &cases {
        match vendor_rules(vendor, token, Some(NOW)) {
            Ok(_) => failures.push(format!("{vendor}: passed a token without '{word}'")),
            Err(problems) if !problems.to_string().contains(word) => {
                failures.push(format!("{vendor}: expected a problem naming '{word}', got {problems}"))
            }
            Err(_) => {}
        }
    }
    // Zendesk's own code samples sign without exp: a note, never a refusal.
    let no_exp = hs256(json!({}), json!({"name": "A", "email": "a@b.co", "external_id": "1", "iat": NOW}));
    match vendor_rules("zendesk-chat", &no_exp, Some(NOW)) {
        Ok(notes) => assert!(notes.to_string().contains("no exp"), "{notes}"),
        Err(problems) => failures.push(format!("zendesk-chat: a token like its samples refused: {problems}")),
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A doctor case: the profile, the token, the key, and the finding expected (code, subject,
/// severity).
type MistakeCase = (&'static str, String, KeyMaterial, &'static str, Option<&'static str>, Severity);

/// Each profile's characteristic mistake gets its finding, at its severity, and no other error.
#[test]
#[expect(clippy::too_many_lines, reason = "a data table: one case per vendor's mistake")]
fn the_doctor_names_each_vendors_characteristic_mistake() {
    let zendesk = json!({"scope": "user", "external_id": "u-1", "exp": NOW + 300});
    let kid = json!({"kid": "app_1"});
    let cases: Vec<MistakeCase> = vec![
        (
            "zendesk-messaging",
            hs256(json!({}), zendesk.clone()),
            hmac(),
            "header.missing",
            Some("header.kid"),
            Severity::Error,
        ),
        (
            "zendesk-messaging",
            hs256(kid.clone(), json!({"scope": "user", "external_id": "x".repeat(300)})),
            hmac(),
            "claim.too-long",
            Some("external_id"),
            Severity::Error,
        ),
        (
            "zendesk-messaging",
            hs256(kid.clone(), json!({"external_id": "u-1"})),
            hmac(),
            "claim.missing",
            Some("scope"),
            Severity::Error,
        ),
        (
            "zendesk-messaging",
            hs256(kid.clone(), json!({"scope": "visitor", "external_id": "u-1"})),
            hmac(),
            "claim.pattern",
            Some("scope"),
            Severity::Error,
        ),
        (
            "zendesk-chat",
            hs256(
                json!({}),
                json!({"name": "A", "email": "a@b.co", "external_id": "1", "iat": NOW, "exp": NOW + 600}),
            ),
            hmac(),
            "time.lifetime-max",
            Some("exp"),
            Severity::Error,
        ),
        // Zendesk's article lists exp, but its five code samples sign without it: a warning.
        (
            "zendesk-chat",
            hs256(json!({}), json!({"name": "A", "email": "a@b.co", "external_id": "1", "iat": NOW})),
            hmac(),
            "time.exp-missing",
            Some("exp"),
            Severity::Warning,
        ),
        (
            "zendesk-chat",
            hs256(
                json!({}),
                json!({"name": "A", "email": "a@b.co", "external_id": "1", "iat": NOW + 300, "exp": NOW + 500}),
            ),
            hmac(),
            "time.iat-future",
            Some("iat"),
            Severity::Error,
        ),
        (
            "zendesk-messaging",
            hs256(kid.clone(), json!({"scope": "user", "external_id": "ada@example.com"})),
            hmac(),
            "claim.charset",
            Some("external_id"),
            Severity::Error,
        ),
        (
            "intercom",
            hs256(json!({}), json!({"email": "a@b.co"})),
            hmac(),
            "claim.missing",
            Some("user_id"),
            Severity::Error,
        ),
        (
            "salesforce",
            signed(json!({"kid": KID}), json!({"sub": "u-1", "exp": NOW + 300}), &rsa_private(), Alg::RS256),
            rsa_private(),
            "claim.missing",
            Some("iss"),
            Severity::Error,
        ),
        (
            "salesforce",
            signed(
                json!({}),
                json!({"iss": ISSUER, "sub": "u-1", "exp": NOW + 300}),
                &rsa_private(),
                Alg::RS256,
            ),
            rsa_private(),
            "header.missing",
            Some("header.kid"),
            Severity::Error,
        ),
        (
            "salesforce",
            hs256(json!({"kid": KID}), json!({"iss": ISSUER, "sub": "u-1", "exp": NOW + 300})),
            rsa_private(),
            "alg.not-allowed",
            Some("header.alg"),
            Severity::Error,
        ),
        (
            "kustomer",
            hs256(json!({}), json!({"name": "A", "iat": NOW})),
            hmac(),
            "claim.none-of",
            Some("email"),
            Severity::Error,
        ),
        (
            "kustomer",
            hs256(json!({}), json!({"externalId": "u-1", "iat": NOW, "exp": NOW + 1800})),
            hmac(),
            "time.lifetime-max",
            Some("exp"),
            Severity::Warning,
        ),
        (
            "kustomer",
            hs256(json!({}), json!({"externalId": "u-1"})),
            hmac(),
            "time.iat-missing",
            Some("iat"),
            Severity::Error,
        ),
        (
            "kustomer",
            hs256(json!({}), json!({"externalId": "u-1", "iat": NOW - 16 * 60, "exp": NOW + 600})),
            hmac(),
            "time.iat-too-old",
            Some("iat"),
            Severity::Error,
        ),
        (
            "drift",
            hs256(json!({}), json!({"sub": "u-1", "exp": NOW - 60})),
            hmac(),
            "time.expired",
            Some("exp"),
            Severity::Error,
        ),
        (
            "drift",
            hs256(json!({}), json!({"user_id": "u-1"})),
            hmac(),
            "claim.missing",
            Some("sub"),
            Severity::Error,
        ),
    ];
    let mut failures = Vec::new();
    for (vendor, token, key, code, subject, severity) in cases {
        let report = doctor(&token, vendor, key, NOW);
        let found = report.findings.iter().find(|f| f.code == code && f.subject.as_deref() == subject);
        let others: Vec<&str> = report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error && !(f.code == code && f.subject.as_deref() == subject))
            .map(|f| f.code)
            .collect();
        match found {
            // Every profile rule names its source; the algorithm check is the doctor's own.
            Some(f)
                if f.severity == severity
                    && others.is_empty()
                    && (f.source.is_some() || code.starts_with("alg.")) => {}
            _ => failures.push(format!(
                "{vendor}: expected {severity} {code} [{subject:?}] and no other error:\n{}",
                describe_findings(&report)
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_kid_still_holding_the_example_value_is_a_warning() {
    let env = Env::new();
    let token = String::from_utf8(
        env.ok(&["sign", "--profile", "zendesk-messaging", "--secret-env", "SECRET"]).stdout,
    )
    .expect("utf-8");
    let decoded = token::decode(token.trim()).expect("decodes");
    assert_eq!(decoded.header["kid"], "app_your-key-id", "the key-id parameter fills the kid");
    let report = doctor(token.trim(), "zendesk-messaging", hmac(), NOW);
    assert!(report.passes(), "{}", describe_findings(&report));
    assert!(report.codes().contains(&"header.kid-placeholder"), "{}", describe_findings(&report));
    // --kid wins over the parameter.
    let token = String::from_utf8(
        env.ok(&["sign", "--profile", "zendesk-messaging", "--secret-env", "SECRET", "--kid", "app_42"])
            .stdout,
    )
    .expect("utf-8");
    assert_eq!(token::decode(token.trim()).expect("decodes").header["kid"], "app_42");
}

#[test]
fn a_key_pair_with_no_kid_signs_with_the_kid_its_exported_jwk_has() {
    // Salesforce matches the header's kid against the JWK uploaded to the keyset: with no kid
    // set on the key and the key-id parameter left at its example, both sides use the key's
    // RFC 7638 thumbprint, so the token matches the JWK `keys export` gave.
    let env = Env::new();
    env.ok(&["keys", "import", "sf-chat", fixture("keys/rsa2048-pkcs8.pem").to_str().expect("path")]);
    let jwk = stdout_json(&env.ok(&["keys", "export", "sf-chat", "--format", "jwk"]));
    let args =
        ["sign", "--profile", "salesforce", "--key", "sf-chat", "--param", "issuer=https://shop.example.com"];
    let token = String::from_utf8(env.ok(&args).stdout).expect("utf-8");
    let header = token::decode(token.trim()).expect("decodes").header;
    assert_eq!(header["kid"], jwk["kid"], "the token's kid is the exported JWK's");
    assert_ne!(header["kid"], "your-jwk-kid", "not the example value");
    // A key id given as the parameter still wins.
    let mut with_param = args.to_vec();
    with_param.extend(["--param", "key_id=keyset-7"]);
    let token = String::from_utf8(env.ok(&with_param).stdout).expect("utf-8");
    assert_eq!(token::decode(token.trim()).expect("decodes").header["kid"], "keyset-7");
}

fn openssl(args: &[&str]) -> std::process::Output {
    std::process::Command::new("openssl").args(args).output().expect("openssl runs")
}

#[test]
fn the_salesforce_jwk_carries_a_self_signed_certificate_of_its_own_key() {
    if std::process::Command::new("openssl").arg("version").output().is_err() {
        skip_missing("openssl");
        return;
    }
    let env = Env::new();
    env.ok(&["keys", "import", "sf-chat", fixture("keys/rsa2048-pkcs8.pem").to_str().expect("path")]);
    env.ok(&["keys", "set", "sf-chat", "--kid", KID]);
    let jwk = stdout_json(&env.ok(&["keys", "export", "sf-chat", "--format", "jwk"]));
    for member in ["kty", "kid", "alg", "use", "n", "e", "x5c"] {
        assert!(jwk.get(member).is_some(), "no {member} in {jwk:#}");
    }
    assert_eq!(
        (jwk["kty"].as_str(), jwk["kid"].as_str(), jwk["alg"].as_str()),
        (Some("RSA"), Some(KID), Some("RS256"))
    );
    assert!(jwk.get("d").is_none(), "no private member");
    let der = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(jwk["x5c"][0].as_str().expect("x5c is an array of base64 strings"))
            .expect("standard base64 (RFC 7517 §4.7)")
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let der_path = dir.path().join("cert.der");
    let pem_path = dir.path().join("cert.pem");
    std::fs::write(&der_path, der).expect("write");
    let (der_s, pem_s) = (der_path.to_str().expect("path"), pem_path.to_str().expect("path"));
    let text = openssl(&["x509", "-inform", "DER", "-in", der_s, "-noout", "-text"]);
    assert!(text.status.success(), "openssl cannot parse it: {}", String::from_utf8_lossy(&text.stderr));
    let text = String::from_utf8_lossy(&text.stdout).to_string();
    assert!(text.contains("Subject: CN = sf-chat") && text.contains("Issuer: CN = sf-chat"), "{text}");
    assert!(text.contains("sha256WithRSAEncryption"), "{text}");
    // Valid now, and for at least the 10 days Salesforce asks for (a year, in fact).
    assert!(openssl(&["x509", "-inform", "DER", "-in", der_s, "-noout", "-checkend", "0"]).status.success());
    assert!(
        openssl(&[
            "x509",
            "-inform",
            "DER",
            "-in",
            der_s,
            "-noout",
            "-checkend",
            &(300 * 86_400).to_string()
        ])
        .status
        .success()
    );
    // Its signature verifies with its own public key (self-signed).
    assert!(openssl(&["x509", "-inform", "DER", "-in", der_s, "-out", pem_s]).status.success());
    let verify = openssl(&["verify", "-CAfile", pem_s, pem_s]);
    assert!(
        verify.status.success(),
        "{}{}",
        String::from_utf8_lossy(&verify.stdout),
        String::from_utf8_lossy(&verify.stderr)
    );
    // Its public key is the JWK's n and e.
    let modulus = openssl(&["x509", "-in", pem_s, "-noout", "-modulus"]);
    let modulus = String::from_utf8_lossy(&modulus.stdout).trim().trim_start_matches("Modulus=").to_string();
    let n = {
        use base64::Engine as _;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(jwk["n"].as_str().expect("n")).expect("n")
    };
    assert_eq!(modulus, hex::encode_upper(&n));
    assert!(text.contains("Exponent: 65537 (0x10001)") && jwk["e"] == "AQAB", "{text}");
    // A token signed with the key verifies with the JWK (what Salesforce does with it).
    let jwk_path = dir.path().join("key.jwk");
    std::fs::write(&jwk_path, jwk.to_string()).expect("write");
    let token = String::from_utf8(
        env.ok(&[
            "sign",
            "--profile",
            "salesforce",
            "--key",
            "sf-chat",
            "--param",
            &format!("issuer={ISSUER}"),
        ])
        .stdout,
    )
    .expect("utf-8");
    assert_eq!(
        token::decode(token.trim()).expect("decodes").header["kid"],
        KID,
        "the stored kid is the header's"
    );
    env.cmd()
        .args(["verify", token.trim(), "--profile", "salesforce", "--key-file"])
        .arg(&jwk_path)
        .assert()
        .code(0);
}

/// Kustomer's own sample token (kustomer/ios-chat-sdk-samples, swift-chat-v2-sample/Constants.swift:
/// externalId and iat, no exp; "valid for 15 minutes from the iat value time"). Its secret is
/// Kustomer's, so the signature stays unchecked; the doctor accepts its claims within 15 minutes
/// of iat and refuses them after, whatever exp would say.
#[test]
fn kustomers_own_sample_token_lives_15_minutes_from_its_iat() {
    const SAMPLE: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHRlcm5hbElkIjoiMjM0NTY3OCIsImlhdCI6MTYyOTE0MzUyMX0.jSxepHi2rwu-RL-MCe8iJ_uVFQVtEhhqjCvmhBS0cgk";
    const IAT: i64 = 1_629_143_521;
    let env = Env::new();
    let at = |secs: i64| {
        let out = env
            .cmd()
            .args(["doctor", "-p", "kustomer", SAMPLE, "--json", "--at", &(IAT + secs).to_string()])
            .output()
            .expect("runs");
        let report = stdout_json(&out);
        let errors: Vec<String> = report["findings"]
            .as_array()
            .map(|all| {
                all.iter()
                    .filter(|f| f["severity"] == "error")
                    .filter_map(|f| f["code"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        (out.status.code(), errors)
    };
    assert_eq!(at(5 * 60), (Some(0), Vec::<String>::new()));
    assert_eq!(at(16 * 60), (Some(1), vec!["time.iat-too-old".to_string()]));
}
