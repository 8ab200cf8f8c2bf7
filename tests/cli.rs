//! The binary, driven as a user would: every verb, exit codes (0 ok, 1 invalid, 2 usage) and
//! the error messages for bad input.

use std::path::{Path, PathBuf};

use predicates::prelude::*;
use predicates::str::contains;
use serde_json::Value;

mod common;

use common::{Env, fixture, stdout_json};

const SECRET: &str = common::FIXTURE_SECRET;

impl Env {
    fn profiles_dir(&self) -> PathBuf {
        let dir = self.home.path().join("config/profiles");
        std::fs::create_dir_all(&dir).expect("mkdir");
        dir
    }
}

fn sign(env: &Env, args: &[&str]) -> String {
    let out = env.cmd().arg("sign").args(args).output().expect("runs");
    assert!(out.status.success(), "sign {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf8").trim().to_string()
}

#[test]
fn help_is_useful_for_every_verb() {
    let env = Env::new();
    // No command opens the workbench, which needs a terminal: without one, say so.
    env.cmd().assert().code(2).stderr(contains("needs a terminal"));
    env.cmd().arg("--help").assert().code(0).stdout(contains("Usage: tokensmith").and(contains("Examples:")));
    for verb in ["profiles", "profile", "sign", "decode", "verify", "paths"] {
        env.cmd().args([verb, "--help"]).assert().success().stdout(contains("Example"));
    }
    env.cmd()
        .args(["profile", "show", "--help"])
        .assert()
        .success()
        .stdout(contains("tokensmith profile show tiledesk"));
}

#[test]
fn profiles_lists_the_built_ins_and_user_files() {
    let env = Env::new();
    env.cmd()
        .arg("profiles")
        .assert()
        .success()
        .stdout(contains("tiledesk").and(contains("orlo")).and(contains("generic-rs256")));
    std::fs::write(
        env.profiles_dir().join("acme.toml"),
        "id = \"acme\"\nname = \"Acme Chat\"\nalgorithms = [\"HS512\"]\nkey_kind = \"hmac-secret\"\n",
    )
    .expect("write");
    std::fs::write(env.profiles_dir().join("broken.toml"), "id = \"broken\"\nname = 3\n").expect("write");
    let out = env.cmd().args(["profiles", "--json"]).output().expect("runs");
    assert!(out.status.success());
    let ids: Vec<String> = stdout_json(&out)
        .as_array()
        .expect("array")
        .iter()
        .map(|p| p["id"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(ids.contains(&"acme".to_string()) && ids.contains(&"talla".to_string()), "{ids:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("broken.toml:2:8: field 'name': invalid type"), "{stderr}");
}

#[test]
fn profile_show_prints_rules_and_refuses_unknown_ids() {
    let env = Env::new();
    env.cmd().args(["profile", "show", "tiledesk"]).assert().success().stdout(
        contains("exp - iat at most 10m [decode-route]")
            .and(contains("*external_id"))
            .and(contains("\"JWT \""))
            .and(contains("[server] vendor server code: tiledesk-server, middleware/passport.js"))
            .and(contains("project_id = \"<PROJECT_ID>\"")),
    );
    let out = env.cmd().args(["profile", "show", "orlo", "--json"]).output().expect("runs");
    assert_eq!(stdout_json(&out)["algorithms"], serde_json::json!(["RS256"]));
    env.cmd()
        .args(["profile", "show", "tiledsk"])
        .assert()
        .code(2)
        .stderr(contains("unknown profile 'tiledsk'").and(contains("tiledesk")));
}

#[test]
fn sign_makes_a_token_that_verify_accepts() {
    let env = Env::new();
    let token =
        sign(&env, &["--profile", "tiledesk", "--secret-env", "SECRET", "--claim", "email=ada@example.com"]);
    assert_eq!(token.split('.').count(), 3);
    env.cmd()
        .args(["verify", &token, "--profile", "tiledesk", "--secret-env", "SECRET"])
        .assert()
        .code(0)
        .stdout(contains("result:     valid").and(contains("leeway:     0s")).and(contains("HS256")));
    // the same secret from a file with a trailing newline, and from stdin
    env.cmd().args(["verify", &token, "--secret-file"]).arg(fixture("keys/hmac-secret.txt")).assert().code(0);
    env.cmd().args(["verify", &token, "--secret-stdin"]).write_stdin(format!("{SECRET}\n")).assert().code(0);
}

#[test]
fn sign_json_shows_claims_typed_nested_and_in_order() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["sign", "-p", "orlo", "--key-file"])
        .arg(fixture("keys/rsa2048-pkcs1.pem"))
        .args(["--claim", "name=Ada", "--claim", "isLoggedIn=true", "--claim", "User ID:=124"])
        .args(["--claim", "Telephone=01234567890", "--claim", "address.city=Leeds", "--kid", "k1"])
        .args(["--header", "x-trace:=7", "--at", "1700000000", "--json"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json = stdout_json(&out);
    assert_eq!(
        json["payload"].to_string(),
        r#"{"name":"Ada","isLoggedIn":true,"User ID":124,"Telephone":"01234567890","address":{"city":"Leeds"}}"#
    );
    assert_eq!(json["header"].to_string(), r#"{"alg":"RS256","typ":"JWT","kid":"k1","x-trace":7}"#);
    let token = json["token"].as_str().expect("token");
    env.cmd()
        .args(["verify", token, "-p", "orlo", "--key-file"])
        .arg(fixture("keys/rsa2048-pub-spki.pem"))
        .assert()
        .code(0);
    // the decoded header keeps the custom field
    env.cmd().args(["decode", token]).assert().success().stdout(contains("\"x-trace\": 7"));
}

#[test]
fn ttl_and_time_expressions_set_exp() {
    let env = Env::new();
    let out = env
        .cmd()
        .args([
            "sign",
            "-p",
            "ticketping",
            "--secret-env",
            "SECRET",
            "--ttl",
            "2m",
            "--at",
            "1700000000",
            "--json",
        ])
        .output()
        .expect("runs");
    assert_eq!(stdout_json(&out)["payload"]["exp"], 1_700_000_120);
    let out = env
        .cmd()
        .args([
            "sign",
            "-p",
            "ticketping",
            "--secret-env",
            "SECRET",
            "-c",
            "exp=now+1h",
            "--at",
            "1700000000",
            "--json",
        ])
        .output()
        .expect("runs");
    assert_eq!(stdout_json(&out)["payload"]["exp"], 1_700_003_600);
}

#[test]
fn decode_shows_parts_and_readable_times() {
    let env = Env::new();
    let token = std::fs::read_to_string(fixture("foreign/pyjwt-HS256-kid.jwt")).expect("fixture");
    env.cmd()
        .args(["decode", &format!("  \"Bearer {token}\" "), "--at", "4102444500"])
        .assert()
        .success()
        .stdout(
            contains("\"x-custom\": \"keep-me\"")
                .and(contains("\"User ID\": 124"))
                .and(contains("2100-01-01 00:00:00 UTC"))
                .and(contains("expires in 5m"))
                .and(contains("HS256, 32 bytes")),
        )
        .stderr(contains("surrounding quotes").and(contains("'Bearer ' prefix")));
    let out = env
        .cmd()
        .args(["decode", "-", "--json", "--at", "4102444860"])
        .write_stdin(token)
        .output()
        .expect("runs");
    let json = stdout_json(&out);
    assert_eq!(json["times"]["exp"]["relative"], "expired 1m ago");
    assert_eq!(json["header"]["kid"], "app_123");
    // alg none decodes
    env.cmd()
        .args(["decode", "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0."])
        .assert()
        .success()
        .stdout(contains("unsecured token"));
}

#[test]
fn decode_flags_millisecond_times() {
    let env = Env::new();
    // {"alg":"HS256"} . {"exp":1700000000000}
    env.cmd()
        .args(["decode", "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE3MDAwMDAwMDAwMDB9.c2ln"])
        .assert()
        .success()
        .stdout(contains("looks like milliseconds").and(contains("2023-11-14 22:13:20 UTC")));
}

#[test]
fn malformed_tokens_exit_1_naming_the_segment() {
    let env = Env::new();
    let cases = [
        ("abc.def", "has 2 parts"),
        ("a.b.c.d.e", "encrypted JWE"),
        ("eyJhbGciOiJIUzI1NiJ9.ab+c.sig", "payload segment is not base64url"),
        ("bm90IGpzb24.e30.", "header segment is not JSON"),
        ("WzEsMl0.e30.", "must be a JSON object"),
    ];
    for (token, message) in cases {
        env.cmd()
            .args(["decode", token])
            .assert()
            .code(1)
            .stdout(predicate::str::is_empty())
            .stderr(contains(message));
    }
}

#[test]
fn verify_reports_invalid_tokens_with_exit_1() {
    let env = Env::new();
    let token = sign(&env, &["-p", "generic-hs256", "--secret-env", "SECRET", "--at", "1700000000"]);
    // expired (generic: exp = iat + 15m)
    env.cmd()
        .args(["verify", &token, "--secret-env", "SECRET"])
        .assert()
        .code(1)
        .stdout(contains("INVALID").and(contains("expired")));
    // leeway is applied only when asked, and reported
    env.cmd()
        .args(["verify", &token, "--secret-env", "SECRET", "--at", "1700000910", "--leeway", "30s"])
        .assert()
        .code(0)
        .stdout(contains("leeway:     30s"));
    // wrong secret
    env.cmd()
        .args(["verify", &token, "--secret", "wrong", "--at", "1700000001"])
        .assert()
        .code(1)
        .stdout(contains("signature does not verify"))
        .stderr(contains("visible to other users"));
    // not yet valid
    let future = sign(
        &env,
        &["-p", "generic-hs256", "--secret-env", "SECRET", "-c", "nbf=now+1h", "--at", "1700000000"],
    );
    env.cmd()
        .args(["verify", &future, "--secret-env", "SECRET", "--at", "1700000001"])
        .assert()
        .code(1)
        .stdout(contains("not valid yet"));
    // json form
    let out = env.cmd().args(["verify", &token, "--secret-env", "SECRET", "--json"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let json = stdout_json(&out);
    assert_eq!(json["valid"], false);
    assert_eq!(json["problems"][0]["detail"]["problem"], "expired");
}

#[test]
fn verify_refuses_hs256_made_with_the_rsa_public_key_text() {
    let env = Env::new();
    let public = fixture("keys/rsa2048-pub-spki.pem");
    // The classic confusion attack: sign HS256 with the public key's PEM text...
    env.cmd()
        .args(["sign", "-p", "generic-hs256", "--secret-file"])
        .arg(&public)
        .assert()
        .code(2)
        .stderr(contains("looks like a PEM key"));
    let forged = {
        let pem = std::fs::read(&public).expect("pem");
        let key = tokensmith::token::KeyMaterial::Hmac(tokensmith::secret::Secret::new(pem));
        let header = tokensmith::token::header(tokensmith::token::Alg::HS256, Some("JWT"), None);
        let mut payload = serde_json::Map::new();
        payload.insert("sub".into(), "admin".into());
        tokensmith::token::sign(&header, &payload, &key, tokensmith::token::Alg::HS256).expect("forged")
    };
    // ...and the verifier, given the RSA public key, refuses it instead of using its text.
    env.cmd()
        .args(["verify", &forged, "--key-file"])
        .arg(&public)
        .assert()
        .code(1)
        .stdout(contains("alg 'HS256' is not allowed"));
}

#[test]
fn wrong_algorithm_for_a_profile_is_invalid() {
    let env = Env::new();
    let token = sign(&env, &["-p", "generic-hs256", "--secret-env", "SECRET", "--alg", "hs512"]);
    env.cmd()
        .args(["verify", &token, "-p", "ticketping", "--secret-env", "SECRET"])
        .assert()
        .code(1)
        .stdout(contains("'HS512' is not allowed"));
}

#[test]
fn keys_of_the_wrong_kind_say_what_they_are_and_what_is_needed() {
    let env = Env::new();
    let run = |args: &[&str], key: &Path| env.cmd().args(args).arg(key).assert().code(2);
    run(&["sign", "-p", "orlo", "--key-file"], &fixture("keys/rsa2048-pub-spki.pem"))
        .stderr(contains("is a public key, which can only verify"));
    run(&["sign", "-p", "orlo", "--key-file"], &fixture("keys/ec-p256-pkcs8.pem"))
        .stderr(contains("profile 'orlo' allows RS256 but the key is EC P-256 private key"));
    run(&["sign", "-p", "tiledesk", "--key-file"], &fixture("keys/rsa2048-pkcs8.pem"))
        .stderr(contains("allows HS256, HS384, HS512 but the key is RSA 2048-bit private key"));
    run(&["sign", "-p", "orlo", "--key-file"], &fixture("keys/rsa2048-truncated.pem"))
        .stderr(contains("cut short"));
    run(&["sign", "-p", "orlo", "--key-file"], &fixture("keys/rsa2048-oneline.pem"))
        .stderr(contains("on one line"));
    run(&["sign", "-p", "orlo", "--key-file"], &fixture("keys/cert.pem")).stderr(contains("openssl x509"));
    run(&["sign", "-p", "orlo", "--key-file"], &fixture("keys/rsa2048-encrypted-pkcs8.pem"))
        .stderr(contains("encrypted"));
    run(&["sign", "-p", "orlo", "--key-file"], &fixture("keys/hmac-secret.txt"))
        .stderr(contains("not a PEM key"));
    run(&["sign", "-p", "orlo", "--key-file"], &fixture("keys/missing.pem"))
        .stderr(contains("cannot read key file"));
    // every PEM form openssl writes is accepted where it fits
    for (key, profile) in [
        ("keys/rsa2048-pkcs1.pem", "orlo"),
        ("keys/rsa2048-pkcs8.pem", "orlo"),
        ("keys/ec-p256-sec1.pem", "generic-es256"),
        ("keys/ec-p256-params-and-key.pem", "generic-es256"),
        ("keys/ec-p384-sec1.pem", "generic-es384"),
        ("keys/ed25519-pkcs8.pem", "generic-eddsa"),
    ] {
        env.cmd().args(["sign", "-p", profile, "--key-file"]).arg(fixture(key)).assert().success();
    }
}

#[test]
fn bad_claims_and_secrets_get_one_line_errors_with_exit_2() {
    let env = Env::new();
    env.cmd()
        .args(["sign", "-p", "generic-hs256", "--secret-env", "SECRET", "-c", "a=1", "-c", "a.b=2"])
        .assert()
        .code(2)
        .stderr(contains("claims 'a' and 'a.b' collide"));
    let cases: [(&[&str], &str); 9] = [
        (&["-c", "email"], "has no '='"),
        (&["-c", "account.email=nope"], "is not an email address"),
        (&["-c", "emial=a@b.co"], "has no claim 'emial'"),
        (&["-c", "iat=yesterday"], "is not a time"),
        (&["-c", "name:={bad"], "is not valid JSON"),
        (&["--ttl", "soon"], "--ttl"),
        (&["--alg", "RS256"], "RS256 is not allowed"),
        (&["--at", "whenever"], "is not a time"),
        (&["--header", "alg=none"], "cannot set alg"),
    ];
    for (args, message) in cases {
        env.cmd()
            .args(["sign", "-p", "talla", "--secret-env", "SECRET"])
            .args(args)
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(contains(message).and(contains("\n").count(1)));
    }
    env.cmd()
        .args(["sign", "-p", "tiledesk", "--secret-env", "NOPE"])
        .assert()
        .code(2)
        .stderr(contains("environment variable 'NOPE' is not set"));
    env.cmd()
        .args(["sign", "-p", "tiledesk", "--secret-stdin"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(contains("the secret is empty"));
    env.cmd()
        .args(["sign", "-p", "tiledesk"])
        .assert()
        .code(2)
        .stderr(contains("no key given").and(contains("--secret-env")));
    env.cmd()
        .args(["sign", "-p", "tiledesk", "--secret-env", "SECRET", "--secret-file", "x"])
        .assert()
        .code(2)
        .stderr(contains("cannot be used with"));
    env.cmd()
        .args(["sign", "-p", "tiledesk", "--secret-env", "SECRET", "--secret-base64"])
        .assert()
        .code(2)
        .stderr(contains("not valid base64"));
}

#[test]
fn a_base64_secret_is_read_as_bytes_with_secret_base64() {
    let env = Env::new();
    let token = std::fs::read_to_string(fixture("foreign/pyjwt-HS256-b64secret.jwt")).expect("fixture");
    let secret = fixture("keys/hmac-secret-b64.txt");
    env.cmd().args(["verify", &token, "--secret-base64", "--secret-file"]).arg(&secret).assert().code(0);
    env.cmd().args(["verify", &token, "--secret-file"]).arg(&secret).assert().code(1);
}

#[test]
fn paths_follow_home() {
    let env = Env::new();
    let out = env.cmd().args(["paths", "--json"]).output().expect("runs");
    let json = stdout_json(&out);
    assert_eq!(json["config"], env.home.path().join("config").display().to_string());
    assert_eq!(json["data"], env.home.path().join("data").display().to_string());
    let other = tempfile::tempdir().expect("tempdir");
    env.cmd()
        .arg("--home")
        .arg(other.path())
        .arg("paths")
        .assert()
        .success()
        .stdout(contains(other.path().join("config/profiles").display().to_string()));
}

#[test]
fn doctor_explains_what_the_vendor_would_reject() {
    let env = Env::new();
    let token = sign(
        &env,
        &[
            "-p",
            "tiledesk",
            "--secret-env",
            "SECRET",
            "--at",
            "1767225600",
            "--param",
            "project_id=65f0c0ffee",
        ],
    );
    env.cmd()
        .args([
            "doctor",
            &format!("JWT {token}"),
            "-p",
            "tiledesk",
            "--secret-env",
            "SECRET",
            "--at",
            "1767225700",
        ])
        .assert()
        .code(0)
        .stdout(
            contains("signature.valid")
                .and(contains("judged at 2026-01-01 00:01:40 UTC (--at)"))
                .and(contains("should accept")),
        );
    // judged later, the same token is expired: exit 1
    env.cmd()
        .args(["doctor", &token, "-p", "tiledesk", "--secret-env", "SECRET", "--at", "1767226000"])
        .assert()
        .code(1)
        .stdout(contains("time.expired").and(contains("would refuse")));
    // JSON: the findings as an array with stable codes
    let out = env
        .cmd()
        .args(["doctor", &token, "-p", "orlo", "--json", "--at", "1767225700"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let json = stdout_json(&out);
    let codes: Vec<&str> =
        json["findings"].as_array().expect("array").iter().filter_map(|f| f["code"].as_str()).collect();
    assert!(codes.contains(&"alg.not-allowed") && codes.contains(&"claim.missing"), "{codes:?}");
    env.cmd().args(["doctor", &token, "-p", "nope"]).assert().code(2).stderr(contains("unknown profile"));
    env.cmd()
        .args(["doctor", "not.a", "-p", "tiledesk"])
        .assert()
        .code(1)
        .stdout(contains("not-jwt.segments"));
}

#[test]
fn snippet_lists_flavours_and_renders_them_escaped() {
    let env = Env::new();
    env.cmd()
        .args(["snippet", "-p", "ticketping", "--list"])
        .assert()
        .success()
        .stdout(contains("react").and(contains("svelte")).and(contains("csharp")));
    let token = sign(&env, &["-p", "tiledesk", "--secret-env", "SECRET"]);
    env.cmd()
        .args(["snippet", "-p", "tiledesk", "--flavor", "html-v4", &token])
        .assert()
        .success()
        .stdout(contains(format!("var token = \"{token}\";")).and(contains("autoStart: false")));
    env.cmd()
        .args(["snippet", "-p", "talla", "--flavor", "html", "--secret-env", "SECRET"])
        .args(["--param", "app_id=</script><b>"])
        .assert()
        .success()
        .stdout(contains(r#"var appID = "<\/script><b>";"#));
    // server code reads the secret from the environment and never holds it
    env.cmd()
        .args(["snippet", "-p", "tiledesk", "--flavor", "python", "--secret-env", "SECRET"])
        .assert()
        .success()
        .stdout(contains("os.environ[\"TILEDESK_JWT_SECRET\"]").and(contains(SECRET).not()));
    env.cmd()
        .args(["snippet", "-p", "tiledesk", "--flavor", "cobol"])
        .assert()
        .code(2)
        .stderr(contains("no snippet flavour 'cobol'").and(contains("html-v4")));
    env.cmd()
        .args(["snippet", "-p", "tiledesk", "--flavor", "html"])
        .assert()
        .code(2)
        .stderr(contains("needs a token"));
    env.cmd()
        .args(["snippet", "-p", "talla", "--flavor", "html", &token, "--param", "appid=x"])
        .assert()
        .code(2)
        .stderr(contains("has no parameter 'appid'").and(contains("app_id")));
}

#[test]
fn sign_builds_claims_from_params_and_names_every_broken_rule() {
    let env = Env::new();
    // Tiledesk: aud and _id come from --param project_id.
    let out = env
        .cmd()
        .args([
            "sign",
            "-p",
            "tiledesk",
            "--secret-env",
            "SECRET",
            "--param",
            "project_id=65f0",
            "-c",
            "external_id=u42",
            "--json",
        ])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json = stdout_json(&out);
    assert_eq!(json["payload"]["aud"], "https://tiledesk.com/projects/65f0");
    assert_eq!(json["payload"]["_id"], "65f0_u42");
    assert_eq!(json["payload"]["sub"], "userexternal");
    assert_eq!(json["broken_rules"], serde_json::json!([]));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("rule:"));
    // Breaking the seed page's 10-minute rule still makes the token, with one line saying so.
    let cases: [(&[&str], &str); 4] = [
        (
            &["--ttl", "11m"],
            "rule: warning time.lifetime-max [decode-route]: exp is 11m after iat; vendor server code:",
        ),
        (
            &["-c", "iat=now+1h", "-c", "exp=now+1h5m"],
            "rule: warning time.iat-future [seed]: iat is 1h in the future",
        ),
        (&["-c", "iat:=1767225600000"], "rule: warning time.milliseconds [seed]: iat is 1767225600000"),
        (&["-c", "sub=agent"], "rule: error claim.pattern [server]: 'sub' is the string \"agent\""),
    ];
    for (args, line) in cases {
        let out = env
            .cmd()
            .args(["sign", "-p", "tiledesk", "--secret-env", "SECRET", "--param", "project_id=65f0"])
            .args(args)
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.contains(line), "{args:?}: {stderr}");
        assert_eq!(String::from_utf8_lossy(&out.stdout).matches('.').count(), 2, "a token is printed");
        // --strict refuses the same token
        let strict = env
            .cmd()
            .args([
                "sign",
                "-p",
                "tiledesk",
                "--secret-env",
                "SECRET",
                "--param",
                "project_id=65f0",
                "--strict",
            ])
            .args(args)
            .output()
            .expect("runs");
        assert_eq!(strict.status.code(), Some(2), "{args:?}");
        assert!(strict.stdout.is_empty());
        assert!(String::from_utf8_lossy(&strict.stderr).contains("--strict"), "{args:?}");
    }
    // An unknown parameter is named with the known ones; a placeholder left in gets a note.
    env.cmd()
        .args(["sign", "-p", "tiledesk", "--secret-env", "SECRET", "--param", "projectid=1"])
        .assert()
        .code(2)
        .stderr(contains("profile 'tiledesk' has no parameter 'projectid': its parameters are project_id"));
    env.cmd().args(["sign", "-p", "tiledesk", "--secret-env", "SECRET"]).assert().success().stderr(contains(
        "rule: error claim.placeholder [server]: 'aud' still holds the example value '<PROJECT_ID>'",
    ));
    // A lifetime past any date is an error naming the value, never a wrapped exp.
    env.cmd()
        .args(["sign", "-p", "ticketping", "--secret-env", "SECRET", "--ttl", "18446744073709551615s"])
        .assert()
        .code(2)
        .stderr(contains("18446744073709551615s").or(contains("past any date")));
}

#[test]
fn history_lists_what_the_workbench_kept_newest_first() {
    let env = Env::new();
    env.cmd().arg("history").assert().success().stderr(contains("no history yet"));
    let data = env.home.path().join("data");
    for (at, email) in [(1_767_225_600, "ada@example.com"), (1_767_225_660, "grace@example.org")] {
        let entry = tokensmith::history::Entry {
            at,
            origin: tokensmith::history::Origin::Made,
            profile: "ticketping".into(),
            header: serde_json::json!({"alg": "HS256"}).as_object().cloned().unwrap_or_default(),
            payload: serde_json::json!({"email": email}).as_object().cloned().unwrap_or_default(),
        };
        tokensmith::history::record(&data, entry).expect("records");
    }
    let out = env.ok(&["history"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let (grace, ada) = (text.find("grace@example.org"), text.find("ada@example.com"));
    assert!(grace.is_some() && grace < ada, "newest first: {text}");
    let json = stdout_json(&env.ok(&["history", "--json"]));
    assert_eq!(json[0]["payload"]["email"], "grace@example.org");
    assert_eq!(json[0]["origin"], "made");
}

#[test]
fn the_doctor_tries_only_keys_that_may_be_the_vendors_and_names_a_cut_signature() {
    let env = Env::new();
    // A key stored for Tiledesk is another vendor's key for a viaSocket token: not tried, so
    // the signature is unchecked (a warning), not "invalid".
    env.cmd()
        .args(["keys", "add", "tiledesk-key", "--secret-stdin", "--profile", "tiledesk"])
        .write_stdin("tiledesk-project-secret-0123456789abcdef")
        .assert()
        .success();
    let token = sign(&env, &["-p", "viasocket", "--secret-env", "SECRET"]);
    env.cmd()
        .args(["doctor", &token, "-p", "viasocket"])
        .assert()
        .code(0)
        .stdout(contains("signature.unchecked").and(contains("signature.invalid").not()));
    // A key stored for the profile that does not verify: invalid, an error.
    env.cmd()
        .args(["keys", "add", "wrong", "--secret-stdin", "--profile", "viasocket"])
        .write_stdin("not-the-viasocket-access-key-0123456789")
        .assert()
        .success();
    env.cmd()
        .args(["doctor", &token, "-p", "viasocket"])
        .assert()
        .code(1)
        .stdout(contains("signature.invalid"));
    // The same token cut short: the signature's length says so, whatever the key.
    let cut = &token[..token.len() - 11];
    env.cmd()
        .args(["doctor", cut, "-p", "viasocket", "--secret-env", "SECRET"])
        .assert()
        .code(1)
        .stdout(contains("signature.length").and(contains("cut short")));
}

#[test]
fn two_keys_stored_for_a_profile_are_named_and_profiles_line_up() {
    let env = Env::new();
    for name in ["acme-staging", "acme-prod"] {
        env.cmd()
            .args(["keys", "add", name, "--secret-stdin", "--profile", "ticketping"])
            .write_stdin(format!("{name}-secret-0123456789abcdef0123"))
            .assert()
            .success();
    }
    env.cmd().args(["sign", "-p", "ticketping"]).assert().code(2).stderr(contains(
        "2 keys are stored for profile 'ticketping' (acme-staging, acme-prod): choose one with --key NAME",
    ));
    let out = env.ok(&["profiles"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let key_column: Vec<usize> =
        text.lines().filter_map(|l| l.find("HMAC secret").or_else(|| l.find("RSA key pair"))).collect();
    assert!(key_column.len() > 3 && key_column.windows(2).all(|w| w[0] == w[1]), "{text}");
}

/// A secret shorter than RFC 7518 allows is one rule of the core's, so every face that signs
/// reports it as the doctor does: `sign` (text and JSON), `snippet` signing with a key, and
/// `--strict` refuses it.
#[test]
fn a_short_secret_is_a_rule_line_wherever_a_token_is_signed() {
    let env = Env::new();
    let short = "the project shared secret";
    let line = "rule: warning secret.too-short: the secret has 25 bytes; RFC 7518 wants at least 32 for HS256 \
                (fix: use a secret of at least 32 random bytes (`tokensmith keys gen NAME --kind hmac`))";
    let base = ["-p", "tiledesk", "--secret-env", "SHORT", "--param", "project_id=65f0c0ffee"];
    let out = env.cmd().arg("sign").args(base).env("SHORT", short).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr.lines().filter(|l| l.starts_with("rule:")).collect::<Vec<_>>(), [line], "{stderr}");
    let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let json = env.cmd().arg("sign").args(base).arg("--json").env("SHORT", short).output().expect("runs");
    let codes: Vec<Value> = stdout_json(&json)["broken_rules"]
        .as_array()
        .expect("broken_rules")
        .iter()
        .map(|f| f["code"].clone())
        .collect();
    assert_eq!(codes, [Value::from("secret.too-short")]);
    env.cmd()
        .arg("sign")
        .args(base)
        .arg("--strict")
        .env("SHORT", short)
        .assert()
        .code(2)
        .stdout("")
        .stderr(contains("--strict: the token breaks 1 rule (listed above), so none was printed"));
    env.cmd()
        .args(["snippet", "--flavor", "html"])
        .args(base)
        .env("SHORT", short)
        .assert()
        .success()
        .stderr(contains(line));
    // The doctor, given the same secret, says the same.
    env.cmd()
        .args(["doctor", &token, "-p", "tiledesk", "--secret-env", "SHORT", "--json"])
        .env("SHORT", short)
        .assert()
        .stdout(contains("\"code\": \"secret.too-short\""));
    // A secret as long as the hash breaks nothing.
    let out =
        env.cmd().arg("sign").args(base).env("SHORT", format!("{short} and more")).output().expect("runs");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("rule:"));
}

/// `--header typ:=null` leaves `typ` out of the header (issue 22, item 6), and PyJWT verifies
/// such a token, reading the header as `{"alg": "HS256"}`.
#[test]
fn a_header_without_typ_is_made_on_request_and_pyjwt_verifies_it() {
    let env = Env::new();
    let out = env.ok(&["sign", "-p", "generic-hs256", "--secret-env", "SECRET", "--header", "typ:=null"]);
    let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let decoded = env.ok(&["decode", &token, "--json"]);
    assert_eq!(stdout_json(&decoded)["header"], serde_json::json!({"alg": "HS256"}));
    if !common::python_has_pyjwt() {
        common::skip_missing("python3 with PyJWT");
        return;
    }
    let script = "import jwt, os, sys, json\nt = sys.argv[1]\nprint(json.dumps(jwt.get_unverified_header(t)))\njwt.decode(t, os.environ['SECRET'], algorithms=['HS256'])";
    let out = common::python()
        .args(["-c", script, &token])
        .env("SECRET", common::FIXTURE_SECRET)
        .output()
        .expect("python runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), r#"{"alg": "HS256"}"#);
}

/// `verify --iss/--aud/--sub/--require` (issue 22, item 4) on a token PyJWT made with an aud
/// array: any expected audience among the token's passes; each mismatch is named with what was
/// expected and what came, and makes the token invalid (exit 1).
#[test]
fn verify_checks_the_expected_issuer_audience_subject_and_claims() {
    if !common::python_has_pyjwt() {
        common::skip_missing("python3 with PyJWT");
        return;
    }
    let script = "import jwt, os\nprint(jwt.encode({'iss': 'https://idp.example', 'aud': ['widget', 'api'], 'sub': 'u42', 'exp': 4102444800}, os.environ['SECRET'], algorithm='HS256'))";
    let out = common::python()
        .args(["-c", script])
        .env("SECRET", common::FIXTURE_SECRET)
        .output()
        .expect("python runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let token = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let env = Env::new();
    let verify = |extra: &[&str]| {
        let out =
            env.cmd().args(["verify", &token, "--secret-env", "SECRET"]).args(extra).output().expect("runs");
        (out.status.code(), String::from_utf8_lossy(&out.stdout).to_string())
    };
    let (code, _) = verify(&[
        "--iss",
        "https://idp.example",
        "--aud",
        "other",
        "--aud",
        "api",
        "--sub",
        "u42",
        "--require",
        "exp",
    ]);
    assert_eq!(code, Some(0));
    let (code, out) =
        verify(&["--iss", "https://evil.example", "--aud", "other", "--sub", "u1", "--require", "email"]);
    assert_eq!(code, Some(1), "{out}");
    for line in [
        r#"iss is "https://idp.example", expected "https://evil.example""#,
        r#"aud is ["widget","api"], expected "other""#,
        r#"sub is "u42", expected "u1""#,
        "email is missing, expected present",
    ] {
        assert!(out.contains(line), "{line}\n{out}");
    }
}

/// The doctor takes the same expectations as `verify` (issue 22, item 4): each mismatch is an
/// error finding, `claim.unexpected`, with what was expected and what came; `--hash` (no token)
/// refuses them rather than ignoring them.
#[test]
fn the_doctor_checks_the_expected_claims_too() {
    let env = Env::new();
    let token = std::fs::read_to_string(fixture("doctor/tiledesk-lifetime.jwt")).expect("fixture");
    let doctor = |extra: &[&str]| {
        let out = env
            .cmd()
            .args(["doctor", token.trim(), "-p", "tiledesk", "--json"])
            .args(extra)
            .output()
            .expect("runs");
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        (out.status.code(), report, String::from_utf8_lossy(&out.stderr).to_string())
    };
    let unexpected = |report: &serde_json::Value| -> Vec<String> {
        report["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|f| f["code"] == "claim.unexpected")
            .map(|f| {
                format!(
                    "{}: {}",
                    f["subject"].as_str().unwrap_or_default(),
                    f["found"].as_str().unwrap_or_default()
                )
            })
            .collect()
    };
    let (_, report, err) = doctor(&[]);
    assert_eq!(unexpected(&report), Vec::<String>::new(), "{err}");
    let (code, report, _) = doctor(&["--sub", "nobody", "--require", "account.plan"]);
    assert_eq!(code, Some(1));
    let found = unexpected(&report);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].starts_with("sub: sub is ") && found[0].ends_with(r#", expected "nobody""#),
        "{found:?}"
    );
    assert_eq!(found[1], "account.plan: account.plan is missing, expected present");
    let out = env
        .cmd()
        .args(["doctor", "-p", "helpscout", "--secret", "s", "--hash", "abc", "ada@x.com", "--iss", "x"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("with --hash there is no token"));
}

/// `sign --from` (issue 22, item 2) on a token PyJWT made: its claims and header are the start,
/// `--claim` goes on top, `--refresh-times` moves iat to the signing time and exp with it (the
/// hour it had), and the key given signs it.
#[test]
fn sign_from_a_token_keeps_its_claims_and_takes_the_users_on_top() {
    let env = Env::new();
    let from = format!("@{}", fixture("doctor/tiledesk-lifetime.jwt").display());
    let at = "1800000000";
    let args = [
        "sign",
        "-p",
        "tiledesk",
        "--secret-env",
        "SECRET",
        "--from",
        &from,
        "-c",
        "name=Grace",
        "--refresh-times",
    ];
    let out = env.ok(&[&args[..], &["--at", at, "--json"]].concat());
    let signed = stdout_json(&out);
    let payload = &signed["payload"];
    assert_eq!(payload["name"], "Grace");
    assert_eq!(payload["_id"], "65a1b2c3d4e5f60718293a4b_user-123456", "the token's own claims are kept");
    assert_eq!(payload["iat"], 1_800_000_000);
    assert_eq!(payload["exp"], 1_800_000_000 + 3600, "the lifetime the token had");
    assert_eq!(signed["header"]["typ"], "JWT");
    // Without --refresh-times the times are the token's; --ttl replaces its exp.
    let out = env.ok(&[
        "sign",
        "-p",
        "tiledesk",
        "--secret-env",
        "SECRET",
        "--from",
        &from,
        "--ttl",
        "2m",
        "--json",
    ]);
    let payload = &stdout_json(&out)["payload"];
    assert_eq!(payload["iat"], 1_767_225_600);
    assert!(payload["exp"].as_i64().is_some_and(|e| e > 1_767_225_600 + 3600), "{payload}");
    // The re-signed token verifies with the key that signed it.
    let token = stdout_json(&env.ok(&[
        "sign",
        "-p",
        "tiledesk",
        "--secret-env",
        "SECRET",
        "--from",
        &from,
        "--refresh-times",
        "--json",
    ]))["token"]
        .as_str()
        .map(str::to_string)
        .expect("token");
    env.ok(&["verify", &token, "--secret-env", "SECRET"]);
    // --refresh-times alone is a usage error.
    let out = env
        .cmd()
        .args(["sign", "-p", "tiledesk", "--secret-env", "SECRET", "--refresh-times"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}
