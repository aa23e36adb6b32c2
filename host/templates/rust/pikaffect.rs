//! `pikaffect/{{id}}`: the subject turns to gold over the layer's time range,
//! as a pikafx WebAssembly component (world `plugin` of `pika:fx@0.1.0`,
//! vendored in `wit/`).
//!
//! The plugin never touches pixels: `create` compiles one WGSL compute shader
//! (`src/effect.wgsl`) on the host's GPU; `render` asks the host for the
//! frame's subject mask (`analysis::subject-mask`) and queues one dispatch per
//! frame with the parameters and `ctx.progress` as uniforms.

wit_bindgen::generate!({ world: "plugin", path: "wit" });

use exports::pika::fx::effect::{Guest, GuestRenderer, Renderer};
use pika::fx::analysis;
use pika::fx::gpu::{self, Shader, Texture};
use pika::fx::log::{self, Level};
use pika::fx::types::{
    ClipInfo, EffectInfo, EffectKind, FloatRange, FrameContext, GpuError, ParamKind, ParamSpec,
    ParamValue,
};

/// The effect id: stacks name it `pikaffect/{{id}}`.
const EFFECT_ID: &str = "{{id}}";
/// The compute shader (binding convention: see the `gpu` interface in `wit/`).
const WGSL: &str = include_str!("effect.wgsl");
const DEFAULT_INTENSITY: f32 = 1.0;
const DEFAULT_SHINE: f32 = 0.3;

/// The exported `pika:fx/effect` implementation.
struct Effect;

/// Per-clip state: the compiled shader.
struct EffectRenderer {
    shader: Shader,
}

impl Guest for Effect {
    type Renderer = EffectRenderer;

    fn describe() -> EffectInfo {
        EffectInfo {
            id: EFFECT_ID.into(),
            name: "{{title}}".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "The subject turns to gold over time; the background stays.".into(),
            params: vec![
                float_param(
                    "intensity",
                    "Intensity",
                    "How golden the subject is by the end of the effect.",
                    0.0,
                    1.0,
                    DEFAULT_INTENSITY,
                ),
                float_param(
                    "shine",
                    "Shine",
                    "How much the gold is brightened.",
                    0.0,
                    1.0,
                    DEFAULT_SHINE,
                ),
            ],
            history_frames: 0,
            tags: vec!["subject".into(), "gold".into()],
        }
    }

    fn create(clip: ClipInfo, _params: Vec<(String, ParamValue)>) -> Result<Renderer, String> {
        let shader = gpu::compile(WGSL, "main").map_err(gpu_err)?;
        log::log(
            Level::Debug,
            &format!(
                "{EFFECT_ID}: shader compiled for {}x{}",
                clip.width, clip.height
            ),
        );
        Ok(Renderer::new(EffectRenderer { shader }))
    }
}

impl GuestRenderer for EffectRenderer {
    fn render(
        &self,
        ctx: FrameContext,
        params: Vec<(String, ParamValue)>,
        input: &Texture,
        _history: Vec<Texture>,
        output: &Texture,
    ) -> Result<(), String> {
        let mask = analysis::subject_mask(input).map_err(gpu_err)?;
        let progress = if ctx.progress.is_finite() {
            ctx.progress.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let uniforms = [
            float(&params, "intensity", DEFAULT_INTENSITY),
            float(&params, "shine", DEFAULT_SHINE),
            progress,
        ];
        gpu::dispatch(&self.shader, &[input, &mask], output, &uniforms).map_err(gpu_err)
    }
}
{{common}}
export!(Effect);
