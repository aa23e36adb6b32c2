// explode: the subject breaks into fragments that fly outward from a blast
// centre as progress goes 0 -> 1; the background stays intact and the area
// the subject leaves is filled from the nearby background.
//
// Fragments are the Voronoi cells of a jittered grid of cell size cs (one
// hash per cell gives its site, its drift and its depth, seeded). The blast
// centre C is the subject's centroid (from the subject-bounds pass) shifted
// by (center - 0.5) frames. The fragment of site S moves rigidly, at time
// t = progress, by
//   d(S, t) = (S - C) A t + dir(S - C) B t + v(S) A cs t + (0, G t^2 / 2)
// (A = 2.5 force, B = 0.25 force frame heights, v a random drift in
// [-0.5, 0.5]^2, G the gravity in frame heights) and fades out late. Where
// fragments overlap, the one with the larger depth hash is in front.
//
// Rendering is the inverse mapping, organised per 16x16 tile, and every
// pass runs over only the pixels it can change: lavapipe (the CI device)
// costs a shader's whole body for every pixel dispatched, branches taken
// or not.
//   1. The mean map M(S) = S + d(S, t) - v A cs t expands space about C by
//      1 + A t, so its inverse M^-1 is a contraction: every fragment that
//      reaches the tile has its site within R = cs + 12 px of M^-1(tile
//      centre) (cs bounds a cell's radius and the drift, 12 px the tile's
//      half-diagonal; all shrink by 1 + A t). The cells whose site range
//      meets the square of side 2R about it are the candidates: a window of
//      LIST_SIDE x LIST_SIDE cells (the SDK's voronoi_window_first and
//      voronoi_window_side; src/lib.rs sets the side: 4 for the default
//      36 px fragments at 720p, up to 11 for the smallest); tiles whose
//      M^-1 is far from the subject's box get none.
//   2. `tiles_main` (one LIST_SIDE x LIST_SIDE workgroup per tile, one
//      candidate each) lists
//      the candidates that hold some of the subject (the SDK's Voronoi
//      occupancy), whose moved bounding circle touches the tile and which
//      no bisector with a neighbour separates from it, into the tile's
//      block of the list texture (each texel: a cell's x and y modulo 256
//      and the count). The SDK's busy-tiles pass packs the tiles with a
//      list into an index.
//   3. `frag_main`, over the busy tiles only, tries the listed fragments
//      per pixel: the source point s = p - d must lie in the fragment's own
//      cell and on the subject, which one read of the SDK's Voronoi cell
//      map tells (per pixel near the subject: its cell, its distance to the
//      cell's edge, for shading, and whether the mask is above 0.5). The
//      front-most fragment is drawn over `vacated_main`'s output.
//   4. `vacated_main` (the SDK's), first, over the tiles near the subject
//      (`effect_region`):
//      the vacated subject area shows the background fill, sampled
//      bilinearly from the coarse fill of the SDK's COARSE_FILL_PASS (one
//      background_fill per ~16x16 pixels at 720p: the fill is smooth, and
//      on lavapipe a per-pixel shader pays for background_fill's code even
//      on the pixels that never call it).
// With progress 0 the frame is copied unchanged.
//
// Bindings: input_0 = frame (binding 3; in `frag_main`, vacated_main's
// output),
// input_1 = subject mask (4, red), input_2 = subject bounds (5), input_3 =
// coarse fill (6), input_4 = Voronoi cell map (7), input_5 = Voronoi
// occupancy (8), input_6 = tile lists (9), busy_index = the busy tiles
// (10), input_8 = the frame (11, `frag_main`). `fill`: input_0, input_1;
// its output is the coarse fill.
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x progress   0..1
//   u[0].y cell_size  fragment size in pixels at 720p (scaled with the height)
//   u[0].z force      0..3 (how far the fragments fly)
//   u[0].w gravity    0..3 (frame heights of fall per progress^2, halved)
//   u[1].x center.x   0..1 (the blast centre's offset from the subject's
//   u[1].y center.y   0..1  centroid, plus 0.5, in frame widths / heights)
//   u[1].z seed       0..1000

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 2>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;
@group(0) @binding(5) var input_2: texture_2d<f32>;
@group(0) @binding(6) var input_3: texture_2d<f32>;
@group(0) @binding(7) var input_4: texture_2d<f32>;
@group(0) @binding(8) var input_5: texture_2d<f32>;
@group(0) @binding(9) var input_6: texture_2d<f32>;
@group(0) @binding(10) var busy_index: texture_2d<f32>;
@group(0) @binding(11) var input_8: texture_2d<f32>;

// From the SDK's WGSL prelude (pikafx_sdk::wgsl::NOISE, VORONOI, SUBJECT, BOUNDS,
// BUSY_TILES, FRAGMENTS), appended after this file: hash_u32, unit,
// cell_hash, voronoi_seed, voronoi_site, voronoi_site_of,
// voronoi_window_first, voronoi_cells_rect, background_fill, busy_tile,
// subject_box, subject_centre, subject_found, cell_occupied,
// tile_list_store.

// (`const LIST_SIDE: u32`, the side of a tile's candidate window, is put in
// front of this file's first line, and the SDK's FRAGMENTS (cell_occupied,
// tile_list_store) after it, by pikafx_sdk::VoronoiFragments; see step 1.)

// The Voronoi cell map's edge distances are fractions of this (pixels):
// the shading needs them up to 1 px.
const EDGE_RANGE: f32 = 2.0;

// The blast for this frame (progress t > 0, a subject found).
struct Blast {
    cs: f32,              // fragment size, pixels
    fall: vec2<f32>,      // the fall by gravity so far, pixels
    centre: vec2<f32>,    // the blast centre C
    at: f32,              // the expansion about C (A t)
    bt: f32,              // the outward push (B t), pixels
    flying: bool,         // before every fragment has faded out
    // How far soft mask edges may reach beyond the box (the box comes from
    // a 64x64 grid: one grid step).
    slack: vec2<f32>,
    // A tile is reachable when the inverse image of its centre is within
    // this of the subject's box (a site lies within cs of the box, and
    // within cs + 12 px of that image).
    reach: f32,
}

fn blast(t: f32, size: vec2<f32>) -> Blast {
    let cs = max(u[0].y * size.y / 720.0, 3.0);
    let force = max(u[0].z, 0.0);
    let fall = vec2<f32>(0.0, 0.5 * max(u[0].w, 0.0) * size.y * t * t);
    let centre = subject_centre() + (vec2<f32>(u[1].x, u[1].y) - 0.5) * size;
    // After t = 0.95 every fragment has faded out.
    return Blast(cs, fall, centre, 2.5 * force * t, 0.25 * force * size.y * t, t < 0.95, size / 64.0 + 2.0,
        2.0 * cs + 12.0);
}

// Where `vacated_main` changes the frame (see pikafx_sdk::wgsl::REGION): the
// vacated area, in the tiles near the subject (touching its box grown by
// the slack); nothing before the start or without a subject. The
// fragments are drawn over the busy tiles only (`frag_main`).
fn effect_region() -> vec4<f32> {
    let t = clamp(u[0].x, 0.0, 1.0);
    if (t <= 0.0 || !subject_found()) {
        return vec4<f32>(0.0);
    }
    let bl = blast(t, vec2<f32>(textureDimensions(input_0)));
    return subject_box() + vec4<f32>(-bl.slack - 16.0, bl.slack + 16.0);
}

// The tile at `tile_lo` (its top-left pixel): the inverse image of its
// centre under the mean map, `est`, and the first of its candidate cells
// (step 1; src/lib.rs's list_side gives the window's side, LIST_SIDE).
struct TileReach {
    est: vec2<f32>,
    first: vec2<i32>,
}

fn tile_reach(tile_lo: vec2<f32>, bl: Blast) -> TileReach {
    let q = tile_lo + 8.0 - bl.centre - bl.fall;
    let ql = length(q);
    var est = bl.centre;
    if (ql > 1e-3) {
        est = bl.centre + q / ql * max(ql - bl.bt, 0.0) / (1.0 + bl.at);
    }
    return TileReach(est, voronoi_window_first(est, bl.cs + 12.0, bl.cs));
}

// Whether fragments can reach the tile of estimate `est`: a fragment's
// site lies within cs of the subject's box, and within cs + 12 px of `est`.
fn tile_reachable(est: vec2<f32>, bx: vec4<f32>, bl: Blast) -> bool {
    let away = max(max(bx.xy - est, est - bx.zw), vec2<f32>(0.0));
    return bl.flying && dot(away, away) <= bl.reach * bl.reach;
}

// One fragment: the cell's site, its move this frame (pixels) and its hash
// (drift, depth and shade).
struct Fragment {
    site: vec2<f32>,
    motion: vec2<f32>,
    h: u32,
}

fn fragment(cell: vec2<i32>, seed: u32, bl: Blast) -> Fragment {
    // One hash per cell: its bits give the site's jitter (10 + 10 bits,
    // the layout of the SDK's VORONOI: voronoi_site_of) and the drift (6 + 6).
    let h = cell_hash(cell, seed);
    let site = voronoi_site_of(cell, h, bl.cs);
    let r = site - bl.centre;
    let rl = length(r);
    var dir = vec2<f32>(0.0, -1.0);
    if (rl > 1e-3) {
        dir = r / rl;
    }
    let drift = (vec2<f32>(f32((h >> 20u) & 0x3fu), f32((h >> 26u) & 0x3fu)) / 63.0 - 0.5) * bl.cs;
    return Fragment(site, r * bl.at + dir * bl.bt + drift * bl.at + bl.fall, h);
}

// Step 2: one workgroup per 16x16 tile of the frame, one candidate cell per
// invocation; writes the tile's LIST_SIDE x LIST_SIDE block of the list
// texture.
@compute @workgroup_size(LIST_SIDE, LIST_SIDE, 1)
fn tiles_main(
    @builtin(local_invocation_id) lid: vec3<u32>,
    @builtin(local_invocation_index) li: u32,
    @builtin(workgroup_id) wid: vec3<u32>,
) {
    let t = clamp(u[0].x, 0.0, 1.0);
    var hit = false;
    var listed = vec2<i32>(0);
    if (t > 0.0 && subject_found()) {
        let bl = blast(t, vec2<f32>(textureDimensions(input_0)));
        let tile_lo = vec2<f32>(wid.xy * 16u);
        let reach = tile_reach(tile_lo, bl);
        let bx = subject_box();
        let cell = reach.first + vec2<i32>(lid.xy);
        let seed = voronoi_seed(u[1].z);
        let f = fragment(cell, seed, bl);
        // Does the moved cell (radius cs around the moved site) touch the tile?
        let moved = f.site + f.motion;
        let gap = max(max(tile_lo - moved, moved - (tile_lo + 16.0)), vec2<f32>(0.0));
        // Only cells that can hold some of the subject (their disc meets the
        // subject's box) carry anything.
        let outside = max(max(bx.xy - bl.slack - f.site, f.site - bx.zw - bl.slack), vec2<f32>(0.0));
        // And does the tile, moved back by the fragment's motion, lie on the
        // cell's side of each bisector with its 8 neighbours (the cell is
        // inside each of those half-planes)? A tighter test than the circle,
        // which lets ~3x as many candidates through.
        let centre = tile_lo + 8.0 - f.motion - f.site;
        var apart = false;
        for (var k = 0; k < 9; k++) {
            let w = voronoi_site(cell + vec2<i32>(k % 3 - 1, k / 3 - 1), seed, bl.cs) - f.site;
            // The square's nearest point to the neighbour's side, against the bisector (k = 4 is the site: w = 0).
            apart = apart || dot(centre, w) - 8.0 * (abs(w.x) + abs(w.y)) > 0.5 * dot(w, w) + 1e-3;
        }
        // And does the cell hold some of the subject at all (the SDK's
        // occupancy, cell_occupied)?
        hit = tile_reachable(reach.est, bx, bl) && dot(outside, outside) <= bl.cs * bl.cs
            && dot(gap, gap) <= bl.cs * bl.cs && !apart && cell_occupied(cell);
        listed = cell;
    }
    tile_list_store(hit, listed, li, lid, wid);
}

// Step 4 first (the SDK's VACATED_FILL_PASS, entry point `vacated_main`,
// over the tiles near the subject, effect_region): the frame with the
// vacated subject area filled; the fragments go on top in
// `frag_main`. How far the subject has left by now:
fn vacated_amount() -> f32 {
    return smoothstep(0.0, 0.04, clamp(u[0].x, 0.0, 1.0));
}

// Step 3 over the busy tiles only (dispatched over the busy index): the
// listed fragments over each pixel, the front-most winning, on top of
// `vacated_main`'s output (input_0; the host copies it to the output first).
@compute @workgroup_size(16, 16, 1)
fn frag_main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
    let tile = busy_tile(wid);
    let dims = textureDimensions(output);
    let gid = tile * 16u + lid.xy;
    // (Past the last busy tile the entries are 0xffff: off the frame.)
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let pi = vec2<i32>(gid);
    let t = clamp(u[0].x, 0.0, 1.0);
    let size = vec2<f32>(dims);
    let bl = blast(t, size);
    let seed = voronoi_seed(u[1].z);
    let tile_lo = vec2<f32>(tile * 16u);
    let reach = tile_reach(tile_lo, bl);
    let bx = subject_box();

    // Written without `continue` (selects instead): lavapipe runs divergent
    // loop exits slowly; the trip count is the same for the whole tile.
    let p = vec2<f32>(pi) + 0.5;
    let max_i = vec2<i32>(dims) - 1;
    let map = voronoi_cells_rect(bx, size, bl.cs);
    let list = vec2<i32>(tile * LIST_SIDE);
    let count = u32(round(textureLoad(input_6, list, 0).b * 255.0));
    var found = false;
    var best_key = 0u;
    var best_s = p;
    var best_edge = 0.0;
    var best_depth = 0u;
    var best_h = 0u;
    for (var k = 0u; k < count; k++) {
        let entry = vec2<i32>(round(textureLoad(input_6, list + vec2<i32>(i32(k % LIST_SIDE), i32(k / LIST_SIDE)), 0).rg * 255.0));
        // The listed cell, from its low 8 bits and the tile's first
        // candidate (within LIST_SIDE cells of it).
        let cell = reach.first + (((entry - reach.first) + 128) & vec2<i32>(255)) - 128;
        let f = fragment(cell, seed, bl);
        let s = p - f.motion;
        let si = clamp(vec2<i32>(floor(s)), vec2<i32>(0), max_i);
        let here = textureLoad(input_4, si, 0);
        let in_map = all(vec2<f32>(si) >= map.xy) && all(vec2<f32>(si) + 1.0 <= map.zw);
        let same_cell = all(vec2<i32>(round(here.rg * 255.0)) == (cell & vec2<i32>(255)));
        let depth = f.h ^ 0x68e31da4u;
        let key = bitcast<u32>(entry.x | (entry.y << 8u));
        // (Ties broken by the cell: the list's order is arbitrary.)
        let in_front = !found || depth > best_depth || (depth == best_depth && key > best_key);
        let ok = in_map && same_cell && here.a > 0.5 && all(s >= vec2<f32>(0.0)) && all(s < size) && in_front;
        found = found || ok;
        best_key = select(best_key, key, ok);
        best_s = select(best_s, s, ok);
        best_edge = select(best_edge, here.b * EDGE_RANGE, ok);
        best_depth = select(best_depth, depth, ok);
        best_h = select(best_h, f.h, ok);
    }
    if (found) {
        let under = textureLoad(input_0, pi, 0);
        let h2 = unit(hash_u32(best_h ^ 0x27d4eb2fu));
        let moved = smoothstep(0.0, 0.06, t);
        // A shaded edge and a per-fragment brightness once broken apart.
        let shade = (1.0 - 0.35 * moved * (1.0 - smoothstep(0.0, 1.0, best_edge))) * (1.0 + moved * 0.2 * (h2 - 0.5));
        let frag = clamp(textureLoad(input_8, vec2<i32>(best_s), 0).rgb * shade, vec3<f32>(0.0), vec3<f32>(1.0));
        let alpha = 1.0 - smoothstep(0.6, 0.95, t + 0.1 * h2);
        textureStore(output, pi, vec4<f32>(mix(under.rgb, frag, alpha), under.a));
    }
}
