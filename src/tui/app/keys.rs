//! The Keys pane's state: the store's entries as last read, the selection, what a prompt acts
//! on, and what each entry shows in place of its secret.

use tokensmith::store::KeyEntry;
use tokensmith::store::keygen::GenKind;

/// The Keys pane.
#[derive(Clone, Debug, Default)]
pub struct KeysPane {
    pub entries: Vec<KeyEntry>,
    pub selected: usize,
    /// Name of the key a reveal shows, and until when (unix seconds).
    pub revealed: Option<(String, i64)>,
    /// A key being generated on the worker thread.
    pub generating: Option<(GenKind, String)>,
    /// Why the store cannot be used (damaged, newer, locked): the app runs without it.
    pub store_error: Option<String>,
    /// Whether the store is encrypted (writes need the passphrase).
    pub encrypted: bool,
    /// The store is sealed and this view has not opened it: its entries, and how many there
    /// are, are unknown (the count is inside the ciphertext too), not none.
    pub locked: bool,
    /// The identity of the entry a prompt or confirmation acts on, taken when it opened: the
    /// change is refused if another tokensmith has put another entry under that name since.
    pub target: Option<String>,
    /// A change that waits for the passphrase (the store was locked by another tokensmith
    /// while it was being typed), performed once the store opens.
    pub pending: Option<Box<crate::tui::action::Effect>>,
    /// Per entry (by name): what identifies it on screen, derived when the entries change. A
    /// key's RFC 7638 thumbprint, shortened; a secret's masked form (its thumbprint would be a
    /// hash of the secret).
    pub fingerprints: Vec<(String, String)>,
}

impl KeysPane {
    /// Re-derives the fingerprints when the entries changed (a rename included).
    pub fn refresh_fingerprints(&mut self) {
        let current = self.fingerprints.len() == self.entries.len()
            && self.fingerprints.iter().zip(&self.entries).all(|((name, _), e)| name == &e.name);
        if current {
            return;
        }
        self.fingerprints = self
            .entries
            .iter()
            .map(|entry| {
                let shown = if entry.kind.family == tokensmith::token::Family::Hmac {
                    entry.masked()
                } else {
                    match entry.key() {
                        Ok(material) => {
                            let full = tokensmith::token::export::thumbprint(&material);
                            format!("{}…", full.chars().take(8).collect::<String>())
                        }
                        Err(_) => "(unreadable)".to_string(),
                    }
                };
                (entry.name.clone(), shown)
            })
            .collect();
    }

    /// The fingerprint shown for the entry at this index.
    pub fn fingerprint(&self, index: usize) -> &str {
        self.fingerprints.get(index).map_or("", |(_, shown)| shown.as_str())
    }
}
