//! `pikafx preview`: a before/after contact sheet, or with `--web` a local
//! live-preview page (see [`crate::preview_web`]).

use super::apply::{StackArgs, progress_bar};
use super::setup::CommonArgs;
use crate::render::{RenderOptions, contact_sheet};
use anyhow::{Context, bail};
use clap::Args;
use std::path::PathBuf;

/// Arguments of `pikafx preview`.
#[derive(Debug, Args)]
pub struct PreviewArgs {
    /// The source clip.
    pub input: PathBuf,
    /// Where to write the PNG sheet (sources on top, results below); not needed with `--web`.
    #[arg(short, long, required_unless_present = "web")]
    pub output: Option<PathBuf>,
    /// Serve a live-preview page on 127.0.0.1 instead of writing a sheet (runs until Ctrl-C).
    #[arg(long)]
    pub web: bool,
    /// Port of the `--web` page (0 = any free port).
    #[arg(long, default_value_t = 0, requires = "web")]
    pub port: u16,
    #[command(flatten)]
    pub stack: StackArgs,
    /// How many frames, spread evenly over the clip.
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub frames: u16,
    /// Width of each cell in pixels.
    #[arg(long, default_value_t = 320)]
    pub cell_width: u32,
}

/// Runs `pikafx preview`.
pub fn run(common: &CommonArgs, args: PreviewArgs) -> anyhow::Result<()> {
    crate::media::init()?;
    let stack = args.stack.build()?;
    if args.web {
        return web(common, args, stack);
    }
    let Some(output) = args.output else { bail!("--output is required without --web") };
    if stack.layers.is_empty() && stack.overlays.is_empty() {
        bail!("no effects given: use --effect REF or --stack FILE");
    }
    let runtime = common.runtime()?;
    let catalog = common.catalog(&runtime)?;
    let prepared = stack.prepare(&catalog)?;
    let renderer = common.renderer(runtime)?;
    let options = RenderOptions { limits: common.media_limits(), ..RenderOptions::default() };
    let bar = progress_bar(common.quiet);
    let mut progress = |done: u64, total: u64| {
        bar.set_length(total.max(done));
        bar.set_position(done);
    };
    let result = renderer.preview(&args.input, &prepared, usize::from(args.frames), &options, &mut progress);
    bar.finish_and_clear();
    let (frames, warnings) = result?;
    let sheet = contact_sheet(&frames, args.cell_width).context("building the contact sheet")?;
    sheet.save(&output).with_context(|| format!("writing {}", output.display()))?;
    if !common.quiet {
        for w in warnings {
            eprintln!("warning: {w}");
        }
        println!("wrote {} ({} frames, before on top, after below)", output.display(), frames.len());
    }
    Ok(())
}

/// Runs `pikafx preview --web`: the stack may be empty (layers are added on the page).
fn web(common: &CommonArgs, args: PreviewArgs, stack: crate::stack::Stack) -> anyhow::Result<()> {
    let runtime = common.runtime()?;
    let catalog = common.catalog(&runtime)?;
    if !stack.layers.is_empty() {
        stack.prepare(&catalog)?;
    }
    // Hot reload: a changed `.wasm` in the plugin directories is used for
    // the next render; a broken build leaves the previous version in service.
    let live = crate::plugin::LiveCatalog::new(runtime.clone(), common.plugin_dirs()?, catalog);
    let renderer = common.renderer(runtime)?;
    let config = crate::preview_web::WebConfig {
        input: args.input,
        port: args.port,
        limits: common.media_limits(),
        initial: stack,
        export_dir: std::env::current_dir().context("reading the current directory")?,
        quiet: common.quiet,
    };
    crate::preview_web::serve(renderer, live, config)
}
