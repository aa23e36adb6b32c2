// inflate: the subject balloons as progress goes 0 -> 1; the background
// outside the grown subject stays intact.
//
// The inward direction of the subject at each pixel is estimated from the
// subject mask with two rings of 8 taps (radii R/2 and R, R = 0.12 * the
// short side): g = mean(mask_i * dir_i). The frame is sampled at
//   p + g / 0.3 * amount * 0.8 * R,   amount = progress * intensity,
// i.e. pulled toward the subject's interior, so pixels just outside the
// subject show its edge (the subject grows) and the rim is magnified. The
// result is shown where the mask at the sampled point is high; a glossy
// highlight on the upper-left of the rim sells the balloon. Pixels farther
// from the subject's box than the rings reach keep the frame without any
// of this: the SDK dispatches only over that grown box (`effect_region`,
// REGION = true).
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4, red),
// input_2 = subject bounds (binding 5).
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x progress   0..1
//   u[0].y intensity  0..1   (how much the subject grows by the end)
//   u[0].z easing     0..1   (0 = linear growth, 1 = ease-in-out)
//   u[0].w glossiness 0..1   (balloon highlight strength)

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 1>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var samp: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;
@group(0) @binding(5) var input_2: texture_2d<f32>;

// From the SDK's WGSL prelude, appended after this file: mask_px, frame_px
// (RINGS), subject_box, subject_found (BOUNDS).

// The growth so far: 0 before the effect starts.
fn inflate_amount() -> f32 {
    let progress = clamp(u[0].x, 0.0, 1.0);
    let intensity = clamp(u[0].y, 0.0, 1.0);
    let easing = clamp(u[0].z, 0.0, 1.0);
    let t = mix(progress, progress * progress * (3.0 - 2.0 * progress), easing);
    return t * intensity;
}

// Where inflate can change the frame: the subject's box grown by the rings'
// reach (the box comes from a 64x64 grid: the mask may pass it by a grid
// step).
fn reach_box(size: vec2<f32>) -> vec4<f32> {
    let bx = subject_box();
    let reach = 0.12 * min(size.x, size.y) + size / 64.0 + 2.0;
    return vec4<f32>(bx.xy - reach, bx.zw + reach);
}

// See pikafx_sdk::wgsl::REGION: nothing before the growth starts or
// without a subject.
fn effect_region() -> vec4<f32> {
    if (inflate_amount() <= 0.0 || !subject_found()) {
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
    let gloss = clamp(u[0].w, 0.0, 1.0);

    let p = vec2<f32>(gid) + vec2<f32>(0.5, 0.5);
    let original = textureLoad(input_0, vec2<i32>(gid), 0);
    let amount = inflate_amount();
    if (amount <= 0.0) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    let r = 0.12 * min(size.x, size.y);
    // Out of the rings' reach of the subject (see `reach_box`).
    let bx = reach_box(size);
    if (!subject_found() || any(p < bx.xy) || any(p > bx.zw)) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }
    var g = vec2<f32>(0.0);
    for (var i = 0; i < 8; i++) {
        let a = f32(i) * 0.7853982;
        let d0 = vec2<f32>(cos(a), sin(a));
        let a1 = a + 0.3926991;
        let d1 = vec2<f32>(cos(a1), sin(a1));
        g += mask_px(p + d0 * r, size) * d0;
        g += mask_px(p + d1 * (0.5 * r), size) * d1;
    }
    g /= 16.0;
    // ~1 on the subject's edge, falling to 0 far inside and far outside.
    let pull = g / 0.3;
    let len = min(length(pull), 1.5);
    let dir = pull / max(length(pull), 1e-5);
    let src = p + dir * len * amount * 0.8 * r;

    let m = textureSampleLevel(input_1, samp, src / size, 0.0).r;
    let inflated = textureSampleLevel(input_0, samp, src / size, 0.0);

    // Balloon gloss: on the rim facing the light (upper left), a little inside the edge.
    let facing = max(dot(-dir, vec2<f32>(-0.7071068, -0.7071068)), 0.0);
    let rim = smoothstep(0.05, 0.5, len) * (1.0 - smoothstep(0.8, 1.3, len));
    let highlight = gloss * 0.45 * amount * pow(facing, 3.0) * rim;
    let lit = vec4<f32>(min(inflated.rgb + vec3<f32>(highlight), vec3<f32>(1.0)), inflated.a);

    textureStore(output, vec2<i32>(gid), mix(original, lit, m));
}
