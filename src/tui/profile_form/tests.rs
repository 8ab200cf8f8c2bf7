//! The profile form: actions in, draft and effects out; saving into a temp folder; snapshots.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tui_input::InputRequest;

use tokensmith::claims::ClaimType;
use tokensmith::profile::{ProfileSet, ProfileSource};

use super::{FormRow, save};
use crate::tui::action::{Action, Effect};
use crate::tui::app::{App, EditTarget, Mode};
use crate::tui::keymap;
use crate::tui::update::update;
use crate::tui::view::view;

/// 2026-01-01 00:00:00 UTC.
const NOW: i64 = 1_767_225_600;

fn app_on(profile: &str) -> App {
    let mut app = App::new(ProfileSet::load(None).profiles, NOW);
    app.profile = app.profiles.iter().position(|p| p.id == profile).expect("profile");
    app.color = false;
    app.refresh();
    app
}

fn run(app: &mut App, actions: impl IntoIterator<Item = Action>) -> Vec<Effect> {
    actions.into_iter().flat_map(|a| update(app, a)).collect()
}

fn typing(text: &str) -> Vec<Action> {
    let mut actions = vec![Action::Edit(InputRequest::DeleteLine)];
    actions.extend(text.chars().map(|c| Action::Edit(InputRequest::InsertChar(c))));
    actions
}

fn go_to(app: &mut App, row: FormRow) {
    let form = app.form.as_mut().expect("form open");
    form.row = form.rows().iter().position(|r| *r == row).expect("row exists");
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

#[test]
fn y_on_the_profiles_pane_opens_a_form_on_a_copy() {
    let mut app = app_on("talla");
    app.focus = crate::tui::app::Pane::Profiles;
    let y = ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Char('y'));
    assert_eq!(keymap::action_for(&app, &y), Some(Action::CopyProfile));
    run(&mut app, [Action::CopyProfile]);
    assert_eq!(app.mode, Mode::ProfileForm);
    let form = app.form.as_ref().expect("open");
    assert_eq!(form.draft.id, "talla-copy");
    assert_eq!(form.file, None);
    assert_eq!(form.problem, None, "a copy of a built-in is valid");
    // In the form, keys are the form's: `a` adds a claim, not a free claim of the Claims pane.
    let a = ratatui::crossterm::event::KeyEvent::from(ratatui::crossterm::event::KeyCode::Char('a'));
    assert_eq!(keymap::action_for(&app, &a), Some(Action::AddClaim));
}

#[test]
fn the_form_changes_algorithm_claims_times_params_and_notes_and_saves_toml() {
    let mut app = app_on("talla");
    run(&mut app, [Action::CopyProfile]);
    // The algorithm: the key kind follows it.
    go_to(&mut app, FormRow::Algorithm);
    run(&mut app, [Action::NextValue]);
    let alg = app.form.as_ref().map(|f| f.draft.algorithms.clone()).unwrap_or_default();
    assert_eq!(alg.len(), 1);
    assert_eq!(app.form.as_ref().map(|f| f.draft.key_kind), alg.first().map(|a| a.family()));
    // A new claim: path typed, type chosen, required, a default.
    let n = app.form.as_ref().map_or(0, |f| f.draft.claims.len());
    run(&mut app, [Action::AddClaim]);
    assert_eq!(app.mode, Mode::Editing(EditTarget::FormField));
    run(&mut app, typing("account.tier"));
    run(&mut app, [Action::Submit]);
    assert_eq!(app.mode, Mode::ProfileForm);
    go_to(&mut app, FormRow::ClaimType(n));
    run(&mut app, [Action::NextValue, Action::NextValue, Action::NextValue]);
    go_to(&mut app, FormRow::ClaimRequired(n));
    run(&mut app, [Action::ToggleValue]);
    go_to(&mut app, FormRow::ClaimDefault(n));
    run(&mut app, [Action::Submit]);
    run(&mut app, typing("3"));
    run(&mut app, [Action::Submit]);
    // Times, a parameter and a note.
    go_to(&mut app, FormRow::MaxLifetime);
    run(&mut app, [Action::Submit]);
    run(&mut app, typing("15m"));
    run(&mut app, [Action::Submit, Action::AddParam]);
    run(&mut app, typing("plan"));
    run(&mut app, [Action::Submit, Action::AddNote]);
    run(&mut app, typing("Tier is unconfirmed."));
    run(&mut app, [Action::Submit]);
    let form = app.form.clone().expect("open");
    assert_eq!(form.problem, None, "{:?}", form.problem);
    let claim = form.draft.claims.get(n).expect("added");
    assert_eq!(claim.path.to_string(), "account.tier");
    assert_eq!(claim.ty, ClaimType::Integer);
    assert!(claim.required);
    assert_eq!(claim.default.as_ref().map(ToString::to_string).as_deref(), Some("3"));
    assert_eq!(form.draft.time.max_lifetime.as_ref().map(|m| m.value.0), Some(900));
    assert!(form.draft.params.iter().any(|p| p.name == "plan"));
    assert!(form.draft.notes.iter().any(|n| n == "Tier is unconfirmed."));
    // Removing a claim.
    go_to(&mut app, FormRow::ClaimPath(n));
    run(&mut app, [Action::DeleteClaim]);
    assert_eq!(app.form.as_ref().map(|f| f.draft.claims.len()), Some(n));
    run(&mut app, [Action::AddClaim]);
    run(&mut app, typing("account.tier"));
    run(&mut app, [Action::Submit]);

    let effects = run(&mut app, [Action::SaveProfile]);
    let [Effect::SaveProfile { profile, file: None }] = effects.as_slice() else { panic!("{effects:?}") };
    let dir = tempfile::tempdir().expect("tempdir");
    let saved = save(dir.path(), profile, None).expect("saved");
    let path = dir.path().join("talla-copy.toml");
    assert_eq!(saved.2, path);
    let text = std::fs::read_to_string(&path).expect("written");
    let again =
        tokensmith::profile::parse(&text, "f", ProfileSource::User(path.clone())).expect("reads back");
    assert_eq!(again.claims, profile.claims);
    assert_eq!(again.notes, profile.notes);
    // The loop's answer: the profiles as read again, the new one selected.
    run(&mut app, [Action::ProfileSaved(Ok(Box::new(saved)))]);
    assert_eq!(app.current().map(|p| p.id.as_str()), Some("talla-copy"));
    assert_eq!(app.form.as_ref().and_then(|f| f.file.clone()), Some(path.clone()));
    // Saving a second copy under the same id would write over that file: refused.
    let clash = save(dir.path(), profile, None);
    assert!(clash.as_ref().err().is_some_and(|e| e.contains("already exists")), "{clash:?}");
    // The form, now on the saved file, saves over it.
    assert!(save(dir.path(), profile, Some(&path)).is_ok());
}

#[test]
fn a_draft_that_would_not_load_is_named_and_not_saved() {
    let mut app = app_on("generic-hs256");
    run(&mut app, [Action::CopyProfile]);
    // Remove every claim, then require exp: nothing makes it, so the draft is refused.
    while app.form.as_ref().is_some_and(|f| !f.draft.claims.is_empty()) {
        go_to(&mut app, FormRow::ClaimPath(0));
        run(&mut app, [Action::DeleteClaim]);
    }
    assert_eq!(app.form.as_ref().and_then(|f| f.problem.clone()), None);
    go_to(&mut app, FormRow::ExpRequired);
    run(&mut app, [Action::ToggleValue]);
    let problem = app.form.as_ref().and_then(|f| f.problem.clone()).unwrap_or_default();
    assert!(problem.contains("exp"), "{problem}");
    assert!(run(&mut app, [Action::SaveProfile]).is_empty());
    assert!(app.status.as_ref().is_some_and(|s| s.text.starts_with("not saved")));
    // A lifetime that is not one is refused where it is typed.
    go_to(&mut app, FormRow::MaxLifetime);
    run(&mut app, [Action::Submit]);
    run(&mut app, typing("soon"));
    run(&mut app, [Action::Submit]);
    assert_eq!(app.mode, Mode::Editing(EditTarget::FormField));
    run(&mut app, [Action::Cancel]);
    assert_eq!(app.mode, Mode::ProfileForm);
    // Esc with unsaved changes asks once; the second discards.
    run(&mut app, [Action::Cancel]);
    assert_eq!(app.mode, Mode::ProfileForm);
    run(&mut app, [Action::Cancel]);
    assert_eq!(app.mode, Mode::Normal);
    assert!(app.form.is_none());
}

#[test]
fn snapshots_of_the_form() {
    let mut app = app_on("talla");
    run(&mut app, [Action::CopyProfile]);
    insta::assert_snapshot!("form_80x24", screen(&app, 80, 24).backend());
    insta::assert_snapshot!("form_120x40", screen(&app, 120, 40).backend());
    let n = app.form.as_ref().map_or(0, |f| f.draft.claims.len());
    run(&mut app, [Action::AddClaim]);
    run(&mut app, typing("plan"));
    insta::assert_snapshot!("form_editing_80x24", screen(&app, 80, 24).backend());
    run(&mut app, [Action::Submit]);
    go_to(&mut app, FormRow::ClaimType(n));
    run(&mut app, [Action::NextValue]);
    // Talla declares no iat claim: requiring iat makes the draft invalid, and the form says why.
    go_to(&mut app, FormRow::IatRequired);
    run(&mut app, [Action::ToggleValue]);
    insta::assert_snapshot!("form_invalid_120x40", screen(&app, 120, 40).backend());
}
