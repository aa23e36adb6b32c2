//! `pikaffect/explode`: the subject (from the host's subject mask) breaks
//! into fragments that fly outward from its own centre (found by the
//! subject-bounds pass; the `center` parameter shifts it) over the layer's
//! time range, pulled down by gravity and fading out late, while the
//! background stays intact; the area the subject leaves is filled from the
//! surrounding background. Deterministic for a given seed.
//!
//! The passes per frame are the SDK's [`VoronoiFragments`] (cell map, per-tile
//! lists of the fragments that can reach each tile, busy tiles, the vacated
//! area's fill): this file says how the fragments move (explode.wgsl's
//! `tiles_main`, `region_main` and `frag_main`), its parameters and its
//! uniforms. On lavapipe a pass costs its whole shader for every pixel
//! dispatched, so each pass runs over only the pixels it can change.

use pikafx_sdk::{
    ClipInfo, EffectInfo, EffectKind, FragmentFrame, FrameContext, Guest, GuestRenderer, ParamValue, Params, Renderer,
    Texture, VoronoiFragments, float_param, int_param, point_param, vec2, voronoi_window_side,
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
    passes: VoronoiFragments,
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
        let side = list_side(fragment_pixels(Params::new(&params).float("fragment_size", 36.0), clip.height));
        let passes = VoronoiFragments::new(&clip, WGSL, side, "fragments")?;
        Ok(Renderer::new(ExplodeRenderer { passes }))
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
        let progress = pikafx_sdk::layer_progress(&ctx);
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
        let frame = FragmentFrame {
            cell_size: fragment_size,
            // Cells of at least 3 px, as `blast` says; edge distances up to
            // 2 px (EDGE_RANGE in explode.wgsl).
            min_cell: 3.0,
            seed,
            edge_range: 2.0,
            list_side: list_side(fragment_pixels(fragment_size, input.height())),
        };
        self.passes.render(input, output, &uniforms, &frame)
    }
}

pikafx_sdk::export_effect!(Explode);
