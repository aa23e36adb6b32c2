//! The pass sequence of effects that break the subject into the cells of
//! the SDK's jittered grid and move them as pieces (explode, shatter): what
//! they share, so that each effect keeps only its motion (its WGSL), its
//! parameters and its uniforms.
//!
//! Per frame, after the host's subject mask and the SDK's subject-bounds
//! pass:
//! 1. the coarse background fill (one `background_fill` per ~16x16 pixels);
//! 2. the Voronoi cell map and per-cell occupancy ([`VoronoiCells`]);
//! 3. the effect's `tiles_main`: per 16x16 tile, the cells whose piece can
//!    reach it (one workgroup of `LIST_SIDE` x `LIST_SIDE` per tile, see
//!    [`crate::voronoi_window_side`]; it writes them with
//!    [`crate::wgsl::FRAGMENTS`]' `tile_list_store`);
//! 4. the busy tiles ([`busy_tiles`]): those with a list;
//! 5. the effect's `region_main` and the SDK's `vacated_main`
//!    ([`crate::wgsl::VACATED_FILL_PASS`]): the area the subject leaves,
//!    filled, over the effect's region only;
//! 6. the effect's `frag_main` over the busy tiles only: the pieces, on top.
//!
//! The effect's WGSL binds, in every entry point: input_0 = the frame (in
//! `frag_main`: vacated_main's output), input_1 = the subject mask, input_2
//! = the subject bounds, input_3 = the coarse fill; in `tiles_main` also
//! input_4 = the cell map and input_5 = the occupancy; in `frag_main` also
//! input_6 = the tile lists, `busy_index` at binding 10 and input_8 = the
//! frame at binding 11.

use crate::wgsl::{
    BOUNDS, BUSY_TILES, BUSY_TILES_PASS, FRAGMENTS, NOISE, REGION, SUBJECT, VACATED_FILL_PASS, VORONOI, with_prelude,
};
use crate::{
    ClipInfo, PerWindowSide, Shader, Subject, SubjectPasses, Texture, TileListPasses, VoronoiCells, busy_tiles,
    compile, create_texture, dispatch, dispatch_in_region, dispatch_region, with_window_side,
};

/// What one frame of a [`VoronoiFragments`] effect needs besides its
/// uniforms.
pub struct FragmentFrame {
    /// Cell size in pixels of a 720p frame (scaled with the height), as the
    /// effect's WGSL reads it from its uniforms.
    pub cell_size: f32,
    /// The smallest cell size in pixels.
    pub min_cell: f32,
    /// The effect's seed parameter.
    pub seed: f32,
    /// The cell map's edge distances are fractions of this (pixels).
    pub edge_range: f32,
    /// The side of each tile's candidate window (`LIST_SIDE`).
    pub list_side: u32,
}

/// The compiled passes of a piece-moving effect (see the module's doc).
pub struct VoronoiFragments {
    /// The effect's WGSL with its prelude, for `list_passes`.
    source: String,
    vacated: Shader,
    region: Shader,
    /// `tiles_main` and `frag_main` per window side, compiled when first
    /// needed.
    list_passes: PerWindowSide<TileListPasses>,
    busy: Shader,
    subject: SubjectPasses,
    cells: VoronoiCells,
    /// What the pieces are called in error messages (`fragments`).
    pieces: &'static str,
}

impl VoronoiFragments {
    /// Compiles the passes for the effect's `wgsl` (the SDK appends the
    /// prelude: NOISE, VORONOI, SUBJECT, BOUNDS, BUSY_TILES, FRAGMENTS,
    /// VACATED_FILL_PASS, REGION), with the list passes for `list_side`,
    /// the side the clip is expected to need (so that the first frame does
    /// not compile them). `pieces` names the pieces in error messages.
    pub fn new(clip: &ClipInfo, wgsl: &str, list_side: u32, pieces: &'static str) -> Result<Self, String> {
        let preludes = [NOISE, VORONOI, SUBJECT, BOUNDS, BUSY_TILES, FRAGMENTS, VACATED_FILL_PASS, REGION];
        let source = with_prelude(wgsl, &preludes);
        // (Any window side: these entry points do not use it.)
        let fixed = with_window_side(&source, 1);
        let vacated = compile(&fixed, "vacated_main")?;
        let region = compile(&fixed, "region_main")?;
        let list_passes = PerWindowSide::default();
        list_passes.get_or_try_init(list_side, |side| TileListPasses::compile(&source, side))?;
        Ok(Self {
            vacated,
            region,
            list_passes,
            busy: compile(BUSY_TILES_PASS, "main")?,
            subject: SubjectPasses::new(clip)?,
            cells: VoronoiCells::new()?,
            source,
            pieces,
        })
    }

    /// Renders one frame of `input` into `output`, every pass with
    /// `uniforms`.
    pub fn render(
        &self,
        input: &Texture,
        output: &Texture,
        uniforms: &[f32],
        frame: &FragmentFrame,
    ) -> Result<(), String> {
        let Subject { mask, bounds, fill } = self.subject.run(input)?;
        let map =
            self.cells.map(input, &mask, &bounds, frame.cell_size, frame.min_cell, frame.seed, frame.edge_range)?;
        let (cells, occupancy) = (&map.cells, &map.occupancy);
        let side = frame.list_side;
        let passes = self.list_passes.get_or_try_init(side, |side| TileListPasses::compile(&self.source, side))?;
        // side x side texels per 16x16 tile of the frame.
        let list = create_texture(input.width().div_ceil(16) * side, input.height().div_ceil(16) * side)?;
        dispatch(&passes.tiles, &[input, &mask, &bounds, &fill, cells, occupancy], &list, uniforms)
            .map_err(|e| format!("tiles: {e}"))?;
        let index = busy_tiles(&self.busy, input, &list, side)?;
        let inputs = [input, &mask, &bounds, &fill];
        let filled = create_texture(input.width(), input.height())?;
        dispatch_in_region(&self.region, &self.vacated, &inputs, &filled, uniforms)?;
        let inputs = [&filled, &mask, &bounds, &fill, cells, occupancy, &list, &index, input];
        dispatch_region(&passes.frag, &inputs, output, uniforms, &index).map_err(|e| format!("{}: {e}", self.pieces))
    }
}
