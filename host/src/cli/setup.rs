//! Options every subcommand shares, and building the runtime from them.

use crate::gpu::{GpuContext, GpuLimits};
use crate::media::MediaLimits;
use crate::plugin::{Catalog, CompileCache, PluginRuntime, SandboxConfig};
use crate::render::Renderer;
use anyhow::Context;
use clap::Args;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Options shared by all subcommands (flags > `PIKAFX_*` environment > defaults).
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Directory of plugin `.wasm` files (repeatable). Default: `$PIKAFX_PLUGIN_PATH`
    /// (colon-separated), else `plugins/` beside or above the executable's directory.
    #[arg(long = "plugins", global = true, value_name = "DIR")]
    pub plugin_dirs: Vec<PathBuf>,
    /// Where compiled plugins are cached.
    #[arg(long, global = true, env = "PIKAFX_CACHE_DIR", value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Do not cache compiled plugins.
    #[arg(long, global = true)]
    pub no_cache: bool,
    /// Linear memory one plugin may use, in MiB.
    #[arg(long, global = true, env = "PIKAFX_MEMORY_LIMIT_MB", default_value_t = 256)]
    pub memory_limit_mb: usize,
    /// Wall-clock budget of one plugin `render` call, in milliseconds.
    #[arg(long, global = true, env = "PIKAFX_CALL_TIMEOUT_MS", default_value_t = 2000)]
    pub call_timeout_ms: u64,
    /// Largest accepted frame side, in pixels.
    #[arg(long, global = true, env = "PIKAFX_MAX_DIMENSION", default_value_t = 8192)]
    pub max_dimension: u32,
    /// Largest accepted frame area, in pixels.
    #[arg(long, global = true, env = "PIKAFX_MAX_PIXELS", default_value_t = 40_000_000)]
    pub max_pixels: u64,
    /// Print only errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Print plugin log messages and more.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

impl CommonArgs {
    pub(crate) fn media_limits(&self) -> MediaLimits {
        MediaLimits { max_dimension: self.max_dimension, max_pixels: self.max_pixels }
    }

    pub(crate) fn sandbox(&self) -> SandboxConfig {
        SandboxConfig {
            memory_limit: self.memory_limit_mb << 20,
            render_timeout: Duration::from_millis(self.call_timeout_ms),
            ..SandboxConfig::default()
        }
    }

    pub(crate) fn plugin_dirs(&self) -> anyhow::Result<Vec<PathBuf>> {
        if !self.plugin_dirs.is_empty() {
            return Ok(self.plugin_dirs.clone());
        }
        if let Some(path) = std::env::var_os("PIKAFX_PLUGIN_PATH") {
            return Ok(std::env::split_paths(&path).filter(|p| !p.as_os_str().is_empty()).collect());
        }
        let exe = std::env::current_exe().context("locating the pikafx executable")?;
        let candidates = exe.ancestors().skip(1).take(2).map(|dir| dir.join("plugins"));
        let found: Vec<PathBuf> = candidates.filter(|d| d.is_dir()).take(1).collect();
        if found.is_empty() {
            anyhow::bail!(
                "no plugin directory: pass --plugins DIR or set PIKAFX_PLUGIN_PATH (build the bundled plugins with `make plugins`)"
            );
        }
        Ok(found)
    }

    /// The plugin runtime with this sandbox and cache.
    pub(crate) fn runtime(&self) -> anyhow::Result<Arc<PluginRuntime>> {
        let cache = if self.no_cache { None } else { self.cache_dir.clone().or_else(CompileCache::default_dir) };
        Ok(PluginRuntime::new(self.sandbox(), CompileCache::new(cache))?)
    }

    /// Every plugin in the plugin directories.
    pub(crate) fn catalog(&self, runtime: &PluginRuntime) -> anyhow::Result<Catalog> {
        let catalog = Catalog::load(runtime, &self.plugin_dirs()?)?;
        for problem in catalog.load_errors() {
            if !self.quiet {
                eprintln!("warning: {problem}");
            }
        }
        Ok(catalog)
    }

    /// A renderer over the default GPU.
    pub(crate) fn renderer(&self, runtime: Arc<PluginRuntime>) -> anyhow::Result<Renderer> {
        self.renderer_on(GpuContext::new(GpuLimits::default())?, runtime)
    }

    /// Like [`CommonArgs::renderer`], on a GPU context that times every
    /// pass (`plugin bench --passes`).
    pub(crate) fn renderer_timing_passes(&self, runtime: Arc<PluginRuntime>) -> anyhow::Result<Renderer> {
        self.renderer_on(GpuContext::with_pass_timing(GpuLimits::default())?, runtime)
    }

    fn renderer_on(&self, gpu: Arc<GpuContext>, runtime: Arc<PluginRuntime>) -> anyhow::Result<Renderer> {
        tracing::info!("GPU: {}", gpu.adapter_name());
        Ok(Renderer::new(gpu, runtime))
    }
}

/// Logs to stderr: warnings by default, plugin messages with `-v`,
/// `RUST_LOG` overrides.
pub(crate) fn init_logging(common: &CommonArgs) {
    let default = if common.quiet {
        "error"
    } else if common.verbose {
        "info"
    } else {
        "warn"
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ =
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_target(false).try_init();
}
