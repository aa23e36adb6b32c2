// decapitate: a cartoon slice. The top part of the subject (the "head":
// everything above a horizontal cut at `cut` of its box height from the
// top) is cut off cleanly, slides a little along the cut, then hops off to
// one side, spinning, and falls to the ground line (the box's bottom),
// where it rests for the last 15% of the timeline, while the rest of the
// subject stays standing. Where the head was, the background is filled in;
// the two cut faces get a flat light band (a clean, bloodless cut).
//
// Geometry, from the subject-bounds pass (box b, in frame pixels):
//   y_c      = b.top + cut * (b.bottom - b.top)       the cut line
//   c0       = (box centre x, (b.top + y_c) / 2)       the head's pivot
//   f        = (t - 0.1) / 0.75 clamped                flight time 0..1 (then it rests)
//   slide    = smoothstep(0, 0.15, t) * 0.08 * width   the slice's nudge
//   c(t)     = c0 + (dir * (slide + distance * width * f),
//                    drop * f^2 - 0.35 * head_h * sin(pi f))   hop, then fall
//   theta    = dir * spin * 2 pi * f
//   drop     = fall * (b.bottom - c0.y - e), e = the spun head's half height
//              at the end (so with fall = 1 it comes to rest on the ground)
// Per output pixel p, backward-mapped into the still head:
//   q        = c0 + rotate(-theta) (p - c(t))
//   head     = smoothstep(0.1, 0.5, mask(q)) where q.y < y_c, within the box
//   ground   = frame(p); where p.y < y_c, the background fill with weight
//              smoothstep(0.02, 0.5, mask(p)) (hardened: no ghost head).
//              The fill is the coarse one of the pass before (crush's
//              pikafx_sdk::wgsl::COARSE_FILL_PASS: background_fill once per 16x16 pixels at 720p),
//              sampled bilinearly: it is smooth anyway, and calling
//              background_fill here would cost lavapipe ~5 ms a 720p frame
//              for its code alone.
//   result   = mix(ground, frame(q) (+ cut band), head)
// At progress 0 the frame is returned untouched (early out). Pixels neither
// near the head's old place nor within the flying head's circle exit before
// any mask tap; the SDK dispatches `main` only over the bounding box of
// those two (`effect_region`, see pikafx_sdk::wgsl::REGION).
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4),
// input_2 = subject bounds (binding 5), input_3 = coarse fill (binding 6).
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x progress  0..1
//   u[0].y cut       0.1..0.9 (cut line, fraction of the box height from the top)
//   u[0].z direction -1 = left, +1 = right
//   u[0].w spin      0..2 (turns of the head over the flight)
//   u[1].x distance  0..3 (sideways flight, in subject widths)
//   u[1].y fall      0..1 (how far it drops, 1 = down to the ground line)

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 2>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;
@group(0) @binding(5) var input_2: texture_2d<f32>;
@group(0) @binding(6) var input_3: texture_2d<f32>;

// From the SDK's WGSL prelude (pikafx_sdk::wgsl::SUBJECT, BOUNDS), appended
// after this file: frame_at, mask_at, subject_box, subject_found.

const TAU: f32 = 6.2831853;

fn rotate(v: vec2<f32>, angle: f32) -> vec2<f32> {
    let c = cos(angle);
    let s = sin(angle);
    return vec2<f32>(c * v.x - s * v.y, s * v.x + c * v.y);
}

// The cut and the head's flight for this frame of `fd` pixels.
struct Cut {
    b: vec4<f32>,          // the subject's box
    width: f32,
    y_c: f32,              // the cut line
    cell: vec2<f32>,       // how far the mask can reach past the box
    half_head: vec2<f32>,  // the head's half size, grown by `cell`
    c0: vec2<f32>,         // the head's pivot where it was
    slide: f32,
    theta: f32,            // its turn now
    c: vec2<f32>,          // and its pivot now
    band: f32,             // the cut faces' thickness
}

fn cut_geometry(fd: vec2<f32>) -> Cut {
    let t = clamp(u[0].x, 0.0, 1.0);
    let cut = clamp(u[0].y, 0.05, 0.95);
    let dir = select(-1.0, 1.0, u[0].z >= 0.0);
    let spin = clamp(u[0].w, 0.0, 4.0);
    let distance = clamp(u[1].x, 0.0, 5.0);
    let fall = clamp(u[1].y, 0.0, 1.0);

    let b = subject_box();
    let width = b.z - b.x;
    let y_c = mix(b.y, b.w, cut);
    // The mask can reach about one bounds-grid cell past the box.
    let cell = fd / 64.0 + vec2<f32>(2.0);
    let half_head = vec2<f32>(0.5 * width, 0.5 * (y_c - b.y)) + cell;
    let c0 = vec2<f32>(0.5 * (b.x + b.z), 0.5 * (b.y + y_c));

    // The flight ends at t = 0.85; the head then rests for the last frames.
    let f = clamp((t - 0.1) / 0.75, 0.0, 1.0);
    let slide = smoothstep(0.0, 0.15, t);
    let theta = dir * spin * TAU * f;
    let end_theta = spin * TAU;
    let end_half_h = abs(cos(end_theta)) * (0.5 * (y_c - b.y)) + abs(sin(end_theta)) * (0.5 * width);
    let drop = fall * max(b.w - c0.y - end_half_h, 0.0);
    let hop = 0.35 * (y_c - b.y) * sin(3.1415927 * f);
    let c = c0 + vec2<f32>(dir * (0.08 * width * slide + distance * width * f), drop * f * f - hop);
    // A clean cut: a flat light band on both cut faces, a few pixels thick.
    let band = max(1.5, fd.y / 240.0);
    return Cut(b, width, y_c, cell, half_head, c0, slide, theta, c, band);
}

// Where the frame can change (see pikafx_sdk::wgsl::REGION): the bounding
// box of the head's old place (down to the body's cut face) and of the
// flying head's circle (`main`'s near_old and near_new); nothing before
// the start or without a subject.
fn effect_region() -> vec4<f32> {
    if (u[0].x <= 0.0 || !subject_found()) {
        return vec4<f32>(0.0);
    }
    let g = cut_geometry(vec2<f32>(textureDimensions(input_0)));
    let was = vec4<f32>(g.b.xy - g.cell, g.b.z + g.cell.x, g.y_c + g.band + 1.0);
    let r = length(g.half_head);
    let now = vec4<f32>(g.c - r, g.c + r);
    return vec4<f32>(min(was.xy, now.xy), max(was.zw, now.zw)) + vec4<f32>(-2.0, -2.0, 2.0, 2.0);
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let gid = region_pixel(id);
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let fd = vec2<f32>(dims);
    let t = clamp(u[0].x, 0.0, 1.0);

    let original = textureLoad(input_0, vec2<i32>(gid), 0);
    if (t <= 0.0 || !subject_found()) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    let g = cut_geometry(fd);
    let b = g.b;
    let y_c = g.y_c;
    let cell = g.cell;
    let half_head = g.half_head;
    let c0 = g.c0;
    let slide = g.slide;
    let theta = g.theta;
    let c = g.c;

    let p = vec2<f32>(gid) + vec2<f32>(0.5, 0.5);
    // A clean cut: a flat light band on both cut faces, a few pixels thick.
    let band = g.band;
    let near_old = all(p > vec2<f32>(b.x, b.y) - cell) && p.x < b.z + cell.x && p.y < y_c + band + 1.0;
    let near_new = length(p - c) < length(half_head);
    if (!near_old && !near_new) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    var ground = original.rgb;
    if (near_old) {
        // Hardened like the head below, so a half-confident mask leaves no
        // ghost of the head in its old place.
        let here = smoothstep(0.02, 0.5, mask_at(p));
        if (p.y < y_c && here > 0.004) {
            let fill = textureSampleLevel(input_3, linear, p / fd, 0.0).rgb;
            ground = mix(original.rgb, fill, here);
        } else if (p.y >= y_c && p.y < y_c + band) {
            // The top of the standing body: its cut face.
            ground = mix(original.rgb, mix(original.rgb, vec3<f32>(1.0), 0.35), here * slide);
        }
    }

    var rgb = ground;
    if (near_new) {
        let q = c0 + rotate(p - c, -theta);
        // The flying piece is a solid cut-out: only the subject's box, and
        // the mask hardened (faint mask next to the head stays behind, a
        // half-confident one still flies as a whole).
        let in_box = all(q > vec2<f32>(b.x, b.y) - cell) && q.x < b.z + cell.x;
        let head = select(0.0, smoothstep(0.1, 0.5, mask_at(q)), in_box) * clamp(y_c - q.y, 0.0, 1.0);
        if (head > 0.0) {
            var colour = frame_at(q);
            // The head's own cut face.
            let face = select(0.0, 0.35 * slide, q.y > y_c - band);
            colour = mix(colour, vec3<f32>(1.0), face);
            rgb = mix(ground, colour, head);
        }
    }
    textureStore(output, vec2<i32>(gid), vec4<f32>(rgb, original.a));
}
