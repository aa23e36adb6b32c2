//! WGSL helpers shared by first-party shaders, so that a fix to a hash or
//! to the background fill lands in every effect at once.
//!
//! A [`crate::ShaderEffect`] lists the pieces it wants in
//! [`crate::ShaderEffect::PRELUDE`]; they are appended *after* the effect's
//! own source (WGSL declarations may come in any order), so line numbers in
//! the host's validation errors still point into the effect's file. Effects
//! that build their shaders by hand can call [`with_prelude`] themselves.

/// Hashes and value noise, needing no bindings: `hash_u32(u32) -> u32`
/// (the same as [`crate::hash_u32`]), `unit(u32) -> f32` (as
/// [`crate::hash_unit`]), `cell_hash(vec2<i32>, seed: u32) -> u32`,
/// `hash2(vec2<i32>, seed: u32, salt: u32) -> f32` and
/// `value_noise(vec2<f32>, seed: u32, salt: u32) -> f32` (smooth, 0..1).
pub const NOISE: &str = include_str!("../wgsl/noise.wgsl");

/// Frame, subject mask and background fill for Pikaffects; needs
/// `input_0` (the frame) and `input_1` (the subject mask) as declared by a
/// `ShaderEffect` with `SUBJECT_MASK = true`: `frame_at(vec2<f32>) ->
/// vec3<f32>`, `mask_at(vec2<f32>) -> f32` (both at frame pixel
/// positions, clamped) and `background_fill(vec2<f32>) -> vec3<f32>` (a
/// plausible background where the subject was, from the ring of background
/// pixels around it).
pub const SUBJECT: &str = include_str!("../wgsl/subject.wgsl");

/// Frame and mask reads at pixel positions with the frame size passed in,
/// and a fill from rings of background pixels; needs `input_0` and
/// `input_1` as [`SUBJECT`] does: `mask_px(p, size) -> f32`,
/// `frame_px(p, size) -> vec4<f32>` (with alpha) and `ring_fill(p, size,
/// step, fallback) -> vec4<f32>`. What inflate, deflate and squish were
/// written against (their goldens depend on its exact fill), kept apart
/// from [`SUBJECT`] because the names would clash.
pub const RINGS: &str = include_str!("../wgsl/rings.wgsl");

/// Where the subject is, read from the subject-bounds pass; needs
/// `input_0` (the frame) and `input_2` (the pass's 4x1 texture) as bound by
/// a `ShaderEffect` with `SUBJECT_BOUNDS = true`: `subject_box() ->
/// vec4<f32>` (min x, min y, max x, max y in frame pixels),
/// `subject_centre() -> vec2<f32>` (frame pixels), `subject_area() -> f32`
/// (fraction of the frame) and `subject_found() -> bool`.
pub const BOUNDS: &str = include_str!("../wgsl/bounds.wgsl");

/// The subject-bounds pass itself (entry point `main`, the mask at binding
/// 3, a 4x1 output); see [`crate::subject_bounds`].
pub const BOUNDS_PASS: &str = include_str!("../wgsl/bounds_pass.wgsl");

/// A pass that evaluates [`SUBJECT`]'s `background_fill` once per cell of
/// about 16x16 frame pixels (at 720p) into a small texture, for effects to
/// sample bilinearly where the subject was. Compile it as
/// `with_prelude(COARSE_FILL_PASS, &[SUBJECT])`, dispatch it with the frame
/// and the mask as inputs over a texture of about `frame / 16`. On lavapipe
/// a per-pixel shader pays for `background_fill`'s code even where it is
/// never called (~5 ms per 720p frame), so a separate coarse pass is the
/// cheaper way to fill large holes.
pub const COARSE_FILL_PASS: &str = include_str!("../wgsl/coarse_fill_pass.wgsl");

/// Reads the coarse background fill of [`COARSE_FILL_PASS`]:
/// `coarse_fill_at(vec2<f32>) -> vec3<f32>` (frame pixel position, sampled
/// bilinearly), a cheap stand-in for [`SUBJECT`]'s `background_fill`. Needs
/// `input_0` (the frame), the `linear` sampler (binding 2) and the fill
/// declared as `var coarse_fill: texture_2d<f32>` at its binding, as bound
/// by a `ShaderEffect` with `COARSE_FILL = true`.
pub const COARSE_FILL: &str = include_str!("../wgsl/coarse_fill.wgsl");

/// `mask_support() -> vec4<f32>`: the box (frame pixels) outside which the
/// subject mask is 0, found with one tap per texel of the host's mask work
/// grid; for the `effect_region` of effects that move whatever the soft
/// mask holds (the subject-bounds box misses its soft edges); and
/// `mask_support_above(threshold) -> vec4<f32>`, the same for effects that
/// act only where the mask exceeds a small value. Needs [`SUBJECT`].
pub const MASK_SUPPORT: &str = include_str!("../wgsl/mask_support.wgsl");

/// The `vacated_main` entry point for effects that move the subject away
/// and draw it in a later pass: the frame with the subject's area mixed
/// towards the coarse background fill by the mask times the effect's
/// `fn vacated_amount() -> f32`; see the file's header for its bindings.
pub const VACATED_FILL_PASS: &str = include_str!("../wgsl/vacated_fill_pass.wgsl");

/// The seeded jittered grid of Voronoi cells (needs [`NOISE`]):
/// `voronoi_seed(seed_param) -> u32`, `voronoi_site(cell, seed, cs)` and
/// `voronoi_site_of(cell, hash, cs)`; the layout [`VORONOI_CELLS_PASS`]
/// maps, shared with the effects that move the cells.
pub const VORONOI: &str = include_str!("../wgsl/voronoi.wgsl");

/// The Voronoi cell map pass run by [`crate::VoronoiCells`]: per pixel near
/// the subject, its cell of a seeded jittered grid (x, y modulo 256 in red
/// and green), its distance to the cell's edge (blue) and whether it is on
/// the subject (alpha). The file's header gives the cell layout, which
/// effects reading the map must share.
pub const VORONOI_CELLS_PASS: &str = include_str!("../wgsl/voronoi_cells_pass.wgsl");

/// The busy-tiles pass run by [`crate::busy_tiles`]: packs the 16x16 tiles
/// that an effect's per-tile lists say have work into an index that is
/// also the `dispatch-region` rectangle for a pass over those tiles only.
pub const BUSY_TILES_PASS: &str = include_str!("../wgsl/busy_tiles_pass.wgsl");

/// `busy_tile(workgroup_id) -> vec2<u32>`: the tile a workgroup of a pass
/// dispatched over [`BUSY_TILES_PASS`]'s index works on; needs the index
/// declared as `busy_index: texture_2d<f32>`.
pub const BUSY_TILES: &str = include_str!("../wgsl/busy_tiles.wgsl");

/// The tile lists of [`crate::VoronoiFragments`] effects, which it appends
/// itself: `cell_occupied(cell) -> bool` (the Voronoi occupancy, bound as
/// `input_5`) and `tile_list_store(hit, cell, li, lid, wid)`, which writes
/// a tile's list in the layout [`crate::busy_tiles`] reads.
pub const FRAGMENTS: &str = include_str!("../wgsl/fragments.wgsl");

/// Appended by a [`crate::ShaderEffect`] with `REGION = true` (do not list
/// it in `PRELUDE`): `region_pixel(global_invocation_id) -> vec2<u32>`, the
/// frame pixel an invocation of `main` works on, and the `region_main`
/// entry point that writes the effect's `effect_region()` for the host's
/// `dispatch-region` (see [`crate::dispatch_region`]).
pub const REGION: &str = include_str!("../wgsl/region.wgsl");

/// `source` followed by each of `prelude`, separated by blank lines.
pub fn with_prelude(source: &str, prelude: &[&str]) -> String {
    let mut out = String::with_capacity(source.len() + prelude.iter().map(|p| p.len() + 2).sum::<usize>());
    out.push_str(source);
    for piece in prelude {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push('\n');
        out.push_str(piece);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prelude_follows_the_source_so_line_numbers_stay() {
        let joined = with_prelude("fn main() {}", &[NOISE, SUBJECT]);
        assert!(joined.starts_with("fn main() {}\n\n// ---- pikafx_sdk::wgsl::NOISE"));
        assert!(joined.contains("fn value_noise(") && joined.contains("fn background_fill("));
        assert_eq!(with_prelude("x", &[]), "x");
    }

    #[test]
    fn the_wgsl_hash_matches_the_rust_one() {
        // The constants are the ones of crate::hash_u32; if either changes,
        // seeds would pick different patterns on the CPU and the GPU.
        assert!(NOISE.contains("x *= 0x7feb352du;") && NOISE.contains("x *= 0x846ca68bu;"));
        let rust = include_str!("hash.rs");
        assert!(rust.contains("wrapping_mul(0x7feb_352d)") && rust.contains("wrapping_mul(0x846c_a68b)"));
    }
}
