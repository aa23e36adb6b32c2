// Composites an overlay image over a frame: u = [left, top, width, height]
// in frame pixels and u[4] = opacity. Straight alpha; the frame stays opaque.
// Follows the plugin binding convention (see wit/0.1.0, interface gpu).

@group(0) @binding(0) var<storage, read> u: array<f32>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var frame: texture_2d<f32>;
@group(0) @binding(4) var overlay: texture_2d<f32>;

@compute @workgroup_size(16, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(output);
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let p = vec2<i32>(id.xy);
    let base = textureLoad(frame, p, 0);
    let local = (vec2<f32>(id.xy) + 0.5 - vec2<f32>(u[0], u[1])) / vec2<f32>(u[2], u[3]);
    if (any(local < vec2<f32>(0.0)) || any(local >= vec2<f32>(1.0))) {
        textureStore(output, p, base);
        return;
    }
    let over = textureSampleLevel(overlay, linear, local, 0.0);
    let alpha = clamp(over.a * u[4], 0.0, 1.0);
    textureStore(output, p, vec4<f32>(mix(base.rgb, over.rgb, alpha), base.a));
}
