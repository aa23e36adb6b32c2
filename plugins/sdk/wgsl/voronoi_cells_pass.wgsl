// The Voronoi cell map (pikafx_sdk::wgsl::VORONOI_CELLS_PASS; explode and
// shatter use it): for every pixel near the subject, which cell of a
// jittered grid it lies in, how far it is from that cell's edge, and
// whether it is on the subject. Effects that move the cells as fragments
// then test "is source point s in cell c, on the subject?" with one texture
// read instead of eight bisector tests and a mask read per candidate.
//
// The cells: the grid of cell size cs (pixels), cell c's site at
//   (c + 0.15 + 0.7 jitter) cs, jitter = (h & 0x3ff, (h >> 10) & 0x3ff) / 1024
// with h = cell_hash(c, seed) and seed = hash_u32(seed param + 0x9e3779b9):
// the layout explode and shatter have always used. A pixel belongs to the
// nearest site among the 3x3 cells around its own grid cell, and its edge
// distance is its distance to the bisector with the second-nearest (pixel
// centres; where the distance is small, that is the nearest bisector).
//
// Output (the frame's size), per pixel inside the region (the subject's box
// grown by one grid step of the bounds pass, size / 64 + 2, and 2.5 cs:
// every pixel of every cell whose site is within cs of the box grown by
// the grid step, as every pixel of a cell is within 1.21 cs of its site):
//   r, g: the cell's x and y modulo 256 (as 0..255 / 255)
//   b:    min(edge distance / edge range, 1)
//   a:    1 where the mask is above 0.5, else 0
// Outside the region the host leaves a copy of input_0 (the frame):
// readers must check the rectangle themselves.
//
// Inputs: input_0 = frame (binding 3; its size and the copy), input_1 =
// subject mask (binding 4, red), input_2 = subject bounds (binding 5).
// Uniforms (binding 0): u[0].x cell size in pixels of a 720p frame (scaled
// with the height), u[0].y the smallest cell size in pixels, u[0].z the
// seed parameter, u[0].w the edge range in pixels.
// Compile with with_prelude(VORONOI_CELLS_PASS, &[NOISE, VORONOI, BOUNDS, REGION]),
// entry points `region_main` and `main`; see pikafx_sdk::voronoi_cells.

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 1>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;
@group(0) @binding(5) var input_2: texture_2d<f32>;

fn voronoi_cell_size(size: vec2<f32>) -> f32 {
    return max(u[0].x * size.y / 720.0, u[0].y);
}

// The rectangle the map covers (frame pixels); nothing without a subject.
fn effect_region() -> vec4<f32> {
    if (!subject_found()) {
        return vec4<f32>(0.0);
    }
    let size = vec2<f32>(textureDimensions(input_0));
    return voronoi_cells_rect(subject_box(), size, voronoi_cell_size(size));
}

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let gid = region_pixel(id);
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let size = vec2<f32>(dims);
    let cs = voronoi_cell_size(size);
    let seed = voronoi_seed(u[0].z);
    let p = vec2<f32>(gid) + 0.5;
    let g = vec2<i32>(floor(p / cs));
    // The nearest and second-nearest of the 3x3 sites around the pixel's
    // grid cell. (One loop without an array: on lavapipe a private array
    // indexed in a loop is memory traffic per lane.)
    var near = vec2<f32>(0.0);
    var near_d = 1e30;
    var near_k = 0;
    var second = vec2<f32>(0.0);
    var second_d = 1e30;
    for (var k = 0; k < 9; k++) {
        let site = voronoi_site(g + vec2<i32>(k % 3 - 1, k / 3 - 1), seed, cs);
        let d = dot(p - site, p - site);
        let nearer = d < near_d;
        let second_nearer = d < second_d;
        second = select(select(second, site, second_nearer), near, nearer);
        second_d = select(select(second_d, d, second_nearer), near_d, nearer);
        near = select(near, site, nearer);
        near_d = select(near_d, d, nearer);
        near_k = select(near_k, k, nearer);
    }
    // The distance to the bisector with the second-nearest site: the edge
    // distance wherever it is small, which is where it is used.
    let w = second - near;
    let edge = (0.5 * dot(w, w) - dot(p - near, w)) * inverseSqrt(max(dot(w, w), 1e-6));
    let cell = bitcast<vec2<u32>>(g + vec2<i32>(near_k % 3 - 1, near_k / 3 - 1)) & vec2<u32>(255u);
    let on_subject = textureLoad(input_1, vec2<i32>(gid), 0).r > 0.5;
    let range = max(u[0].w, 1e-3);
    textureStore(
        output,
        vec2<i32>(gid),
        vec4<f32>(vec2<f32>(cell) / 255.0, clamp(edge / range, 0.0, 1.0), select(0.0, 1.0, on_subject)),
    );
}

// The occupancy of the cells (entry point `occupancy_main`, over a texture
// of one texel per cell, cell c at texel c + 2, at least frame / cs + 4 on
// each side): red 1 where the cell may hold a pixel whose mask is above
// 0.5, 0 where it holds none. Only cells whose site is within cs of the
// region are looked at (the others are 0). Exact on the safe side: it
// reads the host's mask work grid (host/src/gpu/mask.rs: texels of
// `block` pixels, 256 on the long side, blended bilinearly between texel
// centres, so a pixel above 0.5 has a texel around it above 0.5, whose
// centre pixel is above 0.28 for any block size; see MASK_SUPPORT) over
// the square holding the cell (every pixel of a cell is within
// 0.85 sqrt(2) cs < 1.21 cs of its site).
@compute @workgroup_size(8, 8, 1)
fn occupancy_main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let od = textureDimensions(output);
    if (gid.x >= od.x || gid.y >= od.y) {
        return;
    }
    let size = vec2<f32>(textureDimensions(input_0));
    let cs = voronoi_cell_size(size);
    let seed = voronoi_seed(u[0].z);
    let site = voronoi_site(vec2<i32>(gid.xy) - 2, seed, cs);
    let region = effect_region();
    let outside = max(max(region.xy - site, site - region.zw), vec2<f32>(0.0));
    let md = vec2<i32>(textureDimensions(input_1));
    let block = max((max(md.x, md.y) + 255) / 256, 1);
    let grid = (md + block - 1) / block;
    let centre = (block - 1) / 2;
    // Mask pixels are frame pixels scaled to the mask's size.
    let scale = vec2<f32>(md) / size;
    let lo_px = (site - 1.21 * cs - 1.0) * scale;
    let hi_px = (site + 1.21 * cs + 1.0) * scale;
    let b = f32(block);
    var q_lo = clamp(vec2<i32>(floor((lo_px + 0.5) / b - 0.5)), vec2<i32>(0), grid - 1);
    let q_hi = clamp(vec2<i32>(floor((hi_px + 0.5) / b - 0.5)) + 1, vec2<i32>(0), grid - 1);
    if (dot(outside, outside) > cs * cs || !subject_found()) {
        q_lo = q_hi + 1;
    }
    var occupied = false;
    for (var y = q_lo.y; y <= q_hi.y; y++) {
        for (var x = q_lo.x; x <= q_hi.x; x++) {
            let m = textureLoad(input_1, min(vec2<i32>(x, y) * block + centre, md - 1), 0).r;
            occupied = occupied || m > 0.25;
        }
    }
    textureStore(output, vec2<i32>(gid.xy), vec4<f32>(select(0.0, 1.0, occupied), 0.0, 0.0, 1.0));
}
