//! `tokensmith keys ...`: the key store from the command line. Secrets stay masked unless
//! `--reveal` / `--private` is given.

use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;

use clap::{Args, Subcommand};
use clap_complete::engine::ArgValueCandidates;
use serde_json::{Value, json};

use tokensmith::secret::Secret;
use tokensmith::store::keygen::{GenKind, generate};
use tokensmith::store::{KeyEntry, StoreDir, StoreState, export, secret_entry};
use tokensmith::time::{relative, utc};

use super::CliError;
use super::input::{Io, ask_passphrase, os_bytes, passphrase, strip_newline};
use super::output::print_json;

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// List stored keys (secrets masked)
    #[command(after_help = "Examples:\n  tokensmith keys list\n  tokensmith keys list --json")]
    List {
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Store an HMAC secret
    #[command(after_help = "\
Examples:
  tokensmith keys add tiledesk-test --secret-stdin --profile tiledesk
  tokensmith keys add acme --secret-file secret.txt --base64 --note staging
  tokensmith keys add acme --secret-env ACME_SECRET

The secret never goes on the command line (other users can see it in `ps`).")]
    Add {
        /// A name for it (letters, digits, '-', '_', '.')
        name: String,
        #[command(flatten)]
        source: SecretSource,
        /// The secret is base64: its decoded bytes are the key
        #[arg(long)]
        base64: bool,
        #[command(flatten)]
        meta: Meta,
    },
    /// Store a key from a file or stdin: PEM, DER, JWK, EC point, or secret text
    #[command(after_help = "\
Examples:
  tokensmith keys import orlo-prod private.pem --profile orlo
  tokensmith keys import vendor-pub public.pem
  pbpaste | tokensmith keys import acme-jwk -")]
    Import {
        /// A name for it
        name: String,
        /// The file, or - for standard input
        file: String,
        /// For secret text: it is base64, its decoded bytes are the key
        #[arg(long)]
        base64: bool,
        /// The passphrase of an encrypted key is in environment variable VAR (else it is asked
        /// for on a terminal)
        #[arg(long = "key-passphrase-env", value_name = "VAR")]
        passphrase_env: Option<String>,
        #[command(flatten)]
        meta: Meta,
    },
    /// Generate a secret or key pair and store it
    #[command(after_help = "\
Examples:
  tokensmith keys gen demo --kind hmac
  tokensmith keys gen orlo-test --kind rsa2048 --profile orlo
  tokensmith keys export orlo-test --format pem   # the vendor's public key

Kinds: hmac (32 random bytes), hmac64 (64), rsa2048, rsa3072, rsa4096, p256,
p384, ed25519.
HMAC secrets are written as base64url text and used as text, as vendors'
libraries do.")]
    Gen {
        /// A name for it
        name: String,
        /// What to generate
        #[arg(long, value_name = "KIND")]
        kind: GenKind,
        #[command(flatten)]
        meta: Meta,
    },
    /// Show one key (secret masked unless --reveal)
    #[command(after_help = "Examples:\n  tokensmith keys show acme\n  tokensmith keys show acme --reveal")]
    Show {
        /// The key's name
        #[arg(add = ArgValueCandidates::new(super::complete::key_names))]
        name: String,
        /// Print the secret or private key itself
        #[arg(long)]
        reveal: bool,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Export a key: the public key as PEM, JWK or JWKS; the private part only with --private
    #[command(after_help = "\
Examples:
  tokensmith keys export orlo-test --format pem > public.pem  # for the vendor
  tokensmith keys export orlo-test --format jwks
  tokensmith keys export acme --format jwk --private  # a secret as a JWK

A JWK's kid is the key's kid if set, else (for a public key) its RFC 7638
thumbprint; a secret gets no kid by default, since its thumbprint is a hash of
the secret. An RSA key pair's JWK also carries x5c: a self-signed certificate
(CN=NAME, SHA-256, valid 365 days from now) of its public key, as Salesforce's
keysets require.")]
    Export {
        /// The key's name
        #[arg(add = ArgValueCandidates::new(super::complete::key_names))]
        name: String,
        /// pem (SPKI public key, or PKCS#8 with --private), jwk or jwks
        #[arg(long, value_name = "FORMAT", default_value = "pem", value_parser = ["pem", "jwk", "jwks"])]
        format: String,
        /// Include the private key or secret
        #[arg(long)]
        private: bool,
    },
    /// Change a key's kid, profile or note
    #[command(after_help = "Examples:\n  tokensmith keys set acme --profile tiledesk --kid app_123")]
    Set {
        /// The key's name
        #[arg(add = ArgValueCandidates::new(super::complete::key_names))]
        name: String,
        #[command(flatten)]
        meta: Meta,
    },
    /// Rename a key
    #[command(after_help = "Examples:\n  tokensmith keys rename demo acme-test")]
    Rename {
        /// The current name
        #[arg(add = ArgValueCandidates::new(super::complete::key_names))]
        old: String,
        /// The new name (must be free)
        new: String,
    },
    /// Delete a key (asks first on a terminal; --yes otherwise)
    #[command(after_help = "Examples:\n  tokensmith keys rm old-test\n  tokensmith keys rm old-test --yes")]
    Rm {
        /// The key's name
        #[arg(add = ArgValueCandidates::new(super::complete::key_names))]
        name: String,
        /// Do not ask
        #[arg(long)]
        yes: bool,
    },
    /// Encrypt the store with a passphrase (or change it)
    #[command(after_help = "\
Examples:
  tokensmith keys lock                       # asks for the passphrase twice
  TOKENSMITH_PASSPHRASE=... tokensmith keys lock

Changing the passphrase of a locked store: the current one from
TOKENSMITH_PASSPHRASE or a prompt, the new one from TOKENSMITH_NEW_PASSPHRASE
or a prompt. Every command that reads the store then needs the passphrase
(TOKENSMITH_PASSPHRASE, or a prompt on a terminal).")]
    Lock,
    /// Remove the passphrase: the store is kept as plain JSON (mode 0600)
    #[command(after_help = "Examples:\n  tokensmith keys unlock")]
    Unlock,
}

/// Where a secret for `keys add` comes from.
#[derive(Debug, Args)]
#[group(id = "secret-source", required = true, multiple = false)]
pub struct SecretSource {
    /// Read it from standard input
    #[arg(long)]
    secret_stdin: bool,
    /// Read it from a file (one trailing newline ignored)
    #[arg(long, value_name = "PATH")]
    secret_file: Option<PathBuf>,
    /// Read it from an environment variable
    #[arg(long, value_name = "VAR")]
    secret_env: Option<String>,
}

/// Optional facts about a key.
#[derive(Debug, Args)]
pub struct Meta {
    /// Key id for token headers; with `keys import` of a JWKS, the key to take out of it
    #[arg(long, value_name = "KID")]
    kid: Option<String>,
    /// The vendor profile this key belongs to
    #[arg(long, value_name = "ID", add = ArgValueCandidates::new(super::complete::profile_ids))]
    profile: Option<String>,
    /// A note (which customer, which environment)
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
}

impl Meta {
    fn change(&self) -> tokensmith::store::EntryChange {
        tokensmith::store::EntryChange {
            kid: self.kid.clone(),
            profile: self.profile.clone(),
            note: self.note.clone(),
        }
    }

    fn apply(&self, entry: &mut KeyEntry) {
        self.change().apply(entry);
    }
}

fn warn(store: &tokensmith::store::Store) {
    for warning in &store.warnings {
        errln!("{} {warning}", super::color::warning_label());
    }
}

fn summary(entry: &KeyEntry, now: i64) -> Value {
    json!({
        "name": entry.name,
        "kind": entry.kind,
        "description": entry.description,
        "secret": entry.masked(),
        "kid": entry.kid,
        "profile": entry.profile,
        "note": entry.note,
        "created": entry.created,
        "last_used": entry.last_used,
        "last_used_relative": entry.last_used.map(|t| relative(t, now)),
    })
}

pub fn run(command: &KeysCommand, io: &mut Io) -> Result<u8, CliError> {
    let store = io.store.clone();
    match command {
        KeysCommand::List { json } => list(&store, io.now, *json),
        KeysCommand::Add { name, source, base64, meta } => {
            let (bytes, from) = read_secret(source, io)?;
            let mut entry = secret_entry(name, bytes, *base64, io.now)?;
            meta.apply(&mut entry);
            add(&store, entry, Some(&from))
        }
        KeysCommand::Import { name, file, base64, passphrase_env, meta } => {
            let (bytes, from) = if file == "-" {
                (io.stdin("key", tokensmith::limits::MAX_KEY_FILE_BYTES)?, "standard input".to_string())
            } else {
                let what = format!("key file '{file}'");
                let path = std::path::Path::new(file);
                let bytes = tokensmith::limits::read_file(
                    path,
                    tokensmith::limits::MAX_KEY_FILE_BYTES,
                    &what,
                    false,
                )?;
                (bytes, file.clone())
            };
            // A JWKS: the key with --kid, or its only key (the entry's kid is that key's).
            let one = std::str::from_utf8(&bytes)
                .ok()
                .map(|text| tokensmith::keyset::take_one(text, meta.kid.as_deref()))
                .transpose()
                .map_err(|e| CliError::usage(format!("{from}: {e}")))?
                .flatten();
            let bytes = zeroize::Zeroizing::new(one.map_or(bytes, String::into_bytes));
            let mut entry = if tokensmith::token::looks_like_key(&bytes) {
                let what = if file == "-" {
                    "the key on standard input".to_string()
                } else {
                    format!("key file '{file}'")
                };
                super::input::open_key(&what, passphrase_env.as_deref(), file == "-", |passphrase| {
                    let hint = tokensmith::token::KeyHint { alg: None, passphrase };
                    tokensmith::store::import_key(name, &bytes, &hint, io.now)
                })?
            } else {
                secret_entry(name, strip_newline(bytes.to_vec()), *base64, io.now)?
            };
            meta.apply(&mut entry);
            add(&store, entry, Some(&from))
        }
        KeysCommand::Gen { name, kind, meta } => {
            tokensmith::store::check_name(name)?;
            if kind.is_slow() {
                errln!("generating {kind} (this can take a few seconds)...");
            }
            let mut entry = generate(*kind, name, io.now)?;
            meta.apply(&mut entry);
            add(&store, entry, None)
        }
        KeysCommand::Show { name, reveal, json } => show(&store, name, *reveal, *json, io.now),
        KeysCommand::Export { name, format, private } => export_key(&store, name, format, *private, io.now),
        KeysCommand::Set { name, meta } => {
            let pass = passphrase(&store)?;
            store.set(pass.as_ref(), name, None, &meta.change())?;
            errln!("updated '{name}'");
            Ok(0)
        }
        KeysCommand::Rename { old, new } => {
            let pass = passphrase(&store)?;
            store.rename(pass.as_ref(), old, new, None)?;
            errln!("renamed '{old}' to '{new}'");
            Ok(0)
        }
        KeysCommand::Rm { name, yes } => remove(&store, name, *yes),
        KeysCommand::Lock => lock(&store),
        KeysCommand::Unlock => {
            if store.state()? != StoreState::Encrypted {
                return Err(CliError::usage("the key store has no passphrase: nothing to unlock"));
            }
            let pass = ask_passphrase(Some("TOKENSMITH_PASSPHRASE"), "Current passphrase: ")?;
            store.unlock(&pass)?;
            errln!("the key store is no longer encrypted (still readable only by you: mode 0600)");
            Ok(0)
        }
    }
}

fn read_secret(source: &SecretSource, io: &mut Io) -> Result<(Vec<u8>, String), CliError> {
    io.secret_source(source.secret_env.as_deref(), source.secret_file.as_deref(), source.secret_stdin)?
        .ok_or_else(|| CliError::usage("give the secret with --secret-stdin, --secret-file or --secret-env"))
}

fn add(store: &StoreDir, entry: KeyEntry, from: Option<&str>) -> Result<u8, CliError> {
    let pass = passphrase(store)?;
    let (name, description) = (entry.name.clone(), entry.description.clone());
    store.add(pass.as_ref(), entry)?;
    let from = from.map(|f| format!(" (from {f})")).unwrap_or_default();
    errln!("stored '{name}': {description}{from}");
    Ok(0)
}

fn list(store: &StoreDir, now: i64, json: bool) -> Result<u8, CliError> {
    let pass = passphrase(store)?;
    let opened = store.open(pass.as_ref())?;
    warn(&opened);
    if json {
        print_json(&opened.entries.iter().map(|e| summary(e, now)).collect::<Vec<_>>())?;
        return Ok(0);
    }
    if opened.entries.is_empty() {
        errln!(
            "no keys stored yet: add one with `tokensmith keys add NAME --secret-stdin` or `tokensmith keys gen NAME --kind hmac`"
        );
        return Ok(0);
    }
    let width = opened.entries.iter().map(|e| e.name.len()).max().unwrap_or(4).max(4);
    // One write for the whole table: a line-by-line print costs a syscall per key.
    let mut out =
        format!("{:<width$}  {:<22}  {:<26}  {:<12}  LAST USED\n", "NAME", "KIND", "SECRET", "PROFILE");
    for e in &opened.entries {
        out.push_str(&format!(
            "{:<width$}  {:<22}  {:<26}  {:<12}  {}\n",
            e.name,
            e.kind.to_string(),
            e.masked(),
            e.profile.as_deref().unwrap_or("-"),
            e.last_used.map(|t| relative(t, now)).unwrap_or_else(|| "never".into())
        ));
    }
    out!("{out}");
    Ok(0)
}

fn show(store: &StoreDir, name: &str, reveal: bool, json: bool, now: i64) -> Result<u8, CliError> {
    let pass = passphrase(store)?;
    let opened = store.open(pass.as_ref())?;
    warn(&opened);
    let entry = opened.get(name)?;
    let key = entry.key()?;
    // For an HMAC secret the RFC 7638 thumbprint is an unsalted SHA-256 of the secret itself, so
    // it is shown only with --reveal, like the secret.
    let hmac = key.family() == tokensmith::token::Family::Hmac;
    let thumbprint = (!hmac || reveal).then(|| export::thumbprint(&key));
    let revealed = reveal.then(|| String::from_utf8_lossy(entry.material.expose()).into_owned());
    if json {
        let mut value = summary(entry, now);
        if let Some(thumbprint) = &thumbprint {
            value["thumbprint"] = json!(thumbprint);
        }
        value["algorithms"] = json!(key.algorithms());
        if let Some(text) = &revealed {
            value["revealed"] = json!(text);
        }
        print_json(&value)?;
        return Ok(0);
    }
    outln!("name:        {}", entry.name);
    outln!("kind:        {}", entry.description);
    outln!("algorithms:  {}", key.algorithms().iter().map(|a| a.name()).collect::<Vec<_>>().join(", "));
    outln!("secret:      {}", entry.masked());
    outln!("kid:         {}", entry.kid.as_deref().unwrap_or("-"));
    match &thumbprint {
        Some(thumbprint) => outln!("thumbprint:  {thumbprint} (RFC 7638)"),
        None => outln!("thumbprint:  hidden for a secret (it is a hash of it): --reveal shows it"),
    }
    outln!("profile:     {}", entry.profile.as_deref().unwrap_or("-"));
    if !entry.note.is_empty() {
        outln!("note:        {}", entry.note);
    }
    outln!("created:     {} ({})", utc(entry.created).unwrap_or_default(), relative(entry.created, now));
    outln!(
        "last used:   {}",
        entry
            .last_used
            .map(|t| format!("{} ({})", utc(t).unwrap_or_default(), relative(t, now)))
            .unwrap_or_else(|| "never".into())
    );
    match revealed {
        Some(text) => {
            errln!("{} printing the secret itself, as --reveal asked", super::color::warning_label());
            outln!("{}", text.trim_end());
        }
        None if entry.kind == tokensmith::store::EntryKind::HMAC_SECRET => {
            outln!("(add --reveal to print the secret)")
        }
        None if entry.kind.can_sign() => outln!(
            "(add --reveal to print the private key; `tokensmith keys export {name}` gives the public key)"
        ),
        None => {}
    }
    Ok(0)
}

fn export_key(store: &StoreDir, name: &str, format: &str, private: bool, now: i64) -> Result<u8, CliError> {
    let pass = passphrase(store)?;
    let opened = store.open(pass.as_ref())?;
    warn(&opened);
    let entry = opened.get(name)?;
    let key = entry.key()?;
    if private && !entry.kind.can_sign() {
        return Err(CliError::usage(format!("'{name}' is a public key: it has no private part to export")));
    }
    let jwk = || -> Result<Value, CliError> {
        Ok(Value::Object(tokensmith::store::entry_jwk(entry, &key, now, private)?))
    };
    let text = match format {
        "pem" => export::pem(&key, private)?.to_string(),
        "jwk" => serde_json::to_string_pretty(&jwk()?).unwrap_or_default(),
        _ => serde_json::to_string_pretty(&serde_json::json!({ "keys": [jwk()?] })).unwrap_or_default(),
    };
    if private {
        errln!(
            "{} this output holds the private key or secret, as --private asked",
            super::color::warning_label()
        );
    }
    outln!("{}", text.trim_end());
    Ok(0)
}

fn remove(store: &StoreDir, name: &str, yes: bool) -> Result<u8, CliError> {
    let pass = passphrase(store)?;
    let opened = store.open(pass.as_ref())?;
    let entry = opened.get(name)?;
    if !yes {
        if !std::io::stdin().is_terminal() {
            return Err(CliError::usage(format!("not deleting '{name}' without confirmation: pass --yes")));
        }
        eprint!("Delete '{name}' ({})? It cannot be undone. [y/N] ", entry.description);
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        let _ = std::io::stdin().read_line(&mut answer);
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            errln!("kept '{name}'");
            return Ok(0);
        }
    }
    store.remove(pass.as_ref(), name, None)?;
    errln!("deleted '{name}'");
    Ok(0)
}

fn lock(store: &StoreDir) -> Result<u8, CliError> {
    // Locking a plain store: TOKENSMITH_PASSPHRASE is the new passphrase, not a current one.
    let encrypted = store.state()? == tokensmith::store::StoreState::Encrypted;
    let current = if encrypted { passphrase(store)? } else { None };
    let new = if encrypted {
        if let Some(value) = std::env::var_os("TOKENSMITH_NEW_PASSPHRASE") {
            Secret::new(os_bytes(value))
        } else {
            prompt_twice()?
        }
    } else if let Some(value) = std::env::var_os("TOKENSMITH_PASSPHRASE") {
        Secret::new(os_bytes(value))
    } else {
        prompt_twice()?
    };
    store.lock(current.as_ref(), &new)?;
    errln!(
        "the key store is encrypted (argon2id + XChaCha20-Poly1305); commands that read it need the passphrase (TOKENSMITH_PASSPHRASE or a prompt)"
    );
    Ok(0)
}

fn prompt_twice() -> Result<Secret, CliError> {
    if !std::io::stdin().is_terminal() {
        return Err(CliError::usage(
            "no terminal to ask on: set TOKENSMITH_PASSPHRASE to the new passphrase",
        ));
    }
    let first = ask_passphrase(None, "New passphrase: ")?;
    let second = ask_passphrase(None, "Repeat it: ")?;
    if !first.ct_eq(&second) {
        return Err(CliError::usage("the two passphrases differ: nothing was changed"));
    }
    Ok(first)
}
