//! The token doctor against tokens made by PyJWT, node's jsonwebtoken and by hand
//! (tests/fixtures/doctor, made by its make.sh): each case has one mistake, and the doctor
//! must report exactly the findings its manifest entry expects: code, severity, and the id of
//! the source the finding's rule names. A case marked `bug` is one the doctor gets wrong today
//! (reported to the lead): its codes are checked here, its full expectation in an ignored test.

mod common;

use std::path::PathBuf;

use serde::Deserialize;
use tokensmith::doctor::{Candidate, Finding, Report, Severity, diagnose};
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
    expect: Vec<Expected>,
    why: String,
    /// The customer's parameter values (`doctor --param`).
    #[serde(default)]
    params: Vec<(String, String)>,
    /// Set when the doctor gets this case wrong today: what is wrong.
    #[serde(default)]
    bug: Option<String>,
}

/// One expected finding.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
struct Expected {
    code: String,
    severity: String,
    /// The id of the source the finding must name; None: it names none.
    source: Option<String>,
}

impl Expected {
    fn of(f: &Finding) -> Expected {
        Expected {
            code: f.code.to_string(),
            severity: f.severity.to_string(),
            source: f.source.as_ref().map(|s| s.id.clone()),
        }
    }
}

impl std::fmt::Display for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} @{}", self.severity, self.code, self.source.as_deref().unwrap_or("-"))
    }
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
    diagnose(&token, profile, &candidates(&case.key), &case.params, case.at)
}

fn describe(report: &Report) -> String {
    common::describe_findings(report)
}

fn sorted(mut list: Vec<Expected>) -> Vec<Expected> {
    list.sort();
    list
}

fn show(list: &[Expected]) -> String {
    list.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

/// The cases whose findings differ from what they expect: all of each finding, or (`codes_only`)
/// its code.
fn mismatches<'a>(cases: impl Iterator<Item = &'a Case>, codes_only: bool) -> Vec<String> {
    let profiles = ProfileSet::load(None);
    let mut failures = Vec::new();
    for case in cases {
        let report = run(case, &profiles);
        let mut got = sorted(report.findings.iter().map(Expected::of).collect());
        let mut want = sorted(case.expect.clone());
        if codes_only {
            for e in got.iter_mut().chain(want.iter_mut()) {
                e.severity.clear();
                e.source = None;
            }
        }
        if got != want {
            failures.push(format!(
                "{} (profile {}, {}): {}\n  expected [{}]\n  got      [{}]\n  findings:\n{}{}",
                case.file,
                case.profile,
                case.made_by,
                case.why,
                show(&want),
                show(&got),
                describe(&report),
                case.bug.as_ref().map_or(String::new(), |b| format!("\n  known bug: {b}"))
            ));
        }
    }
    failures
}

#[test]
fn every_case_gets_exactly_its_expected_findings() {
    let cases = cases();
    let mut failures = mismatches(cases.iter().filter(|c| c.bug.is_none()), false);
    failures.extend(mismatches(cases.iter().filter(|c| c.bug.is_some()), true));
    assert!(
        failures.is_empty(),
        "{} of {} doctor cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn reported_doctor_bugs_are_fixed() {
    let cases = cases();
    let buggy: Vec<&Case> = cases.iter().filter(|c| c.bug.is_some()).collect();
    let failures = mismatches(buggy.iter().copied(), false);
    assert!(
        failures.is_empty(),
        "{} of {} reported bugs remain:\n\n{}",
        failures.len(),
        buggy.len(),
        failures.join("\n\n")
    );
}

/// The finding with this code in a case's report.
fn finding<'a>(report: &'a Report, code: &str) -> &'a Finding {
    report
        .findings
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code}:\n{}", describe(report)))
}

fn report_for(file: &str) -> Report {
    let profiles = ProfileSet::load(None);
    let cases = cases();
    let case = cases.iter().find(|c| c.file == file).unwrap_or_else(|| panic!("no case {file}"));
    run(case, &profiles)
}

#[test]
fn a_fraction_of_a_second_is_a_warning_that_quotes_its_source() {
    let report = report_for("tiledesk-float-times.jwt");
    assert!(report.passes(), "{}", describe(&report));
    for f in report.findings.iter().filter(|f| f.code == "time.not-integer") {
        assert_eq!(f.severity, Severity::Warning);
        assert!(f.found.contains("seed page"), "the finding should quote the seed page: {}", f.found);
    }
    let ours = finding(&report_for("ticketping-float-exp.jwt"), "time.not-integer").clone();
    assert!(ours.found.contains("tokensmith"), "Ticketping states no integer rule: {}", ours.found);
}

#[test]
fn a_flat_talla_payload_is_one_finding_naming_account() {
    let report = report_for("talla-flat.jwt");
    let nested: Vec<&Finding> = report.findings.iter().filter(|f| f.code == "claim.not-nested").collect();
    assert_eq!(nested.len(), 1, "{}", describe(&report));
    assert_eq!(nested[0].subject.as_deref(), Some("account"));
    for field in ["first_name", "last_name", "email", "uid"] {
        assert!(nested[0].found.contains(field), "{field} unnamed: {}", nested[0].found);
    }
    assert!(!report.codes().contains(&"claim.missing"), "{}", describe(&report));
}

#[test]
fn without_iat_no_fix_says_iat_plus() {
    let profiles = ProfileSet::load(None);
    let cases = cases();
    let without_iat: Vec<&Case> = cases
        .iter()
        .filter(|c| c.bug.is_none())
        .filter(|c| {
            let token = read(&format!("doctor/{}", c.file));
            tokensmith::token::decode(&token).is_ok_and(|d| !d.payload.contains_key("iat"))
        })
        .collect();
    assert!(without_iat.len() >= 4, "only {} cases without iat", without_iat.len());
    for case in without_iat {
        let report = run(case, &profiles);
        for f in &report.findings {
            assert!(
                !f.fix.contains("iat +") && !f.fix.contains("iat+"),
                "{}: {} says {:?}",
                case.file,
                f.code,
                f.fix
            );
        }
    }
}

#[test]
fn tiledesks_five_minutes_are_ours_not_tiledesks() {
    let report = report_for("tiledesk-lifetime-recommended.jwt");
    let f = finding(&report, "time.lifetime-recommended");
    assert_eq!(f.source.as_ref().map(|s| s.id.as_str()), Some("ours"));
    assert!(f.found.contains("tokensmith"), "{}", f.found);
    assert!(!f.found.contains("Tiledesk"), "the 5 minutes are not Tiledesk's: {}", f.found);
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

/// Tiledesk, from tiledesk-server's routes/auth.js and routes/jwt.js (issue 21): a role of
/// owner, admin or agent signs the visitor in as an agent (an error); the token is kept as the
/// widget's session, so the doctor says when exp signs the visitor out; the 10-minute limit is
/// the /jwt/decode route's (and the seed page's), a warning for the widget's sign-in.
#[test]
fn tiledesk_flags_an_agent_role_says_exp_ends_the_session_and_warns_on_the_decode_routes_limit() {
    let env = common::Env::new();
    let findings = |extra: &[&str]| -> Vec<(String, String, String)> {
        let mut sign =
            vec!["sign", "-p", "tiledesk", "--secret-env", "SECRET", "--param", "project_id=65f0c0ffee"];
        sign.extend_from_slice(extra);
        let token = String::from_utf8_lossy(&env.ok(&sign).stdout).trim().to_string();
        let out = env
            .cmd()
            .args(["doctor", "-p", "tiledesk", "--secret-env", "SECRET", "--param", "project_id=65f0c0ffee"])
            .args(["--json", &token])
            .output()
            .expect("runs");
        let report = common::stdout_json(&out);
        report["findings"]
            .as_array()
            .map(|all| {
                all.iter()
                    .filter(|f| f["code"] != "signature.valid")
                    .map(|f| {
                        let text = |k: &str| f[k].as_str().unwrap_or_default().to_string();
                        (
                            text("severity"),
                            text("code"),
                            f["source"]["id"].as_str().unwrap_or_default().to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let session = ("info".to_string(), "time.session".to_string(), "signin".to_string());
    assert_eq!(findings(&[]), vec![session.clone()]);
    assert_eq!(findings(&["-c", "role=user"]), vec![session.clone()]);
    for role in ["owner", "admin", "agent"] {
        let role = format!("role={role}");
        let found = findings(&["-c", &role]);
        assert!(
            found.contains(&("error".into(), "claim.forbidden-value".into(), "signin".into())),
            "{role}: {found:?}"
        );
    }
    let long = findings(&["--ttl", "20m"]);
    assert!(
        long.contains(&("warning".into(), "time.lifetime-max".into(), "decode-route".into())),
        "{long:?}"
    );
    assert!(!long.iter().any(|(severity, ..)| severity == "error"), "{long:?}");
}
