//! `--jwks FILE|URL|-`, `--discover`, `--ca-file`, and a JWKS given to `--key-file`: the keyset
//! read or fetched through `tokensmith::keyset::load` for verify, doctor and diff.

use std::path::Path;

use tokensmith::keyset::load::{self, Loaded};
use tokensmith::limits::MAX_KEY_FILE_BYTES;
use tokensmith::net;
use tokensmith::token::DecodedToken;

use super::input::Io;
use super::{CliError, KeySetArgs, KeySource};

/// How a fetch is bounded, with the CA file given.
pub fn net_options(args: &KeySetArgs) -> net::Options {
    net::Options { ca_file: args.ca_file.clone(), ..net::Options::default() }
}

/// Whether a file holds a JWKS (`{"keys": [...]}`) rather than one key.
fn is_jwks(text: &str) -> bool {
    text.trim_start().starts_with('{')
        && serde_json::from_str::<serde_json::Value>(text)
            .is_ok_and(|v| v.get("keys").is_some_and(|k| k.is_array()))
}

/// The `--key-file` text when it is a JWKS.
fn key_file_set(path: &Path) -> Result<Option<String>, CliError> {
    let what = format!("key file '{}'", path.display());
    let bytes = tokensmith::limits::read_file(path, MAX_KEY_FILE_BYTES, &what, false)?;
    Ok(String::from_utf8(bytes).ok().filter(|text| is_jwks(text)))
}

/// Whether a keyset is asked for (`--jwks`, `--discover`, or `--key-file` holding a JWKS);
/// a key option besides a keyset is a usage error.
pub fn asked(args: &KeySetArgs, key: Option<&KeySource>) -> Result<bool, CliError> {
    if args.given() {
        if key.is_some_and(KeySource::given) {
            return Err(CliError::usage(
                "give either one key (--key, --secret-*, --key-file) or a keyset (--jwks, --discover), not both",
            ));
        }
        return Ok(true);
    }
    match key.and_then(|k| k.key_file.as_deref()) {
        Some(path) => Ok(key_file_set(path)?.is_some()),
        None => Ok(false),
    }
}

/// The keyset asked for, read or fetched; None when none was asked for (see [`asked`]).
pub fn load(
    io: &mut Io,
    args: &KeySetArgs,
    key: Option<&KeySource>,
    decoded: &DecodedToken,
) -> Result<Option<Loaded>, CliError> {
    if !asked(args, key)? {
        return Ok(None);
    }
    let options = net_options(args);
    let usage = |e: load::LoadError| CliError::usage(e.to_string());
    let loaded = match (&args.jwks, args.discover) {
        (Some(spec), _) if spec == "-" => {
            let bytes = io.stdin("keyset", load::MAX_JWKS_BYTES)?;
            let text = String::from_utf8(bytes)
                .map_err(|_| CliError::usage("the keyset on standard input is not text: a JWKS is JSON"))?;
            load::from_text(&text, "keyset from standard input").map_err(usage)?
        }
        (Some(spec), _) => load::from_spec(spec, &options).map_err(usage)?,
        (None, true) => {
            let iss = load::token_issuer(&decoded.payload).map_err(usage)?;
            load::discover(iss, &options).map_err(usage)?
        }
        (None, false) => {
            let Some(path) = key.and_then(|k| k.key_file.as_deref()) else { return Ok(None) };
            load::from_file(path).map_err(usage)?
        }
    };
    Ok(Some(loaded))
}

/// The keys a set skipped, as notes on standard error (verify and diff; the doctor makes them
/// findings).
pub fn print_skipped(loaded: &Loaded) {
    for skipped in &loaded.set.skipped {
        errln!("note: {}: {}", loaded.from, skipped.note());
    }
}
