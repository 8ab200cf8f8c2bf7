//! The parts of `update` for the Claims pane.

use tui_input::Input;

use super::clamp_claim_row;
use crate::tui::action::{Action, Effect};
use crate::tui::app::{App, EditTarget, Level, Mode, Row};

/// The Claims pane's keys: edit a row, add a claim or a header field, delete or reset a row.
/// None when handled, else the action back.
pub(super) fn claims_pane(
    app: &mut App,
    action: Action,
    effects: &mut Vec<Effect>,
    changed: &mut bool,
) -> Option<Action> {
    match action {
        Action::EditRow => {
            if let Some(&row) = app.rows().get(app.claims_pane.row) {
                let (text, set) = app.row_text(row);
                // A placeholder is there to be replaced, not appended to.
                let placeholder = matches!(row, Row::Param(i) if app.current().and_then(|p| p.params.get(i)).is_some_and(|p| p.placeholder));
                app.input = Input::new(if placeholder && !set { String::new() } else { text });
                app.mode = Mode::Editing(EditTarget::Row(row));
            }
        }
        Action::AddClaim => {
            // Any claim where the profile takes extra ones; elsewhere the registered claims
            // (iss, sub, aud, exp, nbf, iat, jti), which every profile allows, as sign does.
            if let Some(p) = app.current() {
                let hint = if p.extra_claims {
                    "name of the new claim".to_string()
                } else {
                    format!(
                        "{} takes only its own claims and the registered ones: {}",
                        p.name,
                        tokensmith::claims::REGISTERED.join(", ")
                    )
                };
                app.set_status(Level::Info, hint);
                app.input = Input::default();
                app.mode = Mode::Editing(EditTarget::NewClaimName);
            }
        }
        Action::AddHeader => {
            if app.current().is_some() {
                app.set_status(Level::Info, "header field name (kid, typ, or any other)");
                app.input = Input::default();
                app.mode = Mode::Editing(EditTarget::NewHeaderName);
            }
        }
        action @ (Action::DeleteClaim | Action::ResetRow) => {
            let row = app.rows().get(app.claims_pane.row).copied();
            let profile = app.current().cloned();
            if let (Some(row), Some(p), Some(state)) = (row, profile, app.state_mut()) {
                match row {
                    Row::Field(i) => {
                        state.values.remove(&p.claims[i].path.to_string());
                    }
                    Row::Param(i) => {
                        if let Some(param) = p.params.get(i) {
                            state.params.remove(&param.name);
                        }
                    }
                    Row::Extra(i) if action == Action::DeleteClaim => {
                        state.extras.remove(i);
                    }
                    Row::Extra(_) => {}
                    Row::Header(i) => {
                        if i < state.headers.len() {
                            state.headers.remove(i);
                        }
                    }
                    Row::Lifetime => state.ttl = None,
                }
                *changed = true;
                effects.push(Effect::SaveSession);
                clamp_claim_row(app);
            }
        }
        other => return Some(other),
    }
    None
}
