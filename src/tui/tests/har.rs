//! Issue 23, item 2: a HAR opens from the doctor (its path pasted with t), read and judged on
//! the worker thread by the same `tokensmith::har` the CLI's `har` uses; its tokens show on a
//! timeline with their verdicts, and Enter opens one in the doctor, judged when it was sent.

use super::*;

fn har(browser: &str) -> String {
    format!("{}/tests/fixtures/har/tiledesk-clock-ahead.{browser}.har", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_har_path_in_the_doctor_opens_its_timeline_and_enter_opens_a_token_judged_when_sent() {
    let dir = tempfile::tempdir().expect("temp");
    let store = tokensmith::store::StoreDir::new(dir.path());
    let mut app = app("ticketping", vec![demo_key()]);
    let effects = run(&mut app, [Action::OpenDoctor, Action::Paste(har("firefox")), Action::Submit]);
    let read: Vec<&Effect> = effects.iter().filter(|e| matches!(e, Effect::ReadHar { .. })).collect();
    assert_eq!(read.len(), 1, "{effects:?}");
    assert!(app.doctor.input.is_none(), "a path is not a token");
    perform_one(&mut app, &store, read[0].clone());
    assert_eq!(app.mode, Mode::Har);
    let text = screen(&app, 120, 40).backend().to_string();
    assert!(text.contains("✗ 00:00:01 UTC tiledesk       refused 401 · issued by shop.example/api/tiledesk-jwt, its clock 10m ahead"), "{text}");
    assert!(text.contains("1 token in 3 requests: 1 refused by the vendor"), "{text}");
    run(&mut app, [Action::Submit]);
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.current().map(|p| p.id.as_str()), Some("tiledesk"), "the HAR's vendor");
    assert_eq!(app.doctor.at, Some(1_767_225_601), "judged when it was sent");
    let report = app.doctor.report.as_ref().expect("the doctor's report");
    assert_eq!(report.at, 1_767_225_601);
    assert!(report.codes().contains(&"time.iat-future"), "{:?}", report.codes());
    let text = screen(&app, 120, 40).backend().to_string();
    assert!(text.contains("(when the HAR says it was sent)"), "{text}");
    // A token pasted by hand is judged now again.
    let token = std::fs::read_to_string(format!(
        "{}/tests/fixtures/doctor/ticketping-ok.jwt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("a token");
    run(&mut app, [Action::OpenDoctor, Action::Paste(token.trim().to_string()), Action::Submit]);
    assert_eq!(app.doctor.at, None);
}

#[test]
fn what_is_not_a_har_says_so_in_the_status_line() {
    let dir = tempfile::tempdir().expect("temp");
    let store = tokensmith::store::StoreDir::new(dir.path());
    std::fs::write(dir.path().join("x.har"), "not json").expect("write");
    let mut app = app("ticketping", vec![demo_key()]);
    let path = dir.path().join("x.har").display().to_string();
    let effects = run(&mut app, [Action::OpenDoctor, Action::Paste(path), Action::Submit]);
    for effect in effects.into_iter().filter(|e| matches!(e, Effect::ReadHar { .. })) {
        perform_one(&mut app, &store, effect);
    }
    assert_ne!(app.mode, Mode::Har);
    let status = app.status.as_ref().map(|s| s.text.clone()).unwrap_or_default();
    assert!(status.contains("is not a HAR file"), "{status}");
}

/// A HAR headless Chromium wrote (tests/har_capture.rs keeps one): the same timeline, its hosts
/// with their ports, and Enter judges the token at the moment Chromium sent it.
#[test]
fn a_har_chromium_wrote_opens_the_same_way() {
    let dir = tempfile::tempdir().expect("temp");
    let store = tokensmith::store::StoreDir::new(dir.path());
    let path = format!("{}/tests/fixtures/har/captured-chromium.har", env!("CARGO_MANIFEST_DIR"));
    let har: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("the kept capture")).expect("JSON");
    let sent = har["log"]["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .find(|e| e["request"]["method"] == "POST")
        .and_then(|e| e["startedDateTime"].as_str())
        .and_then(tokensmith::time::parse_rfc3339)
        .expect("the vendor request's time");
    let mut app = app("ticketping", vec![demo_key()]);
    let effects = run(&mut app, [Action::OpenDoctor, Action::Paste(path), Action::Submit]);
    for effect in effects.into_iter().filter(|e| matches!(e, Effect::ReadHar { .. })) {
        perform_one(&mut app, &store, effect);
    }
    assert_eq!(app.mode, Mode::Har);
    let text = screen(&app, 120, 40).backend().to_string();
    let line = text.lines().find(|l| l.contains("✗ ")).unwrap_or_else(|| panic!("a refused token\n{text}"));
    for part in
        ["tiledesk", "refused 401 · issued by shop.example:", "/api/tiledesk-jwt, its clock ", " ahead"]
    {
        assert!(line.contains(part), "{part}\n{text}");
    }
    assert!(text.contains("1 token in 4 requests: 1 refused by the vendor"), "{text}");
    run(&mut app, [Action::Submit]);
    assert_eq!(app.current().map(|p| p.id.as_str()), Some("tiledesk"), "the HAR's vendor");
    assert_eq!(app.doctor.at, Some(sent), "judged when Chromium sent it");
    let report = app.doctor.report.as_ref().expect("the doctor's report");
    assert!(report.codes().contains(&"time.iat-future"), "{:?}", report.codes());
}

/// The timeline draws at every small size, its hosts and notes escaped: a stranger's HAR names
/// the hosts and headers.
#[test]
fn the_timeline_draws_at_small_sizes_with_a_strangers_text_escaped() {
    let dir = tempfile::tempdir().expect("temp");
    let store = tokensmith::store::StoreDir::new(dir.path());
    let token = std::fs::read_to_string(format!(
        "{}/tests/fixtures/doctor/tiledesk-iat-future.jwt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("a token");
    let har = serde_json::json!({"log": {"creator": {"name": "x\u{1b}]52;c;AAAA\u{7}"}, "entries": [
        {"startedDateTime": "2026-01-01T00:00:01Z",
         "request": {"method": "GET\u{1b}[2J", "url": "https://api.tiledesk.com/\u{202e}evil",
                     "headers": [{"name": "X-\u{1b}[31mRed", "value": format!("JWT {}", token.trim())}]},
         "response": {"status": 401, "statusText": "No\u{1b}[5m", "content": {"size": 5, "mimeType": "text/plain", "text": "bad\u{7}"}}}
    ]}});
    let path = dir.path().join("stranger.har");
    std::fs::write(&path, har.to_string()).expect("write");
    let mut app = app("ticketping", vec![demo_key()]);
    let effects =
        run(&mut app, [Action::OpenDoctor, Action::Paste(path.display().to_string()), Action::Submit]);
    for effect in effects.into_iter().filter(|e| matches!(e, Effect::ReadHar { .. })) {
        perform_one(&mut app, &store, effect);
    }
    assert_eq!(app.mode, Mode::Har);
    for (w, h) in [(1, 1), (10, 3), (30, 8), (50, 14), (80, 12), (120, 40)] {
        let text = screen(&app, w, h).backend().to_string();
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{202e}'),
            "{w}x{h}: {text:?}"
        );
    }
}
