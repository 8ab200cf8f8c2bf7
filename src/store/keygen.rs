//! Key generation: a plain, blocking function (RSA takes a fraction of a second to seconds),
//! which the TUI runs on a worker thread.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use rand::RngCore as _;
use rsa::pkcs8::EncodePrivateKey as _;
use rsa::pkcs8::der::pem::LineEnding;
use zeroize::Zeroizing;

use super::{KeyEntry, SecretReading, StoreError};
use crate::secret::Secret;
use crate::token::{KeyFormat, KeyMaterial, ParsedKey, parse_pem};

/// What to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GenKind {
    /// An HMAC secret of 32 random bytes.
    Hmac,
    /// An HMAC secret of 64 random bytes (enough for HS512).
    Hmac64,
    /// RSA of 2048 bits.
    Rsa2048,
    /// RSA of 3072 bits.
    Rsa3072,
    /// RSA of 4096 bits.
    Rsa4096,
    /// EC P-256 (ES256).
    P256,
    /// EC P-384 (ES384).
    P384,
    /// EC P-521 (ES512).
    P521,
    /// Ed25519 (EdDSA).
    Ed25519,
}

impl GenKind {
    /// Every kind, as the CLI names them.
    pub const ALL: [GenKind; 9] = [
        GenKind::Hmac,
        GenKind::Hmac64,
        GenKind::Rsa2048,
        GenKind::Rsa3072,
        GenKind::Rsa4096,
        GenKind::P256,
        GenKind::P384,
        GenKind::P521,
        GenKind::Ed25519,
    ];

    /// The CLI name.
    pub fn name(self) -> &'static str {
        match self {
            GenKind::Hmac => "hmac",
            GenKind::Hmac64 => "hmac64",
            GenKind::Rsa2048 => "rsa2048",
            GenKind::Rsa3072 => "rsa3072",
            GenKind::Rsa4096 => "rsa4096",
            GenKind::P256 => "p256",
            GenKind::P384 => "p384",
            GenKind::P521 => "p521",
            GenKind::Ed25519 => "ed25519",
        }
    }

    /// True for the kinds that take long enough to want a spinner.
    pub fn is_slow(self) -> bool {
        matches!(self, GenKind::Rsa2048 | GenKind::Rsa3072 | GenKind::Rsa4096)
    }
}

impl fmt::Display for GenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for GenKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        GenKind::ALL.into_iter().find(|k| k.name() == s).ok_or_else(|| {
            format!(
                "unknown key kind '{s}': use one of {}",
                GenKind::ALL.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ")
            )
        })
    }
}

fn from_pkcs8_pem(text: Zeroizing<String>, name: &str, now: i64) -> Result<KeyEntry, StoreError> {
    let parsed = parse_pem(&text)?;
    let mut entry =
        KeyEntry::new(name, &parsed, Secret::new(text.as_bytes().to_vec()), SecretReading::Text, now);
    entry.description = format!("{}, generated", parsed.material.describe());
    Ok(entry)
}

/// Generates a key as a store entry named `name`. HMAC secrets are random bytes written as
/// base64url text and used as text, which every vendor's library reads the same way.
pub fn generate(kind: GenKind, name: &str, now: i64) -> Result<KeyEntry, StoreError> {
    let mut rng = rand::rngs::OsRng;
    let lf = LineEnding::LF;
    let failed = |e: &dyn fmt::Display| StoreError::Invalid(format!("key generation failed: {e}"));
    match kind {
        GenKind::Hmac | GenKind::Hmac64 => {
            let mut bytes = Zeroizing::new(vec![0u8; if kind == GenKind::Hmac { 32 } else { 64 }]);
            rng.fill_bytes(&mut bytes);
            let text = Zeroizing::new(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&*bytes));
            let material = KeyMaterial::hmac(Secret::new(text.as_bytes().to_vec()))?;
            let parsed = ParsedKey { material, format: KeyFormat::Secret, kid: None };
            let mut entry =
                KeyEntry::new(name, &parsed, Secret::new(text.as_bytes().to_vec()), SecretReading::Text, now);
            entry.description = format!(
                "HMAC secret ({} characters from {} random bytes), generated",
                text.len(),
                bytes.len()
            );
            Ok(entry)
        }
        GenKind::Rsa2048 | GenKind::Rsa3072 | GenKind::Rsa4096 => {
            let bits = match kind {
                GenKind::Rsa2048 => 2048,
                GenKind::Rsa3072 => 3072,
                _ => 4096,
            };
            let key = rsa::RsaPrivateKey::new(&mut rng, bits).map_err(|e| failed(&e))?;
            from_pkcs8_pem(key.to_pkcs8_pem(lf).map_err(|e| failed(&e))?, name, now)
        }
        GenKind::P256 => {
            let key = p256::SecretKey::random(&mut rng);
            from_pkcs8_pem(key.to_pkcs8_pem(lf).map_err(|e| failed(&e))?, name, now)
        }
        GenKind::P384 => {
            let key = p384::SecretKey::random(&mut rng);
            from_pkcs8_pem(key.to_pkcs8_pem(lf).map_err(|e| failed(&e))?, name, now)
        }
        GenKind::P521 => {
            let key = p521::SecretKey::random(&mut rng);
            from_pkcs8_pem(key.to_pkcs8_pem(lf).map_err(|e| failed(&e))?, name, now)
        }
        GenKind::Ed25519 => {
            let key = ed25519_dalek::SigningKey::generate(&mut rng);
            let der = crate::token::key::ed25519_pkcs8_v1(&key)?;
            let pem = rsa::pkcs8::der::pem::encode_string("PRIVATE KEY", lf, der.expose())
                .map_err(|e| failed(&e))?;
            from_pkcs8_pem(Zeroizing::new(pem), name, now)
        }
    }
}
