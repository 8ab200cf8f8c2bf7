//! The profile form's keys: what `y`, the form's rows and its save do to the workbench. The
//! form's own state and rules are in `profile_form.rs`.

use tui_input::Input;

use tokensmith::claims::{ClaimField, ClaimPath, ClaimType};
use tokensmith::profile::Param;

use crate::tui::action::{Action, Effect};
use crate::tui::app::{App, EditTarget, Level, Mode};
use crate::tui::profile_form::{FormRow, ProfileForm, RowKind};

/// Whether the form takes this action: `y` (which opens it), its save's result, and, while it
/// is open, every key (it is modal). Events (ticks, the store's and the clipboard's results)
/// pass on to the rest of the workbench: [`Action::is_event`] names them, exhaustively.
pub fn owns(app: &App, action: &Action) -> bool {
    match action {
        Action::CopyProfile | Action::ProfileSaved(_) => true,
        action if action.is_event() => false,
        _ => matches!(app.mode, Mode::ProfileForm | Mode::Editing(EditTarget::FormField)),
    }
}

/// The form's part of `update`.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let mut effects = Vec::new();
    match action {
        Action::CopyProfile => {
            if let Some(profile) = app.current() {
                let form = ProfileForm::copy_of(profile, &app.profiles);
                let what = match &form.file {
                    Some(path) => format!("editing your profile '{}' ({})", form.draft.id, path.display()),
                    None => format!("a copy of '{}' as '{}': w saves it", profile.id, form.draft.id),
                };
                app.form = Some(form);
                app.mode = Mode::ProfileForm;
                app.set_status(Level::Info, what);
            }
        }
        Action::ProfileSaved(result) => match result {
            Ok(saved) => {
                let (profiles, id, path) = *saved;
                let keep = app.states.clone();
                let mut fresh = App::new(profiles, app.now);
                app.profiles = std::mem::take(&mut fresh.profiles);
                app.states = keep;
                app.select_profile(app.profiles.iter().position(|p| p.id == id).unwrap_or(0));
                if let Some(form) = app.form.as_mut() {
                    form.dirty = false;
                    form.file = Some(path.clone());
                }
                app.refresh();
                app.set_status(Level::Success, format!("saved '{}'", path.display()));
            }
            Err(e) => app.set_status(Level::Error, e),
        },
        other => {
            let Some(mut form) = app.form.take() else {
                app.mode = Mode::Normal;
                return effects;
            };
            form_key(app, &mut form, other, &mut effects);
            if app.mode == Mode::Normal {
                app.form = None;
            } else {
                app.form = Some(form);
            }
        }
    }
    effects
}

fn form_key(app: &mut App, form: &mut ProfileForm, action: Action, effects: &mut Vec<Effect>) {
    if app.mode == Mode::Editing(EditTarget::FormField) {
        form_edit_key(app, form, action);
        return;
    }
    let row = form.current();
    match action {
        Action::SelectPrev => form.row = form.row.saturating_sub(1),
        Action::SelectNext => form.row = (form.row + 1).min(form.rows().len().saturating_sub(1)),
        Action::Submit | Action::ToggleValue => match row {
            Some(row) if ProfileForm::kind(row) == RowKind::Text => {
                app.input = Input::new(form.row_text(row).1);
                app.mode = Mode::Editing(EditTarget::FormField);
            }
            Some(row) => form.step(row, true),
            None => {}
        },
        Action::NextValue => {
            if let Some(row) = row {
                form.step(row, true);
            }
        }
        Action::PrevValue => {
            if let Some(row) = row {
                form.step(row, false);
            }
        }
        Action::DeleteClaim => match row.and_then(|r| form.delete(r)) {
            Some(gone) => app.set_status(Level::Info, format!("removed {gone}")),
            None => {
                app.set_status(Level::Info, "d removes a claim, parameter or note: select one of its rows")
            }
        },
        Action::SaveProfile => match &form.problem {
            Some(problem) => app.set_status(Level::Error, format!("not saved: {problem}")),
            None => effects
                .push(Effect::SaveProfile { profile: Box::new(form.draft.clone()), file: form.file.clone() }),
        },
        Action::Cancel | Action::Quit => {
            if form.dirty && !form.confirm_discard {
                form.confirm_discard = true;
                app.set_status(Level::Warning, "unsaved changes: w saves them, Esc again discards them");
            } else {
                app.mode = Mode::Normal;
                app.set_status(
                    Level::Info,
                    if form.dirty { "changes discarded" } else { "profile form closed" },
                );
            }
        }
        action @ (Action::AddClaim | Action::AddParam | Action::AddNote) => add_row(app, form, action),
        _ => {}
    }
}

/// Keys while a row's value is being typed.
fn form_edit_key(app: &mut App, form: &mut ProfileForm, action: Action) {
    let row = form.current();
    match action {
        Action::Edit(request) => {
            app.input.handle(request);
        }
        Action::Paste(text) => {
            let line: String = text.chars().filter(|c| !c.is_control()).collect();
            for c in line.chars() {
                app.input.handle(tui_input::InputRequest::InsertChar(c));
            }
        }
        Action::Submit => {
            if let Some(row) = row {
                match form.set_text(row, app.input.value()) {
                    Ok(()) => {
                        app.mode = Mode::ProfileForm;
                        app.input = Input::default();
                        app.status = None;
                    }
                    Err(e) => app.set_status(Level::Error, format!("'{}' {e}", app.input.value())),
                }
            }
        }
        Action::Cancel => {
            app.mode = Mode::ProfileForm;
            app.input = Input::default();
        }
        Action::Quit => {
            app.mode = Mode::ProfileForm;
            app.input = Input::default();
        }
        _ => {}
    }
}

/// `a`, `p` and `n`: a new claim, parameter or note, its first row open for typing.
fn add_row(app: &mut App, form: &mut ProfileForm, action: Action) {
    match action {
        Action::AddClaim => {
            let n = form.draft.claims.len();
            let path = (n + 1..n + 100)
                .map(|k| format!("claim{k}"))
                .find(|p| !form.draft.claims.iter().any(|c| c.path.to_string() == *p))
                .and_then(|p| p.parse::<ClaimPath>().ok());
            if let Some(path) = path {
                form.draft.claims.push(ClaimField {
                    path,
                    ty: ClaimType::String,
                    required: false,
                    description: String::new(),
                    default: None,
                    source: None,
                    user: None,
                    pattern: None,
                    charset: None,
                    max_length: None,
                    forbidden: Vec::new(),
                });
                form.changed();
                form.select_row(FormRow::ClaimPath(n));
                app.input = Input::new(form.row_text(FormRow::ClaimPath(n)).1);
                app.mode = Mode::Editing(EditTarget::FormField);
                app.set_status(Level::Info, "the new claim's path (dotted paths nest: user.email)");
            }
        }
        Action::AddParam => {
            let n = form.draft.params.len();
            form.draft.params.push(Param {
                name: format!("param{}", n + 1),
                description: String::new(),
                default: String::new(),
                placeholder: false,
            });
            form.changed();
            form.select_row(FormRow::ParamName(n));
            app.input = Input::new(form.row_text(FormRow::ParamName(n)).1);
            app.mode = Mode::Editing(EditTarget::FormField);
        }
        Action::AddNote => {
            let n = form.draft.notes.len();
            form.draft.notes.push(String::new());
            form.changed();
            form.select_row(FormRow::Note(n));
            app.input = Input::default();
            app.mode = Mode::Editing(EditTarget::FormField);
        }
        _ => {}
    }
}
