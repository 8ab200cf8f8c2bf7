//! Key sets (JWKS, RFC 7517 section 5): read a set of any size (bounded), keep the keys a
//! verifier can use and say why the others were skipped, and choose the key for a token: by
//! its `kid`, else by `alg`/`kty`/`use`. The CLI (`--jwks`, `--key-file`, `keys import --kid`)
//! and the workbench's doctor both come here.

pub mod load;

use serde_json::{Map, Value};

use crate::text::inline;
use crate::token::{self, Alg, DecodedToken, KeyError, ParsedKey, Verification, VerifyOptions};

/// At most this many keys in a set: published sets hold a handful; this bounds the work of a
/// hostile one (each RSA key is checked when read).
pub const MAX_KEYS: usize = 256;

/// A key of the set that a verifier can use, with the members that choose it.
#[derive(Clone, Debug)]
pub struct SetKey {
    /// Its position in the set's `keys` array (from 0).
    pub index: usize,
    /// `kid`, when the set names it.
    pub kid: Option<String>,
    /// `alg`, when the set pins the key to one algorithm.
    pub alg: Option<String>,
    /// `kty` as written.
    pub kty: String,
    /// The key itself.
    pub key: ParsedKey,
}

impl SetKey {
    /// "'rsa-a' RS256" or "key 2 (RSA, no kid)": how a message names the key.
    pub fn label(&self) -> String {
        let alg = self.alg.as_deref().unwrap_or(&self.kty);
        match &self.kid {
            Some(kid) => format!("'{}' {}", inline(kid), inline(alg)),
            None => format!("key {} ({}, no kid)", self.index.saturating_add(1), inline(alg)),
        }
    }

    /// "kid 'rsa-a'" or "key 2 of the set": the key's name alone.
    pub fn name(&self) -> String {
        match &self.kid {
            Some(kid) => format!("kid '{}'", inline(kid)),
            None => format!("key {} (no kid)", self.index.saturating_add(1)),
        }
    }

    /// The algorithms this key may verify with: its family's, narrowed to its own `alg` when the
    /// set pins one (a key published for RS256 is not tried for RS384), and to the profile's.
    pub fn allowed(&self, profile: Option<(&str, &[Alg])>) -> Result<Vec<Alg>, token::AlgChoiceError> {
        let mut allowed = token::allowed_algs(profile, &self.key.material)?;
        if let Some(pinned) = &self.alg {
            allowed.retain(|a| a.name() == pinned);
        }
        Ok(allowed)
    }
}

/// A key of the set that was left out, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// Its position in the set (from 0).
    pub index: usize,
    /// `kid`, when it has one.
    pub kid: Option<String>,
    /// Why it was left out.
    pub reason: String,
}

impl Skipped {
    /// "key 'enc-1' is skipped: it is for encryption (use: enc)".
    pub fn note(&self) -> String {
        let name = match &self.kid {
            Some(kid) => format!("key '{}'", inline(kid)),
            None => format!("key {}", self.index.saturating_add(1)),
        };
        format!("{name} is skipped: {}", self.reason)
    }
}

/// A key set as read: the usable keys and the skipped ones.
#[derive(Clone, Debug, Default)]
pub struct KeySet {
    /// The keys a verifier can use, in the set's order.
    pub keys: Vec<SetKey>,
    /// The keys left out, with why.
    pub skipped: Vec<Skipped>,
}

/// Why a key set cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeySetError {
    /// Not JSON, or not a JSON object.
    #[error("the keyset is not a JWKS: {0}")]
    NotJwks(String),
    /// More keys than [`MAX_KEYS`].
    #[error("the keyset holds {0} keys, more than the {MAX_KEYS} tokensmith reads: is this really a JWKS?")]
    TooMany(usize),
    /// Nothing usable in it.
    #[error("the keyset holds no key a verifier can use{}", notes(.0))]
    Empty(Vec<String>),
    /// `keys import`: no one key to take.
    #[error("{0}")]
    Choose(String),
    /// A single JWK that is not usable.
    #[error(transparent)]
    Key(#[from] KeyError),
}

fn notes(skipped: &[String]) -> String {
    if skipped.is_empty() {
        " (its 'keys' array is empty)".to_string()
    } else {
        format!(": {}", skipped.join("; "))
    }
}

/// How the key was chosen for a token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Choice {
    /// The token's `kid` named it.
    Kid(String),
    /// The token has no `kid`: the keys that fit its `alg` (by the key's own alg, or its kty).
    Alg(String),
}

/// The keys to try for a token, and why these.
#[derive(Clone, Debug)]
pub struct Selection<'a> {
    /// The candidates, in the set's order.
    pub keys: Vec<&'a SetKey>,
    /// How they were chosen.
    pub by: Choice,
}

/// No key of the set fits the token.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{wanted} (it holds {held})")]
pub struct NoMatch {
    /// "no key in the keyset has kid 'x'".
    pub wanted: String,
    /// "'a' RS256, 'b' ES256".
    pub held: String,
}

impl KeySet {
    /// "'rsa-a' RS256, 'ec-1' ES256": the set's kids and algorithms, for messages.
    pub fn summary(&self) -> String {
        if self.keys.is_empty() {
            return "no usable key".to_string();
        }
        self.keys.iter().map(SetKey::label).collect::<Vec<_>>().join(", ")
    }

    /// The key with this kid, for `keys import --kid`.
    pub fn by_kid(&self, kid: &str) -> Result<&SetKey, NoMatch> {
        self.keys.iter().find(|k| k.kid.as_deref() == Some(kid)).ok_or_else(|| NoMatch {
            wanted: format!("no key in the keyset has kid '{}'", inline(kid)),
            held: self.summary(),
        })
    }

    /// The keys to try for a token with this header: the ones with its `kid`; without a kid,
    /// the ones whose `alg` (or, lacking one, whose kty) fits the header's alg.
    pub fn select(&self, header: &Map<String, Value>) -> Result<Selection<'_>, NoMatch> {
        let header_alg = header.get("alg").and_then(Value::as_str);
        if let Some(kid) = header.get("kid").and_then(Value::as_str) {
            let keys: Vec<&SetKey> = self.keys.iter().filter(|k| k.kid.as_deref() == Some(kid)).collect();
            if keys.is_empty() {
                return Err(NoMatch {
                    wanted: format!("no key in the keyset has kid '{}'", inline(kid)),
                    held: self.summary(),
                });
            }
            return Ok(Selection { keys, by: Choice::Kid(kid.to_string()) });
        }
        let Some(alg) = header_alg.and_then(|a| a.parse::<Alg>().ok()) else {
            return Err(NoMatch {
                wanted: format!(
                    "the token has no kid and its alg ({}) names no algorithm a key could be chosen by",
                    header
                        .get("alg")
                        .map_or_else(|| "missing".to_string(), |v| inline(&v.to_string()).into_owned())
                ),
                held: self.summary(),
            });
        };
        let keys: Vec<&SetKey> = self
            .keys
            .iter()
            .filter(|k| match &k.alg {
                Some(pinned) => pinned == alg.name(),
                None => k.key.material.family() == alg.family(),
            })
            .collect();
        if keys.is_empty() {
            return Err(NoMatch {
                wanted: format!("the token has no kid, and no key in the keyset is for {alg}"),
                held: self.summary(),
            });
        }
        Ok(Selection { keys, by: Choice::Alg(alg.name().to_string()) })
    }
}

/// Reads a JWKS (`{"keys": [...]}`) or a single JWK as a set of one. Keys a verifier cannot
/// use (an unknown kty, `use: enc`, a curve tokensmith does not verify) are skipped with a
/// note; a set with no usable key at all is an error that lists the notes.
pub fn parse(text: &str) -> Result<KeySet, KeySetError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| KeySetError::NotJwks(format!("not JSON: {e}")))?;
    let Value::Object(map) = value else {
        return Err(KeySetError::NotJwks("it is JSON but not an object ({\"keys\": [...]})".to_string()));
    };
    let entries = match map.get("keys") {
        None => return Ok(KeySet { keys: vec![one_key(0, &map)?], skipped: Vec::new() }),
        Some(Value::Array(entries)) => entries,
        Some(_) => return Err(KeySetError::NotJwks("its 'keys' member is not an array".to_string())),
    };
    if entries.len() > MAX_KEYS {
        return Err(KeySetError::TooMany(entries.len()));
    }
    let mut set = KeySet::default();
    for (index, entry) in entries.iter().enumerate() {
        let kid = entry.get("kid").and_then(Value::as_str).map(str::to_string);
        let skip = |reason: String| Skipped { index, kid: kid.clone(), reason };
        let Value::Object(jwk) = entry else {
            set.skipped.push(skip("it is not a JSON object".to_string()));
            continue;
        };
        if let Some(purpose) = jwk.get("use").and_then(Value::as_str).filter(|u| *u != "sig") {
            set.skipped.push(skip(format!("it is for {} (use: {})", use_words(purpose), inline(purpose))));
            continue;
        }
        match one_key(index, jwk) {
            Ok(key) => set.keys.push(key),
            Err(e) => set.skipped.push(skip(e.to_string())),
        }
    }
    if set.keys.is_empty() {
        return Err(KeySetError::Empty(set.skipped.iter().map(Skipped::note).collect()));
    }
    Ok(set)
}

fn use_words(purpose: &str) -> &'static str {
    if purpose == "enc" { "encryption" } else { "another use than signatures" }
}

fn one_key(index: usize, jwk: &Map<String, Value>) -> Result<SetKey, KeyError> {
    let key = token::parse_jwk(&Value::Object(jwk.clone()).to_string())?;
    // A key that is not public in a published set is still read: the doctor only verifies.
    Ok(SetKey {
        index,
        kid: key.kid.clone(),
        alg: jwk.get("alg").and_then(Value::as_str).map(str::to_string),
        kty: jwk.get("kty").and_then(Value::as_str).unwrap_or_default().to_string(),
        key,
    })
}

/// One key out of a JWKS, as JSON text, for `keys import --kid`: the key with `kid`, or the
/// set's only key. None when the text is not a JWKS (a PEM key, a single JWK). A set of
/// several keys without a kid, or without that kid, is an error that lists the set's keys.
pub fn take_one(text: &str, kid: Option<&str>) -> Result<Option<String>, KeySetError> {
    if !text.trim_start().starts_with('{') {
        return Ok(None);
    }
    let Ok(Value::Object(map)) = serde_json::from_str::<Value>(text) else { return Ok(None) };
    let Some(Value::Array(entries)) = map.get("keys") else { return Ok(None) };
    let kid_of = |e: &Value| e.get("kid").and_then(Value::as_str).map(str::to_string);
    let listed = || {
        let kids: Vec<String> = entries
            .iter()
            .map(|e| kid_of(e).map_or_else(|| "(no kid)".to_string(), |k| format!("'{}'", inline(&k))))
            .collect();
        kids.join(", ")
    };
    let chosen = match (kid, entries.as_slice()) {
        (None, [only]) => only,
        (None, _) => {
            return Err(KeySetError::Choose(format!(
                "this JWKS holds {} keys (kids {}): choose one with --kid KID",
                entries.len(),
                listed()
            )));
        }
        (Some(wanted), _) => {
            entries.iter().find(|e| kid_of(e).as_deref() == Some(wanted)).ok_or_else(|| {
                KeySetError::Choose(format!(
                    "no key in this JWKS has kid '{}' (its kids: {})",
                    inline(wanted),
                    listed()
                ))
            })?
        }
    };
    if let Some(purpose) = chosen.get("use").and_then(Value::as_str).filter(|u| *u != "sig") {
        return Err(KeySetError::Choose(format!(
            "this key is for {} (use: {}), not for signatures: choose a key with use 'sig'",
            use_words(purpose),
            inline(purpose)
        )));
    }
    Ok(Some(chosen.to_string()))
}

/// A token verified against a key set: the verification with the chosen key, which key, and
/// why it was chosen, in words.
#[derive(Clone, Debug)]
pub struct SetVerification {
    /// The verification with the chosen key (the one that verified, or else the first tried).
    pub verification: Verification,
    /// The chosen key.
    pub key: SetKey,
    /// The algorithms that key allowed.
    pub allowed: Vec<Alg>,
    /// "chosen by the token's kid 'rsa-b'", "the token has no kid: 2 keys are for RS256,
    /// tried each: kid 'rsa-b' verified".
    pub why: String,
}

/// Why a token cannot be verified against a set.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SetVerifyError {
    /// No key fits the token.
    #[error(transparent)]
    NoMatch(#[from] NoMatch),
    /// Keys fit the token but none fits the profile's algorithms.
    #[error("{0}")]
    Profile(String),
}

/// Verifies a token against the set: selects the candidates, tries each with the algorithms
/// it allows (`options.allowed` is replaced per key), and keeps the first that verifies.
pub fn verify(
    decoded: &DecodedToken,
    set: &KeySet,
    profile: Option<(&str, &[Alg])>,
    options: &VerifyOptions,
) -> Result<SetVerification, SetVerifyError> {
    let selection = set.select(&decoded.header)?;
    let mut first: Option<SetVerification> = None;
    let mut profile_refusal = None;
    for candidate in &selection.keys {
        let allowed = match candidate.allowed(profile) {
            Ok(allowed) => allowed,
            Err(e) => {
                profile_refusal.get_or_insert_with(|| format!("{}: {e}", candidate.name()));
                continue;
            }
        };
        let options = VerifyOptions { allowed: allowed.clone(), ..options.clone() };
        let verification = token::verify(decoded, &candidate.key.material, &options);
        let verified = verification.signature_ok == Some(true);
        let outcome = SetVerification {
            verification,
            key: (*candidate).clone(),
            allowed,
            why: why(&selection, candidate, verified),
        };
        if verified {
            return Ok(outcome);
        }
        first.get_or_insert(outcome);
    }
    first.ok_or_else(|| SetVerifyError::Profile(profile_refusal.unwrap_or_default()))
}

/// The words for how a key was chosen, and, when several were tried, which verified.
pub fn why(selection: &Selection<'_>, key: &SetKey, verified: bool) -> String {
    match &selection.by {
        Choice::Kid(kid) if selection.keys.len() == 1 => {
            format!("chosen by the token's kid '{}'", inline(kid))
        }
        Choice::Kid(kid) => format!(
            "{} keys have the token's kid '{}': tried each, {}",
            selection.keys.len(),
            inline(kid),
            outcome_words(key, verified)
        ),
        Choice::Alg(alg) if selection.keys.len() == 1 => {
            format!("the token has no kid: chosen as the keyset's only key for {alg}")
        }
        Choice::Alg(alg) => format!(
            "the token has no kid: {} keys are for {alg} ({}), tried each: {}",
            selection.keys.len(),
            selection.keys.iter().map(|k| k.name()).collect::<Vec<_>>().join(", "),
            outcome_words(key, verified)
        ),
    }
}

fn outcome_words(key: &SetKey, verified: bool) -> String {
    if verified { format!("{} verified", key.name()) } else { "none verified".to_string() }
}

/// Whether a token's signature verifies with the key the set chooses for it, in words, for
/// `diff` (times and claims are its own business there).
#[derive(Clone, Debug, serde::Serialize)]
pub struct SignatureCheck {
    /// True verified, false did not, None not checked (no key fits).
    pub verified: Option<bool>,
    /// "verifies with kid 'a' (chosen by the token's kid 'a')".
    pub words: String,
}

/// Checks only the signature of a token against the set.
pub fn check_signature(decoded: &DecodedToken, set: &KeySet) -> SignatureCheck {
    let options = VerifyOptions {
        allowed: Vec::new(),
        leeway_secs: 0,
        now: 0,
        require_exp: false,
        expect: token::expect::Expectations::default(),
    };
    match verify(decoded, set, None, &options) {
        Ok(got) => {
            let verified = got.verification.signature_ok;
            let verb = match verified {
                Some(true) => "verifies with",
                Some(false) => "does NOT verify with",
                None => "is not checked against",
            };
            SignatureCheck { verified, words: format!("{verb} {} ({})", got.key.name(), got.why) }
        }
        Err(e) => SignatureCheck { verified: None, words: format!("not checked: {e}") },
    }
}

#[cfg(test)]
mod tests;
