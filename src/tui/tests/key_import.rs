//! The workbench's key import in every form the core reads (issue 22, item 5): a DER file, and
//! an encrypted key, whose passphrase is asked for in a masked prompt (again after a wrong one).

use super::*;

fn fixture_path(name: &str) -> String {
    format!("{}/tests/fixtures/keys/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn import(app: &mut App, store: &tokensmith::store::StoreDir, name: &str, source: &str) {
    app.focus = Pane::Keys;
    let mut actions = vec![Action::ImportKey];
    actions.extend(typing(name));
    actions.push(Action::Submit);
    actions.extend(typing(source));
    actions.push(Action::Submit);
    run_with_store(app, store, actions);
}

fn stored(store: &tokensmith::store::StoreDir, name: &str) -> Option<String> {
    let open = store.open(None).expect("open");
    open.get(name).ok().map(|e| e.description.clone())
}

#[test]
fn a_der_file_imports_as_it_is() {
    let dir = tempfile::tempdir().expect("temp");
    let store = tokensmith::store::StoreDir::new(dir.path());
    let mut app = app("ticketping", vec![demo_key()]);
    import(&mut app, &store, "der", &fixture_path("rsa2048-pkcs1.der"));
    assert_eq!(stored(&store, "der").as_deref(), Some("RSA 2048-bit private key, PKCS#1 DER"));
}

#[test]
fn an_encrypted_key_asks_for_its_passphrase_masked_and_again_when_wrong() {
    let dir = tempfile::tempdir().expect("temp");
    let store = tokensmith::store::StoreDir::new(dir.path());
    let mut app = app("ticketping", vec![demo_key()]);
    import(&mut app, &store, "enc", &fixture_path("ec-p521-encrypted-pkcs8.der"));
    let asking = |app: &App| match &app.mode {
        Mode::Prompt(prompt @ Prompt::KeyPassphrase { .. }) => prompt.masked(),
        _ => false,
    };
    assert!(asking(&app), "a masked passphrase prompt: {:?}", app.mode);
    let mut wrong = typing("not it");
    wrong.push(Action::Submit);
    run_with_store(&mut app, &store, wrong);
    assert!(asking(&app), "asked again: {:?}", app.mode);
    let status = app.status.clone().expect("a status").text;
    assert!(status.contains("the passphrase does not open"), "{status}");
    let mut right = typing("fixture");
    right.push(Action::Submit);
    run_with_store(&mut app, &store, right);
    assert_eq!(stored(&store, "enc").as_deref(), Some("EC P-521 private key, encrypted PKCS#8 DER"));
    // Pasted text takes the same road.
    app.focus = Pane::Keys;
    let pem = std::fs::read_to_string(fixture_path("rsa2048-encrypted-pkcs8.pem")).expect("fixture");
    run_with_store(
        &mut app,
        &store,
        [vec![Action::ImportKey], typing("pasted"), vec![Action::Submit, Action::Paste(pem), Action::Submit]]
            .concat(),
    );
    assert!(asking(&app), "{:?}", app.mode);
    run_with_store(&mut app, &store, [typing("fixture"), vec![Action::Submit]].concat());
    assert_eq!(stored(&store, "pasted").as_deref(), Some("RSA 2048-bit private key, encrypted PKCS#8"));
}
