//! Every bound on what tokensmith reads, in one place. The README's "What a stranger pastes"
//! names each of them; a value past a bound is refused with a message that names the bound.

use std::io::Read;
use std::path::Path;

/// A token on standard input or in a file: far past any header's size (browsers send 8 to 16
/// KiB of headers in all), small enough to read at once.
pub const MAX_TOKEN_BYTES: u64 = 1 << 20;
/// A key file: a PEM, a JWK or a keyset of many keys.
pub const MAX_KEY_FILE_BYTES: u64 = 1 << 20;
/// An HMAC secret from a file or standard input.
pub const MAX_SECRET_BYTES: u64 = 64 << 10;
/// The key store file (thousands of entries fit).
pub const MAX_STORE_BYTES: u64 = 64 << 20;
/// A profile, the workbench's config, the session: text people write.
pub const MAX_TEXT_FILE_BYTES: u64 = 1 << 20;
/// How deep a header's or payload's JSON may nest, for `sign` and `decode` alike (serde_json
/// itself stops at 128, with a message about recursion).
pub const MAX_NESTING: usize = 64;
/// How many dot-separated keys a claim path may have (`a.b.c` has 3).
pub const MAX_PATH_DEPTH: usize = 32;
/// The longest claim value a profile's pattern is matched against.
pub const MAX_PATTERN_TEXT: usize = 4096;
/// The steps one pattern match may take.
pub const MAX_PATTERN_STEPS: u32 = 200_000;

/// Why a bounded read failed.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Longer than the bound.
    #[error("{what} is larger than {} (tokensmith reads at most that much): is it the right file?", size(*.limit))]
    TooLarge {
        /// What was read ("key file 'a.pem'").
        what: String,
        /// The bound, in bytes.
        limit: u64,
    },
    /// A FIFO, device or folder where a file was expected.
    #[error("{what} is {kind}, not a regular file: give the path of a file")]
    NotRegular {
        /// What was read.
        what: String,
        /// "a FIFO", "a character device", "a folder".
        kind: &'static str,
    },
    /// The OS said no.
    #[error("cannot read {what}: {source}")]
    Io {
        /// What was read.
        what: String,
        /// The OS error.
        source: std::io::Error,
    },
}

/// "1 MiB", "64 KiB".
pub fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// Reads at most `limit` bytes; more is an error, not a truncation.
pub fn read_limited(reader: impl Read, limit: u64, what: &str) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| ReadError::Io { what: what.to_string(), source })?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limit {
        return Err(ReadError::TooLarge { what: what.to_string(), limit });
    }
    Ok(bytes)
}

/// What kind of file this is, when it is not a regular one.
fn not_regular(meta: &std::fs::Metadata) -> Option<&'static str> {
    let kind = meta.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if kind.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if kind.is_char_device() {
            return Some("a character device");
        }
        if kind.is_block_device() {
            return Some("a block device");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

/// Reads a file of at most `limit` bytes. With `regular_only`, a FIFO, device or folder is
/// refused before it is opened (opening a FIFO waits for a writer; `/dev/zero` never ends).
/// Without it (the CLI, where `<(command)` gives a pipe's path), such a file is read to the
/// bound.
pub fn read_file(path: &Path, limit: u64, what: &str, regular_only: bool) -> Result<Vec<u8>, ReadError> {
    let io = |source| ReadError::Io { what: what.to_string(), source };
    if regular_only {
        let meta = std::fs::metadata(path).map_err(io)?;
        if let Some(kind) = not_regular(&meta) {
            return Err(ReadError::NotRegular { what: what.to_string(), kind });
        }
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(ReadError::NotRegular { what: what.to_string(), kind: "a folder" });
    }
    if regular_only && let Some(kind) = not_regular(&meta) {
        return Err(ReadError::NotRegular { what: what.to_string(), kind });
    }
    if meta.is_file() && meta.len() > limit {
        return Err(ReadError::TooLarge { what: what.to_string(), limit });
    }
    read_limited(file, limit, what)
}

/// A text file tokensmith keeps or the user writes (a profile, the config, the session, the
/// history): None when it does not exist; a FIFO, device or folder, a file over `limit` or
/// one that is not UTF-8 is an error.
pub fn read_text(path: &Path, limit: u64) -> Result<Option<String>, ReadError> {
    let what = path.display().to_string();
    match read_file(path, limit, &what, true) {
        Ok(bytes) => String::from_utf8(bytes).map(Some).map_err(|_| ReadError::Io {
            what,
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8 text"),
        }),
        Err(ReadError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stop_at_the_bound_and_name_it() {
        let err = read_limited(std::io::repeat(0).take(2000), 1024, "the token").expect_err("too large");
        assert_eq!(
            err.to_string(),
            "the token is larger than 1 KiB (tokensmith reads at most that much): is it the right file?"
        );
        assert_eq!(read_limited(&b"abc"[..], 3, "x").expect("fits"), b"abc");
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_fifos_are_refused_where_only_files_will_do() {
        let err = read_file(Path::new("/dev/zero"), 1024, "key file '/dev/zero'", true).expect_err("device");
        assert!(err.to_string().contains("a character device, not a regular file"), "{err}");
        // Without the check, /dev/zero is read to the bound, not forever.
        let err = read_file(Path::new("/dev/zero"), 1024, "key file", false).expect_err("too large");
        assert!(matches!(err, ReadError::TooLarge { limit: 1024, .. }), "{err}");
        let dir = tempfile::tempdir().expect("temp");
        let err = read_file(dir.path(), 1024, "key file", false).expect_err("folder");
        assert!(err.to_string().contains("a folder"), "{err}");
        // A FIFO with no writer: refused at once, not waited on.
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
        assert!(made.success());
        let err = read_file(&fifo, 1024, "key file", true).expect_err("fifo");
        assert!(err.to_string().contains("a FIFO"), "{err}");
    }
}
