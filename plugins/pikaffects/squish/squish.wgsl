// squish: the subject is squashed vertically toward its bottom, as if
// pressed from above, and bulges a little sideways, as progress goes 0 -> 1.
// The background stays intact; the area above the squashed subject is
// filled from the background around it.
//
// For an output pixel p, the source column is first pulled toward the
// subject's interior by the horizontal mask difference at +-R/3, +-2R/3, +-R on
// p's row (R = 0.1 * the short side), scaled by bulge * amount * 0.45 * R.
// Then the bottom y_b of the subject run at or below p in that column comes
// from the run pass (runs.wgsl: runs less than H/18 apart count as one).
// The source row is
//   y' = y_b - (y_b - y) / s,   s = 1 - 0.55 * amount,   amount = eased progress * intensity
// so the bottom stays and the top moves down.
// The squashed sample is shown where the mask at the source point is high
// and the source lies in p's own run (a source up in another run, above a
// gap, would draw a second copy of that run);
// where the subject was (the mask, or the mask within 2.5% of the short
// side diagonally, for corners it cuts off) but no longer is, the SDK's
// coarse background fill is shown (one background_fill per ~16x16 pixels,
// sampled bilinearly: on lavapipe a per-pixel fill costs every pixel).
//
// Pixels the subject cannot reach keep the frame without any of this: more
// than the bulge's reach beside the subject's box, or below it (no run at
// or below them).
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4, red),
// input_2 = subject bounds (binding 5), the coarse fill (binding 6), the
// runs (binding 7, runs.wgsl's output).
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
@group(0) @binding(7) var runs: texture_2d<f32>;

// From the prelude, appended after this file: reach_box, squish_amount,
// squish_region (reach.wgsl), mask_px (RINGS), coarse_fill_at
// (COARSE_FILL), subject_box, subject_found (BOUNDS), region_pixel (REGION).

// See pikafx_sdk::wgsl::REGION.
fn effect_region() -> vec4<f32> {
    return squish_region();
}

// The run pass's texel at column `col`, row `row` (runs.wgsl's pack_run):
// x * 256 + y the run's bottom, z 1 where there is a run.
fn run_at(col: i32, row: i32) -> vec3<u32> {
    return vec3<u32>(round(textureLoad(runs, vec2<i32>(col, row), 0).rgb * 255.0));
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let gid = region_pixel(id);
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let size = vec2<f32>(dims);
    let bulge = clamp(u[0].z, 0.0, 1.0);

    let p = vec2<f32>(gid) + vec2<f32>(0.5, 0.5);
    let original = textureLoad(input_0, vec2<i32>(gid), 0);
    let amount = squish_amount();
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

    // The bottom of the first subject run at or below p in column sx (the
    // run pass covers the reach box's columns; beyond them there is no
    // subject, as at their edges).
    let col = clamp(i32(floor(sx)), max(i32(floor(bx.x)), 0), min(i32(ceil(bx.z)), i32(dims.x) - 1));
    let run = run_at(col, i32(gid.y));
    if (run.z == 0u) {
        // No subject below: nothing moves here.
        textureStore(output, vec2<i32>(gid), original);
        return;
    }
    let bottom = f32(run.x * 256u + run.y);

    let s = 1.0 - 0.55 * amount;
    let sy = bottom - (bottom - p.y) / s;
    let src = vec2<f32>(sx, sy);

    // The source must lie in p's own run: a pixel between two runs (or
    // above the squashed run) whose source reaches up into another run
    // above would otherwise show a second copy of that run. Above the reach
    // box (where the run pass did not scan) there is no other run.
    let src_run = run_at(col, max(i32(floor(sy)), 0));
    let same_run = sy < bx.y || (src_run.z != 0u && all(src_run.xy == run.xy));
    var m = 0.0;
    var squished = original;
    if (src.y >= 0.0 && same_run) {
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
