//! ES512 (ECDSA on P-521 with SHA-512, RFC 7518 section 3.4): jsonwebtoken and ring have no
//! P-521, so RustCrypto's `p521` signs and verifies it. The signature is r || s, 66 bytes each.
//! Signing is deterministic (RFC 6979), as p256/p384 in RustCrypto are.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use p521::ecdsa::signature::{Signer as _, Verifier as _};
use p521::ecdsa::{Signature, SigningKey, VerifyingKey};
use p521::pkcs8::DecodePrivateKey as _;

use super::{KeyMaterial, SignError};

/// Signs `msg` with a P-521 private key (its PKCS#8 DER), returning r || s.
pub(super) fn sign(msg: &[u8], key: &KeyMaterial) -> Result<Vec<u8>, SignError> {
    let der = key.signing_der(super::Alg::ES512)?;
    let secret =
        p521::SecretKey::from_pkcs8_der(der.expose()).map_err(|e| SignError::Backend(e.to_string()))?;
    let signing =
        SigningKey::from_bytes(&secret.to_bytes()).map_err(|e| SignError::Backend(e.to_string()))?;
    let signature: Signature = signing.sign(msg);
    Ok(signature.to_bytes().to_vec())
}

/// Checks a base64url r || s signature over `msg`; false for a key of another kind or a
/// signature of the wrong length.
pub(super) fn verify(msg: &[u8], signature_b64: &str, key: &KeyMaterial) -> bool {
    let KeyMaterial::EcPublic { curve: super::Curve::P521, point } = key.public() else {
        return false;
    };
    let Ok(bytes) = URL_SAFE_NO_PAD.decode(signature_b64) else {
        return false;
    };
    let (Ok(verifying), Ok(signature)) =
        (VerifyingKey::from_sec1_bytes(&point), Signature::from_slice(&bytes))
    else {
        return false;
    };
    verifying.verify(msg, &signature).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::{Alg, KeyHint, read_key, sign_input, verify_input};

    fn key(name: &str) -> KeyMaterial {
        let path = format!("{}/tests/fixtures/keys/{name}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        read_key(&bytes, &KeyHint { alg: Some(Alg::ES512), passphrase: None }).expect("key").material
    }

    /// r || s of 66 bytes each; the public key in every form verifies it, another input or
    /// key does not.
    #[test]
    fn es512_signs_r_s_and_verifies_with_every_public_form() {
        let private = key("ec-p521-sec1.pem");
        let signature = sign_input("e30.e30", &private, Alg::ES512).expect("signs");
        assert_eq!(URL_SAFE_NO_PAD.decode(&signature).expect("base64url").len(), 132);
        for public in ["ec-p521-pub.pem", "ec-p521-point.bin", "ec-p521-pkcs8.pem"] {
            assert!(verify_input("e30.e30", &signature, &key(public), Alg::ES512), "{public}");
        }
        assert!(!verify_input("e30.e31", &signature, &key("ec-p521-pub.pem"), Alg::ES512));
        assert!(!verify_input("e30.e30", &signature, &key("ec-p384-pub.pem"), Alg::ES512));
        assert!(sign_input("e30.e30", &key("ec-p521-pub.pem"), Alg::ES512).is_err());
        assert!(sign_input("e30.e30", &key("ec-p384-pkcs8.pem"), Alg::ES512).is_err());
    }
}
