// melt: the subject drips downward as progress goes 0 -> 1; the background
// stays intact.
//
// For each output pixel (x, y) the source is sampled at (x, y - drip(x)),
//   drip(x) = progress * intensity * H * (0.15 + 0.35 * noise(x * frequency, seed))
// and that sample is shown where the mask at the sampled point is high
// (subject); elsewhere the original pixel is kept. The blend is the soft mask.
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4, red).
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x progress   0..1
//   u[0].y intensity  0..1
//   u[0].z frequency  1..40 (drips across the frame width)
//   u[0].w seed       0..1000
//   u[1].x glossiness 0..1 (highlight on the drips)

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 2>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var samp: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;

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

fn lattice(i: i32, seed: u32) -> f32 {
    return f32(hash_u32(bitcast<u32>(i) ^ hash_u32(seed)) >> 8u) / 16777216.0;
}

// Smooth 1D value noise in 0..1.
fn noise(t: f32, seed: u32) -> f32 {
    let i = i32(floor(t));
    let f = fract(t);
    let s = f * f * (3.0 - 2.0 * f);
    return mix(lattice(i, seed), lattice(i + 1, seed), s);
}

// Drip length in pixels at horizontal position `x01` (0..1).
fn drip(x01: f32, amount: f32, height: f32, frequency: f32, seed: u32) -> f32 {
    return amount * height * (0.15 + 0.35 * noise(x01 * frequency, seed));
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let size = vec2<f32>(dims);
    let progress = clamp(u[0].x, 0.0, 1.0);
    let intensity = u[0].y;
    let frequency = u[0].z;
    let seed = u32(u[0].w);
    let gloss = u[1].x;

    let p = vec2<f32>(gid.xy) + vec2<f32>(0.5, 0.5);
    let uv = p / size;
    let original = textureSampleLevel(input_0, samp, uv, 0.0);

    let amount = progress * intensity;
    let d = drip(uv.x, amount, size.y, frequency, seed);
    let sy = p.y - d;
    var m = 0.0;
    var melted = original;
    if (sy >= 0.0) {
        let suv = vec2<f32>(uv.x, sy / size.y);
        m = textureSampleLevel(input_1, samp, suv, 0.0).r;
        melted = textureSampleLevel(input_0, samp, suv, 0.0);
    }
    // Only where the subject actually moved: with no displacement the
    // frame is unchanged.
    m *= smoothstep(0.0, 1.5, d);

    // Gloss: a highlight where the drip profile faces the light (upper left).
    let px = 1.0 / size.x;
    let slope = (drip(uv.x + px, amount, size.y, frequency, seed) - drip(uv.x - px, amount, size.y, frequency, seed)) * 0.5;
    let facing = clamp(0.5 - slope * 0.5, 0.0, 1.0);
    let highlight = gloss * 0.35 * pow(facing, 6.0) * smoothstep(0.0, 0.05, amount);
    let lit = vec4<f32>(min(melted.rgb + vec3<f32>(highlight), vec3<f32>(1.0)), melted.a);

    textureStore(output, vec2<i32>(gid.xy), mix(original, lit, m));
}
