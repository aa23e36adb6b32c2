// pixel-art: big square pixels with a reduced palette.
//
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x pixel_size  2..64 output pixels per big pixel (cells anchored at the top-left corner)
//   u[0].y colors      2..16 levels per colour channel
//   u[0].z dither      0 off, 1 ordered 4x4 Bayer dithering (per big pixel)
//   u[0].w grid        0 off, 1 a dark 1 px line on each cell's top and left edge
//
// Per pixel: 9 bilinear taps spread over the cell (a box average). The
// colour depends only on the cell, so every pixel of a cell is identical
// (apart from the grid line).

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 1>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;

const BAYER = array<f32, 16>(0.0, 8.0, 2.0, 10.0, 12.0, 4.0, 14.0, 6.0, 3.0, 11.0, 1.0, 9.0, 15.0, 7.0, 13.0, 5.0);

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let size = vec2<f32>(dims);
    // Float arithmetic (exact for these integers) is much cheaper than
    // integer division on a software GPU.
    let span = clamp(round(u[0].x), 2.0, 64.0);
    let pos = vec2<f32>(gid.xy);
    let cell = floor(pos / span);
    let origin = cell * span;
    let local = pos - origin;

    // Box average of the cell: a 3x3 grid of bilinear taps at 1/6, 1/2, 5/6,
    // kept inside the frame for the partial cells at the right and bottom.
    var sum = vec3<f32>(0.0);
    for (var j = 0; j < 3; j++) {
        for (var i = 0; i < 3; i++) {
            let at = origin + (vec2<f32>(f32(i), f32(j)) * 2.0 + 1.0) / 6.0 * span;
            let p = min(at, size - 0.5);
            sum += textureSampleLevel(input_0, linear, p / size, 0.0).rgb;
        }
    }
    let colour = sum / 9.0;

    // Per-channel quantisation, optionally with an ordered dither indexed by
    // the cell (not the output pixel), so the big pixels stay solid.
    let steps = clamp(round(u[0].y), 2.0, 16.0) - 1.0;
    var offset = 0.0;
    if (u[0].z > 0.5) {
        let c = vec2<u32>(cell);
        let b = (c.y & 3u) * 4u + (c.x & 3u);
        offset = (BAYER[b] + 0.5) / 16.0 - 0.5;
    }
    var quant = clamp(floor(colour * steps + 0.5 + offset), vec3<f32>(0.0), vec3<f32>(steps)) / steps;

    if (u[0].w > 0.5 && (local.x < 0.5 || local.y < 0.5)) {
        quant *= 0.3;
    }
    textureStore(output, vec2<i32>(gid.xy), vec4<f32>(quant, 1.0));
}
