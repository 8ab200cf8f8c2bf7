//! Key material: HMAC secrets and PEM keys (PKCS#1, PKCS#8, SPKI, SEC1), parsed into the forms
//! the signer needs, with errors that say what a key is and what to do with it.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use jsonwebtoken::{DecodingKey, EncodingKey};
use p256::elliptic_curve::sec1::ToEncodedPoint as _;
use rsa::pkcs8::der::Decode as _;
use rsa::pkcs8::der::asn1::ObjectIdentifier;
use rsa::pkcs8::spki::SubjectPublicKeyInfoRef;
use rsa::pkcs8::{DecodePrivateKey as _, EncodePrivateKey as _, PrivateKeyInfo};

use super::alg::{Alg, Curve, Family};
use crate::secret::Secret;

const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const OID_RSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const OID_EC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const OID_P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const OID_ED448: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.113");
const OID_DSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10040.4.1");

/// The encoding a key came in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyFormat {
    /// `BEGIN RSA PRIVATE KEY` / `BEGIN RSA PUBLIC KEY`.
    Pkcs1,
    /// `BEGIN PRIVATE KEY`.
    Pkcs8,
    /// `BEGIN PUBLIC KEY`.
    Spki,
    /// `BEGIN EC PRIVATE KEY` (what `openssl ecparam -genkey` writes).
    Sec1,
    /// A JSON Web Key.
    Jwk,
    /// An HMAC secret given as bytes or text.
    Secret,
}

impl fmt::Display for KeyFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeyFormat::Pkcs1 => "PKCS#1",
            KeyFormat::Pkcs8 => "PKCS#8",
            KeyFormat::Spki => "SPKI",
            KeyFormat::Sec1 => "SEC1",
            KeyFormat::Jwk => "JWK",
            KeyFormat::Secret => "raw secret",
        })
    }
}

/// A key, in the forms the crypto backend takes. Private parts are [`Secret`]s.
#[derive(Clone, Debug)]
pub enum KeyMaterial {
    /// An HMAC secret.
    Hmac(Secret),
    /// An RSA private key; `pkcs1_der` is its RSAPrivateKey DER.
    RsaPrivate {
        /// PKCS#1 RSAPrivateKey DER.
        pkcs1_der: Secret,
        /// Public modulus, big-endian, no leading zeros.
        n: Vec<u8>,
        /// Public exponent, big-endian.
        e: Vec<u8>,
    },
    /// An RSA public key.
    RsaPublic {
        /// Modulus, big-endian, no leading zeros.
        n: Vec<u8>,
        /// Exponent, big-endian.
        e: Vec<u8>,
    },
    /// An EC private key; `pkcs8_der` is its PKCS#8 DER.
    EcPrivate {
        /// The curve.
        curve: Curve,
        /// PKCS#8 PrivateKeyInfo DER.
        pkcs8_der: Secret,
        /// Uncompressed public point (0x04 || x || y).
        point: Vec<u8>,
    },
    /// An EC public key.
    EcPublic {
        /// The curve.
        curve: Curve,
        /// Uncompressed public point (0x04 || x || y).
        point: Vec<u8>,
    },
    /// An Ed25519 private key; `pkcs8_der` is its PKCS#8 DER.
    EdPrivate {
        /// PKCS#8 PrivateKeyInfo DER.
        pkcs8_der: Secret,
        /// The 32-byte public key.
        public: Vec<u8>,
    },
    /// An Ed25519 public key (32 bytes).
    EdPublic {
        /// The 32-byte public key.
        public: Vec<u8>,
    },
}

/// Why a key could not be read or used. Each message names the problem and the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// No `-----BEGIN` line at all.
    #[error(
        "this is not a PEM key (no '-----BEGIN ...-----' line); for an HMAC secret use --secret-file or --secret-env instead"
    )]
    NotPem,
    /// BEGIN and END on one line: pasted into a one-line field.
    #[error(
        "the PEM key is on one line, without its line breaks (pasted into a one-line field?): put '-----BEGIN {label}-----' and '-----END {label}-----' on lines of their own with the base64 between them, e.g. `sed -e 's/----- /-----\\n/' -e 's/ -----/\\n-----/' -e 's/ /\\n/g'`"
    )]
    OneLine {
        /// The PEM label.
        label: String,
    },
    /// The base64 or DER ends early.
    #[error(
        "the PEM key '{label}' is cut short ({detail}): copy the whole file again, from '-----BEGIN' to '-----END' inclusive"
    )]
    Truncated {
        /// The PEM label.
        label: String,
        /// What ended early.
        detail: String,
    },
    /// An encrypted private key.
    #[error(
        "this private key is encrypted with a passphrase ({label}): decrypt it first with `openssl pkey -in key.pem -out key-plain.pem` and use key-plain.pem"
    )]
    Encrypted {
        /// The PEM label.
        label: String,
    },
    /// A certificate instead of a key.
    #[error(
        "this is an X.509 certificate, not a key: extract its public key with `openssl x509 -in cert.pem -pubkey -noout > public.pem`"
    )]
    Certificate,
    /// A PEM label tokensmith does not read.
    #[error(
        "unsupported PEM block '{0}': expected a private key (PRIVATE KEY, RSA PRIVATE KEY, EC PRIVATE KEY) or a public key (PUBLIC KEY, RSA PUBLIC KEY)"
    )]
    UnknownLabel(String),
    /// A key algorithm JWTs here cannot use.
    #[error("unsupported key type: {0}")]
    Unsupported(String),
    /// Well-formed PEM, but the DER inside is not a key of its kind.
    #[error("the {format} key is invalid: {reason}")]
    Invalid {
        /// The format that was being read.
        format: KeyFormat,
        /// The parser's reason.
        reason: String,
    },
    /// The secret is empty.
    #[error("the secret is empty: give the vendor's secret (it must have at least one byte)")]
    EmptySecret,
    /// Secret text that is not valid base64 though base64 was asked for.
    #[error("the secret is not valid base64 ({0}): drop --secret-base64/--base64 to use the text as it is")]
    BadBase64(String),
    /// Secret text that is really a PEM key.
    #[error(
        "the secret looks like a PEM key ('{0}'): pass it with --key-file so it is used as a key, not as HMAC secret text"
    )]
    PemAsSecret(String),
    /// A JWK that is not usable.
    #[error("the JWK is not usable: {0}")]
    BadJwk(String),
    /// The key cannot be used with the algorithm.
    #[error("{alg} needs {need}, but the key is {have}")]
    WrongKind {
        /// The algorithm asked for.
        alg: Alg,
        /// What that algorithm needs.
        need: String,
        /// What the key is.
        have: String,
    },
}

/// A key with the format it was read from.
#[derive(Clone, Debug)]
pub struct ParsedKey {
    /// The key itself.
    pub material: KeyMaterial,
    /// How it was encoded.
    pub format: KeyFormat,
    /// The key id, when the format carries one (JWK `kid`).
    pub kid: Option<String>,
}

impl ParsedKey {
    /// "RSA 2048-bit private key, PKCS#1".
    pub fn describe(&self) -> String {
        format!("{}, {}", self.material.describe(), self.format)
    }
}

impl KeyMaterial {
    /// An HMAC secret from raw bytes; refuses an empty one and PEM text used as a secret.
    pub fn hmac(secret: Secret) -> Result<Self, KeyError> {
        if secret.is_empty() {
            return Err(KeyError::EmptySecret);
        }
        if let Ok(text) = std::str::from_utf8(secret.expose())
            && let Some(label) = pem_label(text)
        {
            return Err(KeyError::PemAsSecret(label));
        }
        Ok(KeyMaterial::Hmac(secret))
    }

    /// An HMAC secret from base64 text (standard or URL-safe alphabet, padding optional).
    pub fn hmac_base64(text: &str) -> Result<Self, KeyError> {
        // The secret's text is as secret as its bytes: wiped when dropped.
        let cleaned: zeroize::Zeroizing<String> =
            zeroize::Zeroizing::new(text.chars().filter(|c| !c.is_whitespace()).collect());
        let unpadded = cleaned.trim_end_matches('=');
        let decoded = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(unpadded)
            .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(unpadded))
            .map_err(|e| KeyError::BadBase64(e.to_string()))?;
        Self::hmac(Secret::new(decoded))
    }

    /// The key family, which fixes the algorithms it can serve.
    pub fn family(&self) -> Family {
        match self {
            KeyMaterial::Hmac(_) => Family::Hmac,
            KeyMaterial::RsaPrivate { .. } | KeyMaterial::RsaPublic { .. } => Family::Rsa,
            KeyMaterial::EcPrivate { curve, .. } | KeyMaterial::EcPublic { curve, .. } => Family::Ec(*curve),
            KeyMaterial::EdPrivate { .. } | KeyMaterial::EdPublic { .. } => Family::Ed25519,
        }
    }

    /// The algorithms this key can sign or verify.
    pub fn algorithms(&self) -> Vec<Alg> {
        Alg::of_family(self.family())
    }

    /// True for keys that can sign (secrets and private keys).
    pub fn can_sign(&self) -> bool {
        !matches!(
            self,
            KeyMaterial::RsaPublic { .. } | KeyMaterial::EcPublic { .. } | KeyMaterial::EdPublic { .. }
        )
    }

    /// RSA modulus size in bits.
    pub fn rsa_bits(&self) -> Option<usize> {
        match self {
            KeyMaterial::RsaPrivate { n, .. } | KeyMaterial::RsaPublic { n, .. } => Some(bit_length(n)),
            _ => None,
        }
    }

    /// "RSA 2048-bit private key", "HMAC secret (32 bytes)".
    pub fn describe(&self) -> String {
        match self {
            KeyMaterial::Hmac(secret) => format!("HMAC secret ({} bytes)", secret.len()),
            KeyMaterial::RsaPrivate { n, .. } => format!("RSA {}-bit private key", bit_length(n)),
            KeyMaterial::RsaPublic { n, .. } => format!("RSA {}-bit public key", bit_length(n)),
            KeyMaterial::EcPrivate { curve, .. } => format!("EC {curve} private key"),
            KeyMaterial::EcPublic { curve, .. } => format!("EC {curve} public key"),
            KeyMaterial::EdPrivate { .. } => "Ed25519 private key".to_string(),
            KeyMaterial::EdPublic { .. } => "Ed25519 public key".to_string(),
        }
    }

    /// The public half (an HMAC secret is its own "public" half).
    pub fn public(&self) -> KeyMaterial {
        match self {
            KeyMaterial::RsaPrivate { n, e, .. } => KeyMaterial::RsaPublic { n: n.clone(), e: e.clone() },
            KeyMaterial::EcPrivate { curve, point, .. } => {
                KeyMaterial::EcPublic { curve: *curve, point: point.clone() }
            }
            KeyMaterial::EdPrivate { public, .. } => KeyMaterial::EdPublic { public: public.clone() },
            other => other.clone(),
        }
    }

    fn check_family(&self, alg: Alg) -> Result<(), KeyError> {
        if self.family() == alg.family() {
            Ok(())
        } else {
            Err(KeyError::WrongKind { alg, need: alg.family().to_string(), have: article(&self.describe()) })
        }
    }

    /// The key for signing with `alg`; refuses public keys and keys of another family.
    pub fn encoding_key(&self, alg: Alg) -> Result<EncodingKey, KeyError> {
        self.check_family(alg)?;
        match self {
            KeyMaterial::Hmac(secret) => Ok(EncodingKey::from_secret(secret.expose())),
            KeyMaterial::RsaPrivate { pkcs1_der, .. } => Ok(EncodingKey::from_rsa_der(pkcs1_der.expose())),
            KeyMaterial::EcPrivate { pkcs8_der, .. } => Ok(EncodingKey::from_ec_der(pkcs8_der.expose())),
            KeyMaterial::EdPrivate { pkcs8_der, .. } => Ok(EncodingKey::from_ed_der(pkcs8_der.expose())),
            public => Err(KeyError::WrongKind {
                alg,
                need: format!("a private key to sign ({} can only verify)", public.describe()),
                have: article(&public.describe()),
            }),
        }
    }

    /// The key for verifying with `alg`; a private key verifies through its public half.
    pub fn decoding_key(&self, alg: Alg) -> Result<DecodingKey, KeyError> {
        self.check_family(alg)?;
        Ok(match self.public() {
            KeyMaterial::Hmac(secret) => DecodingKey::from_secret(secret.expose()),
            KeyMaterial::RsaPublic { n, e } => DecodingKey::from_rsa_raw_components(&n, &e),
            KeyMaterial::EcPublic { point, .. } => DecodingKey::from_ec_der(&point),
            KeyMaterial::EdPublic { public } => DecodingKey::from_ed_der(&public),
            KeyMaterial::RsaPrivate { .. }
            | KeyMaterial::EcPrivate { .. }
            | KeyMaterial::EdPrivate { .. } => {
                unreachable!("public() never returns a private key")
            }
        })
    }
}

fn article(description: &str) -> String {
    let first = description.chars().next().unwrap_or('x');
    // "an RSA", "an EC", "an HMAC", "an Ed25519": every description here starts with a vowel sound.
    if "AEIOUHR".contains(first) { format!("an {description}") } else { format!("a {description}") }
}

fn bit_length(be: &[u8]) -> usize {
    let start = be.iter().position(|b| *b != 0).unwrap_or(be.len());
    let Some((first, rest)) = be.get(start..).and_then(<[u8]>::split_first) else {
        return 0;
    };
    // At most 8 * len bits: no overflow for any key that fits in memory.
    rest.len().saturating_mul(8).saturating_add(8).saturating_sub(first.leading_zeros() as usize)
}

/// The label of the first `-----BEGIN X-----` line, if the text has one.
fn pem_label(text: &str) -> Option<String> {
    let (_, after) = text.split_once("-----BEGIN ")?;
    let (label, _) = after.split_once("-----")?;
    Some(label.to_string())
}

struct PemBlock {
    label: String,
    headers: Vec<String>,
    /// The decoded body: private key bytes for a private key, so wiped when dropped.
    der: zeroize::Zeroizing<Vec<u8>>,
}

/// Splits PEM text into blocks. Line length is not checked (any wrapping works) but a block
/// must have its line breaks, its END line and whole base64.
fn pem_blocks(text: &str) -> Result<Vec<PemBlock>, KeyError> {
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some((_, after_begin)) = rest.split_once("-----BEGIN ") {
        let Some((label, body_and_rest)) = after_begin.split_once("-----") else {
            return Err(KeyError::NotPem);
        };
        let label = label.to_string();
        let end_marker = format!("-----END {label}-----");
        let Some((body, after_end)) = body_and_rest.split_once(&end_marker) else {
            if !body_and_rest.contains('\n') && body_and_rest.trim().contains(' ') {
                return Err(KeyError::OneLine { label });
            }
            return Err(KeyError::Truncated { label, detail: "no END line".to_string() });
        };
        if !body.contains('\n') && body.trim().len() > 64 {
            return Err(KeyError::OneLine { label });
        }
        let mut headers = Vec::new();
        let mut b64 = zeroize::Zeroizing::new(String::new());
        for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if line.contains(':') {
                headers.push(line.to_string());
            } else {
                b64.push_str(line);
            }
        }
        let der = match STANDARD.decode(b64.as_bytes()) {
            Ok(der) => zeroize::Zeroizing::new(der),
            Err(err) if !b64.len().is_multiple_of(4) => {
                return Err(KeyError::Truncated { label, detail: format!("base64 ends mid-way: {err}") });
            }
            Err(err) => {
                return Err(KeyError::Invalid {
                    format: KeyFormat::Pkcs8,
                    reason: format!("bad base64: {err}"),
                });
            }
        };
        blocks.push(PemBlock { label, headers, der });
        rest = after_end;
    }
    Ok(blocks)
}

/// The DER error inside a parser's error, when there is one: its kind says whether the data
/// was cut short, without reading the message text.
trait DerCause: fmt::Display {
    fn der_kind(&self) -> Option<rsa::pkcs8::der::ErrorKind>;
}

impl DerCause for rsa::pkcs8::der::Error {
    fn der_kind(&self) -> Option<rsa::pkcs8::der::ErrorKind> {
        Some(self.kind())
    }
}

impl DerCause for rsa::pkcs8::Error {
    fn der_kind(&self) -> Option<rsa::pkcs8::der::ErrorKind> {
        match self {
            rsa::pkcs8::Error::Asn1(e) => Some(e.kind()),
            _ => None,
        }
    }
}

fn der_error(label: &str, format: KeyFormat, err: impl DerCause) -> KeyError {
    use rsa::pkcs8::der::ErrorKind;
    match err.der_kind() {
        Some(ErrorKind::Incomplete { .. } | ErrorKind::Length { .. }) => KeyError::Truncated {
            label: label.to_string(),
            detail: format!("the key data ends early: {err}"),
        },
        _ => KeyError::Invalid { format, reason: err.to_string() },
    }
}

/// Reads a PEM key: PKCS#1 (RSA), PKCS#8 (RSA, EC P-256/P-384, Ed25519), SPKI public keys,
/// SEC1 EC keys (an `EC PARAMETERS` block before it is skipped).
pub fn parse_pem(text: &str) -> Result<ParsedKey, KeyError> {
    if !text.contains("-----BEGIN ") {
        return Err(KeyError::NotPem);
    }
    let blocks = pem_blocks(text)?;
    let block = blocks
        .into_iter()
        .find(|b| b.label != "EC PARAMETERS")
        .ok_or_else(|| KeyError::UnknownLabel("EC PARAMETERS".to_string()))?;
    let label = block.label.as_str();
    if block.headers.iter().any(|h| h.contains("ENCRYPTED")) {
        return Err(KeyError::Encrypted { label: block.label.clone() });
    }
    let der = block.der;
    match label {
        "RSA PRIVATE KEY" => rsa_private_from_pkcs1(&der, label).map(|material| ParsedKey {
            material,
            format: KeyFormat::Pkcs1,
            kid: None,
        }),
        "RSA PUBLIC KEY" => rsa_public_from_pkcs1(&der, label).map(|material| ParsedKey {
            material,
            format: KeyFormat::Pkcs1,
            kid: None,
        }),
        "PRIVATE KEY" => from_pkcs8(&der, label).map(|material| ParsedKey { material, format: KeyFormat::Pkcs8, kid: None }),
        "PUBLIC KEY" => from_spki(&der, label).map(|material| ParsedKey { material, format: KeyFormat::Spki, kid: None }),
        "EC PRIVATE KEY" => from_sec1(&der, label).map(|material| ParsedKey { material, format: KeyFormat::Sec1, kid: None }),
        "ENCRYPTED PRIVATE KEY" => Err(KeyError::Encrypted { label: label.to_string() }),
        "CERTIFICATE" | "TRUSTED CERTIFICATE" | "X509 CERTIFICATE" => Err(KeyError::Certificate),
        "OPENSSH PRIVATE KEY" => Err(KeyError::Unsupported(
            "an OpenSSH private key: convert it with `ssh-keygen -p -m PKCS8 -f key` (it rewrites the file in place)".to_string(),
        )),
        other => Err(KeyError::UnknownLabel(other.to_string())),
    }
}

fn rsa_private_from_pkcs1(der: &[u8], label: &str) -> Result<KeyMaterial, KeyError> {
    let key = rsa::pkcs1::RsaPrivateKey::from_der(der).map_err(|e| der_error(label, KeyFormat::Pkcs1, e))?;
    Ok(KeyMaterial::RsaPrivate {
        n: key.modulus.as_bytes().to_vec(),
        e: key.public_exponent.as_bytes().to_vec(),
        pkcs1_der: Secret::new(der.to_vec()),
    })
}

fn rsa_public_from_pkcs1(der: &[u8], label: &str) -> Result<KeyMaterial, KeyError> {
    let key = rsa::pkcs1::RsaPublicKey::from_der(der).map_err(|e| der_error(label, KeyFormat::Pkcs1, e))?;
    Ok(KeyMaterial::RsaPublic {
        n: key.modulus.as_bytes().to_vec(),
        e: key.public_exponent.as_bytes().to_vec(),
    })
}

fn unsupported_oid(oid: ObjectIdentifier, curve: Option<ObjectIdentifier>) -> KeyError {
    KeyError::Unsupported(if oid == OID_ED448 {
        "Ed448 (JWT libraries here support Ed25519 only; make one with `openssl genpkey -algorithm ed25519`)"
            .to_string()
    } else if oid == OID_RSA_PSS {
        "an RSA-PSS-only key (OID 1.2.840.113549.1.1.10): make a plain RSA key with `openssl genpkey -algorithm rsa`; it signs PS256 too".to_string()
    } else if oid == OID_DSA {
        "DSA, which JWTs do not use".to_string()
    } else if curve == Some(OID_P521) {
        "EC P-521 (ES512 is not supported here): use P-256 (ES256) or P-384 (ES384)".to_string()
    } else if let Some(curve) = curve {
        format!("an EC key on curve {curve}: use P-256 (ES256) or P-384 (ES384)")
    } else {
        format!("algorithm OID {oid}")
    })
}

fn curve_of(oid: Option<ObjectIdentifier>) -> Option<Curve> {
    match oid {
        Some(o) if o == OID_P256 => Some(Curve::P256),
        Some(o) if o == OID_P384 => Some(Curve::P384),
        _ => None,
    }
}

fn from_pkcs8(der: &[u8], label: &str) -> Result<KeyMaterial, KeyError> {
    let info = PrivateKeyInfo::from_der(der).map_err(|e| der_error(label, KeyFormat::Pkcs8, e))?;
    let oid = info.algorithm.oid;
    if oid == OID_RSA {
        return rsa_private_from_pkcs1(info.private_key, label);
    }
    if oid == OID_EC {
        let curve_oid = info.algorithm.parameters_oid().ok();
        return match curve_of(curve_oid) {
            Some(curve) => ec_private_from_pkcs8(curve, der, label),
            None => Err(unsupported_oid(oid, curve_oid)),
        };
    }
    if oid == OID_ED25519 {
        let key = ed25519_dalek::SigningKey::from_pkcs8_der(der)
            .map_err(|e| der_error(label, KeyFormat::Pkcs8, e))?;
        return Ok(KeyMaterial::EdPrivate {
            public: key.verifying_key().to_bytes().to_vec(),
            pkcs8_der: Secret::new(der.to_vec()),
        });
    }
    Err(unsupported_oid(oid, None))
}

fn ec_private_from_pkcs8(curve: Curve, der: &[u8], label: &str) -> Result<KeyMaterial, KeyError> {
    let point = match curve {
        Curve::P256 => p256::SecretKey::from_pkcs8_der(der)
            .map_err(|e| der_error(label, KeyFormat::Pkcs8, e))?
            .public_key()
            .to_encoded_point(false)
            .as_bytes()
            .to_vec(),
        Curve::P384 => p384::SecretKey::from_pkcs8_der(der)
            .map_err(|e| der_error(label, KeyFormat::Pkcs8, e))?
            .public_key()
            .to_encoded_point(false)
            .as_bytes()
            .to_vec(),
    };
    Ok(KeyMaterial::EcPrivate { curve, pkcs8_der: Secret::new(der.to_vec()), point })
}

fn from_sec1(der: &[u8], label: &str) -> Result<KeyMaterial, KeyError> {
    let key = sec1::EcPrivateKey::from_der(der).map_err(|e| der_error(label, KeyFormat::Sec1, e))?;
    let curve_oid = key.parameters.and_then(|p| p.named_curve());
    let invalid = |e: &dyn fmt::Display| KeyError::Invalid { format: KeyFormat::Sec1, reason: e.to_string() };
    // The signer takes PKCS#8 only, so SEC1 keys are rewrapped here once.
    let (curve, pkcs8) = match curve_of(curve_oid) {
        Some(Curve::P256) => {
            let secret = p256::SecretKey::from_sec1_der(der).map_err(|e| invalid(&e))?;
            (Curve::P256, secret.to_pkcs8_der().map_err(|e| invalid(&e))?)
        }
        Some(Curve::P384) => {
            let secret = p384::SecretKey::from_sec1_der(der).map_err(|e| invalid(&e))?;
            (Curve::P384, secret.to_pkcs8_der().map_err(|e| invalid(&e))?)
        }
        None => return Err(unsupported_oid(OID_EC, curve_oid)),
    };
    ec_private_from_pkcs8(curve, pkcs8.as_bytes(), label)
}

fn from_spki(der: &[u8], label: &str) -> Result<KeyMaterial, KeyError> {
    let spki = SubjectPublicKeyInfoRef::from_der(der).map_err(|e| der_error(label, KeyFormat::Spki, e))?;
    let oid = spki.algorithm.oid;
    let bits = spki.subject_public_key.raw_bytes();
    if oid == OID_RSA {
        return rsa_public_from_pkcs1(bits, label);
    }
    if oid == OID_EC {
        let curve_oid = spki.algorithm.parameters_oid().ok();
        return match curve_of(curve_oid) {
            Some(curve) => Ok(KeyMaterial::EcPublic { curve, point: bits.to_vec() }),
            None => Err(unsupported_oid(oid, curve_oid)),
        };
    }
    if oid == OID_ED25519 {
        if bits.len() != 32 {
            return Err(KeyError::Invalid {
                format: KeyFormat::Spki,
                reason: format!("an Ed25519 public key has 32 bytes, this one {}", bits.len()),
            });
        }
        return Ok(KeyMaterial::EdPublic { public: bits.to_vec() });
    }
    Err(unsupported_oid(oid, None))
}

fn jwk_field(
    jwk: &serde_json::Map<String, serde_json::Value>,
    name: &str,
) -> Result<Option<zeroize::Zeroizing<Vec<u8>>>, KeyError> {
    // Private members (d, p, q, k) are wiped when dropped; public ones cost nothing to wipe.
    match jwk.get(name) {
        None => Ok(None),
        Some(serde_json::Value::String(text)) => base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(text.trim_end_matches('='))
            .map(|bytes| Some(zeroize::Zeroizing::new(bytes)))
            .map_err(|e| KeyError::BadJwk(format!("'{name}' is not base64url: {e}"))),
        Some(_) => Err(KeyError::BadJwk(format!("'{name}' must be a base64url string"))),
    }
}

fn jwk_required(
    jwk: &serde_json::Map<String, serde_json::Value>,
    name: &str,
    kty: &str,
) -> Result<zeroize::Zeroizing<Vec<u8>>, KeyError> {
    jwk_field(jwk, name)?.ok_or_else(|| KeyError::BadJwk(format!("a {kty} JWK needs '{name}'")))
}

/// Reads a JSON Web Key (RFC 7517): `oct`, `RSA`, `EC` (P-256, P-384) or `OKP` (Ed25519),
/// public or private. A JWKS holding exactly one key is read as that key.
pub fn parse_jwk(text: &str) -> Result<ParsedKey, KeyError> {
    use rsa::pkcs1::EncodeRsaPrivateKey as _;
    use rsa::traits::PublicKeyParts as _;
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| KeyError::BadJwk(format!("not JSON: {e}")))?;
    let mut jwk = match value {
        serde_json::Value::Object(map) => map,
        _ => return Err(KeyError::BadJwk("a JWK is a JSON object".to_string())),
    };
    if let Some(keys) = jwk.get("keys").and_then(|k| k.as_array()) {
        match keys.as_slice() {
            [serde_json::Value::Object(only)] => jwk = only.clone(),
            other => {
                return Err(KeyError::BadJwk(format!(
                    "this JWKS holds {} keys: save the one you need on its own",
                    other.len()
                )));
            }
        }
    }
    let kid = jwk.get("kid").and_then(|k| k.as_str()).map(str::to_string);
    let kty = jwk.get("kty").and_then(|k| k.as_str()).unwrap_or_default().to_string();
    let material = match kty.as_str() {
        "oct" => KeyMaterial::hmac(Secret::new(jwk_required(&jwk, "k", "oct")?.to_vec()))?,
        "RSA" => {
            let n = jwk_required(&jwk, "n", "RSA")?;
            let e = jwk_required(&jwk, "e", "RSA")?;
            match jwk_field(&jwk, "d")? {
                None => KeyMaterial::RsaPublic { n: strip_zeros(n.to_vec()), e: strip_zeros(e.to_vec()) },
                Some(d) => {
                    let big = rsa::BigUint::from_bytes_be;
                    let primes: Vec<rsa::BigUint> = [jwk_field(&jwk, "p")?, jwk_field(&jwk, "q")?]
                        .into_iter()
                        .flatten()
                        .map(|b| big(&b))
                        .collect();
                    let key = rsa::RsaPrivateKey::from_components(big(&n), big(&e), big(&d), primes)
                        .map_err(|err| {
                            KeyError::BadJwk(format!("the RSA parameters do not form a key: {err}"))
                        })?;
                    let der = key
                        .to_pkcs1_der()
                        .map_err(|err| KeyError::BadJwk(format!("cannot encode the RSA key: {err}")))?;
                    KeyMaterial::RsaPrivate {
                        pkcs1_der: Secret::new(der.as_bytes().to_vec()),
                        n: key.n().to_bytes_be(),
                        e: key.e().to_bytes_be(),
                    }
                }
            }
        }
        "EC" => {
            let curve = match jwk.get("crv").and_then(|c| c.as_str()) {
                Some("P-256") => Curve::P256,
                Some("P-384") => Curve::P384,
                other => {
                    return Err(KeyError::Unsupported(format!(
                        "EC curve {}: use P-256 (ES256) or P-384 (ES384)",
                        other.unwrap_or("(missing crv)")
                    )));
                }
            };
            match jwk_field(&jwk, "d")? {
                Some(d) => {
                    let invalid = |e: &dyn fmt::Display| {
                        KeyError::BadJwk(format!("'d' is not a {curve} private key: {e}"))
                    };
                    let pkcs8 = match curve {
                        Curve::P256 => {
                            p256::SecretKey::from_slice(&d).map_err(|e| invalid(&e))?.to_pkcs8_der()
                        }
                        Curve::P384 => {
                            p384::SecretKey::from_slice(&d).map_err(|e| invalid(&e))?.to_pkcs8_der()
                        }
                    }
                    .map_err(|e| invalid(&e))?;
                    ec_private_from_pkcs8(curve, pkcs8.as_bytes(), "JWK")?
                }
                None => {
                    let mut point = vec![0x04];
                    point.extend(jwk_required(&jwk, "x", "EC")?.iter());
                    point.extend(jwk_required(&jwk, "y", "EC")?.iter());
                    KeyMaterial::EcPublic { curve, point }
                }
            }
        }
        "OKP" => {
            if jwk.get("crv").and_then(|c| c.as_str()) != Some("Ed25519") {
                return Err(KeyError::Unsupported("OKP keys other than Ed25519".to_string()));
            }
            let x = jwk_required(&jwk, "x", "OKP")?;
            match jwk_field(&jwk, "d")? {
                Some(d) => {
                    let bytes: [u8; 32] = d.as_slice().try_into().map_err(|_| {
                        KeyError::BadJwk(format!("an Ed25519 'd' has 32 bytes, this one {}", d.len()))
                    })?;
                    let key = ed25519_dalek::SigningKey::from_bytes(&bytes);
                    if key.verifying_key().to_bytes().as_slice() != x.as_slice() {
                        return Err(KeyError::BadJwk("'x' is not the public key of 'd'".to_string()));
                    }
                    KeyMaterial::EdPrivate { pkcs8_der: ed25519_pkcs8_v1(&key)?, public: x.to_vec() }
                }
                None => KeyMaterial::EdPublic { public: x.to_vec() },
            }
        }
        "" => return Err(KeyError::BadJwk("it has no 'kty'".to_string())),
        other => return Err(KeyError::Unsupported(format!("JWK kty '{other}'"))),
    };
    Ok(ParsedKey { material, format: KeyFormat::Jwk, kid })
}

/// PKCS#8 v1 (no public key inside), the form `openssl genpkey -algorithm ed25519` writes: OpenSSL
/// 3.0 cannot read the v2 form ed25519-dalek writes by default.
pub(crate) fn ed25519_pkcs8_v1(key: &ed25519_dalek::SigningKey) -> Result<Secret, KeyError> {
    let bytes = ed25519_dalek::pkcs8::KeypairBytes { secret_key: key.to_bytes(), public_key: None };
    bytes
        .to_pkcs8_der()
        .map(|der| Secret::new(der.as_bytes().to_vec()))
        .map_err(|e| KeyError::BadJwk(format!("cannot encode the Ed25519 key: {e}")))
}

fn strip_zeros(mut bytes: Vec<u8>) -> Vec<u8> {
    let zeros = bytes.iter().take_while(|b| **b == 0).count();
    bytes.drain(..zeros.min(bytes.len().saturating_sub(1)));
    bytes
}

/// Reads a key in any supported text form: PEM, or a JWK / JWKS in JSON.
pub fn parse_key(text: &str) -> Result<ParsedKey, KeyError> {
    if text.trim_start().starts_with('{') { parse_jwk(text) } else { parse_pem(text) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let path = format!("{}/tests/fixtures/keys/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn describe(name: &str) -> String {
        parse_pem(&fixture(name)).map(|k| k.describe()).unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn every_openssl_form_is_recognised() {
        assert_eq!(describe("rsa2048-pkcs1.pem"), "RSA 2048-bit private key, PKCS#1");
        assert_eq!(describe("rsa2048-pkcs8.pem"), "RSA 2048-bit private key, PKCS#8");
        assert_eq!(describe("rsa2048-pub-spki.pem"), "RSA 2048-bit public key, SPKI");
        assert_eq!(describe("rsa2048-pub-pkcs1.pem"), "RSA 2048-bit public key, PKCS#1");
        assert_eq!(describe("rsa3072-pkcs8.pem"), "RSA 3072-bit private key, PKCS#8");
        assert_eq!(describe("ec-p256-sec1.pem"), "EC P-256 private key, SEC1");
        assert_eq!(describe("ec-p256-pkcs8.pem"), "EC P-256 private key, PKCS#8");
        assert_eq!(describe("ec-p256-pub.pem"), "EC P-256 public key, SPKI");
        assert_eq!(describe("ec-p384-sec1.pem"), "EC P-384 private key, SEC1");
        assert_eq!(describe("ec-p384-pkcs8.pem"), "EC P-384 private key, PKCS#8");
        assert_eq!(describe("ec-p384-pub.pem"), "EC P-384 public key, SPKI");
        assert_eq!(describe("ed25519-pkcs8.pem"), "Ed25519 private key, PKCS#8");
        assert_eq!(describe("ed25519-pub.pem"), "Ed25519 public key, SPKI");
        assert_eq!(describe("ec-p256-params-and-key.pem"), "EC P-256 private key, SEC1");
    }

    #[test]
    fn the_same_key_in_two_forms_has_the_same_public_half() {
        let pkcs1 = parse_pem(&fixture("rsa2048-pkcs1.pem")).map(|k| k.material.public());
        let spki = parse_pem(&fixture("rsa2048-pub-spki.pem")).map(|k| k.material.public());
        match (pkcs1, spki) {
            (Ok(KeyMaterial::RsaPublic { n: n1, e: e1 }), Ok(KeyMaterial::RsaPublic { n: n2, e: e2 })) => {
                assert_eq!((n1, e1), (n2, e2));
            }
            other => panic!("unexpected {other:?}"),
        }
        let sec1 = parse_pem(&fixture("ec-p256-sec1.pem")).map(|k| k.material.public());
        let pkcs8 = parse_pem(&fixture("ec-p256-pkcs8.pem")).map(|k| k.material.public());
        let public = parse_pem(&fixture("ec-p256-pub.pem")).map(|k| k.material);
        match (sec1, pkcs8, public) {
            (
                Ok(KeyMaterial::EcPublic { point: a, .. }),
                Ok(KeyMaterial::EcPublic { point: b, .. }),
                Ok(KeyMaterial::EcPublic { point: c, .. }),
            ) => {
                assert_eq!(a, b);
                assert_eq!(b, c);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn broken_pems_say_what_is_wrong() {
        let err = |name: &str| parse_pem(&fixture(name)).err();
        assert!(matches!(err("rsa2048-encrypted-pkcs8.pem"), Some(KeyError::Encrypted { .. })));
        assert_eq!(err("cert.pem"), Some(KeyError::Certificate));
        assert!(
            matches!(err("rsa2048-truncated.pem"), Some(KeyError::Truncated { .. })),
            "{:?}",
            err("rsa2048-truncated.pem")
        );
        assert!(matches!(err("rsa2048-oneline.pem"), Some(KeyError::OneLine { .. })));
        assert_eq!(parse_pem("not a key").err(), Some(KeyError::NotPem));
        let cut = fixture("rsa2048-pkcs8.pem");
        let no_end = &cut[..cut.find("-----END").unwrap_or(cut.len())];
        assert!(matches!(parse_pem(no_end), Err(KeyError::Truncated { .. })));
        // Whole PEM lines around DER cut in half: the DER parser's error kind says "cut short".
        for (file, label) in [
            ("rsa2048-pkcs8.pem", "PRIVATE KEY"),
            ("rsa2048-pkcs1.pem", "RSA PRIVATE KEY"),
            ("ec-p256-sec1.pem", "EC PRIVATE KEY"),
            ("rsa2048-pub-spki.pem", "PUBLIC KEY"),
        ] {
            let block = pem_blocks(&fixture(file)).expect("blocks");
            let der = &block.last().expect("a block").der;
            let half = STANDARD.encode(&der[..der.len() / 2]);
            let lines: Vec<&str> =
                half.as_bytes().chunks(64).filter_map(|c| std::str::from_utf8(c).ok()).collect();
            let pem = format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n"));
            let got = parse_pem(&pem).err();
            assert!(matches!(got, Some(KeyError::Truncated { .. })), "{file}: {got:?}");
        }
    }

    #[test]
    fn keys_refuse_algorithms_of_another_family() {
        let public = parse_pem(&fixture("rsa2048-pub-spki.pem")).map(|k| k.material);
        let Ok(public) = public else { panic!("fixture") };
        let err = public.encoding_key(Alg::RS256).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some(
                "RS256 needs a private key to sign (RSA 2048-bit public key can only verify), but the key is an RSA 2048-bit public key"
            )
        );
        let err = public.decoding_key(Alg::HS256).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("HS256 needs an HMAC secret, but the key is an RSA 2048-bit public key")
        );
        assert!(public.decoding_key(Alg::PS512).is_ok());
    }

    #[test]
    fn secrets_refuse_empty_and_pem_text() {
        assert_eq!(KeyMaterial::hmac(Secret::new(Vec::new())).err(), Some(KeyError::EmptySecret));
        let pem = fixture("rsa2048-pub-spki.pem");
        assert_eq!(
            KeyMaterial::hmac(Secret::new(pem.into_bytes())).err(),
            Some(KeyError::PemAsSecret("PUBLIC KEY".to_string()))
        );
        assert!(matches!(KeyMaterial::hmac_base64("not base64!"), Err(KeyError::BadBase64(_))));
        match KeyMaterial::hmac_base64("c2VjcmV0") {
            Ok(KeyMaterial::Hmac(s)) => assert_eq!(s.expose(), b"secret"),
            other => panic!("{other:?}"),
        }
    }
}
