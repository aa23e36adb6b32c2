//! Before/after contact sheets for `pikafx preview`.

use image::{RgbaImage, imageops};

/// One previewed frame: source and result as tightly packed RGBA8.
pub struct PreviewFrame {
    /// 0-based frame index.
    pub index: u64,
    /// Presentation time.
    pub time_sec: f64,
    /// Frame width.
    pub width: u32,
    /// Frame height.
    pub height: u32,
    /// The source frame.
    pub before: Vec<u8>,
    /// The rendered frame.
    pub after: Vec<u8>,
}

/// `count` frame indices spread evenly over `total` frames (first and last
/// included).
pub(crate) fn pick_frames(total: u64, count: usize) -> Vec<u64> {
    let count = count.max(1) as u64;
    if total <= count {
        return (0..total.max(1)).collect();
    }
    (0..count).map(|i| if count == 1 { 0 } else { i * (total - 1) / (count - 1) }).collect()
}

/// A sheet with the source frames on the top row and the results below,
/// each cell scaled to `cell_width` pixels wide.
pub fn contact_sheet(frames: &[PreviewFrame], cell_width: u32) -> Option<RgbaImage> {
    let first = frames.first()?;
    let cell_w = cell_width.min(first.width).max(1);
    let cell_h = ((u64::from(first.height) * u64::from(cell_w)) / u64::from(first.width.max(1))).max(1) as u32;
    let gap = 4;
    let width = frames.len() as u32 * (cell_w + gap) + gap;
    let height = 2 * (cell_h + gap) + gap;
    let mut sheet = RgbaImage::from_pixel(width, height, image::Rgba([24, 24, 24, 255]));
    for (i, frame) in frames.iter().enumerate() {
        let x = gap + i as u32 * (cell_w + gap);
        for (row, pixels) in [&frame.before, &frame.after].into_iter().enumerate() {
            let image = RgbaImage::from_raw(frame.width, frame.height, pixels.clone())?;
            let cell = imageops::resize(&image, cell_w, cell_h, imageops::FilterType::Triangle);
            imageops::overlay(&mut sheet, &cell, i64::from(x), i64::from(gap + row as u32 * (cell_h + gap)));
        }
    }
    Some(sheet)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_first_and_last_frames() {
        assert_eq!(pick_frames(100, 4), vec![0, 33, 66, 99]);
        assert_eq!(pick_frames(3, 6), vec![0, 1, 2]);
        assert_eq!(pick_frames(10, 1), vec![0]);
    }
}
