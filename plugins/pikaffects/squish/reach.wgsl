// ---- squish: what its two passes share (appended to squish.wgsl and
// runs.wgsl; needs BOUNDS and the uniforms at binding 0) ----

// How far the squish has gone: eased progress times intensity (0 = not
// started, nothing changes).
fn squish_amount() -> f32 {
    let progress = clamp(u[0].x, 0.0, 1.0);
    let t = mix(progress, progress * progress * (3.0 - 2.0 * progress), clamp(u[0].w, 0.0, 1.0));
    return t * clamp(u[0].y, 0.0, 1.0);
}

// Where squish can change the frame: the columns of the subject's box and
// the bulge's radius either side, from just above the box (the corner
// allowance `k` of the reveal in squish.wgsl) down to just below it (the
// box comes from a 64x64 grid: the mask may pass it by a grid step). Above
// that the source point lies above the subject and nothing is revealed.
fn reach_box(size: vec2<f32>) -> vec4<f32> {
    let b = subject_box();
    let slack = size / 64.0 + 2.0;
    let reach = 0.1 * min(size.x, size.y) + slack.x;
    let above = slack.y + 0.025 * min(size.x, size.y) + 2.0;
    return vec4<f32>(b.x - reach, b.y - above, b.z + reach, b.w + slack.y);
}

// The reach box while the squish is under way, else an empty rectangle
// (before it starts, or without a subject): where both passes run.
fn squish_region() -> vec4<f32> {
    if (squish_amount() <= 0.0 || !subject_found()) {
        return vec4<f32>(0.0);
    }
    return reach_box(vec2<f32>(textureDimensions(input_0)));
}

// Subject runs closer than this (pixels) count as one: a gap that small is
// a hole in the mask, not two objects, and the subject above it is pressed
// down with the rest.
fn squish_run_gap(size: vec2<f32>) -> f32 {
    return size.y / 18.0;
}
