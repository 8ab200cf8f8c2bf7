//! The parts of `update` for modal input (text fields, prompts, questions) and scrolling.

use tui_input::Input;

use super::{apply_filter, paste_into_input, scroll_token, submit, summarize_input, token_page};
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
                *changed = apply_filter(app);
            }
            summarize_input(app);
        }
        Action::Paste(text) => match app.mode {
            Mode::Editing(_) | Mode::Filter | Mode::Prompt(_) => {
                let multiline = matches!(app.mode, Mode::Prompt(Prompt::ImportSource(_)));
                paste_into_input(&mut app.input, &text, multiline);
                summarize_input(app);
                if app.mode == Mode::Filter {
                    *changed = apply_filter(app);
                }
            }
            _ => app.set_status(Level::Info, "to paste into a claim, select it and press Enter first"),
        },
        Action::ScrollUp => match app.mode {
            Mode::Help | Mode::Snippet => app.snippet_scroll = app.snippet_scroll.saturating_sub(1),
            _ => app.token_scroll = app.token_scroll.saturating_sub(1),
        },
        Action::ScrollDown => match app.mode {
            Mode::Help | Mode::Snippet => app.snippet_scroll = app.snippet_scroll.saturating_add(1),
            _ => scroll_token(app, 1),
        },
        Action::ScrollPageUp => scroll_token(app, -i32::from(token_page(app))),
        Action::ScrollPageDown => scroll_token(app, i32::from(token_page(app))),
        Action::ScrollTop => app.token_scroll = 0,
        Action::ScrollBottom => app.token_scroll = app.token_view.map_or(u16::MAX, |(max, _)| max),
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
