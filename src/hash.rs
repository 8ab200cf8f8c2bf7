//! Identity hashes (scheme C): the page passes the user's identifier and the lowercase hex
//! HMAC-SHA256 of it, keyed with the vendor's secret (Intercom's `user_hash`, Help Scout's
//! `signature`, Front's `userHash`, Chatwoot's `identifier_hash`, Crisp's signature). This
//! module makes that hash and, for the doctor, tells which common mistake made a hash that
//! does not match: base64 output, upper-case hex, key and message swapped, an untrimmed or
//! differently-cased identifier, or the other identifier (email vs user id).
//!
//! No terminal, no clock, no environment: the secret and identifier come in as arguments.

use base64::Engine as _;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::profile::Profile;

/// HMAC-SHA256 of `message` keyed with `key` (ring, as the token signer uses).
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key);
    let tag = ring::hmac::sign(&key, message);
    let mut out = [0u8; 32];
    for (slot, byte) in out.iter_mut().zip(tag.as_ref()) {
        *slot = *byte;
    }
    out
}

/// The identity hash vendors expect: lowercase hex HMAC-SHA256 of the identifier's UTF-8
/// bytes, keyed with the secret's bytes.
pub fn identity_hash(secret: &[u8], identifier: &str) -> String {
    hex::encode(hmac_sha256(secret, identifier.as_bytes()))
}

/// A mistake the doctor recognises in a hash that does not match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mistake {
    /// The HMAC was base64-encoded instead of hex.
    Base64Output,
    /// Hex, but upper-case.
    UpperHex,
    /// The identifier was the key and the secret the message.
    Swapped,
    /// The identifier hashed had whitespace the page's identifier has not (or the reverse).
    Untrimmed,
    /// The identifier hashed was lower-cased (or the page's one is not).
    WrongCase,
    /// The other identifier (email where the vendor hashes the user id, or the reverse).
    OtherIdentifier,
}

impl Mistake {
    /// A stable code for scripts (`hash.base64-output`).
    pub fn code(self) -> &'static str {
        match self {
            Mistake::Base64Output => "hash.base64-output",
            Mistake::UpperHex => "hash.upper-hex",
            Mistake::Swapped => "hash.swapped",
            Mistake::Untrimmed => "hash.untrimmed",
            Mistake::WrongCase => "hash.wrong-case",
            Mistake::OtherIdentifier => "hash.other-identifier",
        }
    }
}

/// What the doctor says about one hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HashDiagnosis {
    /// Whether the hash is exactly what the vendor computes.
    pub matches: bool,
    /// The mistake that explains a hash that does not match, when one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mistake: Option<Mistake>,
    /// A stable code: `hash.ok`, `hash.mismatch` or the mistake's code.
    pub code: &'static str,
    /// What was found, in plain words.
    pub found: String,
    /// What to do.
    pub fix: String,
}

/// Checks `given` against the hash of `identifier`; when it does not match, tries each known
/// mistake. `other` is the user's other identifier (their email when the vendor hashes the user
/// id, or the reverse), when known.
pub fn diagnose(secret: &[u8], identifier: &str, other: Option<&str>, given: &str) -> HashDiagnosis {
    let mac = hmac_sha256(secret, identifier.as_bytes());
    let expected = hex::encode(mac);
    let ok = |matches: bool, mistake: Option<Mistake>, found: String, fix: String| HashDiagnosis {
        matches,
        mistake,
        code: mistake.map_or(if matches { "hash.ok" } else { "hash.mismatch" }, Mistake::code),
        found,
        fix,
    };
    if given == expected {
        return ok(
            true,
            None,
            format!("the hash matches: it is the lowercase hex HMAC-SHA256 of '{identifier}'"),
            "nothing to fix".to_string(),
        );
    }
    let b64 = base64::engine::general_purpose::STANDARD;
    let b64url = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    if given == b64.encode(mac) || given == b64url.encode(mac) {
        return ok(
            false,
            Some(Mistake::Base64Output),
            "the hash is the right HMAC, but base64-encoded: the vendor expects 64 lowercase hex digits"
                .to_string(),
            "encode the HMAC as hex: hexdigest() in Python, digest('hex') in Node, hash_hmac() in PHP, not base64"
                .to_string(),
        );
    }
    if given == expected.to_uppercase() {
        return ok(
            false,
            Some(Mistake::UpperHex),
            "the hash is the right HMAC in upper-case hex: the vendor compares it with lowercase hex"
                .to_string(),
            "print the hex digest in lowercase (drop .upper()/ToUpper, use %x not %X)".to_string(),
        );
    }
    if given == hex::encode(hmac_sha256(identifier.as_bytes(), secret)) {
        return ok(
            false,
            Some(Mistake::Swapped),
            "the hash was made with the key and the message swapped: the identifier was used as the key and the secret as the message"
                .to_string(),
            "key the HMAC with the secret and hash the identifier: HMAC(key = secret, message = identifier)"
                .to_string(),
        );
    }
    if let Some((mistake, found, fix)) = identifier_mistake(secret, identifier, other, given) {
        return ok(false, Some(mistake), found, fix);
    }
    ok(
        false,
        None,
        format!(
            "the hash does not match '{identifier}' with this secret, nor any common mistake (base64, upper-case hex, swapped key and message, whitespace, case{})",
            if other.is_some() { ", the other identifier" } else { "" }
        ),
        "check that the secret is the vendor's identity verification secret for this workspace (not an API key), and that the identifier is the one the page passes"
            .to_string(),
    )
}

/// The hash is of the identifier with other whitespace or letter case, or of the user's other
/// identifier: which, with what to do.
fn identifier_mistake(
    secret: &[u8],
    identifier: &str,
    other: Option<&str>,
    given: &str,
) -> Option<(Mistake, String, String)> {
    let trimmed = identifier.trim();
    let spaced = [
        format!("{identifier}\n"),
        format!("{identifier}\r\n"),
        format!(" {identifier}"),
        format!("{identifier} "),
    ];
    let whitespace = (trimmed != identifier).then(|| trimmed.to_string()).into_iter().chain(spaced);
    for variant in whitespace {
        if given == identity_hash(secret, &variant) {
            return Some((
                Mistake::Untrimmed,
                format!(
                    "the hash is of {:?}, not of '{identifier}': the whitespace around the identifier differs",
                    variant
                ),
                "hash exactly the identifier the page passes: trim it in both places (a trailing newline often comes from `echo` or a file)"
                    .to_string(),
            ));
        }
    }
    for variant in [identifier.to_lowercase(), identifier.to_uppercase(), trimmed.to_lowercase()] {
        if variant != identifier && given == identity_hash(secret, &variant) {
            return Some((
                Mistake::WrongCase,
                format!("the hash is of '{variant}', not of '{identifier}': the letter case differs"),
                "hash the identifier exactly as the page passes it: lower-case the email in both places or in neither"
                    .to_string(),
            ));
        }
    }
    if let Some(other) = other.filter(|o| !o.is_empty() && *o != identifier)
        && given == identity_hash(secret, other)
    {
        return Some((
            Mistake::OtherIdentifier,
            format!("the hash is of the other identifier '{other}', not of '{identifier}'"),
            format!(
                "hash the identifier the vendor checks ('{identifier}'), or pass '{other}' as the identifier instead"
            ),
        ));
    }
    None
}

/// Why a profile's hash could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HashError {
    /// The profile is not an identity-hash profile.
    #[error("profile '{0}' does not use identity hashes")]
    NotHashProfile(String),
    /// None of the identifier fields has a value.
    #[error("no identifier: profile '{profile}' hashes the first of {fields} that is set; set one")]
    NoIdentifier {
        /// The profile.
        profile: String,
        /// The fields, comma-separated.
        fields: String,
    },
}

/// [`diagnose`] with each of several secrets (named by `K`): the one that matches, else the
/// first whose mistake is recognised, else the first. `None` with no secrets.
pub fn diagnose_with<'a, K>(
    secrets: impl IntoIterator<Item = (K, &'a [u8])>,
    identifier: &str,
    other: Option<&str>,
    given: &str,
) -> Option<(K, HashDiagnosis)> {
    let results: Vec<(K, HashDiagnosis)> = secrets
        .into_iter()
        .map(|(name, secret)| (name, diagnose(secret, identifier, other, given)))
        .collect();
    let best = results
        .iter()
        .position(|(_, d)| d.matches)
        .or_else(|| results.iter().position(|(_, d)| d.mistake.is_some()))
        .unwrap_or(0);
    results.into_iter().nth(best)
}

/// A value as the identifier the page passes: a non-empty string as it is, a number as its
/// digits; nothing else identifies a user.
pub fn identifier_text(value: Option<&Value>) -> Option<String> {
    match value {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// The identifier a hash profile hashes from the values the page passes: the first of the
/// profile's identifier fields that is set and not empty, with its field name.
pub fn pick_identifier(
    profile: &Profile,
    values: &Map<String, Value>,
) -> Result<(String, String), HashError> {
    let Some(rules) = &profile.hash else { return Err(HashError::NotHashProfile(profile.id.clone())) };
    for path in &rules.identifier.value {
        if let Some(text) = identifier_text(path.get(values)) {
            return Ok((path.to_string(), text));
        }
    }
    Err(HashError::NoIdentifier {
        profile: profile.id.clone(),
        fields: rules.identifier.value.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_4231_test_vectors() {
        // Test cases 1, 2 and 4 of RFC 4231 section 4, HMAC-SHA-256.
        assert_eq!(
            hex::encode(hmac_sha256(&[0x0b; 20], b"Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        assert_eq!(
            hex::encode(hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let key: Vec<u8> = (1u8..=25).collect();
        assert_eq!(
            hex::encode(hmac_sha256(&key, &[0xcd; 50])),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
        );
        // Test case 6: a key longer than the block size.
        assert_eq!(
            hex::encode(hmac_sha256(&[0xaa; 131], b"Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    /// Made with Python: hmac.new(b"supersecret", b"ada@example.com", hashlib.sha256).hexdigest()
    const PY_ADA: &str = "9947fa8c33d0c72f4ca8a28f34ff3c38af8ecb99b4d1a43ea0bb4aaef5c6ec5e";

    #[test]
    fn the_hash_is_pythons_hmac_hexdigest() {
        assert_eq!(identity_hash(b"supersecret", "ada@example.com"), PY_ADA);
        assert!(diagnose(b"supersecret", "ada@example.com", None, PY_ADA).matches);
    }

    #[test]
    fn each_mistake_is_recognised() {
        let secret = b"supersecret";
        let mac = hmac_sha256(secret, b"ada@example.com");
        let b64 = base64::engine::general_purpose::STANDARD.encode(mac);
        let cases = [
            (b64, "ada@example.com", None, Mistake::Base64Output),
            (PY_ADA.to_uppercase(), "ada@example.com", None, Mistake::UpperHex),
            (hex::encode(hmac_sha256(b"ada@example.com", secret)), "ada@example.com", None, Mistake::Swapped),
            (identity_hash(secret, "ada@example.com\n"), "ada@example.com", None, Mistake::Untrimmed),
            (identity_hash(secret, "ada@example.com"), " ada@example.com", None, Mistake::Untrimmed),
            (identity_hash(secret, "ada@example.com"), "Ada@Example.com", None, Mistake::WrongCase),
            (
                identity_hash(secret, "ada@example.com"),
                "4242",
                Some("ada@example.com"),
                Mistake::OtherIdentifier,
            ),
        ];
        for (given, identifier, other, mistake) in cases {
            let d = diagnose(secret, identifier, other, &given);
            assert!(!d.matches);
            assert_eq!(d.mistake, Some(mistake), "{identifier:?}: {d:?}");
            assert_eq!(d.code, mistake.code());
        }
        let d = diagnose(b"another", "ada@example.com", Some("4242"), PY_ADA);
        assert_eq!((d.matches, d.mistake, d.code), (false, None, "hash.mismatch"));
    }
}
