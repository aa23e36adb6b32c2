//! Candidate windows for effects that move the cells of the SDK's jittered
//! grid ([`crate::wgsl::VORONOI`]) as fragments: how many cells a per-tile
//! pass must try, and the passes compiled once per window size.
//!
//! A pass that lists, per tile, the cells whose fragment can reach the tile
//! runs one invocation per candidate cell, so its workgroup is the window
//! (`@workgroup_size(SIDE, SIDE, 1)`). On lavapipe every invocation costs the
//! whole body, so the window should be as small as the cell size allows: 25
//! candidates for 40 px cells where a fixed worst-case window ran 100.

use std::cell::OnceCell;

use crate::{Shader, compile};

/// The largest side [`voronoi_window_side`] returns: 121 candidates, one
/// workgroup of 121 invocations (the limit is 256).
pub const MAX_WINDOW_SIDE: u32 = 11;

/// The side of the square window of grid cells whose sites can lie within
/// `reach` pixels (per axis) of a point, for cells of `cs` pixels.
///
/// A site lies in the middle 70% of its cell (`voronoi_site_of`), so the
/// cells c along an axis with a site in [p - reach, p + reach] satisfy
/// (p - reach) / cs - 0.85 <= c <= (p + reach) / cs - 0.15: at most
/// floor(2 reach / cs + 0.7) + 1 of them. The window starts at WGSL's
/// `voronoi_window_first(p, reach, cs)`. Clamped to 1..=[`MAX_WINDOW_SIDE`]:
/// an effect keeps `reach / cs` small enough (a minimum cell size) that the
/// clamp never bites.
pub fn voronoi_window_side(cs: f32, reach: f32) -> u32 {
    let cs = cs.max(1.0);
    // (+1e-3: the shader computes cs and reach in its own rounding.)
    let side = (2.0 * reach.max(0.0) / cs + 0.7 + 1e-3).floor() as u32 + 1;
    side.clamp(1, MAX_WINDOW_SIDE)
}

/// Something built per window side, each on first use: typically the
/// passes whose workgroup is the window, compiled from the effect's WGSL
/// with `const LIST_SIDE: u32 = {side}u;` prepended. The side follows the
/// cell size in pixels, which the frame's height and a parameter set, so an
/// effect builds the one it expects in `create` and rarely another.
pub struct PerWindowSide<T> {
    slots: [OnceCell<T>; MAX_WINDOW_SIDE as usize],
}

impl<T> Default for PerWindowSide<T> {
    fn default() -> Self {
        Self { slots: std::array::from_fn(|_| OnceCell::new()) }
    }
}

impl<T> PerWindowSide<T> {
    /// The value for `side` (1..=[`MAX_WINDOW_SIDE`]), built by `make` the
    /// first time it is asked for.
    pub fn get_or_try_init(&self, side: u32, make: impl FnOnce(u32) -> Result<T, String>) -> Result<&T, String> {
        let slot = side
            .checked_sub(1)
            .and_then(|i| self.slots.get(i as usize))
            .ok_or_else(|| format!("window side {side} is outside 1..={MAX_WINDOW_SIDE}"))?;
        if let Some(value) = slot.get() {
            return Ok(value);
        }
        let value = make(side)?;
        Ok(slot.get_or_init(|| value))
    }
}

/// The two passes of an effect that lists candidate cells per tile, whose
/// workgroups depend on the window's side: `tiles_main` (one workgroup of
/// `LIST_SIDE` x `LIST_SIDE` per 16x16 tile, one candidate cell each) and
/// `frag_main` (which reads the lists).
pub struct TileListPasses {
    /// `tiles_main`.
    pub tiles: Shader,
    /// `frag_main`.
    pub frag: Shader,
}

impl TileListPasses {
    /// Compiles both entry points of `source` (the effect's WGSL with its
    /// prelude) for a window of `side` cells per axis: `const LIST_SIDE:
    /// u32 = {side}u;` goes in front of the first line, on that line, so
    /// that compile errors keep the file's line numbers.
    pub fn compile(source: &str, side: u32) -> Result<Self, String> {
        let source = with_window_side(source, side);
        Ok(Self { tiles: compile(&source, "tiles_main")?, frag: compile(&source, "frag_main")? })
    }
}

/// `source` with `const LIST_SIDE: u32 = {side}u;` in front of its first
/// line (see [`TileListPasses::compile`]).
pub fn with_window_side(source: &str, side: u32) -> String {
    format!("const LIST_SIDE: u32 = {side}u; {source}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WGSL's `voronoi_window_first` (the SDK's VORONOI), in Rust.
    fn window_first(p: f32, reach: f32, cs: f32) -> i32 {
        ((p - reach) / cs - 0.85).ceil() as i32
    }

    /// Every cell whose site range meets [p - reach, p + reach] lies in the
    /// window, over cell sizes, reaches and points on a fine grid; and the
    /// window is no larger than needed somewhere.
    #[test]
    fn the_window_holds_every_cell_whose_site_can_be_in_reach() {
        for cs10 in 30..=1200 {
            let cs = cs10 as f32 / 10.0;
            for reach in [0.0, 12.0, cs + 12.0, 1.7 * cs + 12.0] {
                let side = voronoi_window_side(cs, reach);
                if side == MAX_WINDOW_SIDE && 2.0 * reach / cs + 0.7 >= MAX_WINDOW_SIDE as f32 {
                    continue; // clamped: the effect's minimum cell size rules this out
                }
                let mut widest = 0;
                for step in 0..400 {
                    let p = 1000.0 + step as f32 * cs / 97.0;
                    let first = window_first(p, reach, cs);
                    let lo = ((p - reach) / cs - 0.85).ceil() as i32;
                    let hi = ((p + reach) / cs - 0.15).floor() as i32;
                    // Every cell with a site that can be within reach:
                    for c in lo - 2..=hi + 2 {
                        let site_lo = (c as f32 + 0.15) * cs;
                        let site_hi = (c as f32 + 0.85) * cs;
                        if site_hi >= p - reach && site_lo <= p + reach {
                            assert!(
                                c >= first && c < first + side as i32,
                                "cs {cs}, reach {reach}, p {p}: cell {c} outside {first}..{}",
                                first + side as i32
                            );
                        }
                    }
                    widest = widest.max(hi - lo + 1);
                }
                assert!(widest as u32 + 1 >= side, "cs {cs}, reach {reach}: side {side}, at most {widest} needed");
            }
        }
    }

    #[test]
    fn the_default_shard_window_is_five_cells() {
        // shatter's default: 40 px shards, sites within 1.7 cs + 12 px.
        assert_eq!(voronoi_window_side(40.0, 1.7 * 40.0 + 12.0), 5);
        // explode's: 36 px fragments, sites within cs + 12 px.
        assert_eq!(voronoi_window_side(36.0, 36.0 + 12.0), 4);
        assert_eq!(voronoi_window_side(1.0, 1000.0), MAX_WINDOW_SIDE);
    }

    #[test]
    fn the_side_constant_keeps_line_numbers() {
        let source = "// first line\nfn f() {}\n";
        let with_side = with_window_side(source, 7);
        assert_eq!(with_side.lines().count(), source.lines().count());
        assert!(with_side.starts_with("const LIST_SIDE: u32 = 7u; // first line\n"));
    }

    #[test]
    fn each_side_is_built_once_and_out_of_range_sides_are_errors() {
        let per_side = PerWindowSide::<u32>::default();
        let mut builds = 0;
        for _ in 0..3 {
            let value = per_side
                .get_or_try_init(5, |side| {
                    builds += 1;
                    Ok(side * 10)
                })
                .unwrap();
            assert_eq!(*value, 50);
        }
        assert_eq!(builds, 1);
        assert!(per_side.get_or_try_init(0, |s| Ok(s)).is_err());
        assert!(per_side.get_or_try_init(MAX_WINDOW_SIDE + 1, |s| Ok(s)).is_err());
        assert!(per_side.get_or_try_init(6, |_| Err("no".into())).is_err());
        assert_eq!(*per_side.get_or_try_init(6, |s| Ok(s)).unwrap(), 6);
    }
}
