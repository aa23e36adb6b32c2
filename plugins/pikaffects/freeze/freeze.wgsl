// freeze: frost creeps over the subject from its outline toward its centre
// as progress goes 0 -> 1; frozen parts turn to pale, tinted ice with frost
// crystals and glints. At progress 1 the subject is frozen through.
//
// The frost front sits at depth R = progress / 0.85 * rmax inside the
// outline (rmax: 0.75 of the subject box's shorter side, so that by progress
// 0.85 it has passed the centre), times 0.8..1.2 per crystal so that the
// front advances crystal by crystal. Whether pixel p is that close to the
// outline is estimated without a distance field: 8 mask taps on a circle of
// radius 1.3 R and 4 on radius 0.8 R (the ring is turned per pixel by a hash
// so it leaves no pattern); a tap that lands on background means the
// outline is that close:
//   frost  = 0.5 * [edge within 1.3 R] + 0.5 * [edge within 0.8 R]  (soft)
// so the front is a soft band: crystal lines show first, then the ice
// colour fills in; from progress 0.85 to 1 everything left freezes.
// The crystals are a Voronoi pattern of cells `crystal` pixels across
// (cell_hash over the 3x3 neighbourhood): per-cell facet shading, bright
// borders where the two nearest feature points are equally far, fine rime
// (value noise), and in a few cells a star-shaped glint at the feature
// point that twinkles with the frame index.
//   ice    = tint * (0.35 + 0.8 * luma) + 0.08 + crystal detail
//   frozen = mix(desaturate(frame, 0.7 * amount), ice, amount)
//   result = mix(frame, frozen, smoothstep(0.25, 1, frost)) + crystal lines
//            ahead of the ice + glints
// The ice keeps the subject's luma, so it stays recognisable. The result
// replaces the subject in proportion to the mask; pixels off the subject
// are the source's. Progress 0 leaves the frame unchanged.
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4),
// input_2 = subject bounds (binding 5).
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x progress   0..1
//   u[1..3] tint    rgb of the ice
//   u[1].x amount     0..1 (how far frozen parts turn to ice)
//   u[1].y crystal    4..80 (crystal size in pixels at 720p)
//   u[1].z glint      0..1 (share of crystals with a glint, up to 12%)
//   u[1].w seed       0..1000
//   u[2].x frame      the frame index (the glints' twinkle)

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 3>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;
@group(0) @binding(5) var input_2: texture_2d<f32>;

// From the SDK's WGSL prelude (pikafx_sdk::wgsl::NOISE, SUBJECT, BOUNDS),
// appended after this file: hash_u32, unit, cell_hash, value_noise,
// mask_at, subject_box, subject_found.

// The nearest Voronoi cell of `x` (cell units): `f1`/`f2` the distances to
// the nearest and second-nearest feature points, `id` the nearest cell's
// hash, `offset` from that feature point to x.
struct Crystal {
    f1: f32,
    f2: f32,
    id: u32,
    offset: vec2<f32>,
}

// The 3x3 neighbourhood is one loop of `cells` (9, or 0 to skip) steps
// rather than two constant ones: lavapipe unrolls constant loops and then
// runs them for every pixel, masked or not, while a loop with a run-time
// count stops after one pass when no pixel of the SIMD batch needs it.
fn crystal_at(x: vec2<f32>, seed: u32, cells: u32) -> Crystal {
    let base = vec2<i32>(floor(x));
    var best = Crystal(8.0, 8.0, 0u, vec2<f32>(0.0));
    for (var k = 0u; k < cells; k++) {
        let c = base + vec2<i32>(i32(k % 3u) - 1, i32(k / 3u) - 1);
        let h = cell_hash(c, seed);
        let feature = vec2<f32>(c) + 0.1 + 0.8 * vec2<f32>(unit(h), unit(hash_u32(h)));
        let off = x - feature;
        let d = dot(off, off);
        if (d < best.f1) {
            best.f2 = best.f1;
            best.f1 = d;
            best.id = h;
            best.offset = off;
        } else if (d < best.f2) {
            best.f2 = d;
        }
    }
    best.f1 = sqrt(best.f1);
    best.f2 = sqrt(best.f2);
    return best;
}

// Where frost can be: the subject's box and one cell of the bounds grid
// around it (the soft edge).
fn frost_box(b: vec4<f32>, size: vec2<f32>) -> vec4<f32> {
    let margin = size / 64.0 + 2.0;
    return vec4<f32>(b.xy - margin, b.zw + margin);
}

// See pikafx_sdk::wgsl::REGION: nothing at progress 0 or without a subject.
fn effect_region() -> vec4<f32> {
    if (u[0].x <= 0.0 || !subject_found()) {
        return vec4<f32>(0.0);
    }
    return frost_box(subject_box(), vec2<f32>(textureDimensions(input_0)));
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
    let p = vec2<f32>(gid) + vec2<f32>(0.5, 0.5);
    let m = mask_at(p);
    // Off the subject nothing changes; this is most of the frame.
    if (t <= 0.0 || m < 0.004 || !subject_found()) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }
    let px = f32(dims.y) / 720.0;
    let tint = vec3<f32>(u[0].y, u[0].z, u[0].w);
    let amount = clamp(u[1].x, 0.0, 1.0);
    let cs = max(u[1].y * px, 2.0);
    let glint = clamp(u[1].z, 0.0, 1.0);
    let seed = u32(max(u[1].w, 0.0));
    let frame = u32(max(u[2].x, 0.0));

    // Stray mask values away from the subject's box (beyond the soft edge
    // and one cell of the bounds grid) are not the subject.
    let b = subject_box();
    let reach = frost_box(b, vec2<f32>(dims));
    if (any(p < reach.xy) || any(p > reach.zw)) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }
    let cr = crystal_at(p / cs, seed, select(0u, 9u, m > 0.0));
    let cell_rand = unit(hash_u32(cr.id ^ 0x5bd1e995u));

    // How frozen p is: is the outline within the front's depth R?
    let rmax = 0.75 * min(b.z - b.x, b.w - b.y) + 2.0;
    let creep = t / 0.85;
    var frost = smoothstep(0.85, 1.0, t);
    if (frost < 1.0) {
        let r = creep * rmax * (0.8 + 0.4 * cell_rand) + 0.5;
        // The ring starts at a per-pixel angle (0..27 degrees), without
        // cos/sin.
        var dir = normalize(vec2<f32>(1.0, 0.5 * unit(hash_u32((gid.x * 0x9e3779b9u) ^ gid.y))));
        var outer = 0.0;
        var inner = 0.0;
        // A run-time count (8 taps) so that the loop is not unrolled (see
        // crystal_at).
        let taps = select(0u, 8u, r > 0.0);
        for (var i = 0u; i < taps; i++) {
            outer = max(outer, 1.0 - mask_at(p + dir * (1.3 * r)));
            if ((i & 1u) == 0u) {
                inner = max(inner, 1.0 - mask_at(p + dir * (0.8 * r)));
            }
            // Rotate by 45 degrees.
            dir = vec2<f32>(dir.x - dir.y, dir.x + dir.y) * 0.70710678;
        }
        frost = max(frost, 0.5 * smoothstep(0.2, 0.8, outer) + 0.5 * smoothstep(0.2, 0.8, inner));
    }
    if (frost <= 0.0) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    // The ice: the subject's luma in the tint, lifted, with crystal detail.
    let src = original.rgb;
    let luma = dot(src, vec3<f32>(0.299, 0.587, 0.114));
    let border = 1.0 - smoothstep(0.0, 0.07, cr.f2 - cr.f1);
    // Each crystal is a facet lit from the top left: a gradient across it.
    let facet = dot(cr.offset, vec2<f32>(-0.6, -0.8));
    let ice = tint * (0.35 + 0.8 * luma) + 0.08 + (cell_rand - 0.5) * 0.1 + 0.15 * border + 0.12 * facet;
    let body = smoothstep(0.25, 1.0, frost);
    let lines = smoothstep(0.0, 0.5, frost) * (1.0 - body);
    let frozen = mix(mix(src, vec3<f32>(luma), 0.7 * amount), ice, amount);
    var rgb = mix(src, frozen, body);
    rgb += vec3<f32>(0.85, 0.93, 1.0) * (border * 0.4 * lines);

    // Glints: a star at the feature point of a few crystals, twinkling.
    if (unit(hash_u32(cr.id ^ 0x27d4eb2du)) < 0.12 * glint && body > 0.5) {
        let o = abs(cr.offset) * cs;
        let len = cs * 0.45;
        let thin = max(0.6, cs * 0.03);
        let star = max(0.0, 1.0 - o.x / len) * max(0.0, 1.0 - o.y / thin)
            + max(0.0, 1.0 - o.y / len) * max(0.0, 1.0 - o.x / thin);
        let core = max(0.0, 1.0 - cr.f1 * cs / max(cs * 0.1, 1.0));
        let twinkle = unit(hash_u32(cr.id ^ ((frame / 2u) * 0x85ebca6bu)));
        rgb += vec3<f32>(min(star + core, 1.0) * twinkle * body);
    }
    rgb = clamp(rgb, vec3<f32>(0.0), vec3<f32>(1.0));
    textureStore(output, vec2<i32>(gid), vec4<f32>(mix(src, rgb, m), original.a));
}
