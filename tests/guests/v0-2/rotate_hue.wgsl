// rotate-hue: rotates every pixel's colour about the grey axis (R = G = B)
// by an angle, which turns the hue wheel and keeps greys grey.
//
// Uniforms (binding 0):
//   u[0] angle in degrees (0..360)

@group(0) @binding(0) var<storage, read> u: array<f32>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(3) var input_0: texture_2d<f32>;

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let in_dims = textureDimensions(input_0);
    let src = min(gid.xy, in_dims - vec2<u32>(1u, 1u));
    let c = textureLoad(input_0, vec2<i32>(src), 0);

    // Rodrigues' rotation about the unit axis k = (1, 1, 1) / sqrt(3):
    // v' = v cos(a) + (k x v) sin(a) + k (k . v) (1 - cos(a)).
    let a = radians(u[0]);
    let k = vec3<f32>(0.57735027, 0.57735027, 0.57735027);
    let v = c.rgb;
    let rotated = v * cos(a) + cross(k, v) * sin(a) + k * dot(k, v) * (1.0 - cos(a));
    textureStore(output, vec2<i32>(gid.xy), vec4<f32>(clamp(rotated, vec3<f32>(0.0), vec3<f32>(1.0)), c.a));
}
