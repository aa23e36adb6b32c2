//! Shader and GPU helpers that turn [`GpuError`]s into readable messages.

use crate::bindings::pika::fx::{analysis, gpu as host};
use crate::{GpuError, Shader, Texture};

/// Formats a [`GpuError`] for a user: shader errors keep naga's text and the
/// `line:col` location into the WGSL that was compiled.
pub fn describe_gpu_error(err: &GpuError) -> String {
    match err {
        GpuError::InvalidShader((message, Some(loc))) => {
            format!("invalid WGSL at {}:{}: {message}", loc.line, loc.column)
        }
        GpuError::InvalidShader((message, None)) => format!("invalid WGSL: {message}"),
        GpuError::InvalidArgument(message) => format!("invalid GPU argument: {message}"),
        GpuError::LimitExceeded(message) => format!("GPU limit exceeded: {message}"),
        GpuError::Device(message) => format!("GPU device error: {message}"),
    }
}

/// Converts a [`GpuError`] into an error string, for
/// `.map_err(pikafx_sdk::gpu_err)?` in `render`.
pub fn gpu_err(err: GpuError) -> String {
    describe_gpu_error(&err)
}

/// Validates `wgsl` and builds a compute pipeline for `entry`; errors read
/// `shader 'entry': invalid WGSL at LINE:COL: <naga's message>`.
pub fn compile(wgsl: &str, entry: &str) -> Result<Shader, String> {
    host::compile(wgsl, entry).map_err(|e| format!("shader '{entry}': {}", describe_gpu_error(&e)))
}

/// Queues one run of `shader` over `output` with `inputs` at bindings 3, 4, ...
/// and `uniforms` at binding 0 (see the contract's binding convention).
pub fn dispatch(shader: &Shader, inputs: &[&Texture], output: &Texture, uniforms: &[f32]) -> Result<(), String> {
    host::dispatch(shader, inputs, output, uniforms).map_err(gpu_err)
}

/// Queues `shader` over only the rectangle of `output` held in `region`
/// (texels 0 and 1, as written by [`crate::wgsl::REGION`]'s
/// `region_main`); the host first copies `inputs[0]` into `output`, so the
/// rest of the output is the input. Nothing is read back: the host sizes
/// the dispatch on the GPU.
pub fn dispatch_region(
    shader: &Shader,
    inputs: &[&Texture],
    output: &Texture,
    uniforms: &[f32],
    region: &Texture,
) -> Result<(), String> {
    host::dispatch_region(shader, inputs, output, uniforms, region).map_err(gpu_err)
}

/// Runs `region_pass` (an effect's `region_main`, see
/// [`crate::wgsl::REGION`]) into a fresh 2x1 texture, then `shader` over
/// the rectangle it wrote ([`dispatch_region`]), both with the same inputs
/// and uniforms: an effect's pass over only where it can change the frame.
pub fn dispatch_in_region(
    region_pass: &Shader,
    shader: &Shader,
    inputs: &[&Texture],
    output: &Texture,
    uniforms: &[f32],
) -> Result<(), String> {
    let region = create_texture(2, 1)?;
    dispatch(region_pass, inputs, &region, uniforms).map_err(|e| format!("region: {e}"))?;
    dispatch_region(shader, inputs, output, uniforms, &region)
}

/// Makes a scratch texture of `width` x `height`, counted against the plugin's
/// GPU memory budget.
pub fn create_texture(width: u32, height: u32) -> Result<Texture, String> {
    host::create_texture(width, height).map_err(gpu_err)
}

/// The host's soft subject mask of `frame` (red = 0 background .. 1 subject).
pub fn subject_mask(frame: &Texture) -> Result<Texture, String> {
    analysis::subject_mask(frame).map_err(|e| format!("subject mask: {}", describe_gpu_error(&e)))
}

/// Runs the subject-bounds pass (`pass` compiled from
/// [`crate::wgsl::BOUNDS_PASS`]) over `mask`: a 4x1 texture with the
/// subject's box, centroid and area, read in WGSL with
/// [`crate::wgsl::BOUNDS`]. Costs one tiny dispatch (4 threads, 4096 mask
/// taps each), with no readback to the CPU.
pub fn subject_bounds(pass: &Shader, mask: &Texture) -> Result<Texture, String> {
    let bounds = create_texture(4, 1)?;
    dispatch(pass, &[mask], &bounds, &[0.0]).map_err(|e| format!("subject bounds: {e}"))?;
    Ok(bounds)
}

/// The size of the coarse background fill for a `width` x `height` frame:
/// one texel per about 1/45 of the short side (16 pixels at 720p), at least
/// 2 and at most 16 pixels per texel.
pub fn coarse_fill_size(width: u32, height: u32) -> (u32, u32) {
    let cell = (width.min(height) / 45).clamp(2, 16);
    (width.max(1).div_ceil(cell), height.max(1).div_ceil(cell))
}

/// Runs the coarse background-fill pass (`pass` compiled from
/// `with_prelude(COARSE_FILL_PASS, &[SUBJECT])`, see
/// [`crate::wgsl::COARSE_FILL_PASS`]) over `frame` and its `mask` into a
/// texture of `size` (from [`coarse_fill_size`]); read it in WGSL with
/// [`crate::wgsl::COARSE_FILL`].
pub fn coarse_fill(pass: &Shader, frame: &Texture, mask: &Texture, size: (u32, u32)) -> Result<Texture, String> {
    let fill = create_texture(size.0, size.1)?;
    dispatch(pass, &[frame, mask], &fill, &[0.0]).map_err(|e| format!("coarse fill: {e}"))?;
    Ok(fill)
}

/// Runs the busy-tiles pass (`pass` compiled from
/// [`crate::wgsl::BUSY_TILES_PASS`]) over an effect's per-tile `lists`
/// (`stride` x `stride` texels per 16x16 tile of `frame`, the count of
/// work items in blue at each block's first texel): the index of the busy
/// tiles, to pass as the region of [`dispatch_region`] (and as the
/// `busy_index` input) for a pass that runs over those tiles only.
pub fn busy_tiles(pass: &Shader, frame: &Texture, lists: &Texture, stride: u32) -> Result<Texture, String> {
    let tiles = (frame.width().div_ceil(16), frame.height().div_ceil(16));
    let index = create_texture(tiles.0.max(2), tiles.1 + 1)?;
    dispatch(pass, &[frame, lists], &index, &[stride as f32]).map_err(|e| format!("busy tiles: {e}"))?;
    Ok(index)
}

/// The Voronoi cell map of [`crate::wgsl::VORONOI_CELLS_PASS`]: which cell of
/// a seeded jittered grid each pixel near the subject lies in, its distance
/// to the cell's edge and whether it is on the subject, so that an effect
/// moving the cells as fragments tests a candidate with one texture read.
pub struct VoronoiCells {
    region: Shader,
    main: Shader,
    occupancy: Shader,
}

/// What [`VoronoiCells::map`] makes.
pub struct VoronoiCellMap {
    /// Per pixel near the subject: its cell (x, y modulo 256 in red and
    /// green), its edge distance (blue) and whether it is on the subject
    /// (alpha); the frame's size.
    pub cells: Texture,
    /// Per cell (cell c at texel c + 2): red 1 where it may hold some of the
    /// subject, 0 where it holds none.
    pub occupancy: Texture,
}

impl VoronoiCells {
    /// Compiles the pass (three pipelines: its region, the map and the
    /// occupancy).
    pub fn new() -> Result<Self, String> {
        use crate::wgsl::{BOUNDS, NOISE, REGION, VORONOI, VORONOI_CELLS_PASS, with_prelude};
        let source = with_prelude(VORONOI_CELLS_PASS, &[NOISE, VORONOI, BOUNDS, REGION]);
        Ok(Self {
            region: compile(&source, "region_main")?,
            main: compile(&source, "main")?,
            occupancy: compile(&source, "occupancy_main")?,
        })
    }

    /// Maps the cells of size `cell_size` (pixels of a 720p frame, scaled
    /// with the height, at least `min_cell` pixels) for `seed` around the
    /// subject of `frame` (its `mask` and the `bounds` of
    /// [`subject_bounds`]), edge distances as fractions of `edge_range`
    /// pixels. The result is `frame`'s size; outside the subject's box grown
    /// by `size / 64 + 2 + 2.5 cs` pixels (cs the cell size) it holds a copy
    /// of `frame`, so readers check that rectangle.
    #[allow(clippy::too_many_arguments)]
    pub fn map(
        &self,
        frame: &Texture,
        mask: &Texture,
        bounds: &Texture,
        cell_size: f32,
        min_cell: f32,
        seed: f32,
        edge_range: f32,
    ) -> Result<VoronoiCellMap, String> {
        let cells = create_texture(frame.width(), frame.height())?;
        let inputs = [frame, mask, bounds];
        let uniforms = [cell_size, min_cell, seed, edge_range];
        dispatch_in_region(&self.region, &self.main, &inputs, &cells, &uniforms)
            .map_err(|e| format!("voronoi cells: {e}"))?;
        // One texel per cell, cell c at c + 2: the shader's cell size is at
        // least this one (up to rounding), and cells -2 .. frame / cs + 1
        // are all that can hold frame pixels.
        let cs = (cell_size * frame.height() as f32 / 720.0).max(min_cell).max(1.0);
        let side = |pixels: u32| (pixels as f32 / cs).ceil() as u32 + 5;
        let occupancy = create_texture(side(frame.width()), side(frame.height()))?;
        dispatch(&self.occupancy, &inputs, &occupancy, &uniforms).map_err(|e| format!("voronoi occupancy: {e}"))?;
        Ok(VoronoiCellMap { cells, occupancy })
    }
}
