// ---- pikafx_sdk::wgsl::FRAGMENTS: the tile lists of VoronoiFragments ----
// Appended by pikafx_sdk::VoronoiFragments to the effect's WGSL, whose
// bindings it follows (in tiles_main: output = the list texture, input_5 =
// the cell occupancy), after `const LIST_SIDE`.

// A tile's list while tiles_main builds it: the listed cells, packed as
// x & 255 | (y & 255) << 8, in any order (frag_main picks among them by the
// effect's own key, never by position).
var<workgroup> fragments_hit_count: atomic<u32>;
var<workgroup> fragments_hit_list: array<u32, 121>;

// Whether `cell` may hold some of the subject: the SDK's Voronoi occupancy
// (VoronoiCellMap::occupancy, cell c at texel c + 2; 0 off the texture).
fn cell_occupied(cell: vec2<i32>) -> bool {
    let oc = cell + 2;
    let od = vec2<i32>(textureDimensions(input_5));
    return all(oc >= vec2<i32>(0)) && all(oc < od) && textureLoad(input_5, min(max(oc, vec2<i32>(0)), od - 1), 0).r > 0.5;
}

// Writes the tile's list: invocation `li` (at `lid` of workgroup `wid`) of
// tiles_main lists `cell` where `hit`. Call it once, from uniform control
// flow (it waits at a barrier). Each texel of the tile's LIST_SIDE x
// LIST_SIDE block holds one entry's cell x and y modulo 256 (red, green)
// and the count (blue), which pikafx_sdk::busy_tiles reads at the block's
// first texel.
fn tile_list_store(hit: bool, cell: vec2<i32>, li: u32, lid: vec3<u32>, wid: vec3<u32>) {
    if (hit) {
        let low = bitcast<vec2<u32>>(cell) & vec2<u32>(255u);
        fragments_hit_list[atomicAdd(&fragments_hit_count, 1u)] = low.x | (low.y << 8u);
    }
    workgroupBarrier();
    let count = atomicLoad(&fragments_hit_count);
    let entry = select(0u, fragments_hit_list[min(li, 120u)], li < count);
    let texel = vec4<f32>(f32(entry & 255u), f32(entry >> 8u), f32(count), 0.0) / 255.0;
    textureStore(output, vec2<i32>(wid.xy * LIST_SIDE + lid.xy), texel);
}
