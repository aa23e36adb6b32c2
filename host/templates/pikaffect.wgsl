// {{id}}: the subject turns to gold over the layer's time range; the
// background stays as it is.
//
// Binding convention (interface 'gpu' in wit/pika-fx.wit), all in group 0:
//   binding 0 = uniforms, 1 = output, 3 = the first input (the frame),
//   4 = the second input (the host's subject mask: red 0 background .. 1 subject).
// Uniforms:
//   u[0] intensity 0..1  how golden the subject is at the end
//   u[1] shine     0..1  how much the gold is brightened
//   u[2] progress  0..1  through the layer (frame-context.progress)

@group(0) @binding(0) var<storage, read> u: array<f32>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(output);
    // The host dispatches whole workgroups: skip invocations outside the frame.
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let intensity = u[0];
    let shine = u[1];
    let progress = clamp(u[2], 0.0, 1.0);
    let src = textureLoad(input_0, vec2<i32>(id.xy), 0);
    let mask = textureLoad(input_1, vec2<i32>(id.xy), 0).r;
    let luma = dot(src.rgb, vec3<f32>(0.2126, 0.7152, 0.0722));
    let gold = vec3<f32>(1.0, 0.78, 0.3) * (luma * (1.0 + shine) + 0.2 * shine);
    let t = clamp(mask * progress * intensity, 0.0, 1.0);
    let rgb = mix(src.rgb, clamp(gold, vec3<f32>(0.0), vec3<f32>(1.0)), t);
    textureStore(output, vec2<i32>(id.xy), vec4<f32>(rgb, src.a));
}
