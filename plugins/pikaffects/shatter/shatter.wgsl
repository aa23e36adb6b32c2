// shatter: the subject shatters like a pane of glass as progress goes 0 -> 1.
// Crack lines spread from an impact point over the first 35% of the
// timeline (the crack phase), then the shards fall with gravity, bottom row
// first, drifting apart and tumbling, with bright glassy edges, revealing
// the background (filled in where the subject was).
//
// Shards are the Voronoi cells of a jittered grid of cell size cs (one hash
// per cell: its site, tumble, spin and release, seeded). The impact point I
// is the subject's centroid (from the subject-bounds pass) shifted by
// (impact - 0.5) frames.
//   crack phase: a pixel of the subject lies on a crack where it is within
//     a line width of its shard's edge (or of one of 7 radial cracks near
//     I) and the crack front, a circle about I growing to the farthest
//     corner of the subject's box by t = TC, has passed it; cracked shards
//     refract a little (a per-shard offset of the frame) and vary in
//     brightness;
//   fall phase: the shard of site S is released at
//       rel = TC + ALPHA * (1 - (S.y + jitter - box top) / box height)
//     (the bottom first; the jitter is +-0.3 cells), and after that, with
//     T = (t - rel) / (1 - TC), it has fallen G T^2 frame heights (G the
//     gravity), drifted outward by (S.x - I.x) T / 2 (+-0.4 cells at
//     random), spun by up to +-4 T radians and tumbled about its own
//     vertical axis (its width scaled by |cos|, with a glint as it turns
//     edge-on). Everything fades out over the last 10%.
//
// Rendering is the inverse mapping, per 16x16 tile, so that lavapipe does
// a few ALU tests per pixel (it runs a shader's whole body for every pixel
// dispatched, branches taken or not):
//   1. the mean motion (no jitter) maps the heights monotonically (lower
//      shards fall first and further), so the source of the tile's centre
//      solves y + G H tau(y)^2 / (1 - TC)^2 = p.y, a quadratic; the jitter,
//      the shard's radius (cs) and the tile move the true sites at most
//      R = 1.7 cs + 12 px from it, so the cells whose site range meets
//      the square of side 2R about it are the candidates: a window of
//      LIST_SIDE x LIST_SIDE cells (the SDK's voronoi_window_first and
//      voronoi_window_side; src/lib.rs sets the side: 5 for the default
//      40 px shards at 720p, up to 11 for the smallest); tiles that no
//      shard can reach keep `vacated_main`'s output;
//   2. `tiles_main` (one LIST_SIDE x LIST_SIDE workgroup per tile, one
//      candidate each) lists the candidates that hold some of the subject
//      (the SDK's Voronoi occupancy) and whose moved shard (radius cs about
//      the moved site) touches the tile, into the tile's block of the list
//      texture (each texel: a cell's x and y modulo 256 and the count);
//      the SDK's busy-tiles pass packs the tiles with a list into an index;
//   3. `frag_main`, over the busy tiles only, first moves and turns the
//      tile's listed shards once per tile (one per invocation, into
//      workgroup memory), then tries them per pixel: undoes the shard's
//      move, spin and tumble to find its source point s, which must lie in
//      the shard's own cell and on the subject, as one read of the SDK's
//      Voronoi cell map tells (with the distance to the cell's edge, for
//      the cracks). The most fallen shard is in front;
//   4. `vacated_main` (the SDK's), first, over the tiles near the
//      subject: the vacated subject area shows the background fill,
//      sampled bilinearly from the coarse fill of the SDK's
//      COARSE_FILL_PASS (one background_fill per ~16x16 pixels at 720p: the
//      fill is smooth, and on lavapipe a per-pixel shader pays for
//      background_fill's code even on the pixels that never call it).
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
//   u[0].x progress    0..1
//   u[0].y shard_size  shard size in pixels at 720p (scaled with the height)
//   u[0].z impact.x    0..1 (the impact's offset from the subject's centroid,
//   u[0].w impact.y    0..1  plus 0.5, in frame widths / heights)
//   u[1].x gravity     0.2..3 (frame heights fallen by the first shards)
//   u[1].y shine       0..1 (brightness of the cracks, edges and glints)
//   u[1].z seed        0..1000

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

// The end of the crack phase and the spread of the release times.
const TC: f32 = 0.35;
const ALPHA: f32 = 0.2;

// (`const LIST_SIDE: u32`, the side of a tile's candidate window, is put in
// front of this file's first line, and the SDK's FRAGMENTS (cell_occupied,
// tile_list_store) after it, by pikafx_sdk::VoronoiFragments; see step 1.)


// The shatter for this frame (progress t > 0, a subject found).
struct Fall {
    cs: f32,              // shard size, pixels
    impact: vec2<f32>,
    gh: f32,              // gravity, pixels per (time since release)^2
    top: f32,             // the box's top and height (at least cs)
    height: f32,
    visible: f32,         // the shards' opacity: 0 at the end
    // The time since release (unscaled) of a shard at rest at height y
    // without jitter: a0 + b0 y where positive.
    a0: f32,
    b0: f32,
    // How far soft mask edges may reach beyond the box (the box comes from
    // a 64x64 grid: one grid step).
    slack: vec2<f32>,
    // A tile is reachable when its estimate is within this of the box (a
    // shard's site lies within cs of the box, within 1.7 cs + 12 px of the
    // estimate).
    reach: f32,
}

fn fall(t: f32, size: vec2<f32>, bx: vec4<f32>) -> Fall {
    let cs = max(u[0].y * size.y / 720.0, 4.0);
    let impact = subject_centre() + (vec2<f32>(u[0].z, u[0].w) - 0.5) * size;
    let gh = max(u[1].x, 0.0) * size.y / ((1.0 - TC) * (1.0 - TC));
    let height = max(bx.w - bx.y, cs);
    let b0 = ALPHA / height;
    let a0 = t - TC - ALPHA - b0 * bx.y;
    return Fall(cs, impact, gh, bx.y, height, 1.0 - smoothstep(0.9, 1.0, t), a0, b0, size / 64.0 + 2.0,
        2.7 * cs + 12.0);
}

// Where `vacated_main` changes the frame (see pikafx_sdk::wgsl::REGION): the
// vacated area, in the tiles near the subject (touching its box grown by
// the slack); nothing before the start or without a subject. The shards
// are drawn over the busy tiles only (`frag_main`).
fn effect_region() -> vec4<f32> {
    let t = clamp(u[0].x, 0.0, 1.0);
    if (t <= 0.0 || !subject_found()) {
        return vec4<f32>(0.0);
    }
    let bx = subject_box();
    let f = fall(t, vec2<f32>(textureDimensions(input_0)), bx);
    return bx + vec4<f32>(-f.slack - 16.0, f.slack + 16.0);
}

// The line width of the cracks (pixels); the Voronoi cell map's edge
// distances are fractions of twice it (src/lib.rs passes the same).
fn crack_line(size: vec2<f32>) -> f32 {
    return max(0.9, 1.2 * size.y / 720.0);
}

// Step 1 for the tile at `tile_lo` (its top-left pixel): the estimate of
// the source of its centre and the first of its candidate cells.
struct TileReach {
    est: vec2<f32>,
    first: vec2<i32>,
}

fn tile_reach(tile_lo: vec2<f32>, f: Fall) -> TileReach {
    // With tau(y) = a0 + b0 y (the time since release, unscaled), solve
    // y + gh tau^2 = p.y where tau > 0, else the shard is at rest.
    let pc = tile_lo + 8.0;
    let b0 = f.b0;
    let a0 = f.a0;
    var ey = pc.y;
    if (a0 + b0 * pc.y > 0.0) {
        let qa = f.gh * b0 * b0;
        let qb = 1.0 + 2.0 * f.gh * a0 * b0;
        let qc = f.gh * a0 * a0 - pc.y;
        let disc = sqrt(max(qb * qb - 4.0 * qa * qc, 0.0));
        // The larger root, without cancellation for either sign of qb.
        ey = select((-qb + disc) / (2.0 * qa), -2.0 * qc / (qb + disc), qb > 0.0);
        ey = max(ey, -a0 / b0);
    }
    let t_est = max(a0 + b0 * ey, 0.0) / (1.0 - TC);
    let est = vec2<f32>(f.impact.x + (pc.x - f.impact.x) / (1.0 + 0.5 * t_est), ey);
    // The window of cells whose sites can be within R of est (src/lib.rs's
    // list_side gives its side, LIST_SIDE).
    return TileReach(est, voronoi_window_first(est, 1.7 * f.cs + 12.0, f.cs));
}

// Where a shard is: its cell's site, its move (pixels) and the time it
// has fallen T, with the cell's hash and its second hash.
struct ShardMove {
    site: vec2<f32>,
    motion: vec2<f32>,
    fallen: f32,
    h: u32,
    h2: u32,
}

fn shard_move(cell: vec2<i32>, seed: u32, t: f32, f: Fall) -> ShardMove {
    let cs = f.cs;
    // One hash per cell: its bits give the site's jitter (10 + 10 bits,
    // the layout of the SDK's VORONOI: voronoi_site_of), the release jitter (6)
    // and the spin (6).
    let h = cell_hash(cell, seed);
    let site = voronoi_site_of(cell, h, cs);
    let release_y = site.y + 0.3 * cs * (f32((h >> 20u) & 0x3fu) / 31.5 - 1.0);
    let fallen = max(t - TC - ALPHA * (1.0 - clamp((release_y - f.top) / f.height, 0.0, 1.0)), 0.0) / (1.0 - TC);
    let h2 = hash_u32(h ^ 0x27d4eb2fu);
    let drift = (site.x - f.impact.x) * 0.5 + 0.4 * cs * (unit(h2) * 2.0 - 1.0);
    let motion = vec2<f32>(drift * fallen, f.gh * (1.0 - TC) * (1.0 - TC) * fallen * fallen);
    return ShardMove(site, motion, fallen, h, h2);
}

// A shard's spin and tumble: cos and sin of the spin, 1 / its tumbled
// width and the time fallen T. (Apart from shard_move: the tile lists need
// only the move, and lavapipe pays for every cos and sin on every lane.)
fn shard_turn(m: ShardMove) -> vec4<f32> {
    let spin = (f32((m.h >> 26u) & 0x3fu) / 31.5 - 1.0) * 4.0 * m.fallen;
    let tumble = (0.6 + 0.8 * unit(hash_u32(m.h2))) * 7.0 * m.fallen;
    let width = max(abs(cos(tumble)), 0.12);
    return vec4<f32>(cos(spin), sin(spin), 1.0 / width, m.fallen);
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
        let size = vec2<f32>(textureDimensions(input_0));
        let bx = subject_box();
        let f = fall(t, size, bx);
        let tile_lo = vec2<f32>(wid.xy * 16u);
        let reach = tile_reach(tile_lo, f);
        let cell = reach.first + vec2<i32>(lid.xy);
        let sh = shard_move(cell, voronoi_seed(u[1].z), t, f);
        // Shards can reach the tile: a shard's site lies within cs of the
        // subject's box, and within 1.7 cs + 12 px of `est`.
        let away = max(max(bx.xy - reach.est, reach.est - bx.zw), vec2<f32>(0.0));
        let reachable = f.visible > 0.0 && dot(away, away) <= f.reach * f.reach;
        // Does the moved shard (radius cs about the moved site) touch the tile?
        let moved = sh.site + sh.motion;
        let gap = max(max(tile_lo - moved, moved - (tile_lo + 16.0)), vec2<f32>(0.0));
        // Only cells that can hold some of the subject (their disc meets the
        // subject's box, and the SDK's occupancy, cell_occupied, says so)
        // carry anything.
        let outside = max(max(bx.xy - f.slack - sh.site, sh.site - bx.zw - f.slack), vec2<f32>(0.0));
        hit = reachable && dot(outside, outside) <= f.cs * f.cs && dot(gap, gap) <= f.cs * f.cs
            && cell_occupied(cell);
        listed = cell;
    }
    tile_list_store(hit, listed, li, lid, wid);
}

// Step 4 first (the SDK's VACATED_FILL_PASS, entry point `vacated_main`,
// over the tiles near the subject, effect_region): the frame with the
// vacated subject area filled; the shards go on top in
// `frag_main`. How far the subject has left by now:
fn vacated_amount() -> f32 {
    return smoothstep(TC, TC + 0.03, clamp(u[0].x, 0.0, 1.0));
}

// Step 3's shards, once per tile: invocation k of `frag_main`'s workgroup
// moves and turns the tile's k-th listed shard here, so that each pixel
// reads the result instead of hashing, moving and turning every listed
// shard itself (on lavapipe the trig and hashes of shard_move and
// shard_turn were most of the per-pixel loop).
struct ListedShard {
    site: vec2<f32>,
    motion: vec2<f32>,
    // shard_turn's result: cos and sin of the spin, 1 / tumbled width, T.
    turn: vec4<f32>,
    // The cell's low 8 bits (as listed) and its hash.
    low: vec2<i32>,
    h: u32,
    // Which shard is in front: the most fallen (ties broken by the cell).
    key: f32,
}
var<workgroup> listed: array<ListedShard, 121>;

// Step 3 over the busy tiles only (dispatched over the busy index): the
// listed shards over each pixel, the most fallen in front, on top of
// `vacated_main`'s output (input_0; the host copies it to the output first).
@compute @workgroup_size(16, 16, 1)
fn frag_main(
    @builtin(local_invocation_id) lid: vec3<u32>,
    @builtin(local_invocation_index) li: u32,
    @builtin(workgroup_id) wid: vec3<u32>,
) {
    let tile = busy_tile(wid);
    let dims = textureDimensions(output);
    let t = clamp(u[0].x, 0.0, 1.0);
    let size = vec2<f32>(dims);
    let bx = subject_box();
    let f = fall(t, size, bx);
    let cs = f.cs;
    let impact = f.impact;
    let seed = voronoi_seed(u[1].z);
    let tile_lo = vec2<f32>(tile * 16u);
    let reach = tile_reach(tile_lo, f);
    let list = vec2<i32>(tile * LIST_SIDE);
    // (Past the last busy tile the entries are 0xffff: off the frame, no
    // list; its pixels return below.)
    let list_max = vec2<i32>(textureDimensions(input_6)) - 1;
    let on_frame = all(tile * 16u < dims);
    let count = select(0u, u32(round(textureLoad(input_6, min(list, list_max), 0).b * 255.0)), on_frame);
    // The crack phase: no shard has moved yet, so the shard over p is the
    // cell at p itself, which the cell map holds: no list to search. (t is
    // uniform, so on lavapipe this branch skips the loop for real, unlike
    // a per-pixel one.)
    let in_place = t <= TC;
    let listed_count = select(min(count, LIST_SIDE * LIST_SIDE), 0u, in_place);
    if (li < listed_count) {
        let at = min(list + vec2<i32>(i32(li % LIST_SIDE), i32(li / LIST_SIDE)), list_max);
        let entry = vec2<i32>(round(textureLoad(input_6, at, 0).rg * 255.0));
        // The listed cell, from its low 8 bits and the tile's first
        // candidate (within LIST_SIDE cells of it).
        let cell = reach.first + (((entry - reach.first) + 128) & vec2<i32>(255)) - 128;
        let sh = shard_move(cell, seed, t, f);
        let turn = shard_turn(sh);
        listed[li] = ListedShard(sh.site, sh.motion, turn, entry, sh.h, turn.w + 1e-3 * unit(sh.h));
    }
    workgroupBarrier();
    let gid = tile * 16u + lid.xy;
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let pi = vec2<i32>(gid);
    let shine = clamp(u[1].y, 0.0, 1.0);
    let line = crack_line(size);

    // Written without `continue` (selects instead): lavapipe runs divergent
    // loop exits slowly; the trip count is the same for the whole tile.
    let p = vec2<f32>(pi) + 0.5;
    let max_i = vec2<i32>(dims) - 1;
    let map = voronoi_cells_rect(bx, size, cs);
    var found = false;
    var best_cell = 0u;
    var best_s = p;
    var best_edge = 0.0;
    var best_key = -1.0;
    var best_h = 0u;
    var best_b = vec4<f32>(0.0);
    if (in_place) {
        let here = textureLoad(input_4, pi, 0);
        let in_map = all(p - 0.5 >= map.xy) && all(p + 0.5 <= map.zw);
        // The cell, from its low 8 bits and the grid cell of p (the pixel's
        // own cell is within one of it).
        let g = vec2<i32>(floor(p / cs));
        let low = vec2<i32>(round(here.rg * 255.0));
        let cell = g + (((low - g) + 128) & vec2<i32>(255)) - 128;
        found = in_map && here.a > 0.5;
        best_edge = here.b * 2.0 * line;
        best_h = cell_hash(cell, seed);
        best_b = vec4<f32>(1.0, 0.0, 1.0, 0.0);
    }
    for (var k = 0u; k < listed_count; k++) {
        let sh = listed[k];
        let bb = sh.turn;
        // Undo the move, the spin and the tumble.
        let d = p - sh.site - sh.motion;
        let off = vec2<f32>((bb.x * d.x + bb.y * d.y) * bb.z, bb.x * d.y - bb.y * d.x);
        let s = sh.site + off;
        let si = clamp(vec2<i32>(floor(s)), vec2<i32>(0), max_i);
        let here = textureLoad(input_4, si, 0);
        let in_map = all(vec2<f32>(si) >= map.xy) && all(vec2<f32>(si) + 1.0 <= map.zw);
        let same_cell = all(vec2<i32>(round(here.rg * 255.0)) == sh.low);
        let key = sh.key;
        let cell_key = bitcast<u32>(sh.low.x | (sh.low.y << 8u));
        // (Ties broken by the cell: the list's order is arbitrary.)
        let in_front = !found || key > best_key || (key == best_key && cell_key > best_cell);
        let ok = in_map && same_cell && here.a > 0.5 && all(s >= vec2<f32>(0.0)) && all(s < size) && in_front;
        found = found || ok;
        best_cell = select(best_cell, cell_key, ok);
        best_s = select(best_s, s, ok);
        best_edge = select(best_edge, here.b * 2.0 * line, ok);
        best_key = select(best_key, key, ok);
        best_h = select(best_h, sh.h, ok);
        best_b = select(best_b, bb, ok);
    }
    if (found) {
        let under = textureLoad(input_0, pi, 0);
        let h = best_h;
        let bb = best_b;
        let fallen = bb.w;
        // The crack front: a jagged circle about the impact.
        let front = (t / TC) * length(max(abs(bx.xy - impact), abs(bx.zw - impact))) * 1.05;
        let r = distance(best_s, impact);
        let cracked = smoothstep(0.0, cs * 0.5, front - r + (unit(h) - 0.5) * cs * 0.6);
        // Radial cracks near the impact: 7 lines at a seeded angle.
        let sector = fract(atan2(best_s.y - impact.y, best_s.x - impact.x) * 1.1140846 + unit(seed));
        let radial = min(sector, 1.0 - sector) * 0.8975979 * r;
        let near = 1.0 - smoothstep(cs, 2.5 * cs, r);
        let crack = max(1.0 - smoothstep(0.0, line, best_edge), near * (1.0 - smoothstep(0.0, line, radial)));
        // Glass: each cracked shard refracts a little and catches the light
        // its own way; falling shards glint as they tumble edge-on.
        let h3 = hash_u32(h ^ 0x9e3779b9u);
        let refract = (vec2<f32>(unit(h3), unit(hash_u32(h3))) - 0.5) * 3.0 * cracked;
        let src = clamp(vec2<i32>(floor(best_s + refract)), vec2<i32>(0), max_i);
        var glass = textureLoad(input_8, src, 0).rgb * (1.0 + cracked * 0.16 * (unit(h3 >> 3u) - 0.5));
        // (bb.z is 1 / the tumbled width: large when the shard is edge-on.)
        let glint = shine * 0.5 * smoothstep(2.5, 8.0, bb.z) * step(1e-4, fallen);
        let white = vec3<f32>(0.92, 0.97, 1.0);
        glass = mix(glass, white, clamp(cracked * crack * (0.55 + 0.45 * shine) + glint, 0.0, 1.0));
        let colour = mix(under.rgb, clamp(glass, vec3<f32>(0.0), vec3<f32>(1.0)), f.visible);
        textureStore(output, pi, vec4<f32>(colour, under.a));
    }
}
