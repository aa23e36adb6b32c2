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
//! The passes per frame are the SDK's [`VoronoiFragments`] (cell map, per-tile
//! lists of the shards that can reach each tile, busy tiles, the vacated
//! area's fill): this file says how the shards move (shatter.wgsl's
//! `tiles_main`, `region_main` and `frag_main`), its parameters and its
//! uniforms. On lavapipe a pass costs its whole shader for every pixel
//! dispatched, so each pass runs over only the pixels it can change.

use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FragmentFrame, FrameContext, Guest, GuestRenderer, ParamValue, Params, Renderer,
    Texture, VoronoiFragments, float_param, int_param, point_param, vec2, voronoi_window_side,
};

const WGSL: &str = include_str!("../shatter.wgsl");

/// The side of each tile's window of candidate shards (`LIST_SIDE` in
/// shatter.wgsl) for shards of `cs` pixels: a shard over the tile has its
/// site within 1.7 cs + 12 px of the tile's estimate (shatter.wgsl, step
/// 1). 5 for the default 40 px shards at 720p, where a fixed 10x10 window
/// ran 100 invocations per tile.
fn list_side(cs: f32) -> u32 {
    voronoi_window_side(cs, 1.7 * cs + 12.0)
}

struct Shatter;

struct ShatterRenderer {
    passes: VoronoiFragments,
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

    fn create(clip: ClipInfo, params: Vec<(String, ParamValue)>) -> Result<Renderer, String> {
        let side = list_side(shard_pixels(Params::new(&params).float("shard_size", 40.0), clip.height));
        let passes = VoronoiFragments::new(&clip, WGSL, side, "shards")?;
        Ok(Renderer::new(ShatterRenderer { passes }))
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
        let progress = pikafx_sdk::layer_progress(&ctx);
        let impact = p.point("impact", vec2(0.5, 0.5));
        let shard_size = p.float("shard_size", 40.0);
        let seed = p.int("seed", 3).clamp(0, 1 << 24) as f32;
        let uniforms = [
            progress,
            shard_size.clamp(4.0, 400.0),
            impact.x,
            impact.y,
            p.float("gravity", 1.5).clamp(0.0, 3.0),
            p.float("shine", 0.6).clamp(0.0, 1.0),
            seed,
        ];
        let frame = FragmentFrame {
            cell_size: shard_size.clamp(4.0, 400.0),
            // Shards of at least 4 px, as `fall` says; edge distances up to
            // twice the crack line (crack_line in shatter.wgsl).
            min_cell: 4.0,
            seed,
            edge_range: 2.0 * (1.2 * input.height() as f32 / 720.0).max(0.9),
            list_side: list_side(shard_pixels(shard_size, input.height())),
        };
        self.passes.render(input, output, &uniforms, &frame)
    }
}

/// A shard's size in pixels of a frame `height` pixels high (`fall` in
/// shatter.wgsl computes the same from the clamped uniform).
fn shard_pixels(shard_size: f32, height: u32) -> f32 {
    (shard_size.clamp(4.0, 400.0) * height as f32 / 720.0).max(4.0)
}

pikafx_sdk::export_effect!(Shatter);
