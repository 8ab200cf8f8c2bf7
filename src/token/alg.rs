//! The JWS algorithms tokensmith signs and verifies, and which keys fit each.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An elliptic curve for ECDSA keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Curve {
    /// NIST P-256 (secp256r1), used by ES256.
    #[serde(rename = "P-256")]
    P256,
    /// NIST P-384 (secp384r1), used by ES384.
    #[serde(rename = "P-384")]
    P384,
    /// NIST P-521 (secp521r1), used by ES512.
    #[serde(rename = "P-521")]
    P521,
}

impl fmt::Display for Curve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::P521 => "P-521",
        })
    }
}

impl Curve {
    /// The length of one coordinate (and of the private scalar), in bytes.
    pub fn field_bytes(self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }

    /// The length of a SEC1 point on it, in bytes: 0x04 || x || y, or 0x02/0x03 || x.
    pub fn point_len(self, compressed: bool) -> usize {
        match (self, compressed) {
            (Curve::P256, false) => 65,
            (Curve::P256, true) => 33,
            (Curve::P384, false) => 97,
            (Curve::P384, true) => 49,
            (Curve::P521, false) => 133,
            (Curve::P521, true) => 67,
        }
    }

    /// Every curve, by size.
    pub const ALL: [Curve; 3] = [Curve::P256, Curve::P384, Curve::P521];
}

/// What kind of key an algorithm needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    /// A shared HMAC secret.
    Hmac,
    /// An RSA key (RS* and PS*).
    Rsa,
    /// An EC key on the given curve.
    Ec(Curve),
    /// An Ed25519 key.
    Ed25519,
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Family::Hmac => f.write_str("an HMAC secret"),
            Family::Rsa => f.write_str("an RSA key"),
            Family::Ec(curve) => write!(f, "an EC {curve} key"),
            Family::Ed25519 => f.write_str("an Ed25519 key"),
        }
    }
}

impl Alg {
    /// The length of a signature, in bytes, where the algorithm fixes it (not RSA, whose
    /// length is the key's).
    pub fn signature_len(self) -> Option<usize> {
        match self {
            Alg::HS256 => Some(32),
            Alg::HS384 => Some(48),
            Alg::HS512 => Some(64),
            Alg::ES256 => Some(64),
            Alg::ES384 => Some(96),
            Alg::ES512 => Some(132),
            Alg::EdDSA => Some(64),
            _ => None,
        }
    }
}

impl Family {
    /// What a vendor that signs with this family asks the customer for: "HMAC secret",
    /// "RSA key pair".
    pub fn key_pair_name(self) -> &'static str {
        match self {
            Family::Hmac => "HMAC secret",
            Family::Rsa => "RSA key pair",
            Family::Ec(Curve::P256) => "EC P-256 key pair",
            Family::Ec(Curve::P384) => "EC P-384 key pair",
            Family::Ec(Curve::P521) => "EC P-521 key pair",
            Family::Ed25519 => "Ed25519 key pair",
        }
    }

    /// The profile file's name for it (`key_kind = "rsa-key-pair"`).
    pub fn key_pair_id(self) -> &'static str {
        match self {
            Family::Hmac => "hmac-secret",
            Family::Rsa => "rsa-key-pair",
            Family::Ec(Curve::P256) => "ec-p256-key-pair",
            Family::Ec(Curve::P384) => "ec-p384-key-pair",
            Family::Ec(Curve::P521) => "ec-p521-key-pair",
            Family::Ed25519 => "ed25519-key-pair",
        }
    }

    /// Every family.
    pub const ALL: [Family; 6] = [
        Family::Hmac,
        Family::Rsa,
        Family::Ec(Curve::P256),
        Family::Ec(Curve::P384),
        Family::Ec(Curve::P521),
        Family::Ed25519,
    ];
}

/// The one key model: a key's family and whether it holds the private part (which signs; an
/// HMAC secret always does) or only the public one. Stored entries, parsed keys and the
/// workbench all describe a key with it, so no two `match`es can disagree about what a key is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeyKind {
    /// Which algorithms it serves.
    pub family: Family,
    /// Whether it can sign.
    pub private: bool,
}

impl KeyKind {
    /// An HMAC secret.
    pub const HMAC_SECRET: KeyKind = KeyKind { family: Family::Hmac, private: true };
    /// An RSA private key (and so its public key).
    pub const RSA_PRIVATE: KeyKind = KeyKind { family: Family::Rsa, private: true };
    /// An RSA public key only.
    pub const RSA_PUBLIC: KeyKind = KeyKind { family: Family::Rsa, private: false };
    /// An EC P-256 private key.
    pub const EC_P256_PRIVATE: KeyKind = KeyKind { family: Family::Ec(Curve::P256), private: true };
    /// An EC P-256 public key only.
    pub const EC_P256_PUBLIC: KeyKind = KeyKind { family: Family::Ec(Curve::P256), private: false };
    /// An EC P-384 private key.
    pub const EC_P384_PRIVATE: KeyKind = KeyKind { family: Family::Ec(Curve::P384), private: true };
    /// An EC P-384 public key only.
    pub const EC_P384_PUBLIC: KeyKind = KeyKind { family: Family::Ec(Curve::P384), private: false };
    /// An EC P-521 private key.
    pub const EC_P521_PRIVATE: KeyKind = KeyKind { family: Family::Ec(Curve::P521), private: true };
    /// An EC P-521 public key only.
    pub const EC_P521_PUBLIC: KeyKind = KeyKind { family: Family::Ec(Curve::P521), private: false };
    /// An Ed25519 private key.
    pub const ED25519_PRIVATE: KeyKind = KeyKind { family: Family::Ed25519, private: true };
    /// An Ed25519 public key only.
    pub const ED25519_PUBLIC: KeyKind = KeyKind { family: Family::Ed25519, private: false };

    /// True for keys that can sign.
    pub fn can_sign(self) -> bool {
        self.private
    }

    /// The key family: which algorithms it serves.
    pub fn family(self) -> Family {
        self.family
    }

    /// The name in the store file (`rsa-private`).
    pub fn id(self) -> String {
        let family = match self.family {
            Family::Hmac => return "hmac-secret".to_string(),
            Family::Rsa => "rsa",
            Family::Ec(Curve::P256) => "ec-p256",
            Family::Ec(Curve::P384) => "ec-p384",
            Family::Ec(Curve::P521) => "ec-p521",
            Family::Ed25519 => "ed25519",
        };
        format!("{family}-{}", if self.private { "private" } else { "public" })
    }

    /// The kind with this store-file name.
    pub fn from_id(id: &str) -> Option<KeyKind> {
        Family::ALL
            .into_iter()
            .flat_map(|family| [KeyKind { family, private: true }, KeyKind { family, private: false }])
            .filter(|k| k.family != Family::Hmac || k.private)
            .find(|k| k.id() == id)
    }
}

impl fmt::Display for KeyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let part = if self.private { "private key" } else { "public key" };
        match self.family {
            Family::Hmac => f.write_str("HMAC secret"),
            Family::Rsa => write!(f, "RSA {part}"),
            Family::Ec(curve) => write!(f, "EC {curve} {part}"),
            Family::Ed25519 => write!(f, "Ed25519 {part}"),
        }
    }
}

impl Serialize for KeyKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.id())
    }
}

impl<'de> Deserialize<'de> for KeyKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let id = String::deserialize(d)?;
        KeyKind::from_id(&id).ok_or_else(|| serde::de::Error::custom(format!("unknown key kind '{id}'")))
    }
}

/// A JWS `alg` value that tokensmith can sign and verify.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Alg {
    /// HMAC with SHA-256.
    HS256,
    /// HMAC with SHA-384.
    HS384,
    /// HMAC with SHA-512.
    HS512,
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    RS256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    RS384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    RS512,
    /// RSASSA-PSS with SHA-256.
    PS256,
    /// RSASSA-PSS with SHA-384.
    PS384,
    /// RSASSA-PSS with SHA-512.
    PS512,
    /// ECDSA on P-256 with SHA-256.
    ES256,
    /// ECDSA on P-384 with SHA-384.
    ES384,
    /// ECDSA on P-521 with SHA-512.
    ES512,
    /// Ed25519 (RFC 8037).
    EdDSA,
}

impl Alg {
    /// Every supported algorithm, in the order help texts list them.
    pub const ALL: [Alg; 13] = [
        Alg::HS256,
        Alg::HS384,
        Alg::HS512,
        Alg::RS256,
        Alg::RS384,
        Alg::RS512,
        Alg::PS256,
        Alg::PS384,
        Alg::PS512,
        Alg::ES256,
        Alg::ES384,
        Alg::ES512,
        Alg::EdDSA,
    ];

    /// The `alg` header value.
    pub fn name(self) -> &'static str {
        match self {
            Alg::HS256 => "HS256",
            Alg::HS384 => "HS384",
            Alg::HS512 => "HS512",
            Alg::RS256 => "RS256",
            Alg::RS384 => "RS384",
            Alg::RS512 => "RS512",
            Alg::PS256 => "PS256",
            Alg::PS384 => "PS384",
            Alg::PS512 => "PS512",
            Alg::ES256 => "ES256",
            Alg::ES384 => "ES384",
            Alg::ES512 => "ES512",
            Alg::EdDSA => "EdDSA",
        }
    }

    /// The kind of key this algorithm needs.
    pub fn family(self) -> Family {
        match self {
            Alg::HS256 | Alg::HS384 | Alg::HS512 => Family::Hmac,
            Alg::RS256 | Alg::RS384 | Alg::RS512 | Alg::PS256 | Alg::PS384 | Alg::PS512 => Family::Rsa,
            Alg::ES256 => Family::Ec(Curve::P256),
            Alg::ES384 => Family::Ec(Curve::P384),
            Alg::ES512 => Family::Ec(Curve::P521),
            Alg::EdDSA => Family::Ed25519,
        }
    }

    /// For HMAC, the shortest secret RFC 7518 section 3.2 allows: as many bytes as the hash.
    pub fn min_secret_bytes(self) -> Option<usize> {
        match self {
            Alg::HS256 => Some(32),
            Alg::HS384 => Some(48),
            Alg::HS512 => Some(64),
            _ => None,
        }
    }

    /// The algorithms of a family, strongest last.
    pub fn of_family(family: Family) -> Vec<Alg> {
        Alg::ALL.into_iter().filter(|alg| alg.family() == family).collect()
    }

    /// jsonwebtoken's name for it; None for ES512, which jsonwebtoken does not know (it is
    /// signed and verified in `token::es512`).
    pub(crate) fn to_jsonwebtoken(self) -> Option<jsonwebtoken::Algorithm> {
        use jsonwebtoken::Algorithm as J;
        Some(match self {
            Alg::HS256 => J::HS256,
            Alg::HS384 => J::HS384,
            Alg::HS512 => J::HS512,
            Alg::RS256 => J::RS256,
            Alg::RS384 => J::RS384,
            Alg::RS512 => J::RS512,
            Alg::PS256 => J::PS256,
            Alg::PS384 => J::PS384,
            Alg::PS512 => J::PS512,
            Alg::ES256 => J::ES256,
            Alg::ES384 => J::ES384,
            Alg::ES512 => return None,
            Alg::EdDSA => J::EdDSA,
        })
    }
}

impl fmt::Display for Alg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An `alg` name tokensmith does not support.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown algorithm '{0}': use one of HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA"
)]
pub struct UnknownAlg(pub String);

impl FromStr for Alg {
    type Err = UnknownAlg;

    /// Exact names, as in a token header.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Alg::ALL.into_iter().find(|alg| alg.name() == s).ok_or_else(|| UnknownAlg(s.to_string()))
    }
}

impl Alg {
    /// Parses a name a person typed: case does not matter (`hs256`, `eddsa`).
    pub fn parse_loose(s: &str) -> Result<Self, UnknownAlg> {
        Alg::ALL
            .into_iter()
            .find(|alg| alg.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownAlg(s.to_string()))
    }
}

impl TryFrom<String> for Alg {
    type Error = UnknownAlg;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<Alg> for String {
    fn from(alg: Alg) -> Self {
        alg.name().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_header_names_are_exact() {
        for alg in Alg::ALL {
            assert_eq!(alg.name().parse::<Alg>(), Ok(alg));
        }
        assert!("hs256".parse::<Alg>().is_err());
        assert_eq!(Alg::parse_loose("hs256"), Ok(Alg::HS256));
        assert_eq!(Alg::parse_loose("eddsa"), Ok(Alg::EdDSA));
        assert!(Alg::parse_loose("none").is_err());
    }

    #[test]
    fn families_group_the_algorithms() {
        assert_eq!(Alg::of_family(Family::Hmac), vec![Alg::HS256, Alg::HS384, Alg::HS512]);
        assert_eq!(Alg::of_family(Family::Ec(Curve::P384)), vec![Alg::ES384]);
        assert_eq!(Alg::of_family(Family::Rsa).len(), 6);
    }
}

#[cfg(test)]
mod key_kind_tests {
    use super::*;

    #[test]
    fn one_key_model_keeps_the_store_file_names() {
        // The names keys.json has always used (the store format does not change).
        let names = [
            (KeyKind::HMAC_SECRET, "hmac-secret"),
            (KeyKind::RSA_PRIVATE, "rsa-private"),
            (KeyKind::RSA_PUBLIC, "rsa-public"),
            (KeyKind::EC_P256_PRIVATE, "ec-p256-private"),
            (KeyKind::EC_P256_PUBLIC, "ec-p256-public"),
            (KeyKind::EC_P384_PRIVATE, "ec-p384-private"),
            (KeyKind::EC_P384_PUBLIC, "ec-p384-public"),
            (KeyKind::EC_P521_PRIVATE, "ec-p521-private"),
            (KeyKind::EC_P521_PUBLIC, "ec-p521-public"),
            (KeyKind::ED25519_PRIVATE, "ed25519-private"),
            (KeyKind::ED25519_PUBLIC, "ed25519-public"),
        ];
        for (kind, id) in names {
            assert_eq!(kind.id(), id);
            assert_eq!(KeyKind::from_id(id), Some(kind));
            assert_eq!(serde_json::to_string(&kind).ok(), Some(format!("\"{id}\"")));
        }
        assert_eq!(KeyKind::from_id("hmac-public"), None, "a secret has no public half");
        assert_eq!(KeyKind::RSA_PUBLIC.to_string(), "RSA public key");
        assert!(!KeyKind::ED25519_PUBLIC.can_sign());
        assert_eq!(Family::Ec(Curve::P384).key_pair_id(), "ec-p384-key-pair");
    }
}
