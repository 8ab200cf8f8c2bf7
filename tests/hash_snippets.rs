//! Identity-hash (scheme C) and vendor-issued (scheme D, HubSpot) profiles: golden files for
//! their snippets; the generated hash code run in each language CI has, whose hash must equal
//! tokensmith's and Python's `hmac`; and the CLI (`hash`, `doctor --hash`, `sign` refusing).
//!
//! Where a language is missing the test says so and skips, unless TOKENSMITH_REQUIRE_TOOLS=1.

mod common;

use std::path::Path;
use std::process::Command;

use serde_json::{Map, Value};
use tokensmith::claims::{BuildContext, ClaimSchema, build_payload};
use tokensmith::hash::{identity_hash, pick_identifier};
use tokensmith::profile::{Profile, ProfileSet, Scheme};
use tokensmith::snippet::server::Lang;
use tokensmith::snippet::{SnippetInput, flavors, render};

const NOW: i64 = 1_767_225_600;
const SECRET: &str = "tokensmith-hash-secret-0123456789abcdef";
const HASH_PROFILES: [&str; 5] = ["intercom-hash", "helpscout", "front", "chatwoot", "crisp"];

fn profile(id: &str) -> Profile {
    ProfileSet::load(None).get(id).cloned().unwrap_or_else(|e| panic!("{e}"))
}

/// The values the page passes (the profile's defaults).
fn values(profile: &Profile) -> Map<String, Value> {
    let mut uuid = || "00000000-0000-4000-8000-000000000000".to_string();
    let params = profile.resolve_params(&[]).expect("params");
    let mut ctx = BuildContext { now: NOW, uuid: &mut uuid, params: &params };
    let schema = ClaimSchema { profile: &profile.id, fields: &profile.claims, allow_extra: true };
    build_payload(&schema, &[], &mut ctx).expect("values")
}

/// Python's hmac, an implementation independent of ours.
fn python_hmac(secret: &str, identifier: &str) -> Option<String> {
    let out = common::python()
        .args([
            "-c",
            "import hmac, hashlib, sys; print(hmac.new(sys.argv[1].encode(), sys.argv[2].encode(), hashlib.sha256).hexdigest())",
            secret,
            identifier,
        ])
        .output()
        .ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

#[test]
fn the_scheme_c_and_d_profiles_load_with_their_rules() {
    let set = ProfileSet::load(None);
    for id in HASH_PROFILES {
        let p = set.get(id).expect("profile");
        assert_eq!(p.scheme, Scheme::IdentityHash, "{id}");
        assert!(p.algorithms.is_empty() && p.hash.is_some(), "{id}");
    }
    let hubspot = set.get("hubspot").expect("hubspot");
    assert_eq!(hubspot.scheme, Scheme::VendorIssued);
    let issued = hubspot.issued.as_ref().expect("[issued]");
    assert_eq!(issued.lifetime.as_ref().map(|l| l.value.0), Some(12 * 3600));
    assert!(issued.origin.value.contains("/conversations/v3/visitor-identification/tokens/create"));
    assert!(hubspot.notes.iter().any(|n| n.contains("unconfirmed")));
    // Intercom hashes the user id, else the email (intercom-rails' script_tag.rb: enforced).
    let intercom = set.get("intercom-hash").expect("intercom-hash");
    let rules = intercom.hash.as_ref().expect("hash");
    assert_eq!(
        rules.identifier.value.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["user_id", "email"]
    );
    assert!(intercom.source(rules.identifier.source.as_deref()).enforced);
    let mut no_id = values(intercom);
    no_id.remove("user_id");
    // The email is optional, so the default payload has none: the user set one.
    no_id.insert("email".to_string(), serde_json::json!("ada@example.com"));
    assert_eq!(
        pick_identifier(intercom, &no_id).expect("email"),
        ("email".to_string(), "ada@example.com".to_string())
    );
}

#[test]
fn golden_files_for_every_hash_and_hubspot_flavour() {
    for id in HASH_PROFILES {
        let p = profile(id);
        let values = values(&p);
        let (_, identifier) = pick_identifier(&p, &values).expect("identifier");
        let hash = identity_hash(SECRET.as_bytes(), &identifier);
        let params = p.resolve_params(&[]).expect("params");
        for flavor in flavors(&p) {
            let input = SnippetInput { profile: &p, token: &hash, payload: &values, params: &params };
            let text = render(&input, &flavor.name).unwrap_or_else(|e| panic!("{id} {}: {e}", flavor.name));
            assert!(!text.contains(SECRET), "{id} {} holds the secret", flavor.name);
            if flavor.kind == tokensmith::snippet::FlavorKind::Embed {
                assert!(text.contains(&hash), "{id} {} lacks the hash", flavor.name);
            }
            insta::assert_snapshot!(format!("{id}__{}", flavor.name), text);
        }
    }
    let hubspot = profile("hubspot");
    let names: Vec<String> = flavors(&hubspot).into_iter().map(|f| f.name).collect();
    assert_eq!(names, ["html"], "HubSpot issues its tokens: no server code to generate");
    let payload: Map<String, Value> =
        serde_json::from_value(serde_json::json!({"email": "ada@example.com"})).expect("map");
    let input = SnippetInput { profile: &hubspot, token: "a.b.c", payload: &payload, params: &[] };
    let text = render(&input, "html").expect("renders");
    for needle in [
        "loadImmediately: false",
        "identificationEmail: \"ada@example.com\"",
        "identificationToken: \"a.b.c\"",
        "window.HubSpotConversations.widget.load()",
        "unconfirmed",
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
    insta::assert_snapshot!("hubspot__html", text);
}

fn tool_works(program: &str, args: &[&str]) -> bool {
    Command::new(program).args(args).output().is_ok_and(|o| o.status.success())
}

fn toolchain(lang: Lang) -> Result<(&'static str, &'static str), &'static str> {
    let (ok, program, file) = match lang {
        Lang::Node => (tool_works("node", &["--version"]), "node", "identity-hash.js"),
        Lang::Python => (tool_works("python3", &["--version"]), "python3", "identity_hash.py"),
        Lang::Ruby => (tool_works("ruby", &["-e", "require 'openssl'"]), "ruby", "identity_hash.rb"),
        Lang::Php => (
            tool_works("php", &["-r", "exit(function_exists('hash_hmac') ? 0 : 1);"]),
            "php",
            "identity_hash.php",
        ),
        Lang::Go => (tool_works("go", &["version"]), "go", "identity_hash.go"),
        Lang::Java => (tool_works("javac", &["-version"]), "java", "IdentityHash.java"),
        Lang::CSharp => (false, "dotnet", "IdentityHash.cs"),
    };
    if ok { Ok((program, file)) } else { Err(lang.flavor()) }
}

fn run_code(
    lang: Lang,
    program: &str,
    file: &Path,
    env_var: &str,
    identifier: &str,
) -> Result<String, String> {
    let mut cmd = Command::new(program);
    match lang {
        Lang::Go => {
            cmd.arg("run").env("GOFLAGS", "-mod=mod").env("GOPROXY", "off").env("GO111MODULE", "off");
        }
        Lang::Java => {
            cmd.args(["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]);
        }
        _ => {}
    }
    let out = cmd
        .arg(file)
        .args(["--print", identifier])
        .current_dir(file.parent().expect("folder"))
        .env(env_var, SECRET)
        .output()
        .map_err(|e| format!("{program}: {e}"))?;
    if !out.status.success() {
        return Err(format!("exit {}: {}", out.status, String::from_utf8_lossy(&out.stderr)));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

#[test]
fn generated_hash_code_computes_the_same_hash_as_tokensmith_and_python() {
    let root = tempfile::tempdir().expect("tempdir");
    let identifiers = ["4242", "Ada.Lovelace+chat@example.com", "ünïcode id"];
    let mut failures = Vec::new();
    let mut ran = 0;
    for lang in [Lang::Node, Lang::Python, Lang::Ruby, Lang::Php, Lang::Go, Lang::Java] {
        let (program, file) = match toolchain(lang) {
            Ok(found) => found,
            Err(missing) => {
                common::skip_missing(missing);
                continue;
            }
        };
        // The code differs between profiles only in names and fields: two profiles suffice to
        // run (Front hashes the id else the email, Help Scout the email), all render.
        for id in HASH_PROFILES {
            let p = profile(id);
            let values = values(&p);
            let input = SnippetInput { profile: &p, token: "", payload: &values, params: &[] };
            let code = render(&input, lang.flavor()).expect("renders");
            if !["front", "helpscout"].contains(&id) {
                continue;
            }
            let dir = root.path().join(format!("{}-{id}", lang.flavor()));
            std::fs::create_dir_all(&dir).expect("dir");
            let path = dir.join(file);
            std::fs::write(&path, format!("{code}\n")).expect("write");
            if lang == Lang::Go {
                let diff = Command::new("gofmt").arg("-l").arg(&path).output().expect("gofmt");
                if !diff.stdout.is_empty() {
                    failures.push(format!("go {id}: not gofmt-clean"));
                }
            }
            for identifier in identifiers {
                ran += 1;
                let ours = identity_hash(SECRET.as_bytes(), identifier);
                match run_code(lang, program, &path, &tokensmith::snippet::env_var(&p), identifier) {
                    Ok(theirs) if theirs == ours => {}
                    Ok(theirs) => {
                        failures.push(format!("{} {id} '{identifier}': {theirs} != {ours}", lang.flavor()))
                    }
                    Err(e) => failures.push(format!("{} {id}: {e}", lang.flavor())),
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!("{ran} hashes from generated code");
    // Ours against Python's hmac, independently.
    match python_hmac(SECRET, "Ada.Lovelace+chat@example.com") {
        Some(py) => assert_eq!(py, identity_hash(SECRET.as_bytes(), "Ada.Lovelace+chat@example.com")),
        None => common::skip_missing("python3"),
    }
}
