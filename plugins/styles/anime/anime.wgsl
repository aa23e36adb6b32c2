// anime: edge-aware cel shading with ink outlines.
//
// Uniforms (binding 0, a uniform block of vec4, see docs/authoring.md):
//   u[0].x levels          2..8 brightness bands
//   u[0].y saturation      0..1 chroma boost (chroma is scaled by 1 + saturation)
//   u[0].z line_strength   0..1 opacity of the ink outlines
//   u[0].w line_threshold  0.02..0.8 Sobel edge strength (0..1 per unit step) where ink starts
//   u[1].x line_width      0.5..3 spacing of the Sobel taps, in pixels (wider = thicker lines)
//
// Per pixel: 9 taps for a Sobel on luma, 8 more for an edge-aware
// (bilateral) smoothing at a 2-pixel radius; 17 samples in all.

@group(0) @binding(0) var<uniform> u: array<vec4<f32>, 2>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;

const LUMA = vec3<f32>(0.2126, 0.7152, 0.0722);
const INK = vec3<f32>(0.04, 0.035, 0.05);
// Colour distance (squared, RGB 0..1) at which a neighbour's weight falls to 1/e.
const SIGMA2 = 0.012;

fn luma(c: vec3<f32>) -> f32 {
    return dot(c, LUMA);
}

fn tap(uv: vec2<f32>) -> vec3<f32> {
    return textureSampleLevel(input_0, linear, uv, 0.0).rgb;
}

// The largest k <= want such that q + k * chroma stays inside 0..1 on every
// channel: the hue is kept, saturation is only reduced where it must be.
fn fit_chroma(q: f32, chroma: vec3<f32>, want: f32) -> f32 {
    var k = want;
    for (var i = 0; i < 3; i++) {
        let c = chroma[i];
        if (c > 1e-5) {
            k = min(k, (1.0 - q) / c);
        } else if (c < -1e-5) {
            k = min(k, q / -c);
        }
    }
    return max(k, 0.0);
}

@compute @workgroup_size(8, 8, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    let dims = textureDimensions(output);
    if (gid.x >= dims.x || gid.y >= dims.y) {
        return;
    }
    let size = vec2<f32>(dims);
    let px = 1.0 / size;
    let uv = (vec2<f32>(gid.xy) + 0.5) * px;

    // Sobel on luma, taps `line_width` pixels apart.
    let s = px * clamp(u[1].x, 0.5, 3.0);
    let centre = tap(uv);
    let tl = luma(tap(uv + vec2<f32>(-s.x, -s.y)));
    let tc = luma(tap(uv + vec2<f32>(0.0, -s.y)));
    let tr = luma(tap(uv + vec2<f32>(s.x, -s.y)));
    let ml = luma(tap(uv + vec2<f32>(-s.x, 0.0)));
    let mr = luma(tap(uv + vec2<f32>(s.x, 0.0)));
    let bl = luma(tap(uv + vec2<f32>(-s.x, s.y)));
    let bc = luma(tap(uv + vec2<f32>(0.0, s.y)));
    let br = luma(tap(uv + vec2<f32>(s.x, s.y)));
    let gx = (tr + 2.0 * mr + br) - (tl + 2.0 * ml + bl);
    let gy = (bl + 2.0 * bc + br) - (tl + 2.0 * tc + tr);
    // A unit luma step gives 4; normalise so the threshold reads 0..1.
    let edge = length(vec2<f32>(gx, gy)) * 0.25;

    // Edge-aware smoothing: neighbours 2 px away, weighted by how close their
    // colour is to this pixel's, so regions flatten but borders stay put.
    var sum = centre;
    var weight = 1.0;
    let r = px * 2.0;
    for (var dy = -1; dy <= 1; dy++) {
        for (var dx = -1; dx <= 1; dx++) {
            if (dx == 0 && dy == 0) {
                continue;
            }
            let c = tap(uv + vec2<f32>(f32(dx), f32(dy)) * r);
            let d = c - centre;
            // A cheap stand-in for exp(-x): 1 / (1 + x + x^2 / 2).
            let x = dot(d, d) / SIGMA2;
            let w = 1.0 / (1.0 + x * (1.0 + 0.5 * x));
            sum += c * w;
            weight += w;
        }
    }
    let blended = sum / weight;

    // Cel bands: luma snaps to the centre of one of `levels` bands; the
    // chroma (colour minus its luma) rides on top, boosted, fitted to gamut.
    let levels = clamp(round(u[0].x), 2.0, 8.0);
    let l = luma(blended);
    let band = min(floor(l * levels), levels - 1.0);
    let q = (band + 0.5) / levels;
    let chroma = blended - vec3<f32>(l);
    let k = fit_chroma(q, chroma, 1.0 + clamp(u[0].y, 0.0, 1.0));
    let cel = clamp(vec3<f32>(q) + chroma * k, vec3<f32>(0.0), vec3<f32>(1.0));

    // Ink where the edge is strong; a short ramp keeps the lines anti-aliased.
    let threshold = clamp(u[0].w, 0.02, 0.8);
    let ink = clamp(u[0].z, 0.0, 1.0) * smoothstep(threshold * 0.7, threshold, edge);
    let colour = mix(cel, INK, ink);
    textureStore(output, vec2<i32>(gid.xy), vec4<f32>(colour, 1.0));
}
