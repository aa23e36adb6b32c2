// crumble: the subject crumbles into small pieces that fall with gravity as
// progress goes 0 -> 1, top pieces first; the background stays intact and
// the area the subject leaves is filled from the nearby background.
//
// Pieces are the cells of a jittered grid: columns of width S, each column's
// rows shifted down by a hashed offset. The piece in column i whose centre
// is at height y starts falling at
//   t0 = spread * y / H + jitter(i) + delay(piece)   (0..0.1 and 0..0.15 from a hash)
// and has fallen D = G * H * (t - t0)^2 / 2 at t = progress (G the gravity);
// it fades out while falling. Pieces only fall straight down, so a pixel can
// only show pieces of its own column that started above it.
//
// Rendering is the inverse mapping, made cheap for lavapipe:
//   1. per 16x16 workgroup (a tile), uniformly: tiles beside or above the
//      subject's box (from the subject-bounds pass) keep the source at once,
//      since no piece can land there;
//   2. per pixel: within the column the fall is a known function of the
//      source height and delay, so the source heights that can land here
//      are bounded by the roots of a quadratic (for the least and the
//      largest delay), and by the subject's box; the rows between are
//      tried (at most 24, one hash each; the piece shrinks a little once
//      moving, leaving cracks), and the top-most one that lands here on the
//      subject wins; else the piece at rest under the pixel, if any;
//   3. where no piece is, the vacated subject area shows the background
//      fill, sampled bilinearly from the coarse fill of the SDK's COARSE_FILL_PASS
//      (run first, over a texture of one texel per ~16x16 pixels at
//      720p: background_fill at each texel's centre). The fill is smooth,
//      and on lavapipe a per-pixel shader pays for background_fill's code
//      even on the pixels that never call it.
// The SDK dispatches `main` only over the frame the pieces can reach by
// now (`effect_region`, REGION = true): the columns of the box's tiles,
// from the box's top down to as far as a piece can have fallen or the
// vacating can have spread.
//
// `main`: input_0 = frame (binding 3), input_1 = subject mask (binding 4,
// red), input_2 = subject bounds (binding 5), input_3 = coarse fill
// (binding 6). `fill`: input_0, input_1; its output is the coarse fill.
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x progress   0..1
//   u[0].y cell_size  piece size in pixels at 720p (scaled with the height)
//   u[0].z gravity    1..12 (frame heights per progress^2, halved)
//   u[0].w spread     0.1..0.8 (start delay from the top to the bottom of the frame)
//   u[1].x seed       0..1000

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 2>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;
@group(0) @binding(5) var input_2: texture_2d<f32>;
@group(0) @binding(6) var input_3: texture_2d<f32>;

// From the SDK's WGSL prelude (pikafx_sdk::wgsl::NOISE, SUBJECT, BOUNDS),
// appended after this file: hash_u32, unit, cell_hash, background_fill,
// subject_box, subject_found.

// The fall's parameters for a frame of `size` pixels.
struct Fall {
    // How far soft mask edges may reach beyond the box (one bounds-grid step).
    slack: vec2<f32>,
    cs: f32,      // piece size, pixels
    half_g: f32,  // half the gravity, pixels per progress^2
    k: f32,       // start delay per pixel of height
}

fn fall_params(size: vec2<f32>) -> Fall {
    return Fall(size / 64.0 + 2.0, max(u[0].y * size.y / 720.0, 2.0), 0.5 * max(u[0].z, 0.1) * size.y,
        max(u[0].w, 0.01) / size.y);
}

// Where the frame can change (see pikafx_sdk::wgsl::REGION); nothing before
// the start or without a subject. Across: the tiles that are not beside the
// box (`main`'s test). Down from the top of the tiles not above it, to the
// lower of: the lowest a falling piece can be (its source is in the rows
// of the box, above bx.w + slack + cs, and it has fallen half_g T^2 with T
// at most t, plus the delay of rows above the frame's top), and the lowest
// pixel whose piece has started to fall (t0 > 0 needs its row's centre
// above t / k), where the vacated subject is filled in.
fn effect_region() -> vec4<f32> {
    let t = clamp(u[0].x, 0.0, 1.0);
    if (t <= 0.0 || !subject_found()) {
        return vec4<f32>(0.0);
    }
    let size = vec2<f32>(textureDimensions(input_0));
    let f = fall_params(size);
    let bx = subject_box();
    let top = bx.y - f.slack.y;
    let t_max = t + f.k * max(0.5 * f.cs - top, 0.0);
    let fallen = bx.w + f.slack.y + f.cs + f.half_g * t_max * t_max;
    let bottom = max(fallen, t / f.k + 0.5 * f.cs) + 2.0;
    return vec4<f32>(bx.x - f.slack.x - 17.0, top - 17.0, bx.z + f.slack.x + 17.0, bottom);
}

@compute @workgroup_size(16, 16, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
    let gid = region_pixel(id);
    let dims = textureDimensions(output);
    let inside = gid.x < dims.x && gid.y < dims.y;
    let pi = vec2<i32>(min(gid, dims - 1u));
    let original = textureLoad(input_0, pi, 0);
    let t = clamp(u[0].x, 0.0, 1.0);
    let size = vec2<f32>(dims);
    let bx = subject_box();
    // 1. Uniform per tile: nothing to do before the start, without a
    // subject, or beside or above the subject's box (pieces fall straight
    // down). The box comes from a 64x64 grid: soft mask edges may reach one
    // grid step beyond it.
    // (The dispatch's origin is a multiple of the workgroup size.)
    let tile_lo = vec2<f32>(region_pixel(wid * 16u));
    let f = fall_params(size);
    let slack = f.slack;
    let beside = tile_lo.x > bx.z + slack.x || tile_lo.x + 16.0 < bx.x - slack.x;
    let above = tile_lo.y + 16.0 < bx.y - slack.y;
    if (t <= 0.0 || !subject_found() || beside || above) {
        if (inside) {
            textureStore(output, pi, original);
        }
        return;
    }
    let m0 = textureLoad(input_1, pi, 0).r;
    let cs = f.cs;
    let half_g = f.half_g;
    let k = f.k;
    let seed = hash_u32(u32(u[1].x) + 0x9e3779b9u);

    let p = vec2<f32>(pi) + 0.5;
    let column = i32(floor(p.x / cs));
    let hc = cell_hash(vec2<i32>(column, -7), seed);
    let offset = unit(hc) * cs;
    let jitter = 0.1 * unit(hash_u32(hc ^ 0x27d4eb2fu));
    let lx = fract(p.x / cs);
    let edge_x = min(lx, 1.0 - lx);
    let tj = t - jitter;

    // 2. Falling pieces: a piece with delay d lands here from height y when
    // p.y = y + half_g T^2 with T = tj - d - k y, i.e. the roots of
    // half_g T^2 - T / k + ((tj - d) / k - p.y) = 0. The roots for d = 0 and
    // d = 0.15 bound the source heights; the rows between them (and within
    // the subject's box) are tried.
    var y_lo = p.y;
    var any_root = false;
    for (var i = 0; i < 4; i++) {
        let tjd = tj - 0.15 * f32(i / 2);
        let qa = half_g;
        let qb = -1.0 / k;
        let qc = tjd / k - p.y;
        let disc = qb * qb - 4.0 * qa * qc;
        let big_t = (-qb + select(-1.0, 1.0, i % 2 == 1) * sqrt(max(disc, 0.0))) / (2.0 * qa);
        let ok = tjd > 0.0 && disc >= 0.0 && big_t > 0.0 && big_t <= tjd;
        y_lo = select(y_lo, min(y_lo, (tjd - big_t) / k), ok);
        any_root = any_root || ok;
    }
    let r_hi = min(i32(floor((p.y - offset) / cs)), i32(floor((bx.w + slack.y - offset) / cs)));
    let r_lo = max(max(i32(floor((y_lo - offset) / cs)) - 1, r_hi - 23), i32(floor((bx.y - slack.y - offset) / cs)));
    let rows = select(0, r_hi - r_lo + 1, any_root);
    // Without `continue` or `break` (selects instead): lavapipe runs
    // divergent loop exits slowly.
    var found = false;
    var src_y = 0.0;
    var piece_h = 0u;
    var piece_t = 0.0;
    var piece_ly = 0.0;
    for (var j = 0; j < rows; j++) {
        let r = r_lo + j;
        let h = cell_hash(vec2<i32>(column, r), seed ^ 0x68e31da4u);
        let yc = (f32(r) + 0.5) * cs + offset;
        let tr = tj - 0.15 * unit(h) - k * yc;
        let sy = p.y - half_g * tr * tr;
        let ly = (sy - offset) / cs - f32(r);
        // Cracks between the pieces once they move.
        let moved = smoothstep(0.0, 0.08, tr);
        let edge = min(edge_x, min(ly, 1.0 - ly));
        let fits = tr > 0.0 && sy >= 0.0 && ly >= 0.0 && ly < 1.0 && edge >= 0.1 * moved;
        let on_subject = textureLoad(input_1, vec2<i32>(pi.x, clamp(i32(sy), 0, i32(dims.y) - 1)), 0).r > 0.5;
        let take = !found && fits && on_subject;
        found = found || take;
        src_y = select(src_y, sy, take);
        piece_h = select(piece_h, h, take);
        piece_t = select(piece_t, tr, take);
        piece_ly = select(piece_ly, ly, take);
    }
    var colour = vec3<f32>(0.0);
    var alpha = 0.0;
    if (found) {
        let moved = smoothstep(0.0, 0.08, piece_t);
        let edge = min(edge_x, min(piece_ly, 1.0 - piece_ly));
        let h2 = unit(hash_u32(piece_h ^ 0x27d4eb2fu));
        let shade = 1.0 + moved * (0.25 * (h2 - 0.5) - 0.2 * (1.0 - smoothstep(0.1, 0.25, edge)));
        let src = textureLoad(input_0, vec2<i32>(pi.x, i32(src_y)), 0).rgb;
        colour = clamp(src * shade, vec3<f32>(0.0), vec3<f32>(1.0));
        alpha = 1.0 - smoothstep(0.2, 0.45, piece_t + 0.1 * h2);
    }

    // The piece under the pixel, if it has not started to fall.
    let r0 = i32(floor((p.y - offset) / cs));
    let d0 = 0.15 * unit(cell_hash(vec2<i32>(column, r0), seed ^ 0x68e31da4u));
    let t0 = tj - d0 - k * ((f32(r0) + 0.5) * cs + offset);
    if (!found && t0 <= 0.0 && m0 > 0.5) {
        found = true;
        colour = original.rgb;
        alpha = 1.0;
    }

    // 3. The place the subject leaves.
    var bg = original.rgb;
    let vacated = m0 * smoothstep(0.0, 0.03, t0);
    if (vacated > 0.002 && !(found && alpha >= 1.0)) {
        bg = mix(original.rgb, textureSampleLevel(input_3, linear, p / size, 0.0).rgb, vacated);
    }
    if (inside) {
        textureStore(output, pi, vec4<f32>(mix(bg, colour, alpha), original.a));
    }
}
