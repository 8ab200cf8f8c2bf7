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
        matches!(effects.as_slice(), [Effect::Copy { what, .. }] if what == "the html snippet"),
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
