//! `tokensmith keys ...` and `--key NAME`, driven through the binary: nothing lost, nothing
//! leaked.

use std::path::PathBuf;
use std::process::Output;

use predicates::prelude::*;
use predicates::str::contains;
use serde_json::Value;

const SECRET: &str = "acme-shared-secret-do-not-print-0123";

mod common;

use common::{Env, fixture};

impl Env {
    fn store(&self) -> PathBuf {
        self.home.path().join("data/keys.json")
    }

    fn add_secret(&self, name: &str, extra: &[&str]) {
        self.cmd()
            .args(["keys", "add", name, "--secret-stdin"])
            .args(extra)
            .write_stdin(format!("{SECRET}\n"))
            .assert()
            .success()
            .stderr(contains(format!("stored '{name}'")));
    }
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn secrets_are_masked_everywhere_unless_revealed() {
    let env = Env::new();
    env.add_secret("acme", &["--profile", "tiledesk", "--kid", "app_1", "--note", "staging"]);
    for args in [
        &["keys", "list"][..],
        &["keys", "list", "--json"],
        &["keys", "show", "acme"],
        &["keys", "show", "acme", "--json"],
    ] {
        let out = env.ok(args);
        let all = text(&out);
        assert!(!all.contains(SECRET), "{args:?} leaked the secret: {all}");
        assert!(!all.contains("do-not-print"), "{args:?} leaked part of the secret");
        assert!(all.contains("acme"), "{args:?}");
        // an unsalted SHA-256 of the secret (its RFC 7638 thumbprint) is a dictionary check away
        let digest = {
            use base64::Engine as _;
            use sha2::Digest as _;
            let canonical = serde_json::json!({"k": base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(SECRET), "kty": "oct"}).to_string();
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(sha2::Sha256::digest(canonical.as_bytes()))
        };
        assert!(!all.contains(&digest), "{args:?} printed the secret's thumbprint");
    }
    let shown = String::from_utf8_lossy(&env.ok(&["keys", "show", "acme"]).stdout).into_owned();
    assert!(
        shown.contains("'acme…' (36 bytes)") && shown.contains("app_1") && shown.contains("staging"),
        "{shown}"
    );
    env.cmd().args(["keys", "show", "acme", "--reveal"]).assert().success().stdout(contains(SECRET));
    env.cmd().args(["keys", "export", "acme"]).assert().code(2).stderr(contains("no public key"));
    env.cmd()
        .args(["keys", "export", "acme", "--format", "jwk", "--private"])
        .assert()
        .success()
        .stdout(contains("\"kty\": \"oct\""));
    // the store file itself is private
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(env.store()).expect("store").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

#[test]
fn sign_and_verify_use_stored_keys_and_record_their_use() {
    let env = Env::new();
    env.add_secret("acme", &["--profile", "tiledesk", "--kid", "app_1"]);
    // --key NAME
    let token = String::from_utf8(env.ok(&["sign", "-p", "tiledesk", "--key", "acme"]).stdout).expect("utf8");
    let token = token.trim();
    env.cmd().args(["decode", token]).assert().success().stdout(contains("\"kid\": \"app_1\""));
    env.cmd()
        .args(["verify", token, "--key", "acme"])
        .assert()
        .code(0)
        .stdout(contains("key 'acme' from the store"));
    // with a profile and no key: the store's one key for that profile
    let out = env.ok(&["sign", "-p", "tiledesk"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("key 'acme' from the store"));
    let list: Value = serde_json::from_slice(&env.ok(&["keys", "list", "--json"]).stdout).expect("json");
    assert!(list[0]["last_used"].is_i64(), "{list}");
    // two keys for one profile: no guessing
    env.add_secret("acme2", &["--profile", "tiledesk"]);
    env.cmd().args(["sign", "-p", "tiledesk"]).assert().code(2).stderr(contains(
        "2 keys are stored for profile 'tiledesk' (acme, acme2): choose one with --key NAME",
    ));
    env.cmd()
        .args(["sign", "-p", "tiledesk", "--key", "nope"])
        .assert()
        .code(2)
        .stderr(contains("no key named 'nope'").and(contains("acme, acme2")));
}

/// "Last used" is recorded by every command that uses a stored key, not only `sign`: the
/// snippet verb signing a token (or making an identity hash) for the page, `verify` and `hash`.
#[test]
fn every_command_that_uses_a_stored_key_records_its_use() {
    let cases: [(&str, &[&str]); 5] = [
        ("tiledesk", &["sign", "-p", "tiledesk", "--key", "k", "--param", "project_id=65f0c0ffee"]),
        (
            "tiledesk",
            &[
                "snippet",
                "-p",
                "tiledesk",
                "--flavor",
                "html",
                "--key",
                "k",
                "--param",
                "project_id=65f0c0ffee",
            ],
        ),
        (
            "helpscout",
            &["snippet", "-p", "helpscout", "--flavor", "html", "--key", "k", "-c", "email=ada@example.com"],
        ),
        ("helpscout", &["hash", "-p", "helpscout", "--key", "k", "ada@example.com"]),
        ("tiledesk", &["verify", "--key", "k", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"]),
    ];
    for (profile, args) in cases {
        let env = Env::new();
        env.add_secret("k", &["--profile", profile]);
        let last_used = || {
            let list: Value =
                serde_json::from_slice(&env.ok(&["keys", "list", "--json"]).stdout).expect("json");
            list[0]["last_used"].clone()
        };
        assert_eq!(last_used(), Value::Null, "a new key was never used");
        let out = env.cmd().args(args).output().expect("runs");
        assert!(out.status.code().is_some_and(|c| c <= 1), "{args:?}: {}", text(&out));
        assert!(last_used().is_i64(), "{args:?} did not record the key's use");
        // In words: "just now" within the same second, else "Ns ago" (a loaded machine crosses a
        // second between the two commands).
        let listed = String::from_utf8_lossy(&env.ok(&["keys", "list"]).stdout).to_string();
        assert!(listed.contains("just now") || listed.contains("s ago"), "{args:?}: {listed}");
    }
}

#[test]
fn imports_accept_every_openssl_form_and_explain_the_broken_ones() {
    let env = Env::new();
    let cases = [
        ("rsa2048-pkcs1.pem", "RSA 2048-bit private key, PKCS#1"),
        ("rsa2048-pkcs8.pem", "RSA 2048-bit private key, PKCS#8"),
        ("rsa2048-pub-spki.pem", "RSA 2048-bit public key, SPKI"),
        ("ec-p256-sec1.pem", "EC P-256 private key, SEC1"),
        ("ed25519-pkcs8.pem", "Ed25519 private key, PKCS#8"),
        ("hmac-secret.txt", "HMAC secret (42 bytes), read as text"),
    ];
    for (i, (file, description)) in cases.iter().enumerate() {
        env.cmd()
            .args(["keys", "import", &format!("k{i}")])
            .arg(fixture(&format!("keys/{file}")))
            .assert()
            .success()
            .stderr(contains(*description));
    }
    let broken = [
        ("rsa2048-encrypted-pkcs8.pem", "give it with --key-passphrase-env VAR, or run on a terminal"),
        ("rsa2048-legacy-encrypted.pem", "openssl pkcs8 -topk8 -in OLD.pem -out NEW.pem"),
        ("cert.pem", "openssl x509 -in cert.pem -pubkey -noout"),
        ("rsa2048-oneline.pem", "on one line"),
        ("rsa2048-truncated.pem", "cut short"),
    ];
    for (file, message) in broken {
        env.cmd()
            .args(["keys", "import", "bad"])
            .arg(fixture(&format!("keys/{file}")))
            .assert()
            .code(2)
            .stderr(contains(message));
    }
    // a JWK from stdin
    env.cmd()
        .args(["keys", "import", "jwk", "-"])
        .write_stdin(r#"{"kty":"oct","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQ","kid":"v1"}"#)
        .assert()
        .success();
    env.cmd().args(["keys", "show", "jwk"]).assert().success().stdout(contains("kid:         v1"));
    env.cmd()
        .args(["keys", "import", "k0"])
        .arg(fixture("keys/rsa2048-pkcs1.pem"))
        .assert()
        .code(2)
        .stderr(contains("already exists"));
}

#[test]
fn exported_public_keys_verify_tokens_and_match_openssl() {
    let env = Env::new();
    env.ok(&["keys", "import", "orlo", fixture("keys/rsa2048-pkcs1.pem").to_str().expect("path")]);
    let pem = env.ok(&["keys", "export", "orlo", "--format", "pem"]).stdout;
    let openssl = std::fs::read(fixture("keys/rsa2048-pub-spki.pem")).expect("fixture");
    assert_eq!(pem, openssl, "SPKI PEM as `openssl rsa -pubout` writes it");
    let token = String::from_utf8(env.ok(&["sign", "-p", "orlo", "--key", "orlo"]).stdout).expect("utf8");
    let dir = tempfile::tempdir().expect("tempdir");
    for format in ["pem", "jwk", "jwks"] {
        let path = dir.path().join(format!("public.{format}"));
        std::fs::write(&path, env.ok(&["keys", "export", "orlo", "--format", format]).stdout).expect("write");
        if format == "jwks" {
            // a JWKS with one key is read as that key
            env.cmd().args(["verify", token.trim(), "--key-file"]).arg(&path).assert().code(0);
        } else {
            env.cmd().args(["verify", token.trim(), "-p", "orlo", "--key-file"]).arg(&path).assert().code(0);
        }
    }
    let jwks: Value = serde_json::from_slice(&env.ok(&["keys", "export", "orlo", "--format", "jwks"]).stdout)
        .expect("json");
    let jwk = &jwks["keys"][0];
    assert!(jwk.get("d").is_none(), "no private member without --private");
    let show: Value =
        serde_json::from_slice(&env.ok(&["keys", "show", "orlo", "--json"]).stdout).expect("json");
    assert_eq!(jwk["kid"], show["thumbprint"], "kid defaults to the RFC 7638 thumbprint");
}

#[test]
fn generated_keys_sign_tokens_and_pass_openssl_checks() {
    let env = Env::new();
    let has_openssl = std::process::Command::new("openssl").arg("version").output().is_ok();
    for (kind, profile) in [
        ("hmac", "generic-hs256"),
        ("hmac64", "generic-hs256"),
        ("rsa2048", "generic-rs256"),
        ("p256", "generic-es256"),
        ("p384", "generic-es384"),
        ("ed25519", "generic-eddsa"),
    ] {
        let name = format!("gen-{kind}");
        env.ok(&["keys", "gen", &name, "--kind", kind]);
        let token = String::from_utf8(env.ok(&["sign", "-p", profile, "--key", &name]).stdout).expect("utf8");
        env.cmd().args(["verify", token.trim(), "--key", &name]).assert().code(0);
        if has_openssl && kind != "hmac" && kind != "hmac64" {
            let private = env.ok(&["keys", "export", &name, "--format", "pem", "--private"]).stdout;
            let check = std::process::Command::new("openssl")
                .args(["pkey", "-check", "-noout"])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .and_then(|mut child| {
                    use std::io::Write as _;
                    child.stdin.take().expect("stdin").write_all(&private)?;
                    child.wait_with_output()
                })
                .expect("openssl runs");
            assert!(
                check.status.success(),
                "openssl pkey -check {kind}: {}",
                String::from_utf8_lossy(&check.stderr)
            );
        }
    }
    env.cmd().args(["keys", "gen", "x", "--kind", "rsa1024"]).assert().code(2).stderr(contains("rsa2048"));
}

#[test]
fn rename_and_remove_ask_and_lose_nothing_else() {
    let env = Env::new();
    env.add_secret("a", &[]);
    env.add_secret("b", &[]);
    env.ok(&["keys", "rename", "a", "c"]);
    env.cmd().args(["keys", "rename", "b", "c"]).assert().code(2).stderr(contains("already exists"));
    env.cmd().args(["keys", "rm", "c"]).assert().code(2).stderr(contains("--yes"));
    env.ok(&["keys", "rm", "c", "--yes"]);
    let list: Value = serde_json::from_slice(&env.ok(&["keys", "list", "--json"]).stdout).expect("json");
    let names: Vec<&str> =
        list.as_array().expect("array").iter().filter_map(|e| e["name"].as_str()).collect();
    assert_eq!(names, ["b"]);
    env.cmd()
        .args(["keys", "add", "bad name", "--secret-stdin"])
        .write_stdin("x-secret")
        .assert()
        .code(2)
        .stderr(contains("cannot be a key name"));
}

#[test]
fn a_damaged_store_is_reported_and_kept_byte_for_byte() {
    let env = Env::new();
    env.add_secret("a", &[]);
    let mut bytes = std::fs::read(env.store()).expect("store");
    bytes.truncate(bytes.len() / 2);
    std::fs::write(env.store(), &bytes).expect("write");
    env.cmd()
        .args(["keys", "list"])
        .assert()
        .code(2)
        .stderr(contains("is damaged").and(contains("keys.json")));
    env.cmd().args(["keys", "add", "b", "--secret-stdin"]).write_stdin("b-secret-value").assert().code(2);
    env.cmd().args(["keys", "gen", "c", "--kind", "hmac"]).assert().code(2);
    // The doctor reports it as sign and verify do, instead of "no key stored".
    let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln";
    env.cmd()
        .args(["doctor", token, "-p", "generic-hs256"])
        .assert()
        .code(2)
        .stderr(contains("is damaged").and(contains("keys.json")));
    env.cmd()
        .args(["sign", "-p", "generic-hs256", "--key", "a"])
        .assert()
        .code(2)
        .stderr(contains("is damaged"));
    assert_eq!(std::fs::read(env.store()).expect("store"), bytes);
}

#[test]
fn a_locked_store_needs_the_passphrase_and_a_wrong_one_changes_nothing() {
    let env = Env::new();
    env.add_secret("a", &["--profile", "tiledesk"]);
    env.cmd().args(["keys", "lock"]).env("TOKENSMITH_PASSPHRASE", "right horse").assert().success();
    let sealed = std::fs::read(env.store()).expect("store");
    assert!(!String::from_utf8_lossy(&sealed).contains("tiledesk"), "entries are sealed");
    env.cmd().args(["keys", "list"]).assert().code(2).stderr(contains("TOKENSMITH_PASSPHRASE"));
    env.cmd()
        .args(["keys", "list"])
        .env("TOKENSMITH_PASSPHRASE", "wrong horse")
        .assert()
        .code(2)
        .stderr(contains("wrong passphrase"));
    env.cmd().args(["keys", "unlock"]).env("TOKENSMITH_PASSPHRASE", "wrong horse").assert().code(2);
    assert_eq!(std::fs::read(env.store()).expect("store"), sealed);
    env.cmd()
        .args(["sign", "-p", "tiledesk"])
        .env("TOKENSMITH_PASSPHRASE", "right horse")
        .assert()
        .success()
        .stderr(contains("key 'a' from the store"));
    // Signing reads the sealed store once and does not re-seal it (each seal is an argon2 run).
    assert_eq!(std::fs::read(env.store()).expect("store"), sealed, "sign rewrote the sealed store");
    env.cmd().args(["keys", "unlock"]).env("TOKENSMITH_PASSPHRASE", "right horse").assert().success();
    env.cmd().args(["keys", "list"]).assert().success().stdout(contains("'acme…'"));
}

#[test]
fn two_processes_adding_100_keys_each_lose_none() {
    let env = Env::new();
    env.add_secret("seed", &[]);
    let bin = assert_cmd::cargo::cargo_bin("tokensmith");
    let home = env.home.path().to_path_buf();
    let writers: Vec<_> = ["p", "q"]
        .into_iter()
        .map(|prefix| {
            let (bin, home) = (bin.clone(), home.clone());
            std::thread::spawn(move || {
                for i in 0..100 {
                    let out = std::process::Command::new(&bin)
                        .args(["keys", "gen", &format!("{prefix}{i}"), "--kind", "hmac"])
                        .env("TOKENSMITH_HOME", &home)
                        .output()
                        .expect("runs");
                    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().expect("writer");
    }
    let list: Value = serde_json::from_slice(&env.ok(&["keys", "list", "--json"]).stdout).expect("json");
    assert_eq!(list.as_array().expect("array").len(), 201);
    let leftovers: Vec<_> = std::fs::read_dir(home.join("data"))
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}
