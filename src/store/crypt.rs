//! Encryption at rest: argon2id turns the passphrase into a key; XChaCha20-Poly1305 seals the
//! entries. A fresh salt and nonce on every write.

use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore as _;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::StoreError;
use crate::secret::Secret;

/// Bound into the ciphertext so a sealed blob cannot be passed off as another format.
const AAD: &[u8] = b"tokensmith-keys/v1";

/// argon2id cost parameters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_cost: u32,
    /// Passes.
    pub t_cost: u32,
    /// Lanes.
    pub p_cost: u32,
}

impl KdfParams {
    /// The most any store may ask for: 1 GiB of memory, 16 passes, 8 lanes. A store file asking
    /// for more (tampered, or from a hostile source) is refused before any memory is taken.
    pub const MAX: KdfParams = KdfParams { m_cost: 1024 * 1024, t_cost: 16, p_cost: 8 };

    /// Refuses parameters beyond [`KdfParams::MAX`], naming the one that is.
    pub fn check(&self) -> Result<(), StoreError> {
        let max = &KdfParams::MAX;
        for (name, value, limit) in [
            ("m_cost", self.m_cost, max.m_cost),
            ("t_cost", self.t_cost, max.t_cost),
            ("p_cost", self.p_cost, max.p_cost),
        ] {
            if value > limit {
                return Err(StoreError::Invalid(format!(
                    "the store asks for key-derivation {name} = {value}, above the most tokensmith allows ({limit}): the file was changed by hand or comes from elsewhere; restore a backup or move it away and add the keys again"
                )));
            }
        }
        Ok(())
    }
}

impl Default for KdfParams {
    /// OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane): tens of milliseconds here.
    fn default() -> Self {
        KdfParams { m_cost: 19 * 1024, t_cost: 2, p_cost: 1 }
    }
}

/// The sealed entries as stored.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sealed {
    kdf: String,
    #[serde(flatten)]
    params: KdfParams,
    salt: String,
    cipher: String,
    nonce: String,
    ciphertext: String,
}

fn derive(passphrase: &Secret, salt: &[u8], params: &KdfParams) -> Result<Zeroizing<[u8; 32]>, StoreError> {
    params.check()?;
    let argon_params = Params::new(params.m_cost, params.t_cost, params.p_cost, Some(32))
        .map_err(|e| StoreError::Invalid(format!("bad key-derivation parameters: {e}")))?;
    let mut key = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params)
        .hash_password_into(passphrase.expose(), salt, key.as_mut())
        .map_err(|e| StoreError::Invalid(format!("key derivation failed: {e}")))?;
    Ok(key)
}

pub fn seal(plain: &[u8], passphrase: &Secret, params: &KdfParams) -> Result<Sealed, StoreError> {
    let mut salt = [0u8; 16];
    let mut nonce = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let key = derive(passphrase, &salt, params)?;
    let cipher = XChaCha20Poly1305::new(key.as_ref().into());
    let ciphertext = cipher
        .encrypt(&XNonce::from(nonce), Payload { msg: plain, aad: AAD })
        .map_err(|_| StoreError::Invalid("encryption failed".to_string()))?;
    Ok(Sealed {
        kdf: "argon2id".into(),
        params: params.clone(),
        salt: STANDARD.encode(salt),
        cipher: "xchacha20poly1305".into(),
        nonce: STANDARD.encode(nonce),
        ciphertext: STANDARD.encode(ciphertext),
    })
}

pub fn open(sealed: &Sealed, passphrase: &Secret) -> Result<Zeroizing<Vec<u8>>, StoreError> {
    if sealed.kdf != "argon2id" || sealed.cipher != "xchacha20poly1305" {
        return Err(StoreError::Invalid(format!(
            "the store is sealed with {}/{}, which this build does not know",
            sealed.kdf, sealed.cipher
        )));
    }
    let decode = |field: &str, text: &str| {
        STANDARD
            .decode(text)
            .map_err(|e| StoreError::Invalid(format!("the store's {field} is not base64: {e}")))
    };
    let salt = decode("salt", &sealed.salt)?;
    let nonce = decode("nonce", &sealed.nonce)?;
    let ciphertext = decode("ciphertext", &sealed.ciphertext)?;
    let nonce: [u8; 24] =
        nonce.try_into().map_err(|_| StoreError::Invalid("the store's nonce is not 24 bytes".to_string()))?;
    let key = derive(passphrase, &salt, &sealed.params)?;
    let cipher = XChaCha20Poly1305::new(key.as_ref().into());
    cipher
        .decrypt(&XNonce::from(nonce), Payload { msg: &ciphertext, aad: AAD })
        .map(Zeroizing::new)
        .map_err(|_| StoreError::WrongPassphrase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_asking_for_gigabytes_is_refused_before_deriving() {
        let pass = Secret::new(b"pass".to_vec());
        let mut sealed = seal(b"{}", &pass, &KdfParams { m_cost: 64, t_cost: 1, p_cost: 1 }).expect("seals");
        assert!(open(&sealed, &pass).is_ok());
        sealed.params.m_cost = u32::MAX;
        let err = open(&sealed, &pass).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("m_cost = 4294967295"), "{err}");
        sealed.params = KdfParams { m_cost: 64, t_cost: 1_000_000, p_cost: 1 };
        assert!(open(&sealed, &pass).is_err());
    }
}
