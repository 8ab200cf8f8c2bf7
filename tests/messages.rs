//! Issue 13: messages that never mislead, --color/NO_COLOR, completions, the man page and the
//! doctor's Markdown report. Each test asserts the new text and would fail on the old one.

mod common;

use std::io::Write as _;
use std::process::Output;

use common::{Env, FIXTURE_SECRET, fixture, python, python_has_pyjwt, skip_missing};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A token made by PyJWT (an independent implementation), or None when it is missing.
fn pyjwt(payload: &str, secret: &str) -> Option<String> {
    if !python_has_pyjwt() {
        skip_missing("python3 with PyJWT");
        return None;
    }
    let out = python()
        .args(["-c", "import jwt, json, sys; print(jwt.encode(json.loads(sys.argv[1]), sys.argv[2], algorithm='HS256'))"])
        .args([payload, secret])
        .output()
        .expect("python runs");
    assert!(out.status.success(), "{}", stderr(&out));
    Some(stdout(&out).trim().to_string())
}

const TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLWJ5dGVz";

#[test]
fn a_file_name_given_as_the_token_is_called_a_file_name() {
    let env = Env::new();
    let file = env.home.path().join("good.jwt");
    std::fs::write(&file, TOKEN).expect("write");
    let out = env.cmd().current_dir(env.home.path()).args(["decode", "good.jwt"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("'good.jwt' looks like a file name"), "{err}");
    assert!(err.contains("< good.jwt") && err.contains("$(cat good.jwt)"), "{err}");
    assert!(!err.contains("2 parts"), "{err}");
}

#[test]
fn one_trailing_newline_from_a_pipe_earns_no_note_but_more_whitespace_does() {
    let env = Env::new();
    let out = env.cmd().arg("decode").write_stdin(format!("{TOKEN}\n")).output().expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("whitespace"), "{}", stderr(&out));
    let out = env.cmd().arg("decode").write_stdin(format!("  {TOKEN}\n")).output().expect("runs");
    assert!(stderr(&out).contains("whitespace"), "{}", stderr(&out));
    // The doctor reads stdin the same way: no input.whitespace finding for a plain pipe.
    let out = env
        .cmd()
        .args(["doctor", "-p", "generic-hs256", "--secret-env", "SECRET", "--json"])
        .write_stdin(format!("{TOKEN}\n"))
        .output()
        .expect("runs");
    assert!(!stdout(&out).contains("input.whitespace"), "{}", stdout(&out));
}

#[test]
fn profile_titles_have_no_double_brackets_and_rsa_keys_no_secret_encoding() {
    let env = Env::new();
    let text = stdout(&env.ok(&["profile", "show", "orlo"]));
    let first = text.lines().next().unwrap_or_default();
    assert_eq!(first, "orlo: Orlo live chat widget (RSA)");
    assert!(!text.contains("UTF-8"), "{text}");
    assert!(text.lines().filter(|l| l.starts_with(|c: char| c.is_alphabetic())).all(|l| !l.contains(") (")));
}

#[test]
fn profiles_columns_line_up() {
    let env = Env::new();
    let text = stdout(&env.ok(&["profiles"]));
    let lines: Vec<&str> = text.lines().collect();
    let header = lines.first().expect("a header");
    for col in ["ALGORITHMS", "KEY", "NAME"] {
        let at = header.find(col).expect("column");
        for line in &lines[1..] {
            let before = line.get(at.saturating_sub(2)..at).unwrap_or_default();
            assert_eq!(before, "  ", "column {col} misaligned in {line:?}");
        }
    }
}

#[test]
fn an_alg_that_is_a_number_is_called_a_number() {
    let env = Env::new();
    // {"alg":256}.{}.sig
    let token = "eyJhbGciOjI1Nn0.e30.c2lnbmF0dXJl";
    let out = env.cmd().args(["verify", token, "--secret-env", "SECRET"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("alg is 256, not a string"), "{text}");
    assert!(!text.contains("(missing)"), "{text}");
    let text = stdout(&env.ok(&["decode", token]));
    assert!(text.contains("alg is 256, a number"), "{text}");
}

/// Binary DER is read as a key now (issue 22, item 5); a DER file cut short says so in DER's
/// words, not PEM's (no BEGIN/END lines to copy), for `verify` and `keys import` alike.
#[test]
fn a_der_key_file_cut_short_is_called_binary_der_cut_short() {
    let env = Env::new();
    let der = env.home.path().join("key.der");
    // An ASN.1 SEQUENCE header announcing 1,188 bytes, then three.
    std::fs::write(&der, [0x30, 0x82, 0x04, 0xa4, 0xff, 0xfe, 0x00]).expect("write");
    let out = env.cmd().args(["verify", TOKEN, "--key-file"]).arg(&der).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("the binary DER key is cut short"), "{err}");
    assert!(err.contains("byte for byte"), "{err}");
    assert!(!err.contains("-----BEGIN") && !err.contains("valid UTF-8"), "{err}");
    let out = env.cmd().args(["keys", "import", "der"]).arg(&der).output().expect("runs");
    assert!(stderr(&out).contains("the binary DER key is cut short"), "{}", stderr(&out));
}

#[test]
fn a_jwk_with_a_bad_modulus_names_the_jwk_and_its_n() {
    let env = Env::new();
    let jwk = env.home.path().join("bad.jwk");
    std::fs::write(&jwk, r#"{"kty":"RSA","n":"AQ","e":"AQAB"}"#).expect("write");
    let out = env.cmd().args(["verify", TOKEN, "--key-file"]).arg(&jwk).output().expect("runs");
    let err = stderr(&out);
    assert!(err.contains("JWK") && err.contains("'n'"), "{err}");
    assert!(!err.contains("PKCS#8"), "{err}");
    std::fs::write(&jwk, r#"{"kty":"RSA","e":"AQAB"}"#).expect("write");
    let out = env.cmd().args(["verify", TOKEN, "--key-file"]).arg(&jwk).output().expect("runs");
    assert!(stderr(&out).contains("an RSA JWK needs 'n'"), "{}", stderr(&out));
}

#[test]
fn the_rsa_confusion_finding_reads_as_a_sentence() {
    let env = Env::new();
    let token =
        std::fs::read_to_string(fixture("doctor/generic-hs256-with-rsa-public-key.jwt")).expect("fixture");
    let out = env
        .cmd()
        .args(["doctor", "-p", "generic-hs256", "--key-file"])
        .arg(fixture("keys/rsa2048-pub-spki.pem"))
        .arg(token.trim())
        .output()
        .expect("runs");
    let text = stdout(&out);
    assert!(text.contains("a public key's PEM text used as the HMAC secret"), "{text}");
    assert!(!text.contains("'s public key as"), "{text}");
}

#[test]
fn a_base64_key_has_one_length_the_decoded_one() {
    let env = Env::new();
    // 44 characters of base64, 33 bytes decoded.
    let b64 = "YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY3";
    let add = env
        .cmd()
        .args(["keys", "add", "b64", "--secret-stdin", "--base64"])
        .write_stdin(b64)
        .output()
        .expect("runs");
    assert!(stderr(&add).contains("33 bytes"), "{}", stderr(&add));
    let list = stdout(&env.ok(&["keys", "list"]));
    assert!(list.contains("33 bytes decoded from base64"), "{list}");
    assert!(!list.contains("44 bytes"), "{list}");
}

#[test]
fn snippet_takes_secret_base64_as_sign_does() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["snippet", "-p", "generic-hs256", "--flavor", "node", "--secret-file"])
        .arg(fixture("keys/hmac-secret-b64.txt"))
        .arg("--secret-base64")
        .output()
        .expect("runs");
    assert!(!stderr(&out).contains("unexpected argument"), "{}", stderr(&out));
}

#[test]
fn decode_notes_duplicate_members_and_says_milliseconds_once() {
    let env = Env::new();
    let Some(token) = pyjwt(r#"{"sub":"1","iat":1700000000000}"#, FIXTURE_SECRET) else { return };
    let text = stdout(&env.ok(&["decode", &token]));
    assert_eq!(text.matches("looks like milliseconds").count(), 1, "{text}");
    // {"alg":"HS256","alg":"HS256"} by hand: serializers cannot write a duplicate member.
    let token = "eyJhbGciOiJIUzI1NiIsImFsZyI6IkhTMjU2In0.e30.c2lnbmF0dXJl";
    let out = env.ok(&["decode", token]);
    assert!(stderr(&out).contains("header.alg given twice (json.duplicate-member)"), "{}", stderr(&out));
}

#[test]
fn an_unknown_key_name_says_where_to_look() {
    let env = Env::new();
    let out = env.cmd().args(["keys", "show", "nope"]).output().expect("runs");
    assert!(stderr(&out).contains("tokensmith keys add NAME"), "{}", stderr(&out));
    env.ok(&["keys", "gen", "demo", "--kind", "hmac"]);
    let out = env.cmd().args(["keys", "show", "nope"]).output().expect("runs");
    let err = stderr(&out);
    assert!(err.contains("the keys are demo") && err.contains("tokensmith keys list"), "{err}");
}

#[test]
fn usage_does_not_show_home_as_required_when_the_variable_sets_it() {
    let env = Env::new();
    let out = env.cmd().arg("sign").output().expect("runs");
    let err = stderr(&out);
    assert!(err.contains("Usage: tokensmith sign --profile <ID>"), "{err}");
    assert!(!err.contains("--home <DIR>"), "{err}");
}

#[test]
fn color_follows_the_flag_and_no_color() {
    let env = Env::new();
    let run = |args: &[&str], no_color: Option<&str>| {
        let mut cmd = env.cmd();
        cmd.env_remove("NO_COLOR");
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        stderr(&cmd.args(args).output().expect("runs"))
    };
    let bad = ["profile", "show", "nope"];
    let with = |flag: &'static str| -> Vec<&'static str> { [&["--color", flag][..], &bad[..]].concat() };
    assert!(run(&with("always"), None).contains("\x1b[1;31merror:"));
    assert!(run(&with("always"), Some("1")).contains("\x1b["), "always wins over NO_COLOR");
    assert!(!run(&with("never"), None).contains('\x1b'));
    // auto: stderr is a pipe here, so no colour, with or without NO_COLOR.
    assert!(!run(&with("auto"), None).contains('\x1b'));
    assert!(!run(&bad, Some("1")).contains('\x1b'));
    // The flag is global: after the verb too, and clap's own errors follow it.
    assert!(run(&["profile", "show", "nope", "--color=always"], None).contains("\x1b["));
    assert!(run(&["--color", "always", "sign"], None).contains("\x1b["));
    assert!(!run(&["--color", "never", "sign"], None).contains('\x1b'));
}

#[test]
fn doctor_markdown_leaves_out_the_signature_and_the_secret() {
    let env = Env::new();
    let Some(token) =
        pyjwt(r#"{"sub":"u42","email":"ada@example.com","iat":1767225600,"exp":1767225900}"#, FIXTURE_SECRET)
    else {
        return;
    };
    let out = env
        .cmd()
        .args([
            "doctor",
            "-p",
            "generic-hs256",
            "--secret-env",
            "SECRET",
            "--at",
            "1767225660",
            "--format",
            "markdown",
            &token,
        ])
        .output()
        .expect("runs");
    let md = stdout(&out);
    let signature = token.rsplit('.').next().expect("three parts");
    assert!(!md.contains(signature), "{md}");
    assert!(!md.contains(FIXTURE_SECRET), "{md}");
    assert!(!md.contains(&token), "{md}");
    for part in [
        "## tokensmith doctor",
        "### Header",
        "### Payload",
        "\"email\": \"ada@example.com\"",
        "### Times",
        "expires in 4m",
        "### Findings",
        "signature.valid",
        "fix:",
    ] {
        assert!(md.contains(part), "missing {part:?}:\n{md}");
    }
    // --json stays, as an alias of --format json.
    let json = env
        .cmd()
        .args(["doctor", "-p", "generic-hs256", "--secret-env", "SECRET", "--json", &token])
        .output()
        .expect("runs");
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert!(value["findings"].is_array());
}

#[test]
fn the_bash_completion_script_loads_and_completes_verbs_and_profile_ids() {
    let env = Env::new();
    let bin = assert_cmd::cargo::cargo_bin("tokensmith");
    let dir = bin.parent().expect("the binary's folder");
    let script = stdout(&env.ok(&["completions", "bash"]));
    assert!(script.contains("complete "), "{script}");
    let file = env.home.path().join("tokensmith.bash");
    std::fs::write(&file, script).expect("write");
    let test = format!(
        r#"export PATH="{dir}:$PATH" TOKENSMITH_HOME="{home}"
source "{file}" || exit 3
complete -p tokensmith || exit 4
COMP_WORDS=(tokensmith si); COMP_CWORD=1; COMP_LINE="tokensmith si"; COMP_POINT=13
_clap_complete_tokensmith tokensmith si tokensmith
echo "verbs:${{COMPREPLY[*]}}"
COMP_WORDS=(tokensmith sign --profile ti); COMP_CWORD=3
_clap_complete_tokensmith tokensmith ti --profile
echo "profiles:${{COMPREPLY[*]}}"
"#,
        dir = dir.display(),
        home = env.home.path().display(),
        file = file.display()
    );
    let mut child = std::process::Command::new("bash")
        .args(["--norc", "--noprofile"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(child) = child.as_mut() else {
        skip_missing("bash");
        return;
    };
    child.stdin.take().expect("stdin").write_all(test.as_bytes()).expect("write");
    let out = child_output(child);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}{}", stderr(&out));
    assert!(text.contains("-F _clap_complete_tokensmith tokensmith"), "{text}");
    assert!(text.contains("verbs:sign\n"), "{text}");
    assert!(text.contains("profiles:ticketping tiledesk\n"), "{text}");
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let script = stdout(&env.ok(&["completions", shell]));
        assert!(script.contains("TOKENSMITH_COMPLETE"), "{shell}: {script}");
    }
}

fn child_output(child: &mut std::process::Child) -> Output {
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    use std::io::Read as _;
    if let Some(mut s) = child.stdout.take() {
        s.read_to_end(&mut stdout).expect("read");
    }
    if let Some(mut s) = child.stderr.take() {
        s.read_to_end(&mut stderr).expect("read");
    }
    let status = child.wait().expect("wait");
    Output { status, stdout, stderr }
}

#[test]
fn the_man_page_has_a_title_and_every_verb_and_groff_parses_it() {
    let env = Env::new();
    let page = stdout(&env.ok(&["man"]));
    assert!(page.contains(".TH tokensmith 1"), "{page}");
    for verb in [
        "profiles",
        "profile show",
        "sign",
        "decode",
        "verify",
        "doctor",
        "snippet",
        "keys list",
        "paths",
        "history",
        "completions",
        "man",
    ] {
        assert!(
            page.contains(&format!(".SS \"tokensmith {}\"", verb.replace('-', "\\-"))),
            "no section for {verb}"
        );
    }
    let groff = std::process::Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut groff) = groff else {
        skip_missing("groff");
        return;
    };
    groff.stdin.take().expect("stdin").write_all(page.as_bytes()).expect("write");
    let out = groff.wait_with_output().expect("groff runs");
    assert!(out.status.success());
    assert!(out.stderr.is_empty(), "groff warns: {}", stderr(&out));
}
