//! Issue 21, "a new user's first hour", in the workbench: what a first run shows, what a new
//! key does, what a profile change leaves behind, a locked store, the doctor and its copy, the
//! snippet overlay and the status line, and texts cut to a width.

use super::*;

/// The three sizes each screen of this issue is drawn at.
const SIZES: [(u16, u16); 3] = [(80, 24), (100, 30), (120, 40)];

/// The screen's text, row by row, trailing spaces dropped.
fn rows(app: &App, width: u16, height: u16) -> Vec<String> {
    let terminal = screen(app, width, height);
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| {
            (0..width).map(|x| buffer[(x, y)].symbol().to_string()).collect::<String>().trim_end().to_string()
        })
        .collect()
}

/// Snapshots of one state at the three sizes, named `<name>_<w>x<h>`.
fn snapshots(name: &str, app: &App) {
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen(app, w, h).backend());
    }
}

/// Item 7: the doctor's prompt wraps, and the passphrase dialog's title and hint are whole
/// words at every size (they were cut mid-word at 80x24).
#[test]
fn long_texts_end_at_a_word_never_inside_one() {
    let mut doctor = app("tiledesk", vec![demo_key()]);
    run(&mut doctor, [Action::OpenDoctor]);
    let mut locked = app("ticketping", Vec::new());
    locked.keys.encrypted = true;
    locked.mode = Mode::Prompt(Prompt::Passphrase);
    let mut long_name = app("ticketping", vec![demo_key()]);
    long_name.keys.entries[0].name = "a-very-long-key-name-for-the-staging-widget".into();
    long_name.refresh();
    for (w, h) in SIZES {
        let text = rows(&doctor, w, h).join("\n");
        let ask = "Paste the customer's token (quotes, 'Bearer ' and line breaks are fine), then Enter:";
        for word in ask.split_whitespace() {
            assert!(text.contains(word), "{w}x{h}: '{word}' of the prompt is cut:\n{text}");
        }
        let text = rows(&locked, w, h).join("\n");
        assert!(text.contains("The key store is locked: passphrase "), "{w}x{h}:\n{text}");
        assert!(
            text.contains("Esc: later, u in Keys asks again · or set TOKENSMITH_PASSPHRASE"),
            "{w}x{h}:\n{text}"
        );
        // A key's name is one word: cut inside it with an ellipsis, and nothing after it is cut.
        let row = rows(&long_name, w, h).into_iter().find(|r| r.contains("● a-very")).unwrap_or_default();
        assert!(row.contains('…') || row.contains("staging-widget "), "{w}x{h}: {row}");
        assert!(!row.contains("HMA") || row.contains("HMAC "), "{w}x{h}: the kind is cut: {row}");
    }
    snapshots("doctor_prompt", &doctor);
    snapshots("passphrase_prompt", &locked);
}

/// Item 6: the snippet overlay leaves the status line in sight, so its "copied" can be read.
#[test]
fn the_snippet_overlay_leaves_the_status_line_in_sight() {
    let mut app = app("tiledesk", vec![demo_key()]);
    run(&mut app, [Action::ShowSnippet]);
    let effects = run(&mut app, [Action::CopySnippet]);
    assert!(
        matches!(effects.as_slice(), [Effect::Copy { what, .. }, Effect::RecordUse { .. }] if what == "the html snippet"),
        "{effects:?}"
    );
    run(
        &mut app,
        [Action::Copied { what: "the html snippet".into(), how: "OSC 52 via the terminal".into() }],
    );
    assert_eq!(app.mode, Mode::Snippet);
    for (w, h) in SIZES {
        let shown = rows(&app, w, h);
        let status = &shown[usize::from(h) - 2];
        assert_eq!(status.trim(), "copied the html snippet (OSC 52 via the terminal)", "{w}x{h}");
        assert!(shown[usize::from(h) - 1].contains("close"), "{w}x{h}: the footer shows the overlay's keys");
    }
    snapshots("snippet_copied", &app);
}

/// {"alg":"HS256"} . {"name":"x","iat":1767225600000,"exp":"soon"} . sig: three errors for
/// Tiledesk, and a payload to show.
const PASTED: &str = "eyJhbGciOiJIUzI1NiJ9.eyJuYW1lIjoieCIsImlhdCI6MTc2NzIyNTYwMDAwMCwiZXhwIjoic29vbiJ9.c2ln";

fn doctor_with(profile: &str, pasted: &str) -> App {
    let mut app = app(profile, vec![demo_key()]);
    run(&mut app, [Action::OpenDoctor, Action::Paste(pasted.to_string()), Action::Submit]);
    assert!(app.doctor.report.is_some());
    app
}

/// Item 5: `c` in the doctor copies the pasted token on screen (as found in the paste), and
/// the status says which; closed, `c` copies the workbench's own token again.
#[test]
fn c_in_the_doctor_copies_the_pasted_token() {
    let mut app = doctor_with("tiledesk", &format!("Bearer \"{PASTED}\"\n"));
    let effects = run(&mut app, [Action::CopyToken]);
    assert_eq!(
        effects,
        vec![Effect::Copy { text: PASTED.into(), what: "the pasted token the doctor shows".into() }]
    );
    run(
        &mut app,
        [Action::Copied { what: "the pasted token the doctor shows".into(), how: "OSC 52".into() }],
    );
    assert_eq!(
        app.status.as_ref().map(|s| s.text.as_str()),
        Some("copied the pasted token the doctor shows (OSC 52)")
    );
    run(&mut app, [Action::CloseDoctor]);
    let own = token(&app);
    assert!(
        run(&mut app, [Action::CopyToken]).contains(&Effect::Copy { text: own, what: "the token".into() })
    );
}

/// Item 8: the verdict and the findings come first, then the token's parts: a long token no
/// longer pushes the verdict pages down.
#[test]
fn the_doctor_puts_the_verdict_and_findings_before_the_token() {
    use base64::Engine as _;
    // A long token: a payload of 3 kB.
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let long = format!(
        "{}.{}.c2ln",
        b64(r#"{"alg":"HS256","typ":"JWT"}"#),
        b64(&format!(r#"{{"sub":"u1","blob":"{}","exp":1767225900}}"#, "x".repeat(3000)))
    );
    for (app, name) in [
        (doctor_with("tiledesk", PASTED), "doctor_findings_first"),
        (doctor_with("tiledesk", &long), "doctor_long_token"),
    ] {
        for (w, h) in SIZES {
            let shown = rows(&app, w, h);
            let verdict = shown.iter().position(|r| r.contains("✗ Tiledesk widget"));
            let first_finding = shown.iter().position(|r| r.contains("✗ signature") || r.contains("✗ claim"));
            let token = shown.iter().position(|r| r.contains("eyJhbGciOiJIUzI1NiI"));
            assert!(verdict.is_some() && first_finding.is_some(), "{w}x{h}:\n{}", shown.join("\n"));
            assert!(verdict < first_finding, "{w}x{h}: the verdict comes first");
            assert!(
                token.is_none_or(|t| first_finding < Some(t)),
                "{w}x{h}: the findings come before the token"
            );
        }
        snapshots(name, &app);
    }
    // At the end, the payload decoded after the token.
    let mut end = doctor_with("tiledesk", PASTED);
    run(&mut end, [Action::ScrollBottom]);
    let text = rows(&end, 120, 40).join("\n");
    assert!(text.contains("Payload") && text.contains("\"name\": \"x\""), "{text}");
}

/// Item 3: after a profile change, by arrow or by the filter, the status line no longer names
/// the last profile's key and the Token pane is back at its top.
#[test]
fn a_profile_change_leaves_nothing_of_the_last_profile_on_screen() {
    let scrolled_and_told = || {
        let mut app = app("ticketping", vec![demo_key()]);
        app.focus = Pane::Keys;
        run(&mut app, [Action::UseKey, Action::ScrollDown, Action::ScrollDown, Action::ScrollDown]);
        assert_eq!(
            app.status.as_ref().map(|s| s.text.as_str()),
            Some("signing Ticketping Chat Widget tokens with 'demo'")
        );
        assert_eq!(app.token_pane.scroll, 3);
        app
    };
    let mut by_arrow = scrolled_and_told();
    by_arrow.focus = Pane::Profiles;
    run(&mut by_arrow, [Action::SelectNext]);
    let mut by_filter = scrolled_and_told();
    let mut actions = vec![Action::StartFilter];
    actions.extend(typing("zendesk-chat"));
    let effects = run(&mut by_filter, actions);
    assert!(effects.contains(&Effect::SaveSession), "the new profile is remembered");
    for (app, how) in [(&by_arrow, "arrow"), (&by_filter, "filter")] {
        assert_ne!(app.current().map(|p| p.id.as_str()), Some("ticketping"), "{how}");
        assert_eq!(app.status, None, "{how}: the status still speaks of the last profile");
        assert_eq!(app.token_pane.scroll, 0, "{how}: the Token pane kept its scroll");
    }
    run(&mut by_filter, [Action::Submit]);
    snapshots("after_a_profile_change", &by_filter);
}

/// Item 2: a key added in the Keys pane (a new secret, a generated key, an import) signs for
/// the current profile at once where it fits, and the status line says so; one that does not
/// fit is stored, and the status says which key still signs.
#[test]
fn a_new_key_signs_for_the_current_profile_at_once() {
    let dir = tempfile::tempdir().expect("temp");
    let store = tokensmith::store::StoreDir::new(dir.path());
    store.add(None, demo_key()).expect("add");
    let mut app = app("ticketping", vec![demo_key()]);
    app.focus = Pane::Keys;
    // A new secret, typed in.
    let mut actions = vec![Action::NewSecret];
    actions.extend(typing("acme"));
    actions.extend([
        Action::Submit,
        Action::Paste("acme-secret-from-the-dashboard-0123".into()),
        Action::Submit,
    ]);
    run_with_store(&mut app, &store, actions);
    assert_eq!(app.active_key().map(|k| k.name.as_str()), Some("acme"));
    assert!(matches!(&app.token, TokenState::Signed(s) if s.key_name == "acme"), "{:?}", app.token);
    assert_eq!(app.state().key.as_deref(), Some("acme"), "remembered for the profile, as Enter would");
    let status = app.status.clone().map(|s| s.text).unwrap_or_default();
    assert!(status.starts_with("stored 'acme', which signs for Ticketping Chat Widget now"), "{status}");
    assert_eq!(app.keys.entries.get(app.keys.selected).map(|e| e.name.as_str()), Some("acme"), "selected");
    snapshots("a_new_key_signs", &app);
    // A generated secret (the worker's result comes back as KeyGenerated).
    let generated = tokensmith::store::keygen::generate(GenKind::Hmac, "fresh", NOW).expect("keygen");
    run_with_store(&mut app, &store, vec![Action::KeyGenerated(Ok(generated))]);
    assert_eq!(app.active_key().map(|k| k.name.as_str()), Some("fresh"));
    // An imported key that Ticketping cannot use: stored, and 'fresh' still signs.
    let mut actions = vec![Action::ImportKey];
    actions.extend(typing("pasted-ec"));
    actions.push(Action::Submit);
    actions.push(Action::Paste(include_str!("../../../tests/fixtures/keys/ec-p256-sec1.pem").into()));
    actions.push(Action::Submit);
    run_with_store(&mut app, &store, actions);
    assert_eq!(app.active_key().map(|k| k.name.as_str()), Some("fresh"));
    let status = app.status.clone().map(|s| s.text).unwrap_or_default();
    assert!(status.starts_with("stored 'pasted-ec' (EC P-256 private key"), "{status}");
    assert!(status.ends_with("'fresh' still signs: Ticketping Chat Widget needs an HMAC secret"), "{status}");
    // On an ES256 profile the same kind of key would have signed at once.
    let mut generic = app_on(&store, "generic-es256");
    let pem = include_str!("../../../tests/fixtures/keys/ec-p256-pkcs8.pem");
    let entry = import_entry("ec-2", pem, NOW).expect("import");
    run_with_store(&mut generic, &store, vec![Action::KeyGenerated(Ok(entry))]);
    assert_eq!(generic.active_key().map(|k| k.name.as_str()), Some("ec-2"));
}

/// An app on `profile` with the store's keys as they are on disk.
fn app_on(store: &tokensmith::store::StoreDir, profile: &str) -> App {
    app(profile, store.open(None).expect("open").entries)
}

/// A first run on an empty home, as the binary starts it: the demo key offered, then made.
fn first_run(home: &std::path::Path) -> (App, tokensmith::store::StoreDir) {
    let paths = tokensmith::paths::Paths::under(home);
    let store = tokensmith::store::StoreDir::new(&paths.data);
    let mut app = crate::tui::load(&paths, NOW);
    assert_eq!(app.mode, Mode::Confirm(Confirm::CreateDemo));
    // y: the demo secret is generated on the worker; its result comes back.
    assert!(matches!(run(&mut app, [Action::Submit]).as_slice(), [Effect::Generate { .. }]));
    run_with_store(&mut app, &store, vec![Action::KeyGenerated(Ok(generated_demo()))]);
    (app, store)
}

/// The demo secret as `y` makes it (32 random bytes as base64url text), with fixed bytes.
fn generated_demo() -> KeyEntry {
    let text = "1Xf_63rn8q-rHT3vvK-DdI55JR2KR-CkJOwssXsM9IE";
    let mut entry = secret_entry("demo", text.as_bytes().to_vec(), false, NOW).expect("entry");
    entry.description = "HMAC secret (43 characters from 32 random bytes), generated".into();
    entry.note = "demo secret made by tokensmith to try it out; not a vendor's".into();
    entry
}

/// Item 9: the README's picture of the workbench is what a first run shows at 100x30 once `y`
/// has made the demo key (from the binary, only the token's bytes differ: the key is random).
#[test]
fn the_readme_picture_is_a_first_run_at_100x30() {
    let home = tempfile::tempdir().expect("temp");
    let (app, _) = first_run(home.path());
    let picture = format!("```\n{}\n```", rows(&app, 100, 30).join("\n"));
    let readme = include_str!("../../../README.md");
    assert!(readme.contains(&picture), "README's workbench picture differs from a first run:\n{picture}");
}

/// The ids of the profiles the Profiles pane shows, and the numbers of its "↑ n" and "↓ n".
fn profiles_shown(app: &App, w: u16, h: u16) -> (Vec<String>, usize, usize) {
    let left =
        crate::tui::view::layout(ratatui::layout::Rect::new(0, 0, w, h), crate::tui::view::Wanted::of(app));
    let shown = rows(app, w, h);
    let inside: Vec<String> = shown
        .iter()
        .take(usize::from(left.profiles.bottom()))
        .map(|r| r.chars().skip(1).take(usize::from(left.profiles.width.saturating_sub(2))).collect())
        .collect();
    let ids: Vec<String> = inside
        .iter()
        .filter_map(|r| r.split_whitespace().next())
        .filter(|id| app.profiles.iter().any(|p| p.id == *id))
        .map(str::to_string)
        .collect();
    let count = |mark: &str| {
        inside
            .iter()
            .find_map(|r| {
                r.split_once(mark).and_then(|(_, rest)| rest.split_whitespace().next()?.parse().ok())
            })
            .unwrap_or(0)
    };
    (ids, count("↑ "), count("↓ "))
}

/// Item 1: where the profiles do not all fit, the pane counts those above and below and keeps
/// the selected one in sight; the selected profile's brief (name, algorithm, key kind) shows
/// on a first run, with no filter; a click on a scrolled list picks the profile it shows.
#[test]
fn the_profiles_pane_counts_what_is_out_of_sight_and_shows_the_brief() {
    let home = tempfile::tempdir().expect("temp");
    let (mut app, _store) = first_run(home.path());
    assert_eq!(app.current().map(|p| p.id.as_str()), Some("drift"), "a first run opens on an HMAC profile");
    let total = app.profiles.len();
    for (w, h) in SIZES {
        let (ids, above, below) = profiles_shown(&app, w, h);
        assert_eq!(ids.len() + above + below, total, "{w}x{h}: every profile is shown or counted: {ids:?}");
        assert!(ids.contains(&"drift".to_string()), "{w}x{h}");
        let text = rows(&app, w, h).join("\n");
        assert!(
            text.contains("Drift identity verification") && text.contains("HS256 · HMAC secret"),
            "{w}x{h}:\n{text}"
        );
        if below > 0 {
            assert!(text.contains(&format!("↓ {below} more")), "{w}x{h}:\n{text}");
        }
    }
    assert!(profiles_shown(&app, 100, 30).2 > 0, "at 100x30 the list does not fit, and says so");
    snapshots("first_run", &app);
    // The last profile selected: in sight, the ones above counted.
    app.focus = Pane::Profiles;
    run(&mut app, std::iter::repeat_n(Action::SelectNext, total));
    let last = app.current().map(|p| p.id.clone()).unwrap_or_default();
    for (w, h) in SIZES {
        let (ids, above, below) = profiles_shown(&app, w, h);
        assert!(ids.contains(&last), "{w}x{h}: '{last}' is out of sight: {ids:?}");
        assert_eq!((ids.len() + above, below), (total, 0), "{w}x{h}");
    }
    snapshots("last_profile_selected", &app);
    // A click on the first row shown picks that profile, not the list's first; on the brief, none.
    let areas = crate::tui::view::layout(
        ratatui::layout::Rect::new(0, 0, 100, 30),
        crate::tui::view::Wanted::of(&app),
    );
    let first_shown = profiles_shown(&app, 100, 30).0.first().cloned().unwrap_or_default();
    let index = crate::tui::view::profiles::profile_at(&app, areas.profiles, 0).expect("a profile row");
    let picked = app.visible_profiles().get(index).and_then(|&i| app.profiles.get(i)).map(|p| p.id.clone());
    assert_eq!(picked, Some(first_shown));
    let brief_row = usize::from(areas.profiles.height) - 3;
    assert_eq!(crate::tui::view::profiles::profile_at(&app, areas.profiles, brief_row), None);
}

/// Item 4: behind the passphrase dialog, a sealed store of 4 keys is shown as locked, not as
/// "no keys yet" (how many keys it holds is sealed too: src/store keeps no count outside the
/// ciphertext), and so it stays after Esc, until the passphrase opens it.
#[test]
fn a_locked_store_says_it_is_locked_not_empty() {
    if std::env::var_os("TOKENSMITH_PASSPHRASE").is_some() {
        eprintln!("skipped: TOKENSMITH_PASSPHRASE is set, so the workbench would not ask");
        return;
    }
    let home = tempfile::tempdir().expect("temp");
    let paths = tokensmith::paths::Paths::under(home.path());
    let store = tokensmith::store::StoreDir::new(&paths.data);
    for name in ["a", "b", "c", "d"] {
        let entry = secret_entry(name, format!("secret-{name}-0123456789abcdef").into_bytes(), false, NOW)
            .expect("entry");
        store.add(None, entry).expect("add");
    }
    let pass = tokensmith::secret::Secret::new(b"right horse".to_vec());
    store.lock(None, &pass).expect("lock");
    let mut app = crate::tui::load(&paths, NOW);
    assert_eq!(app.mode, Mode::Prompt(Prompt::Passphrase));
    assert!(app.keys.locked);
    for (w, h) in SIZES {
        let text = rows(&app, w, h).join("\n");
        assert!(!text.contains("no keys yet"), "{w}x{h}:\n{text}");
        assert!(text.contains("Locked: its keys"), "{w}x{h}: the Keys pane says locked:\n{text}");
    }
    snapshots("locked_store_behind_the_dialog", &app);
    run(&mut app, [Action::Cancel]);
    let text = rows(&app, 100, 30).join("\n");
    assert!(text.contains("the key store is locked") && !text.contains("no keys yet"), "{text}");
    app.focus = Pane::Keys;
    let mut actions = vec![Action::Unlock];
    actions.extend(typing("right horse"));
    actions.push(Action::Submit);
    run_with_store(&mut app, &store, actions);
    assert!(!app.keys.locked);
    assert_eq!(app.keys.entries.len(), 4);
}
