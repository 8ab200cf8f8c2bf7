//! The token doctor against tokens made by PyJWT, node's jsonwebtoken and by hand
//! (tests/fixtures/doctor, made by its make.sh): each case has one mistake, and the doctor
//! must report exactly the finding codes its manifest entry expects.

use std::path::PathBuf;

use serde::Deserialize;
use tokensmith::doctor::{Candidate, Report, diagnose};
use tokensmith::profile::ProfileSet;
use tokensmith::secret::Secret;
use tokensmith::token::{KeyMaterial, parse_pem};

#[derive(Debug, Deserialize)]
struct Case {
    file: String,
    made_by: String,
    profile: String,
    key: KeySpec,
    at: i64,
    expect: Vec<String>,
    why: String,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum KeySpec {
    Secret {
        path: String,
        #[serde(default = "yes")]
        utf8: bool,
    },
    Pem {
        path: String,
    },
    None,
}

fn yes() -> bool {
    true
}

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(fixtures().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn cases() -> Vec<Case> {
    let cases: Vec<Case> = serde_json::from_str(&read("doctor/manifest.json")).expect("doctor/manifest.json");
    assert!(cases.len() >= 30, "only {} cases in doctor/manifest.json", cases.len());
    cases
}

fn candidates(key: &KeySpec) -> Vec<Candidate> {
    let (name, key, text) = match key {
        KeySpec::None => return Vec::new(),
        KeySpec::Secret { path, utf8 } => {
            let text = read(path);
            let key = if *utf8 {
                KeyMaterial::hmac(Secret::new(text.clone().into_bytes()))
            } else {
                KeyMaterial::hmac_base64(&text)
            };
            let key = key.unwrap_or_else(|e| panic!("{path}: {e}"));
            (format!("--secret-file {path}"), key, Some(Secret::new(text.into_bytes())))
        }
        KeySpec::Pem { path } => {
            let key = parse_pem(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}")).material;
            (format!("--key-file {path}"), key, None)
        }
    };
    vec![Candidate { name, key, text, explicit: true }]
}

fn run(case: &Case, profiles: &ProfileSet) -> Report {
    let profile = profiles.get(&case.profile).expect("the case's profile is built in");
    let token = read(&format!("doctor/{}", case.file));
    diagnose(&token, profile, &candidates(&case.key), &[], case.at)
}

fn describe(report: &Report) -> String {
    report
        .findings
        .iter()
        .map(|f| {
            format!(
                "    {} {} [{}]: {} -- {}",
                f.severity,
                f.code,
                f.subject.as_deref().unwrap_or("-"),
                f.found,
                f.fix
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_case_gets_exactly_its_expected_findings() {
    let profiles = ProfileSet::load(None);
    let mut failures = Vec::new();
    let cases = cases();
    for case in &cases {
        let report = run(case, &profiles);
        let mut got: Vec<&str> = report.codes();
        got.sort_unstable();
        let mut want: Vec<&str> = case.expect.iter().map(String::as_str).collect();
        want.sort_unstable();
        if got != want {
            failures.push(format!(
                "{} (profile {}, {}): {}\n  expected {want:?}\n  got      {got:?}\n  findings:\n{}",
                case.file,
                case.profile,
                case.made_by,
                case.why,
                describe(&report)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} doctor cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn the_correct_tokens_pass() {
    let profiles = ProfileSet::load(None);
    let ok: Vec<Case> = cases().into_iter().filter(|c| c.file.ends_with("-ok.jwt")).collect();
    assert_eq!(ok.len(), 5, "tiledesk, ticketping, talla, viasocket and orlo each have an -ok case");
    for case in &ok {
        let report = run(case, &profiles);
        assert!(report.passes(), "{} should pass under {}:\n{}", case.file, case.profile, describe(&report));
        assert!(report.verified_with.is_some(), "{}: no key verified it:\n{}", case.file, describe(&report));
    }
}

#[test]
fn without_iat_the_lifetime_is_measured_from_the_judging_time() {
    let profiles = ProfileSet::load(None);
    let ticketping = profiles.get("ticketping").expect("profile");
    let secret = b"ticketping-secret-for-the-lifetime-test".to_vec();
    let key = KeyMaterial::hmac(Secret::new(secret.clone())).expect("key");
    let at = 1_767_225_600;
    let payload = serde_json::json!({"external_id": "1", "email": "a@b.co", "exp": at + 3600});
    let token = tokensmith::token::sign(
        &tokensmith::token::header(tokensmith::token::Alg::HS256, Some("JWT"), None),
        payload.as_object().expect("object"),
        &key,
        tokensmith::token::Alg::HS256,
    )
    .expect("signs");
    let candidate = Candidate { name: "secret".into(), key, text: Some(Secret::new(secret)), explicit: true };
    let report = diagnose(&token, ticketping, &[candidate], &[], at);
    assert_eq!(report.codes(), ["time.lifetime-recommended", "signature.valid"]);
    assert!(report.findings[0].found.contains("1h after now"), "{}", report.findings[0].found);
}
