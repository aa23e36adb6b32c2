//! The wasmtime engine, the linker with everything plugins may import, and
//! loading of plugin components (validated, compiled once, pre-linked).

use super::bindings::{v0_1_0, v0_2_0, v0_3_0};
use super::cache::{CacheOutcome, CompileCache, sha256_hex};
use super::convert;
use super::instance::{Bindings, PluginInstance};
use super::sandbox::{SandboxConfig, wasi_context};
use super::state::{GpuSession, PluginState};
use super::{EffectInfo, PluginError};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Config, Engine, Store};

/// Contract versions this host can load, oldest first.
pub const SUPPORTED_CONTRACTS: &[&str] = &["0.1.0", "0.2.0", "0.3.0"];

/// How often the epoch advances; deadlines are counted in these ticks.
const EPOCH_TICK: Duration = Duration::from_millis(10);

/// Interfaces a plugin may import. WASI ones are linked with no capability.
const ALLOWED_IMPORT_PREFIXES: &[&str] =
    &["pika:fx/", "wasi:cli/", "wasi:io/", "wasi:clocks/", "wasi:random/", "wasi:filesystem/", "wasi:sockets/"];

/// One engine and linker for the whole process.
pub struct PluginRuntime {
    engine: Engine,
    linker: Linker<PluginState>,
    cache: CompileCache,
    sandbox: SandboxConfig,
}

impl PluginRuntime {
    /// Sets up the engine (epoch interruption on) and the linker.
    pub fn new(sandbox: SandboxConfig, cache: CompileCache) -> Result<Arc<Self>, PluginError> {
        let setup = |e: wasmtime::Error| PluginError::Instantiate { plugin: "<runtime>".into(), reason: e.to_string() };
        let mut config = Config::new();
        config.wasm_component_model(true).epoch_interruption(true).parallel_compilation(true);
        let engine = Engine::new(&config).map_err(setup)?;
        let mut linker = Linker::<PluginState>::new(&engine);
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker).map_err(setup)?;
        v0_1_0::Plugin::add_to_linker::<PluginState, HasSelf<PluginState>>(&mut linker, |s| s).map_err(setup)?;
        v0_2_0::Plugin::add_to_linker::<PluginState, HasSelf<PluginState>>(&mut linker, |s| s).map_err(setup)?;
        v0_3_0::Plugin::add_to_linker::<PluginState, HasSelf<PluginState>>(&mut linker, |s| s).map_err(setup)?;
        start_epoch_ticker(&engine);
        Ok(Arc::new(Self { engine, linker, cache, sandbox }))
    }

    /// The sandbox limits every instance gets.
    pub fn sandbox(&self) -> &SandboxConfig {
        &self.sandbox
    }

    /// Loads the plugin at `path`: reads, checks imports and contract
    /// version, compiles (or loads the compiled form from the cache),
    /// pre-links, and asks it to describe itself.
    pub fn load(&self, path: &Path) -> Result<LoadedPlugin, PluginError> {
        let bytes = std::fs::read(path).map_err(|error| PluginError::Read { path: path.to_owned(), error })?;
        let name =
            path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
        self.load_bytes(&name, path.to_owned(), &bytes)
    }

    /// Like [`PluginRuntime::load`], for bytes already in memory.
    pub fn load_bytes(&self, name: &str, path: PathBuf, bytes: &[u8]) -> Result<LoadedPlugin, PluginError> {
        let started = Instant::now();
        let hash = sha256_hex(bytes);
        let (component, cache) = self
            .cache
            .load(&self.engine, bytes, &hash)
            .map_err(|e| PluginError::NotAComponent { plugin: name.to_owned(), reason: root_cause(&e) })?;
        let contract = self.check_component(name, &component)?;
        let instance_pre = self
            .linker
            .instantiate_pre(&component)
            .map_err(|e| PluginError::Instantiate { plugin: name.to_owned(), reason: root_cause(&e) })?;
        let pre = match contract {
            "0.2.0" => v0_2_0::PluginPre::new(instance_pre).map(Pre::V0_2_0),
            "0.3.0" => v0_3_0::PluginPre::new(instance_pre).map(Pre::V0_3_0),
            _ => v0_1_0::PluginPre::new(instance_pre).map(Pre::V0_1_0),
        }
        .map_err(|e| PluginError::Instantiate { plugin: name.to_owned(), reason: root_cause(&e) })?;
        let info = self.instantiate_with(&pre, name, name.to_owned(), None, 0)?.describe()?;
        let problems = info.check();
        if !problems.is_empty() {
            return Err(PluginError::InvalidInfo { plugin: name.to_owned(), problems });
        }
        Ok(LoadedPlugin { name: name.to_owned(), path, hash, contract, info, cache, load_time: started.elapsed(), pre })
    }

    /// Refuses imports the host does not provide and finds the contract version.
    fn check_component(&self, name: &str, component: &Component) -> Result<&'static str, PluginError> {
        let ty = component.component_type();
        for (import, _) in ty.imports(&self.engine) {
            if !ALLOWED_IMPORT_PREFIXES.iter().any(|p| import.starts_with(p)) {
                return Err(PluginError::UnsupportedImport { plugin: name.to_owned(), import: import.to_owned() });
            }
        }
        let exports: Vec<String> = ty.exports(&self.engine).map(|(n, _)| n.to_owned()).collect();
        let effect = exports.iter().find_map(|e| e.strip_prefix("pika:fx/effect@"));
        match effect {
            Some(version) => SUPPORTED_CONTRACTS.iter().copied().find(|v| *v == version).ok_or_else(|| {
                PluginError::UnsupportedContract {
                    plugin: name.to_owned(),
                    found: format!("pika:fx@{version}"),
                    supported: SUPPORTED_CONTRACTS.to_vec(),
                }
            }),
            None => Err(PluginError::UnsupportedContract {
                plugin: name.to_owned(),
                found: if exports.is_empty() { "no exported interface".into() } else { exports.join(", ") },
                supported: SUPPORTED_CONTRACTS.to_vec(),
            }),
        }
    }

    /// A fresh `Store` and instance of `plugin`. `seed` makes the WASI
    /// randomness deterministic per render (e.g. the layer index).
    pub fn instantiate(
        &self,
        plugin: &LoadedPlugin,
        gpu: Option<GpuSession>,
        seed: u64,
    ) -> Result<PluginInstance, PluginError> {
        self.instantiate_with(&plugin.pre, &plugin.info.id, plugin.display_name(), gpu, seed)
    }

    fn instantiate_with(
        &self,
        pre: &Pre,
        log_name: &str,
        display: String,
        gpu: Option<GpuSession>,
        seed: u64,
    ) -> Result<PluginInstance, PluginError> {
        let state = PluginState::new(log_name.to_owned(), wasi_context(seed), self.sandbox.store_limits(), gpu);
        let mut store = Store::new(&self.engine, state);
        store.limiter(|s| &mut s.limits);
        store.epoch_deadline_trap();
        store.set_epoch_deadline(ticks(self.sandbox.setup_timeout));
        let bindings = match pre {
            Pre::V0_1_0(pre) => pre.instantiate(&mut store).map(Bindings::V0_1_0),
            Pre::V0_2_0(pre) => pre.instantiate(&mut store).map(Bindings::V0_2_0),
            Pre::V0_3_0(pre) => pre.instantiate(&mut store).map(Bindings::V0_3_0),
        }
        .map_err(|e| convert::trap(&display, "instantiate", &e, &self.sandbox))?;
        Ok(PluginInstance::new(display, store, bindings, self.sandbox.clone()))
    }
}

/// Epoch ticks for a wall-clock budget.
pub(crate) fn ticks(budget: Duration) -> u64 {
    (budget.as_millis() / EPOCH_TICK.as_millis()).max(1) as u64
}

/// Advances the engine's epoch every [`EPOCH_TICK`] until the engine is gone.
fn start_epoch_ticker(engine: &Engine) {
    let weak = engine.weak();
    let spawned = std::thread::Builder::new().name("pikafx-epoch".into()).spawn(move || {
        while let Some(engine) = weak.upgrade() {
            engine.increment_epoch();
            drop(engine);
            std::thread::sleep(EPOCH_TICK);
        }
    });
    if let Err(e) = spawned {
        tracing::error!("could not start the epoch thread; plugin deadlines will not fire: {e}");
    }
}

/// The innermost message of a wasmtime error chain.
pub(crate) fn root_cause(e: &wasmtime::Error) -> String {
    e.chain().last().map(|c| c.to_string()).unwrap_or_else(|| e.to_string())
}

/// A component pre-linked against the bindings of its contract version.
enum Pre {
    /// Built against `pika:fx@0.1.0`.
    V0_1_0(v0_1_0::PluginPre<PluginState>),
    /// Built against `pika:fx@0.2.0`.
    V0_2_0(v0_2_0::PluginPre<PluginState>),
    /// Built against `pika:fx@0.3.0`.
    V0_3_0(v0_3_0::PluginPre<PluginState>),
}

/// A plugin loaded, checked and pre-linked; instantiate it per render.
pub struct LoadedPlugin {
    name: String,
    path: PathBuf,
    hash: String,
    contract: &'static str,
    info: EffectInfo,
    cache: CacheOutcome,
    load_time: Duration,
    pre: Pre,
}

impl LoadedPlugin {
    /// What the plugin describes (id, kind, params...).
    pub fn info(&self) -> &EffectInfo {
        &self.info
    }

    /// The file it came from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Hex SHA-256 of the component bytes (recorded in provenance).
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// The `pika:fx` contract version it was built against.
    pub fn contract_version(&self) -> &'static str {
        self.contract
    }

    /// Whether the compiled code came from the cache.
    pub fn cache_outcome(&self) -> CacheOutcome {
        self.cache
    }

    /// Time spent reading, compiling or loading, linking and describing.
    pub fn load_time(&self) -> Duration {
        self.load_time
    }

    /// `kind/id@version (file.wasm)`.
    pub fn display_name(&self) -> String {
        format!("{} ({})", self.info.reference(), self.name)
    }
}
