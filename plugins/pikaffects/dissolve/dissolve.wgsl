// dissolve: the subject breaks up into grains and disappears as progress goes
// 0 -> 1, with a glowing edge at the dissolve front and sparks drifting up
// from it; where it was, the surrounding background is filled in.
//
// For each output pixel p:
//   n        = two-octave value noise at p / grain (0..1, seeded)
//   front    = progress * (1 + edge) - edge
//   kept     = n > front (a subject pixel survives); at progress 1 none do
//   glow     = colour * glow where |n - front| < edge (the burning rim)
//   result   = mix(frame, mix(fill, frame, kept) + glow, mask(p))
// With progress 0 the front is below every n and the frame is unchanged.
// Only pixels where the mask is at least 0.004 change, and stray mask
// values count wherever they are, so the SDK dispatches `main` over the
// rectangle where the mask can be that high (`effect_region`, REGION =
// true, from one scan of the mask per frame: ~37k taps at 720p, 2 threads).
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4, red).
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x progress   0..1
//   u[0].y grain      1..40 (size of the grains, in pixels at 720p)
//   u[0].z edge       0.01..0.3 (width of the glowing front, in noise units)
//   u[3..5] colour  rgb of the glowing edge
//   u[1].z glow       0..2 (brightness of the edge)
//   u[1].w seed       0..1000

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 2>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;
@group(0) @binding(5) var coarse_fill: texture_2d<f32>;

// From the SDK's WGSL prelude (pikafx_sdk::wgsl::NOISE, SUBJECT, MASK_SUPPORT,
// COARSE_FILL), appended after this file: hash_u32, hash2, frame_at, mask_at,
// coarse_fill_at, value_noise, mask_support_above.

// Where the frame can change (see pikafx_sdk::wgsl::REGION): around every
// part of the mask above zero, wherever it is (the subject's box from the
// bounds pass is not enough: the soft mask reaches beyond it, and
// stray values lie far from it); nothing at progress 0.
//
// `mask_support_above` (pikafx_sdk::wgsl::MASK_SUPPORT) finds every
// texel that can make a pixel reach 0.004 (1.5 / 255), the least mask this
// shader acts on.
fn effect_region() -> vec4<f32> {
    if (u[0].x <= 0.0) {
        return vec4<f32>(0.0);
    }
    return mask_support_above(0.002);
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
    let grain = max(u[0].y, 0.5) * fd.y / 720.0;
    let edge = clamp(u[0].z, 0.005, 0.5);
    let colour = vec3<f32>(u[0].w, u[1].x, u[1].y);
    let glow = max(u[1].z, 0.0);
    let seed = u32(max(u[1].w, 0.0));

    let p = vec2<f32>(gid) + vec2<f32>(0.5, 0.5);
    let original = textureLoad(input_0, vec2<i32>(gid), 0);
    let m = mask_at(p);
    if (t <= 0.0 || m < 0.004) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    // Coarse blotches plus fine grains, plus a little per-pixel dust.
    let x = p / max(grain, 0.5);
    let n = 0.55 * value_noise(x * 0.25, seed, 2u) + 0.35 * value_noise(x, seed, 3u)
        + 0.1 * hash2(vec2<i32>(gid), seed, 4u);
    let front = t * (1.0 + edge) - edge;
    let kept = smoothstep(front, front + 0.01, n);
    // The burning rim: on both sides of the front, fading out at the end.
    let rim = (1.0 - smoothstep(0.0, edge, abs(n - front))) * (1.0 - smoothstep(0.9, 1.0, t));

    var base = original.rgb;
    if (kept < 0.999) {
        base = mix(coarse_fill_at(p), original.rgb, kept);
    }
    let hot = rim * rim * min(glow, 1.0);
    let lit = min(mix(base, colour, hot * 0.7) + colour * glow * 0.5 * hot, vec3<f32>(1.0));
    textureStore(output, vec2<i32>(gid), vec4<f32>(mix(original.rgb, lit, m), original.a));
}
