// vintage-8mm: faded home-movie film in one pass.
//
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x  fade       0..1  lifted warm blacks, yellow-orange cast, desaturation
//   u[0].y  gain       brightness multiplier of this frame (flicker), ~0.8..1.2
//   u[0].z  weave_x    gate weave offset, fraction of the frame height
//   u[0].w  weave_y    gate weave offset, fraction of the frame height
//   u[1].x  grain      0..1  strength of the coarse grain
//   u[1].y  frame      frame index (mod 2^24): seeds the grain
//   u[1].z  scratch_x  0..1  x of the vertical scratch
//   u[1].w  scratch    0..1  its brightness (0 = no scratch this frame)
//   u[2].x  specks     number of dust specks this frame (0..6)
//   floats 9 + 8i.. (float k is u[k / 4][k % 4]) dust speck i: x, y (0..1),
//                    radius (fraction of height),
//                    elongation (>= 1), cos and sin of its angle,
//                    strength (< 0 dark dirt, > 0 light), outline phase
//
// Samples per pixel: 2 bilinear taps (the weave-shifted, slightly soft frame).

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 15>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;

const LUMA = vec3<f32>(0.2126, 0.7152, 0.0722);
const MAX_SPECKS = 6u;

// lowbias32, the same as pikafx_sdk::hash_u32.
fn hash_u32(v: u32) -> u32 {
    var x = v;
    x ^= x >> 16u;
    x *= 0x7feb352du;
    x ^= x >> 15u;
    x *= 0x846ca68bu;
    x ^= x >> 16u;
    return x;
}

fn unit(h: u32) -> f32 {
    return f32(h >> 8u) / 16777216.0;
}

fn lattice(x: i32, y: i32, seed: u32) -> f32 {
    return unit(hash_u32(u32(x) * 0x27d4eb2du + u32(y) * 0x165667b1u + seed));
}

// Smooth value noise in 0..1.
fn value_noise(p: vec2<f32>, seed: u32) -> f32 {
    let i = vec2<i32>(floor(p));
    let f = fract(p);
    let w = f * f * (3.0 - 2.0 * f);
    let a = lattice(i.x, i.y, seed);
    let b = lattice(i.x + 1, i.y, seed);
    let c = lattice(i.x, i.y + 1, seed);
    let d = lattice(i.x + 1, i.y + 1, seed);
    return mix(mix(a, b, w.x), mix(c, d, w.x), w.y);
}

// Dust speck with uniforms at floats b..b + 8: a soft ellipse with a wobbly
// outline, darkening (dirt) or lightening (dirt on the negative).
fn speck(c: vec3<f32>, q: vec2<f32>, aspect: f32, b: u32) -> vec3<f32> {
    let r = max(u[(b + 2u) / 4u][(b + 2u) % 4u], 1e-4);
    let elong = max(u[(b + 3u) / 4u][(b + 3u) % 4u], 1.0);
    let cs = u[(b + 4u) / 4u][(b + 4u) % 4u];
    let sn = u[(b + 5u) / 4u][(b + 5u) % 4u];
    let strength = u[(b + 6u) / 4u][(b + 6u) % 4u];
    let phase = u[(b + 7u) / 4u][(b + 7u) % 4u];
    let rel = (q - vec2<f32>(u[b / 4u][b % 4u] * aspect, u[(b + 1u) / 4u][(b + 1u) % 4u])) / r;
    let along = (rel.x * cs + rel.y * sn) / elong;
    let across = -rel.x * sn + rel.y * cs;
    // Two sines bend the outline so the specks are not perfect ellipses.
    let bent = vec2<f32>(along, across) + 0.25 * sin(vec2<f32>(across, along) * 2.7 + phase);
    let m = 1.0 - smoothstep(0.55, 1.0, length(bent));
    if (strength < 0.0) {
        return c * (1.0 - m * -strength);
    }
    return mix(c, vec3<f32>(0.95, 0.93, 0.85), m * strength);
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let size = vec2<f32>(dims);
    let px = 1.0 / size;
    let uv = (vec2<f32>(gid.xy) + 0.5) * px;
    let aspect = size.x / size.y;

    let fade = clamp(u[0].x, 0.0, 1.0);
    let gain = u[0].y;
    let grain = clamp(u[1].x, 0.0, 1.0);
    let frame = u32(u[1].y);

    // Gate weave: the whole picture shifts; a 1.5 % zoom keeps the clamped
    // border out of view. Two bilinear taps half a pixel off-centre on the
    // diagonal blend each pixel with its neighbours: the softness of a
    // small-gauge lens.
    let weave = vec2<f32>(u[0].z / aspect, u[0].w);
    let src = (uv - 0.5) * 0.985 + 0.5 + weave;
    let d = px * 0.5;
    var c = 0.5 * (textureSampleLevel(input_0, linear, src + d, 0.0).rgb
        + textureSampleLevel(input_0, linear, src - d, 0.0).rgb);

    // Fade: desaturate, let the cyan dye go (greens drift to yellow, red
    // rises, blue sinks), then squeeze into warm lifted blacks and creamy
    // highlights.
    let y0 = dot(c, LUMA);
    c = mix(vec3<f32>(y0), c, 1.0 - 0.3 * fade);
    c.r = mix(c.r, max(c.r, 0.55 * c.r + 0.55 * c.g), 0.3 * fade);
    c = pow(max(c, vec3<f32>(0.0)), vec3<f32>(1.0 - 0.15 * fade, 1.0, 1.0 + 0.12 * fade));
    let black = vec3<f32>(0.14, 0.1, 0.06) * fade;
    let white = mix(vec3<f32>(1.0), vec3<f32>(1.0, 0.94, 0.8), fade);
    c = black + c * (white - black);

    // Projector flicker.
    c *= gain;

    // Position in frame-height units, for the round things.
    let q = vec2<f32>(uv.x * aspect, uv.y);

    // Dust specks: only the ones present this frame are listed.
    let specks = min(u32(u[2].x), MAX_SPECKS);
    for (var i = 0u; i < specks; i++) {
        c = speck(c, q, aspect, 9u + i * 8u);
    }

    // Scratch: a thin light line, broken up along its length.
    let scratch = u[1].w;
    if (scratch > 0.0) {
        let w = max(1.0, size.y / 450.0);
        let dx = abs((uv.x - u[1].z) * size.x) / w;
        if (dx < 1.3) {
            let along = value_noise(vec2<f32>(uv.y * 14.0, f32(frame) * 0.37), 0x51ed27u);
            let m = (1.0 - smoothstep(0.4, 1.3, dx)) * smoothstep(0.15, 0.55, along) * scratch;
            c = mix(c, vec3<f32>(0.92, 0.95, 0.88), m);
        }
    }

    // Coarse grain: smooth dye clouds about two pixels across at 720p, a
    // finer per-pixel layer and a little independent colour; strongest in
    // the mid-tones.
    let cell = max(1.0, size.y / 360.0);
    let seed = hash_u32(frame ^ 0x68bc21ebu);
    let p = vec2<f32>(gid.xy);
    let coarse = value_noise(p / cell, seed) * 2.0 - 1.0;
    let hf = hash_u32(gid.x * 0x9e3779b9u + gid.y * 0x85ebca6bu + seed);
    let fine = f32(hf >> 24u) / 127.5 - 1.0;
    let tint = vec3<f32>(f32(hf & 0xffu), f32((hf >> 8u) & 0xffu), f32((hf >> 16u) & 0xffu)) / 255.0;
    let yl = clamp(dot(c, LUMA), 0.0, 1.0);
    let amount = grain * (0.05 + 0.45 * yl * (1.0 - yl));
    c += amount * (vec3<f32>(0.85 * coarse + 0.35 * fine) + (tint - 0.5) * 0.35);

    // Strong rounded vignette: a superellipse, like the projected gate.
    let e = abs(uv - 0.5) * 2.0;
    let e2 = e * e;
    let dv = sqrt(sqrt(e2.x * e2.x + e2.y * e2.y));
    let t = clamp((dv - 0.4) / 0.85, 0.0, 1.0);
    c *= 1.0 - 0.75 * t * t * (3.0 - 2.0 * t);

    textureStore(output, vec2<i32>(gid.xy), vec4<f32>(clamp(c, vec3<f32>(0.0), vec3<f32>(1.0)), 1.0));
}
