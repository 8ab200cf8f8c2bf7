//! The Keys pane: prompts, questions and the store effects they ask for.

use super::*;

#[test]
fn the_keys_pane_renames_labels_and_ties_keys_like_keys_set() {
    let mut app = app("tiledesk", vec![demo_key()]);
    app.focus = Pane::Keys;
    let mut actions = vec![Action::RenameKey, Action::Edit(InputRequest::DeleteLine)];
    actions.extend(typing("acme-staging"));
    actions.push(Action::Submit);
    let effects = run(&mut app, actions);
    assert_eq!(
        effects,
        vec![Effect::StoreRename {
            old: "demo".into(),
            new: "acme-staging".into(),
            id: Some(demo_key().identity())
        }]
    );
    let mut actions = vec![Action::SetKeyKid];
    actions.extend(typing("app_123"));
    actions.push(Action::Submit);
    let effects = run(&mut app, actions);
    assert!(
        matches!(&effects[..], [Effect::StoreSet { name, change, .. }] if name == "demo" && change.kid.as_deref() == Some("app_123")),
        "{effects:?}"
    );
    let effects = run(&mut app, [Action::ToggleKeyProfile]);
    assert!(
        matches!(&effects[..], [Effect::StoreSet { change, .. }] if change.profile.as_deref() == Some("tiledesk")),
        "{effects:?}"
    );
    // A locked store that did not open asks for the passphrase again, and u asks again after Esc.
    app.keys.encrypted = true;
    run(&mut app, [Action::StoreLoaded(Err("wrong passphrase".into()))]);
    assert_eq!(app.mode, Mode::Prompt(Prompt::Passphrase));
    run(&mut app, [Action::Cancel, Action::Unlock]);
    assert_eq!(app.mode, Mode::Prompt(Prompt::Passphrase));
    // The right one: the error goes, and the status line says the store is open.
    run(&mut app, [Action::Submit, Action::StoreLoaded(Ok(vec![demo_key()]))]);
    assert!(app.keys.store_error.is_none());
    assert!(app.status.as_ref().is_some_and(|s| s.text.contains("is open")), "{:?}", app.status);
}

#[test]
fn the_keys_pane_locks_changes_and_removes_the_store_passphrase() {
    let dir = tempfile::tempdir().expect("temp");
    let store = tokensmith::store::StoreDir::new(dir.path());
    store.add(None, demo_key()).expect("add");
    let mut app = app("tiledesk", vec![demo_key()]);
    app.focus = Pane::Keys;
    let pass = |p: &str| tokensmith::secret::Secret::new(p.as_bytes().to_vec());

    // Two different passphrases: nothing changes.
    let mut actions = vec![Action::LockStore];
    actions.extend(typing("correct horse"));
    actions.push(Action::Submit);
    assert_eq!(app.mode, Mode::Normal);
    actions.extend(typing("correct hose"));
    actions.push(Action::Submit);
    run_with_store(&mut app, &store, actions);
    assert!(!store.open(None).expect("plain store").encrypted, "a typo must not lock the store");
    assert!(app.status.as_ref().is_some_and(|s| s.text.contains("differ")), "{:?}", app.status);

    // The same twice: locked, and the workbench keeps working with the new passphrase.
    let mut actions = vec![Action::LockStore];
    actions.extend(typing("correct horse"));
    actions.push(Action::Submit);
    actions.extend(typing("correct horse"));
    actions.push(Action::Submit);
    run_with_store(&mut app, &store, actions);
    assert!(store.open(None).is_err(), "a locked store needs its passphrase");
    assert!(store.open(Some(&pass("correct horse"))).expect("opens").encrypted);
    assert!(app.keys.encrypted && app.new_passphrase.is_none());

    // Change it: L again, with the current one known.
    let mut actions = vec![Action::LockStore];
    actions.extend(typing("battery staple"));
    actions.push(Action::Submit);
    actions.extend(typing("battery staple"));
    actions.push(Action::Submit);
    run_with_store(&mut app, &store, actions);
    assert!(store.open(Some(&pass("correct horse"))).is_err());
    assert_eq!(store.open(Some(&pass("battery staple"))).expect("opens").entries.len(), 1);

    // Remove it, after a question; the key is still there.
    run_with_store(&mut app, &store, vec![Action::RemovePassphrase]);
    assert_eq!(app.mode, Mode::Confirm(Confirm::RemovePassphrase));
    run_with_store(&mut app, &store, vec![Action::Submit]);
    let opened = store.open(None).expect("plain again");
    assert!(!opened.encrypted);
    assert_eq!(opened.entries.len(), 1);
    assert!(!app.keys.encrypted && app.passphrase.is_none());
    run_with_store(&mut app, &store, vec![Action::RemovePassphrase]);
    assert_eq!(app.mode, Mode::Normal, "nothing to remove");
}

#[test]
fn the_keys_pane_copies_a_public_jwk_with_its_certificate_as_keys_export_does() {
    let mut app = app("orlo", vec![rsa_key(), demo_key()]);
    app.focus = Pane::Keys;
    let effects = run(&mut app, [Action::ExportPublicJwk]);
    let [Effect::Copy { text, .. }] = &effects[..] else { panic!("{effects:?}") };
    let jwk: serde_json::Value = serde_json::from_str(text).expect("JSON");
    assert_eq!(jwk["kty"], "RSA");
    assert_eq!(jwk["alg"], "RS256");
    assert!(jwk["x5c"][0].as_str().is_some_and(|c| c.len() > 500), "a certificate: {jwk}");
    assert!(jwk.get("d").is_none(), "never the private part");
    // A secret's JWK would hold the secret: not copied, and the status says how to get it.
    app.keys.selected = 1;
    assert!(run(&mut app, [Action::ExportPublicJwk]).is_empty());
    assert!(app.status.as_ref().is_some_and(|s| s.text.contains("--private")));
}

#[test]
fn new_secrets_and_pasted_keys_become_store_entries() {
    let mut app = app("ticketping", vec![demo_key()]);
    app.focus = Pane::Keys;
    let mut actions = vec![Action::NewSecret];
    actions.extend(typing("acme"));
    actions.push(Action::Submit);
    actions.push(Action::Paste("acme-secret-from-the-dashboard".into()));
    actions.push(Action::Submit);
    let effects = run(&mut app, actions);
    assert!(matches!(effects.as_slice(), [Effect::StoreAdd(e)] if e.name == "acme"));
    let mut actions = vec![Action::ImportKey];
    actions.extend(typing("pasted"));
    actions.push(Action::Submit);
    actions.push(Action::Paste(include_str!("../../../tests/fixtures/keys/ec-p256-sec1.pem").into()));
    actions.push(Action::Submit);
    let effects = run(&mut app, actions);
    assert!(
        matches!(effects.as_slice(), [Effect::StoreAdd(e)] if e.description == "EC P-256 private key, SEC1"),
        "{effects:?}"
    );
    let mut actions = vec![Action::ImportKey];
    actions.extend(typing("demo"));
    actions.push(Action::Submit);
    run(&mut app, actions);
    assert_eq!(app.mode, Mode::Normal, "a taken name is refused");
}

#[test]
fn generating_a_key_runs_on_the_worker_and_lands_in_the_store() {
    let mut app = app("orlo", Vec::new());
    app.focus = Pane::Keys;
    run(&mut app, [Action::GenerateKey, Action::SelectNext, Action::SelectNext]);
    assert_eq!(app.mode, Mode::PickKind);
    run(&mut app, [Action::Submit]);
    assert_eq!(app.mode, Mode::Prompt(Prompt::GenerateName(GenKind::Rsa2048)));
    assert_eq!(app.input.value(), "rsa2048-1");
    let effects = run(&mut app, [Action::Submit]);
    assert_eq!(
        effects,
        vec![Effect::Generate { kind: GenKind::Rsa2048, name: "rsa2048-1".into(), note: String::new() }]
    );
    assert_eq!(app.keys.generating, Some((GenKind::Rsa2048, "rsa2048-1".into())));
    // the UI keeps answering meanwhile
    run(&mut app, [Action::FocusNext]);
    assert_eq!(app.focus, Pane::Token);
    let effects = run(&mut app, [Action::KeyGenerated(Ok(rsa_key()))]);
    assert!(matches!(effects.as_slice(), [Effect::StoreAdd(_)]));
    assert_eq!(app.keys.generating, None);
    run(&mut app, [Action::StoreLoaded(Ok(vec![rsa_key()]))]);
    assert!(matches!(app.token, TokenState::Signed(_)));
}

/// Copying a token (or its snippet) is the workbench's use of the key that signed it: the
/// store's "last used" changes through the one core function the CLI's verbs call (issue 21).
#[test]
fn copying_a_token_records_the_keys_use_in_the_store() {
    let dir = tempfile::tempdir().expect("temp");
    let store = tokensmith::store::StoreDir::new(dir.path());
    store.add(None, demo_key()).expect("add");
    let last_used = || {
        let opened = store.open(None).expect("opens");
        opened.entries.iter().find(|e| e.name == "demo").and_then(|e| e.last_used)
    };
    assert_eq!(last_used(), None);
    let mut app = app("ticketping", vec![demo_key()]);
    run_with_store(&mut app, &store, vec![Action::CopyToken]);
    assert_eq!(last_used(), Some(app.now));
    app.now += 60;
    run_with_store(&mut app, &store, vec![Action::CopySnippet]);
    assert_eq!(last_used(), Some(app.now), "the snippet carries the token too");
}
