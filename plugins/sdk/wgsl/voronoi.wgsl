// ---- pikafx_sdk::wgsl::VORONOI: the seeded jittered grid of cells ----
// Needs NOISE. The layout VORONOI_CELLS_PASS maps and explode and shatter
// move: cells of size cs (pixels), one hash per cell (cell_hash with the
// seed below), whose low 20 bits place the cell's site.

// The grid's seed for an effect's `seed` parameter.
fn voronoi_seed(seed_param: f32) -> u32 {
    return hash_u32(u32(seed_param) + 0x9e3779b9u);
}

// The site of `cell` whose hash is `h`: (c + 0.15 + 0.7 jitter) cs, the
// jitter from bits 0-9 and 10-19 (the rest are the effect's to use).
fn voronoi_site_of(cell: vec2<i32>, h: u32, cs: f32) -> vec2<f32> {
    let jitter = vec2<f32>(f32(h & 0x3ffu), f32((h >> 10u) & 0x3ffu)) / 1024.0;
    return (vec2<f32>(cell) + 0.15 + 0.7 * jitter) * cs;
}

// The site of `cell` for the grid seed `seed`.
fn voronoi_site(cell: vec2<i32>, seed: u32, cs: f32) -> vec2<f32> {
    return voronoi_site_of(cell, cell_hash(cell, seed), cs);
}

// The first cell, per axis, of the window of cells whose sites can lie
// within `reach` pixels of `p` (a site lies in the middle 70% of its cell):
// the window holds pikafx_sdk::voronoi_window_side(cs, reach) cells per axis
// from here.
fn voronoi_window_first(p: vec2<f32>, reach: f32, cs: f32) -> vec2<i32> {
    return vec2<i32>(ceil((p - reach) / cs - 0.85));
}

// The rectangle VORONOI_CELLS_PASS maps around the subject's box `bx` for
// cells of `cs` pixels in a frame of `size`: the box grown by one grid step
// of the bounds pass (size / 64 + 2) and 2.5 cells, which holds every pixel
// of every cell whose site is within cs of the grown box (a cell's pixels
// are within 1.21 cs of its site). Readers of the map check it.
fn voronoi_cells_rect(bx: vec4<f32>, size: vec2<f32>, cs: f32) -> vec4<f32> {
    let grow = size / 64.0 + 2.0 + 2.5 * cs;
    return bx + vec4<f32>(-grow, grow);
}
