//! Session memory: the last profile, and per profile the claim values, snippet parameters and
//! key *name* (never a secret), in `<data>/session.json`.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::app::{App, ProfileState};

const FILE: &str = "session.json";

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Session {
    #[serde(default)]
    pub profile: Option<String>,
    #[serde(default)]
    pub profiles: HashMap<String, ProfileState>,
}

/// Reads the session; a missing file is an empty session, a broken one an error to report.
pub fn load(data_dir: &Path) -> Result<Session, String> {
    match tokensmith::limits::read_text(&data_dir.join(FILE), tokensmith::limits::MAX_TEXT_FILE_BYTES) {
        Ok(Some(text)) => serde_json::from_str(&text)
            .map_err(|e| format!("{} is damaged ({e}); starting fresh", data_dir.join(FILE).display())),
        Ok(None) => Ok(Session::default()),
        Err(e) => Err(e.to_string()),
    }
}

/// Applies a session to a fresh app.
pub fn restore(app: &mut App, session: Session) {
    app.states = session.profiles;
    if let Some(id) = session.profile
        && let Some(index) = app.profiles.iter().position(|p| p.id == id)
    {
        app.profile = index;
    }
}

/// Writes the session atomically (it may hold claim values: mode 0600, like the store).
pub fn save(data_dir: &Path, app: &App) -> Result<(), String> {
    let session = Session { profile: app.current().map(|p| p.id.clone()), profiles: app.states.clone() };
    let text = serde_json::to_vec_pretty(&session).map_err(|e| e.to_string())?;
    tokensmith::fsio::ensure_private_dir(data_dir).map_err(|e| e.to_string())?;
    tokensmith::fsio::write_atomic(data_dir, FILE, &text).map_err(|e| e.to_string())
}
