// explode: the subject breaks into fragments that fly outward from a centre
// point as progress goes 0 -> 1; the background stays intact and the area
// the subject leaves is filled from the nearby background.
//
// Fragments are Voronoi cells of a jittered grid (sites from a hash of the
// cell id and the seed). Cell c with site S moves, at time t = progress, by
//   d(c, t) = ((S - C) * A + dir(c) * B * H) * t * speed(c) + (0, G * H * t^2 / 2)
// (C the centre, A = 2.5 force, B = 0.25 force, speed(c) in 0.92..1.08, G the
// gravity) without spinning, and fades out late. Rendering is the inverse
// mapping: for an output pixel p the source point is estimated with the mean
// speed, then each of the 3x3 cells around it is tried: s = p - d(c, t) is
// taken when s lies in cell c and on the subject (mask > 0.5); the search is
// skipped when five mask taps around the estimate find no subject. Where no
// fragment lands, the background shows, with the vacated subject area
// replaced by an average of nearby non-subject pixels.
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4, red).
// Uniforms (binding 0):
//   u[0] progress   0..1
//   u[1] cell_size  fragment size in pixels at 720p (scaled with the height)
//   u[2] force      0..3 (how far the fragments fly)
//   u[3] gravity    0..3 (frame heights of fall per progress^2, halved)
//   u[4] center.x   0..1 (frame coordinates of the blast centre)
//   u[5] center.y   0..1
//   u[6] seed       0..1000

@group(0) @binding(0) var<storage, read> u: array<f32>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;

// lowbias32, the same as pikafx_sdk::hash_u32.
fn hash_u32(v: u32) -> u32 {
    var x = v;
    x ^= x >> 16u;
    x *= 0x7feb352du;
    x ^= x >> 15u;
    x *= 0x846ca68bu;
    x ^= x >> 16u;
    return x;
}

fn cell_hash(c: vec2<i32>, seed: u32) -> u32 {
    return hash_u32(bitcast<u32>(c.x) * 0x8da6b343u ^ hash_u32(bitcast<u32>(c.y) * 0xd8163841u ^ seed));
}

fn unit(h: u32) -> f32 {
    return f32(h >> 8u) / 16777216.0;
}

// The jittered site of grid cell `c`, in pixels.
fn site(c: vec2<i32>, cs: f32, seed: u32) -> vec2<f32> {
    let h = cell_hash(c, seed);
    let j = vec2<f32>(unit(h), unit(hash_u32(h ^ 0x5bd1e995u)));
    return (vec2<f32>(c) + 0.1 + 0.8 * j) * cs;
}

// The nearest site's cell to `s` among the 3x3 cells around it, and the gap
// between the nearest and second-nearest distances (0 on a cell edge).
struct Nearest {
    cell: vec2<i32>,
    gap: f32,
}

fn nearest(s: vec2<f32>, cs: f32, seed: u32) -> Nearest {
    let base = vec2<i32>(floor(s / cs));
    var best = base;
    var d1 = 1e9;
    var d2 = 1e9;
    for (var dy = -1; dy <= 1; dy++) {
        for (var dx = -1; dx <= 1; dx++) {
            let c = base + vec2<i32>(dx, dy);
            let d = distance(s, site(c, cs, seed));
            if (d < d1) {
                d2 = d1;
                d1 = d;
                best = c;
            } else if (d < d2) {
                d2 = d;
            }
        }
    }
    return Nearest(best, d2 - d1);
}

// A plausible background at `p`: the distance-weighted mean of non-subject
// pixels in 8 directions at two radii (a third, wider ring if none is found).
fn background_fill(p: vec2<i32>, dims: vec2<i32>, fallback: vec3<f32>) -> vec3<f32> {
    let h = f32(min(dims.x, dims.y));
    let maxc = dims - 1;
    var sum = vec3<f32>(0.0);
    var weight = 0.0;
    for (var ring = 0; ring < 3; ring++) {
        if (ring == 2 && weight > 0.0) {
            break;
        }
        let radius = h * select(select(0.07, 0.16, ring == 1), 0.3, ring == 2);
        for (var k = 0; k < 8; k++) {
            let a = f32(k) * 0.785398 + 0.3927 * f32(ring);
            let q = clamp(p + vec2<i32>(round(vec2<f32>(cos(a), sin(a)) * radius)), vec2<i32>(0), maxc);
            if (textureLoad(input_1, q, 0).r < 0.3) {
                let w = 1.0 / radius;
                sum += textureLoad(input_0, q, 0).rgb * w;
                weight += w;
            }
        }
    }
    if (weight <= 0.0) {
        return fallback;
    }
    return sum / weight;
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let size = vec2<f32>(dims);
    let idims = vec2<i32>(dims);
    let pi = vec2<i32>(gid.xy);
    let t = clamp(u[0], 0.0, 1.0);
    let original = textureLoad(input_0, pi, 0);
    let m0 = textureLoad(input_1, pi, 0).r;
    if (t <= 0.0) {
        textureStore(output, pi, original);
        return;
    }
    let cs = max(u[1] * size.y / 720.0, 3.0);
    let force = max(u[2], 0.0);
    let fall = 0.5 * max(u[3], 0.0) * size.y * t * t;
    let centre = vec2<f32>(u[4], u[5]) * size;
    let seed = hash_u32(u32(u[6]) + 0x9e3779b9u);
    let a = 2.5 * force;
    let b = 0.25 * force * size.y;

    // Where the source of a mean-speed fragment landing here would be.
    let p = vec2<f32>(gid.xy) + 0.5;
    let q = p - centre - vec2<f32>(0.0, fall);
    let ql = length(q);
    var est = centre;
    if (ql > 1e-3) {
        est = centre + q / ql * max(ql - b * t, 0.0) / (1.0 + a * t);
    }
    let base = vec2<i32>(floor(est / cs));

    // Skip the search where no subject is near the estimated source (five
    // mask taps around it).
    let maxc = idims - 1;
    let reach = 1.3 * cs;
    var near = 0.0;
    for (var k = 0; k < 5; k++) {
        let o = select(vec2<f32>(0.0), vec2<f32>(cos(f32(k) * 1.5708), sin(f32(k) * 1.5708)) * reach, k > 0);
        near = max(near, textureLoad(input_1, clamp(vec2<i32>(est + o), vec2<i32>(0), maxc), 0).r);
    }

    var found = false;
    var colour = vec3<f32>(0.0);
    var alpha = 0.0;
    if (near >= 0.05) {
        for (var dy = -1; dy <= 1; dy++) {
            for (var dx = -1; dx <= 1; dx++) {
                if (found) {
                    continue;
                }
                let c = base + vec2<i32>(dx, dy);
                let s_site = site(c, cs, seed);
                let h = cell_hash(c, seed ^ 0x68e31da4u);
                let r = s_site - centre;
                let rl = length(r);
                var dir = vec2<f32>(0.0, -1.0);
                if (rl > 1e-3) {
                    dir = r / rl;
                }
                let speed = 0.92 + 0.16 * unit(h);
                let d = (r * a + dir * b) * t * speed + vec2<f32>(0.0, fall);
                let s = p - d;
                // Cheap rejection before the exact cell test.
                if (distance(s, s_site) > 1.15 * cs || any(s < vec2<f32>(0.0)) || any(s >= size)) {
                    continue;
                }
                let n = nearest(s, cs, seed);
                if (any(n.cell != c)) {
                    continue;
                }
                let si = vec2<i32>(s);
                if (textureLoad(input_1, si, 0).r <= 0.5) {
                    continue;
                }
                found = true;
                let h2 = unit(hash_u32(h ^ 0x27d4eb2fu));
                let moved = smoothstep(0.0, 0.06, t);
                // A shaded edge and a per-fragment brightness once broken apart.
                let shade = (1.0 - 0.35 * moved * (1.0 - smoothstep(0.0, 2.0, n.gap))) * (1.0 + moved * 0.2 * (h2 - 0.5));
                colour = clamp(textureLoad(input_0, si, 0).rgb * shade, vec3<f32>(0.0), vec3<f32>(1.0));
                alpha = 1.0 - smoothstep(0.6, 0.95, t + 0.1 * h2);
            }
        }
    }

    var bg = original.rgb;
    let vacated = m0 * smoothstep(0.0, 0.04, t);
    if (vacated > 0.002 && !(found && alpha >= 1.0)) {
        bg = mix(original.rgb, background_fill(pi, idims, original.rgb * 0.5), vacated);
    }
    textureStore(output, pi, vec4<f32>(mix(bg, colour, alpha), original.a));
}
