// peel: the subject peels off like a sticker, starting from one side (or
// corner) and rolling across it as progress goes 0 -> 1; the lifted part
// curls over a cylinder and lies back over the rest, showing its back in the
// backing colour with shading along the curl; where it has come off, the
// background is filled in from the subject's surroundings.
//
// The page-curl model, in 1D along the peel's direction `dir`:
//   x        = dot(p, dir) - (the subject box's first edge along dir)
//   f(t)     = the peel front, 0 -> amount * (box length L + 1), eased
//              half-way between linear and smoothstep
//   R        = radius * L (the curl's radius)
// The sticker's material at x < f has left the ground. Material at arc
// length a = f - x behind the front wraps a cylinder of radius R standing on
// the front line (top view: x' = f - R sin(a / R)) for a < pi R, and beyond
// that lies flipped back over the unpeeled part, tilted up so it is
// foreshortened by FLAT: x' = f + (a - pi R) * FLAT. For output pixel p with
// coordinate x' the shader inverts these to find the source points:
//   x' >= f          flipped back    (backing colour with a tenth of the
//                                     print showing through, lit flat)
//   f - R <= x' < f  upper cylinder  (back side, shaded by how much the
//                                     curl's surface faces up, a highlight)
//                    lower cylinder  (the printed side, darkening as it
//                                     turns away; shown where the upper
//                                     half has no material)
//   under them       x' >= f: the unpeeled sticker (the frame as it is);
//                    x' < f: the background fill where the mask was
// A soft drop shadow of the flipped part (light from the top left) and of
// the curl falls on what lies under them.
// With progress 0 the front is at the box's edge and the frame is unchanged.
// Cost: the SDK dispatches only over the frame-aligned box around the
// box's span across dir, from behind the curl to where the flipped part
// can reach (`effect_region`, REGION = true); there, pixels outside that
// span (the box's corners, for a diagonal peel) return after the 2 box
// taps, the others take 2-4 mask taps and a coarse-fill tap where the
// lifted ground shows.
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4),
// input_2 = subject bounds (binding 5), coarse fill (binding 6).
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x progress    0..1
//   u[1..2] dir      unit vector the peel travels along (from the chosen side)
//   u[0].w radius      0.03..0.4 (the curl's radius, as a fraction of L)
//   u[4..6] backing  rgb of the sticker's back
//   u[1].w amount      0.1..1 (how much of the subject is peeled at the end)

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 2>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;
@group(0) @binding(5) var input_2: texture_2d<f32>;
@group(0) @binding(6) var coarse_fill: texture_2d<f32>;

// From the SDK's WGSL prelude (pikafx_sdk::wgsl::SUBJECT, BOUNDS), appended
// after this file: frame_at, mask_at, coarse_fill_at, subject_box.

const PI: f32 = 3.14159265;
// Foreshortening of the flipped part: it is held up at about 40 degrees,
// which also keeps it from sliding far past the subject.
const FLAT: f32 = 0.75;

// The source point of arc length `a` behind the front, for output pixel `p`
// at coordinate `x` along `dir` (front at `f`).
fn source_of(p: vec2<f32>, dir: vec2<f32>, x: f32, f: f32, a: f32) -> vec2<f32> {
    return p + dir * (f - a - x);
}

// The sticker's material at frame point `q`: the subject mask firmed up
// (0.15..0.85 -> 0..1), so the lifted sticker is solid where the mask is
// unsure and the background fill runs only where it really came off.
fn sticker(q: vec2<f32>) -> f32 {
    return smoothstep(0.15, 0.85, mask_at(q));
}

// How much of the flipped part covers output pixel `p` (for the shadow).
fn flipped_cover(p: vec2<f32>, dir: vec2<f32>, x0: f32, f: f32, r: f32) -> f32 {
    let x = dot(p, dir) - x0;
    if (x < f) {
        return 0.0;
    }
    return sticker(source_of(p, dir, x, f, PI * r + (x - f) / FLAT));
}

// The peel's geometry for this frame and subject box `b`.
struct Peel {
    dir: vec2<f32>,     // the way the peel travels
    side: vec2<f32>,    // across it
    x0: f32,            // the box's extent along dir (x0 .. x0 + len)
    len: f32,
    y0: f32,            // and across it (y0 .. y0 + wide)
    wide: f32,
    r: f32,             // the curl's radius
    f: f32,             // the front
    shadow_off: f32,
    // Nothing changes at x = dot(p, dir) - x0 beyond this: the flipped
    // part's far edge and its shadow.
    reach: f32,
}

fn peel_geometry(b: vec4<f32>) -> Peel {
    let t = clamp(u[0].x, 0.0, 1.0);
    let dir = normalize(vec2<f32>(u[0].y, u[0].z) + vec2<f32>(1e-6, 0.0));
    let radius = clamp(u[0].w, 0.01, 1.0);
    let amount = clamp(u[1].w, 0.0, 1.0);
    let side = vec2<f32>(-dir.y, dir.x);
    let x0 = min(b.x * dir.x, b.z * dir.x) + min(b.y * dir.y, b.w * dir.y);
    let len = max(b.z * dir.x, b.x * dir.x) + max(b.w * dir.y, b.y * dir.y) - x0;
    let y0 = min(b.x * side.x, b.z * side.x) + min(b.y * side.y, b.w * side.y);
    let wide = max(b.z * side.x, b.x * side.x) + max(b.w * side.y, b.y * side.y) - y0;
    let r = max(radius * len, 1.5);
    let eased = mix(t, t * t * (3.0 - 2.0 * t), 0.5);
    let f = eased * amount * (len + 1.0);
    let shadow_off = 0.25 * r + 1.0;
    let reach = f + max(f - PI * r, 0.0) * FLAT + 2.0 * shadow_off;
    return Peel(dir, side, x0, len, y0, wide, r, f, shadow_off, reach);
}

// Where the frame can change (see pikafx_sdk::wgsl::REGION): the
// frame-aligned box around `main`'s first test, the band across dir
// from behind the curl to `reach` (or the box's far side); nothing
// before the start or without a subject.
fn effect_region() -> vec4<f32> {
    let b = subject_box();
    if (u[0].x <= 0.0 || clamp(u[1].w, 0.0, 1.0) <= 0.0 || b.z - b.x < 1.0) {
        return vec4<f32>(0.0);
    }
    let g = peel_geometry(b);
    let xs = vec2<f32>(-g.r - 1.0, max(g.reach, g.len) + 1.0) + g.x0;
    let ys = vec2<f32>(-1.5 * g.shadow_off - 1.0, g.wide + 1.5 * g.shadow_off + 1.0) + g.y0;
    var lo = vec2<f32>(1e9);
    var hi = vec2<f32>(-1e9);
    for (var i = 0; i < 4; i++) {
        let q = g.dir * select(xs.x, xs.y, (i & 1) == 1) + g.side * select(ys.x, ys.y, i >= 2);
        lo = min(lo, q);
        hi = max(hi, q);
    }
    return vec4<f32>(lo - 2.0, hi + 2.0);
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let gid = region_pixel(id);
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let t = clamp(u[0].x, 0.0, 1.0);
    let backing = clamp(vec3<f32>(u[1].x, u[1].y, u[1].z), vec3<f32>(0.0), vec3<f32>(1.0));
    let amount = clamp(u[1].w, 0.0, 1.0);

    // (No subject found: the bounds are an empty box, caught here too.)
    let original = textureLoad(input_0, vec2<i32>(gid), 0);
    let b = subject_box();
    if (t <= 0.0 || amount <= 0.0 || b.z - b.x < 1.0) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    // The box's extent along dir (x0 .. x0 + len) and across it.
    let g = peel_geometry(b);
    let dir = g.dir;
    let side = g.side;
    let x0 = g.x0;
    let len = g.len;
    let y0 = g.y0;
    let wide = g.wide;
    let r = g.r;
    let f = g.f;

    // Outside the box (across), or before the curl's far side, or beyond
    // where the flipped part can reach, nothing changes: most of the frame.
    let p = vec2<f32>(gid) + vec2<f32>(0.5, 0.5);
    let x = dot(p, dir) - x0;
    let y = dot(p, side) - y0;
    let shadow_off = g.shadow_off;
    let reach = g.reach;
    if (y < -1.5 * shadow_off - 1.0 || y > wide + 1.5 * shadow_off + 1.0 || x < -r - 1.0 || x > max(reach, len) + 1.0) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    // The ground: the sticker where it is still down, else the background.
    // Off the subject and behind the curl (and its shadow) nothing can land.
    let here = sticker(p);
    if (here < 0.004 && x < f - r - 2.0 * shadow_off) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }
    let lifted = clamp(f - x + 0.5, 0.0, 1.0) * here;
    var rgb = original.rgb;
    var cover = 0.0;
    var top = vec3<f32>(0.0);
    if (x >= f) {
        // The flipped part, lit almost flat, over the unpeeled sticker.
        let q = source_of(p, dir, x, f, PI * r + (x - f) / FLAT);
        cover = sticker(q);
        if (cover > 0.0) {
            top = mix(backing, frame_at(q), 0.1) * 0.93;
        }
    } else if (x >= f - r) {
        // The curl: its upper half shows the sticker's back, shaded by how
        // much its surface faces up (the light), with a highlight band; the
        // lower half (the printed side) shows only where the upper has no
        // material, dark inside the roll.
        let s = clamp((f - x) / r, 0.0, 1.0);
        let theta_low = asin(s);
        let theta_up = PI - theta_low;
        let edge = clamp((x - (f - r)) * 1.5, 0.0, 1.0);
        let qu = source_of(p, dir, x, f, r * theta_up);
        let mu = sticker(qu) * edge;
        let facing = -cos(theta_up);
        let shine = 1.0 - smoothstep(0.0, 0.12, abs(theta_up / PI - 0.82));
        let back = mix(backing, frame_at(qu), 0.1) * (0.5 + 0.45 * facing) + vec3<f32>(0.22 * shine);
        var under = vec3<f32>(0.0);
        var mlow = 0.0;
        if (mu < 0.999) {
            let ql = source_of(p, dir, x, f, r * theta_low);
            mlow = sticker(ql) * edge;
            if (mlow > 0.0) {
                under = frame_at(ql) * (0.25 + 0.75 * cos(theta_low));
            }
        }
        cover = mu + (1.0 - mu) * mlow;
        if (cover > 0.0) {
            top = (back * mu + under * (1.0 - mu) * mlow) / cover;
        }
    }
    // The fill (36 taps, the largest cost) only where it shows: under the
    // lifted sticker, where the curl does not cover it.
    let shows = lifted * (1.0 - cover);
    if (shows > 0.03) {
        rgb = mix(original.rgb, coarse_fill_at(p), lifted * smoothstep(0.03, 0.2, shows));
    }
    if (cover < 0.999) {
        // The flipped part's drop shadow (light from the top left), and the
        // curl's shadow on the ground just before it.
        let drop = flipped_cover(p - vec2<f32>(shadow_off), dir, x0, f, r);
        let roll = smoothstep(f - 1.8 * r, f - r, x) * step(x, f) * lifted;
        rgb *= 1.0 - 0.35 * max(drop, roll) * smoothstep(0.0, 0.1, t);
    }
    rgb = mix(rgb, min(top, vec3<f32>(1.0)), cover);
    textureStore(output, vec2<i32>(gid), vec4<f32>(rgb, original.a));
}
