//! `style/v9`: a test guest built against `pika:fx@9.0.0` (see `wit/`), a
//! contract version no host supports. Otherwise a well-formed plugin that
//! copies its input. The host must refuse to load it, naming 9.0.0 and the
//! versions it supports.

mod bindings {
    wit_bindgen::generate!({
        path: "wit",
        world: "pika:fx/plugin",
    });
}

use bindings::exports::pika::fx::effect::{Guest, GuestRenderer, Renderer};
use bindings::pika::fx::gpu::Texture;
use bindings::pika::fx::types::{ClipInfo, EffectInfo, EffectKind, FrameContext, ParamValue};

struct V9;

struct V9Renderer;

impl Guest for V9 {
    type Renderer = V9Renderer;

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "v9".into(),
            name: "Unsupported contract test guest".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Style,
            description: "Built against pika:fx@9.0.0, which no host supports.".into(),
            params: Vec::new(),
            history_frames: 0,
            tags: vec!["test".into()],
        }
    }

    fn create(_clip: ClipInfo, _params: Vec<(String, ParamValue)>) -> Result<Renderer, String> {
        Ok(Renderer::new(V9Renderer))
    }
}

impl GuestRenderer for V9Renderer {
    fn render(
        &self,
        _ctx: FrameContext,
        _params: Vec<(String, ParamValue)>,
        input: &Texture,
        _history: Vec<Texture>,
        output: &Texture,
    ) -> Result<(), String> {
        output.write_rgba(&input.read_rgba()).map_err(|e| format!("{e:?}"))
    }
}

bindings::export!(V9 with_types_in bindings);
