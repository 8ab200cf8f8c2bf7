//! Where a key set comes from: a file, a URL (fetched through [`crate::net`]), or the token's
//! issuer (`--discover`: its openid-configuration, else its oauth-authorization-server
//! metadata, names the `jwks_uri`). The CLI and the workbench both call these.

use std::path::Path;

use serde_json::Value;

use super::{KeySet, KeySetError, parse};
use crate::net::{self, NetError, Options};
use crate::text::inline;

/// The most bytes of a keyset file read.
pub const MAX_JWKS_BYTES: u64 = 1 << 20;

/// Why a key set could not be had.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("{0}")]
    Read(String),
    /// The fetch failed.
    #[error(transparent)]
    Net(#[from] NetError),
    /// It came, but is not a usable keyset.
    #[error("{from}: {error}")]
    Set {
        /// The file or URL.
        from: String,
        /// What is wrong with it.
        error: KeySetError,
    },
    /// `--discover` found no keyset.
    #[error("{0}")]
    Discover(String),
}

/// A key set and where it came from ("keyset https://.../jwks.json").
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The set.
    pub set: KeySet,
    /// Where it came from, for messages: a path or the URL that answered.
    pub from: String,
}

/// Whether a `--jwks` value is a URL rather than a file.
pub fn is_url(spec: &str) -> bool {
    spec.starts_with("https://") || spec.starts_with("http://")
}

/// Reads a set from text already in hand (standard input, a pasted set).
pub fn from_text(text: &str, from: &str) -> Result<Loaded, LoadError> {
    let set = parse(text).map_err(|error| LoadError::Set { from: from.to_string(), error })?;
    Ok(Loaded { set, from: from.to_string() })
}

/// Reads a set from a file (bounded).
pub fn from_file(path: &Path) -> Result<Loaded, LoadError> {
    let from = format!("keyset '{}'", path.display());
    let bytes = crate::limits::read_file(path, MAX_JWKS_BYTES, &from, true)
        .map_err(|e| LoadError::Read(e.to_string()))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| LoadError::Read(format!("{from} is not text: a JWKS is JSON")))?;
    from_text(&text, &from)
}

/// Fetches a set from a URL.
pub fn from_url(url: &str, options: &Options) -> Result<Loaded, LoadError> {
    let (response, value) = net::get_json(url, options)?;
    let from = format!("keyset {}", inline(&response.url));
    let set =
        super::parse(&value.to_string()).map_err(|error| LoadError::Set { from: from.clone(), error })?;
    Ok(Loaded { set, from })
}

/// A file path or a URL (`--jwks`; `-` is the caller's to read).
pub fn from_spec(spec: &str, options: &Options) -> Result<Loaded, LoadError> {
    if is_url(spec) { from_url(spec, options) } else { from_file(Path::new(spec)) }
}

/// What the workbench's keyset prompt takes: a file path, an https URL, or `discover` (from
/// the pasted token's issuer, as `--discover`).
pub fn from_prompt(spec: &str, token: &str, options: &Options) -> Result<Loaded, LoadError> {
    let spec = spec.trim();
    if spec != "discover" {
        return from_spec(spec, options);
    }
    let decoded = crate::token::decode(token).map_err(|e| {
        LoadError::Discover(format!("the pasted token does not decode ({e}): paste a token first"))
    })?;
    let iss = token_issuer(&decoded.payload)?;
    discover(iss, options)
}

/// The metadata documents `--discover` asks, in order, below the issuer.
pub const WELL_KNOWN: [&str; 2] =
    ["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"];

/// Finds the issuer's keyset: `iss` + each of [`WELL_KNOWN`] in turn, the first that answers
/// JSON with a `jwks_uri`, then that URL. The issuer must be https (or http to this machine).
pub fn discover(iss: &str, options: &Options) -> Result<Loaded, LoadError> {
    net::check_url(iss)?;
    let base = iss.trim_end_matches('/');
    let mut tried = Vec::new();
    for suffix in WELL_KNOWN {
        let url = format!("{base}{suffix}");
        match net::get_json(&url, options) {
            Ok((_, document)) => match document.get("jwks_uri").and_then(Value::as_str) {
                Some(jwks_uri) => {
                    let mut loaded = from_url(jwks_uri, options)?;
                    loaded.from = format!("{} (jwks_uri of {})", loaded.from, inline(&url));
                    return Ok(loaded);
                }
                None => tried.push(format!("{}: no jwks_uri", inline(&url))),
            },
            // Not there: try the next document. Anything else (TLS, DNS, timeout) will not
            // be better for the next path on the same host.
            Err(NetError::Status { url, status, .. }) => tried.push(format!("{url}: HTTP {status}")),
            Err(NetError::NotJson { url, .. }) => tried.push(format!("{url}: not JSON")),
            Err(other) => return Err(other.into()),
        }
    }
    Err(LoadError::Discover(format!(
        "no keyset found from the issuer '{}' ({}): pass the keyset's URL with --jwks",
        inline(iss),
        tried.join("; ")
    )))
}

/// The issuer a token names, for `--discover`.
pub fn token_issuer(payload: &serde_json::Map<String, Value>) -> Result<&str, LoadError> {
    match payload.get("iss") {
        Some(Value::String(iss)) => Ok(iss),
        Some(other) => Err(LoadError::Discover(format!(
            "the token's iss is {}, not a URL: --discover needs an issuer URL; pass the keyset with --jwks",
            inline(&other.to_string())
        ))),
        None => Err(LoadError::Discover(
            "the token has no iss to discover its keyset from: pass the keyset with --jwks".to_string(),
        )),
    }
}
