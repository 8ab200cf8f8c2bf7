//! The one table of key bindings. The keymap, the footer and the help overlay all read it.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::app::{App, Mode, Pane};

/// A key with its modifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn key(c: char) -> Key {
    Key { code: KeyCode::Char(c), mods: KeyModifiers::NONE }
}

const fn code(code: KeyCode) -> Key {
    Key { code, mods: KeyModifiers::NONE }
}

const CTRL_C: Key = Key { code: KeyCode::Char('c'), mods: KeyModifiers::CONTROL };

impl Key {
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "S-Tab".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) { format!("Ctrl-{}", base.to_uppercase()) } else { base }
    }

    fn matches(&self, event: &KeyEvent) -> bool {
        // Shifted letters arrive as the upper-case char, sometimes with SHIFT set.
        let mods = event.modifiers - KeyModifiers::SHIFT;
        self.code == event.code && self.mods == mods
    }
}

/// Where a binding applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    Global,
    Pane(Pane),
}

/// One binding: its keys, what it does, and its label for the footer and help.
pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    pub label: &'static str,
    pub context: Context,
}

const UP: &[Key] = &[code(KeyCode::Up), key('k')];
const DOWN: &[Key] = &[code(KeyCode::Down), key('j')];

macro_rules! bind {
    ($context:expr, $keys:expr, $action:expr, $label:expr) => {
        Binding { keys: $keys, action: $action, label: $label, context: $context }
    };
}

use Context::Global;
const PROFILES: Context = Context::Pane(Pane::Profiles);
const CLAIMS: Context = Context::Pane(Pane::Claims);
const KEYS: Context = Context::Pane(Pane::Keys);
const TOKEN: Context = Context::Pane(Pane::Token);

/// Every binding of the Normal mode.
pub static BINDINGS: &[Binding] = &[
    bind!(PROFILES, UP, Action::SelectPrev, "up"),
    bind!(PROFILES, DOWN, Action::SelectNext, "down"),
    bind!(PROFILES, &[key('/')], Action::StartFilter, "filter"),
    bind!(CLAIMS, UP, Action::SelectPrev, "up"),
    bind!(CLAIMS, DOWN, Action::SelectNext, "down"),
    bind!(CLAIMS, &[code(KeyCode::Enter)], Action::EditRow, "edit"),
    bind!(CLAIMS, &[key('a')], Action::AddClaim, "add claim"),
    bind!(CLAIMS, &[key('H')], Action::AddHeader, "add header field"),
    bind!(CLAIMS, &[key('d')], Action::DeleteClaim, "delete claim"),
    bind!(CLAIMS, &[key('r')], Action::ResetRow, "reset to default"),
    bind!(KEYS, UP, Action::SelectPrev, "up"),
    bind!(KEYS, DOWN, Action::SelectNext, "down"),
    bind!(KEYS, &[code(KeyCode::Enter), key(' ')], Action::UseKey, "sign with it"),
    bind!(KEYS, &[key('n')], Action::NewSecret, "new secret"),
    bind!(KEYS, &[key('i')], Action::ImportKey, "import"),
    bind!(KEYS, &[key('g')], Action::GenerateKey, "generate"),
    bind!(KEYS, &[key('e')], Action::ExportPublicKey, "copy public key"),
    bind!(KEYS, &[key('v')], Action::RevealSecret, "reveal 10s"),
    bind!(KEYS, &[key('D')], Action::DeleteKey, "delete"),
    bind!(KEYS, &[key('r')], Action::RenameKey, "rename"),
    bind!(KEYS, &[key('K')], Action::SetKeyKid, "set kid"),
    bind!(KEYS, &[key('o')], Action::SetKeyNote, "set note"),
    bind!(KEYS, &[key('p')], Action::ToggleKeyProfile, "tie to this profile"),
    bind!(KEYS, &[key('u')], Action::Unlock, "unlock (passphrase)"),
    bind!(TOKEN, UP, Action::ScrollUp, "scroll up"),
    bind!(TOKEN, DOWN, Action::ScrollDown, "scroll down"),
    bind!(Global, &[key('c')], Action::CopyToken, "copy token"),
    bind!(Global, &[key('s')], Action::CopySnippet, "copy snippet"),
    bind!(Global, &[key('S')], Action::ShowSnippet, "show snippet"),
    bind!(Global, &[key('R')], Action::Resign, "re-sign now"),
    bind!(Global, &[key('t')], Action::OpenDoctor, "doctor: paste a token"),
    bind!(Global, &[key('h')], Action::ShowHistory, "history"),
    bind!(Global, &[code(KeyCode::Esc)], Action::CloseDoctor, "close the doctor"),
    bind!(Global, &[code(KeyCode::Tab)], Action::FocusNext, "next pane"),
    bind!(Global, &[code(KeyCode::BackTab)], Action::FocusPrev, "previous pane"),
    bind!(Global, &[key('1')], Action::Focus(Pane::Profiles), "Profiles"),
    bind!(Global, &[key('2')], Action::Focus(Pane::Claims), "Claims"),
    bind!(Global, &[key('3')], Action::Focus(Pane::Keys), "Keys"),
    bind!(Global, &[key('4')], Action::Focus(Pane::Token), "Token"),
    bind!(Global, &[key('?')], Action::ShowHelp, "help"),
    bind!(Global, &[key('q'), CTRL_C], Action::Quit, "quit"),
];

/// Keys of the text inputs, for the help overlay (tui-input handles them).
pub const EDITING_KEYS: &[(&str, &str)] = &[
    ("Enter", "save"),
    ("Esc", "cancel"),
    ("←/→  Ctrl-←/→", "move by character / word"),
    ("Home/End", "start / end"),
    ("Ctrl-W  Ctrl-U", "delete word / line"),
    ("paste", "inserts the text"),
];

/// The bindings shown in the footer for a pane: its own, then the most used global ones.
pub fn footer(pane: Pane) -> Vec<&'static Binding> {
    let own = BINDINGS
        .iter()
        .filter(|b| b.context == Context::Pane(pane) && b.label != "down" && b.label != "scroll down");
    let global = BINDINGS.iter().filter(|b| {
        b.context == Global
            && matches!(b.action, Action::CopyToken | Action::ShowSnippet | Action::ShowHelp | Action::Quit)
    });
    own.chain(global).collect()
}

/// Turns a key press into an action for the current mode and focus.
pub fn action_for(app: &App, event: &KeyEvent) -> Option<Action> {
    if CTRL_C.matches(event) {
        return Some(Action::Quit);
    }
    match &app.mode {
        Mode::Normal => {
            let pane = Context::Pane(app.focus);
            BINDINGS
                .iter()
                .filter(|b| b.context == pane)
                .chain(BINDINGS.iter().filter(|b| b.context == Global))
                .find(|b| b.keys.iter().any(|k| k.matches(event)))
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
        Mode::Help => match event.code {
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('?') => Some(Action::Cancel),
            KeyCode::Up | KeyCode::Char('k') => Some(Action::ScrollUp),
            KeyCode::Down | KeyCode::Char('j') => Some(Action::ScrollDown),
            _ => None,
        },
        Mode::Snippet => match event.code {
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('S') => Some(Action::Cancel),
            KeyCode::Up | KeyCode::Char('k') => Some(Action::ScrollUp),
            KeyCode::Down | KeyCode::Char('j') => Some(Action::ScrollDown),
            KeyCode::Char('s') | KeyCode::Char('c') => Some(Action::CopySnippet),
            KeyCode::Right | KeyCode::Tab | KeyCode::Char('l') => Some(Action::NextFlavor),
            KeyCode::Left | KeyCode::BackTab | KeyCode::Char('h') => Some(Action::PrevFlavor),
            _ => None,
        },
        Mode::History => match event.code {
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('h') => Some(Action::Cancel),
            KeyCode::Up | KeyCode::Char('k') => Some(Action::SelectPrev),
            KeyCode::Down | KeyCode::Char('j') => Some(Action::SelectNext),
            _ => None,
        },
        Mode::PickKind => match event.code {
            KeyCode::Esc => Some(Action::Cancel),
            KeyCode::Enter => Some(Action::Submit),
            KeyCode::Up | KeyCode::Char('k') => Some(Action::SelectPrev),
            KeyCode::Down | KeyCode::Char('j') => Some(Action::SelectNext),
            _ => None,
        },
        Mode::Confirm(_) => match event.code {
            KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Enter => Some(Action::Submit),
            KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => Some(Action::Decline),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_bindings_share_a_key_where_both_apply() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                let overlap = a.context == b.context || a.context == Global || b.context == Global;
                if !overlap {
                    continue;
                }
                for ka in a.keys {
                    assert!(
                        !b.keys.contains(ka),
                        "'{}' is bound to both '{}' and '{}'",
                        ka.label(),
                        a.label,
                        b.label
                    );
                }
            }
        }
    }

    #[test]
    fn every_pane_has_a_footer_with_help_and_quit() {
        for pane in Pane::ALL {
            let labels: Vec<&str> = footer(pane).iter().map(|b| b.label).collect();
            assert!(labels.contains(&"help") && labels.contains(&"quit"), "{pane:?}: {labels:?}");
        }
    }
}
