//! Tests that play the vendor's side ("Vendor truth", item 7): tokensmith's tokens go to the
//! vendor's own acceptor or to a checker written from the vendor's page, and the vendor's own
//! samples go to tokensmith's `verify` and doctor.
//!
//! - Tiledesk: `tests/vendors/tiledesk_acceptor.js` follows tiledesk-server's
//!   `middleware/passport.js` (see its header). It takes the tokens `tokensmith sign` and the
//!   workbench's signing pipeline make, refuses the seed page's shape and the usual mistakes
//!   with the server's reason, and the doctor must agree with it, case by case.
//! - The seed pages' Node and Python samples, re-typed in `tests/vendors` to run without a
//!   network, make tokens that `verify` and the doctor accept without an error; Tiledesk's
//!   seed sample is the exception (its server refuses it), and the doctor must say exactly why.
//! - The other way round, `tokensmith sign --profile X` for the five seed vendors passes
//!   `tests/vendors/seed_rules.py`, a PyJWT checker written from the seed pages alone.
//!
//! Node's jsonwebtoken and PyJWT come from `.ci/run`; where one is missing a test says so and
//! returns early, unless TOKENSMITH_REQUIRE_TOOLS=1 (set by `.ci/run`), which fails it.

mod common;

use std::process::Output;

use common::{
    Env, FIXTURE_SECRET, fixture, node, node_has_jsonwebtoken, python, python_has_pyjwt, skip_missing,
    stdout_json, tiledesk_acceptor_ready, tiledesk_accepts, tiledesk_verdict, vendors,
};
use serde_json::{Value, json};
use tokensmith::doctor::{Candidate, Report, Severity, diagnose};
use tokensmith::profile::{Profile, ProfileSet};
use tokensmith::secret::Secret;
use tokensmith::sign::{SignRequest, sign};
use tokensmith::token::{self, Alg, KeyMaterial, parse_pem};

/// 2026-01-01 00:00:00 UTC: the time the acceptor and the doctor judge hand-made tokens at.
const NOW: i64 = 1_767_225_600;
/// The customer's Tiledesk project (a Mongo ObjectId, as Tiledesk's ids are); its JWT secret is
/// FIXTURE_SECRET, which `Env` also sets as `$SECRET` for the binary.
const PROJECT: &str = "65a1b2c3d4e5f60718293a4b";
/// Another project on the same server, with its own secret.
const OTHER_PROJECT: &str = "75b2c3d4e5f60718293a4b5c";
const OTHER_SECRET: &str = "the-other-projects-jwt-secret-0123456789ab";

fn projects() -> [(&'static str, &'static str); 2] {
    [(PROJECT, FIXTURE_SECRET), (OTHER_PROJECT, OTHER_SECRET)]
}

fn profile(id: &str) -> Profile {
    ProfileSet::load(None).get(id).expect("built-in profile").clone()
}

fn hmac(secret: &str) -> KeyMaterial {
    KeyMaterial::hmac(Secret::new(secret.as_bytes().to_vec())).expect("secret")
}

fn rsa_private() -> KeyMaterial {
    let pem = std::fs::read_to_string(fixture("keys/rsa2048-pkcs8.pem")).expect("key fixture");
    parse_pem(&pem).expect("pem").material
}

/// A token for this payload, made by tokensmith's low-level signer (no profile rules).
fn signed(payload: &Value, key: &KeyMaterial, alg: Alg) -> String {
    let payload = payload.as_object().expect("a payload object");
    token::sign(&token::header(alg, Some("JWT"), None), payload, key, alg).expect("signs")
}

fn hs256(payload: &Value, secret: &str) -> String {
    signed(payload, &hmac(secret), Alg::HS256)
}

fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The payload Tiledesk's server accepts for PROJECT, with what the seed page asks for too,
/// issued at NOW; `changes` replaces claims, and a null removes one.
fn tiledesk_payload(changes: Value) -> Value {
    let mut payload = json!({
        "_id": format!("{PROJECT}_user-123456"),
        "sub": "userexternal",
        "aud": format!("https://tiledesk.com/projects/{PROJECT}"),
        "email": "jane@example.com",
        "name": "Jane Doe",
        "external_id": "user-123456",
        "iat": NOW,
        "exp": NOW + 300,
    });
    let map = payload.as_object_mut().expect("object");
    for (name, value) in changes.as_object().expect("changes object") {
        if value.is_null() {
            map.remove(name);
        } else {
            map.insert(name.clone(), value.clone());
        }
    }
    payload
}

/// The doctor's report on a token under a profile, with one secret and the customer's
/// parameter values, judged at `at`.
fn doctor(token: &str, profile_id: &str, key: KeyMaterial, params: &[(&str, &str)], at: i64) -> Report {
    let candidate = Candidate { name: "the vendor's key".into(), key, text: None, explicit: true };
    let params: Vec<(String, String)> = params.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
    diagnose(token, &profile(profile_id), &[candidate], &params, at)
}

fn describe(report: &Report) -> String {
    common::describe_findings(report)
}

// ---- The binary ----

fn sign_cli(env: &Env, args: &[&str]) -> String {
    let mut all = vec!["sign"];
    all.extend_from_slice(args);
    String::from_utf8(env.ok(&all).stdout).expect("utf-8").trim().to_string()
}

/// `tokensmith doctor TOKEN --profile ID --secret-env SECRET --json` plus `extra`: the exit
/// code and the report.
fn doctor_cli(env: &Env, token: &str, profile_id: &str, extra: &[&str]) -> (Option<i32>, Value) {
    let out: Output = env
        .cmd()
        .args(["doctor", token, "--profile", profile_id, "--secret-env", "SECRET", "--json"])
        .args(extra)
        .output()
        .expect("runs");
    (out.status.code(), stdout_json(&out))
}

/// The errors of a `doctor --json` report, as "code [subject] @source".
fn cli_errors(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| {
            format!(
                "{} [{}] @{}",
                f["code"].as_str().unwrap_or("?"),
                f["subject"].as_str().unwrap_or("-"),
                f["source"]["id"].as_str().unwrap_or("-")
            )
        })
        .collect()
}

// ---- Tiledesk's acceptor ----

#[test]
fn tiledesk_accepts_the_token_tokensmith_sign_makes() {
    if !tiledesk_acceptor_ready() {
        return;
    }
    let env = Env::new();
    let token = sign_cli(
        &env,
        &["--profile", "tiledesk", "--param", &format!("project_id={PROJECT}"), "--secret-env", "SECRET"],
    );
    assert_eq!(tiledesk_accepts(&token, PROJECT, FIXTURE_SECRET), Ok(()));
    // As generated server code prints it (a newline), and as the page passes it ("JWT " first).
    assert_eq!(tiledesk_accepts(&format!("{token}\n"), PROJECT, FIXTURE_SECRET), Ok(()));
    assert_eq!(tiledesk_accepts(&format!("JWT {token}"), PROJECT, FIXTURE_SECRET), Ok(()));
    let verdict = tiledesk_verdict(&format!("JWT {token}"), &projects(), None);
    assert_eq!(
        verdict.secret.as_deref(),
        Some(format!("project {PROJECT}'s secret (from aud)").as_str()),
        "{verdict:?}"
    );
    // The hook is no rubber stamp: another project's secret, or another project, is refused.
    let refused = tiledesk_accepts(&token, PROJECT, OTHER_SECRET).expect_err("the wrong secret");
    assert!(refused.contains("invalid signature"), "{refused}");
    let refused = tiledesk_accepts(&token, OTHER_PROJECT, FIXTURE_SECRET).expect_err("an unknown project");
    assert!(refused.contains("Project not found"), "{refused}");
}

#[test]
fn tiledesk_accepts_the_token_the_workbench_pipeline_makes() {
    if !tiledesk_acceptor_ready() {
        return;
    }
    let tiledesk = profile("tiledesk");
    let key = hmac(FIXTURE_SECRET);
    let params = [("project_id".to_string(), PROJECT.to_string())];
    let mut uuid = || "00000000-0000-4000-8000-000000000000".to_string();
    let request = SignRequest {
        profile: &tiledesk,
        key: &key,
        claims: Vec::new(),
        params: &params,
        ttl: None,
        alg: None,
        kid: None,
        headers: Vec::new(),
        now: NOW,
    };
    let made = sign(request, &mut uuid).expect("the pipeline signs");
    assert!(made.broken.is_empty(), "the default token breaks rules: {:?}", made.broken);
    let verdict = tiledesk_verdict(&format!("JWT {}", made.token), &projects(), Some(NOW));
    assert!(verdict.accepted && verdict.user.as_deref() == Some("external"), "{verdict:?}");
    assert_eq!(verdict.payload.as_ref().and_then(|p| p.as_object()), Some(&made.payload));
    // Five minutes later the server's jsonwebtoken calls it expired (exp is checked).
    let later = tiledesk_verdict(&format!("JWT {}", made.token), &projects(), Some(NOW + 300));
    assert!(!later.accepted && later.reason.contains("jwt expired"), "{later:?}");
}

#[test]
fn tiledesk_refuses_what_its_server_refuses_and_says_why() {
    if !tiledesk_acceptor_ready() {
        return;
    }
    let seed_shape = json!({"name": "Jane Doe", "email": "jane@example.com", "iat": NOW, "exp": NOW + 300,
                            "external_id": "user123456"});
    let ok = hs256(&tiledesk_payload(json!({})), FIXTURE_SECRET);
    // (what, Authorization header, the step that refuses, words the reason must have)
    let cases = [
        (
            "the seed page's shape (no _id, aud or sub)",
            format!("JWT {}", hs256(&seed_shape, FIXTURE_SECRET)),
            "verify",
            vec!["invalid signature", "global secret", "no aud"],
        ),
        (
            "aud and sub but no _id",
            format!("JWT {}", hs256(&tiledesk_payload(json!({"_id": null})), FIXTURE_SECRET)),
            "payload",
            vec!["no _id"],
        ),
        (
            "aud names another project than the one whose secret signed it",
            format!(
                "JWT {}",
                hs256(
                    &tiledesk_payload(
                        json!({"aud": format!("https://tiledesk.com/projects/{OTHER_PROJECT}")})
                    ),
                    FIXTURE_SECRET
                )
            ),
            "verify",
            vec!["invalid signature", OTHER_PROJECT],
        ),
        (
            "the project's secret but no aud",
            format!("JWT {}", hs256(&tiledesk_payload(json!({"aud": null})), FIXTURE_SECRET)),
            "verify",
            vec!["invalid signature", "global secret"],
        ),
        (
            "expired",
            format!(
                "JWT {}",
                hs256(&tiledesk_payload(json!({"iat": NOW - 600, "exp": NOW - 60})), FIXTURE_SECRET)
            ),
            "verify",
            vec!["jwt expired"],
        ),
        (
            "no sub",
            format!("JWT {}", hs256(&tiledesk_payload(json!({"sub": null})), FIXTURE_SECRET)),
            "subject",
            vec!["there is no sub", "Tiledesk's own users"],
        ),
        ("the Bearer scheme", format!("Bearer {ok}"), "extract", vec!["'Bearer'"]),
        ("no scheme at all", ok.clone(), "extract", vec!["no scheme"]),
    ];
    let mut failures = Vec::new();
    for (what, authorization, step, words) in &cases {
        let verdict = tiledesk_verdict(authorization, &projects(), Some(NOW));
        let missing: Vec<&&str> = words.iter().filter(|w| !verdict.reason.contains(**w)).collect();
        if verdict.accepted || verdict.step != *step || !missing.is_empty() {
            failures.push(format!("{what}: expected refusal at '{step}' naming {words:?}; got {verdict:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Tokens the doctor must judge as Tiledesk's server does: accepted as the customer (an
/// external user) or not. Made by tokensmith's low-level signer with the project's secret
/// unless said otherwise, judged at NOW, the doctor told the customer's project id.
fn agreement_cases() -> Vec<(&'static str, String)> {
    let p = |changes: Value| hs256(&tiledesk_payload(changes), FIXTURE_SECRET);
    let rsa = signed(&tiledesk_payload(json!({})), &rsa_private(), Alg::RS256);
    let none = {
        let (header, payload) = (json!({"alg": "none", "typ": "JWT"}), tiledesk_payload(json!({})));
        let b64 = |v: &Value| base64_url(v.to_string().as_bytes());
        format!("{}.{}.", b64(&header), b64(&payload))
    };
    let seed_shape = json!({"name": "Jane Doe", "email": "jane@example.com", "iat": NOW, "exp": NOW + 300,
                            "external_id": "user123456"});
    vec![
        ("the accepted shape", p(json!({}))),
        (
            "the developer docs' shape (no name, external_id, iat or exp)",
            p(
                json!({"name": null, "external_id": null, "iat": null, "exp": null, "firstname": "Jane", "lastname": "Doe"}),
            ),
        ),
        (
            "exp an hour after iat (the seed page's 10 minutes are not the server's)",
            p(json!({"exp": NOW + 3600})),
        ),
        (
            "iat 10 minutes ahead (the seed page's skew is not the server's)",
            p(json!({"iat": NOW + 600, "exp": NOW + 900})),
        ),
        ("times with fractions of a second", p(json!({"iat": NOW as f64 + 0.5, "exp": NOW as f64 + 300.5}))),
        ("external_id an email address", p(json!({"external_id": "jane@example.com"}))),
        ("exp before iat, both ahead", p(json!({"iat": NOW + 60, "exp": NOW + 30}))),
        ("extra attributes", p(json!({"attributes": {"plan": "pro"}}))),
        ("the seed page's shape", hs256(&seed_shape, FIXTURE_SECRET)),
        ("no _id", p(json!({"_id": null}))),
        ("no sub", p(json!({"sub": null}))),
        ("sub 'user'", p(json!({"sub": "user"}))),
        ("sub 'guest' (the server takes a guest, not the customer)", p(json!({"sub": "guest"}))),
        ("no aud", p(json!({"aud": null}))),
        (
            "aud names another project",
            p(json!({"aud": format!("https://tiledesk.com/projects/{OTHER_PROJECT}")})),
        ),
        (
            "aud and _id name a project this server does not have",
            p(json!({"aud": "https://tiledesk.com/projects/85c3d4e5f60718293a4b5c6d",
                      "_id": "85c3d4e5f60718293a4b5c6d_user-123456"})),
        ),
        ("aud not a URL", p(json!({"aud": "tiledesk"}))),
        ("aud the server's own audience", p(json!({"aud": "https://tiledesk.com"}))),
        ("expired", p(json!({"iat": NOW - 600, "exp": NOW - 60}))),
        ("nbf ahead", p(json!({"nbf": NOW + 600}))),
        ("exp a string", p(json!({"exp": (NOW + 300).to_string()}))),
        ("signed with another secret", hs256(&tiledesk_payload(json!({})), OTHER_SECRET)),
        ("signed RS256", rsa),
        ("alg none", none),
        // The doctor gets these wrong today (see KNOWN_DISAGREEMENTS).
        ("_id prefixed by another project", p(json!({"_id": format!("{OTHER_PROJECT}_user-123456")}))),
        ("aud with a trailing slash", p(json!({"aud": format!("https://tiledesk.com/projects/{PROJECT}/")}))),
        (
            "aud on a self-hosted Tiledesk's address",
            p(json!({"aud": format!("https://support.example.org/projects/{PROJECT}")})),
        ),
        ("iat and exp in milliseconds", p(json!({"iat": NOW * 1000, "exp": (NOW + 300) * 1000}))),
        ("_id a number", p(json!({"_id": 42}))),
        (
            "signed HS384 with the project's secret",
            signed(&tiledesk_payload(json!({})), &hmac(FIXTURE_SECRET), Alg::HS384),
        ),
    ]
}

/// Cases where the doctor and Tiledesk's server disagree today, and why the server is right:
/// reported to the lead. Each must still show the server's side (checked below); the doctor's
/// side is checked by the ignored test until it is fixed.
const KNOWN_DISAGREEMENTS: [(&str, &str); 6] = [
    (
        "_id prefixed by another project",
        "passport.js takes _id as it is; the '<PROJECT_ID>_' prefix is the docs' rule (not enforced), yet the doctor errs citing the server",
    ),
    (
        "aud with a trailing slash",
        "the server splits aud's path on '/', so /projects/<id>/ selects the project; the doctor matches aud as text (and, without --param, binds project_id to '<id>/')",
    ),
    (
        "aud on a self-hosted Tiledesk's address",
        "the server reads only aud's path (/projects/<id>), never its host; the doctor insists on https://tiledesk.com",
    ),
    (
        "iat and exp in milliseconds",
        "jsonwebtoken takes exp in milliseconds as a date far ahead (the token never expires) and has no iat rule: accepted, so a warning, not an error",
    ),
    (
        "_id a number",
        "passport.js only checks that _id is defined; the doctor errs 'should be a string' citing the server",
    ),
    (
        "signed HS384 with the project's secret",
        "passport-jwt passes no algorithms, and jsonwebtoken then takes HS256, HS384 and HS512 for a secret; the profile allows HS256 only",
    ),
];

fn known(case: &str) -> Option<&'static str> {
    KNOWN_DISAGREEMENTS.iter().find(|(c, _)| *c == case).map(|(_, why)| *why)
}

/// (case, server accepts it as the customer, doctor passes it, server's reason, doctor's findings)
fn judge_agreement_cases() -> Vec<(&'static str, bool, bool, String, String)> {
    agreement_cases()
        .into_iter()
        .map(|(case, token)| {
            let verdict = tiledesk_verdict(&format!("JWT {token}"), &projects(), Some(NOW));
            let server = verdict.accepted && verdict.user.as_deref() == Some("external");
            let report = doctor(&token, "tiledesk", hmac(FIXTURE_SECRET), &[("project_id", PROJECT)], NOW);
            (case, server, report.passes(), verdict.reason, describe(&report))
        })
        .collect()
}

#[test]
fn the_doctor_agrees_with_tiledesks_server() {
    if !tiledesk_acceptor_ready() {
        return;
    }
    let mut failures = Vec::new();
    for (case, server, doctor_passes, reason, findings) in judge_agreement_cases() {
        match known(case) {
            // The evidence behind each report: the server accepts these.
            Some(why) if !server => {
                failures.push(format!("{case}: reported as accepted by the server ({why}), but: {reason}"))
            }
            Some(_) => {}
            None if server != doctor_passes => failures.push(format!(
                "{case}: the server {} it ({reason}); the doctor {}:\n{findings}",
                if server { "accepts" } else { "refuses" },
                if doctor_passes { "finds no error" } else { "finds errors" },
            )),
            None => {}
        }
    }
    assert!(failures.is_empty(), "{} disagreements:\n\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn reported_disagreements_with_tiledesks_server_are_fixed() {
    if !tiledesk_acceptor_ready() {
        return;
    }
    let failures: Vec<String> = judge_agreement_cases()
        .into_iter()
        .filter(|(case, server, doctor_passes, ..)| known(case).is_some() && server != doctor_passes)
        .map(|(case, _, _, reason, findings)| {
            format!(
                "{case}: the server accepts it ({reason}); the doctor errs:\n{findings}\n  why: {}",
                known(case).unwrap_or("")
            )
        })
        .collect();
    assert!(failures.is_empty(), "{} remain:\n\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn tiledesk_refuses_the_placeholder_project_id_the_default_token_carries() {
    if !tiledesk_acceptor_ready() {
        return;
    }
    // Without --param project_id the token's aud is .../projects/<PROJECT_ID>: no project id.
    let env = Env::new();
    let token = sign_cli(&env, &["--profile", "tiledesk", "--secret-env", "SECRET"]);
    let verdict = tiledesk_verdict(&format!("JWT {token}"), &projects(), None);
    assert!(!verdict.accepted && verdict.step == "secret", "{verdict:?}");
    assert!(verdict.reason.contains("no Mongo ObjectId"), "{verdict:?}");
}

#[test]
fn the_doctor_flags_the_placeholder_project_id() {
    let env = Env::new();
    let token = sign_cli(&env, &["--profile", "tiledesk", "--secret-env", "SECRET"]);
    let (code, report) = doctor_cli(&env, &token, "tiledesk", &[]);
    assert_eq!(code, Some(1), "the server refuses it; the doctor says:\n{report:#}");
    assert!(cli_errors(&report).iter().any(|e| e.contains("[aud]")), "{report:#}");
}

// ---- The seed vendors' own samples ----

/// What a re-typed sample answered.
struct Answer {
    route: Option<String>,
    body: Value,
}

fn run_sample(file: &str, secret_var: &str) -> Answer {
    let mut cmd = if file.ends_with(".py") { python() } else { node() };
    let out = cmd
        .arg(vendors(file))
        .env(secret_var, FIXTURE_SECRET)
        .env("TILEDESK_PROJECT_ID", PROJECT)
        .output()
        .expect("the sample runs");
    assert!(out.status.success(), "{file}: {}", String::from_utf8_lossy(&out.stderr));
    let line = String::from_utf8(out.stdout).expect("utf-8");
    let answer: Value = serde_json::from_str(line.trim())
        .unwrap_or_else(|e| panic!("{file} printed no JSON answer ({e}): {line}"));
    if let Some(status) = answer.get("status") {
        assert_eq!(status, 200, "{file}: {answer}");
    }
    Answer { route: answer["route"].as_str().map(str::to_string), body: answer["body"].clone() }
}

/// The samples whose tokens tokensmith must accept: (file, profile, the secret's variable).
const SAMPLES: [(&str, &str, &str); 6] = [
    ("ticketping_express.js", "ticketping", "TICKETPING_JWT_SECRET"),
    ("ticketping_nextjs.js", "ticketping", "TICKETPING_JWT_SECRET"),
    ("ticketping_fastapi.py", "ticketping", "TICKETPING_JWT_SECRET"),
    ("ticketping_drf.py", "ticketping", "TICKETPING_JWT_SECRET"),
    ("viasocket_express.js", "viasocket", "VIASOCKET_ACCESS_KEY"),
    ("talla_seed.js", "talla", "TALLA_APP_SECRET"),
];

/// Whether the tools a sample needs are here (says so, or fails under
/// TOKENSMITH_REQUIRE_TOOLS=1, when not).
fn sample_tools(file: &str) -> bool {
    let (ready, what) = if file.ends_with(".py") {
        (python_has_pyjwt(), "python3 with PyJWT and cryptography")
    } else {
        (node_has_jsonwebtoken(), "node with the jsonwebtoken package")
    };
    if !ready {
        skip_missing(what);
    }
    ready
}

#[test]
fn the_seed_samples_tokens_pass_verify_and_the_doctor() {
    let env = Env::new();
    let mut failures = Vec::new();
    for (file, profile_id, secret_var) in SAMPLES {
        if !sample_tools(file) {
            continue;
        }
        let answer = run_sample(file, secret_var);
        let vendor = profile(profile_id);
        // The route and the answer's key are the ones the profile's server code uses.
        let key = match &vendor.server {
            Some(server) => {
                if let Some(route) = &answer.route {
                    assert_eq!(route, &server.route, "{file}: the seed's route");
                }
                server.response_key.clone()
            }
            None => "token".to_string(),
        };
        let token = answer.body[key.as_str()]
            .as_str()
            .unwrap_or_else(|| panic!("{file}: no '{key}' in {}", answer.body))
            .to_string();
        let out = env
            .cmd()
            .args(["verify", &token, "--secret-env", "SECRET", "--profile", profile_id, "--json"])
            .output()
            .expect("runs");
        if !out.status.success() {
            failures.push(format!("{file}: verify refuses it: {}", String::from_utf8_lossy(&out.stdout)));
        }
        let (code, report) = doctor_cli(&env, &token, profile_id, &[]);
        let errors = cli_errors(&report);
        if code != Some(0) || !errors.is_empty() || report["verified_with"].is_null() {
            failures
                .push(format!("{file} ({profile_id}): doctor exit {code:?}, errors {errors:?}\n{report:#}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn ticketpings_express_sample_sends_a_numeric_external_id_and_the_doctor_takes_it() {
    if !sample_tools("ticketping_express.js") {
        return;
    }
    // The seed's own samples put user.id in external_id: a number (the stand-in's user is 123).
    let token = run_sample("ticketping_express.js", "TICKETPING_JWT_SECRET").body["jwt"]
        .as_str()
        .expect("jwt")
        .to_string();
    let payload = token::decode(&token).expect("decodes").payload;
    assert_eq!(payload["external_id"], json!(123));
    let report = doctor(&token, "ticketping", hmac(FIXTURE_SECRET), &[], clock_now());
    assert!(!report.codes().contains(&"claim.type"), "{}", describe(&report));
}

fn clock_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

#[test]
fn tiledesks_seed_sample_is_refused_by_its_server_and_the_doctor_says_exactly_why() {
    // Tiledesk's seed page sample signs name, email, iat, exp and external_id: no _id, no sub,
    // no aud. The server checks it against its global secret (no aud) and would refuse it for
    // the missing _id anyway. The doctor's errors must be exactly those three server rules.
    if !sample_tools("tiledesk_seed.js") {
        return;
    }
    let token = run_sample("tiledesk_seed.js", "TILEDESK_JWT_SECRET").body["token"]
        .as_str()
        .expect("token")
        .to_string();
    let env = Env::new();
    let (code, report) = doctor_cli(&env, &token, "tiledesk", &[]);
    assert_eq!(code, Some(1), "{report:#}");
    let mut errors = cli_errors(&report);
    errors.sort();
    assert_eq!(
        errors,
        ["claim.missing [_id] @server", "claim.missing [aud] @server", "claim.missing [sub] @server"]
    );
    assert!(!report["verified_with"].is_null(), "the signature itself is fine: {report:#}");
    let refused = tiledesk_accepts(&token, PROJECT, FIXTURE_SECRET)
        .expect_err("Tiledesk's server refuses the seed's token");
    assert!(refused.contains("invalid signature") && refused.contains("no aud"), "{refused}");
}

#[test]
fn the_doctor_errors_on_a_seed_shaped_tiledesk_token_are_the_servers() {
    // The library's view of the same exception, at a fixed time: errors only from the server
    // source, and every seed-page rule the token keeps draws nothing.
    let token = hs256(
        &json!({"name": "Jane Doe", "email": "jane@example.com", "iat": NOW, "exp": NOW + 300, "external_id": "user123456"}),
        FIXTURE_SECRET,
    );
    let report = doctor(&token, "tiledesk", hmac(FIXTURE_SECRET), &[], NOW);
    let errors: Vec<(&str, Option<&str>, Option<&str>)> = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| (f.code, f.subject.as_deref(), f.source.as_ref().map(|s| s.id.as_str())))
        .collect();
    assert_eq!(
        errors,
        [
            ("claim.missing", Some("_id"), Some("server")),
            ("claim.missing", Some("sub"), Some("server")),
            ("claim.missing", Some("aud"), Some("server")),
        ],
        "{}",
        describe(&report)
    );
    // and two infos: the signature verifies, and exp ends the widget's session (routes/auth.js)
    assert_eq!(report.findings.len(), 5, "three errors and two infos:\n{}", describe(&report));
    assert!(report.findings.iter().any(|f| f.code == "time.session"), "{}", describe(&report));
}

#[test]
fn a_token_shaped_as_tiledesks_docs_ask_draws_no_error_and_is_accepted() {
    if !sample_tools("tiledesk_docs.js") {
        return;
    }
    let token = run_sample("tiledesk_docs.js", "TILEDESK_JWT_SECRET").body["token"]
        .as_str()
        .expect("token")
        .to_string();
    let env = Env::new();
    for params in [vec![], vec!["--param".to_string(), format!("project_id={PROJECT}")]] {
        let params: Vec<&str> = params.iter().map(String::as_str).collect();
        let (code, report) = doctor_cli(&env, &token, "tiledesk", &params);
        assert_eq!((code, cli_errors(&report)), (Some(0), vec![]), "{params:?}: {report:#}");
    }
    assert_eq!(tiledesk_accepts(&token, PROJECT, FIXTURE_SECRET), Ok(()));
}

// ---- Our tokens against the seed pages' rules ----

/// Runs `tests/vendors/seed_rules.py` on a token: Ok(notes) or Err(problems).
fn seed_rules(vendor: &str, token: &str, now: Option<i64>) -> Result<Value, Value> {
    let mut cmd = python();
    cmd.arg(vendors("seed_rules.py")).args([vendor, token]);
    if let Some(now) = now {
        cmd.args(["--now", &now.to_string()]);
    }
    let out = cmd
        .env("SEED_SECRET", FIXTURE_SECRET)
        .env("SEED_PUBLIC_KEY_FILE", fixture("keys/rsa2048-pub-spki.pem"))
        .output()
        .expect("python3 runs");
    let verdict: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("seed_rules.py gave no verdict ({e}): {}", String::from_utf8_lossy(&out.stderr))
    });
    assert_eq!(out.status.success(), verdict["ok"] == true, "{verdict}");
    if verdict["ok"] == true { Ok(verdict["notes"].clone()) } else { Err(verdict["problems"].clone()) }
}

#[test]
fn our_default_tokens_pass_the_seed_pages_rules() {
    if !python_has_pyjwt() {
        skip_missing("python3 with PyJWT and cryptography");
        return;
    }
    let env = Env::new();
    let private = fixture("keys/rsa2048-pkcs8.pem");
    let project = format!("project_id={PROJECT}");
    let runs: [(&str, Vec<&str>); 5] = [
        ("talla", vec!["--secret-env", "SECRET"]),
        ("viasocket", vec!["--secret-env", "SECRET"]),
        ("orlo", vec!["--key-file", private.to_str().expect("utf-8 path")]),
        ("ticketping", vec!["--secret-env", "SECRET"]),
        ("tiledesk", vec!["--secret-env", "SECRET", "--param", &project]),
    ];
    let mut failures = Vec::new();
    for (vendor, key) in &runs {
        let mut args = vec!["--profile", vendor];
        args.extend(key);
        let token = sign_cli(&env, &args);
        match seed_rules(vendor, &token, None) {
            Ok(notes) => assert_eq!(notes, json!([]), "{vendor}: our default keeps the page's advice"),
            Err(problems) => failures.push(format!("{vendor}: {problems}")),
        }
        if *vendor == "tiledesk" && tiledesk_acceptor_ready() {
            // And the server, which the seed page does not describe.
            if let Err(why) = tiledesk_accepts(&token, PROJECT, FIXTURE_SECRET) {
                failures.push(format!("tiledesk's server: {why}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_seed_rules_checker_refuses_what_the_pages_rule_out() {
    if !python_has_pyjwt() {
        skip_missing("python3 with PyJWT and cryptography");
        return;
    }
    let account =
        json!({"first_name": "john", "last_name": "doe", "email": "john.doe@example.com", "uid": "abc"});
    let cases = [
        (
            "talla",
            hs256(&json!({"exp": NOW + 300, "first_name": "john", "last_name": "doe"}), FIXTURE_SECRET),
            "account",
        ),
        ("talla", hs256(&json!({"account": account, "exp": NOW - 1}), FIXTURE_SECRET), "expired"),
        (
            "viasocket",
            hs256(&json!({"org_id": 8069, "project_id": "p", "user_id": "u"}), FIXTURE_SECRET),
            "org_id",
        ),
        (
            "orlo",
            signed(&json!({"name": "Ada", "isLoggedIn": "true"}), &rsa_private(), Alg::RS256),
            "isLoggedIn",
        ),
        ("orlo", hs256(&json!({"name": "Ada", "isLoggedIn": true}), FIXTURE_SECRET), "RS256"),
        (
            "ticketping",
            hs256(&json!({"external_id": "1", "email": "a@b.co"}), FIXTURE_SECRET),
            "exp is required",
        ),
        (
            "ticketping",
            hs256(&json!({"external_id": true, "email": "a@b.co", "exp": NOW + 300}), FIXTURE_SECRET),
            "external_id",
        ),
        ("tiledesk", hs256(&tiledesk_payload(json!({"exp": NOW + 3600})), FIXTURE_SECRET), "10 minutes"),
        ("tiledesk", hs256(&tiledesk_payload(json!({"iat": NOW * 1000})), FIXTURE_SECRET), "milliseconds"),
        ("tiledesk", hs256(&tiledesk_payload(json!({})), OTHER_SECRET), "Signature"),
    ];
    let mut failures = Vec::new();
    for (vendor, token, word) in &cases {
        match seed_rules(vendor, token, Some(NOW)) {
            Ok(_) => failures.push(format!("{vendor}: passed a token without '{word}'")),
            Err(problems) if !problems.to_string().contains(word) => {
                failures.push(format!("{vendor}: expected a problem naming '{word}', got {problems}"))
            }
            Err(_) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
