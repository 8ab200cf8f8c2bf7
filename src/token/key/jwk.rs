//! JSON Web Keys (RFC 7517): oct, RSA, EC and OKP (Ed25519), public or private.

use super::der::*;
use super::*;

pub(super) fn jwk_field(
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

pub(super) fn jwk_required(
    jwk: &serde_json::Map<String, serde_json::Value>,
    name: &str,
    kty: &str,
) -> Result<zeroize::Zeroizing<Vec<u8>>, KeyError> {
    jwk_field(jwk, name)?.ok_or_else(|| KeyError::BadJwk(format!("an {kty} JWK needs '{name}'")))
}

/// Reads a JSON Web Key (RFC 7517): `oct`, `RSA`, `EC` (P-256, P-384) or `OKP` (Ed25519),
/// public or private. A JWKS holding exactly one key is read as that key.
pub fn parse_jwk(text: &str) -> Result<ParsedKey, KeyError> {
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
                // Verifying chooses among them (--jwks, or --key-file in verify and doctor);
                // storing or signing takes one, by kid.
                let kids: Vec<String> = other
                    .iter()
                    .filter_map(|k| k.get("kid")?.as_str())
                    .map(|k| crate::text::inline(k).into_owned())
                    .collect();
                return Err(KeyError::BadJwk(format!(
                    "this JWKS holds {} keys (kids: {}): to verify, pass it with --jwks; to store one, `tokensmith keys import NAME FILE --kid KID`",
                    other.len(),
                    if kids.is_empty() { "none".to_string() } else { kids.join(", ") }
                )));
            }
        }
    }
    let kid = jwk.get("kid").and_then(|k| k.as_str()).map(str::to_string);
    let kty = jwk.get("kty").and_then(|k| k.as_str()).unwrap_or_default().to_string();
    let material = match kty.as_str() {
        "oct" => KeyMaterial::hmac(Secret::new(jwk_required(&jwk, "k", "oct")?.to_vec()))?,
        "RSA" => rsa_jwk(&jwk)?,
        "EC" => ec_jwk(&jwk)?,
        "OKP" => okp_jwk(&jwk)?,
        "" => return Err(KeyError::BadJwk("it has no 'kty'".to_string())),
        other => return Err(KeyError::Unsupported(format!("JWK kty '{other}'"))),
    };
    Ok(ParsedKey { material, format: KeyFormat::Jwk, kid })
}

/// An `RSA` JWK: public (`n`, `e`) or private (with `d`, `p`, `q`).
fn rsa_jwk(jwk: &serde_json::Map<String, serde_json::Value>) -> Result<KeyMaterial, KeyError> {
    use rsa::pkcs1::EncodeRsaPrivateKey as _;
    use rsa::traits::PublicKeyParts as _;
    let n = jwk_required(jwk, "n", "RSA")?;
    let e = jwk_required(jwk, "e", "RSA")?;
    Ok(match jwk_field(jwk, "d")? {
        None => {
            // Checked here, so a bad modulus is named as the JWK's 'n', not as a key
            // format the user never gave.
            let big = rsa::BigUint::from_bytes_be;
            rsa::RsaPublicKey::new(big(&n), big(&e)).map_err(|err| {
            KeyError::BadJwk(format!(
                "its 'n' ({} bytes) and 'e' do not form an RSA public key: {err}; copy the JWK again from its source",
                strip_zeros(n.to_vec()).len()
            ))
        })?;
            KeyMaterial::RsaPublic { n: strip_zeros(n.to_vec()), e: strip_zeros(e.to_vec()) }
        }
        Some(d) => {
            let big = rsa::BigUint::from_bytes_be;
            let primes: Vec<rsa::BigUint> =
                [jwk_field(jwk, "p")?, jwk_field(jwk, "q")?].into_iter().flatten().map(|b| big(&b)).collect();
            let key = rsa::RsaPrivateKey::from_components(big(&n), big(&e), big(&d), primes)
                .map_err(|err| KeyError::BadJwk(format!("the RSA parameters do not form a key: {err}")))?;
            let der = key
                .to_pkcs1_der()
                .map_err(|err| KeyError::BadJwk(format!("cannot encode the RSA key: {err}")))?;
            KeyMaterial::RsaPrivate {
                pkcs1_der: Secret::new(der.as_bytes().to_vec()),
                n: key.n().to_bytes_be(),
                e: key.e().to_bytes_be(),
            }
        }
    })
}

/// An `EC` JWK on P-256 or P-384: public (`x`, `y`) or private (`d`).
fn ec_jwk(jwk: &serde_json::Map<String, serde_json::Value>) -> Result<KeyMaterial, KeyError> {
    let curve = match jwk.get("crv").and_then(|c| c.as_str()) {
        Some("P-256") => Curve::P256,
        Some("P-384") => Curve::P384,
        Some("P-521") => Curve::P521,
        other => {
            return Err(KeyError::Unsupported(format!(
                "EC curve {}: use P-256 (ES256), P-384 (ES384) or P-521 (ES512)",
                other.unwrap_or("(missing crv)")
            )));
        }
    };
    Ok(match jwk_field(jwk, "d")? {
        Some(d) => {
            let invalid =
                |e: &dyn fmt::Display| KeyError::BadJwk(format!("'d' is not a {curve} private key: {e}"));
            let pkcs8 = match curve {
                Curve::P256 => p256::SecretKey::from_slice(&d).map_err(|e| invalid(&e))?.to_pkcs8_der(),
                Curve::P384 => p384::SecretKey::from_slice(&d).map_err(|e| invalid(&e))?.to_pkcs8_der(),
                Curve::P521 => p521::SecretKey::from_slice(&d).map_err(|e| invalid(&e))?.to_pkcs8_der(),
            }
            .map_err(|e| invalid(&e))?;
            ec_private_from_pkcs8(curve, pkcs8.as_bytes(), "JWK")?
        }
        None => {
            let mut point = vec![0x04];
            point.extend(jwk_required(jwk, "x", "EC")?.iter());
            point.extend(jwk_required(jwk, "y", "EC")?.iter());
            KeyMaterial::EcPublic { curve, point }
        }
    })
}

/// An `OKP` JWK: Ed25519, public (`x`) or private (`d`, checked against `x`).
fn okp_jwk(jwk: &serde_json::Map<String, serde_json::Value>) -> Result<KeyMaterial, KeyError> {
    if jwk.get("crv").and_then(|c| c.as_str()) != Some("Ed25519") {
        return Err(KeyError::Unsupported("OKP keys other than Ed25519".to_string()));
    }
    let x = jwk_required(jwk, "x", "OKP")?;
    Ok(match jwk_field(jwk, "d")? {
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
    })
}
