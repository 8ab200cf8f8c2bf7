//! Keys to actions: the dispatcher reads the app's [`Keymap`] for the mode and focus it is in.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::action::Action;
use super::app::{App, Mode};
use super::bindings::Context::Global;
pub use super::bindings::*;

/// The overlay a mode shows, if it has keys of its own.
pub fn overlay_of(mode: &Mode) -> Option<Overlay> {
    match mode {
        Mode::Help => Some(Overlay::Help),
        Mode::Snippet => Some(Overlay::Snippet),
        Mode::History => Some(Overlay::History),
        Mode::Har => Some(Overlay::Har),
        Mode::PickKind => Some(Overlay::PickKind),
        Mode::Confirm(_) => Some(Overlay::Confirm),
        Mode::ProfileForm => Some(Overlay::ProfileForm),
        _ => None,
    }
}

/// Turns a key press into an action for the current mode and focus.
pub fn action_for(app: &App, event: &KeyEvent) -> Option<Action> {
    if CTRL_C.matches(event) {
        return Some(Action::Quit);
    }
    if let Some(overlay) = overlay_of(&app.mode) {
        return BINDINGS
            .iter()
            .filter(|b| b.context == Context::Overlay(overlay))
            .find(|b| app.keymap.keys(b).iter().any(|k| k.matches(event)))
            .map(|b| b.action.clone());
    }
    match &app.mode {
        Mode::Normal => {
            let pane = Context::Pane(app.focus);
            BINDINGS
                .iter()
                .filter(|b| b.context == pane)
                .chain(BINDINGS.iter().filter(|b| b.context == Global))
                .find(|b| app.keymap.keys(b).iter().any(|k| k.matches(event)))
                .map(|b| b.action.clone())
        }
        Mode::Editing(_) | Mode::Filter | Mode::Prompt(_) => match event.code {
            KeyCode::Esc => Some(Action::Cancel),
            KeyCode::Enter => Some(Action::Submit),
            _ => tui_input::backend::crossterm::to_input_request(&ratatui::crossterm::event::Event::Key(
                *event,
            ))
            .map(Action::Edit),
        },
        // Overlays are handled above, from the same table.
        Mode::Help
        | Mode::Snippet
        | Mode::History
        | Mode::Har
        | Mode::PickKind
        | Mode::Confirm(_)
        | Mode::ProfileForm => None,
    }
}
