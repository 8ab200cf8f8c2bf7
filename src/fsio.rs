//! Files written so that nothing is lost: atomic replacement (temp file, fsync, rename, fsync
//! of the folder) and private folders. Below every module that writes a file (the store, the
//! history, user profiles, the workbench's session), so none of them depends on another for it.

use std::fs::{self, File, OpenOptions};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Why a file or folder could not be written.
#[derive(Debug, thiserror::Error)]
pub enum FsError {
    /// An I/O failure.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// The path.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The folder is a link whose target is gone ("File exists" would name neither).
    #[error("the folder {} is a symbolic link to {}, which does not exist: create {} (mode 700) or remove the link", .dir.display(), .target.display(), .target.display())]
    DanglingLink {
        /// The folder asked for.
        dir: PathBuf,
        /// Where the link points.
        target: PathBuf,
    },
}

fn io<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> FsError + 'a {
    move |source| FsError::Io { action, path: path.to_path_buf(), source }
}

/// The start of a temp file's name for `name`: `.keys.json.`
pub fn temp_prefix(name: &str) -> String {
    format!(".{name}.")
}

/// Creates the folder (and parents) with mode 0700 when missing.
pub fn ensure_private_dir(dir: &Path) -> Result<(), FsError> {
    if dir.is_dir() {
        return Ok(());
    }
    // A link whose target is gone: "File exists" would name neither.
    if let Ok(target) = fs::read_link(dir) {
        return Err(FsError::DanglingLink { dir: dir.to_path_buf(), target });
    }
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(io("cannot create", dir))
}

/// Writes `bytes` as `dir/name` atomically: temp file (mode 0600) in the same folder, fsync,
/// rename over the old file, fsync the folder.
pub fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), FsError> {
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let temp = dir.join(format!("{}{}.{n}.tmp", temp_prefix(name), std::process::id()));
    let target = dir.join(name);
    let result = (|| {
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(0o600);
        }
        let mut file = options.open(&temp).map_err(io("cannot create", &temp))?;
        file.write_all(bytes).map_err(io("cannot write", &temp))?;
        file.sync_all().map_err(io("cannot flush", &temp))?;
        drop(file);
        fs::rename(&temp, &target).map_err(io("cannot replace", &target))?;
        File::open(dir).and_then(|d| d.sync_all()).map_err(io("cannot flush folder", dir))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}
