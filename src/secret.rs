//! Secret bytes that never print themselves and are wiped from memory when dropped.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

/// Bytes of an HMAC secret or private key. `Debug` and `Display` are redacted; the memory is
/// zeroized on drop. Read the bytes only through [`Secret::expose`], at the point of use.
/// No `PartialEq`: comparing secrets byte by byte leaks timing; use [`Secret::ct_eq`].
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// Wraps bytes; the caller's copy should be a moved `Vec` so no other copy remains.
    pub fn new(bytes: Vec<u8>) -> Self {
        Secret(bytes)
    }

    /// The secret's bytes, for signing or verifying.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Compares in constant time (for equal lengths): the answer, never where they differ.
    pub fn ct_eq(&self, other: &Secret) -> bool {
        use subtle::ConstantTimeEq as _;
        self.0.len() == other.0.len() && bool::from(self.0.as_slice().ct_eq(other.0.as_slice()))
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when the secret has no bytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A masked description safe to print: the length, and the first four characters only
    /// when the secret is long printable text (a random binary secret shows none).
    pub fn masked(&self) -> String {
        let bytes = self.0.len();
        match std::str::from_utf8(&self.0) {
            Ok(text) if text.chars().count() >= 16 && text.chars().all(|c| !c.is_control()) => {
                let head: String = text.chars().take(4).collect();
                format!("'{head}…' ({bytes} bytes)")
            }
            _ => format!("•••• ({bytes} bytes)"),
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(<redacted, {} bytes>)", self.0.len())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_secret() {
        let secret = Secret::new(b"super-secret-value-1234".to_vec());
        let debug = format!("{secret:?}");
        let display = format!("{secret}");
        assert_eq!(debug, "Secret(<redacted, 23 bytes>)");
        assert_eq!(display, "'supe…' (23 bytes)");
        assert!(!display.contains("secret-value"));
    }

    #[test]
    fn short_or_binary_secrets_show_no_characters() {
        assert_eq!(Secret::new(b"short".to_vec()).masked(), "•••• (5 bytes)");
        assert_eq!(Secret::new(vec![0xff; 32]).masked(), "•••• (32 bytes)");
    }
}
