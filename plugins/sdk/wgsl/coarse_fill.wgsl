// ---- pikafx_sdk::wgsl::COARSE_FILL: read the coarse background fill ----
// Needs the ShaderEffect bindings with `COARSE_FILL = true`: input_0 = frame
// (binding 3), the linear sampler (binding 2) and the fill declared as
// `var coarse_fill: texture_2d<f32>` at the binding after the mask and the
// subject bounds.

// A plausible background at frame pixel position `p`: the coarse fill
// (one background_fill per ~16x16 pixel cell), sampled bilinearly.
fn coarse_fill_at(p: vec2<f32>) -> vec3<f32> {
    let uv = p / vec2<f32>(textureDimensions(input_0));
    return textureSampleLevel(coarse_fill, linear, uv, 0.0).rgb;
}
