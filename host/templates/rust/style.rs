//! `style/{{id}}`: a warm/cool tint and a contrast curve, as a pikafx
//! WebAssembly component (world `plugin` of `pika:fx@0.1.0`, vendored in `wit/`).
//!
//! The plugin never touches pixels: `create` compiles one WGSL compute shader
//! (`src/effect.wgsl`) on the host's GPU and `render` queues one dispatch per
//! frame with the parameters as uniforms.

wit_bindgen::generate!({ world: "plugin", path: "wit" });

use exports::pika::fx::effect::{Guest, GuestRenderer, Renderer};
use pika::fx::gpu::{self, Shader, Texture};
use pika::fx::log::{self, Level};
use pika::fx::types::{
    ClipInfo, EffectInfo, EffectKind, FloatRange, FrameContext, GpuError, ParamKind, ParamSpec,
    ParamValue,
};

/// The effect id: stacks name it `style/{{id}}`.
const EFFECT_ID: &str = "{{id}}";
/// The compute shader (binding convention: see the `gpu` interface in `wit/`).
const WGSL: &str = include_str!("effect.wgsl");
const DEFAULT_WARMTH: f32 = 0.5;
const DEFAULT_CONTRAST: f32 = 1.25;

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
            kind: EffectKind::Style,
            description: "A warm or cool tint with a contrast curve.".into(),
            params: vec![
                float_param(
                    "warmth",
                    "Warmth",
                    "Above 0 pushes red up and blue down; below 0 the reverse.",
                    -1.0,
                    1.0,
                    DEFAULT_WARMTH,
                ),
                float_param(
                    "contrast",
                    "Contrast",
                    "How strongly tones are pushed away from mid-grey (1 leaves them).",
                    0.5,
                    2.0,
                    DEFAULT_CONTRAST,
                ),
            ],
            history_frames: 0,
            tags: vec!["colour".into(), "tint".into()],
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
        _ctx: FrameContext,
        params: Vec<(String, ParamValue)>,
        input: &Texture,
        _history: Vec<Texture>,
        output: &Texture,
    ) -> Result<(), String> {
        let uniforms = [
            float(&params, "warmth", DEFAULT_WARMTH),
            float(&params, "contrast", DEFAULT_CONTRAST),
        ];
        gpu::dispatch(&self.shader, &[input], output, &uniforms).map_err(gpu_err)
    }
}
{{common}}
export!(Effect);
