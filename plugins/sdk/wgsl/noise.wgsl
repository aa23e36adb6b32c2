// ---- pikafx_sdk::wgsl::NOISE: hashes and value noise (no bindings needed) ----

// lowbias32, the same as pikafx_sdk::hash_u32.
fn hash_u32(v: u32) -> u32 {
    var x = v;
    x ^= x >> 16u;
    x *= 0x7feb352du;
    x ^= x >> 15u;
    x *= 0x846ca68bu;
    x ^= x >> 16u;
    return x;
}

// A hash as 0..1 (24 bits), the same as pikafx_sdk::hash_unit.
fn unit(h: u32) -> f32 {
    return f32(h >> 8u) / 16777216.0;
}

// A hash of an integer lattice point and a seed (cells of Voronoi patterns).
fn cell_hash(c: vec2<i32>, seed: u32) -> u32 {
    return hash_u32(bitcast<u32>(c.x) * 0x8da6b343u ^ hash_u32(bitcast<u32>(c.y) * 0xd8163841u ^ seed));
}

// A hash of an integer lattice point, the seed and a salt (to draw several
// independent values per point), as 0..1.
fn hash2(c: vec2<i32>, seed: u32, salt: u32) -> f32 {
    let h = hash_u32(bitcast<u32>(c.x) ^ hash_u32(bitcast<u32>(c.y) ^ hash_u32(seed * 16u + salt)));
    return f32(h >> 8u) / 16777216.0;
}

// Smooth 2D value noise in 0..1 (one lattice cell per unit of `x`).
fn value_noise(x: vec2<f32>, seed: u32, salt: u32) -> f32 {
    let i = vec2<i32>(floor(x));
    let f = fract(x);
    let s = f * f * (3.0 - 2.0 * f);
    let a = hash2(i, seed, salt);
    let b = hash2(i + vec2<i32>(1, 0), seed, salt);
    let c = hash2(i + vec2<i32>(0, 1), seed, salt);
    let d = hash2(i + vec2<i32>(1, 1), seed, salt);
    return mix(mix(a, b, s.x), mix(c, d, s.x), s.y);
}
