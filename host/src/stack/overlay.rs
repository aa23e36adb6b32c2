//! Image overlays (stickers, logos): PNG images composited over the
//! stack's result at a position, scale, opacity and time range. They are
//! drawn by the host after every layer, in order, so they sit on top.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::Arc;

/// Largest overlay side in pixels.
pub const MAX_OVERLAY_SIDE: u32 = 4096;
/// Largest overlay file in bytes.
pub const MAX_OVERLAY_BYTES: u64 = 32 << 20;

/// An overlay as users write it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overlay {
    /// The PNG: a file path for `pikafx apply` (relative to the working
    /// directory), an asset id in the API.
    pub image: String,
    /// Top-left corner in 0..1 frame coordinates (default `[0, 0]`).
    #[serde(default)]
    pub position: [f32; 2],
    /// Size relative to the image's own pixels (default 1).
    #[serde(default = "one")]
    pub scale: f32,
    /// 0..1 (default 1).
    #[serde(default = "one")]
    pub opacity: f32,
    /// Shown from this clip time (seconds, default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_sec: Option<f64>,
    /// Shown until before this clip time (default: end of clip).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_sec: Option<f64>,
}

fn one() -> f32 {
    1.0
}

/// An overlay with its image decoded and its settings checked.
#[derive(Clone, Debug)]
pub struct PreparedOverlay {
    /// Straight-alpha RGBA8 pixels, row by row.
    pub pixels: Arc<Vec<u8>>,
    /// Image width.
    pub width: u32,
    /// Image height.
    pub height: u32,
    /// Hex SHA-256 of the image file (provenance).
    pub sha256: String,
    /// Top-left corner, 0..1 frame coordinates.
    pub position: [f32; 2],
    /// Scale of the image's pixels.
    pub scale: f32,
    /// 0..1.
    pub opacity: f32,
    /// Shown from.
    pub start_sec: f64,
    /// Shown until before.
    pub end_sec: Option<f64>,
}

impl PreparedOverlay {
    /// Reads and checks `overlay`, whose image is at `path`.
    pub fn load(overlay: &Overlay, path: &Path) -> Result<Self, String> {
        let size = std::fs::metadata(path).map_err(|e| format!("{}: {e}", overlay.image))?.len();
        if size > MAX_OVERLAY_BYTES {
            return Err(format!("{}: {size} bytes is more than the {MAX_OVERLAY_BYTES} allowed", overlay.image));
        }
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", overlay.image))?;
        let (width, height, pixels) = decode_png(&bytes).map_err(|e| format!("{}: {e}", overlay.image))?;
        let start_sec = overlay.start_sec.unwrap_or(0.0);
        if !(overlay.scale.is_finite() && overlay.scale > 0.0 && overlay.scale <= 16.0) {
            return Err(format!("scale {} must be in (0, 16]", overlay.scale));
        }
        if !(0.0..=1.0).contains(&overlay.opacity) {
            return Err(format!("opacity {} must be in 0..1", overlay.opacity));
        }
        if !overlay.position.iter().all(|p| p.is_finite() && (-1.0..=2.0).contains(p)) {
            return Err(format!("position {:?} must be two numbers in -1..2 (0..1 is the frame)", overlay.position));
        }
        if !start_sec.is_finite() || start_sec < 0.0 {
            return Err(format!("start_sec {start_sec} must be a time >= 0"));
        }
        if let Some(end) = overlay.end_sec
            && !(end.is_finite() && end > start_sec)
        {
            return Err(format!("end_sec {end} must be after start_sec {start_sec}"));
        }
        Ok(Self {
            pixels: Arc::new(pixels),
            width,
            height,
            sha256: hex::encode(Sha256::digest(&bytes)),
            position: overlay.position,
            scale: overlay.scale,
            opacity: overlay.opacity,
            start_sec,
            end_sec: overlay.end_sec,
        })
    }

    /// Whether it is shown at `time_sec`.
    pub fn active_at(&self, time_sec: f64) -> bool {
        time_sec >= self.start_sec && self.end_sec.is_none_or(|end| time_sec < end)
    }

    /// The shader's uniforms for a `frame_width`x`frame_height` frame:
    /// left, top, width, height in pixels, opacity.
    pub fn uniforms(&self, frame_width: u32, frame_height: u32) -> [f32; 5] {
        [
            self.position[0] * frame_width as f32,
            self.position[1] * frame_height as f32,
            self.width as f32 * self.scale,
            self.height as f32 * self.scale,
            self.opacity,
        ]
    }

    /// The provenance record: the image's hash, not its path.
    pub fn canonical(&self) -> serde_json::Value {
        serde_json::json!({
            "image_sha256": self.sha256,
            "size": format!("{}x{}", self.width, self.height),
            "position": self.position,
            "scale": self.scale,
            "opacity": self.opacity,
            "start_sec": self.start_sec,
            "end_sec": self.end_sec,
        })
    }
}

/// Decodes a PNG to straight-alpha RGBA8 after checking its header's size,
/// so a small file claiming huge dimensions is refused before allocating.
pub fn decode_png(bytes: &[u8]) -> Result<(u32, u32, Vec<u8>), String> {
    use image::ImageDecoder;
    let decoder = image::codecs::png::PngDecoder::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a readable PNG: {e}"))?;
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 || width > MAX_OVERLAY_SIDE || height > MAX_OVERLAY_SIDE {
        return Err(format!("{width}x{height} is outside 1..{MAX_OVERLAY_SIDE} pixels per side"));
    }
    let image = image::DynamicImage::from_decoder(decoder).map_err(|e| format!("not a readable PNG: {e}"))?;
    Ok((width, height, image.to_rgba8().into_raw()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbaImage::from_pixel(width, height, image::Rgba([255, 0, 0, 128]));
        let mut bytes = Vec::new();
        image.write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).expect("encode");
        bytes
    }

    #[test]
    fn overlays_are_checked_and_placed_in_pixels() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.png");
        std::fs::write(&path, png(40, 20)).expect("write");
        let mut overlay = Overlay {
            image: "s.png".into(),
            position: [0.5, 0.25],
            scale: 0.5,
            opacity: 0.8,
            start_sec: Some(1.0),
            end_sec: Some(2.0),
        };
        let prepared = PreparedOverlay::load(&overlay, &path).expect("valid");
        assert_eq!((prepared.width, prepared.height, prepared.pixels.len()), (40, 20, 40 * 20 * 4));
        assert_eq!(prepared.uniforms(200, 100), [100.0, 25.0, 20.0, 10.0, 0.8]);
        assert!(!prepared.active_at(0.5) && prepared.active_at(1.0) && !prepared.active_at(2.0));
        overlay.opacity = 2.0;
        assert!(PreparedOverlay::load(&overlay, &path).expect_err("opacity").contains("opacity"));
        std::fs::write(&path, b"GIF89a not a png").expect("write");
        overlay.opacity = 1.0;
        assert!(PreparedOverlay::load(&overlay, &path).expect_err("not png").contains("PNG"));
    }
}
