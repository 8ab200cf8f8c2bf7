//! Key material: HMAC secrets and keys (PKCS#1, PKCS#8, SPKI, SEC1 as PEM or DER; encrypted
//! PKCS#8; JWK; a bare EC point), parsed into the forms the signer needs, with errors that say
//! what a key is and what to do with it.

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

mod der;
mod jwk;
mod pem;
mod read;

pub use jwk::parse_jwk;
pub use pem::parse_pem;
use pem::pem_label;
pub use read::{KeyHint, looks_like_key, read_key};

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
    /// Binary DER of an RSAPrivateKey or RSAPublicKey.
    Pkcs1Der,
    /// Binary DER of a PrivateKeyInfo.
    Pkcs8Der,
    /// Binary DER of a SubjectPublicKeyInfo.
    SpkiDer,
    /// Binary DER of an ECPrivateKey.
    Sec1Der,
    /// `BEGIN ENCRYPTED PRIVATE KEY`, opened with its passphrase.
    EncryptedPkcs8,
    /// Binary DER of an EncryptedPrivateKeyInfo, opened with its passphrase.
    EncryptedPkcs8Der,
    /// A bare EC point, 0x04 || x || y or compressed (0x02/0x03 || x).
    EcPoint,
}

impl KeyFormat {
    /// True for the forms whose text is PEM, so the store can keep it as it came.
    pub fn is_plain_pem(self) -> bool {
        matches!(self, KeyFormat::Pkcs1 | KeyFormat::Pkcs8 | KeyFormat::Spki)
    }
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
            KeyFormat::Pkcs1Der => "PKCS#1 DER",
            KeyFormat::Pkcs8Der => "PKCS#8 DER",
            KeyFormat::SpkiDer => "SPKI DER",
            KeyFormat::Sec1Der => "SEC1 DER",
            KeyFormat::EncryptedPkcs8 => "encrypted PKCS#8",
            KeyFormat::EncryptedPkcs8Der => "encrypted PKCS#8 DER",
            KeyFormat::EcPoint => "bare EC point",
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
    /// A binary DER key file that ends early.
    #[error(
        "the binary DER key is cut short ({detail}): copy the whole file again, byte for byte (not as text)"
    )]
    TruncatedDer {
        /// What ended early.
        detail: String,
    },
    /// An encrypted private key, and no passphrase to open it.
    #[error(
        "this private key is encrypted with a passphrase ({label}): give the passphrase (--key-passphrase-env VAR, or type it when asked)"
    )]
    Encrypted {
        /// The PEM label, or the DER form.
        label: String,
    },
    /// The passphrase given does not open the encrypted key.
    #[error(
        "the passphrase does not open this encrypted private key: check it (it is the one given when the key was encrypted, e.g. to `openssl pkcs8 -topk8`)"
    )]
    WrongPassphrase,
    /// OpenSSL's old PEM encryption (`Proc-Type: 4,ENCRYPTED` and `DEK-Info` headers).
    #[error(
        "this '{label}' is encrypted the old OpenSSL way (Proc-Type: 4,ENCRYPTED), which tokensmith does not open: convert it to encrypted PKCS#8 with `openssl pkcs8 -topk8 -in OLD.pem -out NEW.pem` (it asks for the old passphrase, then the new one) and use NEW.pem"
    )]
    LegacyEncrypted {
        /// The PEM label.
        label: String,
    },
    /// An encrypted PKCS#8 key whose scheme cannot be opened here.
    #[error(
        "this private key is encrypted with a scheme tokensmith does not open ({0}): re-encrypt it with `openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD.pem -out NEW.pem`"
    )]
    Encryption(String),
    /// Binary data that is no key form tokensmith reads.
    #[error(
        "this is binary data but not a key tokensmith reads ({0}): give PEM, JWK, binary DER (PKCS#1, PKCS#8, SPKI, SEC1) or a bare EC point (65, 97 or 133 bytes starting 0x04; compressed 33, 49 or 67)"
    )]
    NotAKey(String),
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

    /// What the key is: its family, and whether it can sign.
    pub fn kind(&self) -> super::alg::KeyKind {
        super::alg::KeyKind { family: self.family(), private: self.can_sign() }
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
        let der = self.signing_der(alg)?;
        Ok(match self {
            KeyMaterial::Hmac(_) => EncodingKey::from_secret(der.expose()),
            KeyMaterial::RsaPrivate { .. } => EncodingKey::from_rsa_der(der.expose()),
            KeyMaterial::EdPrivate { .. } => EncodingKey::from_ed_der(der.expose()),
            _ => EncodingKey::from_ec_der(der.expose()),
        })
    }

    /// The private bytes that sign with `alg` (the secret, PKCS#1 DER for RSA, PKCS#8 DER for
    /// EC and Ed25519); refuses public keys and keys of another family.
    pub(crate) fn signing_der(&self, alg: Alg) -> Result<&Secret, KeyError> {
        self.check_family(alg)?;
        match self {
            KeyMaterial::Hmac(secret) => Ok(secret),
            KeyMaterial::RsaPrivate { pkcs1_der, .. } => Ok(pkcs1_der),
            KeyMaterial::EcPrivate { pkcs8_der, .. } | KeyMaterial::EdPrivate { pkcs8_der, .. } => {
                Ok(pkcs8_der)
            }
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
            let block = pem::pem_blocks(&fixture(file)).expect("blocks");
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
