// Converts an RGBA8 texture to packed yuv420p planes in a storage buffer that
// the host copies out in one go. Each invocation produces 4 chroma samples of
// one chroma row: 8x2 luma pixels (4 words), 4 U bytes and 4 V bytes (1 word
// each). Pixels beyond the source (odd sizes padded to even) repeat the last
// row/column.

struct Layout {
    kr: f32,
    kb: f32,
    full_range: f32,
    _pad: f32,
    chroma_width: u32,   // output chroma plane width  (= output width / 2)
    chroma_height: u32,  // output chroma plane height (= output height / 2)
    y_stride: u32,       // bytes per Y row, a multiple of 8
    uv_stride: u32,      // bytes per U/V row, a multiple of 4 (= y_stride / 2)
    u_offset: u32,       // byte offset of the U plane in `planes`
    v_offset: u32,       // byte offset of the V plane in `planes`
    _pad2: u32,
    _pad3: u32,
}

@group(0) @binding(0) var<uniform> lay: Layout;
@group(0) @binding(1) var<storage, read_write> planes: array<u32>;
@group(0) @binding(2) var src: texture_2d<f32>;

fn load_rgb(p: vec2<i32>) -> vec3<f32> {
    let size = vec2<i32>(textureDimensions(src));
    return textureLoad(src, clamp(p, vec2<i32>(0), size - vec2<i32>(1)), 0).rgb;
}

fn luma8(rgb: vec3<f32>) -> f32 {
    let kg = 1.0 - lay.kr - lay.kb;
    let l = lay.kr * rgb.r + kg * rgb.g + lay.kb * rgb.b;
    if (lay.full_range > 0.5) {
        return l * 255.0;
    }
    return l * 219.0 + 16.0;
}

fn pack4(a: f32, b: f32, c: f32, d: f32) -> u32 {
    let q = vec4<u32>(clamp(round(vec4<f32>(a, b, c, d)), vec4<f32>(0.0), vec4<f32>(255.0)));
    return q.x | (q.y << 8u) | (q.z << 16u) | (q.w << 24u);
}

@compute @workgroup_size(16, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let cx0 = id.x * 4u;
    let cy = id.y;
    if (cx0 >= lay.chroma_width || cy >= lay.chroma_height) {
        return;
    }
    var ys0: array<f32, 8>;
    var ys1: array<f32, 8>;
    var us: array<f32, 4>;
    var vs: array<f32, 4>;
    let kg = 1.0 - lay.kr - lay.kb;
    for (var k = 0u; k < 4u; k = k + 1u) {
        let lx = i32((cx0 + k) * 2u);
        let ly = i32(cy * 2u);
        let p00 = load_rgb(vec2<i32>(lx, ly));
        let p10 = load_rgb(vec2<i32>(lx + 1, ly));
        let p01 = load_rgb(vec2<i32>(lx, ly + 1));
        let p11 = load_rgb(vec2<i32>(lx + 1, ly + 1));
        ys0[k * 2u] = luma8(p00);
        ys0[k * 2u + 1u] = luma8(p10);
        ys1[k * 2u] = luma8(p01);
        ys1[k * 2u + 1u] = luma8(p11);
        let avg = (p00 + p10 + p01 + p11) * 0.25;
        let l = lay.kr * avg.r + kg * avg.g + lay.kb * avg.b;
        let cb = (avg.b - l) / (2.0 * (1.0 - lay.kb));
        let cr = (avg.r - l) / (2.0 * (1.0 - lay.kr));
        var scale = 224.0;
        if (lay.full_range > 0.5) {
            scale = 255.0;
        }
        us[k] = cb * scale + 128.0;
        vs[k] = cr * scale + 128.0;
    }
    let row0 = (cy * 2u * lay.y_stride + cx0 * 2u) / 4u;
    let row1 = row0 + lay.y_stride / 4u;
    planes[row0] = pack4(ys0[0], ys0[1], ys0[2], ys0[3]);
    planes[row0 + 1u] = pack4(ys0[4], ys0[5], ys0[6], ys0[7]);
    planes[row1] = pack4(ys1[0], ys1[1], ys1[2], ys1[3]);
    planes[row1 + 1u] = pack4(ys1[4], ys1[5], ys1[6], ys1[7]);
    let c = (cy * lay.uv_stride + cx0) / 4u;
    planes[lay.u_offset / 4u + c] = pack4(us[0], us[1], us[2], us[3]);
    planes[lay.v_offset / 4u + c] = pack4(vs[0], vs[1], vs[2], vs[3]);
}
