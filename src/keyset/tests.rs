use super::*;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/jwks/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn google() -> KeySet {
    parse(&fixture("google.json")).expect("the fixture set reads")
}

fn token(name: &str) -> DecodedToken {
    token::decode(fixture(name).trim()).expect("a token")
}

fn options() -> VerifyOptions {
    VerifyOptions {
        allowed: Vec::new(),
        leeway_secs: 0,
        now: 1_800_000_000,
        require_exp: false,
        expect: token::expect::Expectations::default(),
    }
}

#[test]
fn a_published_set_keeps_its_signing_keys_and_says_why_it_skips_the_others() {
    let set = google();
    assert_eq!(set.summary(), "'rsa-a' RS256, 'rsa-b' RS256, 'ec-1' ES256");
    let notes: Vec<String> = set.skipped.iter().map(Skipped::note).collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert_eq!(notes[0], "key 'enc-1' is skipped: it is for encryption (use: enc)");
    assert!(
        notes[1].starts_with("key 'future-1' is skipped: unsupported key type: JWK kty 'XYZ'"),
        "{notes:?}"
    );
}

#[test]
fn the_kid_chooses_the_key() {
    let set = google();
    let got = verify(&token("pyjwt-RS256-kid-rsa-b.jwt"), &set, None, &options()).expect("a key");
    assert!(got.verification.valid, "{:?}", got.verification.problems);
    assert_eq!(got.key.kid.as_deref(), Some("rsa-b"));
    assert_eq!(got.why, "chosen by the token's kid 'rsa-b'");
}

#[test]
fn without_a_kid_every_key_for_the_alg_is_tried_and_the_one_that_verified_is_named() {
    let set = google();
    let got = verify(&token("pyjwt-RS256-nokid.jwt"), &set, None, &options()).expect("a key");
    assert!(got.verification.valid);
    assert_eq!(
        got.why,
        "the token has no kid: 2 keys are for RS256 (kid 'rsa-a', kid 'rsa-b'), tried each: kid 'rsa-b' verified"
    );
    let got = verify(&token("pyjwt-ES256-nokid.jwt"), &set, None, &options()).expect("a key");
    assert!(got.verification.valid);
    assert_eq!(got.why, "the token has no kid: chosen as the keyset's only key for ES256");
}

#[test]
fn a_kid_the_set_lacks_is_named_with_what_the_set_holds() {
    let err = verify(&token("nodejwt-RS256-kid-gone.jwt"), &google(), None, &options()).expect_err("no key");
    assert_eq!(
        err.to_string(),
        "no key in the keyset has kid 'gone-2019' (it holds 'rsa-a' RS256, 'rsa-b' RS256, 'ec-1' ES256)"
    );
}

#[test]
fn the_key_a_kid_names_is_the_only_one_tried() {
    // Signed with rsa-b's private key but naming rsa-a: does not verify, even though rsa-b would.
    let got =
        verify(&token("pyjwt-RS256-kid-rsa-a-wrong-key.jwt"), &google(), None, &options()).expect("a key");
    assert_eq!(got.verification.signature_ok, Some(false));
    assert_eq!(got.key.kid.as_deref(), Some("rsa-a"));
}

#[test]
fn a_key_pinned_to_an_alg_is_not_used_for_another() {
    let set = parse(&fixture("google.json").replace("\"ES256\"", "\"ES384\"")).expect("reads");
    let err = set.select(&token("pyjwt-ES256-nokid.jwt").header).expect_err("no key for ES256");
    assert_eq!(err.wanted, "the token has no kid, and no key in the keyset is for ES256");
}

#[test]
fn a_single_jwk_is_a_set_of_one_and_an_empty_set_is_refused() {
    let one = r#"{"kty":"oct","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQ","kid":"s1"}"#;
    assert_eq!(parse(one).expect("reads").summary(), "'s1' oct");
    assert_eq!(
        parse(r#"{"keys":[]}"#).expect_err("empty").to_string(),
        "the keyset holds no key a verifier can use (its 'keys' array is empty)"
    );
    let only_enc = r#"{"keys":[{"kty":"oct","k":"c2VjcmV0","use":"enc","kid":"e"}]}"#;
    assert_eq!(
        parse(only_enc).expect_err("nothing usable").to_string(),
        "the keyset holds no key a verifier can use: key 'e' is skipped: it is for encryption (use: enc)"
    );
    assert!(matches!(parse("[1,2]"), Err(KeySetError::NotJwks(_))));
}

#[test]
fn a_huge_set_is_refused_before_its_keys_are_read() {
    let keys = vec![serde_json::json!({"kty": "oct", "k": "AA"}); MAX_KEYS + 1];
    let text = serde_json::json!({ "keys": keys }).to_string();
    assert_eq!(parse(&text).expect_err("too many"), KeySetError::TooMany(MAX_KEYS + 1));
}
