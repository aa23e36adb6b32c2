//! `style/rotate-hue`: a test guest built against `pika:fx@0.2.0` with plain
//! wit-bindgen (the SDK targets 0.3.0). Its one parameter, `hue`, is of the
//! kind 0.2.0 added, `angle`; the shader rotates every colour about the grey
//! axis by that many degrees.

mod bindings {
    wit_bindgen::generate!({
        path: "../../../wit/0.2.0",
        world: "pika:fx/plugin",
    });
}

use bindings::exports::pika::fx::effect::{Guest, GuestRenderer, Renderer};
use bindings::pika::fx::gpu::{self, Shader, Texture};
use bindings::pika::fx::types::{
    ClipInfo, EffectInfo, EffectKind, FloatRange, FrameContext, GpuError, ParamKind, ParamSpec, ParamValue,
};

const WGSL: &str = include_str!("../rotate_hue.wgsl");

/// The default rotation, in degrees.
const DEFAULT_HUE: f32 = 90.0;

struct RotateHue;

struct RotateHueRenderer {
    shader: Shader,
}

/// Words for a GPU error, for the user.
fn words(e: GpuError) -> String {
    match e {
        GpuError::InvalidShader((message, _)) => format!("invalid shader: {message}"),
        GpuError::InvalidArgument(m) => format!("invalid argument: {m}"),
        GpuError::LimitExceeded(m) => format!("limit exceeded: {m}"),
        GpuError::Device(m) => format!("GPU failure: {m}"),
    }
}

impl Guest for RotateHue {
    type Renderer = RotateHueRenderer;

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "rotate-hue".into(),
            name: "Rotate hue".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Style,
            description: "Turns the colour wheel by an angle; greys stay grey.".into(),
            params: vec![ParamSpec {
                name: "hue".into(),
                label: "Hue".into(),
                description: "How far colours are turned around the colour wheel, in degrees.".into(),
                kind: ParamKind::Angle(FloatRange { min: 0.0, max: 360.0, default: DEFAULT_HUE, step: 1.0 }),
                animatable: true,
            }],
            history_frames: 0,
            tags: vec!["test".into(), "colour".into()],
        }
    }

    fn create(_clip: ClipInfo, _params: Vec<(String, ParamValue)>) -> Result<Renderer, String> {
        let shader = gpu::compile(WGSL, "main").map_err(words)?;
        Ok(Renderer::new(RotateHueRenderer { shader }))
    }
}

impl GuestRenderer for RotateHueRenderer {
    fn render(
        &self,
        _ctx: FrameContext,
        params: Vec<(String, ParamValue)>,
        input: &Texture,
        _history: Vec<Texture>,
        output: &Texture,
    ) -> Result<(), String> {
        // An angle arrives as a float (see the contract's `param-kind`).
        let hue = params
            .iter()
            .find_map(|(name, value)| match value {
                ParamValue::Float(v) if name == "hue" => Some(*v),
                _ => None,
            })
            .unwrap_or(DEFAULT_HUE);
        gpu::dispatch(&self.shader, &[input], output, &[hue]).map_err(words)
    }
}

bindings::export!(RotateHue with_types_in bindings);
