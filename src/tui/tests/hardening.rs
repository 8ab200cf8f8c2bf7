//! Issue 19, the second hardening round, in the workbench: what a pasted token, a key file and
//! another tokensmith on the same store can do.

use super::*;

/// Issue 19 (3): a pasted token's controls and bidi characters reach no cell as they are: the
/// views escape them, and SafeBackend replaces whatever a view let through.
#[test]
fn a_pasted_tokens_control_characters_never_reach_the_terminal() {
    use base64::Engine as _;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let hostile = "\\u001b]2;PWNED\\u0007\\u001b[2J\\u009b1m\\u202eevil\\u2066";
    let token = format!(
        "{}.{}.c2ln",
        b64(&format!(r#"{{"alg":"HS256","kid":"{hostile}"}}"#)),
        b64(&format!(r#"{{"sub":"{hostile}","{hostile}":1,"exp":1767225900}}"#))
    );
    let mut app = app("ticketping", vec![demo_key()]);
    run(&mut app, [Action::OpenDoctor, Action::Paste(token), Action::Submit]);
    assert!(app.doctor.report.is_some());
    let unsafe_in = |buffer: &ratatui::buffer::Buffer| -> Vec<String> {
        buffer
            .content()
            .iter()
            .map(|c| c.symbol().to_string())
            .filter(|s| s.chars().any(tokensmith::text::is_unsafe))
            .collect()
    };
    for (w, h) in [(120, 40), (80, 24)] {
        let plain = screen(&app, w, h);
        assert_eq!(unsafe_in(plain.backend().buffer()), Vec::<String>::new(), "the views escape");
        let mut guarded = Terminal::new(crate::tui::safe_backend::SafeBackend::new(TestBackend::new(w, h)))
            .expect("terminal");
        guarded
            .draw(|frame| {
                let _ = view(&app, frame);
            })
            .expect("draws");
        assert_eq!(unsafe_in(guarded.backend().inner().buffer()), Vec::<String>::new());
    }
    // the guard itself: a cell holding ESC is written as U+FFFD
    let mut cell = ratatui::buffer::Cell::default();
    cell.set_symbol("\u{1b}");
    assert_eq!(crate::tui::safe_backend::safe_cell(&cell).symbol(), "\u{FFFD}");
}

/// Issue 19 (7): importing a FIFO or /dev/zero froze the workbench on its UI thread.
#[cfg(unix)]
#[test]
fn importing_a_fifo_or_a_device_is_refused_at_once() {
    let dir = tempfile::tempdir().expect("temp");
    let store = tokensmith::store::StoreDir::new(dir.path());
    store.add(None, demo_key()).expect("add");
    let fifo = dir.path().join("key.pipe");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo").success());
    for (path, kind) in
        [(fifo.display().to_string(), "a FIFO"), ("/dev/zero".to_string(), "a character device")]
    {
        let mut app = app("ticketping", vec![demo_key()]);
        perform_one(&mut app, &store, Effect::ImportFile { name: "k".into(), path, passphrase: None });
        let status = app.status.clone().expect("a status");
        assert_eq!(status.level, Level::Error);
        assert!(status.text.contains(kind) && status.text.contains("not a regular file"), "{}", status.text);
    }
}

/// Issue 19 (11): another tokensmith locked the store while a secret was being typed: the
/// workbench asks for the passphrase and then stores the secret, losing nothing typed.
#[test]
fn a_store_locked_elsewhere_asks_for_the_passphrase_and_keeps_what_was_typed() {
    let dir = tempfile::tempdir().expect("temp");
    let store = tokensmith::store::StoreDir::new(dir.path());
    store.add(None, demo_key()).expect("add");
    let mut app = app("ticketping", vec![demo_key()]);
    app.focus = Pane::Keys;
    let pass = tokensmith::secret::Secret::new(b"right horse".to_vec());
    let mut actions = vec![Action::NewSecret];
    actions.extend(typing("rotated"));
    actions.push(Action::Submit);
    actions.extend(typing("a-new-secret-of-thirty-two-bytes!!"));
    run_with_store(&mut app, &store, actions);
    store.lock(None, &pass).expect("locked by the other process");
    run_with_store(&mut app, &store, vec![Action::Submit]);
    assert_eq!(app.mode, Mode::Prompt(Prompt::Passphrase));
    assert!(app.keys.pending.is_some(), "the typed secret waits");
    let mut actions = typing("right horse");
    actions.push(Action::Submit);
    run_with_store(&mut app, &store, actions);
    let opened = store.open(Some(&pass)).expect("opens");
    let names: Vec<&str> = opened.entries.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["demo", "rotated"]);
    assert!(app.keys.pending.is_none());
}

/// Issue 19 (1): the view acted by name on whatever entry had that name now. A change is made
/// only to the entry the view showed; after a reload the token is signed with what the store
/// holds now.
#[test]
fn a_stale_view_neither_deletes_nor_renames_another_entry_of_the_same_name() {
    let dir = tempfile::tempdir().expect("temp");
    let store = tokensmith::store::StoreDir::new(dir.path());
    let mut prod =
        secret_entry("prod", b"old-secret-old-secret-old-secret-0".to_vec(), false, NOW).expect("e");
    prod.profile = Some("ticketping".into());
    store.add(None, prod.clone()).expect("add");
    let mut app = app("ticketping", vec![prod]);
    app.focus = Pane::Keys;
    // Another process rotates: renames prod and stores a new secret under its name.
    store.rename(None, "prod", "prod-old", None).expect("rename");
    let new =
        secret_entry("prod", b"new-secret-new-secret-new-secret-1".to_vec(), false, NOW + 5).expect("e");
    store.add(None, new).expect("add");
    run_with_store(&mut app, &store, vec![Action::DeleteKey, Action::Submit]);
    let status = app.status.clone().expect("status");
    assert!(status.text.contains("changed on disk"), "{}", status.text);
    let names: Vec<String> = store.open(None).expect("open").entries.into_iter().map(|e| e.name).collect();
    assert_eq!(names, ["prod-old", "prod"]);
    // Rename: the question opens on prod-old, then another process rotates prod-old too.
    app.keys.selected = 0;
    run_with_store(&mut app, &store, vec![Action::RenameKey]);
    store.rename(None, "prod-old", "prod-older", None).expect("rename");
    let newer =
        secret_entry("prod-old", b"third-secret-third-secret-third-2".to_vec(), false, NOW + 9).expect("e");
    store.add(None, newer).expect("add");
    let mut actions: Vec<Action> = (0..8).map(|_| Action::Edit(InputRequest::DeletePrevChar)).collect();
    actions.extend(typing("renamed"));
    actions.push(Action::Submit);
    run_with_store(&mut app, &store, actions);
    assert!(app.status.as_ref().is_some_and(|s| s.text.contains("changed on disk")), "{:?}", app.status);
    let names: Vec<String> = store.open(None).expect("open").entries.into_iter().map(|e| e.name).collect();
    assert_eq!(names, ["prod-older", "prod", "prod-old"], "nothing renamed");
    // The failed change reloaded the view: the key it names is the one the store holds under
    // that name now (the first secret, now prod-older, still tied to the profile), and it
    // signs with it.
    let TokenState::Signed(signed) = &app.token else { panic!("{:?}", app.token) };
    assert_eq!(signed.key_name, "prod-older");
    let key = store.open(None).expect("open").get(&signed.key_name).expect("entry").key().expect("key");
    let decoded = tokensmith::token::decode(&signed.token).expect("decodes");
    assert!(tokensmith::token::verify_input(
        decoded.signing_input(),
        decoded.signature_b64(),
        &key,
        tokensmith::token::Alg::HS256
    ));
}
