//! `pikafx apply`: render a clip through a stack.

use super::setup::CommonArgs;
use crate::media::EncodeSettings;
use crate::plugin::EffectRef;
use crate::render::RenderOptions;
use crate::stack::{Layer, Stack, parse_cli_value};
use anyhow::{Context, bail};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;

/// Arguments of `pikafx apply`.
#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// The source clip (never modified).
    pub input: PathBuf,
    /// Where to write the result (container from the extension: mp4, mov, mkv).
    #[arg(short, long)]
    pub output: PathBuf,
    #[command(flatten)]
    pub stack: StackArgs,
    /// x264 constant rate factor (0-51, lower is better).
    #[arg(long, default_value_t = 23, value_parser = clap::value_parser!(u8).range(0..=51))]
    pub crf: u8,
    /// x264 preset (ultrafast ... veryslow).
    #[arg(long, default_value = "veryfast")]
    pub preset: String,
    /// Drop the audio instead of copying or re-encoding it.
    #[arg(long)]
    pub no_audio: bool,
    /// Print a JSON line of render statistics (frames, fps, time inside plugins) on stdout.
    #[arg(long)]
    pub stats: bool,
    /// Also time each GPU pass (the host's and the plugins' shaders) with
    /// timestamp queries, and list them, the most expensive first (in the
    /// `--stats` line as `passes` when that is given).
    #[arg(long)]
    pub passes: bool,
}

/// How a stack is given on the command line.
#[derive(Debug, Args)]
pub struct StackArgs {
    /// A stack JSON file (DESIGN.md §4 format); `--effect` layers are appended.
    #[arg(long, value_name = "FILE")]
    pub stack: Option<PathBuf>,
    /// An effect to add as a layer, e.g. `style/noir` or `pikaffect/melt@0.1` (repeatable).
    #[arg(short, long = "effect", value_name = "REF")]
    pub effects: Vec<String>,
    /// A parameter, `ID.NAME=VALUE` or `LAYER.NAME=VALUE` (1-based layer number), e.g. `melt.intensity=0.8`.
    #[arg(short, long = "param", value_name = "TARGET.NAME=VALUE")]
    pub params: Vec<String>,
    /// Render a stack with no layers as a plain pass-through (decode, convert, encode).
    #[arg(long)]
    pub allow_empty: bool,
}

impl StackArgs {
    /// The stack the flags describe.
    pub fn build(&self) -> anyhow::Result<Stack> {
        let mut stack = match &self.stack {
            Some(path) => {
                let text =
                    std::fs::read_to_string(path).with_context(|| format!("reading stack {}", path.display()))?;
                Stack::from_json(&text).with_context(|| format!("stack {}", path.display()))?
            }
            None => Stack::default(),
        };
        stack.layers.extend(self.effects.iter().map(Layer::new));
        for param in &self.params {
            let (target, value) =
                param.split_once('=').with_context(|| format!("--param `{param}`: expected TARGET.NAME=VALUE"))?;
            let (layer, name) =
                target.rsplit_once('.').with_context(|| format!("--param `{param}`: expected TARGET.NAME=VALUE"))?;
            let index = find_layer(&stack, layer).with_context(|| format!("--param `{param}`"))?;
            stack.layers[index].params.insert(name.to_owned(), parse_cli_value(value));
        }
        Ok(stack)
    }
}

/// The layer a `--param` target names: a 1-based number or an effect id.
fn find_layer(stack: &Stack, target: &str) -> anyhow::Result<usize> {
    if let Ok(n) = target.parse::<usize>() {
        if n == 0 || n > stack.layers.len() {
            bail!("there is no layer {n} (the stack has {} layer(s))", stack.layers.len());
        }
        return Ok(n - 1);
    }
    let ids: Vec<Option<String>> =
        stack.layers.iter().map(|l| l.effect.parse::<EffectRef>().ok().map(|r| r.id)).collect();
    let matching: Vec<usize> =
        ids.iter().enumerate().filter(|(_, id)| id.as_deref() == Some(target)).map(|(i, _)| i).collect();
    match matching.as_slice() {
        [one] => Ok(*one),
        [] => bail!(
            "no layer is effect `{target}`; layers: {}",
            ids.iter().flatten().cloned().collect::<Vec<_>>().join(", ")
        ),
        _ => bail!("several layers are `{target}`; use the layer number instead (1..={})", stack.layers.len()),
    }
}

/// Runs `pikafx apply`.
pub fn run(common: &CommonArgs, args: ApplyArgs) -> anyhow::Result<()> {
    crate::media::init()?;
    let stack = args.stack.build()?;
    if stack.layers.is_empty() && stack.overlays.is_empty() && !args.stack.allow_empty {
        bail!("no effects given: use --effect REF or --stack FILE (or --allow-empty for a pass-through)");
    }
    let runtime = common.runtime()?;
    let catalog = common.catalog(&runtime)?;
    let prepared = if stack.layers.is_empty() && stack.overlays.is_empty() {
        crate::stack::PreparedStack::default()
    } else {
        stack.prepare(&catalog)?
    };
    let renderer = if args.passes { common.renderer_timing_passes(runtime)? } else { common.renderer(runtime)? };
    let adapter = renderer.gpu().adapter_name().to_owned();
    let options = RenderOptions {
        limits: common.media_limits(),
        encode: EncodeSettings {
            crf: args.crf,
            preset: args.preset.clone(),
            audio: !args.no_audio,
            metadata: Vec::new(),
        },
        cancel: None,
    };
    let bar = progress_bar(common.quiet);
    let mut progress = |done: u64, total: u64| {
        if total > 0 && bar.length() != Some(total.max(done)) {
            bar.set_length(total.max(done));
        }
        bar.set_position(done);
    };
    let report = renderer.render_file(&args.input, &args.output, &prepared, &options, &mut progress);
    bar.finish_and_clear();
    let report = report?;
    let frames = (report.frames as f64).max(1.0);
    let passes = if args.passes { Some(renderer.gpu().take_pass_times()?) } else { None };
    if args.stats {
        let secs = report.elapsed.as_secs_f64();
        let calls = report.plugin_calls.max(1) as f64;
        println!(
            "{}",
            serde_json::json!({
                "frames": report.frames,
                "seconds": secs,
                "fps": report.frames as f64 / secs.max(1e-9),
                "plugin_calls": report.plugin_calls,
                "plugin_ms_per_call": report.plugin_time.as_secs_f64() * 1e3 / calls,
                "gpu": adapter,
                "passes": passes.as_ref().map(|p| super::passes::json_rows(p, frames)),
            })
        );
    } else if let Some(passes) = &passes {
        super::passes::print_table(passes, frames);
    }
    if !common.quiet {
        for warning in &report.warnings {
            eprintln!("warning: {warning}");
        }
        if let Some((w, h)) = report.padded_from {
            eprintln!(
                "note: {w}x{h} is odd; padded to {}x{} by repeating the last row/column",
                report.width, report.height
            );
        }
        let secs = report.elapsed.as_secs_f64();
        println!(
            "wrote {} ({} frames, {}x{}, {:.1} s, {:.1} fps)",
            args.output.display(),
            report.frames,
            report.width,
            report.height,
            secs,
            report.frames as f64 / secs.max(1e-9)
        );
    }
    Ok(())
}

/// A progress bar on stderr (drawn only on a terminal).
pub(crate) fn progress_bar(quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0);
    if let Ok(style) = ProgressStyle::with_template("{spinner} {wide_bar} {pos}/{len} frames {per_sec} eta {eta}") {
        bar.set_style(style);
    }
    bar
}
