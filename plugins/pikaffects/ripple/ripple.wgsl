// ripple: water-like concentric ripples spread out from the subject's
// centroid across the subject as progress goes 0 -> 1. Ring waves travel
// outward with time, refract (displace) the subject's pixels and shade
// them (crests brighter, troughs darker, a glint on the slopes that face
// the light); they decay with distance from the centre. Pixels outside the
// (displaced) subject keep the frame, so the background stays intact.
//
// For each output pixel p, with c = the subject's centroid, r = |p - c|,
// dir = (p - c) / r, k = 2 pi / wavelength:
//   phase    = k r - 2 pi cycles           (cycles = speed * time, from the CPU)
//   env      = exp(-damping * r / reach)   (rings fade as they spread)
//            * (1 - smoothstep(front - wavelength, front, r))
//   front    = progress * 1.25 * reach     (how far the rings have spread;
//                                           reach = farthest box corner)
//   A        = amplitude wavelength / (2 pi)  (the largest offset at which
//              neighbouring pixels cannot swap places, so the subject never
//              folds over itself and tears)
//   q        = p - dir * A * env * cos(phase)   (refraction: the
//              offset follows the water surface's slope)
//   subject  = frame(q) shaded by 1 + 0.3 shine env sin(phase) + glint
//   mask(x)  = smoothstep(0.15, 0.85, the host's mask at x)  (steepened)
//   vacated  = max(mask(p) - mask(q), 0) / (1 - mask(q))  (the subject left p)
//   fill     = frame(p + dir (A + 2))  (the background just outside)
//   result   = mix(mix(frame(p), fill, vacated), subject, mask(q))
// With progress 0 the front is at r = 0, env = 0 and the frame is
// unchanged. Pixels outside the subject's box grown by the largest offset
// keep the frame: the SDK dispatches only over that grown box
// (`effect_region`, REGION = true).
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4),
// input_2 = subject bounds (binding 5).
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x progress   0..1
//   u[0].y amplitude  0..1 (refraction strength; 1 = the most without folding)
//   u[0].z wavelength 8..240 (ring spacing, in pixels at 720p)
//   u[0].w cycles     fract(speed * time): the rings' travel, 0..1 of a ring
//   u[1].x damping    0..4 (how fast the rings fade away from the centre)
//   u[1].y shine      0..1 (shading of the rings and the glint)

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 2>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;
@group(0) @binding(5) var input_2: texture_2d<f32>;

// From the SDK's WGSL prelude (pikafx_sdk::wgsl::SUBJECT, pikafx_sdk::wgsl::BOUNDS),
// appended after this file: frame_at, mask_at, subject_box,
// subject_centre.

// The rings' size in a frame of size `fd`, pixels.
struct Waves {
    wavelength: f32,
    amplitude: f32,    // the largest offset
    margin: f32,       // nothing changes farther than this from the box
}

fn waves(fd: vec2<f32>) -> Waves {
    let px = fd.y / 720.0;
    let wavelength = max(clamp(u[0].z, 8.0, 240.0) * px, 2.0);
    let amplitude = clamp(u[0].y, 0.0, 1.0) * wavelength / 6.2831853;
    return Waves(wavelength, amplitude, amplitude + 1.0);
}

// See pikafx_sdk::wgsl::REGION: the subject's box grown by the largest
// offset; nothing before the rings start or without a subject (an empty
// box).
fn effect_region() -> vec4<f32> {
    let b = subject_box();
    if (u[0].x <= 0.0 || b.z <= b.x) {
        return vec4<f32>(0.0);
    }
    let reach_margin = waves(vec2<f32>(textureDimensions(input_0))).margin;
    return b + vec4<f32>(-reach_margin, -reach_margin, reach_margin, reach_margin);
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
    let wv = waves(fd);
    let wavelength = wv.wavelength;
    let amplitude = wv.amplitude;
    let cycles = u[0].w;
    let damping = clamp(u[1].x, 0.0, 4.0);
    let shine = clamp(u[1].y, 0.0, 1.0);

    let p = vec2<f32>(gid) + vec2<f32>(0.5, 0.5);
    let original = textureLoad(input_0, vec2<i32>(gid), 0);
    // An empty box (no subject) keeps every pixel, so no separate
    // subject_found() tap is needed.
    let b = subject_box();
    let reach_margin = wv.margin;
    let outside = any(p < b.xy - reach_margin) || any(p > b.zw + reach_margin);
    if (progress <= 0.0 || outside || b.z <= b.x) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    let c = subject_centre();
    let corner = max(abs(b.xy - c), abs(b.zw - c));
    let reach = max(length(corner), 1.0);
    let front = progress * 1.25 * reach;
    let d = p - c;
    let r = length(d);
    let dir = d / max(r, 1e-3);
    let env = exp(-damping * r / reach) * (1.0 - smoothstep(front - wavelength, front, r));
    let phase = 6.2831853 * (r / wavelength - cycles);
    let height = sin(phase);
    let slope = cos(phase);

    let q = p - dir * (amplitude * env * slope);
    // The mask is steepened: its faint values (a moving subject's trail,
    // soft halos) would otherwise ripple / gloss the background around it.
    let mq = smoothstep(0.15, 0.85, mask_at(q));
    let mp = smoothstep(0.15, 0.85, mask_at(p));
    if (mq < 0.004 && mp < 0.004) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    // Bilinear: the offsets are fractions of a pixel near the rings' nodes.
    let refracted = textureSampleLevel(input_0, linear, q / fd, 0.0).rgb;
    // The glint: the slopes facing a light from the upper left, sharpened
    // by squaring (cheaper than pow()).
    let facing = max(dot(dir, vec2<f32>(-0.7071, -0.7071)) * slope * env, 0.0);
    let f2 = facing * facing;
    let glint = shine * 0.6 * f2 * f2;
    let lit = refracted * (1.0 + 0.3 * shine * env * height) + vec3<f32>(glint);
    let subject = clamp(lit, vec3<f32>(0.0), vec3<f32>(1.0));

    // Where more subject was here than the rings moved in, show the
    // background behind it (0 where the mask is soft but nothing moved).
    // The rings move the edge by at most A (`amplitude`) along the radius, so
    // the background just outside, one offset further out, is a plausible
    // fill at one tap; where that is subject too (a concave outline) the old
    // pixel stays. (background_fill would cost ~6 ms a 720p frame on
    // lavapipe even where it is never called: its loops are compiled into
    // every invocation.)
    let vacated = clamp((mp - mq) / max(1.0 - mq, 0.001), 0.0, 1.0);
    var base = original.rgb;
    if (vacated > 0.004) {
        let s = p + dir * (amplitude + 2.0);
        let clear = 1.0 - smoothstep(0.15, 0.5, mask_at(s));
        base = mix(original.rgb, frame_at(s), vacated * clear);
    }
    textureStore(output, vec2<i32>(gid), vec4<f32>(mix(base, subject, mq), original.a));
}
