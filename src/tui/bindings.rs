//! The one table of key bindings, and the keys in force (the user's remaps applied): what the
//! dispatcher, the footer and the help overlay all read. Below the app, which owns a [`Keymap`].

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::pane::Pane;

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

pub const CTRL_C: Key = Key { code: KeyCode::Char('c'), mods: KeyModifiers::CONTROL };

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
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) { format!("Ctrl-{}", base.to_uppercase()) } else { base }
    }

    pub fn matches(&self, event: &KeyEvent) -> bool {
        // Shifted letters arrive as the upper-case char, sometimes with SHIFT set.
        let mods = event.modifiers - KeyModifiers::SHIFT;
        self.code == event.code && self.mods == mods
    }
}

/// Where a binding applies: everywhere in the Normal mode, in one pane, or in an overlay
/// (which has the keyboard to itself).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    Global,
    Pane(Pane),
    Overlay(Overlay),
}

/// The overlays with keys of their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Snippet,
    History,
    PickKind,
    Confirm,
    ProfileForm,
    Har,
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
    bind!(PROFILES, &[key('y')], Action::CopyProfile, "copy into an editable profile"),
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
    bind!(KEYS, &[key('E')], Action::ExportPublicJwk, "copy public JWK"),
    bind!(KEYS, &[key('v')], Action::RevealSecret, "reveal 10s"),
    bind!(KEYS, &[key('D')], Action::DeleteKey, "delete"),
    bind!(KEYS, &[key('r')], Action::RenameKey, "rename"),
    bind!(KEYS, &[key('K')], Action::SetKeyKid, "set kid"),
    bind!(KEYS, &[key('o')], Action::SetKeyNote, "set note"),
    bind!(KEYS, &[key('p')], Action::ToggleKeyProfile, "tie to this profile"),
    bind!(KEYS, &[key('u')], Action::Unlock, "enter passphrase"),
    bind!(KEYS, &[key('L')], Action::LockStore, "lock store (passphrase)"),
    bind!(KEYS, &[key('U')], Action::RemovePassphrase, "remove passphrase"),
    bind!(TOKEN, UP, Action::ScrollUp, "scroll up"),
    bind!(TOKEN, DOWN, Action::ScrollDown, "scroll down"),
    bind!(TOKEN, &[code(KeyCode::PageUp)], Action::ScrollPageUp, "page up"),
    bind!(TOKEN, &[code(KeyCode::PageDown), key(' ')], Action::ScrollPageDown, "page down"),
    bind!(TOKEN, &[code(KeyCode::Home), key('g')], Action::ScrollTop, "to the start"),
    bind!(TOKEN, &[code(KeyCode::End), key('G')], Action::ScrollBottom, "to the end"),
    bind!(Global, &[key('c')], Action::CopyToken, "copy token"),
    bind!(Global, &[key('s')], Action::CopySnippet, "copy snippet"),
    bind!(Global, &[key('S')], Action::ShowSnippet, "show snippet"),
    bind!(Global, &[key('R')], Action::Resign, "re-sign now"),
    bind!(Global, &[key('t')], Action::OpenDoctor, "doctor: paste a token"),
    bind!(Global, &[key('h')], Action::ShowHistory, "history"),
    bind!(Global, &[code(KeyCode::Esc)], Action::CloseDoctor, "close the doctor"),
    bind!(Global, &[key('=')], Action::CompareTokens, "doctor: compare with the bench's token"),
    bind!(Global, &[key('b')], Action::LoadToBench, "doctor: put the token on the bench to re-sign"),
    bind!(Global, &[key('x')], Action::SetExpectations, "doctor: expect iss, aud, sub, claims"),
    bind!(Global, &[key('J')], Action::AskKeyset, "doctor: verify against a keyset (JWKS)"),
    bind!(Global, &[key('P')], Action::AskProbe, "doctor: probe the token endpoint"),
    bind!(Global, &[code(KeyCode::Tab)], Action::FocusNext, "next pane"),
    bind!(Global, &[code(KeyCode::BackTab)], Action::FocusPrev, "previous pane"),
    bind!(Global, &[key('1')], Action::Focus(Pane::Profiles), "Profiles"),
    bind!(Global, &[key('2')], Action::Focus(Pane::Claims), "Claims"),
    bind!(Global, &[key('3')], Action::Focus(Pane::Keys), "Keys"),
    bind!(Global, &[key('4')], Action::Focus(Pane::Token), "Token"),
    bind!(Global, &[key('?')], Action::ShowHelp, "help"),
    bind!(Global, &[key('q'), CTRL_C], Action::Quit, "quit"),
    bind!(HELP, &[code(KeyCode::Esc), key('q'), key('?')], Action::Cancel, "close"),
    bind!(HELP, UP, Action::ScrollUp, "scroll up"),
    bind!(HELP, DOWN, Action::ScrollDown, "scroll down"),
    bind!(SNIPPET, &[code(KeyCode::Esc), key('q'), key('S')], Action::Cancel, "close"),
    bind!(SNIPPET, UP, Action::ScrollUp, "scroll up"),
    bind!(SNIPPET, DOWN, Action::ScrollDown, "scroll down"),
    bind!(SNIPPET, &[key('s'), key('c')], Action::CopySnippet, "copy"),
    bind!(SNIPPET, &[code(KeyCode::Right), code(KeyCode::Tab), key('l')], Action::NextFlavor, "next flavour"),
    bind!(
        SNIPPET,
        &[code(KeyCode::Left), code(KeyCode::BackTab), key('h')],
        Action::PrevFlavor,
        "previous flavour"
    ),
    bind!(HISTORY, &[code(KeyCode::Esc), key('q'), key('h')], Action::Cancel, "close"),
    bind!(HAR, &[code(KeyCode::Esc), key('q')], Action::Cancel, "close"),
    bind!(HAR, UP, Action::SelectPrev, "up"),
    bind!(HAR, DOWN, Action::SelectNext, "down"),
    bind!(HAR, &[code(KeyCode::Enter)], Action::Submit, "open in the doctor"),
    bind!(HISTORY, UP, Action::SelectPrev, "up"),
    bind!(HISTORY, DOWN, Action::SelectNext, "down"),
    bind!(PICK_KIND, &[code(KeyCode::Esc)], Action::Cancel, "cancel"),
    bind!(PICK_KIND, &[code(KeyCode::Enter)], Action::Submit, "next"),
    bind!(PICK_KIND, UP, Action::SelectPrev, "up"),
    bind!(PICK_KIND, DOWN, Action::SelectNext, "down"),
    bind!(CONFIRM, &[key('y'), key('Y'), code(KeyCode::Enter)], Action::Submit, "yes"),
    bind!(CONFIRM, &[key('n'), key('N'), code(KeyCode::Esc)], Action::Decline, "no"),
    bind!(FORM, UP, Action::SelectPrev, "up"),
    bind!(FORM, DOWN, Action::SelectNext, "down"),
    bind!(FORM, &[code(KeyCode::Enter)], Action::Submit, "edit"),
    bind!(FORM, &[key('w')], Action::SaveProfile, "save"),
    bind!(FORM, &[code(KeyCode::Esc), key('q')], Action::Cancel, "close"),
    bind!(FORM, &[key(' ')], Action::ToggleValue, "toggle"),
    bind!(FORM, &[code(KeyCode::Right), key('l')], Action::NextValue, "next value"),
    bind!(FORM, &[code(KeyCode::Left), key('h')], Action::PrevValue, "previous value"),
    bind!(FORM, &[key('a')], Action::AddClaim, "add claim"),
    bind!(FORM, &[key('p')], Action::AddParam, "add parameter"),
    bind!(FORM, &[key('n')], Action::AddNote, "add note"),
    bind!(FORM, &[key('d')], Action::DeleteClaim, "remove"),
];

const HELP: Context = Context::Overlay(Overlay::Help);
const SNIPPET: Context = Context::Overlay(Overlay::Snippet);
const HISTORY: Context = Context::Overlay(Overlay::History);
const HAR: Context = Context::Overlay(Overlay::Har);
const PICK_KIND: Context = Context::Overlay(Overlay::PickKind);
const CONFIRM: Context = Context::Overlay(Overlay::Confirm);
const FORM: Context = Context::Overlay(Overlay::ProfileForm);

/// A binding's name in `config.toml`'s `[keys]` table: its label in snake case
/// ("copy token" is `copy_token`); overlay bindings are prefixed with the overlay
/// (`snippet.copy`).
pub fn binding_name(binding: &Binding) -> String {
    let slug: String = binding
        .label
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' })
        .collect();
    let slug = slug.split('_').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("_");
    match binding.context {
        Context::Global => slug,
        Context::Pane(pane) => format!("{}.{slug}", format!("{pane:?}").to_lowercase()),
        Context::Overlay(overlay) => format!("{}.{slug}", format!("{overlay:?}").to_lowercase()),
    }
}

/// Parses a key as written in config.toml: one character, or Enter, Esc, Tab, Up, Down, Left,
/// Right, Space, or Ctrl-X.
pub fn parse_key(text: &str) -> Option<Key> {
    let named = |name: &str| match name.to_ascii_lowercase().as_str() {
        "enter" => Some(KeyCode::Enter),
        "esc" => Some(KeyCode::Esc),
        "tab" => Some(KeyCode::Tab),
        "up" => Some(KeyCode::Up),
        "down" => Some(KeyCode::Down),
        "left" => Some(KeyCode::Left),
        "right" => Some(KeyCode::Right),
        "space" => Some(KeyCode::Char(' ')),
        _ => None,
    };
    if let Some(rest) = text.strip_prefix("Ctrl-").or_else(|| text.strip_prefix("ctrl-")) {
        let mut chars = rest.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else { return None };
        return Some(Key { code: KeyCode::Char(c.to_ascii_lowercase()), mods: KeyModifiers::CONTROL });
    }
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(key(c)),
        _ => named(text).map(code),
    }
}

/// Whether two bindings can be asked for at the same moment: in one context, or one global
/// and the other a pane's (an overlay has the keyboard to itself).
fn both_apply(a: Context, b: Context) -> bool {
    let pane_or_global = |c: Context| matches!(c, Context::Global | Context::Pane(_));
    a == b || (a == Global && pane_or_global(b)) || (b == Global && pane_or_global(a))
}

/// The keys in force, binding by binding (in [`BINDINGS`]' order): the table's defaults with
/// the user's `[keys]` from config.toml. A value the app owns, built once at start; the
/// dispatcher, the footer and the help overlay all read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keymap {
    keys: Vec<Vec<Key>>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap { keys: BINDINGS.iter().map(|b| b.keys.to_vec()).collect() }
    }
}

impl Keymap {
    /// The defaults with the `[keys]` table applied. Returns a message per entry that names no
    /// binding or no key, and per remapped key that another binding also has where both apply
    /// (naming both); such an entry is left out and its binding keeps its default keys.
    pub fn load(table: &std::collections::BTreeMap<String, Vec<String>>) -> (Keymap, Vec<String>) {
        let mut map = Keymap::default();
        let mut problems = Vec::new();
        for (name, keys) in table {
            let Some(index) = BINDINGS.iter().position(|b| binding_name(b) == *name) else {
                problems.push(format!("config.toml [keys]: no binding is called '{name}'"));
                continue;
            };
            let parsed: Vec<Key> = keys.iter().filter_map(|k| parse_key(k)).collect();
            if parsed.len() != keys.len() || parsed.is_empty() {
                problems.push(format!(
                    "config.toml [keys]: '{name}' = {keys:?} holds a key tokensmith cannot read"
                ));
                continue;
            }
            if let Some(slot) = map.keys.get_mut(index) {
                *slot = parsed;
            }
        }
        problems.extend(map.drop_conflicts(table));
        (map, problems)
    }

    /// Finds remapped keys that collide with another binding's, and puts the remapped
    /// binding back to its defaults.
    fn drop_conflicts(&mut self, table: &std::collections::BTreeMap<String, Vec<String>>) -> Vec<String> {
        let mut problems = Vec::new();
        for (i, a) in BINDINGS.iter().enumerate() {
            if !table.contains_key(&binding_name(a)) {
                continue;
            }
            let clash = BINDINGS.iter().enumerate().find_map(|(j, b)| {
                let shared = self.keys[i]
                    .iter()
                    .find(|k| j != i && both_apply(a.context, b.context) && self.keys[j].contains(k))?;
                Some((b, *shared))
            });
            if let Some((b, shared)) = clash {
                problems.push(format!(
                    "config.toml [keys]: '{}' and '{}' would both be {}; '{}' keeps its default keys",
                    binding_name(a),
                    binding_name(b),
                    shared.label(),
                    binding_name(a)
                ));
                self.keys[i] = a.keys.to_vec();
            }
        }
        problems
    }

    /// The keys in force for a binding of [`BINDINGS`].
    pub fn keys(&self, binding: &Binding) -> &[Key] {
        BINDINGS
            .iter()
            .position(|b| std::ptr::eq(b, binding))
            .and_then(|i| self.keys.get(i))
            .map_or(binding.keys, Vec::as_slice)
    }
}

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
    let own = BINDINGS.iter().filter(|b| b.context == Context::Pane(pane));
    let global = BINDINGS.iter().filter(|b| {
        b.context == Global
            && matches!(b.action, Action::CopyToken | Action::ShowSnippet | Action::ShowHelp | Action::Quit)
    });
    own.chain(global).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_bindings_share_a_key_where_both_apply() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                // Global bindings apply with every pane's; an overlay's only alone.
                if !both_apply(a.context, b.context) {
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
    fn every_binding_has_help_text_and_a_unique_name() {
        let mut names = Vec::new();
        for b in BINDINGS {
            assert!(!b.label.trim().is_empty(), "a binding of {:?} has no help text", b.action);
            let name = binding_name(b);
            assert!(!names.contains(&name), "two bindings are called '{name}'");
            names.push(name);
        }
        assert!(names.contains(&"copy_token".to_string()));
        assert!(names.contains(&"snippet.copy".to_string()));
    }

    #[test]
    fn keys_read_as_config_toml_writes_them() {
        assert_eq!(parse_key("y"), Some(key('y')));
        assert_eq!(parse_key("Enter"), Some(code(KeyCode::Enter)));
        assert_eq!(parse_key("Ctrl-Y"), Some(Key { code: KeyCode::Char('y'), mods: KeyModifiers::CONTROL }));
        assert_eq!(parse_key("nonsense"), None);
        let mut table = std::collections::BTreeMap::new();
        table.insert("no_such_binding".to_string(), vec!["x".to_string()]);
        table.insert("copy_token".to_string(), vec!["bad key".to_string()]);
        let (map, problems) = Keymap::load(&table);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(map, Keymap::default());
    }

    #[test]
    fn a_remapped_key_that_another_binding_has_is_an_error_naming_both() {
        let mut table = std::collections::BTreeMap::new();
        table.insert("copy_token".to_string(), vec!["?".to_string()]);
        let (map, problems) = Keymap::load(&table);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].contains("'copy_token' and 'help'") && problems[0].contains("both be ?"),
            "{problems:?}"
        );
        assert_eq!(map, Keymap::default(), "the clashing entry is left out");
        let mut table = std::collections::BTreeMap::new();
        table.insert("copy_token".to_string(), vec!["Y".to_string()]);
        let (map, problems) = Keymap::load(&table);
        assert!(problems.is_empty(), "{problems:?}");
        let copy = BINDINGS.iter().find(|b| binding_name(b) == "copy_token").expect("binding");
        assert_eq!(map.keys(copy), [key('Y')]);
    }

    #[test]
    fn every_pane_has_a_footer_with_help_and_quit() {
        for pane in Pane::ALL {
            let labels: Vec<&str> = footer(pane).iter().map(|b| b.label).collect();
            assert!(labels.contains(&"help") && labels.contains(&"quit"), "{pane:?}: {labels:?}");
        }
    }
}
