//! The `pikafx` command line. This is the binary's edge: errors are
//! `anyhow`, printed as one line by `main`.

mod apply;
mod catalog;
mod gallery;
mod passes;
mod plugin;
mod preview;
mod serve;
mod setup;

use clap::{Parser, Subcommand};

/// Runs video effects as sandboxed WebAssembly components on the GPU.
#[derive(Debug, Parser)]
#[command(name = "pikafx", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    common: setup::CommonArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Apply a stack of effects to a clip and encode the result.
    Apply(apply::ApplyArgs),
    /// List the available effects with their parameters.
    Effects(catalog::EffectsArgs),
    /// Show what a plugin file is: id, kind, contract version, parameters.
    Inspect(catalog::InspectArgs),
    /// Render every effect on a sample clip into contact sheets with an index.
    Gallery(gallery::GalleryArgs),
    /// Render a before/after contact sheet (PNG) of a few frames.
    Preview(preview::PreviewArgs),
    /// Plugin authoring: scaffold, build, check, benchmark.
    #[command(subcommand)]
    Plugin(plugin::PluginCommand),
    /// Run the effects API server (jobs, clips, webhooks, credits).
    Serve(serve::ServeArgs),
    /// Manage the server's API keys.
    #[command(subcommand)]
    Keys(serve::KeysCommand),
    /// A Model Context Protocol server for AI agents, over stdio or HTTP.
    Mcp(serve::McpArgs),
    /// Top up the credits of a server account.
    #[command(subcommand)]
    Credits(serve::CreditsCommand),
}

/// Parses the command line and runs it.
pub fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    setup::init_logging(&cli.common);
    match cli.command {
        Command::Apply(args) => apply::run(&cli.common, args),
        Command::Effects(args) => catalog::effects(&cli.common, args),
        Command::Inspect(args) => catalog::inspect(&cli.common, args),
        Command::Preview(args) => preview::run(&cli.common, args),
        Command::Gallery(args) => gallery::run(&cli.common, args),
        Command::Plugin(command) => plugin::run(&cli.common, command),
        Command::Serve(args) => serve::run(&cli.common, args),
        Command::Keys(command) => serve::keys(command),
        Command::Credits(command) => serve::credits(command),
        Command::Mcp(args) => serve::mcp(args),
    }
}
