// spin: the subject spins as progress goes 0 -> 1, either in the image plane
// around its centroid or as a turntable around its vertical axis; the place
// it uncovers is filled with the background around it.
//
// For each output pixel p, with c = the subject's centroid and, for each of
// up to 5 blur taps k, the angle a_k = angle - arc * (k + j) / 5 (the
// subject's recent past, so the blur trails behind the motion; j is a fixed
// per-pixel hash in 0..1 that turns the taps' ghosts into fine grain):
//   plane:      q_k = c + R(-a_k) (p - c)           (the source point of p)
//   turntable:  s_k = cos(a_k), q_k = (c.x + (p.x - c.x) / s_k, p.y)
//               (s_k < 0 is the back side: mirrored by the negative scale,
//               and darker)
//   cover      = weighted mean of mask(q_k)          (the spun subject at p)
//   colour     = mask-weighted mean of frame(q_k) * shade_k
//   result     = mix(mix(frame(p), fill(p), mask(p)), colour, cover)
// The blur weights fall off toward the older taps, a trail rather than a
// smear. With progress 0 the angle and the arc are 0 and the frame is
// returned as is. Pixels farther from c than any subject point can spin to
// are returned untouched (exactly the source; on lavapipe, which runs both
// sides of a branch masked, this saves little time).
// Cost: the SDK dispatches only over where the subject can be now
// (`effect_region`, REGION = true): turntable, the box; plane, the box of
// the mask's non-zero pixels and of that box turned through the taps'
// angles, within the reach's circle (one mask tap per work-grid pixel of
// the host's mask, ~37k at 720p, to find it). There, 1-5 taps of mask and
// frame each, a mask tap and a fill tap per pixel.
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4),
// input_2 = subject bounds (binding 5), coarse fill (binding 6).
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x progress  0..1
//   u[0].y angle     radians, signed (positive turns clockwise on screen)
//   u[0].z arc       radians, signed: the blur's extent behind the angle
//   u[0].w mode      0 = plane, 1 = turntable

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 1>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;
@group(0) @binding(5) var input_2: texture_2d<f32>;
@group(0) @binding(6) var coarse_fill: texture_2d<f32>;

// From the SDK's WGSL prelude (pikafx_sdk::wgsl::NOISE, pikafx_sdk::wgsl::SUBJECT,
// pikafx_sdk::wgsl::BOUNDS), appended after this file: hash2, frame_at,
// mask_at, coarse_fill_at, subject_box, subject_centre. (No subject found
// reads as an empty box: one bounds texel fewer than subject_found().)

// How much darker the turntable's back side is (it faces away from the light).
const BACK_SHADE: f32 = 0.6;

// Where a spun subject can land, for box `b`: within `radius` of `c`
// (plane: the farthest box corner's distance), or within the box grown by
// `margin` (turntable, which only squeezes). The margin covers the bounds
// grid's coarseness (64 cells).
struct Reach {
    c: vec2<f32>,
    margin: f32,
    radius: f32,
}

fn spin_reach(b: vec4<f32>, fd: vec2<f32>) -> Reach {
    let c = subject_centre();
    let margin = max(fd.x, fd.y) / 64.0 + 2.0;
    let reach = max(abs(b.xy - c), abs(b.zw - c));
    return Reach(c, margin, length(reach) + margin);
}

// Where the frame can change (see pikafx_sdk::wgsl::REGION); nothing
// before the spin starts or without a subject. Turntable: the box grown by
// the margin (`main`'s test). Plane: a pixel p changes where the mask is
// (the fill) or where a tap's source c + R(-a)(p - c) is on the mask, i.e.
// p = c + R(a)(q - c) with q in the mask's non-zero box and a between
// angle - arc and angle; each corner of that box sweeps an arc whose
// bounding box is its end points' grown by the arc's sagitta (|arc| <=
// 0.5). All within the reach's circle (`main`'s test).
fn effect_region() -> vec4<f32> {
    let angle = u[0].y;
    let arc = u[0].z;
    let b = subject_box();
    if ((angle == 0.0 && arc == 0.0) || u[0].x <= 0.0 || b.z <= b.x) {
        return vec4<f32>(0.0);
    }
    let fd = vec2<f32>(textureDimensions(input_0));
    let r = spin_reach(b, fd);
    if (u[0].w > 0.5) {
        return b + vec4<f32>(-r.margin - 2.0, -r.margin - 2.0, r.margin + 2.0, r.margin + 2.0);
    }
    let circle = vec4<f32>(r.c - r.radius - 2.0, r.c + r.radius + 2.0);
    let m = mask_support();
    if (m.z <= m.x) {
        return vec4<f32>(0.0);
    }
    var lo = m.xy;
    var hi = m.zw;
    let a1 = angle - arc;
    let rot0 = vec2<f32>(cos(angle), sin(angle));
    let rot1 = vec2<f32>(cos(a1), sin(a1));
    let sag = 1.0 - cos(0.5 * min(abs(arc), 3.0));
    for (var i = 0; i < 4; i++) {
        let v = vec2<f32>(select(m.x, m.z, (i & 1) == 1), select(m.y, m.w, i >= 2)) - r.c;
        let e0 = r.c + vec2<f32>(rot0.x * v.x - rot0.y * v.y, rot0.y * v.x + rot0.x * v.y);
        let e1 = r.c + vec2<f32>(rot1.x * v.x - rot1.y * v.y, rot1.y * v.x + rot1.x * v.y);
        let grow = sag * length(v) + 2.0;
        lo = min(lo, min(e0, e1) - grow);
        hi = max(hi, max(e0, e1) + grow);
    }
    return vec4<f32>(max(lo, circle.xy), min(hi, circle.zw));
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let gid = region_pixel(id);
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let fd = vec2<f32>(dims);
    let progress = clamp(u[0].x, 0.0, 1.0);
    let angle = u[0].y;
    let arc = u[0].z;
    let turntable = u[0].w > 0.5;

    let p = vec2<f32>(gid) + vec2<f32>(0.5, 0.5);
    let original = textureLoad(input_0, vec2<i32>(gid), 0);
    let b = subject_box();
    if ((angle == 0.0 && arc == 0.0) || progress <= 0.0 || b.z <= b.x) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    // Where a spun subject can land (`spin_reach`).
    let r = spin_reach(b, fd);
    let c = r.c;
    let margin = r.margin;
    var far = false;
    if (turntable) {
        far = any(p < b.xy - margin) || any(p > b.zw + margin);
    } else {
        far = length(p - c) > r.radius;
    }
    if (far) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    // No blur taps where the arc is negligible (blur 0, or standing still).
    var taps = 5;
    if (abs(arc) < 0.002) {
        taps = 1;
    }
    // A per-pixel offset of the taps along the arc turns the 5 discrete
    // ghosts of a wide arc into fine grain.
    let jitter = select(0.0, hash2(vec2<i32>(gid), 0u, 0u), taps > 1);
    let d = p - c;
    // Tap k's angle is a0 - k * step: its cosine and sine come from the
    // previous tap's by one rotation, which spares lavapipe a cos and a sin
    // per tap (they are polynomials there, costlier than the rotation).
    let a0 = angle - arc * jitter / 5.0;
    let turn = vec2<f32>(cos(arc / 5.0), sin(arc / 5.0));
    var rot = vec2<f32>(cos(a0), sin(a0));
    var cover = 0.0;
    var colour = vec3<f32>(0.0);
    var wsum = 0.0;
    for (var k = 0; k < taps; k++) {
        let f = (f32(k) + jitter) / 5.0;
        let w = 1.0 - 0.6 * f;
        var q = p;
        var shade = 1.0;
        if (turntable) {
            let s = rot.x;
            // Edge-on the subject is a sliver, not a division by zero.
            let safe = select(min(s, -0.01), max(s, 0.01), s >= 0.0);
            q = vec2<f32>(c.x + d.x / safe, p.y);
            // Turning away from the viewer darkens a little; the back more.
            shade = (0.8 + 0.2 * abs(s)) * select(BACK_SHADE, 1.0, s >= 0.0);
        } else {
            q = c + vec2<f32>(rot.x * d.x + rot.y * d.y, -rot.y * d.x + rot.x * d.y);
        }
        // cos/sin(a - step) from cos/sin(a).
        rot = vec2<f32>(rot.x * turn.x + rot.y * turn.y, rot.y * turn.x - rot.x * turn.y);
        wsum += w;
        // Off-frame sources are empty, not the clamped edge smeared inward.
        if (all(q >= vec2<f32>(0.0)) && all(q < fd)) {
            let m = mask_at(q);
            if (m > 0.004) {
                cover += m * w;
                colour += frame_at(q) * shade * m * w;
            }
        }
    }
    let spun = colour / max(cover, 1e-5);
    cover = cover / wsum;

    var base = original.rgb;
    let here = mask_at(p);
    if (here > 0.004 && cover < 0.999) {
        base = mix(original.rgb, coarse_fill_at(p), here);
    }
    let rgb = mix(base, spun, cover);
    textureStore(output, vec2<i32>(gid), vec4<f32>(rgb, original.a));
}
