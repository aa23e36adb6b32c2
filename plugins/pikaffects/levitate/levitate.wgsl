// levitate: the subject rises off the ground as progress goes 0 -> 1, with a
// gentle bob, leaving a soft elliptical shadow where its bottom was; the
// place it vacated is filled from the surrounding background.
//
// For each output pixel p:
//   rise(t)  = t * height * H + bob * 0.04 * H * sin(6 pi t) * smoothstep(0, 0.2, t)
//   subject  = frame(p + (0, rise)) weighted by mask(p + (0, rise))
//   ground   = frame(p), or the background fill where mask(p) is subject
//   shadow   = blur over an ellipse of the mask's bottom edges (subject
//              above, background below), darkening the ground
// With progress 0 the rise is 0 and the frame is unchanged.
// Cost: the SDK dispatches only over the box of the mask's non-zero
// pixels grown by the rise and the shadow's reach (`effect_region`,
// REGION = true); there, 2-3 mask taps, 1-2 frame taps and, under the
// shadow, 16 more mask taps per pixel. Finding that box costs one mask tap
// per work-grid pixel of the host's mask (~37k at 720p).
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4, red),
// coarse fill (binding 5).
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x progress  0..1
//   u[0].y height    0..0.6 (rise at the end, as a fraction of frame height)
//   u[0].z bob       0..1 (strength of the bobbing while rising)
//   u[0].w shadow    0..1 (darkness of the ground shadow)

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 1>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;
@group(0) @binding(5) var coarse_fill: texture_2d<f32>;

// From the SDK's WGSL prelude (pikafx_sdk::wgsl::NOISE, pikafx_sdk::wgsl::SUBJECT,
// pikafx_sdk::wgsl::COARSE_FILL), appended after this file: hash_u32, hash2,
// frame_at, mask_at, coarse_fill_at.

// The lift for this frame of `fd` pixels.
struct Lift {
    rise: f32,      // how far up the subject is drawn, pixels
    moved: f32,     // how much of the subject has left the ground (0..1)
    rx: f32,        // the shadow blur's half extents, pixels
    ry: f32,
    strength: f32,  // the shadow's darkness now
}

fn lift(fd: vec2<f32>) -> Lift {
    let t = clamp(u[0].x, 0.0, 1.0);
    let height = clamp(u[0].y, 0.0, 1.0);
    let bob = clamp(u[0].z, 0.0, 1.0);
    let shadow = clamp(u[0].w, 0.0, 1.0);
    let wobble = bob * 0.04 * fd.y * sin(t * 18.849556) * smoothstep(0.0, 0.2, t);
    let rise = max(t * height * fd.y + wobble, 0.0);
    let rx = fd.y * (0.05 + 0.4 * height);
    let ry = fd.y * 0.025;
    let strength = shadow * 0.75 * smoothstep(0.0, 0.15, t) * (1.0 - 0.35 * t);
    return Lift(rise, smoothstep(0.0, 1.0, rise), rx, ry, strength);
}

// Where the frame can change (see pikafx_sdk::wgsl::REGION): the mask's
// non-zero box (`mask_support`: the fill where the subject was), grown up
// by the rise (the risen subject) and, while there is a shadow, by its
// taps' reach (x within 1.2 rx, y from 2.5 ry above to 0.5 ry below a tap
// that sees the mask). Nothing before the start or without a mask.
fn effect_region() -> vec4<f32> {
    if (u[0].x <= 0.0) {
        return vec4<f32>(0.0);
    }
    let s = mask_support();
    if (s.z <= s.x) {
        return vec4<f32>(0.0);
    }
    let l = lift(vec2<f32>(textureDimensions(input_0)));
    var grow = vec4<f32>(2.0, 2.0 + l.rise, 2.0, 2.0);
    if (l.strength > 0.0) {
        grow = max(grow, vec4<f32>(2.0 + 1.2 * l.rx, 2.0, 2.0 + 1.2 * l.rx, 2.0 + 2.5 * l.ry));
    }
    return s + vec4<f32>(-grow.xy, grow.zw);
}

// How much pixel `p` lies in the soft elliptical shadow under the subject's
// original bottom edge (0..1): 8 taps of a bottom-edge detector, jittered
// per pixel (a fixed hash) so the blur has no bands.
fn shadow_cover(p: vec2<f32>, rx: f32, ry: f32) -> f32 {
    let jitter = vec2<f32>(hash2(vec2<i32>(p), 1u, 0u) - 0.5, hash2(vec2<i32>(p), 1u, 1u) - 0.5);
    let xs = array<f32, 4>(-0.9, -0.3, 0.3, 0.9);
    let ws = array<f32, 4>(0.6, 1.0, 1.0, 0.6);
    var acc = 0.0;
    for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 2u; j++) {
            let q = p + vec2<f32>((xs[i] + jitter.x * 0.6) * rx, (jitter.y - f32(j)) * ry);
            let edge = mask_at(q - vec2<f32>(0.0, ry)) - mask_at(q + vec2<f32>(0.0, ry));
            acc += ws[i] * clamp(edge, 0.0, 1.0);
        }
    }
    return smoothstep(0.0, 1.0, acc / 4.5);
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let gid = region_pixel(id);
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let fd = vec2<f32>(dims);
    let shadow = clamp(u[0].w, 0.0, 1.0);
    let l = lift(fd);

    let p = vec2<f32>(gid) + vec2<f32>(0.5, 0.5);
    let original = textureLoad(input_0, vec2<i32>(gid), 0);

    let rise = l.rise;
    let moved = l.moved;

    // The ground: the frame, with the vacated subject filled and shadowed.
    var ground = original.rgb;
    let m0 = mask_at(p) * moved;
    let sy = p.y + rise;
    var ms = 0.0;
    var subject = ground;
    if (sy < fd.y) {
        let suv = vec2<f32>(p.x, sy) / fd;
        ms = textureSampleLevel(input_1, linear, suv, 0.0).r * moved;
        subject = textureSampleLevel(input_0, linear, suv, 0.0).rgb;
    }
    if (m0 > 0.01 && ms < 0.99) {
        ground = mix(ground, coarse_fill_at(p), m0);
    }
    if (shadow > 0.0 && ms < 0.99) {
        ground *= 1.0 - l.strength * shadow_cover(p, l.rx, l.ry);
    }

    textureStore(output, vec2<i32>(gid), vec4<f32>(mix(ground, subject, ms), original.a));
}
