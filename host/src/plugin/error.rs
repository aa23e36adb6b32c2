//! Plugin errors, each naming the plugin.

use std::path::PathBuf;

/// Why loading or running a plugin failed.
#[derive(Debug, thiserror::Error)]
pub enum PluginError {
    /// The plugin file could not be read.
    #[error("cannot read plugin {path}: {error}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        error: std::io::Error,
    },
    /// The bytes are not a WebAssembly component that wasmtime accepts.
    #[error("plugin {plugin} is not a valid WebAssembly component: {reason}")]
    NotAComponent {
        /// Which plugin.
        plugin: String,
        /// wasmtime's reason.
        reason: String,
    },
    /// The component does not export `pika:fx/effect`, or another version.
    #[error("plugin {plugin} targets {found}; this host supports pika:fx versions {}", supported.join(", "))]
    UnsupportedContract {
        /// Which plugin.
        plugin: String,
        /// What it exports instead.
        found: String,
        /// Contract versions this host supports.
        supported: Vec<&'static str>,
    },
    /// The component imports something the host does not provide.
    #[error(
        "plugin {plugin} imports `{import}`, which pikafx does not provide (plugins get pika:fx gpu/analysis/log and capability-free WASI cli/io/clocks/random/filesystem/sockets only)"
    )]
    UnsupportedImport {
        /// Which plugin.
        plugin: String,
        /// The import's name.
        import: String,
    },
    /// Instantiation failed for another reason.
    #[error("plugin {plugin} could not be instantiated: {reason}")]
    Instantiate {
        /// Which plugin.
        plugin: String,
        /// wasmtime's reason.
        reason: String,
    },
    /// `describe` returned an effect-info the host cannot use.
    #[error("plugin {plugin} describes itself inconsistently: {}", problems.join("; "))]
    InvalidInfo {
        /// Which plugin.
        plugin: String,
        /// Every problem found.
        problems: Vec<String>,
    },
    /// The plugin trapped, timed out or ran out of memory.
    #[error("plugin {plugin} {reason} in `{call}`")]
    Trap {
        /// Which plugin.
        plugin: String,
        /// Which export was running.
        call: &'static str,
        /// What happened, in words.
        reason: String,
    },
    /// The plugin returned an error of its own.
    #[error("plugin {plugin} failed in `{call}`: {message}")]
    Failed {
        /// Which plugin.
        plugin: String,
        /// Which export was running.
        call: &'static str,
        /// The plugin's own message.
        message: String,
    },
    /// The instance trapped earlier and can no longer be used.
    #[error("plugin {plugin} cannot be called again after it trapped")]
    Poisoned {
        /// Which plugin.
        plugin: String,
    },
}
