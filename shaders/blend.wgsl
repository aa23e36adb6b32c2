// Mixes a layer's output with its input: out = mix(before, after, u[0]).
// Follows the plugin binding convention (see wit/0.1.0, interface gpu).

@group(0) @binding(0) var<storage, read> u: array<f32>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(3) var before: texture_2d<f32>;
@group(0) @binding(4) var after: texture_2d<f32>;

@compute @workgroup_size(16, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(output);
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let p = vec2<i32>(id.xy);
    let a = textureLoad(before, p, 0);
    let b = textureLoad(after, p, 0);
    textureStore(output, p, mix(a, b, clamp(u[0], 0.0, 1.0)));
}
