// vhs: videotape playback in one pass.
//
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x chroma_shift  pixels the chroma sits right of the luma
//   u[0].y tracking      0..1 row wobble and torn band strength
//   u[0].z scanlines     0..1 darkening of the odd rows
//   u[0].w noise         0..1 streak noise and dropouts
//   u[1].x head_switch   1 = noisy torn band at the bottom, 0 = none
//   u[1].y frame         frame index (mod 2^24): seeds the per-frame noise
//   u[1].z phase         0..2pi per-frame phase of the slow sway
//   u[1].w band_y        0..1 centre of the torn tracking band (may be off-frame)
//   u[2].x band          0..1 its strength this frame (0 = none)
//
// Samples per pixel: 8 luma + 8 chroma texel loads (textureLoad, with
// continuous bell-shaped weights so sub-pixel offsets stay smooth).

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 3>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(3) var input_0: texture_2d<f32>;

const LUMA = vec3<f32>(0.299, 0.587, 0.114);

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

// A cheap Gaussian-like bell of d (in sigmas): (1 - d^2 / 6)^3, 0 past ~2.4.
fn bell(d: f32) -> f32 {
    let t = max(0.0, 1.0 - d * d / 6.0);
    return t * t * t;
}

fn texel(x: i32, y: i32, maxc: vec2<i32>) -> vec3<f32> {
    return textureLoad(input_0, clamp(vec2<i32>(x, y), vec2<i32>(0), maxc), 0).rgb;
}

// Smooth 1-D value noise in -1..1.
fn noise1(x: f32, seed: u32) -> f32 {
    let i = floor(x);
    let f = x - i;
    let a = unit(hash_u32(u32(i32(i)) ^ seed));
    let b = unit(hash_u32(u32(i32(i) + 1) ^ seed));
    return mix(a, b, f * f * (3.0 - 2.0 * f)) * 2.0 - 1.0;
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let size = vec2<f32>(dims);
    let maxc = vec2<i32>(textureDimensions(input_0)) - 1;
    let row = i32(gid.y);
    let yn = (f32(gid.y) + 0.5) / size.y;
    // One "tape line" in output pixels: the tape has ~480 of them.
    let line = size.y / 480.0;

    let chroma_shift = u[0].x;
    let tracking = u[0].y;
    let scanlines = u[0].z;
    let noise = u[0].w;
    let head_switch = u[1].x;
    let frame = u32(u[1].y);
    let phase = u[1].z;
    let seed = hash_u32(frame ^ 0x9e3779b9u);

    // Tracking: a slow sway down the frame, jitter from line to line, and
    // a torn band where the rows are thrown sideways.
    let row_hash = hash_u32(u32(row) ^ seed);
    var offset = tracking * line * (1.6 * sin(yn * 9.0 + phase) + 1.2 * noise1(yn * 60.0, seed)
        + 0.7 * (unit(row_hash) * 2.0 - 1.0));
    let band_d = (yn - u[1].w) / 0.05;
    let in_band = exp(-band_d * band_d) * u[2].x * tracking;
    offset += in_band * line * (14.0 + 10.0 * noise1(yn * 120.0, seed ^ 7u));
    // Head switching: the last rows bend further and further to the right.
    let hs_h = 0.035;
    let hs = head_switch * clamp((yn - (1.0 - hs_h)) / hs_h, 0.0, 1.0);
    offset += hs * hs * line * (18.0 + 8.0 * unit(row_hash >> 3u));

    let x = f32(gid.x) + 0.5 - offset;

    // Luma: 8 texels around x, bell-shaped weights (sigma ~ 1.1 tape
    // pixels, about 330 lines across), evaluated at the exact sub-pixel
    // distance so a fractional row offset moves the picture smoothly.
    let sl = max(1.0, 1.1 * line);
    let lx = i32(floor(x - 0.5)) - 3;
    let lfrac = x - 0.5 - floor(x - 0.5);
    var ysum = 0.0;
    var ywt = 0.0;
    var ywide = 0.0;
    for (var i = 0; i < 8; i++) {
        let d = (f32(i - 3) - lfrac) / sl;
        let w = bell(d);
        let t = dot(texel(lx + i, row, maxc), LUMA);
        ysum += w * t;
        ywt += w;
        ywide += t;
    }
    let y_soft = ysum / ywt;
    // Edge enhancement: push the detail above the 8-texel mean, which rings.
    var yv = y_soft + 0.6 * (y_soft - ywide / 8.0);

    // Chroma: 8 texels spread wide (sigma ~ 4.5 tape pixels) around the
    // shifted position, alternating with the line above (the comb filter's
    // vertical smear).
    let cx = x - chroma_shift;
    let step = max(1.0, round(1.6 * line));
    let sc = 4.5 * line;
    var csum = vec3<f32>(0.0);
    var cwt = 0.0;
    for (var i = 0; i < 8; i++) {
        let tx = floor(cx) + (f32(i) - 3.5) * step;
        let d = (tx + 0.5 - cx) / sc;
        let w = bell(d);
        let t = texel(i32(tx), row - (i & 1), maxc);
        let ty = dot(t, LUMA);
        csum += w * (t - vec3<f32>(ty));
        cwt += w;
    }
    let chroma = csum / cwt;

    // Tape noise: streaks a few pixels long, new each frame.
    let nx = u32(floor(f32(gid.x) / max(1.0, 3.0 * line)));
    let streak = unit(hash_u32(nx ^ row_hash)) * 2.0 - 1.0;
    let grain = unit(hash_u32(gid.x ^ (row_hash << 1u))) * 2.0 - 1.0;
    let hs_noise = hs * 0.6 + in_band * 0.25;
    yv += (noise * 0.07 + hs_noise * 0.4) * (0.7 * streak + 0.3 * grain);
    // Dropouts: on a few rows, a short bright streak.
    if (unit(row_hash ^ 0x5bd1e995u) < noise * 0.012 + hs_noise * 0.05) {
        let start = unit(hash_u32(row_hash)) * size.x;
        let len = (20.0 + 120.0 * unit(hash_u32(row_hash ^ 1u))) * line;
        let along = (f32(gid.x) - start) / len;
        if (along > 0.0 && along < 1.0) {
            yv = mix(yv, 0.95, (1.0 - along) * 0.9);
        }
    }

    // Washed colours: lifted blacks, dim whites, weaker and slightly
    // warm-shifted chroma.
    yv = 0.07 + clamp(yv, -0.1, 1.1) * 0.84;
    var c = vec3<f32>(yv) + chroma * 0.7 * (1.0 - hs * 0.7) + vec3<f32>(0.01, -0.005, 0.012);

    // Scanlines: every other row darker.
    if ((gid.y & 1u) == 1u) {
        c *= 1.0 - 0.5 * scanlines;
    }

    textureStore(output, vec2<i32>(gid.xy), vec4<f32>(clamp(c, vec3<f32>(0.0), vec3<f32>(1.0)), 1.0));
}
