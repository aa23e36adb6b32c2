//! `pikafx plugin build` (to be written).

use clap::Args;

/// Arguments of `pikafx plugin build`.
#[derive(Debug, Args)]
pub struct BuildArgs {}

/// Runs `pikafx plugin build`.
pub fn run(_args: BuildArgs) -> anyhow::Result<()> {
    anyhow::bail!("not written yet")
}
