// ---- pikafx_sdk::wgsl::SUBJECT: the frame, the subject mask and a fill ----
// Needs the ShaderEffect bindings: input_0 = frame (binding 3), input_1 =
// subject mask (binding 4, red channel), i.e. `SUBJECT_MASK = true`.

// The frame at pixel position `p` (frame pixels, nearest texel, clamped).
fn frame_at(p: vec2<f32>) -> vec3<f32> {
    let d = vec2<i32>(textureDimensions(input_0));
    let q = clamp(vec2<i32>(floor(p)), vec2<i32>(0, 0), d - vec2<i32>(1, 1));
    return textureLoad(input_0, q, 0).rgb;
}

// The subject mask (0..1) at frame pixel position `p` (nearest texel,
// clamped; the mask may be smaller than the frame).
fn mask_at(p: vec2<f32>) -> f32 {
    let fd = vec2<f32>(textureDimensions(input_0));
    let md = vec2<i32>(textureDimensions(input_1));
    let q = clamp(vec2<i32>(floor(p * vec2<f32>(md) / fd)), vec2<i32>(0, 0), md - vec2<i32>(1, 1));
    return textureLoad(input_1, q, 0).r;
}

// A plausible background where the subject was: in 6 directions (60 degrees
// apart, horizontal ones included) at 3 radii, the frame's background
// samples (mask < 0.3), weighted by 1 / radius and by how clearly they are
// background. At most 18 mask taps and 18 frame taps.
fn background_fill(p: vec2<f32>) -> vec3<f32> {
    let fd = vec2<f32>(textureDimensions(input_0));
    let base = min(fd.x, fd.y);
    let radii = array<f32, 3>(0.05, 0.12, 0.28);
    var acc = vec3<f32>(0.0);
    var wsum = 0.0;
    var far = vec3<f32>(0.0);
    for (var i = 0u; i < 6u; i++) {
        let a = f32(i) * 1.0471976;
        let dir = vec2<f32>(cos(a), sin(a));
        for (var k = 0u; k < 3u; k++) {
            let r = radii[k] * base;
            let q = clamp(p + dir * r, vec2<f32>(0.5), fd - vec2<f32>(0.5));
            let w = clamp(1.0 - mask_at(q) / 0.3, 0.0, 1.0) / r;
            if (w > 0.0) {
                acc += frame_at(q) * w;
                wsum += w;
            } else if (k == 2u) {
                far += frame_at(q);
            }
        }
    }
    if (wsum > 0.0) {
        return acc / wsum;
    }
    return far / 6.0;
}
