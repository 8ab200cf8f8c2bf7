//! Reading what the user gives: tokens, secrets and keys from arguments, files, environment
//! variables or standard input; times. The clock and environment are read here, not in the core.

use std::io::IsTerminal as _;

use tokensmith::limits::{MAX_KEY_FILE_BYTES, MAX_SECRET_BYTES, MAX_TOKEN_BYTES};

use tokensmith::profile::{Profile, SecretEncoding};
use tokensmith::secret::Secret;
use tokensmith::store::StoreError;
use tokensmith::store::{StoreDir, StoreState};
use tokensmith::token::{Alg, KeyError, KeyHint, KeyMaterial, ParsedKey, read_key};

use super::{CliError, KeySource};

/// The process's outside world, read once.
pub struct Io {
    /// Unix seconds at start.
    pub now: i64,
    /// The key store.
    pub store: StoreDir,
    stdin_taken: Option<&'static str>,
    /// The passphrase once asked: a command asks at most once.
    passphrase: Option<Option<Secret>>,
    /// The algorithm a key file is for, when the command knows it (verify and doctor: the
    /// token's `alg`): it names the curve of a bare EC point.
    pub key_alg: Option<Alg>,
}

/// A key ready to use, with where it came from.
pub struct LoadedKey {
    pub material: KeyMaterial,
    /// "HMAC secret (42 bytes) from $VAR", for messages.
    pub origin: String,
    /// The stored entry's kid, used when no --kid is given.
    pub kid: Option<String>,
    /// The store entry's name, to record its use.
    pub entry: Option<String>,
}

/// The store's passphrase: `TOKENSMITH_PASSPHRASE`, else a prompt without echo on a terminal.
/// A passphrase in the environment is taken even while the store is plain: another tokensmith
/// may lock it between this look and the write (a `keys add` racing a `keys lock`).
pub fn passphrase(store: &StoreDir) -> Result<Option<Secret>, CliError> {
    if let Some(value) = std::env::var_os("TOKENSMITH_PASSPHRASE") {
        return Ok(Some(Secret::new(os_bytes(value))));
    }
    if store.state().map_err(CliError::from)? != StoreState::Encrypted {
        return Ok(None);
    }
    ask_passphrase(Some("TOKENSMITH_PASSPHRASE"), "Passphrase for the key store: ").map(Some)
}

/// A passphrase from an environment variable, else a prompt (no echo) when on a terminal.
pub fn ask_passphrase(var: Option<&str>, prompt: &str) -> Result<Secret, CliError> {
    if let Some(value) = var.and_then(std::env::var_os) {
        return Ok(Secret::new(os_bytes(value)));
    }
    let var = var.unwrap_or("TOKENSMITH_PASSPHRASE");
    if !std::io::stdin().is_terminal() {
        return Err(CliError::usage(format!(
            "the key store is locked with a passphrase: set {var} (no terminal to ask on)"
        )));
    }
    rpassword::prompt_password(prompt)
        .map(|p| Secret::new(p.into_bytes()))
        .map_err(|e| CliError::usage(format!("cannot read the passphrase: {e}")))
}

impl Io {
    pub fn real(data_dir: &std::path::Path) -> Io {
        Io {
            now: chrono::Utc::now().timestamp(),
            store: StoreDir::new(data_dir),
            stdin_taken: None,
            passphrase: None,
            key_alg: None,
        }
    }

    /// Reads all of standard input, once, up to `limit` bytes; `what` names it for messages.
    pub fn stdin(&mut self, what: &'static str, limit: u64) -> Result<Vec<u8>, CliError> {
        if let Some(first) = self.stdin_taken {
            return Err(CliError::usage(format!(
                "standard input is already used for the {first}: give the {what} another way"
            )));
        }
        self.stdin_taken = Some(what);
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            errln!("Paste the {what}, then press Enter and Ctrl-D:");
        }
        Ok(tokensmith::limits::read_limited(stdin, limit, &format!("the {what} on standard input"))?)
    }

    /// A secret from whichever of the three secret sources was given (environment variable,
    /// file, standard input), with where it came from; None when none was given.
    pub fn secret_source(
        &mut self,
        env: Option<&str>,
        file: Option<&std::path::Path>,
        stdin: bool,
    ) -> Result<Option<(Vec<u8>, String)>, CliError> {
        if let Some(var) = env {
            let value = std::env::var_os(var).ok_or_else(|| {
                CliError::usage(format!(
                    "environment variable '{var}' is not set: export it, or use --secret-file"
                ))
            })?;
            return Ok(Some((os_bytes(value), format!("${var}"))));
        }
        if let Some(path) = file {
            let what = format!("secret file '{}'", path.display());
            let bytes = tokensmith::limits::read_file(path, MAX_SECRET_BYTES, &what, false)?;
            return Ok(Some((strip_newline(bytes), format!("--secret-file {}", path.display()))));
        }
        if stdin {
            let bytes = self.stdin("secret", MAX_SECRET_BYTES)?;
            return Ok(Some((strip_newline(bytes), "standard input".to_string())));
        }
        Ok(None)
    }

    /// The token from the argument, or from standard input for `-` or no argument.
    /// A token from the command line, decoded: as given, `-` for standard input, `@FILE` for
    /// a file (`diff`, `sign --from`); `which` names it in errors.
    pub fn decoded(&mut self, arg: &str, which: &str) -> Result<tokensmith::token::DecodedToken, CliError> {
        let text = match arg.strip_prefix('@') {
            Some(path) => {
                let what = format!("'{path}'");
                let bytes =
                    tokensmith::limits::read_file(std::path::Path::new(path), MAX_TOKEN_BYTES, &what, false)
                        .map_err(|e| CliError::usage(e.to_string()))?;
                String::from_utf8(bytes).map_err(|_| {
                    CliError::usage(format!("{what} is not text: give a file holding a token"))
                })?
            }
            None => self.token(Some(arg))?,
        };
        tokensmith::token::decode(&text).map_err(|e| CliError::usage(format!("{which} is not a token: {e}")))
    }

    pub fn token(&mut self, arg: Option<&str>) -> Result<String, CliError> {
        match arg {
            Some(token) if token != "-" => {
                if let Some(message) = looks_like_file_name(token) {
                    return Err(CliError::usage(message));
                }
                Ok(token.to_string())
            }
            _ => {
                if arg.is_none() && std::io::stdin().is_terminal() {
                    return Err(CliError::usage(
                        "no token given: pass it as an argument, or pipe it in (`pbpaste | tokensmith decode`)",
                    ));
                }
                // A pipe ends in the newline `echo` or `pbpaste` adds: normal, so no note.
                let bytes = strip_newline(self.stdin("token", MAX_TOKEN_BYTES)?);
                String::from_utf8(bytes)
                    .map_err(|_| CliError::invalid("the token on standard input is not UTF-8 text"))
            }
        }
    }

    /// A stored key by name, or the one stored key for the profile when no source was given.
    fn stored_key(
        &mut self,
        name: Option<&str>,
        profile: Option<&Profile>,
    ) -> Result<Option<LoadedKey>, CliError> {
        if name.is_none() && (profile.is_none() || self.store.state()? == StoreState::Missing) {
            return Ok(None);
        }
        let pass = self.passphrase()?;
        let store = self.store.open(pass.as_ref())?;
        for warning in &store.warnings {
            errln!("{} {warning}", super::color::warning_label());
        }
        let entry = match (name, profile) {
            (Some(name), _) => store.get(name)?,
            (None, Some(p)) => match store.for_profile(&p.id, p.key_kind) {
                Some(entry) => entry,
                None => {
                    // Two or more stored for the profile: say which, rather than "no key".
                    let tied: Vec<&str> = store
                        .entries
                        .iter()
                        .filter(|e| {
                            e.profile.as_deref() == Some(p.id.as_str()) && e.kind.family() == p.key_kind
                        })
                        .map(|e| e.name.as_str())
                        .collect();
                    if tied.len() > 1 {
                        return Err(CliError::usage(format!(
                            "{} keys are stored for profile '{}' ({}): choose one with --key NAME",
                            tied.len(),
                            p.id,
                            tied.join(", ")
                        )));
                    }
                    return Ok(None);
                }
            },
            (None, None) => return Ok(None),
        };
        let material =
            entry.key().map_err(|e| CliError::usage(format!("stored key '{}': {e}", entry.name)))?;
        Ok(Some(LoadedKey {
            origin: format!("key '{}' from the store ({})", entry.name, material.describe()),
            material,
            kid: entry.kid.clone(),
            entry: Some(entry.name.clone()),
        }))
    }

    /// The store's passphrase, asked at most once per command.
    pub fn passphrase(&mut self) -> Result<Option<Secret>, CliError> {
        if let Some(known) = &self.passphrase {
            return Ok(known.clone());
        }
        let pass = passphrase(&self.store)?;
        self.passphrase = Some(pass.clone());
        Ok(pass)
    }

    /// Records that a stored key was used (the core's rule: `StoreDir::record_use`); a store
    /// that cannot be written is left alone, since the command's work is done.
    pub fn touch(&mut self, key: &LoadedKey) {
        if let Some(name) = &key.entry {
            let _ = self.store.record_use(name, self.now);
        }
    }

    /// The key from whichever source was given; None when no source was given and the store
    /// holds no single key for the profile.
    pub fn key(
        &mut self,
        source: &KeySource,
        secret_base64: bool,
        profile: Option<&Profile>,
    ) -> Result<Option<LoadedKey>, CliError> {
        let base64 = secret_base64 || profile.is_some_and(|p| p.secret_encoding == SecretEncoding::Base64);
        let shared = self.secret_source(
            source.secret_env.as_deref(),
            source.secret_file.as_deref(),
            source.secret_stdin,
        )?;
        let (bytes, origin) = if let Some(found) = shared {
            found
        } else if let Some(secret) = &source.secret {
            errln!(
                "{} a secret on the command line is visible to other users in `ps` and stays in shell history; prefer --secret-env, --secret-file or --secret-stdin",
                super::color::warning_label()
            );
            (secret.clone().into_bytes(), "--secret".to_string())
        } else if let Some(path) = &source.key_file {
            if secret_base64 {
                return Err(CliError::usage("--secret-base64 applies to HMAC secrets, not to --key-file"));
            }
            let what = format!("key file '{}'", path.display());
            let bytes = zeroize::Zeroizing::new(tokensmith::limits::read_file(
                path,
                MAX_KEY_FILE_BYTES,
                &what,
                false,
            )?);
            let alg = self.key_alg;
            let key: ParsedKey =
                open_key(&what, source.key_passphrase_env.as_deref(), false, |passphrase| {
                    Ok(read_key(&bytes, &KeyHint { alg, passphrase })?)
                })?;
            let origin = format!("{} from {}", key.describe(), path.display());
            return Ok(Some(LoadedKey { material: key.material, origin, kid: key.kid, entry: None }));
        } else {
            if secret_base64 {
                return Err(CliError::usage("--secret-base64 applies to a secret given with --secret-*"));
            }
            return self.stored_key(source.key.as_deref(), profile);
        };
        let secret = Secret::new(bytes);
        let material = if base64 {
            let text = String::from_utf8(secret.expose().to_vec())
                .map_err(|_| CliError::usage("the secret is not base64 text: drop --secret-base64"))?;
            KeyMaterial::hmac_base64(&text)?
        } else {
            KeyMaterial::hmac(secret)?
        };
        let origin =
            format!("{}{} from {origin}", material.describe(), if base64 { ", base64-decoded" } else { "" });
        Ok(Some(LoadedKey { material, origin, kid: None, entry: None }))
    }
}

/// Reads a key with the core's one reader (`read`: `read_key`, or the store's `import_key`),
/// opening an encrypted one with its passphrase: from the variable `--key-passphrase-env`
/// names, else typed at a prompt when standard input is a terminal and not used for the key.
/// `what` names the key in messages.
pub fn open_key<T>(
    what: &str,
    passphrase_env: Option<&str>,
    stdin_used: bool,
    read: impl Fn(Option<&[u8]>) -> Result<T, StoreError>,
) -> Result<T, CliError> {
    let fail = |e: StoreError| CliError::usage(format!("{what}: {e}"));
    if let Some(var) = passphrase_env {
        let value = std::env::var_os(var).ok_or_else(|| {
            CliError::usage(format!(
                "environment variable '{var}' (--key-passphrase-env) is not set: export it with the passphrase of {what}"
            ))
        })?;
        let passphrase = Secret::new(os_bytes(value));
        return read(Some(passphrase.expose())).map_err(fail);
    }
    match read(None) {
        Err(StoreError::Key(KeyError::Encrypted { label })) => {
            if stdin_used || !std::io::stdin().is_terminal() {
                return Err(CliError::usage(format!(
                    "{what} is encrypted with a passphrase ({label}): give it with --key-passphrase-env VAR, or run on a terminal to type it when asked"
                )));
            }
            let typed = rpassword::prompt_password(format!("Passphrase for {what}: "))
                .map(|p| Secret::new(p.into_bytes()))
                .map_err(|e| CliError::usage(format!("cannot read the passphrase: {e}")))?;
            read(Some(typed.expose())).map_err(fail)
        }
        other => other.map_err(fail),
    }
}

#[cfg(unix)]
pub fn os_bytes(value: std::ffi::OsString) -> Vec<u8> {
    use std::os::unix::ffi::OsStringExt as _;
    value.into_vec()
}

#[cfg(not(unix))]
pub fn os_bytes(value: std::ffi::OsString) -> Vec<u8> {
    value.to_string_lossy().into_owned().into_bytes()
}

/// The message for a token argument that is a file's name rather than a token: an existing
/// file, or a name ending in a file extension, with fewer than the three parts of a JWT.
pub fn looks_like_file_name(arg: &str) -> Option<String> {
    if arg.split('.').count() >= 3 || arg.chars().any(char::is_whitespace) {
        return None;
    }
    let path = std::path::Path::new(arg);
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    let named = ["jwt", "txt", "token", "json", "pem", "log"].contains(&extension.as_str());
    (named || path.is_file()).then(|| {
        format!(
            "'{arg}' looks like a file name, not a token: pass the file's contents instead, on standard input (`- < {arg}`) or as the argument (`\"$(cat {arg})\"`)"
        )
    })
}

/// Files made with `echo` end in a newline that is not part of the secret.
pub fn strip_newline(mut bytes: Vec<u8>) -> Vec<u8> {
    if bytes.ends_with(b"\r\n") {
        bytes.truncate(bytes.len() - 2);
    } else if bytes.ends_with(b"\n") {
        bytes.truncate(bytes.len() - 1);
    }
    bytes
}

/// A time given as unix seconds or RFC 3339.
pub fn parse_time(text: &str) -> Result<i64, CliError> {
    if text.trim() == "now" {
        return Ok(chrono::Utc::now().timestamp());
    }
    let t = text.trim().parse::<i64>().ok().or_else(|| tokensmith::time::parse_rfc3339(text)).ok_or_else(|| {
        CliError::usage(format!(
            "--at '{text}' is not a time: give now, unix seconds (1767225600) or RFC 3339 (2026-01-01T00:00:00Z)"
        ))
    })?;
    // Beyond ±1e11 seconds (the year 5138) a time is milliseconds or no date at all.
    if t.unsigned_abs() > tokensmith::time_rules::MILLIS_THRESHOLD.unsigned_abs() {
        return Err(CliError::usage(format!(
            "--at '{text}' is out of range: give unix seconds between -{0} and {0} (milliseconds? divide by 1000)",
            tokensmith::time_rules::MILLIS_THRESHOLD
        )));
    }
    Ok(t)
}
