// ---- pikafx_sdk::wgsl::MASK_SUPPORT: where the mask is non-zero ----
// Needs SUBJECT's `mask_at` (input_0 = frame, input_1 = subject mask).
// For the `effect_region` of effects that move whatever the soft mask
// holds, pixel by pixel: the subject-bounds box (the grid cells above 0.5)
// misses the soft edges and stray blobs, so it cannot bound them.
//
// The box (min x, min y, max x, max y, frame pixels) outside which the
// mask is 0, or all zeros where it is 0 everywhere. The host's mask is a
// work grid of `block`-pixel texels (256 on the frame's long side),
// interpolated between texel centres: a pixel's value is non-zero only
// within a block of a non-zero texel centre, where the mask equals that
// texel's value. So one tap per texel centre finds them all (~37k taps at
// 720p, ~0.8 ms in the 2-invocation region pass on lavapipe). This relies
// on how the host builds the mask (host/src/gpu/mask.rs): change both
// together.
fn mask_support() -> vec4<f32> {
    let fd = vec2<f32>(textureDimensions(input_0));
    let block = max(ceil(max(fd.x, fd.y) / 256.0), 1.0);
    let n = vec2<i32>(ceil(fd / block));
    var lo = vec2<f32>(1e9);
    var hi = vec2<f32>(-1e9);
    for (var y = 0; y < n.y; y++) {
        for (var x = 0; x < n.x; x++) {
            let c = (vec2<f32>(f32(x), f32(y)) + 0.5) * block;
            if (mask_at(c) > 0.0) {
                lo = min(lo, c);
                hi = max(hi, c);
            }
        }
    }
    if (hi.x < lo.x) {
        return vec4<f32>(0.0);
    }
    return vec4<f32>(lo - block - 2.0, hi + block + 2.0);
}
