// The host's step between a plugin's region texture and `dispatch-region`
// (pika:fx@0.3.0): reads the rectangle the plugin's own pass wrote (texels
// 0 and 1 of `region`, each an (x, y) fraction of the output's size in 16
// bits, see `wit/0.3.0`), clamps it to the output, rounds its corner down to
// the workgroup size, and writes the indirect dispatch's workgroup counts
// and the origin the plugin's shader reads at @binding(31).
//
// One invocation; runs on the GPU so that nothing is read back.

struct Params {
    // Output width and height, then the plugin shader's workgroup size.
    size: vec2<u32>,
    workgroup: vec2<u32>,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var region: texture_2d<f32>;
// x, y, z workgroup counts of the indirect dispatch.
@group(0) @binding(2) var<storage, read_write> groups: array<u32, 3>;
// What the plugin's shader reads at @binding(31): origin xy, end zw.
@group(0) @binding(3) var<storage, read_write> origin: vec4<u32>;

// Texel `i` of the region texture as a point in output pixels.
fn corner(i: i32) -> vec2<u32> {
    let t = vec4<u32>(round(textureLoad(region, vec2<i32>(i, 0), 0) * 255.0));
    let fraction = vec2<f32>(vec2<u32>(t.x * 256u + t.y, t.z * 256u + t.w)) / 65535.0;
    return min(vec2<u32>(round(fraction * vec2<f32>(params.size))), params.size);
}

@compute @workgroup_size(1, 1, 1)
fn main() {
    let start = corner(0);
    let end = max(corner(1), start);
    let first = start / params.workgroup * params.workgroup;
    let count = (end - first + params.workgroup - vec2<u32>(1u)) / params.workgroup;
    // An empty rectangle runs no workgroup.
    let runs = all(end > start);
    groups[0] = select(0u, count.x, runs);
    groups[1] = select(0u, count.y, runs);
    groups[2] = 1u;
    origin = vec4<u32>(first, end);
}
