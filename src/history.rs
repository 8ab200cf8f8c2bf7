//! The last tokens made or pasted, to go back to what was sent a customer an hour ago: the
//! header, payload, profile and time of each, never a secret and never the token itself (its
//! signature would let anyone replay it until `exp`). Kept in `<data>/history.jsonl`, newest
//! last, at most [`LIMIT`] lines; a line that does not parse is skipped, never fatal.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::store::StoreError;

/// How many entries are kept.
pub const LIMIT: usize = 50;

const FILE: &str = "history.jsonl";

/// How a token came to be in the history.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Signed by tokensmith (`sign`, or copied from the workbench).
    Made,
    /// Pasted into the doctor.
    Pasted,
}

/// One token, without its signature.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Unix seconds when it was made or pasted.
    pub at: i64,
    /// Made or pasted.
    pub origin: Origin,
    /// The profile it was made for or judged against.
    pub profile: String,
    /// The decoded header.
    pub header: Map<String, Value>,
    /// The decoded payload.
    pub payload: Map<String, Value>,
}

impl Entry {
    /// Who the token is for, in a few words: its first two identity claims
    /// (`email=ada@example.com external_id=42`), else the whole payload.
    pub fn who(&self) -> String {
        let who: Vec<String> = ["sub", "email", "external_id", "user_id", "name", "_id"]
            .iter()
            .filter_map(|k| {
                self.payload
                    .get(*k)
                    .map(|v| format!("{k}={}", v.as_str().map_or_else(|| v.to_string(), str::to_string)))
            })
            .take(2)
            .collect();
        if who.is_empty() { Value::Object(self.payload.clone()).to_string() } else { who.join(" ") }
    }

    /// "made" or "pasted".
    pub fn origin_word(&self) -> &'static str {
        match self.origin {
            Origin::Made => "made",
            Origin::Pasted => "pasted",
        }
    }
}

/// The history file in a data folder.
pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE)
}

/// Reads the entries, oldest first; a missing file is an empty history.
pub fn load(data_dir: &Path) -> Result<Vec<Entry>, StoreError> {
    let file = path(data_dir);
    let text = match crate::limits::read_text(&file, crate::limits::MAX_STORE_BYTES) {
        Ok(Some(text)) => text,
        Ok(None) => return Ok(Vec::new()),
        Err(e) => return Err(StoreError::Invalid(e.to_string())),
    };
    Ok(text.lines().filter_map(|line| serde_json::from_str(line).ok()).collect())
}

/// Adds an entry, keeping the newest [`LIMIT`]. The file is rewritten atomically (mode 0600
/// in a 0700 folder, like the store: payloads hold people's names and emails).
pub fn record(data_dir: &Path, entry: Entry) -> Result<(), StoreError> {
    let mut entries = load(data_dir)?;
    // The same token twice in a row (copied twice) is one entry.
    if entries.last().is_some_and(|last| last.payload == entry.payload && last.header == entry.header) {
        return Ok(());
    }
    entries.push(entry);
    let skip = entries.len().saturating_sub(LIMIT);
    let mut text = String::new();
    for entry in entries.iter().skip(skip) {
        if let Ok(line) = serde_json::to_string(entry) {
            text.push_str(&line);
            text.push('\n');
        }
    }
    crate::fsio::ensure_private_dir(data_dir)?;
    crate::fsio::write_atomic(data_dir, FILE, text.as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn entry(at: i64, sub: &str) -> Entry {
        Entry {
            at,
            origin: Origin::Made,
            profile: "generic-hs256".into(),
            header: json!({"alg": "HS256"}).as_object().cloned().unwrap_or_default(),
            payload: json!({"sub": sub}).as_object().cloned().unwrap_or_default(),
        }
    }

    #[test]
    fn keeps_the_newest_fifty_and_skips_repeats_and_broken_lines() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(load(dir.path()).expect("empty"), Vec::new());
        for i in 0..60 {
            record(dir.path(), entry(i, &format!("user-{i}"))).expect("records");
        }
        record(dir.path(), entry(99, "user-59")).expect("a repeat is fine");
        let entries = load(dir.path()).expect("loads");
        assert_eq!(entries.len(), LIMIT);
        assert_eq!(entries.first().map(|e| e.at), Some(10));
        assert_eq!(entries.last().map(|e| e.at), Some(59), "the repeat was not added");
        let mut text = std::fs::read_to_string(path(dir.path())).expect("file");
        assert!(!text.contains("signature"), "no token or signature is kept");
        text.push_str("not json\n");
        std::fs::write(path(dir.path()), text).expect("write");
        assert_eq!(load(dir.path()).expect("loads").len(), LIMIT, "a broken line is skipped");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            record(dir.path(), entry(100, "new")).expect("records");
            let mode = std::fs::metadata(path(dir.path())).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }
}
