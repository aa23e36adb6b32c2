// The subject-bounds pass (pikafx_sdk::wgsl::BOUNDS_PASS): scans the subject
// mask on a 64x64 grid and writes the subject's box, centroid and area into
// a 4x1 texture, each value as 16 bits in two 8-bit channels:
//   texel 0: box min (x, y)   texel 1: box max (x, y)   (0..1 of the frame)
//   texel 2: centroid (x, y)  texel 3: (area fraction, found 0/1)
// A grid cell counts as subject where the mask is above 0.5; the centroid
// and area weigh the soft mask. With no subject the box is the frame's
// centre point, the centroid (0.5, 0.5) and `found` 0.
// Read it with pikafx_sdk::wgsl::BOUNDS (subject_box, subject_centre, ...).

@group(0) @binding(0) var<storage, read> u: array<f32>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var linear: sampler;
@group(0) @binding(3) var input_0: texture_2d<f32>;

fn pack2(v: vec2<f32>) -> vec4<f32> {
    let q = vec2<u32>(round(clamp(v, vec2<f32>(0.0), vec2<f32>(1.0)) * 65535.0));
    return vec4<f32>(f32(q.x >> 8u), f32(q.x & 255u), f32(q.y >> 8u), f32(q.y & 255u)) / 255.0;
}

@compute @workgroup_size(4, 1, 1)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
    if (gid.x >= 4u || gid.y >= 1u) {
        return;
    }
    let md = vec2<f32>(textureDimensions(input_0));
    let n = 64.0;
    var lo = vec2<f32>(1.0);
    var hi = vec2<f32>(0.0);
    var sum = 0.0;
    var centre = vec2<f32>(0.0);
    for (var y = 0; y < 64; y++) {
        for (var x = 0; x < 64; x++) {
            let uv = (vec2<f32>(f32(x), f32(y)) + 0.5) / n;
            let m = textureLoad(input_0, vec2<i32>(uv * md), 0).r;
            if (m > 0.5) {
                lo = min(lo, uv - 0.5 / n);
                hi = max(hi, uv + 0.5 / n);
            }
            sum += m;
            centre += m * uv;
        }
    }
    let found = hi.x > lo.x;
    if (!found) {
        lo = vec2<f32>(0.5);
        hi = vec2<f32>(0.5);
    }
    if (sum > 0.0) {
        centre = centre / sum;
    } else {
        centre = vec2<f32>(0.5);
    }
    var value = pack2(vec2<f32>(sum / (n * n), select(0.0, 1.0, found)));
    if (gid.x == 0u) {
        value = pack2(lo);
    } else if (gid.x == 1u) {
        value = pack2(hi);
    } else if (gid.x == 2u) {
        value = pack2(centre);
    }
    textureStore(output, vec2<i32>(i32(gid.x), 0), value);
}
