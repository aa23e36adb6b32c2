// deflate: the subject shrinks and sags like a balloon losing its air as
// progress goes 0 -> 1; the background stays intact and the area the
// subject leaves is filled from the background around it.
//
// The inward direction of the subject at each pixel is estimated from the
// subject mask with two rings of 8 taps (radii R/2 and R, R = 0.12 * the
// short side): g = mean(mask_i * dir_i). The frame is sampled at
//   p - dir * min(1.8 * |g| / 0.3, 1) * amount * 0.8 * R * (1 + 0.6 * sag * dir.y) * wrinkle
//       * clamp(0.5 / mean(mask_i), 1, 2)   (convex parts shrink more: rounding)
//       / max(|dir.x|, |dir.y|)             (so corners go as fast as the sides),
//   amount = progress * intensity,
// i.e. pushed outward toward the subject's edge, so the subject's edge moves
// inward (more at the top than at the bottom: it sags), with the rim's
// shrink modulated by seeded value noise around the outline (wrinkles).
// Where the subject was (the mask, or the mask within 2.5% of the short side
// diagonally, for corners it cuts off) but no longer is, the frame shows the
// SDK's coarse background fill (one background_fill per ~16x16 pixels,
// sampled bilinearly: on lavapipe a per-pixel fill costs every pixel).
//
// Pixels farther from the subject's box than the rings reach keep the frame
// without any of this: the SDK dispatches only over that grown box
// (`effect_region`, REGION = true).
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4, red),
// input_2 = subject bounds (binding 5), the coarse fill (binding 6).
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x progress  0..1
//   u[0].y intensity 0..1   (how much the subject shrinks by the end)
//   u[0].z sag       0..1   (how much more the top drops than the bottom)
//   u[0].w wrinkles  0..1   (unevenness of the shrink around the outline)
//   u[1].x seed      0..1000

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 2>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;
@group(0) @binding(5) var input_2: texture_2d<f32>;
@group(0) @binding(6) var coarse_fill: texture_2d<f32>;

// From the SDK's WGSL prelude, appended after this file: hash_u32 (NOISE);
// mask_px, frame_px (RINGS), coarse_fill_at (COARSE_FILL), subject_box,
// subject_found (BOUNDS).

fn lattice(i: i32, seed: u32) -> f32 {
    return f32(hash_u32(bitcast<u32>(i) ^ hash_u32(seed)) >> 8u) / 16777216.0;
}

// Smooth value noise in 0..1 with period `n` lattice cells.
fn periodic_noise(t: f32, n: i32, seed: u32) -> f32 {
    let i = i32(floor(t));
    let f = fract(t);
    let s = f * f * (3.0 - 2.0 * f);
    let a = ((i % n) + n) % n;
    let b = (((i + 1) % n) + n) % n;
    return mix(lattice(a, seed), lattice(b, seed), s);
}

// Where deflate can change the frame: the subject's box grown by the rings'
// reach (the box comes from a 64x64 grid: the mask may pass it by a grid
// step).
fn reach_box(size: vec2<f32>) -> vec4<f32> {
    let bx = subject_box();
    let reach = 0.12 * min(size.x, size.y) + size / 64.0 + 2.0;
    return vec4<f32>(bx.xy - reach, bx.zw + reach);
}

// See pikafx_sdk::wgsl::REGION: nothing before the shrink starts or
// without a subject.
fn effect_region() -> vec4<f32> {
    let amount = clamp(u[0].x, 0.0, 1.0) * clamp(u[0].y, 0.0, 1.0);
    if (amount <= 0.0 || !subject_found()) {
        return vec4<f32>(0.0);
    }
    return reach_box(vec2<f32>(textureDimensions(input_0)));
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let gid = region_pixel(id);
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let size = vec2<f32>(dims);
    let progress = clamp(u[0].x, 0.0, 1.0);
    let intensity = clamp(u[0].y, 0.0, 1.0);
    let sag = clamp(u[0].z, 0.0, 1.0);
    let wrinkles = clamp(u[0].w, 0.0, 1.0);
    let seed = u32(max(u[1].x, 0.0));

    let p = vec2<f32>(gid) + vec2<f32>(0.5, 0.5);
    let original = textureLoad(input_0, vec2<i32>(gid), 0);
    let amount = progress * intensity;
    if (amount <= 0.0) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    let short_side = min(size.x, size.y);
    let r = 0.12 * short_side;

    // Out of the rings' reach of the subject (see `reach_box`).
    let bx = reach_box(size);
    if (!subject_found() || any(p < bx.xy) || any(p > bx.zw)) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }
    var g = vec2<f32>(0.0);
    var cover = 0.0;
    for (var i = 0; i < 8; i++) {
        let a = f32(i) * 0.7853982;
        let d0 = vec2<f32>(cos(a), sin(a));
        let a1 = a + 0.3926991;
        let d1 = vec2<f32>(cos(a1), sin(a1));
        let m0 = mask_px(p + d0 * r, size);
        let m1 = mask_px(p + d1 * (0.5 * r), size);
        g += m0 * d0 + m1 * d1;
        cover += m0 + m1;
    }
    g /= 16.0;
    cover /= 16.0;
    // Convex parts (corners: less of the ring on the subject than at a
    // straight edge) shrink more, which rounds them like a soft balloon.
    let convex = clamp(0.5 / max(cover, 0.15), 1.0, 2.0);
    let pull = g / 0.3;
    let len = min(length(pull), 1.5);
    let dir = pull / max(length(pull), 1e-5);
    let angle = atan2(dir.y, dir.x) / 6.2831853 + 0.5;
    let wrinkle = 1.0 + wrinkles * 0.8 * (periodic_noise(angle * 12.0, 12, seed) - 0.5);
    let push = min(len * 1.8, 1.0) * amount * 0.8 * r * max(1.0 + 0.6 * sag * dir.y, 0.0) * wrinkle * convex
        / max(max(abs(dir.x), abs(dir.y)), 0.5);
    let src = p - dir * push;

    let m_here = textureSampleLevel(input_1, linear, p / size, 0.0).r;
    let m = textureSampleLevel(input_1, linear, src / size, 0.0).r;
    let deflated = textureSampleLevel(input_0, linear, src / size, 0.0);

    // Slightly darker, matte skin as the air goes out.
    let shade = vec4<f32>(deflated.rgb * (1.0 - 0.15 * amount * smoothstep(0.2, 1.0, len)), deflated.a);

    // The mask may cut a subject's corners off; pixels just outside it
    // (within 2.5% of the short side) count as uncovered subject too.
    let k = 0.025 * min(size.x, size.y);
    let m_near = max(
        max(m_here, max(mask_px(p + vec2<f32>(k, k), size), mask_px(p + vec2<f32>(-k, k), size))),
        max(mask_px(p + vec2<f32>(k, -k), size), mask_px(p + vec2<f32>(-k, -k), size)),
    );
    var base = original;
    let revealed = clamp((m_near - m) * 1.5, 0.0, 1.0);
    if (revealed > 0.002) {
        base = mix(original, vec4<f32>(coarse_fill_at(p), original.a), revealed);
    }
    textureStore(output, vec2<i32>(gid), mix(base, shade, m));
}
