//! Exporting keys: SPKI PEM (what `openssl rsa -pubout` makes), JWK and JWKS with an RFC 7638
//! thumbprint as `kid`. Private parts only when asked.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rsa::pkcs1::DecodeRsaPrivateKey as _;
use rsa::pkcs8::der::pem::LineEnding;
use rsa::pkcs8::{DecodePrivateKey as _, EncodePrivateKey as _, EncodePublicKey as _};
use rsa::traits::{PrivateKeyParts as _, PublicKeyParts as _};
use serde_json::{Map, Value, json};
use sha2::Digest as _;
use zeroize::Zeroizing;

use crate::token::{Curve, KeyError, KeyMaterial};

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn invalid(what: &str, e: impl std::fmt::Display) -> KeyError {
    KeyError::Invalid { format: crate::token::KeyFormat::Pkcs8, reason: format!("{what}: {e}") }
}

fn rsa_private(pkcs1_der: &[u8]) -> Result<rsa::RsaPrivateKey, KeyError> {
    rsa::RsaPrivateKey::from_pkcs1_der(pkcs1_der).map_err(|e| invalid("RSA key", e))
}

/// The key as PEM: PKCS#8 for private keys (when `private`), SPKI for public keys.
pub fn pem(material: &KeyMaterial, private: bool) -> Result<Zeroizing<String>, KeyError> {
    let lf = LineEnding::LF;
    if private {
        return match material {
            KeyMaterial::Hmac(_) => Err(KeyError::Unsupported(
                "an HMAC secret has no PEM form: export it as a JWK (--format jwk --private) or show it with `keys show --reveal`".into(),
            )),
            KeyMaterial::RsaPrivate { pkcs1_der, .. } => {
                rsa_private(pkcs1_der.expose())?.to_pkcs8_pem(lf).map_err(|e| invalid("RSA key", e))
            }
            KeyMaterial::EcPrivate { pkcs8_der, .. } | KeyMaterial::EdPrivate { pkcs8_der, .. } => {
                rsa::pkcs8::der::pem::encode_string("PRIVATE KEY", lf, pkcs8_der.expose())
                    .map(Zeroizing::new)
                    .map_err(|e| invalid("key", e))
            }
            public => pem(public, false),
        };
    }
    let text = match material.public() {
        KeyMaterial::Hmac(_) => {
            return Err(KeyError::Unsupported(
                "an HMAC secret has no public key: the vendor and you share the secret itself".into(),
            ));
        }
        KeyMaterial::RsaPublic { n, e } => {
            rsa::RsaPublicKey::new(rsa::BigUint::from_bytes_be(&n), rsa::BigUint::from_bytes_be(&e))
                .map_err(|err| invalid("RSA public key", err))?
                .to_public_key_pem(lf)
        }
        KeyMaterial::EcPublic { curve: Curve::P256, point } => p256::PublicKey::from_sec1_bytes(&point)
            .map_err(|e| invalid("P-256 point", e))?
            .to_public_key_pem(lf),
        KeyMaterial::EcPublic { curve: Curve::P384, point } => p384::PublicKey::from_sec1_bytes(&point)
            .map_err(|e| invalid("P-384 point", e))?
            .to_public_key_pem(lf),
        KeyMaterial::EcPublic { curve: Curve::P521, point } => p521::PublicKey::from_sec1_bytes(&point)
            .map_err(|e| invalid("P-521 point", e))?
            .to_public_key_pem(lf),
        KeyMaterial::EdPublic { public } => {
            let bytes: [u8; 32] =
                public.as_slice().try_into().map_err(|_| invalid("Ed25519 key", "not 32 bytes"))?;
            ed25519_dalek::VerifyingKey::from_bytes(&bytes)
                .map_err(|e| invalid("Ed25519 key", e))?
                .to_public_key_pem(lf)
        }
        _ => unreachable!("public() returns public keys"),
    };
    text.map(Zeroizing::new).map_err(|e| invalid("public key", e))
}

fn ec_xy(point: &[u8]) -> (&[u8], &[u8]) {
    let coords = point.get(1..).unwrap_or_default();
    coords.split_at(coords.len() / 2)
}

/// The RFC 7638 members of the public JWK, in lexicographic order.
fn thumbprint_members(material: &KeyMaterial) -> Map<String, Value> {
    let mut m = Map::new();
    match material.public() {
        KeyMaterial::Hmac(secret) => {
            m.insert("k".into(), json!(b64(secret.expose())));
            m.insert("kty".into(), json!("oct"));
        }
        KeyMaterial::RsaPublic { n, e } => {
            m.insert("e".into(), json!(b64(&e)));
            m.insert("kty".into(), json!("RSA"));
            m.insert("n".into(), json!(b64(&n)));
        }
        KeyMaterial::EcPublic { curve, point } => {
            let (x, y) = ec_xy(&point);
            m.insert("crv".into(), json!(curve.to_string()));
            m.insert("kty".into(), json!("EC"));
            m.insert("x".into(), json!(b64(x)));
            m.insert("y".into(), json!(b64(y)));
        }
        KeyMaterial::EdPublic { public } => {
            m.insert("crv".into(), json!("Ed25519"));
            m.insert("kty".into(), json!("OKP"));
            m.insert("x".into(), json!(b64(&public)));
        }
        _ => {}
    }
    m
}

/// The RFC 7638 JWK thumbprint (SHA-256, base64url) of the key's public part.
pub fn thumbprint(material: &KeyMaterial) -> String {
    let canonical = Value::Object(thumbprint_members(material)).to_string();
    b64(&sha2::Sha256::digest(canonical.as_bytes()))
}

/// The key as a JWK: public members, `kid` (given, else the thumbprint), `use` and `alg` when
/// known; with `private`, the private members too. An HMAC secret needs `private`.
pub fn jwk(
    material: &KeyMaterial,
    kid: Option<&str>,
    alg: Option<&str>,
    private: bool,
) -> Result<Map<String, Value>, KeyError> {
    if matches!(material, KeyMaterial::Hmac(_)) && !private {
        return Err(KeyError::Unsupported(
            "an HMAC secret has no public JWK: add --private to export the secret itself (kty oct)".into(),
        ));
    }
    let mut jwk = Map::new();
    let members = thumbprint_members(material);
    jwk.insert("kty".into(), members.get("kty").cloned().unwrap_or(Value::Null));
    for (k, v) in &members {
        if k != "kty" {
            jwk.insert(k.clone(), v.clone());
        }
    }
    if private {
        match material {
            KeyMaterial::RsaPrivate { pkcs1_der, .. } => {
                let mut key = rsa_private(pkcs1_der.expose())?;
                key.precompute().map_err(|e| invalid("RSA key", e))?;
                let primes = key.primes();
                jwk.insert("d".into(), json!(b64(&key.d().to_bytes_be())));
                if let [p, q] = primes {
                    jwk.insert("p".into(), json!(b64(&p.to_bytes_be())));
                    jwk.insert("q".into(), json!(b64(&q.to_bytes_be())));
                }
                if let (Some(dp), Some(dq)) = (key.dp(), key.dq()) {
                    jwk.insert("dp".into(), json!(b64(&dp.to_bytes_be())));
                    jwk.insert("dq".into(), json!(b64(&dq.to_bytes_be())));
                }
                if let Some(qi) = key.crt_coefficient() {
                    jwk.insert("qi".into(), json!(b64(&qi.to_bytes_be())));
                }
                let _ = key.n();
            }
            KeyMaterial::EcPrivate { curve, pkcs8_der, .. } => {
                let d = match curve {
                    Curve::P256 => p256::SecretKey::from_pkcs8_der(pkcs8_der.expose())
                        .map_err(|e| invalid("EC key", e))?
                        .to_bytes()
                        .to_vec(),
                    Curve::P384 => p384::SecretKey::from_pkcs8_der(pkcs8_der.expose())
                        .map_err(|e| invalid("EC key", e))?
                        .to_bytes()
                        .to_vec(),
                    Curve::P521 => p521::SecretKey::from_pkcs8_der(pkcs8_der.expose())
                        .map_err(|e| invalid("EC key", e))?
                        .to_bytes()
                        .to_vec(),
                };
                jwk.insert("d".into(), json!(b64(&Zeroizing::new(d))));
            }
            KeyMaterial::EdPrivate { pkcs8_der, .. } => {
                let key = ed25519_dalek::SigningKey::from_pkcs8_der(pkcs8_der.expose())
                    .map_err(|e| invalid("Ed25519 key", e))?;
                jwk.insert("d".into(), json!(b64(Zeroizing::new(key.to_bytes()).as_slice())));
            }
            _ => {}
        }
    }
    // An HMAC secret's thumbprint is an unsalted SHA-256 of the secret: a weak secret could be
    // found from it offline, so it never becomes a kid by default.
    let kid = kid
        .map(str::to_string)
        .or_else(|| (material.family() != crate::token::Family::Hmac).then(|| thumbprint(material)));
    if let Some(kid) = kid {
        jwk.insert("kid".into(), json!(kid));
    }
    jwk.insert("use".into(), json!("sig"));
    if let Some(alg) = alg {
        jwk.insert("alg".into(), json!(alg));
    }
    Ok(jwk)
}

/// A JWKS holding the key's JWK.
pub fn jwks(
    material: &KeyMaterial,
    kid: Option<&str>,
    alg: Option<&str>,
    private: bool,
) -> Result<Value, KeyError> {
    Ok(json!({ "keys": [Value::Object(jwk(material, kid, alg, private)?)] }))
}

/// A key as the JWK a vendor takes (`keys export --format jwk`, the workbench's `E`): its kid,
/// its first algorithm, and for an RSA key pair `x5c`, a self-signed certificate of its public
/// key made now with subject `CN=<subject>` (Salesforce's keysets take a JWK only with one).
pub fn vendor_jwk(
    material: &KeyMaterial,
    kid: Option<&str>,
    subject: &str,
    now: i64,
    private: bool,
) -> Result<Map<String, Value>, KeyError> {
    let alg = material.algorithms().first().map(|a| a.name());
    let mut jwk = jwk(material, kid, alg, private)?;
    if material.can_sign() && material.family() == crate::token::Family::Rsa {
        let cert = self_signed_certificate(material, subject, now, CERTIFICATE_DAYS)?;
        jwk.insert("x5c".into(), Value::from(vec![cert]));
    }
    Ok(jwk)
}

/// How long the self-signed certificate in a JWK's `x5c` is valid: a year (Salesforce's
/// keysets want at least 10 days left).
pub const CERTIFICATE_DAYS: u32 = 365;

fn x509_time(unix: i64) -> Result<x509_cert::time::Time, KeyError> {
    use x509_cert::der::asn1::{GeneralizedTime, UtcTime};
    let secs = u64::try_from(unix).map_err(|e| invalid("certificate time", e))?;
    let since = std::time::Duration::from_secs(secs);
    // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
    match UtcTime::from_unix_duration(since) {
        Ok(t) if t.to_date_time().year() < 2050 => Ok(t.into()),
        _ => GeneralizedTime::from_unix_duration(since)
            .map(Into::into)
            .map_err(|e| invalid("certificate time", e)),
    }
}

/// A self-signed X.509 certificate (DER, base64: the form of a JWK's `x5c` member) for an RSA
/// private key, with subject `CN=<name>`, valid from `now` for `days` days, signed with
/// SHA-256. Vendors that take a JWK only with a certificate (Salesforce) get one this way.
pub fn self_signed_certificate(
    material: &KeyMaterial,
    name: &str,
    now: i64,
    days: u32,
) -> Result<String, KeyError> {
    use std::str::FromStr as _;
    use x509_cert::builder::{Builder as _, CertificateBuilder, Profile};
    use x509_cert::der::Encode as _;
    let KeyMaterial::RsaPrivate { pkcs1_der, .. } = material else {
        return Err(KeyError::Unsupported(
            "a certificate is made for an RSA private key only: the key signs its own certificate".into(),
        ));
    };
    let key = rsa_private(pkcs1_der.expose())?;
    let spki_der = key.to_public_key().to_public_key_der().map_err(|e| invalid("RSA public key", e))?;
    let spki = x509_cert::spki::SubjectPublicKeyInfoOwned::try_from(spki_der.as_bytes())
        .map_err(|e| invalid("RSA public key", e))?;
    // Store names are letters, digits, '-', '_' and '.', none of which RFC 4514 escapes; any
    // other character is dropped rather than escaped.
    let cn: String =
        name.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).collect();
    let cn = if cn.is_empty() { "tokensmith".to_string() } else { cn };
    let subject = x509_cert::name::Name::from_str(&format!("CN={cn}"))
        .map_err(|e| invalid("certificate subject", e))?;
    let until = i64::from(days).checked_mul(86_400).and_then(|d| now.checked_add(d)).ok_or_else(|| {
        KeyError::Unsupported(format!("a certificate valid {days} days from {now} is past any date"))
    })?;
    let validity = x509_cert::time::Validity { not_before: x509_time(now)?, not_after: x509_time(until)? };
    // A positive 16-byte random serial (RFC 5280 §4.1.2.2: at most 20 octets, unique per issuer).
    let mut serial = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut serial);
    if let Some(first) = serial.first_mut() {
        *first = (*first & 0x7f) | 0x01;
    }
    let serial =
        x509_cert::serial_number::SerialNumber::new(&serial).map_err(|e| invalid("certificate serial", e))?;
    let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key);
    let builder = CertificateBuilder::new(Profile::Root, serial, validity, subject, spki, &signer)
        .map_err(|e| invalid("certificate", e))?;
    let cert = builder.build::<rsa::pkcs1v15::Signature>().map_err(|e| invalid("certificate", e))?;
    let der = cert.to_der().map_err(|e| invalid("certificate", e))?;
    Ok(base64::engine::general_purpose::STANDARD.encode(der))
}
