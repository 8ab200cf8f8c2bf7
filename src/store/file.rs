//! Private folders, atomic writes and the writers' lock.

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};

use super::StoreError;

fn io<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> StoreError + 'a {
    move |source| StoreError::Io { action, path: path.to_path_buf(), source }
}

use crate::fsio::temp_prefix;

/// Temp files a crashed writer left: `.keys.json.<pid>.<n>.tmp`.
fn leftovers(dir: &Path, name: &str) -> Vec<PathBuf> {
    let prefix = temp_prefix(name);
    fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".tmp"))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Warnings for temp files left by an interrupted write (the store itself is whole). A temp
/// file is a leftover only while no writer holds the lock: a live writer's own temp file is
/// not one (60 parallel writers each saw the others' files).
pub fn leftover_warnings(dir: &Path, name: &str, lock: &Path) -> Vec<String> {
    let found = leftovers(dir, name);
    if found.is_empty() || Lock::try_exclusive(lock).is_none() {
        return Vec::new();
    }
    found
        .into_iter()
        .map(|p| {
            format!(
                "{} was left by an interrupted write; the store is whole and the next change removes it",
                p.display()
            )
        })
        .collect()
}

/// Removes leftovers; called with the writers' lock held, so no live writer owns them.
pub fn remove_leftovers(dir: &Path, name: &str) {
    for path in leftovers(dir, name) {
        let _ = fs::remove_file(path);
    }
}

/// Warnings for a folder or file others can read.
pub fn permission_warnings(dir: &Path, file: &Path) -> Vec<String> {
    let mut warnings = Vec::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        for (path, want, fix) in [(dir, 0o700, "700"), (file, 0o600, "600")] {
            if let Ok(meta) = fs::metadata(path) {
                let mode = meta.permissions().mode() & 0o777;
                // Writable by others is the worse: they can put links or files where
                // tokensmith writes, not only read what it keeps.
                let danger = if mode & 0o022 != 0 {
                    "other users can write there (replace or plant files tokensmith reads and writes) and read it"
                } else {
                    "other users can read it"
                };
                if mode & 0o077 != 0 {
                    warnings.push(format!(
                        "{} has mode {mode:03o}, so {danger}: run `chmod {fix} {}` (want {want:03o})",
                        path.display(),
                        path.display()
                    ));
                }
            }
        }
    }
    warnings
}

/// An exclusive lock on the lock file, released on drop.
pub struct Lock(File);

impl Lock {
    /// Blocks until no other tokensmith holds the lock.
    pub fn exclusive(path: &Path) -> Result<Lock, StoreError> {
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(0o600);
        }
        let file = options.open(path).map_err(io("cannot open lock file", path))?;
        file.lock().map_err(io("cannot lock", path))?;
        Ok(Lock(file))
    }
}

impl Lock {
    /// The lock when no other tokensmith holds it, without waiting; None when one does (or
    /// when there is no lock file: then no writer ever ran).
    pub fn try_exclusive(path: &Path) -> Option<Lock> {
        let file = OpenOptions::new().read(true).write(true).open(path).ok()?;
        file.try_lock().ok()?;
        Some(Lock(file))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}
