// tear: the subject tears in two along a jagged, seeded line through its
// centroid; as progress goes 0 -> 1 the halves swing open about the foot of
// the tear (the rip seems to run down from the top) and then pull apart
// sideways, with paper-white torn edges and loose fibres, the background
// filled in between them.
//
// Local frame: c = the subject's centroid, n = the tear's normal (across the
// tear, +x for a vertical tear), w = along the tear (down). A point has local
// coordinates l = (dot(p - c, n), dot(p - c, w)).
//   line(y)   = 0.3 * jagged * across * (three octaves of 1D value noise
//               - 0.5), the tear's offset across at height y (seeded)
//   e(l)      = l.x - line(l.y): < 0 on the left half, > 0 on the right
//   pivot     = (0, foot of the subject's box along w)
//   open(t)   = 0.25 * gap * smoothstep(0, 0.6, t)     (rotation, radians)
//   sep(t)    = gap * across * smoothstep(0.1, 1, t)  (total separation)
// Each half is rotated about the pivot (the left one counter-clockwise) and
// shifted by -+sep/2 along n; for output pixel p the shader inverts both
// motions, getting source points qL and qR, and shows
//   half      = frame(q) where mask(q) and q lies on that half's side
//   edge      = paper white where q is within a ragged band inside the edge
//   fibres    = white strands just beyond each half's edge (per-row lengths)
//   ground    = frame(p), or the background fill where the subject has
//               moved away (mask(p) well above the halves' cover there)
// The halves fade in their white edges over the first 15% of the timeline.
// With progress 0 nothing moves and the frame is returned unchanged.
// Cost: the SDK dispatches only over the box grown by the motion's reach
// (`effect_region`, REGION = true); there, 3 mask taps, 1-3 frame taps and
// a coarse-fill tap per pixel.
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4),
// input_2 = subject bounds (binding 5).
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x progress  0..1
//   u[0].y gap       0..1 (separation at the end, as a fraction of the subject's width across the tear)
//   u[0].z jagged    0..1 (how far the tear line zigzags)
//   u[0].w cos(angle), u[1].x sin(angle)  (the tear's tilt from vertical, clockwise)
//   u[1].y fibres    0..1 (width of the white torn edge and length of the fibres)
//   u[1].z seed      0..1000

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 2>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;
@group(0) @binding(5) var input_2: texture_2d<f32>;
@group(0) @binding(6) var coarse_fill: texture_2d<f32>;

// From the SDK's WGSL prelude (pikafx_sdk::wgsl::NOISE, SUBJECT, BOUNDS),
// appended after this file: hash_u32, unit, frame_at, mask_at,
// coarse_fill_at, subject_box, subject_centre.

const PAPER: vec3<f32> = vec3<f32>(0.96, 0.95, 0.91);

// A hash of lattice point `i` on a 1D line, 0..1 (`key` = seed and octave).
fn line_hash(i: f32, key: u32) -> f32 {
    return unit(hash_u32(bitcast<u32>(i32(i)) ^ key));
}

// Smooth 1D value noise, 0..1: the tear only varies along its length, and
// two hashes per octave cost a sixth of the 2D value_noise's twelve (this
// runs twice per pixel near the subject).
fn line_noise(x: f32, key: u32) -> f32 {
    let i = floor(x);
    let f = x - i;
    return mix(line_hash(i, key), line_hash(i + 1.0, key), f * f * (3.0 - 2.0 * f));
}

// The tear line's offset across (pixels) at height `y` along it: a coarse
// zigzag, a finer one and a ragged jitter, so it reads as torn, not cut.
fn tear_line(y: f32, height: f32, amp: f32, key: u32) -> f32 {
    let h = max(height, 1.0);
    let n = 0.62 * line_noise(y * 6.0 / h, key) + 0.28 * line_noise(y * 19.0 / h, key ^ 0x9e3779b9u)
        + 0.10 * line_noise(y * 55.0 / h, key ^ 0x7f4a7c15u);
    return amp * (n - 0.5);
}

// The inverse of one half's motion: rotation by the angle whose cosine and
// sine are `turn` about `pivot`, then the shift `shift` along the local x
// axis (all in local coordinates). The halves turn by opposite angles, so
// one cos/sin pair serves both.
fn unmove(l: vec2<f32>, pivot: vec2<f32>, turn: vec2<f32>, shift: f32) -> vec2<f32> {
    let r = l - vec2<f32>(shift, 0.0) - pivot;
    return pivot + vec2<f32>(r.x * turn.x + r.y * turn.y, -r.x * turn.y + r.y * turn.x);
}

// The tear's motion for this frame and this subject box.
struct Motion {
    n: vec2<f32>,      // across the tear
    w: vec2<f32>,      // along it
    across: f32,       // the box's extent across the tear
    along: f32,        // and along it
    open: f32,         // rotation of each half, radians
    sep: f32,          // total separation, pixels
    fibre_len: f32,
    // Nothing of either half reaches pixels farther than this from the box
    // (the shift, the swing of its farthest corner, the fibres).
    reach: f32,
}

fn motion(b: vec4<f32>) -> Motion {
    let t = clamp(u[0].x, 0.0, 1.0);
    let gap = clamp(u[0].y, 0.0, 1.0);
    let n = normalize(vec2<f32>(u[0].w, u[1].x) + vec2<f32>(1e-6, 0.0));
    let w = vec2<f32>(-n.y, n.x);
    let half_size = (b.zw - b.xy) * 0.5;
    let across = 2.0 * (abs(n.x) * half_size.x + abs(n.y) * half_size.y);
    let along = 2.0 * (abs(w.x) * half_size.x + abs(w.y) * half_size.y);
    let open = gap * 0.25 * smoothstep(0.0, 0.6, t);
    let sep = gap * across * smoothstep(0.1, 1.0, t);
    let fibre_len = clamp(u[1].y, 0.0, 1.0) * max(0.08 * across, 2.0);
    let reach = 0.5 * sep + open * (along + 0.5 * across) + fibre_len + 2.0;
    return Motion(n, w, across, along, open, sep, fibre_len, reach);
}

// Where the frame can change (see pikafx_sdk::wgsl::REGION): the subject's
// box grown by the reach; nothing before the tear starts or without a
// subject.
fn effect_region() -> vec4<f32> {
    let b = subject_box();
    if (u[0].x <= 0.0 || b.z - b.x < 1.0) {
        return vec4<f32>(0.0);
    }
    let reach = motion(b).reach;
    return b + vec4<f32>(-reach, -reach, reach, reach);
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let gid = region_pixel(id);
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let t = clamp(u[0].x, 0.0, 1.0);
    let jagged = clamp(u[0].z, 0.0, 1.0);
    let key = hash_u32(u32(max(u[1].z, 0.0)) + 0x5bd1e995u);

    // (No subject found: the bounds are an empty box, caught here too.)
    let original = textureLoad(input_0, vec2<i32>(gid), 0);
    let b = subject_box();
    if (t <= 0.0 || b.z - b.x < 1.0) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }
    let m = motion(b);
    let n = m.n;
    let w = m.w;
    let across = m.across;
    let along = m.along;
    let open = m.open;
    let sep = m.sep;
    let fibre_len = m.fibre_len;
    let reach = m.reach;

    // Pixels out of reach return untouched before any further tap (on a
    // real GPU; a software one only runs the region anyway), first in frame
    // axes, then in the tear's own (tighter for a tilted tear).
    let p = vec2<f32>(gid) + vec2<f32>(0.5, 0.5);
    if (any(p < b.xy - vec2<f32>(reach)) || any(p > b.zw + vec2<f32>(reach))) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }
    let c = subject_centre();
    let bc = (b.xy + b.zw) * 0.5 - c;
    let box_l = vec2<f32>(dot(bc, n), dot(bc, w));
    let l = vec2<f32>(dot(p - c, n), dot(p - c, w));
    let off = abs(l - box_l) - vec2<f32>(0.5 * across, 0.5 * along) - vec2<f32>(reach);
    if (off.x > 0.0 || off.y > 0.0) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    let pivot = vec2<f32>(0.0, box_l.y + 0.5 * along);
    let amp = jagged * 0.3 * across;
    let turn = vec2<f32>(cos(open), sin(open));
    let ll = unmove(l, pivot, vec2<f32>(turn.x, -turn.y), -0.5 * sep);
    let lr = unmove(l, pivot, turn, 0.5 * sep);
    let ql = c + n * ll.x + w * ll.y;
    let qr = c + n * lr.x + w * lr.y;

    // Signed distance of each source point from the tear (antialiased
    // over one pixel): el < 0 is on the left half, er > 0 on the right.
    // A source point on the other half's side (beyond its fibres) cannot
    // show here, so its mask is not read: one tap fewer almost everywhere.
    // The mask is firmed up (0.15..0.85 -> 0..1): a moved half should be
    // solid paper, not show through where the mask is unsure, and the
    // background fill then runs only where the subject really left.
    let el = ll.x - tear_line(ll.y, along, amp, key);
    let er = lr.x - tear_line(lr.y, along, amp, key);
    var ml = 0.0;
    var mr = 0.0;
    if (el < fibre_len + 0.5) {
        ml = smoothstep(0.15, 0.85, mask_at(ql));
    }
    if (er > -fibre_len - 0.5) {
        mr = smoothstep(0.15, 0.85, mask_at(qr));
    }
    let here = smoothstep(0.15, 0.85, mask_at(p));
    if (here < 0.004 && ml < 0.004 && mr < 0.004) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }
    let cov_l = ml * clamp(0.5 - el, 0.0, 1.0);
    let cov_r = mr * clamp(0.5 + er, 0.0, 1.0);

    // The background fill only where the subject has clearly moved away
    // from: where the halves still cover p about as much as the subject did,
    // the frame itself is the right ground (exactly so before they move),
    // and the fill's 36 taps are the shader's largest cost.
    var rgb = original.rgb;
    let vacated = here - cov_l - cov_r;
    if (vacated > 0.03) {
        rgb = mix(original.rgb, coarse_fill_at(p), here * smoothstep(0.03, 0.2, vacated));
    }

    // Fibres hang from each edge into the gap: per row of the tear one
    // strand of a hashed length, fading toward its tip; they only appear
    // once the halves have begun to part.
    let shown = smoothstep(0.0, 0.15, t);
    if (fibre_len > 0.0) {
        let len_l = fibre_len * (0.2 + 0.8 * line_hash(floor(ll.y / 1.3), key ^ 0x2545f491u));
        let len_r = fibre_len * (0.2 + 0.8 * line_hash(floor(lr.y / 1.3), key ^ 0x68e31da4u));
        let fl = ml * step(0.0, el) * clamp(1.0 - el / len_l, 0.0, 1.0);
        let fr = mr * step(0.0, -er) * clamp(1.0 + er / len_r, 0.0, 1.0);
        rgb = mix(rgb, PAPER, shown * 0.85 * max(fl, fr));
    }

    // The halves, with a ragged paper-white band inside each torn edge.
    // (No band at all without fibres: then the seed moves only the line.)
    let band = select(0.0, fibre_len * 0.9 + 0.5, fibre_len > 0.0);
    if (cov_l > 0.0) {
        var white = 0.0;
        if (band > 0.0) {
            let ragged = band * (0.4 + 0.6 * line_noise(ll.y / 2.5, key ^ 0xb5297a4du));
            white = shown * (1.0 - smoothstep(ragged * 0.6, ragged, -el));
        }
        rgb = mix(rgb, mix(frame_at(ql), PAPER, white * 0.9), cov_l);
    }
    if (cov_r > 0.0) {
        var white = 0.0;
        if (band > 0.0) {
            let ragged = band * (0.4 + 0.6 * line_noise(lr.y / 2.5, key ^ 0x1b56c4e9u));
            white = shown * (1.0 - smoothstep(ragged * 0.6, ragged, er));
        }
        rgb = mix(rgb, mix(frame_at(qr), PAPER, white * 0.9), cov_r);
    }
    textureStore(output, vec2<i32>(gid), vec4<f32>(rgb, original.a));
}
