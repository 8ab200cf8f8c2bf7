use std::path::Path;

use super::keygen::{GenKind, generate};
use super::*;
use crate::token::{Alg, parse_jwk};

const NOW: i64 = 1_700_000_000;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/keys/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn secret(name: &str, text: &str) -> KeyEntry {
    secret_entry(name, text.as_bytes().to_vec(), false, NOW).expect("entry")
}

fn names(store: &Store) -> Vec<&str> {
    store.entries.iter().map(|e| e.name.as_str()).collect()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).expect("metadata").permissions().mode() & 0o777
}

#[test]
fn entries_round_trip_with_private_permissions() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = StoreDir::new(&tmp.path().join("data"));
    assert_eq!(dir.state().expect("state"), StoreState::Missing);
    assert!(dir.open(None).expect("empty").entries.is_empty());
    dir.add(None, secret("acme", "acme-shared-secret-0123456789")).expect("add");
    dir.add(None, import_entry("orlo", &fixture("rsa2048-pkcs1.pem"), NOW).expect("import")).expect("add");
    #[cfg(unix)]
    {
        assert_eq!(mode(&tmp.path().join("data")), 0o700);
        assert_eq!(mode(&dir.path()), 0o600);
    }
    let store = dir.open(None).expect("open");
    assert_eq!(names(&store), ["acme", "orlo"]);
    assert!(store.warnings.is_empty(), "{:?}", store.warnings);
    assert_eq!(store.get("orlo").expect("orlo").description, "RSA 2048-bit private key, PKCS#1");
    assert!(matches!(dir.add(None, secret("acme", "other-secret")), Err(StoreError::Exists(_))));
    dir.rename(None, "acme", "acme-test", None).expect("rename");
    assert!(matches!(dir.rename(None, "nope", "x", None), Err(StoreError::NotFound { .. })));
    let removed = dir.remove(None, "orlo", None).expect("remove");
    assert_eq!(removed.kind, EntryKind::RSA_PRIVATE);
    assert_eq!(names(&dir.open(None).expect("open")), ["acme-test"]);
    assert!(matches!(dir.add(None, secret("bad name", "x-secret")), Err(StoreError::BadName(_))));
}

#[cfg(unix)]
#[test]
fn loose_permissions_are_reported() {
    use std::os::unix::fs::PermissionsExt as _;
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = StoreDir::new(tmp.path());
    dir.add(None, secret("a", "a-secret-value")).expect("add");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let store = dir.open(None).expect("open");
    assert!(
        store.warnings.iter().any(|w| w.contains("mode 644") && w.contains("chmod 600")),
        "{:?}",
        store.warnings
    );
}

#[test]
fn a_crash_before_rename_leaves_the_old_store_whole() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = StoreDir::new(tmp.path());
    dir.add(None, secret("kept", "kept-secret-value")).expect("add");
    let before = std::fs::read(dir.path()).expect("read");
    // What a writer killed between write and rename leaves behind.
    let leftover = tmp.path().join(".keys.json.4242.0.tmp");
    std::fs::write(&leftover, b"{\"format\":\"tokensmith-keys\",\"version\":1,\"entries\":[{\"na")
        .expect("write");
    let store = dir.open(None).expect("open");
    assert_eq!(names(&store), ["kept"]);
    assert!(store.warnings.iter().any(|w| w.contains("interrupted write")), "{:?}", store.warnings);
    assert_eq!(std::fs::read(dir.path()).expect("read"), before);
    dir.add(None, secret("next", "next-secret-value")).expect("add");
    assert!(!leftover.exists(), "the next write removes the leftover");
    assert_eq!(names(&dir.open(None).expect("open")), ["kept", "next"]);
}

/// Issue 19 (16): a live writer's temp file, seen while it holds the lock, is not a leftover.
#[test]
fn a_live_writers_temp_file_is_not_called_a_leftover() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = StoreDir::new(tmp.path());
    dir.add(None, secret("kept", "kept-secret-value")).expect("add");
    let writing = tmp.path().join(".keys.json.4243.0.tmp");
    std::fs::write(&writing, b"{").expect("write");
    let held = super::file::Lock::exclusive(&tmp.path().join(LOCK_FILE)).expect("lock");
    let store = dir.open(None).expect("open");
    assert!(store.warnings.iter().all(|w| !w.contains("interrupted write")), "{:?}", store.warnings);
    drop(held);
    let store = dir.open(None).expect("open");
    assert!(store.warnings.iter().any(|w| w.contains("interrupted write")), "{:?}", store.warnings);
}

#[test]
fn a_damaged_or_newer_store_is_refused_and_kept_byte_for_byte() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = StoreDir::new(tmp.path());
    for (content, newer) in [
        (&b"{\"format\":\"tokensmith-keys\",\"version\":1,\"entries\":[{\"name\": 3}]}"[..], false),
        (&b"not json at all\n"[..], false),
        (&b"{\"format\":\"tokensmith-keys\",\"version\":99,\"entries\":[]}"[..], true),
    ] {
        std::fs::write(dir.path(), content).expect("write");
        let err = dir.open(None).expect_err("refused");
        if newer {
            assert!(matches!(err, StoreError::TooNew { version: 99, .. }), "{err}");
        } else {
            assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
            assert!(err.to_string().contains("keys.json"), "{err}");
        }
        assert!(dir.add(None, secret("x", "x-secret-value")).is_err());
        assert!(dir.remove(None, "x", None).is_err());
        assert_eq!(std::fs::read(dir.path()).expect("read"), content);
    }
}

#[test]
fn a_locked_store_round_trips_and_a_wrong_passphrase_changes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = StoreDir::new(tmp.path());
    let pass = Secret::new(b"correct horse battery staple".to_vec());
    let wrong = Secret::new(b"Tr0ub4dor&3".to_vec());
    dir.add(None, secret("acme", "acme-shared-secret-0123456789")).expect("add");
    dir.lock(None, &pass).expect("lock");
    assert_eq!(dir.state().expect("state"), StoreState::Encrypted);
    let on_disk = std::fs::read_to_string(dir.path()).expect("read");
    assert!(!on_disk.contains("acme"), "names and secrets are sealed");
    assert!(matches!(dir.open(None), Err(StoreError::NeedPassphrase)));
    assert!(matches!(dir.open(Some(&wrong)), Err(StoreError::WrongPassphrase)));
    assert!(matches!(dir.add(Some(&wrong), secret("b", "b-secret-value")), Err(StoreError::WrongPassphrase)));
    assert!(matches!(dir.unlock(&wrong), Err(StoreError::WrongPassphrase)));
    assert_eq!(std::fs::read_to_string(dir.path()).expect("read"), on_disk);
    dir.add(Some(&pass), secret("b", "b-secret-value")).expect("add while locked");
    let store = dir.open(Some(&pass)).expect("open");
    assert!(store.encrypted);
    assert_eq!(names(&store), ["acme", "b"]);
    dir.unlock(&pass).expect("unlock");
    assert_eq!(dir.state().expect("state"), StoreState::Plain);
    assert_eq!(names(&dir.open(None).expect("open")), ["acme", "b"]);
}

#[test]
fn imports_report_their_format_and_refuse_broken_pems() {
    let cases = [
        ("rsa2048-pkcs1.pem", "RSA 2048-bit private key, PKCS#1"),
        ("rsa2048-pkcs8.pem", "RSA 2048-bit private key, PKCS#8"),
        ("rsa2048-pub-spki.pem", "RSA 2048-bit public key, SPKI"),
        ("ec-p256-sec1.pem", "EC P-256 private key, SEC1"),
        ("ed25519-pkcs8.pem", "Ed25519 private key, PKCS#8"),
    ];
    for (file, description) in cases {
        let entry = import_entry("k", &fixture(file), NOW).expect(file);
        assert_eq!(entry.description, description);
        // SEC1 is stored as PKCS#8, which every signer reads.
        assert!(entry.key().is_ok(), "{file}");
    }
    for (file, needle) in [
        ("rsa2048-encrypted-pkcs8.pem", "encrypted with a passphrase"),
        ("rsa2048-legacy-encrypted.pem", "openssl pkcs8 -topk8"),
        ("cert.pem", "openssl x509"),
        ("rsa2048-oneline.pem", "on one line"),
        ("rsa2048-truncated.pem", "cut short"),
    ] {
        let err = import_entry("k", &fixture(file), NOW).expect_err(file).to_string();
        assert!(err.contains(needle), "{file}: {err}");
    }
    let jwk = r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","kid":"vendor-1"}"#;
    let entry = import_entry("jwk", jwk, NOW).expect("jwk");
    assert_eq!((entry.kind, entry.kid.as_deref()), (EntryKind::EC_P256_PUBLIC, Some("vendor-1")));
}

/// DER, a bare point and an encrypted key are stored as PEM that reads back as the same key,
/// described as they came.
#[test]
fn binary_and_encrypted_imports_are_stored_as_pem() {
    let bytes = |name: &str| {
        std::fs::read(format!("{}/tests/fixtures/keys/{name}", env!("CARGO_MANIFEST_DIR"))).expect("fixture")
    };
    let pass = Some(b"fixture".as_slice());
    for (file, passphrase, description, public) in [
        ("rsa2048-pkcs1.der", None, "RSA 2048-bit private key, PKCS#1 DER", "rsa2048-pub-spki.pem"),
        ("ec-p256-sec1.der", None, "EC P-256 private key, SEC1 DER", "ec-p256-pub.pem"),
        ("ec-p256-pub.der", None, "EC P-256 public key, SPKI DER", "ec-p256-pub.pem"),
        ("ec-p521-point.bin", None, "EC P-521 public key, bare EC point", "ec-p521-pub.pem"),
        ("ec-p256-encrypted-scrypt.pem", pass, "EC P-256 private key, encrypted PKCS#8", "ec-p256-pub.pem"),
    ] {
        let hint = KeyHint { alg: None, passphrase };
        let entry = import_key("k", &bytes(file), &hint, NOW).expect(file);
        assert_eq!(entry.description, description);
        let stored = String::from_utf8(entry.material.expose().to_vec()).expect("text");
        assert!(stored.starts_with("-----BEGIN "), "{file} is stored as PEM");
        let key = entry.key().expect("reads back");
        assert_eq!(export::pem(&key, false).expect("pem").as_str(), fixture(public), "{file}");
    }
}

#[test]
fn exported_public_keys_match_what_openssl_wrote() {
    for (private, public) in [
        ("rsa2048-pkcs1.pem", "rsa2048-pub-spki.pem"),
        ("rsa3072-pkcs8.pem", "rsa3072-pub-spki.pem"),
        ("ec-p256-sec1.pem", "ec-p256-pub.pem"),
        ("ec-p384-pkcs8.pem", "ec-p384-pub.pem"),
        ("ec-p521-sec1.pem", "ec-p521-pub.pem"),
        ("ed25519-pkcs8.pem", "ed25519-pub.pem"),
    ] {
        let key = import_entry("k", &fixture(private), NOW).expect("import").key().expect("key");
        assert_eq!(export::pem(&key, false).expect("pem").as_str(), fixture(public), "{private}");
    }
}

#[test]
fn jwk_thumbprints_follow_rfc7638() {
    // RFC 7638 section 3.1.
    let rfc = parse_jwk(r#"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#)
        .expect("rfc key");
    assert_eq!(export::thumbprint(&rfc.material), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    let jwk = export::jwk(&rfc.material, None, Some("RS256"), false).expect("jwk");
    assert_eq!(jwk["kid"], "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    assert!(jwk.get("d").is_none());
}

#[test]
fn exported_jwks_verify_tokens_signed_by_the_stored_key() {
    for kind in [GenKind::P256, GenKind::Ed25519, GenKind::Hmac] {
        let entry = generate(kind, "gen", NOW).expect("generate");
        let key = entry.key().expect("key");
        let alg = key.algorithms()[0];
        let token =
            crate::token::sign(&crate::token::header(alg, None, None), &serde_json::Map::new(), &key, alg)
                .expect("sign");
        let private = kind == GenKind::Hmac;
        let jwk = export::jwk(&key, Some("k1"), Some(alg.name()), private).expect("jwk");
        let back = parse_jwk(&serde_json::Value::Object(jwk).to_string()).expect("parse back");
        let decoded = crate::token::decode(&token).expect("decode");
        let options = crate::token::VerifyOptions {
            allowed: vec![alg],
            leeway_secs: 0,
            now: NOW,
            require_exp: false,
            expect: Default::default(),
        };
        assert!(crate::token::verify(&decoded, &back.material, &options).valid, "{kind}");
        if !private {
            let public_pem = export::pem(&key, false).expect("public pem");
            let back = crate::token::parse_key(&public_pem).expect("pem parses");
            assert!(crate::token::verify(&decoded, &back.material, &options).valid, "{kind} via SPKI PEM");
        }
    }
    // A private RSA JWK export parses back to the same key.
    let rsa = import_entry("k", &fixture("rsa2048-pkcs1.pem"), NOW).expect("import").key().expect("key");
    let jwk = export::jwk(&rsa, None, Some(Alg::RS256.name()), true).expect("jwk");
    for member in ["n", "e", "d", "p", "q", "dp", "dq", "qi"] {
        assert!(jwk.contains_key(member), "{member}");
    }
    let back = parse_jwk(&serde_json::Value::Object(jwk).to_string()).expect("parse back").material;
    assert_eq!(export::thumbprint(&back), export::thumbprint(&rsa));
    let hmac = KeyMaterial::hmac(Secret::new(b"s".to_vec())).expect("s");
    assert!(export::jwk(&hmac, None, None, false).is_err(), "a secret is exported only with --private");
}

#[test]
fn generated_secrets_and_keys_are_what_they_say() {
    let hmac = generate(GenKind::Hmac, "h", NOW).expect("hmac");
    assert_eq!(hmac.material.len(), 43);
    assert!(hmac.description.contains("43 characters from 32 random bytes"), "{}", hmac.description);
    assert_eq!(generate(GenKind::Hmac64, "h", NOW).expect("hmac64").material.len(), 86);
    let rsa = generate(GenKind::Rsa2048, "r", NOW).expect("rsa");
    assert_eq!(rsa.kind, EntryKind::RSA_PRIVATE);
    assert_eq!(rsa.key().expect("key").rsa_bits(), Some(2048));
    assert_eq!(generate(GenKind::P384, "p", NOW).expect("p384").kind, EntryKind::EC_P384_PRIVATE);
    assert!("rsa1024".parse::<GenKind>().is_err());
}

#[test]
fn the_profile_key_is_found_only_when_unambiguous() {
    let mut store = Store::default();
    let mut a = secret("a", "a-secret-value");
    a.profile = Some("tiledesk".into());
    store.entries.push(a.clone());
    assert_eq!(store.for_profile("tiledesk", crate::token::Family::Hmac).map(|e| e.name.as_str()), Some("a"));
    assert!(store.for_profile("tiledesk", crate::token::Family::Rsa).is_none());
    a.name = "b".into();
    store.entries.push(a);
    assert!(store.for_profile("tiledesk", crate::token::Family::Hmac).is_none());
}

#[test]
fn secrets_never_appear_in_debug_output() {
    let entry = secret("acme", "acme-shared-secret-0123456789");
    let debug = format!("{entry:?}");
    assert!(!debug.contains("shared-secret"), "{debug}");
    assert_eq!(entry.masked(), "'acme…' (29 bytes)");
}

/// "Last used" is recorded by one function every face calls after using a stored key: in a
/// plain store it is set, in an encrypted store and for an unknown name nothing is written.
#[test]
fn a_use_is_recorded_in_a_plain_store_only() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = StoreDir::new(&tmp.path().join("data"));
    assert!(!dir.record_use("acme", NOW).expect("no store yet"), "a missing store records nothing");
    dir.add(None, secret("acme", "acme-shared-secret-0123456789")).expect("add");
    dir.add(None, secret("other", "other-shared-secret-0123456789")).expect("add");
    let last_used = |pass: Option<&Secret>| {
        let store = dir.open(pass).expect("open");
        store.entries.iter().map(|e| (e.name.clone(), e.last_used)).collect::<Vec<_>>()
    };
    assert!(dir.record_use("acme", NOW + 60).expect("record"));
    assert_eq!(last_used(None), [("acme".to_string(), Some(NOW + 60)), ("other".to_string(), None)]);
    assert!(!dir.record_use("nobody", NOW + 90).expect("unknown name"));
    assert_eq!(last_used(None), [("acme".to_string(), Some(NOW + 60)), ("other".to_string(), None)]);

    let pass = Secret::new(b"correct horse".to_vec());
    dir.lock(None, &pass).expect("lock");
    let sealed = std::fs::read(dir.path()).expect("store file");
    assert!(!dir.record_use("other", NOW + 120).expect("encrypted"));
    assert_eq!(std::fs::read(dir.path()).expect("store file"), sealed, "an encrypted store is not rewritten");
    assert_eq!(last_used(Some(&pass)), [("acme".to_string(), Some(NOW + 60)), ("other".to_string(), None)]);
}
