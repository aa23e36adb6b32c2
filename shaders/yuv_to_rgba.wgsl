// Converts one decoded 4:2:0 frame (three R8 planes) to an RGBA8 texture.
// Chroma is upsampled by nearest neighbour so that `rgba_to_yuv.wgsl`'s 2x2
// box average inverts it exactly for in-gamut colours (round trip >= 45 dB).

struct Convert {
    kr: f32,          // luma coefficient of red   (BT.601 0.299, BT.709 0.2126)
    kb: f32,          // luma coefficient of blue  (BT.601 0.114, BT.709 0.0722)
    full_range: f32,  // 1.0 for JPEG/full range, 0.0 for limited (16..235) range
    _pad: f32,
}

@group(0) @binding(0) var<uniform> conv: Convert;
@group(0) @binding(1) var out_rgba: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var plane_y: texture_2d<f32>;
@group(0) @binding(3) var plane_u: texture_2d<f32>;
@group(0) @binding(4) var plane_v: texture_2d<f32>;

@compute @workgroup_size(16, 8, 1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(out_rgba);
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let p = vec2<i32>(id.xy);
    let c = p / 2;
    let y8 = textureLoad(plane_y, p, 0).r * 255.0;
    let u8 = textureLoad(plane_u, c, 0).r * 255.0;
    let v8 = textureLoad(plane_v, c, 0).r * 255.0;
    var luma: f32;
    var cb: f32;
    var cr: f32;
    if (conv.full_range > 0.5) {
        luma = y8 / 255.0;
        cb = (u8 - 128.0) / 255.0;
        cr = (v8 - 128.0) / 255.0;
    } else {
        luma = (y8 - 16.0) / 219.0;
        cb = (u8 - 128.0) / 224.0;
        cr = (v8 - 128.0) / 224.0;
    }
    let kg = 1.0 - conv.kr - conv.kb;
    let r = luma + 2.0 * (1.0 - conv.kr) * cr;
    let b = luma + 2.0 * (1.0 - conv.kb) * cb;
    let g = (luma - conv.kr * r - conv.kb * b) / kg;
    textureStore(out_rgba, p, vec4<f32>(clamp(vec3<f32>(r, g, b), vec3<f32>(0.0), vec3<f32>(1.0)), 1.0));
}
