@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let x: f32 = 1u;
    textureStore(output, vec2<i32>(gid.xy), vec4<f32>(x, x, x, 1.0));
}
