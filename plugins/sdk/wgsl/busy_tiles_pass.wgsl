// The busy-tiles pass (pikafx_sdk::wgsl::BUSY_TILES_PASS; explode and
// shatter use it): packs the 16x16 tiles of the frame that have work into
// an index, so that a later pass runs over those tiles only. On lavapipe
// every pixel dispatched pays for the whole shader, branches taken or not,
// so a pass whose work is scattered over a few tiles of a large rectangle
// is far cheaper dispatched over the index than over the rectangle.
//
// Inputs: input_0 = frame (binding 3; its size), input_1 = the effect's
// per-tile lists (binding 4): tile (x, y) owns the block of `stride` x
// `stride` texels at (x, y) * stride, and its texel there has the tile's
// count of work items in blue (count / 255); a tile is busy when it is
// non-zero.
// Uniforms (binding 0): u[0] = stride.
// Output (at least 2 x (tiles y + 1); one workgroup does it all):
//   row 0, texels 0 and 1: the rectangle for dispatch-region (16-bit
//     fractions, as REGION's region_main writes them): the frame's top
//     rows, one 16-pixel row per row of busy tiles in the index, or empty;
//   entry k at (k % tiles x, 1 + k / tiles x): the k-th busy tile's x and
//     y (16 bits each, two 8-bit channels), or 0xffff past the last.
// The pass over the busy tiles reads its tile with `busy_tile(wid)`
// (pikafx_sdk::wgsl::BUSY_TILES) and is dispatched with
// dispatch-region over the output, the index, as the region.

@group(0) @binding(0) var<storage, read> u: array<f32>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(3) var input_0: texture_2d<f32>;
@group(0) @binding(4) var input_1: texture_2d<f32>;

// Per lane: its chunk's count of busy tiles, then their running sum.
var<workgroup> partial: array<u32, 256>;

fn tile_busy(j: u32, tiles: vec2<u32>, stride: u32) -> bool {
    return textureLoad(input_1, vec2<i32>(vec2<u32>(j % tiles.x, j / tiles.x) * stride), 0).b > 0.0;
}

// 16-bit values in two 8-bit channels each.
fn pack_pair(v: vec2<u32>) -> vec4<f32> {
    return vec4<f32>(f32(v.x >> 8u), f32(v.x & 255u), f32(v.y >> 8u), f32(v.y & 255u)) / 255.0;
}

@compute @workgroup_size(256, 1, 1)
fn main(@builtin(local_invocation_index) li: u32, @builtin(workgroup_id) wid: vec3<u32>) {
    // The host dispatches over the whole output: one workgroup does it all.
    if (wid.x != 0u || wid.y != 0u) {
        return;
    }
    let stride = max(u32(u[0]), 1u);
    let fd = textureDimensions(input_0);
    let tiles = (fd + 15u) / 16u;
    let total = tiles.x * tiles.y;
    let chunk = (total + 255u) / 256u;
    let begin = li * chunk;
    let end = min(begin + chunk, total);
    var n = 0u;
    for (var j = begin; j < end; j++) {
        n += select(0u, 1u, tile_busy(j, tiles, stride));
    }
    partial[li] = n;
    workgroupBarrier();
    // Inclusive running sum (Hillis-Steele).
    for (var step = 1u; step < 256u; step *= 2u) {
        let before = select(0u, partial[max(li, step) - step], li >= step);
        workgroupBarrier();
        partial[li] += before;
        workgroupBarrier();
    }
    let count = partial[255];
    var slot = partial[li] - n;
    for (var j = begin; j < end; j++) {
        if (tile_busy(j, tiles, stride)) {
            let at = vec2<i32>(i32(slot % tiles.x), i32(1u + slot / tiles.x));
            textureStore(output, at, pack_pair(vec2<u32>(j % tiles.x, j / tiles.x)));
            slot++;
        }
    }
    for (var k = max(begin, count); k < end; k++) {
        textureStore(output, vec2<i32>(i32(k % tiles.x), i32(1u + k / tiles.x)), vec4<f32>(1.0));
    }
    if (li < 2u) {
        let rows = (count + tiles.x - 1u) / tiles.x;
        // One pixel of margin: the corners travel as 16-bit fractions.
        var corner = vec2<f32>(0.0);
        if (li == 1u && count > 0u) {
            corner = vec2<f32>(1.0, min((f32(rows) * 16.0 + 1.0) / f32(fd.y), 1.0));
        }
        let q = vec2<u32>(round(corner * 65535.0));
        textureStore(output, vec2<i32>(i32(li), 0), pack_pair(q));
    }
}
