// poke: an invisible finger pokes the subject. For the first 30% of the
// timeline a dent pushes in at a spot (by default the subject's centre of
// mass), shaded like a bowl lit from the upper left; then the finger lets
// go: the dent springs back with a damped overshoot and ripples run outward
// from it across the subject, fading as they go.
//
// The surface is a height field H(r) around the poke point c (r = |p - c|):
//   dent     = -D(t) * bell(r / sigma),  bell(x) = 1 / (1 + x^2)^2
//              (a rational bell: no exp per pixel, and its slope is exact)
//   D(t)     = depth * smoothstep(t / 0.3) while pushing; after release
//              (tau = 0..1 over the rest) depth * exp(-decay tau) * cos(3 pi tau),
//              decay = 0.5 + 3 * damping
//   ripple   = A * front(r) * sin(2 pi (r - 2 R tau) / lambda), lambda = R / ripples,
//              A = depth * exp(-decay tau) / (1 + r / R), front = waves only
//              behind the front 2 R tau (R = distance to the box's far corner)
// From it, per output pixel p (only on the subject, mask-weighted):
//   q        = p + dir * (D * bell * r * 0.8 + A * front * cos(phase) * lambda * 0.12)
//              (pulls the texture into the dent, bunches it in rings)
//   shade    = (1 - 0.5 * slope * dot(dir, L)) * (1 - 0.3 * D * bell),
//              L = direction to the light (upper left), slope = the dent's
//              dH/dr * sigma + 2 * A * front * cos(phase) (the ripples')
//   result   = mix(frame(p), frame(q) * mix(1, shade, mask(q)), mask(p))
//              The surface moves within the subject's silhouette. Where the
//              dent pulls the subject's edge inward, q lands on background
//              a few pixels away, which is itself the right fill for such
//              small shifts: no background_fill (its code alone costs
//              lavapipe ~5 ms a frame even where it is never called).
// At progress 0, D = A = 0 and the frame is returned untouched (early out).
// Pixels outside the subject's box (plus a margin for the mask's grid and
// the displacement) exit before any mask tap; the SDK dispatches only over
// that grown box (`effect_region`, REGION = true).
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4),
// input_2 = subject bounds (binding 5).
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x progress  0..1
//   u[0].y depth     0..1 (how deep the dent and how strong the ripples)
//   u[0].z size      0.05..0.8 (dent radius sigma, as a fraction of R)
//   u[3..4] spot   0..1 in the subject's box; (0.5, 0.5) = its centre of mass
//   u[1].y ripples   1..8 (wave crests over R)
//   u[1].z damping   0..1 (how fast the spring and the ripples die out)

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 2>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;
@group(0) @binding(5) var input_2: texture_2d<f32>;

// From the SDK's WGSL prelude (pikafx_sdk::wgsl::SUBJECT, BOUNDS), appended
// after this file: frame_at, mask_at, subject_box, subject_centre,
// subject_found.

const TAU: f32 = 6.2831853;
// The finger pushes for this fraction of the timeline, then lets go.
const PUSH: f32 = 0.3;

// The dent's geometry for this frame and this subject box.
struct Geometry {
    c: vec2<f32>,      // the poke point
    big_r: f32,        // distance to the box's far corner
    sigma: f32,        // the dent's radius
    lambda: f32,       // the ripples' wavelength
    // Nothing changes farther than this from the box: the bounds pass works
    // on a 64x64 grid, so the mask can reach about a cell past the box; plus
    // the largest displacement.
    margin: vec2<f32>,
}

fn geometry(b: vec4<f32>, fd: vec2<f32>) -> Geometry {
    let depth = clamp(u[0].y, 0.0, 1.0);
    let size = clamp(u[0].z, 0.05, 0.8);
    let spot = clamp(vec2<f32>(u[0].w, u[1].x), vec2<f32>(0.0), vec2<f32>(1.0));
    let ripples = clamp(u[1].y, 1.0, 8.0);
    let c = subject_centre() + (spot - 0.5) * (b.zw - b.xy);
    let far = max(abs(c - b.xy), abs(b.zw - c));
    let big_r = max(length(far), 4.0);
    let sigma = size * big_r;
    let lambda = big_r / ripples;
    let margin = fd / 64.0 + vec2<f32>(3.0 + 0.4 * depth * sigma + 0.1 * lambda);
    return Geometry(c, big_r, sigma, lambda, margin);
}

// See pikafx_sdk::wgsl::REGION: the subject's box grown by the margin;
// nothing before the poke, without depth or without a subject.
fn effect_region() -> vec4<f32> {
    if (u[0].x <= 0.0 || u[0].y <= 0.0 || !subject_found()) {
        return vec4<f32>(0.0);
    }
    let b = subject_box();
    let g = geometry(b, vec2<f32>(textureDimensions(input_0)));
    return vec4<f32>(b.xy - g.margin, b.zw + g.margin);
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
    let depth = clamp(u[0].y, 0.0, 1.0);
    let damping = clamp(u[1].z, 0.0, 1.0);

    let original = textureLoad(input_0, vec2<i32>(gid), 0);
    if (t <= 0.0 || depth <= 0.0 || !subject_found()) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    let b = subject_box();
    let g = geometry(b, fd);
    let c = g.c;
    let big_r = g.big_r;
    let sigma = g.sigma;
    let lambda = g.lambda;

    let decay = 0.5 + 3.0 * damping;
    let tau = max(t - PUSH, 0.0) / (1.0 - PUSH);
    let fade = exp(-decay * tau);
    var dent = depth * smoothstep(0.0, 1.0, t / PUSH);
    if (tau > 0.0) {
        dent = depth * fade * cos(1.5 * TAU * tau);
    }
    let front = 2.0 * big_r * tau;

    // Out of reach (see `Geometry::margin`): untouched.
    let p = vec2<f32>(gid) + vec2<f32>(0.5, 0.5);
    let margin = g.margin;
    if (any(p < b.xy - margin) || any(p > b.zw + margin)) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    let d = p - c;
    let r = length(d);
    let dir = select(vec2<f32>(0.0, 0.0), d / r, r > 1e-3);
    let x = r / sigma;
    let x2 = 1.0 + x * x;
    let bell = 1.0 / (x2 * x2);
    // dH/dr * sigma of the dent (-D * bell): D * 4x / (1 + x^2)^3.
    var slope = dent * 4.0 * x * bell / x2;
    var shift = dent * bell * r * 0.8;

    // Ripples only exist behind the front and only after the release.
    let behind = clamp((front - r) / lambda, 0.0, 1.0);
    if (behind > 0.0) {
        let amp = depth * fade * behind / (1.0 + r / big_r);
        let phase = TAU * (r - front) / lambda;
        let wave = cos(phase);
        slope += amp * wave * 2.0;
        shift += amp * wave * lambda * 0.12;
    }

    let q = p + dir * shift;
    let here = mask_at(p);
    if (here < 0.004) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }
    let moved = mask_at(q);

    // Light from the upper left: walls facing it brighten, walls facing
    // away darken; the bottom of the dent is a little occluded. Only the
    // subject's surface is shaded.
    let light = vec2<f32>(-0.6, -0.8);
    let shade = (1.0 - 0.5 * slope * dot(dir, light)) * (1.0 - 0.3 * max(dent, 0.0) * bell);
    let poked = clamp(frame_at(q) * mix(1.0, shade, moved), vec3<f32>(0.0), vec3<f32>(1.0));
    textureStore(output, vec2<i32>(gid), vec4<f32>(mix(original.rgb, poked, here), original.a));
}
