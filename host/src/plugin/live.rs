//! Hot reload: a catalog that follows its plugin directories. A changed or
//! new `.wasm` is loaded (compiled) in the background and used by renders
//! that start afterwards; renders already running keep the plugins they
//! started with (they hold their own `Arc`s). A file that no longer loads
//! (a broken build) is reported, and the previous version of that file stays
//! in service.

use super::catalog::wasm_files;
use super::{Catalog, PluginRuntime};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

/// What the reloader has done so far.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ReloadStatus {
    /// How many times the catalog was rebuilt after a change.
    pub reloads: u64,
    /// Problems of the latest rebuild (plugins that failed to load, and
    /// which previous versions were kept).
    pub errors: Vec<String>,
}

/// A file's identity for change detection: modification time and length.
type Stamp = (PathBuf, Option<SystemTime>, u64);

/// A [`Catalog`] that is swapped for a new one when its directories change.
pub struct LiveCatalog {
    current: RwLock<Arc<Catalog>>,
    runtime: Arc<PluginRuntime>,
    dirs: Vec<PathBuf>,
    stamps: Mutex<Vec<Stamp>>,
    status: Mutex<ReloadStatus>,
}

impl LiveCatalog {
    /// Starts from `catalog`, loaded from `dirs` with `runtime`.
    pub fn new(runtime: Arc<PluginRuntime>, dirs: Vec<PathBuf>, catalog: Catalog) -> Arc<Self> {
        let stamps = Mutex::new(stamps(&dirs));
        Arc::new(Self {
            current: RwLock::new(Arc::new(catalog)),
            runtime,
            dirs,
            stamps,
            status: Mutex::new(ReloadStatus::default()),
        })
    }

    /// The catalog new renders should use.
    pub fn current(&self) -> Arc<Catalog> {
        self.current.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// What the reloader has done so far.
    pub fn status(&self) -> ReloadStatus {
        self.status.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Rebuilds the catalog if a `.wasm` in the directories was added,
    /// removed or changed since the last look; returns whether it did.
    pub fn poll(&self) -> bool {
        let now = stamps(&self.dirs);
        {
            let mut seen = self.stamps.lock().unwrap_or_else(|p| p.into_inner());
            if *seen == now {
                return false;
            }
            *seen = now;
        }
        let old = self.current();
        let mut next = Catalog::empty();
        let mut errors = Vec::new();
        match wasm_files(&self.dirs) {
            Ok(files) => {
                for file in files {
                    match self.runtime.load(&file) {
                        Ok(plugin) => next.add(plugin),
                        Err(e) => match old.plugins().iter().find(|p| p.path() == file) {
                            Some(previous) => {
                                errors.push(format!(
                                    "{e}; keeping the previous version ({})",
                                    previous.info().reference()
                                ));
                                next.add_shared(previous.clone());
                            }
                            None => {
                                errors.push(e.to_string());
                                next.add_load_error(e.to_string());
                            }
                        },
                    }
                }
            }
            Err(e) => {
                // The directory itself is gone: keep serving what we have.
                errors.push(format!("{e}; keeping the loaded plugins"));
                let mut status = self.status.lock().unwrap_or_else(|p| p.into_inner());
                status.errors = errors;
                return false;
            }
        }
        for e in &errors {
            tracing::warn!("plugin reload: {e}");
        }
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(next);
        let mut status = self.status.lock().unwrap_or_else(|p| p.into_inner());
        status.reloads += 1;
        status.errors = errors;
        true
    }

    /// Polls every `interval` on a background thread for as long as the
    /// catalog is alive.
    pub fn watch(self: &Arc<Self>, interval: Duration) {
        let weak = Arc::downgrade(self);
        let spawned = std::thread::Builder::new().name("pikafx-plugin-watch".into()).spawn(move || {
            while let Some(live) = weak.upgrade() {
                if live.poll() {
                    tracing::info!("plugins reloaded");
                }
                drop(live);
                std::thread::sleep(interval);
            }
        });
        if let Err(e) = spawned {
            tracing::error!("could not start the plugin watcher; hot reload is off: {e}");
        }
    }
}

/// The stamps of every `.wasm` in `dirs` (empty when a directory is unreadable).
fn stamps(dirs: &[PathBuf]) -> Vec<Stamp> {
    wasm_files(dirs)
        .unwrap_or_default()
        .into_iter()
        .map(|path| {
            let meta = std::fs::metadata(&path).ok();
            let modified = meta.as_ref().and_then(|m| m.modified().ok());
            let len = meta.map(|m| m.len()).unwrap_or(0);
            (path, modified, len)
        })
        .collect()
}
