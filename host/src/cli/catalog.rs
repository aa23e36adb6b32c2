//! `pikafx effects` and `pikafx inspect`.

use super::setup::CommonArgs;
use crate::plugin::{EffectInfo, LoadedPlugin};
use clap::Args;
use std::path::PathBuf;

/// Arguments of `pikafx effects`.
#[derive(Debug, Args)]
pub struct EffectsArgs {
    /// Print the catalog as JSON (with full parameter specs).
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `pikafx inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// A plugin `.wasm` component.
    pub plugin: PathBuf,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `pikafx effects`.
pub fn effects(common: &CommonArgs, args: EffectsArgs) -> anyhow::Result<()> {
    let runtime = common.runtime()?;
    let catalog = common.catalog(&runtime)?;
    if args.json {
        let list: Vec<serde_json::Value> = catalog.plugins().iter().map(|p| plugin_json(p)).collect();
        println!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(());
    }
    for plugin in catalog.plugins() {
        print_info(plugin.info());
        println!();
    }
    Ok(())
}

/// Runs `pikafx inspect`.
pub fn inspect(common: &CommonArgs, args: InspectArgs) -> anyhow::Result<()> {
    let runtime = common.runtime()?;
    let plugin = runtime.load(&args.plugin)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&plugin_json(&plugin))?);
        return Ok(());
    }
    print_info(plugin.info());
    println!("  contract: pika:fx@{}", plugin.contract_version());
    println!("  file:     {}", plugin.path().display());
    println!("  sha256:   {}", plugin.hash());
    println!("  loaded:   {:.1} ms ({:?})", plugin.load_time().as_secs_f64() * 1e3, plugin.cache_outcome());
    Ok(())
}

fn plugin_json(plugin: &LoadedPlugin) -> serde_json::Value {
    serde_json::json!({
        "reference": plugin.info().reference(),
        "contract": format!("pika:fx@{}", plugin.contract_version()),
        "file": plugin.path(),
        "sha256": plugin.hash(),
        "info": plugin.info(),
    })
}

fn print_info(info: &EffectInfo) {
    println!("{}  {} — {}", info.reference(), info.name, info.description);
    if info.history_frames > 0 {
        println!("  history: {} previous frame(s)", info.history_frames);
    }
    if !info.tags.is_empty() {
        println!("  tags: {}", info.tags.join(", "));
    }
    for p in &info.params {
        let anim = if p.animatable { ", animatable" } else { "" };
        println!("  --param {}.{}  {}{}: {}", info.id, p.name, p.kind.describe_range(), anim, p.description);
    }
}
