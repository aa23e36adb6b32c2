// pixelate-out: the subject breaks into square blocks that grow to `block`
// pixels, then the blocks drop out one by one in a seeded order (shrinking,
// and falling if `fall` > 0) until only the background is left; where the
// subject was, the background around it is filled in.
//
// Time: with g = `growth`, progress 0..g grows the blocks from 1 pixel to
// `block` (B); progress g..1 is the drop phase s = 0..1. Each block (cell
// on a grid anchored at the subject's centroid) draws a drop time d in 0..1
// from the seed and its cell; its own clock is
//   l = clamp((s - d * (1 - DUR)) / DUR, 0, 1)    (0 = in place, 1 = gone)
// and it is drawn shrunk to mix(1 - l, 1 - l^3, fall) B (falling blocks keep
// their size longer) and moved down by fall * FALL * B * l^2.
// At s = 1 every l is 1: no block is left.
//
// For each output pixel p, for the blocks that can cover it (its own cell
// and, with fall, the FALL cells above it, nearest last so falling blocks
// are drawn over standing ones):
//   hit      = p lies in the block's shrunk, moved square, and the block is
//              subject (the mask at its home cell's centre > 0.5)
// The first block hit gives the pixel its colour:
//   colour   = mask-weighted mean of the frame at 4 points of the block's
//              home cell (B/4 in from its centre), with a slightly darker
//              1-px rim (fading in from B = 10 to 20 px) so the blocks read
//              as tiles
// Else the pixel is background: the frame, or the fill where the subject
// was (mix by mask). The search costs one mask tap per candidate; the
// colour's 8 taps are read once, for the block found.
// With progress 0 the frame is returned as is; the shader runs only over
// the subject's box widened by a block, and downward by the fall
// (`effect_region`, REGION = true): elsewhere the frame is left as it is.
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4),
// input_2 = subject bounds (binding 5), the SDK's coarse background fill
// (binding 6: one background_fill per ~16x16 pixels, sampled bilinearly;
// on lavapipe a per-pixel fill costs every pixel, taken or not).
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x progress  0..1
//   u[0].y block     4..120 (largest block size, in pixels at 720p)
//   u[0].z fall      0..1 (how far blocks fall as they drop out, 1 = FALL blocks)
//   u[0].w growth    0.1..0.9 (fraction of the time spent pixelating)
//   u[1].x seed      0..1000

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 2>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;
@group(0) @binding(5) var input_2: texture_2d<f32>;
@group(0) @binding(6) var coarse_fill: texture_2d<f32>;

// From the SDK's WGSL prelude (pikafx_sdk::wgsl::NOISE, pikafx_sdk::wgsl::SUBJECT,
// pikafx_sdk::wgsl::BOUNDS, pikafx_sdk::wgsl::COARSE_FILL), appended after
// this file: hash2, frame_at, mask_at, coarse_fill_at, subject_box,
// subject_centre. (No subject found
// reads as an empty box: one bounds texel fewer than subject_found().)

// How long one block takes to drop out, as a fraction of the drop phase.
const DUR: f32 = 0.3;
// How far a block falls at `fall` 1, in block sizes (also how many cells
// above a pixel are searched for a block falling onto it).
const FALL: f32 = 4.0;

// The colour of a block whose home square has corner `lo` and side `b`:
// the mean of the frame at 4 points B/4 in from its centre, weighted by the
// mask (plus a little, so a block over a thin subject is never black).
fn block_colour(lo: vec2<f32>, b: f32) -> vec3<f32> {
    var colour = vec3<f32>(0.0);
    var wsum = 0.0;
    for (var i = 0; i < 4; i++) {
        let q = lo + b * vec2<f32>(0.25 + 0.5 * f32(i & 1), 0.25 + 0.5 * f32(i >> 1u));
        let w = mask_at(q) + 0.02;
        colour += frame_at(q) * w;
        wsum += w;
    }
    return colour / wsum;
}

// The blocks' side at progress `t` in a frame of size `fd`.
fn block_size(t: f32, fd: vec2<f32>) -> f32 {
    let max_block = max(clamp(u[0].y, 4.0, 120.0) * fd.y / 720.0, 2.0);
    let g = clamp(t / clamp(u[0].w, 0.1, 0.9), 0.0, 1.0);
    return mix(1.0, max_block, g * g * (3.0 - 2.0 * g));
}

// Where blocks can be drawn: a block (and a grid step of the mask) past the
// subject's box, and down by the fall below it.
fn reach_box(box: vec4<f32>, t: f32, fd: vec2<f32>) -> vec4<f32> {
    let b = block_size(t, fd);
    let margin = max(fd.x, fd.y) / 64.0 + 2.0 + b;
    let drop = clamp(u[0].z, 0.0, 1.0) * FALL * b;
    return box + vec4<f32>(-margin, -margin, margin, margin + drop);
}

// See pikafx_sdk::wgsl::REGION: nothing at progress 0 or without a subject.
fn effect_region() -> vec4<f32> {
    let t = clamp(u[0].x, 0.0, 1.0);
    let box = subject_box();
    if (t <= 0.0 || box.z <= box.x) {
        return vec4<f32>(0.0);
    }
    return reach_box(box, t, vec2<f32>(textureDimensions(input_0)));
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let gid = region_pixel(id);
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let fd = vec2<f32>(dims);
    let t = clamp(u[0].x, 0.0, 1.0);
    let fall = clamp(u[0].z, 0.0, 1.0);
    let growth = clamp(u[0].w, 0.1, 0.9);
    let seed = u32(max(u[1].x, 0.0));

    let p = vec2<f32>(gid) + vec2<f32>(0.5, 0.5);
    let original = textureLoad(input_0, vec2<i32>(gid), 0);
    let box = subject_box();
    if (t <= 0.0 || box.z <= box.x) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    let g = clamp(t / growth, 0.0, 1.0);
    let s = clamp((t - growth) / (1.0 - growth), 0.0, 1.0);
    let b = block_size(t, fd);
    let drop = fall * FALL * b;

    // Blocks only reach a block past the subject's box, and fall below it.
    let reach = reach_box(box, t, fd);
    if (any(p < reach.xy) || any(p > reach.zw)) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    // The grid is anchored at the subject's centroid (whole pixels, so a
    // still subject keeps its cells from frame to frame).
    let anchor = round(subject_centre());
    let home = floor((p - anchor) / b);
    var above = 0;
    if (drop > 0.0 && s > 0.0) {
        above = i32(FALL);
    }
    // Find the block drawn at p (geometry and one mask tap per candidate);
    // its colour is read once, after the search. The first candidate that
    // covers p wins; written without `break` (a flag instead): lavapipe runs
    // divergent loop exits slowly.
    var hit = false;
    var hit_lo = vec2<f32>(0.0);
    var rim = 0.0;
    for (var k = above; k >= 0; k--) {
        let cell = home - vec2<f32>(0.0, f32(k));
        var l = 0.0;
        if (s > 0.0) {
            let d = hash2(vec2<i32>(cell), seed, 1u);
            l = clamp((s - d * (1.0 - DUR)) / DUR, 0.0, 1.0);
        }
        // Standing blocks shrink away steadily; falling ones keep their
        // size longer, so the fall reads, and shrink at the end.
        let half = 0.5 * b * mix(1.0 - l, 1.0 - l * l * l, fall);
        let lo = anchor + cell * b;
        let centre = lo + 0.5 * b + vec2<f32>(0.0, drop * l * l);
        let r = abs(p - centre);
        if (!hit && l < 1.0 && all(r <= vec2<f32>(half)) && mask_at(lo + 0.5 * b) > 0.5) {
            hit = true;
            hit_lo = lo;
            // A darker rim, fading in once the blocks are big enough for one
            // not to read as a mesh over the subject.
            rim = select(0.0, 0.15 * smoothstep(10.0, 20.0, b), max(r.x, r.y) > half - 1.0);
        }
    }
    var rgb = original.rgb;
    if (hit) {
        rgb = block_colour(hit_lo, b) * (1.0 - rim);
    } else {
        let here = mask_at(p);
        if (here > 0.004) {
            rgb = mix(original.rgb, coarse_fill_at(p), here);
        }
    }
    textureStore(output, vec2<i32>(gid), vec4<f32>(rgb, original.a));
}
