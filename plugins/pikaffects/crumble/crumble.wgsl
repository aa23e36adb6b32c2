// crumble: the subject crumbles into small pieces that fall with gravity as
// progress goes 0 -> 1, top pieces first; the background stays intact and
// the area the subject leaves is filled from the nearby background.
//
// Pieces are the cells of a jittered grid: columns of width S, each column's
// rows shifted down by a hashed offset. The piece in column i whose centre
// is at height y starts falling at
//   t0 = spread * y / H + jitter(i) + delay(piece)   (0..0.1 and 0..0.15 from a hash)
// and has fallen D = G * H * (t - t0)^2 / 2 at t = progress (G the gravity);
// it fades out while falling. Rendering is the inverse mapping: within a
// column the fall is a known function of the source height and delay, so the
// source heights that can land on an output pixel are bounded by the roots of
// a quadratic (for the least and the largest delay); the rows between are
// tried, at most 25 (the piece shrinks a little once moving,
// leaving cracks), then the piece at rest under the pixel. Where nothing
// lands the background shows, with the vacated subject area replaced by an
// average of nearby non-subject pixels.
//
// Inputs: input_0 = frame (binding 3), input_1 = subject mask (binding 4, red).
// Uniforms (binding 0):
//   u[0] progress   0..1
//   u[1] cell_size  piece size in pixels at 720p (scaled with the height)
//   u[2] gravity    1..12 (frame heights per progress^2, halved)
//   u[3] spread     0.1..0.8 (start delay from the top to the bottom of the frame)
//   u[4] seed       0..1000

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

struct Piece {
    found: bool,
    colour: vec3<f32>,
    alpha: f32,
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
    let cs = max(u[1] * size.y / 720.0, 2.0);
    let half_g = 0.5 * max(u[2], 0.1) * size.y;
    let k = max(u[3], 0.01) / size.y;
    let seed = hash_u32(u32(u[4]) + 0x9e3779b9u);

    let p = vec2<f32>(gid.xy) + 0.5;
    let column = i32(floor(p.x / cs));
    let hc = cell_hash(vec2<i32>(column, -7), seed);
    let offset = unit(hc) * cs;
    let jitter = 0.1 * unit(hash_u32(hc ^ 0x27d4eb2fu));
    let lx = fract(p.x / cs);
    let edge_x = min(lx, 1.0 - lx);
    let tj = t - jitter;

    // Falling pieces: a piece with delay d lands here from height y when
    // p.y = y + half_g T^2 with T = tj - d - k y, i.e. the roots of
    // half_g T^2 - T / k + ((tj - d) / k - p.y) = 0. The roots for d = 0 and
    // d = 0.15 bound the source heights; the rows between them are tried.
    var piece = Piece(false, vec3<f32>(0.0), 0.0);
    var y_lo = p.y;
    var any_root = false;
    for (var i = 0; i < 4; i++) {
        let tjd = tj - 0.15 * f32(i / 2);
        let qa = half_g;
        let qb = -1.0 / k;
        let qc = tjd / k - p.y;
        let disc = qb * qb - 4.0 * qa * qc;
        if (tjd <= 0.0 || disc < 0.0) {
            continue;
        }
        let big_t = (-qb + select(-1.0, 1.0, i % 2 == 1) * sqrt(disc)) / (2.0 * qa);
        if (big_t <= 0.0 || big_t > tjd) {
            continue;
        }
        y_lo = min(y_lo, (tjd - big_t) / k);
        any_root = true;
    }
    if (any_root) {
        let r_hi = i32(floor((p.y - offset) / cs));
        let r_lo = max(i32(floor((y_lo - offset) / cs)) - 1, r_hi - 24);
        for (var r = r_lo; r <= r_hi; r++) {
            let h = cell_hash(vec2<i32>(column, r), seed ^ 0x68e31da4u);
            let yc = (f32(r) + 0.5) * cs + offset;
            let tr = tj - 0.15 * unit(h) - k * yc;
            if (tr <= 0.0) {
                continue;
            }
            let sy = p.y - half_g * tr * tr;
            let ly = (sy - offset) / cs - f32(r);
            if (sy < 0.0 || ly < 0.0 || ly >= 1.0) {
                continue;
            }
            // Cracks between the pieces once they move.
            let moved = smoothstep(0.0, 0.08, tr);
            let edge = min(edge_x, min(ly, 1.0 - ly));
            if (edge < 0.1 * moved) {
                continue;
            }
            let si = vec2<i32>(pi.x, i32(sy));
            if (textureLoad(input_1, si, 0).r <= 0.5) {
                continue;
            }
            let h2 = unit(hash_u32(h ^ 0x27d4eb2fu));
            let shade = 1.0 + moved * (0.25 * (h2 - 0.5) - 0.2 * (1.0 - smoothstep(0.1, 0.25, edge)));
            let colour = clamp(textureLoad(input_0, si, 0).rgb * shade, vec3<f32>(0.0), vec3<f32>(1.0));
            piece = Piece(true, colour, 1.0 - smoothstep(0.2, 0.45, tr + 0.1 * h2));
            break;
        }
    }

    // The piece under the pixel, if it has not started to fall.
    let r0 = i32(floor((p.y - offset) / cs));
    let d0 = 0.15 * unit(cell_hash(vec2<i32>(column, r0), seed ^ 0x68e31da4u));
    let t0 = tj - d0 - k * ((f32(r0) + 0.5) * cs + offset);
    if (!piece.found && t0 <= 0.0 && m0 > 0.5) {
        piece = Piece(true, original.rgb, 1.0);
    }

    var bg = original.rgb;
    let vacated = m0 * smoothstep(0.0, 0.03, t0);
    if (vacated > 0.002 && !(piece.found && piece.alpha >= 1.0)) {
        bg = mix(original.rgb, background_fill(pi, idims, original.rgb * 0.5), vacated);
    }
    textureStore(output, pi, vec4<f32>(mix(bg, piece.colour, piece.alpha), original.a));
}
