@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;

@compute @workgroup_size(1024, 1024, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    textureStore(output, vec2<i32>(gid.xy), vec4<f32>(1.0, 0.0, 1.0, 1.0));
}
