// ---- pikafx_sdk::wgsl::BOUNDS: where the subject is ----
// Needs `input_2`, the 4x1 texture of the subject-bounds pass, as bound by a
// ShaderEffect with `SUBJECT_BOUNDS = true` (binding 5, after the mask).

fn bounds_texel(i: i32) -> vec2<f32> {
    let t = textureLoad(input_2, vec2<i32>(i, 0), 0) * 255.0;
    return (round(t.xz) * 256.0 + round(t.yw)) / 65535.0;
}

// The subject's bounding box in frame pixels: (min x, min y, max x, max y).
// Where no subject is found it is the empty box at the frame's centre.
fn subject_box() -> vec4<f32> {
    let fd = vec2<f32>(textureDimensions(input_0));
    return vec4<f32>(bounds_texel(0) * fd, bounds_texel(1) * fd);
}

// The subject's centroid (weighted by the soft mask) in frame pixels.
fn subject_centre() -> vec2<f32> {
    return bounds_texel(2) * vec2<f32>(textureDimensions(input_0));
}

// The fraction of the frame the subject covers (0..1).
fn subject_area() -> f32 {
    return bounds_texel(3).x;
}

// Whether a subject was found in this frame.
fn subject_found() -> bool {
    return bounds_texel(3).y > 0.5;
}
