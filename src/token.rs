//! Tokens: signing, decoding and verifying compact JWS.

pub mod alg;
pub mod decode;
mod es512;
pub mod expect;
pub mod export;
pub mod key;
pub mod paste;
mod ring_provider;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde_json::{Map, Value};

pub use alg::{Alg, Curve, Family, KeyKind};
pub use decode::{Cleanup, DecodeError, DecodedToken, Segment, decode};
pub use key::{
    KeyError, KeyFormat, KeyHint, KeyMaterial, ParsedKey, looks_like_key, parse_jwk, parse_key, parse_pem,
    read_key,
};

/// Why a token could not be signed.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    /// The key does not fit the algorithm.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The crypto backend refused the key (e.g. an RSA key under 2048 bits).
    #[error("the crypto backend could not sign with this key: {0}")]
    Backend(String),
    /// Header or payload could not be serialised.
    #[error("could not serialise the token: {0}")]
    Json(String),
}

/// Why no algorithm could be chosen for a key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AlgChoiceError {
    /// The profile's algorithms need another kind of key.
    #[error("{profile} allows {} but the key is {key}: use {}", list(.allowed), .allowed.first().map(|a| a.family().to_string()).unwrap_or_default())]
    KeyDoesNotFitProfile {
        /// The profile id, quoted.
        profile: String,
        /// The profile's algorithms.
        allowed: Vec<Alg>,
        /// The key's description.
        key: String,
    },
    /// The algorithm asked for is not allowed.
    #[error("{requested} is not allowed here: choose one of {}", list(.allowed))]
    NotAllowed {
        /// What was asked for.
        requested: Alg,
        /// What is allowed.
        allowed: Vec<Alg>,
    },
}

fn list(algs: &[Alg]) -> String {
    algs.iter().map(|a| a.name()).collect::<Vec<_>>().join(", ")
}

/// The algorithms a key may be used with under a profile: the key's family, narrowed to the
/// profile's list. Never taken from a token's header.
pub fn allowed_algs(profile: Option<(&str, &[Alg])>, key: &KeyMaterial) -> Result<Vec<Alg>, AlgChoiceError> {
    let mut allowed = key.algorithms();
    if let Some((id, profile_algs)) = profile {
        allowed.retain(|a| profile_algs.contains(a));
        // Keep the profile's preference order.
        allowed.sort_by_key(|a| profile_algs.iter().position(|p| p == a));
        if allowed.is_empty() {
            return Err(AlgChoiceError::KeyDoesNotFitProfile {
                profile: format!("profile '{id}'"),
                allowed: profile_algs.to_vec(),
                key: key.describe(),
            });
        }
    }
    Ok(allowed)
}

/// Picks the signing algorithm: the one requested if allowed, else the first allowed.
pub fn choose_alg(allowed: &[Alg], requested: Option<Alg>) -> Result<Alg, AlgChoiceError> {
    match requested {
        Some(alg) if allowed.contains(&alg) => Ok(alg),
        Some(alg) => Err(AlgChoiceError::NotAllowed { requested: alg, allowed: allowed.to_vec() }),
        None => allowed
            .first()
            .copied()
            .ok_or(AlgChoiceError::NotAllowed { requested: Alg::HS256, allowed: Vec::new() }),
    }
}

/// Signs `header.payload` as given: header fields and claim order are kept; `alg` is set to
/// the algorithm used.
pub fn sign(
    header: &Map<String, Value>,
    payload: &Map<String, Value>,
    key: &KeyMaterial,
    alg: Alg,
) -> Result<String, SignError> {
    let mut header = header.clone();
    header.insert("alg".to_string(), Value::String(alg.name().to_string()));
    let header_json = serde_json::to_vec(&header).map_err(|e| SignError::Json(e.to_string()))?;
    let payload_json = serde_json::to_vec(payload).map_err(|e| SignError::Json(e.to_string()))?;
    let mut token = URL_SAFE_NO_PAD.encode(header_json);
    token.push('.');
    token.push_str(&URL_SAFE_NO_PAD.encode(payload_json));
    let signature = sign_input(&token, key, alg)?;
    token.push('.');
    token.push_str(&signature);
    Ok(token)
}

/// Signs a JWS signing input (`base64url(header).base64url(payload)`) as it is, returning the
/// base64url signature. For known-answer tests and tokens whose segments must stay byte-exact.
pub fn sign_input(signing_input: &str, key: &KeyMaterial, alg: Alg) -> Result<String, SignError> {
    let Some(jwt_alg) = alg.to_jsonwebtoken() else {
        return es512::sign(signing_input.as_bytes(), key).map(|sig| URL_SAFE_NO_PAD.encode(sig));
    };
    let encoding_key = key.encoding_key(alg)?;
    ring_provider::install();
    jsonwebtoken::crypto::sign(signing_input.as_bytes(), &encoding_key, jwt_alg)
        .map_err(|e| SignError::Backend(e.to_string()))
}

/// Checks a base64url signature over a signing input with `alg`; false for a key of the wrong
/// kind or a malformed signature.
pub fn verify_input(signing_input: &str, signature_b64: &str, key: &KeyMaterial, alg: Alg) -> bool {
    let Some(jwt_alg) = alg.to_jsonwebtoken() else {
        return es512::verify(signing_input.as_bytes(), signature_b64, key);
    };
    ring_provider::install();
    key.decoding_key(alg)
        .ok()
        .and_then(|dk| {
            jsonwebtoken::crypto::verify(signature_b64, signing_input.as_bytes(), &dk, jwt_alg).ok()
        })
        .unwrap_or(false)
}

/// How to verify: which algorithms the key may be used with, the leeway on `exp`/`nbf`, and
/// the time to judge at (unix seconds).
#[derive(Clone, Debug)]
pub struct VerifyOptions {
    /// Algorithms allowed (from [`allowed_algs`]).
    pub allowed: Vec<Alg>,
    /// Seconds of leeway on `exp` and `nbf`; 0 unless asked.
    pub leeway_secs: u64,
    /// Unix time to judge at.
    pub now: i64,
    /// Whether a missing `exp` makes the token invalid.
    pub require_exp: bool,
    /// Claims the verifier expects (`--iss`, `--aud`, `--sub`, `--require`).
    pub expect: expect::Expectations,
}

/// Why a token is not valid.
#[derive(Clone, Debug, PartialEq, Serialize, thiserror::Error)]
#[serde(tag = "problem", rename_all = "kebab-case")]
pub enum Invalid {
    /// The header's `alg` is not one the key and profile allow.
    #[error("the token's alg '{header_alg}' is not allowed: this key and profile allow {}", list(.allowed))]
    AlgNotAllowed {
        /// What the header says.
        header_alg: String,
        /// What is allowed.
        allowed: Vec<Alg>,
    },
    /// The header's `alg` is there but is not text (`{"alg":256}`).
    #[error(
        "the header's alg is {header_alg}, not a string: alg must name the algorithm as text, such as \"HS256\""
    )]
    AlgNotString {
        /// What the header says.
        header_alg: serde_json::Value,
    },
    /// The signature does not match.
    #[error("the signature does not verify with this key ({alg})")]
    BadSignature {
        /// The algorithm used.
        alg: Alg,
    },
    /// `exp` has passed.
    #[error("expired {} ago (exp {exp}, leeway {leeway_secs}s)", crate::time::human_duration(*.seconds_ago))]
    Expired {
        /// The `exp` claim.
        exp: i64,
        /// How long ago it expired.
        seconds_ago: u64,
        /// The leeway used.
        leeway_secs: u64,
    },
    /// `nbf` is in the future.
    #[error("not valid yet: nbf is in {} (nbf {nbf}, leeway {leeway_secs}s)", crate::time::human_duration(*.seconds_until))]
    NotYetValid {
        /// The `nbf` claim.
        nbf: i64,
        /// Seconds until it becomes valid.
        seconds_until: u64,
        /// The leeway used.
        leeway_secs: u64,
    },
    /// A member name appears twice: parsers disagree on which copy counts.
    #[error("the token names {} twice: parsers disagree on which copy counts, so it is refused (RFC 8725 §3.11)", .names.join(", "))]
    DuplicateMembers {
        /// `header.alg`, `payload.sub`...
        names: Vec<String>,
    },
    /// `crit` names an extension tokensmith does not implement, or is malformed.
    #[error(
        "the header's crit {found} names extensions tokensmith does not implement: RFC 7515 §4.1.11 requires refusing the token"
    )]
    UnknownCritical {
        /// The `crit` value, as JSON.
        found: String,
    },
    /// `exp` is required but missing.
    #[error("the token has no exp claim, and this profile requires one")]
    MissingExp,
    /// A claim is not what the verifier expects (`--iss`, `--aud`, `--sub`, `--require`).
    #[error("{}", .0.words())]
    Unexpected(expect::Mismatch),
    /// A time claim that is not a number of seconds (text, milliseconds, or no date at all).
    #[error("the {claim} claim is not a number of seconds: {value}")]
    NotNumeric {
        /// `exp`, `nbf` or `iat`.
        claim: String,
        /// The value found, as JSON.
        value: String,
    },
}

/// The outcome of verifying a token.
#[derive(Clone, Debug, Serialize)]
pub struct Verification {
    /// True when nothing is wrong.
    pub valid: bool,
    /// The algorithm the signature was checked with (none when the header's alg was refused).
    pub alg: Option<Alg>,
    /// Whether the signature matched (None when not checked).
    pub signature_ok: Option<bool>,
    /// The leeway applied to `exp` and `nbf`.
    pub leeway_secs: u64,
    /// The time judged at.
    pub now: i64,
    /// What is wrong.
    pub problems: Vec<Invalid>,
}

/// Verifies signature, `exp` and `nbf`. The algorithm comes from `options.allowed` (the key and
/// profile), never from the header: a header naming another algorithm is refused.
pub fn verify(token: &DecodedToken, key: &KeyMaterial, options: &VerifyOptions) -> Verification {
    let mut problems = Vec::new();
    let header_alg = token.alg().unwrap_or("(missing)").to_string();
    let alg = options.allowed.iter().copied().find(|a| a.name() == header_alg);
    let mut signature_ok = None;
    match alg {
        None => match token.header.get("alg").filter(|v| !v.is_string()) {
            Some(value) => problems.push(Invalid::AlgNotString { header_alg: value.clone() }),
            None => problems.push(Invalid::AlgNotAllowed { header_alg, allowed: options.allowed.clone() }),
        },
        Some(alg) => {
            let ok = verify_input(token.signing_input(), token.signature_b64(), key, alg);
            signature_ok = Some(ok);
            if !ok {
                problems.push(Invalid::BadSignature { alg });
            }
        }
    }
    if !token.duplicates.is_empty() {
        problems.push(Invalid::DuplicateMembers { names: token.duplicates.clone() });
    }
    if let Some(crit) = token.header.get("crit") {
        // tokensmith implements no JWS extension, so any crit (even a well-formed one) is refused.
        problems.push(Invalid::UnknownCritical { found: crit.to_string() });
    }
    // Times: the one time-rule engine decides (expired at exactly exp, checked arithmetic).
    use crate::time_rules::{Reading, Times, gap, is_expired, is_not_yet_valid};
    let times = Times::read(&token.payload);
    if options.require_exp && times.exp.is_none() {
        problems.push(Invalid::MissingExp);
    }
    for claim in times.present() {
        let value = match &claim.reading {
            Reading::NotNumeric { raw } => raw.to_string(),
            Reading::Milliseconds { millis } => format!("{millis} (milliseconds?)"),
            Reading::OutOfRange { raw } => format!("{raw} (no date)"),
            Reading::Seconds { .. } | Reading::Fraction { .. } => continue,
        };
        if claim.name != "iat" {
            problems.push(Invalid::NotNumeric { claim: claim.name.into(), value });
        }
    }
    let leeway = options.leeway_secs;
    if let Some(exp) = times.exp_secs()
        && is_expired(exp, options.now, leeway)
    {
        problems.push(Invalid::Expired { exp, seconds_ago: gap(options.now, exp), leeway_secs: leeway });
    }
    if let Some(nbf) = times.nbf_secs()
        && is_not_yet_valid(nbf, options.now, leeway)
    {
        problems.push(Invalid::NotYetValid {
            nbf,
            seconds_until: gap(nbf, options.now),
            leeway_secs: leeway,
        });
    }
    problems.extend(options.expect.check(&token.payload).into_iter().map(Invalid::Unexpected));
    Verification {
        valid: problems.is_empty(),
        alg,
        signature_ok,
        leeway_secs: options.leeway_secs,
        now: options.now,
        problems,
    }
}

/// The usual JOSE header: `alg`, then `typ` and `kid` when given.
pub fn header(alg: Alg, typ: Option<&str>, kid: Option<&str>) -> Map<String, Value> {
    let mut header = Map::new();
    header.insert("alg".into(), Value::String(alg.name().into()));
    if let Some(typ) = typ {
        header.insert("typ".into(), Value::String(typ.into()));
    }
    if let Some(kid) = kid {
        header.insert("kid".into(), Value::String(kid.into()));
    }
    header
}
