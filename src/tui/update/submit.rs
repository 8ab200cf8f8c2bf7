//! What Enter does in each text field, prompt and question: the parts of `update` that take a
//! typed value. Split by what has the keyboard: a claims-form or doctor field, a Keys-pane
//! prompt, a yes/no question.

use tokensmith::secret::Secret;
use tokensmith::store::keygen::GenKind;
use tokensmith::store::{StoreError, import_key, secret_entry};
use tokensmith::token::{KeyError, KeyHint};

use super::{new_name, remember, start_generation};
use crate::tui::action::{Effect, KeyPass};
use crate::tui::app::{App, Confirm, EditTarget, ImportFrom, Level, Mode, Pane, Prompt, Row};

/// A claims-form row, the doctor's token, a new claim or header field.
pub(super) fn edit(
    app: &mut App,
    target: EditTarget,
    value: &zeroize::Zeroizing<String>,
    effects: &mut Vec<Effect>,
    changed: &mut bool,
) {
    match target {
        EditTarget::FormField => {}
        EditTarget::Row(row) => set_row(app, row, value, effects, changed),
        EditTarget::DoctorToken if is_har_path(value) => {
            let path = value.trim().to_string();
            app.set_status(Level::Info, format!("reading {path}..."));
            effects.push(Effect::ReadHar { path });
        }
        EditTarget::DoctorToken => {
            app.doctor.at = None;
            if value.trim().is_empty() {
                app.doctor.input = None;
            } else {
                if let Ok(decoded) = tokensmith::token::decode(value) {
                    let entry = tokensmith::history::Entry {
                        at: app.now,
                        origin: tokensmith::history::Origin::Pasted,
                        profile: app.current().map(|p| p.id.clone()).unwrap_or_default(),
                        header: decoded.header,
                        payload: decoded.payload,
                    };
                    remember(app, entry, effects);
                }
                app.doctor.input = Some(value.to_string());
                app.focus = Pane::Token;
                app.token_pane.scroll = 0;
            }
            *changed = true;
        }
        EditTarget::DoctorProbe => submit_probe(app, value, effects),
        EditTarget::DoctorKeyset => {
            let spec = value.trim().to_string();
            app.doctor.keyset_spec.clone_from(&spec);
            if spec.is_empty() {
                app.doctor.keyset = None;
                app.set_status(Level::Info, "no keyset: the doctor tries the stored keys");
                *changed = true;
            } else {
                app.set_status(Level::Info, format!("reading the keyset {spec}..."));
                let token = app.doctor.input.clone().unwrap_or_default();
                effects.push(Effect::FetchKeyset { spec, token });
            }
        }
        EditTarget::NewClaimName => {
            let name = value.trim().to_string();
            let taken = app.state().extras.iter().any(|(n, _)| n == &name)
                || app.current().is_some_and(|p| p.claims.iter().any(|f| f.path.to_string() == name));
            let allowed = app.current().is_some_and(|p| p.extra_claims)
                || tokensmith::claims::REGISTERED.contains(&name.as_str());
            match name.parse::<tokensmith::claims::ClaimPath>() {
                Err(e) => app.set_status(Level::Error, e),
                Ok(_) if !allowed => {
                    let text = format!(
                        "'{name}' is not a claim of {}: it takes only its own and the registered ones ({})",
                        app.current().map(|p| p.name.clone()).unwrap_or_default(),
                        tokensmith::claims::REGISTERED.join(", ")
                    );
                    app.set_status(Level::Error, text);
                }
                Ok(_) if taken => {
                    app.set_status(Level::Error, format!("'{name}' is already a claim: edit it instead"))
                }
                Ok(_) => {
                    app.mode = Mode::Editing(EditTarget::NewClaimValue(name));
                }
            }
        }
        EditTarget::NewHeaderName => {
            let name = value.trim().to_string();
            if name.is_empty() {
                app.set_status(Level::Error, "a header field needs a name (kid, typ...)");
            } else if matches!(name.as_str(), "alg" | "crit") {
                app.set_status(
                    Level::Error,
                    format!("'{name}' cannot be set: alg comes from the key and profile, and tokensmith implements no crit extension"),
                );
            } else if app.state().headers.iter().any(|(n, _)| n == &name) {
                app.set_status(Level::Error, format!("the header already has '{name}': edit it instead"));
            } else {
                app.mode = Mode::Editing(EditTarget::NewHeaderValue(name));
            }
        }
        EditTarget::NewHeaderValue(name) => {
            if let Some(state) = app.state_mut() {
                state.headers.push((name, value.to_string()));
            }
            *changed = true;
            effects.push(Effect::SaveSession);
        }
        EditTarget::NewClaimValue(name) => {
            if let Some(state) = app.state_mut() {
                state.extras.push((name, value.to_string()));
            }
            let rows = app.rows();
            let count = app.state().extras.len();
            app.claims_pane.row = rows.iter().position(|r| *r == Row::Extra(count - 1)).unwrap_or(0);
            *changed = true;
            effects.push(Effect::SaveSession);
        }
    }
}

/// A claims-form row's new value, kept per profile as typed (the next refresh re-signs).
fn set_row(
    app: &mut App,
    row: Row,
    value: &zeroize::Zeroizing<String>,
    effects: &mut Vec<Effect>,
    changed: &mut bool,
) {
    let profile = app.current().cloned();
    if let (Some(p), Some(state)) = (profile, app.state_mut()) {
        match row {
            Row::Field(i) => {
                state.values.insert(p.claims[i].path.to_string(), value.to_string());
            }
            Row::Extra(i) => {
                if let Some(extra) = state.extras.get_mut(i) {
                    extra.1 = value.to_string();
                }
            }
            Row::Param(i) => {
                if let Some(param) = p.params.get(i) {
                    state.params.insert(param.name.clone(), value.to_string());
                }
            }
            Row::Header(i) => {
                if let Some(header) = state.headers.get_mut(i) {
                    header.1 = value.to_string();
                }
            }
            Row::Lifetime => {
                let ttl = value.trim();
                state.ttl = (!ttl.is_empty()).then(|| ttl.to_string());
            }
        }
        *changed = true;
        effects.push(Effect::SaveSession);
    }
}

/// A Keys-pane prompt: names, secrets, imports, passphrases.
pub(super) fn prompt(
    app: &mut App,
    prompt: Prompt,
    value: &zeroize::Zeroizing<String>,
    effects: &mut Vec<Effect>,
    changed: &mut bool,
) {
    match prompt {
        Prompt::Expect => match value.parse::<tokensmith::token::expect::Expectations>() {
            Ok(expect) => {
                let text = if expect.is_empty() {
                    "the doctor expects nothing of the claims".to_string()
                } else {
                    format!("the doctor expects {expect}")
                };
                app.doctor.expect = expect;
                app.set_status(Level::Info, text);
                *changed = true;
            }
            Err(e) => {
                app.set_status(Level::Error, e.to_string());
                app.input = tui_input::Input::new(value.to_string());
                app.mode = Mode::Prompt(Prompt::Expect);
            }
        },
        Prompt::SecretName => {
            if let Some(name) = new_name(app, value) {
                app.mode = Mode::Prompt(Prompt::SecretValue(name));
            }
        }
        Prompt::SecretValue(name) => match secret_entry(&name, value.as_bytes().to_vec(), false, app.now) {
            Ok(entry) => effects.push(Effect::StoreAdd(Box::new(entry))),
            Err(e) => app.set_status(Level::Error, e.to_string()),
        },
        Prompt::ImportName => {
            if let Some(name) = new_name(app, value) {
                app.mode = Mode::Prompt(Prompt::ImportSource(name));
            }
        }
        Prompt::ImportSource(name) => {
            if tokensmith::token::looks_like_key(value.as_bytes()) {
                import_pasted(app, name, value, None, effects);
            } else if value.trim().is_empty() {
                app.set_status(Level::Error, "give a file path, or paste the PEM or JWK");
            } else {
                effects.push(Effect::ImportFile { name, path: value.trim().to_string(), passphrase: None });
            }
        }
        Prompt::KeyPassphrase { name, from } => {
            let pass = KeyPass(Secret::new(value.as_bytes().to_vec()));
            match from {
                ImportFrom::Pasted(text) => import_pasted(app, name, &text, Some(&pass), effects),
                ImportFrom::Path(path) => {
                    effects.push(Effect::ImportFile { name, path, passphrase: Some(pass) });
                }
            }
        }
        Prompt::GenerateName(kind) => {
            if let Some(name) = new_name(app, value) {
                start_generation(app, kind, name, String::new(), effects);
            }
        }
        Prompt::Rename(old) => {
            if let Some(new) = new_name(app, value) {
                effects.push(Effect::StoreRename { old, new, id: app.keys.target.take() });
            }
        }
        Prompt::Kid(name) => {
            let change =
                tokensmith::store::EntryChange { kid: Some(value.trim().to_string()), ..Default::default() };
            effects.push(Effect::StoreSet { name, change, id: app.keys.target.take() });
        }
        Prompt::Note(name) => {
            let change =
                tokensmith::store::EntryChange { note: Some(value.to_string()), ..Default::default() };
            effects.push(Effect::StoreSet { name, change, id: app.keys.target.take() });
        }
        Prompt::Passphrase => {
            app.passphrase = Some(Secret::new(value.as_bytes().to_vec()));
            effects.push(Effect::StoreReload);
        }
        Prompt::NewPassphrase => {
            if value.is_empty() {
                app.set_status(
                    Level::Error,
                    "the passphrase is empty: type one, or Esc to keep the store as it is",
                );
                app.mode = Mode::Prompt(Prompt::NewPassphrase);
            } else {
                app.new_passphrase = Some(Secret::new(value.as_bytes().to_vec()));
                app.mode = Mode::Prompt(Prompt::NewPassphraseAgain);
            }
        }
        Prompt::NewPassphraseAgain => {
            let typed = Secret::new(value.as_bytes().to_vec());
            match &app.new_passphrase {
                Some(first) if first.ct_eq(&typed) => effects.push(Effect::StoreLock),
                _ => {
                    app.new_passphrase = None;
                    app.set_status(
                        Level::Error,
                        "the two passphrases differ: nothing changed; L to try again",
                    );
                }
            }
        }
    }
}

/// A yes to a question.
pub(super) fn confirm(app: &mut App, confirm: Confirm, effects: &mut Vec<Effect>) {
    match confirm {
        Confirm::DeleteKey(name) => {
            effects.push(Effect::StoreRemove { name, id: app.keys.target.take() });
        }
        Confirm::RemovePassphrase => effects.push(Effect::StoreUnlock),
        Confirm::QuitWhileEditing => {
            app.quit = true;
            effects.push(Effect::SaveSession);
        }
        Confirm::CreateDemo => {
            let note = "demo secret made by tokensmith to try it out; not a vendor's".to_string();
            start_generation(app, GenKind::Hmac, "demo".into(), note, effects);
        }
    }
}

/// Imports pasted key text; an encrypted key asks for its passphrase (again, when the one
/// typed did not open it).
fn import_pasted(app: &mut App, name: String, text: &str, pass: Option<&KeyPass>, effects: &mut Vec<Effect>) {
    let hint = KeyHint { alg: None, passphrase: pass.map(|p| p.0.expose()) };
    match import_key(&name, text.as_bytes(), &hint, app.now) {
        Ok(entry) => effects.push(Effect::StoreAdd(Box::new(entry))),
        Err(StoreError::Key(e @ (KeyError::Encrypted { .. } | KeyError::WrongPassphrase))) => {
            ask_key_passphrase(app, name, ImportFrom::Pasted(text.to_string()), e.to_string());
        }
        Err(e) => app.set_status(Level::Error, e.to_string()),
    }
}

/// Asks for the passphrase of an encrypted key being imported, in a masked prompt.
pub(super) fn ask_key_passphrase(app: &mut App, name: String, from: ImportFrom, why: String) {
    app.input = tui_input::Input::default();
    app.mode = Mode::Prompt(Prompt::KeyPassphrase { name, from });
    app.set_status(Level::Warning, why);
}

/// The doctor's probe line (`P`): checked here (a bad option, a private address without
/// --allow-private: said at once, nothing sent), run by an effect on the worker thread.
fn submit_probe(app: &mut App, value: &str, effects: &mut Vec<Effect>) {
    let line = value.trim().to_string();
    app.doctor.probe_line.clone_from(&line);
    match tokensmith::probe::Plan::parse_line(&line).and_then(|plan| plan.check().map(|()| plan)) {
        Err(e) => app.set_status(Level::Error, e.to_string()),
        Ok(plan) => {
            app.set_status(Level::Info, format!("probing {} ({} requests)...", plan.url, plan.count));
            effects.push(Effect::Probe { line });
        }
    }
}

/// A file name ending `.har` or `.har.gz`, on one line: read as a HAR, not as a token.
fn is_har_path(value: &str) -> bool {
    let value = value.trim().to_ascii_lowercase();
    !value.contains('\n') && (value.ends_with(".har") || value.ends_with(".har.gz"))
}
