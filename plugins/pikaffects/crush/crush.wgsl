// crush: an invisible press comes down on the subject in three jerky
// crunches as progress goes 0 -> 1. The subject is flattened toward its base
// (the bottom of its box stays put), buckles into crumpled folds whose dark
// creases deepen as it is pressed, and bulges sideways around its middle;
// the background it uncovers above is filled in.
//
// Everything is a backward map: for each output pixel p we find the source
// point q whose colour lands there.
//   a        = stepped ease of progress (3 crunches, each fast then still)
//   s        = 1 - flatness * a          (height of the subject, as a fraction)
//   e        = (base - p.y) / (s * height)   (0 at the base, 1 at the press)
//   q.y      = base - (base - p.y) / s
//   q.x      = cx + (p.x - cx) / (1 + bulge * a * 0.5 * (0.35 + 0.65 sin(pi e)))
//   folds    = two fold sets in *source* space (so they stick to the subject
//              and get packed tighter as it is squashed): horizontal
//              accordion folds phi1 and diagonal crumples phi2, both warped
//              by value noise (seeded). They displace q (the texture bunches
//              up, the outline gets ragged) and shade it: a slope term
//              (faces tilted toward the light above are brighter) and a
//              sharp dark term at each valley (the creases).
//   covered  = smoothstep(0.1, 0.5, mask(q)) below the press plane (flat top)
//   result   = mix(frame(p), or the background fill where the subject was
//                  (weight smoothstep(0.02, 0.5, mask(p))), frame(q) * shade, covered)
//   fill     = the coarse background fill of the pass before (pikafx_sdk::wgsl::COARSE_FILL_PASS:
//              background_fill once per 16x16 pixels at 720p), sampled
//              bilinearly. The fill is smooth anyway, and calling
//              background_fill here would cost lavapipe ~5 ms a 720p frame
//              for its code alone, even on pixels that never call it.
// At progress 0, a = 0: the frame is returned untouched (early out).
// Only the rectangle the crushed subject and the fill can reach is
// dispatched (`effect_region`, see pikafx_sdk::wgsl::REGION); within it,
// pixels the subject cannot reach exit after one mask tap (filled where the
// subject was, within its box plus a grid cell).
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4),
// input_2 = subject bounds (binding 5), input_3 = coarse fill (binding 6).
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x progress  0..1
//   u[0].y flatness  0.3..0.95 (fraction of the height pressed away at the end)
//   u[0].z crumple   0..1 (strength of the folds, creases and ragged outline)
//   u[0].w bulge     0..1 (sideways spread around the middle)
//   u[1].x seed      0..1000 (which crumple pattern)

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 2>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;
@group(0) @binding(5) var input_2: texture_2d<f32>;
@group(0) @binding(6) var input_3: texture_2d<f32>;

// From the SDK's WGSL prelude (pikafx_sdk::wgsl::NOISE, SUBJECT, BOUNDS),
// appended after this file: value_noise, frame_at, mask_at, subject_box,
// subject_found.

const TAU: f32 = 6.2831853;

// The press at stepped progress `a` on the subject's box `b`.
struct Press {
    height: f32,   // the box's height
    s: f32,        // the subject's height now, as a fraction
    press: f32,    // the press plane's y
    fold: f32,     // fold wavelength in source pixels (~six over the height)
    jag: f32,      // ragged displacement of the outline
    cell: vec2<f32>, // how far the mask can pass the box (a bounds-grid cell)
    reach_w: f32,  // half-width the crushed subject can reach from the centre
}

fn press_geometry(b: vec4<f32>, a: f32, size: vec2<f32>) -> Press {
    let height = max(b.w - b.y, 1.0);
    let half_w = 0.5 * (b.z - b.x);
    let s = 1.0 - clamp(u[0].y, 0.0, 0.95) * a;
    let fold = max(height, half_w) / 6.0;
    let jag = clamp(u[0].z, 0.0, 1.0) * a * fold;
    let cell = size / 64.0 + vec2<f32>(2.0);
    let reach_w = (half_w + cell.x) * (1.0 + 0.5 * clamp(u[0].w, 0.0, 1.0) * a) + jag;
    return Press(height, s, b.w - s * height, fold, jag, cell, reach_w);
}

// The stepped ease of progress: three crunches, each fast (its first 40%)
// then still, so the press reads as violent, not as a glide.
fn crunches(progress: f32) -> f32 {
    let f = progress * 3.0;
    let k = floor(f);
    return min((k + smoothstep(0.0, 0.4, f - k)) / 3.0, 1.0);
}

// See pikafx_sdk::wgsl::REGION: the crushed subject's reach and the box it
// left (filled); nothing at progress 0 or without a subject.
fn effect_region() -> vec4<f32> {
    let a = crunches(clamp(u[0].x, 0.0, 1.0));
    if (a <= 0.0 || !subject_found()) {
        return vec4<f32>(0.0);
    }
    let b = subject_box();
    let g = press_geometry(b, a, vec2<f32>(textureDimensions(input_0)));
    let cx = 0.5 * (b.x + b.z);
    let top = min(b.y, g.press - g.jag) - g.cell.y;
    return vec4<f32>(min(cx - g.reach_w, b.x - g.cell.x), top, max(cx + g.reach_w, b.z + g.cell.x), b.w + g.jag + g.cell.y);
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let gid = region_pixel(id);
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let pi = vec2<i32>(gid);
    let progress = clamp(u[0].x, 0.0, 1.0);
    let crumple = clamp(u[0].z, 0.0, 1.0);
    let bulge = clamp(u[0].w, 0.0, 1.0);
    let seed = u32(max(u[1].x, 0.0));

    let original = textureLoad(input_0, pi, 0);
    let a = crunches(progress);
    if (a <= 0.0 || !subject_found()) {
        textureStore(output, pi, original);
        return;
    }

    let p = vec2<f32>(pi) + vec2<f32>(0.5, 0.5);
    let b = subject_box();
    let g = press_geometry(b, a, vec2<f32>(dims));
    let base = b.w;
    let height = g.height;
    let cx = 0.5 * (b.x + b.z);
    let half_w = 0.5 * (b.z - b.x);
    let s = g.s;
    let press = g.press;
    let fold = g.fold;
    let jag = g.jag;
    let cell = g.cell;

    // The mask is hardened (0.5 counts as fully subject): a half-confident
    // mask would otherwise leave a ghost of the subject where it was and
    // make the crushed subject translucent. Only the subject's box is
    // filled: faint mask far from it is noise, and pixels far from the
    // subject must stay the source's.
    let in_box = all(p > b.xy - cell) && all(p < b.zw + cell);
    var ground = original.rgb;
    if (in_box) {
        let here = smoothstep(0.02, 0.5, mask_at(p));
        let fill = textureSampleLevel(input_3, linear, p / vec2<f32>(dims), 0.0).rgb;
        ground = mix(original.rgb, fill, here);
    }

    // Where the crushed subject can reach: its squashed box, widened by the
    // bulge and the ragged displacement. Elsewhere only the original
    // subject's place (the fill) can differ from the frame.
    let reach_w = g.reach_w;
    let reachable = abs(p.x - cx) < reach_w && p.y > press - jag - cell.y && p.y < base + jag + cell.y;
    if (!reachable) {
        textureStore(output, pi, vec4<f32>(ground, original.a));
        return;
    }

    let e = clamp((base - p.y) / max(s * height, 1.0), 0.0, 1.0);
    let widen = 1.0 + bulge * a * 0.5 * (0.35 + 0.65 * sin(3.1415927 * e));
    var q = vec2<f32>(cx + (p.x - cx) / widen, base - (base - p.y) / s);

    // The folds live in source space. Noise bends the accordion folds into
    // wavy, uneven lines and tilts the diagonal crumples.
    let n1 = value_noise(q / (fold * 1.7), seed, 11u);
    let n2 = value_noise(q / (fold * 0.9) + vec2<f32>(17.3, 5.1), seed, 12u);
    let phi1 = TAU * ((q.y - b.y) / fold + 0.9 * n1);
    let phi2 = TAU * ((q.x * 0.8 - q.y * 0.6) / (fold * 1.6) + 1.3 * n2);
    let c1 = cos(phi1);
    let c2 = cos(phi2);
    // The material bunches up along the folds and the outline goes ragged;
    // not vertically at the base, which stays on the ground.
    let lift = clamp((base - p.y) / fold, 0.0, 1.0);
    q += jag * vec2<f32>(0.45 * (n2 - 0.5) + 0.12 * c2, 0.35 * sin(phi1) * lift);

    // Shading: a slope term (faces tilted up toward the light are lighter)
    // and a sharp dark crease at each valley (cos = -1), both deepening
    // with the press. The valleys use x^4 rather than pow (cost).
    let v1 = 0.5 - 0.5 * c1;
    let v2 = 0.5 - 0.5 * c2;
    let crease1 = v1 * v1 * v1 * v1;
    let crease2 = v2 * v2 * v2 * v2;
    let depth = crumple * a;
    let shade = 1.0 + depth * (0.28 * sin(phi1) + 0.12 * sin(phi2)) - depth * (0.6 * crease1 + 0.35 * crease2);

    // The press is flat: nothing of the subject shows above it.
    let below = clamp(p.y - press + 0.5, 0.0, 1.0);
    let covered = smoothstep(0.1, 0.5, mask_at(q)) * below;
    let crushed = clamp(frame_at(q) * max(shade, 0.15), vec3<f32>(0.0), vec3<f32>(1.0));
    textureStore(output, pi, vec4<f32>(mix(ground, crushed, covered), original.a));
}
