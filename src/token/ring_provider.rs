//! jsonwebtoken's crypto, backed by ring. Measured (benches/cli.sh and an interleaved
//! whole-process run): aws-lc validated the RSA key on every signature (~2.5 M instructions)
//! and its binary made start-up slower; ring signs RS256-2048 in ~0.7 ms, as jwt-cli does.
//! jsonwebtoken still frames and checks the JWS; only the primitives come from here.

use jsonwebtoken::crypto::{CryptoProvider, JwtSigner, JwtVerifier, KeyUtils};
use jsonwebtoken::errors::Result;
use jsonwebtoken::signature::{self, Signer, Verifier};
use jsonwebtoken::{Algorithm, DecodingKey, DecodingKeyKind, EncodingKey};
use ring::{hmac, rand, signature as sig};
use zeroize::Zeroizing;

/// The provider tokensmith installs before its first signature.
pub static PROVIDER: CryptoProvider = CryptoProvider {
    signer_factory: new_signer,
    verifier_factory: new_verifier,
    key_utils: KeyUtils::new_unimplemented(),
};

/// Installs the provider once per process.
pub fn install() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = PROVIDER.install_default();
    });
}

struct RingSigner {
    alg: Algorithm,
    key: Zeroizing<Vec<u8>>,
}

struct RingVerifier {
    alg: Algorithm,
    key: DecodingKey,
}

fn new_signer(alg: &Algorithm, key: &EncodingKey) -> Result<Box<dyn JwtSigner>> {
    Ok(Box::new(RingSigner { alg: *alg, key: Zeroizing::new(key.as_bytes().to_vec()) }))
}

fn new_verifier(alg: &Algorithm, key: &DecodingKey) -> Result<Box<dyn JwtVerifier>> {
    Ok(Box::new(RingVerifier { alg: *alg, key: key.clone() }))
}

fn failed(e: impl std::fmt::Display) -> signature::Error {
    signature::Error::from_source(e.to_string())
}

fn hmac_alg(alg: Algorithm) -> Option<hmac::Algorithm> {
    match alg {
        Algorithm::HS256 => Some(hmac::HMAC_SHA256),
        Algorithm::HS384 => Some(hmac::HMAC_SHA384),
        Algorithm::HS512 => Some(hmac::HMAC_SHA512),
        _ => None,
    }
}

fn rsa_signing(alg: Algorithm) -> Option<&'static dyn sig::RsaEncoding> {
    Some(match alg {
        Algorithm::RS256 => &sig::RSA_PKCS1_SHA256,
        Algorithm::RS384 => &sig::RSA_PKCS1_SHA384,
        Algorithm::RS512 => &sig::RSA_PKCS1_SHA512,
        Algorithm::PS256 => &sig::RSA_PSS_SHA256,
        Algorithm::PS384 => &sig::RSA_PSS_SHA384,
        Algorithm::PS512 => &sig::RSA_PSS_SHA512,
        _ => return None,
    })
}

fn rsa_verifying(alg: Algorithm) -> Option<&'static sig::RsaParameters> {
    Some(match alg {
        Algorithm::RS256 => &sig::RSA_PKCS1_2048_8192_SHA256,
        Algorithm::RS384 => &sig::RSA_PKCS1_2048_8192_SHA384,
        Algorithm::RS512 => &sig::RSA_PKCS1_2048_8192_SHA512,
        Algorithm::PS256 => &sig::RSA_PSS_2048_8192_SHA256,
        Algorithm::PS384 => &sig::RSA_PSS_2048_8192_SHA384,
        Algorithm::PS512 => &sig::RSA_PSS_2048_8192_SHA512,
        _ => return None,
    })
}

impl Signer<Vec<u8>> for RingSigner {
    fn try_sign(&self, msg: &[u8]) -> std::result::Result<Vec<u8>, signature::Error> {
        let rng = rand::SystemRandom::new();
        if let Some(alg) = hmac_alg(self.alg) {
            return Ok(hmac::sign(&hmac::Key::new(alg, &self.key), msg).as_ref().to_vec());
        }
        if let Some(encoding) = rsa_signing(self.alg) {
            // PKCS#1 RSAPrivateKey DER, as tokensmith's key parsing hands it over.
            let pair = sig::RsaKeyPair::from_der(&self.key).map_err(failed)?;
            let mut out = vec![0; pair.public().modulus_len()];
            pair.sign(encoding, &rng, msg, &mut out).map_err(failed)?;
            return Ok(out);
        }
        match self.alg {
            Algorithm::ES256 | Algorithm::ES384 => {
                let alg = if self.alg == Algorithm::ES256 {
                    &sig::ECDSA_P256_SHA256_FIXED_SIGNING
                } else {
                    &sig::ECDSA_P384_SHA384_FIXED_SIGNING
                };
                let pair = sig::EcdsaKeyPair::from_pkcs8(alg, &self.key, &rng).map_err(failed)?;
                Ok(pair.sign(&rng, msg).map_err(failed)?.as_ref().to_vec())
            }
            Algorithm::EdDSA => {
                let pair = sig::Ed25519KeyPair::from_pkcs8_maybe_unchecked(&self.key).map_err(failed)?;
                Ok(pair.sign(msg).as_ref().to_vec())
            }
            other => Err(failed(format!("{other:?} is not supported"))),
        }
    }
}

impl JwtSigner for RingSigner {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }
}

impl Verifier<Vec<u8>> for RingVerifier {
    fn verify(&self, msg: &[u8], signature: &Vec<u8>) -> std::result::Result<(), signature::Error> {
        let bytes = || self.key.try_get_as_bytes().map_err(failed);
        if let Some(alg) = hmac_alg(self.alg) {
            return hmac::verify(&hmac::Key::new(alg, bytes()?), msg, signature).map_err(failed);
        }
        if let Some(params) = rsa_verifying(self.alg) {
            return match self.key.kind() {
                DecodingKeyKind::RsaModulusExponent { n, e } => {
                    sig::RsaPublicKeyComponents { n, e }.verify(params, msg, signature).map_err(failed)
                }
                DecodingKeyKind::SecretOrDer(der) => {
                    sig::UnparsedPublicKey::new(params, der).verify(msg, signature).map_err(failed)
                }
            };
        }
        let alg: &dyn sig::VerificationAlgorithm = match self.alg {
            Algorithm::ES256 => &sig::ECDSA_P256_SHA256_FIXED,
            Algorithm::ES384 => &sig::ECDSA_P384_SHA384_FIXED,
            Algorithm::EdDSA => &sig::ED25519,
            other => return Err(failed(format!("{other:?} is not supported"))),
        };
        sig::UnparsedPublicKey::new(alg, bytes()?).verify(msg, signature).map_err(failed)
    }
}

impl JwtVerifier for RingVerifier {
    fn algorithm(&self) -> Algorithm {
        self.alg
    }
}
