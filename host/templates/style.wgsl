// {{id}}: a warm/cool tint and a contrast curve over the whole frame.
//
// Binding convention (interface 'gpu' in wit/pika-fx.wit), all in group 0:
//   binding 0 = uniforms, 1 = output, 3 = the first input texture (the frame).
// Uniforms:
//   u[0] warmth    -1..1  (> 0 pushes red up and blue down, < 0 the reverse)
//   u[1] contrast 0.5..2  (1 leaves the tones alone)

@group(0) @binding(0) var<storage, read> u: array<f32>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(3) var input_0: texture_2d<f32>;

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(output);
    // The host dispatches whole workgroups: skip invocations outside the frame.
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let warmth = u[0];
    let contrast = u[1];
    let src = textureLoad(input_0, vec2<i32>(id.xy), 0);
    var rgb = (src.rgb - vec3<f32>(0.5)) * contrast + vec3<f32>(0.5);
    rgb = rgb + vec3<f32>(0.25, 0.05, -0.25) * warmth;
    textureStore(output, vec2<i32>(id.xy), vec4<f32>(clamp(rgb, vec3<f32>(0.0), vec3<f32>(1.0)), src.a));
}
