// thermal: blurred luma through a heat palette.
//
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x palette   0 iron, 1 rainbow, 2 white-hot
//   u[0].y contrast  0.5..3 around mid-grey
//   u[0].z offset    -0.5..0.5 added after contrast
//   u[0].w blur      0..4 pixels (radius of a 3x3 tap pattern)

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 1>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;

fn luma(c: vec3<f32>) -> f32 {
    return dot(c, vec3<f32>(0.2126, 0.7152, 0.0722));
}

// Piecewise-linear palette through `n` stops.
fn iron(t: f32) -> vec3<f32> {
    let stops = array<vec3<f32>, 6>(
        vec3<f32>(0.0, 0.0, 0.0), vec3<f32>(0.12, 0.0, 0.45), vec3<f32>(0.62, 0.0, 0.55),
        vec3<f32>(0.95, 0.35, 0.05), vec3<f32>(1.0, 0.85, 0.1), vec3<f32>(1.0, 1.0, 1.0));
    let x = clamp(t, 0.0, 1.0) * 5.0;
    let i = min(u32(floor(x)), 4u);
    return mix(stops[i], stops[i + 1u], x - f32(i));
}

fn rainbow(t: f32) -> vec3<f32> {
    let stops = array<vec3<f32>, 6>(
        vec3<f32>(0.0, 0.0, 0.5), vec3<f32>(0.0, 0.3, 1.0), vec3<f32>(0.0, 0.9, 0.6),
        vec3<f32>(0.9, 0.95, 0.0), vec3<f32>(1.0, 0.35, 0.0), vec3<f32>(0.85, 0.0, 0.0));
    let x = clamp(t, 0.0, 1.0) * 5.0;
    let i = min(u32(floor(x)), 4u);
    return mix(stops[i], stops[i + 1u], x - f32(i));
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let size = vec2<f32>(dims);
    let uv = (vec2<f32>(gid.xy) + 0.5) / size;
    let r = u[0].w / size;
    // Nine bilinear taps: a cheap blur of the sensor.
    var sum = 0.0;
    for (var dy = -1; dy <= 1; dy++) {
        for (var dx = -1; dx <= 1; dx++) {
            sum += luma(textureSampleLevel(input_0, linear, uv + vec2<f32>(f32(dx), f32(dy)) * r, 0.0).rgb);
        }
    }
    let t = clamp((sum / 9.0 - 0.5) * u[0].y + 0.5 + u[0].z, 0.0, 1.0);
    var colour: vec3<f32>;
    let palette = u32(u[0].x + 0.5);
    if (palette == 1u) {
        colour = rainbow(t);
    } else if (palette == 2u) {
        colour = vec3<f32>(t);
    } else {
        colour = iron(t);
    }
    textureStore(output, vec2<i32>(gid.xy), vec4<f32>(colour, 1.0));
}
