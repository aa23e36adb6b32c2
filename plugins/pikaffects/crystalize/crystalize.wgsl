// crystalize: the subject becomes faceted glass as progress goes 0 -> 1; the
// background stays intact.
//
// Facets are Voronoi cells of a jittered grid (sites from a hash of the cell
// id and the seed). A facet turns to glass when progress passes its start
// time (lower facets first, plus a hashed offset); inside the subject it then
// shows its site's colour, tinted, mixed with the frame seen through a
// per-facet offset (refraction), lit by a hashed per-facet normal, with a
// bright rim along the facet edges. The blend is the soft subject mask, so at
// progress 0 the frame is unchanged.
// Only pixels where the mask is above 0.002 change, and stray mask values
// count wherever they are, so the SDK dispatches `main` over the rectangle
// where the mask can be that high, below the highest facet grown so far
// (`effect_region`, REGION = true, from one scan of the mask per frame:
// ~37k taps at 720p, 2 threads).
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4, red).
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x progress       0..1
//   u[0].y facet_size     pixels at 720p (scaled with the frame height)
//   u[2..5] tint        rgb 0..1
//   u[1].y tint_strength  0..1
//   u[1].z refraction     0..2 (offset of the view through a facet, in facets)
//   u[1].w seed           0..1000

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 2>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;

// From the SDK's WGSL prelude (pikafx_sdk::wgsl::NOISE, SUBJECT, MASK_SUPPORT),
// appended after this file: hash_u32, cell_hash, unit, mask_support_above.

// The jittered site of grid cell `c`, in pixels.
fn site(c: vec2<i32>, cs: f32, seed: u32) -> vec2<f32> {
    let h = cell_hash(c, seed);
    let j = vec2<f32>(unit(h), unit(hash_u32(h ^ 0x5bd1e995u)));
    return (vec2<f32>(c) + 0.1 + 0.8 * j) * cs;
}

fn luma(c: vec3<f32>) -> f32 {
    return dot(c, vec3<f32>(0.2126, 0.7152, 0.0722));
}

// The facet size in pixels, for a frame of `size`.
fn facet_size(size: vec2<f32>) -> f32 {
    return max(u[0].y * size.y / 720.0, 2.0);
}

// When the facet of site `s` starts to turn to glass (lower facets first;
// `h` is its hashed offset, 0..1).
fn growth_start(s: vec2<f32>, h: f32, size: vec2<f32>) -> f32 {
    return 0.65 * (1.0 - s.y / size.y) + 0.15 * h;
}

// Where the frame can change (see pikafx_sdk::wgsl::REGION); nothing at
// progress 0.
//
// Down from the top of the grown facets: a facet has started when
// progress > growth_start, so its site is below size.y (1 - progress /
// 0.65), and a pixel's facet site (the nearest) is at most as far as the
// site of its own grid cell, under 0.9 cs on each axis.
//
// Across, and up to the bottom: around every part of the mask above zero,
// wherever it is (the subject's box from the bounds pass is not enough:
// the soft mask reaches beyond it, and stray values lie far from it).
// `mask_support_above` (pikafx_sdk::wgsl::MASK_SUPPORT) finds every texel
// that can make a pixel's mask 1 / 255 or more (but for values of about
// 1 / 255 an even block or a flat 2x2 can hide, changing a pixel by at
// most 1 / 255).
fn effect_region() -> vec4<f32> {
    let progress = clamp(u[0].x, 0.0, 1.0);
    if (progress <= 0.0) {
        return vec4<f32>(0.0);
    }
    let r = mask_support_above(0.001);
    if (all(r == vec4<f32>(0.0))) {
        return r;
    }
    let size = vec2<f32>(textureDimensions(input_0));
    let grown = size.y * (1.0 - progress / 0.65) - 1.5 * facet_size(size) - 2.0;
    return vec4<f32>(r.x, max(r.y, grown), r.zw);
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let gid = region_pixel(id);
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let size = vec2<f32>(dims);
    let maxc = vec2<i32>(dims) - 1;
    let progress = clamp(u[0].x, 0.0, 1.0);
    let original = textureLoad(input_0, vec2<i32>(gid), 0);
    let m0 = textureLoad(input_1, vec2<i32>(gid), 0).r;
    if (progress <= 0.0 || m0 <= 0.002) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }
    let cs = facet_size(size);
    let tint = vec3<f32>(u[0].z, u[0].w, u[1].x);
    let tint_strength = u[1].y;
    let refraction = u[1].z;
    let seed = hash_u32(u32(u[1].w) + 0x9e3779b9u);

    // Nearest and second-nearest sites among the 3x3 neighbouring cells.
    let p = vec2<f32>(gid) + 0.5;
    let base = vec2<i32>(floor(p / cs));
    var best = vec2<i32>(0, 0);
    var d1 = 1e9;
    var d2 = 1e9;
    var best_site = p;
    for (var dy = -1; dy <= 1; dy++) {
        for (var dx = -1; dx <= 1; dx++) {
            let c = base + vec2<i32>(dx, dy);
            let s = site(c, cs, seed);
            let d = distance(p, s);
            if (d < d1) {
                d2 = d1;
                d1 = d;
                best = c;
                best_site = s;
            } else if (d < d2) {
                d2 = d;
            }
        }
    }
    let h = cell_hash(best, seed ^ 0xa511e9b3u);
    let h1 = unit(h);
    let h2 = unit(hash_u32(h ^ 0x27d4eb2fu));
    let h3 = unit(hash_u32(h ^ 0x165667b1u));

    // Growth: lower facets first, each facet over a short ramp.
    let start = growth_start(best_site, h3, size);
    let amount = clamp((progress - start) / 0.2, 0.0, 1.0);
    if (amount <= 0.0) {
        textureStore(output, vec2<i32>(gid), original);
        return;
    }

    // Facet colour: the site's colour where the site is on the subject.
    let sp = clamp(vec2<i32>(best_site), vec2<i32>(0, 0), maxc);
    let site_mask = textureLoad(input_1, sp, 0).r;
    let site_colour = textureLoad(input_0, sp, 0).rgb;
    let flat_colour = mix(original.rgb, site_colour, smoothstep(0.2, 0.6, site_mask));

    // Per-facet normal, pointing mostly out of the screen.
    let n = normalize(vec3<f32>(h1 - 0.5, h2 - 0.5, 0.55));
    let light = normalize(vec3<f32>(-0.5, -0.7, 0.8));
    let diffuse = max(dot(n, light), 0.0);
    let half_vec = normalize(light + vec3<f32>(0.0, 0.0, 1.0));
    let specular = pow(max(dot(n, half_vec), 0.0), 24.0);

    // Refraction: the frame seen through the facet, shifted along its normal.
    let ruv = (p + n.xy * refraction * cs) / size;
    let seen = textureSampleLevel(input_0, linear, ruv, 0.0).rgb;

    let glass_base = mix(flat_colour, seen, 0.3);
    let tinted = mix(glass_base, tint * (0.25 + 0.9 * luma(glass_base)), tint_strength);
    var colour = tinted * (0.5 + 0.7 * diffuse) + vec3<f32>(0.45 * specular);
    // Bright rims along the facet edges.
    let rim = 1.0 - smoothstep(0.0, max(1.5, 0.06 * cs), d2 - d1);
    colour = mix(colour, vec3<f32>(1.0, 1.0, 1.0), 0.5 * rim);
    colour = clamp(colour, vec3<f32>(0.0), vec3<f32>(1.0));

    textureStore(output, vec2<i32>(gid), vec4<f32>(mix(original.rgb, colour, m0 * amount), original.a));
}
