//! PEM: splitting text into blocks (each with its label, headers and DER body) and reading a
//! PEM key by its label.

use super::der::*;
use super::*;
/// The label of the first `-----BEGIN X-----` line, if the text has one.
pub(super) fn pem_label(text: &str) -> Option<String> {
    let (_, after) = text.split_once("-----BEGIN ")?;
    let (label, _) = after.split_once("-----")?;
    Some(label.to_string())
}

pub(super) struct PemBlock {
    label: String,
    headers: Vec<String>,
    /// The decoded body: private key bytes for a private key, so wiped when dropped.
    pub(super) der: zeroize::Zeroizing<Vec<u8>>,
}

/// Splits PEM text into blocks. Line length is not checked (any wrapping works) but a block
/// must have its line breaks, its END line and whole base64.
pub(super) fn pem_blocks(text: &str) -> Result<Vec<PemBlock>, KeyError> {
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

/// Reads a PEM key: PKCS#1 (RSA), PKCS#8 (RSA, EC P-256/P-384/P-521, Ed25519), SPKI public
/// keys, SEC1 EC keys (an `EC PARAMETERS` block before it is skipped). An encrypted PKCS#8 key
/// needs [`super::read_key`] with its passphrase.
pub fn parse_pem(text: &str) -> Result<ParsedKey, KeyError> {
    parse_pem_with(text, None)
}

/// [`parse_pem`], opening `ENCRYPTED PRIVATE KEY` with the passphrase when one is given.
pub(super) fn parse_pem_with(text: &str, passphrase: Option<&[u8]>) -> Result<ParsedKey, KeyError> {
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
        return Err(KeyError::LegacyEncrypted { label: block.label.clone() });
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
        "ENCRYPTED PRIVATE KEY" => match passphrase {
            Some(pass) => from_encrypted_pkcs8(&der, pass, label).map(|material| ParsedKey {
                material,
                format: KeyFormat::EncryptedPkcs8,
                kid: None,
            }),
            None => Err(KeyError::Encrypted { label: label.to_string() }),
        },
        "CERTIFICATE" | "TRUSTED CERTIFICATE" | "X509 CERTIFICATE" => Err(KeyError::Certificate),
        "OPENSSH PRIVATE KEY" => Err(KeyError::Unsupported(
            "an OpenSSH private key: convert it with `ssh-keygen -p -m PKCS8 -f key` (it rewrites the file in place)".to_string(),
        )),
        other => Err(KeyError::UnknownLabel(other.to_string())),
    }
}
