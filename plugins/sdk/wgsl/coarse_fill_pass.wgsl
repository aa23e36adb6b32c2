// The coarse background-fill pass (pikafx_sdk::wgsl::COARSE_FILL_PASS; crush
// and decapitate use it):
// one texel per cell of about 16x16 frame pixels at 720p, each the SDK's
// background_fill (the background around it, from the subject mask) at its
// cell's centre. The effect's main pass samples it bilinearly where the
// subject was.
//
// Why a pass of its own: the fill is smooth, so one evaluation per cell is
// enough (36 taps per cell instead of per pixel), and on lavapipe a
// per-pixel shader pays for background_fill's code even on the pixels that
// never call it (~5 ms a 720p frame).
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4).
// Output: the coarse fill, any size; texel (i, j) covers the frame pixels
// around ((i, j) + 0.5) * frame size / fill size.
// Uniforms (binding 0): none used.

@group(0) @binding(0) var<storage, read> u: array<f32>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;

// Compile it with pikafx_sdk::wgsl::SUBJECT appended (background_fill).

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let cell = vec2<f32>(textureDimensions(input_0)) / vec2<f32>(dims);
    let centre = (vec2<f32>(gid.xy) + vec2<f32>(0.5, 0.5)) * cell;
    textureStore(output, vec2<i32>(gid.xy), vec4<f32>(background_fill(centre), 1.0));
}
