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
}

impl fmt::Display for Curve {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
        })
    }
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
    /// Ed25519 (RFC 8037).
    EdDSA,
}

impl Alg {
    /// Every supported algorithm, in the order help texts list them.
    pub const ALL: [Alg; 12] = [
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

    pub(crate) fn to_jsonwebtoken(self) -> jsonwebtoken::Algorithm {
        use jsonwebtoken::Algorithm as J;
        match self {
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
            Alg::EdDSA => J::EdDSA,
        }
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
    "unknown algorithm '{0}': use one of HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, EdDSA"
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
