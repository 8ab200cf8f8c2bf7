//! `update(&mut App, Action) -> Vec<Effect>`: every state change in one place, no I/O.

use tui_input::Input;

use tokensmith::store::keygen::GenKind;
use tokensmith::store::{check_name, export};

mod bench;
mod claims;
mod form;
mod input;
mod keys;
mod submit;
mod token;

use super::action::{Action, Effect};
use super::app::{App, Level, Mode, Pane, Prompt, key_needed};

/// How long a revealed secret stays on screen.
pub const REVEAL_SECONDS: i64 = 10;

pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    if form::owns(app, &action) {
        return form::update(app, action);
    }
    let mut effects = Vec::new();
    let mut changed = false;
    let Some(action) = keys::keys_pane(app, action, &mut effects, &mut changed)
        .and_then(|action| claims::claims_pane(app, action, &mut effects, &mut changed))
        .and_then(|action| token::token_pane(app, action, &mut effects, &mut changed))
        .and_then(|action| input::input(app, action, &mut effects, &mut changed))
        .and_then(|action| keys::event(app, action, &mut effects, &mut changed))
        .and_then(|action| navigate(app, action, &mut effects, &mut changed))
    else {
        if changed {
            app.refresh();
        }
        return effects;
    };
    match action {
        // Moving between panes and rows (navigate takes them above).
        Action::FocusNext
        | Action::FocusPrev
        | Action::Focus(_)
        | Action::SelectPrev
        | Action::SelectNext
        | Action::ClickRow(..)
        | Action::StartFilter => {}
        // The Keys pane's and the events' (keys::keys_pane and keys::event take them above).
        Action::UseKey
        | Action::NewSecret
        | Action::RenameKey
        | Action::SetKeyKid
        | Action::SetKeyNote
        | Action::ToggleKeyProfile
        | Action::Unlock
        | Action::LockStore
        | Action::RemovePassphrase
        | Action::ImportKey
        | Action::GenerateKey
        | Action::ExportPublicKey
        | Action::ExportPublicJwk
        | Action::RevealSecret
        | Action::DeleteKey
        | Action::Tick(_)
        | Action::Resize(..)
        | Action::KeyGenerated(_)
        | Action::StoreLoaded(_)
        | Action::KeyStored { .. }
        | Action::Copied { .. }
        | Action::CopyFailed(_)
        | Action::Notice(..)
        | Action::StoreLocked
        | Action::NeedPassphrase(_)
        | Action::NeedKeyPassphrase { .. }
        | Action::PassphraseChanged(_) => {}
        // The profile form's own (profile_form::owns takes them before this match).
        Action::CopyProfile
        | Action::ToggleValue
        | Action::NextValue
        | Action::PrevValue
        | Action::AddParam
        | Action::AddNote
        | Action::SaveProfile
        | Action::ProfileSaved(_) => {}
        // The Claims and Token panes' (claims::claims_pane and token::token_pane take them above).
        Action::EditRow
        | Action::AddClaim
        | Action::AddHeader
        | Action::DeleteClaim
        | Action::ResetRow
        | Action::OpenDoctor
        | Action::CloseDoctor
        | Action::CompareTokens
        | Action::AskKeyset
        | Action::KeysetLoaded(_)
        | Action::AskProbe
        | Action::ProbeDone(_)
        | Action::HarLoaded(_)
        | Action::LoadToBench
        | Action::SetExpectations
        | Action::Resign
        | Action::CopyToken
        | Action::CopySnippet
        | Action::ShowSnippet
        | Action::NextFlavor
        | Action::PrevFlavor
        | Action::ShowHistory
        | Action::ShowHelp => {}
        // Input, scrolling and quitting (input::input takes them above).
        Action::Quit
        | Action::Cancel
        | Action::Submit
        | Action::Decline
        | Action::Edit(_)
        | Action::Paste(_)
        | Action::ScrollUp
        | Action::ScrollDown
        | Action::ScrollPageUp
        | Action::ScrollPageDown
        | Action::ScrollTop
        | Action::ScrollBottom => {}
    }
    if changed {
        app.refresh();
    }
    effects
}

fn select(app: &mut App, delta: isize, effects: &mut Vec<Effect>) -> bool {
    if app.mode == Mode::PickKind {
        app.kind_choice = step(app.kind_choice, delta, GenKind::ALL.len());
        return false;
    }
    if app.mode == Mode::History {
        app.history.move_by(delta);
        return false;
    }
    if let (Mode::Har, Some(har)) = (&app.mode, app.doctor.har.as_mut()) {
        har.move_by(delta);
        return false;
    }
    match app.focus {
        Pane::Profiles => {
            let visible = app.visible_profiles();
            let at = visible.iter().position(|&i| i == app.profile).unwrap_or(0);
            match visible.get(step(at, delta, visible.len())) {
                Some(&next) if next != app.profile => {
                    switch_profile(app, next, effects);
                    true
                }
                _ => false,
            }
        }
        Pane::Claims => {
            app.claims_pane.row = step(app.claims_pane.row, delta, app.rows().len());
            false
        }
        Pane::Keys => {
            app.keys.selected = step(app.keys.selected, delta, app.keys.entries.len());
            false
        }
        Pane::Token => {
            app.token_pane.scroll_by(if delta < 0 { -1 } else { 1 });
            false
        }
    }
}

use super::app::panes::step;

/// Every way to another profile (arrows, a click, the filter) comes here.
fn switch_profile(app: &mut App, index: usize, effects: &mut Vec<Effect>) {
    app.select_profile(index);
    effects.push(Effect::SaveSession);
}

fn click(app: &mut App, pane: Pane, row: usize, effects: &mut Vec<Effect>) -> bool {
    match pane {
        Pane::Profiles => match app.visible_profiles().get(row) {
            Some(&index) if index != app.profile => {
                switch_profile(app, index, effects);
                true
            }
            _ => false,
        },
        Pane::Claims => {
            if row < app.rows().len() {
                app.claims_pane.row = row;
            }
            false
        }
        Pane::Keys => {
            if row < app.keys.entries.len() {
                app.keys.selected = row;
            }
            false
        }
        Pane::Token => false,
    }
}

fn clamp_claim_row(app: &mut App) {
    let rows = app.rows().len();
    app.claims_pane.clamp(rows);
}

fn apply_filter(app: &mut App, effects: &mut Vec<Effect>) -> bool {
    app.filter = app.input.value().to_string();
    let visible = app.visible_profiles();
    match visible.first() {
        Some(&first) if !visible.contains(&app.profile) => {
            switch_profile(app, first, effects);
            true
        }
        _ => false,
    }
}

fn start_prompt(app: &mut App, prompt: Prompt, initial: &str) {
    if let Some(err) = &app.keys.store_error
        && prompt != Prompt::Passphrase
    {
        let text = format!("the key store cannot be written: {err}");
        app.set_status(Level::Error, text);
        return;
    }
    app.input = Input::new(initial.to_string());
    app.mode = Mode::Prompt(prompt);
}

fn use_key(app: &mut App, effects: &mut Vec<Effect>, changed: &mut bool) {
    let Some(entry) = app.keys.entries.get(app.keys.selected).cloned() else { return };
    let Some(profile) = app.current().cloned() else { return };
    if !app.key_fits(&entry) {
        let text = format!(
            "'{}' is {}; {} needs {}",
            entry.name,
            entry.description,
            profile.name,
            key_needed(&profile)
        );
        app.set_status(Level::Error, text);
        return;
    }
    if let Some(state) = app.state_mut() {
        state.key = Some(entry.name.clone());
    }
    app.set_status(Level::Info, format!("signing {} tokens with '{}'", profile.name, entry.name));
    effects.push(Effect::SaveSession);
    *changed = true;
}

fn export_public(app: &mut App, effects: &mut Vec<Effect>) {
    let Some(entry) = app.keys.entries.get(app.keys.selected) else { return };
    let name = entry.name.clone();
    match entry
        .key()
        .map_err(|e| e.to_string())
        .and_then(|k| export::pem(&k, false).map_err(|e| e.to_string()))
    {
        Ok(pem) => effects.push(Effect::Copy {
            text: pem.to_string(),
            what: format!("the public key of '{name}' (SPKI PEM)"),
        }),
        Err(e) => app.set_status(Level::Error, format!("'{name}': {e}")),
    }
}

fn export_jwk(app: &mut App, effects: &mut Vec<Effect>) {
    let Some(entry) = app.keys.entries.get(app.keys.selected) else { return };
    let name = entry.name.clone();
    if entry.kind.family == tokensmith::token::Family::Hmac {
        let text = format!(
            "'{name}' is a secret: its JWK would hold it (`tokensmith keys export {name} --format jwk --private`)"
        );
        app.set_status(Level::Info, text);
        return;
    }
    // Crypto in update, as `e` does: one key, on a keypress, never on a tick.
    match entry
        .key()
        .and_then(|k| tokensmith::store::entry_jwk(entry, &k, app.now, false))
        .map_err(|e| e.to_string())
    {
        Ok(jwk) => effects.push(Effect::Copy {
            text: serde_json::to_string_pretty(&serde_json::Value::Object(jwk)).unwrap_or_default(),
            what: format!("the public JWK of '{name}'"),
        }),
        Err(e) => app.set_status(Level::Error, format!("'{name}': {e}")),
    }
}

/// Moving between panes and rows, and the profile filter. None when handled.
fn navigate(app: &mut App, action: Action, effects: &mut Vec<Effect>, changed: &mut bool) -> Option<Action> {
    match action {
        Action::FocusNext => app.focus = app.focus.next(),
        Action::FocusPrev => app.focus = app.focus.prev(),
        Action::Focus(pane) => app.focus = pane,
        Action::SelectPrev => *changed = select(app, -1, effects),
        Action::SelectNext => *changed = select(app, 1, effects),
        Action::ClickRow(pane, row) => {
            app.focus = pane;
            *changed = click(app, pane, row, effects);
        }
        Action::StartFilter => {
            app.mode = Mode::Filter;
            app.input = Input::new(app.filter.clone());
        }
        other => return Some(other),
    }
    None
}

fn submit(app: &mut App, effects: &mut Vec<Effect>, changed: &mut bool) {
    // The field may hold a secret, a passphrase or a private key: the buffer is wiped as the
    // value leaves it, and what is not moved on is wiped when dropped.
    let value = zeroize::Zeroizing::new(app.input.value_and_reset());
    let mode = std::mem::replace(&mut app.mode, Mode::Normal);
    app.input = Input::default();
    match mode {
        Mode::Editing(target) => submit::edit(app, target, &value, effects, changed),
        Mode::Prompt(prompt) => submit::prompt(app, prompt, &value, effects, changed),
        Mode::Confirm(confirm) => submit::confirm(app, confirm, effects),
        Mode::Normal | Mode::Help | Mode::Snippet | Mode::History | Mode::Filter | Mode::ProfileForm => {}
        Mode::Har => *changed = token::open_har_token(app, effects),
        Mode::PickKind => {
            let kind = GenKind::ALL[app.kind_choice.min(GenKind::ALL.len() - 1)];
            let n = app.keys.entries.len() + 1;
            app.input = Input::new(format!("{kind}-{n}"));
            app.mode = Mode::Prompt(Prompt::GenerateName(kind));
        }
    }
}

/// In the import prompt, what was typed or pasted in words, so a private key is never shown.
fn summarize_input(app: &mut App) {
    app.input_summary = match app.mode {
        Mode::Prompt(Prompt::ImportSource(_)) => {
            let value = app.input.value();
            let lines = value.lines().count();
            let looks_like_key = tokensmith::token::looks_like_key(value.as_bytes());
            let read = |value: &str| tokensmith::token::read_key(value.as_bytes(), &Default::default());
            looks_like_key.then(|| match read(value) {
                Ok(key) => format!(
                    "{}, {lines} line{}; Enter to import",
                    key.describe(),
                    if lines == 1 { "" } else { "s" }
                ),
                Err(tokensmith::token::KeyError::Encrypted { .. }) => format!(
                    "an encrypted private key, {lines} line{}; Enter asks for its passphrase",
                    if lines == 1 { "" } else { "s" }
                ),
                Err(e) => {
                    format!("{lines} line{} pasted, not a key yet: {e}", if lines == 1 { "" } else { "s" })
                }
            })
        }
        _ => None,
    };
}

/// Keeps a token's header and payload in the history (in memory now, on disk by the loop).
fn remember(app: &mut App, entry: tokensmith::history::Entry, effects: &mut Vec<Effect>) {
    if app.history.record(&entry) {
        effects.push(Effect::RecordHistory(Box::new(entry)));
    }
}

fn new_name(app: &mut App, value: &str) -> Option<String> {
    let name = value.trim().to_string();
    if let Err(e) = check_name(&name) {
        app.set_status(Level::Error, e.to_string());
        return None;
    }
    if app.keys.entries.iter().any(|e| e.name == name) {
        app.set_status(Level::Error, format!("a key named '{name}' already exists: pick another name"));
        return None;
    }
    Some(name)
}

fn start_generation(app: &mut App, kind: GenKind, name: String, note: String, effects: &mut Vec<Effect>) {
    app.keys.generating = Some((kind, name.clone()));
    app.set_status(Level::Info, format!("generating {kind} key '{name}'..."));
    effects.push(Effect::Generate { kind, name, note });
}

/// Inserts pasted text at the cursor in one step (linear in its size: inserting it a character
/// at a time is quadratic). Terminals and tmux send line breaks as CR, LF or CRLF: all become LF
/// in a multi-line field; in a one-line field the trailing line break a copy picks up is dropped
/// and inner ones become spaces.
pub fn paste_into_input(input: &mut tui_input::Input, text: &str, multiline: bool) {
    use zeroize::Zeroizing;
    // A paste is often a secret or a private key: every copy made here is wiped when dropped.
    let normalized = Zeroizing::new(text.replace("\r\n", "\n").replace('\r', "\n"));
    let pasted: Zeroizing<String> = if multiline {
        normalized
    } else {
        Zeroizing::new(normalized.trim_end_matches('\n').replace('\n', " "))
    };
    let cursor = input.cursor();
    let value = Zeroizing::new(input.value_and_reset());
    let split = value.char_indices().nth(cursor).map_or(value.len(), |(i, _)| i);
    let (before, after) = value.split_at(split);
    let moved = cursor.saturating_add(pasted.chars().count());
    let mut joined = String::with_capacity(value.len().saturating_add(pasted.len()));
    joined.push_str(before);
    joined.push_str(&pasted);
    joined.push_str(after);
    *input = tui_input::Input::new(joined).with_cursor(moved);
}
