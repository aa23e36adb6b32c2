//! `pikaffect/shatter`: the subject (from the host's subject mask) shatters
//! like glass. Over the first 35% of the layer's time range crack lines
//! spread from an impact point (the subject's centre, found by the
//! subject-bounds pass, shifted by the `impact` parameter); then the shards
//! (seeded Voronoi cells) fall with gravity, bottom first, drifting apart
//! and tumbling, with bright glassy edges and glints, revealing the
//! background, which is filled in where the subject was. The background far
//! from the subject stays the source; with progress 0 the frame is
//! unchanged. Deterministic for a given seed.
//!
//! Three dispatches per frame, all in `shatter.wgsl` apart from the SDK's
//! subject-bounds pass: `fill` evaluates the SDK's background fill once per
//! 16x16 pixels (at 720p) into a small texture, because on lavapipe a
//! per-pixel shader pays for the fill's code even where it is not called;
//! `main` finds, for each 16x16 tile, the few shards that can reach it, so
//! the per-pixel work is a handful of ALU tests and one mask tap per shard.
//! The host runs `main` only over the rectangle the shards can reach
//! (worked out on the GPU by `effect_region`, see
//! [`pikafx_sdk::wgsl::REGION`]); the rest of the output is a copy of the
//! input.

use pikafx_sdk::wgsl::{BOUNDS, BOUNDS_PASS, COARSE_FILL_PASS, NOISE, REGION, SUBJECT, with_prelude};
use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FrameContext, Guest, GuestRenderer, ParamValue, Params, Renderer, Shader,
    Texture, coarse_fill, coarse_fill_size, compile, create_texture, dispatch, dispatch_region, float_param, int_param,
    point_param, subject_bounds, subject_mask, vec2,
};

const WGSL: &str = include_str!("../shatter.wgsl");

struct Shatter;

struct ShatterRenderer {
    main: Shader,
    region: Shader,
    fill: Shader,
    bounds: Shader,
    fill_size: (u32, u32),
}

impl Guest for Shatter {
    type Renderer = ShatterRenderer;

    fn describe() -> EffectInfo {
        EffectInfo {
            id: "shatter".into(),
            name: "Shatter".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            kind: EffectKind::Pikaffect,
            description: "The subject cracks like glass from an impact point, then the shards fall away; the \
                          background stays."
                .into(),
            params: vec![
                float_param(
                    "shard_size",
                    "Shard size",
                    "Size of one shard, in pixels of a 720p frame.",
                    12.0,
                    120.0,
                    40.0,
                    1.0,
                    false,
                ),
                point_param(
                    "impact",
                    "Impact offset",
                    "Where the cracks start: (0.5, 0.5) is the subject's centre, other values shift it by that \
                     much of the frame (e.g. (0.4, 0.4) hits up and to the left of the centre).",
                    vec2(0.5, 0.5),
                    false,
                ),
                float_param(
                    "gravity",
                    "Gravity",
                    "How far the first shards fall by the end, in frame heights.",
                    0.2,
                    3.0,
                    1.5,
                    0.01,
                    true,
                ),
                float_param(
                    "shine",
                    "Shine",
                    "Brightness of the cracks, the shards' edges and their glints.",
                    0.0,
                    1.0,
                    0.6,
                    0.01,
                    true,
                ),
                int_param(
                    "seed",
                    "Seed",
                    "Chooses the shards; the same seed gives the same shatter.",
                    0,
                    1000,
                    3,
                    false,
                ),
            ],
            history_frames: 0,
            tags: vec!["shatter".into(), "glass".into(), "shards".into(), "crack".into(), "subject".into()],
        }
    }

    fn create(clip: ClipInfo, _params: Vec<(String, ParamValue)>) -> Result<Renderer, String> {
        let source = with_prelude(WGSL, &[NOISE, SUBJECT, BOUNDS, REGION]);
        let main = compile(&source, "main")?;
        let region = compile(&source, "region_main")?;
        let fill = compile(&with_prelude(COARSE_FILL_PASS, &[SUBJECT]), "main")?;
        let bounds = compile(BOUNDS_PASS, "main")?;
        let fill_size = coarse_fill_size(clip.width, clip.height);
        Ok(Renderer::new(ShatterRenderer { main, region, fill, bounds, fill_size }))
    }
}

impl GuestRenderer for ShatterRenderer {
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
        let impact = p.point("impact", vec2(0.5, 0.5));
        let uniforms = [
            progress,
            p.float("shard_size", 40.0).clamp(4.0, 400.0),
            impact.x,
            impact.y,
            p.float("gravity", 1.5).clamp(0.0, 3.0),
            p.float("shine", 0.6).clamp(0.0, 1.0),
            p.int("seed", 3).clamp(0, 1 << 24) as f32,
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

pikafx_sdk::export_effect!(Shatter);
