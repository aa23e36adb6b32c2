//! YUV 4:2:0 -> RGBA on the CPU, for software adapters.
//!
//! On lavapipe a compute pass is run by the CPU, and writing a storage
//! texture is its slow part: a shader that only stores a constant colour
//! costs ~9 ms of CPU per 720p frame, and `shaders/yuv_to_rgba.wgsl` about
//! twice that (three texture loads per pixel on top). This loop does the
//! same conversion in a few milliseconds, and the RGBA frame then goes up
//! with one `write_texture` (a memcpy on lavapipe). On a real GPU the shader
//! stays the faster path. Not swscale: its chroma upsampling and rounding
//! differ from the shader's, and the two paths must agree (see below).
//!
//! The maths is the shader's step for step (nearest-neighbour chroma, same
//! coefficients and ranges), so both paths agree to within one code value
//! (float rounding); `tests/gpu.rs` checks that.

use super::convert::plane_fits;
use super::{ColorSpec, GpuError};

/// The conversion's per-code-value terms for one [`ColorSpec`].
pub(crate) struct YuvToRgba {
    spec: ColorSpec,
    /// Normalised luma of each Y code value.
    luma: [f32; 256],
    /// What a U code value adds to blue and to green.
    u_terms: [(f32, f32); 256],
    /// What a V code value adds to red and to green.
    v_terms: [(f32, f32); 256],
}

impl YuvToRgba {
    /// Precomputes the tables for `spec`.
    pub(crate) fn new(spec: ColorSpec) -> Self {
        let [kr, kb, _, _] = spec.uniform();
        let kg = 1.0 - kr - kb;
        let (y_offset, y_scale, c_scale) = if spec.full_range { (0.0, 255.0, 255.0) } else { (16.0, 219.0, 224.0) };
        let mut luma = [0.0; 256];
        let mut u_terms = [(0.0, 0.0); 256];
        let mut v_terms = [(0.0, 0.0); 256];
        for code in 0..256 {
            let c = code as f32;
            luma[code] = (c - y_offset) / y_scale;
            let chroma = (c - 128.0) / c_scale;
            // r = l + 2(1-kr)cr, b = l + 2(1-kb)cb and g = (l - kr r - kb b)/kg,
            // which is l plus the two green terms below.
            let to_b = 2.0 * (1.0 - kb) * chroma;
            let to_r = 2.0 * (1.0 - kr) * chroma;
            u_terms[code] = (to_b, -kb * to_b / kg);
            v_terms[code] = (to_r, -kr * to_r / kg);
        }
        Self { spec, luma, u_terms, v_terms }
    }

    /// The colour matrix and range these tables convert.
    pub(crate) fn spec(&self) -> ColorSpec {
        self.spec
    }

    /// Converts three planes of a `width` x `height` frame into tightly
    /// packed RGBA (alpha 255) in `out`, which is resized to fit.
    pub(crate) fn convert(
        &self,
        planes: [(&[u8], usize); 3],
        width: usize,
        height: usize,
        out: &mut Vec<u8>,
    ) -> Result<(), GpuError> {
        let chroma_width = width.div_ceil(2);
        let chroma_height = height.div_ceil(2);
        let sizes = [(width, height), (chroma_width, chroma_height), (chroma_width, chroma_height)];
        for (i, ((data, stride), (w, h))) in planes.iter().zip(sizes).enumerate() {
            if !plane_fits(data.len(), *stride, w, h) {
                return Err(GpuError::InvalidArgument(format!(
                    "decoded plane {i} of {} bytes (stride {stride}) is too small for {w}x{h}",
                    data.len()
                )));
            }
        }
        let [(y_plane, y_stride), (u_plane, u_stride), (v_plane, v_stride)] = planes;
        out.resize(width * height * 4, 0);
        for (row, out_row) in out.chunks_exact_mut(width * 4).enumerate() {
            let ys = &y_plane[row * y_stride..][..width];
            let us = &u_plane[(row / 2) * u_stride..][..chroma_width];
            let vs = &v_plane[(row / 2) * v_stride..][..chroma_width];
            // Two pixels share one chroma sample; the last may stand alone.
            for (((pair, out_pair), &u), &v) in ys.chunks(2).zip(out_row.chunks_mut(8)).zip(us).zip(vs) {
                let (to_b, u_to_g) = self.u_terms[u as usize];
                let (to_r, v_to_g) = self.v_terms[v as usize];
                let to_g = u_to_g + v_to_g;
                for (&y, px) in pair.iter().zip(out_pair.chunks_exact_mut(4)) {
                    let l = self.luma[y as usize];
                    px.copy_from_slice(&[unorm8(l + to_r), unorm8(l + to_g), unorm8(l + to_b), 255]);
                }
            }
        }
        Ok(())
    }
}

/// What storing `v` into an `rgba8unorm` texture keeps: clamped, rounded.
fn unorm8(v: f32) -> u8 {
    // In 0.5..=255.5 after the clamp, so the cast truncates a positive value.
    (v.clamp(0.0, 1.0) * 255.0 + 0.5) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert_one(spec: ColorSpec, y: u8, u: u8, v: u8) -> [u8; 4] {
        let mut out = Vec::new();
        YuvToRgba::new(spec).convert([(&[y], 1), (&[u], 1), (&[v], 1)], 1, 1, &mut out).expect("convert");
        [out[0], out[1], out[2], out[3]]
    }

    #[test]
    fn limited_range_black_white_and_grey() {
        let spec = ColorSpec { bt709: true, full_range: false };
        assert_eq!(convert_one(spec, 16, 128, 128), [0, 0, 0, 255]);
        assert_eq!(convert_one(spec, 235, 128, 128), [255, 255, 255, 255]);
        assert_eq!(convert_one(spec, 126, 128, 128), [128, 128, 128, 255]);
    }

    #[test]
    fn bt601_red_is_red() {
        // Limited-range BT.601 pure red: Y 81, U 90, V 240.
        let [r, g, b, _] = convert_one(ColorSpec { bt709: false, full_range: false }, 81, 90, 240);
        assert!(r >= 253 && g <= 2 && b <= 2, "{r} {g} {b}");
    }

    #[test]
    fn odd_sizes_share_the_last_chroma_sample() {
        let spec = ColorSpec { bt709: false, full_range: true };
        let y = [10u8, 20, 30, 40, 50, 60, 70, 80, 90];
        let (u, v) = ([128u8, 128, 128, 128], [128u8, 128, 128, 128]);
        let mut out = Vec::new();
        YuvToRgba::new(spec).convert([(&y, 3), (&u, 2), (&v, 2)], 3, 3, &mut out).expect("convert");
        let greys: Vec<u8> = out.chunks(4).map(|p| p[0]).collect();
        assert_eq!(greys, y);
    }

    #[test]
    fn short_planes_are_an_error_not_a_panic() {
        let spec = ColorSpec { bt709: false, full_range: true };
        let err = YuvToRgba::new(spec).convert([(&[0; 8], 4), (&[0; 2], 2), (&[0; 1], 2)], 4, 2, &mut Vec::new());
        assert!(matches!(err, Err(GpuError::InvalidArgument(m)) if m.contains("plane 2")));
    }
}
