//! Key forms beyond PEM (issue 22, item 5), driven through the binary with keys openssl made:
//! binary DER, bare EC points, encrypted PKCS#8, the old Proc-Type PEM, and ES512 checked
//! against node's jsonwebtoken and `openssl dgst`. A test that needs node or openssl skips
//! when it is missing, and fails instead under TOKENSMITH_REQUIRE_TOOLS=1.

use predicates::str::contains;

mod common;
use common::{Env, fixture, node, node_has_jsonwebtoken, skip_missing};

fn key(name: &str) -> String {
    fixture(&format!("keys/{name}")).display().to_string()
}

fn sign(env: &Env, profile: &str, key_args: &[&str]) -> String {
    let out = env.ok(&[&["sign", "--profile", profile], key_args].concat());
    String::from_utf8(out.stdout).expect("utf-8").trim().to_string()
}

fn has_openssl() -> bool {
    let found =
        std::process::Command::new("openssl").arg("version").output().is_ok_and(|o| o.status.success());
    if !found {
        skip_missing("openssl");
    }
    found
}

/// Signs with DER keys, verifies with DER and bare points (the curve from the token's alg);
/// a point of another curve's size is refused in words.
#[test]
fn der_keys_and_bare_points_sign_and_verify() {
    let env = Env::new();
    let es256 = sign(&env, "generic-es256", &["--key-file", &key("ec-p256-sec1.der")]);
    for public in
        ["ec-p256-pub.der", "ec-p256-point.bin", "ec-p256-point-compressed.bin", "ec-p256-pkcs8.der"]
    {
        env.ok(&["verify", &es256, "--key-file", &key(public)]);
    }
    env.cmd()
        .args(["verify", &es256, "--key-file", &key("ec-p384-point-compressed.bin")])
        .assert()
        .code(2)
        .stderr(contains("it has 49 bytes, the size of a P-384 point, but ES256 needs a P-256 point"));
    let rs256 = sign(&env, "generic-rs256", &["--key-file", &key("rsa2048-pkcs1.der")]);
    for public in ["rsa2048-pub-pkcs1.der", "rsa2048-pub-spki.der", "rsa2048-pkcs8.der"] {
        env.ok(&["verify", &rs256, "--key-file", &key(public)]);
    }
    env.cmd()
        .args(["verify", &rs256, "--key-file", &key("cert.der")])
        .assert()
        .code(2)
        .stderr(contains("this is an X.509 certificate, not a key"));
}

/// An encrypted key opens with --key-passphrase-env; a wrong passphrase and a missing one (no
/// terminal to ask on) are named, the latter with both ways to give it.
#[test]
fn encrypted_keys_open_with_the_passphrase_from_the_environment() {
    let env = Env::new();
    let token = env
        .cmd()
        .args(["sign", "--profile", "generic-rs256", "--key-file", &key("rsa2048-encrypted-pkcs8.pem")])
        .args(["--key-passphrase-env", "KP"])
        .env("KP", "fixture")
        .output()
        .expect("runs");
    assert!(token.status.success(), "{}", String::from_utf8_lossy(&token.stderr));
    let token = String::from_utf8(token.stdout).expect("utf-8");
    env.ok(&["verify", token.trim(), "--key-file", &key("rsa2048-pub-spki.der")]);
    env.cmd()
        .args(["sign", "--profile", "generic-rs256", "--key-file", &key("rsa2048-encrypted-pkcs8.pem")])
        .args(["--key-passphrase-env", "KP"])
        .env("KP", "not it")
        .assert()
        .code(2)
        .stderr(contains("the passphrase does not open this encrypted private key"));
    env.cmd()
        .args(["sign", "--profile", "generic-es256", "--key-file", &key("ec-p256-encrypted-scrypt.pem")])
        .assert()
        .code(2)
        .stderr(contains(
            "give it with --key-passphrase-env VAR, or run on a terminal to type it when asked",
        ));
    // keys import: DER and an encrypted DER key are stored (as PEM) and described as they came.
    env.cmd()
        .args(["keys", "import", "der", &key("ec-p256-sec1.der")])
        .assert()
        .success()
        .stderr(contains("EC P-256 private key, SEC1 DER"));
    env.cmd()
        .args(["keys", "import", "enc", &key("ec-p521-encrypted-pkcs8.der"), "--key-passphrase-env", "KP"])
        .env("KP", "fixture")
        .assert()
        .success()
        .stderr(contains("EC P-521 private key, encrypted PKCS#8 DER"));
    env.ok(&["keys", "import", "point", &key("ec-p521-point.bin")]);
    let list = String::from_utf8(env.ok(&["keys", "list"]).stdout).expect("utf-8");
    assert!(list.contains("EC P-521 public key"), "{list}");
    let stored = String::from_utf8(env.ok(&["keys", "export", "der", "--private"]).stdout).expect("utf-8");
    assert!(stored.starts_with("-----BEGIN PRIVATE KEY-----"), "stored as PKCS#8 PEM: {stored}");
}

/// The old `Proc-Type: 4,ENCRYPTED` PEM is refused with an openssl command; that command (its
/// passphrases given on the command line here instead of typed) really converts the fixture,
/// and the result opens.
#[test]
fn the_openssl_command_named_for_the_old_encryption_converts_it() {
    let env = Env::new();
    let old = key("rsa2048-legacy-encrypted.pem");
    let refused =
        env.cmd().args(["sign", "--profile", "generic-rs256", "--key-file", &old]).output().expect("runs");
    let message = String::from_utf8_lossy(&refused.stderr).to_string();
    let named = "openssl pkcs8 -topk8 -in OLD.pem -out NEW.pem";
    assert!(message.contains(named), "{message}");
    if !has_openssl() {
        return;
    }
    let new = env.home.path().join("NEW.pem");
    let command = named.replace("OLD.pem", &old).replace("NEW.pem", &new.display().to_string());
    let mut args: Vec<&str> = command.split(' ').skip(1).collect();
    args.extend(["-passin", "pass:fixture", "-passout", "pass:new one"]);
    let converted = std::process::Command::new("openssl").args(&args).output().expect("openssl runs");
    assert!(converted.status.success(), "{}", String::from_utf8_lossy(&converted.stderr));
    let out = env
        .cmd()
        .args(["sign", "--profile", "generic-rs256", "--key-file", &new.display().to_string()])
        .args(["--key-passphrase-env", "KP"])
        .env("KP", "new one")
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let token = String::from_utf8(out.stdout).expect("utf-8");
    env.ok(&["verify", token.trim(), "--key-file", &key("rsa2048-pub-spki.pem")]);
}

/// A profile that signs ES512, in the test home's profiles folder.
fn es512_profile(env: &Env) {
    let dir = env.home.path().join("config/profiles");
    std::fs::create_dir_all(&dir).expect("profiles folder");
    let profile = "id = \"test-es512\"\nname = \"ES512 test\"\nalgorithms = [\"ES512\"]\nkey_kind = \"ec-p521-key-pair\"\nextra_claims = true\n\n[[claims]]\npath = \"sub\"\ntype = \"string\"\ndefault = \"user-42\"\n\n[[claims]]\npath = \"exp\"\ntype = \"unix-time\"\ndefault = \"now+15m\"\n";
    std::fs::write(dir.join("test-es512.toml"), profile).expect("profile");
}

/// A DER ECDSA-Sig-Value (SEQUENCE of INTEGER r, INTEGER s) from JOSE's r || s.
fn der_signature(raw: &[u8]) -> Vec<u8> {
    let (r, s) = raw.split_at(raw.len() / 2);
    let integer = |half: &[u8]| {
        let start = half.iter().position(|b| *b != 0).unwrap_or(half.len() - 1);
        let mut value = half[start..].to_vec();
        if value[0] & 0x80 != 0 {
            value.insert(0, 0);
        }
        let mut out = vec![0x02, u8::try_from(value.len()).expect("short")];
        out.extend(value);
        out
    };
    let body = [integer(r), integer(s)].concat();
    let mut out = vec![0x30];
    if body.len() >= 0x80 {
        out.push(0x81);
    }
    out.push(u8::try_from(body.len()).expect("short"));
    out.extend(body);
    out
}

/// JOSE's r || s (66 bytes each on P-521) from a DER ECDSA-Sig-Value.
fn raw_signature(der: &[u8]) -> Vec<u8> {
    let mut at = if der[1] == 0x81 { 3 } else { 2 };
    let mut raw = Vec::new();
    for _ in 0..2 {
        assert_eq!(der[at], 0x02, "an INTEGER");
        let len = usize::from(der[at + 1]);
        let value = &der[at + 2..at + 2 + len];
        let value = &value[value.len().saturating_sub(66)..];
        raw.extend(std::iter::repeat_n(0, 66 - value.len()));
        raw.extend(value);
        at += 2 + len;
    }
    raw
}

fn b64url(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn unb64url(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text).expect("base64url")
}

/// An ES512 token tokensmith signs verifies in node's jsonwebtoken and with
/// `openssl dgst -sha512 -verify`; one openssl signs verifies in tokensmith.
#[test]
fn es512_agrees_with_node_jsonwebtoken_and_openssl() {
    let env = Env::new();
    es512_profile(&env);
    let token = sign(&env, "test-es512", &["--key-file", &key("ec-p521-sec1.pem")]);
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(unb64url(parts[2]).len(), 132, "r || s, 66 bytes each");
    env.ok(&["verify", &token, "--key-file", &key("ec-p521-point.bin")]);
    if node_has_jsonwebtoken() {
        let script = "const jwt = require('jsonwebtoken'); const fs = require('fs');\
            const key = fs.readFileSync(process.argv[2], 'utf8');\
            const claims = jwt.verify(process.argv[1], key, { algorithms: ['ES512'] });\
            process.stdout.write(claims.sub);";
        let out = node().args(["-e", script, &token, &key("ec-p521-pub.pem")]).output().expect("node runs");
        assert!(out.status.success(), "node: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8_lossy(&out.stdout), "user-42");
    } else {
        skip_missing("node with the jsonwebtoken package");
    }
    if !has_openssl() {
        return;
    }
    let dir = env.home.path();
    let input = dir.join("input");
    std::fs::write(&input, format!("{}.{}", parts[0], parts[1])).expect("input");
    std::fs::write(dir.join("sig.der"), der_signature(&unb64url(parts[2]))).expect("sig");
    let openssl = |args: &[&str]| {
        let out = std::process::Command::new("openssl").args(args).current_dir(dir).output().expect("runs");
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    let verified =
        openssl(&["dgst", "-sha512", "-verify", &key("ec-p521-pub.pem"), "-signature", "sig.der", "input"]);
    assert_eq!(String::from_utf8_lossy(&verified).trim(), "Verified OK");
    // openssl signs a token tokensmith verifies.
    let header = b64url(br#"{"alg":"ES512","typ":"JWT"}"#);
    let payload = b64url(br#"{"sub":"openssl","exp":4102444800}"#);
    std::fs::write(&input, format!("{header}.{payload}")).expect("input");
    let signature = openssl(&["dgst", "-sha512", "-sign", &key("ec-p521-pkcs8.pem"), "input"]);
    let foreign = format!("{header}.{payload}.{}", b64url(&raw_signature(&signature)));
    env.ok(&["verify", &foreign, "--key-file", &key("ec-p521-pub.pem")]);
    let mut tampered = foreign.clone();
    tampered.replace_range(header.len() + 2..header.len() + 3, "Z");
    env.cmd().args(["verify", &tampered, "--key-file", &key("ec-p521-pub.pem")]).assert().failure();
}
