//! The effects available to a render: every plugin found in the plugin
//! directories, looked up by reference (`style/noir@0.1`).

use super::{EffectKind, LoadedPlugin, PluginRuntime};
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

/// A reference to an effect: `[kind/]id[@version]`. A version matches by
/// prefix of dot-separated components (`0.1` matches `0.1.3`); the highest
/// matching version wins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EffectRef {
    /// `style` or `pikaffect`, when given.
    pub kind: Option<EffectKind>,
    /// The effect id.
    pub id: String,
    /// A version prefix, when given.
    pub version: Option<String>,
}

/// Why an effect reference could not be resolved or parsed.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// The reference is not of the form `[kind/]id[@version]`.
    #[error("invalid effect reference `{0}`: expected [style/|pikaffect/]id[@version], e.g. style/noir@0.1")]
    BadReference(String),
    /// No loaded plugin matches.
    #[error("no effect matches `{reference}`; available: {}{}", if available.is_empty() { "none".to_owned() } else { available.join(", ") }, if load_errors.is_empty() { String::new() } else { format!(" (plugins that failed to load: {})", load_errors.join("; ")) })]
    NotFound {
        /// The reference asked for.
        reference: String,
        /// References that exist.
        available: Vec<String>,
        /// Plugins in the directories that could not be loaded.
        load_errors: Vec<String>,
    },
    /// A plugin directory could not be read.
    #[error("cannot read plugin directory {path}: {error}")]
    Dir {
        /// The directory.
        path: PathBuf,
        /// The I/O error.
        error: std::io::Error,
    },
}

impl FromStr for EffectRef {
    type Err = CatalogError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || CatalogError::BadReference(s.to_owned());
        let (path, version) = match s.split_once('@') {
            Some((p, v)) if !v.is_empty() && v.split('.').all(|c| c.parse::<u64>().is_ok()) => (p, Some(v.to_owned())),
            Some(_) => return Err(bad()),
            None => (s, None),
        };
        let (kind, id) = match path.split_once('/') {
            Some(("style", id)) => (Some(EffectKind::Style), id),
            Some(("pikaffect", id)) => (Some(EffectKind::Pikaffect), id),
            Some(_) => return Err(bad()),
            None => (None, path),
        };
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
            return Err(bad());
        }
        Ok(Self { kind, id: id.to_owned(), version })
    }
}

impl fmt::Display for EffectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(kind) = self.kind {
            write!(f, "{kind}/")?;
        }
        f.write_str(&self.id)?;
        if let Some(v) = &self.version {
            write!(f, "@{v}")?;
        }
        Ok(())
    }
}

fn version_key(v: &str) -> Vec<u64> {
    v.split('.').map(|c| c.parse().unwrap_or(0)).collect()
}

impl EffectRef {
    /// Whether `plugin` is what this reference names.
    pub fn matches(&self, plugin: &LoadedPlugin) -> bool {
        let info = plugin.info();
        if info.id != self.id || self.kind.is_some_and(|k| k != info.kind) {
            return false;
        }
        match &self.version {
            None => true,
            Some(prefix) => {
                let want = version_key(prefix);
                let have = version_key(&info.version);
                have.len() >= want.len() && have[..want.len()] == want[..]
            }
        }
    }
}

/// Every `*.wasm` directly in `dirs`, sorted within each directory.
pub fn wasm_files(dirs: &[PathBuf]) -> Result<Vec<PathBuf>, CatalogError> {
    let mut files = Vec::new();
    for dir in dirs {
        let entries = std::fs::read_dir(dir).map_err(|error| CatalogError::Dir { path: dir.clone(), error })?;
        let mut found: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "wasm"))
            .collect();
        found.sort();
        files.extend(found);
    }
    Ok(files)
}

/// Plugins loaded from directories.
pub struct Catalog {
    plugins: Vec<Arc<LoadedPlugin>>,
    load_errors: Vec<String>,
}

impl Catalog {
    /// Loads every `*.wasm` in `dirs` (not recursive). A plugin that fails
    /// to load is skipped with a warning and reported if it is asked for.
    pub fn load(runtime: &PluginRuntime, dirs: &[PathBuf]) -> Result<Self, CatalogError> {
        let files = wasm_files(dirs)?;
        let mut catalog = Self::empty();
        for file in files {
            match runtime.load(&file) {
                Ok(plugin) => catalog.add(plugin),
                Err(e) => {
                    tracing::warn!("skipping plugin: {e}");
                    catalog.load_errors.push(e.to_string());
                }
            }
        }
        Ok(catalog)
    }

    /// A catalog with no plugins (add them with [`Catalog::add`]).
    pub fn empty() -> Self {
        Self { plugins: Vec::new(), load_errors: Vec::new() }
    }

    /// Adds a loaded plugin; a second plugin with the same reference is ignored.
    pub fn add(&mut self, plugin: LoadedPlugin) {
        self.add_shared(Arc::new(plugin));
    }

    /// Like [`Catalog::add`], for a plugin another catalog already holds.
    pub fn add_shared(&mut self, plugin: Arc<LoadedPlugin>) {
        let reference = plugin.info().reference();
        if let Some(existing) = self.plugins.iter().find(|p| p.info().reference() == reference) {
            tracing::warn!(
                "{} duplicates {} from {}; keeping the first",
                plugin.path().display(),
                reference,
                existing.path().display()
            );
            return;
        }
        self.plugins.push(plugin);
    }

    /// Records a plugin that could not be loaded.
    pub fn add_load_error(&mut self, message: String) {
        self.load_errors.push(message);
    }

    /// Every loaded plugin, in directory order.
    pub fn plugins(&self) -> &[Arc<LoadedPlugin>] {
        &self.plugins
    }

    /// Messages of plugins that failed to load.
    pub fn load_errors(&self) -> &[String] {
        &self.load_errors
    }

    /// The plugin `reference` names (highest matching version).
    pub fn resolve(&self, reference: &EffectRef) -> Result<Arc<LoadedPlugin>, CatalogError> {
        self.plugins
            .iter()
            .filter(|p| reference.matches(p))
            .max_by_key(|p| version_key(&p.info().version))
            .cloned()
            .ok_or_else(|| CatalogError::NotFound {
                reference: reference.to_string(),
                available: self.plugins.iter().map(|p| p.info().reference()).collect(),
                load_errors: self.load_errors.clone(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_references() {
        let r: EffectRef = "style/noir@0.1".parse().expect("valid");
        assert_eq!(r, EffectRef { kind: Some(EffectKind::Style), id: "noir".into(), version: Some("0.1".into()) });
        let r: EffectRef = "melt".parse().expect("valid");
        assert_eq!((r.kind, r.version), (None, None));
        for bad in ["", "style/", "look/noir", "style/noir@", "style/noir@x.1", "Style/Noir"] {
            assert!(bad.parse::<EffectRef>().is_err(), "{bad} should not parse");
        }
        assert_eq!("pikaffect/melt@1.2".parse::<EffectRef>().expect("valid").to_string(), "pikaffect/melt@1.2");
    }
}
