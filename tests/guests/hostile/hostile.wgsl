// Shaders of the hostile test guest.
// `copy`: output = input_0. `fill`: output = (u[0], u[1], u[2], 1).

@group(0) @binding(0) var<storage, read> u: array<f32>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(3) var input_0: texture_2d<f32>;

@compute @workgroup_size(8, 8, 1)
fn copy(@builtin(global_invocation_id) gid: vec3<u32>) {
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let in_dims = textureDimensions(input_0);
    let src = min(gid.xy, in_dims - vec2<u32>(1u, 1u));
    textureStore(output, vec2<i32>(gid.xy), textureLoad(input_0, vec2<i32>(src), 0));
}

@compute @workgroup_size(8, 8, 1)
fn fill(@builtin(global_invocation_id) gid: vec3<u32>) {
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    textureStore(output, vec2<i32>(gid.xy), vec4<f32>(u[0], u[1], u[2], 1.0));
}
