//! `pikaffect/crumble`: the subject (from the host's subject mask) crumbles
//! into small pieces that fall with gravity over the layer's time range, top
//! pieces first, fading out as they fall, while the background stays intact;
//! the area the subject leaves is filled from the surrounding background.
//! Deterministic for a given seed.
//!
//! Three dispatches per frame, all in `crumble.wgsl` apart from the SDK's
//! subject-bounds pass: `fill` evaluates the SDK's background fill once per
//! 16x16 pixels (at 720p) into a small texture, because on lavapipe a
//! per-pixel shader pays for the fill's code even where it is not called;
//! `main` moves the pieces, skipping the frame beside and above the
//! subject's box and bounding its per-pixel row search by that box. The
//! host runs `main` only over the rectangle the pieces can reach (worked
//! out on the GPU by `effect_region`, see [`pikafx_sdk::wgsl::REGION`]);
//! the rest of the output is a copy of the input.

use pikafx_sdk::wgsl::{BOUNDS, NOISE, REGION, SUBJECT, with_prelude};
use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FrameContext, Guest, GuestRenderer, ParamValue, Params, Renderer, Shader,
    Subject, SubjectPasses, Texture, compile, dispatch_in_region, float_param, int_param,
};

const WGSL: &str = include_str!("../crumble.wgsl");

struct Crumble;

struct CrumbleRenderer {
    main: Shader,
    region: Shader,
    subject: SubjectPasses,
}

impl Guest for Crumble {
    type Renderer = CrumbleRenderer;

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "crumble".into(),
            name: "Crumble".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "The subject crumbles into pieces that fall away, top first; the background stays.".into(),
            params: vec![
                float_param(
                    "piece_size",
                    "Piece size",
                    "Size of one crumb, in pixels of a 720p frame.",
                    4.0,
                    64.0,
                    16.0,
                    1.0,
                    false,
                ),
                float_param("gravity", "Gravity", "How fast the pieces fall.", 1.0, 12.0, 5.0, 0.1, true),
                float_param(
                    "spread",
                    "Spread",
                    "Delay between the top and the bottom of the frame starting to crumble.",
                    0.1,
                    0.8,
                    0.55,
                    0.01,
                    false,
                ),
                int_param(
                    "seed",
                    "Seed",
                    "Chooses the crumbs; the same seed gives the same crumble.",
                    0,
                    1000,
                    11,
                    false,
                ),
            ],
            history_frames: 0,
            tags: vec!["crumble".into(), "fall".into(), "gravity".into(), "subject".into()],
        }
    }

    fn create(clip: ClipInfo, _params: Vec<(String, ParamValue)>) -> Result<Renderer, String> {
        let source = with_prelude(WGSL, &[NOISE, SUBJECT, BOUNDS, REGION]);
        let main = compile(&source, "main")?;
        let region = compile(&source, "region_main")?;
        let subject = SubjectPasses::new(&clip)?;
        Ok(Renderer::new(CrumbleRenderer { main, region, subject }))
    }
}

impl GuestRenderer for CrumbleRenderer {
    fn render(
        &self,
        ctx: FrameContext,
        params: Vec<(String, ParamValue)>,
        input: &Texture,
        _history: Vec<Texture>,
        output: &Texture,
    ) -> Result<(), String> {
        let p = Params::new(&params);
        let progress = pikafx_sdk::layer_progress(&ctx);
        let uniforms = [
            progress,
            p.float("piece_size", 16.0).clamp(2.0, 400.0),
            p.float("gravity", 5.0).clamp(0.1, 20.0),
            p.float("spread", 0.55).clamp(0.01, 1.0),
            p.int("seed", 11).clamp(0, 1 << 24) as f32,
        ];
        let Subject { mask, bounds, fill } = self.subject.run(input)?;
        let inputs = [input, &mask, &bounds, &fill];
        dispatch_in_region(&self.region, &self.main, &inputs, output, &uniforms)
    }
}

pikafx_sdk::export_effect!(Crumble);
