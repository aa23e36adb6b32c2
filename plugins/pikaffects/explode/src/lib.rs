//! `pikaffect/explode`: the subject (from the host's subject mask) breaks
//! into fragments that fly outward from its own centre (found by the
//! subject-bounds pass; the `center` parameter shifts it) over the layer's
//! time range, pulled down by gravity and fading out late, while the
//! background stays intact; the area the subject leaves is filled from the
//! surrounding background. Deterministic for a given seed.
//!
//! Three dispatches per frame, all in `explode.wgsl` apart from the SDK's
//! subject-bounds pass: `fill` evaluates the SDK's background fill once per
//! 16x16 pixels (at 720p) into a small texture, because on lavapipe a
//! per-pixel shader pays for the fill's code even where it is not called;
//! `main` moves the fragments, finding for each 16x16 tile the few that can
//! reach it (so the per-pixel work is a handful of ALU tests). The host
//! runs `main` only over the rectangle the fragments can reach (worked out
//! on the GPU by `effect_region`, see [`pikafx_sdk::wgsl::REGION`]); the
//! rest of the output is a copy of the input.

use pikafx_sdk::wgsl::{BOUNDS, BOUNDS_PASS, COARSE_FILL_PASS, NOISE, REGION, SUBJECT, with_prelude};
use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FrameContext, Guest, GuestRenderer, ParamValue, Params, Renderer, Shader,
    Texture, coarse_fill, coarse_fill_size, compile, create_texture, dispatch, dispatch_region, float_param, int_param,
    point_param, subject_bounds, subject_mask, vec2,
};

const WGSL: &str = include_str!("../explode.wgsl");

struct Explode;

struct ExplodeRenderer {
    main: Shader,
    region: Shader,
    fill: Shader,
    bounds: Shader,
    fill_size: (u32, u32),
}

impl Guest for Explode {
    type Renderer = ExplodeRenderer;

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "explode".into(),
            name: "Explode".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "The subject bursts into fragments that fly apart; the background stays.".into(),
            params: vec![
                float_param(
                    "fragment_size",
                    "Fragment size",
                    "Size of one fragment, in pixels of a 720p frame.",
                    8.0,
                    120.0,
                    36.0,
                    1.0,
                    false,
                ),
                float_param("force", "Force", "How far the fragments fly.", 0.0, 3.0, 1.0, 0.01, true),
                float_param(
                    "gravity",
                    "Gravity",
                    "How strongly the fragments fall while flying.",
                    0.0,
                    3.0,
                    0.6,
                    0.01,
                    true,
                ),
                point_param(
                    "center",
                    "Centre offset",
                    "Where the blast starts: (0.5, 0.5) is the subject's centre, other values shift it by that \
                     much of the frame (e.g. (0.5, 0.7) starts it 0.2 frame heights lower).",
                    vec2(0.5, 0.5),
                    true,
                ),
                int_param(
                    "seed",
                    "Seed",
                    "Chooses the fragments; the same seed gives the same explosion.",
                    0,
                    1000,
                    5,
                    false,
                ),
            ],
            history_frames: 0,
            tags: vec!["explode".into(), "shatter".into(), "fragments".into(), "subject".into()],
        }
    }

    fn create(clip: ClipInfo, _params: Vec<(String, ParamValue)>) -> Result<Renderer, String> {
        let source = with_prelude(WGSL, &[NOISE, SUBJECT, BOUNDS, REGION]);
        let main = compile(&source, "main")?;
        let region = compile(&source, "region_main")?;
        let fill = compile(&with_prelude(COARSE_FILL_PASS, &[SUBJECT]), "main")?;
        let bounds = compile(BOUNDS_PASS, "main")?;
        let fill_size = coarse_fill_size(clip.width, clip.height);
        Ok(Renderer::new(ExplodeRenderer { main, region, fill, bounds, fill_size }))
    }
}

impl GuestRenderer for ExplodeRenderer {
    fn render(
        &self,
        ctx: FrameContext,
        params: Vec<(String, ParamValue)>,
        input: &Texture,
        _history: Vec<Texture>,
        output: &Texture,
    ) -> Result<(), String> {
        let p = Params::new(&params);
        let progress = if ctx.progress.is_finite() { ctx.progress.clamp(0.0, 1.0) } else { 0.0 };
        let center = p.point("center", vec2(0.5, 0.5));
        let uniforms = [
            progress,
            p.float("fragment_size", 36.0).clamp(3.0, 400.0),
            p.float("force", 1.0).clamp(0.0, 3.0),
            p.float("gravity", 0.6).clamp(0.0, 3.0),
            center.x,
            center.y,
            p.int("seed", 5).clamp(0, 1 << 24) as f32,
        ];
        let mask = subject_mask(input)?;
        let bounds = subject_bounds(&self.bounds, &mask)?;
        let fill = coarse_fill(&self.fill, input, &mask, self.fill_size)?;
        let inputs = [input, &mask, &bounds, &fill];
        let region = create_texture(2, 1)?;
        dispatch(&self.region, &inputs, &region, &uniforms).map_err(|e| format!("region: {e}"))?;
        dispatch_region(&self.main, &inputs, output, &uniforms, &region)
    }
}

pikafx_sdk::export_effect!(Explode);
