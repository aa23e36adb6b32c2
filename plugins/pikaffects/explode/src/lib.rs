//! `pikaffect/explode`: the subject (from the host's subject mask) breaks
//! into fragments that fly outward from its own centre (found by the
//! subject-bounds pass; the `center` parameter shifts it) over the layer's
//! time range, pulled down by gravity and fading out late, while the
//! background stays intact; the area the subject leaves is filled from the
//! surrounding background. Deterministic for a given seed.
//!
//! The passes per frame, after the SDK's subject-bounds pass: `fill`
//! evaluates the SDK's background fill once per 16x16 pixels (at 720p) into a
//! small texture, because on lavapipe a per-pixel shader pays for the fill's
//! code even where it is not called; the SDK's Voronoi cell map
//! ([`VoronoiCells`]) tells for each pixel near the subject its fragment and
//! which fragments hold any of the subject; `tiles_main` lists for each 16x16
//! tile the few fragments that can reach it, and the SDK's busy-tiles pass
//! ([`busy_tiles`]) packs the tiles with a list; `vacated_main` (the SDK's
//! [`pikafx_sdk::wgsl::VACATED_FILL_PASS`]) fills the vacated area near the
//! subject (the host runs it over that rectangle only, see
//! [`pikafx_sdk::wgsl::REGION`]); `frag_main` moves the fragments over the
//! busy tiles only, with a handful of ALU tests and one read of the cell map
//! per listed fragment. On lavapipe a pass costs its whole shader for every
//! pixel dispatched, so each pass runs over only the pixels it can change.

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

const WGSL: &str = include_str!("../explode.wgsl");

/// The side of each tile's window of candidate fragments (`LIST_SIDE` in
/// explode.wgsl) for fragments of `cs` pixels: a fragment over the tile has
/// its site within cs + 12 px of the tile's estimate (explode.wgsl, step
/// 1). 4 for the default 36 px fragments at 720p, where a fixed 8x8 window
/// ran 64 invocations per tile.
fn list_side(cs: f32) -> u32 {
    voronoi_window_side(cs, cs + 12.0)
}

/// A fragment's size in pixels of a frame `height` pixels high (`blast` in
/// explode.wgsl computes the same from the clamped uniform).
fn fragment_pixels(fragment_size: f32, height: u32) -> f32 {
    (fragment_size.clamp(3.0, 400.0) * height as f32 / 720.0).max(3.0)
}

struct Explode;

struct ExplodeRenderer {
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

    fn create(clip: ClipInfo, params: Vec<(String, ParamValue)>) -> Result<Renderer, String> {
        let source = with_prelude(WGSL, &[NOISE, VORONOI, SUBJECT, BOUNDS, BUSY_TILES, VACATED_FILL_PASS, REGION]);
        // (Any window side: these entry points do not use it.)
        let main = compile(&with_window_side(&source, 1), "vacated_main")?;
        let region = compile(&with_window_side(&source, 1), "region_main")?;
        // The side this clip's frames will need (compiled now, so that the
        // first frame does not pay for it).
        let list_passes = PerWindowSide::default();
        let side = list_side(fragment_pixels(Params::new(&params).float("fragment_size", 36.0), clip.height));
        list_passes.get_or_try_init(side, |side| TileListPasses::compile(&source, side))?;
        let busy = compile(BUSY_TILES_PASS, "main")?;
        let fill = compile(&with_prelude(COARSE_FILL_PASS, &[SUBJECT]), "main")?;
        let bounds = compile(BOUNDS_PASS, "main")?;
        let fill_size = coarse_fill_size(clip.width, clip.height);
        let cells = VoronoiCells::new()?;
        Ok(Renderer::new(ExplodeRenderer { main, region, source, list_passes, busy, fill, bounds, cells, fill_size }))
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
        let fragment_size = p.float("fragment_size", 36.0).clamp(3.0, 400.0);
        let seed = p.int("seed", 5).clamp(0, 1 << 24) as f32;
        let uniforms = [
            progress,
            fragment_size,
            p.float("force", 1.0).clamp(0.0, 3.0),
            p.float("gravity", 0.6).clamp(0.0, 3.0),
            center.x,
            center.y,
            seed,
        ];
        let mask = subject_mask(input)?;
        let bounds = subject_bounds(&self.bounds, &mask)?;
        let fill = coarse_fill(&self.fill, input, &mask, self.fill_size)?;
        // Edge distances up to 2 px (EDGE_RANGE in explode.wgsl); cells of at least 3 px, as `blast` says.
        let map = self.cells.map(input, &mask, &bounds, fragment_size, 3.0, seed, 2.0)?;
        let (cells, occupancy) = (&map.cells, &map.occupancy);
        let side = list_side(fragment_pixels(fragment_size, input.height()));
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
        dispatch_region(&passes.frag, &inputs, output, &uniforms, &index).map_err(|e| format!("fragments: {e}"))
    }
}

pikafx_sdk::export_effect!(Explode);
