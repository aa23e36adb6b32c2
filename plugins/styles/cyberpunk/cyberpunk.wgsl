// cyberpunk: neon split-tone grade with glow and chromatic aberration.
//
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x tone        0..1 split toning (shadows teal, highlights magenta)
//   u[0].y glow        0..2 bloom of bright areas
//   u[0].z punch       0..1 extra contrast and saturation
//   u[0].w aberration  0..12 colour fringe at the corners, pixels at 720p
//
// Samples per pixel: 2 bilinear taps (red and blue, displaced radially),
// 1 texel load (green) and 16 texel loads for the glow (a spiral of 16
// taps at 2..14 px).

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 1>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;

const LUMA = vec3<f32>(0.2126, 0.7152, 0.0722);

// The neon ramp from black to white: near-black, deep teal, violet, hot
// pink, pale pink at 0, 1/4, 1/2, 3/4, 1. Written as a sum of clamped
// segments: indexing a constant array per pixel is slow on software GPUs.
const RAMP_0 = vec3<f32>(0.0, 0.04, 0.07);
const RAMP_1 = vec3<f32>(0.02, 0.25, 0.32);
const RAMP_2 = vec3<f32>(0.4, 0.32, 0.56);
const RAMP_3 = vec3<f32>(0.92, 0.42, 0.8);
const RAMP_4 = vec3<f32>(1.0, 0.86, 1.0);

fn ramp(t: f32) -> vec3<f32> {
    let x = vec4<f32>(clamp(t, 0.0, 1.0) * 4.0) - vec4<f32>(0.0, 1.0, 2.0, 3.0);
    let s = clamp(x, vec4<f32>(0.0), vec4<f32>(1.0));
    return RAMP_0 + s.x * (RAMP_1 - RAMP_0) + s.y * (RAMP_2 - RAMP_1) + s.z * (RAMP_3 - RAMP_2)
        + s.w * (RAMP_4 - RAMP_3);
}

// Hue remapping, in turns: red, yellow, green, cyan, blue, magenta (k / 6)
// go to -0.042, 0.069, 0.472, 0.522, 0.694, 0.861 (red to pink-red, yellow
// to orange, green to teal, blue to violet). HUE_0 is the shift at red and
// HUE_A / HUE_B the changes of the shift over each sixth of the circle.
const HUE_0 = -0.0420;
const HUE_A = vec3<f32>(-0.0557, 0.2363, -0.1167);
const HUE_B = vec3<f32>(0.0053, 0.0003, -0.0697);

fn remap_hues(c: vec3<f32>, amount: f32) -> vec3<f32> {
    // RGB to HSV without branches (Sam Hocevar's formulation).
    let kk = vec4<f32>(0.0, -1.0 / 3.0, 2.0 / 3.0, -1.0);
    let p = mix(vec4<f32>(c.bg, kk.wz), vec4<f32>(c.gb, kk.xy), step(c.b, c.g));
    let q = mix(vec4<f32>(p.xyw, c.r), vec4<f32>(c.r, p.yzx), step(p.x, c.r));
    let d = q.x - min(q.w, q.y);
    let h = abs(q.z + (q.w - q.y) / (6.0 * d + 1e-10));
    let sat = d / (q.x + 1e-10);
    let x = fract(h) * 6.0;
    let sa = clamp(vec3<f32>(x) - vec3<f32>(0.0, 1.0, 2.0), vec3<f32>(0.0), vec3<f32>(1.0));
    let sb = clamp(vec3<f32>(x) - vec3<f32>(3.0, 4.0, 5.0), vec3<f32>(0.0), vec3<f32>(1.0));
    let shift = HUE_0 + dot(sa, HUE_A) + dot(sb, HUE_B);
    let h2 = fract(h + shift * amount);
    // HSV back to RGB with the new hue.
    let wheel = abs(fract(vec3<f32>(h2) + vec3<f32>(0.0, 2.0 / 3.0, 1.0 / 3.0)) * 6.0 - 3.0) - 1.0;
    return q.x * mix(vec3<f32>(1.0), clamp(wheel, vec3<f32>(0.0), vec3<f32>(1.0)), sat);
}

// The part of a colour above the glow threshold.
fn bright(c: vec3<f32>) -> vec3<f32> {
    // Saturated lights count as bright too, not only by their luma.
    let v = 0.5 * max(c.r, max(c.g, c.b)) + 0.5 * dot(c, LUMA);
    let k = clamp((v - 0.65) / 0.33, 0.0, 1.0);
    return c * k * k;
}

fn texel(p: vec2<i32>, maxc: vec2<i32>) -> vec3<f32> {
    return textureLoad(input_0, clamp(p, vec2<i32>(0), maxc), 0).rgb;
}

// One glow tap: the bright part of the texel at `offset` (720p pixels,
// scaled), times `weight`.
fn glow_tap(pos: vec2<i32>, offset: vec2<f32>, weight: f32, scale: f32, maxc: vec2<i32>) -> vec3<f32> {
    return bright(texel(pos + vec2<i32>(round(offset * scale)), maxc)) * (weight * 0.85);
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let size = vec2<f32>(dims);
    let uv = (vec2<f32>(gid.xy) + 0.5) / size;
    let maxc = vec2<i32>(textureDimensions(input_0)) - 1;
    let pos = vec2<i32>(gid.xy);
    let scale = size.y / 720.0;

    let tone = u[0].x;
    let glow = u[0].y;
    let punch = u[0].z;
    let aberration = u[0].w;

    // Chromatic aberration: radial, quadratic from the centre, `aberration`
    // pixels (at 720p) in the corners.
    let d = (uv - 0.5) * 2.0;
    let shift = d * length(d) * 0.5 * aberration * scale / size;
    let g = texel(pos, maxc);
    var c = vec3<f32>(
        textureSampleLevel(input_0, linear, uv - shift, 0.0).r,
        g.g,
        textureSampleLevel(input_0, linear, uv + shift, 0.0).b,
    );

    // Neon hues: greens turn teal, yellows and reds towards orange-pink,
    // blues towards violet (`tone` of the way).
    c = remap_hues(clamp(c, vec3<f32>(0.0), vec3<f32>(1.0)), tone);

    // Punch: S-curve contrast and saturation.
    let k = 1.0 + 0.8 * punch;
    let s_curve = c * c * (3.0 - 2.0 * c);
    c = mix(c, s_curve, 0.9 * punch);
    c = (c - 0.5) * (1.0 + 0.15 * punch) + 0.5;
    let y = dot(c, LUMA);
    c = vec3<f32>(y) + (c - vec3<f32>(y)) * k;

    // Split tone: the colour is pulled towards a neon ramp by its
    // brightness (near-black, deep teal, violet, hot pink, pale pink),
    // keeping part of its own chroma.
    c = mix(c, ramp(clamp(y, 0.0, 1.0)) + (c - vec3<f32>(y)) * 0.5, 0.8 * tone);

    // Glow: sparse taps gather the bright light around the pixel.
    if (glow > 0.0) {
        // A golden-angle spiral of 16 texels whose distance grows from 2 to
        // 14 pixels (at 720p): two sparse rings (inner 2..8 px, outer
        // 8..14 px) with every tap at its own radius, so a thin bright line
        // blooms into a haze rather than a few sharp copies. Weights fall
        // off with distance. Written out: constant offsets are much faster
        // on software GPUs than indexing a constant array in a loop.
        let scale_g = max(scale, 0.3);
        var bloom = bright(g) * 0.15;
        bloom += glow_tap(pos, vec2<f32>(2.375, 0.000), 0.1359, scale_g, maxc);
        bloom += glow_tap(pos, vec2<f32>(-2.304, 2.111), 0.1199, scale_g, maxc);
        bloom += glow_tap(pos, vec2<f32>(0.339, -3.860), 0.1058, scale_g, maxc);
        bloom += glow_tap(pos, vec2<f32>(2.814, 3.670), 0.0934, scale_g, maxc);
        bloom += glow_tap(pos, vec2<f32>(-5.293, -0.936), 0.0824, scale_g, maxc);
        bloom += glow_tap(pos, vec2<f32>(5.168, -3.287), 0.0727, scale_g, maxc);
        bloom += glow_tap(pos, vec2<f32>(-1.785, 6.639), 0.0642, scale_g, maxc);
        bloom += glow_tap(pos, vec2<f32>(-3.514, -6.767), 0.0566, scale_g, maxc);
        bloom += glow_tap(pos, vec2<f32>(7.867, 2.873), 0.0500, scale_g, maxc);
        bloom += glow_tap(pos, vec2<f32>(-8.435, 3.482), 0.0441, scale_g, maxc);
        bloom += glow_tap(pos, vec2<f32>(4.185, -8.944), 0.0389, scale_g, maxc);
        bloom += glow_tap(pos, vec2<f32>(3.180, 10.138), 0.0344, scale_g, maxc);
        bloom += glow_tap(pos, vec2<f32>(-9.842, -5.703), 0.0303, scale_g, maxc);
        bloom += glow_tap(pos, vec2<f32>(11.842, -2.604), 0.0268, scale_g, maxc);
        bloom += glow_tap(pos, vec2<f32>(-7.405, 10.533), 0.0236, scale_g, maxc);
        bloom += glow_tap(pos, vec2<f32>(-1.751, -13.512), 0.0208, scale_g, maxc);
        // Neon: the hues of the grade, more saturated, leaning to magenta.
        bloom = remap_hues(clamp(bloom, vec3<f32>(0.0), vec3<f32>(1.0)), tone);
        let by = dot(bloom, LUMA);
        bloom = max(vec3<f32>(by) + (bloom - vec3<f32>(by)) * 1.6, vec3<f32>(0.0));
        bloom *= mix(vec3<f32>(1.0), vec3<f32>(1.1, 0.75, 1.15), tone);
        let add = clamp(bloom * glow * 2.0, vec3<f32>(0.0), vec3<f32>(1.0));
        c = 1.0 - (1.0 - clamp(c, vec3<f32>(0.0), vec3<f32>(1.0))) * (1.0 - add);
    }

    textureStore(output, pos, vec4<f32>(clamp(c, vec3<f32>(0.0), vec3<f32>(1.0)), 1.0));
}
