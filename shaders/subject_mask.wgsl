// A classical subject estimate, used until a segmentation model lands
// (issue "effect catalog"): colour distance from the frame border's mean
// colour, weighted by a centre prior. Two entry points:
//   `border_stats`: one invocation averages the border pixels into `stats`;
//   `mask`: per pixel, writes the soft mask into red (and green, blue).

@group(0) @binding(0) var<storage, read_write> stats: array<f32, 4>;
@group(0) @binding(1) var output: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(3) var frame: texture_2d<f32>;

@compute @workgroup_size(1, 1, 1)
fn border_stats() {
    let size = vec2<i32>(textureDimensions(frame));
    let step_x = max(size.x / 256, 1);
    let step_y = max(size.y / 256, 1);
    var sum = vec3<f32>(0.0);
    var n = 0.0;
    for (var x = 0; x < size.x; x = x + step_x) {
        sum = sum + textureLoad(frame, vec2<i32>(x, 0), 0).rgb + textureLoad(frame, vec2<i32>(x, size.y - 1), 0).rgb;
        n = n + 2.0;
    }
    for (var y = 0; y < size.y; y = y + step_y) {
        sum = sum + textureLoad(frame, vec2<i32>(0, y), 0).rgb + textureLoad(frame, vec2<i32>(size.x - 1, y), 0).rgb;
        n = n + 2.0;
    }
    let mean = sum / max(n, 1.0);
    var spread = 0.0;
    for (var x = 0; x < size.x; x = x + step_x) {
        spread = spread + distance(textureLoad(frame, vec2<i32>(x, 0), 0).rgb, mean);
        spread = spread + distance(textureLoad(frame, vec2<i32>(x, size.y - 1), 0).rgb, mean);
    }
    for (var y = 0; y < size.y; y = y + step_y) {
        spread = spread + distance(textureLoad(frame, vec2<i32>(0, y), 0).rgb, mean);
        spread = spread + distance(textureLoad(frame, vec2<i32>(size.x - 1, y), 0).rgb, mean);
    }
    stats[0] = mean.r;
    stats[1] = mean.g;
    stats[2] = mean.b;
    stats[3] = spread / max(n, 1.0);
}

@compute @workgroup_size(16, 8, 1)
fn mask(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = textureDimensions(output);
    if (id.x >= size.x || id.y >= size.y) {
        return;
    }
    let p = vec2<i32>(id.xy);
    let rgb = textureLoad(frame, p, 0).rgb;
    let mean = vec3<f32>(stats[0], stats[1], stats[2]);
    let d = distance(rgb, mean) / max(stats[3] * 2.0, 0.08);
    let salient = smoothstep(0.6, 1.6, d);
    let uv = (vec2<f32>(id.xy) + 0.5) / vec2<f32>(size);
    let prior = 1.0 - smoothstep(0.3, 0.7, length(uv - vec2<f32>(0.5)));
    let m = clamp(salient * prior, 0.0, 1.0);
    textureStore(output, p, vec4<f32>(m, m, m, 1.0));
}
