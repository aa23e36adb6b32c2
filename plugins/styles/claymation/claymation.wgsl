// claymation: plasticine. Smoothed colour posterized into rounded bands,
// warm saturated tones, soft highlights and darker rims from a pseudo-normal
// (the luma gradient, lit from the top-left) and faint static fingerprints.
//
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x smoothness  0..1 size of the smoothing and of the rounded bevels
//   u[0].y bands       2..12 brightness levels of the posterization
//   u[0].z shine       0..1 strength of the specular highlights
//
// Thirteen bilinear taps: a 3x3 grid (spacing 1..5 px from the smoothness) gives a
// small Kuwahara over its four 2x2 quadrants (smooth colour, kept edges)
// and a Sobel luma gradient; four taps 3.5 times further out give a wider
// gradient, so shapes bulge like modelled clay. The fingerprints are a hash
// of the pixel position (never of time), so they stay put.

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 1>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;

const LUMA = vec3<f32>(0.2126, 0.7152, 0.0722);

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

// Value noise with its gradient: (value 0..1, d/dx, d/dy).
fn vnoise_d(p: vec2<f32>, seed: u32) -> vec3<f32> {
    let i = vec2<i32>(floor(p));
    let f = fract(p);
    let w = f * f * (3.0 - 2.0 * f);
    let dw = 6.0 * f * (1.0 - f);
    let a = hash2(i, seed);
    let b = hash2(i + vec2<i32>(1, 0), seed);
    let c = hash2(i + vec2<i32>(0, 1), seed);
    let d = hash2(i + vec2<i32>(1, 1), seed);
    let k = a - b - c + d;
    let v = a + (b - a) * w.x + (c - a) * w.y + k * w.x * w.y;
    return vec3<f32>(v, dw.x * ((b - a) + k * w.y), dw.y * ((c - a) + k * w.x));
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
    let v = dot(da, da) + dot(db, db) + dot(dc, dc) + dot(dd, dd) + 1e-3;
    return vec4<f32>(m, 1.0 / (v * v));
}

// Posterizes 0..1 into `n` levels whose steps are rounded (a smooth ramp
// over the middle of each step instead of a hard jump).
fn rounded_bands(x: f32, n: f32) -> f32 {
    let s = clamp(x, 0.0, 1.0) * (n - 1.0);
    let k = floor(s);
    return (k + smoothstep(0.38, 0.62, s - k)) / (n - 1.0);
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let inv_size = 1.0 / vec2<f32>(dims);
    let p = vec2<f32>(gid.xy) + 0.5;
    let smoothness = clamp(u[0].x, 0.0, 1.0);
    let bands = clamp(round(u[0].y), 2.0, 12.0);
    let shine = clamp(u[0].z, 0.0, 1.0);

    // 3x3 grid of bilinear taps.
    let a = 1.0 + smoothness * 4.0;
    let c00 = tap(p + vec2<f32>(-a, -a), inv_size);
    let c10 = tap(p + vec2<f32>(0.0, -a), inv_size);
    let c20 = tap(p + vec2<f32>(a, -a), inv_size);
    let c01 = tap(p + vec2<f32>(-a, 0.0), inv_size);
    let c11 = tap(p, inv_size);
    let c21 = tap(p + vec2<f32>(a, 0.0), inv_size);
    let c02 = tap(p + vec2<f32>(-a, a), inv_size);
    let c12 = tap(p + vec2<f32>(0.0, a), inv_size);
    let c22 = tap(p + vec2<f32>(a, a), inv_size);
    // Four wide taps for the bulge.
    let b = 3.5 * a;
    let wl = dot(tap(p + vec2<f32>(-b, 0.0), inv_size), LUMA);
    let wr = dot(tap(p + vec2<f32>(b, 0.0), inv_size), LUMA);
    let wt = dot(tap(p + vec2<f32>(0.0, -b), inv_size), LUMA);
    let wb = dot(tap(p + vec2<f32>(0.0, b), inv_size), LUMA);

    // Smooth colour: the calmest 2x2 quadrant wins (edges stay put).
    let k0 = quad(c00, c10, c01, c11);
    let k1 = quad(c10, c20, c11, c21);
    let k2 = quad(c01, c11, c02, c12);
    let k3 = quad(c11, c21, c12, c22);
    var colour = (k0.rgb * k0.w + k1.rgb * k1.w + k2.rgb * k2.w + k3.rgb * k3.w) / (k0.w + k1.w + k2.w + k3.w);

    // Rounded bands of brightness; the hue is kept: darkening scales the
    // colour towards black, brightening scales its distance to white.
    let y = clamp(dot(colour, LUMA), 1e-3, 0.999);
    let banded = rounded_bands(y, bands);
    if (banded < y) {
        colour = colour * (banded / y);
    } else {
        colour = vec3<f32>(1.0) - (vec3<f32>(1.0) - colour) * ((1.0 - banded) / (1.0 - y));
    }
    // Plasticine is saturated and warm, and never quite black.
    let y2 = dot(colour, LUMA);
    colour = vec3<f32>(y2) + (colour - vec3<f32>(y2)) * 1.35;
    colour = clamp(colour * vec3<f32>(1.06, 1.0, 0.88), vec3<f32>(0.0), vec3<f32>(1.0));
    colour = colour * 0.9 + vec3<f32>(0.06, 0.045, 0.03);

    // Height = smoothed luma: the Sobel gradient of the grid plus the wide
    // one, in luma per pixel.
    let l00 = dot(c00, LUMA);
    let l10 = dot(c10, LUMA);
    let l20 = dot(c20, LUMA);
    let l01 = dot(c01, LUMA);
    let l21 = dot(c21, LUMA);
    let l02 = dot(c02, LUMA);
    let l12 = dot(c12, LUMA);
    let l22 = dot(c22, LUMA);
    let sobel = vec2<f32>(l20 + 2.0 * l21 + l22 - l00 - 2.0 * l01 - l02, l02 + 2.0 * l12 + l22 - l00 - 2.0 * l10 - l20)
        / (8.0 * a);
    let wide = vec2<f32>(wr - wl, wb - wt) / (2.0 * b);
    var slope = (sobel * 0.5 + wide * 0.5) * 14.0;

    // Fingerprints: contour lines of a slow noise make whorls of fine
    // ridges, visible only in some patches; a bigger, softer dent noise
    // makes the surface hand-made.
    let n = vnoise_d(p / 46.0, 0x27d4eb2du);
    // Ridge height sin(2 pi f n), a ridge every few pixels.
    let freq = 12.0;
    let ridges = cos(n.x * freq * 6.2831853) * (freq * 6.2831853 / 46.0);
    let patches = smoothstep(0.45, 0.8, vnoise_d(p / 90.0, 0x165667b1u).x);
    let dent = vnoise_d(p / 23.0, 0x61c88647u);
    slope += n.yz * ridges * patches * 0.05 + dent.yz * (1.2 / 23.0);

    // Lighting: key light from the top-left, soft (wrapped) diffuse, broad
    // specular, rims darken where the surface turns away.
    let normal = normalize(vec3<f32>(-slope, 1.0));
    let light = normalize(vec3<f32>(-0.55, -0.65, 0.75));
    let diffuse = max(1.0 + 0.6 * (dot(normal, light) - light.z), 0.35);
    let half_v = normalize(light + vec3<f32>(0.0, 0.0, 1.0));
    let nh = max(dot(normal, half_v), 0.0);
    let spec = pow(nh, 32.0) * shine * 0.6;
    let rim = mix(0.55, 1.0, smoothstep(0.55, 0.97, normal.z));
    colour = colour * diffuse * rim + vec3<f32>(1.0, 0.97, 0.9) * spec;

    textureStore(output, vec2<i32>(gid.xy), vec4<f32>(clamp(colour, vec3<f32>(0.0), vec3<f32>(1.0)), 1.0));
}
