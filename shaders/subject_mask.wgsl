// The host's subject mask (host/src/gpu/mask.rs explains the method).
// Entry points, in the order they run each frame:
//   `downscale`   (work grid): block means of the frame (rgb + texture energy)
//                 and of the frame-to-frame difference;
//   `model_input` (256x256):   the frame stretched to the model's input;
//   `stats`       (1 thread):  border colour statistics and motion presence;
//   `fuse`        (work grid): background model, classical estimate, model
//                 blend and temporal smoothing;
//   `enclose_rows`, `enclose_columns` (one thread per grid row / column):
//                 the fused mask with the holes the subject encloses
//                 filled (see "Holes" at the end);
//   `upsample`    (frame):     joint-bilateral upsample to the frame's size.
// Work-grid textures are rgba16float so that slow running averages do not
// stall on 8-bit steps.

struct Params {
    // Side of the square block of frame pixels per work-grid pixel.
    block: u32,
    // 1 on the clip's first frame (or after a size change): reset the state.
    first: u32,
    // How much the model's person probability replaces the classical estimate.
    model_weight: f32,
    _pad: f32,
}

// stats: 0..2 border mean rgb, 3 border spread, 4 motion presence (0..1).
@group(0) @binding(0) var<storage, read_write> stats: array<f32, 8>;
@group(0) @binding(1) var frame: texture_2d<f32>;
@group(0) @binding(2) var prev_frame: texture_2d<f32>;
@group(0) @binding(3) var small_out: texture_storage_2d<rgba16float, write>;
@group(0) @binding(4) var motion_out: texture_storage_2d<rgba16float, write>;
@group(0) @binding(5) var small: texture_2d<f32>;
@group(0) @binding(6) var motion: texture_2d<f32>;
@group(0) @binding(7) var bg_in: texture_2d<f32>;
@group(0) @binding(8) var bg_out: texture_storage_2d<rgba16float, write>;
@group(0) @binding(9) var mask_in: texture_2d<f32>;
@group(0) @binding(10) var mask_out: texture_storage_2d<rgba16float, write>;
@group(0) @binding(11) var model_prob: texture_2d<f32>;
@group(0) @binding(12) var lin: sampler;
@group(0) @binding(13) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(14) var model_in: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(15) var<uniform> params: Params;

fn luma(c: vec3<f32>) -> f32 {
    return dot(c, vec3<f32>(0.299, 0.587, 0.114));
}

@compute @workgroup_size(8, 8, 1)
fn downscale(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(small_out);
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let fsize = vec2<i32>(textureDimensions(frame));
    let b = i32(params.block);
    let origin = vec2<i32>(id.xy) * b;
    var sum = vec3<f32>(0.0);
    var energy = 0.0;
    var diff = 0.0;
    var n = 0.0;
    for (var dy = 0; dy < b; dy = dy + 1) {
        for (var dx = 0; dx < b; dx = dx + 1) {
            let p = min(origin + vec2<i32>(dx, dy), fsize - 1);
            let c = textureLoad(frame, p, 0).rgb;
            let r = textureLoad(frame, min(p + vec2<i32>(1, 0), fsize - 1), 0).rgb;
            let d = textureLoad(frame, min(p + vec2<i32>(0, 1), fsize - 1), 0).rgb;
            let o = textureLoad(prev_frame, p, 0).rgb;
            sum = sum + c;
            energy = energy + abs(luma(c) - luma(r)) + abs(luma(c) - luma(d));
            diff = diff + length(c - o);
            n = n + 1.0;
        }
    }
    textureStore(small_out, vec2<i32>(id.xy), vec4<f32>(sum / n, energy / n));
    textureStore(motion_out, vec2<i32>(id.xy), vec4<f32>(diff / n, 0.0, 0.0, 1.0));
}

@compute @workgroup_size(8, 8, 1)
fn model_input(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(model_in);
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    // Box filter over the frame rectangle this pixel covers (at most 8x8 taps).
    let fsize = vec2<f32>(textureDimensions(frame));
    let scale = fsize / vec2<f32>(size);
    let lo = vec2<f32>(id.xy) * scale;
    let taps = clamp(vec2<i32>(ceil(scale)), vec2<i32>(1), vec2<i32>(8));
    var sum = vec3<f32>(0.0);
    for (var ty = 0; ty < taps.y; ty = ty + 1) {
        for (var tx = 0; tx < taps.x; tx = tx + 1) {
            let f = lo + (vec2<f32>(f32(tx), f32(ty)) + 0.5) * scale / vec2<f32>(taps);
            let p = clamp(vec2<i32>(f), vec2<i32>(0), vec2<i32>(fsize) - 1);
            sum = sum + textureLoad(frame, p, 0).rgb;
        }
    }
    textureStore(model_in, vec2<i32>(id.xy), vec4<f32>(sum / f32(taps.x * taps.y), 1.0));
}

@compute @workgroup_size(1, 1, 1)
fn stats_pass() {
    let size = vec2<i32>(textureDimensions(small));
    var sum = vec3<f32>(0.0);
    var n = 0.0;
    for (var x = 0; x < size.x; x = x + 1) {
        sum = sum + textureLoad(small, vec2<i32>(x, 0), 0).rgb + textureLoad(small, vec2<i32>(x, size.y - 1), 0).rgb;
        n = n + 2.0;
    }
    for (var y = 0; y < size.y; y = y + 1) {
        sum = sum + textureLoad(small, vec2<i32>(0, y), 0).rgb + textureLoad(small, vec2<i32>(size.x - 1, y), 0).rgb;
        n = n + 2.0;
    }
    let mean = sum / max(n, 1.0);
    var spread = 0.0;
    for (var x = 0; x < size.x; x = x + 1) {
        spread = spread + distance(textureLoad(small, vec2<i32>(x, 0), 0).rgb, mean);
        spread = spread + distance(textureLoad(small, vec2<i32>(x, size.y - 1), 0).rgb, mean);
    }
    for (var y = 0; y < size.y; y = y + 1) {
        spread = spread + distance(textureLoad(small, vec2<i32>(0, y), 0).rgb, mean);
        spread = spread + distance(textureLoad(small, vec2<i32>(size.x - 1, y), 0).rgb, mean);
    }
    // Fraction of the frame that moves (sampled every other pixel).
    var moving = 0.0;
    var m = 0.0;
    for (var y = 0; y < size.y; y = y + 2) {
        for (var x = 0; x < size.x; x = x + 2) {
            moving = moving + step(0.06, textureLoad(motion, vec2<i32>(x, y), 0).r);
            m = m + 1.0;
        }
    }
    // A subject moves in part of the frame; when most of it changes at once
    // (a pan, a lighting change, an animated background) motion says
    // nothing about the subject, so it is not trusted.
    let moving_frac = moving / max(m, 1.0);
    let frac = smoothstep(0.002, 0.02, moving_frac) * (1.0 - smoothstep(0.25, 0.5, moving_frac));
    var presence = 0.0;
    if (params.first == 0u) {
        // Rises at once, fades over a few seconds: a clip with a moving
        // subject keeps trusting motion and the background model.
        presence = max(frac, stats[4] * 0.98);
    }
    stats[0] = mean.r;
    stats[1] = mean.g;
    stats[2] = mean.b;
    stats[3] = spread / max(n, 1.0);
    stats[4] = presence;
}

fn load_clamped(t: texture_2d<f32>, p: vec2<i32>) -> vec4<f32> {
    let size = vec2<i32>(textureDimensions(t));
    return textureLoad(t, clamp(p, vec2<i32>(0), size - 1), 0);
}

// fuse's 3x3 neighbourhood terms, per texel of the workgroup's 8x8 block
// and its one-texel border: the motion and the distance from the
// background model. Loaded once per workgroup, they cost 3 texture reads
// per texel instead of 27 (the reads were most of the pass on lavapipe).
var<workgroup> neighbourhood: array<vec2<f32>, 100>;

@compute @workgroup_size(8, 8, 1)
fn fuse(
    @builtin(global_invocation_id) id: vec3<u32>,
    @builtin(local_invocation_id) lid: vec3<u32>,
    @builtin(local_invocation_index) li: u32,
    @builtin(workgroup_id) wid: vec3<u32>,
) {
    let size = textureDimensions(small);
    let first = params.first != 0u;
    let corner = vec2<i32>(wid.xy * 8u) - 1;
    for (var k = li; k < 100u; k = k + 64u) {
        let q = corner + vec2<i32>(i32(k % 10u), i32(k / 10u));
        let cq = load_clamped(small, q);
        var bq = load_clamped(bg_in, q);
        if (first) {
            bq = cq;
        }
        neighbourhood[k] = vec2<f32>(load_clamped(motion, q).r, distance(cq.rgb, bq.rgb) + 0.7 * abs(cq.a - bq.a));
    }
    workgroupBarrier();
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let p = vec2<i32>(id.xy);
    let c = textureLoad(small, p, 0);

    // Motion: this block's mean frame difference, or its 3x3 neighbourhood's.
    var mot_avg = 0.0;
    var bg_d = 0.0;
    for (var dy = 0u; dy < 3u; dy = dy + 1u) {
        for (var dx = 0u; dx < 3u; dx = dx + 1u) {
            let n = neighbourhood[(lid.y + dy) * 10u + lid.x + dx];
            mot_avg = mot_avg + n.x;
            bg_d = bg_d + n.y;
        }
    }
    let mot = max(textureLoad(motion, p, 0).r, mot_avg / 9.0);
    bg_d = bg_d / 9.0;

    var bg = textureLoad(bg_in, p, 0);
    var prev = textureLoad(mask_in, p, 0);
    if (first) {
        bg = c;
        prev = vec4<f32>(0.0);
    }
    // prev.g: how well this pixel's background has been observed.
    let conf = prev.g;

    let moving = smoothstep(0.03, 0.08, mot);
    let differs = smoothstep(0.05, 0.12, bg_d) * conf;

    // Saliency: distance from the border's colour, times a centre prior.
    let mean = vec3<f32>(stats[0], stats[1], stats[2]);
    let d = distance(c.rgb, mean) / max(stats[3] * 2.0, 0.08);
    let uv = (vec2<f32>(id.xy) + 0.5) / vec2<f32>(size);
    let prior = 1.0 - smoothstep(0.3, 0.7, length(uv - vec2<f32>(0.5)));
    let salient = smoothstep(0.6, 1.6, d) * prior;

    let presence = stats[4];
    let classical = max(max(moving, differs) * presence, salient * (1.0 - presence));
    let person = textureSampleLevel(model_prob, lin, uv, 0.0).r;
    let raw = clamp(mix(classical, person, params.model_weight), 0.0, 1.0);

    // Temporal smoothing: follow quickly where the frame changes, hold where
    // it does not (no flicker on a still shot).
    let change = smoothstep(0.02, 0.06, mot);
    var m = raw;
    if (!first) {
        m = mix(prev.r, raw, mix(0.35, 0.9, change));
    }

    // Background model: learn where the frame is still, barely under the subject.
    let still = 1.0 - smoothstep(0.015, 0.04, mot);
    let rate = still * mix(0.3, 0.01, step(0.5, m));
    let bg_new = mix(bg, c, rate);
    // Confidence grows only where the background is being learned, and more
    // slowly than it is learned: a region the subject covered on the first
    // frame (a "ghost" once it moves away) is relearned before it counts.
    var conf_new = min(conf + still * (1.0 - step(0.5, m)) * 0.1, 1.0);
    if (first) {
        conf_new = 0.0;
    }

    textureStore(bg_out, p, bg_new);
    textureStore(mask_out, p, vec4<f32>(m, conf_new, 0.0, 1.0));
}

// The weight of a work-grid pixel in the joint-bilateral upsample: its
// bilinear weight times the colour similarity of its mean colour `grid` to
// the full-res pixel's `rgb`, with a floor so that flat regions still
// interpolate smoothly. (Squared distance: no square root needed.)
fn bilateral(spatial: f32, rgb: vec3<f32>, grid: vec3<f32>) -> f32 {
    let d = rgb - grid;
    return spatial * (0.15 + exp(-dot(d, d) * (1.0 / (2.0 * 0.12 * 0.12))));
}

@compute @workgroup_size(16, 8, 1)
fn upsample(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(output);
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let p = vec2<i32>(id.xy);
    let b = f32(params.block);
    // Position in work-grid pixel units (texel centres at +0.5).
    let g = (vec2<f32>(id.xy) + 0.5) / b - 0.5;
    let base = vec2<i32>(floor(g));
    // Most of the frame is plainly background or plainly subject: where the
    // 2x2 work-grid values agree, any weighting of them gives that value, so
    // the colour taps and weights below are skipped (the mask's upsample
    // cost on lavapipe is mostly these taps).
    // The four work-grid texels around this pixel, clamped to the grid
    // (one size query and two clamps: on lavapipe each is paid per pixel).
    let last = vec2<i32>(textureDimensions(mask_in)) - 1;
    let q0 = clamp(base, vec2<i32>(0), last);
    let q1 = clamp(base + 1, vec2<i32>(0), last);
    let q10 = vec2<i32>(q1.x, q0.y);
    let q01 = vec2<i32>(q0.x, q1.y);
    let m00 = textureLoad(mask_in, q0, 0).r;
    let m10 = textureLoad(mask_in, q10, 0).r;
    let m01 = textureLoad(mask_in, q01, 0).r;
    let m11 = textureLoad(mask_in, q1, 0).r;
    let lo = min(min(m00, m10), min(m01, m11));
    let hi = max(max(m00, m10), max(m01, m11));
    if (hi - lo < 0.002) {
        let m = clamp(0.25 * (m00 + m10 + m01 + m11), 0.0, 1.0);
        textureStore(output, p, vec4<f32>(m, m, m, 1.0));
        return;
    }
    // The 2x2 work-grid pixels around this one, weighted by `bilateral`.
    let rgb = textureLoad(frame, p, 0).rgb;
    let f = g - vec2<f32>(base);
    let w00 = bilateral((1.0 - f.x) * (1.0 - f.y), rgb, textureLoad(small, q0, 0).rgb);
    let w10 = bilateral(f.x * (1.0 - f.y), rgb, textureLoad(small, q10, 0).rgb);
    let w01 = bilateral((1.0 - f.x) * f.y, rgb, textureLoad(small, q01, 0).rgb);
    let w11 = bilateral(f.x * f.y, rgb, textureLoad(small, q1, 0).rgb);
    let sum = w00 * m00 + w10 * m10 + w01 * m01 + w11 * m11;
    let wsum = w00 + w10 + w01 + w11;
    let m = clamp(sum / max(wsum, 1e-5), 0.0, 1.0);
    textureStore(output, p, vec4<f32>(m, m, m, 1.0));
}

// ---- Holes: the output mask fills what the subject encloses ----
// The classical estimate misses the still, uniform inside of a subject:
// nothing moves there, and the background model learns it as background,
// so the mask has holes (a colour bar of a slowly gliding test card, a
// plain shirt). Effects then leave those parts in place, and fills sample
// them as "background". The mask handed out is therefore closed: a texel
// with a subject texel (state > ENCLOSE_SUBJECT) within ENCLOSE_REACH of
// the grid's long side in each of the four axis directions takes the
// largest of the nearest subject value in each (or its own, if higher).
// The largest, not the mean: a hole that a soft stretch of the outline
// closes is as much subject as the firm parts beside it. (A threshold of
// 0.25 instead of 0.5 filled no more of the test card in
// tests/subject_mask.rs and made a still shot's mask flicker.) A concavity
// open on any side (between the legs, between two people) stays as it is. The clip's state
// (`mask_in` / `mask_out` of `fuse`) is not closed, so a filled hole never
// feeds back into the background model or the smoothing.
//
// Two scan passes, one invocation per grid row and then per column (the
// grid is at most 256 texels on a side): `enclose_rows` writes, per texel,
// the nearest subject value to the left and to the right within reach (0 if
// none) into `sides`; `enclose_columns` adds up and down and writes the
// closed mask. Each keeps its first scan's results in workgroup memory for
// the second: as private arrays, LLVM took seconds to compile the two
// passes on lavapipe.

const ENCLOSE_REACH: f32 = 0.25;
// Grid values above this are subject for the enclosure.
const ENCLOSE_SUBJECT: f32 = 0.5;
const GRID_MAX: i32 = 256;
// Rows (or columns) per workgroup: 8 x 256 floats of workgroup memory.
const ENCLOSE_LINES: u32 = 8u;

@group(0) @binding(16) var sides_out: texture_storage_2d<rgba16float, write>;
@group(0) @binding(17) var sides: texture_2d<f32>;

var<workgroup> first_scan: array<f32, ENCLOSE_LINES * 256u>;

// The matte's clip black and clip white, as a compositor sets them on a
// key: the fused values inside a subject that is plainly found sit around
// 0.7-0.95, and a Pikaffect that blends by the mask (mix(frame, fill, m))
// would leave that much short of 1 of the subject behind, as a ghost, when
// it removes it. Values up to CLIP_BLACK become 0, from CLIP_WHITE 1,
// linearly between (0.5 stays 0.5, so thresholds at one half do not move).
// The upsample's flat-region shortcut also applies to more of the
// subject's inside once it is exactly 1. (0.15 and 0.85 left a test card's
// inside at 0.96 on average in tests/subject_mask.rs, 0.3 and 0.7 at 0.99.)
const CLIP_BLACK: f32 = 0.3;
const CLIP_WHITE: f32 = 0.7;

fn clip_matte(m: f32) -> f32 {
    return clamp((m - CLIP_BLACK) / (CLIP_WHITE - CLIP_BLACK), 0.0, 1.0);
}

// How far (texels) a hole's edge may be from the subject on each side.
fn enclose_reach(size: vec2<i32>) -> i32 {
    return i32(ceil(f32(max(size.x, size.y)) * ENCLOSE_REACH));
}

// The first scan of a grid line (`count` texels from `start`, `step`
// apart): for each texel, the value of the nearest subject texel before it
// within `reach` (0 if none), into first_scan[base + its index].
fn scan_forward(start: vec2<i32>, step: vec2<i32>, count: i32, reach: i32, base: i32) {
    var value = 0.0;
    var at = -2 * GRID_MAX;
    for (var i = 0; i < count; i = i + 1) {
        let m = textureLoad(mask_in, start + step * i, 0).r;
        first_scan[base + i] = select(0.0, value, i - at <= reach);
        if (m > ENCLOSE_SUBJECT) {
            value = m;
            at = i;
        }
    }
}

@compute @workgroup_size(ENCLOSE_LINES, 1, 1)
fn enclose_rows(@builtin(global_invocation_id) id: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let size = min(vec2<i32>(textureDimensions(mask_in)), vec2<i32>(GRID_MAX));
    let y = i32(id.x);
    if (y >= size.y) {
        return;
    }
    let reach = enclose_reach(size);
    let base = i32(li) * GRID_MAX;
    scan_forward(vec2<i32>(0, y), vec2<i32>(1, 0), size.x, reach, base);
    var value = 0.0;
    var at = 3 * GRID_MAX;
    for (var x = size.x - 1; x >= 0; x = x - 1) {
        let right = select(0.0, value, at - x <= reach);
        textureStore(sides_out, vec2<i32>(x, y), vec4<f32>(first_scan[base + x], right, 0.0, 1.0));
        let m = textureLoad(mask_in, vec2<i32>(x, y), 0).r;
        if (m > ENCLOSE_SUBJECT) {
            value = m;
            at = x;
        }
    }
}

@compute @workgroup_size(ENCLOSE_LINES, 1, 1)
fn enclose_columns(@builtin(global_invocation_id) id: vec3<u32>, @builtin(local_invocation_index) li: u32) {
    let size = min(vec2<i32>(textureDimensions(mask_in)), vec2<i32>(GRID_MAX));
    let x = i32(id.x);
    if (x >= size.x) {
        return;
    }
    let reach = enclose_reach(size);
    let base = i32(li) * GRID_MAX;
    scan_forward(vec2<i32>(x, 0), vec2<i32>(0, 1), size.y, reach, base);
    var value = 0.0;
    var at = 3 * GRID_MAX;
    for (var y = size.y - 1; y >= 0; y = y - 1) {
        let down = select(0.0, value, at - y <= reach);
        let across = textureLoad(sides, vec2<i32>(x, y), 0).rg;
        let m = textureLoad(mask_in, vec2<i32>(x, y), 0).r;
        let up = first_scan[base + y];
        let nearest = min(min(across.x, across.y), min(up, down));
        let enclosed = select(0.0, max(max(across.x, across.y), max(up, down)), nearest > 0.0);
        textureStore(mask_out, vec2<i32>(x, y), vec4<f32>(clip_matte(max(m, enclosed)), 0.0, 0.0, 1.0));
        if (m > ENCLOSE_SUBJECT) {
            value = m;
            at = y;
        }
    }
}
