// ---- pikafx_sdk::wgsl::RINGS: sized frame and mask reads, a ring fill ----
// Needs the ShaderEffect bindings: input_0 = frame (binding 3), input_1 =
// subject mask (binding 4, red channel), i.e. `SUBJECT_MASK = true`. The
// balloon-like Pikaffects (inflate, deflate, squish) were written against
// these before SUBJECT existed; `size` is the frame's size in pixels.

// Mask at frame position `p` (pixels), nearest texel, clamped.
fn mask_px(p: vec2<f32>, size: vec2<f32>) -> f32 {
    let md = vec2<f32>(textureDimensions(input_1));
    let q = clamp(vec2<i32>(floor(p * md / size)), vec2<i32>(0), vec2<i32>(md) - vec2<i32>(1));
    return textureLoad(input_1, q, 0).r;
}

// Frame at position `p` (pixels), nearest texel, clamped, with alpha.
fn frame_px(p: vec2<f32>, size: vec2<f32>) -> vec4<f32> {
    let q = clamp(vec2<i32>(floor(p)), vec2<i32>(0), vec2<i32>(size) - vec2<i32>(1));
    return textureLoad(input_0, q, 0);
}

// Mean of the background (mask < 0.3) on the nearest of four rings of 8
// points around `p`, `step` pixels apart; `fallback` where all are subject.
fn ring_fill(p: vec2<f32>, size: vec2<f32>, step: f32, fallback: vec4<f32>) -> vec4<f32> {
    for (var k = 1; k <= 4; k++) {
        let r = f32(k) * step;
        var sum = vec4<f32>(0.0);
        var n = 0.0;
        for (var i = 0; i < 8; i++) {
            let a = (f32(i) + 0.5 * f32(k & 1)) * 0.7853982;
            let q = p + vec2<f32>(cos(a), sin(a)) * r;
            if (all(q >= vec2<f32>(0.0)) && all(q < size) && mask_px(q, size) < 0.3) {
                sum += frame_px(q, size);
                n += 1.0;
            }
        }
        if (n > 0.0) {
            return sum / n;
        }
    }
    return fallback;
}
