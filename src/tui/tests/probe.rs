//! The doctor probes a token endpoint: P asks for the URL (and the CLI's options, written the
//! same way); the requests run as an effect on the worker thread (never in update or the
//! view); the probe's findings are shown, and the last token served is the doctor's input,
//! judged as a pasted one.

use std::io::{Read as _, Write as _};
use std::net::TcpListener;

use super::*;

/// A one-request server on a free port answering `body` as JSON; returns its URL.
fn serve_once(body: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://127.0.0.1:{}/token", listener.local_addr().expect("addr").port());
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut request = [0_u8; 4096];
            let _ = stream.read(&mut request);
            let answer = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nCache-Control: no-store\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    url
}

#[test]
fn p_probes_the_endpoint_on_the_worker_and_the_doctor_judges_the_token_it_served() {
    let mut app = app("ticketping", vec![]);
    let payload = serde_json::json!({"external_id": 4242, "email": "ada@example.com", "exp": NOW + 300});
    let key = tokensmith::token::KeyMaterial::hmac(tokensmith::secret::Secret::new(
        b"0123456789abcdef0123456789abcdef".to_vec(),
    ))
    .expect("key");
    let alg = tokensmith::token::Alg::HS256;
    let header = tokensmith::token::header(alg, Some("JWT"), None);
    let token =
        tokensmith::token::sign(&header, payload.as_object().expect("object"), &key, alg).expect("signs");
    // Ticketping's page reads 'jwt': this server answers 'token'.
    let url = serve_once(serde_json::json!({ "token": token }).to_string());

    // Without --allow-private: refused in update, no effect, no connection.
    let mut actions = vec![Action::AskProbe];
    actions.extend(typing(&format!("{url} --count 1")));
    actions.push(Action::Submit);
    let effects = run(&mut app, actions);
    assert!(!effects.iter().any(|e| matches!(e, Effect::Probe { .. })), "{effects:?}");
    assert!(app.status.as_ref().is_some_and(|s| s.text.contains("--allow-private")), "{:?}", app.status);

    let dir = tempfile::tempdir().expect("temp");
    let store = tokensmith::store::StoreDir::new(dir.path());
    let mut actions = vec![Action::AskProbe];
    // P shows the last line again: cleared first.
    actions.extend(std::iter::repeat_n(Action::Edit(InputRequest::DeletePrevChar), 200));
    actions.extend(typing(&format!("{url} --count 1 --allow-private")));
    actions.push(Action::Submit);
    let effects = run(&mut app, actions);
    let probe: Vec<_> = effects.into_iter().filter(|e| matches!(e, Effect::Probe { .. })).collect();
    assert_eq!(probe.len(), 1, "the probe is an effect, not run in update");
    perform_one(&mut app, &store, probe[0].clone());

    let report = app.doctor.probe.clone().expect("a probe report");
    let codes = report.codes();
    assert!(codes.contains(&"probe.wrong-key"), "{codes:?}");
    assert!(!codes.contains(&"probe.cache-control"), "{codes:?}");
    assert_eq!(app.doctor.input.as_deref(), Some(token.as_str()), "the token served is the doctor's");
    let doctor = app.doctor.report.as_ref().expect("the doctor judged it");
    assert!(!doctor.findings.is_empty());
    assert!(
        app.status.as_ref().is_some_and(|s| s.text.starts_with("probe: ") && s.text.contains("error(s)")),
        "{:?}",
        app.status
    );
}
