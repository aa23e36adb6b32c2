// film: one-pass equivalent of the ffmpeg chain
//   eq=contrast=1.2:saturation=1.3,colorbalance=rs=0.1,vignette,noise=alls=10:allf=t
//
// Uniforms (binding 0, a uniform block: on a software GPU such as lavapipe
// one load serves a whole SIMD batch of pixels, where a storage array costs
// one load per pixel):
//   u[0].x contrast    0.5..2  luma contrast around 0.5 (eq contrast)
//   u[0].y saturation  0..3    chroma gain (eq saturation)
//   u[0].z warmth      -0.5..0.5  red shift in the shadows (colorbalance rs)
//   u[0].w vignette    0..1    0.5 = ffmpeg vignette's default angle (PI/5)
//   u[1].x grain       0..1    0.1 = noise alls=10 (uniform +-10/255 per channel)
//   u[1].y frame       frame index (mod 2^24), makes the grain temporal

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 2>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(3) var input_0: texture_2d<f32>;

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

// Three independent uniform values in -1..1 from one hash, 10 bits each
// (finer than the 8-bit output needs): one hash per pixel instead of one
// per channel, which is most of this pass's arithmetic on a software GPU.
fn noise3(h: u32) -> vec3<f32> {
    let bits = vec3<u32>(h, h >> 10u, h >> 20u) & vec3<u32>(1023u);
    return (vec3<f32>(bits) + 0.5) / 512.0 - 1.0;
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let in_dims = textureDimensions(input_0);
    let src = min(gid.xy, in_dims - vec2<u32>(1u, 1u));
    let c = textureLoad(input_0, vec2<i32>(src), 0);

    let contrast = u[0].x;
    let saturation = u[0].y;
    let warmth = u[0].z;
    let vignette = u[0].w;
    let grain = u[1].x;
    let frame = u32(u[1].y);

    // eq: contrast on luma, saturation on chroma (BT.709 Y'CbCr).
    let y = dot(c.rgb, vec3<f32>(0.2126, 0.7152, 0.0722));
    let cb = (c.b - y) / 1.8556;
    let cr = (c.r - y) / 1.5748;
    let y2 = (y - 0.5) * contrast + 0.5;
    let cb2 = cb * saturation;
    let cr2 = cr * saturation;
    var rgb = vec3<f32>(
        y2 + 1.5748 * cr2,
        y2 - 0.187324 * cb2 - 0.468124 * cr2,
        y2 + 1.8556 * cb2,
    );
    rgb = clamp(rgb, vec3<f32>(0.0), vec3<f32>(1.0));

    // colorbalance rs: shift red in the shadows, weighted by lightness
    // exactly like ffmpeg's get_component (a = 4, b = 0.333, scale = 0.7).
    let lightness = (max(rgb.r, max(rgb.g, rgb.b)) + min(rgb.r, min(rgb.g, rgb.b))) * 0.5;
    let shadow = clamp((0.333 - lightness) * 4.0 + 0.5, 0.0, 1.0) * 0.7;
    rgb.r = clamp(rgb.r + warmth * shadow, 0.0, 1.0);

    // vignette: ffmpeg's forward mode, factor = cos(angle * d / dmax)^2.
    let half = vec2<f32>(dims) * 0.5;
    let d = length(vec2<f32>(gid.xy) + vec2<f32>(0.5, 0.5) - half) / length(half);
    let k = cos(vignette * 1.25663706 * d);
    rgb *= k * k;

    // noise: uniform, independent per channel, new pattern each frame.
    // The key is unique per pixel for frames up to 2^16 wide; the frame's
    // seed changes the whole pattern from one frame to the next.
    let key = (gid.y << 16u) | (gid.x & 0xffffu);
    let n = noise3(hash_u32(key ^ hash_u32(frame + 0x68bc21ebu)));
    rgb += n * (grain * 100.0 / 255.0);

    textureStore(output, vec2<i32>(gid.xy), vec4<f32>(clamp(rgb, vec3<f32>(0.0), vec3<f32>(1.0)), c.a));
}
