//! The config and data folders, resolved once: `--home DIR`, then `TOKENSMITH_HOME`, then the
//! platform's folders (from `directories`). The caller passes the override in.

use std::path::{Path, PathBuf};

use serde::Serialize;

/// Where tokensmith keeps its files.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Paths {
    /// Settings and user profiles.
    pub config: PathBuf,
    /// The key store and session memory.
    pub data: PathBuf,
}

/// No home folder could be found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot find a home folder for tokensmith's files: pass --home DIR or set TOKENSMITH_HOME")]
pub struct NoHome;

impl Paths {
    /// Both folders under one home (`DIR/config`, `DIR/data`).
    pub fn under(home: &Path) -> Paths {
        Paths { config: home.join("config"), data: home.join("data") }
    }

    /// `home` when given, else the platform's folders.
    pub fn resolve(home: Option<&Path>) -> Result<Paths, NoHome> {
        if let Some(home) = home {
            return Ok(Paths::under(home));
        }
        let dirs = directories::ProjectDirs::from("", "", "tokensmith").ok_or(NoHome)?;
        Ok(Paths { config: dirs.config_dir().to_path_buf(), data: dirs.data_dir().to_path_buf() })
    }

    /// User profiles: `<config>/profiles`.
    pub fn profiles(&self) -> PathBuf {
        self.config.join("profiles")
    }
}
