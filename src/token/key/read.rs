//! The one entry point for key bytes, whatever their form: PEM or JWK text, binary DER
//! (PKCS#1, PKCS#8, SPKI, SEC1, encrypted PKCS#8) or a bare EC point. `--key-file`,
//! `keys import` and the workbench's import all come here.

use super::der::*;
use super::pem::parse_pem_with;
use super::*;

/// What the reader may know that the bytes do not say.
#[derive(Clone, Copy, Debug, Default)]
pub struct KeyHint<'a> {
    /// The algorithm the key is for (a token's `alg`, `--alg`): it names the curve of a bare
    /// EC point, and a point of another size is refused.
    pub alg: Option<Alg>,
    /// The passphrase of an encrypted PKCS#8 key.
    pub passphrase: Option<&'a [u8]>,
}

/// Reads a key from a file's bytes: PEM (any form [`parse_pem`] reads, and encrypted PKCS#8
/// with `hint.passphrase`), a JWK, binary DER of the same forms, or a bare EC point (curve from
/// `hint.alg`, else from its size). An encrypted key without a passphrase is
/// [`KeyError::Encrypted`]: ask for one and call again.
pub fn read_key(bytes: &[u8], hint: &KeyHint<'_>) -> Result<ParsedKey, KeyError> {
    match bytes.first() {
        Some(0x30) => return from_der(bytes, hint),
        Some(0x02..=0x04) => return from_point(bytes, hint.alg),
        _ => {}
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(KeyError::NotAKey(format!(
            "{} bytes starting 0x{:02x}",
            bytes.len(),
            bytes.first().copied().unwrap_or_default()
        )));
    };
    if text.trim_start().starts_with('{') { parse_jwk(text) } else { parse_pem_with(text, hint.passphrase) }
}

fn parsed(material: KeyMaterial, format: KeyFormat) -> ParsedKey {
    ParsedKey { material, format, kid: None }
}

/// The label a binary DER key goes by in errors (a PEM key's is its BEGIN line's).
pub(super) const DER_LABEL: &str = "DER";

/// Binary DER: each structure is told apart by its shape, then read as its PEM twin is.
fn from_der(der: &[u8], hint: &KeyHint<'_>) -> Result<ParsedKey, KeyError> {
    use rsa::pkcs8::der::asn1::AnyRef;
    const LABEL: &str = DER_LABEL;
    if PrivateKeyInfo::from_der(der).is_ok() {
        return from_pkcs8(der, LABEL).map(|m| parsed(m, KeyFormat::Pkcs8Der));
    }
    if pkcs8::EncryptedPrivateKeyInfo::from_der(der).is_ok() {
        let Some(pass) = hint.passphrase else {
            return Err(KeyError::Encrypted { label: "encrypted PKCS#8 DER".to_string() });
        };
        return from_encrypted_pkcs8(der, pass, LABEL).map(|m| parsed(m, KeyFormat::EncryptedPkcs8Der));
    }
    if SubjectPublicKeyInfoRef::from_der(der).is_ok() {
        return from_spki(der, LABEL).map(|m| parsed(m, KeyFormat::SpkiDer));
    }
    if rsa::pkcs1::RsaPrivateKey::from_der(der).is_ok() {
        return rsa_private_from_pkcs1(der, LABEL).map(|m| parsed(m, KeyFormat::Pkcs1Der));
    }
    if sec1::EcPrivateKey::from_der(der).is_ok() {
        return from_sec1(der, LABEL).map(|m| parsed(m, KeyFormat::Sec1Der));
    }
    if rsa::pkcs1::RsaPublicKey::from_der(der).is_ok() {
        return rsa_public_from_pkcs1(der, LABEL).map(|m| parsed(m, KeyFormat::Pkcs1Der));
    }
    if x509_cert::Certificate::from_der(der).is_ok() {
        return Err(KeyError::Certificate);
    }
    match AnyRef::from_der(der) {
        Err(e) => Err(der_error(LABEL, KeyFormat::Pkcs8Der, e)),
        Ok(_) => Err(KeyError::NotAKey("DER, but not PKCS#1, PKCS#8, SPKI or SEC1".to_string())),
    }
}

/// The curve whose points have this many bytes in this form, if any.
fn curve_of_point(point: &[u8]) -> Option<Curve> {
    let (tag, len) = (point.first().copied()?, point.len());
    Curve::ALL.into_iter().find(|c| {
        (tag == 0x04 && len == c.point_len(false)) || (matches!(tag, 0x02 | 0x03) && len == c.point_len(true))
    })
}

fn point_sizes(curve: Curve) -> String {
    format!("{} bytes, or {} compressed", curve.point_len(false), curve.point_len(true))
}

/// A bare EC point as a public key: the algorithm names the curve; without one, its size does
/// (no two curves here share a size). Either way the point must lie on the curve.
fn from_point(point: &[u8], alg: Option<Alg>) -> Result<ParsedKey, KeyError> {
    let invalid = |reason: String| KeyError::Invalid { format: KeyFormat::EcPoint, reason };
    let sized = curve_of_point(point);
    let curve = match (alg.map(Alg::family), sized) {
        (Some(Family::Ec(want)), Some(have)) if want == have => want,
        (Some(Family::Ec(want)), Some(have)) => {
            return Err(invalid(format!(
                "it has {} bytes, the size of a {have} point, but {} needs a {want} point ({})",
                point.len(),
                alg.map(Alg::name).unwrap_or_default(),
                point_sizes(want)
            )));
        }
        (Some(Family::Ec(want)), None) => {
            return Err(invalid(format!(
                "it has {} bytes, but {} needs a {want} point ({})",
                point.len(),
                alg.map(Alg::name).unwrap_or_default(),
                point_sizes(want)
            )));
        }
        (Some(_), _) => {
            return Err(KeyError::NotAKey(format!(
                "{} bytes starting 0x{:02x}; a bare EC point serves ES256, ES384 or ES512 only, not {}",
                point.len(),
                point.first().copied().unwrap_or_default(),
                alg.map(Alg::name).unwrap_or_default()
            )));
        }
        (None, Some(curve)) => curve,
        (None, None) => {
            return Err(KeyError::NotAKey(format!(
                "{} bytes starting 0x{:02x}, no EC point size",
                point.len(),
                point.first().copied().unwrap_or_default()
            )));
        }
    };
    let point = uncompressed_point(curve, point).map_err(invalid)?;
    Ok(parsed(KeyMaterial::EcPublic { curve, point }, KeyFormat::EcPoint))
}

/// Whether bytes given to an import are a key (PEM, JWK, DER, a bare EC point) rather than an
/// HMAC secret: the CLI's `keys import` and the workbench's both ask here.
pub fn looks_like_key(bytes: &[u8]) -> bool {
    use rsa::pkcs8::der::asn1::AnyRef;
    match std::str::from_utf8(bytes) {
        Ok(text) if text.contains("-----BEGIN") || text.trim_start().starts_with('{') => true,
        _ => match bytes.first() {
            // A SEQUENCE whose length takes 1 to 4 more bytes, as every key's does: a key even
            // when cut short (then read to say so), never text.
            Some(0x30) => AnyRef::from_der(bytes).is_ok() || matches!(bytes.get(1), Some(0x81..=0x84)),
            Some(0x02..=0x04) => curve_of_point(bytes).is_some(),
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(name: &str) -> Vec<u8> {
        let path = format!("{}/tests/fixtures/keys/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn read(name: &str, alg: Option<Alg>, passphrase: Option<&str>) -> Result<ParsedKey, KeyError> {
        read_key(&bytes(name), &KeyHint { alg, passphrase: passphrase.map(str::as_bytes) })
    }

    fn public(name: &str) -> KeyMaterial {
        read(name, None, None).unwrap_or_else(|e| panic!("{name}: {e}")).material.public()
    }

    fn same(a: &KeyMaterial, b: &KeyMaterial) -> bool {
        match (a, b) {
            (KeyMaterial::RsaPublic { n, e }, KeyMaterial::RsaPublic { n: n2, e: e2 }) => n == n2 && e == e2,
            (KeyMaterial::EcPublic { curve, point }, KeyMaterial::EcPublic { curve: c2, point: p2 }) => {
                curve == c2 && point == p2
            }
            _ => false,
        }
    }

    /// openssl's DER of each form reads as the same key as its PEM twin, and says it was DER.
    #[test]
    fn every_der_form_reads_as_its_pem_twin() {
        for (der, pem, described) in [
            ("rsa2048-pkcs1.der", "rsa2048-pkcs1.pem", "RSA 2048-bit private key, PKCS#1 DER"),
            ("rsa2048-pkcs8.der", "rsa2048-pkcs8.pem", "RSA 2048-bit private key, PKCS#8 DER"),
            ("rsa2048-pub-spki.der", "rsa2048-pub-spki.pem", "RSA 2048-bit public key, SPKI DER"),
            ("rsa2048-pub-pkcs1.der", "rsa2048-pub-pkcs1.pem", "RSA 2048-bit public key, PKCS#1 DER"),
            ("ec-p256-sec1.der", "ec-p256-sec1.pem", "EC P-256 private key, SEC1 DER"),
            ("ec-p256-pkcs8.der", "ec-p256-pkcs8.pem", "EC P-256 private key, PKCS#8 DER"),
            ("ec-p256-pub.der", "ec-p256-pub.pem", "EC P-256 public key, SPKI DER"),
        ] {
            let key = read(der, None, None).unwrap_or_else(|e| panic!("{der}: {e}"));
            assert_eq!(key.describe(), described);
            assert!(same(&key.material.public(), &public(pem)), "{der} is not the key of {pem}");
        }
        assert_eq!(read("cert.der", None, None).err(), Some(KeyError::Certificate));
        let der = bytes("rsa2048-pkcs8.der");
        let cut = read_key(der.get(..der.len() / 2).unwrap_or_default(), &KeyHint::default());
        assert!(matches!(cut, Err(KeyError::TruncatedDer { .. })), "{cut:?}");
    }

    #[test]
    fn p521_keys_read_in_every_form() {
        let pkcs8 = read("ec-p521-pkcs8.pem", None, None).expect("pkcs8");
        assert_eq!(pkcs8.describe(), "EC P-521 private key, PKCS#8");
        assert_eq!(
            read("ec-p521-sec1.pem", None, None).expect("sec1").describe(),
            "EC P-521 private key, SEC1"
        );
        assert!(same(&pkcs8.material.public(), &public("ec-p521-sec1.pem")));
        assert!(same(&pkcs8.material.public(), &public("ec-p521-pub.pem")));
        assert_eq!(pkcs8.material.algorithms(), vec![Alg::ES512]);
    }

    /// A bare point is the public key its SPKI holds; the token's algorithm names the curve.
    #[test]
    fn bare_points_read_as_public_keys_on_the_algorithm_curve() {
        for (file, alg, spki) in [
            ("ec-p256-point.bin", Some(Alg::ES256), "ec-p256-pub.pem"),
            ("ec-p256-point-compressed.bin", Some(Alg::ES256), "ec-p256-pub.pem"),
            ("ec-p256-point.bin", None, "ec-p256-pub.pem"),
            ("ec-p384-point-compressed.bin", None, "ec-p384-pub.pem"),
            ("ec-p521-point.bin", Some(Alg::ES512), "ec-p521-pub.pem"),
        ] {
            let key = read(file, alg, None).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert_eq!(key.format, KeyFormat::EcPoint);
            assert!(same(&key.material, &public(spki)), "{file} is not the key of {spki}");
        }
        let err = read("ec-p256-point.bin", Some(Alg::ES384), None).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some(
                "the bare EC point key is invalid: it has 65 bytes, the size of a P-256 point, but ES384 needs a P-384 point (97 bytes, or 49 compressed)"
            )
        );
        assert!(matches!(read("ec-p256-point.bin", Some(Alg::HS256), None), Err(KeyError::NotAKey(_))));
        let mut off_curve = bytes("ec-p256-point.bin");
        if let Some(last) = off_curve.last_mut() {
            *last ^= 1;
        }
        let err = read_key(&off_curve, &KeyHint { alg: Some(Alg::ES256), passphrase: None });
        assert!(err.is_err_and(|e| e.to_string().contains("not a point on P-256")));
    }

    /// openssl's encrypted PKCS#8 (PBKDF2 + AES-256-CBC, scrypt, and DER) opens with its
    /// passphrase; a wrong one and a missing one are named.
    #[test]
    fn encrypted_pkcs8_opens_with_its_passphrase() {
        let rsa = read("rsa2048-encrypted-pkcs8.pem", None, Some("fixture")).expect("opens");
        assert_eq!(rsa.describe(), "RSA 2048-bit private key, encrypted PKCS#8");
        assert!(same(&rsa.material.public(), &public("rsa2048-pub-spki.pem")));
        let scrypt = read("ec-p256-encrypted-scrypt.pem", None, Some("fixture")).expect("scrypt");
        assert!(same(&scrypt.material.public(), &public("ec-p256-pub.pem")));
        let der = read("ec-p521-encrypted-pkcs8.der", None, Some("fixture")).expect("der");
        assert_eq!(der.describe(), "EC P-521 private key, encrypted PKCS#8 DER");
        assert!(same(&der.material.public(), &public("ec-p521-pub.pem")));
        for file in
            ["rsa2048-encrypted-pkcs8.pem", "ec-p256-encrypted-scrypt.pem", "ec-p521-encrypted-pkcs8.der"]
        {
            assert_eq!(read(file, None, Some("wrong")).err(), Some(KeyError::WrongPassphrase), "{file}");
            assert!(matches!(read(file, None, None), Err(KeyError::Encrypted { .. })), "{file}");
        }
    }

    #[test]
    fn the_old_openssl_encryption_names_the_conversion() {
        for file in ["rsa2048-legacy-encrypted.pem", "ec-p256-legacy-encrypted.pem"] {
            let err = read(file, None, Some("fixture")).err();
            assert!(matches!(err, Some(KeyError::LegacyEncrypted { .. })), "{file}: {err:?}");
            let text = err.map(|e| e.to_string()).unwrap_or_default();
            assert!(text.contains("`openssl pkcs8 -topk8 -in OLD.pem -out NEW.pem`"), "{text}");
        }
    }

    #[test]
    fn imports_tell_keys_from_secrets() {
        for key in ["rsa2048-pkcs1.der", "ec-p256-point.bin", "ec-p521-point.bin", "ec-p256-pkcs8.pem"] {
            assert!(looks_like_key(&bytes(key)), "{key}");
        }
        assert!(!looks_like_key(b"tokensmith-fixture-secret-0123456789abcdef"));
        assert!(!looks_like_key(&[0x30, 0x05, 1, 2]), "a secret that only starts like DER");
        assert!(!looks_like_key(&[0x04; 32]), "32 bytes are no point size");
        assert!(looks_like_key(&[0x30, 0x82, 0x04, 0xa4, 0xff]), "DER cut short is still DER");
    }
}
