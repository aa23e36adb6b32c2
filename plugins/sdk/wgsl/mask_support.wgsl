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

// Like `mask_support`, for effects that change a pixel only where its mask
// exceeds a small value: the box (frame pixels) around every work-grid
// texel whose centre pixel holds more than `threshold`, or all zeros where
// none does. A pixel is at most the largest of the 2x2 texels around it,
// and at a texel's centre pixel the mask is that texel's value (for an
// even block, within about half of it); texel q is around the pixels x
// with (x + 0.5) / block - 0.5 in [q - 1, q + 1). (It walks texel indices
// where `mask_support` walks float centres; both are kept as they are
// because the effects using them were checked frame for frame against
// their earlier selves, and the two differ for even block sizes.)
fn mask_support_above(threshold: f32) -> vec4<f32> {
    let md = vec2<i32>(textureDimensions(input_1));
    let block = max((max(md.x, md.y) + 255) / 256, 1);
    let grid = (md + block - 1) / block;
    let centre = (block - 1) / 2;
    var lo = grid;
    var hi = vec2<i32>(-1);
    for (var y = 0; y < grid.y; y++) {
        for (var x = 0; x < grid.x; x++) {
            let q = vec2<i32>(x, y);
            let m = textureLoad(input_1, min(q * block + centre, md - 1), 0).r;
            if (m > threshold) {
                lo = min(lo, q);
                hi = max(hi, q);
            }
        }
    }
    if (hi.x < 0) {
        return vec4<f32>(0.0);
    }
    let b = f32(block);
    let scale = vec2<f32>(textureDimensions(input_0)) / vec2<f32>(md);
    return vec4<f32>((vec2<f32>(lo) - 0.5) * b - 2.0, (vec2<f32>(hi) + 1.5) * b + 2.0) * vec4<f32>(scale, scale);
}
