//! The clip at preview resolution, decoded once and kept in memory.

use super::{MAX_FRAMES, MAX_WIDTH};
use crate::gpu::{FrameRecorder, GpuTexture, Uploader};
use crate::media::{MediaLimits, Source, SourceItem};
use crate::render::{RenderError, Renderer};
use serde::Serialize;
use std::path::Path;

/// One decoded frame, RGBA8 at preview size.
pub struct ClipFrame {
    /// Presentation time in seconds.
    pub time_sec: f64,
    /// Tightly packed RGBA8 rows.
    pub rgba: Vec<u8>,
}

/// The first [`MAX_FRAMES`] frames of a clip, scaled to at most
/// [`MAX_WIDTH`] wide (aspect kept, even sizes).
pub struct PreviewClip {
    /// Preview width.
    pub width: u32,
    /// Preview height.
    pub height: u32,
    /// Source width.
    pub source_width: u32,
    /// Source height.
    pub source_height: u32,
    /// Frames per second.
    pub fps: f64,
    /// Source duration in seconds.
    pub duration_sec: f64,
    /// Whether the clip has more frames than were kept.
    pub truncated: bool,
    /// The frames.
    pub frames: Vec<ClipFrame>,
}

/// What `GET /api/clip` returns.
#[derive(Serialize)]
pub struct ClipSummary {
    /// Frames available to scrub.
    pub frames: usize,
    /// Frames per second.
    pub fps: f64,
    /// Preview width.
    pub width: u32,
    /// Preview height.
    pub height: u32,
    /// Source duration in seconds.
    pub duration: f64,
    /// Source width.
    pub source_width: u32,
    /// Source height.
    pub source_height: u32,
    /// Whether only the first frames are available.
    pub truncated: bool,
    /// Each frame's time in seconds.
    pub times: Vec<f64>,
}

/// The preview size for a source size: width <= [`MAX_WIDTH`], aspect kept, both even.
pub fn preview_size(width: u32, height: u32) -> (u32, u32) {
    let w = (width.min(MAX_WIDTH) & !1).max(2);
    let h = ((f64::from(height) * f64::from(w) / f64::from(width.max(1))).round() as u32 & !1).max(2);
    (w, h)
}

impl PreviewClip {
    /// Decodes up to [`MAX_FRAMES`] frames of `input`: each is uploaded and
    /// converted to RGBA on the GPU exactly as a render sees it, read back
    /// and downscaled on the CPU.
    pub fn decode(renderer: &Renderer, input: &Path, limits: &MediaLimits) -> Result<Self, RenderError> {
        let mut source = Source::open(input, limits)?;
        let info = source.info().clone();
        let (width, height) = preview_size(info.width, info.height);
        let gpu = renderer.gpu().clone();
        let texture = GpuTexture::new(&gpu, info.width, info.height, "preview decode")?;
        let mut uploader = Uploader::new(gpu.clone());
        let mut rec = FrameRecorder::new(gpu);
        let mut frames = Vec::new();
        let mut truncated = false;
        while let Some(item) = source.next_item()? {
            let SourceItem::Video(frame) = item else { continue };
            if frames.len() >= MAX_FRAMES {
                truncated = true;
                break;
            }
            uploader.upload(&mut rec, &frame, &texture)?;
            let full = rec.read_rgba(&texture)?;
            let rgba = match image::RgbaImage::from_raw(info.width, info.height, full) {
                Some(img) if (width, height) != (info.width, info.height) => {
                    image::imageops::resize(&img, width, height, image::imageops::FilterType::Triangle).into_raw()
                }
                Some(img) => img.into_raw(),
                None => continue,
            };
            frames.push(ClipFrame { time_sec: frame.time_sec(), rgba });
        }
        if frames.is_empty() {
            return Err(RenderError::NoFrames(input.to_owned()));
        }
        Ok(Self {
            width,
            height,
            source_width: info.width,
            source_height: info.height,
            fps: info.fps,
            duration_sec: info.duration_sec,
            truncated,
            frames,
        })
    }

    /// The summary served by `GET /api/clip`.
    pub fn summary(&self) -> ClipSummary {
        ClipSummary {
            frames: self.frames.len(),
            fps: self.fps,
            width: self.width,
            height: self.height,
            duration: self.duration_sec,
            source_width: self.source_width,
            source_height: self.source_height,
            truncated: self.truncated,
            times: self.frames.iter().map(|f| f.time_sec).collect(),
        }
    }
}

/// Encodes RGBA8 rows as PNG.
pub fn encode_png(width: u32, height: u32, rgba: &[u8]) -> Result<Vec<u8>, image::ImageError> {
    let mut out = std::io::Cursor::new(Vec::new());
    image::write_buffer_with_format(
        &mut out,
        rgba,
        width,
        height,
        image::ExtendedColorType::Rgba8,
        image::ImageFormat::Png,
    )?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::preview_size;

    #[test]
    fn preview_sizes_are_even_and_at_most_480_wide() {
        assert_eq!(preview_size(1920, 1080), (480, 270));
        assert_eq!(preview_size(320, 240), (320, 240));
        assert_eq!(preview_size(641, 361), (480, 270));
        assert_eq!(preview_size(161, 121), (160, 120));
    }
}
