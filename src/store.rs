//! The key store: HMAC secrets and key pairs kept on disk, never lost and never leaked.
//!
//! One JSON file, `<data>/keys.json`, mode 0600 in a 0700 folder. Every write goes to a temp
//! file in the same folder, is fsynced and renamed over the store, and the folder is fsynced:
//! a crash leaves the old store or the new one, whole. Writers hold an exclusive lock on
//! `keys.lock` and re-read the store under it, so two processes lose no entry. A store that
//! does not parse, or comes from a newer tokensmith, is never written over. With a passphrase
//! (`lock`), the entries are sealed with XChaCha20-Poly1305 under an argon2id-derived key.

mod crypt;
mod file;
pub mod keygen;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::secret::Secret;
use crate::token::{KeyError, KeyFormat, KeyHint, KeyMaterial, ParsedKey, parse_key, read_key};

pub use crate::fsio::{ensure_private_dir, write_atomic};
/// Key encodings live with the token module; kept here under the name callers know.
pub use crate::token::export;
pub use crypt::KdfParams;

/// The store file's name in the data folder.
pub const STORE_FILE: &str = "keys.json";
const LOCK_FILE: &str = "keys.lock";
const FORMAT: &str = "tokensmith-keys";
/// The store format this build reads and writes.
pub const VERSION: u32 = 1;

/// What an entry holds: the one key model, shared with parsed keys.
pub use crate::token::KeyKind as EntryKind;

/// How an HMAC secret's text becomes key bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SecretReading {
    /// The text's UTF-8 bytes (what most vendors and libraries use).
    #[default]
    Text,
    /// The text is base64; the decoded bytes are the key.
    Base64,
}

/// One stored secret or key.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyEntry {
    /// Unique name.
    pub name: String,
    /// What it is.
    pub kind: EntryKind,
    /// "RSA 2048-bit private key, PKCS#1": found at import, so listing parses nothing.
    pub description: String,
    /// For HMAC secrets: how the text is read.
    #[serde(default)]
    pub reading: SecretReading,
    /// Key id for the header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    /// The vendor profile it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// A free note.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Unix seconds when it was added.
    pub created: i64,
    /// Unix seconds when it last signed or verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used: Option<i64>,
    /// The secret's text, or the key as PEM.
    #[serde(with = "secret_text")]
    pub material: Secret,
}

/// A change to an entry's labels: each field given replaces the old one; an empty kid or
/// profile clears it. The CLI's `keys set` and the workbench's Keys pane both use it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EntryChange {
    /// The kid for token headers.
    pub kid: Option<String>,
    /// The vendor profile it belongs to.
    pub profile: Option<String>,
    /// A note.
    pub note: Option<String>,
}

impl EntryChange {
    /// Applies the change.
    pub fn apply(&self, entry: &mut KeyEntry) {
        if let Some(kid) = &self.kid {
            entry.kid = (!kid.is_empty()).then(|| kid.clone());
        }
        if let Some(profile) = &self.profile {
            entry.profile = (!profile.is_empty()).then(|| profile.clone());
        }
        if let Some(note) = &self.note {
            entry.note.clone_from(note);
        }
    }
}

/// Entries compare field by field, the material in constant time (`Secret` has no `==`).
impl PartialEq for KeyEntry {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.kind == other.kind
            && self.description == other.description
            && self.reading == other.reading
            && self.kid == other.kid
            && self.profile == other.profile
            && self.note == other.note
            && self.created == other.created
            && self.last_used == other.last_used
            && self.material.ct_eq(&other.material)
    }
}

mod secret_text {
    use serde::{Deserialize, Deserializer, Serializer};
    use zeroize::Zeroizing;

    use crate::secret::Secret;

    pub fn serialize<S: Serializer>(secret: &Secret, s: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(secret.expose()) {
            Ok(text) => s.serialize_str(text),
            Err(_) => Err(serde::ser::Error::custom("stored material must be text")),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
        let text = Zeroizing::new(String::deserialize(d)?);
        Ok(Secret::new(text.as_bytes().to_vec()))
    }
}

impl KeyEntry {
    /// Makes an entry from a parsed key or secret.
    pub fn new(
        name: &str,
        parsed: &ParsedKey,
        material_text: Secret,
        reading: SecretReading,
        now: i64,
    ) -> KeyEntry {
        KeyEntry {
            name: name.to_string(),
            kind: parsed.material.kind(),
            description: parsed.describe(),
            reading,
            kid: parsed.kid.clone(),
            profile: None,
            note: String::new(),
            created: now,
            last_used: None,
            material: material_text,
        }
    }

    /// The usable key.
    pub fn key(&self) -> Result<KeyMaterial, KeyError> {
        match self.kind {
            EntryKind::HMAC_SECRET => match self.reading {
                SecretReading::Text => KeyMaterial::hmac(self.material.clone()),
                SecretReading::Base64 => {
                    let text = Zeroizing::new(String::from_utf8_lossy(self.material.expose()).into_owned());
                    KeyMaterial::hmac_base64(&text)
                }
            },
            _ => {
                let text = Zeroizing::new(String::from_utf8_lossy(self.material.expose()).into_owned());
                parse_key(&text).map(|parsed| parsed.material)
            }
        }
    }

    /// What identifies this entry across processes, whatever its name: a short digest of its
    /// kind, creation time and material. The workbench acts on a key only while the entry of
    /// that name on disk still has the identity it showed (another tokensmith may have
    /// renamed it and stored a rotated secret under the old name). Never shown: it is a hash
    /// of the secret.
    pub fn identity(&self) -> String {
        use sha2::Digest as _;
        let mut hash = sha2::Sha256::new();
        hash.update(self.kind.to_string().as_bytes());
        hash.update(self.created.to_be_bytes());
        hash.update(self.material.expose());
        hex::encode(hash.finalize().get(..12).unwrap_or_default())
    }

    /// What may be shown without `--reveal`: kind, length and at most the first 4 characters.
    pub fn masked(&self) -> String {
        match self.kind {
            // A base64 secret is used decoded: its length is the decoded one, as `keys add` says.
            EntryKind::HMAC_SECRET if self.reading == SecretReading::Base64 => {
                let text = self.material.masked();
                let head = text.split(" (").next().unwrap_or_default();
                match self.key() {
                    Ok(KeyMaterial::Hmac(secret)) => {
                        format!("{head} ({} bytes decoded from base64)", secret.len())
                    }
                    _ => text,
                }
            }
            EntryKind::HMAC_SECRET => self.material.masked(),
            kind if kind.can_sign() => "•••• (private key)".to_string(),
            _ => "(public key)".to_string(),
        }
    }
}

/// A stored key as the JWK a vendor takes: [`export::vendor_jwk`] with the entry's kid, and
/// its name as the certificate's subject.
pub fn entry_jwk(
    entry: &KeyEntry,
    material: &KeyMaterial,
    now: i64,
    private: bool,
) -> Result<serde_json::Map<String, serde_json::Value>, KeyError> {
    export::vendor_jwk(material, entry.kid.as_deref(), &entry.name, now, private)
}

/// Why the store cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file does not parse: it is kept as it is.
    #[error(
        "the key store {path} is damaged ({reason}, line {line}, column {column}); it was not changed, and tokensmith uses no store until it is fixed or moved aside"
    )]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's reason.
        reason: String,
    },
    /// Written by a newer tokensmith.
    #[error(
        "the key store {path} was written by a newer tokensmith (store version {version}, this build reads {VERSION}); it was not changed: upgrade tokensmith"
    )]
    TooNew {
        /// The file.
        path: PathBuf,
        /// Its version.
        version: u32,
    },
    /// Encrypted and no passphrase given.
    #[error("the key store is locked with a passphrase: set TOKENSMITH_PASSPHRASE or enter it when asked")]
    NeedPassphrase,
    /// The passphrase does not open the store.
    #[error("wrong passphrase: the key store was not opened and nothing was changed")]
    WrongPassphrase,
    /// An I/O failure.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// The path.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// No entry of that name.
    #[error("no key named '{name}' in the store{}", if .known.is_empty() { ": the store is empty (add one with `tokensmith keys add NAME` or `tokensmith keys gen NAME --kind hmac`)".to_string() } else { format!(": the keys are {} (`tokensmith keys list` shows them)", .known) })]
    NotFound {
        /// The name.
        name: String,
        /// Names that exist, comma-separated.
        known: String,
    },
    /// The name is taken.
    #[error("a key named '{0}' already exists: pick another name, or `tokensmith keys rm {0}` first")]
    Exists(String),
    /// A name that cannot be used.
    #[error("'{0}' cannot be a key name: use letters, digits, '-', '_' and '.', up to 64 characters")]
    BadName(String),
    /// Key material that cannot be used.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The entry changed on disk since the caller read it.
    #[error(
        "'{0}' changed on disk since it was chosen (another tokensmith renamed, replaced or removed it): nothing was done; the list is current again"
    )]
    Changed(String),
    /// A file or folder could not be written.
    #[error(transparent)]
    Fs(#[from] crate::fsio::FsError),
    /// Something else about the request.
    #[error("{0}")]
    Invalid(String),
}

/// Checks a key name.
pub fn check_name(name: &str) -> Result<(), StoreError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !name.starts_with('.');
    if ok { Ok(()) } else { Err(StoreError::BadName(name.to_string())) }
}

/// The store on disk, as read.
#[derive(Debug, Default)]
pub struct Store {
    /// The entries, in the order they were added.
    pub entries: Vec<KeyEntry>,
    /// Whether it is encrypted with a passphrase.
    pub encrypted: bool,
    /// Things worth telling the user (loose permissions, a leftover temp file).
    pub warnings: Vec<String>,
}

impl Store {
    /// The entry with this name.
    pub fn get(&self, name: &str) -> Result<&KeyEntry, StoreError> {
        self.entries.iter().find(|e| e.name == name).ok_or_else(|| StoreError::NotFound {
            name: name.to_string(),
            known: self.entries.iter().map(|e| e.name.as_str()).collect::<Vec<_>>().join(", "),
        })
    }

    /// The one entry for a profile that fits its key kind, when exactly one does.
    pub fn for_profile(&self, profile: &str, family: crate::token::Family) -> Option<&KeyEntry> {
        let mut matches = self
            .entries
            .iter()
            .filter(|e| e.profile.as_deref() == Some(profile) && e.kind.family() == family);
        let first = matches.next()?;
        if matches.next().is_some() { None } else { Some(first) }
    }
}

/// Where the store lives, and how to open it.
#[derive(Clone, Debug)]
pub struct StoreDir {
    dir: PathBuf,
}

/// Whether the store is there and how it is sealed, read without a passphrase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreState {
    /// No store file yet.
    Missing,
    /// Plain JSON.
    Plain,
    /// Sealed with a passphrase.
    Encrypted,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct OnDisk {
    format: String,
    version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    entries: Option<Vec<KeyEntry>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sealed: Option<crypt::Sealed>,
}

#[derive(Deserialize)]
struct Head {
    format: Option<String>,
    version: Option<u32>,
    sealed: Option<serde::de::IgnoredAny>,
}

impl StoreDir {
    /// The store in this data folder.
    pub fn new(data_dir: &Path) -> StoreDir {
        StoreDir { dir: data_dir.to_path_buf() }
    }

    /// The store file.
    pub fn path(&self) -> PathBuf {
        self.dir.join(STORE_FILE)
    }

    fn corrupt(&self, text: &str, err: &serde_json::Error) -> StoreError {
        let _ = text;
        StoreError::Corrupt {
            path: self.path(),
            line: err.line(),
            column: err.column(),
            reason: err.to_string().split(" at line").next().unwrap_or_default().to_string(),
        }
    }

    /// What changes whenever the store file is written (every write renames a new file over
    /// it): one `stat`, for a view that watches for another process's writes. None when there
    /// is no store file.
    pub fn stamp(&self) -> Option<(u64, Option<std::time::SystemTime>, u64)> {
        let meta = std::fs::metadata(self.path()).ok()?;
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some((meta.len(), meta.modified().ok(), inode))
    }

    /// Reads the store file's bytes, or None when there is none.
    fn read_text(&self) -> Result<Option<Zeroizing<String>>, StoreError> {
        let what = format!("the key store {}", self.path().display());
        let read = crate::limits::read_file(&self.path(), crate::limits::MAX_STORE_BYTES, &what, true);
        match read {
            Ok(bytes) => {
                let bytes = Zeroizing::new(bytes);
                match std::str::from_utf8(&bytes) {
                    Ok(text) => Ok(Some(Zeroizing::new(text.to_string()))),
                    Err(e) => Err(StoreError::Corrupt {
                        path: self.path(),
                        line: 1,
                        column: e.valid_up_to().saturating_add(1),
                        reason: "not UTF-8 text".to_string(),
                    }),
                }
            }
            Err(crate::limits::ReadError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                Ok(None)
            }
            Err(crate::limits::ReadError::Io { source, .. }) => {
                Err(StoreError::Io { action: "cannot read", path: self.path(), source })
            }
            Err(other) => Err(StoreError::Invalid(other.to_string())),
        }
    }

    fn check_head(&self, text: &str) -> Result<bool, StoreError> {
        let head: Head = serde_json::from_str(text).map_err(|e| self.corrupt(text, &e))?;
        if head.format.as_deref() != Some(FORMAT) {
            return Err(StoreError::Corrupt {
                path: self.path(),
                line: 1,
                column: 1,
                reason: format!("not a tokensmith key store (format is not '{FORMAT}')"),
            });
        }
        let version = head.version.unwrap_or(0);
        if version > VERSION {
            return Err(StoreError::TooNew { path: self.path(), version });
        }
        Ok(head.sealed.is_some())
    }

    /// Whether there is a store and whether it needs a passphrase.
    pub fn state(&self) -> Result<StoreState, StoreError> {
        match self.read_text()? {
            None => Ok(StoreState::Missing),
            Some(text) => Ok(if self.check_head(&text)? { StoreState::Encrypted } else { StoreState::Plain }),
        }
    }

    fn parse(&self, text: &str, passphrase: Option<&Secret>) -> Result<Store, StoreError> {
        let encrypted = self.check_head(text)?;
        let disk: OnDisk = serde_json::from_str(text).map_err(|e| self.corrupt(text, &e))?;
        let entries = match (disk.entries, disk.sealed) {
            (Some(entries), None) => entries,
            (None, Some(sealed)) => {
                let passphrase = passphrase.ok_or(StoreError::NeedPassphrase)?;
                let plain = crypt::open(&sealed, passphrase)?;
                serde_json::from_slice(&plain).map_err(|e| StoreError::Corrupt {
                    path: self.path(),
                    line: e.line(),
                    column: e.column(),
                    reason: format!("the decrypted entries do not parse: {e}"),
                })?
            }
            _ => {
                return Err(StoreError::Corrupt {
                    path: self.path(),
                    line: 1,
                    column: 1,
                    reason: "it has neither entries nor sealed entries".to_string(),
                });
            }
        };
        Ok(Store { entries, encrypted, warnings: Vec::new() })
    }

    /// Reads the store (an empty one when there is no file). A damaged or newer store is an
    /// error and stays untouched.
    pub fn open(&self, passphrase: Option<&Secret>) -> Result<Store, StoreError> {
        let mut warnings = file::permission_warnings(&self.dir, &self.path());
        warnings.extend(file::leftover_warnings(&self.dir, STORE_FILE, &self.dir.join(LOCK_FILE)));
        let mut store = match self.read_text()? {
            None => Store::default(),
            Some(text) => self.parse(&text, passphrase)?,
        };
        store.warnings = warnings;
        Ok(store)
    }

    /// Changes the store under an exclusive lock: re-reads it, applies `change`, writes the
    /// result atomically. `seal` decides the new encryption: None keeps it as it was.
    pub fn update<T>(
        &self,
        passphrase: Option<&Secret>,
        seal: Option<Option<&Secret>>,
        change: impl FnOnce(&mut Vec<KeyEntry>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        crate::fsio::ensure_private_dir(&self.dir)?;
        let _lock = file::Lock::exclusive(&self.dir.join(LOCK_FILE))?;
        file::remove_leftovers(&self.dir, STORE_FILE);
        let mut store = match self.read_text()? {
            None => Store::default(),
            Some(text) => self.parse(&text, passphrase)?,
        };
        let result = change(&mut store.entries)?;
        let seal_with = match seal {
            Some(choice) => choice,
            None if store.encrypted => Some(passphrase.ok_or(StoreError::NeedPassphrase)?),
            None => None,
        };
        let disk = match seal_with {
            None => {
                OnDisk { format: FORMAT.into(), version: VERSION, entries: Some(store.entries), sealed: None }
            }
            Some(pass) => {
                let plain = Zeroizing::new(
                    serde_json::to_vec(&store.entries)
                        .map_err(|e| StoreError::Invalid(format!("cannot serialise the entries: {e}")))?,
                );
                OnDisk {
                    format: FORMAT.into(),
                    version: VERSION,
                    entries: None,
                    sealed: Some(crypt::seal(&plain, pass, &KdfParams::default())?),
                }
            }
        };
        let text = Zeroizing::new(
            serde_json::to_string_pretty(&disk)
                .map_err(|e| StoreError::Invalid(format!("cannot serialise the store: {e}")))?,
        );
        crate::fsio::write_atomic(&self.dir, STORE_FILE, text.as_bytes())?;
        Ok(result)
    }

    /// Adds an entry; the name must be free.
    pub fn add(&self, passphrase: Option<&Secret>, entry: KeyEntry) -> Result<(), StoreError> {
        check_name(&entry.name)?;
        self.update(passphrase, None, |entries| {
            if entries.iter().any(|e| e.name == entry.name) {
                return Err(StoreError::Exists(entry.name.clone()));
            }
            entries.push(entry);
            Ok(())
        })
    }

    /// Renames an entry; the new name must be free.
    /// Changes an entry's kid, profile or note (an empty text clears kid and profile).
    /// `expect`, when given, is the entry's [`KeyEntry::identity`] as the caller saw it: the
    /// change is refused when the entry of that name on disk is another one.
    pub fn set(
        &self,
        passphrase: Option<&Secret>,
        name: &str,
        expect: Option<&str>,
        change: &EntryChange,
    ) -> Result<(), StoreError> {
        self.update(passphrase, None, |entries| {
            let index = position(entries, name, expect)?;
            if let Some(entry) = entries.get_mut(index) {
                change.apply(entry);
            }
            Ok(())
        })
    }

    /// Renames an entry; the new name must be free. `expect` as for [`StoreDir::set`].
    pub fn rename(
        &self,
        passphrase: Option<&Secret>,
        old: &str,
        new: &str,
        expect: Option<&str>,
    ) -> Result<(), StoreError> {
        check_name(new)?;
        self.update(passphrase, None, |entries| {
            if entries.iter().any(|e| e.name == new) {
                return Err(StoreError::Exists(new.to_string()));
            }
            let index = position(entries, old, expect)?;
            if let Some(entry) = entries.get_mut(index) {
                entry.name = new.to_string();
            }
            Ok(())
        })
    }

    /// Removes an entry and returns it. `expect` as for [`StoreDir::set`].
    pub fn remove(
        &self,
        passphrase: Option<&Secret>,
        name: &str,
        expect: Option<&str>,
    ) -> Result<KeyEntry, StoreError> {
        self.update(passphrase, None, |entries| {
            let index = position(entries, name, expect)?;
            Ok(entries.remove(index))
        })
    }

    /// Records that the stored key `name` was used at `now` (it signed a token, verified one or
    /// made a hash), as `keys list` shows it under "last used". Every face calls this after
    /// using a stored key: `sign`, `snippet`, `verify` and `hash`, and the workbench after a
    /// signature. A plain store is rewritten; an encrypted one is left as it is (recording would
    /// cost two more argon2 derivations, open and re-seal, on every use), and so is a store
    /// without that entry. Returns whether the use was recorded.
    pub fn record_use(&self, name: &str, now: i64) -> Result<bool, StoreError> {
        if self.state()? != StoreState::Plain {
            return Ok(false);
        }
        self.update(None, None, |entries| {
            let Some(entry) = entries.iter_mut().find(|e| e.name == name) else { return Ok(false) };
            entry.last_used = Some(now);
            Ok(true)
        })
    }

    /// Seals the store with a passphrase (or re-seals it with a new one).
    pub fn lock(&self, current: Option<&Secret>, new: &Secret) -> Result<(), StoreError> {
        if new.is_empty() {
            return Err(StoreError::Invalid("the passphrase is empty: choose one".to_string()));
        }
        self.update(current, Some(Some(new)), |_| Ok(()))
    }

    /// Removes the passphrase: the store is written as plain JSON (still mode 0600).
    pub fn unlock(&self, current: &Secret) -> Result<(), StoreError> {
        self.update(Some(current), Some(None), |_| Ok(()))
    }
}

/// Where the entry of this name is, as read under the writers' lock; with `expect`, only while
/// it is the entry the caller saw.
fn position(entries: &[KeyEntry], name: &str, expect: Option<&str>) -> Result<usize, StoreError> {
    let found = entries.iter().position(|e| e.name == name);
    match (found, expect) {
        (Some(index), Some(id)) if entries.get(index).is_some_and(|e| e.identity() != id) => {
            Err(StoreError::Changed(name.to_string()))
        }
        (Some(index), _) => Ok(index),
        (None, Some(_)) => Err(StoreError::Changed(name.to_string())),
        (None, None) => Err(StoreError::NotFound {
            name: name.to_string(),
            known: entries.iter().map(|e| e.name.as_str()).collect::<Vec<_>>().join(", "),
        }),
    }
}

/// Reads secret text given for `keys add`: text as it is, or base64 whose bytes are the key.
pub fn secret_entry(name: &str, bytes: Vec<u8>, base64: bool, now: i64) -> Result<KeyEntry, StoreError> {
    let bytes = Zeroizing::new(bytes);
    let (text, reading) = match std::str::from_utf8(&bytes) {
        Ok(text) => (
            Zeroizing::new(text.to_string()),
            if base64 { SecretReading::Base64 } else { SecretReading::Text },
        ),
        // Binary bytes are kept as base64 text that decodes to them.
        Err(_) => {
            use base64::Engine as _;
            (Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(&*bytes)), SecretReading::Base64)
        }
    };
    let material = match reading {
        SecretReading::Text => KeyMaterial::hmac(Secret::new(text.as_bytes().to_vec()))?,
        SecretReading::Base64 => KeyMaterial::hmac_base64(&text)?,
    };
    let description = format!(
        "{}{}",
        material.describe(),
        if reading == SecretReading::Base64 { ", read as base64" } else { ", read as text" }
    );
    let parsed = ParsedKey { material, format: KeyFormat::Secret, kid: None };
    let mut entry = KeyEntry::new(name, &parsed, Secret::new(text.as_bytes().to_vec()), reading, now);
    entry.description = description;
    Ok(entry)
}

/// Reads a key's text for `keys import`: PEM (PKCS#1, PKCS#8, SPKI, SEC1) or a JWK. See
/// [`import_key`], which takes any form.
pub fn import_entry(name: &str, text: &str, now: i64) -> Result<KeyEntry, StoreError> {
    import_key(name, text.as_bytes(), &KeyHint::default(), now)
}

/// Reads a key file's bytes for `keys import` and the workbench's import, in any form
/// [`crate::token::read_key`] reads. The stored form is PEM: PKCS#1, PKCS#8 and SPKI PEM as
/// they came, anything else (SEC1, DER, a decrypted PKCS#8, a bare point, a JWK) as PKCS#8 for
/// private keys and SPKI for public ones. An encrypted key without `hint.passphrase` is
/// `KeyError::Encrypted`: ask for the passphrase and call again.
pub fn import_key(name: &str, bytes: &[u8], hint: &KeyHint<'_>, now: i64) -> Result<KeyEntry, StoreError> {
    let parsed = read_key(bytes, hint)?;
    if let KeyMaterial::Hmac(secret) = &parsed.material {
        // A JWK 'oct' key: keep its bytes as base64 text, read as base64.
        use base64::Engine as _;
        let text = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(secret.expose()));
        let mut entry =
            KeyEntry::new(name, &parsed, Secret::new(text.as_bytes().to_vec()), SecretReading::Base64, now);
        entry.description = format!("{}, JWK", parsed.material.describe());
        return Ok(entry);
    }
    let stored = match std::str::from_utf8(bytes) {
        Ok(text) if parsed.format.is_plain_pem() => Zeroizing::new(text.trim().to_string() + "\n"),
        _ => export::pem(&parsed.material, true)?,
    };
    Ok(KeyEntry::new(name, &parsed, Secret::new(stored.as_bytes().to_vec()), SecretReading::Text, now))
}

#[cfg(test)]
mod tests;
