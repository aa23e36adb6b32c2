// watercolor: soft, lightened washes with pooled pigment at their edges,
// wobbly bleeding borders and a static paper grain.
//
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x bleed      0..1 how far colours run: wobble of the sampling position and wash softness
//   u[0].y paper      0..1 strength of the paper grain (and pigment granulation in it)
//   u[0].z lightness  0..1 how much the washes are thinned towards the paper white
//   u[0].w pooling    0..1 darkening of pigment pooled at the edges of washes
//
// Nine bilinear taps on a 3x3 grid around a wobbled position give both a
// soft wash colour (a gentle Kuwahara over the grid's four 2x2 quadrants,
// mixed with the plain mean) and the luma gradient (Sobel) that drives the
// edge pooling. Every noise is a hash of the pixel position: the paper and
// the wobble never move from frame to frame.

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 1>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;

const LUMA = vec3<f32>(0.2126, 0.7152, 0.0722);
// Slightly warm, cold-pressed paper.
const PAPER = vec3<f32>(0.985, 0.97, 0.935);

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

// 0..1 hash of a lattice point.
fn hash2(i: vec2<i32>, seed: u32) -> f32 {
    let h = hash_u32(bitcast<u32>(i.x) * 0x8da6b343u + bitcast<u32>(i.y) * 0xd8163841u + seed);
    return f32(h >> 8u) * (1.0 / 16777216.0);
}

// Smooth value noise, 0..1.
fn vnoise(p: vec2<f32>, seed: u32) -> f32 {
    let i = vec2<i32>(floor(p));
    let f = fract(p);
    let w = f * f * (3.0 - 2.0 * f);
    let a = hash2(i, seed);
    let b = hash2(i + vec2<i32>(1, 0), seed);
    let c = hash2(i + vec2<i32>(0, 1), seed);
    let d = hash2(i + vec2<i32>(1, 1), seed);
    return mix(mix(a, b, w.x), mix(c, d, w.x), w.y);
}

fn tap(p: vec2<f32>, inv_size: vec2<f32>) -> vec3<f32> {
    return textureSampleLevel(input_0, linear, p * inv_size, 0.0).rgb;
}

// Mean (rgb) and weight (w, 1 / variance^2) of four colours.
fn quad(a: vec3<f32>, b: vec3<f32>, c: vec3<f32>, d: vec3<f32>) -> vec4<f32> {
    let m = (a + b + c + d) * 0.25;
    let da = a - m;
    let db = b - m;
    let dc = c - m;
    let dd = d - m;
    let v = dot(da, da) + dot(db, db) + dot(dc, dc) + dot(dd, dd) + 2e-3;
    return vec4<f32>(m, 1.0 / (v * v));
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let inv_size = 1.0 / vec2<f32>(dims);
    let p = vec2<f32>(gid.xy) + 0.5;
    let bleed = clamp(u[0].x, 0.0, 1.0);
    let paper = clamp(u[0].y, 0.0, 1.0);
    let lightness = clamp(u[0].z, 0.0, 1.0);
    let pooling = clamp(u[0].w, 0.0, 1.0);

    // Bleeding: the wash is sampled at a position that wanders (a broad
    // wobble plus a finer one), so borders run and feather irregularly.
    let broad = vec2<f32>(vnoise(p / 29.0, 0x1234567u), vnoise(p / 29.0, 0x89abcdeu)) - 0.5;
    let fine = vec2<f32>(vnoise(p / 6.5, 0x2468aceu), vnoise(p / 6.5, 0x13579bdu)) - 0.5;
    let q = p + (broad * 11.0 + fine * 3.0) * bleed;

    // 3x3 grid of bilinear taps.
    let a = 1.5 + bleed * 1.5;
    let c00 = tap(q + vec2<f32>(-a, -a), inv_size);
    let c10 = tap(q + vec2<f32>(0.0, -a), inv_size);
    let c20 = tap(q + vec2<f32>(a, -a), inv_size);
    let c01 = tap(q + vec2<f32>(-a, 0.0), inv_size);
    let c11 = tap(q, inv_size);
    let c21 = tap(q + vec2<f32>(a, 0.0), inv_size);
    let c02 = tap(q + vec2<f32>(-a, a), inv_size);
    let c12 = tap(q + vec2<f32>(0.0, a), inv_size);
    let c22 = tap(q + vec2<f32>(a, a), inv_size);

    // Wash colour: the calmest quadrant (flat areas of colour), softened
    // with the mean of all nine.
    let k0 = quad(c00, c10, c01, c11);
    let k1 = quad(c10, c20, c11, c21);
    let k2 = quad(c01, c11, c02, c12);
    let k3 = quad(c11, c21, c12, c22);
    let kuwahara = (k0.rgb * k0.w + k1.rgb * k1.w + k2.rgb * k2.w + k3.rgb * k3.w) / (k0.w + k1.w + k2.w + k3.w);
    let mean = (c00 + c10 + c20 + c01 + c11 + c21 + c02 + c12 + c22) / 9.0;
    var wash = mix(kuwahara, mean, 0.25 + 0.35 * bleed);

    // Edges of washes: Sobel on the grid's luma, in luma per pixel.
    let l00 = dot(c00, LUMA);
    let l10 = dot(c10, LUMA);
    let l20 = dot(c20, LUMA);
    let l01 = dot(c01, LUMA);
    let l21 = dot(c21, LUMA);
    let l02 = dot(c02, LUMA);
    let l12 = dot(c12, LUMA);
    let l22 = dot(c22, LUMA);
    let gx = (l20 + 2.0 * l21 + l22 - l00 - 2.0 * l01 - l02) / (8.0 * a);
    let gy = (l02 + 2.0 * l12 + l22 - l00 - 2.0 * l10 - l20) / (8.0 * a);
    let edge = smoothstep(0.01, 0.09, length(vec2<f32>(gx, gy)));

    // Thin the pigment: desaturate a little and let the paper through.
    let y = dot(wash, LUMA);
    wash = mix(vec3<f32>(y), wash, 0.9);
    wash = mix(wash, PAPER, 0.15 + 0.5 * lightness);

    // Paper: fine grain plus a coarser tooth, a little stretched like
    // cold-pressed fibres.
    let grain = vnoise(p * vec2<f32>(0.7, 0.5), 0x5bd1e99u) * 0.55 + vnoise(p / 5.0, 0x3c6ef37u) * 0.45;
    // Uneven wash: pigment density varies slowly over the sheet.
    let blotch = vnoise(p / 60.0, 0x7a5c3e1u);

    // Pigment density as an exponent on the wash (more pigment = deeper,
    // more saturated colour, like layers of glaze): pooling at the edges,
    // granulation settling in the paper's pits, and the slow blotches.
    let density = 1.0 + pooling * 1.1 * edge + paper * 0.9 * (0.5 - grain) + (blotch - 0.5) * 0.5 * bleed;
    var colour = pow(max(wash, vec3<f32>(1e-4)), vec3<f32>(max(density, 0.2)));

    // The paper's tooth shades everything a little, pigment or not.
    colour *= 1.0 - paper * 0.12 * (1.0 - grain);
    textureStore(output, vec2<i32>(gid.xy), vec4<f32>(clamp(colour, vec3<f32>(0.0), vec3<f32>(1.0)), 1.0));
}
