//! The plugin runtime: effect plugins are WebAssembly components that
//! target the `pika:fx` world (see `wit/`), run by wasmtime in a sandbox.
//!
//! - [`PluginRuntime`]: one engine + linker per process; loads components,
//!   caches their compiled code on disk, pre-links them (`InstancePre`).
//! - [`PluginInstance`]: a fresh `Store` per render and after any trap, with
//!   a memory cap, epoch deadlines per call and GPU budgets.
//! - [`Catalog`]: the plugins found in plugin directories, by reference.

mod bindings;
mod cache;
mod catalog;
mod convert;
mod error;
mod info;
mod instance;
mod live;
mod runtime;
mod sandbox;
mod state;

pub use cache::{CacheOutcome, CompileCache, sha256_hex};
pub use catalog::{Catalog, CatalogError, EffectRef, wasm_files};
pub use error::PluginError;
pub use info::{ClipInfo, EffectInfo, EffectKind, FrameContext, ParamKind, ParamSpec, ParamValue};
pub use instance::PluginInstance;
pub use live::{LiveCatalog, ReloadStatus};
pub use runtime::{LoadedPlugin, PluginRuntime, SUPPORTED_CONTRACTS};
pub use sandbox::SandboxConfig;
pub use state::GpuSession;
