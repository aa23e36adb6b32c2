// liquify: the subject turns to liquid as progress goes 0 -> 1: its pixels
// are carried by a flowing, turbulent warp (domain-warped value noise that
// drifts with time), glossy highlights ride on the liquid's surface, and
// the subject sags a little toward its bottom, spreading where it pools.
// Unlike melt (which drips straight down) the flow swirls every way and
// keeps moving. Where the subject's edge flows inward the background
// around it fills in; pixels outside the subject's box grown by the largest
// offset keep the frame (the SDK dispatches only over that grown box:
// `effect_region`, REGION = true).
//
// For each output pixel p, with the subject's box b (size bw x bh, bottom
// b.w), c = its centre, t = progress, s = sqrt(bw bh):
//   sag      = 0.12 strength t                      (fraction of bh)
//   q0.y     = b.w - (b.w - p.y) / (1 - sag)        (the top sinks)
//   q0.x     = c.x + (p.x - c.x) / (1 + 0.5 sag (1 - height above bottom))
//   x        = (p - c) / cell,  cell = mix(0.18, 0.45, viscosity) s
//   w        = noise2(x + flow offset) - 0.5        (the first warp)
//   d        = noise2(1.3 x + 2 w + turned offset) - 0.5
//   q        = q0 + clamp(3 d, -1, 1) * strength t 0.15 s
//   gloss    = (n . h)^32 with n = normalize(-3 d, 1), h the half vector
//              of a light from the upper left
//   mask(x)  = smoothstep(0.15, 0.85, the host's mask at x)  (steepened)
//   vacated  = max(mask(p) - mask(q), 0) / (1 - mask(q))  (the subject left p)
//   fill     = coarse_fill_at(p) (SDK prelude: the coarse fill, sampled), only where vacated > 0
//   result   = mix(mix(frame(p), fill, vacated), frame(q) + gloss, mask(q))
// The flow offset (time * flow * (1 - 0.6 viscosity)) comes from the CPU, so
// the liquid keeps moving even where progress changes slowly. With progress 0
// the shader keeps every pixel.
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4),
// input_2 = subject bounds (binding 5), the coarse fill (binding 6).
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x progress   0..1
//   u[0].y strength   0..1 (how far the liquid carries pixels; also the sag)
//   u[0].z flow       the flow offset in noise cells (time * flow speed)
//   u[0].w viscosity  0..1 (thicker liquid: larger, slower swirls)
//   u[1].x gloss      0..1 (brightness of the liquid highlights)
//   u[1].y seed       0..1000

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 2>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;
@group(0) @binding(5) var input_2: texture_2d<f32>;
@group(0) @binding(6) var coarse_fill: texture_2d<f32>;

// From the SDK's WGSL prelude (pikafx_sdk::wgsl::NOISE, pikafx_sdk::wgsl::SUBJECT,
// pikafx_sdk::wgsl::BOUNDS), appended after this file: value_noise, mask_at,
// coarse_fill_at, subject_box.

// How far the liquid moves for this frame and this subject box.
struct Reach {
    size: vec2<f32>,   // the box's size
    s: f32,            // sqrt of its area (0 for an empty box: no subject)
    amount: f32,       // strength * progress
    amp: f32,          // the largest warp offset, pixels
    sag: f32,          // fraction of the box's height
    // Nothing changes farther than this from the box: the warp, and the
    // sag's spread of the bottom by up to sag / 4 of the width each side.
    margin: vec2<f32>,
}

fn reach(b: vec4<f32>) -> Reach {
    let t = clamp(u[0].x, 0.0, 1.0);
    let strength = clamp(u[0].y, 0.0, 1.0);
    let size = b.zw - b.xy;
    let s = sqrt(max(size.x * size.y, 0.0));
    let amount = strength * t;
    let amp = amount * 0.15 * s;
    let sag = 0.12 * amount;
    let margin = vec2<f32>(amp + 0.25 * sag * size.x, amp) + 1.0;
    return Reach(size, s, amount, amp, sag, margin);
}

// See pikafx_sdk::wgsl::REGION: the subject's box grown by the margin;
// nothing before the flow starts or without a subject (an empty box).
fn effect_region() -> vec4<f32> {
    let b = subject_box();
    let r = reach(b);
    if (r.amount <= 0.0 || r.s < 1.0) {
        return vec4<f32>(0.0);
    }
    return vec4<f32>(b.xy - r.margin, b.zw + r.margin);
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let gid = region_pixel(id);
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let fd = vec2<f32>(dims);
    let flow = u[0].z;
    let viscosity = clamp(u[0].w, 0.0, 1.0);
    let gloss = clamp(u[1].x, 0.0, 1.0);
    let seed = u32(clamp(u[1].y, 0.0, 16777216.0));

    let p = vec2<f32>(gid) + vec2<f32>(0.5, 0.5);
    let original = textureLoad(input_0, vec2<i32>(gid), 0);
    // An empty box (no subject) has size 0 and keeps every pixel.
    let b = subject_box();
    let r = reach(b);
    let size = r.size;
    let s = r.s;
    let amount = r.amount;
    let amp = r.amp;
    let sag = r.sag;
    let margin = r.margin;
    let outside = any(p < b.xy - margin) || any(p > b.zw + margin);
    if (amount <= 0.0 || outside || s < 1.0) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    let c = 0.5 * (b.xy + b.zw);
    let above = clamp((b.w - p.y) / size.y, 0.0, 1.0);
    let q0 = vec2<f32>(c.x + (p.x - c.x) / (1.0 + 0.5 * sag * (1.0 - above)), b.w - (b.w - p.y) / (1.0 - sag));

    // Domain-warped noise: the first warp drifts with the flow, the second
    // layer is read through it, so the swirls fold and stretch as they move.
    let cell = mix(0.18, 0.45, viscosity) * s;
    let x = (p - c) / cell;
    let o = vec2<f32>(flow, -0.6 * flow);
    let w = vec2<f32>(value_noise(x + o, seed, 1u), value_noise(x + vec2<f32>(5.2, 1.3) - o, seed, 2u)) - 0.5;
    let x2 = 1.3 * x + 2.0 * w + vec2<f32>(-o.y, o.x);
    let d = vec2<f32>(value_noise(x2, seed, 3u), value_noise(x2 + vec2<f32>(8.3, 2.8), seed, 4u)) - 0.5;
    let q = q0 + clamp(3.0 * d, vec2<f32>(-1.0), vec2<f32>(1.0)) * amp;

    // The mask is steepened: its faint values (a moving subject's trail,
    // soft halos) would otherwise ripple / gloss the background around it.
    let mq = smoothstep(0.15, 0.85, mask_at(q));
    let mp = smoothstep(0.15, 0.85, mask_at(p));
    if (mq < 0.004 && mp < 0.004) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    // The liquid's surface normal follows the warp (its slope), lit from the
    // upper left; the highlight is sharpened by squaring (cheaper than pow()).
    let n = normalize(vec3<f32>(-3.0 * d, 1.0));
    let h = normalize(vec3<f32>(-0.45, -0.6, 0.66) + vec3<f32>(0.0, 0.0, 1.0));
    var spec = max(dot(n, h), 0.0);
    spec *= spec;
    spec *= spec;
    spec *= spec;
    spec *= spec;
    spec *= spec;
    let shine = gloss * smoothstep(0.0, 0.4, amount) * spec;
    let liquid = textureSampleLevel(input_0, linear, q / fd, 0.0).rgb;
    let subject = min(liquid * (1.0 + 0.15 * gloss * (n.z - 0.9)) + vec3<f32>(shine), vec3<f32>(1.0));

    // Where more subject was here than flowed in, show the background behind
    // it: the vacated share of what is not covered by the liquid. Where as
    // much flowed in as was here (soft mask, small offsets) it is 0, so the
    // 36-tap fill runs only where the subject really left. The mask's soft
    // rim is weighted up as the liquid gets going: taken as is, the rim's
    // pixels keep a faint outline of the old silhouette.
    let here = mix(mp, smoothstep(0.0, 0.4, mp), smoothstep(0.0, 0.25, amount));
    let vacated = clamp((here - mq) / max(1.0 - mq, 0.001), 0.0, 1.0);
    var base = original.rgb;
    if (vacated > 0.004) {
        base = mix(original.rgb, coarse_fill_at(p), vacated);
    }
    textureStore(output, vec2<i32>(gid), vec4<f32>(mix(base, subject, mq), original.a));
}
