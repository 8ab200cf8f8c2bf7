//! DER: PKCS#1, PKCS#8, SEC1 and SPKI key structures, and what their parse errors mean.

use super::*;
/// The DER error inside a parser's error, when there is one: its kind says whether the data
/// was cut short, without reading the message text.
pub(super) trait DerCause: fmt::Display {
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

pub(super) fn der_error(label: &str, format: KeyFormat, err: impl DerCause) -> KeyError {
    use rsa::pkcs8::der::ErrorKind;
    match err.der_kind() {
        Some(ErrorKind::Incomplete { .. } | ErrorKind::Length { .. }) if label == super::read::DER_LABEL => {
            KeyError::TruncatedDer { detail: format!("the key data ends early: {err}") }
        }
        Some(ErrorKind::Incomplete { .. } | ErrorKind::Length { .. }) => KeyError::Truncated {
            label: label.to_string(),
            detail: format!("the key data ends early: {err}"),
        },
        _ => KeyError::Invalid { format, reason: err.to_string() },
    }
}

pub(super) fn rsa_private_from_pkcs1(der: &[u8], label: &str) -> Result<KeyMaterial, KeyError> {
    let key = rsa::pkcs1::RsaPrivateKey::from_der(der).map_err(|e| der_error(label, KeyFormat::Pkcs1, e))?;
    Ok(KeyMaterial::RsaPrivate {
        n: key.modulus.as_bytes().to_vec(),
        e: key.public_exponent.as_bytes().to_vec(),
        pkcs1_der: Secret::new(der.to_vec()),
    })
}

pub(super) fn rsa_public_from_pkcs1(der: &[u8], label: &str) -> Result<KeyMaterial, KeyError> {
    let key = rsa::pkcs1::RsaPublicKey::from_der(der).map_err(|e| der_error(label, KeyFormat::Pkcs1, e))?;
    Ok(KeyMaterial::RsaPublic {
        n: key.modulus.as_bytes().to_vec(),
        e: key.public_exponent.as_bytes().to_vec(),
    })
}

pub(super) fn unsupported_oid(oid: ObjectIdentifier, curve: Option<ObjectIdentifier>) -> KeyError {
    KeyError::Unsupported(if oid == OID_ED448 {
        "Ed448 (JWT libraries here support Ed25519 only; make one with `openssl genpkey -algorithm ed25519`)"
            .to_string()
    } else if oid == OID_RSA_PSS {
        "an RSA-PSS-only key (OID 1.2.840.113549.1.1.10): make a plain RSA key with `openssl genpkey -algorithm rsa`; it signs PS256 too".to_string()
    } else if oid == OID_DSA {
        "DSA, which JWTs do not use".to_string()
    } else if let Some(curve) = curve {
        format!("an EC key on curve {curve}: use P-256 (ES256), P-384 (ES384) or P-521 (ES512)")
    } else {
        format!("algorithm OID {oid}")
    })
}

pub(super) fn curve_of(oid: Option<ObjectIdentifier>) -> Option<Curve> {
    match oid {
        Some(o) if o == OID_P256 => Some(Curve::P256),
        Some(o) if o == OID_P384 => Some(Curve::P384),
        Some(o) if o == OID_P521 => Some(Curve::P521),
        _ => None,
    }
}

pub(super) fn from_pkcs8(der: &[u8], label: &str) -> Result<KeyMaterial, KeyError> {
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

pub(super) fn ec_private_from_pkcs8(curve: Curve, der: &[u8], label: &str) -> Result<KeyMaterial, KeyError> {
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
        Curve::P521 => p521::SecretKey::from_pkcs8_der(der)
            .map_err(|e| der_error(label, KeyFormat::Pkcs8, e))?
            .public_key()
            .to_encoded_point(false)
            .as_bytes()
            .to_vec(),
    };
    Ok(KeyMaterial::EcPrivate { curve, pkcs8_der: Secret::new(der.to_vec()), point })
}

pub(super) fn from_sec1(der: &[u8], label: &str) -> Result<KeyMaterial, KeyError> {
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
        Some(Curve::P521) => {
            let secret = p521::SecretKey::from_sec1_der(der).map_err(|e| invalid(&e))?;
            (Curve::P521, secret.to_pkcs8_der().map_err(|e| invalid(&e))?)
        }
        None => return Err(unsupported_oid(OID_EC, curve_oid)),
    };
    ec_private_from_pkcs8(curve, pkcs8.as_bytes(), label)
}

pub(super) fn from_spki(der: &[u8], label: &str) -> Result<KeyMaterial, KeyError> {
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

/// The uncompressed form (0x04 || x || y) of a point on `curve`, given uncompressed or
/// compressed; the point is checked to lie on the curve.
pub(super) fn uncompressed_point(curve: Curve, point: &[u8]) -> Result<Vec<u8>, String> {
    let err = |e: &dyn fmt::Display| format!("not a point on {curve}: {e}");
    Ok(match curve {
        Curve::P256 => p256::PublicKey::from_sec1_bytes(point)
            .map_err(|e| err(&e))?
            .to_encoded_point(false)
            .as_bytes()
            .to_vec(),
        Curve::P384 => p384::PublicKey::from_sec1_bytes(point)
            .map_err(|e| err(&e))?
            .to_encoded_point(false)
            .as_bytes()
            .to_vec(),
        Curve::P521 => p521::PublicKey::from_sec1_bytes(point)
            .map_err(|e| err(&e))?
            .to_encoded_point(false)
            .as_bytes()
            .to_vec(),
    })
}

/// Opens an EncryptedPrivateKeyInfo (PBES2: PBKDF2 or scrypt, AES-CBC) with its passphrase
/// and reads the PrivateKeyInfo inside.
pub(super) fn from_encrypted_pkcs8(
    der: &[u8],
    passphrase: &[u8],
    label: &str,
) -> Result<KeyMaterial, KeyError> {
    use pkcs8::pkcs5;
    let info = pkcs8::EncryptedPrivateKeyInfo::from_der(der)
        .map_err(|e| der_error(label, KeyFormat::EncryptedPkcs8, e))?;
    let plain = info.decrypt(passphrase).map_err(|e| match e {
        // pkcs5 0.7 reports bad padding after decryption (a wrong passphrase) as EncryptFailed.
        pkcs8::Error::EncryptedPrivateKey(pkcs5::Error::DecryptFailed | pkcs5::Error::EncryptFailed) => {
            KeyError::WrongPassphrase
        }
        pkcs8::Error::EncryptedPrivateKey(pkcs5::Error::NoPbes1CryptSupport) => {
            KeyError::Encryption("PBES1, the old PKCS#5 v1.5 scheme".to_string())
        }
        other => KeyError::Encryption(other.to_string()),
    })?;
    // A wrong passphrase can still end in valid padding (about 1 time in 256): what comes out
    // is then no PrivateKeyInfo.
    if PrivateKeyInfo::from_der(plain.as_bytes()).is_err() {
        return Err(KeyError::WrongPassphrase);
    }
    from_pkcs8(plain.as_bytes(), label)
}
