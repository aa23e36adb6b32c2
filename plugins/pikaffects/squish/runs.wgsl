// squish's run pass (entry point `main`): for every column of squish's reach
// box and every row from the box's top down to the frame's bottom, the
// bottom of the first subject run (mask >= 0.5) at or below that row, runs
// less than `squish_run_gap` apart counting as one. Squish presses the
// subject toward that bottom.
//
// One invocation per column scans it upward from the frame's bottom, so a
// pixel's run costs squish's main pass one texture read; it used to march
// down the mask itself (16 taps and a 5-tap bisection per pixel, every
// pixel of a frame-sized subject).
//
// Output (the frame's size; squish.wgsl reads it as `runs`), inside the
// reach box's columns, from its top row down:
//   r, g: the run's bottom in pixels (y of its lower edge; the frame's
//         height where the run reaches the bottom), r * 256 + g as 0..255
//   b:    1 where there is a run at or below, else 0 (nothing moves there)
// Outside them the host leaves a copy of the frame.
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4),
// input_2 = subject bounds (binding 5). Uniforms: squish.wgsl's.

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 1>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;
@group(0) @binding(5) var input_2: texture_2d<f32>;

// From the prelude, appended after this file: squish_region,
// squish_run_gap (reach.wgsl), mask_px (RINGS), subject_box, subject_found
// (BOUNDS), region_pixel (REGION).

// The reach box's columns, one row high: the dispatch is one invocation per
// column (see pikafx_sdk::wgsl::REGION).
fn effect_region() -> vec4<f32> {
    let b = squish_region();
    // (Empty stays empty: its x range is.)
    return vec4<f32>(b.xyz, b.y + 1.0);
}

// A run's bottom and whether there is one, as stored.
fn pack_run(bottom: f32, found: bool) -> vec4<f32> {
    let b = u32(bottom);
    return vec4<f32>(f32(b >> 8u), f32(b & 255u), select(0.0, 255.0, found), 255.0) / 255.0;
}

@compute @workgroup_size(64, 1, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let gid = region_pixel(id);
    let dims = textureDimensions(output);
    // The first row of the region only (its start is the top row; the rows
    // the host adds below it return here).
    if (id.y != 0u || gid.x >= min(dims.x, pikafx_region.z)) {
        return;
    }
    let size = vec2<f32>(dims);
    let gap = squish_run_gap(size);
    let x = f32(gid.x) + 0.5;
    var bottom = size.y;
    var found = false;
    var last_hit = 1e9;
    for (var y = i32(dims.y) - 1; y >= i32(gid.y); y--) {
        let fy = f32(y);
        let hit = mask_px(vec2<f32>(x, fy + 0.5), size) >= 0.5;
        // A hit more than a gap above the last one starts a new run.
        bottom = select(bottom, fy + 1.0, hit && last_hit - fy > gap);
        last_hit = select(last_hit, fy, hit);
        found = found || hit;
        textureStore(output, vec2<i32>(i32(gid.x), y), pack_run(bottom, found));
    }
}
