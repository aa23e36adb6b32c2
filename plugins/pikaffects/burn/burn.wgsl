// burn: a fire front crosses the subject as progress goes 0 -> 1, in the
// direction `dir` (bottom to top by default), and burns it away.
//
// Positions are measured along the front's travel across the subject's
// bounding box: s = 0 where the front enters the box, 1 where it leaves.
// The front is ragged (two octaves of seeded value noise, a fixed shape plus
// a small part that drifts each frame so the flames lick), so per pixel
//   s'       = s + jag * (noise - 0.5)
//   front    = mix(start, end, progress)   (start/end: before/after the box)
//   d        = front - s'                   (> 0: burnt, < 0: still ahead)
// and, going against the travel direction:
//   d < -0.35     untouched subject
//   -0.35 .. 0    smoke darkening (drifting noise), nearer 0 scorched brown
//                 and shimmering (the frame read a few pixels off)
//   around 0      the flame line, in the ember colour (tongues reach ahead)
//   0 .. char     black char with embers: cells that glow and flicker per
//                 frame index + seed; the char crumbles away in flakes
//   > char        gone: the background fill (from around the subject)
// The result replaces the subject in proportion to the mask, so pixels off
// the subject keep the source exactly. Progress 0 leaves the frame as is;
// at progress 1 the front is past the box and only background is left.
// Cost: the SDK dispatches only over the subject's box grown by the margin
// below (`effect_region`, REGION = true); there, off the subject (mask
// below 0.004) a pixel returns after one mask tap, on it 4 value noises.
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4),
// input_2 = subject bounds (binding 5).
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x progress   0..1
//   u[1..2] dir     the front's travel direction (unit vector, frame pixels, y down)
//   u[0].w char       0.02..0.5 (depth of the char band, fraction of the subject)
//   u[4..6] colour  rgb of the flames and embers
//   u[1].w glow       0..2 (brightness of flames and embers)
//   u[2].x seed       0..1000
//   u[2].y frame      the frame index (the flicker's clock)

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 3>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;
@group(0) @binding(5) var input_2: texture_2d<f32>;
@group(0) @binding(6) var coarse_fill: texture_2d<f32>;

// From the SDK's WGSL prelude (pikafx_sdk::wgsl::NOISE, SUBJECT, BOUNDS),
// appended after this file: hash_u32, unit, hash2, value_noise, frame_at,
// mask_at, coarse_fill_at, subject_box, subject_found.

// Raggedness of the front (in s units): the fixed shape and the drifting part.
const JAG: f32 = 0.22;
const LICK: f32 = 0.07;
// Depths ahead of the front (s units) of the scorch and of the smoke.
const SCORCH: f32 = 0.12;
const SMOKE: f32 = 0.35;
// Half-width of the flame line behind the front, and its reach ahead.
const FLAME: f32 = 0.025;
const TONGUE: f32 = 0.07;

// How far beyond the subject's box the burn can change pixels: stray mask
// values farther out (beyond the soft edge and one cell of the bounds grid)
// are not the subject and stay as they are.
fn burn_margin(fd: vec2<f32>) -> vec2<f32> {
    return fd / 64.0 + 2.0;
}

// Where the frame can change (see pikafx_sdk::wgsl::REGION): the subject's
// box grown by the margin; nothing before the fire starts or without a
// subject.
fn effect_region() -> vec4<f32> {
    if (u[0].x <= 0.0 || !subject_found()) {
        return vec4<f32>(0.0);
    }
    let b = subject_box();
    let margin = burn_margin(vec2<f32>(textureDimensions(input_0)));
    return b + vec4<f32>(-margin - 1.0, margin + 1.0);
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let gid = region_pixel(id);
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let t = clamp(u[0].x, 0.0, 1.0);
    let original = textureLoad(input_0, vec2<i32>(gid), 0);
    let p = vec2<f32>(gid) + vec2<f32>(0.5, 0.5);
    let m = mask_at(p);
    // Off the subject nothing changes; this is most of the frame.
    if (t <= 0.0 || m < 0.004 || !subject_found()) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }
    let fd = vec2<f32>(dims);
    let px = fd.y / 720.0;
    var dir = vec2<f32>(u[0].y, u[0].z);
    dir = select(vec2<f32>(0.0, -1.0), normalize(dir), dot(dir, dir) > 0.0001);
    let char_w = clamp(u[0].w, 0.01, 1.0);
    let colour = vec3<f32>(u[1].x, u[1].y, u[1].z);
    let glow = clamp(u[1].w, 0.0, 4.0);
    let seed = u32(max(u[2].x, 0.0));
    let frame = u32(max(u[2].y, 0.0));
    // A per-frame seed: embers and licking flames change every frame, the
    // same way on every render.
    let fseed = hash_u32(seed ^ (frame * 0x9e3779b9u));

    // Position along the travel across the subject's box. Stray mask
    // values away from the subject's box (beyond the soft edge and one cell
    // of the bounds grid) are not the subject: they stay as they are.
    let b = subject_box();
    let margin = burn_margin(fd);
    if (any(p < b.xy - margin) || any(p > b.zw + margin)) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }
    let size = max(b.zw - b.xy, vec2<f32>(1.0));
    let extent = max(dot(abs(dir), size), 1.0);
    let s = (dot(p - 0.5 * (b.xy + b.zw), dir) + 0.5 * extent) / extent;

    // The noise fields, scaled to the subject so the look does not depend
    // on resolution: the front's shape (coarse and fine), the licking
    // flames and the heat shimmer (both drifting with the travel). One
    // value_noise per pass of a loop with a run-time count: lavapipe runs
    // straight-line code for every pixel, masked or not, but leaves a loop
    // after one pass when no pixel of its SIMD batch is left in it, so the
    // pixels that returned above pay for one noise instead of four.
    let cell = extent * 0.2;
    let drift = p / (cell * 0.4) - dir * f32(frame) * 0.35;
    var nz = vec4<f32>(0.5);
    let passes = select(0u, 4u, m > 0.0);
    for (var k = 0u; k < passes; k++) {
        let x = select(select(select(p / cell, p / (cell * 0.3), k == 1u), drift, k == 2u), drift * 1.7, k == 3u);
        nz = select(nz, vec4<f32>(value_noise(x, seed, k + 1u)), vec4<u32>(0u, 1u, 2u, 3u) == vec4<u32>(k));
    }
    let shape = 0.65 * nz.x + 0.35 * nz.y;
    let lick = nz.z;
    let sp = s + JAG * (shape - 0.5) + LICK * (lick - 0.5);
    let start = -(0.5 * (JAG + LICK) + 0.1);
    let end = 1.0 + 0.5 * (JAG + LICK) + char_w + 0.05;
    let d = mix(start, end, t) - sp;
    if (d < -SMOKE) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    var rgb = original.rgb;
    if (d < 0.0) {
        // Ahead of the front: shimmer, scorch and smoke.
        let a = -d;
        let scorch = 1.0 - smoothstep(0.0, SCORCH, a);
        if (scorch > 0.0) {
            let wobble = vec2<f32>(nz.w, lick) - 0.5;
            rgb = frame_at(p + wobble * max(3.0 * px, 0.8) * scorch);
        }
        rgb *= mix(vec3<f32>(1.0), vec3<f32>(0.55, 0.36, 0.22), scorch);
        let smoke = (1.0 - smoothstep(0.0, SMOKE, a)) * (0.35 + 0.65 * lick);
        rgb *= 1.0 - 0.5 * smoke;
    } else {
        // Behind it: char, crumbling to nothing in flakes.
        let ecell = max(4.0 * px, 1.5);
        let flake = unit(cell_hash(vec2<i32>(floor(p / (ecell * 2.0))), seed ^ 0x6a09e667u));
        let edge = char_w * (0.65 + 0.35 * flake);
        let gone = max(smoothstep(edge - 0.015, edge, d), smoothstep(0.92, 1.0, t));
        let charred = vec3<f32>(0.045, 0.035, 0.03) + original.rgb * 0.06;
        rgb = mix(rgb, charred, smoothstep(0.0, 0.03, d));
        // Embers: some cells glow, each flickering on its own; more of
        // them near the front.
        let eh = cell_hash(vec2<i32>(floor(p / ecell)), seed);
        let lit = step(0.68, unit(eh)) * (0.35 + 0.65 * unit(hash_u32(eh ^ fseed)));
        let dot_shape = 1.0 - smoothstep(0.15, 0.5, length(fract(p / ecell) - 0.5));
        let near = 1.0 - smoothstep(0.0, char_w * 0.8, d);
        rgb += colour * (glow * lit * dot_shape * near * 1.2);
        if (gone * m > 0.004) {
            rgb = mix(rgb, coarse_fill_at(p), gone);
        }
    }
    // The flame line: a thin hot band behind the front and tongues ahead.
    let reach = select(FLAME, TONGUE * (0.3 + lick), d < 0.0);
    let flame = (1.0 - smoothstep(0.0, reach, abs(d))) * (0.75 + 0.25 * unit(hash_u32(fseed)));
    let hot = flame * min(glow, 1.0);
    rgb = mix(rgb, colour, hot * 0.8) + colour * (glow * flame * 0.5);
    rgb = min(rgb, vec3<f32>(1.0));
    textureStore(output, vec2<i32>(gid), vec4<f32>(mix(original.rgb, rgb, m), original.a));
}
