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
// Rendering is the inverse mapping, organised per 16x16 workgroup (a tile)
// so that each pixel does a few ALU tests on lavapipe instead of a search:
//   1. The mean map M(S) = S + d(S, t) - v A cs t expands space about C by
//      1 + A t, so its inverse M^-1 is a contraction: every fragment that
//      reaches the tile has its site within cs + 12 px of M^-1(tile centre)
//      (cs bounds a cell's radius and the drift, 12 px the tile's
//      half-diagonal; all shrink by 1 + A t). The 8x8 cells around it are
//      the candidates. Tiles no fragment can reach (their M^-1 is far from
//      the subject's box), away from the subject, keep the source at once.
//   2. Each of the first 100 invocations computes one cell of the 10x10
//      block around the candidates (their neighbours included) into
//      workgroup memory; candidates that can hold some of the subject and
//      whose moved bounding circle touches the tile join the tile's list.
//   3. Each pixel tries only the listed fragments (a few): the source point
//      s = p - d is kept when it is on the near side of the bisectors with
//      the 8 neighbouring sites (so s is in the cell; the least margin is
//      the distance to the fragment's edge, for shading) and on the subject
//      (one mask tap).
//   4. The vacated subject area shows the background fill, sampled
//      bilinearly from the coarse fill of the SDK's COARSE_FILL_PASS (run
//      first, over a texture of one texel per ~16x16 pixels at 720p:
//      background_fill at each texel's centre). The fill is smooth, and on
//      lavapipe a per-pixel shader pays for background_fill's code even on
//      the pixels that never call it.
// With progress 0 the frame is copied unchanged.
// The SDK dispatches `main` only over the tiles that can change
// (`effect_region`, REGION = true): those near the subject and, while the
// fragments fly, the box's forward image under the mean map.
//
// `main`: input_0 = frame (binding 3), input_1 = subject mask (binding 4,
// red), input_2 = subject bounds (binding 5), input_3 = coarse fill
// (binding 6). `fill`: input_0, input_1; its output is the coarse fill.
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

// From the SDK's WGSL prelude (pikafx_sdk::wgsl::NOISE, SUBJECT, BOUNDS),
// appended after this file: hash_u32, unit, cell_hash, background_fill,
// subject_box, subject_centre, subject_found.

// The 10x10 block of cells around the tile's candidates: each cell's site
// and move (pixels; apart, since the bisector tests read only sites) and
// its hash (drift, depth and shade).
var<workgroup> block_site: array<vec2<f32>, 100>;
var<workgroup> block_move: array<vec2<f32>, 100>;
var<workgroup> block_hash: array<u32, 100>;
// The candidates whose moved cell touches the tile (block indices), in any
// order: the result does not depend on it (the front-most fragment wins).
var<workgroup> hit_count: atomic<u32>;
var<workgroup> hit_list: array<u32, 64>;


// The bisector margin of `off` (a point relative to the site) against the
// neighbour at `w` (relative to the site): its distance to the bisector,
// positive on the site's side.
fn margin(off: vec2<f32>, w: vec2<f32>) -> f32 {
    return (0.5 * dot(w, w) - dot(off, w)) * inverseSqrt(dot(w, w));
}

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

// Where the frame can change (see pikafx_sdk::wgsl::REGION); nothing before
// the start or without a subject. `main` changes only the tiles near the
// subject (touching its box grown by the slack) and, while the fragments
// fly, the reachable ones: a tile's centre c is reachable when
// est = C + (c - C - fall) / |.| * max(|c - C - fall| - bt, 0) / (1 + A t)
// is within `reach` of the box, so per axis c - fall lies within the box
// grown by `reach`, scaled by 1 + A t about C and grown by bt (a tile's
// pixels are within 8 of its centre).
fn effect_region() -> vec4<f32> {
    let t = clamp(u[0].x, 0.0, 1.0);
    if (t <= 0.0 || !subject_found()) {
        return vec4<f32>(0.0);
    }
    let bl = blast(t, vec2<f32>(textureDimensions(input_0)));
    let bx = subject_box();
    let near = bx + vec4<f32>(-bl.slack - 16.0, bl.slack + 16.0);
    if (!bl.flying) {
        return near;
    }
    let lo = bl.centre + (bx.xy - bl.reach - bl.centre) * (1.0 + bl.at) + bl.fall - bl.bt - 10.0;
    let hi = bl.centre + (bx.zw + bl.reach - bl.centre) * (1.0 + bl.at) + bl.fall + bl.bt + 10.0;
    return vec4<f32>(min(near.xy, lo), max(near.zw, hi));
}

@compute @workgroup_size(16, 16, 1)
fn main(
    @builtin(global_invocation_id) id: vec3<u32>,
    @builtin(local_invocation_index) li: u32,
    @builtin(workgroup_id) wid: vec3<u32>,
) {
    let gid = region_pixel(id);
    let dims = textureDimensions(output);
    let inside = gid.x < dims.x && gid.y < dims.y;
    let pi = vec2<i32>(min(gid, dims - 1u));
    let original = textureLoad(input_0, pi, 0);
    let t = clamp(u[0].x, 0.0, 1.0);
    // Uniform across the workgroup, so returning here skips no barrier
    // another invocation waits at.
    if (t <= 0.0 || !subject_found()) {
        if (inside) {
            textureStore(output, pi, original);
        }
        return;
    }
    let size = vec2<f32>(dims);
    let bl = blast(t, size);
    let cs = bl.cs;
    let fall = bl.fall;
    let centre = bl.centre;
    let seed = hash_u32(u32(u[1].z) + 0x9e3779b9u);
    let at = bl.at;
    let bt = bl.bt;
    let flying = bl.flying;

    // 1. The candidates: 8x8 cells around the inverse image of the tile's centre.
    // (The dispatch's origin is a multiple of the workgroup size.)
    let tile_lo = vec2<f32>(region_pixel(wid * 16u));
    let q = tile_lo + 8.0 - centre - fall;
    let ql = length(q);
    var est = centre;
    if (ql > 1e-3) {
        est = centre + q / ql * max(ql - bt, 0.0) / (1.0 + at);
    }
    let first = vec2<i32>(ceil(est / cs - 4.0)) - 1;

    // Tiles no fragment can reach and away from the subject keep the
    // source, skipping everything below (uniform per tile: no barrier is
    // left waiting). A fragment's site lies within cs of the subject's box,
    // and within cs + 12 px of `est`.
    let bx = subject_box();
    // (The box comes from a 64x64 grid: soft mask edges may reach one grid
    // step beyond it.)
    let slack = bl.slack;
    let near_subject = all(tile_lo <= bx.zw + slack) && all(tile_lo + 16.0 >= bx.xy - slack);
    let away = max(max(bx.xy - est, est - bx.zw), vec2<f32>(0.0));
    let reachable = flying && dot(away, away) <= bl.reach * bl.reach;
    if (!near_subject && !reachable) {
        if (inside) {
            textureStore(output, pi, original);
        }
        return;
    }

    // 2. One block cell per invocation (of the first 100).
    if (li < 100u && reachable) {
        let bl = vec2<u32>(li % 10u, li / 10u);
        let cell = first + vec2<i32>(bl);
        // One hash per cell: its bits give the site's jitter (10 + 10 bits) and the drift (6 + 6).
        let h = cell_hash(cell, seed);
        let jitter = vec2<f32>(f32(h & 0x3ffu), f32((h >> 10u) & 0x3ffu)) / 1024.0;
        let site = (vec2<f32>(cell) + 0.15 + 0.7 * jitter) * cs;
        let r = site - centre;
        let rl = length(r);
        var dir = vec2<f32>(0.0, -1.0);
        if (rl > 1e-3) {
            dir = r / rl;
        }
        let drift = (vec2<f32>(f32((h >> 20u) & 0x3fu), f32((h >> 26u) & 0x3fu)) / 63.0 - 0.5) * cs;
        let motion = r * at + dir * bt + drift * at + fall;
        block_site[li] = site;
        block_move[li] = motion;
        block_hash[li] = h;
        // Does the moved cell (radius cs around the moved site) touch the tile?
        let moved = site + motion;
        let gap = max(max(tile_lo - moved, moved - (tile_lo + 16.0)), vec2<f32>(0.0));
        // Only cells that can hold some of the subject (their disc meets the
        // subject's box) carry anything.
        let outside = max(max(bx.xy - slack - site, site - bx.zw - slack), vec2<f32>(0.0));
        let candidate = all(bl >= vec2<u32>(1u)) && all(bl <= vec2<u32>(8u)) && dot(outside, outside) <= cs * cs;
        if (candidate && flying && dot(gap, gap) <= cs * cs) {
            hit_list[atomicAdd(&hit_count, 1u)] = li;
        }
    }
    workgroupBarrier();

    // 3. The fragments over this pixel: the front-most one wins. Written
    // without `continue` (selects instead): lavapipe runs divergent loop
    // exits slowly; the trip count is the same for the whole tile.
    let p = vec2<f32>(pi) + 0.5;
    let m0 = textureLoad(input_1, pi, 0).r;
    let max_i = vec2<i32>(dims) - 1;
    var best = -1;
    var best_s = p;
    var best_edge = 0.0;
    var best_depth = 0u;
    let hits = atomicLoad(&hit_count);
    for (var k = 0u; k < hits; k++) {
        let b = i32(hit_list[k]);
        let site_k = block_site[b];
        let s = p - block_move[b];
        let off = s - site_k;
        var edge = margin(off, block_site[b - 11] - site_k);
        edge = min(edge, margin(off, block_site[b - 10] - site_k));
        edge = min(edge, margin(off, block_site[b - 9] - site_k));
        edge = min(edge, margin(off, block_site[b - 1] - site_k));
        edge = min(edge, margin(off, block_site[b + 1] - site_k));
        edge = min(edge, margin(off, block_site[b + 9] - site_k));
        edge = min(edge, margin(off, block_site[b + 10] - site_k));
        edge = min(edge, margin(off, block_site[b + 11] - site_k));
        let on_subject = textureLoad(input_1, clamp(vec2<i32>(floor(s)), vec2<i32>(0), max_i), 0).r > 0.5;
        let depth = block_hash[b] ^ 0x68e31da4u;
        // (Ties broken by the block index: the list's order is arbitrary.)
        let in_front = best < 0 || depth > best_depth || (depth == best_depth && b > best);
        let ok = edge >= 0.0 && all(s >= vec2<f32>(0.0)) && all(s < size) && on_subject && in_front;
        best = select(best, b, ok);
        best_s = select(best_s, s, ok);
        best_edge = select(best_edge, edge, ok);
        best_depth = select(best_depth, depth, ok);
    }

    var colour = original.rgb;
    let vacated = m0 * smoothstep(0.0, 0.04, t);
    if (vacated > 0.002) {
        colour = mix(original.rgb, textureSampleLevel(input_3, linear, p / size, 0.0).rgb, vacated);
    }
    if (best >= 0) {
        let h2 = unit(hash_u32(block_hash[best] ^ 0x27d4eb2fu));
        let moved = smoothstep(0.0, 0.06, t);
        // A shaded edge and a per-fragment brightness once broken apart.
        let shade = (1.0 - 0.35 * moved * (1.0 - smoothstep(0.0, 1.0, best_edge))) * (1.0 + moved * 0.2 * (h2 - 0.5));
        let frag = clamp(textureLoad(input_0, vec2<i32>(best_s), 0).rgb * shade, vec3<f32>(0.0), vec3<f32>(1.0));
        let alpha = 1.0 - smoothstep(0.6, 0.95, t + 0.1 * h2);
        colour = mix(colour, frag, alpha);
    }
    if (inside) {
        textureStore(output, pi, vec4<f32>(colour, original.a));
    }
}
