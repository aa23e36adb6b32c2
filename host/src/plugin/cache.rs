//! On-disk cache of compiled components: compiling a 40 MB script-runtime
//! component takes seconds, loading its compiled form takes milliseconds.
//!
//! Hand-written rather than wasmtime's `cache` feature: that one needs a
//! TOML config file and zstd, and we want the key (content hash + engine
//! compatibility hash) and the atomic write under our control.

use sha2::{Digest, Sha256};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use wasmtime::Engine;
use wasmtime::component::Component;

/// How a component was obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CacheOutcome {
    /// Loaded from the compiled cache.
    Hit,
    /// Compiled now (and stored, when a cache directory is set).
    Compiled,
}

/// The directory of compiled components, or none to always compile.
#[derive(Clone, Debug)]
pub struct CompileCache {
    dir: Option<PathBuf>,
}

impl CompileCache {
    /// A cache in `dir` (created on first write), or no cache.
    pub fn new(dir: Option<PathBuf>) -> Self {
        Self { dir }
    }

    /// The default location: `$PIKAFX_CACHE_DIR`, else `$XDG_CACHE_HOME/pikafx`,
    /// else `$HOME/.cache/pikafx`.
    pub fn default_dir() -> Option<PathBuf> {
        if let Some(dir) = std::env::var_os("PIKAFX_CACHE_DIR") {
            return Some(PathBuf::from(dir));
        }
        if let Some(dir) = std::env::var_os("XDG_CACHE_HOME") {
            return Some(PathBuf::from(dir).join("pikafx"));
        }
        std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache").join("pikafx"))
    }

    /// Loads the compiled form of `wasm` from the cache, or compiles it.
    pub fn load(
        &self,
        engine: &Engine,
        wasm: &[u8],
        content_hash: &str,
    ) -> wasmtime::Result<(Component, CacheOutcome)> {
        let Some(path) = self.path_for(engine, content_hash) else {
            return Ok((Component::new(engine, wasm)?, CacheOutcome::Compiled));
        };
        if path.exists() {
            // SAFETY: the file was written by `Component::serialize` of an
            // engine with the same compatibility hash (it is in the file
            // name) and is only ever replaced atomically by rename; wasmtime
            // re-checks its header and refuses mismatches.
            match unsafe { Component::deserialize_file(engine, &path) } {
                Ok(component) => return Ok((component, CacheOutcome::Hit)),
                Err(e) => tracing::warn!("ignoring unusable compiled cache entry {}: {e}", path.display()),
            }
        }
        let component = Component::new(engine, wasm)?;
        if let Err(e) = store(&path, &component.serialize()?) {
            tracing::warn!("could not write compiled cache entry {}: {e}", path.display());
        }
        Ok((component, CacheOutcome::Compiled))
    }

    fn path_for(&self, engine: &Engine, content_hash: &str) -> Option<PathBuf> {
        let dir = self.dir.as_ref()?;
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        engine.precompile_compatibility_hash().hash(&mut hasher);
        Some(dir.join(format!("{content_hash}-{:016x}.cwasm", hasher.finish())))
    }
}

/// Writes `bytes` to `path` through a temporary file and a rename, so a
/// concurrent reader never sees half a file.
fn store(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}
