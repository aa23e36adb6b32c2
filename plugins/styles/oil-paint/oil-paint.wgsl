// oil-paint: Kuwahara filter (flat patches, kept edges) + brush-stroke
// relief lit from the top-left + a saturation boost.
//
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x radius      1..6 pixels: each quadrant covers (radius+1)^2 pixels
//   u[0].y relief      0..1 strength of the brush-stroke texture and paint ridges
//   u[0].z saturation  0..2 (1 = unchanged)
//
// Each of the 4 quadrants is sampled with 3 bilinear taps on a 2x2 grid
// (the cell nearest the centre is skipped): 12 taps in all. At radius 3
// each tap is the exact mean of a 2x2 pixel block. The quadrant means are
// blended with weights 1 / variance^4: in practice the quadrant with the
// least variance wins, without flicker on near-ties. The quadrant means
// also give the luma gradient at the scale of the radius.
// Brush strokes are anisotropic value noise (a hash of the pixel position,
// so static from frame to frame) laid out in 8 fixed orientations; the two
// nearest the local edge direction (or, where the frame is flat, a slowly
// wandering direction) are blended, so strokes follow the contours without
// the noise being warped. Their relief and the paint ridges at colour
// boundaries are lit from the top-left with a little specular sheen.

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 1>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;

const LUMA = vec3<f32>(0.2126, 0.7152, 0.0722);

// 0..1 hash of a lattice point (one round of lowbias32's mixing is plenty
// for value noise).
fn hash2(i: vec2<i32>, seed: u32) -> f32 {
    var h = (bitcast<u32>(i.x) * 0x8da6b343u) ^ (bitcast<u32>(i.y) * 0xd8163841u) ^ seed;
    h = (h ^ (h >> 16u)) * 0x7feb352du;
    h ^= h >> 15u;
    return f32(h >> 8u) * (1.0 / 16777216.0);
}

// Value noise with its gradient: (value 0..1, d/dx, d/dy).
fn vnoise_d(p: vec2<f32>, seed: u32) -> vec3<f32> {
    let i = vec2<i32>(floor(p));
    let f = fract(p);
    let w = f * f * (3.0 - 2.0 * f);
    let dw = 6.0 * f * (1.0 - f);
    let a = hash2(i, seed);
    let b = hash2(i + vec2<i32>(1, 0), seed);
    let c = hash2(i + vec2<i32>(0, 1), seed);
    let d = hash2(i + vec2<i32>(1, 1), seed);
    let k = a - b - c + d;
    let v = a + (b - a) * w.x + (c - a) * w.y + k * w.x * w.y;
    return vec3<f32>(v, dw.x * ((b - a) + k * w.y), dw.y * ((c - a) + k * w.x));
}

fn tap(p: vec2<f32>, inv_size: vec2<f32>) -> vec3<f32> {
    return textureSampleLevel(input_0, linear, p * inv_size, 0.0).rgb;
}

// Mean colour (rgb) and summed squared deviation (w) of one quadrant, from
// three bilinear taps: the two blocks along its edges and the far corner
// (the block nearest the centre is left out; it matters least for the
// variance and costs a quarter of the taps).
fn quadrant(p: vec2<f32>, s: vec2<f32>, near: f32, far: f32, inv_size: vec2<f32>) -> vec4<f32> {
    let c1 = tap(p + s * vec2<f32>(far, near), inv_size);
    let c2 = tap(p + s * vec2<f32>(near, far), inv_size);
    let c3 = tap(p + s * vec2<f32>(far, far), inv_size);
    let m = (c1 + c2 + c3) * (1.0 / 3.0);
    let d1 = c1 - m;
    let d2 = c2 - m;
    let d3 = c3 - m;
    return vec4<f32>(m, (dot(d1, d1) + dot(d2, d2) + dot(d3, d3)) * (4.0 / 3.0));
}

// Blend weight of a quadrant: 1 / variance^4, so the calmest one wins.
fn weight(variance: f32) -> f32 {
    let v = variance + 1e-4;
    let v2 = v * v;
    return 1.0 / (v2 * v2);
}

// Stroke texture of one orientation: (height 0..1, d/dx, d/dy) of
// bristles plus a coarser stroke body, stretched along `dir`.
fn strokes(p: vec2<f32>, dir: vec2<f32>, along: f32, across: f32, orientation: u32) -> vec3<f32> {
    let perp = vec2<f32>(-dir.y, dir.x);
    let q = vec2<f32>(dot(p, dir) / along, dot(p, perp) / across);
    let n1 = vnoise_d(q, 0x9e3779b9u + orientation);
    let n2 = vnoise_d(q * vec2<f32>(0.5, 0.25), 0x7f4a7c15u + orientation);
    let dq = vec2<f32>(n1.y * 0.6 + n2.y * 0.2, n1.z * 0.6 + n2.z * 0.1);
    return vec3<f32>(n1.x * 0.6 + n2.x * 0.4, dir * (dq.x / along) + perp * (dq.y / across));
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let inv_size = 1.0 / vec2<f32>(dims);
    let p = vec2<f32>(gid.xy) + 0.5;
    let radius = clamp(u[0].x, 1.0, 6.0);
    let relief = clamp(u[0].y, 0.0, 1.0);
    let saturation = clamp(u[0].z, 0.0, 2.0);

    // Kuwahara: quadrant (sx, sy) covers offsets 0..radius in that direction.
    let near = radius / 6.0;
    let far = radius * 5.0 / 6.0;
    let q0 = quadrant(p, vec2<f32>(-1.0, -1.0), near, far, inv_size);
    let q1 = quadrant(p, vec2<f32>(1.0, -1.0), near, far, inv_size);
    let q2 = quadrant(p, vec2<f32>(-1.0, 1.0), near, far, inv_size);
    let q3 = quadrant(p, vec2<f32>(1.0, 1.0), near, far, inv_size);
    let w = vec4<f32>(weight(q0.w), weight(q1.w), weight(q2.w), weight(q3.w));
    let total = q0.rgb * w.x + q1.rgb * w.y + q2.rgb * w.z + q3.rgb * w.w;
    let w_sum = w.x + w.y + w.z + w.w;
    let lumas = vec4<f32>(dot(q0.rgb, LUMA), dot(q1.rgb, LUMA), dot(q2.rgb, LUMA), dot(q3.rgb, LUMA));
    var colour = total / w_sum;

    // Source luma gradient at the scale of the radius (quadrants: 0 = -x-y,
    // 1 = +x-y, 2 = -x+y, 3 = +x+y), in luma per pixel.
    let span = max(radius, 1.0);
    let grad = vec2<f32>(lumas.y + lumas.w - lumas.x - lumas.z, lumas.z + lumas.w - lumas.x - lumas.y)
        * (0.5 / span);

    // Saturation boost around the luma.
    let y = dot(colour, LUMA);
    colour = clamp(vec3<f32>(y) + (colour - vec3<f32>(y)) * saturation, vec3<f32>(0.0), vec3<f32>(1.0));

    if (relief > 0.0) {
        // Stroke direction: along the edges (perpendicular to the gradient);
        // where the frame is flat, a slowly varying direction from noise.
        let g = length(grad);
        let angle = vnoise_d(p / 48.0, 0x51f15eu).x * 6.2831853;
        let fallback = vec2<f32>(cos(angle), sin(angle));
        let edge_dir = vec2<f32>(-grad.y, grad.x) / max(g, 1e-6);
        let trust = smoothstep(0.002, 0.02, g);
        // (The tiny bias keeps atan2 away from (0, 0) where the two cancel.)
        let t = mix(fallback, edge_dir, trust) + vec2<f32>(1e-5, 0.0);

        // Brush length and bristle width grow with the radius. The stroke
        // texture lives in 8 fixed orientations over a half turn (so the
        // noise is never warped); the two around the local direction are
        // blended.
        let along = 3.0 + radius * 2.5;
        let across = 0.9 + radius * 0.25;
        let steps = fract(atan2(t.y, t.x) * (1.0 / 3.14159265) + 1.0) * 8.0;
        let k0 = floor(steps);
        let blend = steps - k0;
        let a0 = k0 * (3.14159265 / 8.0);
        let dir0 = vec2<f32>(cos(a0), sin(a0));
        // The next orientation: a turn of pi/8, wrapping from 7 back to 0.
        let dir1 = select(vec2<f32>(dir0.x * 0.9238795 - dir0.y * 0.3826834, dir0.x * 0.3826834 + dir0.y * 0.9238795),
            vec2<f32>(1.0, 0.0), k0 > 6.5);
        let s0 = strokes(p, dir0, along, across, u32(k0));
        let s1 = strokes(p, dir1, along, across, (u32(k0) + 1u) & 7u);
        let height = mix(s0.x, s1.x, blend);
        let dh = mix(s0.yz, s1.yz, blend);

        // Surface slope: stroke texture plus ridges of paint at colour
        // boundaries (height follows the source luma).
        let slope = dh * 0.9 + grad * 6.0;
        let n = normalize(vec3<f32>(-slope * relief * 2.0, 1.0));
        let light = normalize(vec3<f32>(-0.6, -0.7, 1.0));
        let diffuse = dot(n, light) / light.z;
        let half_v = normalize(light + vec3<f32>(0.0, 0.0, 1.0));
        let nh = max(dot(n, half_v), 0.0);
        let nh4 = nh * nh * nh * nh;
        let nh16 = nh4 * nh4 * nh4 * nh4;
        let spec = nh16 * nh16 * nh4 * nh4;
        // Thin paint (low height) lets a little of the darker ground show.
        let body = 1.0 - relief * 0.12 * (1.0 - height);
        colour = colour * mix(1.0, diffuse, relief) * body + vec3<f32>(spec * 0.18 * relief);
    }

    textureStore(output, vec2<i32>(gid.xy), vec4<f32>(clamp(colour, vec3<f32>(0.0), vec3<f32>(1.0)), 1.0));
}
