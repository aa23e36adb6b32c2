// shrink: the subject shrinks toward its own centroid as progress goes
// 0 -> 1 (down to `scale` of its size), keeping its shape; the place it
// leaves is filled with the background around it.
//
// For each output pixel p, with c = the subject's centroid and
// s = mix(1, scale, eased progress):
//   q        = c + (p - c) / s     (the source point that lands on p)
//   inside   = mask(q)              (the shrunken subject covers p)
//   result   = mix(mix(frame(p), fill(p), mask(p)), frame(q), inside)
// At progress 0, s = 1, q = p and the frame is unchanged; so it is with no
// subject found.
// Cost: the SDK dispatches only over the box of the mask's non-zero pixels
// and the shrink's centre (`effect_region`, REGION = true), one mask tap
// per work-grid pixel of the host's mask (~37k at 720p) to find it; there,
// 2 mask taps and 2-3 frame taps per pixel.
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4),
// input_2 = subject bounds (binding 5), coarse fill (binding 6).
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x progress  0..1
//   u[0].y scale     0.05..1 (the subject's size at the end, as a fraction)
//   u[0].z anchor    0 = centroid, 1 = bottom of the subject (it stays standing)
//   u[0].w easing    0 = linear, 1 = ease-in-out

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 1>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;
@group(0) @binding(5) var input_2: texture_2d<f32>;
@group(0) @binding(6) var coarse_fill: texture_2d<f32>;

// From the SDK's WGSL prelude (pikafx_sdk::wgsl::SUBJECT, pikafx_sdk::wgsl::BOUNDS),
// appended after this file: frame_at, mask_at, coarse_fill_at, subject_box,
// subject_centre, subject_found.

// The scale now (1 at the start, `scale` at the end).
fn shrink_scale() -> f32 {
    let progress = clamp(u[0].x, 0.0, 1.0);
    let scale = clamp(u[0].y, 0.05, 1.0);
    let easing = clamp(u[0].w, 0.0, 1.0);
    let t = mix(progress, progress * progress * (3.0 - 2.0 * progress), easing);
    return mix(1.0, scale, t);
}

// The point the subject shrinks toward: its centroid, or as far down as
// its box's bottom.
fn shrink_centre() -> vec2<f32> {
    let anchor = clamp(u[0].z, 0.0, 1.0);
    let b = subject_box();
    let centroid = subject_centre();
    return vec2<f32>(centroid.x, mix(centroid.y, b.w, anchor));
}

// Where the frame can change (see pikafx_sdk::wgsl::REGION): where the
// mask is (the fill) and where it lands shrunk toward the centre, i.e.
// the box around the mask's non-zero pixels and the centre. (Taps beyond
// the frame read its edge: they land there only when the mask reaches
// that edge, and so does the box.) Nothing at scale 1, without a subject
// or without a mask.
fn effect_region() -> vec4<f32> {
    if (shrink_scale() >= 0.999 || !subject_found()) {
        return vec4<f32>(0.0);
    }
    let m = mask_support();
    if (m.z <= m.x) {
        return vec4<f32>(0.0);
    }
    let c = shrink_centre();
    return vec4<f32>(min(m.xy, c) - 2.0, max(m.zw, c) + 2.0);
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let gid = region_pixel(id);
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let p = vec2<f32>(gid) + vec2<f32>(0.5, 0.5);
    let original = textureLoad(input_0, vec2<i32>(gid), 0);
    let s = shrink_scale();
    if (s >= 0.999 || !subject_found()) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    let c = shrink_centre();
    let q = c + (p - c) / s;
    let inside = mask_at(q);
    let here = mask_at(p);

    var base = original.rgb;
    if (here > 0.004) {
        base = mix(original.rgb, coarse_fill_at(p), here);
    }
    let rgb = mix(base, frame_at(q), inside);
    textureStore(output, vec2<i32>(gid), vec4<f32>(rgb, original.a));
}
