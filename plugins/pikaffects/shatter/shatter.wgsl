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
// Rendering is the inverse mapping, per 16x16 workgroup (a tile), so that
// lavapipe does a few ALU tests per pixel:
//   1. the mean motion (no jitter) maps the heights monotonically (lower
//      shards fall first and further), so the source of the tile's centre
//      solves y + G H tau(y)^2 / (1 - TC)^2 = p.y, a quadratic; the jitter,
//      the shard's radius (cs) and the tile move the true sites at most
//      1.7 cs + 12 px from it, so the 10x10 cells around it are the
//      candidates; tiles that no shard can reach, away from the subject,
//      keep the source at once;
//   2. each of the first 144 invocations computes one cell of the 12x12
//      block around the candidates (their neighbours included) into
//      workgroup memory, and candidates that can hold some of the subject
//      and whose moved shard (radius cs about the moved site) touches the
//      tile join the tile's list;
//   3. each pixel tries the listed shards: undoes the shard's move, spin
//      and tumble to find its source point s, which must be in the shard's
//      cell (on the near side of the bisectors with the 8 neighbouring
//      sites; the least margin is the distance to the shard's edge) and on
//      the subject (one mask tap). The most fallen shard is in front;
//   4. where no shard is, the vacated subject area shows the background
//      fill, sampled bilinearly from the coarse fill of the SDK's COARSE_FILL_PASS
//      (one background_fill per ~16x16 pixels at 720p: the fill is
//      smooth, and on lavapipe a per-pixel shader pays for
//      background_fill's code even on the pixels that never call it).
// With progress 0 the frame is copied unchanged.
// The SDK dispatches `main` only over the tiles that can change
// (`effect_region`, REGION = true): those near the subject and, while the
// shards are visible, those whose estimate (step 1) can be near the box.
//
// `main`: input_0 = frame (binding 3), input_1 = subject mask (binding 4,
// red), input_2 = subject bounds (binding 5), input_3 = coarse fill
// (binding 6). `fill`: input_0, input_1; its output is the coarse fill.
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

// From the SDK's WGSL prelude (pikafx_sdk::wgsl::NOISE, SUBJECT, BOUNDS),
// appended after this file: hash_u32, unit, cell_hash, background_fill,
// subject_box, subject_centre, subject_found.

// The end of the crack phase and the spread of the release times.
const TC: f32 = 0.35;
const ALPHA: f32 = 0.2;

// The 12x12 block of cells around the tile's candidates: site and move
// (pixels; apart, since the bisector tests read only sites); cos and sin of
// the spin, 1 / the tumble's width scale, and the time fallen T; and each
// cell's hash.
var<workgroup> block_site: array<vec2<f32>, 144>;
var<workgroup> block_move: array<vec2<f32>, 144>;
var<workgroup> block_b: array<vec4<f32>, 144>;
var<workgroup> block_hash: array<u32, 144>;
// The candidates whose moved shard touches the tile (block indices), in any
// order: the result does not depend on it (the most fallen shard wins).
var<workgroup> hit_count: atomic<u32>;
var<workgroup> hit_list: array<u32, 100>;


// The distance of `off` (a point relative to the site) to the bisector with
// the neighbour at `w` (relative to the site), positive on the site's side.
fn margin(off: vec2<f32>, w: vec2<f32>) -> f32 {
    return (0.5 * dot(w, w) - dot(off, w)) * inverseSqrt(dot(w, w));
}

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

// Where the frame can change (see pikafx_sdk::wgsl::REGION); nothing before
// the start or without a subject. `main` changes only the tiles near the
// subject (touching its box grown by the slack) and, while the shards are
// visible, the reachable ones, whose estimate `est` is within `reach` of
// the box: per axis in lo..hi. Step 1 inverts y -> y + gh tau(y)^2 (tau =
// max(a0 + b0 y, 0), increasing), so the tile's centre has
// c.y = est.y + gh tau(est.y)^2 in lo.y .. hi.y + gh tau(hi.y)^2, and
// c.x = I.x + (est.x - I.x) (1 + T / 2) with 0 <= T <= tau(hi.y) / (1 - TC);
// a tile's pixels are within 8 of its centre.
fn effect_region() -> vec4<f32> {
    let t = clamp(u[0].x, 0.0, 1.0);
    if (t <= 0.0 || !subject_found()) {
        return vec4<f32>(0.0);
    }
    let bx = subject_box();
    let f = fall(t, vec2<f32>(textureDimensions(input_0)), bx);
    let near = bx + vec4<f32>(-f.slack - 16.0, f.slack + 16.0);
    if (f.visible <= 0.0) {
        return near;
    }
    let lo = bx.xy - f.reach;
    let hi = bx.zw + f.reach;
    let tau = max(f.a0 + f.b0 * hi.y, 0.0);
    let spread = 1.0 + 0.5 * tau / (1.0 - TC);
    let x_lo = min(lo.x, f.impact.x + (lo.x - f.impact.x) * spread);
    let x_hi = max(hi.x, f.impact.x + (hi.x - f.impact.x) * spread);
    let reach = vec4<f32>(x_lo, lo.y, x_hi, hi.y + f.gh * tau * tau) + vec4<f32>(-10.0, -10.0, 10.0, 10.0);
    return vec4<f32>(min(near.xy, reach.xy), max(near.zw, reach.zw));
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
    let bx = subject_box();
    let f = fall(t, size, bx);
    let cs = f.cs;
    let impact = f.impact;
    let gh = f.gh;
    let shine = clamp(u[1].y, 0.0, 1.0);
    let seed = hash_u32(u32(u[1].z) + 0x9e3779b9u);
    let top = f.top;
    let height = f.height;
    let visible = f.visible;

    // 1. The mean source height of the tile's centre: with
    // tau(y) = a0 + b0 y (the time since release, unscaled), solve
    // y + gh tau^2 = p.y where tau > 0, else the shard is at rest.
    // (The dispatch's origin is a multiple of the workgroup size.)
    let tile_lo = vec2<f32>(region_pixel(wid * 16u));
    let pc = tile_lo + 8.0;
    let b0 = f.b0;
    let a0 = f.a0;
    var ey = pc.y;
    if (a0 + b0 * pc.y > 0.0) {
        let qa = gh * b0 * b0;
        let qb = 1.0 + 2.0 * gh * a0 * b0;
        let qc = gh * a0 * a0 - pc.y;
        let disc = sqrt(max(qb * qb - 4.0 * qa * qc, 0.0));
        // The larger root, without cancellation for either sign of qb.
        ey = select((-qb + disc) / (2.0 * qa), -2.0 * qc / (qb + disc), qb > 0.0);
        ey = max(ey, -a0 / b0);
    }
    let t_est = max(a0 + b0 * ey, 0.0) / (1.0 - TC);
    let est = vec2<f32>(impact.x + (pc.x - impact.x) / (1.0 + 0.5 * t_est), ey);
    let first = vec2<i32>(ceil(est / cs - 5.0)) - 1;

    // Tiles no shard can reach (a shard's site lies within cs of the
    // subject's box, and within 1.7 cs + 12 px of `est`), away from the
    // subject, keep the source. The box comes from a 64x64 grid: soft mask
    // edges may reach one grid step beyond it.
    let slack = f.slack;
    let near_subject = all(tile_lo <= bx.zw + slack) && all(tile_lo + 16.0 >= bx.xy - slack);
    let away = max(max(bx.xy - est, est - bx.zw), vec2<f32>(0.0));
    let reach = f.reach;
    let reachable = visible > 0.0 && dot(away, away) <= reach * reach;
    if (!near_subject && !reachable) {
        if (inside) {
            textureStore(output, pi, original);
        }
        return;
    }

    // 2. One block cell per invocation (of the first 144).
    if (li < 144u && reachable) {
        let bl = vec2<u32>(li % 12u, li / 12u);
        let cell = first + vec2<i32>(bl);
        // One hash per cell: its bits give the site's jitter (10 + 10 bits), the release jitter (6) and the spin (6).
        let h = cell_hash(cell, seed);
        let jitter = vec2<f32>(f32(h & 0x3ffu), f32((h >> 10u) & 0x3ffu)) / 1024.0;
        let site = (vec2<f32>(cell) + 0.15 + 0.7 * jitter) * cs;
        let release_y = site.y + 0.3 * cs * (f32((h >> 20u) & 0x3fu) / 31.5 - 1.0);
        let fallen = max(t - TC - ALPHA * (1.0 - clamp((release_y - top) / height, 0.0, 1.0)), 0.0) / (1.0 - TC);
        let h2 = hash_u32(h ^ 0x27d4eb2fu);
        let drift = (site.x - impact.x) * 0.5 + 0.4 * cs * (unit(h2) * 2.0 - 1.0);
        let motion = vec2<f32>(drift * fallen, gh * (1.0 - TC) * (1.0 - TC) * fallen * fallen);
        let spin = (f32((h >> 26u) & 0x3fu) / 31.5 - 1.0) * 4.0 * fallen;
        let tumble = (0.6 + 0.8 * unit(hash_u32(h2))) * 7.0 * fallen;
        let width = max(abs(cos(tumble)), 0.12);
        block_site[li] = site;
        block_move[li] = motion;
        block_b[li] = vec4<f32>(cos(spin), sin(spin), 1.0 / width, fallen);
        block_hash[li] = h;
        // Does the moved shard (radius cs about the moved site) touch the tile?
        let moved = site + motion;
        let gap = max(max(tile_lo - moved, moved - (tile_lo + 16.0)), vec2<f32>(0.0));
        // Only cells that can hold some of the subject (their disc meets the
        // subject's box) carry anything.
        let outside = max(max(bx.xy - slack - site, site - bx.zw - slack), vec2<f32>(0.0));
        let candidate = all(bl >= vec2<u32>(1u)) && all(bl <= vec2<u32>(10u)) && dot(outside, outside) <= cs * cs;
        if (candidate && dot(gap, gap) <= cs * cs) {
            hit_list[atomicAdd(&hit_count, 1u)] = li;
        }
    }
    workgroupBarrier();

    // 3. The shards over this pixel: the most fallen one is in front.
    // Written without `continue` (selects instead): lavapipe runs divergent
    // loop exits slowly; the trip count is the same for the whole tile.
    let p = vec2<f32>(pi) + 0.5;
    let max_i = vec2<i32>(dims) - 1;
    var best = -1;
    var best_s = p;
    var best_edge = 0.0;
    var best_key = -1.0;
    let hits = atomicLoad(&hit_count);
    for (var k = 0u; k < hits; k++) {
        let b = i32(hit_list[k]);
        let bb = block_b[b];
        let site = block_site[b];
        // Undo the move, the spin and the tumble.
        let d = p - site - block_move[b];
        let off = vec2<f32>((bb.x * d.x + bb.y * d.y) * bb.z, bb.x * d.y - bb.y * d.x);
        let s = site + off;
        var edge = margin(off, block_site[b - 13] - site);
        edge = min(edge, margin(off, block_site[b - 12] - site));
        edge = min(edge, margin(off, block_site[b - 11] - site));
        edge = min(edge, margin(off, block_site[b - 1] - site));
        edge = min(edge, margin(off, block_site[b + 1] - site));
        edge = min(edge, margin(off, block_site[b + 11] - site));
        edge = min(edge, margin(off, block_site[b + 12] - site));
        edge = min(edge, margin(off, block_site[b + 13] - site));
        let on_subject = textureLoad(input_1, clamp(vec2<i32>(floor(s)), vec2<i32>(0), max_i), 0).r > 0.5;
        let key = bb.w + 1e-3 * unit(block_hash[b]);
        // (Ties broken by the block index: the list's order is arbitrary.)
        let in_front = key > best_key || (key == best_key && b > best);
        let ok = edge >= 0.0 && all(s >= vec2<f32>(0.0)) && all(s < size) && on_subject && in_front;
        best = select(best, b, ok);
        best_s = select(best_s, s, ok);
        best_edge = select(best_edge, edge, ok);
        best_key = select(best_key, key, ok);
    }

    // 4. The background, filled where the subject was and its shard has gone.
    var colour = original.rgb;
    let m0 = textureLoad(input_1, pi, 0).r;
    let vacated = m0 * smoothstep(TC, TC + 0.03, t);
    if (vacated > 0.002) {
        colour = mix(original.rgb, textureSampleLevel(input_3, linear, p / size, 0.0).rgb, vacated);
    }
    if (best >= 0) {
        let h = block_hash[best];
        let bb = block_b[best];
        let fallen = bb.w;
        let line = max(0.9, 1.2 * size.y / 720.0);
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
        var glass = textureLoad(input_0, src, 0).rgb * (1.0 + cracked * 0.16 * (unit(h3 >> 3u) - 0.5));
        // (bb.z is 1 / the tumbled width: large when the shard is edge-on.)
        let glint = shine * 0.5 * smoothstep(2.5, 8.0, bb.z) * step(1e-4, fallen);
        let white = vec3<f32>(0.92, 0.97, 1.0);
        glass = mix(glass, white, clamp(cracked * crack * (0.55 + 0.45 * shine) + glint, 0.0, 1.0));
        colour = mix(colour, clamp(glass, vec3<f32>(0.0), vec3<f32>(1.0)), visible);
    }
    if (inside) {
        textureStore(output, pi, vec4<f32>(colour, original.a));
    }
}
