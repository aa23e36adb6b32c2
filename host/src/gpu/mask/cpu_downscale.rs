//! The mask's `downscale` pass on the CPU, for software adapters.
//!
//! `downscale` in `shaders/subject_mask.wgsl` reads four texels per frame
//! pixel (the pixel, its right and lower neighbours and the previous
//! frame's pixel) to make the work grid: ~7 ms with both lavapipe threads
//! at 720p, the costliest pass of the mask. The frame is read back for the
//! upsample anyway ([`super::cpu_upsample`]), so here the same sums run on
//! the CPU over each row once, with each row's luma computed once, in about
//! a third of that CPU time; the previous frame is the last readback, kept
//! in memory, which also spares the GPU path's copy of every frame.
//!
//! Each grid cell sums its pixels in the shader's order (rows, then
//! columns, edge pixels repeated where the cell passes the frame's edge)
//! with the shader's formulas, so both agree but for float rounding.

use super::bands::for_each_band;

/// The work grid as `downscale` leaves it: per cell, the mean colour and
/// the mean texture energy (`small`: r, g, b, energy) and the mean
/// frame-to-frame colour distance (`motion`).
pub(super) struct WorkGrid {
    /// r, g, b, energy per cell, row-major.
    pub(super) small: Vec<[f32; 4]>,
    /// Mean colour distance to the previous frame per cell.
    pub(super) motion: Vec<f32>,
}

/// A packed RGBA8 frame: `stride` bytes per row.
#[derive(Clone, Copy)]
pub(super) struct Frame<'a> {
    /// The pixels.
    pub(super) bytes: &'a [u8],
    /// Bytes per row.
    pub(super) stride: usize,
    /// Width in pixels.
    pub(super) width: usize,
    /// Height in pixels.
    pub(super) height: usize,
}

impl Frame<'_> {
    /// Whether the bytes hold every row.
    pub(super) fn is_complete(&self) -> bool {
        self.width > 0
            && self.height > 0
            && self.stride >= self.width * 4
            && self.bytes.len() >= self.stride * (self.height - 1) + self.width * 4
    }

    fn row(&self, y: usize) -> &[u8] {
        &self.bytes[y * self.stride..][..self.width * 4]
    }
}

fn luma(rgb: [f32; 3]) -> f32 {
    rgb[0] * 0.299 + rgb[1] * 0.587 + rgb[2] * 0.114
}

/// Each 8-bit code value as the texture unit reads it (`c / 255`), looked
/// up rather than divided three times per pixel.
const UNORM8: [f32; 256] = {
    let mut table = [0.0; 256];
    let mut code = 0;
    while code < 256 {
        table[code] = code as f32 / 255.0;
        code += 1;
    }
    table
};

fn rgb(px: &[u8]) -> [f32; 3] {
    [UNORM8[px[0] as usize], UNORM8[px[1] as usize], UNORM8[px[2] as usize]]
}

/// Downscales `frame` into cells of `block` x `block` pixels
/// (`grid_width` x `grid_height` of them), with the motion against `prev`
/// (same size and stride). Both frames must be complete.
pub(super) fn downscale(
    frame: Frame<'_>,
    prev: Frame<'_>,
    block: usize,
    (grid_width, grid_height): (usize, usize),
) -> WorkGrid {
    let mut cells = vec![Cell::default(); grid_width * grid_height];
    for_each_band(&mut cells, grid_width, grid_height, |first_row, band| {
        let mut lumas = LumaRows::new(frame.width);
        for (i, row) in band.chunks_exact_mut(grid_width).enumerate() {
            let origin = (first_row + i) * block;
            for dy in 0..block {
                let y = (origin + dy).min(frame.height - 1);
                add_row(frame, prev, y, block, &mut lumas, row);
            }
        }
    });
    let n = (block * block) as f32;
    WorkGrid {
        small: cells.iter().map(|c| [c.sum[0] / n, c.sum[1] / n, c.sum[2] / n, c.energy / n]).collect(),
        motion: cells.iter().map(|c| c.diff / n).collect(),
    }
}

/// One cell's running sums.
#[derive(Clone, Copy, Default)]
struct Cell {
    sum: [f32; 3],
    energy: f32,
    diff: f32,
}

/// The luma of frame row `y` and of the row below it, kept while the cells
/// walk down the frame (each row is the lower neighbour of the one above).
struct LumaRows {
    rows: [(usize, Vec<f32>); 2],
}

impl LumaRows {
    fn new(width: usize) -> Self {
        Self { rows: [(usize::MAX, vec![0.0; width]), (usize::MAX, vec![0.0; width])] }
    }

    /// The lumas of rows `y` and `below`.
    fn pair(&mut self, frame: Frame<'_>, y: usize, below: usize) -> (&[f32], &[f32]) {
        for wanted in [y, below] {
            if self.rows.iter().all(|(row, _)| *row != wanted) {
                // Replace the row that is neither of the two wanted.
                let slot = usize::from(self.rows[0].0 == y || self.rows[0].0 == below);
                let (row, values) = &mut self.rows[slot];
                for (v, px) in values.iter_mut().zip(frame.row(wanted).chunks_exact(4)) {
                    *v = luma(rgb(px));
                }
                *row = wanted;
            }
        }
        let find = |wanted| usize::from(self.rows[0].0 != wanted);
        let (a, b) = (find(y), find(below));
        (&self.rows[a].1, &self.rows[b].1)
    }
}

/// Adds frame row `y` to the cells of one grid row.
fn add_row(frame: Frame<'_>, prev: Frame<'_>, y: usize, block: usize, lumas: &mut LumaRows, cells: &mut [Cell]) {
    let last = frame.width - 1;
    let (here, below) = lumas.pair(frame, y, (y + 1).min(frame.height - 1));
    let (pixels, before) = (frame.row(y), prev.row(y));
    for (gx, cell) in cells.iter_mut().enumerate() {
        for dx in 0..block {
            let x = (gx * block + dx).min(last);
            let c = rgb(&pixels[x * 4..]);
            let o = rgb(&before[x * 4..]);
            let l = here[x];
            cell.sum = [cell.sum[0] + c[0], cell.sum[1] + c[1], cell.sum[2] + c[2]];
            cell.energy += (l - here[(x + 1).min(last)]).abs() + (l - below[x]).abs();
            let d = [c[0] - o[0], c[1] - o[1], c[2] - o[2]];
            cell.diff += (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(bytes: &[u8], width: usize, height: usize) -> Frame<'_> {
        Frame { bytes, stride: width * 4, width, height }
    }

    #[test]
    fn a_flat_frame_has_its_colour_and_no_energy_or_motion() {
        let px = [51u8, 102, 204, 255];
        let bytes: Vec<u8> = (0..6 * 4).flat_map(|_| px).collect();
        let g = downscale(frame(&bytes, 6, 4), frame(&bytes, 6, 4), 2, (3, 2));
        for s in &g.small {
            assert!((s[0] - 0.2).abs() < 1e-6 && (s[1] - 0.4).abs() < 1e-6 && (s[2] - 0.8).abs() < 1e-6, "{s:?}");
            assert_eq!(s[3], 0.0);
        }
        assert!(g.motion.iter().all(|&m| m == 0.0));
    }

    #[test]
    fn edges_and_motion_land_in_their_cells() {
        // 4x2 frame, 2x2 cells: the left cell is black, the right white;
        // the previous frame was all black.
        let (w, h) = (4, 2);
        let bytes: Vec<u8> =
            (0..w * h).flat_map(|i| if i % w < 2 { [0, 0, 0, 255] } else { [255, 255, 255, 255] }).collect();
        let black = vec![0u8; w * h * 4];
        let g = downscale(frame(&bytes, w, h), frame(&black, w, h), 2, (2, 1));
        // Left cell: its right column borders white (luma step 1) on 2 of
        // its 4 pixels; right cell: no step inside (the edge repeats).
        assert!((g.small[0][3] - 0.5).abs() < 1e-6, "{:?}", g.small[0]);
        assert_eq!(g.small[1][3], 0.0);
        assert_eq!(g.motion[0], 0.0);
        assert!((g.motion[1] - 3f32.sqrt()).abs() < 1e-5, "{}", g.motion[1]);
    }

    #[test]
    fn a_cell_past_the_edge_repeats_the_last_pixels() {
        // 3x1 frame in 2x2 cells: the second cell is the last pixel four times.
        let bytes = [0u8, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 255];
        let g = downscale(frame(&bytes, 3, 1), frame(&bytes, 3, 1), 2, (2, 1));
        assert_eq!(g.small[1][..3], [1.0, 1.0, 1.0]);
        assert_eq!(g.small[0][..3], [0.0, 0.0, 0.0]);
    }
}
