//! Profiles users write: the TOML writer (a profile back to the text it was read from), the
//! commented template a new profile starts from, and writing files into the user folder
//! (`<config>/profiles/ID.toml`, atomically, never over someone's file unless asked).

use std::fmt;
use std::path::{Path, PathBuf};

use super::{Profile, ProfileError, ProfileSource, builtin, parse};

/// Two user files with the same id: the later one (by file name) is used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateId {
    /// The id both files have.
    pub id: String,
    /// The file that is ignored.
    pub ignored: PathBuf,
    /// The file that is used.
    pub used: PathBuf,
}

impl fmt::Display for DuplicateId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "profile id '{}' is in two files: '{}' is used, '{}' is ignored; rename or remove one, or change its id",
            self.id,
            self.used.display(),
            self.ignored.display()
        )
    }
}

/// Why a user profile file could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserFileError {
    /// `profile new` never replaces a file.
    #[error(
        "'{}' already exists: edit it with `tokensmith profile edit {id}`, or pick another id",
        .path.display()
    )]
    Exists {
        /// The id asked for.
        id: String,
        /// The file that is there.
        path: PathBuf,
    },
    /// Not a usable profile id.
    #[error("'{0}' is not a profile id: use lowercase letters, digits and '-' (acme-chat)")]
    BadId(String),
    /// The profile does not serialise (a value TOML cannot hold).
    #[error("cannot write profile '{id}' as TOML: {message}")]
    Serialize {
        /// The profile.
        id: String,
        /// The serialiser's message.
        message: String,
    },
    /// What was written would not load again: a bug, reported rather than saved.
    #[error("the profile would not load again: {0}")]
    Invalid(Box<ProfileError>),
    /// The folder or file could not be written.
    #[error("cannot write '{}': {message}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        message: String,
    },
}

/// Whether `id` is a valid profile id (the rule `parse` applies).
pub fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The text of the built-in profile `id`, comments and all.
pub fn builtin_text(id: &str) -> Option<&'static str> {
    let file = format!("{id}.toml");
    builtin::BUILT_IN.iter().find(|(name, _)| *name == file).map(|(_, text)| *text)
}

/// Where the user file for `id` goes.
pub fn user_file(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("{id}.toml"))
}

/// The profile as TOML that [`parse`] reads back to the same profile. Every field the model
/// has is written (defaults included), in the model's order; where it was loaded from is not.
pub fn to_toml(profile: &Profile) -> Result<String, UserFileError> {
    let failed =
        |e: &dyn fmt::Display| UserFileError::Serialize { id: profile.id.clone(), message: e.to_string() };
    let mut value = toml::Value::try_from(profile).map_err(|e| failed(&e))?;
    if let Some(table) = value.as_table_mut() {
        table.remove("source");
    }
    let Some(table) = value.as_table() else {
        return Err(failed(&"a profile is a table"));
    };
    let mut out = format!(
        "# tokensmith profile '{}'. The format: README, \"Your own profiles\"; check it with\n# `tokensmith profile validate FILE`.\n",
        profile.id
    );
    write_table(&mut out, "", table);
    Ok(out)
}

/// A key as TOML writes it: bare when it can be, else quoted.
fn toml_key(key: &str) -> String {
    let bare = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare { key.to_string() } else { toml::Value::String(key.to_string()).to_string() }
}

/// Whether a table is written inline: a rule with its source (`{ value = ..., source = ... }`).
fn is_inline(table: &toml::Table) -> bool {
    table.keys().all(|k| k == "value" || k == "source")
}

fn is_table_array(value: &toml::Value) -> bool {
    value.as_array().is_some_and(|a| !a.is_empty() && a.iter().all(toml::Value::is_table))
}

/// Writes a table's plain values, then its sub-tables and arrays of tables under headers, as a
/// person would write the file (rules with a source inline, as the README shows them).
fn write_table(out: &mut String, path: &str, table: &toml::Table) {
    use std::fmt::Write as _;
    let child = |key: &str| if path.is_empty() { toml_key(key) } else { format!("{path}.{}", toml_key(key)) };
    for (key, value) in table {
        if is_table_array(value) || value.as_table().is_some_and(|t| !is_inline(t)) {
            continue;
        }
        let inline = value.to_string();
        let long_list = value.as_array().filter(|a| a.len() > 1 && inline.chars().count() > 80);
        match long_list {
            Some(items) => {
                let _ = writeln!(out, "{} = [", toml_key(key));
                for item in items {
                    let _ = writeln!(out, "  {item},");
                }
                out.push_str("]\n");
            }
            None => {
                let _ = writeln!(out, "{} = {inline}", toml_key(key));
            }
        }
    }
    for (key, value) in table {
        if let Some(sub) = value.as_table().filter(|t| !is_inline(t)) {
            let _ = writeln!(out, "\n[{}]", child(key));
            write_table(out, &child(key), sub);
        }
    }
    for (key, value) in table {
        if !is_table_array(value) {
            continue;
        }
        for item in value.as_array().into_iter().flatten() {
            if let Some(sub) = item.as_table() {
                let _ = writeln!(out, "\n[[{}]]", child(key));
                write_table(out, &child(key), sub);
            }
        }
    }
}

const TEMPLATE: &str = r#"# A tokensmith profile: what a vendor's widget expects of a token.
# Check it with `tokensmith profile validate FILE`; the format is in the README
# ("Your own profiles"). Every rule names its source below, or the default_source.
id = "__ID__"                    # lowercase letters, digits, '-'; the file name should match
name = "__ID__"                  # what the lists show
algorithms = ["HS256"]           # allowed, preferred first
key_kind = "hmac-secret"         # or rsa-key-pair, ec-p256-key-pair, ec-p384-key-pair, ed25519-key-pair
extra_claims = true              # true: any further claim may be added
default_source = "docs"          # the source of rules that name none
notes = ["Say here what is unconfirmed, and where it comes from."]

[[sources]]                      # where the rules come from
id = "docs"
kind = "vendor-docs"             # seed-page, vendor-docs, vendor-sample, vendor-server, standard, ours
title = "The vendor's page on identity verification"
enforced = true                  # the vendor's acceptor enforces these rules: breaking one is an error

[time]                           # each rule is a value, or { value = ..., source = "ID" }
exp_required = true              # needs the exp claim below (with a default), or the file is refused
max_lifetime = "10m"             # exp - iat at most
recommended_lifetime = { value = "5m", source = "ours" }   # "ours": tokensmith's advice, never an error

[[claims]]
path = "sub"                     # dotted paths nest (user.email)
type = "string"                  # string, email, id, integer, number, boolean, unix-time, json
required = true
description = "The user's id in your system"
default = "user-42"              # a literal, now, now+5m, uuid, md5(PATH), sha256(PATH), text with {NAME}

[[claims]]
path = "iat"
type = "unix-time"
default = "now"

[[claims]]
path = "exp"
type = "unix-time"
required = true
default = "now+5m"
"#;

/// The commented template a new profile starts from, for `id`.
pub fn template(id: &str) -> String {
    TEMPLATE.replace("__ID__", id)
}

/// Writes a new user profile `id` into `dir`: a copy of `from` under the new id, or the
/// template. Refuses when `dir/ID.toml` exists. Returns the file written.
pub fn write_new(dir: &Path, id: &str, from: Option<&Profile>) -> Result<PathBuf, UserFileError> {
    if !valid_id(id) {
        return Err(UserFileError::BadId(id.to_string()));
    }
    let path = user_file(dir, id);
    if path.exists() {
        return Err(UserFileError::Exists { id: id.to_string(), path });
    }
    let text = match from {
        None => template(id),
        // A built-in copied under its own id keeps its comments.
        Some(p) if p.id == id && p.source == ProfileSource::BuiltIn => match builtin_text(id) {
            Some(text) => text.to_string(),
            None => to_toml(p)?,
        },
        Some(p) => {
            let mut copy = p.clone();
            copy.id = id.to_string();
            to_toml(&copy)?
        }
    };
    check_and_write(dir, &path, &text)?;
    Ok(path)
}

/// Saves `profile` as `dir/ID.toml`, replacing that file (the workbench's form saves the
/// profile it edits). Atomic: the old file stays whole until the new one is complete. What
/// the file had that the form does not edit (comments, order, layout) is kept.
pub fn save_user_profile(dir: &Path, profile: &Profile) -> Result<PathBuf, UserFileError> {
    if !valid_id(&profile.id) {
        return Err(UserFileError::BadId(profile.id.clone()));
    }
    let path = user_file(dir, &profile.id);
    let text = to_toml_keeping(&path, profile)?;
    check_and_write(dir, &path, &text)?;
    Ok(path)
}

/// The profile as TOML written over `path`: when the file exists, its own text with each
/// value the profile changed replaced in place, so comments, order and layout stay; checked
/// to read back as the same profile, else refused rather than written with text lost.
pub fn to_toml_keeping(path: &Path, profile: &Profile) -> Result<String, UserFileError> {
    let fresh = to_toml(profile)?;
    let old = match crate::limits::read_text(path, crate::limits::MAX_TEXT_FILE_BYTES) {
        Ok(Some(text)) => text,
        _ => return Ok(fresh),
    };
    let (Ok(mut doc), Ok(new)) =
        (old.parse::<toml_edit::DocumentMut>(), fresh.parse::<toml_edit::DocumentMut>())
    else {
        return Ok(fresh);
    };
    merge_table(doc.as_table_mut(), new.as_table());
    let merged = doc.to_string();
    let file = path.display().to_string();
    let same = parse(&merged, &file, ProfileSource::User(path.to_path_buf()))
        .ok()
        .and_then(|back| to_toml(&back).ok())
        .is_some_and(|back| back == fresh);
    if same {
        Ok(merged)
    } else {
        Err(UserFileError::Io {
            path: path.to_path_buf(),
            message: "the form cannot save this file without losing some of its text; nothing was written: edit it with `tokensmith profile edit`".to_string(),
        })
    }
}

/// Makes `old` say what `new` says, touching only what differs: a value that changed keeps
/// its comments and spacing, a key `new` lacks is removed, a new key is added at the end.
fn merge_table(old: &mut toml_edit::Table, new: &toml_edit::Table) {
    use toml_edit::Item;
    let gone: Vec<String> = old.iter().map(|(k, _)| k.to_string()).filter(|k| !new.contains_key(k)).collect();
    for key in gone {
        old.remove(&key);
    }
    for (key, item) in new.iter() {
        match (old.get_mut(key), item) {
            (Some(Item::Table(o)), Item::Table(n)) => merge_table(o, n),
            (Some(Item::ArrayOfTables(o)), Item::ArrayOfTables(n)) => {
                while o.len() > n.len() {
                    o.remove(o.len().saturating_sub(1));
                }
                for (i, table) in n.iter().enumerate() {
                    match o.get_mut(i) {
                        Some(existing) => merge_table(existing, table),
                        None => o.push(table.clone()),
                    }
                }
            }
            (Some(Item::Value(o)), Item::Value(n)) => {
                if o.to_string().trim() != n.to_string().trim() {
                    let decor = o.decor().clone();
                    *o = n.clone();
                    *o.decor_mut() = decor;
                }
            }
            (Some(existing), n) => *existing = n.clone(),
            (None, n) => {
                old.insert(key, n.clone());
            }
        }
    }
}

fn check_and_write(dir: &Path, path: &Path, text: &str) -> Result<(), UserFileError> {
    parse(text, &path.display().to_string(), ProfileSource::User(path.to_path_buf()))
        .map_err(|e| UserFileError::Invalid(Box::new(e)))?;
    let io = |e: &dyn fmt::Display| UserFileError::Io { path: path.to_path_buf(), message: e.to_string() };
    std::fs::create_dir_all(dir).map_err(|e| io(&e))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    crate::fsio::write_atomic(dir, &name, text.as_bytes()).map_err(|e| io(&e))
}

#[cfg(test)]
mod tests {
    /// Issue 19 (5): the form's save turned 20 comment lines into 2.
    #[test]
    fn saving_over_a_hand_written_file_keeps_its_comments() {
        let dir = tempfile::tempdir().expect("temp");
        let path = dir.path().join("acme.toml");
        let written = format!("# my notes on acme\n# line two\n{}\n# trailing words\n", template("acme"));
        std::fs::write(&path, &written).expect("write");
        let comments = |text: &str| text.lines().filter(|l| l.trim_start().starts_with('#')).count();
        let mut profile = parse(&written, "acme.toml", ProfileSource::User(path.clone())).expect("parses");
        profile.name = "Acme chat (edited)".to_string();
        let saved = save_user_profile(dir.path(), &profile).expect("saves");
        let text = std::fs::read_to_string(saved).expect("read");
        assert_eq!(comments(&text), comments(&written), "{text}");
        assert!(text.starts_with("# my notes on acme\n# line two\n"), "{text}");
        assert!(text.contains("Acme chat (edited)"));
        let back = parse(&text, "acme.toml", ProfileSource::User(path.clone())).expect("reads back");
        assert_eq!(back.name, "Acme chat (edited)");
    }

    use super::*;
    use crate::profile::ProfileSet;

    #[test]
    fn every_built_in_profile_round_trips_through_the_writer() {
        for (name, text) in builtin::BUILT_IN {
            let profile = parse(text, name, ProfileSource::BuiltIn).expect("parses");
            let written = to_toml(&profile).expect("writes");
            let again = parse(&written, name, ProfileSource::BuiltIn)
                .unwrap_or_else(|e| panic!("{name} does not read back: {e}\n{written}"));
            assert_eq!(again, profile, "{name}:\n{written}");
        }
    }

    #[test]
    fn the_template_is_a_valid_profile_that_makes_what_it_requires() {
        let profile = parse(&template("acme"), "t", ProfileSource::BuiltIn).expect("the template is valid");
        assert_eq!(profile.id, "acme");
        assert!(profile.time.exp_required.value);
        assert!(profile.claims.iter().any(|c| c.path.to_string() == "exp" && c.default.is_some()));
    }

    #[test]
    fn new_files_are_never_written_over() {
        let dir = tempfile::tempdir().expect("tempdir");
        let talla = ProfileSet::load(None).get("talla").cloned().expect("talla");
        let path = write_new(dir.path(), "my-talla", Some(&talla)).expect("written");
        let copy = ProfileSet::load(Some(dir.path()));
        let mine = copy.get("my-talla").expect("loads");
        assert_eq!(mine.claims, talla.claims);
        let again = write_new(dir.path(), "my-talla", None);
        assert!(matches!(&again, Err(UserFileError::Exists { path: p, .. }) if *p == path), "{again:?}");
        assert!(again.err().is_some_and(|e| e.to_string().contains("profile edit my-talla")));
        assert!(matches!(write_new(dir.path(), "Bad Id", None), Err(UserFileError::BadId(_))));
        // The same id as a built-in keeps the built-in's comments.
        let own = write_new(dir.path(), "talla", Some(&talla)).expect("written");
        assert_eq!(std::fs::read_to_string(own).ok().as_deref(), builtin_text("talla"));
    }

    #[test]
    fn two_files_with_one_id_are_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("a.toml"), template("acme")).expect("write");
        std::fs::write(dir.path().join("b.toml"), template("acme")).expect("write");
        let set = ProfileSet::load(Some(dir.path()));
        assert_eq!(set.duplicates.len(), 1);
        let line = set.warnings().join("\n");
        assert!(line.contains("a.toml") && line.contains("b.toml") && line.contains("'acme'"), "{line}");
        assert_eq!(
            set.get("acme").map(|p| p.source.clone()),
            Ok(ProfileSource::User(dir.path().join("b.toml")))
        );
    }
}
