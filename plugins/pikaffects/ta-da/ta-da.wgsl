// ta-da: a magician's reveal. Sparkles burst around the subject while it
// flashes bright and vanishes, as progress goes 0 -> 1; at the end only the
// background (filled in from the surroundings where the subject was) and a
// few last sparkles remain.
//
// For each output pixel p:
//   flash    = bump over progress 0.25 .. 0.8, peak at 0.5 (white-hot)
//   visible  = 1 - smoothstep(0.46, 0.58, progress) (the subject pops out)
//   region   = mix(mix(fill, frame, visible), white, flash * flash_amount)
//   result   = mix(frame, region, mask(p)) + sparkles
// Sparkles live on two jittered cell grids (cell = 4 * size); a cell holds a
// four-pointed star when a seeded hash < density and the subject mask is
// high at or near its centre; each star twinkles once in its own time window
// (birth 0.05 .. 0.8, life 0.2 .. 0.35). With progress 0 nothing is drawn.
// Cost: the SDK dispatches only over the box of the mask's non-zero pixels,
// grown where the mask is high by the sparkles' reach (`effect_region`,
// REGION = true; one mask tap per work-grid pixel of the host's mask, ~37k
// at 720p, to find it); there, a mask tap and, per grid, 6 hashes and 5
// mask taps per pixel.
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4, red),
// coarse fill (binding 5).
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x progress  0..1
//   u[0].y density   0..1 (share of cells near the subject holding a sparkle)
//   u[0].z size      2..40 (sparkle radius, in pixels at 720p)
//   u[3..5] colour rgb of the sparkles
//   u[1].z flash     0..1 (how white the subject flashes before it vanishes)
//   u[1].w seed      0..1000

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 2>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;
@group(0) @binding(5) var coarse_fill: texture_2d<f32>;

// From the SDK's WGSL prelude (pikafx_sdk::wgsl::NOISE, pikafx_sdk::wgsl::SUBJECT),
// appended after this file: hash_u32, hash2, frame_at, mask_at, coarse_fill_at.

// How far from the subject a sparkle's centre may be: one of 5 mask taps
// this far apart must see it.
fn sparkle_reach(fd: vec2<f32>) -> f32 {
    return 0.08 * min(fd.x, fd.y);
}

// The sparkles' radius at full size, in pixels.
fn sparkle_size(fd: vec2<f32>) -> f32 {
    return max(u[0].z, 0.5) * fd.y / 720.0;
}

// The boxes (min x, min y, max x, max y, frame pixels) outside which the
// mask is 0 (`any`) and at most 0.3 (`high`); all zeros where there is no
// such pixel. The host's mask is a work grid of `block`-pixel texels (256
// on the frame's long side), interpolated between texel centres (a
// weighted mean of the 4 around, or their mean where they agree within
// 0.002): a pixel's value is above a level only within a block of a texel
// centre above it (less 0.002), where the mask is that texel's value (or
// within 0.002 of it). So one tap per texel centre finds them (soft edges
// and stray blobs alike, which the subject-bounds box would miss).
struct MaskBoxes {
    any: vec4<f32>,
    high: vec4<f32>,
}

fn mask_boxes() -> MaskBoxes {
    let fd = vec2<f32>(textureDimensions(input_0));
    let block = max(ceil(max(fd.x, fd.y) / 256.0), 1.0);
    let n = vec2<i32>(ceil(fd / block));
    var lo = vec2<f32>(1e9);
    var hi = vec2<f32>(-1e9);
    var lo_h = vec2<f32>(1e9);
    var hi_h = vec2<f32>(-1e9);
    for (var y = 0; y < n.y; y++) {
        for (var x = 0; x < n.x; x++) {
            let c = (vec2<f32>(f32(x), f32(y)) + 0.5) * block;
            let m = mask_at(c);
            if (m > 0.0) {
                lo = min(lo, c);
                hi = max(hi, c);
            }
            if (m > 0.29) {
                lo_h = min(lo_h, c);
                hi_h = max(hi_h, c);
            }
        }
    }
    let grow = block + 2.0;
    var boxes = MaskBoxes(vec4<f32>(0.0), vec4<f32>(0.0));
    if (hi.x >= lo.x) {
        boxes.any = vec4<f32>(lo - grow, hi + grow);
    }
    if (hi_h.x >= lo_h.x) {
        boxes.high = vec4<f32>(lo_h - grow, hi_h + grow);
    }
    return boxes;
}

// Where the frame can change (see pikafx_sdk::wgsl::REGION): where the
// mask is (the flash and the fill) and, where sparkles may be drawn, the
// box where it is above 0.3 (their envelope's threshold) grown by the
// reach of their centres' taps and their radius. Nothing before the start
// or without a mask.
fn effect_region() -> vec4<f32> {
    if (u[0].x <= 0.0) {
        return vec4<f32>(0.0);
    }
    let boxes = mask_boxes();
    var r = boxes.any;
    if (clamp(u[0].y, 0.0, 1.0) > 0.0 && boxes.high.z > boxes.high.x) {
        let fd = vec2<f32>(textureDimensions(input_0));
        let grow = sparkle_reach(fd) + max(sparkle_size(fd), 0.75) + 2.0;
        let h = boxes.high + vec4<f32>(-grow, -grow, grow, grow);
        if (r.z > r.x) {
            r = vec4<f32>(min(r.xy, h.xy), max(r.zw, h.zw));
        } else {
            r = h;
        }
    }
    return r;
}

// The light of the sparkles of one cell grid at `p` (rgb, additive).
fn sparkles(p: vec2<f32>, t: f32, density: f32, size: f32, colour: vec3<f32>, seed: u32, layer: u32) -> vec3<f32> {
    let fd = vec2<f32>(textureDimensions(input_0));
    let cell = size * 4.0;
    let shift = vec2<f32>(0.37, 0.61) * cell * f32(layer);
    let c = vec2<i32>(floor((p + shift) / cell));
    let salt = layer * 8u;
    if (hash2(c, seed, salt) >= density) {
        return vec3<f32>(0.0);
    }
    let centre = (vec2<f32>(c) + vec2<f32>(0.25 + 0.5 * hash2(c, seed, salt + 1u), 0.25 + 0.5 * hash2(c, seed, salt + 2u)))
        * cell - shift;
    let birth = 0.05 + 0.75 * hash2(c, seed, salt + 3u);
    let life = 0.2 + 0.15 * hash2(c, seed, salt + 4u);
    let age = (t - birth) / life;
    if (age <= 0.0 || age >= 1.0) {
        return vec3<f32>(0.0);
    }
    // Only around the subject: the mask at the centre or 4 points nearby.
    let reach = sparkle_reach(fd);
    var near = mask_at(centre);
    near = max(near, mask_at(centre + vec2<f32>(reach, 0.0)));
    near = max(near, mask_at(centre - vec2<f32>(reach, 0.0)));
    near = max(near, mask_at(centre + vec2<f32>(0.0, reach)));
    near = max(near, mask_at(centre - vec2<f32>(0.0, reach)));
    let env = sin(3.1415927 * age) * smoothstep(0.3, 0.6, near);
    if (env <= 0.0) {
        return vec3<f32>(0.0);
    }
    // A four-pointed star with a round core, growing with the envelope.
    let r = max(size * (0.5 + 0.5 * env), 0.75);
    let q = (p - centre) / r;
    let core = pow(max(1.0 - length(q) * 2.5, 0.0), 2.0);
    let rays = max(1.0 - abs(q.x), 0.0) * max(1.0 - abs(q.y) * 8.0, 0.0)
        + max(1.0 - abs(q.y), 0.0) * max(1.0 - abs(q.x) * 8.0, 0.0);
    let light = clamp(core * 2.0 + rays, 0.0, 1.0) * env;
    let tint = mix(colour, vec3<f32>(1.0), 0.5 * hash2(c, seed, salt + 5u) + 0.5 * core);
    return tint * light;
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
    let density = clamp(u[0].y, 0.0, 1.0);
    let size = sparkle_size(fd);
    let colour = vec3<f32>(u[0].w, u[1].x, u[1].y);
    let flash_amount = clamp(u[1].z, 0.0, 1.0);
    let seed = u32(max(u[1].w, 0.0));

    let p = vec2<f32>(gid) + vec2<f32>(0.5, 0.5);
    let original = textureLoad(input_0, vec2<i32>(gid), 0);
    if (t <= 0.0) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    // The subject pops out at the peak of a white flash that then fades
    // from the place where it was.
    let flash = smoothstep(0.25, 0.5, t) * (1.0 - smoothstep(0.5, 0.8, t)) * flash_amount;
    let visible = 1.0 - smoothstep(0.46, 0.58, t);
    let m = mask_at(p);
    var rgb = original.rgb;
    if (m > 0.004) {
        var region = original.rgb;
        if (visible < 0.999) {
            region = mix(coarse_fill_at(p), region, visible);
        }
        rgb = mix(original.rgb, mix(region, vec3<f32>(1.0), flash), m);
    }
    let light = sparkles(p, t, density, size, colour, seed, 0u) + sparkles(p, t, density, size, colour, seed, 1u);
    textureStore(output, vec2<i32>(gid), vec4<f32>(min(rgb + light, vec3<f32>(1.0)), original.a));
}
