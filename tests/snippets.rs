//! Snippets: golden files for every profile and flavour; the generated server code (Node,
//! Python, Ruby, PHP, Go and Java; not C#) is run for two users and each token must pass verify
//! and the doctor and carry that user's identity. The page snippets run in headless Chromium in
//! `tests/page_snippets.rs`.
//!
//! `.ci/run` installs the toolchains (node's jsonwebtoken, PyJWT, ruby-jwt, php-cli, Go with
//! golang-jwt v4, a JDK) and Chromium; where one is missing the test says so and skips, unless
//! TOKENSMITH_REQUIRE_TOOLS=1 (set by `.ci/run`), when it fails.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::{Map, Value, json};
use tokensmith::claims::{
    BuildContext, ClaimAssignment, ClaimInput, ClaimPath, ClaimSchema, ClaimType, TemplatePart, ValueExpr,
    build_payload,
};
use tokensmith::profile::{Profile, ProfileSet};
use tokensmith::secret::Secret;
use tokensmith::snippet::server::Lang;
use tokensmith::snippet::{FlavorKind, SnippetInput, flavors, render};
use tokensmith::time_rules::{Reading, Times};
use tokensmith::token::{self, KeyMaterial, VerifyOptions, parse_pem};
use tokensmith::token::{Curve, Family};

/// 2026-01-01 00:00:00 UTC, for the golden files.
const NOW: i64 = 1_767_225_600;
const SECRET: &str = "tokensmith-snippet-secret-0123456789abcdef";
const HOSTILE: &str = "</script><script>alert(1)</script>\"'";
/// The value a placeholder parameter (Tiledesk's project id) gets here: 24 hex digits, as a
/// real Tiledesk project id has, so Tiledesk's acceptor can look it up.
const PROJECT: &str = "65f0c0ffee0000000000abcd";

fn fixture(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

/// The private key PEM (asymmetric profiles) or None (HMAC).
fn pem_for(profile: &Profile) -> Option<String> {
    let file = match profile.key_kind {
        Family::Hmac => return None,
        Family::Rsa => "keys/rsa2048-pkcs8.pem",
        Family::Ec(Curve::P256) => "keys/ec-p256-pkcs8.pem",
        Family::Ec(Curve::P384) => "keys/ec-p384-pkcs8.pem",
        Family::Ec(Curve::P521) => "keys/ec-p521-pkcs8.pem",
        Family::Ed25519 => "keys/ed25519-pkcs8.pem",
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
                if hostile && p.name != "mobile_url" {
                    HOSTILE.to_string()
                } else if p.placeholder && p.default.starts_with('<') {
                    // `<PROJECT_ID>` stands for a value Tiledesk's acceptor looks up.
                    PROJECT.to_string()
                } else {
                    p.default.clone()
                },
            )
        })
        .collect()
}

#[test]
fn golden_files_for_every_profile_and_flavour() {
    // Identity-hash and vendor-issued profiles sign nothing: tests/hash_snippets.rs has theirs.
    for profile in ProfileSet::load(None).profiles.into_iter().filter(|p| p.scheme.is_jwt()) {
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

/// The users the generated server code issues tokens for: a numeric id and a text id, so each
/// identity claim differs between the two tokens and both kinds of id go through every language.
const ADA: &str = r#"{"id": 4242, "email": "ada@example.com", "name": "Ada Lovelace", "first_name": "Ada", "last_name": "Lovelace"}"#;
const GRACE: &str = r#"{"id": "u-1906", "email": "grace@example.org", "name": "Grace Hopper", "first_name": "Grace", "last_name": "Hopper"}"#;

/// Profile x language pairs the generated code cannot sign; the file says why instead of
/// holding code. Every built-in profile runs in every language CI runs (each signs EdDSA, ES384
/// and the rest its own way); only PHP lacks RSA-PSS, which no built-in profile prefers.
const CANNOT_SIGN: [(&str, Lang); 2] = [("generic-eddsa", Lang::CSharp), ("ps-only", Lang::Php)];

/// The built-in profiles, plus two made here for code paths no built-in one takes: RSA-PSS
/// only, and a base64-encoded HMAC secret.
fn server_profiles() -> Vec<Profile> {
    let mut profiles: Vec<Profile> =
        ProfileSet::load(None).profiles.into_iter().filter(|p| p.scheme.is_jwt()).collect();
    let base = |id: &str| profiles.iter().find(|p| p.id == id).cloned().expect("profile");
    let mut ps_only = base("generic-rs256");
    ps_only.id = "ps-only".into();
    ps_only.algorithms = vec![tokensmith::token::Alg::PS256];
    let mut base64 = base("generic-hs256");
    base64.id = "hs256-base64".into();
    base64.secret_encoding = tokensmith::profile::SecretEncoding::Base64;
    profiles.extend([ps_only, base64]);
    profiles
}

/// The languages CI runs. C# is not run: its file says so.
const RUN: [Lang; 6] = [Lang::Node, Lang::Python, Lang::Ruby, Lang::Php, Lang::Go, Lang::Java];

/// Debian's golang-github-golang-jwt-jwt-dev (golang-jwt v4); TOKENSMITH_GO_JWT overrides it.
fn go_jwt_dir() -> PathBuf {
    std::env::var_os("TOKENSMITH_GO_JWT")
        .map_or_else(|| PathBuf::from("/usr/share/gocode/src/github.com/golang-jwt/jwt"), PathBuf::from)
}

/// Whether a language's code can run here; else what is missing.
fn toolchain(lang: Lang) -> Result<(), &'static str> {
    let ok = match lang {
        Lang::Node => tool_works("node", &["-e", "require('jsonwebtoken')"]),
        Lang::Python => tool_works("python3", &["-c", "import jwt, cryptography"]),
        Lang::Ruby => tool_works("ruby", &["-e", "require 'jwt'; require 'openssl'"]),
        Lang::Php => tool_works(
            "php",
            &[
                "-r",
                "exit(function_exists('openssl_sign') && function_exists('sodium_crypto_sign_detached') ? 0 : 1);",
            ],
        ),
        Lang::Go => {
            tool_works("go", &["version"])
                && tool_works("gofmt", &[])
                && go_jwt_dir().join("go.mod").is_file()
        }
        Lang::Java => tool_works("javac", &["-version"]),
        Lang::CSharp => false,
    };
    ok.then_some(()).ok_or(match lang {
        Lang::Node => "node with the jsonwebtoken package",
        Lang::Python => "python3 with PyJWT and cryptography",
        Lang::Ruby => "ruby with ruby-jwt",
        Lang::Php => "php-cli with openssl and sodium",
        Lang::Go => "go with golang-jwt v4 (golang-github-golang-jwt-jwt-dev)",
        Lang::Java => "a JDK (javac, for `java File.java`)",
        Lang::CSharp => "dotnet",
    })
}

/// Writes the profile's server code for `lang` into its own folder.
fn write_server_code(lang: Lang, profile: &Profile, root: &Path) -> PathBuf {
    let (token, payload) = signed(profile, NOW, &[]);
    let params = params(profile, false);
    let input = SnippetInput { profile, token: &token, payload: &payload, params: &params };
    let code = render(&input, lang.flavor()).expect("renders");
    let dir = root.join(format!("{}-{}", lang.flavor(), profile.id));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = match lang {
        Lang::Node => "issue-token.js",
        Lang::Python => "issue_token.py",
        Lang::Ruby => "issue_token.rb",
        Lang::Php => "issue_token.php",
        Lang::Go => "issue_token.go",
        Lang::Java => "IssueToken.java",
        Lang::CSharp => "IssueToken.cs",
    };
    if lang == Lang::Go {
        // What `go mod init` and `go get github.com/golang-jwt/jwt/v4` make, with the module
        // taken from Debian's package instead of the network.
        let go_mod = format!(
            "module issuetoken\n\ngo 1.19\n\nrequire github.com/golang-jwt/jwt/v4 v4.4.3\n\nreplace github.com/golang-jwt/jwt/v4 => {}\n",
            go_jwt_dir().display()
        );
        std::fs::write(dir.join("go.mod"), go_mod).expect("go.mod");
    }
    // As `tokensmith snippet ... > FILE` saves it: with a final newline.
    std::fs::write(dir.join(file), format!("{code}\n")).expect("write");
    dir.join(file)
}

/// Runs `<program> FILE --print USER` and returns the one line it prints.
fn run_server_code(lang: Lang, profile: &Profile, file: &Path, user: &str) -> Result<String, String> {
    let program = match lang {
        Lang::Node => "node",
        Lang::Python => "python3",
        Lang::Ruby => "ruby",
        Lang::Php => "php",
        Lang::Go => "go",
        Lang::Java => "java",
        Lang::CSharp => "dotnet",
    };
    let mut cmd = Command::new(program);
    match lang {
        Lang::Go => {
            cmd.arg("run").env("GOFLAGS", "-mod=mod").env("GOPROXY", "off").env("GO111MODULE", "on");
        }
        // The source launcher compiles the file on every run; the quick JIT tier alone halves
        // that on a busy two-core runner.
        Lang::Java => {
            cmd.args(["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]);
        }
        _ => {}
    }
    let secret = match (pem_for(profile), profile.secret_encoding) {
        (Some(pem), _) => pem,
        (None, tokensmith::profile::SecretEncoding::Base64) => {
            base64::Engine::encode(&base64::engine::general_purpose::STANDARD, SECRET)
        }
        (None, tokensmith::profile::SecretEncoding::Utf8) => SECRET.to_string(),
    };
    let out = cmd
        .arg(file)
        .args(["--print", user])
        .current_dir(file.parent().expect("folder"))
        .env(tokensmith::snippet::env_var(profile), secret)
        .output()
        .map_err(|e| format!("{program}: {e}"))?;
    if !out.status.success() {
        return Err(format!("exit {}: {}", out.status, String::from_utf8_lossy(&out.stderr)));
    }
    let stdout = String::from_utf8(out.stdout).map_err(|e| e.to_string())?;
    match stdout.trim().lines().collect::<Vec<_>>()[..] {
        [token] => Ok(token.to_string()),
        _ => Err(format!("printed more or less than one line: {stdout:?}")),
    }
}

/// A JSON value as templates and hashes read it: strings as they are, other JSON as written.
fn as_text(value: &Value) -> String {
    value.as_str().map_or_else(|| value.to_string(), str::to_string)
}

fn path(text: &str) -> ClaimPath {
    text.parse().expect("path")
}

/// What a derived claim must be, from the other claims of the token and the parameters.
fn derived(default: &ValueExpr, payload: &Map<String, Value>, params: &[(String, String)]) -> Option<String> {
    use md5::Digest as _;
    let claim = |p: &ClaimPath| p.get(payload).map(as_text).unwrap_or_default();
    match default {
        ValueExpr::Md5(source) => Some(hex::encode(md5::Md5::digest(claim(source).as_bytes()))),
        ValueExpr::Sha256(source) => Some(hex::encode(sha2::Sha256::digest(claim(source).as_bytes()))),
        ValueExpr::Template(parts) => Some(
            parts
                .iter()
                .map(|part| match part {
                    TemplatePart::Text(text) => text.clone(),
                    TemplatePart::Ref(name) => params
                        .iter()
                        .find(|(n, _)| n == name)
                        .map_or_else(|| claim(&path(name)), |(_, v)| v.clone()),
                })
                .collect(),
        ),
        _ => None,
    }
}

/// Checks one issued token: signature, doctor, identity from the user, derived claims, times,
/// and the claims it holds. Returns its payload.
fn check_issued(
    lang: Lang,
    profile: &Profile,
    user: &Value,
    issued: &str,
) -> Result<Map<String, Value>, String> {
    let now = chrono::Utc::now().timestamp();
    let decoded = token::decode(issued).map_err(|e| format!("{e}: {issued}"))?;
    let payload = decoded.payload.clone();
    let alg = tokensmith::snippet::server::signing_alg(profile, lang).expect("an algorithm");
    if decoded.alg() != Some(alg.name()) {
        return Err(format!("signed with {:?}, not {alg}", decoded.alg()));
    }
    let key = key_for(profile).public();
    let allowed = token::allowed_algs(Some((&profile.id, &profile.algorithms)), &key).expect("algs");
    let options = VerifyOptions {
        allowed,
        leeway_secs: 0,
        now,
        require_exp: profile.time.exp_required.value,
        expect: Default::default(),
    };
    let verification = token::verify(&decoded, &key, &options);
    if !verification.valid {
        return Err(format!("verify: {:?}", verification.problems));
    }
    let candidate = tokensmith::doctor::Candidate {
        name: "the test key".into(),
        key: key_for(profile),
        text: pem_for(profile).is_none().then(|| Secret::new(SECRET.as_bytes().to_vec())),
        explicit: true,
    };
    let params = params(profile, false);
    let report = tokensmith::doctor::diagnose(issued, profile, &[candidate], &params, now);
    if !report.passes() {
        return Err(format!("the doctor finds errors: {:?}", report.findings));
    }
    // Tiledesk's side: its acceptor (following tiledesk-server) takes the token as a customer.
    if profile.id == "tiledesk" && common::node_has_jsonwebtoken() {
        common::tiledesk_accepts(issued, PROJECT, SECRET)
            .map_err(|e| format!("Tiledesk's server refuses it: {e}"))?;
    }
    for field in &profile.claims {
        let found = field.path.get(&payload);
        if let Some(from) = tokensmith::snippet::server::user_field(field) {
            let value = &user[from.key()];
            let expected = match field.ty {
                ClaimType::String | ClaimType::Email => Value::String(as_text(value)),
                _ => value.clone(),
            };
            if found != Some(&expected) {
                return Err(format!("{} is {found:?}, not the user's {} {expected}", field.path, from.key()));
            }
        } else if let Some(expected) = field.default.as_ref().and_then(|d| derived(d, &payload, &params))
            && found.and_then(Value::as_str) != Some(expected.as_str())
        {
            return Err(format!("{} is {found:?}, not {expected:?}", field.path));
        }
    }
    let times = Times::read(&payload);
    let (sample_iat, sample_exp) = {
        let (_, sample) = signed(profile, NOW, &[]);
        let times = Times::read(&sample);
        (times.iat_secs(), times.exp_secs())
    };
    let lifetime = match (sample_iat, sample_exp) {
        (Some(iat), Some(exp)) => exp - iat,
        _ => i64::try_from(profile.time.default_lifetime()).expect("lifetime"),
    };
    for claim in times.present() {
        if !matches!(claim.reading, Reading::Seconds { .. }) {
            return Err(format!("{} is not whole seconds: {:?}", claim.name, claim.reading));
        }
    }
    if let Some(iat) = times.iat_secs()
        && !(now - 60..=now).contains(&iat)
    {
        return Err(format!("iat {iat} is not now ({now})"));
    }
    if sample_exp.is_some() {
        let exp = times.exp_secs().ok_or("no exp")?;
        if !(now + lifetime - 60..=now + lifetime).contains(&exp) {
            return Err(format!("exp {exp} is not now + {lifetime} ({now})"));
        }
    }
    // The claims of the sample token, plus those the user fills that it lacks (Orlo's email).
    let (_, sample) = signed(profile, NOW, &[]);
    let mut expected: BTreeSet<String> = sample.keys().cloned().collect();
    for field in profile.claims.iter().filter(|f| tokensmith::snippet::server::user_field(f).is_some()) {
        expected.insert(field.path.keys()[0].clone());
    }
    let keys: BTreeSet<String> = payload.keys().cloned().collect();
    if keys != expected {
        return Err(format!("claims {keys:?}, expected {expected:?}"));
    }
    Ok(payload)
}

#[test]
fn generated_server_code_issues_each_user_their_own_token_that_passes_verify_and_the_doctor() {
    let started = Instant::now();
    let profiles = server_profiles();
    let root = tempfile::tempdir().expect("tempdir");
    let users: Vec<Value> = [ADA, GRACE].iter().map(|u| serde_json::from_str(u).expect("user")).collect();
    let mut runnable = Vec::new();
    for lang in RUN {
        match toolchain(lang) {
            Ok(()) => runnable.push(lang),
            Err(missing) => common::skip_missing(missing),
        }
    }
    let failures: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = runnable
            .iter()
            .map(|&lang| {
                let (profiles, root, users) = (&profiles, root.path(), &users);
                scope.spawn(move || {
                    let started = Instant::now();
                    let mut failures = Vec::new();
                    for profile in profiles {
                        if tokensmith::snippet::server::signing_alg(profile, lang).is_none() {
                            assert!(
                                CANNOT_SIGN.contains(&(profile.id.as_str(), lang)),
                                "{} {}",
                                profile.id,
                                lang.flavor()
                            );
                            continue;
                        }
                        let file = write_server_code(lang, profile, root);
                        if lang == Lang::Go {
                            // Pasted Go should not change when the editor runs gofmt.
                            let diff = Command::new("gofmt").arg("-d").arg(&file).output().expect("gofmt");
                            if !diff.stdout.is_empty() || !diff.status.success() {
                                failures.push(format!(
                                    "go {}: not gofmt-clean:\n{}",
                                    profile.id,
                                    String::from_utf8_lossy(&diff.stdout)
                                ));
                            }
                        }
                        let mut payloads = Vec::new();
                        for (json, user) in [ADA, GRACE].iter().zip(users) {
                            let issued = run_server_code(lang, profile, &file, json)
                                .and_then(|token| check_issued(lang, profile, user, &token));
                            match issued {
                                Ok(payload) => payloads.push(payload),
                                Err(e) => failures.push(format!(
                                    "{} {} for {}: {e}",
                                    lang.flavor(),
                                    profile.id,
                                    user["name"]
                                )),
                            }
                        }
                        if let [ada, grace] = &payloads[..] {
                            for field in profile
                                .claims
                                .iter()
                                .filter(|f| tokensmith::snippet::server::user_field(f).is_some())
                            {
                                if field.path.get(ada) == field.path.get(grace) {
                                    failures.push(format!(
                                        "{} {}: both users get {} {:?}",
                                        lang.flavor(),
                                        profile.id,
                                        field.path,
                                        field.path.get(ada)
                                    ));
                                }
                            }
                        }
                    }
                    eprintln!("{}: {:.1?}", lang.flavor(), started.elapsed());
                    failures
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().expect("worker")).collect()
    });
    eprintln!(
        "server code: {} languages x {} profiles x 2 users in {:.1?}",
        runnable.len(),
        profiles.len(),
        started.elapsed()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every profile has at least one identity claim the code takes from the user.
    for profile in &profiles {
        assert!(
            profile.claims.iter().any(|f| tokensmith::snippet::server::user_field(f).is_some()),
            "{}: no claim comes from the user",
            profile.id
        );
    }
    let talla = profiles.iter().find(|p| p.id == "talla").expect("talla");
    assert!(matches!(
        talla.field(&path("account.uid")).and_then(|f| f.default.as_ref()),
        Some(ValueExpr::Md5(_))
    ));
}

#[test]
fn a_language_that_cannot_sign_a_profile_says_so_instead_of_holding_code() {
    for profile in &server_profiles() {
        let (token, payload) = signed(profile, NOW, &[]);
        let input = SnippetInput { profile, token: &token, payload: &payload, params: &[] };
        for lang in Lang::ALL {
            let cannot = CANNOT_SIGN.contains(&(profile.id.as_str(), lang));
            let text = render(&input, lang.flavor()).expect("renders");
            assert_eq!(
                tokensmith::snippet::server::signing_alg(profile, lang).is_none(),
                cannot,
                "{} {}",
                profile.id,
                lang.flavor()
            );
            assert_eq!(
                text.contains("tokensmith writes no"),
                cannot,
                "{} {}: {text}",
                profile.id,
                lang.flavor()
            );
            if lang == Lang::CSharp && !cannot {
                assert!(
                    text.contains("NOT RUN IN CI"),
                    "{}: the C# file must say it is unchecked",
                    profile.id
                );
            }
        }
    }
}

#[test]
fn hostile_profile_values_cannot_break_out_of_server_code() {
    // Every place a profile's text lands: comments, the docstring, string literals, object keys.
    let evil = "\"\"\" ' ` \\N ${x} #{x} ?> */ </script> \u{2028}\u{2029}\u{85} end";
    let mut profile = ProfileSet::load(None).get("tiledesk").expect("profile").clone();
    profile.name = format!("Acme {evil}");
    profile.server = Some(tokensmith::profile::ServerRules {
        route: format!("/api/{evil}"),
        response_key: evil.to_string(),
        source: None,
    });
    for param in &mut profile.params {
        param.description = evil.to_string();
        param.default = evil.to_string();
    }
    let extra = ClaimAssignment { path: path("note"), input: ClaimInput::Json(json!({ evil: evil })) };
    let (token, payload) = signed(&profile, NOW, &[extra]);
    let input = SnippetInput {
        profile: &profile,
        token: &token,
        payload: &payload,
        params: &params(&profile, false),
    };
    let dir = tempfile::tempdir().expect("tempdir");
    for lang in RUN {
        if let Err(missing) = toolchain(lang) {
            common::skip_missing(missing);
            continue;
        }
        let text = render(&input, lang.flavor()).expect("renders");
        let (file, program, args): (&str, &str, &[&str]) = match lang {
            Lang::Node => ("a.js", "node", &["--check"]),
            Lang::Python => ("a.py", "python3", &["-m", "py_compile"]),
            Lang::Ruby => ("a.rb", "ruby", &["-c"]),
            Lang::Php => ("a.php", "php", &["-l"]),
            Lang::Go => ("a.go", "gofmt", &["-e", "-l"]),
            Lang::Java => ("IssueToken.java", "javac", &["-d", "classes"]),
            Lang::CSharp => continue,
        };
        let sub = dir.path().join(lang.flavor());
        std::fs::create_dir_all(&sub).expect("dir");
        std::fs::write(sub.join(file), format!("{text}\n")).expect("write");
        let out = Command::new(program).args(args).arg(file).current_dir(&sub).output().expect("runs");
        assert!(out.status.success(), "{}: {}\n{text}", lang.flavor(), String::from_utf8_lossy(&out.stderr));
        if lang == Lang::Php {
            // In a string ?> is text; in a line comment it leaves PHP mode.
            let mut comments = text.lines().filter_map(|l| l.split_once("// ").map(|(_, c)| c));
            assert!(comments.all(|c| !c.contains("?>")), "a ?> would leave PHP mode:\n{text}");
        }
        if lang == Lang::Node {
            assert!(!text.contains('\u{2028}'), "U+2028 ends a JavaScript line:\n{text}");
        }
    }
}
