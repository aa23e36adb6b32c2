//! Deterministic integer hashing for seeds and noise (no randomness source is
//! available to plugins, and renders must be reproducible).

/// A well-mixed 32-bit hash of `x` (the "lowbias32" integer hash). The same
/// function written in WGSL gives the same values on the GPU:
///
/// ```wgsl
/// fn hash_u32(v: u32) -> u32 {
///     var x = v;
///     x ^= x >> 16u; x *= 0x7feb352du;
///     x ^= x >> 15u; x *= 0x846ca68bu;
///     x ^= x >> 16u;
///     return x;
/// }
/// ```
pub fn hash_u32(x: u32) -> u32 {
    let mut x = x;
    x ^= x >> 16;
    x = x.wrapping_mul(0x7feb_352d);
    x ^= x >> 15;
    x = x.wrapping_mul(0x846c_a68b);
    x ^= x >> 16;
    x
}

/// Hashes two values together, e.g. a seed and a frame index.
pub fn hash_combine(a: u32, b: u32) -> u32 {
    hash_u32(a ^ hash_u32(b).wrapping_add(0x9e37_79b9))
}

/// Maps a hash to a float in `0.0..1.0` (24 bits of precision).
pub fn hash_unit(h: u32) -> f32 {
    (h >> 8) as f32 / (1u32 << 24) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_values() {
        assert_eq!(hash_u32(0), 0);
        assert_ne!(hash_u32(1), hash_u32(2));
        assert!((0.0..1.0).contains(&hash_unit(u32::MAX)));
        assert_eq!(hash_combine(7, 3), hash_combine(7, 3));
    }
}
