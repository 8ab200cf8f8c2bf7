//! The parts of `update` for the Token pane, the doctor, copying, snippets and overlays.

use tui_input::Input;

use crate::tui::action::{Action, Effect};
use crate::tui::app::{App, EditTarget, Level, Mode, Pane, Prompt, TokenState};

use super::remember;

/// The Token pane's and the overlays' keys: the doctor, re-sign, copy, the snippet, the
/// history, help. None when handled, else the action back.
pub(super) fn token_pane(
    app: &mut App,
    action: Action,
    effects: &mut Vec<Effect>,
    changed: &mut bool,
) -> Option<Action> {
    let action = doctor(app, action, changed)?;
    match action {
        Action::Resign => {
            *changed = true;
            app.set_status(Level::Info, "re-signed with fresh times");
        }
        // While the doctor shows a pasted token, `c` copies what is on screen: that token.
        Action::CopyToken if app.doctor.input.is_some() => {
            let what = match app.current().map(|p| p.scheme) {
                Some(tokensmith::profile::Scheme::IdentityHash) => "the pasted hash the doctor shows",
                _ => "the pasted token the doctor shows",
            };
            effects.push(Effect::Copy { text: app.doctor.token.clone(), what: what.into() });
        }
        Action::CopyToken => match &app.token {
            TokenState::Signed(s) => {
                effects.push(Effect::Copy { text: s.token.clone(), what: "the token".into() });
                let used = Effect::RecordUse { name: s.key_name.clone(), at: app.now };
                let entry = tokensmith::history::Entry {
                    at: app.now,
                    origin: tokensmith::history::Origin::Made,
                    profile: app.current().map(|p| p.id.clone()).unwrap_or_default(),
                    header: s.header.clone(),
                    payload: s.payload.clone(),
                };
                remember(app, entry, effects);
                effects.push(used);
            }
            TokenState::Hashed(h) => {
                let what = app
                    .current()
                    .and_then(|p| p.hash.as_ref())
                    .map_or("hash".into(), |r| r.page_field.clone());
                effects.push(Effect::Copy { text: h.hash.clone(), what: format!("the {what}") });
                effects.push(Effect::RecordUse { name: h.key_name.clone(), at: app.now });
            }
            TokenState::NoKey(why) | TokenState::Error(why) => {
                let text = format!("nothing to copy: {why}");
                app.set_status(Level::Error, text);
            }
        },
        Action::CopySnippet => {
            app.refresh_snippet();
            match app.snippet() {
                Some(text) => {
                    let what = format!("the {} snippet", app.flavor().unwrap_or_default());
                    effects.push(Effect::Copy { text, what });
                    let used = match &app.token {
                        TokenState::Signed(s) => Some(s.key_name.clone()),
                        TokenState::Hashed(h) => Some(h.key_name.clone()),
                        _ => None,
                    };
                    effects.extend(used.map(|name| Effect::RecordUse { name, at: app.now }));
                }
                None => app.set_status(Level::Error, "no token yet, so no snippet"),
            }
        }
        Action::ShowSnippet => {
            // Server flavours need no token, so the overlay opens even before there is one.
            if app.current().is_some() {
                app.snippet_view.scroll = 0;
                app.mode = Mode::Snippet;
                app.refresh_snippet();
            }
        }
        action @ (Action::NextFlavor | Action::PrevFlavor) => {
            let count = app.flavors().len().max(1);
            let step = if action == Action::NextFlavor { 1 } else { count - 1 };
            app.snippet_view.flavor = (app.snippet_view.flavor + step) % count;
            app.snippet_view.scroll = 0;
            app.refresh_snippet();
        }
        Action::ShowHistory => {
            app.history.selected = 0;
            app.mode = Mode::History;
        }
        Action::ShowHelp => {
            app.snippet_view.scroll = 0;
            app.mode = Mode::Help;
        }
        other => return Some(other),
    }
    None
}

/// The doctor's keys: paste, close, compare, put on the bench, a keyset (J), expectations.
fn doctor(app: &mut App, action: Action, changed: &mut bool) -> Option<Action> {
    match action {
        Action::OpenDoctor => {
            app.input = Input::new(app.doctor.input.clone().unwrap_or_default());
            app.mode = Mode::Editing(EditTarget::DoctorToken);
        }
        Action::CloseDoctor => {
            app.doctor.at = None;
            if app.doctor.input.take().is_some() {
                // Back to the token from its start, not where the doctor's report was scrolled.
                app.token_pane.scroll = 0;
                *changed = true;
            }
        }
        Action::CompareTokens if app.doctor.input.is_some() => {
            app.doctor.compare = !app.doctor.compare;
            app.token_pane.scroll = 0;
            *changed = true;
        }
        Action::CompareTokens => app.set_status(Level::Info, "paste a token first (t), then = compares it"),
        Action::AskKeyset if app.doctor.input.is_some() => {
            app.input = Input::new(app.doctor.keyset_spec.clone());
            app.mode = Mode::Editing(EditTarget::DoctorKeyset);
        }
        Action::AskKeyset => {
            app.set_status(Level::Info, "paste a token first (t), then J verifies it against a keyset");
        }
        Action::AskProbe => {
            app.input = Input::new(app.doctor.probe_line.clone());
            app.mode = Mode::Editing(EditTarget::DoctorProbe);
        }
        Action::ProbeDone(result) => {
            match result {
                Ok(fetched) => {
                    let report = fetched.0;
                    let verdict = app.current().map(|p| report.verdict(p)).unwrap_or_default();
                    let level = if report.passes() { Level::Success } else { Level::Error };
                    app.set_status(level, format!("probe: {verdict}"));
                    // The last token served is the doctor's to judge, as if pasted.
                    if let Some(token) = report.exchanges.iter().rev().find_map(|e| e.token.clone()) {
                        app.doctor.input = Some(token);
                    }
                    app.doctor.probe = Some(report);
                    app.focus = Pane::Token;
                    app.token_pane.scroll = 0;
                }
                Err(e) => app.set_status(Level::Error, e),
            }
            *changed = true;
        }
        Action::KeysetLoaded(result) => {
            match result {
                Ok(fetched) => {
                    let set = &fetched.0;
                    let text = format!("{}: {} key(s): {}", set.from, set.set.keys.len(), set.set.summary());
                    app.set_status(Level::Success, text);
                    app.doctor.keyset = Some(fetched.0);
                }
                Err(e) => app.set_status(Level::Error, e),
            }
            *changed = true;
        }
        Action::HarLoaded(Ok(super::super::action::LoadedHar(case, path))) => {
            let text = format!("{path}: {}", case.summary);
            app.set_status(Level::Success, text);
            app.doctor.har = Some(crate::tui::app::panes::HarView { case, path, selected: 0 });
            app.mode = Mode::Har;
        }
        Action::HarLoaded(Err(e)) => app.set_status(Level::Error, e),
        Action::SetExpectations if app.doctor.input.is_some() => {
            app.input = Input::new(app.doctor.expect.to_string());
            app.mode = Mode::Prompt(Prompt::Expect);
        }
        Action::SetExpectations => {
            app.set_status(Level::Info, "paste a token first (t), then x says what its claims must be");
        }
        Action::LoadToBench => {
            super::bench::load_pasted(app);
            *changed = true;
        }
        other => return Some(other),
    }
    None
}

/// Enter on the HAR's timeline: the selected token into the doctor, judged when it was sent,
/// under the profile the HAR's reading chose for it. Whether anything changed.
pub(super) fn open_har_token(app: &mut App, effects: &mut Vec<Effect>) -> bool {
    let Some(token) = app.doctor.har.as_ref().and_then(|h| h.case.tokens.get(h.selected)).cloned() else {
        return false;
    };
    if let Some(at) = token.vendor.as_ref().and_then(|v| app.profiles.iter().position(|p| p.id == v.profile))
    {
        super::switch_profile(app, at, effects);
    }
    app.doctor.input = Some(token.value.clone());
    app.doctor.at = token.judged_at;
    app.focus = crate::tui::app::Pane::Token;
    app.token_pane.scroll = 0;
    true
}
