// ---- pikafx_sdk::wgsl::BUSY_TILES: which tile a workgroup works on ----
// For a pass with @workgroup_size(16, 16) dispatched with dispatch-region
// over the index of BUSY_TILES_PASS (see pikafx_sdk::busy_tiles), which
// declares that index as `busy_index: texture_2d<f32>`.

// The busy tile (in 16-pixel units) of workgroup `wid`, or 0xffff past the
// last one (off any frame: check the pixel against the frame's size).
fn busy_tile(wid: vec3<u32>) -> vec2<u32> {
    let dims = textureDimensions(busy_index);
    if (wid.x >= dims.x || wid.y + 1u >= dims.y) {
        return vec2<u32>(0xffffu);
    }
    let e = vec4<u32>(round(textureLoad(busy_index, vec2<i32>(i32(wid.x), i32(wid.y + 1u)), 0) * 255.0));
    return vec2<u32>(e.x * 256u + e.y, e.z * 256u + e.w);
}
