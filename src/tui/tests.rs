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
    app.claim_row = row;
    let mut actions = vec![Action::EditRow, Action::Edit(InputRequest::DeleteLine)];
    actions.extend(typing(text));
    actions.push(Action::Submit);
    run(app, actions)
}

#[test]
fn a_valid_token_is_signed_at_once_with_the_profile_shape() {
    let app = app("ticketping", vec![demo_key()]);
    let payload = payload(&app);
    assert_eq!(payload.keys().collect::<Vec<_>>(), ["external_id", "email", "display_name", "exp"]);
    assert_eq!(payload["exp"], NOW + 300);
    assert!(app.warnings.is_empty(), "{:?}", app.warnings);
}

#[test]
fn editing_a_claim_re_signs_and_saves_the_session() {
    let mut app = app("ticketping", vec![demo_key()]);
    let before = token(&app);
    let effects = edit_row(&mut app, 1, "ada@example.com");
    assert_eq!(payload(&app)["email"], "ada@example.com");
    assert_ne!(token(&app), before);
    assert_eq!(effects, vec![Effect::SaveSession]);
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn escape_cancels_an_edit_and_keeps_the_value() {
    let mut app = app("ticketping", vec![demo_key()]);
    app.focus = Pane::Claims;
    app.claim_row = 1;
    let mut actions = vec![Action::EditRow];
    actions.extend(typing("zzz"));
    actions.push(Action::Cancel);
    run(&mut app, actions);
    assert_eq!(payload(&app)["email"], "alice@example.com");
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn a_value_that_does_not_fit_its_type_is_shown_inline_and_blocks_signing() {
    let mut app = app("ticketping", vec![demo_key()]);
    edit_row(&mut app, 1, "nope");
    assert_eq!(app.row_errors[1].as_deref(), Some("'nope' is not an email address (name@example.com)"));
    assert!(
        matches!(&app.token, TokenState::Error(e) if e.contains("claim 'email'") && !e.contains(":=JSON")),
        "{:?}",
        app.token
    );
    run(&mut app, [Action::ResetRow]);
    assert_eq!(payload(&app)["email"], "alice@example.com");
    assert_eq!(app.row_errors[1], None);
}

#[test]
fn time_fields_take_expressions() {
    let mut app = app("ticketping", vec![demo_key()]);
    edit_row(&mut app, 3, "now+20m");
    assert_eq!(payload(&app)["exp"], NOW + 1200);
    let found: Vec<&str> = app.warnings.iter().map(|f| f.found.as_str()).collect();
    assert_eq!(
        found,
        vec![
            "exp is 20m after now; seed page: Ticketping: Authenticate your users (its field table and server samples) recommends 5m"
        ]
    );
}

#[test]
fn parameters_feed_claims_and_broken_rules_are_marked() {
    let mut app = app("tiledesk", vec![demo_key()]);
    let param_row = app.rows().iter().position(|r| matches!(r, Row::Param(_))).expect("a parameter row");
    app.focus = Pane::Claims;
    app.claim_row = param_row;
    run(&mut app, [Action::EditRow]);
    assert_eq!(app.input.value(), "", "a placeholder is replaced, not appended to");
    run(&mut app, [Action::Cancel]);
    edit_row(&mut app, param_row, "65f0");
    assert_eq!(payload(&app)["aud"], "https://tiledesk.com/projects/65f0");
    assert_eq!(payload(&app)["_id"], "65f0_user-123456");
    assert!(app.warnings.is_empty(), "{:?}", app.warnings);
    // exp 11 minutes out breaks the seed page's 10-minute rule: marked, with its source, not an error
    let exp_row = app
        .rows()
        .iter()
        .position(
            |r| matches!(r, Row::Field(i) if app.profiles[app.profile].claims[*i].path.to_string() == "exp"),
        )
        .expect("exp row");
    edit_row(&mut app, exp_row, "now+11m");
    let codes: Vec<(&str, tokensmith::doctor::Severity, Option<&str>)> =
        app.warnings.iter().map(|f| (f.code, f.severity, f.source.as_ref().map(|s| s.id.as_str()))).collect();
    assert_eq!(codes, vec![("time.lifetime-max", tokensmith::doctor::Severity::Warning, Some("seed"))]);
    // sub other than userexternal breaks the server's rule: an error
    let sub_row = app
        .rows()
        .iter()
        .position(
            |r| matches!(r, Row::Field(i) if app.profiles[app.profile].claims[*i].path.to_string() == "sub"),
        )
        .expect("sub row");
    edit_row(&mut app, sub_row, "agent");
    assert!(
        app.warnings
            .iter()
            .any(|f| f.code == "claim.pattern" && f.severity == tokensmith::doctor::Severity::Error),
        "{:?}",
        app.warnings
    );
}

#[test]
fn free_claims_keep_their_json_type_where_the_profile_allows_them() {
    let mut app = app("orlo", vec![rsa_key()]);
    app.focus = Pane::Claims;
    let mut actions = vec![Action::AddClaim];
    actions.extend(typing("User ID"));
    actions.push(Action::Submit);
    actions.extend(typing("124"));
    actions.push(Action::Submit);
    run(&mut app, actions);
    assert_eq!(payload(&app)["User ID"], 124);
    assert_eq!(app.rows()[app.claim_row], Row::Extra(0));
    run(&mut app, [Action::DeleteClaim]);
    assert!(!payload(&app).contains_key("User ID"));

    // Talla takes no extra claims, but the registered ones may be added, as with `sign`.
    let mut talla = self::app("talla", vec![demo_key()]);
    talla.focus = Pane::Claims;
    let mut actions = vec![Action::AddClaim];
    actions.extend(typing("nickname"));
    actions.push(Action::Submit);
    run(&mut talla, actions);
    assert_eq!(talla.mode, Mode::Normal);
    assert_eq!(talla.status.as_ref().map(|s| s.level), Some(Level::Error));
    let mut actions = vec![Action::AddClaim];
    actions.extend(typing("sub"));
    actions.push(Action::Submit);
    actions.extend(typing("user-42"));
    actions.push(Action::Submit);
    run(&mut talla, actions);
    assert_eq!(payload(&talla)["sub"], "user-42");
}

#[test]
fn switching_profiles_re_signs_and_remembers_values() {
    let mut app = app("ticketping", vec![demo_key()]);
    edit_row(&mut app, 1, "kept@example.com");
    app.set_status(Level::Error, "about Ticketping");
    app.focus = Pane::Profiles;
    app.token_scroll = 7;
    let effects = run(&mut app, [Action::SelectNext]);
    assert_eq!(app.current().map(|p| p.id.as_str()), Some("tiledesk"));
    assert_eq!(app.status, None, "a message about the last profile is gone");
    assert_eq!(app.token_scroll, 0, "the new token is shown from its start");
    assert_eq!(payload(&app)["iat"], NOW);
    assert!(effects.contains(&Effect::SaveSession));
    run(&mut app, [Action::SelectPrev]);
    assert_eq!(payload(&app)["email"], "kept@example.com");
}

#[test]
fn the_filter_narrows_and_selects() {
    let mut app = app("orlo", vec![demo_key()]);
    app.focus = Pane::Profiles;
    let mut actions = vec![Action::StartFilter];
    actions.extend(typing("tile"));
    run(&mut app, actions);
    assert_eq!(app.visible_profiles().len(), 1);
    assert_eq!(app.current().map(|p| p.id.as_str()), Some("tiledesk"));
    run(&mut app, [Action::Submit]);
    assert_eq!(app.filter, "tile");
    run(&mut app, [Action::StartFilter, Action::Cancel]);
    assert_eq!(app.filter, "");
}

#[test]
fn an_rsa_profile_without_an_rsa_key_says_what_to_do() {
    let app = app("orlo", vec![demo_key()]);
    assert!(
        matches!(&app.token, TokenState::NoKey(m) if m.contains("needs an RSA key pair")),
        "{:?}",
        app.token
    );
    let mut app = self::app("orlo", vec![demo_key(), rsa_key()]);
    assert_eq!(payload(&app).keys().collect::<Vec<_>>(), ["name", "isLoggedIn"]);
    app.focus = Pane::Keys;
    app.keys.selected = 0;
    run(&mut app, [Action::UseKey]);
    assert_eq!(app.status.as_ref().map(|s| s.level), Some(Level::Error));
}

#[test]
fn copying_asks_the_loop_for_the_clipboard() {
    let mut app = app("tiledesk", vec![demo_key()]);
    let effects = run(&mut app, [Action::CopyToken]);
    assert_eq!(effects.first(), Some(&Effect::Copy { text: token(&app), what: "the token".into() }));
    assert!(matches!(effects.get(1), Some(Effect::RecordHistory(_))), "and it goes into the history");
    let effects = run(&mut app, [Action::CopySnippet]);
    match effects.as_slice() {
        [Effect::Copy { text, what }] => {
            assert_eq!(what, "the html snippet");
            assert!(
                text.contains(&token(&app)) && text.contains(r#"signInWithCustomToken("JWT " + token)"#),
                "{text}"
            );
        }
        other => panic!("{other:?}"),
    }
    run(&mut app, [Action::Copied { what: "the token".into(), how: "OSC 52 via the terminal".into() }]);
    assert_eq!(
        app.status.as_ref().map(|s| s.text.as_str()),
        Some("copied the token (OSC 52 via the terminal)")
    );
    let mut empty = self::app("tiledesk", Vec::new());
    assert!(run(&mut empty, [Action::CopyToken]).is_empty());
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

#[test]
fn first_run_offers_a_demo_key() {
    let mut app = app("ticketping", Vec::new());
    app.mode = Mode::Confirm(Confirm::CreateDemo);
    let effects = run(&mut app, [Action::Submit]);
    assert!(
        matches!(effects.as_slice(), [Effect::Generate { kind: GenKind::Hmac, name, .. }] if name == "demo")
    );
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
    actions.push(Action::Paste(include_str!("../../tests/fixtures/keys/ec-p256-sec1.pem").into()));
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
fn quitting_asks_while_an_edit_is_open() {
    let mut app = app("ticketping", vec![demo_key()]);
    app.focus = Pane::Claims;
    run(&mut app, [Action::EditRow, Action::Quit]);
    assert_eq!(app.mode, Mode::Confirm(Confirm::QuitWhileEditing));
    assert!(!app.quit);
    assert_eq!(run(&mut app, [Action::Submit]), vec![Effect::SaveSession]);
    assert!(app.quit);
}

#[test]
fn the_countdown_turns_amber_then_red() {
    let theme = Theme { color: true };
    let span = super::view::token::countdown(NOW + 300, NOW, &theme);
    assert_eq!((span.content.as_ref(), span.style.fg), ("expires in 5m", Some(Color::Green)));
    let span = super::view::token::countdown(NOW + 30, NOW, &theme);
    assert_eq!((span.content.as_ref(), span.style.fg), ("expires in 30s", Some(Color::Yellow)));
    let span = super::view::token::countdown(NOW - 61, NOW, &theme);
    assert_eq!((span.content.as_ref(), span.style.fg), ("expired 1m 1s ago", Some(Color::Red)));
    let plain = super::view::token::countdown(NOW - 61, NOW, &Theme { color: false });
    assert_eq!(plain.style.fg, None, "NO_COLOR: no colours");
}

#[test]
fn the_doctor_judges_a_pasted_token_against_the_profile_and_stored_keys() {
    let mut app = app("tiledesk", vec![demo_key()]);
    let param_row = app.rows().iter().position(|r| matches!(r, Row::Param(_))).expect("a parameter row");
    edit_row(&mut app, param_row, "65f0c0ffee00000000000000");
    let good = token(&app);
    let mut actions = vec![Action::OpenDoctor];
    actions.push(Action::Paste(format!("\"Bearer {good}\"\n")));
    actions.push(Action::Submit);
    run(&mut app, actions);
    let report = app.doctor.clone().expect("report");
    assert_eq!(
        report.codes(),
        // the copied line break is dropped at the paste, so no whitespace note
        ["input.quotes", "input.bearer-prefix", "signature.valid"]
    );
    assert_eq!(report.verified_with.as_deref(), Some("stored key 'demo'"));
    // picking another profile (Orlo: RS256 only) re-judges the same token
    app.focus = Pane::Profiles;
    // (walk up to it: how many profiles sit between depends on which are built in)
    for _ in 0..app.profiles.len() {
        if app.current().is_some_and(|p| p.id == "orlo") {
            break;
        }
        run(&mut app, [Action::SelectPrev]);
    }
    assert_eq!(app.current().map(|p| p.id.as_str()), Some("orlo"));
    let report = app.doctor.clone().expect("report");
    assert!(!report.passes(), "{:?}", report.codes());
    run(&mut app, [Action::CloseDoctor]);
    assert!(app.doctor.is_none());
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
    editing.claim_row = 1;
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
    scrolled.token_view = Some((11, 10));
    run(&mut scrolled, [Action::ScrollBottom]);
    assert_eq!(scrolled.token_scroll, 11);
    run(&mut scrolled, [Action::ScrollDown, Action::ScrollPageUp]);
    assert_eq!(scrolled.token_scroll, 2, "never past the end, a page is its height less one line");
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
fn pastes_keep_line_breaks_where_they_belong_and_go_in_whole() {
    use super::update::paste_into_input;
    let mut input = tui_input::Input::new("ab".into()).with_cursor(1);
    paste_into_input(&mut input, "X\r\nY\rZ\n", true);
    assert_eq!((input.value(), input.cursor()), ("aX\nY\nZ\nb", 7));
    let mut secret = tui_input::Input::default();
    paste_into_input(&mut secret, "acme-secret\r", false);
    assert_eq!(secret.value(), "acme-secret", "the copied line break is not part of a secret");
    let mut one_line = tui_input::Input::new("€".into());
    paste_into_input(&mut one_line, "a\rb\n\n", false);
    assert_eq!((one_line.value(), one_line.cursor()), ("€a b", 4));
    // A megabyte goes in whole (the old per-character insert was quadratic: minutes).
    let big = "x".repeat(1 << 20);
    let mut app = app("tiledesk", vec![demo_key()]);
    run(&mut app, [Action::OpenDoctor, Action::Paste(big.clone())]);
    assert_eq!(app.input.value().len(), big.len());
    run(&mut app, [Action::Submit]);
    assert_eq!(app.doctor.as_ref().map(|r| r.codes()), Some(vec!["not-jwt.segments"]));
}

#[test]
fn a_first_run_opens_on_a_profile_it_can_sign() {
    // No keys yet: the demo key (HMAC) will fit the first HMAC profile, not RS256 Orlo.
    let mut empty = app("orlo", Vec::new());
    empty.open_on_signable_profile();
    assert_eq!(empty.current().map(|p| p.key_kind), Some(tokensmith::token::Family::Hmac));
    run(&mut empty, [Action::StoreLoaded(Ok(vec![demo_key()]))]);
    assert!(
        matches!(empty.token, TokenState::Signed(_)),
        "one keypress after the demo key: {:?}",
        empty.token
    );
    // A stored RSA key: Orlo stays; from an HMAC profile, the RSA one is chosen.
    let mut rsa = app("orlo", vec![rsa_key()]);
    rsa.open_on_signable_profile();
    assert_eq!(rsa.current().map(|p| p.id.as_str()), Some("orlo"));
    let mut moved = app("talla", vec![rsa_key()]);
    moved.open_on_signable_profile();
    assert_eq!(moved.current().map(|p| p.key_kind), Some(tokensmith::token::Family::Rsa));
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
fn help_keys_never_run_into_their_text() {
    let theme = super::view::Theme { color: false };
    for line in super::view::overlay::help_lines(&theme) {
        let [key, text] = line.spans.as_slice() else { continue };
        assert!(key.content.ends_with("  "), "{:?} runs into {:?}", key.content, text.content);
    }
}

#[test]
fn the_snippet_is_derived_when_its_inputs_change_not_on_a_tick() {
    let mut app = app("tiledesk", vec![demo_key()]);
    assert_eq!(app.snippet_text, None, "nothing is rendered before it is shown");
    run(&mut app, [Action::ShowSnippet]);
    let html = app.snippet_text.clone().expect("a snippet");
    assert!(html.contains("signInWithCustomToken"), "{html}");
    run(&mut app, [Action::Tick(NOW + 30)]);
    assert_eq!(app.snippet_text.as_deref(), Some(html.as_str()), "a tick changes nothing");
    run(&mut app, [Action::NextFlavor]);
    let v4 = app.snippet_text.clone().expect("a snippet");
    assert!(v4.contains("autoStart"), "the next flavour is rendered: {v4}");
    let param_row = app.rows().iter().position(|r| matches!(r, Row::Param(_))).expect("a parameter row");
    edit_row(&mut app, param_row, "65f0");
    assert_eq!(app.snippet_text, None, "not kept while hidden");
    run(&mut app, [Action::ShowSnippet]);
    assert!(
        app.snippet_text.as_deref().is_some_and(|s| s.contains("65f0")),
        "shown again, from the new inputs"
    );
    // The pretty JSON is made once, with the token.
    let TokenState::Signed(signed) = &app.token else { panic!("a token") };
    assert!(signed.payload_text.contains("\"aud\": \"https://tiledesk.com/projects/65f0\""));
}

#[test]
fn server_flavours_need_no_key() {
    let mut app = app("ticketping", Vec::new());
    run(&mut app, [Action::ShowSnippet]);
    assert_eq!(app.mode, Mode::Snippet, "the overlay opens without a token");
    assert_eq!(app.snippet_text, None, "the page flavour needs a token");
    while app.flavor().as_deref() != Some("node") {
        run(&mut app, [Action::NextFlavor]);
    }
    let code = app.snippet_text.clone().expect("server code without a key");
    assert!(
        code.contains("function issueToken(user)") && code.contains("/api/ticketping/chat-jwt"),
        "{code}"
    );
}

#[test]
fn the_life_line_shows_now_exp_and_the_vendors_maximum() {
    use super::view::token::life_line;
    let theme = super::view::Theme { color: true };
    let tiledesk = ProfileSet::load(None).get("tiledesk").expect("tiledesk").clone();
    let payload = |iat: i64, exp: i64| {
        serde_json::json!({ "iat": iat, "exp": exp }).as_object().cloned().unwrap_or_default()
    };
    let text = |line: &ratatui::text::Line| line.spans.iter().map(|s| s.content.as_ref()).collect::<String>();
    let line = life_line(&payload(NOW, NOW + 300), &tiledesk.time, NOW + 60, 100, &theme).expect("a line");
    let shown = text(&line);
    assert!(shown.starts_with("iat ") && shown.ends_with("  1m of 5m (┤ exp · │ max 10m)"), "{shown}");
    let (now, exp, max) = (shown.find('●'), shown.find('┤'), shown.find('│'));
    assert!(now < exp && exp < max, "now, then exp, then the maximum: {shown}");
    // Past the maximum: the part beyond it is red.
    let line = life_line(&payload(NOW, NOW + 900), &tiledesk.time, NOW, 100, &theme).expect("a line");
    assert!(line.spans.iter().any(|s| s.style.fg == Some(Color::Red)), "{}", text(&line));
    // No iat or nbf, or no room: no line rather than a wrong one.
    let exp_only = serde_json::json!({ "exp": NOW }).as_object().cloned().unwrap_or_default();
    assert!(life_line(&exp_only, &tiledesk.time, NOW, 100, &theme).is_none());
    assert!(life_line(&payload(NOW, NOW + 300), &tiledesk.time, NOW, 20, &theme).is_none());
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
    assert_eq!(app.history.len(), 1);
    run(&mut app, [Action::CloseDoctor]);
    edit_row(&mut app, 1, "grace@example.org");
    run(&mut app, [Action::CopyToken]);
    assert_eq!(app.history.len(), 2);
    assert!(
        app.history.iter().all(|e| !serde_json::to_string(e).unwrap_or_default().contains(&token(&app))),
        "never the token"
    );
    run(&mut app, [Action::ShowHistory]);
    assert_eq!(app.mode, Mode::History);
    snapshot!("history_120x40", app, 120, 40);
    snapshot!("history_80x24", app, 80, 24);
    run(&mut app, [Action::SelectNext]);
    assert_eq!(app.history_selected, 1);
    run(&mut app, [Action::Cancel]);
    assert_eq!(app.mode, Mode::Normal);
}

#[test]
fn words_wrap_without_splitting_characters() {
    use super::view::profiles::wrap_words;
    assert_eq!(
        wrap_words("the shared secret comes from Project Settings", 12),
        ["the shared", "secret comes", "from Project", "Settings"]
    );
    assert_eq!(
        wrap_words("ünïcödé-wörd-longer-than-width", 8),
        ["ünïcödé-", "wörd-lon", "ger-than", "-width"]
    );
    assert_eq!(wrap_words("", 5), Vec::<String>::new());
}

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
    assert!(app.row_errors[lifetime].is_some(), "an unreadable lifetime is marked on its row");
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
    let (worker, _results) = std::sync::mpsc::channel();
    super::perform(effect, app, &paths, store, &mut clipboard, &worker)
}

/// Performs one effect and feeds its results back in.
fn perform_one(app: &mut App, store: &tokensmith::store::StoreDir, effect: Effect) {
    let actions = perform_effect(app, store, effect);
    run_with_store(app, store, actions);
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
fn the_readme_picture_is_the_80x24_screen() {
    let readme = include_str!("../../README.md");
    let terminal = screen(&app("ticketping", vec![demo_key()]), 80, 24);
    let buffer = terminal.backend().buffer();
    let drawn: Vec<String> = (0..22u16)
        .map(|y| {
            let row: String = (0..80u16).map(|x| buffer[(x, y)].symbol().to_string()).collect();
            row.trim_end().to_string()
        })
        .collect();
    let picture = format!("```\n{}\n```", drawn.join("\n"));
    assert!(readme.contains(&picture), "README's workbench picture differs from the screen:\n{picture}");
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
    let report = hubspot.doctor.as_ref().expect("a report");
    assert_eq!(report.codes(), vec!["signature.unchecked"], "{report:?}");

    // A customer's hash pasted into the doctor: judged against the identifier in the Claims pane.
    let mut actions = vec![Action::OpenDoctor];
    actions.extend(typing(&EXPECTED.to_uppercase()));
    actions.push(Action::Submit);
    run(&mut hashed, [Action::Cancel]);
    run(&mut hashed, actions);
    let report = hashed.doctor.as_ref().expect("a report");
    assert_eq!(report.codes(), vec!["hash.upper-hex"], "{report:?}");
    snapshot!("identity_hash_doctor_120x40", hashed, 120, 40);
    let mut actions = vec![Action::OpenDoctor, Action::Edit(InputRequest::DeleteLine)];
    actions.extend(typing(EXPECTED));
    actions.push(Action::Submit);
    run(&mut hashed, actions);
    let report = hashed.doctor.as_ref().expect("a report");
    assert!(report.passes() && report.verified_with.is_some(), "{report:?}");
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
    assert!(app.doctor.is_some());
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
        let mut guarded =
            Terminal::new(super::safe_backend::SafeBackend::new(TestBackend::new(w, h))).expect("terminal");
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
    assert_eq!(super::safe_backend::safe_cell(&cell).symbol(), "\u{FFFD}");
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
        perform_one(&mut app, &store, Effect::ImportFile { name: "k".into(), path });
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
