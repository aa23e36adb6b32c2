//! `pikafx plugin new` (to be written).

use clap::Args;

/// Arguments of `pikafx plugin new`.
#[derive(Debug, Args)]
pub struct NewArgs {}

/// Runs `pikafx plugin new`.
pub fn run(_args: NewArgs) -> anyhow::Result<()> {
    anyhow::bail!("not written yet")
}
