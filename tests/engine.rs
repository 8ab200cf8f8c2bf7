//! Tokens made by other libraries verify with ours; every algorithm round-trips; every seed
//! profile yields a payload of exactly the shape its vendor's document shows.

use std::path::PathBuf;

use serde_json::{Map, Value, json};
use tokensmith::claims::{BuildContext, ClaimSchema, build_payload};
use tokensmith::profile::ProfileSet;
use tokensmith::secret::Secret;
use tokensmith::token::{self, Alg, KeyMaterial, VerifyOptions, parse_pem};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(fixtures().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn pem(rel: &str) -> KeyMaterial {
    parse_pem(&read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}")).material
}

const NOW: i64 = 1_700_000_100;

#[test]
fn tokens_from_pyjwt_and_node_jsonwebtoken_verify() {
    let manifest: Vec<Value> = serde_json::from_str(&read("foreign/manifest.json")).expect("manifest");
    assert!(manifest.len() >= 21);
    for entry in manifest {
        let file = entry["file"].as_str().expect("file");
        let alg: Alg = entry["alg"].as_str().expect("alg").parse().expect("known alg");
        let key_path = entry["key"].as_str().expect("key");
        let key = match entry["secret_encoding"].as_str() {
            Some("utf8") => KeyMaterial::hmac(Secret::new(read(key_path).into_bytes())).expect("secret"),
            Some("base64") => KeyMaterial::hmac_base64(&read(key_path)).expect("b64 secret"),
            _ => pem(key_path),
        };
        let decoded =
            token::decode(&read(&format!("foreign/{file}"))).unwrap_or_else(|e| panic!("{file}: {e}"));
        // Header and payload exactly as the library wrote them, order included.
        assert_eq!(Value::Object(decoded.header.clone()).to_string(), entry["header"].to_string(), "{file}");
        assert_eq!(
            Value::Object(decoded.payload.clone()).to_string(),
            entry["payload"].to_string(),
            "{file}"
        );
        let allowed = token::allowed_algs(None, &key).expect("allowed");
        let options = VerifyOptions {
            allowed,
            leeway_secs: 0,
            now: NOW,
            require_exp: true,
            expect: Default::default(),
        };
        let result = token::verify(&decoded, &key, &options);
        assert!(result.valid, "{file} ({}): {:?}", entry["library"], result.problems);
        assert_eq!(result.alg, Some(alg), "{file}");
    }
}

#[test]
fn a_base64_secret_read_as_text_does_not_verify() {
    let decoded = token::decode(&read("foreign/pyjwt-HS256-b64secret.jwt")).expect("decodes");
    let as_text =
        KeyMaterial::hmac(Secret::new(read("keys/hmac-secret-b64.txt").into_bytes())).expect("secret");
    let options = VerifyOptions {
        allowed: vec![Alg::HS256],
        leeway_secs: 0,
        now: NOW,
        require_exp: false,
        expect: Default::default(),
    };
    assert!(!token::verify(&decoded, &as_text, &options).valid);
}

#[test]
fn every_algorithm_round_trips_with_openssl_keys() {
    let secret = KeyMaterial::hmac(Secret::new(read("keys/hmac-secret.txt").into_bytes())).expect("secret");
    let cases: Vec<(Alg, KeyMaterial, KeyMaterial)> = vec![
        (Alg::HS256, secret.clone(), secret.clone()),
        (Alg::HS384, secret.clone(), secret.clone()),
        (Alg::HS512, secret.clone(), secret),
        (Alg::RS256, pem("keys/rsa2048-pkcs1.pem"), pem("keys/rsa2048-pub-spki.pem")),
        (Alg::RS384, pem("keys/rsa2048-pkcs8.pem"), pem("keys/rsa2048-pub-pkcs1.pem")),
        (Alg::RS512, pem("keys/rsa3072-pkcs8.pem"), pem("keys/rsa3072-pub-spki.pem")),
        (Alg::PS256, pem("keys/rsa2048-pkcs1.pem"), pem("keys/rsa2048-pub-spki.pem")),
        (Alg::PS384, pem("keys/rsa2048-pkcs8.pem"), pem("keys/rsa2048-pub-spki.pem")),
        (Alg::PS512, pem("keys/rsa3072-pkcs8.pem"), pem("keys/rsa3072-pub-spki.pem")),
        (Alg::ES256, pem("keys/ec-p256-sec1.pem"), pem("keys/ec-p256-pub.pem")),
        (Alg::ES384, pem("keys/ec-p384-pkcs8.pem"), pem("keys/ec-p384-pub.pem")),
        (Alg::ES512, pem("keys/ec-p521-sec1.pem"), pem("keys/ec-p521-pub.pem")),
        (Alg::EdDSA, pem("keys/ed25519-pkcs8.pem"), pem("keys/ed25519-pub.pem")),
    ];
    for (alg, private, public) in cases {
        let mut header = token::header(alg, Some("JWT"), Some("k1"));
        header.insert("x-custom".into(), json!({"kept": true}));
        let mut payload = Map::new();
        payload.insert("z".into(), json!(1));
        payload.insert("a".into(), json!("first after z"));
        payload.insert("exp".into(), json!(NOW + 60));
        let signed = token::sign(&header, &payload, &private, alg).unwrap_or_else(|e| panic!("{alg}: {e}"));
        let decoded = token::decode(&signed).expect("decodes");
        assert_eq!(decoded.header, header, "{alg}: header kept as given");
        assert_eq!(decoded.payload.keys().collect::<Vec<_>>(), ["z", "a", "exp"], "{alg}: order kept");
        let options = VerifyOptions {
            allowed: vec![alg],
            leeway_secs: 0,
            now: NOW,
            require_exp: true,
            expect: Default::default(),
        };
        assert!(token::verify(&decoded, &public, &options).valid, "{alg} with the public key");
        assert!(token::verify(&decoded, &private, &options).valid, "{alg} with the private key");
        let mut tampered = signed.clone();
        tampered.replace_range(signed.find('.').expect("dot") + 2..signed.find('.').expect("dot") + 3, "Z");
        if let Ok(bad) = token::decode(&tampered) {
            assert!(!token::verify(&bad, &public, &options).valid, "{alg}: tampered payload refused");
        }
    }
}

fn shape(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), shape(v))).collect()),
        Value::String(_) => json!("string"),
        Value::Number(_) => json!("number"),
        Value::Bool(_) => json!("boolean"),
        other => other.clone(),
    }
}

#[test]
fn seed_profiles_make_the_payload_their_documents_show() {
    let set = ProfileSet::load(None);
    let expected = [
        // talla-widget.txt, Ruby sample: exp, then account { first_name, last_name, email, uid }
        (
            "talla",
            json!({"exp": "number", "account": {"first_name": "string", "last_name": "string", "email": "string", "uid": "string"}}),
        ),
        // viasocket-embed.txt, step 2
        ("viasocket", json!({"org_id": "string", "project_id": "string", "user_id": "string"})),
        // rsa-live-chat-widget.txt, "Minimum data"
        ("orlo", json!({"name": "string", "isLoggedIn": "boolean"})),
        // ticketping-chat-widget.txt, every server sample, less display_name: the field table
        // marks it optional, and an optional claim the user did not set is left out (issue 21)
        ("ticketping", json!({"external_id": "string", "email": "string", "exp": "number"})),
        // What tiledesk-server accepts (_id, sub, aud), then every key of the seed's NodeJS sample
        // (name, email, iat, exp, external_id): one token satisfies both sources.
        (
            "tiledesk",
            json!({"_id": "string", "sub": "string", "aud": "string", "email": "string", "name": "string", "external_id": "string", "iat": "number", "exp": "number"}),
        ),
    ];
    for (id, want) in expected {
        let profile = set.get(id).expect("profile");
        let mut uuid = || "uuid".to_string();
        let params = profile.resolve_params(&[]).expect("params");
        let mut ctx = BuildContext { now: NOW, uuid: &mut uuid, params: &params };
        let schema = ClaimSchema { profile: id, fields: &profile.claims, allow_extra: profile.extra_claims };
        let payload = build_payload(&schema, &[], &mut ctx).expect("builds");
        // to_string compares key order too
        assert_eq!(shape(&Value::Object(payload.clone())).to_string(), want.to_string(), "{id}");
        let key = if id == "orlo" {
            pem("keys/rsa2048-pkcs8.pem")
        } else {
            KeyMaterial::hmac(Secret::new(b"seed-secret".to_vec())).expect("s")
        };
        let alg = profile.algorithms[0];
        let signed = token::sign(&token::header(alg, Some("JWT"), None), &payload, &key, alg).expect("signs");
        assert_eq!(token::decode(&signed).expect("decodes").payload, payload);
    }
    // Talla's uid is md5 of the email, as in its JavaScript sample.
    let talla = set.get("talla").expect("talla");
    let mut uuid = || "uuid".to_string();
    let params = [("project_id".to_string(), "p1".to_string())];
    let mut ctx = BuildContext { now: NOW, uuid: &mut uuid, params: &params };
    let schema = ClaimSchema { profile: "talla", fields: &talla.claims, allow_extra: false };
    let payload = build_payload(&schema, &[], &mut ctx).expect("builds");
    // md5("john.doe@example.com"), computed with Python's hashlib
    assert_eq!(payload["account"]["uid"], json!("8eb1b522f60d11fa897de1dc6351b7e8"));
    // Tiledesk: exp - iat within its 600 s maximum by default.
    let tiledesk = set.get("tiledesk").expect("tiledesk");
    let schema = ClaimSchema { profile: "tiledesk", fields: &tiledesk.claims, allow_extra: false };
    let payload = build_payload(&schema, &[], &mut ctx).expect("builds");
    let lifetime = payload["exp"].as_i64().expect("exp") - payload["iat"].as_i64().expect("iat");
    let max = tiledesk.time.max_lifetime.as_ref().expect("max").value.0;
    assert!(lifetime > 0 && lifetime.unsigned_abs() <= max);
    // aud and _id are made from the project id
    assert_eq!(payload["aud"], json!("https://tiledesk.com/projects/p1"));
    assert_eq!(payload["_id"], json!("p1_user-123456"));
}

/// A token over raw header and payload JSON, signed HS256 with `key`: exactly the bytes given,
/// so repeated names and `crit` survive.
fn raw_hs256(header: &str, payload: &str, key: &KeyMaterial) -> String {
    use base64::Engine as _;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let input = format!("{}.{}", b64(header), b64(payload));
    let signature = token::sign_input(&input, key, Alg::HS256).expect("signs");
    format!("{input}.{signature}")
}

#[test]
fn verify_refuses_crit_and_repeated_member_names_and_the_doctor_names_them() {
    let key = KeyMaterial::hmac(Secret::new(b"rfc7515-strictness-secret-0123456789".to_vec())).expect("key");
    let options = VerifyOptions {
        allowed: vec![Alg::HS256],
        leeway_secs: 0,
        now: NOW,
        require_exp: false,
        expect: Default::default(),
    };
    let profile = ProfileSet::load(None).get("generic-hs256").expect("profile").clone();
    let candidate = tokensmith::doctor::Candidate {
        name: "the test secret".into(),
        key: key.clone(),
        text: None,
        explicit: true,
    };
    let cases = [
        // RFC 7515 appendix F's unencoded-payload header: an extension we do not implement.
        (r#"{"alg":"HS256","b64":false,"crit":["b64"]}"#, r#"{"sub":"a"}"#, "crit", "header.crit"),
        (r#"{"alg":"HS256","crit":["x"]}"#, r#"{"sub":"a"}"#, "crit", "header.crit"),
        (r#"{"alg":"HS256","alg":"none"}"#, r#"{"sub":"a"}"#, "header.alg", "json.duplicate-member"),
        (r#"{"alg":"HS256"}"#, r#"{"sub":"a","sub":"b"}"#, "payload.sub", "json.duplicate-member"),
    ];
    for (header, payload, said, code) in cases {
        let text = raw_hs256(header, payload, &key);
        let decoded = token::decode(&text).expect("decodes");
        let verdict = token::verify(&decoded, &key, &options);
        assert!(!verdict.valid, "{header} {payload} must be refused");
        assert!(verdict.problems.iter().any(|p| p.to_string().contains(said)), "{:?}", verdict.problems);
        let report =
            tokensmith::doctor::diagnose(&text, &profile, std::slice::from_ref(&candidate), &[], NOW);
        assert!(report.codes().contains(&code), "{header} {payload}: {:?}", report.codes());
        assert!(!report.passes());
    }
    // the same token without them verifies
    let text = raw_hs256(r#"{"alg":"HS256"}"#, r#"{"sub":"a"}"#, &key);
    assert!(token::verify(&token::decode(&text).expect("decodes"), &key, &options).valid);
    // an embedded key is never used, and the doctor says so
    let text = raw_hs256(r#"{"alg":"HS256","jku":"https://evil.example/keys"}"#, r#"{"sub":"a"}"#, &key);
    let report = tokensmith::doctor::diagnose(&text, &profile, std::slice::from_ref(&candidate), &[], NOW);
    assert!(report.codes().contains(&"header.embedded-key"), "{:?}", report.codes());
}
