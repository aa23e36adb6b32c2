// sketch: grey pencil drawing on paper.
//
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x pencil    0.2..3 pressure: how readily edges become strokes and how dark they are
//   u[0].y hatching  0..1 diagonal hatching in dark areas (0 = none)
//   u[0].z paper     0..1 paper grain (texture of the sheet and tooth of the strokes)
//   u[0].w tint      0..1 warm paper tint (0 = pure grey, R = G = B)
//
// Per pixel: 9 taps (Sobel and local mean on luma, 1 px apart) and 8 taps on
// a 3 px ring (the surround for a difference-of-means); 17 samples in all.
// The paper and hatching noise is a hash of the pixel position only, so the
// sheet stays still from frame to frame.

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 1>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;

const PAPER = 0.95;
const HATCH_SPACING = 5.0;
// Eight points on a circle of radius 3 px.
const RING = array<vec2<f32>, 8>(
    vec2<f32>(3.0, 0.0), vec2<f32>(2.1213, 2.1213), vec2<f32>(0.0, 3.0), vec2<f32>(-2.1213, 2.1213),
    vec2<f32>(-3.0, 0.0), vec2<f32>(-2.1213, -2.1213), vec2<f32>(0.0, -3.0), vec2<f32>(2.1213, -2.1213));

fn luma_at(uv: vec2<f32>) -> f32 {
    return dot(textureSampleLevel(input_0, linear, uv, 0.0).rgb, vec3<f32>(0.2126, 0.7152, 0.0722));
}

// Integer hash of a lattice point to 0..1.
fn hash(p: vec2<i32>) -> f32 {
    var h = (bitcast<u32>(p.x) * 0x8da6b343u) ^ (bitcast<u32>(p.y) * 0xd8163841u);
    h ^= h >> 16u;
    h *= 0x7feb352du;
    h ^= h >> 15u;
    h *= 0x846ca68bu;
    h ^= h >> 16u;
    return f32(h >> 8u) / 16777215.0;
}

// Smooth value noise with lattice spacing `scale` pixels.
fn value_noise(pos: vec2<f32>, scale: f32) -> f32 {
    let p = pos / scale;
    let i = vec2<i32>(floor(p));
    let f = fract(p);
    let t = f * f * (3.0 - 2.0 * f);
    let a = hash(i);
    let b = hash(i + vec2<i32>(1, 0));
    let c = hash(i + vec2<i32>(0, 1));
    let d = hash(i + vec2<i32>(1, 1));
    return mix(mix(a, b, t.x), mix(c, d, t.x), t.y);
}

// Coverage (0..1) of a family of parallel pencil lines 5 px apart:
// `across` is the coordinate across the lines, `along` the one along them,
// in pixels. Each line's pressure wanders slowly along it (1D value noise
// per line), so the hatching reads as hand-drawn.
fn hatch_lines(across: f32, along: f32, salt: i32) -> f32 {
    let a = across / HATCH_SPACING;
    let line = i32(floor(a));
    let dist = abs(fract(a) - 0.5) * HATCH_SPACING;
    // About 1.5 px wide, anti-aliased.
    let cover = 1.0 - smoothstep(0.35, 1.25, dist);
    let b = along / 11.0;
    let k = i32(floor(b));
    let f = fract(b);
    let n0 = hash(vec2<i32>(line * 4 + salt, k));
    let n1 = hash(vec2<i32>(line * 4 + salt, k + 1));
    let pressure = mix(n0, n1, f * f * (3.0 - 2.0 * f));
    return cover * (0.4 + 0.6 * pressure);
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let size = vec2<f32>(dims);
    let px = 1.0 / size;
    let pos = vec2<f32>(gid.xy) + 0.5;
    let uv = pos * px;
    let pencil = clamp(u[0].x, 0.2, 3.0);
    let hatching = clamp(u[0].y, 0.0, 1.0);
    let grain = clamp(u[0].z, 0.0, 1.0);
    let tint = clamp(u[0].w, 0.0, 1.0);

    // 3x3 neighbourhood: Sobel and the local mean.
    let tl = luma_at(uv + vec2<f32>(-px.x, -px.y));
    let tc = luma_at(uv + vec2<f32>(0.0, -px.y));
    let tr = luma_at(uv + vec2<f32>(px.x, -px.y));
    let ml = luma_at(uv + vec2<f32>(-px.x, 0.0));
    let mc = luma_at(uv);
    let mr = luma_at(uv + vec2<f32>(px.x, 0.0));
    let bl = luma_at(uv + vec2<f32>(-px.x, px.y));
    let bc = luma_at(uv + vec2<f32>(0.0, px.y));
    let br = luma_at(uv + vec2<f32>(px.x, px.y));
    let gx = (tr + 2.0 * mr + br) - (tl + 2.0 * ml + bl);
    let gy = (bl + 2.0 * bc + br) - (tl + 2.0 * tc + tr);
    let sobel = length(vec2<f32>(gx, gy)) * 0.25;
    let local = (tl + tc + tr + ml + mc + mr + bl + bc + br) / 9.0;

    // The surround: a ring 3 px out (bilinear taps, so each covers 2x2 texels).
    var ring = 0.0;
    for (var i = 0; i < 8; i++) {
        ring += luma_at(uv + RING[i] * px);
    }
    ring /= 8.0;
    // Difference of means: the darker side of an edge, like the classic
    // "colour dodge" pencil trick; it doubles the Sobel line into a stroke
    // with a soft shadow on one side.
    let dog = max(ring - local, 0.0);

    // Paper: a soft fibrous grain plus a fine tooth.
    let fibre = value_noise(pos, 4.0) - 0.5;
    let tooth = hash(vec2<i32>(gid.xy)) - 0.5;
    let paper = PAPER + grain * (0.05 * fibre + 0.025 * tooth);

    // Outline strokes.
    let edge = (sobel + 2.0 * dog) * pencil;
    let bite = 1.0 - grain * 0.35 * (0.5 + tooth);
    let stroke = smoothstep(0.05, 0.4, edge) * min(0.5 + 0.3 * pencil, 0.92) * bite;

    // Hatching: one diagonal family below mid-tone, a cross family in the shadows.
    let dark = 1.0 - ring;
    let h1 = hatch_lines(pos.x + pos.y, pos.x - pos.y, 2) * smoothstep(0.4, 0.75, dark);
    let h2 = hatch_lines(pos.x - pos.y + 4096.0, pos.x + pos.y, 3) * smoothstep(0.65, 0.9, dark);
    let hatch = hatching * min(0.85 * (h1 + h2) * min(0.6 + 0.4 * pencil, 1.3), 0.9) * bite;

    let grey = clamp(paper * (1.0 - stroke) * (1.0 - hatch), 0.0, 1.0);
    // The tint warms the paper; graphite stays neutral.
    let colour = vec3<f32>(grey) * mix(vec3<f32>(1.0), vec3<f32>(1.0, 0.955, 0.86), tint);
    textureStore(output, vec2<i32>(gid.xy), vec4<f32>(colour, 1.0));
}
