//! `pikafx plugin ...`: the plugin author's toolkit.
//!
//! - `new`: scaffold a plugin project (Rust, Python or JavaScript).
//! - `build`: build a plugin project with the right toolchain and flags.
//! - `check`: validate a built `.wasm` and render a short generated clip.
//! - `bench`: per-frame cost of a plugin (WASM side, GPU side), load times, memory.

mod bench;
mod build;
mod check;
mod new;

use super::setup::CommonArgs;
use clap::Subcommand;

/// `pikafx plugin` subcommands.
#[derive(Debug, Subcommand)]
pub enum PluginCommand {
    /// Scaffold a working plugin project.
    New(new::NewArgs),
    /// Build the plugin project in a directory into one `.wasm` component.
    Build(build::BuildArgs),
    /// Validate a plugin component and render a short generated clip with it.
    Check(check::CheckArgs),
    /// Measure a plugin: load time (cold and cached), ms per frame, memory.
    Bench(bench::BenchArgs),
}

/// Runs a `pikafx plugin` subcommand.
pub fn run(common: &CommonArgs, command: PluginCommand) -> anyhow::Result<()> {
    match command {
        PluginCommand::New(args) => new::run(args),
        PluginCommand::Build(args) => build::run(args),
        PluginCommand::Check(args) => check::run(common, args),
        PluginCommand::Bench(args) => bench::run(common, args),
    }
}
