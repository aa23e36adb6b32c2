//! The mask's joint-bilateral upsample on the CPU, for software adapters.
//!
//! The `upsample` pass of `shaders/subject_mask.wgsl` writes every pixel of
//! the frame-sized mask. On lavapipe it costs ~40 ms of CPU per 720p frame,
//! most of the mask: llvmpipe runs a shader's code for a whole SIMD batch
//! whether or not a lane takes a branch, so the pass pays for the colour
//! weights everywhere although only pixels near the subject's outline need
//! them. Here a pixel whose four work-grid values agree (most of any frame)
//! costs a few comparisons, and the frame, the grid and the mask move with a
//! buffer copy each way (memcpys on lavapipe). On a real GPU the shader stays.
//!
//! The maths is the shader's step for step, so the two agree to within one
//! code value (float rounding, `exp`); `tests/subject_mask.rs` checks that.

use super::bands::for_each_band;
use super::cpu_downscale::Frame;
use crate::gpu::GpuError;

/// Colour distance scale of the bilateral weight (as in the shader).
const SIGMA: f32 = 0.12;
/// Floor of the colour weight, so flat regions still interpolate smoothly.
const WEIGHT_FLOOR: f32 = 0.15;
/// Spread of four grid values under which a pixel takes their mean.
const FLAT: f32 = 0.002;

/// The work grid the upsample reads, as floats.
pub(super) struct Grid {
    /// Width in grid pixels.
    pub(super) width: usize,
    /// Height in grid pixels.
    pub(super) height: usize,
    /// Subject value of each grid pixel (row-major).
    pub(super) mask: Vec<f32>,
    /// Mean colour of each grid pixel's block of frame pixels.
    pub(super) colour: Vec<[f32; 3]>,
}

/// One frame coordinate's place on the work grid: the two grid coordinates
/// around it (clamped), the weight of the second, and which pair of grid
/// coordinates that is (0 ..= grid length: the pair's base plus one).
#[derive(Clone, Copy)]
struct AxisTap {
    first: usize,
    second: usize,
    weight: f32,
    pair: usize,
}

/// The taps of every coordinate of one frame axis of `len` pixels.
fn axis(len: usize, block: f32, grid_len: usize) -> Vec<AxisTap> {
    let last = grid_len.saturating_sub(1) as i64;
    (0..len)
        .map(|i| {
            // Texel centres at +0.5, as in the shader.
            let g = (i as f32 + 0.5) / block - 0.5;
            let base = g.floor();
            let b = base as i64;
            AxisTap {
                first: b.clamp(0, last) as usize,
                second: (b + 1).clamp(0, last) as usize,
                weight: g - base,
                pair: (b + 1).clamp(0, grid_len as i64) as usize,
            }
        })
        .collect()
}

/// For every pair of grid rows and pair of grid columns a pixel can fall
/// between: the mean of the four grid values where they agree (the
/// shader's flat-region shortcut), NaN where they do not. Computed once per
/// frame so that most pixels cost one lookup.
fn flat_means(grid: &Grid) -> Vec<f32> {
    let (w, h) = (grid.width, grid.height);
    let pair = |k: usize, len: usize| (k.saturating_sub(1).min(len - 1), k.min(len - 1));
    let mut means = Vec::with_capacity((w + 1) * (h + 1));
    for row in 0..=h {
        let (y0, y1) = pair(row, h);
        for col in 0..=w {
            let (x0, x1) = pair(col, w);
            let m = [grid.mask[y0 * w + x0], grid.mask[y0 * w + x1], grid.mask[y1 * w + x0], grid.mask[y1 * w + x1]];
            let lo = m[0].min(m[1]).min(m[2].min(m[3]));
            let hi = m[0].max(m[1]).max(m[2].max(m[3]));
            means.push(if hi - lo < FLAT { 0.25 * (m[0] + m[1] + m[2] + m[3]) } else { f32::NAN });
        }
    }
    means
}

fn bilateral(spatial: f32, rgb: [f32; 3], grid: [f32; 3]) -> f32 {
    let d = [rgb[0] - grid[0], rgb[1] - grid[1], rgb[2] - grid[2]];
    let dist2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
    // Clamped where the exponential is far below the floor's last bit
    // anyway: glibc's expf takes a slow path (~20x) for results in the
    // subnormal range, which distant colours reach.
    let x = (dist2 * (1.0 / (2.0 * SIGMA * SIGMA))).min(80.0);
    spatial * (WEIGHT_FLOOR + (-x).exp())
}

/// What storing `v` into an `rgba8unorm` texture keeps: clamped, rounded.
fn unorm8(v: f32) -> u8 {
    // In 0.5..=255.5 after the clamp, so the cast truncates a positive value.
    (v.clamp(0.0, 1.0) * 255.0 + 0.5) as u8
}

/// Upsamples `grid` (one grid pixel per `block` x `block` frame pixels) to a
/// mask of `frame`'s size guided by its pixels, written as tightly packed
/// RGBA8 (value in red, green and blue, alpha 255) into `out`, which is
/// resized to fit.
pub(super) fn upsample(grid: &Grid, block: u32, frame: Frame<'_>, out: &mut Vec<u8>) -> Result<(), GpuError> {
    let cells = grid.width * grid.height;
    let Frame { bytes, stride, width, height } = frame;
    if block == 0 || cells == 0 || grid.mask.len() != cells || grid.colour.len() != cells || !frame.is_complete() {
        return Err(GpuError::InvalidArgument(format!(
            "mask upsample: a {}x{} grid and a frame of {} bytes (stride {stride}) do not make a {width}x{height} mask",
            grid.width,
            grid.height,
            bytes.len()
        )));
    }
    let columns = axis(width, block as f32, grid.width);
    let rows = axis(height, block as f32, grid.height);
    let means = flat_means(grid);
    out.resize(width * height * 4, 0);
    for_each_band(out, width * 4, height, |first_row, band| {
        let band_height = band.len() / (width * 4);
        let frame = &bytes[first_row * stride..];
        upsample_rows(grid, &means, &columns, &rows[first_row..][..band_height], frame, stride, width, band);
    });
    Ok(())
}

/// Upsamples the frame rows whose taps are `rows` (`frame` starts at the
/// first of them) into `out`.
#[allow(clippy::too_many_arguments)]
fn upsample_rows(
    grid: &Grid,
    means: &[f32],
    columns: &[AxisTap],
    rows: &[AxisTap],
    frame: &[u8],
    stride: usize,
    width: usize,
    out: &mut [u8],
) {
    for (y, (out_row, row)) in out.chunks_exact_mut(width * 4).zip(rows).enumerate() {
        let frame_row = &frame[y * stride..][..width * 4];
        let row_means = &means[row.pair * (grid.width + 1)..][..grid.width + 1];
        let (top, bottom, fy) = (row.first * grid.width, row.second * grid.width, row.weight);
        for ((px, rgba), col) in out_row.chunks_exact_mut(4).zip(frame_row.chunks_exact(4)).zip(columns) {
            let flat = row_means[col.pair];
            let value = if !flat.is_nan() {
                flat
            } else {
                let cells = [top + col.first, top + col.second, bottom + col.first, bottom + col.second];
                let m = cells.map(|c| grid.mask[c]);
                let fx = col.weight;
                let rgb = [rgba[0], rgba[1], rgba[2]].map(|c| f32::from(c) / 255.0);
                let spatial = [(1.0 - fx) * (1.0 - fy), fx * (1.0 - fy), (1.0 - fx) * fy, fx * fy];
                let w: [f32; 4] = std::array::from_fn(|i| bilateral(spatial[i], rgb, grid.colour[cells[i]]));
                let sum = w[0] * m[0] + w[1] * m[1] + w[2] * m[2] + w[3] * m[3];
                sum / (w[0] + w[1] + w[2] + w[3]).max(1e-5)
            };
            let v = unorm8(value);
            px.copy_from_slice(&[v, v, v, 255]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(mask: &[f32], colour: [f32; 3], width: usize) -> Grid {
        Grid { width, height: mask.len() / width, mask: mask.to_vec(), colour: vec![colour; mask.len()] }
    }

    #[test]
    fn a_flat_grid_gives_a_flat_mask() {
        let g = grid(&[0.5; 4], [0.2; 3], 2);
        let mut out = Vec::new();
        let frame = Frame { bytes: &[0; 8 * 8 * 4], stride: 32, width: 8, height: 8 };
        upsample(&g, 4, frame, &mut out).expect("upsample");
        assert!(out.chunks(4).all(|p| p == [128, 128, 128, 255]), "{:?}", &out[..8]);
    }

    #[test]
    fn an_edge_follows_the_frame_colour() {
        // Grid: subject (1) on the right cell, background (0) on the left;
        // both cells' mean colour is mid-grey, so a pixel's own colour
        // decides which side it leans to within the blend.
        let mut g = grid(&[0.0, 1.0], [0.5; 3], 2);
        g.colour = vec![[0.0; 3], [1.0; 3]];
        let (w, block) = (8, 4);
        let white = [255u8; 4];
        let black = [0u8, 0, 0, 255];
        let frame: Vec<u8> = (0..w * block).flat_map(|_| white).collect();
        let mut bright = Vec::new();
        upsample(&g, block as u32, Frame { bytes: &frame, stride: w * 4, width: w, height: block }, &mut bright)
            .expect("upsample");
        let frame: Vec<u8> = (0..w * block).flat_map(|_| black).collect();
        let mut dark = Vec::new();
        upsample(&g, block as u32, Frame { bytes: &frame, stride: w * 4, width: w, height: block }, &mut dark)
            .expect("upsample");
        // In the middle column pair a white pixel looks like the subject's
        // cell and a black one like the background's.
        let mid = 4 * 4;
        assert!(bright[mid] > 200 && dark[mid] < 55, "white {} black {}", bright[mid], dark[mid]);
    }

    #[test]
    fn mismatched_sizes_are_an_error() {
        let g = grid(&[0.0; 4], [0.0; 3], 2);
        let err = upsample(&g, 4, Frame { bytes: &[0; 16], stride: 16, width: 8, height: 8 }, &mut Vec::new());
        assert!(matches!(err, Err(GpuError::InvalidArgument(m)) if m.contains("8x8")));
    }
}
