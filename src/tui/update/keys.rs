//! The parts of `update` for the Keys pane and for events coming back from the loop.

use tui_input::Input;

use super::{REVEAL_SECONDS, export_jwk, export_public, start_prompt, use_key};
use crate::tui::action::{Action, Effect};
use crate::tui::app::{App, Confirm, Level, Mode, Prompt, key_needed};

/// The Keys pane's keys: new, import, generate, rename, label, reveal, delete, lock. None
/// when handled, else the action back.
pub(super) fn keys_pane(
    app: &mut App,
    action: Action,
    effects: &mut Vec<Effect>,
    changed: &mut bool,
) -> Option<Action> {
    match action {
        Action::UseKey => use_key(app, effects, changed),
        Action::NewSecret => start_prompt(app, Prompt::SecretName, ""),
        action @ (Action::RenameKey | Action::SetKeyKid | Action::SetKeyNote) => {
            if let Some(entry) = app.keys.entries.get(app.keys.selected).cloned() {
                app.keys.target = Some(entry.identity());
                let (prompt, initial) = match action {
                    Action::RenameKey => (Prompt::Rename(entry.name.clone()), entry.name.clone()),
                    Action::SetKeyKid => {
                        (Prompt::Kid(entry.name.clone()), entry.kid.clone().unwrap_or_default())
                    }
                    _ => (Prompt::Note(entry.name.clone()), entry.note.clone()),
                };
                start_prompt(app, prompt, &initial);
            }
        }
        Action::ToggleKeyProfile => {
            let profile = app.current().map(|p| p.id.clone());
            if let (Some(entry), Some(profile)) = (app.keys.entries.get(app.keys.selected), profile) {
                let tied = entry.profile.as_deref() == Some(profile.as_str());
                let change = tokensmith::store::EntryChange {
                    profile: Some(if tied { String::new() } else { profile }),
                    ..Default::default()
                };
                effects.push(Effect::StoreSet {
                    name: entry.name.clone(),
                    change,
                    id: Some(entry.identity()),
                });
            }
        }
        Action::Unlock => {
            if app.keys.encrypted {
                start_prompt(app, Prompt::Passphrase, "");
            } else {
                app.set_status(Level::Info, "the key store has no passphrase");
            }
        }
        Action::LockStore => {
            if app.keys.encrypted && app.passphrase.is_none() {
                app.set_status(Level::Info, "enter the current passphrase first (u), then L changes it");
            } else {
                start_prompt(app, Prompt::NewPassphrase, "");
            }
        }
        Action::RemovePassphrase => {
            if !app.keys.encrypted {
                app.set_status(Level::Info, "the key store has no passphrase");
            } else if app.passphrase.is_none() || app.keys.store_error.is_some() {
                app.set_status(Level::Info, "enter the current passphrase first (u), then U removes it");
            } else {
                app.mode = Mode::Confirm(Confirm::RemovePassphrase);
            }
        }
        Action::ImportKey => start_prompt(app, Prompt::ImportName, ""),
        Action::GenerateKey => {
            if let Some(err) = &app.keys.store_error {
                let text = format!("the key store cannot be written: {err}");
                app.set_status(Level::Error, text);
            } else {
                app.kind_choice = 0;
                app.mode = Mode::PickKind;
            }
        }
        Action::ExportPublicKey => export_public(app, effects),
        Action::ExportPublicJwk => export_jwk(app, effects),
        Action::RevealSecret => {
            if let Some(entry) = app.keys.entries.get(app.keys.selected) {
                let name = entry.name.clone();
                app.keys.revealed = Some((name.clone(), app.now + REVEAL_SECONDS));
                app.set_status(Level::Warning, format!("showing '{name}' for {REVEAL_SECONDS} s"));
            }
        }
        Action::DeleteKey => {
            if let Some(entry) = app.keys.entries.get(app.keys.selected) {
                app.keys.target = Some(entry.identity());
                app.mode = Mode::Confirm(Confirm::DeleteKey(entry.name.clone()));
            }
        }
        other => return Some(other),
    }
    None
}

/// Events: the clock, the terminal, and results coming back from the loop's effects. None
/// when handled, else the action back.
pub(super) fn event(
    app: &mut App,
    action: Action,
    effects: &mut Vec<Effect>,
    changed: &mut bool,
) -> Option<Action> {
    match action {
        Action::Tick(now) => {
            app.now = now;
            app.spinner = app.spinner.wrapping_add(1);
            if app.keys.revealed.as_ref().is_some_and(|(_, until)| now >= *until) {
                app.keys.revealed = None;
            }
        }
        Action::Resize(w, h) => app.size = (w, h),
        Action::KeyGenerated(result) => {
            app.keys.generating = None;
            match result {
                Ok(entry) => effects.push(Effect::StoreAdd(Box::new(entry))),
                Err(e) => app.set_status(Level::Error, format!("key generation failed: {e}")),
            }
        }
        Action::StoreLoaded(Ok(entries)) => {
            app.keys.entries = entries;
            app.keys.locked = false;
            // A change that waited for the passphrase goes ahead now that the store is open.
            if let Some(pending) = app.keys.pending.take() {
                effects.push(*pending);
            }
            if app.keys.store_error.take().is_some() {
                let text = format!("the key store is open: {} key(s)", app.keys.entries.len());
                app.set_status(Level::Success, text);
            }
            app.keys.selected = app.keys.selected.min(app.keys.entries.len().saturating_sub(1));
            *changed = true;
        }
        Action::StoreLoaded(Err(e)) => {
            app.keys.store_error = Some(e.clone());
            app.set_status(Level::Error, e);
            // A locked store that did not open (a wrong passphrase): ask again at once.
            if app.keys.encrypted && app.mode == Mode::Normal {
                app.input = Input::default();
                app.mode = Mode::Prompt(Prompt::Passphrase);
            }
            *changed = true;
        }
        Action::KeyStored { name, description } => key_stored(app, &name, &description, effects, changed),
        Action::Copied { what, how } => app.set_status(Level::Success, format!("copied {what} ({how})")),
        Action::CopyFailed(e) => app.set_status(Level::Error, format!("copy failed: {e}")),
        Action::Notice(level, text) => app.set_status(level, text),
        Action::StoreLocked => {
            // Nothing of the store can be read without its passphrase: show none of it, and ask
            // at once unless the user is typing (that prompt's text is kept; its change waits).
            app.keys.entries.clear();
            app.keys.encrypted = true;
            app.keys.locked = true;
            app.passphrase = None;
            app.keys.store_error =
                Some("another tokensmith locked the key store: enter its passphrase (u)".to_string());
            if app.mode == Mode::Normal {
                app.input = Input::default();
                app.mode = Mode::Prompt(Prompt::Passphrase);
            }
            *changed = true;
        }
        Action::NeedKeyPassphrase { name, path, why } => {
            super::submit::ask_key_passphrase(app, name, crate::tui::app::ImportFrom::Path(path), why);
        }
        Action::NeedPassphrase(effect) => {
            app.keys.encrypted = true;
            app.passphrase = None;
            app.keys.pending = Some(effect);
            app.input = Input::default();
            app.mode = Mode::Prompt(Prompt::Passphrase);
            app.set_status(
                Level::Warning,
                "another tokensmith locked the key store: its passphrase, and the change goes ahead",
            );
        }
        Action::PassphraseChanged(result) => {
            let new = app.new_passphrase.take();
            match result {
                Ok(true) => {
                    app.passphrase = new;
                    app.keys.encrypted = true;
                    let text =
                        "store locked with the passphrase (argon2id); tokensmith asks for it from now on";
                    app.set_status(Level::Success, text);
                }
                Ok(false) => {
                    app.passphrase = None;
                    app.keys.encrypted = false;
                    app.set_status(
                        Level::Success,
                        "the passphrase is removed: the store is plain JSON (mode 0600)",
                    );
                }
                Err(e) => app.set_status(Level::Error, e),
            }
        }
        other => return Some(other),
    }
    None
}

/// A key just stored becomes the one that signs for the current profile, where it fits: the
/// user added it to use it. The status line says which key signs now.
fn key_stored(app: &mut App, name: &str, description: &str, effects: &mut Vec<Effect>, changed: &mut bool) {
    let entry = app.keys.entries.iter().position(|e| e.name == name);
    if let Some(index) = entry {
        app.keys.selected = index;
    }
    let Some(profile) = app.current().cloned() else {
        app.set_status(Level::Success, format!("stored '{name}': {description}"));
        return;
    };
    let issued = profile.scheme == tokensmith::profile::Scheme::VendorIssued;
    let fits = entry.and_then(|i| app.keys.entries.get(i)).is_some_and(|e| app.key_fits(e));
    if fits && !issued {
        if let Some(state) = app.state_mut() {
            state.key = Some(name.to_string());
        }
        effects.push(Effect::SaveSession);
        *changed = true;
        let text = format!("stored '{name}', which signs for {} now ({description})", profile.name);
        app.set_status(Level::Success, text);
        return;
    }
    // Which key signs comes before the profile's (often long) name, which a narrow status
    // line cuts first.
    let why = match app.active_key() {
        _ if issued => format!("{} issues its own tokens", profile.name),
        Some(still) => {
            format!("'{}' still signs: {} needs {}", still.name, profile.name, key_needed(&profile))
        }
        None => format!("{} needs {}", profile.name, key_needed(&profile)),
    };
    app.set_status(Level::Success, format!("stored '{name}' ({description}); {why}"));
}
