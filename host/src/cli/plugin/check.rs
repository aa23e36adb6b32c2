//! `pikafx plugin check`: everything the host will hold a plugin to, before
//! it meets a real clip.

use super::super::setup::CommonArgs;
use crate::plugin::{Catalog, LoadedPlugin, ParamKind};
use crate::render::Renderer;
use crate::stack::{Layer, Stack};
use anyhow::{Context, bail};
use clap::Args;
use std::path::PathBuf;

/// Arguments of `pikafx plugin check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The plugin component to check.
    pub plugin: PathBuf,
    /// Width of the generated test clip.
    #[arg(long, default_value_t = 256)]
    pub width: u32,
    /// Height of the generated test clip.
    #[arg(long, default_value_t = 144)]
    pub height: u32,
    /// Frames of the generated test clip.
    #[arg(long, default_value_t = 12)]
    pub frames: u32,
}

/// One rendering of the plugin with some parameter values.
struct Case {
    label: String,
    params: Vec<(String, serde_json::Value)>,
}

/// The renderings a check makes: defaults, then each parameter at its
/// extremes (or every option), the others at their defaults.
fn cases(plugin: &LoadedPlugin) -> Vec<Case> {
    let mut cases = vec![Case { label: "default parameters".into(), params: Vec::new() }];
    for p in &plugin.info().params {
        let values: Vec<serde_json::Value> = match &p.kind {
            // Through the shortest decimal text, so labels read `0.3`, not `0.30000001192092896`.
            ParamKind::Float { min, max, .. } | ParamKind::Angle { min, max, .. } => {
                [min, max].iter().map(|v| json_number(&v.to_string())).collect()
            }
            ParamKind::Int { min, max, .. } => vec![(*min).into(), (*max).into()],
            ParamKind::Toggle { default } => vec![(!default).into()],
            ParamKind::Choice { options, default } => {
                options.iter().filter(|o| *o != default).map(|o| o.clone().into()).collect()
            }
            ParamKind::Color { .. } => {
                vec![serde_json::json!([0.0, 0.0, 0.0, 1.0]), serde_json::json!([1.0, 1.0, 1.0, 1.0])]
            }
            ParamKind::Point { .. } => vec![serde_json::json!([0.0, 0.0]), serde_json::json!([1.0, 1.0])],
        };
        for v in values {
            cases.push(Case { label: format!("{} = {v}", p.name), params: vec![(p.name.clone(), v)] });
        }
    }
    cases
}

fn json_number(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or(serde_json::Value::Null)
}

/// Runs `pikafx plugin check`.
pub fn run(common: &CommonArgs, args: CheckArgs) -> anyhow::Result<()> {
    let runtime = common.runtime()?;
    let plugin = runtime.load(&args.plugin)?;
    let info = plugin.info().clone();
    println!(
        "ok   loads: {} ({}), contract pika:fx@{}, {} parameter(s), specs valid",
        info.reference(),
        info.name,
        plugin.contract_version(),
        info.params.len()
    );
    let all_cases = cases(&plugin);
    let mut catalog = Catalog::empty();
    catalog.add(plugin);
    let renderer: Renderer = common.renderer(runtime)?;
    let mut failures = 0;
    let mut default_output = None;
    for case in &all_cases {
        let mut layer = Layer::new(info.reference());
        layer.params.extend(case.params.iter().cloned());
        let stack = Stack { layers: vec![layer], overlays: Vec::new() }
            .prepare(&catalog)
            .context("preparing the check's stack")?;
        match renderer.run_synthetic(&stack, args.width, args.height, args.frames, true) {
            Ok(run) => {
                println!("ok   renders {} frames at {}x{} with {}", run.frames, args.width, args.height, case.label);
                if default_output.is_none() {
                    default_output = Some((stack, run));
                }
            }
            Err(e) => {
                failures += 1;
                println!("FAIL {}: {e}", case.label);
            }
        }
    }
    if let Some((stack, first)) = default_output {
        let again = renderer.run_synthetic(&stack, args.width, args.height, args.frames, true)?;
        let outputs = |r: &crate::render::SyntheticRun| r.pixels.iter().map(|(_, o)| o.clone()).collect::<Vec<_>>();
        if outputs(&first) == outputs(&again) {
            println!("ok   deterministic: two renders with the same parameters are identical");
        } else {
            failures += 1;
            println!("FAIL not deterministic: two renders with the same parameters differ");
        }
        if first.pixels.iter().all(|(input, output)| input == output) {
            println!("warn with default parameters the output equals the input on every frame");
        }
    }
    if failures > 0 {
        bail!("{} failed {failures} of the checks above", args.plugin.display());
    }
    println!("plugin check passed: {}", args.plugin.display());
    Ok(())
}
