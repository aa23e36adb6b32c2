//! `style/rogue-import`: a component that, besides the `pika:fx/plugin`
//! world, imports `evil:net/socket` (see `wit/rogue.wit`), which the host
//! does not provide. `render` calls the import so that it stays in the
//! component. The host must refuse to load it.

mod bindings {
    wit_bindgen::generate!({
        world: "evil:net/rogue",
        path: ["../../../wit/0.3.0", "wit"],
        with: {
            "pika:fx/types@0.3.0": pikafx_sdk::bindings::pika::fx::types,
            "pika:fx/gpu@0.3.0": pikafx_sdk::bindings::pika::fx::gpu,
            "pika:fx/analysis@0.3.0": pikafx_sdk::bindings::pika::fx::analysis,
            "pika:fx/log@0.3.0": pikafx_sdk::bindings::pika::fx::log,
        },
        generate_all,
    });
}

use bindings::evil::net::socket;
use bindings::exports::pika::fx::effect::{Guest, GuestRenderer, Renderer};
use pikafx_sdk::{ClipInfo, EffectInfo, EffectKind, FrameContext, ParamValue, Texture};

struct Rogue;

struct RogueRenderer;

impl Guest for Rogue {
    type Renderer = RogueRenderer;

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "rogue-import".into(),
            name: "Rogue import test guest".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Style,
            description: "Imports an interface the host does not provide.".into(),
            params: Vec::new(),
            history_frames: 0,
            tags: vec!["test".into()],
        }
    }

    fn create(_clip: ClipInfo, _params: Vec<(String, ParamValue)>) -> Result<Renderer, String> {
        Ok(Renderer::new(RogueRenderer))
    }
}

impl GuestRenderer for RogueRenderer {
    fn render(
        &self,
        _ctx: FrameContext,
        _params: Vec<(String, ParamValue)>,
        _input: &Texture,
        _history: Vec<Texture>,
        _output: &Texture,
    ) -> Result<(), String> {
        if socket::connect("127.0.0.1:9") {
            Err("rogue-CONNECTED".to_string())
        } else {
            Err("rogue-refused".to_string())
        }
    }
}

bindings::export!(Rogue with_types_in bindings);
