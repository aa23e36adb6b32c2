//! YUV 4:2:0 <-> RGBA on the CPU, for software adapters.
//!
//! On lavapipe a compute pass is run by the CPU, and writing a storage
//! texture is its slow part: a shader that only stores a constant colour
//! costs ~9 ms of CPU per 720p frame, `shaders/yuv_to_rgba.wgsl` about
//! twice that and `shaders/rgba_to_yuv.wgsl` ~4.5 ms. The loops here do the
//! same conversions in ~3 ms and ~2 ms, and the frames move with one
//! `write_texture` or one buffer copy (memcpys on lavapipe). On a real GPU
//! the shaders stay the faster path. Not swscale: its chroma filters and
//! rounding differ from the shaders', and both paths must agree.
//!
//! The maths is the shaders' step for step (nearest-neighbour chroma up,
//! 2x2 box average down, same coefficients and ranges), in fixed point, so
//! both paths agree to within one code value; `tests/gpu.rs` checks that.

use super::convert::plane_fits;
use super::{ColorSpec, GpuError};

/// Fractional bits of the YUV -> RGBA tables (in 8-bit code values).
const RGB_FRACTION_BITS: u32 = 12;
/// Fractional bits of the RGBA -> YUV weights.
const YUV_FRACTION_BITS: u32 = 16;

/// `v` in fixed point with `bits` fractional bits.
fn to_fixed(v: f32, bits: u32) -> i32 {
    (f64::from(v) * f64::from(1u32 << bits)).round() as i32
}

/// `v` clamped to 0..=255, without branches: `i32::clamp` compiles to
/// branches here, and they mispredict on noisy pictures (3x slower).
fn clamp_u8(v: i32) -> u8 {
    let v = v & !(v >> 31);
    ((v | ((255 - v) >> 31)) & 255) as u8
}

/// The YUV -> RGBA conversion's per-code-value terms for one [`ColorSpec`],
/// in fixed point (8-bit code values with [`RGB_FRACTION_BITS`] fractional
/// bits; the rounding half is folded into `luma`).
pub(crate) struct YuvToRgba {
    spec: ColorSpec,
    luma: [i32; 256],
    v_to_r: [i32; 256],
    u_to_g: [i32; 256],
    v_to_g: [i32; 256],
    u_to_b: [i32; 256],
}

impl YuvToRgba {
    /// Precomputes the tables for `spec`.
    pub(crate) fn new(spec: ColorSpec) -> Self {
        let [kr, kb, _, _] = spec.uniform();
        let kg = 1.0 - kr - kb;
        let (y_offset, y_scale, c_scale) = spec.code_range();
        let fixed = |v: f32| to_fixed(v * 255.0, RGB_FRACTION_BITS);
        let half = 1 << (RGB_FRACTION_BITS - 1);
        let mut tables =
            Self { spec, luma: [0; 256], v_to_r: [0; 256], u_to_g: [0; 256], v_to_g: [0; 256], u_to_b: [0; 256] };
        for code in 0..256 {
            let c = code as f32;
            tables.luma[code] = fixed((c - y_offset) / y_scale) + half;
            let chroma = (c - 128.0) / c_scale;
            // r = l + 2(1-kr)cr, b = l + 2(1-kb)cb and g = (l - kr r - kb b)/kg,
            // which is l plus the two green terms below.
            let to_b = 2.0 * (1.0 - kb) * chroma;
            let to_r = 2.0 * (1.0 - kr) * chroma;
            tables.u_to_b[code] = fixed(to_b);
            tables.u_to_g[code] = fixed(-kb * to_b / kg);
            tables.v_to_r[code] = fixed(to_r);
            tables.v_to_g[code] = fixed(-kr * to_r / kg);
        }
        tables
    }

    /// The colour matrix and range these tables convert.
    pub(crate) fn spec(&self) -> ColorSpec {
        self.spec
    }

    /// The (r, g, b) terms of one chroma sample.
    fn chroma(&self, u: u8, v: u8) -> (i32, i32, i32) {
        let (u, v) = (usize::from(u), usize::from(v));
        (self.v_to_r[v], self.u_to_g[u] + self.v_to_g[v], self.u_to_b[u])
    }

    /// One RGBA pixel from a luma code value and its chroma terms.
    fn pixel(&self, y: u8, (r, g, b): (i32, i32, i32)) -> [u8; 4] {
        let l = self.luma[usize::from(y)];
        [
            clamp_u8((l + r) >> RGB_FRACTION_BITS),
            clamp_u8((l + g) >> RGB_FRACTION_BITS),
            clamp_u8((l + b) >> RGB_FRACTION_BITS),
            255,
        ]
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
        let pairs = width / 2;
        for (row, out_row) in out.chunks_exact_mut(width * 4).enumerate() {
            let ys = &y_plane[row * y_stride..][..width];
            let us = &u_plane[(row / 2) * u_stride..][..chroma_width];
            let vs = &v_plane[(row / 2) * v_stride..][..chroma_width];
            let (body, tail) = out_row.split_at_mut(pairs * 8);
            // Two pixels share one chroma sample.
            for ((out_pair, pair), (&u, &v)) in body.chunks_exact_mut(8).zip(ys.chunks_exact(2)).zip(us.iter().zip(vs))
            {
                let terms = self.chroma(u, v);
                out_pair[..4].copy_from_slice(&self.pixel(pair[0], terms));
                out_pair[4..].copy_from_slice(&self.pixel(pair[1], terms));
            }
            // An odd width leaves the last pixel a chroma sample of its own.
            if let (Some(&y), Some(&u), Some(&v)) = (ys.get(pairs * 2), us.last(), vs.last()) {
                tail.copy_from_slice(&self.pixel(y, self.chroma(u, v)));
            }
        }
        Ok(())
    }
}

/// Where [`RgbaToYuv::convert`] writes packed yuv420p planes in one buffer.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PlaneLayout {
    /// Output width, even.
    pub(crate) width: u32,
    /// Output height, even.
    pub(crate) height: u32,
    /// Bytes per Y row.
    pub(crate) y_stride: u32,
    /// Bytes per U and V row.
    pub(crate) uv_stride: u32,
    /// Byte offset of the U plane.
    pub(crate) u_offset: u32,
    /// Byte offset of the V plane.
    pub(crate) v_offset: u32,
}

impl PlaneLayout {
    /// Bytes the three planes take.
    pub(crate) fn size(&self) -> usize {
        self.v_offset as usize + self.uv_stride as usize * (self.height / 2) as usize
    }
}

/// RGBA -> yuv420p on the CPU: `shaders/rgba_to_yuv.wgsl`'s maths (luma
/// per pixel, chroma of each 2x2 block's mean colour, the last row and
/// column repeated to pad odd sizes) in fixed point, within one code value
/// of it.
pub(crate) struct RgbaToYuv {
    /// Luma weights of R, G and B (8-bit in, 8-bit out), and the offset
    /// with the rounding half.
    luma: [i32; 4],
    /// Cb weights of the sums of R, G and B over a 2x2 block, and offset.
    cb: [i32; 4],
    /// Cr weights, likewise.
    cr: [i32; 4],
}

impl RgbaToYuv {
    /// Precomputes the weights for `spec`.
    pub(crate) fn new(spec: ColorSpec) -> Self {
        let [kr, kb, _, _] = spec.uniform();
        let kg = 1.0 - kr - kb;
        let (y_offset, y_scale, c_scale) = spec.code_range();
        let fixed = |v: f32| to_fixed(v, YUV_FRACTION_BITS);
        let ys = y_scale / 255.0;
        let luma = [fixed(kr * ys), fixed(kg * ys), fixed(kb * ys), fixed(y_offset + 0.5)];
        // Cb = (B - L) / 2(1 - kb) and Cr = (R - L) / 2(1 - kr) of the
        // block's mean colour; the sums are four times the mean.
        let su = c_scale / 255.0 / (2.0 * (1.0 - kb)) / 4.0;
        let sv = c_scale / 255.0 / (2.0 * (1.0 - kr)) / 4.0;
        let cb = [fixed(-kr * su), fixed(-kg * su), fixed((1.0 - kb) * su), fixed(128.5)];
        let cr = [fixed((1.0 - kr) * sv), fixed(-kg * sv), fixed(-kb * sv), fixed(128.5)];
        Self { luma, cb, cr }
    }

    fn weigh(weights: &[i32; 4], [r, g, b]: [i32; 3]) -> u8 {
        clamp_u8((weights[0] * r + weights[1] * g + weights[2] * b + weights[3]) >> YUV_FRACTION_BITS)
    }

    /// Converts a `width` x `height` RGBA image (`stride` bytes per row)
    /// into `out`, laid out as `layout` says (`layout`'s size is `width`
    /// and `height` rounded up to even).
    pub(crate) fn convert(
        &self,
        rgba: &[u8],
        stride: usize,
        width: usize,
        height: usize,
        layout: PlaneLayout,
        out: &mut [u8],
    ) -> Result<(), GpuError> {
        if width == 0
            || height == 0
            || layout.width as usize != width.next_multiple_of(2)
            || layout.height as usize != height.next_multiple_of(2)
            || !plane_fits(rgba.len(), stride, width * 4, height)
            || out.len() < layout.size()
        {
            return Err(GpuError::InvalidArgument(format!(
                "cannot convert a {width}x{height} RGBA image of {} bytes into {}x{} planes of {} bytes",
                rgba.len(),
                layout.width,
                layout.height,
                out.len()
            )));
        }
        let (y_stride, uv_stride) = (layout.y_stride as usize, layout.uv_stride as usize);
        let chroma_width = layout.width as usize / 2;
        let (y_plane, chroma) = out.split_at_mut(layout.u_offset as usize);
        let (u_plane, v_plane) = chroma.split_at_mut((layout.v_offset - layout.u_offset) as usize);
        let pixel = |row: &[u8], x: usize| {
            let p = &row[x.min(width - 1) * 4..][..3];
            [i32::from(p[0]), i32::from(p[1]), i32::from(p[2])]
        };
        for cy in 0..layout.height as usize / 2 {
            let top = &rgba[2 * cy * stride..][..width * 4];
            let bottom = &rgba[(2 * cy + 1).min(height - 1) * stride..][..width * 4];
            let (y_top, y_bottom) = y_plane[2 * cy * y_stride..].split_at_mut(y_stride);
            let (y_top, y_bottom) = (&mut y_top[..2 * chroma_width], &mut y_bottom[..2 * chroma_width]);
            let u_row = &mut u_plane[cy * uv_stride..][..chroma_width];
            let v_row = &mut v_plane[cy * uv_stride..][..chroma_width];
            for cx in 0..chroma_width {
                let block =
                    [pixel(top, 2 * cx), pixel(top, 2 * cx + 1), pixel(bottom, 2 * cx), pixel(bottom, 2 * cx + 1)];
                y_top[2 * cx] = Self::weigh(&self.luma, block[0]);
                y_top[2 * cx + 1] = Self::weigh(&self.luma, block[1]);
                y_bottom[2 * cx] = Self::weigh(&self.luma, block[2]);
                y_bottom[2 * cx + 1] = Self::weigh(&self.luma, block[3]);
                let sum = [0, 1, 2].map(|c| block.iter().map(|p| p[c]).sum());
                u_row[cx] = Self::weigh(&self.cb, sum);
                v_row[cx] = Self::weigh(&self.cr, sum);
            }
        }
        Ok(())
    }
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

    #[test]
    fn rgba_to_yuv_limited_range_black_white_and_red() {
        let spec = ColorSpec { bt709: false, full_range: false };
        let layout = PlaneLayout { width: 2, height: 2, y_stride: 4, uv_stride: 4, u_offset: 8, v_offset: 12 };
        let mut out = vec![0; layout.size()];
        for (rgba, yuv) in
            [([0, 0, 0], [16, 128, 128]), ([255, 255, 255], [235, 128, 128]), ([255, 0, 0], [81, 90, 240])]
        {
            // A 1x1 image: the padding repeats it over the 2x2 block.
            let pixel = [rgba[0], rgba[1], rgba[2], 255];
            RgbaToYuv::new(spec).convert(&pixel, 4, 1, 1, layout, &mut out).expect("convert");
            assert_eq!([out[0], out[1], out[4], out[5]], [yuv[0]; 4], "{rgba:?}: luma");
            assert_eq!([out[8], out[12]], [yuv[1], yuv[2]], "{rgba:?}: chroma");
        }
    }

    #[test]
    fn rgba_to_yuv_refuses_a_layout_of_another_size() {
        let layout = PlaneLayout { width: 4, height: 2, y_stride: 4, uv_stride: 4, u_offset: 8, v_offset: 12 };
        let err = RgbaToYuv::new(ColorSpec { bt709: true, full_range: true }).convert(
            &[0; 4],
            4,
            1,
            1,
            layout,
            &mut vec![0; layout.size()],
        );
        assert!(matches!(err, Err(GpuError::InvalidArgument(m)) if m.contains("1x1")));
    }
}
