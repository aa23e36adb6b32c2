// squish: the subject is squashed vertically toward its bottom, as if
// pressed from above, and bulges a little sideways, as progress goes 0 -> 1.
// The background stays intact; the area above the squashed subject is
// filled from the background around it.
//
// For an output pixel p, the source column is first pulled toward the
// subject's interior by the horizontal mask difference at +-R/3, +-2R/3, +-R on
// p's row (R = 0.1 * the short side), scaled by bulge * amount * 0.45 * R.
// Then the subject run below p in that column is found by
// marching down the mask (16 taps, H/18 apart) to the first exit from the
// subject, refined by bisection (5 taps) to the bottom y_b. The source row is
//   y' = y_b - (y_b - y) / s,   s = 1 - 0.55 * amount,   amount = eased progress * intensity
// so the bottom stays and the top moves down.
// The squashed sample is shown where the mask at the source point is high;
// where the subject was (the mask, or the mask within 2.5% of the short
// side diagonally, for corners it cuts off) but no longer is, the SDK's
// coarse background fill is shown (one background_fill per ~16x16 pixels,
// sampled bilinearly: on lavapipe a per-pixel fill costs every pixel).
//
// Pixels the subject cannot reach keep the frame without any of this: more
// than the bulge's reach beside the subject's box, or below it (the march
// down from there finds no subject).
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4, red),
// input_2 = subject bounds (binding 5), the coarse fill (binding 6).
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x progress  0..1
//   u[0].y intensity 0..1   (how flat the subject gets by the end)
//   u[0].z bulge     0..1   (sideways spread)
//   u[0].w easing    0..1   (0 = linear, 1 = ease-in-out)

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 1>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;
@group(0) @binding(5) var input_2: texture_2d<f32>;
@group(0) @binding(6) var coarse_fill: texture_2d<f32>;

// From the SDK's WGSL prelude, appended after this file: mask_px, frame_px (RINGS),
// coarse_fill_at (COARSE_FILL), subject_box, subject_found (BOUNDS).

// Where squish can change the frame: the columns of the subject's box and
// the bulge's radius either side, from just above the box (the corner
// allowance `k` of the reveal below) down to just below it (the box comes
// from a 64x64 grid: the mask may pass it by a grid step). Above that the
// source point lies above the subject and nothing is revealed.
fn reach_box(size: vec2<f32>) -> vec4<f32> {
    let b = subject_box();
    let slack = size / 64.0 + 2.0;
    let reach = 0.1 * min(size.x, size.y) + slack.x;
    let above = slack.y + 0.025 * min(size.x, size.y) + 2.0;
    return vec4<f32>(b.x - reach, b.y - above, b.z + reach, b.w + slack.y);
}

// See pikafx_sdk::wgsl::REGION: nothing before the squish starts or
// without a subject.
fn effect_region() -> vec4<f32> {
    let progress = clamp(u[0].x, 0.0, 1.0);
    let t = mix(progress, progress * progress * (3.0 - 2.0 * progress), clamp(u[0].w, 0.0, 1.0));
    if (t * clamp(u[0].y, 0.0, 1.0) <= 0.0 || !subject_found()) {
        return vec4<f32>(0.0);
    }
    return reach_box(vec2<f32>(textureDimensions(input_0)));
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let gid = region_pixel(id);
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let size = vec2<f32>(dims);
    let progress = clamp(u[0].x, 0.0, 1.0);
    let intensity = clamp(u[0].y, 0.0, 1.0);
    let bulge = clamp(u[0].z, 0.0, 1.0);
    let easing = clamp(u[0].w, 0.0, 1.0);

    let p = vec2<f32>(gid) + vec2<f32>(0.5, 0.5);
    let original = textureLoad(input_0, vec2<i32>(gid), 0);
    let t = mix(progress, progress * progress * (3.0 - 2.0 * progress), easing);
    let amount = t * intensity;
    if (amount <= 0.0) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    // Sideways bulge: the column is pulled toward the subject's interior by
    // the horizontal mask difference on this row.
    let r = 0.1 * min(size.x, size.y);

    // Out of the subject's reach (see `reach_box`).
    let bx = reach_box(size);
    if (!subject_found() || p.x < bx.x || p.x > bx.z || p.y < bx.y || p.y > bx.w) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }
    var gx = 0.0;
    for (var k = 1; k <= 3; k++) {
        let o = vec2<f32>(f32(k) * r / 3.0, 0.0);
        gx += (mask_px(p + o, size) - mask_px(p - o, size)) / 3.0;
    }
    let sx = p.x + gx * bulge * amount * 0.45 * r;

    // The bottom of the first subject run at or below p in column sx: the
    // march stops at the frame's bottom or at the first exit from the
    // subject. Written without `break` (a `done` flag and selects instead):
    // lavapipe runs divergent loop exits slowly.
    let step = size.y / 18.0;
    var inside = false;
    var found = false;
    var done = false;
    var lo = p.y;
    for (var k = 0; k < 16; k++) {
        let y = p.y + f32(k) * step;
        done = done || y >= size.y;
        let hit = mask_px(vec2<f32>(sx, y), size) >= 0.5;
        let live = !done;
        lo = select(lo, y, live && hit);
        found = found || (live && !hit && inside);
        inside = inside || (live && hit);
        done = done || found;
    }
    var bottom = size.y;
    if (found) {
        var hi = lo + step;
        for (var k = 0; k < 5; k++) {
            let mid = 0.5 * (lo + hi);
            if (mask_px(vec2<f32>(sx, mid), size) >= 0.5) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        bottom = 0.5 * (lo + hi);
    } else if (!inside) {
        // No subject below: nothing moves here.
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    let s = 1.0 - 0.55 * amount;
    let sy = bottom - (bottom - p.y) / s;
    let src = vec2<f32>(sx, sy);

    var m = 0.0;
    var squished = original;
    if (src.y >= 0.0) {
        m = textureSampleLevel(input_1, linear, src / size, 0.0).r;
        squished = textureSampleLevel(input_0, linear, src / size, 0.0);
    }
    let m_here = textureSampleLevel(input_1, linear, p / size, 0.0).r;

    // The mask may cut a subject's corners off; pixels just outside it
    // (within 2.5% of the short side) count as uncovered subject too.
    let k = 0.025 * min(size.x, size.y);
    let m_near = max(
        max(m_here, max(mask_px(p + vec2<f32>(k, k), size), mask_px(p + vec2<f32>(-k, k), size))),
        max(mask_px(p + vec2<f32>(k, -k), size), mask_px(p + vec2<f32>(-k, -k), size)),
    );
    var base = original;
    let revealed = clamp((m_near - m) * 1.5, 0.0, 1.0);
    if (revealed > 0.002) {
        base = mix(original, vec4<f32>(coarse_fill_at(p), original.a), revealed);
    }
    textureStore(output, vec2<i32>(gid), mix(base, squished, m));
}
