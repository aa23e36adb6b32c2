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
//! The passes per frame, after the SDK's subject-bounds pass: `fill`
//! evaluates the SDK's background fill once per 16x16 pixels (at 720p) into a
//! small texture, because on lavapipe a per-pixel shader pays for the fill's
//! code even where it is not called; the SDK's Voronoi cell map
//! ([`VoronoiCells`]) tells for each pixel near the subject its shard and
//! which shards hold any of the subject; `tiles_main` lists for each 16x16
//! tile the few shards that can reach it, and the SDK's busy-tiles pass
//! ([`busy_tiles`]) packs the tiles with a list; `vacated_main` (the SDK's
//! [`pikafx_sdk::wgsl::VACATED_FILL_PASS`]) fills the vacated area near the
//! subject (the host runs it over that rectangle only, see
//! [`pikafx_sdk::wgsl::REGION`]); `frag_main` draws the shards over the busy
//! tiles only, with a handful of ALU tests and one read of the cell map per
//! listed shard. On lavapipe a pass costs its whole shader for every pixel
//! dispatched, so each pass runs over only the pixels it can change.

use pikafx_sdk::wgsl::{
    BOUNDS, BOUNDS_PASS, BUSY_TILES, BUSY_TILES_PASS, COARSE_FILL_PASS, NOISE, REGION, SUBJECT, VACATED_FILL_PASS,
    VORONOI, with_prelude,
};
use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FrameContext, Guest, GuestRenderer, ParamValue, Params, PerWindowSide, Renderer,
    Shader, Texture, TileListPasses, VoronoiCells, busy_tiles, coarse_fill, coarse_fill_size, compile, create_texture,
    dispatch, dispatch_region, float_param, int_param, point_param, subject_bounds, subject_mask, vec2,
    voronoi_window_side, with_window_side,
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
    main: Shader,
    region: Shader,
    /// The effect's WGSL with its prelude, for `list_passes`.
    source: String,
    /// `tiles_main` and `frag_main` per window side, compiled when first
    /// needed.
    list_passes: PerWindowSide<TileListPasses>,
    busy: Shader,
    fill: Shader,
    bounds: Shader,
    cells: VoronoiCells,
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

    fn create(clip: ClipInfo, params: Vec<(String, ParamValue)>) -> Result<Renderer, String> {
        let source = with_prelude(WGSL, &[NOISE, VORONOI, SUBJECT, BOUNDS, BUSY_TILES, VACATED_FILL_PASS, REGION]);
        // (Any window side: these entry points do not use it.)
        let main = compile(&with_window_side(&source, 1), "vacated_main")?;
        let region = compile(&with_window_side(&source, 1), "region_main")?;
        // The side this clip's frames will need (compiled now, so that the
        // first frame does not pay for it).
        let list_passes = PerWindowSide::default();
        let side = list_side(shard_pixels(Params::new(&params).float("shard_size", 40.0), clip.height));
        list_passes.get_or_try_init(side, |side| TileListPasses::compile(&source, side))?;
        let busy = compile(BUSY_TILES_PASS, "main")?;
        let fill = compile(&with_prelude(COARSE_FILL_PASS, &[SUBJECT]), "main")?;
        let bounds = compile(BOUNDS_PASS, "main")?;
        let fill_size = coarse_fill_size(clip.width, clip.height);
        let cells = VoronoiCells::new()?;
        Ok(Renderer::new(ShatterRenderer { main, region, source, list_passes, busy, fill, bounds, cells, fill_size }))
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
        let mask = subject_mask(input)?;
        let bounds = subject_bounds(&self.bounds, &mask)?;
        let fill = coarse_fill(&self.fill, input, &mask, self.fill_size)?;
        // Edge distances up to twice the crack line (crack_line in shatter.wgsl); shards of at least 4 px, as `fall` says.
        let edge_range = 2.0 * (1.2 * input.height() as f32 / 720.0).max(0.9);
        let map = self.cells.map(input, &mask, &bounds, shard_size.clamp(4.0, 400.0), 4.0, seed, edge_range)?;
        let (cells, occupancy) = (&map.cells, &map.occupancy);
        let side = list_side(shard_pixels(shard_size, input.height()));
        let passes = self.list_passes.get_or_try_init(side, |side| TileListPasses::compile(&self.source, side))?;
        // side x side texels per 16x16 tile of the frame.
        let list = create_texture(input.width().div_ceil(16) * side, input.height().div_ceil(16) * side)?;
        dispatch(&passes.tiles, &[input, &mask, &bounds, &fill, cells, occupancy], &list, &uniforms)
            .map_err(|e| format!("tiles: {e}"))?;
        let index = busy_tiles(&self.busy, input, &list, side)?;
        let inputs = [input, &mask, &bounds, &fill];
        let region = create_texture(2, 1)?;
        dispatch(&self.region, &inputs, &region, &uniforms).map_err(|e| format!("region: {e}"))?;
        let filled = create_texture(input.width(), input.height())?;
        dispatch_region(&self.main, &inputs, &filled, &uniforms, &region)?;
        let inputs = [&filled, &mask, &bounds, &fill, cells, occupancy, &list, &index, input];
        dispatch_region(&passes.frag, &inputs, output, &uniforms, &index).map_err(|e| format!("shards: {e}"))
    }
}

/// A shard's size in pixels of a frame `height` pixels high (`fall` in
/// shatter.wgsl computes the same from the clamped uniform).
fn shard_pixels(shard_size: f32, height: u32) -> f32 {
    (shard_size.clamp(4.0, 400.0) * height as f32 / 720.0).max(4.0)
}

pikafx_sdk::export_effect!(Shatter);
