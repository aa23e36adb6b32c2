// noir: Rec.709 luma, contrast, vignette and per-frame film grain.
// Output is exactly grey (R = G = B).
//
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x contrast   0.5..2 (1 = unchanged, around mid-grey)
//   u[0].y vignette   0..1   (darkening at the corners)
//   u[0].z grain      0..1   (amplitude of the grain)
//   u[0].w frame      frame index (mod 2^24), seeds the grain
//   u[1].x brightness -0.5..0.5 added before contrast

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
    let vignette = u[0].y;
    let grain = u[0].z;
    let frame = u32(u[0].w);
    let brightness = u[1].x;

    var l = dot(c.rgb, vec3<f32>(0.2126, 0.7152, 0.0722)) + brightness;
    l = (l - 0.5) * contrast + 0.5;

    // Vignette: 0 at the centre, 1 at the corners (aspect-independent).
    let uv = (vec2<f32>(gid.xy) + vec2<f32>(0.5, 0.5)) / vec2<f32>(dims);
    let d = length(uv - vec2<f32>(0.5, 0.5)) * 1.41421356;
    l *= 1.0 - vignette * smoothstep(0.35, 1.05, d);

    // Grain: uniform noise, a pure function of pixel and frame index.
    let h = hash_u32(gid.x ^ hash_u32(gid.y ^ hash_u32(frame + 0x9e3779b9u)));
    let n = f32(h >> 8u) / 16777216.0 - 0.5;
    l += n * grain * 0.5;

    l = clamp(l, 0.0, 1.0);
    textureStore(output, vec2<i32>(gid.xy), vec4<f32>(l, l, l, c.a));
}
