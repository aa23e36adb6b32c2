// melt: the subject drips downward as progress goes 0 -> 1; the background
// stays intact.
//
// For each output pixel (x, y) the source is sampled at (x, y - drip(x)),
//   drip(x) = progress * intensity * H * (0.15 + 0.35 * noise(x * frequency, seed))
// and that sample is shown where the mask at the sampled point is high
// (subject); elsewhere the original pixel is kept. The blend is the soft mask.
//
// Where the mask is 0 (every texel the bilinear tap reads) a pixel keeps the
// frame exactly, and the drip moves the mask down by 0.15..0.5 of that
// amount * H, so a pixel can only change in the columns where the mask is
// non-zero, from its top row + the shortest drip to its bottom row + the
// longest. `columns_main` finds, for each column, the first and last
// non-zero mask row (every texel: the mask's faint values drip too, so the
// subject-bounds box, made of values above 0.5, would not cover them), and
// `effect_region` grows their span by the drip; the SDK dispatches `main`
// only over that rectangle (pikafx_sdk::wgsl::REGION, `dispatch-region`).
// Cost: the column pass, one mask tap per pixel; in the rectangle, 3 taps
// and 3 noise evaluations per pixel.
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4, red),
// input_2 = the mask's non-zero row span per column (binding 5, written by
// `columns_main`; read by `effect_region` only).
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
@group(0) @binding(5) var input_2: texture_2d<f32>;

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

// A mask row number as two 8-bit channels (exact for rows below 65536).
fn pack_row(r: u32) -> vec2<f32> {
    return vec2<f32>(f32(r >> 8u), f32(r & 255u)) / 255.0;
}

fn unpack_row(v: vec2<f32>) -> f32 {
    let b = round(v * 255.0);
    return b.x * 256.0 + b.y;
}

// One invocation per texel of a (frame width) x 1 output: the first and the
// last mask row with a non-zero value in the mask columns of that texel, as
// (first, last) packed by `pack_row`; first > last where there is none.
@compute @workgroup_size(8, 1, 1)
fn columns_main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let n = textureDimensions(output).x;
    if (gid.x >= n || gid.y >= 1u) {
        return;
    }
    let md = textureDimensions(input_1);
    let c0 = min(gid.x * md.x / n, md.x - 1u);
    let c1 = max(min(((gid.x + 1u) * md.x + n - 1u) / n, md.x), c0 + 1u);
    var first = 65535u;
    var last = 0u;
    for (var c = c0; c < c1; c++) {
        for (var r = 0u; r < md.y; r++) {
            let on = textureLoad(input_1, vec2<u32>(c, r), 0).r > 0.0;
            first = select(first, min(first, r), on);
            last = select(last, max(last, r), on);
        }
    }
    textureStore(output, vec2<i32>(i32(gid.x), 0), vec4<f32>(pack_row(first), pack_row(last)));
}

// See pikafx_sdk::wgsl::REGION: the span of the non-zero mask (from
// `columns_main`, a tap's reach wider), moved down by the shortest drip at
// the top and by the longest at the bottom; nothing where the mask is 0
// everywhere or nothing drips.
fn effect_region() -> vec4<f32> {
    let fd = vec2<f32>(textureDimensions(input_0));
    let md = vec2<f32>(textureDimensions(input_1));
    let amount = clamp(u[0].x, 0.0, 1.0) * u[0].y;
    if (amount <= 0.0) {
        return vec4<f32>(0.0);
    }
    let n = textureDimensions(input_2).x;
    var lo = vec2<f32>(1e9);
    var hi = vec2<f32>(-1e9);
    for (var i = 0u; i < n; i++) {
        let t = textureLoad(input_2, vec2<u32>(i, 0u), 0);
        let first = unpack_row(t.xy);
        let last = unpack_row(t.zw);
        if (first <= last) {
            lo = min(lo, vec2<f32>(f32(i), first));
            hi = max(hi, vec2<f32>(f32(i + 1u), last + 1.0));
        }
    }
    if (hi.x < lo.x) {
        return vec4<f32>(0.0);
    }
    // Texels to frame pixels, two mask texels and 2 pixels of margin for the
    // bilinear taps and rounding.
    let col = fd.x / f32(n);
    let texel = fd / md;
    let reach = 2.0 * texel + 2.0;
    let x0 = lo.x * col - reach.x;
    let x1 = hi.x * col + reach.x;
    let y0 = lo.y * texel.y - reach.y + 0.15 * amount * fd.y;
    let y1 = hi.y * texel.y + reach.y + 0.5 * amount * fd.y;
    return vec4<f32>(x0, y0, x1, y1);
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
    let intensity = u[0].y;
    let frequency = u[0].z;
    let seed = u32(u[0].w);
    let gloss = u[1].x;

    let p = vec2<f32>(gid) + vec2<f32>(0.5, 0.5);
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

    textureStore(output, vec2<i32>(gid), mix(original, lit, m));
}
