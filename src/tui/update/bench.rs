//! `b` in the doctor: the pasted token goes onto the bench (the Claims pane) under the profile
//! whose rules it fits best, its times moved to now keeping its lifetime, to edit and sign
//! again with a stored key. The choosing and the times are the core's (`tokensmith::resign`),
//! as `sign --from --refresh-times` uses them.

use tokensmith::claims::ClaimInput;

use crate::tui::app::{App, Level, ProfileState};

/// A free claim's value as the Claims pane keeps it (JSON when it parses as JSON, else text):
/// a string that would read as JSON (`"123"`, `"true"`) stays quoted, so it stays a string.
fn extra_text(input: &ClaimInput) -> String {
    match input {
        ClaimInput::Json(serde_json::Value::String(s))
            if serde_json::from_str::<serde_json::Value>(s).is_err() =>
        {
            s.clone()
        }
        ClaimInput::Json(other) => other.to_string(),
        ClaimInput::Text(t) => t.clone(),
    }
}

pub(super) fn load_pasted(app: &mut App) {
    let Some(input) = app.doctor.input.clone() else {
        app.set_status(Level::Info, "paste a token first (t), then b puts it on the bench");
        return;
    };
    let Ok(token) = tokensmith::token::decode(&input) else {
        app.set_status(Level::Error, "this is not a token the bench can take: see the findings");
        return;
    };
    let found =
        tokensmith::resign::best_profile(&app.profiles, &token.header, &token.payload, app.now, app.profile);
    let Some((index, errors)) = found else { return };
    let profile = app.profiles[index].clone();
    let lifetime = profile.time.default_lifetime();
    let base = tokensmith::resign::base(&token.header, &token.payload, Some((app.now, lifetime)));
    let text = |input: &ClaimInput| match input {
        ClaimInput::Json(serde_json::Value::String(s)) => s.clone(),
        ClaimInput::Json(other) => other.to_string(),
        ClaimInput::Text(t) => t.clone(),
    };
    let mut state = ProfileState { key: app.state().key, ..ProfileState::default() };
    for claim in &base.claims {
        let path = claim.path.to_string();
        if profile.claims.iter().any(|f| f.path.to_string() == path) {
            state.values.insert(path, text(&claim.input));
        } else {
            state.extras.push((path, extra_text(&claim.input)));
        }
    }
    state.headers = base.headers.iter().map(|(k, v)| (k.clone(), v.to_string())).collect();
    if let Some(kid) = base.kid {
        state.headers.push(("kid".to_string(), serde_json::Value::from(kid).to_string()));
    }
    app.states.insert(profile.id.clone(), state);
    app.doctor.input = None;
    app.doctor.compare = false;
    app.select_profile(index);
    let fit = if errors == 0 {
        "it breaks none of its rules".to_string()
    } else {
        format!("{errors} error(s) even there")
    };
    app.set_status(
        Level::Success,
        format!("on the bench under {} (the profile it fits best: {fit}); times moved to now", profile.name),
    );
}
