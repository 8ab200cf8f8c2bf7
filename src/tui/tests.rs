//! Update tests (actions in, state and effects out) and view snapshots with a fixed clock.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use tui_input::InputRequest;

use tokensmith::profile::ProfileSet;
use tokensmith::store::keygen::GenKind;
use tokensmith::store::{KeyEntry, import_entry, secret_entry};

use super::action::{Action, Effect};
use super::app::{App, Confirm, EditTarget, Level, Mode, Pane, Prompt, Row, TokenState};
use super::update::update;
use super::view::{Theme, view};

/// 2026-01-01 00:00:00 UTC.
const NOW: i64 = 1_767_225_600;

fn demo_key() -> KeyEntry {
    let mut entry =
        secret_entry("demo", b"demo-secret-for-snapshots-0123456789".to_vec(), false, NOW).expect("entry");
    entry.note = "demo".into();
    entry
}

fn rsa_key() -> KeyEntry {
    let pem = include_str!("../../tests/fixtures/keys/rsa2048-pkcs8.pem");
    import_entry("orlo-test", pem, NOW).expect("rsa")
}

fn app(profile: &str, keys: Vec<KeyEntry>) -> App {
    let mut app = App::new(ProfileSet::load(None).profiles, NOW);
    app.keys.entries = keys;
    app.profile = app.profiles.iter().position(|p| p.id == profile).expect("profile");
    app.refresh();
    app
}

fn run(app: &mut App, actions: impl IntoIterator<Item = Action>) -> Vec<Effect> {
    actions.into_iter().flat_map(|a| update(app, a)).collect()
}

fn typing(text: &str) -> Vec<Action> {
    text.chars().map(|c| Action::Edit(InputRequest::InsertChar(c))).collect()
}

fn payload(app: &App) -> serde_json::Map<String, serde_json::Value> {
    match &app.token {
        TokenState::Signed(s) => s.payload.clone(),
        other => panic!("no token: {other:?}"),
    }
}

fn token(app: &App) -> String {
    match &app.token {
        TokenState::Signed(s) => s.token.clone(),
        other => panic!("no token: {other:?}"),
    }
}

fn edit_row(app: &mut App, row: usize, text: &str) -> Vec<Effect> {
    app.focus = Pane::Claims;
    app.claims_pane.row = row;
    let mut actions = vec![Action::EditRow, Action::Edit(InputRequest::DeleteLine)];
    actions.extend(typing(text));
    actions.push(Action::Submit);
    run(app, actions)
}

#[test]
fn deleting_and_revealing_a_key() {
    let mut app = app("ticketping", vec![demo_key()]);
    app.focus = Pane::Keys;
    run(&mut app, [Action::DeleteKey]);
    assert_eq!(app.mode, Mode::Confirm(Confirm::DeleteKey("demo".into())));
    assert!(run(&mut app, [Action::Decline]).is_empty());
    run(&mut app, [Action::DeleteKey]);
    assert_eq!(
        run(&mut app, [Action::Submit]),
        vec![Effect::StoreRemove { name: "demo".into(), id: Some(demo_key().identity()) }]
    );
    run(&mut app, [Action::RevealSecret]);
    assert!(app.keys.revealed.is_some());
    // The whole secret shows in an overlay, even where the Keys column is narrow.
    let shown = screen(&app, 80, 24);
    let text: String = shown.backend().buffer().content().iter().map(|c| c.symbol()).collect();
    assert!(text.contains("demo-secret-for-snapshots-0123456789"), "{text}");
    assert!(text.contains("hidden again in 10s"), "{text}");
    insta::assert_snapshot!("reveal_80x24", screen(&app, 80, 24).backend());
    insta::assert_snapshot!("reveal_120x40", screen(&app, 120, 40).backend());
    run(&mut app, [Action::Tick(NOW + 9)]);
    assert!(app.keys.revealed.is_some());
    run(&mut app, [Action::Tick(NOW + 10)]);
    assert!(app.keys.revealed.is_none());
}

fn screen(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|frame| {
            view(app, frame);
        })
        .expect("draws");
    terminal
}

macro_rules! snapshot {
    ($name:expr, $app:expr, $w:expr, $h:expr) => {
        insta::assert_snapshot!($name, screen(&$app, $w, $h).backend());
    };
}

#[test]
fn snapshots_of_each_state() {
    let mut empty = app("ticketping", Vec::new());
    empty.mode = Mode::Confirm(Confirm::CreateDemo);
    snapshot!("empty_store_80x24", empty, 80, 24);

    let valid = app("ticketping", vec![demo_key()]);
    snapshot!("valid_token_120x40", valid, 120, 40);
    snapshot!("valid_token_80x24", valid, 80, 24);

    let mut expired = app("ticketping", vec![demo_key()]);
    run(&mut expired, [Action::Tick(NOW + 361)]);
    snapshot!("expired_120x40", expired, 120, 40);

    let mut editing = app("ticketping", vec![demo_key()]);
    editing.focus = Pane::Claims;
    editing.claims_pane.row = 1;
    let mut actions = vec![Action::EditRow, Action::Edit(InputRequest::DeleteLine)];
    actions.extend(typing("ada@exa"));
    run(&mut editing, actions);
    assert_eq!(editing.mode, Mode::Editing(EditTarget::Row(Row::Field(1))));
    snapshot!("editing_field_120x40", editing, 120, 40);

    let mut invalid = app("ticketping", vec![demo_key()]);
    edit_row(&mut invalid, 1, "not-an-email");
    snapshot!("invalid_value_120x40", invalid, 120, 40);

    let mut help = app("ticketping", vec![demo_key()]);
    run(&mut help, [Action::ShowHelp]);
    snapshot!("help_overlay_120x40", help, 120, 40);

    let mut snippet = app("tiledesk", vec![demo_key()]);
    run(&mut snippet, [Action::ShowSnippet]);
    snapshot!("snippet_overlay_120x40", snippet, 120, 40);
    run(&mut snippet, [Action::NextFlavor]);
    assert_eq!(snippet.flavor().as_deref(), Some("html-v4"));
    run(&mut snippet, [Action::PrevFlavor, Action::PrevFlavor]);
    assert_eq!(snippet.flavor().as_deref(), Some("csharp"), "wraps around");

    let mut generating = app("orlo", vec![demo_key()]);
    generating.focus = Pane::Keys;
    generating.keys.generating = Some((GenKind::Rsa2048, "orlo-test".into()));
    snapshot!("generating_key_80x24", generating, 80, 24);

    let mut doctor = app("tiledesk", vec![demo_key()]);
    let mut actions = vec![Action::OpenDoctor];
    // {"alg":"HS256"} . {"name":"x","iat":1767225600000,"exp":"soon"} . sig
    actions.extend(typing(
        "eyJhbGciOiJIUzI1NiJ9.eyJuYW1lIjoieCIsImlhdCI6MTc2NzIyNTYwMDAwMCwiZXhwIjoic29vbiJ9.c2ln",
    ));
    actions.push(Action::Submit);
    run(&mut doctor, actions);
    snapshot!("doctor_120x40", doctor, 120, 40);

    let mut damaged = app("ticketping", Vec::new());
    damaged.keys.store_error =
        Some("the key store /home/u/keys.json is damaged (EOF while parsing, line 3)".into());
    damaged.refresh();
    snapshot!("damaged_store_80x24", damaged, 80, 24);

    // Keys with a profile and a fingerprint each, the store being locked.
    let mut tied = rsa_key();
    tied.profile = Some("orlo".into());
    let mut locking = app("orlo", vec![demo_key(), tied]);
    locking.focus = Pane::Keys;
    let mut actions = vec![Action::LockStore];
    actions.extend(typing("correct horse"));
    actions.push(Action::Submit);
    run(&mut locking, actions);
    assert_eq!(locking.mode, Mode::Prompt(Prompt::NewPassphraseAgain));
    snapshot!("locking_store_80x24", locking, 80, 24);
    snapshot!("locking_store_120x40", locking, 120, 40);

    // The token pane scrolled to its end with End, on a small terminal.
    let mut scrolled = app("ticketping", vec![demo_key()]);
    scrolled.focus = Pane::Token;
    scrolled.token_pane.extent = Some((11, 10));
    run(&mut scrolled, [Action::ScrollBottom]);
    assert_eq!(scrolled.token_pane.scroll, 11);
    run(&mut scrolled, [Action::ScrollDown, Action::ScrollPageUp]);
    assert_eq!(scrolled.token_pane.scroll, 2, "never past the end, a page is its height less one line");
    run(&mut scrolled, [Action::ScrollBottom]);
    snapshot!("token_scrolled_to_end_80x24", scrolled, 80, 24);
}

/// Every state worth drawing, for the every-size test.
fn states() -> Vec<App> {
    let mut states = Vec::new();
    states.push(app("ticketping", vec![demo_key()]));
    let mut empty = app("ticketping", Vec::new());
    empty.mode = Mode::Confirm(Confirm::CreateDemo);
    states.push(empty);
    let mut long = app("orlo", vec![rsa_key()]);
    long.focus = Pane::Claims;
    let mut actions = vec![Action::AddClaim];
    actions.extend(typing("A claim name far longer than any pane is wide, with ünïcödé and 漢字"));
    actions.push(Action::Submit);
    actions.extend(typing("漢字".repeat(40).as_str()));
    actions.push(Action::Submit);
    run(&mut long, actions);
    states.push(long);
    for action in [Action::ShowHelp, Action::ShowSnippet] {
        let mut overlay = app("tiledesk", vec![demo_key()]);
        run(&mut overlay, [action]);
        states.push(overlay);
    }
    let mut doctor = app("tiledesk", vec![demo_key()]);
    let mut actions = vec![Action::OpenDoctor];
    actions.extend(typing("ab€cdefgh"));
    actions.push(Action::Submit);
    run(&mut doctor, actions);
    states.push(doctor);
    states
}

#[test]
fn every_size_from_1x1_to_300x100_draws_without_panicking() {
    let states = states();
    // Every one of the 30,000 sizes for the state with the longest texts; the other states on a
    // grid that keeps every size below the minimum and around it. Two threads, one per core.
    let sizes = |all: bool| -> Vec<(u16, u16)> {
        (1..=300u16)
            .flat_map(|w| (1..=100u16).map(move |h| (w, h)))
            .filter(|&(w, h)| {
                all || ((w <= 60 || w % 9 == 0 || w == 300) && (h <= 20 || h % 7 == 0 || h == 100))
            })
            .collect()
    };
    std::thread::scope(|scope| {
        for half in 0..2usize {
            let states = &states;
            scope.spawn(move || {
                for (i, state) in states.iter().enumerate() {
                    let mut terminal = Terminal::new(TestBackend::new(1, 1)).expect("terminal");
                    for (n, (width, height)) in sizes(i == 2).into_iter().enumerate() {
                        if n % 2 != half {
                            continue;
                        }
                        terminal.backend_mut().resize(width, height);
                        terminal
                            .draw(|frame| {
                                view(state, frame);
                            })
                            .unwrap_or_else(|e| panic!("state {i} at {width}x{height}: {e}"));
                    }
                }
            });
        }
    });
    // Below the minimum the screen says so instead of drawing squashed panes.
    let tiny = screen(&states[0], 30, 8);
    let text: String = tiny.backend().buffer().content().iter().map(|c| c.symbol()).collect();
    assert!(text.contains("too small"), "{text}");
}

#[test]
fn a_brief_too_long_for_its_pane_says_where_the_rest_is() {
    let text_of = |width, height| {
        // Filtered, as a user finds it: the list is short and the brief has the rest.
        let mut app = app("zendesk-chat", vec![demo_key()]);
        app.filter = "zendesk".into();
        let shown = screen(&app, width, height);
        shown.backend().buffer().content().iter().map(|c| c.symbol()).collect::<String>()
    };
    let short = text_of(100, 30);
    assert!(short.contains("profile show zendesk-chat"), "{short}");
    let tall = text_of(160, 80);
    assert!(!tall.contains("profile show"), "{tall}");
    let last_note = app("zendesk-chat", Vec::new()).current().and_then(|p| p.notes.last().cloned());
    let last_word = last_note.as_deref().and_then(|n| n.split_whitespace().last()).unwrap_or("-");
    assert!(tall.contains(last_word), "{last_word} in {tall}");
}

#[test]
fn copied_and_pasted_tokens_go_into_the_history() {
    let mut app = app("ticketping", vec![demo_key()]);
    let effects = run(&mut app, [Action::CopyToken]);
    assert!(effects.iter().any(|e| matches!(e, Effect::RecordHistory(_))));
    assert!(
        run(&mut app, [Action::CopyToken]).iter().all(|e| !matches!(e, Effect::RecordHistory(_))),
        "a repeat is one entry"
    );
    let mut actions = vec![Action::OpenDoctor, Action::Paste(token(&app))];
    actions.push(Action::Submit);
    run(&mut app, actions);
    // the same token pasted back is the same entry; a different one is new
    assert_eq!(app.history.entries.len(), 1);
    run(&mut app, [Action::CloseDoctor]);
    edit_row(&mut app, 1, "grace@example.org");
    run(&mut app, [Action::CopyToken]);
    assert_eq!(app.history.entries.len(), 2);
    assert!(
        app.history
            .entries
            .iter()
            .all(|e| !serde_json::to_string(e).unwrap_or_default().contains(&token(&app))),
        "never the token"
    );
    run(&mut app, [Action::ShowHistory]);
    assert_eq!(app.mode, Mode::History);
    snapshot!("history_120x40", app, 120, 40);
    snapshot!("history_80x24", app, 80, 24);
    run(&mut app, [Action::SelectNext]);
    assert_eq!(app.history.selected, 1);
    run(&mut app, [Action::Cancel]);
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn a_pasted_private_key_is_summarized_never_echoed_whatever_its_line_breaks() {
    let pem = include_str!("../../tests/fixtures/keys/ec-p256-pkcs8.pem");
    for breaks in ["\n", "\r", "\r\n"] {
        let mut app = app("ticketping", vec![demo_key()]);
        app.focus = Pane::Keys;
        let mut actions = vec![Action::ImportKey];
        actions.extend(typing("pasted"));
        actions.push(Action::Submit);
        actions.push(Action::Paste(pem.replace('\n', breaks)));
        run(&mut app, actions);
        let summary = app.input_summary.clone().unwrap_or_default();
        assert!(
            summary.starts_with("EC P-256 private key") && summary.contains("lines"),
            "{breaks:?}: {summary}"
        );
        let shown = screen(&app, 120, 40);
        let text: String = shown.backend().buffer().content().iter().map(|c| c.symbol()).collect();
        let body = pem.lines().nth(1).unwrap_or_default();
        assert!(!text.contains(&body[..20]), "{breaks:?}: the key's text is on screen");
        assert!(text.contains("EC P-256 private key"), "{breaks:?}");
        if breaks == "\r" {
            insta::assert_snapshot!("pasted_key_summary_120x40", shown.backend());
            insta::assert_snapshot!("pasted_key_summary_80x24", screen(&app, 80, 24).backend());
        }
        let effects = run(&mut app, [Action::Submit]);
        assert!(
            matches!(effects.as_slice(), [Effect::StoreAdd(e)] if e.name == "pasted"),
            "{breaks:?}: {effects:?}"
        );
    }
}

#[test]
fn the_claims_pane_sets_header_fields_and_a_lifetime_as_sign_does() {
    let mut app = app("tiledesk", vec![demo_key()]);
    app.focus = Pane::Claims;
    let mut actions = vec![Action::AddHeader];
    actions.extend(typing("kid"));
    actions.push(Action::Submit);
    actions.extend(typing("app_123"));
    actions.push(Action::Submit);
    run(&mut app, actions);
    let TokenState::Signed(signed) = &app.token else { panic!("{:?}", app.token) };
    assert_eq!(signed.header["kid"], "app_123");
    // alg and crit cannot be set
    let mut actions = vec![Action::AddHeader];
    actions.extend(typing("crit"));
    actions.push(Action::Submit);
    run(&mut app, actions);
    assert_eq!(app.status.as_ref().map(|s| s.level), Some(Level::Error));
    // The lifetime sets exp, and 11 minutes breaks the seed page's 10-minute rule (a warning).
    let lifetime = app.rows().iter().position(|r| *r == Row::Lifetime).expect("a lifetime row");
    edit_row(&mut app, lifetime, "11m");
    assert_eq!(payload(&app)["exp"], NOW + 660);
    assert!(app.warnings.iter().any(|f| f.code == "time.lifetime-max"), "{:?}", app.warnings);
    edit_row(&mut app, lifetime, "soon");
    assert!(app.claims_pane.errors[lifetime].is_some(), "an unreadable lifetime is marked on its row");
    run(&mut app, [Action::ResetRow]);
    assert_eq!(payload(&app)["exp"], NOW + 300, "back to the profile's exp");
    snapshot_rows(&app);
}

fn snapshot_rows(app: &App) {
    insta::assert_snapshot!("claims_with_header_and_lifetime_120x40", screen(app, 120, 40).backend());
    insta::assert_snapshot!("claims_with_header_and_lifetime_80x24", screen(app, 80, 24).backend());
}

/// Runs actions through update and performs the store effects against a real store on disk, as
/// the loop does, feeding their results back in.
fn run_with_store(app: &mut App, store: &tokensmith::store::StoreDir, actions: Vec<Action>) {
    let mut queue: std::collections::VecDeque<Action> = actions.into();
    while let Some(action) = queue.pop_front() {
        for effect in update(app, action) {
            if matches!(effect, Effect::SaveSession | Effect::Copy { .. }) {
                continue;
            }
            queue.extend(perform_effect(app, store, effect));
        }
    }
}

/// The loop's `perform` for one effect, against the store in a temp folder.
fn perform_effect(app: &App, store: &tokensmith::store::StoreDir, effect: Effect) -> Vec<Action> {
    let paths = tokensmith::paths::Paths::under(store.path().parent().expect("store folder"));
    let mut clipboard = super::clipboard::Clipboard::new(super::clipboard::ClipboardSetting::Osc52, false);
    let (worker, results) = std::sync::mpsc::channel();
    // A keyset is read on the worker thread: its result is waited for here.
    let waits = matches!(effect, Effect::FetchKeyset { .. } | Effect::Probe { .. } | Effect::ReadHar { .. });
    let mut actions = super::perform(effect, app, &paths, store, &mut clipboard, &worker);
    if waits {
        actions.extend(results.recv_timeout(std::time::Duration::from_secs(30)).ok());
    }
    actions
}

/// Performs one effect and feeds its results back in.
fn perform_one(app: &mut App, store: &tokensmith::store::StoreDir, effect: Effect) {
    let actions = perform_effect(app, store, effect);
    run_with_store(app, store, actions);
}

#[test]
fn an_identity_hash_profile_shows_and_copies_the_hash() {
    // python3: hmac.new(b"demo-secret-for-snapshots-0123456789", b"4242", hashlib.sha256).hexdigest()
    const EXPECTED: &str = "f466c139a3c9ca665463f06bf76fb47f6f047cffac7b1029cd2687ee558f7abb";
    let mut hashed = app("intercom-hash", vec![demo_key()]);
    match &hashed.token {
        TokenState::Hashed(h) => {
            assert_eq!(
                (h.hash.as_str(), h.field.as_str(), h.identifier.as_str()),
                (EXPECTED, "user_id", "4242")
            );
        }
        other => panic!("{other:?}"),
    }
    snapshot!("identity_hash_80x24", hashed, 80, 24);
    snapshot!("identity_hash_120x40", hashed, 120, 40);
    let effects = run(&mut hashed, [Action::CopyToken]);
    assert!(
        effects.contains(&Effect::Copy { text: EXPECTED.into(), what: "the user_hash".into() }),
        "{effects:?}"
    );
    run(&mut hashed, [Action::ShowSnippet]);
    let snippet = hashed.snippet().expect("a snippet");
    assert!(snippet.contains(&format!("user_hash: \"{EXPECTED}\"")), "{snippet}");
    // HubSpot's tokens come from HubSpot: the pane says so instead of signing.
    let mut hubspot = app("hubspot", vec![demo_key()]);
    assert!(
        matches!(&hubspot.token, TokenState::NoKey(why) if why.contains("cannot sign")),
        "{:?}",
        hubspot.token
    );
    // Its doctor decodes and judges the times, with no algorithm or signature errors:
    // {"alg":"HS256"}.{"email":"a@b.co","iat":1767225600,"exp":1767268800} (12 h), judged at NOW.
    let mut actions = vec![Action::OpenDoctor];
    actions.extend(typing(
        "eyJhbGciOiJIUzI1NiJ9.eyJlbWFpbCI6ImFAYi5jbyIsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjoxNzY3MjY4ODAwfQ.c2ln",
    ));
    actions.push(Action::Submit);
    run(&mut hubspot, actions);
    let report = hubspot.doctor.report.as_ref().expect("a report");
    assert_eq!(report.codes(), vec!["signature.unchecked"], "{report:?}");

    // A customer's hash pasted into the doctor: judged against the identifier in the Claims pane.
    let mut actions = vec![Action::OpenDoctor];
    actions.extend(typing(&EXPECTED.to_uppercase()));
    actions.push(Action::Submit);
    run(&mut hashed, [Action::Cancel]);
    run(&mut hashed, actions);
    let report = hashed.doctor.report.as_ref().expect("a report");
    assert_eq!(report.codes(), vec!["hash.upper-hex"], "{report:?}");
    snapshot!("identity_hash_doctor_120x40", hashed, 120, 40);
    let mut actions = vec![Action::OpenDoctor, Action::Edit(InputRequest::DeleteLine)];
    actions.extend(typing(EXPECTED));
    actions.push(Action::Submit);
    run(&mut hashed, actions);
    let report = hashed.doctor.report.as_ref().expect("a report");
    assert!(report.passes() && report.verified_with.is_some(), "{report:?}");
}

/// Issue 21's first hour: what a new user met in the workbench.
mod first_hour;
/// Issue 19's cases: a stranger's bytes, a FIFO, a second process on the store.
mod har;
mod hardening;
/// Issue 22's key forms: a DER file, an encrypted key and its masked passphrase prompt.
mod key_import;
/// The Keys pane against a real store.
mod keys;
/// The doctor against a keyset (J): issue 22, item 3.
mod keyset;
/// The doctor probing a token endpoint (P): issue 23, item 3.
mod probe;
/// What keys do to the state and which effects they ask for.
mod update;
