//! The parts of `update` for modal input (text fields, prompts, questions) and scrolling.

use tui_input::Input;

use super::{apply_filter, paste_into_input, submit, summarize_input};
use crate::tui::action::{Action, Effect};
use crate::tui::app::{App, Confirm, Level, Mode, Prompt};

/// Keys while a text field, prompt or question has the keyboard (Enter, Esc, n, typing,
/// pasting), scrolling, and quitting (which asks first while an edit is open). None when handled, else the action back.
pub(super) fn input(
    app: &mut App,
    action: Action,
    effects: &mut Vec<Effect>,
    changed: &mut bool,
) -> Option<Action> {
    match action {
        Action::Cancel => {
            if app.mode == Mode::Filter {
                app.filter.clear();
            }
            app.input = Input::default();
            app.new_passphrase = None;
            app.mode = Mode::Normal;
        }
        Action::Submit => submit(app, effects, changed),
        Action::Decline => {
            if app.mode == Mode::Confirm(Confirm::CreateDemo) {
                app.set_status(Level::Info, "no demo key: press 3 for Keys, then n, i or g");
            }
            app.mode = Mode::Normal;
        }
        Action::Edit(request) => {
            app.input.handle(request);
            if app.mode == Mode::Filter {
                *changed = apply_filter(app, effects);
            }
            summarize_input(app);
        }
        Action::Paste(text) => match app.mode {
            Mode::Editing(_) | Mode::Filter | Mode::Prompt(_) => {
                let multiline = matches!(app.mode, Mode::Prompt(Prompt::ImportSource(_)));
                paste_into_input(&mut app.input, &text, multiline);
                summarize_input(app);
                if app.mode == Mode::Filter {
                    *changed = apply_filter(app, effects);
                }
            }
            _ => app.set_status(Level::Info, "to paste into a claim, select it and press Enter first"),
        },
        Action::ScrollUp => match app.mode {
            Mode::Help | Mode::Snippet => app.snippet_view.scroll = app.snippet_view.scroll.saturating_sub(1),
            _ => app.token_pane.scroll = app.token_pane.scroll.saturating_sub(1),
        },
        Action::ScrollDown => match app.mode {
            Mode::Help | Mode::Snippet => app.snippet_view.scroll = app.snippet_view.scroll.saturating_add(1),
            _ => app.token_pane.scroll_by(1),
        },
        Action::ScrollPageUp => app.token_pane.scroll_by(-app.token_pane.page()),
        Action::ScrollPageDown => app.token_pane.scroll_by(app.token_pane.page()),
        Action::ScrollTop => app.token_pane.scroll = 0,
        Action::ScrollBottom => {
            app.token_pane.scroll = app.token_pane.extent.map_or(u16::MAX, |(max, _)| max)
        }
        Action::Quit => match app.mode {
            Mode::Editing(_) | Mode::Prompt(_) => app.mode = Mode::Confirm(Confirm::QuitWhileEditing),
            _ => {
                app.quit = true;
                effects.push(Effect::SaveSession);
            }
        },
        other => return Some(other),
    }
    None
}
