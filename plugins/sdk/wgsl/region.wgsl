// ---- pikafx_sdk::wgsl::REGION: run only where the effect can change ----
// Appended to a ShaderEffect with `REGION = true`. The effect's WGSL
// defines
//     fn effect_region() -> vec4<f32>
// returning the rectangle (min x, min y, max x, max y, frame pixels)
// outside which it leaves the frame exactly as it is (an empty one where
// it changes nothing), and its `main` reads its pixel as
// `region_pixel(global_invocation_id)`. The SDK runs `region_main` below
// (2 invocations) into a 2x1 texture, then the host's `dispatch-region`
// copies the frame and runs `main` over that rectangle only: a software
// GPU pays for every pixel dispatched, branches taken or not.

@group(0) @binding(31) var<uniform> pikafx_region: vec4<u32>;

// The frame pixel of invocation `id` (the dispatch may start anywhere).
fn region_pixel(id: vec3<u32>) -> vec2<u32> {
    return id.xy + pikafx_region.xy;
}

// A point as 0..1 fractions of the frame in 16 bits, two 8-bit channels
// each (the layout `dispatch-region` reads).
fn pikafx_pack_corner(v: vec2<f32>) -> vec4<f32> {
    let q = vec2<u32>(round(clamp(v, vec2<f32>(0.0), vec2<f32>(1.0)) * 65535.0));
    return vec4<f32>(f32(q.x >> 8u), f32(q.x & 255u), f32(q.y >> 8u), f32(q.y & 255u)) / 255.0;
}

@compute @workgroup_size(2, 1, 1)
fn region_main(@builtin(global_invocation_id) gid: vec3<u32>) {
    if (gid.x >= 2u || gid.y >= 1u) {
        return;
    }
    let fd = vec2<f32>(textureDimensions(input_0));
    let r = effect_region();
    // One pixel of margin each side: the corners travel as 16-bit fractions.
    var corner = clamp(floor(r.xy) - 1.0, vec2<f32>(0.0), fd);
    if (gid.x == 1u) {
        corner = clamp(ceil(r.zw) + 1.0, vec2<f32>(0.0), fd);
    }
    // An empty or inverted rectangle stays empty.
    if (!(r.z > r.x && r.w > r.y)) {
        corner = vec2<f32>(0.0);
    }
    textureStore(output, vec2<i32>(i32(gid.x), 0), pikafx_pack_corner(corner / fd));
}
