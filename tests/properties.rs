//! Property tests: whatever a stranger pastes, nothing panics, and what tokensmith signs it
//! verifies. Each target runs `PROPTEST_CASES` cases (CI keeps the whole file to about a
//! minute; a long run before a release sets e.g. PROPTEST_CASES=200000, see README).
//! A failure prints the smallest input that fails; it becomes a regression case below.

use std::path::PathBuf;

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use tokensmith::claims::{BuildContext, ClaimAssignment, ClaimSchema, ValueExpr, build_payload};
use tokensmith::doctor::{Candidate, diagnose};
use tokensmith::profile::{self, ProfileSet, ProfileSource};
use tokensmith::secret::Secret;
use tokensmith::token::{self, Alg, KeyMaterial, VerifyOptions, parse_key, parse_pem};

fn fixture(rel: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Any JSON value, nested a few levels, with numbers at the edges (i64 and u64 bounds, floats,
/// 1e30) and text with multi-byte characters.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        prop_oneof![Just(1e30), Just(-1e30), Just(1.5), Just(1.7e12)].prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(("\\PC{0,8}", inner), 0..5)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<String, Value>>())),
        ]
    })
}

/// A payload object whose time claims are any JSON at all.
fn payload() -> impl Strategy<Value = Map<String, Value>> {
    (
        prop::collection::vec(("[a-z_]{1,8}", json_value()), 0..4),
        prop::option::of(json_value()),
        prop::option::of(json_value()),
        prop::option::of(json_value()),
    )
        .prop_map(|(extra, exp, iat, nbf)| {
            let mut map: Map<String, Value> = extra.into_iter().collect();
            for (name, value) in [("exp", exp), ("iat", iat), ("nbf", nbf)] {
                if let Some(value) = value {
                    map.insert(name.to_string(), value);
                }
            }
            map
        })
}

fn profiles() -> Vec<tokensmith::profile::Profile> {
    ProfileSet::load(None).profiles
}

fn hmac() -> KeyMaterial {
    KeyMaterial::hmac(Secret::new(b"property-test-secret-0123456789abcdef".to_vec())).expect("key")
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    /// Any text: decode, verify and the doctor answer without panicking.
    #[test]
    fn any_text_is_decoded_verified_and_diagnosed_without_panic(text in "\\PC{0,200}|[A-Za-z0-9_.=\\- \"'€é]{0,120}") {
        let _ = token::decode(&text);
        if let Ok(decoded) = token::decode(&text) {
            let options = VerifyOptions { allowed: vec![Alg::HS256], leeway_secs: 0, now: 1_700_000_000, require_exp: true, expect: Default::default() };
            let _ = token::verify(&decoded, &hmac(), &options);
        }
        let candidate = Candidate { name: "k".into(), key: hmac(), text: None, explicit: true };
        for profile in profiles().iter().take(5) {
            let _ = diagnose(&text, profile, std::slice::from_ref(&candidate), &[], 1_700_000_000);
        }
    }

    /// Well-formed tokens with any header and payload JSON, judged at any time with any leeway.
    #[test]
    fn any_token_shape_is_judged_without_panic(
        header in json_value(),
        payload in payload(),
        now in any::<i64>(),
        leeway in any::<u64>(),
        signature in prop::collection::vec(any::<u8>(), 0..80),
    ) {
        let text = format!(
            "{}.{}.{}",
            b64(header.to_string().as_bytes()),
            b64(Value::Object(payload.clone()).to_string().as_bytes()),
            b64(&signature)
        );
        if let Ok(decoded) = token::decode(&text) {
            let options = VerifyOptions { allowed: vec![Alg::HS256], leeway_secs: leeway, now, require_exp: false, expect: Default::default() };
            let _ = token::verify(&decoded, &hmac(), &options);
        }
        let candidate = Candidate { name: "k".into(), key: hmac(), text: None, explicit: true };
        for profile in profiles() {
            let _ = diagnose(&text, &profile, std::slice::from_ref(&candidate), &[("project_id".into(), "p".into())], now);
            let _ = tokensmith::time_rules::assess(&payload, &profile.time, now, leeway);
        }
    }

    /// Signing and verifying round-trip for every algorithm, with any payload.
    #[test]
    fn every_algorithm_round_trips(payload in payload(), pick in 0usize..12) {
        let keys = round_trip_keys();
        let (alg, key) = &keys[pick % keys.len()];
        let header = token::header(*alg, Some("JWT"), None);
        let text = token::sign(&header, &payload, key, *alg).expect("signs");
        let decoded = token::decode(&text).expect("decodes what it signed");
        prop_assert_eq!(&decoded.payload, &payload);
        prop_assert!(token::verify_input(decoded.signing_input(), decoded.signature_b64(), key, *alg));
    }

    /// Key import: any text, and real PEMs cut, with a byte changed or their lines joined.
    #[test]
    fn key_import_never_panics(
        text in "\\PC{0,300}",
        pick in 0usize..6,
        cut in any::<prop::sample::Index>(),
        flip in any::<prop::sample::Index>(),
    ) {
        let _ = parse_key(&text);
        let _ = parse_key(&format!("-----BEGIN PRIVATE KEY-----\n{text}\n-----END PRIVATE KEY-----\n"));
        let _ = parse_key(&format!("{{\"kty\":\"RSA\",\"n\":\"{text}\",\"e\":\"AQAB\"}}"));
        let pem = fixture(PEMS[pick % PEMS.len()]);
        let chars: Vec<char> = pem.chars().collect();
        let cut_at = cut.index(chars.len().max(1));
        let _ = parse_key(&chars[..cut_at.min(chars.len())].iter().collect::<String>());
        let mut flipped = chars.clone();
        let at = flip.index(flipped.len().max(1)).min(flipped.len().saturating_sub(1));
        if let Some(c) = flipped.get_mut(at) {
            *c = if *c == 'A' { 'B' } else { 'A' };
        }
        let _ = parse_key(&flipped.iter().collect::<String>());
        let _ = parse_key(&pem.replace('\n', " "));
        let _ = parse_key(&pem.replace('\n', "\r"));
    }

    /// Claim assignments and value expressions, built into payloads for every profile at any time.
    #[test]
    fn claims_and_expressions_never_panic(
        args in prop::collection::vec("\\PC{0,30}|[a-z_.]{1,10}:?=[0-9a-z+\\-{}()\"]{0,20}|iat=now[+-][0-9]{1,25}[smhdy]?", 0..4),
        now in any::<i64>(),
    ) {
        let assignments: Vec<ClaimAssignment> = args.iter().filter_map(|a| a.parse().ok()).collect();
        for arg in &args {
            let _ = ValueExpr::parse_or_literal(arg);
        }
        for profile in profiles() {
            let params = profile.resolve_params(&[]).expect("defaults");
            let mut uuid = || "u".to_string();
            let mut ctx = BuildContext { now, uuid: &mut uuid, params: &params };
            let schema = ClaimSchema { profile: &profile.id, fields: &profile.claims, allow_extra: profile.extra_claims };
            let _ = build_payload(&schema, &assignments, &mut ctx);
        }
    }

    /// Profile TOML: any text, and the built-in profiles with a line dropped or changed.
    #[test]
    fn profile_files_never_panic(text in "\\PC{0,200}", pick in 0usize..10, line in any::<prop::sample::Index>(), junk in "[\\PC]{0,12}") {
        let _ = profile::parse(&text, "fuzz.toml", ProfileSource::BuiltIn);
        let builtin: Vec<String> = std::fs::read_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/profiles"))
            .expect("profiles")
            .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
            .collect();
        let original = &builtin[pick % builtin.len()];
        let mut lines: Vec<&str> = original.lines().collect();
        let at = line.index(lines.len());
        let changed = format!("{} = {junk}", lines[at].split('=').next().unwrap_or(""));
        lines[at] = &changed;
        let _ = profile::parse(&lines.join("\n"), "fuzz.toml", ProfileSource::BuiltIn);
        lines.remove(at);
        let _ = profile::parse(&lines.join("\n"), "fuzz.toml", ProfileSource::BuiltIn);
    }

    /// The store file: any bytes where keys.json should be are an error, never a panic.
    #[test]
    fn store_files_never_panic(text in "\\PC{0,200}", entries in prop::collection::vec(json_value(), 0..3)) {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = tokensmith::store::StoreDir::new(dir.path());
        for content in [
            text.clone(),
            json!({ "version": 1, "entries": entries }).to_string(),
            json!({ "version": 1, "sealed": { "kdf": "argon2id", "m_cost": 8, "t_cost": 1, "p_cost": 1, "salt": text, "cipher": "xchacha20poly1305", "nonce": "AAAA", "ciphertext": "AAAA" } }).to_string(),
        ] {
            std::fs::write(dir.path().join("keys.json"), &content).expect("write");
            let _ = store.state();
            let _ = store.open(None);
            let _ = store.open(Some(&Secret::new(b"p".to_vec())));
        }
    }
}

const PEMS: [&str; 6] = [
    "keys/rsa2048-pkcs8.pem",
    "keys/rsa2048-pkcs1.pem",
    "keys/ec-p256-pkcs8.pem",
    "keys/ec-p256-sec1.pem",
    "keys/ed25519-pkcs8.pem",
    "keys/rsa2048-pub-spki.pem",
];

fn round_trip_keys() -> Vec<(Alg, KeyMaterial)> {
    let pem = |rel: &str| parse_pem(&fixture(rel)).expect("fixture key").material;
    let rsa = pem("keys/rsa2048-pkcs8.pem");
    let mut keys = vec![(Alg::HS256, hmac()), (Alg::HS384, hmac()), (Alg::HS512, hmac())];
    for alg in [Alg::RS256, Alg::RS384, Alg::RS512, Alg::PS256, Alg::PS384, Alg::PS512] {
        keys.push((alg, rsa.clone()));
    }
    keys.push((Alg::ES256, pem("keys/ec-p256-pkcs8.pem")));
    keys.push((Alg::ES384, pem("keys/ec-p384-pkcs8.pem")));
    keys.push((Alg::EdDSA, pem("keys/ed25519-pkcs8.pem")));
    keys
}

/// Pieces of what people paste around tokens: prefixes, quotes, wrappers, invisible and
/// control characters, separators, percent-escapes.
fn paste_piece() -> impl Strategy<Value = String> {
    let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJl";
    prop_oneof![
        Just(token.to_string()),
        Just("Bearer".to_string()),
        Just("JWT ".to_string()),
        Just("Authorization: ".to_string()),
        prop::sample::select(vec![" ", "\n", "\t", "\r\n", "\u{a0}"]).prop_map(String::from),
        prop::sample::select(vec![
            "\"", "'", "`", ",", ";", ".", "{", "}", "[", "]", ":", "=", "&", "?", "%", "%2E", "%2"
        ])
        .prop_map(String::from),
        prop::sample::select(vec![
            "\u{200b}", "\u{feff}", "\u{ad}", "\u{202e}", "\u{1b}", "\u{7}", "\u{9b}", "\u{2066}"
        ])
        .prop_map(String::from),
        Just("{\"token\":\"".to_string()),
        Just("?jwt=".to_string()),
        "[A-Za-z0-9_.-]{0,20}",
        "\\PC{0,6}",
    ]
}

proptest! {
    /// Issue 19: "anything pasted". The finder never panics; what it returns as a token has no
    /// whitespace or invisible character left in it; the doctor's words about it are safe to
    /// print; and a paste that holds one token and only the finder's kind of junk around it
    /// yields that token.
    // Found by a 10-minute run: "%0e" decoded to a control character left in the token.
    #[test]
    fn anything_pasted_is_found_or_refused_in_words(pieces in prop::collection::vec(paste_piece(), 0..12)) {
        let paste: String = pieces.concat();
        match token::paste::find(&paste) {
            Ok((found, _)) => {
                prop_assert!(!found.chars().any(|c| c.is_whitespace() || tokensmith::text::is_unsafe(c)), "{found:?}");
            }
            Err(err) => {
                let several = matches!(err, token::DecodeError::SeveralTokens { found } if found >= 2);
                prop_assert!(several, "{err}");
            }
        }
        let _ = token::decode(&paste);
        let set = ProfileSet::load(None);
        let profile = set.profiles.iter().find(|p| p.id == "ticketping").expect("profile");
        let report = diagnose(&paste, profile, &[], &[], 1_767_225_600);
        for f in &report.findings {
            for text in [&f.found, &f.fix] {
                prop_assert!(!text.chars().any(tokensmith::text::is_unsafe), "{text:?}");
            }
        }
    }
}
