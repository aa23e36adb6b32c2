// ---- pikafx_sdk::wgsl::VACATED_FILL_PASS: where the subject was, the fill ----
// An entry point, `vacated_main`, for effects that move the subject away
// and draw it elsewhere in a later pass (explode, shatter): the frame, with
// each pixel mixed towards the coarse background fill (COARSE_FILL_PASS,
// sampled bilinearly) by its subject mask times the effect's
// `fn vacated_amount() -> f32` (0..1: how far the subject has left, from
// the effect's own uniforms). Needs `output`, `linear`, input_0 = frame,
// input_1 = subject mask and input_3 = coarse fill as those effects bind
// them, and REGION (dispatch it with dispatch-region over the effect's
// `effect_region`; outside it the frame is copied).

@compute @workgroup_size(16, 16, 1)
fn vacated_main(@builtin(global_invocation_id) id: vec3<u32>) {
    let gid = region_pixel(id);
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let pi = vec2<i32>(gid);
    let original = textureLoad(input_0, pi, 0);
    let size = vec2<f32>(dims);
    let vacated = textureLoad(input_1, pi, 0).r * vacated_amount();
    var colour = original.rgb;
    if (vacated > 0.002) {
        colour = mix(original.rgb, textureSampleLevel(input_3, linear, (vec2<f32>(pi) + 0.5) / size, 0.0).rgb, vacated);
    }
    textureStore(output, pi, vec4<f32>(colour, original.a));
}
