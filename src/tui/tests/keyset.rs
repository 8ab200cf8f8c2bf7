//! The doctor verifies a pasted token against a keyset: J asks for a path, a URL or
//! `discover`; the set is read by an effect on the worker thread (never in update or the
//! view), and the doctor's findings name the key chosen and why, or what the set holds.

use super::*;

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/jwks/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn pasted(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).expect("a token").trim().to_string()
}

/// Pastes a token into the doctor, then gives the keyset at `spec` through J, performing
/// the fetch as the loop does.
fn doctor_with_keyset(app: &mut App, token: &str, spec: &str) -> Vec<Effect> {
    let dir = tempfile::tempdir().expect("temp");
    let store = tokensmith::store::StoreDir::new(dir.path());
    run(app, [Action::OpenDoctor, Action::Paste(token.to_string()), Action::Submit]);
    let mut actions = vec![Action::AskKeyset];
    actions.extend(typing(spec));
    actions.push(Action::Submit);
    let effects = run(app, actions);
    for effect in effects.iter().filter(|e| matches!(e, Effect::FetchKeyset { .. })) {
        perform_one(app, &store, effect.clone());
    }
    effects
}

fn found(app: &App, code: &str) -> String {
    let report = app.doctor.report.as_ref().expect("a report");
    report
        .findings
        .iter()
        .find(|f| f.code == code)
        .map(|f| f.found.clone())
        .unwrap_or_else(|| panic!("no {code} in {:?}", report.codes()))
}

#[test]
fn j_verifies_the_pasted_token_against_a_keyset_read_by_an_effect() {
    let mut app = app("generic-rs256", vec![]);
    // J before a token is pasted: says what to do, asks for nothing.
    assert!(run(&mut app, [Action::AskKeyset]).is_empty());
    assert!(app.status.as_ref().is_some_and(|s| s.text.contains("paste a token first")), "{:?}", app.status);

    let effects = doctor_with_keyset(&mut app, &pasted("pyjwt-RS256-nokid.jwt"), &fixture("google.json"));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::FetchKeyset { spec, .. } if spec.ends_with("google.json"))),
        "the set is read by an effect, not in update: {effects:?}"
    );
    let report = app.doctor.report.as_ref().expect("a report");
    assert!(report.passes(), "{:?}", report.codes());
    assert!(
        found(&app, "signature.valid").contains("kid 'rsa-b' of keyset"),
        "{}",
        found(&app, "signature.valid")
    );
    assert!(
        found(&app, "keyset.chosen")
            .contains("2 keys are for RS256 (kid 'rsa-a', kid 'rsa-b'), tried each: kid 'rsa-b' verified"),
        "{}",
        found(&app, "keyset.chosen")
    );
    let screen = screen(&app, 120, 40).backend().to_string();
    assert!(screen.contains("keyset.chosen"), "the findings show the chosen key:\n{screen}");

    // Another token, same set: a kid the set lacks is named with what the set holds.
    let mut actions = vec![Action::OpenDoctor, Action::Edit(InputRequest::DeleteLine)];
    actions.extend(typing(&pasted("nodejwt-RS256-kid-gone.jwt")));
    actions.push(Action::Submit);
    run(&mut app, actions);
    assert!(
        found(&app, "keyset.no-match").contains(
            "no key in the keyset has kid 'gone-2019' (it holds 'rsa-a' RS256, 'rsa-b' RS256, 'ec-1' ES256)"
        ),
        "{}",
        found(&app, "keyset.no-match")
    );
}

#[test]
fn a_keyset_that_cannot_be_read_is_said_in_the_status_line() {
    let mut app = app("generic-rs256", vec![]);
    doctor_with_keyset(&mut app, &pasted("pyjwt-RS256-nokid.jwt"), "http://192.0.2.1/jwks.json");
    let status = app.status.as_ref().expect("a status");
    assert!(status.text.contains("plain http to another machine"), "{}", status.text);
    assert!(app.doctor.keyset.is_none());
}
