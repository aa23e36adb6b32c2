// vaporize: the subject turns into vapour as progress goes 0 -> 1: each part
// lifts off at its own time (top first, with seeded noise), rises as steam
// in wisps, blurs, brightens toward the mist colour and fades; behind it the
// background is filled in. At progress 1 only background is left.
//
// Timing, per subject point q (rel = 0 at the box's top, 1 at its bottom):
//   liftoff(q) = 0.55 * clamp(noise(q) + 0.55 * rel)   (noise: 2 octaves, 0..0.45)
//   age(q)     = clamp((progress - liftoff(q)) / 0.45, 0, 1)   (1 at progress 1)
// Vapour from q has risen lift(q) = speed * age^1.5 pixels, where the speed
// (rise * H, times 0.6..1.4) varies in vertical streaks (noise stretched
// about 3:1) and the path sways sideways with drifting noise (turbulence):
// the streaks and sway are what make wisps. The output is a gather, so for
// a pixel p the source q with q - lift(q) = p is found by fixed-point steps
// q <- p + (sway, lift(age(q))) (no taps; the noise is re-evaluated once,
// at the first guess, which is what curls the wisps).
//   vapour   = a 3-tap blur of frame(q), taps spreading as it rises (nearest
//              texel loads: bilinear ones cost lavapipe more), mixed toward
//              the mist colour and brightened with age
//   density  = the same blur of mask(q) * fade-in/out(age(q)) * streaks
//   ground   = the subject warming toward the mist just before lift-off,
//              then the background fill once it has gone (age > 0.3)
//   result   = mix(mix(frame, ground, mask(p)), vapour, density)
// Pixels outside the subject's box (widened by the sway and raised by as
// far as vapour can have risen by then) keep the source exactly. Progress 0
// leaves the frame unchanged.
// The wisp fields and the lift-off noise at p (four value noises that
// depend on p alone) come from `fields_main`, a pass over a grid of one
// texel per `spacing` pixels (src/lib.rs: a fifth of the narrowest streak
// cell, 3 pixels at the default wisp size at 720p), sampled bilinearly:
// value noise is smooth at that scale, so the wisps are the same to within
// a few percent (the texels hold 8 bits, so the rise can move by a third
// of a pixel), and `main` keeps only the two noises at the source's first
// guess.
// Cost: the SDK dispatches `main` only over that widened and raised box
// (`effect_region`, REGION = true); `fields_main` runs over its whole grid
// but computes only the texels near that box.
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4),
// input_2 = subject bounds (binding 5), the coarse fill (binding 6), the
// fields (binding 7, `main` only).
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x progress    0..1
//   u[0].y rise        0.02..0.6 (how far vapour rises, fraction of frame height)
//   u[0].z turbulence  0..1 (sideways sway of the wisps)
//   u[3..5] colour   rgb of the mist
//   u[1].z wisp        4..120 (wisp width in pixels at 720p)
//   u[1].w seed        0..1000
//   u[2].x spacing     pixels per texel of the fields (1..8)

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 3>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;
@group(0) @binding(5) var input_2: texture_2d<f32>;
@group(0) @binding(6) var coarse_fill: texture_2d<f32>;
@group(0) @binding(7) var fields: texture_2d<f32>;

// From the SDK's WGSL prelude (pikafx_sdk::wgsl::NOISE, SUBJECT, BOUNDS),
// appended after this file: value_noise, mask_at, coarse_fill_at,
// subject_box, subject_found.

// The last lift-off time and how long a part takes from lift-off to gone:
// LATEST + SPAN = 1, so everything is gone at progress 1.
const LATEST: f32 = 0.55;
const SPAN: f32 = 0.45;

// When the subject at q lifts off (a progress value, 0..LATEST), given the
// noise part `n` (0..0.45).
fn liftoff(q: vec2<f32>, b: vec4<f32>, n: f32) -> f32 {
    let rel = clamp((q.y - b.y) / max(b.w - b.y, 1.0), 0.0, 1.0);
    return LATEST * clamp(n + 0.55 * rel, 0.0, 1.0);
}

// The wisp width in pixels of a frame of size `fd` (the parameter is in
// pixels at 720p); src/lib.rs's field_spacing sizes the fields' grid from
// the same.
fn wisp_size(fd: vec2<f32>) -> f32 {
    return max(u[1].z * fd.y / 720.0, 2.0);
}

// How far the frame can change around the subject's box at progress `t`
// (with a margin for the soft mask outside the box): x = sideways each
// side, y = below and above the box, z = the farthest the vapour can have
// risen by now (added above).
fn reach(t: f32, fd: vec2<f32>) -> vec3<f32> {
    let rise = clamp(u[0].y, 0.0, 1.0) * fd.y;
    let turb = clamp(u[0].z, 0.0, 1.0);
    let oldest = min(t / SPAN, 1.0);
    let max_lift = rise * 1.4 * oldest * sqrt(oldest);
    let margin = fd / 64.0 + vec2<f32>(turb * 0.5 * max_lift + 4.0, 4.0);
    return vec3<f32>(margin, max_lift);
}

// Where the frame can change (see pikafx_sdk::wgsl::REGION): the subject's
// box grown by the reach; nothing before the vapour starts or without a
// subject.
fn effect_region() -> vec4<f32> {
    let t = clamp(u[0].x, 0.0, 1.0);
    if (t <= 0.0 || !subject_found()) {
        return vec4<f32>(0.0);
    }
    let r = reach(t, vec2<f32>(textureDimensions(input_0)));
    let b = subject_box();
    return b + vec4<f32>(-r.xy - vec2<f32>(1.0, r.z + 1.0), r.xy + 1.0);
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let gid = region_pixel(id);
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let t = clamp(u[0].x, 0.0, 1.0);
    let original = textureLoad(input_0, vec2<i32>(gid), 0);
    if (t <= 0.0 || !subject_found()) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }
    let fd = vec2<f32>(dims);
    let rise = clamp(u[0].y, 0.0, 1.0) * fd.y;
    let turb = clamp(u[0].z, 0.0, 1.0);
    let mist = vec3<f32>(u[0].w, u[1].x, u[1].y);
    let ws = wisp_size(fd);
    let seed = u32(max(u[1].w, 0.0));

    // Only the subject's box, widened by the sway and raised by as far as
    // vapour can have risen by now, can change (plus a margin for the soft
    // mask outside the box).
    let p = vec2<f32>(gid) + vec2<f32>(0.5, 0.5);
    let b = subject_box();
    let r = reach(t, fd);
    let max_lift = r.z;
    let margin = r.xy;
    if (any(p < b.xy - margin - vec2<f32>(0.0, max_lift)) || any(p > b.zw + margin)) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    // The wisp fields (output space: the steam streams through them) and
    // the noise part of p's lift-off time, from `fields_main`; off the
    // subject the first guess takes the lift-off noise's mean, as before
    // the fields had their own pass.
    let m = mask_at(p);
    let on_subject = m > 0.004;
    let spacing = max(u[2].x, 1.0);
    let at = p / (spacing * vec2<f32>(textureDimensions(fields)));
    let field = textureSampleLevel(fields, linear, at, 0.0);
    let wisp = field.rg;
    let n0 = select(vec2<f32>(0.5), field.ba, on_subject);
    let streak = wisp.x;
    let sway = (wisp.y * 2.0 - 1.0) * turb * 0.5;
    let speed = rise * (0.6 + 0.8 * streak);
    // The solid part at p, and the first guess of where the vapour at p
    // came from: one step from p.
    let l0 = liftoff(p, b, 0.3 * n0.x + 0.15 * n0.y);
    let a0 = clamp((t - l0) / SPAN, 0.0, 1.0);
    let l_guess = speed * a0 * sqrt(a0);
    let guess = p + vec2<f32>(-sway * l_guess, l_guess);
    // The lift-off noise at the first guess (what gives the wisps their
    // curls), on the subject only: one value_noise per pass of a loop with
    // a run-time count, which lavapipe leaves after no pass when no pixel
    // of its SIMD batch is on the subject (it runs straight-line code for
    // every pixel, masked or not).
    var n1 = vec2<f32>(0.5);
    let passes = select(0u, 2u, on_subject);
    for (var k = 0u; k < passes; k++) {
        let v = value_noise(select(guess / ws, guess / (ws * 0.35), k == 1u), seed, select(1u, 4u, k == 1u));
        n1 = select(n1, vec2<f32>(v), vec2<u32>(0u, 1u) == vec2<u32>(k));
    }
    // Two more fixed-point steps from the first guess, reusing its noise.
    let nq = 0.3 * n1.x + 0.15 * n1.y;
    var q = guess;
    var a = clamp((t - liftoff(q, b, nq)) / SPAN, 0.0, 1.0);
    var lift = speed * a * sqrt(a);
    q = p + vec2<f32>(-sway * lift, lift);
    a = clamp((t - liftoff(q, b, nq)) / SPAN, 0.0, 1.0);
    lift = speed * a * sqrt(a);

    var rgb = original.rgb;
    if (on_subject) {
        // Warming toward the mist just before lift-off, then gone.
        let warm = clamp(1.0 + (t - l0) / 0.15, 0.0, 1.0);
        var ground = mix(original.rgb, mist, 0.35 * warm * warm);
        let gone = smoothstep(0.0, 0.3, a0);
        if (gone * m > 0.004) {
            ground = mix(ground, coarse_fill_at(p), gone);
        }
        rgb = mix(original.rgb, ground, m);
    }
    let presence = smoothstep(0.0, 0.15, a) * (1.0 - smoothstep(0.3, 1.0, a));
    // A soft 3-tap blur of frame and mask, wider the higher it rose (steam
    // has no hard edges); one tap pair per pass of a run-time loop, as above.
    let spread = 0.7 + 0.15 * lift;
    var cover = 0.0;
    var c = vec3<f32>(0.0);
    let taps = select(0u, 3u, presence > 0.0 && q.y < fd.y);
    for (var k = 0u; k < taps; k++) {
        let o = select(select(vec2<f32>(-1.0, 0.5), vec2<f32>(1.0, 0.5), k == 1u), vec2<f32>(0.0, -1.0), k == 2u);
        cover += mask_at(q + o * spread);
        c += frame_at(q + o * spread);
    }
    let density = cover / 3.0 * presence * (0.3 + 0.7 * streak) * 0.8;
    if (density > 0.004) {
        let steam = min(mix(c / 3.0, mist, 0.45 + 0.5 * a) + 0.08, vec3<f32>(1.0));
        rgb = mix(rgb, steam, density);
    }
    textureStore(output, vec2<i32>(gid), vec4<f32>(rgb, original.a));
}

// The fields (entry point `fields_main`, over the fields texture): texel
// (i, j) holds, at frame position ((i, j) + 0.5) * spacing (so that with a
// spacing of 1 the texels are the pixels' centres),
//   r: the vertical streaks (the rise speed), g: the drifting sway,
//   b, a: the two octaves of the lift-off noise.
// Texels farther than two texels from `effect_region` are not read and
// hold 0.5 (a loop with a run-time count, as in `main`, so that lavapipe
// skips the noise for batches wholly outside).
@compute @workgroup_size(8, 8, 1)
fn fields_main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let od = textureDimensions(output);
    if (gid.x >= od.x || gid.y >= od.y) {
        return;
    }
    let fd = vec2<f32>(textureDimensions(input_0));
    let t = clamp(u[0].x, 0.0, 1.0);
    let ws = wisp_size(fd);
    let seed = u32(max(u[1].w, 0.0));
    let spacing = max(u[2].x, 1.0);
    let p = (vec2<f32>(gid.xy) + 0.5) * spacing;
    let r = effect_region();
    let near = all(p >= r.xy - 2.0 * spacing) && all(p <= r.zw + 2.0 * spacing);
    var v = vec4<f32>(0.5);
    let passes = select(0u, 4u, near);
    let streak_x = vec2<f32>(p.x / (ws * 0.6), p.y / (ws * 2.0));
    let sway_x = vec2<f32>(p.x / ws, p.y / ws + t * 3.0);
    for (var k = 0u; k < passes; k++) {
        let octave = select(p / ws, p / (ws * 0.35), k == 3u);
        let x = select(select(streak_x, sway_x, k == 1u), octave, k >= 2u);
        let salt = select(select(select(2u, 3u, k == 1u), 1u, k == 2u), 4u, k == 3u);
        v = select(v, vec4<f32>(value_noise(x, seed, salt)), vec4<u32>(0u, 1u, 2u, 3u) == vec4<u32>(k));
    }
    textureStore(output, vec2<i32>(gid.xy), v);
}
