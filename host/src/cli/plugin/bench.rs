//! `pikafx plugin bench`: what a plugin costs per frame and to load.

use super::super::setup::CommonArgs;
use crate::plugin::{Catalog, CompileCache, PluginRuntime};
use crate::stack::{Layer, Stack};
use clap::Args;
use std::path::PathBuf;
use std::time::Instant;

/// Arguments of `pikafx plugin bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The plugin component to measure.
    pub plugin: PathBuf,
    /// Frame width.
    #[arg(long, default_value_t = 1280)]
    pub width: u32,
    /// Frame height.
    #[arg(long, default_value_t = 720)]
    pub height: u32,
    /// Frames to render.
    #[arg(long, default_value_t = 60)]
    pub frames: u32,
    /// Print the results as JSON.
    #[arg(long)]
    pub json: bool,
    /// Also time each GPU pass (the host's and the plugin's shaders) with
    /// timestamp queries, and list them, the most expensive first.
    #[arg(long)]
    pub passes: bool,
}

/// Peak resident memory of this process in KiB (Linux `VmHWM`).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `pikafx plugin bench`.
pub fn run(common: &CommonArgs, args: BenchArgs) -> anyhow::Result<()> {
    // Load times: a fresh cache (compile), then the same cache (load).
    let cache = tempfile::tempdir()?;
    let fresh = || PluginRuntime::new(common.sandbox(), CompileCache::new(Some(cache.path().to_owned())));
    let started = Instant::now();
    fresh()?.load(&args.plugin)?;
    let cold = started.elapsed();
    let runtime = fresh()?;
    let started = Instant::now();
    let plugin = runtime.load(&args.plugin)?;
    let cached = started.elapsed();

    let reference = plugin.info().reference();
    let mut catalog = Catalog::empty();
    catalog.add(plugin);
    let stack = Stack { layers: vec![Layer::new(reference.clone())], overlays: Vec::new() }.prepare(&catalog)?;
    let renderer = if args.passes { common.renderer_timing_passes(runtime)? } else { common.renderer(runtime)? };
    // One short warm-up so shader compilation is not counted per frame.
    renderer.run_synthetic(&stack, args.width, args.height, 2, false)?;
    if args.passes {
        renderer.gpu().take_pass_times()?;
    }
    let run = renderer.run_synthetic(&stack, args.width, args.height, args.frames, false)?;
    let passes = if args.passes { Some(renderer.gpu().take_pass_times()?) } else { None };
    let frames = f64::from(run.frames.max(1));
    let per_frame = |d: std::time::Duration| d.as_secs_f64() * 1e3 / frames;
    let pass_rows = passes.as_ref().map(|p| super::super::passes::json_rows(p, frames));
    let report = serde_json::json!({
        "plugin": reference,
        "frame": format!("{}x{}", args.width, args.height),
        "frames": run.frames,
        "gpu": renderer.gpu().adapter_name(),
        "load_cold_ms": cold.as_secs_f64() * 1e3,
        "load_cached_ms": cached.as_secs_f64() * 1e3,
        "wasm_ms_per_frame": per_frame(run.plugin_time),
        "gpu_ms_per_frame": per_frame(run.gpu_time),
        "plugin_peak_memory_mib": run.peak_plugin_memory as f64 / f64::from(1 << 20),
        "process_peak_rss_mib": peak_rss_kib().map(|k| k as f64 / 1024.0),
        "passes": pass_rows,
        "untimed_passes": passes.as_ref().map(|p| p.untimed),
    });
    if args.json {
        println!("{report}");
        return Ok(());
    }
    println!(
        "{reference} at {}x{}, {} frames on {}",
        args.width,
        args.height,
        run.frames,
        renderer.gpu().adapter_name()
    );
    println!(
        "  load:   {:.1} ms cold (compile), {:.2} ms cached",
        cold.as_secs_f64() * 1e3,
        cached.as_secs_f64() * 1e3
    );
    println!(
        "  render: {:.3} ms/frame WASM side, {:.2} ms/frame GPU side",
        per_frame(run.plugin_time),
        per_frame(run.gpu_time)
    );
    println!(
        "  memory: plugin linear memory peak {:.1} MiB, process peak RSS {}",
        run.peak_plugin_memory as f64 / f64::from(1 << 20),
        peak_rss_kib().map(|k| format!("{:.0} MiB", k as f64 / 1024.0)).unwrap_or_else(|| "unknown".into())
    );
    if let Some(passes) = &passes {
        super::super::passes::print_table(passes, frames);
    }
    Ok(())
}
